"""Runtime tests compile into a temporary cache, never the user's."""

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("DNNF_CACHE_DIR", str(tmp_path_factory.mktemp("dnnf-cache")))
    yield
    mp.undo()


def conv_model(channels: int = 4, size: int = 8, seed: int = 0, batch: int = 2):
    """Conv -> Relu -> MaxPool -> Flatten -> MatMul -> Softmax (opset 17)."""
    rng = np.random.default_rng(seed)
    w = (rng.standard_normal((channels, 3, 3, 3)) * 0.3).astype(np.float32)
    b = rng.standard_normal(channels).astype(np.float32)
    flat = channels * (size // 2) ** 2
    fc = (rng.standard_normal((flat, 5)) / np.sqrt(flat)).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["f"]),
        helper.make_node("MatMul", ["f", "fc"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probs"], axis=-1),
    ]
    graph = helper.make_graph(
        nodes,
        "cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, 3, size, size])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [batch, 5])],
        [
            numpy_helper.from_array(w, "w"),
            numpy_helper.from_array(b, "b"),
            numpy_helper.from_array(fc, "fc"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 10  # what onnxruntime reads
    return model


@pytest.fixture
def make_conv_model():
    """:func:`conv_model` (a factory, so tests can vary its sizes and seed)."""
    return conv_model
