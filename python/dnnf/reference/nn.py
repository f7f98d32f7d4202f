"""Reductions, normalisations, contractions, convolutions and pooling."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np

from ._mlir import InterpreterError, is_float_dtype
from .registry import OpContext, kernel


def _accumulator(dtype: np.dtype) -> np.dtype:
    """Dtype to accumulate products in: float32 for half types."""
    if dtype in (np.float16,) or dtype.name == "bfloat16":
        return np.dtype(np.float32)
    return dtype


def _axis(axis: int, rank: int, what: str = "axis") -> int:
    if not -rank <= axis < max(rank, 1):
        raise InterpreterError(f"{what} {axis} is out of range for rank {rank}")
    return axis + rank if axis < 0 else axis


def _axes(ctx: OpContext, rank: int) -> tuple[int, ...]:
    axes = ctx.attr("axes", [])
    if not axes:
        return tuple(range(rank))
    return tuple(sorted({_axis(a, rank, "axes entry") for a in axes}))


# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------


def _reduce_max_min(
    x: np.ndarray, axes: tuple[int, ...], keep: bool, is_max: bool
) -> np.ndarray:
    fn = np.max if is_max else np.min
    if all(x.shape[a] > 0 for a in axes):
        return fn(x, axis=axes, keepdims=keep)
    # Empty reduction: the identity (-inf / +inf, or the integer limits).
    if is_float_dtype(x.dtype):
        initial = -np.inf if is_max else np.inf
    elif x.dtype == np.bool_:
        initial = not is_max
    else:
        info = np.iinfo(x.dtype)
        initial = info.min if is_max else info.max
    return fn(x, axis=axes, keepdims=keep, initial=initial)


def _log_sum_exp(x: np.ndarray, axes: tuple[int, ...], keep: bool) -> np.ndarray:
    if any(x.shape[a] == 0 for a in axes):
        return np.log(np.sum(np.exp(x), axis=axes, keepdims=keep))
    m = np.max(x, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, np.zeros((), x.dtype))
    s = np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True)) + m
    return s if keep else np.squeeze(s, axis=axes)


def _reduce_mean(x: np.ndarray, axes: tuple[int, ...], keep: bool) -> np.ndarray:
    if is_float_dtype(x.dtype):
        return np.mean(x, axis=axes, keepdims=keep, dtype=_accumulator(x.dtype))
    n = int(np.prod([x.shape[a] for a in axes], dtype=np.int64))
    s = np.sum(x, axis=axes, keepdims=keep, dtype=x.dtype)
    # Integer mean: the sum divided by the count, truncating toward zero.
    return (np.sign(s) * (np.abs(s) // n)).astype(x.dtype) if n else s


_REDUCE = {
    "dnnf.reduce_sum": lambda x, a, k: np.sum(x, axis=a, keepdims=k, dtype=x.dtype),
    "dnnf.reduce_mean": _reduce_mean,
    "dnnf.reduce_max": lambda x, a, k: _reduce_max_min(x, a, k, True),
    "dnnf.reduce_min": lambda x, a, k: _reduce_max_min(x, a, k, False),
    "dnnf.reduce_prod": lambda x, a, k: np.prod(x, axis=a, keepdims=k, dtype=x.dtype),
    "dnnf.reduce_l1": lambda x, a, k: np.sum(
        np.abs(x), axis=a, keepdims=k, dtype=x.dtype
    ),
    "dnnf.reduce_l2": lambda x, a, k: np.sqrt(
        np.sum(x * x, axis=a, keepdims=k, dtype=x.dtype)
    ),
    "dnnf.reduce_sum_square": lambda x, a, k: np.sum(
        x * x, axis=a, keepdims=k, dtype=x.dtype
    ),
    "dnnf.reduce_log_sum": lambda x, a, k: np.log(
        np.sum(x, axis=a, keepdims=k, dtype=x.dtype)
    ),
    "dnnf.reduce_log_sum_exp": _log_sum_exp,
}


@kernel(*_REDUCE)
def reduce(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    axes = _axes(ctx, x.ndim)
    keep = ctx.attr("keepdims", True)
    return [np.asarray(_REDUCE[ctx.name](x, axes, keep))]


@kernel("dnnf.arg_max", "dnnf.arg_min")
def arg_reduce(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    axis = _axis(ctx.attr("axis", 0), x.ndim)
    fn = np.argmax if ctx.name == "dnnf.arg_max" else np.argmin
    if ctx.attr("select_last_index", False):
        flipped = np.flip(x, axis=axis)
        index = x.shape[axis] - 1 - fn(flipped, axis=axis, keepdims=True)
    else:
        index = fn(x, axis=axis, keepdims=True)
    if not ctx.attr("keepdims", True):
        index = np.squeeze(index, axis=axis)
    return [index.astype(np.int64)]


# ---------------------------------------------------------------------------
# Softmax, cumsum
# ---------------------------------------------------------------------------


@kernel("dnnf.softmax", "dnnf.log_softmax")
def softmax(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    axis = _axis(ctx.attr("axis", -1), x.ndim)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    s = np.sum(e, axis=axis, keepdims=True)
    if ctx.name == "dnnf.softmax":
        return [e / s]
    return [shifted - np.log(s)]


@kernel("dnnf.cumsum")
def cumsum(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    axis = _axis(ctx.attr("axis"), x.ndim)
    reverse = ctx.attr("reverse", False)
    if reverse:
        x = np.flip(x, axis=axis)
    if ctx.attr("exclusive", False):
        # Shift by one: y[0] = 0, y[i] = x[0] + ... + x[i - 1].
        head = np.zeros_like(np.take(x, [0], axis=axis))
        body = np.take(x, range(x.shape[axis] - 1), axis=axis)
        x = np.concatenate([head, body], axis=axis)
    y = np.cumsum(x, axis=axis, dtype=x.dtype)
    return [np.flip(y, axis=axis) if reverse else y]


# ---------------------------------------------------------------------------
# Normalisations
# ---------------------------------------------------------------------------


def _per_channel(p: np.ndarray, rank: int) -> np.ndarray:
    """A [C] parameter shaped to broadcast along dimension 1."""
    return p.reshape([1, -1] + [1] * max(rank - 2, 0))


@kernel("dnnf.batch_norm")
def batch_norm(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x, scale, bias, mean, var = args
    eps = ctx.attr("epsilon", 1e-5)
    r = x.ndim
    y = _per_channel(scale, r) * (x - _per_channel(mean, r)) / np.sqrt(
        _per_channel(var, r) + eps
    ) + _per_channel(bias, r)
    return [y]


@kernel("dnnf.instance_norm")
def instance_norm(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x, scale, bias = args
    eps = ctx.attr("epsilon", 1e-5)
    axes = tuple(range(2, x.ndim))
    mean = np.mean(x, axis=axes, keepdims=True)
    var = np.mean(np.square(x - mean), axis=axes, keepdims=True)
    r = x.ndim
    return [
        _per_channel(scale, r) * (x - mean) / np.sqrt(var + eps) + _per_channel(bias, r)
    ]


@kernel("dnnf.layer_norm")
def layer_norm(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x, scale = args[0], args[1]
    bias = args[2] if len(args) > 2 else None
    eps = ctx.attr("epsilon", 1e-5)
    axis = _axis(ctx.attr("axis", -1), x.ndim)
    # ONNX computes in stash_type (float32) for half-precision inputs.
    work = x.astype(_accumulator(x.dtype))
    axes = tuple(range(axis, x.ndim))
    mean = np.mean(work, axis=axes, keepdims=True)
    d = work - mean
    var = np.mean(d * d, axis=axes, keepdims=True)
    normalized = (d / np.sqrt(var + eps)).astype(x.dtype)
    y = normalized * scale
    if bias is not None:
        y = y + bias
    return [y]


@kernel("dnnf.lrn")
def lrn(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    size = ctx.attr("size")
    alpha, beta, bias = (
        ctx.attr("alpha", 1e-4),
        ctx.attr("beta", 0.75),
        ctx.attr("bias", 1.0),
    )
    channels = x.shape[1]
    # Window over channels [c - floor((size-1)/2), c + ceil((size-1)/2)].
    before, after = (size - 1) // 2, size - 1 - (size - 1) // 2
    sq = np.square(x)
    square_sum = np.zeros_like(x)
    for c in range(channels):
        lo, hi = max(0, c - before), min(channels, c + after + 1)
        square_sum[:, c] = np.sum(sq[:, lo:hi], axis=1)
    return [x / (bias + alpha / size * square_sum) ** beta]


# ---------------------------------------------------------------------------
# Contractions
# ---------------------------------------------------------------------------


@kernel("dnnf.matmul")
def matmul(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    a, b = args
    acc = _accumulator(a.dtype)
    return [np.matmul(a.astype(acc), b.astype(acc)).astype(a.dtype)]


@kernel("dnnf.gemm")
def gemm(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    a, b = args[0], args[1]
    c = args[2] if len(args) > 2 else None
    if ctx.attr("transA", False):
        a = a.T
    if ctx.attr("transB", False):
        b = b.T
    dtype = a.dtype
    acc = _accumulator(dtype)
    alpha, beta = ctx.attr("alpha", 1.0), ctx.attr("beta", 1.0)
    if is_float_dtype(dtype):
        y = alpha * np.matmul(a.astype(acc), b.astype(acc))
        if c is not None:
            y = y + beta * c.astype(acc)
        return [y.astype(dtype)]
    # Integer Gemm: integer products, the float factors applied exactly when
    # they are integral.
    y = np.matmul(a, b)
    if alpha != 1.0:
        y = (alpha * y.astype(np.float64)).astype(dtype)
    if c is not None:
        y = y + (c if beta == 1.0 else (beta * c.astype(np.float64)).astype(dtype))
    return [y.astype(dtype)]


@kernel("dnnf.einsum")
def einsum(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    equation = ctx.attr("equation").replace(" ", "")
    dtype = args[0].dtype
    acc = _accumulator(dtype)
    return [np.einsum(equation, *[a.astype(acc) for a in args]).astype(dtype)]


# ---------------------------------------------------------------------------
# Sliding windows (conv, pools)
# ---------------------------------------------------------------------------


def _window_offsets(kernel_shape: list[int]) -> Iterator[tuple[int, ...]]:
    return itertools.product(*[range(k) for k in kernel_shape])


def _window_slice(
    offset: tuple[int, ...], dilations: list[int], strides: list[int], out: list[int]
) -> tuple[slice, ...]:
    """The strided view of a padded input seen by kernel position ``offset``
    for every output position: start k*d, step s, out entries."""
    return (slice(None), slice(None)) + tuple(
        slice(k * d, k * d + s * (o - 1) + 1, s)
        for k, d, s, o in zip(offset, dilations, strides, out, strict=True)
    )


def _pooled_size(
    size: int, k: int, s: int, d: int, pb: int, pe: int, ceil_mode: bool
) -> int:
    span = size + pb + pe - d * (k - 1) - 1
    if not ceil_mode:
        return span // s + 1
    out = -(-span // s) + 1
    # The last window must start inside the input or the left padding.
    if (out - 1) * s >= size + pb:
        out -= 1
    return out


def _pad_spatial(
    x: np.ndarray, begins: list[int], ends: list[int], value: float
) -> np.ndarray:
    width = [(0, 0), (0, 0)] + [(b, e) for b, e in zip(begins, ends, strict=True)]
    return np.pad(x, width, mode="constant", constant_values=value)


@kernel("dnnf.conv")
def conv(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x, w = args[0], args[1]
    bias = args[2] if len(args) > 2 else None
    n_sp = x.ndim - 2
    strides = ctx.attr("strides")
    pads = ctx.attr("pads")
    dilations = ctx.attr("dilations")
    group = ctx.attr("group", 1)
    begins, ends = pads[:n_sp], pads[n_sp:]
    kernel_shape = list(w.shape[2:])
    out = [
        _pooled_size(
            x.shape[2 + i],
            kernel_shape[i],
            strides[i],
            dilations[i],
            begins[i],
            ends[i],
            False,
        )
        for i in range(n_sp)
    ]
    batch, channels = x.shape[:2]
    m, cg = w.shape[:2]
    if channels != cg * group or m % group:
        raise InterpreterError(
            f"dnnf.conv: input channels {channels}, weight {list(w.shape)} and "
            f"group {group} do not fit"
        )
    acc = _accumulator(x.dtype)
    xp = _pad_spatial(x.astype(acc), begins, ends, 0)
    xp = xp.reshape(batch, group, cg, *xp.shape[2:])
    wg = w.astype(acc).reshape(group, m // group, cg, *kernel_shape)
    y = np.zeros((batch, group, m // group, *out), dtype=acc)
    for offset in _window_offsets(kernel_shape):
        view = xp[(slice(None),) + _window_slice(offset, dilations, strides, out)]
        wk = wg[(slice(None), slice(None), slice(None)) + offset]
        # y[n, g, m, ...] += sum_c view[n, g, c, ...] * wk[g, m, c]
        y += np.einsum("ngc...,gmc->ngm...", view, wk)
    y = y.reshape(batch, m, *out)
    if bias is not None:
        y = y + _per_channel(bias.astype(acc), y.ndim)
    return [y.astype(x.dtype)]


@kernel("dnnf.conv_transpose")
def conv_transpose(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x, w = args[0], args[1]
    bias = args[2] if len(args) > 2 else None
    n_sp = x.ndim - 2
    strides = ctx.attr("strides")
    pads = ctx.attr("pads")
    dilations = ctx.attr("dilations")
    output_padding = ctx.attr("output_padding")
    group = ctx.attr("group", 1)
    batch, channels = x.shape[:2]
    if w.shape[0] != channels or channels % group:
        raise InterpreterError(
            f"dnnf.conv_transpose: input channels {channels}, weight "
            f"{list(w.shape)} and group {group} do not fit"
        )
    cg, mg = channels // group, w.shape[1]
    kernel_shape = list(w.shape[2:])
    # Every input position i scatters to i * stride + k * dilation; the full
    # result is then cropped by the pads (output_padding adds zeros at the end).
    full = [
        strides[i] * (x.shape[2 + i] - 1)
        + dilations[i] * (kernel_shape[i] - 1)
        + 1
        + output_padding[i]
        for i in range(n_sp)
    ]
    acc = _accumulator(x.dtype)
    xg = x.astype(acc).reshape(batch, group, cg, *x.shape[2:])
    wg = w.astype(acc).reshape(group, cg, mg, *kernel_shape)
    y = np.zeros((batch, group, mg, *full), dtype=acc)
    spatial_in = list(x.shape[2:])
    for offset in _window_offsets(kernel_shape):
        target = (slice(None),) + _window_slice(offset, dilations, strides, spatial_in)
        wk = wg[(slice(None), slice(None), slice(None)) + offset]
        y[target] += np.einsum("ngc...,gcm->ngm...", xg, wk)
    y = y.reshape(batch, group * mg, *full)
    crop = tuple(slice(pads[i], full[i] - pads[n_sp + i]) for i in range(n_sp))
    if any(full[i] - pads[i] - pads[n_sp + i] < 0 for i in range(n_sp)):
        raise InterpreterError(f"dnnf.conv_transpose: pads {pads} exceed the output")
    y = y[(slice(None), slice(None)) + crop]
    if bias is not None:
        y = y + _per_channel(bias.astype(acc), y.ndim)
    return [y.astype(x.dtype)]


def _pool_geometry(ctx: OpContext, x: np.ndarray, dilations: list[int]) -> tuple:
    n_sp = x.ndim - 2
    kernel_shape = ctx.attr("kernel_shape")
    strides = ctx.attr("strides")
    pads = ctx.attr("pads")
    ceil_mode = ctx.attr("ceil_mode", False)
    begins, ends = pads[:n_sp], pads[n_sp:]
    out = [
        _pooled_size(
            x.shape[2 + i],
            kernel_shape[i],
            strides[i],
            dilations[i],
            begins[i],
            ends[i],
            ceil_mode,
        )
        for i in range(n_sp)
    ]
    # Extra padding at the end for ceil-mode windows that run past the pads.
    extra = [
        max(
            0,
            (out[i] - 1) * strides[i]
            + dilations[i] * (kernel_shape[i] - 1)
            + 1
            - (x.shape[2 + i] + begins[i] + ends[i]),
        )
        for i in range(n_sp)
    ]
    return kernel_shape, strides, begins, ends, extra, out


@kernel("dnnf.max_pool")
def max_pool(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    dilations = ctx.attr("dilations")
    kernel_shape, strides, begins, ends, extra, out = _pool_geometry(ctx, x, dilations)
    lowest = -np.inf if is_float_dtype(x.dtype) else np.iinfo(x.dtype).min
    xp = _pad_spatial(
        x, begins, [e + x_ for e, x_ in zip(ends, extra, strict=True)], lowest
    )
    y = np.full((*x.shape[:2], *out), lowest, dtype=x.dtype)
    for offset in _window_offsets(kernel_shape):
        view = xp[_window_slice(offset, dilations, strides, out)]
        y = np.fmax(y, view) if is_float_dtype(x.dtype) else np.maximum(y, view)
    return [y]


@kernel("dnnf.average_pool")
def average_pool(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    n_sp = x.ndim - 2
    dilations = [1] * n_sp
    kernel_shape, strides, begins, ends, extra, out = _pool_geometry(ctx, x, dilations)
    acc = _accumulator(x.dtype)
    tail = [e + x_ for e, x_ in zip(ends, extra, strict=True)]
    xp = _pad_spatial(x.astype(acc), begins, tail, 0)
    # Which positions count in the divisor: the input only, or the input and
    # its explicit pads (never the ceil-mode overhang).
    counted = np.ones((1, 1, *x.shape[2:]), dtype=acc)
    if ctx.attr("count_include_pad", False):
        counted = _pad_spatial(counted, begins, ends, 1)
        counted = _pad_spatial(counted, [0] * n_sp, extra, 0)
    else:
        counted = _pad_spatial(counted, begins, tail, 0)
    total = np.zeros((*x.shape[:2], *out), dtype=acc)
    count = np.zeros((1, 1, *out), dtype=acc)
    for offset in _window_offsets(kernel_shape):
        window = _window_slice(offset, dilations, strides, out)
        total += xp[window]
        count += counted[window]
    return [(total / count).astype(x.dtype)]


@kernel("dnnf.global_average_pool", "dnnf.global_max_pool")
def global_pool(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    axes = tuple(range(2, x.ndim))
    if ctx.name == "dnnf.global_max_pool":
        return [np.max(x, axis=axes, keepdims=True)]
    return [
        np.mean(x, axis=axes, keepdims=True, dtype=_accumulator(x.dtype)).astype(
            x.dtype
        )
    ]
