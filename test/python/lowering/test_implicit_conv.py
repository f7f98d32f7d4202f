"""Stride-1 convolutions larger than 1x1 as implicit GEMMs
(``--dnnf-conv-to-matmul{implicit-gemm}`` scheduled by
``--dnnf-tile-vectorize``), proven numerically.

The cases reach every path of the schedule: 3x3, 5x5, 1x7 and 7x1 windows,
padded, unpadded (a pad of one bottom row is added) and asymmetric inputs,
dilation, output widths that are and are not whole register tiles, 1-row
register tiles (7 output channels), and the consumers the tasks run on their
rows: none (a copy), a fused bias + ReLU, a ReLU whose result is the padded
input of a second implicit convolution, and a residual add.  Each runs on one
and two threads, with weights as arguments (permuted at run time) and, through
ONNX initializers, as constants (permuted at compile time).  References:
numpy in float64 (rtol 1e-4, atol 1e-4 * sqrt(C * KH * KW): the inputs are
standard normal, so an output's scale grows as the square root of its sum's
length) and onnxruntime.
"""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from mlir import ir
from onnx import TensorProto, helper, numpy_helper

from dnnf.runtime import compile as jit_compile

#: (C_in, C_out, H, W, KH, KW, pads [top, left, bottom, right], dilation,
#: consumer)
CASES = [
    (8, 16, 12, 12, 3, 3, (1, 1, 1, 1), 1, "bias_relu"),
    (5, 7, 9, 11, 3, 3, (1, 1, 1, 1), 1, "none"),
    (4, 8, 10, 10, 5, 5, (2, 2, 2, 2), 1, "bias_relu"),
    (6, 8, 13, 13, 3, 3, (0, 0, 0, 0), 1, "none"),
    (4, 8, 12, 12, 3, 3, (2, 2, 2, 2), 2, "none"),
    (8, 8, 9, 9, 1, 7, (0, 3, 0, 3), 1, "bias_relu"),
    (8, 8, 9, 9, 7, 1, (3, 0, 3, 0), 1, "none"),
    (16, 32, 28, 28, 3, 3, (1, 1, 1, 1), 1, "into_pad"),
    (3, 8, 7, 9, 3, 3, (1, 0, 2, 1), 1, "residual"),
    (64, 64, 56, 56, 3, 3, (1, 1, 1, 1), 1, "bias_relu"),
]


def _out_hw(case: tuple) -> tuple[int, int]:
    _, _, h, w, kh, kw, (top, left, bottom, right), d, _ = case
    return h + top + bottom - d * (kh - 1), w + left + right - d * (kw - 1)


def _attrs(case: tuple) -> str:
    _, _, _, _, _, _, (top, left, bottom, right), d, _ = case
    return (
        f"strides = array<i64: 1, 1>, pads = array<i64: {top}, {left}, "
        f"{bottom}, {right}>, dilations = array<i64: {d}, {d}>, group = 1 : i64"
    )


def _module(case: tuple) -> str:
    cin, cout, h, w, kh, kw, _, _, consumer = case
    oh, ow = _out_hw(case)
    x, wt = f"tensor<1x{cin}x{h}x{w}xf32>", f"tensor<{cout}x{cin}x{kh}x{kw}xf32>"
    y, b = f"tensor<1x{cout}x{oh}x{ow}xf32>", f"tensor<{cout}xf32>"
    if consumer == "none":
        body = f"""  %0 = dnnf.conv %x, %w {{{_attrs(case)}}} : ({x}, {wt}) -> {y}
  return %0 : {y}"""
        return f"func.func @main(%x: {x}, %w: {wt}) -> {y} {{\n{body}\n}}"
    if consumer == "bias_relu":
        body = f"""  %0 = dnnf.conv %x, %w, %b {{{_attrs(case)}}} : ({x}, {wt}, {b}) -> {y}
  %1 = dnnf.relu %0 : {y}
  return %1 : {y}"""
        return f"func.func @main(%x: {x}, %w: {wt}, %b: {b}) -> {y} {{\n{body}\n}}"
    if consumer == "residual":
        body = f"""  %0 = dnnf.conv %x, %w {{{_attrs(case)}}} : ({x}, {wt}) -> {y}
  %1 = dnnf.add %0, %r : ({y}, {y}) -> {y}
  return %1 : {y}"""
        return f"func.func @main(%x: {x}, %w: {wt}, %r: {y}) -> {y} {{\n{body}\n}}"
    # into_pad: ReLU, then a second 3x3 convolution (same padding) reads it.
    w2 = f"tensor<{cout}x{cout}x3x3xf32>"
    body = f"""  %0 = dnnf.conv %x, %w, %b {{{_attrs(case)}}} : ({x}, {wt}, {b}) -> {y}
  %1 = dnnf.relu %0 : {y}
  %2 = dnnf.conv %1, %w2 {{{_attrs(case)}}} : ({y}, {w2}) -> {y}
  return %2 : {y}"""
    return (
        f"func.func @main(%x: {x}, %w: {wt}, %b: {b}, %w2: {w2}) -> {y} {{\n{body}\n}}"
    )


def _conv(x: np.ndarray, w: np.ndarray, pads: tuple, d: int) -> np.ndarray:
    """Stride-1 NCHW convolution in float64."""
    top, left, bottom, right = pads
    p = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (top, bottom), (left, right)))
    _, _, kh, kw = w.shape
    oh, ow = p.shape[2] - d * (kh - 1), p.shape[3] - d * (kw - 1)
    out = np.zeros((1, w.shape[0], oh, ow))
    for i in range(kh):
        for j in range(kw):
            window = p[0, :, i * d : i * d + oh, j * d : j * d + ow]
            out[0] += np.einsum("fc,chw->fhw", w[:, :, i, j].astype(np.float64), window)
    return out


def _inputs(case: tuple) -> tuple[list[np.ndarray], np.ndarray]:
    """The arguments of _module(case) and the float64 reference."""
    cin, cout, h, w, kh, kw, pads, d, consumer = case
    rng = np.random.default_rng(sum(case[:6]) * 7 + d)
    x = rng.standard_normal((1, cin, h, w)).astype(np.float32)
    wt = rng.standard_normal((cout, cin, kh, kw)).astype(np.float32)
    y = _conv(x, wt, pads, d)
    if consumer == "none":
        return [x, wt], y
    if consumer == "residual":
        r = rng.standard_normal(y.shape).astype(np.float32)
        return [x, wt, r], y + r
    b = rng.standard_normal(cout).astype(np.float32)
    y = np.maximum(y + b[None, :, None, None], 0.0)
    if consumer == "bias_relu":
        return [x, wt, b], y
    w2 = rng.standard_normal((cout, cout, 3, 3)).astype(np.float32)
    return [x, wt, b, w2], _conv(y, w2, pads, d)


def _tolerance(case: tuple) -> float:
    cin, cout, _, _, kh, kw, _, _, consumer = case
    atol = 1e-4 * np.sqrt(cin * kh * kw)
    if consumer == "into_pad":  # a second sum, over C_out * 9 such outputs
        atol *= np.sqrt(cout * 9)
    return float(atol)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize(
    "case", CASES, ids=lambda c: "x".join(str(v) for v in c[:6]) + "-" + c[-1]
)
def test_implicit_conv_matches_numpy(case: tuple, threads: int) -> None:
    args, expected = _inputs(case)
    with ir.Context(), ir.Location.unknown():
        module = ir.Module.parse(_module(case))
        (got,) = jit_compile(module, threads=threads, cache=False)(*args)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=_tolerance(case))


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c[-1] in ("none", "bias_relu")],
    ids=lambda c: "x".join(str(v) for v in c[:6]),
)
def test_implicit_conv_constant_weights_match_onnxruntime(case: tuple) -> None:
    """Weights and bias as ONNX initializers: the importer's resource
    constants, permuted at compile time."""
    cin, cout, h, w, kh, kw, (top, left, bottom, right), d, consumer = case
    args, _ = _inputs(case)
    oh, ow = _out_hw(case)
    inits = [numpy_helper.from_array(args[1], "w")]
    conv_inputs = ["x", "w"]
    if consumer == "bias_relu":
        inits.append(numpy_helper.from_array(args[2], "b"))
        conv_inputs.append("b")
    nodes = [
        helper.make_node(
            "Conv",
            conv_inputs,
            ["c"],
            pads=[top, left, bottom, right],
            dilations=[d, d],
            strides=[1, 1],
        )
    ]
    nodes.append(
        helper.make_node("Relu", ["c"], ["y"])
        if consumer == "bias_relu"
        else helper.make_node("Identity", ["c"], ["y"])
    )
    graph = helper.make_graph(
        nodes,
        "implicit_conv",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, cin, h, w])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, cout, oh, ow])],
        inits,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8
    )
    onnx.checker.check_model(model)
    (expected,) = ort.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    ).run(None, {"x": args[0]})
    (got,) = jit_compile(model, cache=False)(args[0])
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=_tolerance(case))
