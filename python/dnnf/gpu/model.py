"""``VulkanModel``: a dnnf model lowered to SPIR-V and run through Vulkan.

Same interface as the CPU ``CompiledModel``: ``inputs``/``outputs`` specs,
call with numpy arrays (by position or by name), get numpy arrays back;
inputs are checked before any device work.  Weights are uploaded once, at
construction; every call writes the inputs, submits the one recorded command
buffer and reads the outputs back.
"""

from __future__ import annotations

import dataclasses
import os
import threading

import numpy as np
from mlir import ir
from onnx import ModelProto

from dnnf.runtime.compiled import check_inputs, signature

from .options import SpirvOptions
from .pipeline import Kernel, lower_to_spirv
from .program import Plan, plan
from .vulkan import Binding, Device, Dispatch, Recording, default_device


def device_options(device: Device, **fields: object) -> SpirvOptions:
    """``SpirvOptions(**fields)`` plus the 64-bit integer and float
    capabilities ``device`` has (BERT's and GPT-2's token ids and index
    arithmetic are i64), and fp16 when it has f16 arithmetic and 16-bit
    storage buffers (unless ``fields`` say otherwise): the default target
    for that device."""
    known = {f.name for f in dataclasses.fields(SpirvOptions)}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ValueError(
            f"unknown Vulkan target option(s) {', '.join(unknown)}; "
            f"available: {', '.join(sorted(known))}"
        )
    extra = [str(c) for c in fields.pop("extra_capabilities", ())]  # type: ignore[union-attr]
    if device.supports_int64:
        extra.append("Int64")
    if device.supports_float64:
        extra.append("Float64")
    fields.setdefault("fp16", device.supports_fp16)
    return SpirvOptions(extra_capabilities=tuple(dict.fromkeys(extra)), **fields)  # type: ignore[arg-type]


class VulkanModel:
    """A model compiled to SPIR-V kernels, run on a Vulkan device."""

    target = "vulkan"

    def __init__(
        self,
        module: ir.Module,
        options: SpirvOptions | None = None,
        device: Device | None = None,
    ) -> None:
        self.inputs, self.outputs = signature(module)
        self.device = device or default_device()
        self.options = options or device_options(self.device)
        self.kernels: dict[str, Kernel] = lower_to_spirv(module, self.options)
        self.plan: Plan = plan(module, self.kernels)
        self._lock = threading.Lock()
        dev = self.device
        self._buffers = [dev.buffer(b.nbytes) for b in self.plan.buffers]
        self._inputs = [None] * len(self.inputs)
        for spec, buf in zip(self.plan.buffers, self._buffers, strict=True):
            if spec.data is not None:
                buf.write(spec.data)
            if spec.arg is not None:
                self._inputs[spec.arg] = buf
        self._pipelines = {
            name: dev.pipeline(k.spirv, k.entry, len(k.writes))
            for name, k in self.kernels.items()
        }
        max_groups = dev.max_workgroup_count
        dispatches = []
        for d in self.plan.dispatches:
            for axis, (groups, limit) in enumerate(
                zip(d.grid, max_groups, strict=True)
            ):
                if groups > limit:
                    raise NotImplementedError(
                        f"kernel {d.kernel.name} needs {groups} workgroups along "
                        f"axis {axis}; the device allows {limit}"
                    )
            bindings = tuple(
                Binding(self._buffers[b], 0, self._buffers[b].nbytes, w)
                for b, w in zip(d.buffers, d.kernel.writes, strict=True)
            )
            dispatches.append(
                Dispatch(self._pipelines[d.kernel.name], bindings, d.grid)
            )
        self._recording = Recording(dev, dispatches)

    @property
    def dispatch_count(self) -> int:
        return len(self.plan.dispatches)

    @property
    def barrier_count(self) -> int:
        return self._recording.barriers

    def __call__(self, *args: np.ndarray, **kwargs: np.ndarray) -> list[np.ndarray]:
        arrays = check_inputs(self.inputs, args, kwargs)
        with self._lock:
            for buf, a in zip(self._inputs, arrays, strict=True):
                buf.write(a)
            self._recording.run()
            results = []
            for spec, view in zip(self.outputs, self.plan.outputs, strict=True):
                if not view.contiguous:
                    raise NotImplementedError(f"output '{spec.name}' is a strided view")
                buf = self._buffers[view.buffer]
                offset = view.offset * view.dtype.itemsize
                results.append(buf.read(spec.shape, spec.dtype, offset))
        return results


def compile_vulkan(
    model: str | os.PathLike | ModelProto | ir.Module,
    *,
    input_shapes: dict | None = None,
    options: SpirvOptions | None = None,
    device: Device | None = None,
) -> VulkanModel:
    """Compiles an ONNX file, ModelProto or dnnf module for a Vulkan device."""
    if isinstance(model, ir.Module):
        module = ir.Module.parse(str(model), context=model.context)
        with model.context, ir.Location.unknown():
            return VulkanModel(module, options, device)
    from dnnf.frontend.onnx import import_model

    ctx = ir.Context()
    with ctx, ir.Location.unknown():
        module = import_model(model, input_shapes=input_shapes, context=ctx)
        compiled = VulkanModel(module, options, device)
    compiled._context = ctx
    return compiled
