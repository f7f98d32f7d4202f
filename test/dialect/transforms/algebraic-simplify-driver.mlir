// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=emit-remarks -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=max-iterations=1 | FileCheck %s --check-prefix=ONE
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=associative=false | FileCheck %s --check-prefix=NOASSOC
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=distributive=false | FileCheck %s --check-prefix=NODIST
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=commutative=false | FileCheck %s --check-prefix=NOCOMM
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=identities=false | FileCheck %s --check-prefix=NOID
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=fold-constants=false | FileCheck %s --check-prefix=NOFOLD
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=rules=add-zero,neg-neg | FileCheck %s --check-prefix=ONLY
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=greedy-driver=true | FileCheck %s --check-prefix=GREEDY

// The DNNFusion driver: best rule first, one rule per partition per round,
// fixed point, options.

// In one partition the rule with the largest FLOP saving goes first
// (add-zero), then the one saving only bytes (transpose-transpose), then
// the normalisation (sub-constant-to-add).  With max-iterations=1 only the
// first is applied.
// CHECK-LABEL: func.func @best_first
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<-2.000000e+00> : tensor<f32>
// CHECK-NEXT: %[[R:.*]] = dnnf.add %[[X]], %[[C]]
// CHECK-NEXT: return %[[R]]
// REMARK: remark: dnnf-algebraic-simplify: add-zero (identity), saves 32 FLOPs and 260 bytes
// REMARK-NEXT: dnnf.add
// REMARK: remark: dnnf-algebraic-simplify: transpose-transpose (identity), saves 0 FLOPs and 512 bytes
// REMARK: remark: dnnf-algebraic-simplify: sub-constant-to-add (identity), saves 0 FLOPs and 0 bytes
// REMARK: remark: dnnf-algebraic-simplify: FLOPs 64 -> 32, bytes 1032 -> 260, ops 4 -> 1
// The rules are plain patterns: MLIR's greedy driver reaches the same
// result here.
// GREEDY-LABEL: func.func @best_first
// GREEDY-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// GREEDY-NEXT: %[[C:.*]] = dnnf.constant dense<-2.000000e+00> : tensor<f32>
// GREEDY-NEXT: %[[R:.*]] = dnnf.add %[[X]], %[[C]]
// GREEDY-NEXT: return %[[R]]
// ONE-LABEL: func.func @best_first
// ONE: dnnf.constant
// ONE-COUNT-2: dnnf.transpose
// ONE-NEXT: dnnf.sub
func.func @best_first(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %z = dnnf.constant dense<0.0> : tensor<f32>
  %c = dnnf.constant dense<2.0> : tensor<f32>
  %0 = dnnf.transpose %x {perm = array<i64: 1, 0>} : (tensor<4x8xf32>) -> tensor<8x4xf32>
  %1 = dnnf.transpose %0 {perm = array<i64: 1, 0>} : (tensor<8x4xf32>) -> tensor<4x8xf32>
  %2 = dnnf.add %1, %z : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %3 = dnnf.sub %2, %c : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %3 : tensor<4x8xf32>
}

// -----

// A relu has none of the three properties: it cuts the graph into two
// partitions, and each gets its best rule in the same round (so one round
// suffices even with max-iterations=1).
// CHECK-LABEL: func.func @partitions
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.relu %[[X]]
// CHECK-NEXT: return %[[R]]
// ONE-LABEL: func.func @partitions
// ONE-NEXT: dnnf.relu
// ONE-NEXT: return
func.func @partitions(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = dnnf.constant dense<1.0> : tensor<f32>
  %z = dnnf.constant dense<0.0> : tensor<f32>
  %0 = dnnf.mul %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.relu %0 : tensor<4xf32>
  %2 = dnnf.add %1, %z : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// Constants of a scale chain do not merge across a relu.
// CHECK-LABEL: func.func @barrier
// CHECK: dnnf.mul
// CHECK-NEXT: dnnf.relu
// CHECK-NEXT: dnnf.mul
func.func @barrier(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c2 = dnnf.constant dense<2.0> : tensor<f32>
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.mul %x, %c2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.relu %0 : tensor<4xf32>
  %2 = dnnf.mul %1, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// One rule of each family; each family option switches its rule off.
// CHECK-LABEL: func.func @families
// CHECK-NOT: dnnf.batch_norm
// CHECK-NOT: dnnf.reduce_prod
// CHECK: return
// GREEDY-LABEL: func.func @families
// GREEDY-NOT: dnnf.batch_norm
// GREEDY-NOT: dnnf.reduce_prod
// GREEDY: return
// NOASSOC-LABEL: func.func @families
// NOASSOC: dnnf.constant dense<2.000000e+00>
// NOASSOC: dnnf.constant dense<3.000000e+00>
// NODIST-LABEL: func.func @families
// NODIST-COUNT-2: dnnf.mul %arg1
// NOCOMM-LABEL: func.func @families
// NOCOMM: dnnf.reduce_prod
// NOID-LABEL: func.func @families
// NOID: dnnf.neg
// NOID: dnnf.neg
// NOFOLD-LABEL: func.func @families
// NOFOLD: dnnf.batch_norm
func.func @families(%x: tensor<4xf32>, %a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xf32>, %r: tensor<4x8xf32>, %img: tensor<1x1x2x2xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4x1xf32>, tensor<4xf32>, tensor<1x2x2x2xf32>) {
  // associative: x * 2 * 3 -> x * 6
  %c2 = dnnf.constant dense<2.0> : tensor<f32>
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.mul %x, %c2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.mul %0, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  // distributive: a*b + a*c -> a*(b+c)
  %2 = dnnf.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = dnnf.mul %a, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = dnnf.add %2, %3 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // commutative: ReduceProd(Exp(r)) -> Exp(ReduceSum(r))
  %e = dnnf.exp %r : tensor<4x8xf32>
  %5 = dnnf.reduce_prod %e {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  // identity: neg(neg(x)) -> x
  %n = dnnf.neg %x : tensor<4xf32>
  %6 = dnnf.neg %n : tensor<4xf32>
  // fold: batch_norm(conv) -> conv
  %w = dnnf.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = dnnf.constant dense<1.0> : tensor<2xf32>
  %cv = dnnf.conv %img, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %7 = dnnf.batch_norm %cv, %p, %p, %p, %p : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %1, %4, %5, %6, %7 : tensor<4xf32>, tensor<4xf32>, tensor<4x1xf32>, tensor<4xf32>, tensor<1x2x2x2xf32>
}

// -----

// rules= selects rules by name.
// ONLY-LABEL: func.func @only_rules
// ONLY-SAME: (%[[X:.*]]: tensor<4xf32>)
// ONLY-NEXT: %[[C:.*]] = dnnf.constant dense<1.000000e+00>
// ONLY-NEXT: %[[M:.*]] = dnnf.mul %[[X]], %[[C]]
// ONLY-NEXT: return %[[M]]
func.func @only_rules(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = dnnf.constant dense<1.0> : tensor<f32>
  %z = dnnf.constant dense<0.0> : tensor<f32>
  %n = dnnf.neg %x : tensor<4xf32>
  %0 = dnnf.neg %n : tensor<4xf32>
  %1 = dnnf.mul %0, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = dnnf.add %1, %z : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// Rules apply in every block, including the body of a dnnf.fused.
// CHECK-LABEL: func.func @fused_body
// CHECK: ^bb0(%[[A:.*]]: tensor<4xf32>):
// CHECK-NEXT: %[[R:.*]] = dnnf.relu %[[A]]
// CHECK-NEXT: dnnf.yield %[[R]]
func.func @fused_body(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.fused (%x) : (tensor<4xf32>) -> tensor<4xf32> attributes {mapping = #dnnf.mapping<one_to_one>} {
  ^bb0(%a: tensor<4xf32>):
    %one = dnnf.constant dense<1.0> : tensor<f32>
    %m = dnnf.mul %a, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
    %r = dnnf.relu %m : tensor<4xf32>
    dnnf.yield %r : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

// Dynamic shapes: the rules check operand shapes statically, so they leave
// dynamically shaped ops alone (and nothing crashes).
// CHECK-LABEL: func.func @dynamic
// CHECK-NEXT: dnnf.constant
// CHECK-NEXT: dnnf.mul
// CHECK-NEXT: dnnf.add
// CHECK-NEXT: dnnf.add
// CHECK-NEXT: return
func.func @dynamic(%x: tensor<?x4xf32>, %y: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %one = dnnf.constant dense<1.0> : tensor<4xf32>
  %0 = dnnf.mul %x, %one : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %1 = dnnf.add %0, %y : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %2 = dnnf.add %1, %one : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %2 : tensor<?x4xf32>
}
