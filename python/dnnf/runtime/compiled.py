"""``dnnf.compile``: ONNX/dnnf module -> LLVM JIT -> callable on numpy arrays."""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass

import numpy as np
from mlir import ir
from mlir.execution_engine import ExecutionEngine
from mlir.passmanager import PassManager
from mlir.runtime import get_ranked_memref_descriptor
from onnx import ModelProto

import dnnf  # noqa: F401  (registers dialect and passes)
from dnnf.dtypes import numpy_dtype


class InputError(ValueError):
    """Wrong input count, name, shape or dtype (raised before any native code)."""


@dataclass(frozen=True)
class TensorSpec:
    name: str
    shape: tuple[int, ...]
    dtype: np.dtype


def _spec(name: str, t: ir.Type) -> TensorSpec:
    tt = ir.RankedTensorType(t)
    try:
        # Unsigned types map too: the lowering then rejects them with its own
        # diagnostic, which names the op.
        dtype = numpy_dtype(tt.element_type)
    except TypeError:
        raise NotImplementedError(
            f"element type {tt.element_type} is not supported by the runtime"
        ) from None
    return TensorSpec(name, tuple(tt.shape), dtype)


def _names(attr: ir.Attribute | None, count: int, prefix: str) -> list[str]:
    if attr is None:
        return [f"{prefix}{i}" for i in range(count)]
    names = []
    for i, d in enumerate(ir.ArrayAttr(attr)):
        entry = ir.DictAttr(d)
        names.append(
            ir.StringAttr(entry["dnnf.name"]).value
            if "dnnf.name" in entry
            else f"{prefix}{i}"
        )
    return names


class CompiledModel:
    """A model compiled for this CPU; call it with numpy arrays."""

    def __init__(self, module: ir.Module) -> None:
        main = None
        for op in module.body.operations:
            op = op.operation
            if (
                op.name == "func.func"
                and ir.StringAttr(op.attributes["sym_name"]).value == "main"
            ):
                main = op
        if main is None:
            raise ValueError("the module has no func.func @main")
        ftype = ir.FunctionType(ir.TypeAttr(main.attributes["function_type"]).value)
        attrs = main.attributes
        in_names = _names(
            attrs["arg_attrs"] if "arg_attrs" in attrs else None,
            len(ftype.inputs),
            "input",
        )
        out_names = _names(
            attrs["res_attrs"] if "res_attrs" in attrs else None,
            len(ftype.results),
            "output",
        )
        self.inputs = [_spec(n, t) for n, t in zip(in_names, ftype.inputs, strict=True)]
        self.outputs = [
            _spec(n, t) for n, t in zip(out_names, ftype.results, strict=True)
        ]
        main.attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()
        pm = PassManager.parse("builtin.module(dnnf-cpu-pipeline{out-params=1})")
        pm.run(module.operation)
        self._module = module
        # No shared libraries: the pipeline leaves no runtime calls (loading
        # libmlir_c_runner_utils.so would bring a second MLIR into the process).
        self._engine = ExecutionEngine(module, opt_level=3)
        # Output buffers: allocated once, reused by every call.
        self._out = [np.empty(s.shape, s.dtype) for s in self.outputs]
        self._out_desc = [
            ctypes.pointer(ctypes.pointer(get_ranked_memref_descriptor(a)))
            for a in self._out
        ]

    def _check(self, args: tuple, kwargs: dict) -> list[np.ndarray]:
        if args and kwargs:
            raise InputError("pass inputs either by position or by name, not both")
        if kwargs:
            unknown = sorted(set(kwargs) - {s.name for s in self.inputs})
            if unknown:
                raise InputError(
                    f"unknown input(s) {unknown}; "
                    f"expected {[s.name for s in self.inputs]}"
                )
            missing = [s.name for s in self.inputs if s.name not in kwargs]
            if missing:
                raise InputError(f"missing input(s) {missing}")
            args = tuple(kwargs[s.name] for s in self.inputs)
        if len(args) != len(self.inputs):
            raise InputError(
                f"expected {len(self.inputs)} input(s) "
                f"{[s.name for s in self.inputs]}, got {len(args)}"
            )
        arrays = []
        for spec, a in zip(self.inputs, args, strict=True):
            a = np.asarray(a)
            if a.dtype != spec.dtype:
                raise InputError(
                    f"input '{spec.name}' has dtype {a.dtype}, expected {spec.dtype}"
                )
            if a.shape != spec.shape:
                raise InputError(
                    f"input '{spec.name}' has shape {list(a.shape)}, "
                    f"expected {list(spec.shape)}"
                )
            arrays.append(np.ascontiguousarray(a))
        return arrays

    def __call__(self, *args: np.ndarray, **kwargs: np.ndarray) -> list[np.ndarray]:
        arrays = self._check(args, kwargs)
        in_desc = [
            ctypes.pointer(ctypes.pointer(get_ranked_memref_descriptor(a)))
            for a in arrays
        ]
        self._engine.invoke("main", *in_desc, *self._out_desc)
        return [o.copy() for o in self._out]


def compile(  # noqa: A001
    model: str | os.PathLike | ModelProto | ir.Module,
    target: str = "cpu",
    *,
    input_shapes: dict | None = None,
) -> CompiledModel:
    """Compiles an ONNX file, ModelProto or dnnf module for ``target``."""
    if target != "cpu":
        raise ValueError(f"unknown target '{target}'; available: cpu")
    if isinstance(model, ir.Module):
        module = ir.Module.parse(str(model), context=model.context)
        with module.context:
            return CompiledModel(module)
    from dnnf.frontend.onnx import import_model

    ctx = ir.Context()
    with ctx, ir.Location.unknown():
        module = import_model(model, input_shapes=input_shapes, context=ctx)
        compiled = CompiledModel(module)
    compiled._context = ctx  # keep the context alive with the engine
    return compiled
