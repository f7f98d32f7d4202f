"""The host side of a lowered module, read into a plan the runtime executes.

After :func:`dnnf.gpu.pipeline.lower_to_spirv`, ``@main`` only allocates
buffers, takes weights (``memref.get_global``), makes views of buffers and
launches kernels.  :func:`plan` reads it, op by op, into buffers and
dispatches; anything else at host level is rejected with the op's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from mlir import ir

from dnnf.dtypes import numpy_dtype
from dnnf.runtime.compiled import find_main

from .pipeline import Kernel


@dataclass(frozen=True)
class BufferSpec:
    """A device buffer: an input (``arg``), weights (``data``) or scratch."""

    nbytes: int
    arg: int | None = None
    data: np.ndarray | None = None


@dataclass(frozen=True)
class View:
    """A memref value: ``shape``/``dtype`` elements of buffer ``buffer`` from
    element ``offset`` on (row-major when ``contiguous``)."""

    buffer: int
    offset: int
    shape: tuple[int, ...]
    dtype: np.dtype
    contiguous: bool = True


@dataclass(frozen=True)
class DispatchSpec:
    kernel: Kernel
    grid: tuple[int, int, int]
    block: tuple[int, int, int]
    buffers: tuple[int, ...]  # binding i -> buffer index


@dataclass
class Plan:
    buffers: list[BufferSpec] = field(default_factory=list)
    dispatches: list[DispatchSpec] = field(default_factory=list)
    outputs: list[View] = field(default_factory=list)


_VIEWS = {
    "memref.collapse_shape",
    "memref.expand_shape",
    "memref.reshape",
    "memref.cast",
    "memref.subview",
    "memref.reinterpret_cast",
}
_IGNORED = {"memref.dealloc", "memref.assume_alignment"}


def _memref_view(t: ir.Type, buffer: int) -> View:
    mt = ir.MemRefType(t)
    if not mt.has_static_shape:
        raise NotImplementedError(f"dynamic shape {mt} on the host side")
    strides, offset = mt.get_strides_and_offset()
    shape = tuple(mt.shape)
    contiguous = True
    expected = 1
    for size, stride in zip(reversed(shape), reversed(strides), strict=True):
        if size != 1 and stride != expected:
            contiguous = False
        expected *= size
    return View(buffer, offset, shape, numpy_dtype(mt.element_type), contiguous)


def _nbytes(view: View) -> int:
    return int(np.prod(view.shape, dtype=np.int64)) * view.dtype.itemsize


def resource_blobs(module: ir.Module) -> dict[str, bytes]:
    """The ``dense_resource`` blobs of ``module`` (from its textual form: the
    Python bindings cannot read a blob back)."""
    text = module.operation.get_asm(large_resource_limit=None)
    start = text.find("{-#")
    if start < 0:
        return {}
    blobs = {}
    for m in re.finditer(
        r'^\s*"?([^\s":]+)"?\s*:\s*"0x([0-9A-Fa-f]*)"', text[start:], re.M
    ):
        raw = bytes.fromhex(m.group(2))
        blobs[m.group(1)] = raw[4:]  # the first word is the blob's alignment
    return blobs


def _global_data(
    op: ir.Operation, blobs: dict[str, bytes], blob_reader: object
) -> np.ndarray:
    mt = ir.MemRefType(ir.TypeAttr(op.attributes["type"]).value)
    dtype = numpy_dtype(mt.element_type)
    shape = tuple(mt.shape)
    attr = op.attributes["initial_value"]
    resource = re.match(r"dense_resource<([^>]+)>", str(attr))
    if resource is not None:
        name = resource.group(1)
        raw = blobs[name] if name in blobs else blob_reader(name)  # type: ignore[operator]
        if dtype == np.bool_:
            return np.frombuffer(raw, np.uint8).astype(np.bool_).reshape(shape)
        return np.frombuffer(raw, dtype).reshape(shape)
    dense = ir.DenseElementsAttr(attr)
    if dense.is_splat:
        value = np.array(
            ir.DenseElementsAttr.get_splat(
                ir.RankedTensorType.get([1], dense.type.element_type),
                dense.get_splat_value(),
            )
        )
        return np.full(shape, value.reshape(-1)[0], dtype)
    return np.array(dense).astype(dtype, copy=False).reshape(shape)


def plan(module: ir.Module, kernels: dict[str, Kernel]) -> Plan:
    """Reads the host side of ``module`` (already lowered) into a plan."""
    globals_ = {
        ir.StringAttr(op.attributes["sym_name"]).value: op.operation
        for op in module.body.operations
        if op.operation.name == "memref.global"
    }
    blobs: dict[str, bytes] | None = None
    out = Plan()
    views: dict[ir.Value, View] = {}
    ints: dict[ir.Value, int] = {}
    global_buffers: dict[str, int] = {}

    def new_buffer(spec: BufferSpec) -> int:
        out.buffers.append(spec)
        return len(out.buffers) - 1

    main = find_main(module)
    block = main.regions[0].blocks[0]
    for i, arg in enumerate(block.arguments):
        view = _memref_view(arg.type, -1)
        buf = new_buffer(BufferSpec(_nbytes(view), arg=i))
        views[arg] = _memref_view(arg.type, buf)
    for op in block.operations:
        op = op.operation
        name = op.name
        if name == "arith.constant":
            value = op.attributes["value"]
            if isinstance(value.maybe_downcast(), ir.IntegerAttr):
                ints[op.result] = ir.IntegerAttr(value).value
        elif name in ("memref.alloc", "memref.alloca"):
            view = _memref_view(op.result.type, -1)
            buf = new_buffer(BufferSpec(_nbytes(view)))
            views[op.result] = _memref_view(op.result.type, buf)
        elif name == "memref.get_global":
            sym = ir.FlatSymbolRefAttr(op.attributes["name"]).value
            if sym not in global_buffers:
                if blobs is None:
                    blobs = resource_blobs(module)
                data = _global_data(globals_[sym], blobs, blobs.__getitem__)
                global_buffers[sym] = new_buffer(BufferSpec(data.nbytes, data=data))
            views[op.result] = _memref_view(op.result.type, global_buffers[sym])
        elif name in _VIEWS:
            src = views[op.operands[0]]
            view = _memref_view(op.result.type, src.buffer)
            if name != "memref.subview" and name != "memref.reinterpret_cast":
                # Reshapes keep the source's offset; the result type has it
                # too when it is not zero.
                view = View(src.buffer, src.offset, view.shape, view.dtype)
            views[op.result] = view
        elif name == "gpu.launch_func":
            kernel_ref = str(op.attributes["kernel"]).replace("@", "")
            kernel = kernels[kernel_ref]
            launch = op.opview
            sizes = [
                ints[v]
                for v in (
                    launch.gridSizeX,
                    launch.gridSizeY,
                    launch.gridSizeZ,
                    launch.blockSizeX,
                    launch.blockSizeY,
                    launch.blockSizeZ,
                )
            ]
            args = list(launch.kernelOperands)
            buffers = []
            for a in args:
                if a not in views:
                    raise NotImplementedError(
                        f"kernel {kernel_ref} takes a non-buffer argument {a}"
                    )
                buffers.append(views[a].buffer)
            out.dispatches.append(
                DispatchSpec(kernel, tuple(sizes[:3]), tuple(sizes[3:]), tuple(buffers))
            )
        elif name == "func.return":
            out.outputs = [views[v] for v in op.operands]
        elif name not in _IGNORED:
            raise NotImplementedError(
                f"'{name}' on the host side is not supported by the GPU path"
            )
    return out
