"""A numpy reference interpreter of the dnnf dialect.

>>> from dnnf.reference import run
>>> outputs = run(module, {"x": x})  # or run(module, [x])

Every ``dnnf`` op is computed with ONNX semantics (the op descriptions in
``DnnfOps.td``), one op at a time, by plain numpy: clarity and exactness
first, speed last.  ``func.call``/``func.return``, ``dnnf.fused`` regions
and ``dnnf.constant`` (``dense`` and ``dense_resource``) are supported.

Float math stays in the tensor's precision, as ONNX Runtime does (numpy
keeps float32 operands float32); products and sums of half-precision
tensors accumulate in float32.  A few ops are computed in float64 and
rounded once, as the ONNX reference implementation does: ``erf``/``gelu``
(``math.erf``) and the interpolation of ``resize``.

Each result is checked against its declared type: a shape that differs
from what ONNX semantics give raises :class:`InterpreterError`, which points
at a type-inference bug in the dialect or the importer.
"""

from __future__ import annotations

from ._mlir import InterpreterError
from .interpreter import Interpreter, run
from .registry import KERNELS

__all__ = ["KERNELS", "Interpreter", "InterpreterError", "run"]
