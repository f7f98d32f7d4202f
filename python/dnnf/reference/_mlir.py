"""Reading MLIR types, attributes and constants as numpy values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from mlir import ir

from dnnf import dtypes


class InterpreterError(RuntimeError):
    """The module cannot be interpreted (unsupported op, bad input, bug)."""


# ---------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------


def numpy_dtype(t: ir.Type) -> np.dtype:
    """The numpy dtype of an MLIR element type (i1 -> bool, ui8 -> uint8...)."""
    try:
        return dtypes.numpy_dtype(t)
    except TypeError as e:
        raise InterpreterError(f"unsupported element type: {e}") from None


def tensor_type(t: ir.Type) -> tuple[list[int | None], np.dtype]:
    """(shape with None for dynamic dimensions, dtype) of a ranked tensor type."""
    rt = ir.RankedTensorType(t)
    shape = [None if rt.is_dynamic_dim(i) else rt.shape[i] for i in range(rt.rank)]
    return shape, numpy_dtype(rt.element_type)


def is_float_dtype(dtype: np.dtype) -> bool:
    return dtype.kind == "f" or dtype.name == "bfloat16"


# ---------------------------------------------------------------------------
# Attributes
# ---------------------------------------------------------------------------


def attr_value(attr: ir.Attribute) -> Any:
    """A Python value for a scalar / string / array attribute."""
    attr = attr.maybe_downcast()
    if isinstance(attr, ir.BoolAttr):
        return bool(attr.value)
    if isinstance(attr, ir.IntegerAttr):
        return int(attr.value)
    if isinstance(attr, ir.FloatAttr):
        return float(attr.value)
    if isinstance(attr, ir.StringAttr):
        return attr.value
    if isinstance(attr, ir.DenseI64ArrayAttr | ir.DenseI32ArrayAttr):
        return [int(v) for v in attr]
    if isinstance(attr, ir.DenseF64ArrayAttr | ir.DenseF32ArrayAttr):
        return [float(v) for v in attr]
    if isinstance(attr, ir.FlatSymbolRefAttr):
        return attr.value
    if isinstance(attr, ir.ArrayAttr):
        return [attr_value(a) for a in attr]
    raise InterpreterError(f"cannot read attribute {attr}")


def get_attr(op: ir.OpView | ir.Operation, name: str, default: Any = None) -> Any:
    """Attribute ``name`` of ``op`` as a Python value, ``default`` if absent."""
    attrs = op.attributes
    if name not in attrs:
        return default
    return attr_value(attrs[name])


# ---------------------------------------------------------------------------
# Constants: dense<...> and dense_resource<...>
# ---------------------------------------------------------------------------

# `name: "0x..."` entries of the builtin dialect's resources in printed IR.
_RESOURCE_ENTRY = re.compile(
    r'(?:"((?:[^"\\]|\\.)*)"|([A-Za-z_][\w.$-]*))\s*:\s*"0x([0-9A-Fa-f]*)"'
)
_RESOURCE_REF = re.compile(r'dense_resource<\s*(?:"((?:[^"\\]|\\.)*)"|([^>\s]+))\s*>')


def resource_blobs(module: ir.Module | ir.Operation) -> dict[str, bytes]:
    """The builtin dialect resources of ``module``: name -> raw bytes.

    The MLIR 22 Python bindings cannot read the data behind a
    ``DenseResourceElementsAttr`` (neither the buffer protocol nor a getter is
    bound), so the blobs are taken from the module's printed form, where
    ``dialect_resources`` holds each one as a hex string.  The first four
    bytes of a blob are its alignment; they are stripped here.
    """
    operation = module.operation if isinstance(module, ir.Module) else module
    text = operation.get_asm(large_elements_limit=16)
    start = text.rfind("{-#")
    if start < 0:
        return {}
    blobs: dict[str, bytes] = {}
    section = text[start:]
    builtin = section.find("builtin")
    if builtin < 0:
        return {}
    for m in _RESOURCE_ENTRY.finditer(section, builtin):
        name = m.group(1) if m.group(1) is not None else m.group(2)
        data = bytes.fromhex(m.group(3))
        blobs[name] = data[4:] if len(data) >= 4 else b""
    return blobs


def _resource_name(attr: ir.Attribute) -> str:
    m = _RESOURCE_REF.search(str(attr))
    if not m:
        raise InterpreterError(f"cannot read the resource name of {attr}")
    return m.group(1) if m.group(1) is not None else m.group(2)


def _parse_dense_literal(
    attr: ir.Attribute, shape: Sequence[int], dtype: np.dtype
) -> np.ndarray:
    """Values of a dense attribute from its printed form (for bf16 and other
    element types the buffer protocol does not cover)."""
    text = str(attr)
    text = text[: text.rindex(" : ")]  # drop the type
    body = text[text.index("<") + 1 : text.rindex(">")]
    count = int(np.prod(shape, dtype=np.int64))
    hexm = re.fullmatch(r'\s*"0x([0-9A-Fa-f]*)"\s*', body)
    if hexm:
        raw = np.frombuffer(bytes.fromhex(hexm.group(1)), dtype=dtype)
        if raw.size == 1 and count != 1:
            raw = np.full(count, raw[0], dtype=dtype)
        return raw.reshape(shape).copy()
    values: list[float] = []
    bits = np.dtype(f"uint{dtype.itemsize * 8}")
    for tok in re.findall(
        r"0x[0-9A-Fa-f]+|[-+]?(?:inf|nan|[0-9.]+(?:[eE][-+]?\d+)?)|true|false", body
    ):
        if tok.startswith("0x"):
            values.append(np.array(int(tok, 16), dtype=bits).view(dtype).item())
        elif tok in ("true", "false"):
            values.append(float(tok == "true"))
        else:
            values.append(float(tok))
    array = np.array(values, dtype=np.float64).astype(dtype)
    if array.size == 1 and count != 1:
        array = np.full(count, array[0], dtype=dtype)
    return array.reshape(shape)


def _is_resource(attr: ir.Attribute) -> bool:
    # maybe_downcast() does not know DenseResourceElementsAttr in MLIR 22.
    try:
        ir.DenseResourceElementsAttr(attr)
    except ValueError:
        return False
    return True


def elements_value(
    attr: ir.Attribute, blobs: dict[str, bytes] | None = None
) -> np.ndarray:
    """The value of an ``ElementsAttr`` (``dense`` or ``dense_resource``)."""
    shape, dtype = tensor_type(attr.type)
    if any(s is None for s in shape):
        raise InterpreterError(f"constant {attr} has a dynamic shape")
    dims = [int(s) for s in shape]  # type: ignore[arg-type]
    if _is_resource(attr):
        name = _resource_name(attr)
        if blobs is None or name not in blobs:
            raise InterpreterError(
                f"the data of dense_resource<{name}> is not in the module "
                "(elided or missing dialect_resources)"
            )
        data = blobs[name]
        count = int(np.prod(dims, dtype=np.int64))
        storage = np.dtype(np.uint8) if dtype == np.bool_ else dtype
        if len(data) != count * storage.itemsize:
            raise InterpreterError(
                f"dense_resource<{name}> holds {len(data)} bytes; its type "
                f"{attr.type} needs {count * storage.itemsize}"
            )
        array = np.frombuffer(data, dtype=storage).reshape(dims)
        return (array != 0) if dtype == np.bool_ else array.copy()
    attr = attr.maybe_downcast()
    if isinstance(attr, ir.DenseElementsAttr):
        try:
            array = np.array(attr)
        except (RuntimeError, ValueError, TypeError):
            if attr.is_splat:
                splat = attr_value(attr.get_splat_value())
                return np.full(dims, splat, dtype=dtype)
            return _parse_dense_literal(attr, dims, dtype)
        if array.dtype != dtype:
            array = array.astype(dtype)
        return np.array(array.reshape(dims))
    raise InterpreterError(f"unsupported constant attribute {attr}")
