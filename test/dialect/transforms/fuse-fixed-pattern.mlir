// --dnnf-fuse="mode=fixed-pattern" mimics TVM/onnxruntime-style fusion: an
// anchor (many_to_many) takes the chain of elementwise/broadcast ops after
// it, other elementwise ops form chains, nothing fuses into the input of a
// many_to_many op, and copies do not fuse.  The DNNF prefix shows the
// mapping-type plan on the same input.
//
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="mode=fixed-pattern" | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse | FileCheck %s --check-prefix=DNNF
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="mode=fixed-pattern" -mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS

// CHECK-LABEL: func.func @conv_epilogue
// CHECK: %[[R:.*]] = dnnf.relu
// CHECK-NEXT: %[[F:.*]] = dnnf.fused(%[[R]], %{{.*}}, %{{.*}}) {{.*}} attributes {mapping = #dnnf.mapping<many_to_many>}
// CHECK: dnnf.conv
// CHECK-NEXT: dnnf.add
// CHECK-NEXT: dnnf.relu
// CHECK-NEXT: dnnf.yield
// CHECK: dnnf.transpose %[[F]]
// DNNF-LABEL: func.func @conv_epilogue
// DNNF-NEXT: dnnf.fused{{.*}} attributes {mapping = #dnnf.mapping<many_to_many>}
// DNNF: dnnf.relu
// DNNF-NEXT: dnnf.conv
// DNNF-NEXT: dnnf.add
// DNNF-NEXT: dnnf.relu
// DNNF-NEXT: dnnf.transpose
// DNNF-NEXT: dnnf.yield
// STATS: DnnfFuse
// STATS-DAG: (S) {{ *}}1 blocks
// STATS-DAG: (S) {{ *}}5 kernels-before
// STATS-DAG: (S) {{ *}}3 kernels-after
// STATS-DAG: (S) {{ *}}3 ops-fused
// STATS-DAG: (S) {{ *}}1024 bytes-before
// STATS-DAG: (S) {{ *}}512 bytes-after
func.func @conv_epilogue(%x: tensor<1x4x4x4xf32>, %w: tensor<4x4x1x1xf32>, %bias: tensor<4x1x1xf32>) -> tensor<1x4x4x4xf32> {
  %r = dnnf.relu %x : tensor<1x4x4x4xf32>
  %c = dnnf.conv %r, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %b = dnnf.add %c, %bias : (tensor<1x4x4x4xf32>, tensor<4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %y = dnnf.relu %b : tensor<1x4x4x4xf32>
  %t = dnnf.transpose %y {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %t : tensor<1x4x4x4xf32>
}

// -----

// A chain ends at an op with several consumers.

// CHECK-LABEL: func.func @elementwise_fork
// CHECK: %[[A:.*]] = dnnf.exp
// CHECK-NEXT: dnnf.fused(%[[A]])
// CHECK: dnnf.neg
// CHECK-NEXT: dnnf.add
// CHECK-NEXT: dnnf.yield
// DNNF-LABEL: func.func @elementwise_fork
// DNNF-NEXT: dnnf.fused{{.*}} attributes {mapping = #dnnf.mapping<one_to_one>}
// DNNF: dnnf.exp
// DNNF-NEXT: dnnf.neg
// DNNF-NEXT: dnnf.add
// DNNF-NEXT: dnnf.yield
func.func @elementwise_fork(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = dnnf.exp %x : tensor<4xf32>
  %b = dnnf.neg %a : tensor<4xf32>
  %c = dnnf.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}
