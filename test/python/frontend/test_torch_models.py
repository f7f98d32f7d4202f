"""The torch-exported models of the suite import, verify, classify and
compute what onnxruntime computes (through the reference interpreter)."""

import importlib.util

import numpy as np
import onnxruntime as ort
import pytest
from mlir import ir
from mlir.passmanager import PassManager

import dnnf
from dnnf import reference, zoo
from dnnf.frontend.onnx import import_model
from dnnf.zoo import suite

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None, reason="torch not installed"
)

# Full width and sequence length, two layers: the 12-layer models go through
# the same code (benchmarks/import_suite.py imports those).
SMALL = {
    "bert_base": suite.TransformerConfig(vocab=2000, layers=2, max_positions=512),
    "gpt2": suite.TransformerConfig(vocab=2000, layers=2, max_positions=1024, eps=1e-5),
}


def check(path, feeds, rtol=1e-4, atol=1e-4):
    with ir.Context():
        module = import_model(path)
        assert module.operation.verify()
        PassManager.parse("builtin.module(dnnf-classify)").run(module.operation)
        ops = list(module.body.operations[0].regions[0].blocks[0].operations)
        kinds = {dnnf.stored_mapping_type(op) for op in ops} - {None}
        got = reference.run(module, feeds)
    want = ort.InferenceSession(str(path)).run(None, feeds)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
    return kinds


@pytest.mark.parametrize("name", ["bert_base", "gpt2"])
def test_transformer(tmp_path, name):
    from dnnf.zoo import torch_models

    cfg = SMALL[name]
    path = torch_models.export(name, tmp_path / f"{name}.onnx", seed=0, cfg=cfg)
    kinds = check(path, suite.inputs_for(name, seed=1, cfg=cfg))
    # Attention: reshapes and transposes between the matmuls.
    assert {
        dnnf.MappingType.ManyToMany,
        dnnf.MappingType.Reorganize,
        dnnf.MappingType.Shuffle,
    } <= kinds


@pytest.mark.parametrize("name", ["mobilenetv2", "efficientnet_b0"])
def test_cnn(tmp_path, monkeypatch, name):
    monkeypatch.setenv("DNNF_CACHE_DIR", str(tmp_path))
    path = zoo.model_path(name)
    kinds = check(path, zoo.example_inputs(name))
    assert dnnf.MappingType.ManyToMany in kinds
