"""The nine "light" models shipped in the ``onnx`` wheel, and their materialisation.

``onnx/backend/test/data/light/light_<name>.onnx`` are real architectures
(opset 9, IR 3) whose large weights were replaced by ``ConstantOfShape(0.02)``
nodes; small tensors (biases, some BatchNorm statistics, reshape targets) are
the original trained values.  Because every output channel of every layer sees
identical weights, the shipped expected outputs do not depend on the input:
the softmax models give exactly ``1/1000`` everywhere and densenet121 a single
repeated logit.  onnx's backend runner feeds ``arange(n).reshape(shape) / n``
(``Runner.generate_dummy_data(..., random=False)``); :func:`light_inputs`
reproduces that.

:func:`materialize` turns a light model into a useful one: each
``ConstantOfShape`` weight becomes an initializer with seeded random values
(He-normal for Conv/Gemm weights), the model is converted to a modern opset
with ``onnx.version_converter``, and the generated BatchNorm statistics are
calibrated on sample inputs so that activations stay normalised and the final
softmax does not saturate.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper, version_converter

from .suite import LIGHT_MODELS

# The IR version that goes with each default-domain opset we may target.
_IR_FOR_OPSET = {13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10}


def light_data_dir() -> Path:
    """Folder of the light models inside the installed ``onnx`` package."""
    return Path(onnx.__file__).resolve().parent / "backend" / "test" / "data" / "light"


def _check_light(name: str) -> None:
    if name not in LIGHT_MODELS:
        raise KeyError(
            f"unknown light model {name!r}; known: {', '.join(LIGHT_MODELS)}"
        )


def light_model_path(name: str) -> Path:
    """Path of the shipped ``light_<name>.onnx`` (opset 9, constant weights)."""
    _check_light(name)
    return light_data_dir() / f"light_{name}.onnx"


def light_expected_output(name: str) -> np.ndarray:
    """The shipped expected output ``light_<name>_output_0.pb`` as an array."""
    _check_light(name)
    path = light_data_dir() / f"light_{name}_output_0.pb"
    return numpy_helper.to_array(onnx.load_tensor(str(path)))


def graph_inputs(model: onnx.ModelProto) -> list[onnx.ValueInfoProto]:
    """The graph inputs that are not initializers (IR 3 lists both)."""
    inits = {i.name for i in model.graph.initializer}
    return [i for i in model.graph.input if i.name not in inits]


def _static_shape(value: onnx.ValueInfoProto) -> tuple[int, ...]:
    # Same rule as onnx's runner: a dimension without a value counts as 1.
    dims = value.type.tensor_type.shape.dim
    return tuple(d.dim_value if d.HasField("dim_value") else 1 for d in dims)


def runner_dummy_input(value: onnx.ValueInfoProto) -> np.ndarray:
    """onnx's backend-runner input: ``arange(n).reshape(shape) / n`` in float32."""
    if value.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
        raise NotImplementedError(f"input {value.name!r} is not float32")
    shape = _static_shape(value)
    n = int(np.prod(shape))
    return (np.arange(n).reshape(shape) / n).astype(np.float32)


def light_inputs(name: str) -> dict[str, np.ndarray]:
    """The inputs onnx's backend test runner feeds to ``light_<name>.onnx``."""
    model = onnx.load(str(light_model_path(name)), load_external_data=False)
    return {v.name: runner_dummy_input(v) for v in graph_inputs(model)}


# --- materialisation -------------------------------------------------------


def _attr_int(node: onnx.NodeProto, name: str, default: int) -> int:
    for a in node.attribute:
        if a.name == name:
            return int(a.i)
    return default


class _Graph:
    """Consumers and constant tensors of a graph, for role lookup."""

    def __init__(self, graph: onnx.GraphProto) -> None:
        self.consumers: dict[str, list[tuple[onnx.NodeProto, int]]] = defaultdict(list)
        for node in graph.node:
            for k, name in enumerate(node.input):
                self.consumers[name].append((node, k))
        self.inits = {i.name: i for i in graph.initializer}

    def const(self, name: str) -> np.ndarray | None:
        init = self.inits.get(name)
        return None if init is None else numpy_helper.to_array(init)


def _role(g: _Graph, name: str, shape: tuple[int, ...]) -> tuple[str, int]:
    """(role, fan_in) of a weight tensor, from the first node that reads it.

    Roles: ``weight`` (Conv/Gemm/MatMul weight), ``bias``, ``bn_scale``,
    ``bn_bias``, ``bn_mean``, ``bn_var``, ``scale`` (Mul), ``shift`` (Add).
    ``Reshape``/``Unsqueeze`` are followed to the real consumer.
    """
    uses = g.consumers.get(name, [])
    if not uses:
        return "weight", max(1, int(np.prod(shape[1:])))
    node, k = uses[0]
    op = node.op_type
    if op == "Conv":
        return ("weight", int(np.prod(shape[1:]))) if k == 1 else ("bias", 1)
    if op == "Gemm":
        if k == 1:
            trans_b = _attr_int(node, "transB", 0)
            return "weight", int(shape[1] if trans_b else shape[0])
        return "bias", 1
    if op == "MatMul" and k == 1:
        return "weight", int(shape[-2])
    if op == "BatchNormalization":
        return ("bn_scale", "bn_bias", "bn_mean", "bn_var")[k - 1], 1
    if op in ("Reshape", "Unsqueeze") and k == 0:
        out_shape = shape
        target = g.const(node.input[1]) if len(node.input) > 1 else None
        if op == "Reshape" and target is not None:
            out_shape = tuple(int(d) for d in target)
        return _role(g, node.output[0], out_shape)
    if op == "Mul":
        return "scale", 1
    if op in ("Add", "Sum"):
        return "shift", 1
    return "weight", max(1, int(np.prod(shape[1:])))


def _sample(
    rng: np.random.Generator, role: str, fan_in: int, shape: tuple[int, ...]
) -> np.ndarray:
    """Random values for one tensor; He-normal for weights."""
    if role == "weight":
        values = rng.normal(0.0, np.sqrt(2.0 / fan_in), shape)
    elif role in ("bias", "bn_bias", "bn_mean", "shift"):
        values = rng.normal(0.0, 0.1 if role != "bias" else 0.01, shape)
    elif role in ("bn_scale", "scale"):
        values = rng.uniform(0.5, 1.5, shape)
    elif role == "bn_var":
        values = rng.uniform(0.5, 1.5, shape)
    else:  # pragma: no cover - _role returns only the roles above
        raise ValueError(role)
    return values.astype(np.float32)


def _drop_unused_initializers(graph: onnx.GraphProto) -> None:
    used = {name for node in graph.node for name in node.input}
    used |= {o.name for o in graph.output}
    keep = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)


def replace_constant_of_shape(model: onnx.ModelProto, seed: int = 0) -> dict[str, int]:
    """Replaces every ``ConstantOfShape`` with a random initializer, in place.

    Weights (Conv, Gemm, MatMul) are He-normal, ``N(0, sqrt(2 / fan_in))``;
    Conv/Gemm biases ``N(0, 0.01)``; BatchNorm scale ``U(0.5, 1.5)``, bias
    and mean ``N(0, 0.1)``, variance ``U(0.5, 1.5)``; per-channel ``Mul``
    scales ``U(0.5, 1.5)`` and ``Add`` shifts ``N(0, 0.1)``.  Tensors are drawn
    in node order from ``numpy.random.default_rng(seed)``.  Returns how many
    tensors got each role.
    """
    graph = model.graph
    g = _Graph(graph)
    data_inputs = [v for v in graph.input if v.name not in g.inits]
    rng = np.random.default_rng(seed)
    counts: dict[str, int] = defaultdict(int)
    nodes: list[onnx.NodeProto] = []
    new_inits: list[onnx.TensorProto] = []
    for node in graph.node:
        if node.op_type != "ConstantOfShape":
            nodes.append(node)
            continue
        shape_arr = g.const(node.input[0])
        if shape_arr is None:
            raise ValueError(f"ConstantOfShape {node.output[0]!r}: shape not constant")
        shape = tuple(int(d) for d in shape_arr)
        role, fan_in = _role(g, node.output[0], shape)
        counts[role] += 1
        values = _sample(rng, role, fan_in, shape)
        new_inits.append(numpy_helper.from_array(values, node.output[0]))
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(new_inits)
    _drop_unused_initializers(graph)
    # From IR 4 on, initializers need not (and here should not) be inputs:
    # listing them would let a runtime treat the weights as overridable.
    del graph.input[:]
    graph.input.extend(data_inputs)
    return dict(counts)


def _bn_levels(graph: onnx.GraphProto, bns: list[onnx.NodeProto]) -> list[int]:
    """For each BN, 1 + the largest level among the BNs upstream of it."""
    producer = {o: n for n in graph.node for o in n.output}
    level: dict[int, int] = {}
    memo: dict[str, int] = {}  # value name -> max BN level upstream of it

    def upstream(name: str) -> int:
        stack, order = [name], []
        while stack:  # iterative DFS: graphs can be a thousand nodes deep
            v = stack.pop()
            if v in memo or v not in producer:
                continue
            order.append(v)
            node = producer[v]
            if node.op_type != "BatchNormalization":
                stack.extend(i for i in node.input if i and i not in memo)
        for v in reversed(order):
            node = producer[v]
            if node.op_type == "BatchNormalization" and id(node) in level:
                memo[v] = level[id(node)]
            else:
                memo[v] = max((memo.get(i, 0) for i in node.input if i), default=0)
        return memo.get(name, 0)

    for n in bns:  # graph.node is topologically sorted
        level[id(n)] = upstream(n.input[0]) + 1
    return [level[id(n)] for n in bns]


def calibrate_batchnorm(
    model: onnx.ModelProto,
    feeds: list[dict[str, np.ndarray]],
    names: Iterable[str] | None = None,
) -> None:
    """Sets BatchNorm running mean/var to the statistics seen on ``feeds``.

    Random He-scaled weights preserve the activations' second moment only
    roughly; through residual sums (and trained statistics kept from the
    original model) the logits grow until a final softmax saturates to
    one-hot.  Setting each BN's mean/var (those whose mean initializer is in
    ``names``; default: all) to the per-channel statistics of its input makes
    it really normalise.  BNs are calibrated level by level in dependency
    order, with one onnxruntime session whose BN statistics are fed as
    inputs.  Edits ``model`` in place.
    """
    import onnxruntime as ort

    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    allowed = None if names is None else set(names)
    bns = [
        n
        for n in graph.node
        if n.op_type == "BatchNormalization"
        and n.input[3] in inits
        and n.input[4] in inits
        and (allowed is None or n.input[3] in allowed)
    ]
    if not bns:
        return
    stats = {
        name: numpy_helper.to_array(inits[name]) for n in bns for name in n.input[3:5]
    }
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    kept = [i for i in probe.graph.initializer if i.name not in stats]
    del probe.graph.initializer[:]
    probe.graph.initializer.extend(kept)
    for name, arr in stats.items():
        probe.graph.input.append(
            onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, arr.shape)
        )
    known = {o.name for o in probe.graph.output}
    for x in dict.fromkeys(n.input[0] for n in bns):
        if x not in known:
            probe.graph.output.append(
                onnx.helper.make_tensor_value_info(x, onnx.TensorProto.FLOAT, None)
            )
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    session = ort.InferenceSession(
        probe.SerializeToString(), opts, providers=["CPUExecutionProvider"]
    )
    levels = _bn_levels(graph, bns)
    for lvl in sorted(set(levels)):
        todo = [n for n, k in zip(bns, levels, strict=True) if k == lvl]
        wanted = list(dict.fromkeys(n.input[0] for n in todo))
        runs = [session.run(wanted, {**f, **stats}) for f in feeds]
        values = {w: np.concatenate([r[k] for r in runs]) for k, w in enumerate(wanted)}
        for n in todo:
            x = values[n.input[0]].astype(np.float64)
            axes = (0, *range(2, x.ndim))
            stats[n.input[3]] = x.mean(axis=axes).astype(np.float32)
            stats[n.input[4]] = np.maximum(x.var(axis=axes), 1e-3).astype(np.float32)
    for name, arr in stats.items():
        inits[name].CopyFrom(numpy_helper.from_array(arr, name))


def default_opset(model: onnx.ModelProto) -> int:
    """The model's default-domain (``ai.onnx``) opset version."""
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return int(o.version)
    raise ValueError("model imports no default-domain opset")


def materialize(
    model: onnx.ModelProto,
    seed: int = 0,
    opsets: Iterable[int] = (17,),
    calibration_feeds: list[dict[str, np.ndarray]] | None = None,
) -> onnx.ModelProto:
    """A light model with real random weights, converted to a modern opset.

    Steps: :func:`replace_constant_of_shape` (seeded, He-normal weights);
    conversion with ``onnx.version_converter`` to the first of ``opsets`` that
    converts and passes ``onnx.checker`` (if none does, a warning names the
    failure and the model keeps opset 9, with IR 4 so that initializers need
    not be inputs); then, when ``calibration_feeds`` are given,
    :func:`calibrate_batchnorm` on the BatchNorms whose statistics were
    generated (needs onnxruntime).
    """
    base = onnx.ModelProto()
    base.CopyFrom(model)
    generated = {n.output[0] for n in base.graph.node if n.op_type == "ConstantOfShape"}
    replace_constant_of_shape(base, seed)
    base.ir_version = max(base.ir_version, 4)
    result = base
    for opset in opsets:
        try:
            converted = version_converter.convert_version(base, opset)
            converted.ir_version = _IR_FOR_OPSET.get(opset, converted.ir_version)
            onnx.checker.check_model(converted, full_check=True)
        except Exception as err:  # converter errors are of many types
            warnings.warn(
                f"opset {opset} conversion failed ({type(err).__name__}: {err})",
                stacklevel=2,
            )
            continue
        result = converted
        break
    else:
        onnx.checker.check_model(base, full_check=True)
    if calibration_feeds:
        calibrate_batchnorm(result, calibration_feeds, generated)
    return result
