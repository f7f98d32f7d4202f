"""f32 ONNX models as f16 ones: what mobile GPUs run.

``to_float16(model)`` returns a copy whose float tensors are float16: the
initializers, ``Constant`` values, graph inputs, outputs and value infos, and
``Cast``/``EyeLike`` targets.  Inputs the ONNX standard types as float only
(Resize's scales) stay float32; finite values beyond f16's range saturate to
+-65504.  Integer and boolean tensors are left as they are.
"""

from __future__ import annotations

import numpy as np
from onnx import ModelProto, TensorProto, helper, numpy_helper

#: (op type, input index) whose tensor must stay float32.
_FLOAT32_ONLY = {("Resize", 2), ("Upsample", 1)}


def _half(tensor: TensorProto) -> TensorProto:
    if tensor.data_type != TensorProto.FLOAT:
        return tensor
    values = numpy_helper.to_array(tensor)
    # Finite values past f16's range (a -3.4e38 attention mask) saturate to
    # its largest finite value instead of overflowing to infinity.
    limit = float(np.finfo(np.float16).max)
    values = np.where(np.isfinite(values), np.clip(values, -limit, limit), values)
    return numpy_helper.from_array(values.astype(np.float16), tensor.name)


def to_float16(model: ModelProto) -> ModelProto:
    """A float16 copy of ``model`` (see the module docstring)."""
    out = ModelProto()
    out.CopyFrom(model)
    graph = out.graph
    keep = {
        node.input[i]
        for node in graph.node
        for i in range(len(node.input))
        if (node.op_type, i) in _FLOAT32_ONLY
    }
    inits = [t if t.name in keep else _half(t) for t in graph.initializer]
    del graph.initializer[:]
    graph.initializer.extend(inits)
    for info in [*graph.input, *graph.output, *graph.value_info]:
        tensor_type = info.type.tensor_type
        if info.name not in keep and tensor_type.elem_type == TensorProto.FLOAT:
            tensor_type.elem_type = TensorProto.FLOAT16
    for node in graph.node:
        for attr in node.attribute:
            if attr.type == helper.AttributeProto.TENSOR and not any(
                o in keep for o in node.output
            ):
                attr.t.CopyFrom(_half(attr.t))
            elif (
                node.op_type in ("Cast", "EyeLike", "RandomNormalLike")
                and attr.name in ("to", "dtype")
                and attr.i == TensorProto.FLOAT
            ):
                attr.i = TensorProto.FLOAT16
    return out
