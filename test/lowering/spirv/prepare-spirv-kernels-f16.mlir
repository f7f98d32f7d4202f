// RUN: dnnf-opt %s --dnnf-prepare-spirv-kernels="fp16=true" | FileCheck %s

// f16 math functions compute in f32 (upstream's SPIR-V pattern for exp
// would leave unrealized f16 <-> f32 casts); f16 arithmetic stays f16.

// CHECK-LABEL: gpu.module @half
// CHECK:         %[[X:.*]] = memref.load
// CHECK:         %[[W:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK:         %[[E:.*]] = math.exp %[[W]] : f32
// CHECK:         %[[H:.*]] = arith.truncf %[[E]] : f32 to f16
// CHECK:         arith.addf %[[H]], %[[X]] : f16
gpu.module @half {
  gpu.func @kernel(%buf: memref<4xf16>) kernel {
    %t = gpu.thread_id x
    %x = memref.load %buf[%t] : memref<4xf16>
    %e = math.exp %x : f16
    %s = arith.addf %e, %x : f16
    memref.store %s, %buf[%t] : memref<4xf16>
    gpu.return
  }
}
