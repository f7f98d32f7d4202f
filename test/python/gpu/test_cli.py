"""python -m dnnf.gpu run: compile for Vulkan, run, check vs onnxruntime."""

import numpy as np
from gpu_helpers import onnx_model
from onnx import helper, save

from dnnf.gpu.__main__ import main


def test_run_check(tmp_path, device, capsys):
    rng = np.random.default_rng(2)
    m = onnx_model(
        [
            helper.make_node("MatMul", ["x", "w"], ["h"]),
            helper.make_node("Softmax", ["h"], ["y"]),
        ],
        [("x", [2, 6])],
        [("y", [2, 3])],
        {"w": rng.standard_normal((6, 3)).astype(np.float32)},
    )
    path = tmp_path / "m.onnx"
    save(m, path)
    out = tmp_path / "y.npz"
    assert main(["run", str(path), "--check", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "check y vs onnxruntime" in text and "(ok," in text
    y = np.load(out)["y"]
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-5)


def test_run_wrong_inputs(tmp_path, device, capsys):
    m = onnx_model([helper.make_node("Relu", ["x"], ["y"])], [("x", [4])], [("y", [4])])
    path = tmp_path / "m.onnx"
    save(m, path)
    np.savez(tmp_path / "in.npz", x=np.zeros(5, np.float32))
    assert main(["run", str(path), "--inputs", str(tmp_path / "in.npz")]) == 1
    assert "has shape [5], expected [4]" in capsys.readouterr().err
