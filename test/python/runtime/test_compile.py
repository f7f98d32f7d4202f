"""dnnf.compile / CompiledModel: numpy in, numpy out, checked inputs."""

import subprocess
import sys

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper, save

from dnnf.runtime import InputError, compile

RNG = np.random.default_rng(0)


def small_cnn():
    w = (RNG.standard_normal((4, 3, 3, 3)) * 0.3).astype(np.float32)
    b = RNG.standard_normal(4).astype(np.float32)
    fc = RNG.standard_normal((4 * 4 * 4, 5)).astype(np.float32)
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
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 8, 8])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [2, 5])],
        [
            numpy_helper.from_array(w, "w"),
            numpy_helper.from_array(b, "b"),
            numpy_helper.from_array(fc, "fc"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 10  # what onnxruntime reads
    return model


@pytest.fixture(scope="module")
def cnn():
    proto = small_cnn()
    return proto, compile(proto)


def test_matches_onnxruntime(cnn):
    proto, model = cnn
    x = RNG.standard_normal((2, 3, 8, 8)).astype(np.float32)
    (got,) = model(x)
    (want,) = ort.InferenceSession(proto.SerializeToString()).run(None, {"x": x})
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)


def test_inputs_by_name_and_fresh_outputs(cnn):
    _, model = cnn
    x1 = RNG.standard_normal((2, 3, 8, 8)).astype(np.float32)
    x2 = RNG.standard_normal((2, 3, 8, 8)).astype(np.float32)
    (a,) = model(x=x1)
    (b,) = model(x=x2)
    # Internal output buffers are reused; returned arrays are not aliased.
    assert not np.shares_memory(a, b)
    np.testing.assert_allclose(model(x1)[0], a)
    assert [s.name for s in model.inputs] == ["x"]
    assert [s.name for s in model.outputs] == ["probs"]


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, r"expected 1 input\(s\) \['x'\], got 0"),
        ((np.zeros((2, 3, 8, 8), np.float64),), {}, "dtype float64, expected float32"),
        ((np.zeros((1, 3, 8, 8), np.float32),), {}, r"shape \[1, 3, 8, 8\], expected"),
        ((), {"y": np.zeros((2, 3, 8, 8), np.float32)}, r"unknown input\(s\) \['y'\]"),
    ],
)
def test_bad_inputs_raise_before_running(cnn, args, kwargs, message):
    _, model = cnn
    with pytest.raises(InputError, match=message):
        model(*args, **kwargs)


def test_unknown_target():
    with pytest.raises(ValueError, match="unknown target 'tpu'"):
        compile(small_cnn(), target="tpu")


def test_cli_run_with_check(tmp_path):
    path = tmp_path / "cnn.onnx"
    save(small_cnn(), path)
    out = tmp_path / "out.npz"
    r = subprocess.run(
        [sys.executable, "-m", "dnnf.cli", "run", str(path), "--check", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert "check probs vs onnxruntime" in r.stdout and "(ok" in r.stdout
    assert np.load(out)["probs"].shape == (2, 5)


def test_cli_run_reports_bad_model(tmp_path):
    path = tmp_path / "bad.onnx"
    path.write_bytes(b"\x00garbage")
    r = subprocess.run(
        [sys.executable, "-m", "dnnf.cli", "run", str(path)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1
    assert "bad.onnx: not a readable ONNX model" in r.stderr
