"""Shim: ``mlir-tblgen`` output imports ``._ods_common`` relative to its package.

dnnf's generated classes must use the upstream bindings' helpers (and their
native module), so this re-exports :mod:`mlir.dialects._ods_common`.
"""

from mlir.dialects import _ods_common as _upstream

globals().update({k: v for k, v in vars(_upstream).items() if not k.startswith("__")})
