"""Random small dnnf graphs for property-testing --dnnf-algebraic-simplify.

A :class:`GraphGen` draws choices from a :class:`Chooser` (a hypothesis
``data`` object or a seeded ``random.Random``) and emits the text of a
``func.func`` whose ops come from the rewriter's domain: broadcasting
arithmetic, unary functions, pow with constant exponents, reductions, data
movement, MatMul/Gemm/Conv/BatchNormalization with constant weights, and a
few ops without algebraic properties (relu, sigmoid, tanh) that cut the
graph into partitions.  Besides single random ops it injects the shapes of
the rules (A*B + A*C, (x*c1 + c2)*c3, BN(conv), ...), so that most graphs
give the rewriter something to do.  Values feed several consumers and
outputs at random, so multi-use preconditions are exercised too.

Values stay moderate (inputs in [-2, 2], constants in [-3, 3]), so that
float32 rounding and overflow differences stay within tolerance; see
:func:`compare`.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import numpy as np

T = TypeVar("T")


class Chooser(Protocol):
    def choice(self, options: Sequence[T]) -> T: ...
    def integer(self, lo: int, hi: int) -> int: ...
    def number(self, lo: float, hi: float) -> float: ...


class RandomChooser:
    """Choices from a seeded ``random.Random``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def number(self, lo: float, hi: float) -> float:
        return self.rng.uniform(lo, hi)


class HypothesisChooser:
    """Choices drawn from a hypothesis ``st.data()`` object (shrinkable)."""

    def __init__(self, data: object) -> None:
        from hypothesis import strategies as st

        self.data = data
        self.st = st

    def choice(self, options: Sequence[T]) -> T:
        return self.data.draw(self.st.sampled_from(list(options)))  # type: ignore[attr-defined]

    def integer(self, lo: int, hi: int) -> int:
        return self.data.draw(self.st.integers(lo, hi))  # type: ignore[attr-defined]

    def number(self, lo: float, hi: float) -> float:
        return self.data.draw(  # type: ignore[attr-defined]
            self.st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=32)
        )


@dataclass
class Value:
    name: str
    shape: tuple[int, ...]
    dtype: str  # "f32", "f64" or "i32"


def ttype(shape: Sequence[int], dtype: str) -> str:
    dims = "".join(f"{d}x" for d in shape)
    return f"tensor<{dims}{dtype}>"


def broadcast(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...] | None:
    rank = max(len(a), len(b))
    pa = (1,) * (rank - len(a)) + tuple(a)
    pb = (1,) * (rank - len(b)) + tuple(b)
    out = []
    for x, y in zip(pa, pb, strict=True):
        if x != y and x != 1 and y != 1:
            return None
        out.append(y if x == 1 else x)
    return tuple(out)


def literal(values: np.ndarray, dtype: str) -> str:
    """An MLIR dense literal for ``values`` (nested lists, or a splat)."""
    flat = values.reshape(-1)
    fmt = (lambda v: str(int(v))) if dtype == "i32" else (lambda v: repr(float(v)))
    if flat.size > 0 and np.all(flat == flat[0]):
        return fmt(flat[0])

    def nest(a: np.ndarray) -> str:
        if a.ndim == 0:
            return fmt(a)
        return "[" + ", ".join(nest(x) for x in a) + "]"

    return nest(values)


@dataclass
class GraphGen:
    """Builds one random function ``@<name>``."""

    c: Chooser
    name: str = "main"
    dtype: str = "f32"
    # Keep every value positive (inputs, constants and ops): the domain on
    # which the fast-math rules are exact up to rounding.
    positive: bool = False
    lines: list[str] = field(default_factory=list)
    args: list[Value] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    constants: set[str] = field(default_factory=set)
    counter: itertools.count = field(default_factory=itertools.count)

    # -- emission -----------------------------------------------------------

    def fresh(self) -> str:
        return f"%v{next(self.counter)}"

    def emit(self, text: str, shape: Sequence[int], dtype: str | None = None) -> Value:
        v = Value(self.fresh(), tuple(shape), dtype or self.dtype)
        self.lines.append(f"  {v.name} = {text}")
        self.values.append(v)
        return v

    def arg(self, shape: Sequence[int]) -> Value:
        v = Value(f"%a{len(self.args)}", tuple(shape), self.dtype)
        self.args.append(v)
        self.values.append(v)
        return v

    def const(self, shape: Sequence[int], kind: str = "random") -> Value:
        """A constant: a special splat (0, 1, -1, 2, 0.5, 8), random values,
        or positive random values."""
        shape = tuple(shape)
        n = int(np.prod(shape)) if shape else 1
        if self.positive and kind != "special":
            kind = "positive"
        if kind in ("special", "neutral"):
            if self.dtype == "i32":
                options = [0, 1, -1, 2, 3]
            elif self.positive:
                options = [1, 2, 0.5, 8]
            else:
                # 0 only where it is a neutral element (add/sub): a zero
                # divisor makes infinities, on which every reassociation
                # may differ (inf*b - inf*c is NaN, inf*(b-c) is not).
                options = [1, -1, 2, 0.5, 8] + ([0] if kind == "neutral" else [])
            vals = np.full(shape, self.c.choice(options), dtype=np.float64)
        elif self.dtype == "i32":
            vals = np.array([self.c.integer(-3, 3) for _ in range(n)]).reshape(shape)
        else:
            lo = 0.25 if kind == "positive" else -3.0
            vals = np.array(
                [round(self.c.number(lo, 3.0), 3) for _ in range(n)]
            ).reshape(shape)
            if kind != "positive":
                vals[np.abs(vals) < 0.1] = 0.5
        v = Value(self.fresh(), shape, self.dtype)
        self.lines.append(
            f"  {v.name} = dnnf.constant dense<{literal(vals, self.dtype)}> : "
            f"{ttype(shape, self.dtype)}"
        )
        self.constants.add(v.name)
        return v

    def binary(self, op: str, a: Value, b: Value, attrs: str = "") -> Value:
        shape = broadcast(a.shape, b.shape)
        assert shape is not None
        t = f"({ttype(a.shape, a.dtype)}, {ttype(b.shape, b.dtype)}) -> " + ttype(
            shape, a.dtype
        )
        return self.emit(f"dnnf.{op} {a.name}, {b.name}{attrs} : {t}", shape, a.dtype)

    def unary(self, op: str, a: Value) -> Value:
        return self.emit(f"dnnf.{op} {a.name} : {ttype(a.shape, a.dtype)}", a.shape)

    def reduce(self, op: str, a: Value, axes: Sequence[int], keepdims: bool) -> Value:
        shape = [
            1 if k in axes else d
            for k, d in enumerate(a.shape)
            if keepdims or k not in axes
        ]
        kd = "" if keepdims else ", keepdims = false"
        ax = ", ".join(str(x) for x in axes)
        return self.emit(
            f"dnnf.{op} {a.name} {{axes = array<i64: {ax}>{kd}}} : "
            f"({ttype(a.shape, a.dtype)}) -> {ttype(shape, a.dtype)}",
            shape,
            a.dtype,
        )

    def transpose(self, a: Value, perm: Sequence[int]) -> Value:
        shape = [a.shape[p] for p in perm]
        p = ", ".join(str(x) for x in perm)
        return self.emit(
            f"dnnf.transpose {a.name} {{perm = array<i64: {p}>}} : "
            f"({ttype(a.shape, a.dtype)}) -> {ttype(shape, a.dtype)}",
            shape,
            a.dtype,
        )

    def reshape(self, a: Value, shape: Sequence[int]) -> Value:
        return self.emit(
            f"dnnf.reshape {a.name} : {ttype(a.shape, a.dtype)} to "
            f"{ttype(shape, a.dtype)}",
            shape,
            a.dtype,
        )

    # -- choices ------------------------------------------------------------

    def pick(self, rank_min: int = 0) -> Value:
        """A value, recent ones more likely (so that chains form)."""
        pool = [v for v in self.values if len(v.shape) >= rank_min]
        if not pool:
            return self.arg(self.shape_of_rank(max(rank_min, 1)))
        recent = pool[-3:]
        return self.c.choice(recent + pool)

    def shape_of_rank(self, rank: int) -> tuple[int, ...]:
        return tuple(self.c.integer(1, 4) for _ in range(rank))

    def sub_shape(self, shape: Sequence[int]) -> tuple[int, ...]:
        """A shape that broadcasts to ``shape`` (some dims 1, some dropped)."""
        drop = self.c.integer(0, len(shape))
        kept = list(shape[drop:])
        return tuple(1 if self.c.integer(0, 2) == 0 else d for d in kept)

    def operand_for(self, a: Value, constant_weight: int = 2) -> Value:
        """A second operand broadcasting with ``a``: a value or a constant."""
        compatible = [
            v for v in self.values if v is not a and broadcast(a.shape, v.shape)
        ]
        if compatible and self.c.integer(0, constant_weight) == 0:
            return self.c.choice(compatible)
        kind = self.c.choice(["special", "random", "random"])
        return self.const(self.sub_shape(a.shape), kind)

    # -- ops ----------------------------------------------------------------

    def step(self) -> None:
        kinds = [
            "binary",
            "binary",
            "binary",
            "unary",
            "unary",
            "pow",
            "reduce",
            "movement",
            "matmul",
            "barrier",
            "pattern",
            "pattern",
            "pattern",
        ]
        if self.dtype == "i32":
            kinds = ["ibinary", "ibinary", "ineg", "ireduce", "ishift", "movement"]
        getattr(self, "op_" + self.c.choice(kinds))()

    def op_binary(self) -> None:
        a = self.pick()
        ops = (
            ["add", "mul", "mul", "div"]
            if self.positive
            else ["add", "sub", "mul", "mul", "div"]
        )
        op = self.c.choice(ops)
        if op in ("add", "sub") and self.c.integer(0, 3) == 0:
            b = self.const(self.sub_shape(a.shape), "neutral")
        else:
            b = self.operand_for(a)
        if self.c.integer(0, 1):
            a, b = b, a
        if op == "div":
            b = self.divisor(b)
        self.binary(op, a, b)

    def divisor(self, b: Value) -> Value:
        """``b`` if it is a constant (never 0), else |b| + c, c > 0."""
        if b.name in self.constants:
            return b
        return self.binary("add", self.unary("abs", b), self.const((), "positive"))

    def op_unary(self) -> None:
        a = self.pick()
        ops = (
            ["reciprocal", "sqrt", "exp", "abs"]
            if self.positive
            else ["neg", "reciprocal", "sqrt", "exp", "log", "abs"]
        )
        op = self.c.choice(ops)
        if op == "reciprocal":
            a = self.divisor(a)
        if op == "exp":
            # exp of moderate values only.
            a = self.emit(f"dnnf.tanh {a.name} : {ttype(a.shape, a.dtype)}", a.shape)
        self.unary(op, a)

    def op_pow(self) -> None:
        a = self.pick()
        e = self.c.choice([0.0, 1.0, 2.0, -1.0, 0.5, 3.0])
        c = self.const((), "random")
        self.lines[-1] = (
            f"  {c.name} = dnnf.constant dense<{e!r}> : {ttype((), self.dtype)}"
        )
        self.binary("pow", a, c)

    def op_reduce(self) -> None:
        a = self.pick(rank_min=1)
        axes = sorted(
            {self.c.integer(0, len(a.shape) - 1) for _ in range(self.c.integer(1, 2))}
        )
        op = self.c.choice(
            ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod"]
        )
        self.reduce(op, a, axes, bool(self.c.integer(0, 1)))

    def op_movement(self) -> None:
        a = self.pick(rank_min=1)
        kind = self.c.choice(["transpose", "reshape", "unsqueeze"])
        if kind == "transpose" and len(a.shape) >= 2:
            perm = list(range(len(a.shape)))
            i, j = self.c.integer(0, len(perm) - 1), self.c.integer(0, len(perm) - 1)
            perm[i], perm[j] = perm[j], perm[i]
            t = self.transpose(a, perm)
            if self.c.integer(0, 1):
                self.transpose(t, perm)
        elif kind == "unsqueeze":
            self.reshape(a, (1, *a.shape))
        else:
            n = int(np.prod(a.shape))
            r = self.reshape(a, (n,))
            if self.c.integer(0, 1):
                self.reshape(r, a.shape)

    def op_matmul(self) -> None:
        a = self.pick(rank_min=2)
        k = a.shape[-1]
        n = self.c.integer(1, 4)
        if self.c.integer(0, 1):
            b = self.const((k, n))
        else:
            b = self.arg((k, n))
        out = (*a.shape[:-1], n)
        y = self.emit(
            f"dnnf.matmul {a.name}, {b.name} : ({ttype(a.shape, a.dtype)}, "
            f"{ttype(b.shape, b.dtype)}) -> {ttype(out, a.dtype)}",
            out,
        )
        if self.c.integer(0, 1):
            s = self.const((), "special") if self.c.integer(0, 1) else self.const((n,))
            self.binary(self.c.choice(["mul", "add", "div"]), y, s)

    def op_barrier(self) -> None:
        a = self.pick()
        self.unary(self.c.choice(["relu", "sigmoid", "tanh"]), a)
        # (relu of a positive value is positive; sigmoid and tanh too.)

    # -- rule-shaped patterns ------------------------------------------------

    def op_pattern(self) -> None:
        names = [
            "factor",
            "factor_self",
            "affine",
            "chain",
            "sqrt_pair",
            "unary_pair",
            "reduce_hoist",
            "reduce_chain",
            "conv_bn",
            "gemm_fold",
            "matmul_scale",
            "neg_forms",
            "recip_forms",
            "shared_divisor",
            "contraction_sum",
            "transposed_contraction",
            "gemm_bn",
            "inverse",
            "input_scale",
        ]
        if self.positive:
            names = [
                n
                for n in names
                if n not in ("factor", "factor_self", "neg_forms", "conv_bn")
            ]
        getattr(self, "pat_" + self.c.choice(names))()

    def pat_factor(self) -> None:
        a = self.pick()
        b, c = self.operand_for(a), self.operand_for(a)
        x, y = self.binary("mul", a, b), self.binary("mul", c, a)
        if broadcast(x.shape, y.shape):
            self.binary(self.c.choice(["add", "sub"]), x, y)

    def pat_factor_self(self) -> None:
        a = self.pick()
        b = self.operand_for(a)
        p = self.binary("mul", a, b)
        if p.shape == a.shape:
            op = self.c.choice(["add", "sub"])
            if self.c.integer(0, 1):
                self.binary(op, a, p)
            else:
                self.binary(op, p, a)

    def pat_affine(self) -> None:
        a = self.pick()
        x = self.binary("mul", a, self.const((), "random"))
        y = self.binary("add", x, self.const(self.sub_shape(a.shape)))
        z = self.binary("mul", y, self.const((), "random"))
        if self.c.integer(0, 1):
            self.binary("add", z, self.const(()))

    def pat_chain(self) -> None:
        a = self.pick()
        op = self.c.choice(["add", "mul"])
        x = a
        for _ in range(self.c.integer(2, 4)):
            x = self.binary(op, x, self.operand_for(x, constant_weight=1))

    def pat_sqrt_pair(self) -> None:
        a = self.pick()
        b = self.unary("exp", self.unary("tanh", a))
        s = self.unary("sqrt", b if self.c.integer(0, 2) else a)
        x = self.binary("mul", self.operand_for(s), s)
        self.binary("mul", x, s)

    def pat_unary_pair(self) -> None:
        a = self.pick()
        b = self.operand_for(a, constant_weight=4)
        op = self.c.choice(
            ["exp", "sqrt", "reciprocal", "abs"]
            if self.positive
            else ["exp", "sqrt", "reciprocal", "abs", "log", "neg"]
        )
        if op in ("reciprocal", "log"):
            a, b = self.divisor(a), self.divisor(b)
        if op in ("exp",):
            a, b = self.unary("tanh", a), self.unary("tanh", b)
        if op in ("log", "sqrt") and self.c.integer(0, 1):
            a, b = self.unary("exp", a), self.unary("abs", b)
        fa, fb = self.unary(op, a), self.unary(op, b)
        root = {"log": ["add", "sub"], "neg": ["add", "sub", "mul", "div"]}.get(
            op, ["mul", "div"]
        )
        kind = self.c.choice(root)
        if kind == "div" and op not in ("exp", "sqrt", "abs"):
            fb = self.divisor(fb)
        self.binary(kind, fa, fb)

    def pat_reduce_hoist(self) -> None:
        a = self.pick(rank_min=2)
        axis = self.c.integer(0, len(a.shape) - 1)
        cshape = tuple(1 if k == axis else d for k, d in enumerate(a.shape))
        c = self.const(cshape, self.c.choice(["positive", "random", "special"]))
        inner = self.c.choice(
            ["mul", "add", "div"] if self.positive else ["mul", "add", "sub", "div"]
        )
        x = self.binary(inner, a, c)
        if self.c.integer(0, 3) == 0:
            fn = self.c.choice(
                ["exp", "abs"] if self.positive else ["neg", "exp", "abs"]
            )
            x = self.unary(fn, self.unary("tanh", a) if fn == "exp" else a)
        op = self.c.choice(
            ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod"]
        )
        self.reduce(op, x, [axis], bool(self.c.integer(0, 1)))

    def pat_reduce_chain(self) -> None:
        a = self.pick(rank_min=2)
        op = self.c.choice(["reduce_sum", "reduce_max", "reduce_mean"])
        keep = bool(self.c.integer(0, 1))
        x = self.reduce(op, a, [len(a.shape) - 1], keep)
        if x.shape:
            self.reduce(op, x, [0], bool(self.c.integer(0, 1)))

    def pat_conv_bn(self) -> None:
        cin, cout = self.c.integer(1, 3), self.c.integer(1, 3)
        h = self.c.integer(2, 4)
        x = self.arg((1, cin, h, h))
        w = self.const((cout, cin, 1, 1))
        bias = self.const((cout,)) if self.c.integer(0, 1) else None
        operands = f"{x.name}, {w.name}" + (f", {bias.name}" if bias else "")
        types = f"{ttype(x.shape, x.dtype)}, {ttype(w.shape, w.dtype)}" + (
            f", {ttype(bias.shape, bias.dtype)}" if bias else ""
        )
        out = (1, cout, h, h)
        y = self.emit(
            f"dnnf.conv {operands} {{dilations = array<i64: 1, 1>, pads = "
            f"array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}} : ({types}) "
            f"-> {ttype(out, x.dtype)}",
            out,
        )
        kind = self.c.choice(["bn", "mul", "add"])
        if kind == "bn":
            p = [self.const((cout,)) for _ in range(3)]
            var = self.const((cout,), "positive")
            ins = ", ".join(v.name for v in (y, *p, var))
            pt = ", ".join([ttype((cout,), self.dtype)] * 4)
            y = self.emit(
                f"dnnf.batch_norm {ins} : ({ttype(out, x.dtype)}, {pt}) -> "
                f"{ttype(out, x.dtype)}",
                out,
            )
        else:
            c = self.const((cout, 1, 1))
            y = self.binary(kind, y, c)
        if self.c.integer(0, 1):
            self.binary(self.c.choice(["mul", "add"]), y, self.const((cout, 1, 1)))

    def pat_gemm_fold(self) -> None:
        m, k, n = self.c.integer(1, 3), self.c.integer(1, 3), self.c.integer(1, 3)
        a = self.arg((m, k))
        trans_b = bool(self.c.integer(0, 1))
        b = self.const((n, k) if trans_b else (k, n))
        attrs = " {transB = true}" if trans_b else ""
        y = self.emit(
            f"dnnf.gemm {a.name}, {b.name}{attrs} : ({ttype(a.shape, a.dtype)}, "
            f"{ttype(b.shape, b.dtype)}) -> {ttype((m, n), a.dtype)}",
            (m, n),
        )
        op = self.c.choice(["mul", "add"] if self.positive else ["mul", "add", "sub"])
        self.binary(op, y, self.const((n,)))

    def pat_matmul_scale(self) -> None:
        m, k, n = self.c.integer(2, 4), self.c.integer(1, 3), self.c.integer(2, 4)
        a = self.arg((2, m, k))
        b = self.arg((2, k, n)) if self.c.integer(0, 1) else self.const((k, n))
        out = (2, m, n)
        y = self.emit(
            f"dnnf.matmul {a.name}, {b.name} : ({ttype(a.shape, a.dtype)}, "
            f"{ttype(b.shape, b.dtype)}) -> {ttype(out, a.dtype)}",
            out,
        )
        if self.c.integer(0, 1):
            y = self.transpose(y, [0, 2, 1])
        self.binary(self.c.choice(["mul", "div"]), y, self.const((), "special"))

    def pat_neg_forms(self) -> None:
        a = self.pick()
        b = self.operand_for(a)
        na = self.unary("neg", a)
        op = self.c.choice(["add", "sub", "mul", "div"])
        x = self.binary(op, na, b) if self.c.integer(0, 1) else self.binary(op, b, na)
        if self.c.integer(0, 1):
            self.unary("neg", x)

    def pat_recip_forms(self) -> None:
        a = self.divisor(self.pick())
        b = self.operand_for(a)
        ra = self.unary("reciprocal", a)
        form = self.c.choice(["mul", "div", "recip", "square"])
        if form == "recip":
            self.unary("reciprocal", ra)
        elif form == "square":
            ab = self.divisor(self.binary("mul", a, b))
            self.binary("mul", ra, self.unary("reciprocal", ab))
        else:
            self.binary(form, b, ra)

    def pat_shared_divisor(self) -> None:
        a = self.pick()
        c = self.divisor(self.operand_for(a))
        b = self.operand_for(a)
        if not broadcast(b.shape, c.shape):
            return
        x, y = self.binary("div", a, c), self.binary("div", b, c)
        if broadcast(x.shape, y.shape):
            self.binary(
                self.c.choice(["add", "sub"] if not self.positive else ["add"]), x, y
            )

    def pat_contraction_sum(self) -> None:
        op = self.c.choice(["add", "sub"] if not self.positive else ["add"])
        if self.c.integer(0, 2) == 0:
            cin, cout, h = (
                self.c.integer(1, 2),
                self.c.integer(1, 3),
                self.c.integer(2, 4),
            )
            x = self.arg((1, cin, h, h))
            outs = []
            for _ in range(2):
                w = self.const((cout, cin, 1, 1))
                outs.append(
                    self.emit(
                        f"dnnf.conv {x.name}, {w.name} {{dilations = array<i64: 1, 1>, "
                        f"pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}} : "
                        f"({ttype(x.shape, x.dtype)}, {ttype(w.shape, w.dtype)}) -> "
                        f"{ttype((1, cout, h, h), x.dtype)}",
                        (1, cout, h, h),
                    )
                )
            self.binary(op, *outs)
            return
        m, k, n = self.c.integer(1, 3), self.c.integer(1, 3), self.c.integer(1, 3)
        a = self.arg((m, k))
        if self.c.integer(0, 1):
            lhs, rhs = [a, a], [self.arg((k, n)), self.const((k, n))]
        else:
            b = self.const((k, n))
            lhs, rhs = [a, self.arg((m, k))], [b, b]
        outs = [
            self.emit(
                f"dnnf.matmul {x.name}, {w.name} : ({ttype(x.shape, x.dtype)}, "
                f"{ttype(w.shape, w.dtype)}) -> {ttype((m, n), x.dtype)}",
                (m, n),
            )
            for x, w in zip(lhs, rhs, strict=True)
        ]
        self.binary(op, *outs)

    def pat_transposed_contraction(self) -> None:
        m, k, n = self.c.integer(1, 3), self.c.integer(1, 3), self.c.integer(1, 3)
        form = self.c.choice(["gemm", "matmul2d", "batched"])
        if form == "batched":
            a, b = self.arg((2, k, m)), self.arg((2, n, k))
            ta, tb = self.transpose(a, [0, 2, 1]), self.transpose(b, [0, 2, 1])
            self.emit(
                f"dnnf.matmul {ta.name}, {tb.name} : ({ttype(ta.shape, ta.dtype)}, "
                f"{ttype(tb.shape, tb.dtype)}) -> {ttype((2, m, n), ta.dtype)}",
                (2, m, n),
            )
            return
        a = self.arg((k, m))
        ta = self.transpose(a, [1, 0])
        b = self.const((k, n))
        op = "gemm" if form == "gemm" else "matmul"
        self.emit(
            f"dnnf.{op} {ta.name}, {b.name} : ({ttype(ta.shape, ta.dtype)}, "
            f"{ttype(b.shape, b.dtype)}) -> {ttype((m, n), ta.dtype)}",
            (m, n),
        )

    def pat_gemm_bn(self) -> None:
        m, k, n = self.c.integer(1, 3), self.c.integer(1, 3), self.c.integer(1, 3)
        a = self.arg((m, k))
        b = self.const((k, n))
        y = self.emit(
            f"dnnf.gemm {a.name}, {b.name} : ({ttype(a.shape, a.dtype)}, "
            f"{ttype(b.shape, b.dtype)}) -> {ttype((m, n), a.dtype)}",
            (m, n),
        )
        p = [self.const((n,)) for _ in range(3)]
        var = self.const((n,), "positive")
        ins = ", ".join(v.name for v in (y, *p, var))
        pt = ", ".join([ttype((n,), self.dtype)] * 4)
        self.emit(
            f"dnnf.batch_norm {ins} : ({ttype((m, n), a.dtype)}, {pt}) -> "
            f"{ttype((m, n), a.dtype)}",
            (m, n),
        )

    def pat_input_scale(self) -> None:
        """x * c feeding a MatMul, Gemm or Conv with constant weights."""
        form = self.c.choice(["matmul", "gemm", "conv"])
        if form == "conv":
            cin, cout, h = (
                self.c.integer(1, 3),
                self.c.integer(1, 2),
                self.c.integer(2, 4),
            )
            x = self.arg((1, cin, h, h))
            c = self.const(self.c.choice([(cin, 1, 1), ()]))
            xs = self.binary("mul", x, c)
            w = self.const((cout, cin, 3, 3))
            self.emit(
                f"dnnf.conv {xs.name}, {w.name} {{dilations = array<i64: 1, 1>, "
                f"pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}} : "
                f"({ttype(xs.shape, xs.dtype)}, {ttype(w.shape, w.dtype)}) -> "
                f"{ttype((1, cout, h, h), xs.dtype)}",
                (1, cout, h, h),
            )
            return
        m, k, n = self.c.integer(1, 3), self.c.integer(1, 3), self.c.integer(1, 3)
        x = self.arg((m, k))
        c = self.const(self.c.choice([(), (k,)]) if form == "matmul" else ())
        xs = self.binary("mul", c, x)
        w = self.const((k, n))
        self.emit(
            f"dnnf.{form} {xs.name}, {w.name} : ({ttype(xs.shape, xs.dtype)}, "
            f"{ttype(w.shape, w.dtype)}) -> {ttype((m, n), xs.dtype)}",
            (m, n),
        )

    def pat_inverse(self) -> None:
        """Fast-math shapes: log(exp(x)), exp(log(x)), x / sqrt(x), x / x,
        sum(log(x))."""
        a = self.unary("tanh", self.pick())
        form = self.c.choice(["log_exp", "exp_log", "div_sqrt", "div_self", "sum_log"])
        if form == "log_exp":
            self.unary("log", self.unary("exp", a))
        elif form == "exp_log":
            self.unary("exp", self.unary("log", a))
        elif form == "div_sqrt":
            self.binary("div", a, self.unary("sqrt", a))
        elif form == "div_self":
            self.binary("div", a, a)
        elif a.shape:
            self.reduce("reduce_sum", self.unary("log", a), [0], True)

    # -- integers -------------------------------------------------------------

    def op_ibinary(self) -> None:
        a = self.pick()
        b = self.operand_for(a)
        self.binary(self.c.choice(["add", "sub", "mul"]), a, b)

    def op_ineg(self) -> None:
        self.unary("neg", self.pick())

    def op_ireduce(self) -> None:
        a = self.pick(rank_min=1)
        axis = self.c.integer(0, len(a.shape) - 1)
        self.reduce("reduce_sum", a, [axis], bool(self.c.integer(0, 1)))

    def op_ishift(self) -> None:
        a = self.pick(rank_min=1)
        axis = self.c.integer(0, len(a.shape) - 1)
        sshape = tuple(1 if k == axis else d for k, d in enumerate(a.shape))
        s = self.const(sshape, "random")
        vals = np.array([self.c.integer(0, 3) for _ in range(int(np.prod(sshape)))])
        self.lines[-1] = (
            f"  {s.name} = dnnf.constant dense<"
            f"{literal(vals.reshape(sshape), 'i32')}> : {ttype(sshape, 'i32')}"
        )
        direction = self.c.choice(["left", "left", "right"])
        x = self.binary("bit_shift", a, s, f' {{direction = "{direction}"}}')
        self.reduce("reduce_sum", x, [axis], bool(self.c.integer(0, 1)))

    # -- the function -------------------------------------------------------

    def build(self, steps: int) -> str:
        base = self.shape_of_rank(self.c.integer(1, 3))
        self.arg(base)
        if self.c.integer(0, 1):
            self.arg(self.sub_shape(base))
        for _ in range(steps):
            self.step()
        produced = [v for v in self.values if v.name.startswith("%v")] or self.args
        outputs = [produced[-1]]
        for _ in range(self.c.integer(0, 2)):
            v = self.c.choice(produced)
            if v not in outputs:
                outputs.append(v)
        args = ", ".join(f"{v.name}: {ttype(v.shape, v.dtype)}" for v in self.args)
        results = ", ".join(ttype(v.shape, v.dtype) for v in outputs)
        names = ", ".join(v.name for v in outputs)
        body = "\n".join(self.lines)
        return (
            f"func.func @{self.name}({args}) -> ({results}) {{\n{body}\n"
            f"  return {names} : {results}\n}}\n"
        )

    def inputs(self, rng: np.random.Generator) -> list[np.ndarray]:
        out = []
        for v in self.args:
            if v.dtype == "i32":
                out.append(rng.integers(-50, 50, size=v.shape).astype(np.int32))
            else:
                dt = np.float64 if v.dtype == "f64" else np.float32
                lo = 0.25 if self.positive else -2.0
                out.append(rng.uniform(lo, 2.0, size=v.shape).astype(dt))
        return out


def random_graph(
    c: Chooser, name: str = "main", positive: bool = False
) -> tuple[GraphGen, str]:
    """A random float32, float64 or int32 graph and its function text
    (float only, with positive values, when ``positive``)."""
    dtype = c.choice(
        ["f32", "f32", "f64"] if positive else ["f32", "f32", "f32", "f64", "i32"]
    )
    gen = GraphGen(c, name=name, dtype=dtype, positive=positive)
    text = gen.build(c.integer(2, 8))
    return gen, text


OVERFLOW = 1e30


def compare(
    before: np.ndarray, after: np.ndarray, finite_only: bool = False
) -> str | None:
    """Why ``after`` does not match ``before`` (None when it does).

    Floats match within reassociation error: |after - before| <= rtol *
    |before| + atol * max(1, max |before|).  NaNs must match NaNs; values
    beyond 1e30 count as overflowed (infinite), so that a product that
    overflows at a different step still matches.  With ``finite_only``
    (fast-math) only the elements where ``before`` is finite are compared.
    """
    if before.shape != after.shape or before.dtype != after.dtype:
        return f"type {before.dtype}{before.shape} != {after.dtype}{after.shape}"
    if before.dtype.kind in "iub":
        bad = np.flatnonzero(before != after)
        return None if bad.size == 0 else f"integers differ at {bad[:5]}"
    b = before.astype(np.float64)
    a = after.astype(np.float64)
    with np.errstate(all="ignore"):
        b = np.where(np.abs(b) > OVERFLOW, np.copysign(np.inf, b), b)
        a = np.where(np.abs(a) > OVERFLOW, np.copysign(np.inf, a), a)
    rtol, atol = (1e-7, 1e-9) if before.dtype == np.float64 else (2e-3, 2e-4)
    mask = np.isfinite(b) if finite_only else np.ones(b.shape, bool)
    finite = np.isfinite(b) & mask
    scale = max(1.0, float(np.max(np.abs(b[finite]))) if finite.any() else 1.0)
    same_special = (np.isnan(a) & np.isnan(b)) | (np.isinf(a) & (a == b))
    with np.errstate(all="ignore"):
        close = np.abs(a - b) <= rtol * np.abs(b) + atol * scale
    ok = same_special | close | ~mask
    if ok.all():
        return None
    bad = np.flatnonzero(~ok)[:5]
    return (
        f"values differ at {bad.tolist()}: before {b.reshape(-1)[bad].tolist()}, "
        f"after {a.reshape(-1)[bad].tolist()}"
    )
