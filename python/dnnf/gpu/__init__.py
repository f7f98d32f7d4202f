"""The GPU path: dnnf -> SPIR-V kernels -> Vulkan (see README, "GPU").

``compile_vulkan(model)`` returns a :class:`VulkanModel` with the CPU
``CompiledModel`` interface; ``lower_to_spirv`` is the pipeline alone.
"""

from .options import SpirvOptions
from .pipeline import Kernel, lower_to_spirv
from .validate import SpirvValidationError, validate

__all__ = [
    "Kernel",
    "SpirvOptions",
    "SpirvValidationError",
    "compile_vulkan",
    "lower_to_spirv",
    "validate",
]


def __getattr__(name: str) -> object:
    # The runtime imports `vulkan` lazily: lowering needs no Vulkan loader.
    if name in ("compile_vulkan", "VulkanModel"):
        from . import model

        return getattr(model, name)
    raise AttributeError(name)
