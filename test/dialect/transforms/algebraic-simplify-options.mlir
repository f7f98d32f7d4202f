// RUN: dnnf-opt %s -dnnf-algebraic-simplify -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: not dnnf-opt %s -dnnf-algebraic-simplify=rules=no-such-rule 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not dnnf-opt %s -dnnf-algebraic-simplify=disable-rules=div-self 2>&1 | FileCheck %s --check-prefix=FASTMATH
// RUN: dnnf-opt %s -dnnf-algebraic-simplify="fast-math=true disable-rules=div-self" | FileCheck %s --check-prefix=OK

// Statistics: rules fired per family, FLOPs (in millions: MLIR statistics
// are 32-bit), bytes, ops, partitions and rounds.
// STATS: DnnfAlgebraicSimplify
// STATS-DAG: 1 associative
// STATS-DAG: 1 commutative
// STATS-DAG: 1 constant-folds
// STATS-DAG: 1 distributive
// STATS-DAG: 1 identities
// STATS-DAG: 5 mflops-before
// STATS-DAG: 3 mflops-after
// STATS-DAG: 48 mbytes-before
// STATS-DAG: 28 mbytes-after
// STATS-DAG: 11 ops-before
// STATS-DAG: 6 ops-after
// STATS-DAG: 5 partitions
// STATS-DAG: 1 rounds

// Unknown rule names are errors, with a hint for fast-math rules.
// UNKNOWN: error: dnnf-algebraic-simplify: unknown rule 'no-such-rule' (or a fast-math rule: set fast-math=true)
// FASTMATH: error: dnnf-algebraic-simplify: unknown rule 'div-self' (or a fast-math rule: set fast-math=true)
// OK-LABEL: func.func @stats

func.func @stats(%x: tensor<1000xf32>, %a: tensor<1000x1000xf32>, %b: tensor<1000x1000xf32>, %r: tensor<1000x1000xf32>, %img: tensor<1x1x2x2xf32>) -> (tensor<1000xf32>, tensor<1000x1000xf32>, tensor<1000x1xf32>, tensor<1000xf32>, tensor<1x2x2x2xf32>) {
  %c2 = dnnf.constant dense<2.0> : tensor<f32>
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.mul %x, %c2 : (tensor<1000xf32>, tensor<f32>) -> tensor<1000xf32>
  %1 = dnnf.mul %0, %c3 : (tensor<1000xf32>, tensor<f32>) -> tensor<1000xf32>
  %2 = dnnf.mul %a, %b : (tensor<1000x1000xf32>, tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  %3 = dnnf.mul %a, %r : (tensor<1000x1000xf32>, tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  %4 = dnnf.add %2, %3 : (tensor<1000x1000xf32>, tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  %e = dnnf.exp %r : tensor<1000x1000xf32>
  %5 = dnnf.reduce_prod %e {axes = array<i64: 1>} : (tensor<1000x1000xf32>) -> tensor<1000x1xf32>
  %n = dnnf.neg %x : tensor<1000xf32>
  %6 = dnnf.neg %n : tensor<1000xf32>
  %w = dnnf.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = dnnf.constant dense<1.0> : tensor<2xf32>
  %cv = dnnf.conv %img, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %7 = dnnf.batch_norm %cv, %p, %p, %p, %p : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %1, %4, %5, %6, %7 : tensor<1000xf32>, tensor<1000x1000xf32>, tensor<1000x1xf32>, tensor<1000xf32>, tensor<1x2x2x2xf32>
}
