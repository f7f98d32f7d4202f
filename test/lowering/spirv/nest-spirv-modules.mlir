// RUN: dnnf-opt %s -split-input-file --dnnf-nest-spirv-modules --dnnf-pin-spirv-version -verify-diagnostics | FileCheck %s

// Each converted spirv.module moves into its gpu.module, and its version
// goes back to the target's (v1.3 here, though v1.0 was deduced).

// CHECK-LABEL: gpu.module @k
// CHECK-NEXT:    spirv.module @__spv__k Logical GLSL450 requires #spirv.vce<v1.3, [Shader], [SPV_KHR_storage_buffer_storage_class]>
// CHECK:         gpu.func @k
module attributes {gpu.container_module} {
  spirv.module @__spv__k Logical GLSL450 requires #spirv.vce<v1.0, [Shader], [SPV_KHR_storage_buffer_storage_class]> {
  }
  gpu.module @k [#spirv.target_env<#spirv.vce<v1.3, [Shader], [SPV_KHR_storage_buffer_storage_class]>, #spirv.resource_limits<>>] {
    gpu.func @k() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  // expected-error @below {{has no gpu.module it was converted from}}
  spirv.module @__spv__missing Logical GLSL450 {
  }
}
