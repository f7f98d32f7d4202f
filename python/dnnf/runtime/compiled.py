"""``CompiledModel``: native code for one model, called on numpy arrays."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from mlir import ir

from dnnf.dtypes import numpy_dtype

from .native import PackedCall


class InputError(ValueError):
    """Wrong input count, name, shape or dtype (raised before any native code)."""


@dataclass(frozen=True)
class TensorSpec:
    name: str
    shape: tuple[int, ...]
    dtype: np.dtype

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "shape": list(self.shape), "dtype": self.dtype.name}

    @classmethod
    def from_json(cls, data: dict) -> TensorSpec:
        name = data["dtype"]
        if name == "bfloat16":
            import ml_dtypes

            dtype = np.dtype(ml_dtypes.bfloat16)
        else:
            dtype = np.dtype(name)
        return cls(str(data["name"]), tuple(int(d) for d in data["shape"]), dtype)


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


def find_main(module: ir.Module) -> ir.Operation:
    """The module's ``func.func @main``."""
    for op in module.body.operations:
        op = op.operation
        if (
            op.name == "func.func"
            and ir.StringAttr(op.attributes["sym_name"]).value == "main"
        ):
            return op
    raise ValueError("the module has no func.func @main")


def signature(module: ir.Module) -> tuple[list[TensorSpec], list[TensorSpec]]:
    """Inputs and outputs of a dnnf module's ``@main`` (before lowering)."""
    main = find_main(module)
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
    inputs = [_spec(n, t) for n, t in zip(in_names, ftype.inputs, strict=True)]
    outputs = [_spec(n, t) for n, t in zip(out_names, ftype.results, strict=True)]
    return inputs, outputs


def check_inputs(
    specs: list[TensorSpec], args: tuple, kwargs: dict
) -> list[np.ndarray]:
    """The inputs as contiguous arrays in ``specs`` order, or ``InputError``."""
    if args and kwargs:
        raise InputError("pass inputs either by position or by name, not both")
    if kwargs:
        unknown = sorted(set(kwargs) - {s.name for s in specs})
        if unknown:
            raise InputError(
                f"unknown input(s) {unknown}; expected {[s.name for s in specs]}"
            )
        missing = [s.name for s in specs if s.name not in kwargs]
        if missing:
            raise InputError(f"missing input(s) {missing}")
        args = tuple(kwargs[s.name] for s in specs)
    if len(args) != len(specs):
        raise InputError(
            f"expected {len(specs)} input(s) {[s.name for s in specs]}, got {len(args)}"
        )
    arrays = []
    for spec, a in zip(specs, args, strict=True):
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


class CompiledModel:
    """A model compiled for this CPU; call it with numpy arrays.

    ``backend`` is ``"aot"`` (a shared object, ``path`` is its directory) or
    ``"jit"`` (code generated in this process by MLIR's ExecutionEngine).
    Calls are serialised by a lock: the output buffers are allocated once and
    reused, and every call returns copies of them.
    """

    def __init__(
        self,
        inputs: list[TensorSpec],
        outputs: list[TensorSpec],
        address: int,
        keepalive: object,
        *,
        backend: str,
        path: Path | None = None,
        key: str | None = None,
    ) -> None:
        self.inputs = inputs
        self.outputs = outputs
        self.backend = backend
        self.path = path
        self.key = key
        # Output buffers: allocated once, reused by every call.
        self._out = [np.empty(s.shape, s.dtype) for s in outputs]
        self._call = PackedCall(
            address, [s.shape for s in inputs], self._out, keepalive
        )
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        where = f", path='{self.path}'" if self.path else ""
        names = [s.name for s in self.inputs]
        return f"<CompiledModel {self.backend} inputs={names}{where}>"

    def save(self, directory: str | Path) -> Path:
        """Copies this (ahead-of-time compiled) model into ``directory``;
        :func:`dnnf.runtime.load` loads it back."""
        from .compiler import save

        return save(self, directory)

    def __call__(self, *args: np.ndarray, **kwargs: np.ndarray) -> list[np.ndarray]:
        arrays = check_inputs(self.inputs, args, kwargs)
        with self._lock:
            self._call(arrays)
            return [o.copy() for o in self._out]
