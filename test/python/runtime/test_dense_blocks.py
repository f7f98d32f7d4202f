"""Dense blocks (DenseNet): every layer concatenates the block's feature maps
so far with a new one computed from them.  dnnf-prepare-bufferization builds
each concatenation in the leading slice of the next, so that the block is one
buffer; these models check the result against onnxruntime for both ways the
graph is written (each concatenation the previous one plus the new map, or
all the maps listed again), with a concatenation that is also a graph output
(read after the next layer writes its slice), with a layer that reads the
concatenation directly in the op that makes its feature map (bufferization
must then copy), and on one and two threads.

Tolerance: rtol 1e-4 and atol 1e-4 on outputs scaled to unit magnitude (each
output is a sum of at most a few hundred float32 products)."""

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from dnnf.runtime import compile


def dense_block(
    layers: int, chained: bool, early_output: bool, direct: bool
) -> onnx.ModelProto:
    """A block of `layers` layers on a [1, 16, 8, 8] input, 8 new channels
    per layer: BatchNorm, ReLU, 1x1 conv to 16, ReLU, 3x3 conv to 8 (or,
    with `direct`, the 3x3 conv reads the concatenation itself)."""
    rng = np.random.default_rng(layers * 8 + chained * 4 + early_output * 2 + direct)
    c0, growth, size = 16, 8, 8
    nodes, inits = [], []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(value.astype(np.float32), name))
        return name

    maps = ["x"]
    previous = "x"
    outputs = []
    for i in range(layers):
        channels = c0 + growth * i
        if i == 0:
            concat = "x"
        else:
            concat = f"cat{i}"
            parts = [previous, maps[-1]] if chained else list(maps)
            nodes.append(helper.make_node("Concat", parts, [concat], axis=1))
            if early_output and i == 1:
                outputs.append((concat, channels))
        previous = concat
        if direct:
            source = concat
            width = channels
        else:
            nodes += [
                helper.make_node(
                    "BatchNormalization",
                    [
                        concat,
                        const(f"s{i}", rng.random(channels) + 0.5),
                        const(f"t{i}", rng.standard_normal(channels)),
                        const(f"m{i}", rng.standard_normal(channels) * 0.1),
                        const(f"v{i}", rng.random(channels) + 0.5),
                    ],
                    [f"bn{i}"],
                ),
                helper.make_node("Relu", [f"bn{i}"], [f"r{i}"]),
                helper.make_node(
                    "Conv",
                    [
                        f"r{i}",
                        const(
                            f"w{i}",
                            rng.standard_normal((16, channels, 1, 1))
                            / np.sqrt(channels),
                        ),
                    ],
                    [f"p{i}"],
                ),
                helper.make_node("Relu", [f"p{i}"], [f"q{i}"]),
            ]
            source = f"q{i}"
            width = 16
        nodes.append(
            helper.make_node(
                "Conv",
                [
                    source,
                    const(
                        f"k{i}",
                        rng.standard_normal((growth, width, 3, 3)) / np.sqrt(9 * width),
                    ),
                ],
                [f"y{i}"],
                pads=[1, 1, 1, 1],
            )
        )
        maps.append(f"y{i}")
    parts = [previous, maps[-1]] if chained else list(maps)
    nodes.append(helper.make_node("Concat", parts, ["out"], axis=1))
    outputs.append(("out", c0 + growth * layers))
    graph = helper.make_graph(
        nodes,
        "dense_block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c0, size, size])],
        [
            helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, c, size, size])
            for name, c in outputs
        ],
        inits,
    )
    return helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8
    )


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize(
    "layers,chained,early_output,direct",
    [
        (4, True, False, False),  # PyTorch's export: cat(previous, new)
        (4, False, False, False),  # cat(all maps so far)
        (3, True, True, False),  # a concatenation is also a graph output
        (3, False, True, False),
        (3, True, False, True),  # the 3x3 conv reads the concatenation
        (3, False, False, True),
    ],
)
def test_dense_block_matches_onnxruntime(
    layers: int, chained: bool, early_output: bool, direct: bool, threads: int
) -> None:
    model = dense_block(layers, chained, early_output, direct)
    x = np.random.default_rng(threads).standard_normal((1, 16, 8, 8)).astype(np.float32)
    expected = ort.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    ).run(None, {"x": x})
    compiled = compile(model, cache=False, threads=threads)
    got = compiled(x)
    got = got if isinstance(got, (list, tuple)) else [got]
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        scale = float(np.abs(e).max())
        np.testing.assert_allclose(g / scale, e / scale, rtol=1e-4, atol=1e-4)
