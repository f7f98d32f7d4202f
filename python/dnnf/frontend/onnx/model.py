"""Loading, validating and normalising ONNX models before conversion."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import onnx
from onnx import ModelProto, shape_inference, version_converter

from .errors import OnnxImportError

#: Opsets of the default domain that the converters implement directly
#: (opsets 22 to 25 only add element types to the supported operators).
#: Models outside the range are converted with ``onnx.version_converter``:
#: older ones up to ``CONVERT_OLD_TO``, newer ones down to the maximum.
SUPPORTED_OPSET_RANGE = (11, 25)
CONVERT_OLD_TO = 13

InputShapes = Mapping[str, Sequence[int]]


def load(model: str | os.PathLike | ModelProto) -> tuple[ModelProto, str]:
    """The model and the path to show in diagnostics."""
    if isinstance(model, ModelProto):
        return model, "<model>"
    path = Path(model)
    if not path.is_file():
        raise OnnxImportError(f"{path}: no such file")
    try:
        proto = onnx.load(str(path), load_external_data=True)
    except Exception as e:  # DecodeError, truncated files, bad external data
        raise OnnxImportError(
            f"{path}: not a readable ONNX model ({type(e).__name__}: {e})"
        ) from None
    if not proto.graph.node and not proto.graph.output:
        raise OnnxImportError(f"{path}: the file holds no ONNX graph")
    return proto, str(path)


def default_opset(model: ModelProto) -> int:
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            return entry.version
    return 1


def normalize_opset(model: ModelProto, path: str) -> ModelProto:
    """Converts the model into ``SUPPORTED_OPSET_RANGE`` when needed."""
    version = default_opset(model)
    low, high = SUPPORTED_OPSET_RANGE
    if low <= version <= high:
        return model
    target = CONVERT_OLD_TO if version < low else high
    try:
        converted = version_converter.convert_version(model, target)
        # IR < 4 requires every initializer to be a graph input, which the
        # converter's new initializers (e.g. Pad's pads) are not.
        converted.ir_version = max(converted.ir_version, 7)
    except Exception as e:
        raise OnnxImportError(
            f"{path}: opset {version} is outside the supported range "
            f"[{low}, {high}] and onnx.version_converter could not convert it "
            f"to opset {target}: {e}"
        ) from None
    return converted


def fix_input_shapes(
    model: ModelProto, path: str, input_shapes: InputShapes | None
) -> ModelProto:
    """Applies user-given input shapes; rejects remaining dynamic dimensions."""
    graph = model.graph
    initializers = {t.name for t in graph.initializer}
    produced = {o for n in graph.node for o in n.output}
    inputs = {
        i.name: i
        for i in graph.input
        if i.name not in initializers and i.name not in produced
    }
    input_shapes = dict(input_shapes or {})
    unknown = sorted(set(input_shapes) - set(inputs))
    if unknown:
        raise OnnxImportError(
            f"{path}: --input-shape names {', '.join(map(repr, unknown))}, which "
            f"{'is' if len(unknown) == 1 else 'are'} not a graph input; inputs: "
            f"{', '.join(map(repr, inputs))}"
        )
    for name, value in inputs.items():
        if not value.type.HasField("tensor_type"):
            raise OnnxImportError(f"{path}: input '{name}' is not a tensor")
        dims = value.type.tensor_type.shape.dim
        if name in input_shapes:
            shape = [int(d) for d in input_shapes[name]]
            if value.type.tensor_type.HasField("shape") and len(dims) != len(shape):
                raise OnnxImportError(
                    f"{path}: input '{name}' has rank {len(dims)} but "
                    f"--input-shape gives {'x'.join(map(str, shape))}"
                )
            for i, d in enumerate(shape):
                if d < 0:
                    raise OnnxImportError(
                        f"{path}: --input-shape {name}: dimension {i} is negative"
                    )
                if i < len(dims) and dims[i].HasField("dim_value"):
                    if dims[i].dim_value != d:
                        raise OnnxImportError(
                            f"{path}: input '{name}' has static dimension {i} = "
                            f"{dims[i].dim_value}, but --input-shape gives {d}"
                        )
            del value.type.tensor_type.shape.dim[:]
            for d in shape:
                value.type.tensor_type.shape.dim.add().dim_value = d
            continue
        if not value.type.tensor_type.HasField("shape"):
            raise OnnxImportError(
                f"{path}: input '{name}' has an unknown rank; give its shape with "
                f"input_shapes={{'{name}': [...]}} or --input-shape {name}=..."
            )
        for i, d in enumerate(dims):
            if not d.HasField("dim_value"):
                label = f" '{d.dim_param}'" if d.dim_param else ""
                raise OnnxImportError(
                    f"{path}: input '{name}' has dynamic dimension {i}{label}; "
                    f"fix it with input_shapes={{'{name}': [...]}} or "
                    f"--input-shape {name}=<d0>x<d1>x..."
                )
    return model


def infer_shapes(model: ModelProto, path: str) -> ModelProto:
    """ONNX shape inference (strict), after a structural check."""
    try:
        onnx.checker.check_model(model)
    except onnx.checker.ValidationError as e:
        raise OnnxImportError(f"{path}: invalid ONNX model: {e}") from None
    try:
        # Not strict: a node that ONNX cannot infer is diagnosed by the
        # converters and dnnf verifiers, which name the node the same way.
        return shape_inference.infer_shapes(model, strict_mode=False, data_prop=True)
    except Exception as e:
        raise OnnxImportError(f"{path}: ONNX shape inference failed: {e}") from None
