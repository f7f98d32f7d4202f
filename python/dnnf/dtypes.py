"""MLIR element types <-> numpy dtypes, shared by the importer, the
reference interpreter and the runtime."""

from __future__ import annotations

import numpy as np
from mlir import ir

_FLOATS = ((ir.F32Type, np.float32), (ir.F16Type, np.float16), (ir.F64Type, np.float64))


def numpy_dtype(t: ir.Type) -> np.dtype:
    """The numpy dtype of an MLIR element type (i1 -> bool, ui8 -> uint8...).

    Raises TypeError for types numpy cannot hold.
    """
    t = t.maybe_downcast()
    for mlir_type, dtype in _FLOATS:
        if isinstance(t, mlir_type):
            return np.dtype(dtype)
    if isinstance(t, ir.BF16Type):
        try:
            import ml_dtypes
        except ImportError:  # pragma: no cover - ml_dtypes comes with onnx
            raise TypeError("bf16 tensors need the ml_dtypes package") from None
        return np.dtype(ml_dtypes.bfloat16)
    if isinstance(t, ir.IntegerType):
        if t.width == 1:
            return np.dtype(np.bool_)
        if t.width in (8, 16, 32, 64):
            kind = "uint" if t.is_unsigned else "int"
            return np.dtype(f"{kind}{t.width}")
    raise TypeError(f"element type {t} has no numpy equivalent")
