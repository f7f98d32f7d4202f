"""Contractions, convolutions, pooling, normalisations and reductions."""

from __future__ import annotations

import math

import numpy as np
from mlir import ir

from dnnf.dialects import dnnf as d

from .. import types as T
from ..context import Node
from ..errors import NodeError
from . import converter


def _i64(v: int) -> ir.IntegerAttr:
    return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), int(v))


def _f32(v: float) -> ir.FloatAttr:
    return ir.FloatAttr.get(ir.F32Type.get(), float(v))


def _bool(v: bool) -> ir.BoolAttr:
    return ir.BoolAttr.get(bool(v))


def _arr(values: list[int]) -> ir.DenseI64ArrayAttr:
    return ir.DenseI64ArrayAttr.get([int(v) for v in values])


# ---------------------------------------------------------------------------
# Window attributes (Conv, ConvTranspose, pools)
# ---------------------------------------------------------------------------


def _window(node: Node, spatial: list[int], kernel: list[int]) -> tuple:
    n = len(spatial)
    strides = node.ints_attr("strides", [1] * n)
    dilations = node.ints_attr("dilations", [1] * n)
    if len(strides) != n or len(dilations) != n:
        raise NodeError(
            f"strides {strides} / dilations {dilations} must have {n} entries"
        )
    auto_pad = node.str_attr(
        "auto_pad", "NOTSET", choices=("NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER")
    )
    if auto_pad == "NOTSET":
        pads = node.ints_attr("pads", [0] * (2 * n))
        if len(pads) != 2 * n:
            raise NodeError(f"pads {pads} must have {2 * n} entries")
    elif auto_pad == "VALID":
        pads = [0] * (2 * n)
    else:
        begins, ends = [], []
        for size, k, s, dil in zip(spatial, kernel, strides, dilations, strict=True):
            out = math.ceil(size / s)
            total = max(0, (out - 1) * s + (k - 1) * dil + 1 - size)
            small, large = total // 2, total - total // 2
            begins.append(small if auto_pad == "SAME_UPPER" else large)
            ends.append(large if auto_pad == "SAME_UPPER" else small)
        pads = begins + ends
    return strides, pads, dilations


@converter("Conv")
def conv(node: Node) -> list:
    x, w = node.input(0), node.input(1)
    xs, ws = T.shape_of(x), T.shape_of(w)
    if len(xs) < 3 or len(ws) != len(xs):
        raise NodeError(f"expects N x C x D... input and weight, got {xs} and {ws}")
    kernel = node.ints_attr("kernel_shape", ws[2:])
    if list(kernel) != ws[2:]:
        raise NodeError(f"kernel_shape {kernel} differs from the weight shape {ws}")
    strides, pads, dilations = _window(node, xs[2:], kernel)
    op = d.ConvOp(
        x,
        w,
        _arr(strides),
        _arr(pads),
        _arr(dilations),
        bias=node.optional_input(2),
        group=_i64(node.int_attr("group", 1)),
    )
    return [op.result]


@converter("ConvTranspose")
def conv_transpose(node: Node) -> list:
    x, w = node.input(0), node.input(1)
    xs, ws = T.shape_of(x), T.shape_of(w)
    if len(xs) < 3 or len(ws) != len(xs):
        raise NodeError(f"expects N x C x D... input and weight, got {xs} and {ws}")
    n = len(xs) - 2
    kernel = node.ints_attr("kernel_shape", ws[2:])
    strides = node.ints_attr("strides", [1] * n)
    dilations = node.ints_attr("dilations", [1] * n)
    out_pad = node.ints_attr("output_padding", [0] * n)
    auto_pad = node.str_attr(
        "auto_pad", "NOTSET", choices=("NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER")
    )
    output_shape = node.ints_attr("output_shape", None)
    if output_shape is not None or auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        if output_shape is None:
            output_shape = [xs[2 + i] * strides[i] for i in range(n)]
        output_shape = list(output_shape)[-n:]
        out_pad = list(out_pad)
        begins, ends = [], []
        for i in range(n):
            total = (
                strides[i] * (xs[2 + i] - 1)
                + out_pad[i]
                + (kernel[i] - 1) * dilations[i]
                + 1
                - output_shape[i]
            )
            if total < 0:
                # A larger output_shape is extra padding at the end
                # (onnxruntime's reading of the spec).
                out_pad[i] -= total
                total = 0
            # ONNX: the larger half goes first unless auto_pad = SAME_UPPER.
            small, large = total // 2, total - total // 2
            upper = auto_pad == "SAME_UPPER"
            begins.append(small if upper else large)
            ends.append(large if upper else small)
        pads = begins + ends
    elif auto_pad == "VALID":
        pads = [0] * (2 * n)
    else:
        pads = node.ints_attr("pads", [0] * (2 * n))
    op = d.ConvTransposeOp(
        x,
        w,
        _arr(strides),
        _arr(pads),
        _arr(dilations),
        _arr(out_pad),
        bias=node.optional_input(2),
        group=_i64(node.int_attr("group", 1)),
    )
    return [op.result]


@converter("MaxPool")
def max_pool(node: Node) -> list:
    x = node.input(0)
    xs = T.shape_of(x)
    kernel = node.ints_attr("kernel_shape")
    if node.int_attr("storage_order", 0) != 0:
        raise NodeError("storage_order = 1 (column-major indices) is not supported")
    strides, pads, dilations = _window(node, xs[2:], kernel)
    op = d.MaxPoolOp(
        x,
        _arr(kernel),
        _arr(strides),
        _arr(pads),
        _arr(dilations),
        ceil_mode=_bool(node.int_attr("ceil_mode", 0)),
    )
    return [op.result, None]


@converter("AveragePool")
def average_pool(node: Node) -> list:
    x = node.input(0)
    xs = T.shape_of(x)
    kernel = node.ints_attr("kernel_shape")
    if node.has_attr("dilations") and any(v != 1 for v in node.ints_attr("dilations")):
        raise NodeError("dilated AveragePool is not supported")
    strides, pads, _ = _window(node, xs[2:], kernel)
    op = d.AveragePoolOp(
        x,
        _arr(kernel),
        _arr(strides),
        _arr(pads),
        ceil_mode=_bool(node.int_attr("ceil_mode", 0)),
        count_include_pad=_bool(node.int_attr("count_include_pad", 0)),
    )
    return [op.result]


@converter("GlobalAveragePool")
def global_average_pool(node: Node) -> list:
    return [d.GlobalAveragePoolOp(node.input(0)).result]


@converter("GlobalMaxPool")
def global_max_pool(node: Node) -> list:
    return [d.GlobalMaxPoolOp(node.input(0)).result]


# ---------------------------------------------------------------------------
# Contractions
# ---------------------------------------------------------------------------


@converter("MatMul")
def matmul(node: Node) -> list:
    return [d.MatMulOp(node.input(0), node.input(1)).result]


@converter("Gemm")
def gemm(node: Node) -> list:
    op = d.GemmOp(
        node.input(0),
        node.input(1),
        c=node.optional_input(2),
        alpha=_f32(node.float_attr("alpha", 1.0)),
        beta=_f32(node.float_attr("beta", 1.0)),
        transA=_bool(node.int_attr("transA", 0)),
        transB=_bool(node.int_attr("transB", 0)),
    )
    return [op.result]


def einsum_shape(equation: str, shapes: list[list[int]]) -> list[int]:
    """Result shape of an einsum (numpy semantics, with ellipsis)."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise NodeError(
            f"equation '{equation}' has {len(terms)} inputs, got {len(shapes)}"
        )
    sizes: dict[str, int] = {}
    counts: dict[str, int] = {}
    ellipsis: list[int] = []
    for term, shape in zip(terms, shapes, strict=True):
        labels = term.replace("...", ".")
        n_explicit = len(labels) - labels.count(".")
        rank_ell = len(shape) - n_explicit
        if rank_ell < 0 or (rank_ell and "." not in labels):
            raise NodeError(f"term '{term}' does not match an operand of shape {shape}")
        dim = 0
        for c in labels:
            if c == ".":
                part = shape[dim : dim + rank_ell]
                ellipsis = list(np.broadcast_shapes(tuple(ellipsis), tuple(part)))
                dim += rank_ell
                continue
            sizes.setdefault(c, shape[dim])
            counts[c] = counts.get(c, 0) + 1
            dim += 1
    if not arrow:
        rhs = ("..." if ellipsis else "") + "".join(
            sorted(c for c, k in counts.items() if k == 1)
        )
    out: list[int] = []
    for c in rhs.replace("...", "."):
        out.extend(ellipsis if c == "." else [sizes[c]])
    return out


@converter("Einsum")
def einsum(node: Node) -> list:
    values = node.inputs()
    equation = node.str_attr("equation")
    shape = einsum_shape(equation, [T.shape_of(v) for v in values])
    result = T.tensor_type(shape, T.elem_of(values[0]))
    return [d.EinsumOp(result, values, ir.StringAttr.get(equation)).result]


# ---------------------------------------------------------------------------
# Normalisations
# ---------------------------------------------------------------------------


@converter("BatchNormalization")
def batch_norm(node: Node) -> list:
    if node.int_attr("training_mode", 0):
        raise NodeError("training_mode = 1 is not supported for inference")
    op = d.BatchNormOp(
        node.input(0),
        node.input(1),
        node.input(2),
        node.input(3),
        node.input(4),
        epsilon=_f32(node.float_attr("epsilon", 1e-5)),
    )
    return [op.result]


@converter("InstanceNormalization")
def instance_norm(node: Node) -> list:
    op = d.InstanceNormOp(
        node.input(0),
        node.input(1),
        node.input(2),
        epsilon=_f32(node.float_attr("epsilon", 1e-5)),
    )
    return [op.result]


@converter("LayerNormalization")
def layer_norm(node: Node) -> list:
    op = d.LayerNormOp(
        node.input(0),
        node.input(1),
        bias=node.optional_input(2),
        axis=_i64(node.int_attr("axis", -1)),
        epsilon=_f32(node.float_attr("epsilon", 1e-5)),
    )
    return [op.result, None, None]


@converter("LRN")
def lrn(node: Node) -> list:
    op = d.LRNOp(
        node.input(0),
        _i64(node.int_attr("size")),
        alpha=_f32(node.float_attr("alpha", 1e-4)),
        beta=_f32(node.float_attr("beta", 0.75)),
        bias=_f32(node.float_attr("bias", 1.0)),
    )
    return [op.result]


# ---------------------------------------------------------------------------
# Softmax family, reductions
# ---------------------------------------------------------------------------


@converter("Softmax", "LogSoftmax")
def softmax(node: Node) -> list:
    x = node.input(0)
    shape = T.shape_of(x)
    rank = len(shape)
    op = d.SoftmaxOp if node.op_type == "Softmax" else d.LogSoftmaxOp
    if node.opset >= 13 or rank == 0:
        axis = node.axis("axis", max(rank, 1), -1)
        return [op(x, axis=_i64(axis)).result]
    # Opset < 13: the input is coerced to 2-D at `axis` (default 1), the
    # softmax taken over the second dimension, and the shape restored.
    axis = node.axis("axis", rank + 1, 1) if rank else 0
    if axis == rank - 1:
        return [op(x, axis=_i64(-1)).result]
    elem = T.elem_of(x)
    outer = int(np.prod(shape[:axis], dtype=np.int64))
    inner = int(np.prod(shape[axis:], dtype=np.int64))
    flat = d.ReshapeOp(T.tensor_type([outer, inner], elem), x).result
    y = op(flat, axis=_i64(1)).result
    return [d.ReshapeOp(T.tensor_type(shape, elem), y).result]


_REDUCE = {
    "ReduceSum": d.ReduceSumOp,
    "ReduceMean": d.ReduceMeanOp,
    "ReduceMax": d.ReduceMaxOp,
    "ReduceMin": d.ReduceMinOp,
    "ReduceProd": d.ReduceProdOp,
    "ReduceL1": d.ReduceL1Op,
    "ReduceL2": d.ReduceL2Op,
    "ReduceSumSquare": d.ReduceSumSquareOp,
    "ReduceLogSum": d.ReduceLogSumOp,
    "ReduceLogSumExp": d.ReduceLogSumExpOp,
}


@converter(*_REDUCE)
def reduce(node: Node) -> list:
    x = node.input(0)
    axes_as_input = node.opset >= (13 if node.op_type == "ReduceSum" else 18)
    if axes_as_input:
        axes_arr = node.optional_const(1, "axes")
        axes = (
            []
            if axes_arr is None
            else [int(a) for a in np.asarray(axes_arr).reshape(-1)]
        )
        if not axes and node.int_attr("noop_with_empty_axes", 0):
            return [x]
    else:
        axes = node.ints_attr("axes", [])
    op = _REDUCE[node.op_type](
        x, axes=_arr(axes), keepdims=_bool(node.int_attr("keepdims", 1))
    )
    return [op.result]


@converter("ArgMax", "ArgMin")
def arg_reduce(node: Node) -> list:
    op = d.ArgMaxOp if node.op_type == "ArgMax" else d.ArgMinOp
    return [
        op(
            node.input(0),
            axis=_i64(node.int_attr("axis", 0)),
            keepdims=_bool(node.int_attr("keepdims", 1)),
            select_last_index=_bool(node.int_attr("select_last_index", 0)),
        ).result
    ]


@converter("CumSum")
def cumsum(node: Node) -> list:
    axis = int(np.asarray(node.const(1, "axis")).reshape(()))
    op = d.CumSumOp(
        node.input(0),
        _i64(axis),
        exclusive=_bool(node.int_attr("exclusive", 0)),
        reverse=_bool(node.int_attr("reverse", 0)),
    )
    return [op.result]
