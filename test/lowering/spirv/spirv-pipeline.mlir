// The whole Vulkan pipeline: one kernel per loop nest, each a spirv.module
// nested in its gpu.module, the host side only buffers and launches.
// RUN: dnnf-opt %s --dnnf-spirv-pipeline | FileCheck %s
// RUN: dnnf-opt %s --dnnf-spirv-pipeline="vulkan-version=1.3 workgroup-size=128 subgroup-size=64" | FileCheck %s --check-prefix=V13
// RUN: dnnf-opt %s --dnnf-spirv-pipeline="serialize=true" | FileCheck %s --check-prefix=BIN
// The same pipeline from stock mlir-opt through the plugin.
// RUN: mlir-opt --load-dialect-plugin=%dnnf_plugin --load-pass-plugin=%dnnf_plugin \
// RUN:   --pass-pipeline='builtin.module(dnnf-spirv-pipeline)' %s | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<3xf32>) -> memref<2x3xf32>
// CHECK-NOT:     scf.
// CHECK:         gpu.launch_func @[[K0:main_kernel]]::@main_kernel blocks in (%{{.*}}, %{{.*}}, %{{.*}}) threads in (%c64, %c1, %c1) args(%[[A]] : memref<2x3xf32>, %[[B]] : memref<3xf32>
// CHECK-COUNT-3: gpu.launch_func
// CHECK-NOT:     scf.
// CHECK:         return
// CHECK:       gpu.module @main_kernel [#spirv.target_env<#spirv.vce<v1.0, [Shader], [SPV_KHR_storage_buffer_storage_class]>, api=Vulkan
// CHECK-NEXT:    spirv.module @__spv__main_kernel Logical GLSL450 requires #spirv.vce<v1.0,
// CHECK-NOT:       math.erf
// CHECK:           spirv.GL.Exp
// CHECK:           spirv.EntryPoint "GLCompute" @main_kernel
// CHECK-NEXT:      spirv.ExecutionMode @main_kernel "LocalSize", 64, 1, 1
// CHECK:         gpu.func @main_kernel({{.*}}) kernel attributes {{{.*}}spirv.entry_point_abi = #spirv.entry_point_abi<workgroup_size = [64, 1, 1]>}
// CHECK-COUNT-3: spirv.module

// The version stays the target's (1.3 -> SPIR-V 1.6) even where the ops
// need less, and the entry point lists the buffers, as 1.4+ requires.
// V13:       threads in (%c128, %c1, %c1)
// V13:       gpu.module @main_kernel [#spirv.target_env<#spirv.vce<v1.6, [Shader], [SPV_KHR_storage_buffer_storage_class]>, api=Vulkan, #spirv.resource_limits<max_compute_workgroup_invocations = 1024, subgroup_size = 64>>]
// V13-NEXT:    spirv.module @__spv__main_kernel Logical GLSL450 requires #spirv.vce<v1.6,
// V13:           spirv.EntryPoint "GLCompute" @main_kernel, {{.*}}@main_kernel_arg_0
// V13-NEXT:      spirv.ExecutionMode @main_kernel "LocalSize", 128, 1, 1

// BIN-LABEL: func.func @main
// BIN-COUNT-4: gpu.launch_func
// BIN-COUNT-4: gpu.binary @main_kernel{{.*}} [#gpu.object<#spirv.target_env
// BIN-NOT:     gpu.module
func.func @main(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = dnnf.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = dnnf.erf %0 : tensor<2x3xf32>
  %2 = dnnf.reduce_sum %1 {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %3 = dnnf.add %1, %2 : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %3 : tensor<2x3xf32>
}
