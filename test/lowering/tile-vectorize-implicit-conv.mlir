// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul=implicit-gemm=true -dnnf-tile-vectorize | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul=implicit-gemm=true -dnnf-tile-vectorize=fuse-epilogues=0 | FileCheck %s --check-prefix=NOFUSE

// The implicit-GEMM convolution (16 -> 16 channels, 16x16, Wp = 18) with its
// bias and ReLU: tasks of 8 channels by 8 whole output rows (an scf.forall
// over (channels, rows)); each computes its [8, 8 * 18] block of the
// product in a zeroed temporary, one K step per window position (kh, kw),
// each a matmul of the [8, 16] weights of that position by the [16, 144]
// slice of the flattened input that starts at 18 * (row + kh) + kw; the
// fused epilogue then reads the block's [.., 8, 16] corner and writes the
// task's rows of the result.  No im2col.
// CHECK-DAG: #[[SHIFT:.*]] = affine_map<(d0, d1, d2) -> (d0 * 18 + d1 * 18 + d2)>
// CHECK-LABEL: func.func @conv_relu
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] : tensor<1x16x19x18xf32> into tensor<16x342xf32>
// CHECK: %[[WT:.*]] = linalg.transpose
// CHECK-NOT: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: scf.forall (%[[C:[a-z0-9_]+]], %[[R:[a-z0-9_]+]]) = (0, 0) to (16, 16) step (8, 8)
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<8x144xf32>
// CHECK: scf.for %[[KH:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[ZERO]])
// CHECK: scf.for %[[KW:[a-z0-9_]+]] =
// CHECK: tensor.extract_slice %[[WT]][%[[KH]], %[[KW]], %[[C]], 0] [1, 1, 8, 16]
// CHECK: %[[COL:.*]] = affine.apply #[[SHIFT]](%[[R]], %[[KH]], %[[KW]])
// CHECK: tensor.extract_slice %[[FLAT]][0, %[[COL]]] [16, 144] [1, 1]
// CHECK: vector.fma
// CHECK: %[[BLOCK:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] output_shape [1, 8, 8, 18]
// CHECK: %[[CORNER:.*]] = tensor.extract_slice %[[BLOCK]][0, 0, 0, 0] [1, 8, 8, 16] [1, 1, 1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[CORNER]], %{{.*}} : tensor<1x8x8x16xf32>, tensor<8xf32>)
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: tensor.parallel_insert_slice
// CHECK-NOT: linalg.matmul
// NOFUSE-LABEL: func.func @conv_relu
// NOFUSE: scf.forall
// NOFUSE: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x8x8x16xf32>)
// NOFUSE-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// NOFUSE-NEXT: linalg.yield %[[IN]]
// NOFUSE: linalg.generic
// NOFUSE: arith.addf
func.func @conv_relu(%x: tensor<1x16x16x16xf32>, %w: tensor<16x16x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x16x16xf32> {
  %0 = dnnf.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  %1 = dnnf.relu %0 : tensor<1x16x16x16xf32>
  return %1 : tensor<1x16x16x16xf32>
}

// -----

// Without a consumer to fuse, the tasks copy their block's corner out.
// 5x5 at 7x7 (Wp = 11, 77 columns: two full register tiles of 32, then a
// peeled 13-column tile).
// CHECK-LABEL: func.func @conv5x5
// CHECK: scf.forall
// CHECK: linalg.fill {{.*}} -> tensor<8x77xf32>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract_slice %{{.*}}[0, %{{.*}}] [4, 77] [1, 1] : tensor<4x132xf32> to tensor<4x77xf32>
// CHECK: vector.fma {{.*}} : vector<32xf32>
// CHECK: vector.transfer_read {{.*}} : tensor<8x13xf32>, vector<8x16xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 8, 7, 7] [1, 1, 1, 1] : tensor<1x8x7x11xf32> to tensor<1x8x7x7xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x8x7x7xf32>) outs(%{{.*}} : tensor<1x8x7x7xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]]
func.func @conv5x5(%x: tensor<1x4x7x7xf32>, %w: tensor<16x4x5x5xf32>) -> tensor<1x16x7x7xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>} : (tensor<1x4x7x7xf32>, tensor<16x4x5x5xf32>) -> tensor<1x16x7x7xf32>
  return %0 : tensor<1x16x7x7xf32>
}
