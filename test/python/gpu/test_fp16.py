"""f16 models on the Vulkan path (fp16 capabilities), checked against
onnxruntime on the f32 model.

Tolerance: max |error| <= 3e-3 x max(1, max |reference|).  f16 rounds each
stored value to a relative 2^-11 (4.9e-4); products and sums accumulate in
f32 (contractions, pooling, reductions), so the error grows with the number
of stored intermediates a value passes through, not with reduction lengths:
these nets store at most 6, about 3e-3 in the worst case (measured: 2.5e-4
and 6.0e-4).
"""

import numpy as np
import pytest
from gpu_helpers import onnx_model, reference
from onnx import TensorProto, helper, numpy_helper

from dnnf.gpu import SpirvOptions, compile_vulkan
from dnnf.zoo.float16 import to_float16

RNG = np.random.default_rng(5)
RTOL = 3e-3


def rand(*shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def cnn():
    return onnx_model(
        [
            helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
            helper.make_node(
                "BatchNormalization", ["c", "g", "beta", "mu", "var"], ["n"]
            ),
            helper.make_node("Relu", ["n"], ["r"]),
            helper.make_node(
                "MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]
            ),
            helper.make_node("GlobalAveragePool", ["p"], ["a"]),
            helper.make_node("Flatten", ["a"], ["f"]),
            helper.make_node("Gemm", ["f", "fc", "fb"], ["l"], transB=1),
            helper.make_node("Softmax", ["l"], ["y"]),
        ],
        [("x", [1, 3, 12, 12])],
        [("y", [1, 10])],
        {
            "w": rand(8, 3, 3, 3, scale=0.3),
            "b": rand(8, scale=0.1),
            "g": 1 + rand(8, scale=0.1),
            "beta": rand(8, scale=0.1),
            "mu": rand(8, scale=0.1),
            "var": 1 + np.abs(rand(8, scale=0.1)),
            "fc": rand(10, 8),
            "fb": rand(10, scale=0.1),
        },
    )


def layernorm_gelu():
    return onnx_model(
        [
            helper.make_node("MatMul", ["x", "w"], ["h"]),
            helper.make_node("LayerNormalization", ["h", "s", "o"], ["n"], axis=-1),
            helper.make_node("Erf", ["n"], ["e"]),
            helper.make_node("Mul", ["n", "e"], ["y"]),
        ],
        [("x", [4, 16])],
        [("y", [4, 24])],
        {
            "w": rand(16, 24, scale=0.25),
            "s": 1 + rand(24, scale=0.1),
            "o": rand(24, scale=0.1),
        },
    )


def check_fp16(model, shape, device, spirv_val):
    if not device.supports_fp16:
        pytest.skip("the Vulkan device has no f16 arithmetic / 16-bit storage")
    half = to_float16(model)
    compiled = compile_vulkan(half, options=SpirvOptions(fp16=True), device=device)
    for k in compiled.kernels.values():
        spirv_val(k.spirv, compiled.options, k.name)
    x = rand(*shape).astype(np.float16)
    (got,) = compiled(x=x)
    assert got.dtype == np.float16
    (want,) = reference(model, {"x": x.astype(np.float32)})
    scale = max(1.0, float(np.abs(want).max()))
    err = float(np.abs(got.astype(np.float64) - want).max()) / scale
    assert err <= RTOL, f"max |error| / scale = {err:.2e}"


def test_cnn_fp16(device, spirv_val):
    check_fp16(cnn(), (1, 3, 12, 12), device, spirv_val)


def test_layernorm_gelu_fp16(device, spirv_val):
    check_fp16(layernorm_gelu(), (4, 16), device, spirv_val)


def test_f16_model_without_fp16_is_a_clear_error(device):
    from mlir import ir

    with pytest.raises(ir.MLIRError, match="16-bit floats, which need fp16=true"):
        compile_vulkan(to_float16(cnn()), options=SpirvOptions(), device=device)


def test_to_float16_types():
    resize = helper.make_graph(
        [
            helper.make_node("Resize", ["x", "", "scales"], ["r"], mode="nearest"),
            helper.make_node("Cast", ["r"], ["y"], to=TensorProto.FLOAT),
        ],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 2, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 4, 4])],
        [
            numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales"),
            numpy_helper.from_array(np.array([3], np.int64), "unused"),
        ],
    )
    half = to_float16(helper.make_model(resize)).graph
    types = {t.name: t.data_type for t in half.initializer}
    assert types == {"scales": TensorProto.FLOAT, "unused": TensorProto.INT64}
    assert half.input[0].type.tensor_type.elem_type == TensorProto.FLOAT16
    assert half.output[0].type.tensor_type.elem_type == TensorProto.FLOAT16
    assert half.node[1].attribute[0].i == TensorProto.FLOAT16


def test_to_float16_saturates_finite_values():
    big = np.array([-3.4e38, 1e5, -np.inf, 1.5], np.float32)
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "c"], ["y"])],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])],
        [numpy_helper.from_array(big, "c")],
    )
    half = to_float16(helper.make_model(graph)).graph.initializer[0]
    np.testing.assert_array_equal(
        numpy_helper.to_array(half), np.array([-65504, 65504, -np.inf, 1.5], np.float16)
    )
