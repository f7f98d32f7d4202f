"""Op classes of the ``dnnf`` dialect, generated from its ODS definitions.

Unlike upstream op classes, building a region-free dnnf op verifies it at
once: an op that breaks a verifier raises :class:`mlir.ir.MLIRError` naming
the problem, and is not left in the IR.
"""

from __future__ import annotations

import inspect

from mlir import ir as _ir

from . import _dnnf_ops_gen as _gen
from ._dnnf_enum_gen import *  # noqa: F403
from ._dnnf_ops_gen import *  # noqa: F403
from ._dnnf_ops_gen import _Dialect
from ._ods_common import _cext


def _verifying(cls: type) -> type:
    """Registers a subclass of generated op class ``cls`` that verifies on build."""
    init = cls.__init__

    def __init__(self, *args: object, **kwargs: object) -> None:  # noqa: ANN001
        init(self, *args, **kwargs)
        op = self.operation
        try:
            op.verify()
        except _ir.MLIRError:
            op.erase()
            raise

    sub = type(cls.__name__, (cls,), {"__init__": __init__, "__doc__": cls.__doc__})
    sub.__module__ = __name__
    sub.__init__.__signature__ = inspect.signature(init)
    return _cext.register_operation(_Dialect, replace=True)(sub)


for _name, _cls in list(vars(_gen).items()):
    if (
        isinstance(_cls, type)
        and issubclass(_cls, _ir.OpView)
        and _cls is not _ir.OpView
        and getattr(_cls, "_ODS_REGIONS", (0, True))[0] == 0
    ):
        # The generated builder functions (``add(...)``) look the class up
        # in the generated module, so replace it there too.
        globals()[_name] = _verifying(_cls)
        setattr(_gen, _name, globals()[_name])

del _name, _cls
