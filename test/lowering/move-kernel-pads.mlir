// RUN: dnnf-opt %s -split-input-file -dnnf-move-kernel-pads | FileCheck %s

// The pad reading @k1's argument moves into @k0, which produces that
// argument: @k0 returns the padded tensor, @k1 takes it.
// CHECK-LABEL: func.func @main(
// CHECK: %[[P:.*]] = call @k0(%{{.*}}) : (tensor<2x4xf32>) -> tensor<2x6xf32>
// CHECK: call @k1(%[[P]]) : (tensor<2x6xf32>) -> tensor<2x6xf32>
// CHECK: func.func private @k0(%[[A:.*]]: tensor<2x4xf32>) -> tensor<2x6xf32>
// CHECK: %[[N:.*]] = arith.negf
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %[[N]] low[0, 1] high[0, 1]
// CHECK: tensor.yield %[[Z]]
// CHECK: return %[[PAD]] : tensor<2x6xf32>
// CHECK: func.func private @k1(%[[B:.*]]: tensor<2x6xf32>) -> tensor<2x6xf32>
// CHECK-NOT: tensor.pad
// CHECK: math.exp
func.func @main(%x: tensor<2x4xf32>) -> tensor<2x6xf32> {
  %0 = call @k0(%x) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %1 = call @k1(%0) : (tensor<2x4xf32>) -> tensor<2x6xf32>
  return %1 : tensor<2x6xf32>
}
func.func private @k0(%a: tensor<2x4xf32>) -> tensor<2x4xf32> attributes {dnnf.kernel} {
  %n = arith.negf %a : tensor<2x4xf32>
  return %n : tensor<2x4xf32>
}
func.func private @k1(%b: tensor<2x4xf32>) -> tensor<2x6xf32> attributes {dnnf.kernel} {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %b low[0, 1] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : f32
  } : tensor<2x4xf32> to tensor<2x6xf32>
  %e = math.exp %p : tensor<2x6xf32>
  return %e : tensor<2x6xf32>
}

// -----

// The unpadded value has another reader (the function's result): the pad
// stays where it is.
// CHECK-LABEL: func.func @two_readers(
// CHECK: call @k0(%{{.*}}) : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK: func.func private @k1(
// CHECK: tensor.pad
func.func @two_readers(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x6xf32>) {
  %0 = call @k0(%x) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %1 = call @k1(%0) : (tensor<2x4xf32>) -> tensor<2x6xf32>
  return %0, %1 : tensor<2x4xf32>, tensor<2x6xf32>
}
func.func private @k0(%a: tensor<2x4xf32>) -> tensor<2x4xf32> attributes {dnnf.kernel} {
  %n = arith.negf %a : tensor<2x4xf32>
  return %n : tensor<2x4xf32>
}
func.func private @k1(%b: tensor<2x4xf32>) -> tensor<2x6xf32> attributes {dnnf.kernel} {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %b low[0, 1] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : f32
  } : tensor<2x4xf32> to tensor<2x6xf32>
  return %p : tensor<2x6xf32>
}

// -----

// A producer that is not a kernel (no dnnf.kernel attribute) keeps its
// result type.
// CHECK-LABEL: func.func @not_a_kernel(
// CHECK: call @k0(%{{.*}}) : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK: func.func private @k1(
// CHECK: tensor.pad
func.func @not_a_kernel(%x: tensor<2x4xf32>) -> tensor<2x6xf32> {
  %0 = call @k0(%x) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %1 = call @k1(%0) : (tensor<2x4xf32>) -> tensor<2x6xf32>
  return %1 : tensor<2x6xf32>
}
func.func private @k0(%a: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %n = arith.negf %a : tensor<2x4xf32>
  return %n : tensor<2x4xf32>
}
func.func private @k1(%b: tensor<2x4xf32>) -> tensor<2x6xf32> attributes {dnnf.kernel} {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %b low[0, 1] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : f32
  } : tensor<2x4xf32> to tensor<2x6xf32>
  return %p : tensor<2x6xf32>
}
