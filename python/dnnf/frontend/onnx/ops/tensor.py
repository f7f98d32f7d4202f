"""Data movement: reshapes, permutations, gathers, resizes, pads, slices."""

from __future__ import annotations

import numpy as np
from mlir import ir

from dnnf.dialects import dnnf as d

from .. import types as T
from ..context import Node
from ..errors import NodeError
from . import converter
from .nn import _arr, _i64


def _ints(array: np.ndarray) -> list[int]:
    return [int(v) for v in np.asarray(array).reshape(-1)]


@converter("Reshape")
def reshape(node: Node) -> list:
    x = node.input(0)
    xs = T.shape_of(x)
    target = _ints(node.const(1, "shape"))
    allowzero = node.int_attr("allowzero", 0)
    out = []
    for i, t in enumerate(target):
        if t == 0 and not allowzero:
            if i >= len(xs):
                raise NodeError(f"shape {target}: 0 at position {i} has no input dim")
            out.append(xs[i])
        else:
            out.append(t)
    if out.count(-1) > 1:
        raise NodeError(f"shape {target} has more than one -1")
    if -1 in out:
        known = int(np.prod([v for v in out if v != -1], dtype=np.int64))
        total = int(np.prod(xs, dtype=np.int64))
        if known == 0 or total % known:
            raise NodeError(f"cannot reshape {xs} to {target}")
        out[out.index(-1)] = total // known
    if any(v < 0 for v in out):
        raise NodeError(f"shape {target} has a negative dimension")
    return [d.ReshapeOp(T.tensor_type(out, T.elem_of(x)), x).result]


@converter("Flatten")
def flatten(node: Node) -> list:
    return [d.FlattenOp(node.input(0), axis=_i64(node.int_attr("axis", 1))).result]


def _axes(node: Node, index: int) -> list[int] | None:
    if node.opset >= 13:
        a = node.optional_const(index, "axes")
        return None if a is None else _ints(a)
    return node.ints_attr("axes", None)


@converter("Squeeze")
def squeeze(node: Node) -> list:
    x = node.input(0)
    axes = _axes(node, 1)
    if axes is None:
        axes = [i for i, s in enumerate(T.shape_of(x)) if s == 1]
    return [d.SqueezeOp(x, _arr(axes)).result]


@converter("Unsqueeze")
def unsqueeze(node: Node) -> list:
    axes = _axes(node, 1)
    if not axes:
        raise NodeError("axes are required")
    return [d.UnsqueezeOp(node.input(0), _arr(axes)).result]


@converter("Transpose")
def transpose(node: Node) -> list:
    x = node.input(0)
    rank = len(T.shape_of(x))
    perm = node.ints_attr("perm", list(reversed(range(rank))))
    return [d.TransposeOp(x, _arr(perm)).result]


@converter("DepthToSpace")
def depth_to_space(node: Node) -> list:
    mode = node.str_attr("mode", "DCR", choices=("DCR", "CRD"))
    op = d.DepthToSpaceOp(
        node.input(0), _i64(node.int_attr("blocksize")), mode=ir.StringAttr.get(mode)
    )
    return [op.result]


@converter("SpaceToDepth")
def space_to_depth(node: Node) -> list:
    return [d.SpaceToDepthOp(node.input(0), _i64(node.int_attr("blocksize"))).result]


@converter("Expand")
def expand(node: Node) -> list:
    x = node.input(0)
    shape = _ints(node.const(1, "shape"))
    try:
        out = list(np.broadcast_shapes(tuple(T.shape_of(x)), tuple(shape)))
    except ValueError:
        raise NodeError(f"cannot expand {T.shape_of(x)} to {shape}") from None
    return [d.ExpandOp(T.tensor_type(out, T.elem_of(x)), x).result]


@converter("Tile")
def tile(node: Node) -> list:
    return [d.TileOp(node.input(0), _arr(_ints(node.const(1, "repeats")))).result]


@converter("Gather")
def gather(node: Node) -> list:
    return [
        d.GatherOp(
            node.input(0), node.input(1), axis=_i64(node.int_attr("axis", 0))
        ).result
    ]


def _resize(node: Node, scales: list[float] | None, sizes: list[int] | None) -> list:
    x = node.input(0)
    xs = T.shape_of(x)
    if sizes is not None:
        if len(sizes) != len(xs):
            raise NodeError(f"sizes {sizes} must have {len(xs)} entries")
        out = sizes
    elif scales is not None:
        if len(scales) != len(xs):
            raise NodeError(f"scales {scales} must have {len(xs)} entries")
        out = [int(np.floor(s * f)) for s, f in zip(xs, scales, strict=True)]
    else:
        raise NodeError("one of scales and sizes is required")
    mode = node.str_attr("mode", "nearest", choices=("nearest", "linear", "cubic"))
    kwargs = {"mode": ir.StringAttr.get(mode)}
    if node.op_type == "Resize":
        ctm = node.str_attr("coordinate_transformation_mode", "half_pixel")
        if ctm == "tf_crop_and_resize":
            raise NodeError(
                "coordinate_transformation_mode 'tf_crop_and_resize' (roi and "
                "extrapolation_value) is not supported"
            )
        if node.opset < 11:
            ctm = "asymmetric"
        kwargs["coordinate_transformation_mode"] = ir.StringAttr.get(ctm)
        kwargs["nearest_mode"] = ir.StringAttr.get(
            node.str_attr("nearest_mode", "round_prefer_floor")
        )
        kwargs["cubic_coeff_a"] = ir.FloatAttr.get(
            ir.F32Type.get(), node.float_attr("cubic_coeff_a", -0.75)
        )
        for unsupported in ("exclude_outside", "antialias"):
            if node.int_attr(unsupported, 0):
                raise NodeError(f"{unsupported} = 1 is not supported")
    else:  # Upsample: asymmetric coordinates, floor rounding.
        kwargs["coordinate_transformation_mode"] = ir.StringAttr.get("asymmetric")
        kwargs["nearest_mode"] = ir.StringAttr.get("floor")
    if scales is not None:
        kwargs["scales"] = ir.DenseF64ArrayAttr.get([float(s) for s in scales])
    return [d.ResizeOp(T.tensor_type(out, T.elem_of(x)), x, **kwargs).result]


@converter("Resize")
def resize(node: Node) -> list:
    # Checked first: these change how scales/sizes are read.
    if node.has_attr("axes"):
        raise NodeError("the axes attribute is not supported")
    policy = node.str_attr("keep_aspect_ratio_policy", "stretch")
    if policy != "stretch":
        raise NodeError(f"keep_aspect_ratio_policy '{policy}' is not supported")
    if node.opset < 11:
        scales = node.const(1, "scales")
        return _resize(node, [float(s) for s in np.asarray(scales).reshape(-1)], None)
    scales_a = node.optional_const(2, "scales")
    sizes_a = node.optional_const(3, "sizes")
    scales = None
    if scales_a is not None and np.asarray(scales_a).size:
        scales = [float(s) for s in np.asarray(scales_a).reshape(-1)]
    sizes = None
    if sizes_a is not None and np.asarray(sizes_a).size:
        sizes = _ints(sizes_a)
    return _resize(node, scales, sizes)


@converter("Upsample")
def upsample(node: Node) -> list:
    if node.has_attr("scales"):
        scales = [float(s) for s in node.attr("scales")]
    else:
        scales = [float(s) for s in np.asarray(node.const(1, "scales")).reshape(-1)]
    return _resize(node, scales, None)


@converter("Pad")
def pad(node: Node) -> list:
    x = node.input(0)
    rank = len(T.shape_of(x))
    mode = node.str_attr(
        "mode", "constant", choices=("constant", "reflect", "edge", "wrap")
    )
    if node.opset < 11:
        pads = node.ints_attr("pads")
        value = node.float_attr("value", 0.0)
    else:
        pads = _ints(node.const(1, "pads"))
        cv = node.optional_const(2, "constant_value")
        value = (
            0.0
            if cv is None or np.asarray(cv).size == 0
            else float(np.asarray(cv).reshape(-1)[0])
        )
        axes_a = node.optional_const(3, "axes") if node.opset >= 18 else None
        if axes_a is not None:
            axes = [a + rank if a < 0 else a for a in _ints(axes_a)]
            if len(pads) != 2 * len(axes):
                raise NodeError(f"pads {pads} must have 2 x {len(axes)} entries")
            full = [0] * (2 * rank)
            for i, a in enumerate(axes):
                full[a], full[a + rank] = pads[i], pads[i + len(axes)]
            pads = full
    if any(p < 0 for p in pads):
        raise NodeError(f"negative pads {pads} (cropping) are not supported")
    op = d.PadOp(
        x,
        _arr(pads),
        mode=ir.StringAttr.get(mode),
        value=ir.FloatAttr.get(ir.F64Type.get(), value),
    )
    return [op.result]


@converter("Concat")
def concat(node: Node) -> list:
    return [d.ConcatOp(node.inputs(), _i64(node.int_attr("axis"))).result]


@converter("Slice")
def slice_(node: Node) -> list:
    x = node.input(0)
    rank = len(T.shape_of(x))
    if node.opset < 10:
        starts = node.ints_attr("starts")
        ends = node.ints_attr("ends")
        axes = node.ints_attr("axes", list(range(len(starts))))
        steps = [1] * len(starts)
    else:
        starts = _ints(node.const(1, "starts"))
        ends = _ints(node.const(2, "ends"))
        axes_a = node.optional_const(3, "axes")
        steps_a = node.optional_const(4, "steps")
        axes = list(range(len(starts))) if axes_a is None else _ints(axes_a)
        steps = [1] * len(starts) if steps_a is None else _ints(steps_a)
    if not (len(starts) == len(ends) == len(axes) == len(steps)):
        raise NodeError("starts, ends, axes and steps must have the same length")
    del rank
    op = d.SliceOp(x, _arr(starts), _arr(ends), _arr(axes), _arr(steps))
    return [op.result]


@converter("Split")
def split(node: Node) -> list:
    x = node.input(0)
    xs = T.shape_of(x)
    axis = node.axis("axis", len(xs), 0)
    n_out = len(node.proto.output)
    if node.opset >= 13:
        sizes_a = node.optional_const(1, "split")
        sizes = None if sizes_a is None else _ints(sizes_a)
    else:
        sizes = node.ints_attr("split", None)
    if sizes is None:
        dim = xs[axis]
        if node.opset >= 18 and node.has_attr("num_outputs"):
            n_out = node.int_attr("num_outputs")
        chunk = -(-dim // n_out)
        sizes = [min(chunk, dim - i * chunk) for i in range(n_out)]
    op = d.SplitOp(x, _i64(axis), _arr(sizes))
    return list(op.results)
