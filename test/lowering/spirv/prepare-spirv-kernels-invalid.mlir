// RUN: dnnf-opt %s -split-input-file --dnnf-prepare-spirv-kernels -verify-diagnostics
// RUN: not dnnf-opt %s --dnnf-prepare-spirv-kernels="capabilities=Shader,NoSuchCap" 2>&1 | FileCheck %s --check-prefix=CAP
// RUN: not dnnf-opt %s --dnnf-prepare-spirv-kernels="vulkan-version=2.0" 2>&1 | FileCheck %s --check-prefix=VERSION
// RUN: not dnnf-opt %s --dnnf-prepare-spirv-kernels="workgroup-size=2000" 2>&1 | FileCheck %s --check-prefix=WG

// CAP: error: unknown SPIR-V capability 'NoSuchCap'
// VERSION: error: unknown Vulkan version '2.0'; expected 1.0, 1.1, 1.2 or 1.3
// WG: error: workgroup-size 2000 is not in [1, 1024]

gpu.module @ids {
  // A 64-bit integer buffer (BERT's token ids) without Int64.
  // expected-error @below {{argument #0 of type 'memref<4xi64>' holds 64-bit integers, which need the Int64 capability}}
  gpu.func @kernel(%ids: memref<4xi64>, %out: memref<4xf32>) kernel {
    gpu.return
  }
}

// -----

gpu.module @f64 {
  gpu.func @kernel(%x: memref<4xf32>) kernel {
    %c0 = arith.constant 0 : index
    %v = memref.load %x[%c0] : memref<4xf32>
    // expected-error @below {{in kernel @kernel computes on 64-bit floats, which need the Float64 capability}}
    %w = arith.extf %v : f32 to f64
    gpu.return
  }
}
