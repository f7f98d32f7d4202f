"""Epilogues computed in the tiled matmuls' kernels (dnnf-gpu-tile-matmuls
epilogues=true): bias, BatchNorm, activations and residual adds after
matmuls and convolutions, on the Vulkan device against onnxruntime, with
fewer dispatches than the same model without epilogues."""

import numpy as np
import pytest
from gpu_helpers import assert_close, erf_gelu, onnx_model, reference
from onnx import helper

from dnnf.gpu import compile_vulkan
from dnnf.gpu.model import device_options

RNG = np.random.default_rng(11)


def rand(*shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def conv_bn_relu_residual():
    """Conv -> BatchNorm -> Relu -> + x: the epilogue reads the NCHW view of
    the convolution's matmul, per-channel parameters and the residual."""
    c = 8
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c", "s", "t", "m", "v"], ["n"]),
        helper.make_node("Relu", ["n"], ["r"]),
        helper.make_node("Add", ["r", "x"], ["y"]),
    ]
    inits = {
        "w": rand(c, c, 3, 3, scale=0.2),
        "b": rand(c),
        "s": rand(c),
        "t": rand(c),
        "m": rand(c),
        "v": np.abs(rand(c)) + 0.5,
    }
    model = onnx_model(nodes, [("x", [1, c, 10, 10])], [("y", [1, c, 10, 10])], inits)
    return model, {"x": rand(1, c, 10, 10)}


def grouped_conv_bias_clip():
    """A grouped convolution (a batched matmul per group) with a bias and
    Clip (ReLU6), spatial size not a multiple of the tile."""
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], group=2, strides=[2, 2]),
        helper.make_node("Clip", ["c", "lo", "hi"], ["y"]),
    ]
    inits = {
        "w": rand(6, 2, 3, 3, scale=0.3),
        "b": rand(6),
        "lo": np.array(0.0, np.float32),
        "hi": np.array(0.5, np.float32),
    }
    model = onnx_model(nodes, [("x", [1, 4, 19, 19])], [("y", [1, 6, 9, 9])], inits)
    return model, {"x": rand(1, 4, 19, 19)}


def matmul_bias_gelu():
    """MatMul + bias + erf GELU on shapes no tile divides."""
    gelu, gelu_inits = erf_gelu("a", "y")
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["h"]),
        helper.make_node("Add", ["h", "b"], ["a"]),
        *gelu,
    ]
    inits = {"w": rand(53, 70, scale=0.2), "b": rand(70), **gelu_inits}
    model = onnx_model(nodes, [("x", [37, 53])], [("y", [37, 70])], inits)
    return model, {"x": rand(37, 53)}


def gemm_result_also_read():
    """The matmul's result is read by two elementwise consumers and is
    a graph output: the kernel still stores it."""
    nodes = [
        helper.make_node("Gemm", ["x", "w", "b"], ["h"]),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("Tanh", ["h"], ["t"]),
    ]
    inits = {"w": rand(10, 20), "b": rand(20)}
    model = onnx_model(
        nodes,
        [("x", [3, 10])],
        [("h", [3, 20]), ("r", [3, 20]), ("t", [3, 20])],
        inits,
    )
    return model, {"x": rand(3, 10)}


CASES = {
    "conv_bn_relu_residual": conv_bn_relu_residual,
    "grouped_conv_bias_clip": grouped_conv_bias_clip,
    "matmul_bias_gelu": matmul_bias_gelu,
    "gemm_result_also_read": gemm_result_also_read,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_epilogues_match_onnxruntime(case, device, spirv_val):
    model, feeds = CASES[case]()
    want = reference(model, feeds)
    dispatches = {}
    for epilogues in (False, True):
        options = device_options(device, matmul_epilogues=epilogues)
        compiled = compile_vulkan(model, options=options, device=device)
        for kernel in compiled.kernels.values():
            spirv_val(kernel.spirv, compiled.options, kernel.name)
        got = compiled(**feeds)
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert g.shape == w.shape
            assert_close(g, w)
        dispatches[epilogues] = compiled.dispatch_count
    # The zero fill of C and the elementwise kernel are in the matmul's.
    assert dispatches[True] < dispatches[False], dispatches
