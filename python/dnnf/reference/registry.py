"""The table of op kernels: ``dnnf.<mnemonic>`` -> numpy implementation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from mlir import ir

from ._mlir import get_attr, tensor_type

#: A kernel takes the op (for its attributes and result types) and the
#: operand values, and returns one array per result.
Kernel = Callable[["OpContext", list[np.ndarray]], list[np.ndarray]]

KERNELS: dict[str, Kernel] = {}


def kernel(*names: str) -> Callable[[Kernel], Kernel]:
    """Registers a kernel for the ops ``names`` (full names, ``dnnf.add``)."""

    def register(fn: Kernel) -> Kernel:
        for name in names:
            KERNELS[name] = fn
        return fn

    return register


class OpContext:
    """What a kernel may ask about the op it computes."""

    def __init__(self, op: ir.OpView | ir.Operation) -> None:
        self.op = op
        self.name: str = op.operation.name

    def attr(self, name: str, default: Any = None) -> Any:
        return get_attr(self.op, name, default)

    def result_shape(self, index: int = 0) -> list[int | None]:
        return tensor_type(self.op.results[index].type)[0]

    def result_dtype(self, index: int = 0) -> np.dtype:
        return tensor_type(self.op.results[index].type)[1]

    def static_result_shape(self, index: int = 0) -> list[int]:
        shape = self.result_shape(index)
        if any(s is None for s in shape):
            from ._mlir import InterpreterError

            raise InterpreterError(
                f"{self.name}: its result type must be static for the reference "
                "interpreter to compute it"
            )
        return [int(s) for s in shape]  # type: ignore[arg-type]
