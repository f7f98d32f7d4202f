"""A small Vulkan compute host runtime over the ``vulkan`` (cffi) package.

One :class:`Device` per process (created on first use): an instance, the
first compute-capable physical device (``DNNF_VULKAN_DEVICE=<index>`` picks
another; ``vulkaninfo --summary`` lists them), one queue, one command pool.
Buffers live in host-visible, host-coherent memory, so uploads and read-backs
are plain memory copies (right for lavapipe and unified-memory mobile GPUs;
a discrete GPU would want device-local buffers and staging copies).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

_WHOLE_SIZE = 2**64 - 1  # VK_WHOLE_SIZE (the package spells it -1)


class VulkanUnavailable(RuntimeError):
    """No Vulkan loader, or no device with a compute queue."""


def _vk():  # noqa: ANN202  (the cffi module)
    try:
        import vulkan
    except ImportError as e:
        raise VulkanUnavailable(
            "the 'vulkan' Python package is not installed "
            "(pip install vulkan==1.3.275.1)"
        ) from e
    except OSError as e:  # the package loads libvulkan.so.1 at import
        raise VulkanUnavailable(f"no Vulkan loader (libvulkan.so.1): {e}") from e
    return vulkan


@dataclass
class Buffer:
    handle: object
    memory: object
    nbytes: int
    mapped: object  # cffi buffer over the whole allocation

    def write(self, data: np.ndarray, offset: int = 0) -> None:
        raw = np.ascontiguousarray(data).view(np.uint8).reshape(-1)
        self.mapped[offset : offset + raw.size] = raw.tobytes()

    def read(
        self, shape: tuple[int, ...], dtype: np.dtype, offset: int = 0
    ) -> np.ndarray:
        count = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
        raw = np.frombuffer(self.mapped, np.uint8, count, offset)
        return raw.view(dtype).reshape(shape).copy()


@dataclass
class Pipeline:
    module: object
    set_layout: object
    layout: object
    pipeline: object
    bindings: int


class Device:
    """The Vulkan device that runs dnnf kernels."""

    def __init__(self, index: int | None = None) -> None:
        vk = self.vk = _vk()
        app = vk.VkApplicationInfo(
            sType=vk.VK_STRUCTURE_TYPE_APPLICATION_INFO,
            pApplicationName="dnnf",
            applicationVersion=1,
            pEngineName="dnnf",
            engineVersion=1,
            apiVersion=vk.VK_MAKE_VERSION(1, 1, 0),
        )
        try:
            self.instance = vk.vkCreateInstance(
                vk.VkInstanceCreateInfo(
                    sType=vk.VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
                    pApplicationInfo=app,
                ),
                None,
            )
        except vk.VkError as e:
            raise VulkanUnavailable(f"vkCreateInstance failed: {e!r}") from e
        candidates = []
        for phys in vk.vkEnumeratePhysicalDevices(self.instance):
            families = vk.vkGetPhysicalDeviceQueueFamilyProperties(phys)
            for i, fam in enumerate(families):
                if fam.queueFlags & vk.VK_QUEUE_COMPUTE_BIT:
                    candidates.append((phys, i))
                    break
        if not candidates:
            raise VulkanUnavailable("no Vulkan device with a compute queue")
        if index is None:
            index = int(os.environ.get("DNNF_VULKAN_DEVICE", "0"))
        if not 0 <= index < len(candidates):
            raise VulkanUnavailable(
                f"Vulkan device {index} requested, {len(candidates)} available"
            )
        self.physical, self.family = candidates[index]
        props = vk.vkGetPhysicalDeviceProperties(self.physical)
        self.name = str(props.deviceName)
        self.max_workgroup_count = tuple(props.limits.maxComputeWorkGroupCount)
        features = vk.vkGetPhysicalDeviceFeatures(self.physical)
        self.supports_int64 = bool(features.shaderInt64)
        self.supports_float64 = bool(features.shaderFloat64)
        # f16 arithmetic and 16-bit storage buffers (Vulkan 1.1 feature
        # structs), enabled when present: what fp16 kernels need.
        half = vk.VkPhysicalDeviceShaderFloat16Int8Features(
            sType=vk.VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES
        )
        storage16 = vk.VkPhysicalDevice16BitStorageFeatures(
            sType=vk.VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES,
            pNext=half,
        )
        vk.vkGetPhysicalDeviceFeatures2(
            self.physical,
            vk.VkPhysicalDeviceFeatures2(
                sType=vk.VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
                pNext=storage16,
            ),
        )
        self.supports_fp16 = bool(
            half.shaderFloat16 and storage16.storageBuffer16BitAccess
        )
        queue_info = vk.VkDeviceQueueCreateInfo(
            sType=vk.VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
            queueFamilyIndex=self.family,
            queueCount=1,
            pQueuePriorities=[1.0],
        )
        enabled = vk.VkPhysicalDeviceFeatures2(
            sType=vk.VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
            pNext=vk.VkPhysicalDevice16BitStorageFeatures(
                sType=vk.VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES,
                storageBuffer16BitAccess=storage16.storageBuffer16BitAccess,
                pNext=vk.VkPhysicalDeviceShaderFloat16Int8Features(
                    sType=vk.VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES,
                    shaderFloat16=half.shaderFloat16,
                ),
            ),
            features=vk.VkPhysicalDeviceFeatures(
                shaderInt64=features.shaderInt64,
                shaderFloat64=features.shaderFloat64,
            ),
        )
        self.device = vk.vkCreateDevice(
            self.physical,
            vk.VkDeviceCreateInfo(
                sType=vk.VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
                pNext=enabled,
                queueCreateInfoCount=1,
                pQueueCreateInfos=[queue_info],
            ),
            None,
        )
        self.queue = vk.vkGetDeviceQueue(self.device, self.family, 0)
        self.pool = vk.vkCreateCommandPool(
            self.device,
            vk.VkCommandPoolCreateInfo(
                sType=vk.VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                queueFamilyIndex=self.family,
                flags=vk.VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
            ),
            None,
        )
        self._memory_type = self._host_visible_memory_type()

    def _host_visible_memory_type(self) -> int:
        vk = self.vk
        want = (
            vk.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT
            | vk.VK_MEMORY_PROPERTY_HOST_COHERENT_BIT
        )
        mem = vk.vkGetPhysicalDeviceMemoryProperties(self.physical)
        for i in range(mem.memoryTypeCount):
            if mem.memoryTypes[i].propertyFlags & want == want:
                return i
        raise VulkanUnavailable("no host-visible, host-coherent memory type")

    # -- buffers --------------------------------------------------------------

    def buffer(self, nbytes: int) -> Buffer:
        vk = self.vk
        size = max(16, -(-nbytes // 16) * 16)  # i8/i16 data is read as words
        handle = vk.vkCreateBuffer(
            self.device,
            vk.VkBufferCreateInfo(
                sType=vk.VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
                size=size,
                usage=vk.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT
                | vk.VK_BUFFER_USAGE_TRANSFER_SRC_BIT
                | vk.VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                sharingMode=vk.VK_SHARING_MODE_EXCLUSIVE,
            ),
            None,
        )
        req = vk.vkGetBufferMemoryRequirements(self.device, handle)
        if not req.memoryTypeBits & (1 << self._memory_type):
            raise VulkanUnavailable("storage buffers cannot live in host memory")
        memory = vk.vkAllocateMemory(
            self.device,
            vk.VkMemoryAllocateInfo(
                sType=vk.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
                allocationSize=req.size,
                memoryTypeIndex=self._memory_type,
            ),
            None,
        )
        vk.vkBindBufferMemory(self.device, handle, memory, 0)
        mapped = vk.vkMapMemory(self.device, memory, 0, size, 0)
        return Buffer(handle, memory, size, mapped)

    def free_buffer(self, buf: Buffer) -> None:
        vk = self.vk
        vk.vkUnmapMemory(self.device, buf.memory)
        vk.vkDestroyBuffer(self.device, buf.handle, None)
        vk.vkFreeMemory(self.device, buf.memory, None)

    # -- kernels --------------------------------------------------------------

    def pipeline(self, spirv: bytes, entry: str, bindings: int) -> Pipeline:
        vk = self.vk
        if len(spirv) % 4:
            raise ValueError("a SPIR-V binary is a whole number of words")
        module = vk.vkCreateShaderModule(
            self.device,
            vk.VkShaderModuleCreateInfo(
                sType=vk.VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
                codeSize=len(spirv),
                pCode=spirv,
            ),
            None,
        )
        slots = [
            vk.VkDescriptorSetLayoutBinding(
                binding=i,
                descriptorType=vk.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                descriptorCount=1,
                stageFlags=vk.VK_SHADER_STAGE_COMPUTE_BIT,
            )
            for i in range(bindings)
        ]
        set_layout = vk.vkCreateDescriptorSetLayout(
            self.device,
            vk.VkDescriptorSetLayoutCreateInfo(
                sType=vk.VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
                bindingCount=bindings,
                pBindings=slots,
            ),
            None,
        )
        layout = vk.vkCreatePipelineLayout(
            self.device,
            vk.VkPipelineLayoutCreateInfo(
                sType=vk.VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
                setLayoutCount=1,
                pSetLayouts=[set_layout],
            ),
            None,
        )
        stage = vk.VkPipelineShaderStageCreateInfo(
            sType=vk.VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
            stage=vk.VK_SHADER_STAGE_COMPUTE_BIT,
            module=module,
            pName=entry,
        )
        pipeline = vk.vkCreateComputePipelines(
            self.device,
            None,
            1,
            [
                vk.VkComputePipelineCreateInfo(
                    sType=vk.VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
                    stage=stage,
                    layout=layout,
                )
            ],
            None,
        )[0]
        return Pipeline(module, set_layout, layout, pipeline, bindings)

    def destroy_pipeline(self, p: Pipeline) -> None:
        vk = self.vk
        vk.vkDestroyPipeline(self.device, p.pipeline, None)
        vk.vkDestroyPipelineLayout(self.device, p.layout, None)
        vk.vkDestroyDescriptorSetLayout(self.device, p.set_layout, None)
        vk.vkDestroyShaderModule(self.device, p.module, None)


_DEVICE: Device | None = None


def default_device() -> Device:
    """The process-wide device (created on first call)."""
    global _DEVICE
    if _DEVICE is None:
        _DEVICE = Device()
    return _DEVICE


def available() -> tuple[bool, str]:
    """Whether a Vulkan compute device can be used, and why not."""
    try:
        dev = default_device()
    except VulkanUnavailable as e:
        return False, str(e)
    return True, dev.name


@dataclass(frozen=True)
class Binding:
    """A storage-buffer binding: ``nbytes`` bytes of ``buffer`` at ``offset``."""

    buffer: Buffer
    offset: int
    nbytes: int
    writes: bool


@dataclass(frozen=True)
class Dispatch:
    pipeline: Pipeline
    bindings: tuple[Binding, ...]
    grid: tuple[int, int, int]


class Recording:
    """One command buffer running ``dispatches`` in order.

    A compute->compute memory barrier goes before a dispatch only when it
    reads or writes a buffer written since the last barrier, or writes one
    read since then (read-after-write, write-after-write, write-after-read);
    independent dispatches run back to back.
    """

    def __init__(self, device: Device, dispatches: list[Dispatch]) -> None:
        vk = device.vk
        self.device = device
        self.barriers = 0
        n = max(1, len(dispatches))
        total = max(1, sum(len(d.bindings) for d in dispatches))
        self.pool = vk.vkCreateDescriptorPool(
            device.device,
            vk.VkDescriptorPoolCreateInfo(
                sType=vk.VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
                maxSets=n,
                poolSizeCount=1,
                pPoolSizes=[
                    vk.VkDescriptorPoolSize(
                        type=vk.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                        descriptorCount=total,
                    )
                ],
            ),
            None,
        )
        sets = []
        if dispatches:
            sets = vk.vkAllocateDescriptorSets(
                device.device,
                vk.VkDescriptorSetAllocateInfo(
                    sType=vk.VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                    descriptorPool=self.pool,
                    descriptorSetCount=len(dispatches),
                    pSetLayouts=[d.pipeline.set_layout for d in dispatches],
                ),
            )
        writes = []
        for dset, d in zip(sets, dispatches, strict=True):
            for i, b in enumerate(d.bindings):
                writes.append(
                    vk.VkWriteDescriptorSet(
                        sType=vk.VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                        dstSet=dset,
                        dstBinding=i,
                        descriptorCount=1,
                        descriptorType=vk.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                        pBufferInfo=[
                            vk.VkDescriptorBufferInfo(
                                buffer=b.buffer.handle,
                                offset=b.offset,
                                range=_WHOLE_SIZE
                                if b.offset + b.nbytes >= b.buffer.nbytes
                                else -(-b.nbytes // 4) * 4,
                            )
                        ],
                    )
                )
        if writes:
            vk.vkUpdateDescriptorSets(device.device, len(writes), writes, 0, None)
        self.cmd = vk.vkAllocateCommandBuffers(
            device.device,
            vk.VkCommandBufferAllocateInfo(
                sType=vk.VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                commandPool=device.pool,
                level=vk.VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                commandBufferCount=1,
            ),
        )[0]
        vk.vkBeginCommandBuffer(
            self.cmd,
            vk.VkCommandBufferBeginInfo(
                sType=vk.VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO
            ),
        )
        # Host writes (inputs) become visible to the first dispatches.
        self._barrier(vk.VK_PIPELINE_STAGE_HOST_BIT, vk.VK_ACCESS_HOST_WRITE_BIT)
        written: set[int] = set()
        read: set[int] = set()
        for dset, d in zip(sets, dispatches, strict=True):
            ids_w = {id(b.buffer) for b in d.bindings if b.writes}
            ids_r = {id(b.buffer) for b in d.bindings if not b.writes}
            if (ids_w | ids_r) & written or ids_w & read:
                self._barrier(
                    vk.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                    vk.VK_ACCESS_SHADER_WRITE_BIT,
                )
                self.barriers += 1
                written, read = set(), set()
            written |= ids_w
            read |= ids_r
            vk.vkCmdBindPipeline(
                self.cmd, vk.VK_PIPELINE_BIND_POINT_COMPUTE, d.pipeline.pipeline
            )
            vk.vkCmdBindDescriptorSets(
                self.cmd,
                vk.VK_PIPELINE_BIND_POINT_COMPUTE,
                d.pipeline.layout,
                0,
                1,
                [dset],
                0,
                None,
            )
            vk.vkCmdDispatch(self.cmd, *d.grid)
        # Shader writes become visible to the host's reads.
        barrier = vk.VkMemoryBarrier(
            sType=vk.VK_STRUCTURE_TYPE_MEMORY_BARRIER,
            srcAccessMask=vk.VK_ACCESS_SHADER_WRITE_BIT,
            dstAccessMask=vk.VK_ACCESS_HOST_READ_BIT,
        )
        vk.vkCmdPipelineBarrier(
            self.cmd,
            vk.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
            vk.VK_PIPELINE_STAGE_HOST_BIT,
            0,
            1,
            [barrier],
            0,
            None,
            0,
            None,
        )
        vk.vkEndCommandBuffer(self.cmd)
        self.fence = vk.vkCreateFence(
            device.device,
            vk.VkFenceCreateInfo(sType=vk.VK_STRUCTURE_TYPE_FENCE_CREATE_INFO),
            None,
        )

    def _barrier(self, src_stage: int, src_access: int) -> None:
        vk = self.device.vk
        barrier = vk.VkMemoryBarrier(
            sType=vk.VK_STRUCTURE_TYPE_MEMORY_BARRIER,
            srcAccessMask=src_access,
            dstAccessMask=vk.VK_ACCESS_SHADER_READ_BIT | vk.VK_ACCESS_SHADER_WRITE_BIT,
        )
        vk.vkCmdPipelineBarrier(
            self.cmd,
            src_stage,
            vk.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
            0,
            1,
            [barrier],
            0,
            None,
            0,
            None,
        )

    def run(self) -> None:
        """Submits the command buffer and waits for it to finish."""
        vk = self.device.vk
        vk.vkResetFences(self.device.device, 1, [self.fence])
        vk.vkQueueSubmit(
            self.device.queue,
            1,
            [
                vk.VkSubmitInfo(
                    sType=vk.VK_STRUCTURE_TYPE_SUBMIT_INFO,
                    commandBufferCount=1,
                    pCommandBuffers=[self.cmd],
                )
            ],
            self.fence,
        )
        vk.vkWaitForFences(self.device.device, 1, [self.fence], vk.VK_TRUE, 2**63 - 1)
