// The greedy plan of --dnnf-fuse: seeds, growth through successors then
// predecessors, the static rule for profile (◐) cells, constants, block
// outputs, existing blocks, the constraint check and the statistics.
//
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="profile-rule=fuse" | FileCheck %s --check-prefix=PFUSE
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="max-ops=2" | FileCheck %s --check-prefix=MAX2
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="emit-remarks=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse -mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS

// The paper's worked example (reference §4): the seed Add grows through its
// successors into {Add, Conv, Relu, Mul, Sub}; the GEMM predecessor of Sub is
// refused because many_to_many -> many_to_many is ✗.  The weight is cloned
// into the block.

// CHECK-LABEL: func.func @paper_example
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x4xf32>, %[[Y:.*]]: tensor<1x4x4x4xf32>, %[[A:.*]]: tensor<4x4xf32>, %[[B:.*]]: tensor<4x4xf32>)
// CHECK-NOT: dnnf.constant
// CHECK: %[[G:.*]] = dnnf.gemm %[[A]], %[[B]]
// CHECK-NEXT: %[[R:.*]] = dnnf.fused(%[[X]], %[[Y]], %[[G]]) : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4x4xf32> attributes {mapping = #dnnf.mapping<many_to_many>} {
// CHECK-NEXT: ^bb0(%[[BX:.*]]: tensor<1x4x4x4xf32>, %[[BY:.*]]: tensor<1x4x4x4xf32>, %[[BG:.*]]: tensor<4x4xf32>):
// CHECK-NEXT: %[[W:.*]] = dnnf.constant dense<5.000000e-01>
// CHECK-NEXT: %[[S:.*]] = dnnf.add %[[BX]], %[[BY]]
// CHECK-NEXT: %[[C:.*]] = dnnf.conv %[[S]], %[[W]]
// CHECK-NEXT: %[[RL:.*]] = dnnf.relu %[[C]]
// CHECK-NEXT: %[[M:.*]] = dnnf.mul %[[RL]], %[[BX]]
// CHECK-NEXT: %[[D:.*]] = dnnf.sub %[[M]], %[[BG]]
// CHECK-NEXT: dnnf.yield %[[D]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]]
// REMARK: remark: profile cell many_to_many -> one_to_many decided by the static rule (no profiling database): fuse, the consumer does not broadcast the fused value
// REMARK: remark: fused 5 ops into a many_to_many block
// STATS: DnnfFuse
// STATS-DAG: (S) {{ *}}1 blocks
// STATS-DAG: (S) {{ *}}5 ops-fused
// STATS-DAG: (S) {{ *}}6 kernels-before
// STATS-DAG: (S) {{ *}}2 kernels-after
// STATS-DAG: (S) {{ *}}1088 bytes-before
// STATS-DAG: (S) {{ *}}64 bytes-after
// STATS-DAG: (S) {{ *}}1 profile-fused
func.func @paper_example(%x: tensor<1x4x4x4xf32>, %y: tensor<1x4x4x4xf32>, %a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<1x4x4x4xf32> {
  %w = dnnf.constant dense<0.5> : tensor<4x4x1x1xf32>
  %g = dnnf.gemm %a, %b : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %0 = dnnf.add %x, %y : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %1 = dnnf.conv %0, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %2 = dnnf.relu %1 : tensor<1x4x4x4xf32>
  %3 = dnnf.mul %2, %x : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %4 = dnnf.sub %3, %g : (tensor<1x4x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4x4xf32>
  return %4 : tensor<1x4x4x4xf32>
}

// -----

// Static rule, stop: the reduction's result is broadcast by the following
// Sub, so fusing them would recompute the mean per element.  Relu and Sub
// still fuse (one_to_many -> one_to_one is ✓).  profile-rule=fuse takes all.

// CHECK-LABEL: func.func @static_rule_stops_broadcast
// CHECK: %[[M:.*]] = dnnf.reduce_mean
// CHECK-NEXT: dnnf.fused(%{{.*}}, %[[M]]) {{.*}} attributes {mapping = #dnnf.mapping<one_to_many>}
// CHECK: dnnf.sub
// CHECK-NEXT: dnnf.relu
// CHECK-NEXT: dnnf.yield
// PFUSE-LABEL: func.func @static_rule_stops_broadcast
// PFUSE-NEXT: dnnf.fused{{.*}} attributes {mapping = #dnnf.mapping<many_to_many>}
// PFUSE: dnnf.reduce_mean
// PFUSE-NEXT: dnnf.sub
// PFUSE-NEXT: dnnf.relu
// REMARK: remark: profile cell many_to_many -> one_to_many decided by the static rule (no profiling database): stop, the consumer broadcasts the fused value
// REMARK: remark: fused 2 ops into a one_to_many block
func.func @static_rule_stops_broadcast(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %m = dnnf.reduce_mean %x {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d = dnnf.sub %x, %m : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %r = dnnf.relu %d : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// Without any one_to_one op, the remaining ops seed blocks too: the
// matmul takes its reshape and transpose epilogue (◐ cells decided by the
// static rule: the consumers are pure copies).

// CHECK-LABEL: func.func @copies_after_matmul
// CHECK-NEXT: dnnf.fused{{.*}} attributes {mapping = #dnnf.mapping<many_to_many>}
// CHECK: dnnf.matmul
// CHECK-NEXT: dnnf.reshape
// CHECK-NEXT: dnnf.transpose
// CHECK-NEXT: dnnf.yield
// REMARK: remark: profile cell many_to_many -> reorganize decided by the static rule (no profiling database): fuse, the consumer is a pure copy
// REMARK: remark: profile cell many_to_many -> shuffle decided by the static rule (no profiling database): fuse, the consumer is a pure copy
// REMARK: remark: fused 3 ops into a many_to_many block
func.func @copies_after_matmul(%a: tensor<4x8xf32>, %b: tensor<8x6xf32>) -> tensor<3x2x4xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<4x8xf32>, tensor<8x6xf32>) -> tensor<4x6xf32>
  %1 = dnnf.reshape %0 : tensor<4x6xf32> to tensor<4x2x3xf32>
  %2 = dnnf.transpose %1 {perm = array<i64: 2, 1, 0>} : (tensor<4x2x3xf32>) -> tensor<3x2x4xf32>
  return %2 : tensor<3x2x4xf32>
}

// -----

// Values used outside the block are yielded; a constant shared with an
// unfused op is cloned into the block and kept outside.

// CHECK-LABEL: func.func @outputs_and_constants
// CHECK: %[[C:.*]] = dnnf.constant dense<2.000000e+00>
// CHECK: %[[F:.*]]:2 = dnnf.fused(%{{.*}}) : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<4xf32>):
// CHECK-NEXT: %[[CI:.*]] = dnnf.constant dense<2.000000e+00>
// CHECK-NEXT: %[[M:.*]] = dnnf.mul %[[A]], %[[CI]]
// CHECK-NEXT: %[[E:.*]] = dnnf.exp %[[M]]
// CHECK-NEXT: dnnf.yield %[[M]], %[[E]]
// CHECK: %[[S:.*]] = dnnf.reduce_sum %[[C]]
// CHECK: return %[[F]]#1, %[[F]]#0, %[[S]]
func.func @outputs_and_constants(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<1xf32>) {
  %c = dnnf.constant dense<2.0> : tensor<4xf32>
  %0 = dnnf.mul %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.exp %0 : tensor<4xf32>
  %2 = dnnf.reduce_sum %c {axes = array<i64: 0>} : (tensor<4xf32>) -> tensor<1xf32>
  return %1, %0, %2 : tensor<4xf32>, tensor<4xf32>, tensor<1xf32>
}

// -----

// An existing dnnf.fused is a kernel of its own: nothing joins it.

// CHECK-LABEL: func.func @existing_block
// CHECK: dnnf.fused
// CHECK: dnnf.relu
// CHECK-NEXT: dnnf.yield
// CHECK: dnnf.fused
// CHECK: dnnf.exp
// CHECK-NEXT: dnnf.neg
// CHECK-NEXT: dnnf.yield
func.func @existing_block(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.fused(%x) : (tensor<4xf32>) -> tensor<4xf32> attributes {mapping = #dnnf.mapping<one_to_one>} {
  ^bb0(%a: tensor<4xf32>):
    %r = dnnf.relu %a : tensor<4xf32>
    dnnf.yield %r : tensor<4xf32>
  }
  %1 = dnnf.exp %0 : tensor<4xf32>
  %2 = dnnf.neg %1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// The constraint check caps the block size: with max-ops=2 a chain of three
// ops makes one block of two and a single op.

// CHECK-LABEL: func.func @chain_of_three
// CHECK: dnnf.fused
// CHECK: dnnf.relu
// CHECK-NEXT: dnnf.exp
// CHECK-NEXT: dnnf.neg
// CHECK-NEXT: dnnf.yield
// MAX2-LABEL: func.func @chain_of_three
// MAX2: dnnf.fused
// MAX2: dnnf.relu
// MAX2-NEXT: dnnf.exp
// MAX2-NEXT: dnnf.yield
// MAX2: dnnf.neg
func.func @chain_of_three(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.relu %x : tensor<4xf32>
  %1 = dnnf.exp %0 : tensor<4xf32>
  %2 = dnnf.neg %1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}
