"""Model building and comparison helpers of the GPU tests."""

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper


def onnx_model(nodes, inputs, outputs, inits=(), opset=17):
    """A model from (name, shape) inputs/outputs (float32) and name->array
    initializers."""
    graph = helper.make_graph(
        nodes,
        "m",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in outputs],
        [numpy_helper.from_array(a, n) for n, a in dict(inits).items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 10
    return model


def reference(model, feeds):
    session = ort.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session.run(None, feeds)


def assert_close(got, want, rtol=1e-4, atol=1e-4):
    """f32 tolerance, scaled by the largest expected magnitude."""
    scale = max(1.0, float(np.abs(want).max())) if want.size else 1.0
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol * scale)


def erf_gelu(x, y):
    """Nodes computing y = GELU(x) as exported models spell it (x / sqrt(2),
    Erf, + 1, * x, * 0.5), and the initializers they read."""
    nodes = [
        helper.make_node("Div", [x, "gelu_sqrt2"], [f"{y}_d"]),
        helper.make_node("Erf", [f"{y}_d"], [f"{y}_e"]),
        helper.make_node("Add", [f"{y}_e", "gelu_one"], [f"{y}_e1"]),
        helper.make_node("Mul", [x, f"{y}_e1"], [f"{y}_m"]),
        helper.make_node("Mul", [f"{y}_m", "gelu_half"], [y]),
    ]
    inits = {
        "gelu_sqrt2": np.array(np.sqrt(2.0), np.float32),
        "gelu_one": np.array(1.0, np.float32),
        "gelu_half": np.array(0.5, np.float32),
    }
    return nodes, inits
