"""dnnf -> linalg -> buffers -> parallel loops -> gpu kernels -> SPIR-V.

The lowering is the C++ pass pipeline ``--dnnf-spirv-pipeline`` (the same
one ``dnnf-opt`` and the ``mlir-opt`` plugin run); this module builds its
option string from ``SpirvOptions``, records which buffers each kernel
writes (for the runtime's barriers) and serializes the kernels.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir
from mlir.dialects import gpu
from mlir.passmanager import PassManager

import dnnf  # noqa: F401  (registers the dnnf dialect and passes)

from .options import SpirvOptions

SERIALIZE = ("gpu-module-to-binary{format=bin}",)


def pipeline_text(options: SpirvOptions) -> str:
    """``dnnf-spirv-pipeline{...}`` with ``options``."""
    fields = {
        "vulkan-version": options.vulkan_version,
        "capabilities": ",".join(
            list(options.capabilities) + list(options.extra_capabilities)
        ),
        "extensions": ",".join(options.extensions),
        "subgroup-size": options.subgroup_size,
        "workgroup-size": options.workgroup_size,
        "fp16": str(options.fp16).lower(),
        "conv-to-matmul": str(options.conv_to_matmul).lower(),
        "tile-matmuls": str(options.tile_matmuls).lower(),
        "matmul-tile": options.matmul_tile,
        "matmul-thread-tile": options.matmul_thread_tile,
        "matmul-k-tile": options.matmul_k_tile,
        "matmul-epilogues": str(options.matmul_epilogues).lower(),
    }
    text = " ".join(f"{k}={v}" for k, v in fields.items() if v != "")
    return f"dnnf-spirv-pipeline{{{text}}}"


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
    _run(module, (pipeline_text(options),))
    # The gpu.funcs stay beside their converted spirv.modules until
    # serialization: what each kernel writes is read from them.
    writes = {}
    for gm in _ops(module, "gpu.module"):
        mod = ir.StringAttr(gm.attributes["sym_name"]).value
        for fn in _ops(gm, "gpu.func"):
            name = ir.StringAttr(fn.attributes["sym_name"]).value
            writes[f"{mod}::{name}"] = _written_args(fn)
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
