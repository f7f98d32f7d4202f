"""Compiled-code cache and ahead-of-time shared objects (dnnf.runtime)."""

import json
import os
import shutil
import subprocess
import warnings

import numpy as np
import onnxruntime as ort
import pytest
from mlir import ir
from onnx import save

from dnnf.runtime import LoadError, compile, load
from dnnf.runtime import cache as cache_mod
from dnnf.runtime import compiler as compiler_mod
from dnnf.runtime.native import PACKED_MAIN

RNG = np.random.default_rng(1)


def _x(batch=2, size=8):
    return RNG.standard_normal((batch, 3, size, size)).astype(np.float32)


def _ort(proto, x):
    return ort.InferenceSession(proto.SerializeToString()).run(None, {"x": x})[0]


def _steps(lines):
    return [line.split(" ")[0].rstrip(":") for line in lines]


def test_first_compile_writes_entry_second_loads_it(tmp_path, make_conv_model):
    proto = make_conv_model()
    lines = []
    first = compile(proto, cache_dir=tmp_path, progress=lines.append)
    assert first.backend == "aot"
    assert first.path.parent == tmp_path / "compiled"
    assert {"import", "lowering", "codegen", "link"} <= set(_steps(lines))
    assert sorted(p.name for p in first.path.iterdir()) == [
        "lowered.mlir",
        "meta.json",
        "model.so",
    ]
    meta = json.loads((first.path / "meta.json").read_text())
    assert meta["key"] == first.path.name == first.key
    assert meta["inputs"] == [{"name": "x", "shape": [2, 3, 8, 8], "dtype": "float32"}]
    assert meta["outputs"] == [{"name": "probs", "shape": [2, 5], "dtype": "float32"}]
    assert "out-params=1" in meta["options"]["pipeline"]
    assert set(meta["versions"]) == {"dnnf", "dnnf_build", "mlir"}
    assert meta["cpu"] == cache_mod.cpu_info()
    # The shared object exports the packed entry point the runtime calls.
    nm = shutil.which("nm")
    if nm:
        symbols = subprocess.run(
            [nm, "-D", str(first.path / "model.so")], capture_output=True, text=True
        ).stdout
        assert PACKED_MAIN in symbols
    lines.clear()
    second = compile(proto, cache_dir=tmp_path, progress=lines.append)
    # No import, no pipeline, no code generation: only the cache hit.
    assert _steps(lines) == ["cached"]
    assert second.path == first.path and second.backend == "aot"
    x = _x()
    want = _ort(proto, x)
    for model in (first, second):
        np.testing.assert_allclose(model(x)[0], want, rtol=1e-4, atol=1e-6)


def test_key_changes_with_model_shapes_options_cpu_and_versions(
    tmp_path, make_conv_model, monkeypatch
):
    base = compile(make_conv_model(), cache_dir=tmp_path).key
    assert compile(make_conv_model(), cache_dir=tmp_path).key == base
    keys = {
        "weights": compile(make_conv_model(seed=5), cache_dir=tmp_path).key,
        "options": compile(make_conv_model(), cache_dir=tmp_path, vectorize=False).key,
    }
    cpu = dict(cache_mod.cpu_info(), model="another CPU")
    monkeypatch.setattr(cache_mod, "cpu_info", lambda: cpu)
    keys["cpu"] = compile(make_conv_model(), cache_dir=tmp_path).key
    monkeypatch.undo()
    versions = dict(cache_mod.versions(), mlir="0.0")
    monkeypatch.setattr(cache_mod, "versions", lambda: versions)
    keys["mlir"] = compile(make_conv_model(), cache_dir=tmp_path).key
    assert base not in keys.values()
    assert len(set(keys.values())) == len(keys), keys


def test_onnx_file_key_follows_content_and_input_shapes(tmp_path, make_conv_model):
    path = tmp_path / "m.onnx"
    save(make_conv_model(), path)
    cache_dir = tmp_path / "cache"
    a = compile(path, cache_dir=cache_dir)
    assert compile(str(path), cache_dir=cache_dir).key == a.key
    save(make_conv_model(seed=3), path)  # same path, new weights
    b = compile(path, cache_dir=cache_dir)
    assert b.key != a.key
    x = _x()
    np.testing.assert_allclose(
        b(x)[0], _ort(make_conv_model(seed=3), x), rtol=1e-4, atol=1e-6
    )


def test_dynamic_batch_input_shapes_are_part_of_the_key(tmp_path, make_conv_model):
    proto = make_conv_model()
    dim = proto.graph.input[0].type.tensor_type.shape.dim[0]
    dim.ClearField("dim_value")
    dim.dim_param = "N"
    proto.graph.output[0].type.tensor_type.shape.dim[0].dim_param = "N"
    one = compile(proto, cache_dir=tmp_path, input_shapes={"x": [1, 3, 8, 8]})
    three = compile(proto, cache_dir=tmp_path, input_shapes={"x": [3, 3, 8, 8]})
    assert one.key != three.key
    assert three.inputs[0].shape == (3, 3, 8, 8)
    x = _x(batch=3)
    np.testing.assert_allclose(three(x)[0], _ort(proto, x), rtol=1e-4, atol=1e-6)


def test_ir_module_input_is_cached_too(tmp_path):
    text = """
func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}"""
    with ir.Context():
        module = ir.Module.parse(text)
        first = compile(module, cache_dir=tmp_path)
        lines = []
        second = compile(module, cache_dir=tmp_path, progress=lines.append)
    assert first.backend == second.backend == "aot"
    assert _steps(lines) == ["cached"] and first.key == second.key
    a, b = np.arange(4, dtype=np.float32), np.full(4, 3, np.float32)
    np.testing.assert_array_equal(second(a, b)[0], a * b)


def test_cache_false_uses_jit_and_writes_nothing(tmp_path, make_conv_model):
    model = compile(make_conv_model(), cache=False, cache_dir=tmp_path)
    assert model.backend == "jit" and model.path is None
    assert not (tmp_path / "compiled").exists()
    x = _x()
    np.testing.assert_allclose(
        model(x)[0], _ort(make_conv_model(), x), rtol=1e-4, atol=1e-6
    )
    with pytest.raises(ValueError, match="only ahead-of-time compiled models"):
        model.save(tmp_path / "out")


def test_no_c_compiler_falls_back_to_jit_with_warning(
    tmp_path, make_conv_model, monkeypatch
):
    monkeypatch.setattr(compiler_mod, "find_c_compiler", lambda: None)
    with pytest.warns(RuntimeWarning, match="no C compiler found"):
        model = compile(make_conv_model(), cache_dir=tmp_path)
    assert model.backend == "jit"
    assert not (tmp_path / "compiled").exists()
    x = _x()
    np.testing.assert_allclose(
        model(x)[0], _ort(make_conv_model(), x), rtol=1e-4, atol=1e-6
    )


def test_link_failure_falls_back_to_jit_and_caches_nothing(
    tmp_path, make_conv_model, monkeypatch
):
    def broken_link(compiler, obj, out, **kwargs):
        raise compiler_mod.LinkError("linking the generated code failed (test)")

    monkeypatch.setattr(compiler_mod, "link_shared", broken_link)
    with pytest.warns(RuntimeWarning, match=r"failed \(test\)"):
        model = compile(make_conv_model(), cache_dir=tmp_path)
    assert model.backend == "jit"
    assert list(cache_mod.entries(tmp_path)) == []
    assert [p.name for p in (tmp_path / "compiled").iterdir()] == []  # no temp left
    x = _x()
    np.testing.assert_allclose(
        model(x)[0], _ort(make_conv_model(), x), rtol=1e-4, atol=1e-6
    )


def test_broken_entry_is_rebuilt(tmp_path, make_conv_model):
    proto = make_conv_model()
    entry = compile(proto, cache_dir=tmp_path).path
    (entry / "meta.json").write_text("{not json")
    with pytest.warns(RuntimeWarning, match="cache entry is unusable"):
        model = compile(proto, cache_dir=tmp_path)
    assert model.path == entry and json.loads((entry / "meta.json").read_text())
    (entry / "model.so").unlink()  # incomplete: silently rebuilt
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = compile(proto, cache_dir=tmp_path)
    x = _x()
    np.testing.assert_allclose(model(x)[0], _ort(proto, x), rtol=1e-4, atol=1e-6)


def test_staging_commit_keeps_a_complete_entry_from_another_process(
    tmp_path, make_conv_model
):
    entry = compile(make_conv_model(), cache_dir=tmp_path).path
    before = (entry / "model.so").read_bytes()
    staging = cache_mod.Staging(entry)
    (staging.path / "model.so").write_bytes(b"other")
    (staging.path / "meta.json").write_text("{}")
    assert staging.commit() == entry
    assert (entry / "model.so").read_bytes() == before
    assert not staging.path.exists()


def test_save_and_load_round_trip(tmp_path, make_conv_model):
    proto = make_conv_model()
    out = compile(proto, cache_dir=tmp_path / "cache").save(tmp_path / "out")
    model = load(out)
    assert model.backend == "aot" and model.path == out
    assert [s.name for s in model.inputs] == ["x"]
    x = _x()
    np.testing.assert_allclose(model(x=x)[0], _ort(proto, x), rtol=1e-4, atol=1e-6)


def _saved(tmp_path, make_conv_model):
    out = tmp_path / "out"
    compile(make_conv_model(), cache_dir=tmp_path / "cache").save(out)
    return out


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: shutil.rmtree(d), "no such directory"),
        (lambda d: (d / "meta.json").unlink(), "no meta.json; not a directory"),
        (lambda d: (d / "meta.json").write_text("[1"), "meta.json: unreadable"),
        (lambda d: (d / "model.so").unlink(), "no model.so"),
        (lambda d: (d / "model.so").write_bytes(b"junk"), "model.so: cannot load"),
    ],
)
def test_load_errors_name_the_problem(tmp_path, make_conv_model, damage, message):
    out = _saved(tmp_path, make_conv_model)
    damage(out)
    with pytest.raises(LoadError, match=message):
        load(out)


def _edit_meta(out, **changes):
    meta = json.loads((out / "meta.json").read_text())
    meta.update(changes)
    (out / "meta.json").write_text(json.dumps(meta))
    return meta


def test_load_rejects_other_format_and_missing_fields(tmp_path, make_conv_model):
    out = _saved(tmp_path, make_conv_model)
    _edit_meta(out, format=99)
    with pytest.raises(LoadError, match="format 99, but this dnnf reads format 1"):
        load(out)
    meta = _edit_meta(out, format=1)
    del meta["outputs"]
    (out / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(LoadError, match="missing field"):
        load(out)


def test_load_refuses_code_for_missing_cpu_features(tmp_path, make_conv_model):
    out = _saved(tmp_path, make_conv_model)
    cpu = cache_mod.cpu_info()
    _edit_meta(out, cpu=dict(cpu, flags=[*cpu["flags"], "dnnf_test_feature"]))
    with pytest.raises(LoadError, match=r"features this one lacks \(dnnf_test_feature"):
        load(out)
    assert load(out, check_cpu=False).backend == "aot"


def test_bad_options_are_reported(make_conv_model):
    with pytest.raises(ValueError, match="invalid pipeline option.*no_such_option"):
        compile(make_conv_model(), no_such_option=1)
    with pytest.raises(ValueError, match="out_params is not an option"):
        compile(make_conv_model(), out_params=False)
    with ir.Context():
        module = ir.Module.parse("func.func @main() { return }")
        with pytest.raises(ValueError, match="input_shapes applies to ONNX"):
            compile(module, input_shapes={"x": [1]})


def test_default_cache_dir_is_dnnf_cache_dir(tmp_path, make_conv_model, monkeypatch):
    monkeypatch.setenv("DNNF_CACHE_DIR", str(tmp_path))
    model = compile(make_conv_model())
    assert model.path.parent == tmp_path / "compiled"
    assert [e.name for e in cache_mod.entries()] == [model.key]
    assert cache_mod.clear() == 1 and not (tmp_path / "compiled").exists()
    assert os.path.isdir(tmp_path)


def test_load_after_saving_another_model_into_the_same_directory(
    tmp_path, make_conv_model
):
    out = tmp_path / "out"
    x = _x()
    for seed in (0, 7):  # dlopen would return the first library for this path
        proto = make_conv_model(seed=seed)
        compile(proto, cache_dir=tmp_path / "cache").save(out)
        np.testing.assert_allclose(
            load(out)(x)[0], _ort(proto, x), rtol=1e-4, atol=1e-6
        )
