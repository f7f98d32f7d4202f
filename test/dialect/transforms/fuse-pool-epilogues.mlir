// --dnnf-fuse{pool-epilogues} (on by default): a convolution, its elementwise
// chain and an unpadded pool reading the chain's end form one block, the one
// exception to the many_to_many -> many_to_many stop.  ANCHOR shows the CPU
// pipeline's planning (anchor-epilogues), OFF the plain table.
//
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="anchor-epilogues=true" | FileCheck %s --check-prefix=ANCHOR
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="pool-epilogues=false" | FileCheck %s --check-prefix=OFF
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="emit-remarks=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="profile-rule=fuse" | FileCheck %s --check-prefix=PFUSE

// The table alone: the Relu seeds, takes the pool (O2O -> M2M ✓) and stops
// at the conv (M2M -> M2M ✗).  With pool epilogues the conv joins too.  The
// second conv reads the first pool (M2M -> M2M ✗ still) and forms its own
// block with the unpadded average pool after it (no elementwise chain).
// CHECK-LABEL: func.func @conv_relu_pool
// CHECK: %[[B:.*]] = dnnf.fused
// CHECK-SAME: mapping = #dnnf.mapping<many_to_many>
// CHECK-NEXT: ^bb0
// CHECK-NEXT: dnnf.conv
// CHECK-NEXT: dnnf.relu
// CHECK-NEXT: dnnf.max_pool
// CHECK-NEXT: dnnf.yield
// CHECK: dnnf.fused(%[[B]],
// CHECK-NEXT: ^bb0
// CHECK-NEXT: dnnf.conv
// CHECK-NEXT: dnnf.average_pool
// CHECK-NEXT: dnnf.yield
// ANCHOR-LABEL: func.func @conv_relu_pool
// ANCHOR: dnnf.fused
// ANCHOR-NEXT: ^bb0
// ANCHOR-NEXT: dnnf.conv
// ANCHOR-NEXT: dnnf.relu
// ANCHOR-NEXT: dnnf.max_pool
// ANCHOR-NEXT: dnnf.yield
// OFF-LABEL: func.func @conv_relu_pool
// OFF: %[[C:.*]] = dnnf.conv
// OFF: dnnf.fused(%[[C]]
// OFF-NEXT: ^bb0
// OFF-NEXT: dnnf.relu
// OFF-NEXT: dnnf.max_pool
// OFF-NEXT: dnnf.yield
// STATS: 2 pool-epilogues
// REMARK: :[[# @LINE + 3]]:8: remark: pool epilogue: the convolution, its elementwise chain and the unpadded pool form one block (exception to many_to_many -> many_to_many)
// REMARK: :[[# @LINE + 5]]:9: remark: pool epilogue
func.func @conv_relu_pool(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x2x2xf32> {
  %c = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  %r = dnnf.relu %c : tensor<1x4x8x8xf32>
  %p = dnnf.max_pool %r {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  %c2 = dnnf.conv %p, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x4x4xf32>
  %p2 = dnnf.average_pool %c2 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x4xf32>) -> tensor<1x4x2x2xf32>
  return %p2 : tensor<1x4x2x2xf32>
}

// -----

// Not pool epilogues: a padded pool (its windows read padding, which a tile
// of convolution rows does not hold), a pool whose convolution result is
// also read elsewhere, and a global pool.
// CHECK-LABEL: func.func @not_pool_epilogues
// CHECK: %[[C1:.*]] = dnnf.conv
// CHECK: dnnf.fused(%[[C1]]
// CHECK: dnnf.relu
// CHECK-NEXT: dnnf.max_pool
// CHECK: %[[B:.*]]:2 = dnnf.fused
// CHECK: dnnf.conv
// CHECK-NEXT: dnnf.add
// CHECK: %[[C3:.*]] = dnnf.conv
// CHECK: dnnf.global_average_pool %[[C3]]
// CHECK: dnnf.max_pool %[[B]]#0
// REMARK-NOT: pool epilogue
// STATS: 0 pool-epilogues
func.func @not_pool_epilogues(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32>, tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) {
  %c1 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  %r1 = dnnf.relu %c1 : tensor<1x4x8x8xf32>
  %p1 = dnnf.max_pool %r1 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %c2 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  %p2 = dnnf.max_pool %c2 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  %a = dnnf.add %c2, %x : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %c3 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  %g = dnnf.global_average_pool %c3 : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  return %p1, %p2, %a, %g : tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32>, tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>
}

// -----

// Windows overlapping along the rows (3x3 stride 2): the fused code would
// recompute the convolution rows two row tasks share, so the cell is ◐.
// The static rule stops (the table's plan: the ReLU takes the pool as a
// prologue); a database entry, or profile-rule=fuse, may fuse it.
// CHECK-LABEL: func.func @overlapping_windows
// CHECK: %[[C:.*]] = dnnf.conv
// CHECK: dnnf.fused(%[[C]])
// CHECK-NEXT: ^bb0
// CHECK-NEXT: dnnf.relu
// CHECK-NEXT: dnnf.max_pool
// PFUSE-LABEL: func.func @overlapping_windows
// PFUSE: dnnf.fused
// PFUSE-NEXT: ^bb0
// PFUSE-NEXT: dnnf.conv
// PFUSE-NEXT: dnnf.relu
// PFUSE-NEXT: dnnf.max_pool
// PFUSE-NEXT: dnnf.yield
// STATS: 0 pool-epilogues
// STATS: 1 profile-stopped
// REMARK: :[[# @LINE + 2]]:8: remark: profile cell many_to_many -> many_to_many decided by the static rule (no profiling database): stop, a pool epilogue whose windows overlap: each row task of the fused code recomputes the convolution rows it shares with the next
func.func @overlapping_windows(%x: tensor<1x4x9x9xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %c = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x9x9xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x9x9xf32>
  %r = dnnf.relu %c : tensor<1x4x9x9xf32>
  %p = dnnf.max_pool %r {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x9x9xf32>) -> tensor<1x4x4x4xf32>
  return %p : tensor<1x4x4x4xf32>
}
