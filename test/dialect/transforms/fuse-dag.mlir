// The DAG safety check of --dnnf-fuse: an op may not join a block when a
// path leaves the block and re-enters it, directly or through other blocks.
//
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse | FileCheck %s

// Relu seeds and takes conv1 (✓).  Add is also a successor of Relu and
// O2O after M2M is ✓, but the path Relu -> conv1 -> conv2 -> Add leaves the
// block through conv2 (refused: M2M -> M2M is ✗) and re-enters it at Add.
// Add then seeds its own block and takes conv2: each op joined only some of
// its neighbours' blocks.

// CHECK-LABEL: func.func @path_through_outside_op
// CHECK: %[[B1:[^:]*]]:2 = dnnf.fused
// CHECK: dnnf.relu
// CHECK-NEXT: dnnf.conv
// CHECK-NEXT: dnnf.yield
// CHECK: dnnf.fused(%[[B1]]#1, %{{.*}}, %[[B1]]#0)
// CHECK: dnnf.conv
// CHECK-NEXT: dnnf.add
// CHECK-NEXT: dnnf.yield
func.func @path_through_outside_op(%x: tensor<1x4x4x4xf32>, %w: tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> {
  %r = dnnf.relu %x : tensor<1x4x4x4xf32>
  %c1 = dnnf.conv %r, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %c2 = dnnf.conv %c1, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %s = dnnf.add %c2, %r : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %s : tensor<1x4x4x4xf32>
}

// -----

// A cycle through another block.  The first block is {%c, %b, %e} (%e
// seeds; %c and %b are its predecessors; %a is refused: O2M -> M2M is ✗).
// Then %d seeds and would take %a (O2M -> O2O is ✓, and %a -> %d is a
// direct edge), but %a -> %b is an edge into the first block and %c -> %d
// an edge out of it: {%a, %d} and the first block would depend on each
// other.  No single path leaves {%a, %d} and re-enters it op by op; the
// check works on the graph of blocks.

// CHECK-LABEL: func.func @cycle_through_other_block
// CHECK: %[[A:.*]] = dnnf.add %{{.*}}, %{{.*}} : (tensor<4x4xf32>, tensor<4xf32>)
// CHECK: %[[F:.*]]:2 = dnnf.fused(%{{.*}}, %{{.*}}, %[[A]])
// CHECK: dnnf.add
// CHECK-NEXT: dnnf.softmax
// CHECK-NEXT: dnnf.add
// CHECK-NEXT: dnnf.yield
// CHECK: dnnf.add %[[A]], %[[F]]#0
// CHECK-NOT: dnnf.fused
// CHECK: return
func.func @cycle_through_other_block(%x: tensor<4x4xf32>, %z: tensor<4x4xf32>, %v: tensor<4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %c = dnnf.add %z, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %a = dnnf.add %x, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %b = dnnf.softmax %a : tensor<4x4xf32>
  %e = dnnf.add %b, %c : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %d = dnnf.add %a, %c : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %e, %d : tensor<4x4xf32>, tensor<4x4xf32>
}
