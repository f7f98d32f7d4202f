"""Math functions SPIR-V has no instruction for, rewritten as arithmetic.

``math.erf`` (GELU, Erf): Abramowitz & Stegun 7.1.26,
``erf(x) = sign(x) (1 - t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) e^(-x^2))``
with ``t = 1 / (1 + p |x|)``; absolute error below 1.5e-7.
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects import arith, math

_P = 0.3275911
_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def _erf(x: ir.Value) -> ir.Value:
    t_ = x.type

    def c(v: float) -> ir.Value:
        return arith.constant(t_, v)

    ax = math.absf(x)
    t = arith.divf(c(1.0), arith.addf(c(1.0), arith.mulf(c(_P), ax)))
    poly = c(_A[4])
    for a in reversed(_A[:4]):
        poly = arith.addf(c(a), arith.mulf(t, poly))
    e = math.exp(arith.negf(arith.mulf(ax, ax)))
    y = arith.subf(c(1.0), arith.mulf(arith.mulf(t, poly), e))
    return math.copysign(y, x)


_REWRITES = {"math.erf": _erf}


def rewrite_math(root: ir.Operation) -> int:
    """Rewrites every op of ``_REWRITES`` under ``root``; returns the count."""
    found: list[ir.Operation] = []

    def visit(op: ir.Operation) -> ir.WalkResult:
        if op.name in _REWRITES:
            found.append(op)
        return ir.WalkResult.ADVANCE

    root.walk(visit)
    for op in found:
        with ir.InsertionPoint(op), op.location:
            new = _REWRITES[op.name](op.operands[0])
        op.result.replace_all_uses_with(new)
        op.erase()
    return len(found)
