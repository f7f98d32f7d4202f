// RUN: dnnf-opt %s -split-input-file -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reshape_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dnnf.reshape %x : tensor<2x3xf32> to tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.reshape %[[X]] : tensor<2x3x4xf32> to tensor<24xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> tensor<24xf32> {
  %0 = dnnf.reshape %x : tensor<2x3x4xf32> to tensor<6x4xf32>
  %1 = dnnf.reshape %0 : tensor<6x4xf32> to tensor<24xf32>
  return %1 : tensor<24xf32>
}

// -----

// A reshape chain feeding a second user keeps the intermediate.
// CHECK-LABEL: func.func @reshape_chain_multi_use
// CHECK: %[[A:.*]] = dnnf.reshape %{{.*}} : tensor<2x3x4xf32> to tensor<6x4xf32>
// CHECK: dnnf.reshape %{{.*}} : tensor<2x3x4xf32> to tensor<24xf32>
// CHECK: return %[[A]]
func.func @reshape_chain_multi_use(%x: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<24xf32>) {
  %0 = dnnf.reshape %x : tensor<2x3x4xf32> to tensor<6x4xf32>
  %1 = dnnf.reshape %0 : tensor<6x4xf32> to tensor<24xf32>
  return %0, %1 : tensor<6x4xf32>, tensor<24xf32>
}

// -----

// Constants are ConstantLike: duplicates are CSE'd and dead ones removed.
// CHECK-LABEL: func.func @constants
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NEXT: %[[S:.*]] = dnnf.add %[[C]], %[[C]]
// CHECK-NEXT: return %[[S]]
func.func @constants() -> tensor<2xf32> {
  %0 = dnnf.constant dense<1.0> : tensor<2xf32>
  %1 = dnnf.constant dense<1.0> : tensor<2xf32>
  %2 = dnnf.constant dense<2.0> : tensor<2xf32>
  %3 = dnnf.add %0, %1 : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %3 : tensor<2xf32>
}
