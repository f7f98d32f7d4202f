// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-elementwise-fusion | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-elementwise-fusion=fuse-broadcasts=1 | FileCheck %s --check-prefix=UPSTREAM
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-elementwise-fusion -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS

// BatchNorm then ReLU: the ReLU fuses into the per-element generic, but the
// per-channel factor (sqrt, division) and offset, read through a broadcast,
// stay generics over the 3 channels: computed 3 times, not 48.
// CHECK-LABEL: func.func @batch_norm_relu
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]
// CHECK: arith.subf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-NOT: math.sqrt
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
// UPSTREAM-LABEL: func.func @batch_norm_relu
// UPSTREAM: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// UPSTREAM: math.sqrt
// UPSTREAM: arith.maximumf
// UPSTREAM-NOT: linalg.generic
// STATS: DnnfElementwiseFusion
// STATS-NEXT: (S) 1 kept-apart
func.func @batch_norm_relu(%x: tensor<1x3x4x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  %0 = dnnf.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %1 = dnnf.relu %0 : tensor<1x3x4x4xf32>
  return %1 : tensor<1x3x4x4xf32>
}

// -----

// Producers over the same iteration space fuse as upstream: one generic.
// CHECK-LABEL: func.func @same_shape
// UPSTREAM-LABEL: func.func @same_shape
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
// STATS: DnnfElementwiseFusion
// STATS-NEXT: (S) 0 kept-apart
func.func @same_shape(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = dnnf.exp %a : tensor<4x8xf32>
  %1 = dnnf.add %0, %b : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = dnnf.relu %1 : tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}

// -----

// A per-row value (here exp of a row vector) broadcast along the columns is
// computed once per row.
// CHECK-LABEL: func.func @row_broadcast
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<4x1xf32>)
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<4x1xf32>)
// CHECK-NOT: math.exp
// CHECK: arith.mulf
// UPSTREAM-LABEL: func.func @row_broadcast
// UPSTREAM: linalg.generic
// UPSTREAM: math.exp
// UPSTREAM: arith.mulf
// UPSTREAM-NOT: linalg.generic
func.func @row_broadcast(%a: tensor<4x8xf32>, %r: tensor<4x1xf32>) -> tensor<4x8xf32> {
  %0 = dnnf.exp %r : tensor<4x1xf32>
  %1 = dnnf.mul %a, %0 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}
