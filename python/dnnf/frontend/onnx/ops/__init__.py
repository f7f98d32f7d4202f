"""Per-operator converters, registered by ONNX op_type."""

from __future__ import annotations

from collections.abc import Callable

from ..context import Converter

CONVERTERS: dict[str, Converter] = {}

#: Operators imported only when all their inputs are constants (folded).
FOLD_ONLY = {
    "Constant",
    "ConstantOfShape",
    "Shape",
    "Size",
    "Range",
    "NonZero",
    "OneHot",
    "ScatterND",
    "ScatterElements",
    "GatherND",
    "GatherElements",
    "TopK",
}


def converter(*op_types: str) -> Callable[[Converter], Converter]:
    def register(fn: Converter) -> Converter:
        for op in op_types:
            CONVERTERS[op] = fn
        return fn

    return register


from . import elementwise, nn, tensor  # noqa: E402, F401  (registration)
