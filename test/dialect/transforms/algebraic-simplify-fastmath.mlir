// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=fast-math=true | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify | FileCheck %s --check-prefix=SAFE

// Rules that may change results beyond float reassociation error fire only
// with fast-math=true (CHECK); by default they do not (SAFE).

// div-self: x / x -> 1 (0/0, inf/inf, NaN/NaN are NaN).
// CHECK-LABEL: func.func @div_self
// CHECK-NEXT: %[[O:.*]] = dnnf.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK-NEXT: return %[[O]]
// SAFE-LABEL: func.func @div_self
// SAFE: dnnf.div
func.func @div_self(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.div %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Never for integers, even with fast-math.
// CHECK-LABEL: func.func @div_self_int
// CHECK: dnnf.div
func.func @div_self_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = dnnf.div %x, %x : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// mul-zero and sub-self on floats.
// CHECK-LABEL: func.func @mul_zero_sub_self
// CHECK-NEXT: %[[Z:.*]] = dnnf.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[W:.*]] = dnnf.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT: return %[[Z]], %[[W]]
// SAFE-LABEL: func.func @mul_zero_sub_self
// SAFE: dnnf.mul
// SAFE: dnnf.sub
func.func @mul_zero_sub_self(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %z = dnnf.constant dense<0.0> : tensor<f32>
  %0 = dnnf.mul %x, %z : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.sub %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// log-exp and exp-log.
// CHECK-LABEL: func.func @log_exp
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]], %[[Y]]
// SAFE-LABEL: func.func @log_exp
// SAFE: dnnf.exp
// SAFE: dnnf.log
// SAFE: dnnf.log
// SAFE: dnnf.exp
func.func @log_exp(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = dnnf.exp %x : tensor<4xf32>
  %1 = dnnf.log %0 : tensor<4xf32>
  %2 = dnnf.log %y : tensor<4xf32>
  %3 = dnnf.exp %2 : tensor<4xf32>
  return %1, %3 : tensor<4xf32>, tensor<4xf32>
}

// -----

// log(sqrt(x)) is not an inverse pair.
// CHECK-LABEL: func.func @log_exp_negative
// CHECK: dnnf.sqrt
// CHECK-NEXT: dnnf.log
func.func @log_exp_negative(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.sqrt %x : tensor<4xf32>
  %1 = dnnf.log %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// div-constant-to-mul with an inexact reciprocal: x / 3 -> x * (1/3).
// CHECK-LABEL: func.func @div_constant_inexact
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<0.333333343> : tensor<f32>
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[X]], %[[C]]
// SAFE-LABEL: func.func @div_constant_inexact
// SAFE: dnnf.div
func.func @div_constant_inexact(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.div %x, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Integer division is never a multiplication.
// CHECK-LABEL: func.func @div_constant_int
// CHECK: dnnf.div
func.func @div_constant_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  %c = dnnf.constant dense<3> : tensor<i32>
  %0 = dnnf.div %x, %c : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// pow-half: pow(x, 0.5) -> sqrt(x) (differs at -0 and -inf).
// CHECK-LABEL: func.func @pow_half
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.sqrt %[[X]]
// CHECK-NEXT: return %[[R]]
// SAFE-LABEL: func.func @pow_half
// SAFE: dnnf.pow
func.func @pow_half(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = dnnf.constant dense<0.5> : tensor<f32>
  %0 = dnnf.pow %x, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// pow(x, 0.5) broadcasting x stays.
// CHECK-LABEL: func.func @pow_half_broadcast
// CHECK: dnnf.pow
func.func @pow_half_broadcast(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  %c = dnnf.constant dense<0.5> : tensor<2x4xf32>
  %0 = dnnf.pow %x, %c : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// pow-pow with a fractional exponent: pow(pow(x, 3), 0.5) -> pow(x, 1.5)
// (wrong for negative x).
// CHECK-LABEL: func.func @pow_pow
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<1.500000e+00> : tensor<f32>
// CHECK-NEXT: %[[R:.*]] = dnnf.pow %[[X]], %[[C]]
// CHECK-NEXT: return %[[R]]
// SAFE-LABEL: func.func @pow_pow
// SAFE-COUNT-2: dnnf.pow
func.func @pow_pow(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %c2 = dnnf.constant dense<0.5> : tensor<f32>
  %0 = dnnf.pow %x, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.pow %0, %c2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// A non-constant exponent.
// CHECK-LABEL: func.func @pow_pow_not_constant
// CHECK-COUNT-2: dnnf.pow
func.func @pow_pow_not_constant(%x: tensor<4xf32>, %e: tensor<4xf32>) -> tensor<4xf32> {
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.pow %x, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.pow %0, %e : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// div-sqrt-self: x / sqrt(x) -> sqrt(x) (x = 0 gives NaN before).
// CHECK-LABEL: func.func @div_sqrt_self
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.sqrt %[[X]]
// CHECK-NEXT: return %[[R]]
// SAFE-LABEL: func.func @div_sqrt_self
// SAFE: dnnf.div
func.func @div_sqrt_self(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.sqrt %x : tensor<4xf32>
  %1 = dnnf.div %x, %0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// y / sqrt(x) is not x / sqrt(x).
// CHECK-LABEL: func.func @div_sqrt_other
// CHECK: dnnf.sqrt
// CHECK-NEXT: dnnf.div
func.func @div_sqrt_other(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.sqrt %x : tensor<4xf32>
  %1 = dnnf.div %y, %0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// reduce-sum-log: ReduceSum(Log(A)) -> Log(ReduceProd(A)) (the product
// overflows long before the sum of logs).
// CHECK-LABEL: func.func @reduce_sum_log
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[P:.*]] = dnnf.reduce_prod %[[A]]
// CHECK-NEXT: %[[L:.*]] = dnnf.log %[[P]]
// CHECK-NEXT: return %[[L]]
// SAFE-LABEL: func.func @reduce_sum_log
// SAFE: dnnf.log
// SAFE-NEXT: dnnf.reduce_sum
func.func @reduce_sum_log(%a: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %0 = dnnf.log %a : tensor<4x8xf32>
  %1 = dnnf.reduce_sum %0 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1 : tensor<4x1xf32>
}

// -----

// The log is used elsewhere.
// CHECK-LABEL: func.func @reduce_sum_log_multi_use
// CHECK: dnnf.log
// CHECK-NEXT: dnnf.reduce_sum
func.func @reduce_sum_log_multi_use(%a: tensor<4x8xf32>) -> (tensor<4x1xf32>, tensor<4x8xf32>) {
  %0 = dnnf.log %a : tensor<4x8xf32>
  %1 = dnnf.reduce_sum %0 {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %1, %0 : tensor<4x1xf32>, tensor<4x8xf32>
}

// -----

// Conditionally fast-math rules without their non-negativity proof:
// sqrt(b)^2 -> b, sqrt(a)*sqrt(b) -> sqrt(a*b), log(a)+log(b) -> log(a*b),
// max(sqrt(a)) -> sqrt(max(a)).
// CHECK-LABEL: func.func @unproven_non_negative
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>, %[[C:.*]]: tensor<4x8xf32>)
// CHECK-DAG: %[[M:.*]] = dnnf.mul %[[A]], %[[B]]
// CHECK-DAG: %[[S:.*]] = dnnf.sqrt %[[M]]
// CHECK-DAG: %[[N:.*]] = dnnf.mul %[[A]], %[[B]]
// CHECK-DAG: %[[L:.*]] = dnnf.log %[[N]]
// CHECK-DAG: %[[X:.*]] = dnnf.reduce_max %[[C]]
// CHECK-DAG: %[[Y:.*]] = dnnf.sqrt %[[X]]
// CHECK: return %[[B]], %[[S]], %[[L]], %[[Y]]
// SAFE-LABEL: func.func @unproven_non_negative
// SAFE-COUNT-3: dnnf.sqrt
// SAFE-COUNT-2: dnnf.log
// SAFE: dnnf.sqrt
// SAFE-NEXT: dnnf.reduce_max
func.func @unproven_non_negative(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4x8xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4x1xf32>) {
  %sb = dnnf.sqrt %b : tensor<4xf32>
  %0 = dnnf.mul %sb, %sb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %sa = dnnf.sqrt %a : tensor<4xf32>
  %sb2 = dnnf.sqrt %b : tensor<4xf32>
  %1 = dnnf.mul %sa, %sb2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %la = dnnf.log %a : tensor<4xf32>
  %lb = dnnf.log %b : tensor<4xf32>
  %2 = dnnf.add %la, %lb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %sc = dnnf.sqrt %c : tensor<4x8xf32>
  %3 = dnnf.reduce_max %sc {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4x1xf32>
}
