"""Host-level loop nests -> one-dimensional ``scf.parallel`` loops.

After ``convert-linalg-to-parallel-loops`` every linalg op of ``@main`` is one
``scf.parallel`` over its parallel dimensions (reductions are ``scf.for``
loops inside; ``scf.parallel``/``scf.for``/``scf.parallel`` when reduction
dimensions sit between parallel ones), or a bare ``scf.for`` nest when it has
no parallel dimension.  The GPU mapping wants one flat index space per
kernel: each top-level nest is rewritten to a single ``scf.parallel`` over the
product of its parallel trip counts (the original indices come back by
unsigned division and remainder) with its ``scf.for`` loops inside, and
straight-line host code (a 0-d store) is wrapped in a one-iteration loop, so
that every loop nest becomes one kernel launch and nothing computes on the
host.
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


def _bounds(loop: ir.Operation) -> list[tuple[int, int, int]]:
    """(lower, upper, step) per dimension of an scf.parallel or scf.for."""
    if loop.name == "scf.for":
        lo, up, step = list(loop.operands)[:3]
        return [(_constant_index(lo), _constant_index(up), _constant_index(step))]
    n = len(loop.regions[0].blocks[0].arguments)
    ops = list(loop.operands)
    return [
        (
            _constant_index(ops[i]),
            _constant_index(ops[n + i]),
            _constant_index(ops[2 * n + i]),
        )
        for i in range(n)
    ]


def _is_plain_loop(op: ir.Operation) -> bool:
    """An scf.parallel without reductions or an scf.for without iter_args."""
    if op.name == "scf.parallel":
        return not op.results
    return op.name == "scf.for" and not op.results


def _chain(top: ir.Operation) -> list[ir.Operation]:
    """``top`` and the loops perfectly nested in it."""
    chain = [top]
    while True:
        body = [o.operation for o in chain[-1].regions[0].blocks[0].operations]
        inner = body[:-1]  # the terminator is last
        if len(inner) == 1 and _is_plain_loop(inner[0]):
            chain.append(inner[0])
        else:
            return chain


def _flatten_nest(top: ir.Operation) -> None:
    """Rewrites the loop nest at ``top`` as one flat ``scf.parallel`` over all
    of its parallel dimensions (outer to inner, the innermost fastest), with
    the ``scf.for`` loops of the nest, in their order, inside.

    Legal for the nests ``convert-linalg-to-parallel-loops`` produces: the
    parallel dimensions of a linalg op are independent at every point of its
    reduction loops, so they can be hoisted above them.
    """
    if not _is_plain_loop(top):
        raise NotImplementedError(f"host-level '{top.name}' with loop results")
    chain = _chain(top)
    parallel = [op for op in chain if op.name == "scf.parallel"]
    dims = [b for op in parallel for b in _bounds(op)]
    trips = [max(0, -(-(u - lo) // s)) for lo, u, s in dims]
    count = 1
    for t in trips:
        count *= t
    with ir.InsertionPoint(top):
        _, block, terminator = _new_parallel(count)
    top.move_before(terminator)
    with ir.InsertionPoint(top):
        ivs = _delinearize(block.arguments[0], trips)
        for i, (lo, _, s) in enumerate(dims):
            if s != 1:
                ivs[i] = arith.muli(ivs[i], _index(s))
            if lo != 0:
                ivs[i] = arith.addi(ivs[i], _index(lo))
    old_ivs = [a for op in parallel for a in op.regions[0].blocks[0].arguments]
    for arg, iv in zip(old_ivs, ivs, strict=True):
        arg.replace_all_uses_with(iv)
    for op in reversed(parallel):  # dissolve, innermost first
        for inner in list(op.regions[0].blocks[0].operations)[:-1]:
            inner.operation.move_before(op)
        op.erase()


def _wrap_run(ops: list[ir.Operation]) -> None:
    """Moves straight-line host-level code (e.g. a 0-d store) into a
    one-iteration ``scf.parallel``."""
    inside = {id(o) for o in ops}
    for op in ops:
        for result in op.results:
            for use in result.uses:
                if id(use.owner) not in inside:
                    raise NotImplementedError(
                        f"host-level '{op.name}' whose result is used by "
                        f"'{use.owner.name}'"
                    )
    with ir.InsertionPoint(ops[0]):
        _, _, terminator = _new_parallel(1)
    for op in ops:
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
    run: list[ir.Operation] = []
    for op in list(block.operations):
        op = op.operation
        if op.name in _HOST_OPS:
            if run:
                _wrap_run(run)
                run = []
        elif op.name in ("scf.parallel", "scf.for"):
            if run:
                _wrap_run(run)
                run = []
            _flatten_nest(op)
        else:
            run.append(op)
