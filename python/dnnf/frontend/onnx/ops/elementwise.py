"""Elementwise operators: unary, binary with broadcasting, Where, Cast."""

from __future__ import annotations

import numpy as np
from mlir import ir

from dnnf.dialects import dnnf as d

from .. import types as T
from ..context import Node
from ..errors import NodeError
from . import converter

_UNARY = {
    "Relu": d.ReluOp,
    "Sigmoid": d.SigmoidOp,
    "Tanh": d.TanhOp,
    "Exp": d.ExpOp,
    "Log": d.LogOp,
    "Sqrt": d.SqrtOp,
    "Reciprocal": d.ReciprocalOp,
    "Abs": d.AbsOp,
    "Neg": d.NegOp,
    "Sign": d.SignOp,
    "Erf": d.ErfOp,
    "Ceil": d.CeilOp,
    "Floor": d.FloorOp,
    "Round": d.RoundOp,
    "Sin": d.SinOp,
    "Cos": d.CosOp,
    "Softplus": d.SoftplusOp,
    "Softsign": d.SoftsignOp,
    "HardSwish": d.HardSwishOp,
    "Not": d.NotOp,
}


@converter(*_UNARY)
def unary(node: Node) -> list:
    return [_UNARY[node.op_type](node.input(0)).result]


def _f32(value: float) -> ir.FloatAttr:
    return ir.FloatAttr.get(ir.F32Type.get(), value)


@converter("LeakyRelu")
def leaky_relu(node: Node) -> list:
    return [
        d.LeakyReluOp(node.input(0), alpha=_f32(node.float_attr("alpha", 0.01))).result
    ]


@converter("Elu")
def elu(node: Node) -> list:
    return [d.EluOp(node.input(0), alpha=_f32(node.float_attr("alpha", 1.0))).result]


@converter("Selu")
def selu(node: Node) -> list:
    op = d.SeluOp(
        node.input(0),
        alpha=_f32(node.float_attr("alpha", 1.67326319217681884765625)),
        gamma=_f32(node.float_attr("gamma", 1.05070102214813232421875)),
    )
    return [op.result]


@converter("HardSigmoid")
def hard_sigmoid(node: Node) -> list:
    op = d.HardSigmoidOp(
        node.input(0),
        alpha=_f32(node.float_attr("alpha", 0.2)),
        beta=_f32(node.float_attr("beta", 0.5)),
    )
    return [op.result]


@converter("Gelu")
def gelu(node: Node) -> list:
    approx = node.str_attr("approximate", "none", choices=("none", "tanh"))
    return [d.GeluOp(node.input(0), approximate=ir.StringAttr.get(approx)).result]


@converter("Clip")
def clip(node: Node) -> list:
    if node.opset < 11:
        lo = node.attr("min", None)
        hi = node.attr("max", None)
    else:
        lo_a = node.optional_const(1, "min")
        hi_a = node.optional_const(2, "max")
        lo = None if lo_a is None else float(np.asarray(lo_a).reshape(()))
        hi = None if hi_a is None else float(np.asarray(hi_a).reshape(()))
    f64 = ir.F64Type.get()
    kwargs = {}
    if lo is not None:
        kwargs["min"] = ir.FloatAttr.get(f64, float(lo))
    if hi is not None:
        kwargs["max"] = ir.FloatAttr.get(f64, float(hi))
    return [d.ClipOp(node.input(0), **kwargs).result]


@converter("Cast")
def cast(node: Node) -> list:
    x = node.input(0)
    elem = T.mlir_element_type(node.int_attr("to"))
    if elem == T.elem_of(x):
        return [x]
    return [d.CastOp(T.tensor_type(T.shape_of(x), elem), x).result]


@converter("Dropout")
def dropout(node: Node) -> list:
    # Inference: the identity.  The mask output is not supported.
    if node.opset >= 12 and node.is_const(2) and bool(np.asarray(node.const(2))):
        raise NodeError("training_mode = true is not supported for inference")
    return [node.input(0), None]


_BINARY = {
    "Add": d.AddOp,
    "Sub": d.SubOp,
    "Mul": d.MulOp,
    "Div": d.DivOp,
    "Equal": d.EqualOp,
    "Greater": d.GreaterOp,
    "GreaterOrEqual": d.GreaterOrEqualOp,
    "Less": d.LessOp,
    "LessOrEqual": d.LessOrEqualOp,
    "And": d.AndOp,
    "Or": d.OrOp,
    "Xor": d.XorOp,
}


@converter(*_BINARY)
def binary(node: Node) -> list:
    return [_BINARY[node.op_type](node.input(0), node.input(1)).result]


def _cast(value: ir.Value, elem: ir.Type) -> ir.Value:
    if T.elem_of(value) == elem:
        return value
    return d.CastOp(T.tensor_type(T.shape_of(value), elem), value).result


@converter("Pow")
def pow_(node: Node) -> list:
    base, exponent = node.input(0), node.input(1)
    elem = T.elem_of(base)
    if T.is_float(elem):
        # ONNX allows another exponent type; dnnf.pow takes one type.
        return [d.PowOp(base, _cast(exponent, elem)).result]
    # Integer base: computed in f64 and cast back, as onnxruntime does
    # (so that an x ^ 0.5 exponent is not truncated to 0 first).
    f64 = ir.F64Type.get()
    result = d.PowOp(_cast(base, f64), _cast(exponent, f64)).result
    return [_cast(result, elem)]


@converter("Mod")
def mod(node: Node) -> list:
    fmod = node.int_attr("fmod", 0)
    i64 = ir.IntegerType.get_signless(64)
    return [
        d.ModOp(node.input(0), node.input(1), fmod=ir.IntegerAttr.get(i64, fmod)).result
    ]


@converter("BitShift")
def bit_shift(node: Node) -> list:
    direction = node.str_attr("direction", choices=("LEFT", "RIGHT"))
    return [
        d.BitShiftOp(
            node.input(0), node.input(1), direction=ir.StringAttr.get(direction.lower())
        ).result
    ]


@converter("Max", "Min", "Sum", "Mean")
def variadic(node: Node) -> list:
    values = node.inputs()
    if not values:
        raise NodeError("needs at least one input")
    op = {"Max": d.MaxOp, "Min": d.MinOp, "Sum": d.AddOp, "Mean": d.AddOp}[node.op_type]
    acc = values[0]
    for v in values[1:]:
        acc = op(acc, v).result
    if node.op_type == "Mean" and len(values) > 1:
        elem = T.elem_of(acc)
        n = np.array(len(values), dtype=T.numpy_dtype_of(elem))
        acc = d.DivOp(acc, node.ctx.constant(n)).result
    return [acc]


@converter("PRelu")
def prelu(node: Node) -> list:
    return [d.PReluOp(node.input(0), node.input(1)).result]


@converter("Where")
def where(node: Node) -> list:
    return [d.WhereOp(node.input(0), node.input(1), node.input(2)).result]
