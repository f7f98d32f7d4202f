"""dnnf: a DNN inference compiler on MLIR, after DNNFusion, PatDNN and WPK.

Importing ``dnnf`` makes the ``dnnf`` dialect and its passes available in the
upstream ``mlir`` Python bindings:

* every ``mlir.ir.Context`` created afterwards has the dialect registered and
  loaded (through the bindings' global dialect registry);
* ``register_dialect(context)`` adds it to a context created before the import;
* ``PassManager.parse("builtin.module(dnnf-classify)")`` knows the dnnf passes.

Op classes live in :mod:`dnnf.dialects.dnnf`.
"""

from __future__ import annotations

from mlir import ir as _ir
from mlir._mlir_libs import get_dialect_registry as _get_dialect_registry

from ._mlir_libs import _dnnf
from ._native import opt_path, plugin_path
from .dialects._dnnf_enum_gen import MappingType

__version__ = "0.1.0"

_dnnf.register_dialects(_get_dialect_registry())
_dnnf.register_passes()
# Ops read back from IR get dnnf's Python classes: the bindings import the
# module `<prefix>.dnnf` for the `dnnf` namespace.
from mlir.dialects._ods_common import _cext as _cext  # noqa: E402

_cext.globals.append_dialect_search_prefix("dnnf.dialects")

_MAPPING_BY_NAME = {str(m): m for m in MappingType}


def register_dialect(context: _ir.Context | None = None, load: bool = True) -> None:
    """Registers (and by default loads) dnnf in ``context`` (default: current)."""
    _dnnf.register_dialect(context, load)


def _as_operation(op: _ir.Operation | _ir.OpView) -> _ir.Operation:
    return op.operation if isinstance(op, _ir.OpView) else op


def mapping_type(op: _ir.Operation | _ir.OpView) -> MappingType | None:
    """The DNNFusion mapping type computed from ``op``'s semantics and shapes.

    ``None`` when ``op`` is not a dnnf compute op.
    """
    name = _dnnf.compute_mapping_type(_as_operation(op))
    return None if name is None else _MAPPING_BY_NAME[name]


def stored_mapping_type(op: _ir.Operation | _ir.OpView) -> MappingType | None:
    """The mapping type stored in ``op``'s ``mapping`` attribute, if any."""
    name = _dnnf.stored_mapping_type(_as_operation(op))
    return None if name is None else _MAPPING_BY_NAME[name]


def compile(  # noqa: A001
    model: object, target: str = "cpu", **options: object
) -> object:
    """``dnnf.runtime.compile``: an ONNX file, ModelProto or dnnf module
    compiled for ``target`` ("cpu" or "vulkan"), called with numpy arrays.
    Imported on first use, so that ``import dnnf`` stays light."""
    from .runtime import compile as compile_model

    return compile_model(model, target, **options)  # type: ignore[arg-type]


__all__ = [
    "MappingType",
    "compile",
    "mapping_type",
    "opt_path",
    "plugin_path",
    "register_dialect",
    "stored_mapping_type",
]
