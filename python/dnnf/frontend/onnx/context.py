"""State shared by the converters while one graph is imported."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from mlir import ir
from onnx import AttributeProto, NodeProto, helper, numpy_helper

from dnnf.dialects import dnnf as d

from . import types as T
from .errors import NodeError

#: Weights up to this size are printed inline (``dense<...>``); larger ones
#: become ``dense_resource`` blobs.
INLINE_LIMIT_BYTES = 256

Converted = ir.Value | np.ndarray | None
Converter = Callable[["Node"], Sequence[Converted]]

_REQUIRED = object()


def is_splat(array: np.ndarray) -> bool:
    if array.size <= 1:
        return False
    if all(s == 0 for s in array.strides):
        return True
    flat = array.reshape(-1)
    return bool(np.all(flat == flat[0]))


class ImportContext:
    """Values, constants and weights of the function being built."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.values: dict[str, ir.Value] = {}
        self.consts: dict[str, np.ndarray] = {}
        self._materialized: dict[str, ir.Value] = {}
        self._blob_names: set[str] = set()

    def has(self, name: str) -> bool:
        return name in self.values or name in self.consts

    def value(self, name: str) -> ir.Value:
        if name in self.values:
            return self.values[name]
        if name in self.consts:
            if name not in self._materialized:
                self._materialized[name] = self.constant(self.consts[name], name)
            return self._materialized[name]
        raise NodeError(f"value '{name}' is used before it is defined")

    def _blob_name(self, hint: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "_", hint) or "weight"
        if base[0].isdigit():
            base = "w_" + base
        name, i = base, 1
        while name in self._blob_names:
            name, i = f"{base}_{i}", i + 1
        self._blob_names.add(name)
        return name

    def elements_attr(self, array: np.ndarray, hint: str) -> ir.Attribute:
        """Compact attribute for ``array``: splat, inline, or dense_resource."""
        elem = T.element_type_of_array(array)
        ttype = T.tensor_type(array.shape, elem)
        if is_splat(array):
            scalar = array.reshape(-1)[0]
            if T.is_float(elem):
                attr = ir.FloatAttr.get(elem, float(scalar))
            else:
                attr = ir.IntegerAttr.get(elem, int(scalar))
            return ir.DenseElementsAttr.get_splat(ttype, attr)
        # Bool arrays are bit-packed by the bindings and bfloat16 has no
        # numpy buffer format: both go inline / as raw blobs respectively.
        inline = array.dtype == np.bool_ or (
            array.nbytes <= INLINE_LIMIT_BYTES and array.dtype.name != "bfloat16"
        )
        if inline:
            data = np.asarray(array, order="C")
            if array.dtype == np.bool_:  # the bindings infer i1 themselves
                return ir.DenseElementsAttr.get(data)
            return ir.DenseElementsAttr.get(
                data, type=elem, signless=not _unsigned(elem)
            )
        data = np.asarray(array, order="C")
        # Zero-copy: the blob retains `data` for as long as it lives.
        return ir.DenseResourceElementsAttr.get_from_buffer(
            memoryview(data.view(np.uint8).reshape(-1)), self._blob_name(hint), ttype
        )

    def constant(self, array: np.ndarray, hint: str = "const") -> ir.Value:
        return d.ConstantOp(self.elements_attr(array, hint)).result


def _unsigned(t: ir.Type) -> bool:
    t = t.maybe_downcast()
    return isinstance(t, ir.IntegerType) and t.is_unsigned


class Node:
    """One ONNX node being converted: typed access to inputs and attributes."""

    def __init__(self, proto: NodeProto, ctx: ImportContext, opset: int) -> None:
        self.proto = proto
        self.ctx = ctx
        self.opset = opset
        self.op_type = proto.op_type
        self._attrs = {a.name: a for a in proto.attribute}

    # Inputs ---------------------------------------------------------------

    @property
    def num_inputs(self) -> int:
        return len(self.proto.input)

    def has_input(self, i: int) -> bool:
        return i < len(self.proto.input) and self.proto.input[i] != ""

    def input(self, i: int) -> ir.Value:
        if not self.has_input(i):
            raise NodeError(f"input #{i} is required")
        return self.ctx.value(self.proto.input[i])

    def optional_input(self, i: int) -> ir.Value | None:
        return self.input(i) if self.has_input(i) else None

    def inputs(self) -> list[ir.Value]:
        return [self.ctx.value(n) for n in self.proto.input if n]

    def is_const(self, i: int) -> bool:
        return self.has_input(i) and self.proto.input[i] in self.ctx.consts

    def const(self, i: int, what: str = "") -> np.ndarray:
        """The constant value of input ``i``; error if it is computed at run time."""
        if not self.has_input(i):
            raise NodeError(f"input #{i} ({what or 'required'}) is missing")
        name = self.proto.input[i]
        if name not in self.ctx.consts:
            raise NodeError(
                f"input #{i} '{name}'{f' ({what})' if what else ''} must be a "
                "constant (an initializer or computable at import time); dnnf "
                "compiles static graphs"
            )
        return self.ctx.consts[name]

    def optional_const(self, i: int, what: str = "") -> np.ndarray | None:
        return self.const(i, what) if self.has_input(i) else None

    def shape(self, i: int) -> list[int]:
        return T.shape_of(self.input(i))

    # Attributes -----------------------------------------------------------

    def has_attr(self, name: str) -> bool:
        return name in self._attrs

    def attr(self, name: str, default: Any = _REQUIRED) -> Any:
        if name not in self._attrs:
            if default is _REQUIRED:
                raise NodeError(f"required attribute '{name}' is missing")
            return default
        a = self._attrs[name]
        if a.type == AttributeProto.TENSOR:
            return numpy_helper.to_array(a.t)
        if a.type == AttributeProto.GRAPH or a.type == AttributeProto.GRAPHS:
            raise NodeError(f"attribute '{name}' holds a subgraph, not supported")
        value = helper.get_attribute_value(a)
        return value.decode() if isinstance(value, bytes) else value

    def int_attr(self, name: str, default: Any = _REQUIRED) -> int:
        value = self.attr(name, default)
        if not isinstance(value, int | np.integer):
            raise NodeError(f"attribute '{name}' must be an integer, got {value!r}")
        return int(value)

    def ints_attr(self, name: str, default: Any = _REQUIRED) -> list[int]:
        value = self.attr(name, default)
        if value is None:
            return None  # type: ignore[return-value]
        if isinstance(value, int):
            raise NodeError(f"attribute '{name}' must be a list of integers")
        return [int(v) for v in value]

    def float_attr(self, name: str, default: Any = _REQUIRED) -> float:
        value = self.attr(name, default)
        if not isinstance(value, float | int):
            raise NodeError(f"attribute '{name}' must be a float, got {value!r}")
        return float(value)

    def str_attr(
        self, name: str, default: Any = _REQUIRED, choices: Sequence[str] = ()
    ) -> str:
        value = self.attr(name, default)
        if not isinstance(value, str):
            raise NodeError(f"attribute '{name}' must be a string, got {value!r}")
        if choices and value not in choices:
            raise NodeError(
                f"attribute '{name}' is '{value}'; expected one of "
                + ", ".join(repr(c) for c in choices)
            )
        return value

    def axis(self, name: str, rank: int, default: Any = _REQUIRED) -> int:
        a = self.int_attr(name, default)
        if not -rank <= a < rank:
            raise NodeError(f"attribute '{name}' = {a} is out of range for rank {rank}")
        return a + rank if a < 0 else a
