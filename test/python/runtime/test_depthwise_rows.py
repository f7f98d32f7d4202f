"""Depthwise convolutions with their BatchNorm and activation, vectorized one
output row at a time (dnnf-vectorize-rows): every row width (whole vectors,
masked remainders, a 7-pixel row under one 8-float vector), 3x3 and 5x5
windows, stride 1, and strides 2 and 3 (each window row read as contiguous
vectors and deinterleaved, its tail masked), on one and two threads,
against onnxruntime and against the code without vectorization.

Tolerance: rtol 1e-4 and atol 1e-4 on outputs scaled to unit magnitude
(sums of at most 25 products, so float32 rounding stays far below it)."""

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from dnnf.runtime import compile


def depthwise_block(
    channels: int, size: int, kernel: int, stride: int
) -> onnx.ModelProto:
    rng = np.random.default_rng(channels * 100 + size * 10 + kernel + stride)
    pad = kernel // 2
    out = (size + 2 * pad - kernel) // stride + 1

    def const(name: str, value: np.ndarray) -> onnx.TensorProto:
        return numpy_helper.from_array(value.astype(np.float32), name)

    nodes = [
        helper.make_node(
            "Conv",
            ["x", "w"],
            ["c"],
            group=channels,
            kernel_shape=[kernel, kernel],
            pads=[pad] * 4,
            strides=[stride, stride],
        ),
        helper.make_node("BatchNormalization", ["c", "s", "t", "mu", "var"], ["n"]),
        helper.make_node("Clip", ["n", "lo", "hi"], ["y"]),
    ]
    inits = [
        const("w", rng.standard_normal((channels, 1, kernel, kernel))),
        const("s", rng.random(channels) + 0.5),
        const("t", rng.standard_normal(channels)),
        const("mu", rng.standard_normal(channels)),
        const("var", rng.random(channels) + 0.5),
        const("lo", np.array(0.0)),
        const("hi", np.array(6.0)),
    ]
    graph = helper.make_graph(
        nodes,
        "depthwise",
        [
            helper.make_tensor_value_info(
                "x", TensorProto.FLOAT, [1, channels, size, size]
            )
        ],
        [
            helper.make_tensor_value_info(
                "y", TensorProto.FLOAT, [1, channels, out, out]
            )
        ],
        inits,
    )
    return helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8
    )


CASES = [
    (16, 7, 3, 1),  # 7 pixels: one masked 8-float vector
    (8, 14, 3, 1),  # 14: one masked 16-float vector
    (8, 16, 3, 1),  # whole vectors
    (4, 33, 3, 1),  # 33: two whole vectors and one masked
    (8, 14, 5, 1),  # 5x5 window (EfficientNet)
    (8, 14, 3, 2),  # stride 2: 7 outputs read from 13 floats
    (8, 15, 3, 2),  # stride 2, odd input: 8 outputs, a whole vector
    (4, 64, 3, 2),  # stride 2: 32 outputs, two whole vectors
    (8, 56, 5, 2),  # stride 2, 5x5 window (EfficientNet): 28 outputs
    (8, 20, 3, 3),  # stride 3
]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("case", CASES, ids=lambda c: "c{}_s{}_k{}_st{}".format(*c))
def test_depthwise_rows_match_onnxruntime(
    case: tuple[int, int, int, int], threads: int
) -> None:
    channels, size, kernel, stride = case
    proto = depthwise_block(channels, size, kernel, stride)
    x = (
        np.random.default_rng(size)
        .standard_normal((1, channels, size, size))
        .astype(np.float32)
    )
    got = compile(proto, threads=threads, cache=False)(x)[0]
    plain = compile(proto, threads=threads, vectorize=False, cache=False)(x)[0]
    session = ort.InferenceSession(
        proto.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    want = session.run(None, {"x": x})[0]
    scale = max(float(np.abs(want).max()), 1e-6)
    np.testing.assert_allclose(got / scale, want / scale, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(got / scale, plain / scale, rtol=1e-4, atol=1e-4)
