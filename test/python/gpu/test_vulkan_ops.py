"""Per-op numeric tests of the Vulkan path against onnxruntime; every kernel
also passes spirv-val."""

import numpy as np
import pytest
from gpu_helpers import assert_close, onnx_model, reference
from onnx import helper

from dnnf.gpu import compile_vulkan

RNG = np.random.default_rng(0)


def rand(*shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def run_and_check(model, feeds, device, spirv_val, rtol=1e-4, atol=1e-4):
    compiled = compile_vulkan(model, device=device)
    for kernel in compiled.kernels.values():
        spirv_val(kernel.spirv, compiled.options, kernel.name)
    got = compiled(**feeds)
    want = reference(model, feeds)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape and g.dtype == w.dtype
        assert_close(g, w, rtol, atol)
    return compiled


def test_add_relu_broadcast(device, spirv_val):
    m = onnx_model(
        [
            helper.make_node("Add", ["x", "b"], ["t"]),
            helper.make_node("Relu", ["t"], ["y"]),
        ],
        [("x", [2, 3, 4])],
        [("y", [2, 3, 4])],
        {"b": rand(3, 4)},
    )
    compiled = run_and_check(m, {"x": rand(2, 3, 4)}, device, spirv_val)
    assert compiled.dispatch_count == 1  # add and relu fused into one kernel


@pytest.mark.parametrize(
    "op", ["Sigmoid", "Tanh", "Exp", "Abs", "Neg", "Sqrt", "Erf", "Floor"]
)
def test_unary(op, device, spirv_val):
    m = onnx_model(
        [helper.make_node(op, ["x"], ["y"])], [("x", [3, 70])], [("y", [3, 70])]
    )
    x = rand(3, 70)
    if op == "Sqrt":
        x = np.abs(x)
    run_and_check(m, {"x": x}, device, spirv_val)


def test_many_elements_many_workgroups(device, spirv_val):
    m = onnx_model(
        [helper.make_node("Mul", ["x", "y"], ["z"])],
        [("x", [1000, 33]), ("y", [1000, 33])],
        [("z", [1000, 33])],
    )
    run_and_check(m, {"x": rand(1000, 33), "y": rand(1000, 33)}, device, spirv_val)


def test_input_checked_before_device_work(device):
    m = onnx_model([helper.make_node("Relu", ["x"], ["y"])], [("x", [4])], [("y", [4])])
    compiled = compile_vulkan(m, device=device)
    from dnnf.runtime import InputError

    with pytest.raises(InputError, match="shape"):
        compiled(x=np.zeros(5, np.float32))
    with pytest.raises(InputError, match="dtype"):
        compiled(x=np.zeros(4, np.float64))
    with pytest.raises(InputError, match="expected 1 input"):
        compiled()


def test_matmul(device, spirv_val):
    m = onnx_model(
        [helper.make_node("MatMul", ["a", "w"], ["y"])],
        [("a", [5, 37])],
        [("y", [5, 19])],
        {"w": rand(37, 19)},
    )
    run_and_check(m, {"a": rand(5, 37)}, device, spirv_val)


def test_gemm_bias_transposed(device, spirv_val):
    m = onnx_model(
        [helper.make_node("Gemm", ["a", "w", "c"], ["y"], transB=1, alpha=0.5)],
        [("a", [4, 16])],
        [("y", [4, 8])],
        {"w": rand(8, 16), "c": rand(8)},
    )
    run_and_check(m, {"a": rand(4, 16)}, device, spirv_val)


def test_conv_pads_strides_groups(device, spirv_val):
    m = onnx_model(
        [
            helper.make_node(
                "Conv",
                ["x", "w", "b"],
                ["y"],
                pads=[1, 1, 1, 1],
                strides=[2, 2],
                group=2,
            )
        ],
        [("x", [1, 4, 9, 9])],
        [("y", [1, 6, 5, 5])],
        {"w": rand(6, 2, 3, 3), "b": rand(6)},
    )
    run_and_check(m, {"x": rand(1, 4, 9, 9)}, device, spirv_val)


@pytest.mark.parametrize("op", ["MaxPool", "AveragePool"])
def test_pool(op, device, spirv_val):
    m = onnx_model(
        [helper.make_node(op, ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2])],
        [("x", [2, 3, 9, 9])],
        [("y", [2, 3, 4, 4])],
    )
    run_and_check(m, {"x": rand(2, 3, 9, 9)}, device, spirv_val)


def test_global_average_pool(device, spirv_val):
    m = onnx_model(
        [helper.make_node("GlobalAveragePool", ["x"], ["y"])],
        [("x", [2, 5, 7, 7])],
        [("y", [2, 5, 1, 1])],
    )
    run_and_check(m, {"x": rand(2, 5, 7, 7)}, device, spirv_val)


@pytest.mark.parametrize("op", ["ReduceSum", "ReduceMax", "ReduceMean"])
def test_reduce(op, device, spirv_val):
    m = onnx_model(
        [helper.make_node(op, ["x"], ["y"], axes=[1], keepdims=0)],
        [("x", [3, 50, 4])],
        [("y", [3, 4])],
        opset=17 if op != "ReduceSum" else 11,
    )
    run_and_check(m, {"x": rand(3, 50, 4)}, device, spirv_val)


def test_reduce_all_to_scalar(device, spirv_val):
    m = onnx_model(
        [helper.make_node("ReduceSum", ["x"], ["y"], keepdims=0)],
        [("x", [6, 7])],
        [("y", [])],
        opset=11,
    )
    run_and_check(m, {"x": rand(6, 7)}, device, spirv_val)


def test_softmax(device, spirv_val):
    m = onnx_model(
        [helper.make_node("Softmax", ["x"], ["y"], axis=-1)],
        [("x", [4, 33])],
        [("y", [4, 33])],
    )
    run_and_check(m, {"x": rand(4, 33, scale=3.0)}, device, spirv_val)


def test_layer_norm(device, spirv_val):
    m = onnx_model(
        [helper.make_node("LayerNormalization", ["x", "g", "b"], ["y"], axis=-1)],
        [("x", [2, 5, 24])],
        [("y", [2, 5, 24])],
        {"g": rand(24), "b": rand(24)},
    )
    run_and_check(m, {"x": rand(2, 5, 24)}, device, spirv_val)


def test_small_cnn(device, spirv_val):
    m = onnx_model(
        [
            helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
            helper.make_node("Relu", ["c"], ["r"]),
            helper.make_node(
                "MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]
            ),
            helper.make_node("Flatten", ["p"], ["f"]),
            helper.make_node("MatMul", ["f", "fc"], ["logits"]),
            helper.make_node("Softmax", ["logits"], ["probs"], axis=-1),
        ],
        [("x", [2, 3, 8, 8])],
        [("probs", [2, 5])],
        {"w": rand(4, 3, 3, 3, scale=0.3), "b": rand(4), "fc": rand(64, 5)},
    )
    compiled = run_and_check(m, {"x": rand(2, 3, 8, 8)}, device, spirv_val)
    assert compiled.barrier_count < compiled.dispatch_count


def test_mlp_two_outputs(device, spirv_val):
    m = onnx_model(
        [
            helper.make_node("Gemm", ["x", "w1", "b1"], ["h"]),
            helper.make_node("Relu", ["h"], ["r"]),
            helper.make_node("Gemm", ["r", "w2", "b2"], ["y"]),
            helper.make_node("Tanh", ["h"], ["t"]),
        ],
        [("x", [3, 10])],
        [("y", [3, 4]), ("t", [3, 20])],
        {"w1": rand(10, 20), "b1": rand(20), "w2": rand(20, 4), "b2": rand(4)},
    )
    run_and_check(m, {"x": rand(3, 10)}, device, spirv_val)
