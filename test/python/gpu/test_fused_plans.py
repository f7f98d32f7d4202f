"""Fusion plans on the Vulkan path: modules planned by ``--dnnf-fuse``
(DNNFusion's plan and the fixed-pattern mode) hold ``dnnf.fused`` blocks,
and they lower to SPIR-V, pass spirv-val and match onnxruntime like the
unplanned module (f32 tolerance 1e-4 of scale, as test_vulkan_suite)."""

import numpy as np
import onnx
import pytest
from gpu_helpers import assert_close, erf_gelu, onnx_model, reference
from mlir import ir
from mlir.passmanager import PassManager
from onnx import helper

from dnnf import zoo
from dnnf.frontend.onnx import import_model
from dnnf.gpu import compile_vulkan
from dnnf.gpu.__main__ import random_feeds

RNG = np.random.default_rng(3)


def rand(*shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def attention_block():
    """One self-attention head and its LayerNorm/GELU feed-forward: the
    matmul, reshape/transpose, softmax and layernorm blocks of BERT."""
    s, d = 6, 8
    gelu, gelu_inits = erf_gelu("hb", "gelu")
    nodes = [
        helper.make_node("MatMul", ["x", "wq"], ["q"]),
        helper.make_node("MatMul", ["x", "wk"], ["k"]),
        helper.make_node("MatMul", ["x", "wv"], ["v"]),
        helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["q", "kt"], ["qk"]),
        helper.make_node("Div", ["qk", "scale"], ["qs"]),
        helper.make_node("Softmax", ["qs"], ["p"], axis=-1),
        helper.make_node("MatMul", ["p", "v"], ["a"]),
        helper.make_node("Add", ["a", "x"], ["r"]),
        helper.make_node("LayerNormalization", ["r", "g", "b"], ["n"], axis=-1),
        helper.make_node("MatMul", ["n", "w1"], ["h"]),
        helper.make_node("Add", ["h", "b1"], ["hb"]),
        *gelu,
        helper.make_node("MatMul", ["gelu", "w2"], ["y0"]),
        helper.make_node("Add", ["y0", "n"], ["y"]),
    ]
    inits = {
        "wq": rand(d, d, scale=0.3),
        "wk": rand(d, d, scale=0.3),
        "wv": rand(d, d, scale=0.3),
        "scale": np.array(np.sqrt(d), np.float32),
        "g": rand(d),
        "b": rand(d),
        "w1": rand(d, 16, scale=0.3),
        "b1": rand(16),
        "w2": rand(16, d, scale=0.3),
        **gelu_inits,
    }
    return onnx_model(nodes, [("x", [2, s, d])], [("y", [2, s, d])], inits)


def planned(model: onnx.ModelProto, mode: str) -> ir.Module:
    """The model imported and planned by ``--dnnf-fuse{mode}``."""
    module = import_model(model, context=ir.Context())
    with module.context:
        PassManager.parse(f"builtin.module(dnnf-fuse{{mode={mode}}})").run(
            module.operation
        )
    return module


def count_fused(module: ir.Module) -> int:
    found = []

    def visit(op: ir.Operation) -> ir.WalkResult:
        if op.name == "dnnf.fused":
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.operation.walk(visit)
    return len(found)


def suite_model(name: str) -> onnx.ModelProto:
    try:
        return onnx.load(zoo.model_path(name))
    except Exception as e:  # a model the zoo cannot build here
        pytest.skip(f"{name} unavailable: {e}")


MODELS = {
    "attention_block": attention_block,
    "squeezenet": lambda: suite_model("squeezenet"),
    "shufflenet": lambda: suite_model("shufflenet"),
}


@pytest.mark.parametrize("mode", ["dnnf", "fixed-pattern"])
@pytest.mark.parametrize("name", sorted(MODELS))
def test_fused_plan_runs_on_vulkan(name, mode, device, spirv_val):
    model = MODELS[name]()
    module = planned(model, mode)
    assert count_fused(module) > 0
    compiled = compile_vulkan(module, device=device)
    for kernel in compiled.kernels.values():
        spirv_val(kernel.spirv, compiled.options, kernel.name)
    feeds = random_feeds(compiled.inputs, seed=1)
    got = compiled(**feeds)
    want = reference(model, feeds)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape
        assert_close(g, w)
