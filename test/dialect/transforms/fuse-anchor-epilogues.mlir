// --dnnf-fuse="anchor-epilogues=true": the constraints of a code generator
// that fuses epilogues into tiled contractions but has no prologue rule.
// The DNNF prefix shows the paper's plan on the same input.
//
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="anchor-epilogues=true" | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse | FileCheck %s --check-prefix=DNNF

// The paper's plan: the Relu seed takes the following conv (O2O -> M2M ✓,
// a prologue) and conv1 stays alone (M2M -> M2M ✗).  Anchored: the Relu is
// conv1's epilogue, so it waits for conv1 to seed and joins only conv1's
// block, and conv2 cannot take it as a prologue.
// CHECK-LABEL: func.func @epilogue_not_prologue
// CHECK: %[[B:.*]] = dnnf.fused
// CHECK-NEXT: ^bb0
// CHECK-NEXT: dnnf.conv
// CHECK-NEXT: dnnf.relu
// CHECK-NEXT: dnnf.yield
// CHECK: dnnf.fused(%[[B]],
// CHECK: dnnf.conv
// CHECK-NEXT: dnnf.sigmoid
// CHECK-NEXT: dnnf.yield
// DNNF-LABEL: func.func @epilogue_not_prologue
// DNNF: %[[C:.*]] = dnnf.conv
// DNNF: dnnf.fused(%[[C]],
// DNNF: dnnf.relu
// DNNF-NEXT: dnnf.conv
// DNNF-NEXT: dnnf.sigmoid
func.func @epilogue_not_prologue(%x: tensor<1x4x4x4xf32>, %w: tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> {
  %c1 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %r = dnnf.relu %c1 : tensor<1x4x4x4xf32>
  %c2 = dnnf.conv %r, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %s = dnnf.sigmoid %c2 : tensor<1x4x4x4xf32>
  return %s : tensor<1x4x4x4xf32>
}

// -----

// An elementwise op that is no epilogue (it reads a function argument) may
// still not become a conv's prologue; prologues into generic loops (the
// reduction) are unaffected.
// CHECK-LABEL: func.func @no_contraction_prologue
// CHECK: %[[T:.*]] = dnnf.tanh
// CHECK-NEXT: dnnf.conv %[[T]],
// CHECK-NEXT: dnnf.fused
// CHECK: dnnf.neg
// CHECK-NEXT: dnnf.reduce_sum
// DNNF-LABEL: func.func @no_contraction_prologue
// DNNF: dnnf.fused
// DNNF: dnnf.tanh
// DNNF-NEXT: dnnf.conv
func.func @no_contraction_prologue(%x: tensor<1x4x4x4xf32>, %w: tensor<4x4x1x1xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x4x4x1xf32>) {
  %t = dnnf.tanh %x : tensor<1x4x4x4xf32>
  %c = dnnf.conv %t, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %n = dnnf.neg %x : tensor<1x4x4x4xf32>
  %r = dnnf.reduce_sum %n {axes = array<i64: 3>} : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x1xf32>
  return %c, %r : tensor<1x4x4x4xf32>, tensor<1x4x4x1xf32>
}

// -----

// A chain of epilogues (BatchNorm-like mul/add, then a residual add) stays
// with its matmul even though the first op has the smallest result.
// CHECK-LABEL: func.func @epilogue_chain
// CHECK: dnnf.fused
// CHECK-NEXT: ^bb0
// CHECK-NEXT: dnnf.matmul
// CHECK-NEXT: dnnf.mul
// CHECK-NEXT: dnnf.add
// CHECK-NEXT: dnnf.yield
// CHECK-NOT: dnnf.fused
func.func @epilogue_chain(%a: tensor<8x16xf32>, %b: tensor<16x32xf32>, %s: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %m = dnnf.matmul %a, %b : (tensor<8x16xf32>, tensor<16x32xf32>) -> tensor<8x32xf32>
  %x = dnnf.mul %m, %s : (tensor<8x32xf32>, tensor<8x32xf32>) -> tensor<8x32xf32>
  %y = dnnf.add %x, %s : (tensor<8x32xf32>, tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}
