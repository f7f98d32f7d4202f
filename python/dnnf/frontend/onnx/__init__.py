"""ONNX frontend: import ONNX models into the dnnf dialect.

>>> module = import_model("model.onnx", input_shapes={"x": [1, 3, 224, 224]})

One dnnf op per ONNX operator (so that mapping types and fusion decisions
are exact), static shapes throughout, weights as ``dense_resource`` blobs.

Opsets: models of the default domain with opset 11 to 21 are imported
directly; older ones are converted to opset 13 and newer ones to 21 with
``onnx.version_converter``.
"""

from __future__ import annotations

import os

from mlir import ir
from onnx import ModelProto

from .errors import OnnxImportError
from .importer import import_graph
from .model import (
    SUPPORTED_OPSET_RANGE,
    InputShapes,
    fix_input_shapes,
    infer_shapes,
    load,
    normalize_opset,
)

__all__ = ["SUPPORTED_OPSET_RANGE", "OnnxImportError", "import_model"]


def import_model(
    model: str | os.PathLike | ModelProto,
    input_shapes: InputShapes | None = None,
    *,
    context: ir.Context | None = None,
) -> ir.Module:
    """Imports an ONNX model (a path or a ModelProto) as a dnnf module.

    The module holds one public ``func.func @main`` whose arguments and
    results carry the graph's input and output names (``dnnf.name``).
    ``input_shapes`` fixes dynamic input dimensions, e.g.
    ``{"input": [1, 3, 224, 224]}``.  Raises :class:`OnnxImportError` naming
    the file, node and operator on any problem with the model.
    """
    proto, path = load(model)
    if isinstance(model, ModelProto):
        proto = proto.__class__.FromString(proto.SerializeToString())
    proto = normalize_opset(proto, path)
    proto = fix_input_shapes(proto, path, input_shapes)
    declared = [*proto.graph.value_info, *proto.graph.output]
    proto = infer_shapes(proto, path)
    ctx = context or ir.Context.current
    if ctx is None:
        ctx = ir.Context()
    with ctx, ir.Location.file(path, 0, 0):
        return import_graph(proto, path, ctx, declared)
