"""Property tests of --dnnf-algebraic-simplify: rewritten graphs compute the
same values as the originals (the numpy reference interpreter on random
inputs), for random small graphs and for every lit test input.

``dnnf-opt`` is ``dnnf.opt_path()`` (the installed one; ``DNNF_OPT``
overrides it).  ``DNNF_PROPERTY_EXAMPLES`` sets the number of random graphs
(default 300) and ``DNNF_PROPERTY_SEED`` explores with that seed instead of
the derandomized default.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from mlir import ir

import dnnf
import dnnf.reference as ref

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from graphgen import (  # noqa: E402
    HypothesisChooser,
    RandomChooser,
    compare,
    random_graph,
)

EXAMPLES = int(os.environ.get("DNNF_PROPERTY_EXAMPLES", "300"))
SEED = os.environ.get("DNNF_PROPERTY_SEED")
LIT_DIR = Path(__file__).parents[2] / "dialect" / "transforms"
REMARK = re.compile(r"dnnf-algebraic-simplify: ([a-z-]+) \(")


def simplify(text: str, options: str = "") -> tuple[str, list[str]]:
    """Runs dnnf-opt on ``text``; returns the output and the rules fired."""
    flag = "-dnnf-algebraic-simplify=emit-remarks" + (f" {options}" if options else "")
    out = subprocess.run(
        [str(dnnf.opt_path()), "-", flag, "-mlir-print-op-on-diagnostic=false"],
        input=text,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, f"dnnf-opt failed:\n{out.stderr}\ninput:\n{text}"
    return out.stdout, REMARK.findall(out.stderr)


def run(text: str, inputs: list[np.ndarray], func: str = "main") -> list[np.ndarray]:
    with ir.Context():
        module = ir.Module.parse(text)
        return ref.run(module, inputs, func_name=func)


def check_equivalent(
    text: str,
    inputs: list[np.ndarray],
    func: str = "main",
    options: str = "",
    finite_only: bool = False,
) -> list[str]:
    after_text, fired = simplify(text, options)
    before = run(text, inputs, func)
    after = run(after_text, inputs, func)
    assert len(before) == len(after)
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        problem = compare(b, a, finite_only=finite_only)
        assert problem is None, (
            f"output #{i} of @{func} changed ({problem}); rules fired: {fired}\n"
            f"before:\n{text}\nafter:\n{after_text}"
        )
    return fired


FIRED: Counter[str] = Counter()
COUNTS = {"graphs": 0, "rewritten": 0}


@pytest.fixture(scope="module", autouse=True)
def report_coverage():
    """Prints how many random graphs ran and which rules fired (pytest -s)."""
    yield
    if COUNTS["graphs"]:
        print(
            f"\nalgebraic property: {COUNTS['graphs']} graphs, "
            f"{COUNTS['rewritten']} rewritten, {len(FIRED)} distinct rules, "
            f"{sum(FIRED.values())} rewrites"
        )


def _settings(examples: int):
    """Hypothesis settings: derandomized (reproducible in CI) unless
    ``DNNF_PROPERTY_SEED`` picks a seed."""
    config = settings(
        max_examples=examples,
        deadline=None,
        derandomize=SEED is None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )

    def apply(fn):
        fn = config(fn)
        return hypothesis.seed(int(SEED))(fn) if SEED is not None else fn

    return apply


@_settings(EXAMPLES)
@given(st.data())
def test_random_graphs_equivalent(data: st.DataObject) -> None:
    gen, text = random_graph(HypothesisChooser(data))
    seed = data.draw(st.integers(0, 2**31 - 1))
    inputs = gen.inputs(np.random.default_rng(seed))
    fired = check_equivalent(text, inputs)
    FIRED.update(fired)
    COUNTS["graphs"] += 1
    COUNTS["rewritten"] += bool(fired)


@_settings(max(EXAMPLES // 3, 20))
@given(st.data())
def test_random_graphs_fast_math(data: st.DataObject) -> None:
    """With fast-math, on positive values (the domain the fast-math rules
    assume), results match wherever the original is finite."""
    gen, text = random_graph(HypothesisChooser(data), positive=True)
    seed = data.draw(st.integers(0, 2**31 - 1))
    inputs = gen.inputs(np.random.default_rng(seed))
    check_equivalent(text, inputs, options="fast-math=true", finite_only=True)


def test_random_graphs_exercise_rules() -> None:
    """The generator reaches most of the library (checked on a fixed seed
    range, independent of hypothesis)."""
    fired: Counter[str] = Counter()
    for seed in range(150):
        _, text = random_graph(RandomChooser(seed))
        fired.update(simplify(text)[1])
    assert len(fired) >= 40, sorted(fired)


# -- lit test inputs ---------------------------------------------------------

FUNC = re.compile(r"func\.func @(\w+)\(([^)]*)\)")
ARG_TYPE = re.compile(r"%\w+: (tensor<[^>]*>)")


def lit_files() -> list[Path]:
    return [
        p
        for p in sorted(LIT_DIR.glob("algebraic-simplify-*.mlir"))
        if "fastmath" not in p.name
    ]


def random_input(t: str, rng: np.random.Generator) -> np.ndarray:
    body = t[len("tensor<") : -1]
    *dims, elem = body.split("x")
    shape = tuple(int(d) for d in dims)
    if elem.startswith("f"):
        dt = np.float64 if elem == "f64" else np.float32
        return rng.uniform(-2.0, 2.0, size=shape).astype(dt)
    if elem == "i1":
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    dt = {"i8": np.int8, "i32": np.int32, "i64": np.int64}[elem]
    return rng.integers(1, 6, size=shape).astype(dt)


@pytest.mark.parametrize("path", lit_files(), ids=lambda p: p.stem)
def test_lit_inputs_equivalent(path: Path) -> None:
    """Every function of the lit tests (default options) computes the same
    values after the pass, on random inputs."""
    text = path.read_text()
    out = subprocess.run(
        [
            str(dnnf.opt_path()),
            str(path),
            "-split-input-file",
            "-dnnf-algebraic-simplify",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    chunks = text.split("// -----")
    outputs = out.stdout.split("// -----")
    assert len(chunks) == len(outputs)
    checked = 0
    for chunk, after in zip(chunks, outputs, strict=True):
        for name, args in FUNC.findall(chunk):
            if "?" in args:
                continue  # dynamic shapes: nothing to run
            rng = np.random.default_rng(0)
            inputs = [random_input(t, rng) for t in ARG_TYPE.findall(args)]
            before = run(chunk, inputs, name)
            result = run(after, inputs, name)
            for i, (b, a) in enumerate(zip(before, result, strict=True)):
                problem = compare(b, a)
                assert problem is None, f"{path.name} @{name} output #{i}: {problem}"
            checked += 1
    assert checked > 0
