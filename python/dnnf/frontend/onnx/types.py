"""ONNX element types <-> MLIR types and numpy dtypes."""

from __future__ import annotations

import numpy as np
from mlir import ir
from onnx import TensorProto, helper

from dnnf import dtypes

from .errors import NodeError

_MLIR_TYPES = {
    TensorProto.FLOAT: lambda: ir.F32Type.get(),
    TensorProto.FLOAT16: lambda: ir.F16Type.get(),
    TensorProto.BFLOAT16: lambda: ir.BF16Type.get(),
    TensorProto.DOUBLE: lambda: ir.F64Type.get(),
    TensorProto.BOOL: lambda: ir.IntegerType.get_signless(1),
    TensorProto.INT8: lambda: ir.IntegerType.get_signless(8),
    TensorProto.INT16: lambda: ir.IntegerType.get_signless(16),
    TensorProto.INT32: lambda: ir.IntegerType.get_signless(32),
    TensorProto.INT64: lambda: ir.IntegerType.get_signless(64),
    TensorProto.UINT8: lambda: ir.IntegerType.get_unsigned(8),
    TensorProto.UINT16: lambda: ir.IntegerType.get_unsigned(16),
    TensorProto.UINT32: lambda: ir.IntegerType.get_unsigned(32),
    TensorProto.UINT64: lambda: ir.IntegerType.get_unsigned(64),
}


def onnx_type_name(elem_type: int) -> str:
    try:
        return TensorProto.DataType.Name(elem_type)
    except ValueError:
        return f"<unknown {elem_type}>"


def mlir_element_type(elem_type: int) -> ir.Type:
    """The MLIR element type for an ONNX ``TensorProto.DataType``."""
    make = _MLIR_TYPES.get(elem_type)
    if make is None:
        raise NodeError(f"element type {onnx_type_name(elem_type)} is not supported")
    return make()


def numpy_dtype(elem_type: int) -> np.dtype:
    return np.dtype(helper.tensor_dtype_to_np_dtype(elem_type))


def onnx_elem_type(dtype: np.dtype) -> int:
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


def element_type_of_array(array: np.ndarray) -> ir.Type:
    return mlir_element_type(onnx_elem_type(array.dtype))


def tensor_type(
    shape: tuple[int, ...] | list[int], elem: ir.Type
) -> ir.RankedTensorType:
    return ir.RankedTensorType.get(list(shape), elem)


def elem_of(value: ir.Value) -> ir.Type:
    return ir.RankedTensorType(value.type).element_type


def shape_of(value: ir.Value) -> list[int]:
    return list(ir.RankedTensorType(value.type).shape)


def is_float(t: ir.Type) -> bool:
    return isinstance(t.maybe_downcast(), ir.FloatType)


def numpy_dtype_of(t: ir.Type) -> np.dtype:
    """numpy dtype for an MLIR element type (for folding constants)."""
    try:
        return dtypes.numpy_dtype(t)
    except TypeError as e:
        raise NodeError(str(e)) from None
