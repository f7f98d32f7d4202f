"""``dnnf compile``, ``dnnf bench`` and ``dnnf cache``."""

import importlib.util
import os
import re
import subprocess
import sys

import numpy as np
import onnxruntime as ort
import pytest
from onnx import save

from dnnf.runtime import load


def dnnf(*args, cache_dir):
    env = {**os.environ, "DNNF_CACHE_DIR": str(cache_dir)}
    return subprocess.run(
        [sys.executable, "-m", "dnnf.cli", *args],
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.fixture
def onnx_file(tmp_path, make_conv_model):
    path = tmp_path / "cnn.onnx"
    save(make_conv_model(), path)
    return path


def test_compile_exports_a_loadable_directory(tmp_path, onnx_file, make_conv_model):
    out = tmp_path / "out"
    r = dnnf("compile", str(onnx_file), "-o", str(out), cache_dir=tmp_path / "c")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(out)
    for step in ("import", "lowering", "codegen", "link"):  # progress, timed
        assert re.search(rf"dnnf compile: {step}: \d+\.\d\d s", r.stderr), r.stderr
    assert {"model.so", "meta.json", "lowered.mlir"} <= {p.name for p in out.iterdir()}
    assert "llvm.func" in (out / "lowered.mlir").read_text()
    x = np.random.default_rng(0).standard_normal((2, 3, 8, 8)).astype(np.float32)
    (want,) = ort.InferenceSession(str(onnx_file)).run(None, {"x": x})
    np.testing.assert_allclose(load(out)(x)[0], want, rtol=1e-4, atol=1e-6)


def test_compile_without_output_fills_the_cache(tmp_path, onnx_file):
    cache = tmp_path / "c"
    r = dnnf("compile", str(onnx_file), cache_dir=cache)
    assert r.returncode == 0, r.stderr
    entry = r.stdout.strip()
    assert os.path.dirname(entry) == str(cache / "compiled")
    assert os.path.isfile(os.path.join(entry, "model.so"))
    again = dnnf("compile", str(onnx_file), cache_dir=cache)
    assert again.stdout.strip() == entry
    assert "dnnf compile: cached:" in again.stderr
    assert "lowering" not in again.stderr
    r = dnnf("cache", cache_dir=cache)
    assert r.returncode == 0 and "1 compiled model(s)" in r.stdout
    r = dnnf("cache", "--clear", cache_dir=cache)
    assert r.returncode == 0 and not (cache / "compiled").exists()


def test_compile_reports_bad_pipeline_option(tmp_path, onnx_file):
    r = dnnf(
        "compile", str(onnx_file), "--pipeline-option", "bogus=1", cache_dir=tmp_path
    )
    assert r.returncode == 1
    assert "invalid pipeline option(s) ['bogus']" in r.stderr


def test_bench_prints_both_engines_and_ratio(tmp_path, onnx_file):
    r = dnnf(
        "bench", str(onnx_file), "-n", "7", "--warmup", "2", "--threads", "1",
        cache_dir=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = {}
    for line in r.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] in ("dnnf", "onnxruntime"):
            rows[cells[0]] = cells
    assert set(rows) == {"dnnf", "onnxruntime"}
    for cells in rows.values():
        assert cells[1] == "7"
        lo, med, p90 = map(float, cells[2:5])
        assert 0 < lo <= med <= p90
    ratio = re.search(r"dnnf/onnxruntime \(median\): ([\d.]+)x", r.stdout)
    # The table rounds to 0.001 ms and the ratio to 0.01: they must agree.
    d, o = float(rows["dnnf"][3]), float(rows["onnxruntime"][3])
    lo, hi = (d - 5e-4) / (o + 5e-4), (d + 5e-4) / max(o - 5e-4, 1e-9)
    assert ratio and lo - 0.005 <= float(ratio.group(1)) <= hi + 0.005


def test_bench_without_openvino_says_so(tmp_path, onnx_file):
    r = dnnf(
        "bench", str(onnx_file), "-n", "2", "--warmup", "0",
        "--compare", "onnxruntime,openvino", cache_dir=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    if importlib.util.find_spec("openvino") is None:
        assert "openvino is not installed; skipped" in r.stderr
    else:
        assert "| openvino |" in r.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--compare", "tvm"], "unknown engine(s) tvm in --compare"),
        (["-n", "0"], "need -n >= 1"),
    ],
)
def test_bench_rejects_bad_arguments(tmp_path, onnx_file, args, message):
    r = dnnf("bench", str(onnx_file), *args, cache_dir=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr
