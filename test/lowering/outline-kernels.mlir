// RUN: dnnf-opt %s -split-input-file -dnnf-outline-kernels | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-outline-kernels=every-op=true | FileCheck %s --check-prefix=EVERY
// RUN: dnnf-opt %s -split-input-file -dnnf-outline-kernels=every-op=true -dnnf-inline-kernels | FileCheck %s --check-prefix=ROUND

// A dnnf.fused block becomes a private kernel function carrying the block's
// mapping type; ops outside blocks stay unless every-op is set; constants a
// kernel reads are cloned into it, and the outer copy goes once unused.
// Outlining and inlining again gives back the ops.

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<1x4x4x4xf32>
// CHECK: %[[K:.*]] = call @main_kernel0(%[[X]]) : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
// CHECK: dnnf.sigmoid %[[K]]
// CHECK: func.func private @main_kernel0(%[[A:.*]]: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> attributes {dnnf.kernel = #dnnf.mapping<many_to_many>}
// CHECK-NEXT: %[[W:.*]] = dnnf.constant
// CHECK-NEXT: %[[C:.*]] = dnnf.conv %[[A]], %[[W]]
// CHECK-NEXT: %[[R:.*]] = dnnf.relu %[[C]]
// CHECK-NEXT: return %[[R]]

// EVERY-LABEL: func.func @main(
// EVERY-NOT: dnnf.
// EVERY: %[[K0:.*]] = call @main_kernel0(
// EVERY-NEXT: %[[K1:.*]] = call @main_kernel1(%[[K0]])
// EVERY-NEXT: %[[K2:.*]] = call @main_kernel2(%[[K1]], %[[K0]])
// EVERY-NEXT: return %[[K2]]
// EVERY: func.func private @main_kernel0
// EVERY: func.func private @main_kernel1(%[[P:.*]]: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> attributes {dnnf.kernel = #dnnf.mapping<one_to_one>}
// EVERY-NEXT: %[[S:.*]] = dnnf.sigmoid %[[P]]
// EVERY-NEXT: return %[[S]]
// EVERY: func.func private @main_kernel2(
// EVERY-NEXT: dnnf.add

// ROUND-LABEL: func.func @main(
// ROUND-NEXT: dnnf.constant
// ROUND-NEXT: dnnf.conv
// ROUND-NEXT: dnnf.relu
// ROUND-NEXT: dnnf.sigmoid
// ROUND-NEXT: dnnf.add
// ROUND-NEXT: return
// ROUND-NOT: func.func private @main_kernel
func.func @main(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %f = dnnf.fused(%x) : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> attributes {mapping = #dnnf.mapping<many_to_many>} {
  ^bb0(%a: tensor<1x4x4x4xf32>):
    %w2 = dnnf.constant dense<0.5> : tensor<4x4x1x1xf32>
    %c = dnnf.conv %a, %w2 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
    %r = dnnf.relu %c : tensor<1x4x4x4xf32>
    dnnf.yield %r : tensor<1x4x4x4xf32>
  }
  %s = dnnf.sigmoid %f : tensor<1x4x4x4xf32>
  %y = dnnf.add %s, %f : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// A single op's constant operands (here a broadcast bias) are cloned in,
// not passed; a name already taken is not reused.
// EVERY-LABEL: func.func @f(
// EVERY-NEXT: %[[K:.*]] = call @f_kernel0_0(%{{.*}}) : (tensor<2x8xf32>) -> tensor<2x8xf32>
// EVERY: func.func private @f_kernel0_0(%[[A:.*]]: tensor<2x8xf32>) -> tensor<2x8xf32> attributes {dnnf.kernel = #dnnf.mapping<one_to_many>}
// EVERY-NEXT: %[[B:.*]] = dnnf.constant dense<1.000000e+00> : tensor<8xf32>
// EVERY-NEXT: dnnf.add %[[A]], %[[B]]
func.func @f(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %b = dnnf.constant dense<1.0> : tensor<8xf32>
  %r = dnnf.add %x, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}
func.func private @f_kernel0() -> ()
