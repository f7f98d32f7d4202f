"""Elementwise epilogues fused into matmul cache tiles (dnnf-tile-vectorize
{fuse-epilogues}): results equal onnxruntime's and the unfused code's."""

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from dnnf.runtime import compile

RNG = np.random.default_rng(7)


def const(name: str, value: np.ndarray) -> onnx.TensorProto:
    return numpy_helper.from_array(value.astype(np.float32), name)


def model(nodes, inputs, output, shape, inits) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, shape)],
        inits,
    )
    return helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8
    )


def conv_block(size: int) -> onnx.ModelProto:
    """1x1 conv with bias, BatchNorm, Clip and a residual Add: the chain a
    1x1 convolution's matmul carries as one epilogue (per-row operands and a
    full-size one)."""
    c, f = 24, 40
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"]),
        helper.make_node("BatchNormalization", ["c", "s", "t", "mu", "var"], ["n"]),
        helper.make_node("Clip", ["n", "lo", "hi"], ["r"]),
        helper.make_node("Add", ["r", "skip"], ["y"]),
    ]
    inits = [
        const("w", RNG.standard_normal((f, c, 1, 1)) * 0.3),
        const("b", RNG.standard_normal(f)),
        const("s", RNG.random(f) + 0.5),
        const("t", RNG.standard_normal(f)),
        const("mu", RNG.standard_normal(f)),
        const("var", RNG.random(f) + 0.5),
        const("lo", np.array(0.0)),
        const("hi", np.array(6.0)),
    ]
    shape = [1, f, size, size]
    return model(nodes, [("x", [1, c, size, size]), ("skip", shape)], "y", shape, inits)


def gemm_block() -> onnx.ModelProto:
    """MatMul + per-column bias + Relu: a 2-D epilogue; N = 100 is peeled."""
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["m"]),
        helper.make_node("Add", ["m", "b"], ["a"]),
        helper.make_node("Relu", ["a"], ["y"]),
    ]
    inits = [
        const("w", RNG.standard_normal((40, 100))),
        const("b", RNG.standard_normal(100)),
    ]
    return model(nodes, [("x", [24, 40])], "y", [24, 100], inits)


def padded_block() -> onnx.ModelProto:
    """1x1 conv + Relu feeding a padded 3x3 conv: the Relu stays out of the
    matmul tile and writes the padded buffer in place."""
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c"]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("Conv", ["r", "w2"], ["y"], pads=[1, 1, 1, 1]),
    ]
    inits = [
        const("w1", RNG.standard_normal((16, 8, 1, 1)) * 0.3),
        const("w2", RNG.standard_normal((16, 16, 3, 3)) * 0.1),
    ]
    return model(nodes, [("x", [1, 8, 20, 20])], "y", [1, 16, 20, 20], inits)


CASES = {
    "conv_14x14": lambda: conv_block(14),  # N = 196: peeled register tiles
    "conv_16x16": lambda: conv_block(16),  # N = 256: full tiles
    "gemm": gemm_block,
    "padded": padded_block,
}


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", sorted(CASES))
def test_fused_epilogue_matches_onnxruntime_and_unfused(
    name: str, threads: int
) -> None:
    m = CASES[name]()
    session = ort.InferenceSession(m.SerializeToString())
    feed = {
        i.name: RNG.standard_normal(i.shape).astype(np.float32)
        for i in session.get_inputs()
    }
    want = session.run(None, feed)[0]
    fused = compile(m, threads=threads, cache=False)(**feed)[0]
    unfused = compile(m, threads=threads, cache=False, fuse_epilogues=False)(**feed)[0]
    scale = float(np.abs(want).max())
    # Unit-magnitude outputs: rtol 1e-4 and atol 1e-4 after scaling.
    np.testing.assert_allclose(fused / scale, want / scale, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(fused, unfused, rtol=1e-5, atol=1e-5 * scale)
