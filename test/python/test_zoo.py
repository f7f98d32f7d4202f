"""dnnf.zoo: the model suite (light ONNX models, materialisation, torch export).

Fast by default: the shipped light models, materialising squeezenet, and
torch exports of the two small CNNs and of 2-layer BERT/GPT-2 variants (each
well under a minute on two cores).  Every test that writes models uses a
temporary DNNF_CACHE_DIR.
"""

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

from dnnf import zoo
from dnnf.zoo import suite

onnx = pytest.importorskip("onnx")


def _installed(module):
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


HAS_ORT = _installed("onnxruntime")
HAS_TORCH = _installed("torch")
needs_ort = pytest.mark.skipif(not HAS_ORT, reason="onnxruntime not installed")
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="torch not installed")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DNNF_CACHE_DIR", str(tmp_path))
    return tmp_path


def ort_run(model, feeds):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    src = (
        model.SerializeToString() if hasattr(model, "SerializeToString") else str(model)
    )
    session = ort.InferenceSession(src, opts, providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


# --- names, cache, inputs ----------------------------------------------------


def test_suite_names():
    assert len(zoo.SUITE) == 13 == len(set(zoo.SUITE))
    assert zoo.SUITE[:9] == list(zoo.LIGHT_MODELS)
    assert zoo.SUITE[9:] == ["mobilenetv2", "efficientnet_b0", "bert_base", "gpt2"]


def test_unknown_name():
    with pytest.raises(KeyError, match="unknown model"):
        zoo.model_path("resnet18")
    with pytest.raises(KeyError):
        zoo.example_inputs("nope")


def test_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("DNNF_CACHE_DIR", str(tmp_path / "c"))
    assert zoo.cache_dir() == tmp_path / "c"
    assert zoo.cached_model_path("vgg19") == tmp_path / "c" / "models" / "vgg19.onnx"
    monkeypatch.delenv("DNNF_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert zoo.cache_dir() == tmp_path / "home" / ".cache" / "dnnf"


def test_example_inputs():
    for name in zoo.SUITE:
        a, b = zoo.example_inputs(name, 0), zoo.example_inputs(name, 0)
        c = zoo.example_inputs(name, 1)
        assert a.keys() == b.keys() == c.keys()
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])
        assert any(not np.array_equal(a[k], c[k]) for k in a)
    img = zoo.example_inputs("mobilenetv2")["input"]
    assert img.shape == (1, 3, 224, 224) and img.dtype == np.float32
    bert = zoo.example_inputs("bert_base")
    assert list(bert) == ["input_ids", "attention_mask"]
    for v in bert.values():
        assert v.shape == (1, 128) and v.dtype == np.int64
    mask = bert["attention_mask"][0]
    assert mask[0] == 1 and set(np.unique(mask)) <= {0, 1}
    assert (np.diff(mask) <= 0).all()  # a prefix of ones, then padding
    ids = zoo.example_inputs("gpt2")["input_ids"]
    assert ids.shape == (1, 128) and ids.max() < 50257


# --- the shipped light models --------------------------------------------------


@pytest.mark.parametrize("name", suite.LIGHT_MODELS)
def test_light_files(name):
    path = zoo.light_model_path(name)
    assert path.is_file() and path.name == f"light_{name}.onnx"
    assert zoo.model_path(name, materialized=False) == path
    model = onnx.load(str(path))
    assert model.ir_version == 3
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 9)]
    assert any(n.op_type == "ConstantOfShape" for n in model.graph.node)
    feeds = zoo.light_inputs(name)
    assert feeds.keys() == zoo.example_inputs(name).keys()
    (x,) = feeds.values()
    n = x.size
    np.testing.assert_array_equal(x.ravel(), np.arange(n, dtype=np.float32) / n)
    expected = zoo.light_expected_output(name)
    assert expected.dtype == np.float32 and expected.shape[:2] == (1, 1000)


@needs_ort
@pytest.mark.parametrize("name", suite.LIGHT_MODELS)
def test_light_expected_output_reproduces(name):
    model = onnx.load(str(zoo.light_model_path(name)))
    expected = zoo.light_expected_output(name)
    (got,) = ort_run(model, zoo.light_inputs(name))
    np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-7)  # onnx's runner
    # Identical weights everywhere: the expected output is one repeated value
    # and does not depend on the input.
    assert np.unique(expected).size == 1
    (other,) = ort_run(model, zoo.example_inputs(name, seed=3))
    np.testing.assert_allclose(other, expected, rtol=1e-3, atol=1e-7)


def test_materialized_needs_generation_for_torch_models():
    with pytest.raises(ValueError):
        zoo.model_path("gpt2", materialized=False)


# --- materialisation -------------------------------------------------------------


def test_replace_constant_of_shape_is_he_scaled():
    from dnnf.zoo import light

    model = onnx.load(str(zoo.light_model_path("squeezenet")))
    counts = light.replace_constant_of_shape(model, seed=0)
    assert counts == {"weight": 26, "bias": 13}
    graph = model.graph
    assert not any(n.op_type == "ConstantOfShape" for n in graph.node)
    assert [i.name for i in graph.input] == ["data_0"]
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in graph.initializer}
    for node in graph.node:
        if node.op_type == "Conv":
            w = inits[node.input[1]]
            fan_in = w[0].size
            if w.size >= 100_000:
                assert abs(w.std() / np.sqrt(2 / fan_in) - 1) < 0.02
                assert abs(w.mean()) < 0.01 * w.std()


@needs_ort
def test_materialize_squeezenet(cache):
    path = zoo.model_path("squeezenet")
    assert path == cache / "models" / "squeezenet.onnx" and path.is_file()
    assert not [p for p in path.parent.iterdir() if p.suffix == ".tmp"]
    model = onnx.load(str(path))
    onnx.checker.check_model(model, full_check=True)
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 17)]
    assert model.ir_version == 8
    assert not any(n.op_type == "ConstantOfShape" for n in model.graph.node)
    for feeds in (zoo.example_inputs("squeezenet", 0), zoo.light_inputs("squeezenet")):
        (out,) = ort_run(model, feeds)
        assert out.shape == (1, 1000, 1, 1)
        # ReLU before the pooling: classes with a zero logit share one value.
        assert np.isfinite(out).all() and np.unique(out).size > 100
        np.testing.assert_allclose(out.sum(), 1.0, rtol=1e-4)  # still a softmax
    # Idempotent: reused, not rewritten.
    mtime = path.stat().st_mtime_ns
    assert zoo.model_path("squeezenet") == path
    assert path.stat().st_mtime_ns == mtime
    # Deterministic: regenerating gives the same bytes.
    data = path.read_bytes()
    zoo.model_path("squeezenet", force=True)
    assert path.read_bytes() == data


@needs_ort
def test_materialize_calibrates_batchnorm():
    # shufflenet: BatchNorm, residual sums; small and quick to materialise.
    from dnnf.zoo import light

    shipped = onnx.load(str(zoo.light_model_path("shufflenet")))
    feeds = [zoo.light_inputs("shufflenet"), zoo.example_inputs("shufflenet")]
    raw = light.materialize(shipped, seed=0)
    calibrated = light.materialize(shipped, seed=0, calibration_feeds=feeds)
    (saturated,) = ort_run(raw, feeds[1])
    (out,) = ort_run(calibrated, zoo.example_inputs("shufflenet", seed=7))
    assert saturated.max() > 0.99  # uncalibrated: a one-hot softmax
    assert np.isfinite(out).all() and out.max() < 0.9 and np.unique(out).size > 900


@needs_ort
def test_cli(cache):
    env = {**os.environ, "DNNF_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "dnnf.zoo", "squeezenet", "--check"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "[1/1] squeezenet: generating" in out.stdout
    assert str(cache / "models" / "squeezenet.onnx") in out.stdout
    assert "opset 17, 70 nodes" in out.stdout and "MB" in out.stdout
    assert "onnxruntime ok" in out.stdout
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert "squeezenet: reusing" in again.stdout and "cached" in again.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "dnnf.zoo", "nosuch"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "unknown model" in bad.stderr


# --- torch models ----------------------------------------------------------------


def _check_export(name, path, model, feeds):
    from dnnf.zoo import torch_models

    onnx_model = onnx.load(str(path))
    onnx.checker.check_model(onnx_model)
    assert [(o.domain, o.version) for o in onnx_model.opset_import] == [("", 17)]
    graph = onnx_model.graph
    assert [i.name for i in graph.input] == list(feeds)
    for value in (*graph.input, *graph.output):  # static shapes only
        dims = value.type.tensor_type.shape.dim
        assert dims and all(d.HasField("dim_value") for d in dims), value
    assert not any(n.op_type == "Shape" for n in graph.node)
    expected = torch_models.run_torch(model, feeds)
    got = ort_run(path, feeds)
    for e, g in zip(expected, got, strict=True):
        assert np.isfinite(g).all() and g.std() > 0
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-4)
    return onnx_model


@needs_torch
@needs_ort
@pytest.mark.parametrize("name", ["mobilenetv2", "efficientnet_b0"])
def test_torch_cnn_export(cache, name):
    from dnnf.zoo import torch_models

    path = zoo.model_path(name)
    assert path == cache / "models" / f"{name}.onnx"
    model = torch_models.build(name, seed=suite.SEED)
    feeds = zoo.example_inputs(name, seed=2)
    onnx_model = _check_export(name, path, model, feeds)
    ops = {n.op_type for n in onnx_model.graph.node}
    assert "BatchNormalization" in ops and "Conv" in ops
    if name == "efficientnet_b0":
        assert {"Sigmoid", "Mul", "GlobalAveragePool"} <= ops  # SiLU and SE
        convs = [n for n in onnx_model.graph.node if n.op_type == "Conv"]
        assert any(a.name == "group" and a.i > 1 for n in convs for a in n.attribute)
    else:
        assert "Clip" in ops  # ReLU6


@needs_torch
def test_torch_architectures_match_reference_sizes():
    # Parameter counts of torchvision's mobilenet_v2 / efficientnet_b0 and
    # Hugging Face's bert-base-uncased / gpt2.
    from dnnf.zoo import torch_models

    expected = {
        "mobilenetv2": 3_504_872,
        "efficientnet_b0": 5_288_548,
        "bert_base": 109_482_240,
        "gpt2": 124_439_808,
    }
    for name, count in expected.items():
        model = torch_models.SPECS[name].build(None)
        assert sum(p.numel() for p in model.parameters()) == count, name


SMALL = {
    "bert_base": suite.TransformerConfig(vocab=2000, layers=2, max_positions=512),
    "gpt2": suite.TransformerConfig(vocab=2000, layers=2, max_positions=1024, eps=1e-5),
}


@needs_torch
@needs_ort
@pytest.mark.parametrize("name", ["bert_base", "gpt2"])
def test_torch_transformer_export(tmp_path, name):
    # Two layers of the real width (768, 12 heads, 3072, 128 tokens); the
    # full 12-layer models go through the same code (python -m dnnf.zoo).
    from dnnf.zoo import torch_models

    cfg = SMALL[name]
    path = torch_models.export(name, tmp_path / f"{name}.onnx", seed=0, cfg=cfg)
    model = torch_models.build(name, seed=0, cfg=cfg)
    feeds = suite.inputs_for(name, seed=4, cfg=cfg)
    onnx_model = _check_export(name, path, model, feeds)
    ops = {n.op_type for n in onnx_model.graph.node}
    assert {"LayerNormalization", "Softmax", "MatMul"} <= ops
    if name == "bert_base":
        assert "Erf" in ops and "Tanh" in ops  # exact GELU, pooler
        assert feeds["attention_mask"].min() == 0  # padding really masked
        # Masked positions do not influence the others.
        other = dict(feeds)
        ids = other["input_ids"].copy()
        ids[feeds["attention_mask"] == 0] = 1
        other["input_ids"] = ids
        keep = feeds["attention_mask"][0] == 1
        a, b = ort_run(path, feeds)[0], ort_run(path, other)[0]
        np.testing.assert_allclose(a[:, keep], b[:, keep], atol=1e-5)
    else:
        assert "Where" in ops and "Tanh" in ops  # causal mask, tanh GELU
        assert "Erf" not in ops
        # Tied LM head: the embedding is stored once.
        big = [i for i in onnx_model.graph.initializer if 2000 in i.dims]
        assert [i.name for i in big] == ["wte.weight"]
        # Causal: a change at the last position leaves earlier logits alone.
        other = {"input_ids": feeds["input_ids"].copy()}
        other["input_ids"][0, -1] = (other["input_ids"][0, -1] + 1) % cfg.vocab
        a, b = ort_run(path, feeds)[0], ort_run(path, other)[0]
        np.testing.assert_allclose(a[:, :-1], b[:, :-1], atol=1e-5)
        assert not np.allclose(a[:, -1], b[:, -1])
