"""Walks ``func.func`` bodies op by op, computing every value with numpy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from mlir import ir

from . import elementwise, nn, tensor  # noqa: F401  (kernel registration)
from ._mlir import (
    InterpreterError,
    elements_value,
    get_attr,
    resource_blobs,
    tensor_type,
)
from .registry import KERNELS, OpContext

Inputs = Mapping[str, np.ndarray] | Sequence[np.ndarray]


def _check_value(what: str, value: np.ndarray, t: ir.Type) -> np.ndarray:
    """``value`` with the dtype of ``t``; its shape must match ``t``."""
    shape, dtype = tensor_type(t)
    value = np.asarray(value)
    if value.ndim != len(shape) or any(
        s is not None and s != v for s, v in zip(shape, value.shape, strict=True)
    ):
        shown = "x".join("?" if s is None else str(s) for s in shape)
        raise InterpreterError(
            f"{what} has shape {list(value.shape)}, but its type is tensor<{shown}>"
        )
    if value.dtype != dtype:
        value = value.astype(dtype)
    return value


class Interpreter:
    """A reference interpreter for one module.

    Constants (including ``dense_resource`` blobs) are decoded once and cached,
    so several :meth:`run` calls on the same module are cheaper than
    repeated :func:`dnnf.reference.run` calls.
    """

    def __init__(self, module: ir.Module) -> None:
        self.module = module
        self._blobs: dict[str, bytes] | None = None
        self._constants: dict[ir.Operation, np.ndarray] = {}
        self._functions: dict[str, ir.OpView] = {}
        for op in module.body.operations:
            if op.operation.name == "func.func":
                self._functions[get_attr(op, "sym_name")] = op

    # -- functions ----------------------------------------------------------

    def function(self, name: str) -> ir.OpView:
        if name not in self._functions:
            known = ", ".join(sorted(self._functions)) or "none"
            raise InterpreterError(
                f"no func.func @{name} in the module (functions: {known})"
            )
        return self._functions[name]

    def input_names(self, func_name: str = "main") -> list[str | None]:
        """The ``dnnf.name`` of each argument of ``func_name`` (None if unnamed)."""
        fn = self.function(func_name)
        count = len(fn.regions[0].blocks[0].arguments)
        names: list[str | None] = [None] * count
        if "arg_attrs" in fn.attributes:
            for i, attrs in enumerate(ir.ArrayAttr(fn.attributes["arg_attrs"])):
                d = ir.DictAttr(attrs)
                if i < count and "dnnf.name" in d:
                    names[i] = ir.StringAttr(d["dnnf.name"]).value
        return names

    def run(self, inputs: Inputs, func_name: str = "main") -> list[np.ndarray]:
        fn = self.function(func_name)
        block = fn.regions[0].blocks[0]
        args = list(block.arguments)
        if isinstance(inputs, Mapping):
            names = self.input_names(func_name)
            missing = [n or f"#{i}" for i, n in enumerate(names) if n not in inputs]
            unknown = sorted(set(inputs) - {n for n in names if n})
            if missing or unknown:
                raise InterpreterError(
                    f"@{func_name} takes inputs {names}; missing {missing}, "
                    f"unknown {unknown}"
                )
            values = [inputs[n] for n in names]  # type: ignore[index]
        else:
            values = list(inputs)
            if len(values) != len(args):
                raise InterpreterError(
                    f"@{func_name} takes {len(args)} inputs, got {len(values)}"
                )
        checked = [
            _check_value(f"input #{i} of @{func_name}", v, a.type)
            for i, (v, a) in enumerate(zip(values, args, strict=True))
        ]
        with np.errstate(all="ignore"):
            return self._call(fn, checked)

    def _call(self, fn: ir.OpView, values: list[np.ndarray]) -> list[np.ndarray]:
        block = fn.regions[0].blocks[0]
        return self._block(block, values, terminator="func.return")

    # -- blocks and ops -----------------------------------------------------

    def _block(
        self, block: ir.Block, values: list[np.ndarray], terminator: str
    ) -> list[np.ndarray]:
        env: dict[ir.Value, np.ndarray] = {}
        for arg, value in zip(block.arguments, values, strict=True):
            env[arg] = value
        for op in block.operations:
            name = op.operation.name
            operands = [env[v] for v in op.operands]
            if name == terminator:
                return operands
            results = self._op(op, operands)
            if len(results) != len(op.results):
                raise InterpreterError(
                    f"{name}: computed {len(results)} results, expected "
                    f"{len(op.results)}"
                )
            for i, (res, value) in enumerate(zip(op.results, results, strict=True)):
                env[res] = _check_value(
                    f"result #{i} of {name} ({op.location})", value, res.type
                )
        raise InterpreterError(f"block without a {terminator}")

    def _op(self, op: ir.OpView, operands: list[np.ndarray]) -> list[np.ndarray]:
        name = op.operation.name
        if name in ("dnnf.constant", "arith.constant"):
            key = op.operation
            if key not in self._constants:
                if self._blobs is None:
                    self._blobs = resource_blobs(self.module)
                self._constants[key] = elements_value(
                    op.attributes["value"], self._blobs
                )
            return [self._constants[key]]
        if name == "dnnf.fused":
            return self._block(
                op.regions[0].blocks[0], operands, terminator="dnnf.yield"
            )
        if name == "func.call":
            return self._call(self.function(get_attr(op, "callee")), operands)
        fn = KERNELS.get(name)
        if fn is None:
            raise InterpreterError(f"the reference interpreter does not know {name}")
        try:
            return fn(OpContext(op), operands)
        except InterpreterError:
            raise
        except Exception as e:
            raise InterpreterError(
                f"{name} at {op.location}: {type(e).__name__}: {e}"
            ) from e


def run(module: ir.Module, inputs: Inputs, func_name: str = "main") -> list[np.ndarray]:
    """Runs ``func_name`` of ``module`` on ``inputs`` and returns its results.

    ``inputs`` is a list (one array per function argument) or a dict keyed by
    the arguments' ``dnnf.name`` attributes (the ONNX graph input names of an
    imported model).  Inputs are converted to the argument element types and
    their shapes are checked against the argument types.
    """
    return Interpreter(module).run(inputs, func_name)
