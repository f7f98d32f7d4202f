"""Options of the SPIR-V pipeline (mirrors ``--dnnf-spirv-pipeline``)."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Vulkan versions the pipeline targets (it maps each to the highest SPIR-V
#: version the Vulkan version accepts: 1.0, 1.3, 1.5, 1.6).
VULKAN_VERSIONS = ("1.0", "1.1", "1.2", "1.3")


@dataclass(frozen=True)
class SpirvOptions:
    """What the target Vulkan device supports, and how kernels are shaped.

    ``capabilities``/``extensions`` are SPIR-V names (``Shader``, ``Int64``,
    ``SPV_KHR_storage_buffer_storage_class``...); ``workgroup_size`` is the
    number of invocations per workgroup of every kernel (one-dimensional);
    ``subgroup_size`` goes into the target's resource limits; ``fp16`` adds
    the Float16 capability and 16-bit storage.  ``conv_to_matmul`` lowers
    convolutions through im2col + matmul, ``tile_matmuls`` makes matmuls
    workgroup-tiled kernels (a ``matmul_tile`` square block of C per
    workgroup, a ``matmul_thread_tile`` square per invocation, K steps of
    ``matmul_k_tile`` staged in workgroup memory) and, with
    ``matmul_epilogues``, computes the elementwise op after each matmul
    (bias, BatchNorm, activation, residual) in the matmul's kernel.
    """

    vulkan_version: str = "1.0"
    capabilities: tuple[str, ...] = ("Shader",)
    extensions: tuple[str, ...] = ("SPV_KHR_storage_buffer_storage_class",)
    subgroup_size: int = 32
    workgroup_size: int = 64
    fp16: bool = False
    extra_capabilities: tuple[str, ...] = field(default=())
    conv_to_matmul: bool = True
    tile_matmuls: bool = True
    matmul_tile: int = 32
    matmul_thread_tile: int = 4
    matmul_k_tile: int = 16
    matmul_epilogues: bool = True

    def __post_init__(self) -> None:
        if self.vulkan_version not in VULKAN_VERSIONS:
            raise ValueError(
                f"unknown Vulkan version '{self.vulkan_version}'; "
                f"expected one of {list(VULKAN_VERSIONS)}"
            )
        if not 1 <= self.workgroup_size <= 1024:
            raise ValueError(f"workgroup_size {self.workgroup_size} not in [1, 1024]")
        tile, thread = self.matmul_tile, self.matmul_thread_tile
        if (
            min(tile, thread, self.matmul_k_tile) < 1
            or tile % thread
            or (tile // thread) ** 2 > 1024
        ):
            raise ValueError(
                f"matmul_tile {tile}, matmul_thread_tile {thread}, matmul_k_tile "
                f"{self.matmul_k_tile}: all must be positive, the thread tile must "
                "divide the tile, and (tile / thread tile)^2 invocations per "
                "workgroup be at most 1024"
            )
