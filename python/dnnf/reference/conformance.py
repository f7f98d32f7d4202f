"""ONNX backend node tests through the dnnf importer and reference interpreter.

Each ONNX backend node test (a one-operator model, inputs and expected
outputs) is imported with :func:`dnnf.frontend.onnx.import_model`, verified,
run by :mod:`dnnf.reference`, and compared with the expected outputs.

The test data come from ``onnx/backend/test/data/node`` when the installed
``onnx`` ships it (``DNNF_ONNX_NODE_DATA`` may point at another copy);
recent ``onnx`` wheels do not, and then the cases are generated in memory by
the generators in ``onnx.backend.test.case.node`` (a few seconds), exactly
as ``backend-test-tools generate-data`` would write them.

dnnf compiles static graphs, so operator parameters must be constants;
node tests often feed them as graph inputs (Reshape's shape, Resize's
scales, the axes of reductions, Slice's starts...).  When the importer says
that a graph input must be a constant, the test is imported again with that
input turned into an initializer holding the test's value
(:attr:`Outcome.constant_inputs` lists them), as an exporter of an inference
model would have written it.  Dynamic input dimensions are fixed from the
test data with ``input_shapes``.

Outcomes (:class:`Outcome.category`):

* ``pass``
* ``fail-import``: ``import_model`` raised (``OnnxImportError``, or any other
  exception, which is an importer bug: it should always raise
  ``OnnxImportError``);
* ``fail-verify``: the importer built IR that the dialect's verifiers
  reject (while converting a node, or the finished module);
* ``fail-run``: the reference interpreter rejected the module (an op result
  whose shape differs from ONNX semantics, or an interpreter limitation);
* ``fail-numeric``: wrong number, shape, dtype or value of an output;
* ``skipped-unsupported``: the model uses an operator the importer lacks;
* ``skipped-other``: sequence/optional/map values, element types dnnf does
  not have (string, float8, int4, complex...), or training-only behaviour.

With ``run_case(case, jit=True)``, a test that passes is then also compiled
for the CPU with :func:`dnnf.runtime.compile` (``--dnnf-cpu-pipeline``, the
LLVM JIT), run on the same inputs and compared with the expected outputs in
the same way; its outcome is then one of :data:`JIT_CATEGORIES`:

* ``jit-pass``;
* ``fail-lower``: the compilation failed (a dnnf op that cannot be lowered,
  a pass pipeline error, or an element type the runtime lacks);
* ``fail-jit-run``: the compiled model raised when called;
* ``fail-jit-numeric``: wrong number, shape, dtype or value of an output.

A test that fails the reference path keeps that outcome: the JIT only runs
what the importer and the reference interpreter get right.

Float outputs must match within rtol=1e-4, atol=1e-5 (NaNs where NaNs are
expected; :data:`TEST_TOLERANCES` lists the justified exceptions), all
other outputs exactly, with the expected shape and dtype.

Besides "node", :func:`load_cases` reads the other suites that the onnx
wheel ships (:data:`SUITES`): pytorch-converted, pytorch-operator, simple,
and light (small real networks with made-up inputs).
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
from mlir import ir
from onnx import ModelProto, TensorProto, numpy_helper

CATEGORIES = (
    "pass",
    "fail-import",
    "fail-verify",
    "fail-run",
    "fail-numeric",
    "skipped-unsupported",
    "skipped-other",
)

#: Outcomes of the JIT execution of a test that passes the reference path.
JIT_CATEGORIES = ("jit-pass", "fail-lower", "fail-jit-run", "fail-jit-numeric")

#: Default comparison tolerances for floating-point outputs.
RTOL, ATOL = 1e-4, 1e-5

#: Per-test tolerances (rtol, atol), each with its reason.  (float16,
#: bfloat16 and float64 outputs all meet the default tolerances.)
TEST_TOLERANCES: dict[str, tuple[float, float, str]] = {
    "test_averagepool_2d_ceil_last_window_starts_on_pad": (
        0.0,
        1e-4,
        "the expected values are written with 4 decimals (0.1511 for 0.15106)",
    ),
}

#: Element types with a dnnf counterpart (see frontend/onnx/types.py).
DNNF_ELEM_TYPES = {
    TensorProto.FLOAT,
    TensorProto.FLOAT16,
    TensorProto.BFLOAT16,
    TensorProto.DOUBLE,
    TensorProto.BOOL,
    TensorProto.INT8,
    TensorProto.INT16,
    TensorProto.INT32,
    TensorProto.INT64,
    TensorProto.UINT8,
    TensorProto.UINT16,
    TensorProto.UINT32,
    TensorProto.UINT64,
}

#: Import errors that name graph inputs the importer needs as constants.
_NEEDS_CONSTANT = (
    re.compile(r"input #\d+ '([^']+)'(?: \([^)]*\))? must be a constant"),
    re.compile(r"supported only on constant inputs; input\(s\) (.*) are computed"),
)


@dataclass
class NodeCase:
    """One ONNX backend node test (its first data set)."""

    name: str
    model: ModelProto
    inputs: list[np.ndarray | None] = field(default_factory=list)
    outputs: list[np.ndarray | None] = field(default_factory=list)


@dataclass
class Outcome:
    name: str
    category: str
    message: str = ""
    ops: tuple[str, ...] = ()
    #: Graph inputs given to the importer as initializers (constants).
    constant_inputs: tuple[str, ...] = ()
    #: The dnnf ops of the imported @main (none: folded at import time).
    dnnf_ops: tuple[str, ...] = ()

    @property
    def folded(self) -> bool:
        """Imported as constants only: nothing left for dnnf to compute."""
        return self.category in ("pass", "jit-pass") and not self.dnnf_ops


# ---------------------------------------------------------------------------
# Loading the cases
# ---------------------------------------------------------------------------


#: The ONNX backend test suites: "node" (one operator per test) and the
#: on-disk ones that the onnx wheel ships ("light" are small real networks
#: whose inputs are made up as onnx's test runner does).
SUITES = ("node", "pytorch-converted", "pytorch-operator", "simple", "light")


def data_dir(suite: str = "node") -> Path | None:
    """Where the suite's test data are on disk, if anywhere."""
    env = os.environ.get("DNNF_ONNX_NODE_DATA")
    if env and suite == "node":
        return Path(env)
    path = Path(onnx.__file__).parent / "backend" / "test" / "data" / suite
    return path if path.is_dir() else None


def _to_array(value: object) -> np.ndarray | None:
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, TensorProto):
        return numpy_helper.to_array(value)
    if isinstance(value, np.generic | int | float | bool):
        return np.asarray(value)
    return None  # sequences, optionals, maps


def _read_pb(path: Path) -> np.ndarray | None:
    tensor = TensorProto()
    try:
        tensor.ParseFromString(path.read_bytes())
        return numpy_helper.to_array(tensor)
    except Exception:  # a sequence / optional proto
        return None


def _load_from_dir(directory: Path) -> dict[str, NodeCase]:
    cases = {}
    for test in sorted(directory.iterdir()):
        model_path = test / "model.onnx"
        data = test / "test_data_set_0"
        if not model_path.is_file() or not data.is_dir():
            continue
        count_in = len(list(data.glob("input_*.pb")))
        count_out = len(list(data.glob("output_*.pb")))
        cases[test.name] = NodeCase(
            test.name,
            onnx.load(str(model_path)),
            [_read_pb(data / f"input_{i}.pb") for i in range(count_in)],
            [_read_pb(data / f"output_{i}.pb") for i in range(count_out)],
        )
    return cases


def _generate() -> dict[str, NodeCase]:
    from onnx.backend.test.case import node

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        generated = node.collect_testcases(None)
    cases = {}
    for case in generated:
        if case.kind != "node" or not case.data_sets or case.model is None:
            continue
        inputs, outputs = case.data_sets[0]
        cases[case.name] = NodeCase(
            case.name,
            case.model,
            [_to_array(v) for v in inputs],
            [_to_array(v) for v in outputs],
        )
    return cases


def _load_light(directory: Path) -> dict[str, NodeCase]:
    cases = {}
    for model_path in sorted(directory.glob("light_*.onnx")):
        name = "test_" + model_path.stem.removeprefix("light_")
        model = onnx.load(str(model_path))
        inits = {i.name for i in model.graph.initializer}
        inputs = []
        for value in model.graph.input:
            if value.name in inits:
                continue
            # As onnx.backend.test.runner's generate_dummy_data(random=False).
            dims = value.type.tensor_type.shape.dim
            shape = tuple(d.dim_value if d.HasField("dim_value") else 1 for d in dims)
            n = int(np.prod(shape))
            inputs.append((np.arange(n).reshape(shape) / n).astype(np.float32))
        outputs = [
            _read_pb(model_path.with_name(f"{model_path.stem}_output_{i}.pb"))
            for i in range(len(model.graph.output))
        ]
        cases[name] = NodeCase(name, model, inputs, outputs)  # type: ignore[arg-type]
    return cases


@functools.cache
def load_cases(suite: str = "node") -> dict[str, NodeCase]:
    """Every test of an ONNX backend test suite (default: node), by name."""
    if suite not in SUITES:
        raise ValueError(f"unknown suite '{suite}'; one of {', '.join(SUITES)}")
    directory = data_dir(suite)
    if suite == "light":
        return {} if directory is None else _load_light(directory)
    if directory is not None:
        return _load_from_dir(directory)
    return _generate() if suite == "node" else {}


# ---------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------


def _all_nodes(graph: onnx.GraphProto) -> list[onnx.NodeProto]:
    nodes = []
    for n in graph.node:
        nodes.append(n)
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                nodes.extend(_all_nodes(a.g))
            elif a.type == onnx.AttributeProto.GRAPHS:
                for g in a.graphs:
                    nodes.extend(_all_nodes(g))
    return nodes


def op_types(model: ModelProto) -> tuple[str, ...]:
    """The operators of the model (``domain:Op`` outside the default domain)."""
    names = set()
    for n in _all_nodes(model.graph):
        names.add(
            n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}:{n.op_type}"
        )
    return tuple(sorted(names))


def unsupported_ops(model: ModelProto) -> list[str]:
    from dnnf.frontend.onnx.importer import PASSTHROUGH
    from dnnf.frontend.onnx.ops import CONVERTERS, FOLD_ONLY

    known = set(CONVERTERS) | set(FOLD_ONLY) | set(PASSTHROUGH)
    return [op for op in op_types(model) if op not in known]


def _value_problem(value: onnx.ValueInfoProto) -> str | None:
    t = value.type
    if not t.HasField("tensor_type"):
        kind = t.WhichOneof("value") or "untyped"
        return f"'{value.name}' is a {kind.replace('_type', '')} value"
    elem = t.tensor_type.elem_type
    if elem not in DNNF_ELEM_TYPES:
        return f"'{value.name}' has element type {TensorProto.DataType.Name(elem)}"
    return None


def _training_only(model: ModelProto) -> str | None:
    graph_outputs = {o.name for o in model.graph.output}
    for n in model.graph.node:
        attrs = {a.name: a for a in n.attribute}
        if n.op_type == "BatchNormalization" and "training_mode" in attrs:
            if attrs["training_mode"].i:
                return "BatchNormalization with training_mode = 1"
        if n.op_type == "Dropout":
            if len(n.input) > 2 and n.input[2]:
                return "Dropout with a training_mode input"
            if len(n.output) > 1 and n.output[1] in graph_outputs:
                return "Dropout's mask output"
    return None


def skip_reason(case: NodeCase) -> tuple[str, str] | None:
    """(category, reason) when the case is not run, else None."""
    model = case.model
    missing = unsupported_ops(model)
    if missing:
        return "skipped-unsupported", "unsupported operator(s): " + ", ".join(missing)
    for value in list(model.graph.input) + list(model.graph.output):
        problem = _value_problem(value)
        if problem:
            return "skipped-other", problem
    if any(v is None for v in case.inputs + case.outputs):
        return "skipped-other", "non-tensor test data"
    training = _training_only(model)
    if training:
        return "skipped-other", f"training-only: {training}"
    return None


def _constant_inputs_wanted(message: str) -> list[str]:
    """Graph inputs that an import error says must be constants."""
    names: list[str] = []
    for pattern in _NEEDS_CONSTANT:
        for m in pattern.finditer(message):
            names.extend(re.findall(r"'([^']+)'", m.group(0)) or [m.group(1)])
    return names


def with_constant_inputs(
    case: NodeCase, names: set[str]
) -> tuple[ModelProto, list[np.ndarray]]:
    """The model with the graph inputs ``names`` turned into initializers
    holding the test's values, and the remaining inputs' values."""
    model = ModelProto()
    model.CopyFrom(case.model)
    graph = model.graph
    inits = {i.name for i in graph.initializer}
    runtime = [i for i in graph.input if i.name not in inits]
    values = []
    for value, array in zip(runtime, case.inputs, strict=False):
        if value.name in names:
            graph.initializer.append(
                numpy_helper.from_array(np.asarray(array), value.name)
            )
        else:
            values.append(np.asarray(array))
    if names:
        # Old models (IR < 4) also list their initializers as inputs: keep them.
        keep = [i for i in graph.input if i.name in inits or i.name not in names]
        del graph.input[:]
        graph.input.extend(keep)
    return model, values


def _dynamic_input_shapes(model: ModelProto, inputs: list[np.ndarray]) -> dict:
    """input_shapes for the graph inputs whose declared shape is not static."""
    inits = {i.name for i in model.graph.initializer}
    runtime = [i for i in model.graph.input if i.name not in inits]
    shapes = {}
    for value, array in zip(runtime, inputs, strict=False):
        tt = value.type.tensor_type
        static = tt.HasField("shape") and all(
            d.HasField("dim_value") for d in tt.shape.dim
        )
        if not static:
            shapes[value.name] = list(np.asarray(array).shape)
    return shapes


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------


def tolerances(name: str) -> tuple[float, float]:
    """(rtol, atol) for the float outputs of test ``name``."""
    if name in TEST_TOLERANCES:
        rtol, atol, _ = TEST_TOLERANCES[name]
        return rtol, atol
    return RTOL, ATOL


def compare(name: str, got: list[np.ndarray], expected: list[np.ndarray]) -> str | None:
    """None when ``got`` matches ``expected``, else what differs."""
    if len(got) != len(expected):
        return f"{len(got)} outputs, expected {len(expected)}"
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        g, e = np.asarray(g), np.asarray(e)
        if g.shape != e.shape:
            return f"output {i}: shape {list(g.shape)}, expected {list(e.shape)}"
        if g.dtype != e.dtype:
            return f"output {i}: dtype {g.dtype}, expected {e.dtype}"
        if e.dtype.kind in "fc" or e.dtype.name == "bfloat16":
            rtol, atol = tolerances(name)
            g64, e64 = g.astype(np.float64), e.astype(np.float64)
            ok = np.isclose(g64, e64, rtol=rtol, atol=atol, equal_nan=True)
            if not ok.all():
                bad = np.argwhere(~ok)
                where = tuple(int(v) for v in bad[0])
                err = np.abs(g64 - e64)
                err = np.where(np.isnan(err), np.inf, err)
                return (
                    f"output {i}: {int((~ok).sum())}/{ok.size} values differ "
                    f"(rtol={rtol}, atol={atol}); max abs error "
                    f"{float(np.max(err)):.3g}; first at {list(where)}: "
                    f"{g64[where]!r} vs {e64[where]!r}"
                )
        elif not np.array_equal(g, e):
            bad = np.argwhere(g != e)
            where = tuple(int(v) for v in bad[0]) if bad.size else ()
            return (
                f"output {i}: {len(bad)}/{e.size} values differ; first at "
                f"{list(where)}: {g[where]!r} vs {e[where]!r}"
            )
    return None


def _computed_ops(module: ir.Module) -> tuple[str, ...]:
    """The dnnf ops that compute something in ``module``."""
    names: set[str] = set()

    def visit(op: ir.Operation) -> ir.WalkResult:
        if op.name.startswith("dnnf.") and op.name not in (
            "dnnf.constant",
            "dnnf.yield",
        ):
            names.add(op.name)
        return ir.WalkResult.ADVANCE

    module.operation.walk(visit)
    return tuple(sorted(names))


def _run_jit(
    case: NodeCase, module: ir.Module, inputs: list[np.ndarray]
) -> tuple[str, str]:
    """(category, message) of compiling ``module`` for the CPU, running it on
    ``inputs`` and checking its outputs."""
    from dnnf.runtime import compile as jit_compile

    try:
        compiled = jit_compile(module)
    except (ir.MLIRError, NotImplementedError) as e:
        return "fail-lower", f"{type(e).__name__}: {e}"
    except Exception as e:  # a runtime bug: compile should raise one of the above
        return "fail-lower", f"[crash] {type(e).__name__}: {e}"
    try:
        got = compiled(*inputs)
    except Exception as e:
        return "fail-jit-run", f"{type(e).__name__}: {e}"
    problem = compare(case.name, got, [np.asarray(v) for v in case.outputs])
    if problem:
        return "fail-jit-numeric", problem
    return "jit-pass", ""


def run_case(case: NodeCase, *, jit: bool = False) -> Outcome:
    """Imports, verifies, runs and checks one node test; with ``jit``, a test
    that passes is then compiled and run through the JIT (see the module
    docstring for the outcomes)."""
    from dnnf.frontend.onnx import OnnxImportError, import_model
    from dnnf.reference import InterpreterError, run

    ops = op_types(case.model)
    skip = skip_reason(case)
    if skip:
        return Outcome(case.name, skip[0], skip[1], ops)
    runtime = {i.name for i in case.model.graph.input} - {
        i.name for i in case.model.graph.initializer
    }
    constants: set[str] = set()

    dnnf_ops: tuple[str, ...] = ()

    def outcome(category: str, message: str = "") -> Outcome:
        return Outcome(
            case.name, category, message, ops, tuple(sorted(constants)), dnnf_ops
        )

    with ir.Context():
        # dnnf compiles static graphs: an operator parameter fed as a graph
        # input (Reshape's shape, Resize's scales, reduction axes...) must be
        # a constant.  Such inputs become initializers, and the import is
        # tried again.
        while True:
            model, inputs = with_constant_inputs(case, constants)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    shapes = _dynamic_input_shapes(model, inputs)
                    module = import_model(model, shapes)
                break
            except OnnxImportError as e:
                text = str(e)
                wanted = set(_constant_inputs_wanted(text))
                if wanted and wanted <= runtime - constants:
                    constants |= wanted
                    continue
                # The importer built an op (or module) that the dialect's
                # verifiers reject.
                if "does not verify" in text or "Verification failed" in text:
                    return outcome("fail-verify", text)
                return outcome("fail-import", text)
            except Exception as e:  # an importer bug: not an OnnxImportError
                return outcome("fail-import", f"[crash] {type(e).__name__}: {e}")
        try:
            module.operation.verify()
        except ir.MLIRError as e:
            return outcome("fail-verify", str(e))
        dnnf_ops = _computed_ops(module)
        try:
            got = run(module, inputs)
        except InterpreterError as e:
            return outcome("fail-run", str(e))
        problem = compare(case.name, got, [np.asarray(v) for v in case.outputs])
        if problem:
            return outcome("fail-numeric", problem)
        if not jit:
            return outcome("pass")
        return outcome(*_run_jit(case, module, inputs))


def run_all(names: list[str] | None = None, *, jit: bool = False) -> list[Outcome]:
    cases = load_cases()
    selected = sorted(cases) if names is None else names
    return [run_case(cases[n], jit=jit) for n in selected]
