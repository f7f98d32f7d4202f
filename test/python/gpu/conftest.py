import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from dnnf.gpu import validate
from dnnf.gpu.validate import spirv_val_path


@pytest.fixture(scope="session")
def device():
    """The Vulkan device, or a skip saying why there is none."""
    from dnnf.gpu.vulkan import available, default_device

    ok, why = available()
    if not ok:
        pytest.skip(f"no Vulkan device: {why}")
    return default_device()


@pytest.fixture(scope="session")
def spirv_val():
    if spirv_val_path() is None:
        pytest.skip("spirv-val not found (apt-get install spirv-tools)")
    return validate


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
