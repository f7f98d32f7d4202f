"""ONNX graph -> ``func.func @main`` in the dnnf dialect."""

from __future__ import annotations

import numpy as np
from mlir import ir
from mlir.dialects import func
from onnx import ModelProto, NodeProto, numpy_helper

import dnnf  # noqa: F401  (registers the dialect)

from . import types as T
from .context import ImportContext, Node
from .errors import NodeError, OnnxImportError, describe_node
from .folding import NONDETERMINISTIC, fold
from .model import default_opset
from .ops import CONVERTERS, FOLD_ONLY

#: Ops that produce values without emitting anything.
PASSTHROUGH = {"Identity"}


def unsupported_nodes(model: ModelProto, path: str) -> list[str]:
    opset = default_opset(model)
    found = []
    for i, n in enumerate(model.graph.node):
        known = n.domain in ("", "ai.onnx") and (
            n.op_type in CONVERTERS
            or n.op_type in FOLD_ONLY
            or n.op_type in PASSTHROUGH
        )
        if not known:
            found.append(describe_node(path, i, n.name, n.op_type, n.domain, opset))
    return found


def import_graph(
    model: ModelProto,
    path: str,
    ctx: ir.Context,
    declared_value_info: list | None = None,
) -> ir.Module:
    graph = model.graph
    opset = default_opset(model)

    unsupported = unsupported_nodes(model, path)
    if unsupported:
        raise OnnxImportError(
            f"{path}: {len(unsupported)} node(s) use operators that dnnf does not "
            "support:\n  " + "\n  ".join(unsupported)
        )

    state = ImportContext(path)
    for init in graph.initializer:
        try:
            state.consts[init.name] = numpy_helper.to_array(init)
        except Exception as e:
            raise OnnxImportError(
                f"{path}: initializer '{init.name}' cannot be read: {e}"
            ) from None
    produced = {o for n in graph.node for o in n.output}
    inputs = [
        i for i in graph.input if i.name not in state.consts and i.name not in produced
    ]
    inferred = {v.name: v for v in list(graph.value_info) + list(graph.output)}
    declared = {v.name for v in (declared_value_info or [])}
    used = {i for n in graph.node for i in n.input} | {o.name for o in graph.output}

    file_loc = ir.Location.file(path, 0, 0)
    module = ir.Module.create(loc=file_loc)
    arg_types = []
    for value in inputs:
        tt = value.type.tensor_type
        try:
            elem = T.mlir_element_type(tt.elem_type)
        except NodeError as e:
            raise OnnxImportError(f"{path}: input '{value.name}': {e}") from None
        arg_types.append(T.tensor_type([d.dim_value for d in tt.shape.dim], elem))

    with ir.InsertionPoint(module.body), file_loc:
        # Result types are known only after conversion: start with none.
        fn = func.FuncOp("main", ir.FunctionType.get(arg_types, []))
        fn.attributes["sym_visibility"] = ir.StringAttr.get("public")
        entry = fn.add_entry_block(
            [ir.Location.name(v.name, childLoc=file_loc) for v in inputs]
        )
    for value, arg in zip(inputs, entry.arguments, strict=True):
        state.values[value.name] = arg

    with ir.InsertionPoint(entry):
        for index, proto in enumerate(graph.node):
            where = describe_node(
                path, index, proto.name, proto.op_type, proto.domain, opset
            )
            loc = ir.Location.name(
                proto.name or f"{proto.op_type}_{index}",
                childLoc=ir.Location.file(path, index + 1, 1),
            )
            try:
                with loc:
                    _convert_node(proto, state, opset, inferred, used, declared)
            except (NodeError, ir.MLIRError) as e:
                raise OnnxImportError(f"{where}: {e}") from None

        results = []
        with file_loc:
            for out in graph.output:
                if not state.has(out.name):
                    raise OnnxImportError(
                        f"{path}: graph output '{out.name}' is never computed"
                    )
                results.append(state.value(out.name))
            func.ReturnOp(results)

    fn.attributes["function_type"] = ir.TypeAttr.get(
        ir.FunctionType.get(arg_types, [r.type for r in results])
    )
    fn.arg_attrs = ir.ArrayAttr.get(
        [ir.DictAttr.get({"dnnf.name": ir.StringAttr.get(v.name)}) for v in inputs]
    )
    fn.res_attrs = ir.ArrayAttr.get(
        [
            ir.DictAttr.get({"dnnf.name": ir.StringAttr.get(o.name)})
            for o in graph.output
        ]
    )
    # Weight buffers are retained by their resource blobs (the bindings hold
    # a reference), so the module owns everything it needs.
    try:
        module.operation.verify()
    except ir.MLIRError as e:
        raise OnnxImportError(
            f"{path}: the imported module does not verify: {e}"
        ) from None
    return module


def _convert_node(
    proto: NodeProto,
    state: ImportContext,
    opset: int,
    inferred: dict,
    used: set,
    declared: set,
) -> None:
    op = proto.op_type
    if op in PASSTHROUGH:
        source = proto.input[0]
        if source in state.consts:
            state.consts[proto.output[0]] = state.consts[source]
        else:
            state.values[proto.output[0]] = state.value(source)
        return
    node = Node(proto, state, opset)
    const_inputs = [n == "" or n in state.consts for n in proto.input]
    if all(const_inputs) and op not in NONDETERMINISTIC:
        arrays = [state.consts.get(n) if n else None for n in proto.input]
        for name, array in zip(proto.output, fold(proto, arrays, opset), strict=False):
            if name:
                state.consts[name] = np.asarray(array)
        return
    if op in ("Shape", "Size"):
        # Shapes are static: the shape of a run-time tensor is a constant.
        shape = T.shape_of(state.value(proto.input[0]))
        if op == "Size":
            state.consts[proto.output[0]] = np.array(np.prod(shape), dtype=np.int64)
            return
        start, end = node.int_attr("start", 0), node.int_attr("end", len(shape))
        state.consts[proto.output[0]] = np.array(shape[start:end], dtype=np.int64)
        return
    converter = CONVERTERS.get(op)
    if converter is None:  # a fold-only op with run-time inputs
        missing = [n for n, c in zip(proto.input, const_inputs, strict=False) if not c]
        raise NodeError(
            f"{op} is supported only on constant inputs; input(s) "
            + ", ".join(repr(m) for m in missing)
            + " are computed at run time"
        )
    outputs = list(converter(node))
    for i, name in enumerate(proto.output):
        if not name:
            continue
        if i >= len(outputs) or outputs[i] is None:
            if name in used:
                raise NodeError(f"output #{i} '{name}' is used but not supported")
            continue
        result = outputs[i]
        if isinstance(result, np.ndarray):
            state.consts[name] = result
            continue
        _check_inferred(name, result, inferred, name in declared)
        state.values[name] = result


def _check_inferred(name: str, value: ir.Value, inferred: dict, declared: bool) -> None:
    """Cross-checks dnnf's result type with the model's declared types.

    Element types are always checked.  Shapes are checked against what the
    model itself declares; shapes that only ONNX shape inference derived are
    not, since dnnf's verified inference is exact where ONNX's is known to
    differ (e.g. pooling with ceil_mode).
    """
    info = inferred.get(name)
    if info is None or not info.type.HasField("tensor_type"):
        return
    tt = info.type.tensor_type
    ours = ir.RankedTensorType(value.type)
    if tt.elem_type and T.mlir_element_type(tt.elem_type) != ours.element_type:
        raise NodeError(
            f"output '{name}' has element type {ours.element_type} in dnnf but "
            f"{T.onnx_type_name(tt.elem_type)} in the ONNX model (type mismatch)"
        )
    if declared and tt.HasField("shape"):
        dims = [d.dim_value if d.HasField("dim_value") else None for d in tt.shape.dim]
        if len(dims) != ours.rank or any(
            d is not None and d != s for d, s in zip(dims, ours.shape, strict=False)
        ):
            shown = "x".join("?" if d is None else str(d) for d in dims)
            raise NodeError(
                f"output '{name}' has shape {list(ours.shape)} in dnnf but "
                f"[{shown}] by ONNX shape inference"
            )
