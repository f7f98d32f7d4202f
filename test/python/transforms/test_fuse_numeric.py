"""--dnnf-fuse keeps numerics: fused and unfused modules agree on the reference.

Fused modules come from ``dnnf-opt --dnnf-fuse`` (``dnnf.opt_path()``, or
``$DNNF_OPT``); both are executed by the numpy reference interpreter, which
runs a ``dnnf.fused`` body op by op, so the outputs must agree to rounding.
Inputs: two suite models (squeezenet, mobilenetv2) and seeded random graphs
mixing every mapping type (elementwise, broadcasts, reductions, softmax,
1x1 convolutions, reshapes, transposes, shared constants, several outputs).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from mlir import ir

import dnnf
from dnnf import reference, zoo
from dnnf.frontend.onnx import import_model

MODES = ["", "mode=fixed-pattern", "profile-rule=fuse", "max-ops=3"]


def fuse(module: ir.Module, options: str = "") -> ir.Module:
    """Runs --dnnf-fuse[=options] on ``module`` in a dnnf-opt subprocess."""
    flag = f"--dnnf-fuse={options}" if options else "--dnnf-fuse"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.mlirbc"
        dst = Path(tmp) / "out.mlirbc"
        with open(src, "wb") as f:
            module.operation.write_bytecode(f)
        out = subprocess.run(
            [str(dnnf.opt_path()), str(src), flag, "--emit-bytecode", "-o", str(dst)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        return ir.Module.parse(dst.read_bytes())


def kernels(module: ir.Module) -> tuple[int, int]:
    """(kernels, fused blocks) directly in @main."""
    main = next(op for op in module.body.operations if op.operation.name == "func.func")
    count = blocks = 0
    for op in main.regions[0].blocks[0].operations:
        name = op.operation.name
        if name.startswith("dnnf.") and name != "dnnf.constant":
            count += 1
            blocks += name == "dnnf.fused"
    return count, blocks


def assert_same(a: list[np.ndarray], b: list[np.ndarray]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert x.shape == y.shape and x.dtype == y.dtype
        np.testing.assert_allclose(x, y, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["squeezenet", "mobilenetv2"])
def test_suite_model(ctx, name):
    try:
        path = zoo.model_path(name)
    except Exception as e:  # torch missing for mobilenetv2
        pytest.skip(f"{name} unavailable: {e}")
    module = import_model(path)
    inputs = zoo.example_inputs(name)
    expected = reference.run(module, inputs)
    before, _ = kernels(module)
    for options in ("", "mode=fixed-pattern"):
        fused = fuse(module, options)
        after, blocks = kernels(fused)
        assert blocks > 0 and after < before
        assert_same(reference.run(fused, inputs), expected)


# --- random graphs ------------------------------------------------------------

A = "tensor<1x4x4x4xf32>"  # the main shape; transposes of the last two keep it
B = "tensor<1x16x4xf32>"  # its reshape
R = "tensor<1x4x4x1xf32>"  # a reduction of A along the last axis


def random_graph(seed: int) -> str:
    """A random dnnf function over values of shapes A and B."""
    rng = np.random.default_rng(seed)
    lines: list[str] = []
    pool: dict[str, list[str]] = {A: ["%x", "%y"], B: []}
    used: set[str] = set()
    counter = iter(range(1000))

    def new() -> str:
        return f"%v{next(counter)}"

    def pick(shape: str) -> str:
        v = pool[shape][int(rng.integers(len(pool[shape])))]
        used.add(v)
        return v

    def const(shape: str, dims: tuple[int, ...]) -> str:
        c = new()
        vals = json.dumps(rng.uniform(-1, 1, dims).round(3).tolist())
        lines.append(f"  {c} = dnnf.constant dense<{vals}> : {shape}")
        return c

    bias = const("tensor<4x1x1xf32>", (4, 1, 1))
    bias_used = False
    weight = const("tensor<4x4x1x1xf32>", (4, 4, 1, 1))
    weight_used = False
    for _ in range(int(rng.integers(4, 14))):
        shape = A if not pool[B] or rng.random() < 0.75 else B
        kind = int(rng.integers(9 if shape == A else 4))
        v = new()
        if kind == 0:
            op = ["relu", "tanh", "sigmoid", "neg", "abs"][int(rng.integers(5))]
            lines.append(f"  {v} = dnnf.{op} {pick(shape)} : {shape}")
        elif kind == 1:
            op = ["add", "mul", "sub", "max"][int(rng.integers(4))]
            a, b = pick(shape), pick(shape)
            lines.append(f"  {v} = dnnf.{op} {a}, {b} : ({shape}, {shape}) -> {shape}")
        elif kind == 2:
            axis = 1 if shape == B else int(rng.integers(1, 4))
            lines.append(
                f"  {v} = dnnf.softmax {pick(shape)} {{axis = {axis} : i64}} : {shape}"
            )
        elif kind == 3:
            src, dst = (A, B) if shape == A else (B, A)
            lines.append(f"  {v} = dnnf.reshape {pick(src)} : {src} to {dst}")
            shape = dst
        elif kind == 4:
            bias_used = True
            lines.append(
                f"  {v} = dnnf.add {pick(A)}, {bias} : ({A}, tensor<4x1x1xf32>) -> {A}"
            )
        elif kind == 5:
            m = new()
            x = pick(A)
            lines.append(
                f"  {m} = dnnf.reduce_mean {x} {{axes = array<i64: 3>}} : ({A}) -> {R}"
            )
            lines.append(f"  {v} = dnnf.sub {x}, {m} : ({A}, {R}) -> {A}")
        elif kind == 6:
            lines.append(
                f"  {v} = dnnf.transpose {pick(A)} {{perm = array<i64: 0, 1, 3, 2>}}"
                f" : ({A}) -> {A}"
            )
        elif kind == 7:
            weight_used = True
            lines.append(
                f"  {v} = dnnf.conv {pick(A)}, {weight} {{strides = array<i64: 1, 1>, "
                "pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : "
                f"({A}, tensor<4x4x1x1xf32>) -> {A}"
            )
        else:
            lines.append(
                f"  {v} = dnnf.max_pool {pick(A)} {{kernel_shape = array<i64: 3, 3>, "
                "strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, "
                f"dilations = array<i64: 1, 1>}} : ({A}) -> {A}"
            )
        pool[shape].append(v)
    results = [v for shape in (A, B) for v in pool[shape] if v not in used]
    if not results:
        results = [pool[A][-1]]
    types = {v: shape for shape in (A, B) for v in pool[shape]}
    if not bias_used:
        lines = [ln for ln in lines if not ln.startswith(f"  {bias} ")]
    if not weight_used:
        lines = [ln for ln in lines if not ln.startswith(f"  {weight} ")]
    sig = ", ".join(types[v] for v in results)
    body = "\n".join(lines)
    return (
        f"func.func @main(%x: {A}, %y: {A}) -> ({sig}) {{\n{body}\n"
        f"  return {', '.join(results)} : {sig}\n}}\n"
    )


@pytest.mark.parametrize("seed", range(40))
def test_random_graph(ctx, seed):
    text = random_graph(seed)
    module = ir.Module.parse(text)
    rng = np.random.default_rng(1000 + seed)
    inputs = [rng.standard_normal((1, 4, 4, 4)).astype(np.float32) for _ in range(2)]
    expected = reference.run(module, inputs)
    before, _ = kernels(module)
    for options in MODES:
        fused = fuse(module, options)
        assert fused.operation.verify()
        after, _ = kernels(fused)
        assert after <= before, (options, text)
        assert_same(reference.run(fused, inputs), expected)


def test_fused_module_lowers_and_keeps_blocks(ctx):
    # The lowering inlines dnnf.fused; it must accept the pass's output.
    module = ir.Module.parse(random_graph(3))
    fused = fuse(module)
    text = str(fused)
    out = subprocess.run(
        [str(dnnf.opt_path()), "-", "--convert-dnnf-to-linalg"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "dnnf." not in out.stdout


# --- plans as code: --dnnf-cpu-pipeline{fusion=...} ---------------------------

PLANS = ["dnnf", "fixed-pattern", "none"]


@pytest.mark.parametrize("seed", range(0, 40, 3))
def test_random_graph_compiled_by_plan(ctx, seed):
    # Each plan's kernels (outlined, lowered, inlined back) compute what the
    # reference interpreter computes on the unfused graph.
    from dnnf.runtime import compile as compile_model

    text = random_graph(seed)
    rng = np.random.default_rng(1000 + seed)
    inputs = [rng.standard_normal((1, 4, 4, 4)).astype(np.float32) for _ in range(2)]
    expected = reference.run(ir.Module.parse(text), inputs)
    for plan in PLANS:
        compiled = compile_model(ir.Module.parse(text), cache=False, fusion=plan)
        got = compiled(*inputs)
        assert len(got) == len(expected), (plan, text)
        for g, e in zip(got, expected, strict=True):
            np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-5, err_msg=plan)


@pytest.mark.parametrize("name", ["squeezenet", "mobilenetv2"])
def test_suite_model_compiled_by_plan(name, tmp_path):
    # Against onnxruntime, per plan; tolerance as the other suite tests
    # (relative to the largest output magnitude).
    ort = pytest.importorskip("onnxruntime")
    from dnnf.runtime import compile as compile_model

    try:
        path = str(zoo.model_path(name))
    except Exception as e:  # torch missing for mobilenetv2
        pytest.skip(f"{name} unavailable: {e}")
    feed = zoo.example_inputs(name)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    expected = session.run(None, feed)
    for plan in PLANS if name == "squeezenet" else ["dnnf"]:
        compiled = compile_model(path, cache_dir=tmp_path, fusion=plan)
        got = compiled(**feed)
        for g, e in zip(got, expected, strict=True):
            scale = max(float(np.abs(e).max()), 1e-6)
            assert float(np.abs(g - e).max()) / scale < 1e-4, plan
