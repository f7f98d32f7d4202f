// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul=implicit-gemm=true -dnnf-tile-vectorize | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul=implicit-gemm=true -dnnf-tile-vectorize=fuse-epilogues=0 | FileCheck %s --check-prefix=NOFUSE
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul=implicit-gemm=true -dnnf-tile-vectorize=fuse-pools=0 | FileCheck %s --check-prefix=NOPOOL

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

// -----

// fuse-pools: the 2x2 stride-2 max pool reading the bias + ReLU is tiled
// instead (tasks of 8 channels by 4 pooled rows); each task computes the 8
// product rows its windows read (18 * 2 * row + ..., a [8, 8 * 18] block),
// runs the bias + ReLU on them into a task-sized temporary and pools that:
// the convolution's 16x16 result is never written whole.
// CHECK-DAG: #[[POOLSHIFT:.*]] = affine_map<(d0, d1, d2) -> (d0 * 36 + d1 * 18 + d2)>
// CHECK-LABEL: func.func @conv_relu_pool
// CHECK-NOT: tensor.empty() : tensor<1x16x16x16xf32>
// CHECK: scf.forall (%[[C:[a-z0-9_]+]], %[[R:[a-z0-9_]+]]) = (0, 0) to (16, 8) step (8, 4) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<1x16x8x8xf32>)
// CHECK: linalg.fill {{.*}} -> tensor<8x144xf32>
// CHECK: affine.apply #[[POOLSHIFT]](%[[R]],
// CHECK: vector.fma
// CHECK: %[[BLOCK:.*]] = tensor.expand_shape %{{.*}} output_shape [1, 8, 8, 18]
// CHECK: %[[CORNER:.*]] = tensor.extract_slice %[[BLOCK]][0, 0, 0, 0] [1, 8, 8, 16] [1, 1, 1, 1]
// CHECK: %[[TEMP:.*]] = tensor.empty() : tensor<1x8x8x16xf32>
// CHECK: %[[ACT:.*]] = linalg.generic {{.*}} ins(%[[CORNER]], %{{.*}} : tensor<1x8x8x16xf32>, tensor<8xf32>) outs(%[[TEMP]] : tensor<1x8x8x16xf32>)
// CHECK: arith.maximumf
// CHECK: %[[W00:.*]] = tensor.extract_slice %[[ACT]][0, 0, 0, 0] [1, 8, 4, 8] [1, 1, 2, 2]
// CHECK: %[[W01:.*]] = tensor.extract_slice %[[ACT]][0, 0, 0, 1] [1, 8, 4, 8] [1, 1, 2, 2]
// CHECK: %[[W10:.*]] = tensor.extract_slice %[[ACT]][0, 0, 1, 0] [1, 8, 4, 8] [1, 1, 2, 2]
// CHECK: %[[W11:.*]] = tensor.extract_slice %[[ACT]][0, 0, 1, 1] [1, 8, 4, 8] [1, 1, 2, 2]
// CHECK: %[[POOL:.*]] = linalg.generic {{.*}} ins(%[[W00]], %[[W01]], %[[W10]], %[[W11]] : {{.*}}) outs(%{{.*}} : tensor<1x8x4x8xf32>)
// CHECK-COUNT-4: arith.maxnumf
// CHECK: tensor.parallel_insert_slice %[[POOL]] into %[[OUT]][0, %[[C]], %[[R]], 0] [1, 8, 4, 8]
// NOFUSE-LABEL: func.func @conv_relu_pool
// NOFUSE: scf.forall {{.*}} -> (tensor<1x16x16x16xf32>)
// NOPOOL-LABEL: func.func @conv_relu_pool
// NOPOOL: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (16, 16) step (8, 8) {{.*}} -> (tensor<1x16x16x16xf32>)
// NOPOOL: arith.maximumf
// NOPOOL: tensor.parallel_insert_slice
// NOPOOL: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 16, 8, 8] [1, 1, 2, 2] : tensor<1x16x16x16xf32> to tensor<1x16x8x8xf32>
func.func @conv_relu_pool(%x: tensor<1x16x16x16xf32>, %w: tensor<16x16x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x8x8xf32> {
  %0 = dnnf.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  %1 = dnnf.relu %0 : tensor<1x16x16x16xf32>
  %2 = dnnf.max_pool %1 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x16x16x16xf32>) -> tensor<1x16x8x8xf32>
  return %2 : tensor<1x16x8x8xf32>
}

// -----

// A 3x3 stride-2 pool over a 25x25 result (12x12 pooled): windows overlap,
// so a task of 4 pooled rows reads 9 product rows and neighbouring tasks
// recompute the one they share; a padded pool (its windows read padding
// rows no task computes) is left alone.
// CHECK-LABEL: func.func @overlapping_and_padded_pools
// CHECK: scf.forall {{.*}} = (0, 0) to (16, 12) step (8, 4) shared_outs({{.*}}) -> (tensor<1x16x12x12xf32>)
// CHECK: output_shape [1, 8, 9, 27]
// CHECK-COUNT-9: tensor.extract_slice %{{.*}} [1, 8, 4, 12] [1, 1, 2, 2] : tensor<1x8x9x25xf32> to tensor<1x8x4x12xf32>
// CHECK: tensor.parallel_insert_slice {{.*}} [1, 8, 4, 12] [1, 1, 1, 1] : tensor<1x8x4x12xf32> into tensor<1x16x12x12xf32>
// CHECK: scf.forall {{.*}} -> (tensor<1x16x25x25xf32>)
// CHECK: tensor.pad
func.func @overlapping_and_padded_pools(%x: tensor<1x8x25x25xf32>, %w: tensor<16x8x3x3xf32>) -> (tensor<1x16x12x12xf32>, tensor<1x16x13x13xf32>) {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x25x25xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x25x25xf32>
  %1 = dnnf.max_pool %0 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x16x25x25xf32>) -> tensor<1x16x12x12xf32>
  %2 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x25x25xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x25x25xf32>
  %3 = dnnf.max_pool %2 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x16x25x25xf32>) -> tensor<1x16x13x13xf32>
  return %1, %3 : tensor<1x16x12x12xf32>, tensor<1x16x13x13xf32>
}

// -----

// The matmul of a 1x1 convolution (DenseNet's transition: no elementwise
// chain) under a 2x2 average pool: the pool is tiled by whole pooled rows
// (8 channels by all 7), each task computes its [8, 2 * 7 * 14] block of
// the product, copies it into the view the windows read and pools it.
// CHECK-LABEL: func.func @conv1x1_average_pool
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (32, 7) step (8, 7) shared_outs(%{{.*}}) -> (tensor<1x32x7x7xf32>)
// CHECK: vector.fma
// CHECK: %[[ROWS:.*]] = tensor.expand_shape %{{.*}} output_shape [1, 8, 14, 14]
// CHECK: %[[COPY:.*]] = linalg.generic {{.*}} ins(%[[ROWS]] : tensor<1x8x14x14xf32>)
// CHECK-COUNT-4: tensor.extract_slice %[[COPY]][0, 0, {{.*}}] [1, 8, 7, 7] [1, 1, 2, 2]
// CHECK: tensor.parallel_insert_slice
// NOPOOL-LABEL: func.func @conv1x1_average_pool
// NOPOOL: scf.forall {{.*}} -> (tensor<32x196xf32>)
func.func @conv1x1_average_pool(%x: tensor<1x16x14x14xf32>, %w: tensor<32x16x1x1xf32>) -> tensor<1x32x7x7xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x16x14x14xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x14x14xf32>
  %1 = dnnf.average_pool %0 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x32x14x14xf32>) -> tensor<1x32x7x7xf32>
  return %1 : tensor<1x32x7x7xf32>
}
