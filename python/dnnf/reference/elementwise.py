"""Elementwise kernels: unary, binary with broadcasting, where, cast, clip."""

from __future__ import annotations

import math

import numpy as np

from ._mlir import InterpreterError, is_float_dtype
from .registry import OpContext, kernel

# float32 math stays float32: numpy ufuncs keep the operand dtype, and
# Python float scalars are "weak" (NEP 50), so `alpha * x` is float32 for a
# float32 `x`.

_erf_scalar = np.frompyfunc(math.erf, 1, 1)


def erf(x: np.ndarray) -> np.ndarray:
    """erf computed in double precision and rounded once to x's dtype."""
    return _erf_scalar(x.astype(np.float64)).astype(np.float64).astype(x.dtype)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # Two branches so that neither exp overflows.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)


def _softplus(x: np.ndarray) -> np.ndarray:
    # log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)), without overflow.
    return (np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))).astype(x.dtype)


_UNARY = {
    "dnnf.relu": lambda x: np.maximum(x, np.zeros((), x.dtype)),
    "dnnf.sigmoid": _sigmoid,
    "dnnf.tanh": np.tanh,
    "dnnf.exp": np.exp,
    "dnnf.log": np.log,
    "dnnf.sqrt": np.sqrt,
    "dnnf.reciprocal": np.reciprocal,
    "dnnf.abs": np.abs,
    "dnnf.neg": np.negative,
    "dnnf.sign": np.sign,
    "dnnf.erf": erf,
    "dnnf.ceil": np.ceil,
    "dnnf.floor": np.floor,
    "dnnf.round": np.round,  # half to even, as ONNX Round
    "dnnf.sin": np.sin,
    "dnnf.cos": np.cos,
    "dnnf.softplus": _softplus,
    "dnnf.softsign": lambda x: x / (1 + np.abs(x)),
    "dnnf.hard_swish": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "dnnf.not": np.logical_not,
}


@kernel(*_UNARY)
def unary(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    return [_UNARY[ctx.name](args[0])]


@kernel("dnnf.leaky_relu")
def leaky_relu(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    return [np.where(x >= 0, x, ctx.attr("alpha", 0.01) * x)]


@kernel("dnnf.elu")
def elu(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    return [np.where(x >= 0, x, ctx.attr("alpha", 1.0) * (np.exp(x) - 1))]


@kernel("dnnf.selu")
def selu(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    alpha = ctx.attr("alpha", 1.67326319217681884765625)
    gamma = ctx.attr("gamma", 1.05070102214813232421875)
    return [gamma * np.where(x > 0, x, alpha * (np.exp(x) - 1))]


@kernel("dnnf.hard_sigmoid")
def hard_sigmoid(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    alpha, beta = ctx.attr("alpha", 0.2), ctx.attr("beta", 0.5)
    return [np.clip(alpha * x + beta, 0, 1)]


@kernel("dnnf.gelu")
def gelu(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    approximate = ctx.attr("approximate", "none")
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
        return [0.5 * x * (1 + np.tanh(inner))]
    if approximate != "none":
        raise InterpreterError(f"dnnf.gelu: unknown approximate = '{approximate}'")
    return [0.5 * x * (1 + erf(x / np.sqrt(np.asarray(2, x.dtype))))]


@kernel("dnnf.clip")
def clip(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    lo, hi = ctx.attr("min"), ctx.attr("max")
    # y = min(max(x, lo), hi): when lo > hi every element becomes hi.
    if lo is not None:
        x = np.maximum(x, _bound(lo, x.dtype))
    if hi is not None:
        x = np.minimum(x, _bound(hi, x.dtype))
    return [x]


def _bound(value: float, dtype: np.dtype) -> np.ndarray:
    if is_float_dtype(dtype):
        return np.asarray(value).astype(dtype)
    info = np.iinfo(dtype)
    return np.asarray(min(max(value, info.min), info.max)).astype(dtype)


@kernel("dnnf.cast")
def cast(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x, dtype = args[0], ctx.result_dtype()
    if dtype == np.bool_:
        return [x != 0]
    if is_float_dtype(x.dtype) and not is_float_dtype(dtype):
        # float -> int truncates toward zero (out of range / NaN: undefined).
        return [np.trunc(x.astype(np.float64)).astype(dtype)]
    return [x.astype(dtype)]


# ---------------------------------------------------------------------------
# Binary (numpy broadcasting = ONNX multidirectional broadcasting)
# ---------------------------------------------------------------------------


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if is_float_dtype(a.dtype):
        return a / b
    # Integer division truncates toward zero (C semantics), not floor.
    q = np.floor_divide(a, b)
    r = np.remainder(a, b)
    fix = (r != 0) & ((a < 0) != (b < 0))
    return (q + fix.astype(q.dtype)).astype(a.dtype)


_BINARY = {
    "dnnf.add": np.add,
    "dnnf.sub": np.subtract,
    "dnnf.mul": np.multiply,
    "dnnf.div": _div,
    "dnnf.pow": np.power,
    "dnnf.max": np.maximum,
    "dnnf.min": np.minimum,
    "dnnf.equal": np.equal,
    "dnnf.greater": np.greater,
    "dnnf.greater_or_equal": np.greater_equal,
    "dnnf.less": np.less,
    "dnnf.less_or_equal": np.less_equal,
    "dnnf.and": np.logical_and,
    "dnnf.or": np.logical_or,
    "dnnf.xor": np.logical_xor,
}


@kernel(*_BINARY)
def binary(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    return [_BINARY[ctx.name](args[0], args[1])]


@kernel("dnnf.mod")
def mod(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    a, b = args
    if ctx.attr("fmod", 0):
        return [np.fmod(a, b)]  # sign of the dividend
    return [np.mod(a, b)]  # sign of the divisor


@kernel("dnnf.bit_shift")
def bit_shift(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    a, b = args
    direction = ctx.attr("direction")
    if direction == "left":
        return [np.left_shift(a, b)]
    if direction == "right":
        return [np.right_shift(a, b)]
    raise InterpreterError(f"dnnf.bit_shift: unknown direction '{direction}'")


@kernel("dnnf.prelu")
def prelu(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x, slope = args
    return [np.where(x < 0, slope * x, x)]


@kernel("dnnf.where")
def where(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    cond, a, b = args
    return [np.where(cond, a, b)]
