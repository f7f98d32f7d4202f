// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=disable-rules=mul-reciprocal-to-div | FileCheck %s --check-prefix=NODIV

// Associative rules: for every rule, one function where it fires and one
// where a precondition fails.

// mul-chain-reassociate, DNNFusion associative row 4:
// (A * R) * (R * C) with R = ReduceSum(B) -> (R * R) * A * C: the square is
// taken on the small m x 1 operand (3mn -> 2mn + m operations).
// CHECK-LABEL: func.func @mul_chain_reduce_square
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<4x8xf32>, %[[C:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.reduce_sum %[[B]] {axes = array<i64: 1>}
// CHECK-NEXT: %[[S:.*]] = dnnf.mul %[[R]], %[[R]] : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
// CHECK-NEXT: %[[X:.*]] = dnnf.mul %[[A]], %[[S]]
// CHECK-NEXT: %[[Y:.*]] = dnnf.mul %[[X]], %[[C]]
// CHECK-NEXT: return %[[Y]]
func.func @mul_chain_reduce_square(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = dnnf.reduce_sum %b {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %0 = dnnf.mul %a, %r : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %1 = dnnf.mul %r, %c : (tensor<4x1xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = dnnf.mul %0, %1 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}

// -----

// An inner product has another use: it is a leaf, and the chain of two
// products cannot be regrouped more cheaply.
// CHECK-LABEL: func.func @mul_chain_multi_use
// CHECK-NEXT: dnnf.reduce_sum
// CHECK-NEXT: %[[X:.*]] = dnnf.mul %arg0, %{{.*}} : (tensor<4x8xf32>, tensor<4x1xf32>)
// CHECK-NEXT: %[[Y:.*]] = dnnf.mul %{{.*}}, %arg2 : (tensor<4x1xf32>, tensor<4x8xf32>)
// CHECK-NEXT: %[[Z:.*]] = dnnf.mul %[[X]], %[[Y]]
// CHECK-NEXT: return %[[Z]], %[[X]]
func.func @mul_chain_multi_use(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>, %c: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %r = dnnf.reduce_sum %b {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %0 = dnnf.mul %a, %r : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %1 = dnnf.mul %r, %c : (tensor<4x1xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = dnnf.mul %0, %1 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %2, %0 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// mul-chain-reassociate: constants are gathered and folded; integers too.
// CHECK-LABEL: func.func @mul_chain_constants
// CHECK-SAME: (%[[X:.*]]: tensor<4xi32>, %[[Y:.*]]: tensor<4xi32>)
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<6> : tensor<i32>
// CHECK-NEXT: %[[M:.*]] = dnnf.mul %[[C]], %[[X]]
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[M]], %[[Y]]
// CHECK-NEXT: return %[[R]]
func.func @mul_chain_constants(%x: tensor<4xi32>, %y: tensor<4xi32>) -> tensor<4xi32> {
  %c2 = dnnf.constant dense<2> : tensor<i32>
  %c3 = dnnf.constant dense<3> : tensor<i32>
  %0 = dnnf.mul %x, %c2 : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %1 = dnnf.mul %0, %y : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = dnnf.mul %c3, %1 : (tensor<i32>, tensor<4xi32>) -> tensor<4xi32>
  return %2 : tensor<4xi32>
}

// -----

// Bool tensors are never rewritten (and/or chains are not products).
// CHECK-LABEL: func.func @mul_chain_bool
// CHECK-COUNT-2: dnnf.and
func.func @mul_chain_bool(%x: tensor<4xi1>, %y: tensor<4xi1>) -> tensor<4xi1> {
  %t = dnnf.constant dense<true> : tensor<i1>
  %0 = dnnf.and %x, %t : (tensor<4xi1>, tensor<i1>) -> tensor<4xi1>
  %1 = dnnf.and %0, %y : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %1 : tensor<4xi1>
}

// -----

// add-chain-reassociate: (x + 1) + (y + 2) -> (x + y) + 3.
// CHECK-LABEL: func.func @add_chain_constants
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[C:.*]] = dnnf.constant dense<3.000000e+00> : tensor<f32>
// CHECK-DAG: %[[S:.*]] = dnnf.add %[[X]], %[[C]]
// CHECK: %[[R:.*]] = dnnf.add %[[S]], %[[Y]]
// CHECK-NEXT: return %[[R]]
func.func @add_chain_constants(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %c1 = dnnf.constant dense<1.0> : tensor<f32>
  %c2 = dnnf.constant dense<2.0> : tensor<f32>
  %0 = dnnf.add %x, %c1 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.add %y, %c2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = dnnf.add %0, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// add-chain-reassociate: small operands meet first:
// (A + b) + c with b, c : 1 x n -> A + (b + c).
// CHECK-LABEL: func.func @add_chain_small_first
// CHECK-SAME: (%[[A:.*]]: tensor<8x16xf32>, %[[B:.*]]: tensor<16xf32>, %[[C:.*]]: tensor<16xf32>)
// CHECK-NEXT: %[[S:.*]] = dnnf.add %[[B]], %[[C]] : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
// CHECK-NEXT: %[[R:.*]] = dnnf.add %[[A]], %[[S]]
// CHECK-NEXT: return %[[R]]
func.func @add_chain_small_first(%a: tensor<8x16xf32>, %b: tensor<16xf32>, %c: tensor<16xf32>) -> tensor<8x16xf32> {
  %0 = dnnf.add %a, %b : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  %1 = dnnf.add %0, %c : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}

// -----

// Three full-size operands: every grouping costs the same; nothing fires.
// CHECK-LABEL: func.func @add_chain_no_gain
// CHECK-NEXT: %[[S:.*]] = dnnf.add %arg0, %arg1
// CHECK-NEXT: %[[R:.*]] = dnnf.add %[[S]], %arg2
// CHECK-NEXT: return %[[R]]
func.func @add_chain_no_gain(%a: tensor<8x16xf32>, %b: tensor<8x16xf32>, %c: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = dnnf.add %a, %b : (tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<8x16xf32>
  %1 = dnnf.add %0, %c : (tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}

// -----

// mul-chain-sqrt-pair, DNNFusion associative row 1:
// (A * sqrt(B)) * (sqrt(B) * C) -> A * B * C, for B = exp(X) >= 0.
// CHECK-LABEL: func.func @mul_chain_sqrt_pair
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[X:.*]]: tensor<4xf32>, %[[C:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[B:.*]] = dnnf.exp %[[X]]
// CHECK-NEXT: %[[M:.*]] = dnnf.mul %[[A]], %[[B]]
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[M]], %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @mul_chain_sqrt_pair(%a: tensor<4xf32>, %x: tensor<4xf32>, %c: tensor<4xf32>) -> tensor<4xf32> {
  %b = dnnf.exp %x : tensor<4xf32>
  %s = dnnf.sqrt %b : tensor<4xf32>
  %0 = dnnf.mul %a, %s : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.mul %s, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = dnnf.mul %0, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// B may be negative (sqrt(B)^2 is NaN, B is not): fast-math only.
// CHECK-LABEL: func.func @mul_chain_sqrt_pair_maybe_negative
// CHECK: dnnf.sqrt
// CHECK-COUNT-3: dnnf.mul
func.func @mul_chain_sqrt_pair_maybe_negative(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xf32>) -> tensor<4xf32> {
  %s = dnnf.sqrt %b : tensor<4xf32>
  %0 = dnnf.mul %a, %s : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.mul %s, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = dnnf.mul %0, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// mul-chain-abs-merge, DNNFusion associative row 3:
// Abs(A) * B * Abs(C) -> Abs(A * C) * B.
// CHECK-LABEL: func.func @mul_chain_abs_merge
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>, %[[C:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[M:.*]] = dnnf.mul %[[A]], %[[C]]
// CHECK-NEXT: %[[S:.*]] = dnnf.abs %[[M]]
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[S]], %[[B]]
// CHECK-NEXT: return %[[R]]
func.func @mul_chain_abs_merge(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xf32>) -> tensor<4xf32> {
  %aa = dnnf.abs %a : tensor<4xf32>
  %ac = dnnf.abs %c : tensor<4xf32>
  %0 = dnnf.mul %aa, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.mul %0, %ac : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Integer overflow breaks |a|*|c| = |a*c|; and an Abs used elsewhere
// saves nothing.
// CHECK-LABEL: func.func @mul_chain_abs_merge_negative
// CHECK-COUNT-2: dnnf.abs
// CHECK: dnnf.mul
// CHECK-COUNT-2: dnnf.abs
// CHECK: dnnf.mul
func.func @mul_chain_abs_merge_negative(%a: tensor<4xi32>, %c: tensor<4xi32>, %x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xf32>, tensor<4xf32>) {
  %aa = dnnf.abs %a : tensor<4xi32>
  %ac = dnnf.abs %c : tensor<4xi32>
  %0 = dnnf.mul %aa, %ac : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %ax = dnnf.abs %x : tensor<4xf32>
  %ay = dnnf.abs %y : tensor<4xf32>
  %1 = dnnf.mul %ax, %ay : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %ax : tensor<4xi32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// reciprocal-square-factor, DNNFusion associative row 2:
// Recip(A) * Recip(A * B) -> Square(Recip(A)) * Recip(B), A read once.
// Recip(A) is also used elsewhere, so that merging the reciprocals
// (reciprocal-mul-merge) saves nothing.  By default mul-reciprocal-to-div
// wins (Recip(A) / (A * B): one op fewer than the paper's form); without it
// the paper's rule is the best.
// CHECK-LABEL: func.func @reciprocal_square_factor
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[RA:.*]] = dnnf.reciprocal %[[A]]
// CHECK-NEXT: %[[AB:.*]] = dnnf.mul %[[A]], %[[B]]
// CHECK-NEXT: %[[R:.*]] = dnnf.div %[[RA]], %[[AB]]
// CHECK-NEXT: return %[[R]], %[[RA]]
// NODIV-LABEL: func.func @reciprocal_square_factor
// NODIV-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// NODIV-NEXT: %[[RA:.*]] = dnnf.reciprocal %[[A]]
// NODIV-NEXT: %[[SQ:.*]] = dnnf.mul %[[RA]], %[[RA]]
// NODIV-NEXT: %[[RB:.*]] = dnnf.reciprocal %[[B]]
// NODIV-NEXT: %[[R:.*]] = dnnf.mul %[[SQ]], %[[RB]]
// NODIV-NEXT: return %[[R]], %[[RA]]
func.func @reciprocal_square_factor(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %ra = dnnf.reciprocal %a : tensor<4xf32>
  %ab = dnnf.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %rab = dnnf.reciprocal %ab : tensor<4xf32>
  %0 = dnnf.mul %ra, %rab : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %ra : tensor<4xf32>, tensor<4xf32>
}

// -----

// A * B is used elsewhere: A must be read for it anyway.
// NODIV-LABEL: func.func @reciprocal_square_factor_multi_use
// NODIV-DAG: %[[RA:.*]] = dnnf.reciprocal %arg0
// NODIV-DAG: %[[AB:.*]] = dnnf.mul %arg0, %arg1
// NODIV-DAG: %[[RAB:.*]] = dnnf.reciprocal %[[AB]]
// NODIV: dnnf.mul %[[RA]], %[[RAB]]
func.func @reciprocal_square_factor_multi_use(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %ra = dnnf.reciprocal %a : tensor<4xf32>
  %ab = dnnf.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %rab = dnnf.reciprocal %ab : tensor<4xf32>
  %0 = dnnf.mul %ra, %rab : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %ra, %ab : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// div-div-constant: (a / 3) / 5 -> a / 15.
// CHECK-LABEL: func.func @div_div_constant
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<1.500000e+01> : tensor<f32>
// CHECK-NEXT: %[[R:.*]] = dnnf.div %[[A]], %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @div_div_constant(%a: tensor<4xf32>) -> tensor<4xf32> {
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %c5 = dnnf.constant dense<5.0> : tensor<f32>
  %0 = dnnf.div %a, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.div %0, %c5 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Integer divisions truncate: (a / 3) / 5 is kept.
// CHECK-LABEL: func.func @div_div_constant_int
// CHECK-COUNT-2: dnnf.div
func.func @div_div_constant_int(%a: tensor<4xi32>) -> tensor<4xi32> {
  %c3 = dnnf.constant dense<3> : tensor<i32>
  %c5 = dnnf.constant dense<5> : tensor<i32>
  %0 = dnnf.div %a, %c3 : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %1 = dnnf.div %0, %c5 : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  return %1 : tensor<4xi32>
}

// -----

// mul-div-constant: (a * 6) / 3 -> a * 2 and (a / 3) * 6 -> a * 2.
// CHECK-LABEL: func.func @mul_div_constant
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[C:.*]] = dnnf.constant dense<2.000000e+00> : tensor<f32>
// CHECK-DAG: %[[X:.*]] = dnnf.mul %[[A]], %[[C]]
// CHECK-DAG: %[[Y:.*]] = dnnf.mul %[[A]], %{{.*}}
// CHECK: return %[[X]], %[[Y]]
func.func @mul_div_constant(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %c6 = dnnf.constant dense<6.0> : tensor<f32>
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.mul %a, %c6 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.div %0, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = dnnf.div %a, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = dnnf.mul %c6, %2 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %1, %3 : tensor<4xf32>, tensor<4xf32>
}

// -----

// The scale is not a constant.
// CHECK-LABEL: func.func @mul_div_not_constant
// CHECK: dnnf.mul
// CHECK: dnnf.div
func.func @mul_div_not_constant(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.div %0, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// reduce-chain-merge: nested reductions of one kind become one, whatever
// the keepdims of each.
// CHECK-LABEL: func.func @reduce_chain_merge
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[S:.*]] = dnnf.reduce_sum %[[X]] {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK-NEXT: %[[M:.*]] = dnnf.reduce_max %[[X]] {axes = array<i64: 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x1x1xf32>
// CHECK-NEXT: return %[[S]], %[[M]]
func.func @reduce_chain_merge(%x: tensor<2x3x4xf32>) -> (tensor<3xf32>, tensor<2x1x1xf32>) {
  %0 = dnnf.reduce_sum %x {axes = array<i64: 0>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3x4xf32>
  %1 = dnnf.reduce_sum %0 {axes = array<i64: 1>, keepdims = false} : (tensor<3x4xf32>) -> tensor<3xf32>
  %2 = dnnf.reduce_max %x {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %3 = dnnf.reduce_max %2 {axes = array<i64: 1>} : (tensor<2x3x1xf32>) -> tensor<2x1x1xf32>
  return %1, %3 : tensor<3xf32>, tensor<2x1x1xf32>
}

// -----

// A sum of maxima is not one reduction; an inner reduction used elsewhere
// stays.
// CHECK-LABEL: func.func @reduce_chain_mixed
// CHECK-COUNT-4: dnnf.reduce_
func.func @reduce_chain_mixed(%x: tensor<2x3x4xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2x3xf32>) {
  %0 = dnnf.reduce_max %x {axes = array<i64: 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %1 = dnnf.reduce_sum %0 {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  %2 = dnnf.reduce_min %x {axes = array<i64: 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %3 = dnnf.reduce_min %2 {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %1, %3, %2 : tensor<2xf32>, tensor<2xf32>, tensor<2x3xf32>
}

// -----

// matmul-reassociate: (A B) C -> A (B C) when cheaper (here B C is 2x2).
// CHECK-LABEL: func.func @matmul_reassociate
// CHECK-SAME: (%[[A:.*]]: tensor<64x2xf32>, %[[B:.*]]: tensor<2x64xf32>, %[[C:.*]]: tensor<64x2xf32>)
// CHECK-NEXT: %[[BC:.*]] = dnnf.matmul %[[B]], %[[C]] : (tensor<2x64xf32>, tensor<64x2xf32>) -> tensor<2x2xf32>
// CHECK-NEXT: %[[R:.*]] = dnnf.matmul %[[A]], %[[BC]]
// CHECK-NEXT: return %[[R]]
func.func @matmul_reassociate(%a: tensor<64x2xf32>, %b: tensor<2x64xf32>, %c: tensor<64x2xf32>) -> tensor<64x2xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<64x2xf32>, tensor<2x64xf32>) -> tensor<64x64xf32>
  %1 = dnnf.matmul %0, %c : (tensor<64x64xf32>, tensor<64x2xf32>) -> tensor<64x2xf32>
  return %1 : tensor<64x2xf32>
}

// -----

// The other order is already the cheaper one.
// CHECK-LABEL: func.func @matmul_reassociate_no_gain
// CHECK-NEXT: dnnf.matmul %arg1, %arg2
// CHECK-NEXT: dnnf.matmul %arg0
func.func @matmul_reassociate_no_gain(%a: tensor<64x2xf32>, %b: tensor<2x64xf32>, %c: tensor<64x2xf32>) -> tensor<64x2xf32> {
  %0 = dnnf.matmul %b, %c : (tensor<2x64xf32>, tensor<64x2xf32>) -> tensor<2x2xf32>
  %1 = dnnf.matmul %a, %0 : (tensor<64x2xf32>, tensor<2x2xf32>) -> tensor<64x2xf32>
  return %1 : tensor<64x2xf32>
}
