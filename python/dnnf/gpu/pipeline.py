"""dnnf -> linalg -> buffers -> parallel loops -> gpu kernels -> SPIR-V.

The pipeline is upstream MLIR passes (plus dnnf's own) run from Python, with
two small rewrites done here between pass groups: loop flattening
(``loops.flatten_loops``) and the ``spirv.entry_point_abi`` attribute on
every kernel.  The option names mirror ``--dnnf-spirv-pipeline``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mlir import ir
from mlir.dialects import gpu
from mlir.passmanager import PassManager

import dnnf  # noqa: F401  (registers the dnnf dialect and passes)
from dnnf.runtime.compiled import find_main

from .loops import flatten_loops
from .math_rewrites import rewrite_math
from .options import SpirvOptions

#: dnnf -> linalg on tensors -> buffers -> one scf.parallel per linalg op.
TO_LOOPS = (
    "convert-dnnf-to-linalg",
    "canonicalize",
    "linalg-fuse-elementwise-ops",
    "cse",
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map}",
    "canonicalize",
    "func.func(dnnf-lower-memref-copy)",
    "convert-linalg-to-parallel-loops",
    "canonicalize",
)


def to_kernels(options: SpirvOptions) -> tuple[str, ...]:
    """Flat loops -> tiled onto workgroups/invocations -> outlined gpu.funcs."""
    return (
        "func.func(fold-memref-alias-ops)",
        "scf-parallel-loop-tiling{parallel-loop-tile-sizes="
        f"{options.workgroup_size} no-min-max-bounds=true}}",
        "func.func(gpu-map-parallel-loops)",
        "func.func(convert-parallel-loops-to-gpu)",
        "canonicalize",
        "func.func(gpu-launch-sink-index-computations)",
        "gpu-kernel-outlining",
        "lower-affine",
        "canonicalize",
        "cse",
    )


TO_SPIRV = (
    # Ops SPIR-V lacks (floordivsi, erf, ...) become simpler arithmetic first.
    "gpu.module(arith-expand)",
    "gpu.module(math-expand-ops)",
    "gpu.module(convert-math-to-spirv)",
    "convert-gpu-to-spirv",
)

#: Runs once each spirv.module sits inside its gpu.module.
FINISH_SPIRV = ("gpu.module(spirv.module(spirv-lower-abi-attrs, spirv-update-vce))",)
SERIALIZE = ("gpu-module-to-binary{format=bin}",)


def _run(module: ir.Module, passes: tuple[str, ...]) -> None:
    PassManager.parse(f"builtin.module({','.join(passes)})").run(module.operation)


def _ops(module: ir.Module | ir.Operation, name: str) -> list[ir.Operation]:
    found = []

    def visit(op: ir.Operation) -> ir.WalkResult:
        if op.name == name:
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.operation.walk(visit)  # type: ignore[union-attr]
    return found


def _drop_overflow_flags(root: ir.Operation) -> None:
    """Clears ``overflow<nsw, nuw>`` on integer ops.  They become
    NoSignedWrap decorations, which need SPIR-V 1.4 or an extension, while
    ``spirv-update-vce`` may lower the module's version below 1.4 (then
    spirv-val rejects it).  They are only hints."""

    none = ir.Attribute.parse("#arith.overflow<none>")

    def visit(op: ir.Operation) -> ir.WalkResult:
        if "overflowFlags" in op.attributes:
            op.attributes["overflowFlags"] = none
        return ir.WalkResult.ADVANCE

    root.walk(visit)


def _pin_spirv_version(module: ir.Module, options: SpirvOptions) -> None:
    """Sets each spirv.module's version to the target's.

    ``spirv-update-vce`` deduces the lowest version the ops need (often
    1.0), but ``spirv-lower-abi-attrs`` already wrote the entry point's
    interface as the target's version wants it (from 1.4 on it lists the
    storage buffers too), and a 1.0 module with that interface is invalid.
    """
    for op in _ops(module, "spirv.module"):
        vce = str(op.attributes["vce_triple"])
        pinned = re.sub(
            r"#spirv.vce<v[0-9.]+,", f"#spirv.vce<{options.spirv_version},", vce
        )
        op.attributes["vce_triple"] = ir.Attribute.parse(pinned)


def _set_spirv_attrs(module: ir.Module, options: SpirvOptions) -> None:
    target = ir.Attribute.parse(options.target_env())
    for gm in _ops(module, "gpu.module"):
        gm.attributes["targets"] = ir.ArrayAttr.get([target])
    abi = ir.Attribute.parse(
        f"#spirv.entry_point_abi<workgroup_size = [{options.workgroup_size}, 1, 1]>"
    )
    for fn in _ops(module, "gpu.func"):
        fn.attributes["spirv.entry_point_abi"] = abi


@dataclass(frozen=True)
class Kernel:
    """One compute shader: its SPIR-V binary, entry point, and which of its
    storage-buffer arguments (binding i = argument i) it may write."""

    name: str
    entry: str
    spirv: bytes
    writes: tuple[bool, ...]


_READ_ONLY_USERS = {"memref.load", "memref.dim"}


def _written_args(fn: ir.Operation) -> tuple[bool, ...]:
    """Per argument of a gpu.func: may the kernel write through it?  Any use
    other than a load counts as a write (conservative: at worst a barrier
    too many)."""
    args = fn.regions[0].blocks[0].arguments
    return tuple(
        any(use.owner.name not in _READ_ONLY_USERS for use in arg.uses)
        if isinstance(arg.type.maybe_downcast(), ir.MemRefType)
        else False
        for arg in args
    )


def lower_to_spirv(
    module: ir.Module, options: SpirvOptions | None = None
) -> dict[str, Kernel]:
    """Lowers a dnnf module in place and returns its kernels by symbol
    (``@module::@func`` as ``module::func``).

    What stays in the module is the host side: ``@main`` with buffers
    (``memref.alloc``), weights (``memref.get_global``), views and
    ``gpu.launch_func`` ops, and one ``gpu.binary`` per kernel.
    """
    options = options or SpirvOptions()
    _run(module, TO_LOOPS)
    flatten_loops(find_main(module))
    _run(module, to_kernels(options))
    _set_spirv_attrs(module, options)
    for gm in _ops(module, "gpu.module"):
        rewrite_math(gm)
        _drop_overflow_flags(gm)
    writes = {}
    for gm in _ops(module, "gpu.module"):
        mod = ir.StringAttr(gm.attributes["sym_name"]).value
        for fn in _ops(gm, "gpu.func"):
            name = ir.StringAttr(fn.attributes["sym_name"]).value
            writes[f"{mod}::{name}"] = _written_args(fn)
    _run(module, TO_SPIRV)
    _nest_spirv_modules(module)
    _run(module, FINISH_SPIRV)
    _pin_spirv_version(module, options)
    _run(module, SERIALIZE)
    kernels = {}
    for binary in _ops(module, "gpu.binary"):
        mod = ir.StringAttr(binary.attributes["sym_name"]).value
        obj = gpu.ObjectAttr(ir.ArrayAttr(binary.attributes["objects"])[0])
        spirv = bytes(obj.object)
        for key, w in writes.items():
            if key.startswith(f"{mod}::"):
                entry = key.split("::", 1)[1]
                kernels[key] = Kernel(key, entry, spirv, w)
    return kernels


def _nest_spirv_modules(module: ir.Module) -> None:
    """Moves each ``spirv.module @__spv__K`` into ``gpu.module @K`` (where
    ``gpu-module-to-binary`` looks for it)."""
    gpu_modules = {
        ir.StringAttr(op.attributes["sym_name"]).value: op
        for op in _ops(module, "gpu.module")
    }
    for op in _ops(module, "spirv.module"):
        name = ir.StringAttr(op.attributes["sym_name"]).value
        owner = gpu_modules[name.removeprefix("__spv__")]
        body = owner.regions[0].blocks[0]
        op.move_before(body.operations[0])
