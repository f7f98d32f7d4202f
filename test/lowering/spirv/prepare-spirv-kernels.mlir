// RUN: dnnf-opt %s -split-input-file --dnnf-prepare-spirv-kernels | FileCheck %s
// RUN: dnnf-opt %s -split-input-file --dnnf-prepare-spirv-kernels="vulkan-version=1.2 capabilities=Shader,Int64 fp16=true workgroup-size=256" | FileCheck %s --check-prefix=OPTS

// Target environment on the gpu.module, entry-point ABI on the kernel, erf
// as arithmetic, no overflow flags; a non-kernel function gets no ABI.

// CHECK-LABEL: gpu.module @k [#spirv.target_env<#spirv.vce<v1.0, [Shader], [SPV_KHR_storage_buffer_storage_class]>, api=Vulkan, #spirv.resource_limits<max_compute_workgroup_invocations = 1024>>]
// CHECK:         gpu.func @helper
// CHECK-NOT:       spirv.entry_point_abi
// CHECK:         gpu.func @kernel
// CHECK-SAME:      spirv.entry_point_abi = #spirv.entry_point_abi<workgroup_size = [64, 1, 1]>
// CHECK:           arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NOT:       math.erf
// CHECK:           %[[ABS:.*]] = math.absf %[[X:.*]] : f32
// CHECK:           arith.divf
// CHECK:           math.exp
// CHECK:           %[[Y:.*]] = arith.subf
// CHECK:           math.copysign %[[Y]], %[[X]] : f32

// OPTS: gpu.module @k [#spirv.target_env<#spirv.vce<v1.5, [Shader, Int64, Float16, StorageBuffer16BitAccess], [SPV_KHR_storage_buffer_storage_class, SPV_KHR_16bit_storage]>, api=Vulkan
// OPTS: spirv.entry_point_abi = #spirv.entry_point_abi<workgroup_size = [256, 1, 1]>
gpu.module @k {
  gpu.func @helper(%x: f32) -> f32 {
    gpu.return %x : f32
  }
  gpu.func @kernel(%buf: memref<4xf32>) kernel {
    %t = gpu.thread_id x
    %c1 = arith.constant 1 : index
    %i = arith.addi %t, %c1 overflow<nsw, nuw> : index
    %x = memref.load %buf[%i] : memref<4xf32>
    %y = math.erf %x : f32
    memref.store %y, %buf[%t] : memref<4xf32>
    gpu.return
  }
}
