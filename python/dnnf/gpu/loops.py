"""Host-level loop nests -> one-dimensional ``scf.parallel`` loops.

After ``convert-linalg-to-parallel-loops`` every linalg op of ``@main`` is one
``scf.parallel`` over its parallel dimensions (reductions are ``scf.for``
loops inside), or a bare ``scf.for`` nest when it has no parallel dimension.
The GPU mapping wants one flat index space per kernel: each ``scf.parallel``
is rewritten to a single loop over the product of its trip counts (the
original indices come back through ``affine.delinearize_index``), and each
top-level ``scf.for`` is wrapped in a one-iteration ``scf.parallel``, so that
every loop nest becomes a kernel launch and nothing computes on the host.
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects import arith, scf


def _constant_index(value: ir.Value) -> int:
    owner = value.owner
    if not isinstance(owner, ir.OpView) or owner.name != "arith.constant":
        raise NotImplementedError(
            f"loop bound {value} is not a constant (dynamic shapes are not "
            "supported by the GPU path)"
        )
    return ir.IntegerAttr(owner.attributes["value"]).value


def _index(value: int) -> ir.Value:
    return arith.constant(ir.IndexType.get(), value)


def _new_parallel(count: int) -> tuple[scf.ParallelOp, ir.Block, ir.Operation]:
    """An empty ``scf.parallel (%i) = (0) to (count) step (1)``."""
    loop = scf.ParallelOp([], [_index(0)], [_index(count)], [_index(1)], [])
    block = loop.regions[0].blocks.append(ir.IndexType.get())
    with ir.InsertionPoint(block):
        terminator = scf.ReduceOp([], 0)
    return loop, block, terminator.operation


def _move_body(src: ir.Block, terminator: ir.Operation) -> None:
    for op in list(src.operations):
        if op.operation.name == "scf.reduce":
            continue
        op.operation.move_before(terminator)


def _delinearize(linear: ir.Value, trips: list[int]) -> list[ir.Value]:
    """Row-major indices of ``linear`` in a ``trips``-shaped space (unsigned
    division: the index is never negative)."""
    ivs: list[ir.Value] = []
    rest = linear
    for i in range(len(trips) - 1, -1, -1):
        if i == 0:
            ivs.append(rest)
        elif trips[i] == 1:
            ivs.append(_index(0))
        else:
            size = _index(trips[i])
            ivs.append(arith.remui(rest, size))
            rest = arith.divui(rest, size)
    return ivs[::-1]


def _linearize(loop: ir.Operation) -> None:
    n = len(loop.regions[0].blocks[0].arguments)
    operands = list(loop.operands)
    if len(operands) != 3 * n:
        raise NotImplementedError("scf.parallel with reductions at host level")
    lbs = [_constant_index(v) for v in operands[:n]]
    ubs = [_constant_index(v) for v in operands[n : 2 * n]]
    steps = [_constant_index(v) for v in operands[2 * n :]]
    trips = [
        max(0, -(-(u - lo) // s)) for lo, u, s in zip(lbs, ubs, steps, strict=True)
    ]
    count = 1
    for t in trips:
        count *= t
    with ir.InsertionPoint(loop):
        new, block, terminator = _new_parallel(count)
    old = loop.regions[0].blocks[0]
    with ir.InsertionPoint(terminator):
        ivs = _delinearize(block.arguments[0], trips)
        for i, (lo, s) in enumerate(zip(lbs, steps, strict=True)):
            if s != 1:
                ivs[i] = arith.muli(ivs[i], _index(s))
            if lo != 0:
                ivs[i] = arith.addi(ivs[i], _index(lo))
    for arg, iv in zip(old.arguments, ivs, strict=True):
        arg.replace_all_uses_with(iv)
    _move_body(old, terminator)
    loop.erase()


def _wrap(op: ir.Operation) -> None:
    with ir.InsertionPoint(op):
        _, _, terminator = _new_parallel(1)
    op.move_before(terminator)


_HOST_OPS = {
    "arith.constant",
    "memref.alloc",
    "memref.alloca",
    "memref.get_global",
    "memref.collapse_shape",
    "memref.expand_shape",
    "memref.reshape",
    "memref.cast",
    "memref.subview",
    "memref.reinterpret_cast",
    "memref.dealloc",
    "func.return",
}


def flatten_loops(func: ir.Operation) -> None:
    """Rewrites the top-level loops of ``func`` as described above."""
    block = func.regions[0].blocks[0]
    for op in list(block.operations):
        op = op.operation
        if op.name == "scf.parallel":
            _linearize(op)
        elif op.name == "scf.for":
            _wrap(op)
        elif op.name not in _HOST_OPS:
            raise NotImplementedError(
                f"'{op.name}' at host level is not supported by the GPU path"
            )
