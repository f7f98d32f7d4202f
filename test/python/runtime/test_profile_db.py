"""The profiling database of DNNFusion's ◐ cells (``dnnf.runtime.profile``,
``dnnf-fuse{profile-db}``, ``dnnf compile --profile``).

The model is a squeeze-and-excitation block, whose ◐ cells are the ones
EfficientNet meets: a 1x1 convolution and sigmoid on the pooled [1, C, 1,
1] value, then a Mul that broadcasts it over the feature map
(many_to_many -> one_to_many), and a Softmax feeding a Reshape
(many_to_many -> reorganize).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from mlir import ir
from onnx import TensorProto, helper, numpy_helper

import dnnf.runtime as rt
from dnnf.frontend.onnx import import_model
from dnnf.runtime.profile import (
    ProfileDB,
    ProfileDBError,
    plan_remarks,
    profile,
    time_pair,
)

C, H = 16, 12


def se_model():
    rng = np.random.default_rng(3)
    w1 = (rng.standard_normal((C, C, 3, 3)) * 0.2).astype(np.float32)
    w2 = (rng.standard_normal((C, C, 1, 1)) * 0.3).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["f"], pads=[1, 1, 1, 1]),
        helper.make_node("GlobalAveragePool", ["f"], ["p"]),
        helper.make_node("Conv", ["p", "w2"], ["e"]),
        helper.make_node("Sigmoid", ["e"], ["s"]),
        helper.make_node("Mul", ["f", "s"], ["y"]),
        helper.make_node("Softmax", ["y"], ["sm"], axis=1),
        helper.make_node("Reshape", ["sm", "shape"], ["out"]),
    ]
    graph = helper.make_graph(
        nodes,
        "se",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, C, H, H])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, [C, H * H])],
        [
            numpy_helper.from_array(w1, "w1"),
            numpy_helper.from_array(w2, "w2"),
            numpy_helper.from_array(np.array([C, H * H], np.int64), "shape"),
        ],
    )
    return helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8
    )


@pytest.fixture(scope="module")
def onnx_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("se") / "se.onnx"
    path.write_bytes(se_model().SerializeToString())
    return path


def imported(path: Path) -> ir.Module:
    context = ir.Context()
    with context, ir.Location.unknown():
        return import_model(str(path), context=context)


def plan(module: ir.Module, db: Path, threads: int = 1) -> tuple[int, list[str]]:
    """The ops inside blocks of the fusion=dnnf plan with ``db``, and its ◐
    remarks."""
    remarks = plan_remarks(module, db, threads)
    in_blocks = sum(int(r.split()[1]) for r in remarks if r.startswith("fused "))
    return in_blocks, [r for r in remarks if r.startswith("profile cell")]


@pytest.fixture(scope="module")
def profiled(onnx_path, tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "profile-db.json"
    lines: list[str] = []
    report = profile(imported(onnx_path), db_path=db, threads=1, progress=lines.append)
    return db, report, lines


def test_profile_measures_every_profile_cell(profiled):
    db, report, lines = profiled
    assert report.db == db and report.measured >= 2
    # Every ◐ cell of the final plan is decided by a measurement.
    assert report.by_database >= 2 and report.by_rule == 0
    doc = json.loads(db.read_text())
    assert doc["format"] == "dnnf-profile-db" and doc["version"] == 1
    assert len(doc["entries"]) == report.measured
    cells = {e["cell"] for e in doc["entries"]}
    assert "many_to_many -> one_to_many" in cells
    for e in doc["entries"]:
        assert e["threads"] == 1 and e["cpu"] and len(e["key"]) == 16
        assert e["fused_us"] > 0 and e["unfused_us"] > 0
    # Progress: one line before and one after each measurement.
    assert sum("profile round" in line for line in lines) == report.measured
    assert sum("-> fuse" in x or "-> stop" in x for x in lines) == report.measured


def test_profile_again_measures_nothing(profiled, onnx_path):
    db, first, _ = profiled
    before = db.read_text()
    again = profile(imported(onnx_path), db_path=db, threads=1)
    assert again.measured == 0 and again.rounds == 1
    assert again.by_database == first.by_database
    assert db.read_text() == before


def test_other_thread_count_is_another_entry(profiled, onnx_path):
    db, _, _ = profiled
    _, remarks = plan(imported(onnx_path), db, threads=3)
    assert remarks and all("no entry for key" in r for r in remarks)


def test_plan_follows_the_database(profiled, onnx_path, tmp_path):
    """Rewriting every entry to 'fused is slower' and then to 'fused is
    faster' moves each ◐ decision accordingly."""
    db, _, _ = profiled
    module = imported(onnx_path)
    doc = json.loads(db.read_text())
    counts = {}
    for verdict, (fused, unfused) in {"stop": (9.0, 1.0), "fuse": (1.0, 9.0)}.items():
        for e in doc["entries"]:
            e["fused_us"], e["unfused_us"] = fused, unfused
        path = tmp_path / f"{verdict}.json"
        path.write_text(json.dumps(doc))
        counts[verdict], remarks = plan(module, path)
        assert remarks and all(
            f"decided by the profiling database: {verdict}" in r for r in remarks
        )
    assert counts["fuse"] > counts["stop"]


def test_compiled_with_database_matches_onnxruntime(profiled, onnx_path):
    db, _, _ = profiled
    model = rt.compile(onnx_path, fusion="dnnf", profile_db=str(db), threads=1)
    x = np.random.default_rng(0).standard_normal((1, C, H, H)).astype(np.float32)
    ref = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"]).run(
        None, {"x": x}
    )[0]
    out = model(x=x)[0]
    scale = np.abs(ref).max()
    np.testing.assert_allclose(out / scale, ref / scale, rtol=1e-4, atol=1e-4)


def test_cache_key_follows_database_contents(profiled, onnx_path, tmp_path):
    db, _, _ = profiled
    copy = tmp_path / "with space" / "db.json"  # a path the option must quote
    copy.parent.mkdir()
    copy.write_text(db.read_text())
    a = rt.compile(onnx_path, fusion="dnnf", profile_db=str(copy), threads=1)
    assert (
        rt.compile(onnx_path, fusion="dnnf", profile_db=str(copy), threads=1).key
        == a.key
    )
    doc = json.loads(copy.read_text())
    doc["entries"][0]["fused_us"] *= 100
    copy.write_text(json.dumps(doc))
    b = rt.compile(onnx_path, fusion="dnnf", profile_db=str(copy), threads=1)
    assert b.key != a.key


def test_default_database_is_used_by_fusion_dnnf(profiled, onnx_path, tmp_path):
    db, _, _ = profiled
    cache = tmp_path / "cache"
    cache.mkdir()
    without = rt.compile(onnx_path, fusion="dnnf", threads=1, cache_dir=cache)
    (cache / "profile-db.json").write_text(db.read_text())
    with_db = rt.compile(onnx_path, fusion="dnnf", threads=1, cache_dir=cache)
    assert with_db.key != without.key
    meta = json.loads((with_db.path / "meta.json").read_text())
    assert "profile-db=" in meta["options"]["pipeline"]
    assert len(meta["options"]["profile_db"]) == 64  # the contents' SHA-256
    # Other fusion modes do not read it.
    linalg = rt.compile(onnx_path, threads=1, cache_dir=cache)
    meta = json.loads((linalg.path / "meta.json").read_text())
    assert "profile_db" not in meta["options"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("{", "profile-db-bad.json"),
        ('{"format": "x", "version": 1, "entries": []}', "field 'format'"),
        (
            '{"format": "dnnf-profile-db", "version": 1, "entries": [{"cpu": 1}]}',
            "entry 0 needs",
        ),
    ],
)
def test_bad_database_is_a_clear_error(onnx_path, tmp_path, text, message):
    bad = tmp_path / "profile-db-bad.json"
    bad.write_text(text)
    with pytest.raises(ProfileDBError, match=message):
        ProfileDB(bad)
    # The pass reports it too, naming the file, and compile fails cleanly.
    with pytest.raises(ir.MLIRError, match="profile-db-bad.json"):
        rt.compile(onnx_path, fusion="dnnf", profile_db=str(bad), cache=False)


def test_time_pair_orders_fast_and_slow():
    def slow():
        time.sleep(0.002)

    fused, unfused, batch = time_pair(lambda: None, slow, rounds=3)
    assert batch >= 1 and 0 < fused < unfused and unfused >= 1500


def test_cli_compile_profile(onnx_path, tmp_path):
    db = tmp_path / "db.json"
    cmd = [sys.executable, "-m", "dnnf.cli", "compile", str(onnx_path), "--profile"]
    cmd += ["--profile-db", str(db), "--pipeline-option", "threads=1"]
    first = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    assert "dnnf compile: profile round 1, 1/" in first.stderr
    assert "planning round(s); the plan decides" in first.stderr
    assert json.loads(db.read_text())["entries"]
    second = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stderr
    assert "profile: 0 candidate(s) measured in 1 planning round(s)" in second.stderr
    assert "cached:" in second.stderr  # same database, same plan: no recompile


def test_cli_profile_needs_fusion_dnnf(onnx_path, tmp_path):
    cmd = [sys.executable, "-m", "dnnf.cli", "compile", str(onnx_path), "--profile"]
    cmd += ["--profile-db", str(tmp_path / "db.json")]
    cmd += ["--pipeline-option", "fusion=linalg"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert out.returncode == 1
    assert "--profile measures the plan of fusion=dnnf, not fusion=linalg" in out.stderr
    assert not (tmp_path / "db.json").exists()


def test_unmeasurable_candidate_is_left_to_the_static_rule(
    onnx_path, tmp_path, monkeypatch
):
    import dnnf.runtime.profile as profiling

    def fail(*args, **kwargs):
        raise RuntimeError("no code for this candidate")

    monkeypatch.setattr(profiling, "measure", fail)
    lines: list[str] = []
    db = tmp_path / "db.json"
    report = profile(imported(onnx_path), db_path=db, threads=1, progress=lines.append)
    assert report.measured == 0 and report.by_database == 0 and report.by_rule >= 2
    assert any("cannot measure" in x and "no code" in x for x in lines)
    assert not db.exists()
