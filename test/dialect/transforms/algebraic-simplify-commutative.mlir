// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=disable-rules=mul-reciprocal-to-div | FileCheck %s --check-prefix=NODIV

// Commutative rules: for every rule, one function where it fires and one
// where a precondition fails.

// reduce-sum-bitshift, DNNFusion commutative row 1:
// ReduceSum(BitShift(A)) -> BitShift(ReduceSum(A)).
// CHECK-LABEL: func.func @reduce_sum_bitshift
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xi32>, %[[S:.*]]: tensor<4x1xi32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.reduce_sum %[[A]] {axes = array<i64: 1>, keepdims = false} : (tensor<4x8xi32>) -> tensor<4xi32>
// CHECK-NEXT: %[[T:.*]] = dnnf.reshape %[[S]] : tensor<4x1xi32> to tensor<4xi32>
// CHECK-NEXT: %[[B:.*]] = dnnf.bit_shift %[[R]], %[[T]] {direction = "left"}
// CHECK-NEXT: return %[[B]]
func.func @reduce_sum_bitshift(%a: tensor<4x8xi32>, %s: tensor<4x1xi32>) -> tensor<4xi32> {
  %0 = dnnf.bit_shift %a, %s {direction = "left"} : (tensor<4x8xi32>, tensor<4x1xi32>) -> tensor<4x8xi32>
  %1 = dnnf.reduce_sum %0 {axes = array<i64: 1>, keepdims = false} : (tensor<4x8xi32>) -> tensor<4xi32>
  return %1 : tensor<4xi32>
}

// -----

// Right shifts do not commute with sums; a shift amount varying along the
// reduced axis cannot be hoisted.
// CHECK-LABEL: func.func @reduce_sum_bitshift_negative
// CHECK-COUNT-2: dnnf.bit_shift
func.func @reduce_sum_bitshift_negative(%a: tensor<4x8xi32>, %s: tensor<4x1xi32>, %t: tensor<8xi32>) -> (tensor<4x1xi32>, tensor<4x1xi32>) {
  %0 = dnnf.bit_shift %a, %s {direction = "right"} : (tensor<4x8xi32>, tensor<4x1xi32>) -> tensor<4x8xi32>
  %1 = dnnf.reduce_sum %0 {axes = array<i64: 1>} : (tensor<4x8xi32>) -> tensor<4x1xi32>
  %2 = dnnf.bit_shift %a, %t {direction = "left"} : (tensor<4x8xi32>, tensor<8xi32>) -> tensor<4x8xi32>
  %3 = dnnf.reduce_sum %2 {axes = array<i64: 1>} : (tensor<4x8xi32>) -> tensor<4x1xi32>
  return %1, %3 : tensor<4x1xi32>, tensor<4x1xi32>
}

// -----

// reduce-prod-exp, DNNFusion commutative row 2:
// ReduceProd(Exp(A)) -> Exp(ReduceSum(A)).
// CHECK-LABEL: func.func @reduce_prod_exp
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[S:.*]] = dnnf.reduce_sum %[[A]] {axes = array<i64: 1>}
// CHECK-NEXT: %[[E:.*]] = dnnf.exp %[[S]] : tensor<4x1xf32>
// CHECK-NEXT: return %[[E]]
func.func @reduce_prod_exp(%a: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %0 = dnnf.exp %a : tensor<4x8xf32>
  %1 = dnnf.reduce_prod %0 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1 : tensor<4x1xf32>
}

// -----

// Exp(A) is used elsewhere: it must be computed anyway, and one reduction
// replaces another.
// CHECK-LABEL: func.func @reduce_prod_exp_multi_use
// CHECK: dnnf.exp
// CHECK-NEXT: dnnf.reduce_prod
func.func @reduce_prod_exp_multi_use(%a: tensor<4x8xf32>) -> (tensor<4x1xf32>, tensor<4x8xf32>) {
  %0 = dnnf.exp %a : tensor<4x8xf32>
  %1 = dnnf.reduce_prod %0 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1, %0 : tensor<4x1xf32>, tensor<4x8xf32>
}

// -----

// reduce-hoist-scale: ReduceSum(A * c) -> ReduceSum(A) * c for c constant
// along the reduced axis (here c varies along the kept axis).
// CHECK-LABEL: func.func @reduce_hoist_scale
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[C:.*]]: tensor<4x1xf32>)
// CHECK-NEXT: %[[S:.*]] = dnnf.reduce_sum %[[A]] {axes = array<i64: 1>}
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[S]], %[[C]] : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
// CHECK-NEXT: return %[[R]]
func.func @reduce_hoist_scale(%a: tensor<4x8xf32>, %c: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %0 = dnnf.mul %c, %a : (tensor<4x1xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = dnnf.reduce_sum %0 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1 : tensor<4x1xf32>
}

// -----

// reduce-hoist-scale for max with a positive constant, and for prod
// (c^n): ReduceMax(A * 2) -> ReduceMax(A) * 2,
// ReduceProd(A * 2) over 3 elements -> ReduceProd(A) * 8.
// CHECK-LABEL: func.func @reduce_hoist_scale_max_prod
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>)
// CHECK-DAG: %[[M:.*]] = dnnf.reduce_max %[[A]]
// CHECK-DAG: %[[X:.*]] = dnnf.mul %[[M]], %{{.*}}
// CHECK-DAG: %[[C8:.*]] = dnnf.constant dense<8.000000e+00> : tensor<f32>
// CHECK-DAG: %[[P:.*]] = dnnf.reduce_prod %[[A]]
// CHECK-DAG: %[[Y:.*]] = dnnf.mul %[[P]], %[[C8]]
// CHECK: return %[[X]], %[[Y]]
func.func @reduce_hoist_scale_max_prod(%a: tensor<4x3xf32>) -> (tensor<4x1xf32>, tensor<4x1xf32>) {
  %c = dnnf.constant dense<2.0> : tensor<f32>
  %0 = dnnf.mul %a, %c : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
  %1 = dnnf.reduce_max %0 {axes = array<i64: 1>} : (tensor<4x3xf32>) -> tensor<4x1xf32>
  %2 = dnnf.mul %a, %c : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
  %3 = dnnf.reduce_prod %2 {axes = array<i64: 1>} : (tensor<4x3xf32>) -> tensor<4x1xf32>
  return %1, %3 : tensor<4x1xf32>, tensor<4x1xf32>
}

// -----

// The scale varies along the reduced axis; max by a negative constant
// would select the minimum.
// CHECK-LABEL: func.func @reduce_hoist_scale_negative
// CHECK: dnnf.mul
// CHECK-NEXT: dnnf.reduce_sum
// CHECK: dnnf.mul
// CHECK-NEXT: dnnf.reduce_max
func.func @reduce_hoist_scale_negative(%a: tensor<4x8xf32>, %c: tensor<8xf32>) -> (tensor<4x1xf32>, tensor<4x1xf32>) {
  %0 = dnnf.mul %a, %c : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %1 = dnnf.reduce_sum %0 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %m = dnnf.constant dense<-2.0> : tensor<f32>
  %2 = dnnf.mul %a, %m : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %3 = dnnf.reduce_max %2 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1, %3 : tensor<4x1xf32>, tensor<4x1xf32>
}

// -----

// reduce-hoist-shift: ReduceMean(A + c) -> ReduceMean(A) + c, and
// ReduceSum(A + c) -> ReduceSum(A) + n*c.
// CHECK-LABEL: func.func @reduce_hoist_shift
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[C:.*]]: tensor<4x1xf32>)
// CHECK-DAG: %[[M:.*]] = dnnf.reduce_mean %[[A]] {axes = array<i64: 1>, keepdims = false} : (tensor<4x8xf32>) -> tensor<4xf32>
// CHECK-DAG: %[[CR:.*]] = dnnf.reshape %[[C]] : tensor<4x1xf32> to tensor<4xf32>
// CHECK-DAG: %[[X:.*]] = dnnf.add %[[M]], %[[CR]]
// CHECK-DAG: %[[S:.*]] = dnnf.reduce_sum %[[A]] {axes = array<i64: 1>}
// CHECK-DAG: %[[C8:.*]] = dnnf.constant dense<8.000000e+00> : tensor<f32>
// CHECK-DAG: %[[NC:.*]] = dnnf.mul %[[C]], %[[C8]]
// CHECK-DAG: %[[Y:.*]] = dnnf.add %[[S]], %[[NC]]
// CHECK: return %[[X]], %[[Y]]
func.func @reduce_hoist_shift(%a: tensor<4x8xf32>, %c: tensor<4x1xf32>) -> (tensor<4xf32>, tensor<4x1xf32>) {
  %0 = dnnf.add %a, %c : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %1 = dnnf.reduce_mean %0 {axes = array<i64: 1>, keepdims = false} : (tensor<4x8xf32>) -> tensor<4xf32>
  %2 = dnnf.add %a, %c : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %3 = dnnf.reduce_sum %2 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1, %3 : tensor<4xf32>, tensor<4x1xf32>
}

// -----

// A broadcasts in the sum (A is 1 x 8, the sum 4 x 8): not hoisted.
// CHECK-LABEL: func.func @reduce_hoist_shift_broadcast
// CHECK: dnnf.add
// CHECK-NEXT: dnnf.reduce_max
func.func @reduce_hoist_shift_broadcast(%a: tensor<1x8xf32>, %c: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %0 = dnnf.add %a, %c : (tensor<1x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %1 = dnnf.reduce_max %0 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1 : tensor<4x1xf32>
}

// -----

// reduce-hoist-neg: ReduceSum(Neg(A)) -> Neg(ReduceSum(A)),
// ReduceMax(Neg(A)) -> Neg(ReduceMin(A)).
// CHECK-LABEL: func.func @reduce_hoist_neg
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>)
// CHECK-DAG: %[[S:.*]] = dnnf.reduce_sum %[[A]]
// CHECK-DAG: %[[X:.*]] = dnnf.neg %[[S]] : tensor<4x1xf32>
// CHECK-DAG: %[[M:.*]] = dnnf.reduce_min %[[A]]
// CHECK-DAG: %[[Y:.*]] = dnnf.neg %[[M]] : tensor<4x1xf32>
// CHECK: return %[[X]], %[[Y]]
func.func @reduce_hoist_neg(%a: tensor<4x8xf32>) -> (tensor<4x1xf32>, tensor<4x1xf32>) {
  %n = dnnf.neg %a : tensor<4x8xf32>
  %0 = dnnf.reduce_sum %n {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %n2 = dnnf.neg %a : tensor<4x8xf32>
  %1 = dnnf.reduce_max %n2 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %0, %1 : tensor<4x1xf32>, tensor<4x1xf32>
}

// -----

// Integer max(-a) is not -min(a) (INT_MIN): kept.
// CHECK-LABEL: func.func @reduce_hoist_neg_int_max
// CHECK: dnnf.neg
// CHECK-NEXT: dnnf.reduce_max
func.func @reduce_hoist_neg_int_max(%a: tensor<4x8xi32>) -> tensor<4x1xi32> {
  %n = dnnf.neg %a : tensor<4x8xi32>
  %0 = dnnf.reduce_max %n {axes = array<i64: 1>} : (tensor<4x8xi32>) -> tensor<4x1xi32>
  return %0 : tensor<4x1xi32>
}

// -----

// reduce-monotone: ReduceMax(Exp(A)) -> Exp(ReduceMax(A)).
// CHECK-LABEL: func.func @reduce_monotone
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[M:.*]] = dnnf.reduce_max %[[A]]
// CHECK-NEXT: %[[E:.*]] = dnnf.exp %[[M]]
// CHECK-NEXT: return %[[E]]
func.func @reduce_monotone(%a: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %0 = dnnf.exp %a : tensor<4x8xf32>
  %1 = dnnf.reduce_max %0 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1 : tensor<4x1xf32>
}

// -----

// sqrt of a possibly negative A: max(sqrt(A)) is NaN where sqrt(max(A))
// may not be (fast-math only).
// CHECK-LABEL: func.func @reduce_monotone_sqrt
// CHECK: dnnf.sqrt
// CHECK-NEXT: dnnf.reduce_max
func.func @reduce_monotone_sqrt(%a: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %0 = dnnf.sqrt %a : tensor<4x8xf32>
  %1 = dnnf.reduce_max %0 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1 : tensor<4x1xf32>
}

// -----

// reduce-prod-hoist-unary: ReduceProd(Reciprocal(A)) ->
// Reciprocal(ReduceProd(A)).
// CHECK-LABEL: func.func @reduce_prod_hoist_unary
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[P:.*]] = dnnf.reduce_prod %[[A]]
// CHECK-NEXT: %[[R:.*]] = dnnf.reciprocal %[[P]]
// CHECK-NEXT: return %[[R]]
func.func @reduce_prod_hoist_unary(%a: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %0 = dnnf.reciprocal %a : tensor<4x8xf32>
  %1 = dnnf.reduce_prod %0 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1 : tensor<4x1xf32>
}

// -----

// A sum of reciprocals is not the reciprocal of a sum.
// CHECK-LABEL: func.func @reduce_sum_of_reciprocal
// CHECK: dnnf.reciprocal
// CHECK-NEXT: dnnf.reduce_sum
func.func @reduce_sum_of_reciprocal(%a: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %0 = dnnf.reciprocal %a : tensor<4x8xf32>
  %1 = dnnf.reduce_sum %0 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1 : tensor<4x1xf32>
}

// -----

// reduce-transpose: the transpose disappears when the kept dims stay in
// order.
// CHECK-LABEL: func.func @reduce_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.reduce_sum %[[X]] {axes = array<i64: 1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: return %[[R]]
func.func @reduce_transpose(%x: tensor<2x3x4xf32>) -> tensor<2x4xf32> {
  %0 = dnnf.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %1 = dnnf.reduce_sum %0 {axes = array<i64: 0>, keepdims = false} : (tensor<3x2x4xf32>) -> tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// The kept dims are swapped by the transpose.
// CHECK-LABEL: func.func @reduce_transpose_reorders
// CHECK: dnnf.transpose
// CHECK-NEXT: dnnf.reduce_sum
func.func @reduce_transpose_reorders(%x: tensor<2x3x4xf32>) -> tensor<4x2xf32> {
  %0 = dnnf.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = dnnf.reduce_sum %0 {axes = array<i64: 0>, keepdims = false} : (tensor<3x4x2xf32>) -> tensor<4x2xf32>
  return %1 : tensor<4x2xf32>
}

// -----

// exp-mul-merge: Exp(a) * Exp(b) -> Exp(a + b).
// CHECK-LABEL: func.func @exp_mul_merge
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[S:.*]] = dnnf.add %[[A]], %[[B]]
// CHECK-NEXT: %[[E:.*]] = dnnf.exp %[[S]]
// CHECK-NEXT: return %[[E]]
func.func @exp_mul_merge(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %ea = dnnf.exp %a : tensor<4xf32>
  %eb = dnnf.exp %b : tensor<4xf32>
  %0 = dnnf.mul %ea, %eb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Both exponentials are used elsewhere: merging adds work.
// CHECK-LABEL: func.func @exp_mul_merge_multi_use
// CHECK-COUNT-2: dnnf.exp
// CHECK: dnnf.mul
func.func @exp_mul_merge_multi_use(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %ea = dnnf.exp %a : tensor<4xf32>
  %eb = dnnf.exp %b : tensor<4xf32>
  %0 = dnnf.mul %ea, %eb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %ea, %eb : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// exp-div-merge: Exp(a) / Exp(b) -> Exp(a - b).
// CHECK-LABEL: func.func @exp_div_merge
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[S:.*]] = dnnf.sub %[[A]], %[[B]]
// CHECK-NEXT: %[[E:.*]] = dnnf.exp %[[S]]
// CHECK-NEXT: return %[[E]]
func.func @exp_div_merge(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %ea = dnnf.exp %a : tensor<4xf32>
  %eb = dnnf.exp %b : tensor<4xf32>
  %0 = dnnf.div %ea, %eb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Exp(a) / b is not a quotient of exponentials.
// CHECK-LABEL: func.func @exp_div_one_side
// CHECK: dnnf.exp
// CHECK-NEXT: dnnf.div
func.func @exp_div_one_side(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %ea = dnnf.exp %a : tensor<4xf32>
  %0 = dnnf.div %ea, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// log-add-merge: Log(a) + Log(b) -> Log(a * b) for a, b never negative.
// CHECK-LABEL: func.func @log_add_merge
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[A:.*]] = dnnf.abs %[[X]]
// CHECK-DAG: %[[B:.*]] = dnnf.exp %[[Y]]
// CHECK: %[[M:.*]] = dnnf.mul %[[A]], %[[B]]
// CHECK-NEXT: %[[L:.*]] = dnnf.log %[[M]]
// CHECK-NEXT: return %[[L]]
func.func @log_add_merge(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %a = dnnf.abs %x : tensor<4xf32>
  %b = dnnf.exp %y : tensor<4xf32>
  %la = dnnf.log %a : tensor<4xf32>
  %lb = dnnf.log %b : tensor<4xf32>
  %0 = dnnf.add %la, %lb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// a and b may be negative: log(-1) + log(-1) is NaN, log(1) is 0.
// CHECK-LABEL: func.func @log_add_merge_maybe_negative
// CHECK-COUNT-2: dnnf.log
// CHECK: dnnf.add
func.func @log_add_merge_maybe_negative(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %la = dnnf.log %a : tensor<4xf32>
  %lb = dnnf.log %b : tensor<4xf32>
  %0 = dnnf.add %la, %lb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// log-sub-merge: Log(a) - Log(b) -> Log(a / b) for a, b never negative.
// CHECK-LABEL: func.func @log_sub_merge
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[A:.*]] = dnnf.sigmoid %[[X]]
// CHECK-DAG: %[[B:.*]] = dnnf.sigmoid %[[Y]]
// CHECK: %[[D:.*]] = dnnf.div %[[A]], %[[B]]
// CHECK-NEXT: %[[L:.*]] = dnnf.log %[[D]]
// CHECK-NEXT: return %[[L]]
func.func @log_sub_merge(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %a = dnnf.sigmoid %x : tensor<4xf32>
  %b = dnnf.sigmoid %y : tensor<4xf32>
  %la = dnnf.log %a : tensor<4xf32>
  %lb = dnnf.log %b : tensor<4xf32>
  %0 = dnnf.sub %la, %lb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// b may be negative.
// CHECK-LABEL: func.func @log_sub_merge_maybe_negative
// CHECK-COUNT-2: dnnf.log
// CHECK: dnnf.sub
func.func @log_sub_merge_maybe_negative(%x: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %a = dnnf.sigmoid %x : tensor<4xf32>
  %la = dnnf.log %a : tensor<4xf32>
  %lb = dnnf.log %b : tensor<4xf32>
  %0 = dnnf.sub %la, %lb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// sqrt-mul-merge: Sqrt(a) * Sqrt(b) -> Sqrt(a * b) for a, b >= 0.
// CHECK-LABEL: func.func @sqrt_mul_merge
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[A:.*]] = dnnf.relu %[[X]]
// CHECK-DAG: %[[B:.*]] = dnnf.relu %[[Y]]
// CHECK: %[[M:.*]] = dnnf.mul %[[A]], %[[B]]
// CHECK-NEXT: %[[S:.*]] = dnnf.sqrt %[[M]]
// CHECK-NEXT: return %[[S]]
func.func @sqrt_mul_merge(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %a = dnnf.relu %x : tensor<4xf32>
  %b = dnnf.relu %y : tensor<4xf32>
  %sa = dnnf.sqrt %a : tensor<4xf32>
  %sb = dnnf.sqrt %b : tensor<4xf32>
  %0 = dnnf.mul %sa, %sb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// a and b may be negative: sqrt(-1)*sqrt(-1) is NaN, sqrt(1) is 1.
// CHECK-LABEL: func.func @sqrt_mul_merge_maybe_negative
// CHECK-COUNT-2: dnnf.sqrt
// CHECK: dnnf.mul
func.func @sqrt_mul_merge_maybe_negative(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %sa = dnnf.sqrt %a : tensor<4xf32>
  %sb = dnnf.sqrt %b : tensor<4xf32>
  %0 = dnnf.mul %sa, %sb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// sqrt-div-merge: Sqrt(a) / Sqrt(b) -> Sqrt(a / b) for a, b >= 0.
// CHECK-LABEL: func.func @sqrt_div_merge
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[A:.*]] = dnnf.relu %[[X]]
// CHECK-DAG: %[[B:.*]] = dnnf.relu %[[Y]]
// CHECK: %[[D:.*]] = dnnf.div %[[A]], %[[B]]
// CHECK-NEXT: %[[S:.*]] = dnnf.sqrt %[[D]]
// CHECK-NEXT: return %[[S]]
func.func @sqrt_div_merge(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %a = dnnf.relu %x : tensor<4xf32>
  %b = dnnf.relu %y : tensor<4xf32>
  %sa = dnnf.sqrt %a : tensor<4xf32>
  %sb = dnnf.sqrt %b : tensor<4xf32>
  %0 = dnnf.div %sa, %sb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// a may be negative.
// CHECK-LABEL: func.func @sqrt_div_merge_maybe_negative
// CHECK-COUNT-2: dnnf.sqrt
// CHECK: dnnf.div
func.func @sqrt_div_merge_maybe_negative(%a: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %b = dnnf.exp %y : tensor<4xf32>
  %sa = dnnf.sqrt %a : tensor<4xf32>
  %sb = dnnf.sqrt %b : tensor<4xf32>
  %0 = dnnf.div %sa, %sb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// reciprocal-mul-merge: Recip(a) * b * Recip(c) -> Recip(a * c) * b.
// mul-reciprocal-to-div saves as much (b / a / c); without it:
// CHECK-LABEL: func.func @reciprocal_mul_merge
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>, %[[C:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[X:.*]] = dnnf.div %[[B]], %[[A]]
// CHECK-NEXT: %[[Y:.*]] = dnnf.div %[[X]], %[[C]]
// CHECK-NEXT: return %[[Y]]
// NODIV-LABEL: func.func @reciprocal_mul_merge
// NODIV-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>, %[[C:.*]]: tensor<4xf32>)
// NODIV-NEXT: %[[M:.*]] = dnnf.mul %[[A]], %[[C]]
// NODIV-NEXT: %[[R:.*]] = dnnf.reciprocal %[[M]]
// NODIV-NEXT: %[[D:.*]] = dnnf.mul %[[R]], %[[B]]
// NODIV-NEXT: return %[[D]]
func.func @reciprocal_mul_merge(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xf32>) -> tensor<4xf32> {
  %ra = dnnf.reciprocal %a : tensor<4xf32>
  %rc = dnnf.reciprocal %c : tensor<4xf32>
  %0 = dnnf.mul %ra, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.mul %0, %rc : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// The reciprocals are used elsewhere.
// NODIV-LABEL: func.func @reciprocal_mul_merge_multi_use
// NODIV-COUNT-2: dnnf.reciprocal
// NODIV: dnnf.mul
func.func @reciprocal_mul_merge_multi_use(%a: tensor<4xf32>, %c: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %ra = dnnf.reciprocal %a : tensor<4xf32>
  %rc = dnnf.reciprocal %c : tensor<4xf32>
  %0 = dnnf.mul %ra, %rc : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %ra, %rc : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// abs-div-merge: Abs(a) / Abs(b) -> Abs(a / b).
// CHECK-LABEL: func.func @abs_div_merge
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[D:.*]] = dnnf.div %[[A]], %[[B]]
// CHECK-NEXT: %[[R:.*]] = dnnf.abs %[[D]]
// CHECK-NEXT: return %[[R]]
func.func @abs_div_merge(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %aa = dnnf.abs %a : tensor<4xf32>
  %ab = dnnf.abs %b : tensor<4xf32>
  %0 = dnnf.div %aa, %ab : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Integer division: |a| / |b| is kept.
// CHECK-LABEL: func.func @abs_div_merge_int
// CHECK-COUNT-2: dnnf.abs
// CHECK: dnnf.div
func.func @abs_div_merge_int(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %aa = dnnf.abs %a : tensor<4xi32>
  %ab = dnnf.abs %b : tensor<4xi32>
  %0 = dnnf.div %aa, %ab : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// matmul-hoist-scalar: (Q K) / 8 -> (Q * 0.125) K, the scale on the
// smaller operand (division by 8 first becomes a multiplication).
// CHECK-LABEL: func.func @matmul_hoist_scalar
// CHECK-SAME: (%[[Q:.*]]: tensor<2x16x4xf32>, %[[K:.*]]: tensor<2x4x16xf32>)
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<1.250000e-01> : tensor<f32>
// CHECK-NEXT: %[[S:.*]] = dnnf.mul %[[Q]], %[[C]] : (tensor<2x16x4xf32>, tensor<f32>) -> tensor<2x16x4xf32>
// CHECK-NEXT: %[[M:.*]] = dnnf.matmul %[[S]], %[[K]]
// CHECK-NEXT: return %[[M]]
func.func @matmul_hoist_scalar(%q: tensor<2x16x4xf32>, %k: tensor<2x4x16xf32>) -> tensor<2x16x16xf32> {
  %0 = dnnf.matmul %q, %k : (tensor<2x16x4xf32>, tensor<2x4x16xf32>) -> tensor<2x16x16xf32>
  %c = dnnf.constant dense<8.0> : tensor<f32>
  %1 = dnnf.div %0, %c : (tensor<2x16x16xf32>, tensor<f32>) -> tensor<2x16x16xf32>
  return %1 : tensor<2x16x16xf32>
}

// -----

// A per-column scale is not a scalar; a product used elsewhere is kept.
// CHECK-LABEL: func.func @matmul_hoist_not_scalar
// CHECK: %[[A:.*]] = dnnf.matmul
// CHECK: dnnf.mul %[[A]]
// CHECK: %[[B:.*]] = dnnf.matmul
// CHECK: dnnf.mul %[[B]]
func.func @matmul_hoist_not_scalar(%q: tensor<16x4xf32>, %k: tensor<4x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) {
  %0 = dnnf.matmul %q, %k : (tensor<16x4xf32>, tensor<4x16xf32>) -> tensor<16x16xf32>
  %c = dnnf.constant dense<[[1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0]]> : tensor<1x16xf32>
  %1 = dnnf.mul %0, %c : (tensor<16x16xf32>, tensor<1x16xf32>) -> tensor<16x16xf32>
  %2 = dnnf.matmul %q, %k : (tensor<16x4xf32>, tensor<4x16xf32>) -> tensor<16x16xf32>
  %s = dnnf.constant dense<3.0> : tensor<f32>
  %3 = dnnf.mul %2, %s : (tensor<16x16xf32>, tensor<f32>) -> tensor<16x16xf32>
  return %1, %3, %2 : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>
}

// -----

// scalar-through-movement (normalisation), then constant folding: the
// scale moves before the transpose and merges with the one below it.
// CHECK-LABEL: func.func @scalar_through_movement
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<6.000000e+00> : tensor<f32>
// CHECK-NEXT: %[[M:.*]] = dnnf.mul %[[X]], %[[C]] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[T:.*]] = dnnf.transpose %[[M]]
// CHECK-NEXT: return %[[T]]
func.func @scalar_through_movement(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %c2 = dnnf.constant dense<2.0> : tensor<f32>
  %c3 = dnnf.constant dense<3.0> : tensor<1x1xf32>
  %0 = dnnf.mul %x, %c2 : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = dnnf.transpose %0 {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %2 = dnnf.mul %1, %c3 : (tensor<3x2xf32>, tensor<1x1xf32>) -> tensor<3x2xf32>
  return %2 : tensor<3x2xf32>
}

// -----

// The transposed value is used elsewhere.
// CHECK-LABEL: func.func @scalar_through_movement_multi_use
// CHECK: dnnf.transpose
// CHECK-NEXT: dnnf.mul
func.func @scalar_through_movement_multi_use(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = dnnf.mul %0, %c3 : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  return %1, %0 : tensor<3x2xf32>, tensor<3x2xf32>
}
