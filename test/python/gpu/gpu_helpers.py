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
