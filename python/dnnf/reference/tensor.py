"""Data movement kernels: reshapes, permutations, gather, resize, pad, slice."""

from __future__ import annotations

import numpy as np

from ._mlir import InterpreterError, is_float_dtype
from .registry import OpContext, kernel


def _axis(axis: int, rank: int, what: str = "axis") -> int:
    if not -rank <= axis < max(rank, 1):
        raise InterpreterError(f"{what} {axis} is out of range for rank {rank}")
    return axis + rank if axis < 0 else axis


@kernel("dnnf.reshape")
def reshape(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    # The target shape is the result type (ONNX Reshape with a folded shape).
    return [args[0].reshape(ctx.static_result_shape())]


@kernel("dnnf.flatten")
def flatten(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    axis = ctx.attr("axis", 1)
    axis = axis + x.ndim if axis < 0 else axis
    if not 0 <= axis <= x.ndim:
        raise InterpreterError(f"dnnf.flatten: axis {axis} out of range")
    outer = int(np.prod(x.shape[:axis], dtype=np.int64))
    inner = int(np.prod(x.shape[axis:], dtype=np.int64))
    return [x.reshape(outer, inner)]


@kernel("dnnf.squeeze")
def squeeze(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    axes = tuple(_axis(a, x.ndim) for a in ctx.attr("axes"))
    for a in axes:
        if x.shape[a] != 1:
            raise InterpreterError(f"dnnf.squeeze: dimension {a} of {x.shape} is not 1")
    return [np.squeeze(x, axis=axes)]


@kernel("dnnf.unsqueeze")
def unsqueeze(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    axes = ctx.attr("axes")
    rank = x.ndim + len(axes)
    positions = sorted(_axis(a, rank) for a in axes)
    if len(set(positions)) != len(positions):
        raise InterpreterError(f"dnnf.unsqueeze: repeated axes {axes}")
    shape = list(x.shape)
    for p in positions:
        shape.insert(p, 1)
    return [x.reshape(shape)]


@kernel("dnnf.transpose")
def transpose(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    return [np.transpose(args[0], ctx.attr("perm"))]


@kernel("dnnf.depth_to_space")
def depth_to_space(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    b = ctx.attr("blocksize")
    n, c, h, w = x.shape
    if ctx.attr("mode", "DCR") == "DCR":
        t = x.reshape(n, b, b, c // (b * b), h, w).transpose(0, 3, 4, 1, 5, 2)
    else:  # CRD
        t = x.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return [t.reshape(n, c // (b * b), h * b, w * b)]


@kernel("dnnf.space_to_depth")
def space_to_depth(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    b = ctx.attr("blocksize")
    n, c, h, w = x.shape
    t = x.reshape(n, c, h // b, b, w // b, b).transpose(0, 3, 5, 1, 2, 4)
    return [t.reshape(n, c * b * b, h // b, w // b)]


@kernel("dnnf.expand")
def expand(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    return [np.broadcast_to(args[0], ctx.static_result_shape()).copy()]


@kernel("dnnf.tile")
def tile(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    return [np.tile(args[0], ctx.attr("repeats"))]


@kernel("dnnf.gather")
def gather(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x, indices = args
    axis = _axis(ctx.attr("axis", 0), x.ndim)
    size = x.shape[axis]
    idx = indices.astype(np.int64)
    if np.any((idx < -size) | (idx >= size)):
        raise InterpreterError(f"dnnf.gather: indices out of range [-{size}, {size})")
    idx = np.where(idx < 0, idx + size, idx)
    return [np.take(x, idx, axis=axis)]


@kernel("dnnf.concat")
def concat(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    axis = _axis(ctx.attr("axis"), args[0].ndim)
    return [np.concatenate(args, axis=axis)]


def _slice_bounds(start: int, end: int, step: int, dim: int) -> slice:
    """ONNX Slice clamping of one axis, as a Python slice."""
    if step == 0:
        raise InterpreterError("dnnf.slice: step 0")
    if start < 0:
        start += dim
    if end < 0:
        end += dim
    if step > 0:
        start = min(max(start, 0), dim)
        end = min(max(end, 0), dim)
        return slice(start, end, step)
    start = min(max(start, 0), dim - 1)
    end = min(max(end, -1), dim - 1)
    # end == -1 means "through index 0", which a Python slice spells None.
    return slice(start, None if end < 0 else end, step)


@kernel("dnnf.slice")
def slice_(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    starts, ends = ctx.attr("starts"), ctx.attr("ends")
    axes, steps = ctx.attr("axes"), ctx.attr("steps")
    if not len(starts) == len(ends) == len(axes) == len(steps):
        raise InterpreterError("dnnf.slice: starts, ends, axes, steps lengths differ")
    index: list[slice] = [slice(None)] * x.ndim
    for start, end, axis, step in zip(starts, ends, axes, steps, strict=True):
        a = _axis(axis, x.ndim)
        index[a] = _slice_bounds(start, end, step, x.shape[a])
    return [x[tuple(index)]]


@kernel("dnnf.split")
def split(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    axis = _axis(ctx.attr("axis"), x.ndim)
    sizes = ctx.attr("sizes")
    if sum(sizes) != x.shape[axis] or any(s < 0 for s in sizes):
        raise InterpreterError(
            f"dnnf.split: sizes {sizes} do not sum to {x.shape[axis]}"
        )
    bounds = np.cumsum([0, *sizes])
    return [
        np.take(x, range(bounds[i], bounds[i + 1]), axis=axis)
        for i in range(len(sizes))
    ]


@kernel("dnnf.pad")
def pad(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    pads = ctx.attr("pads")
    mode = ctx.attr("mode", "constant")
    rank = x.ndim
    if len(pads) != 2 * rank:
        raise InterpreterError(f"dnnf.pad: pads {pads} must have {2 * rank} entries")
    begins, ends = pads[:rank], pads[rank:]
    # Negative pads crop.
    crop = tuple(
        slice(max(-b, 0), x.shape[i] - max(-e, 0))
        for i, (b, e) in enumerate(zip(begins, ends, strict=True))
    )
    x = x[crop]
    width = [(max(b, 0), max(e, 0)) for b, e in zip(begins, ends, strict=True)]
    if mode == "constant":
        value = np.asarray(ctx.attr("value", 0.0)).astype(x.dtype)
        return [np.pad(x, width, mode="constant", constant_values=value)]
    if mode in ("reflect", "edge", "wrap"):
        return [np.pad(x, width, mode=mode)]
    raise InterpreterError(f"dnnf.pad: unknown mode '{mode}'")


# ---------------------------------------------------------------------------
# Resize
# ---------------------------------------------------------------------------


def _source_coordinates(
    ctm: str, out_len: int, in_len: int, scale: float
) -> tuple[np.ndarray, np.ndarray | None]:
    """Input coordinate of every output index along one axis (float64), and
    for tf_crop_and_resize the positions that fall outside the input."""
    y = np.arange(out_len, dtype=np.float64)
    # As the ONNX reference: the "resized length" is scale * in_len, which
    # differs from out_len when the scale does not divide evenly.
    out_width = scale * in_len
    if ctm == "half_pixel":
        return (y + 0.5) / scale - 0.5, None
    if ctm == "pytorch_half_pixel":
        if out_len > 1:
            return (y + 0.5) / scale - 0.5, None
        return np.zeros_like(y), None
    if ctm == "align_corners":
        if out_width == 1:
            return np.zeros_like(y), None
        return y * (in_len - 1) / (out_width - 1), None
    if ctm == "asymmetric":
        return y / scale, None
    if ctm == "tf_half_pixel_for_nn":  # opset 11 only
        return (y + 0.5) / scale, None
    if ctm == "half_pixel_symmetric":
        adjustment = out_len / out_width
        offset = in_len / 2 * (1 - adjustment)
        return offset + (y + 0.5) / scale - 0.5, None
    if ctm == "tf_crop_and_resize":
        # dnnf.resize has no roi: the whole input (roi = [0, 1]).
        if out_width == 1:
            x = np.full_like(y, (in_len - 1) / 2)
        else:
            x = y * (in_len - 1) / (out_width - 1)
        return x, (x < 0) | (x > in_len - 1)
    raise InterpreterError(
        f"dnnf.resize: unknown coordinate_transformation_mode '{ctm}'"
    )


def _nearest_index(x: np.ndarray, mode: str) -> np.ndarray:
    floor = np.floor(x)
    frac = x - floor
    if mode == "round_prefer_floor":
        return np.where(frac <= 0.5, floor, floor + 1)
    if mode == "round_prefer_ceil":
        return np.where(frac < 0.5, floor, floor + 1)
    if mode == "floor":
        return floor
    if mode == "ceil":
        return np.ceil(x)
    raise InterpreterError(f"dnnf.resize: unknown nearest_mode '{mode}'")


def _cubic_weights(r: np.ndarray, a: float) -> np.ndarray:
    """Keys cubic convolution weights of the taps floor-1 .. floor+2."""

    def near(t: np.ndarray) -> np.ndarray:  # |t| <= 1
        return ((a + 2) * t - (a + 3)) * t * t + 1

    def far(t: np.ndarray) -> np.ndarray:  # 1 < |t| < 2
        return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a

    return np.stack([far(r + 1), near(r), near(1 - r), far(2 - r)], axis=-1)


def _taps(
    mode: str, x: np.ndarray, nearest_mode: str, cubic_a: float
) -> tuple[np.ndarray, np.ndarray | None]:
    """(input indices [out, taps], weights [out, taps] or None for nearest)."""
    if mode == "nearest":
        return _nearest_index(x, nearest_mode).astype(np.int64)[:, None], None
    floor = np.floor(x)
    r = x - floor
    base = floor.astype(np.int64)
    if mode == "linear":
        return base[:, None] + np.arange(2), np.stack([1 - r, r], axis=-1)
    if mode == "cubic":
        return base[:, None] + np.arange(-1, 3), _cubic_weights(r, cubic_a)
    raise InterpreterError(f"dnnf.resize: unknown mode '{mode}'")


@kernel("dnnf.resize")
def resize(ctx: OpContext, args: list[np.ndarray]) -> list[np.ndarray]:
    x = args[0]
    out_shape = ctx.static_result_shape()
    mode = ctx.attr("mode", "nearest")
    ctm = ctx.attr("coordinate_transformation_mode", "half_pixel")
    nearest_mode = ctx.attr("nearest_mode", "round_prefer_floor")
    cubic_a = ctx.attr("cubic_coeff_a", -0.75)
    scales = ctx.attr("scales")
    if len(out_shape) != x.ndim or (scales is not None and len(scales) != x.ndim):
        raise InterpreterError("dnnf.resize: rank mismatch")
    # Separable: interpolate one axis at a time (edge-clamped taps), in
    # float64 as the ONNX reference, rounding once at the end.
    y = x if mode == "nearest" else x.astype(np.float64)
    for axis in range(x.ndim):
        in_len, out_len = x.shape[axis], out_shape[axis]
        scale = scales[axis] if scales is not None else out_len / max(in_len, 1)
        if in_len == out_len and scale == 1.0:
            continue
        if in_len == 0 or out_len == 0:
            shape = list(y.shape)
            shape[axis] = out_len
            y = np.zeros(shape, dtype=y.dtype)
            continue
        coords, outside = _source_coordinates(ctm, out_len, in_len, scale)
        index, weights = _taps(mode, coords, nearest_mode, cubic_a)
        index = np.clip(index, 0, in_len - 1)
        gathered = np.take(y, index, axis=axis)  # [..., out, taps, ...]
        if weights is None:
            y = np.squeeze(gathered, axis=axis + 1)
        else:
            w = weights.reshape(
                (1,) * axis + weights.shape + (1,) * (y.ndim - axis - 1)
            )
            y = np.sum(gathered * w, axis=axis + 1)
        if outside is not None and outside.any():
            mask = outside.reshape(
                (1,) * axis + (out_len,) + (1,) * (y.ndim - axis - 1)
            )
            y = np.where(mask, np.zeros((), y.dtype), y)
    if y.dtype == x.dtype:
        return [y]
    if is_float_dtype(x.dtype):
        return [y.astype(x.dtype)]
    info = np.iinfo(x.dtype)
    return [np.clip(np.round(y), info.min, info.max).astype(x.dtype)]
