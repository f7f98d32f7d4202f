"""Import-time evaluation of nodes whose inputs are all constant.

This folds the shape-computing subgraphs that exporters emit (Shape,
Gather/Concat/Unsqueeze on shapes, ConstantOfShape, Equal/Where/Expand masks,
Range, ...) and constant weight preprocessing, using the ONNX reference
implementation, so that every dnnf op sees static shapes and constant
attributes.
"""

from __future__ import annotations

import numpy as np
from onnx import NodeProto
from onnx.reference import ReferenceEvaluator

from .errors import NodeError

#: Never folded: their value changes between runs.
NONDETERMINISTIC = {
    "RandomNormal",
    "RandomNormalLike",
    "RandomUniform",
    "RandomUniformLike",
    "Multinomial",
    "Bernoulli",
}


def fold(node: NodeProto, inputs: list[np.ndarray | None], opset: int) -> list:
    """Evaluates ``node``; returns one array per output."""
    if node.op_type == "ConstantOfShape":
        # A zero-copy broadcast view: multi-hundred-MB weights stay one scalar.
        shape = [int(v) for v in np.asarray(inputs[0]).reshape(-1)]
        value = np.zeros(1, np.float32)
        for a in node.attribute:
            if a.name == "value":
                from onnx import numpy_helper

                value = numpy_helper.to_array(a.t).reshape(-1)
        if any(s < 0 for s in shape):
            raise NodeError(f"ConstantOfShape with negative shape {shape}")
        return [np.broadcast_to(value[:1].reshape(()), shape)]
    feeds = {
        name: np.asarray(v, order="C")
        for name, v in zip(node.input, inputs, strict=False)
        if name and v is not None
    }
    try:
        evaluator = ReferenceEvaluator(node, opsets={"": opset})
        return list(evaluator.run(None, feeds))
    except Exception as e:
        raise NodeError(
            f"cannot evaluate constant node: {type(e).__name__}: {e}"
        ) from e
