// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify | FileCheck %s

// Identities and normalisations: for every rule, one function where it
// fires and one where a precondition fails.

// mul-one: x * 1 -> x.
// CHECK-LABEL: func.func @mul_one
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @mul_one(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %c = dnnf.constant dense<1.0> : tensor<3xf32>
  %0 = dnnf.mul %c, %x : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// The 1s broadcast x to a larger shape: the result type would change.
// CHECK-LABEL: func.func @mul_one_broadcasts
// CHECK: dnnf.mul
func.func @mul_one_broadcasts(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %c = dnnf.constant dense<1.0> : tensor<2x3xf32>
  %0 = dnnf.mul %x, %c : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// add-zero: x + 0 -> x and x - 0 -> x, integers too.
// CHECK-LABEL: func.func @add_zero
// CHECK-SAME: (%[[X:.*]]: tensor<4xi32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]], %[[Y]]
func.func @add_zero(%x: tensor<4xi32>, %y: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xf32>) {
  %z = dnnf.constant dense<0> : tensor<i32>
  %0 = dnnf.add %x, %z : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %zf = dnnf.constant dense<0.0> : tensor<4xf32>
  %1 = dnnf.sub %y, %zf : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xi32>, tensor<4xf32>
}

// -----

// Not all elements are 0.
// CHECK-LABEL: func.func @add_zero_not_uniform
// CHECK: dnnf.add
func.func @add_zero_not_uniform(%x: tensor<2xf32>) -> tensor<2xf32> {
  %z = dnnf.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %0 = dnnf.add %x, %z : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// div-one: x / 1 -> x.
// CHECK-LABEL: func.func @div_one
// CHECK-SAME: (%[[X:.*]]: tensor<4xi64>)
// CHECK-NEXT: return %[[X]]
func.func @div_one(%x: tensor<4xi64>) -> tensor<4xi64> {
  %c = dnnf.constant dense<1> : tensor<i64>
  %0 = dnnf.div %x, %c : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// 1 / x is not x.
// CHECK-LABEL: func.func @div_one_wrong_side
// CHECK: dnnf.div
func.func @div_one_wrong_side(%x: tensor<4xi64>) -> tensor<4xi64> {
  %c = dnnf.constant dense<1> : tensor<i64>
  %0 = dnnf.div %c, %x : (tensor<i64>, tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// mul-zero: exact for integers.
// CHECK-LABEL: func.func @mul_zero_int
// CHECK-NEXT: %[[Z:.*]] = dnnf.constant dense<0> : tensor<4xi32>
// CHECK-NEXT: return %[[Z]]
func.func @mul_zero_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  %z = dnnf.constant dense<0> : tensor<i32>
  %0 = dnnf.mul %z, %x : (tensor<i32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Float x * 0 is NaN for inf/NaN x: fast-math only.
// CHECK-LABEL: func.func @mul_zero_float
// CHECK: dnnf.mul
func.func @mul_zero_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  %z = dnnf.constant dense<0.0> : tensor<f32>
  %0 = dnnf.mul %x, %z : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// sub-self: exact for integers.
// CHECK-LABEL: func.func @sub_self_int
// CHECK-NEXT: %[[Z:.*]] = dnnf.constant dense<0> : tensor<4xi8>
// CHECK-NEXT: return %[[Z]]
func.func @sub_self_int(%x: tensor<4xi8>) -> tensor<4xi8> {
  %0 = dnnf.sub %x, %x : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// Float x - x is NaN for inf/NaN x: fast-math only.
// CHECK-LABEL: func.func @sub_self_float
// CHECK: dnnf.sub
func.func @sub_self_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.sub %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// div-self (x / x -> 1) is fast-math only, and never for integers; see
// algebraic-simplify-fastmath.mlir.
// CHECK-LABEL: func.func @div_self_int
// CHECK: dnnf.div
func.func @div_self_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = dnnf.div %x, %x : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// neg-neg.
// CHECK-LABEL: func.func @neg_neg
// CHECK-SAME: (%[[X:.*]]: tensor<4xi32>)
// CHECK-NEXT: return %[[X]]
func.func @neg_neg(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = dnnf.neg %x : tensor<4xi32>
  %1 = dnnf.neg %0 : tensor<4xi32>
  return %1 : tensor<4xi32>
}

// -----

// A single neg stays.
// CHECK-LABEL: func.func @neg_single
// CHECK: dnnf.neg
func.func @neg_single(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = dnnf.neg %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// neg-sub: neg(a - b) -> b - a.
// CHECK-LABEL: func.func @neg_sub
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.sub %[[B]], %[[A]]
// CHECK-NEXT: return %[[R]]
func.func @neg_sub(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.sub %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.neg %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// The difference has another use: nothing is saved.
// CHECK-LABEL: func.func @neg_sub_multi_use
// CHECK: dnnf.sub
// CHECK: dnnf.neg
func.func @neg_sub_multi_use(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = dnnf.sub %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.neg %0 : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// add-neg: a + neg(b) -> a - b, neg(a) + b -> b - a, a - neg(b) -> a + b.
// CHECK-LABEL: func.func @add_neg
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[S:.*]] = dnnf.sub %[[A]], %[[B]]
// CHECK-DAG: %[[T:.*]] = dnnf.sub %[[B]], %[[A]]
// CHECK-DAG: %[[U:.*]] = dnnf.add %[[A]], %[[B]]
// CHECK: return %[[S]], %[[T]], %[[U]]
func.func @add_neg(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %nb = dnnf.neg %b : tensor<4xf32>
  %0 = dnnf.add %a, %nb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %na = dnnf.neg %a : tensor<4xf32>
  %1 = dnnf.add %na, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %nb2 = dnnf.neg %b : tensor<4xf32>
  %2 = dnnf.sub %a, %nb2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// The neg is used elsewhere: nothing is saved.
// CHECK-LABEL: func.func @add_neg_multi_use
// CHECK: dnnf.neg
// CHECK: dnnf.add
func.func @add_neg_multi_use(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %nb = dnnf.neg %b : tensor<4xf32>
  %0 = dnnf.add %a, %nb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %nb : tensor<4xf32>, tensor<4xf32>
}

// -----

// neg-pair: neg(a) * neg(b) -> a * b, neg(a) / neg(b) -> a / b.
// CHECK-LABEL: func.func @neg_pair
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[M:.*]] = dnnf.mul %[[A]], %[[B]]
// CHECK-DAG: %[[D:.*]] = dnnf.div %[[A]], %[[B]]
// CHECK: return %[[M]], %[[D]]
func.func @neg_pair(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %na = dnnf.neg %a : tensor<4xf32>
  %nb = dnnf.neg %b : tensor<4xf32>
  %0 = dnnf.mul %na, %nb : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %na2 = dnnf.neg %a : tensor<4xf32>
  %nb2 = dnnf.neg %b : tensor<4xf32>
  %1 = dnnf.div %na2, %nb2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Integer division truncates: neg(a) / neg(b) is left to exact rules only
// for floats.
// CHECK-LABEL: func.func @neg_pair_int_div
// CHECK-COUNT-2: dnnf.neg
// CHECK: dnnf.div
func.func @neg_pair_int_div(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %na = dnnf.neg %a : tensor<4xi32>
  %nb = dnnf.neg %b : tensor<4xi32>
  %0 = dnnf.div %na, %nb : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// neg-into-constant: neg(x) * c -> x * (-c).
// CHECK-LABEL: func.func @neg_into_constant
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<[-1.000000e+00, -2.000000e+00, -3.000000e+00, -4.000000e+00]>
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[X]], %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @neg_into_constant(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = dnnf.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %n = dnnf.neg %x : tensor<4xf32>
  %0 = dnnf.mul %n, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// The multiplier is not a constant.
// CHECK-LABEL: func.func @neg_into_constant_not_constant
// CHECK: dnnf.neg
// CHECK: dnnf.mul
func.func @neg_into_constant_not_constant(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %n = dnnf.neg %x : tensor<4xf32>
  %0 = dnnf.mul %n, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// mul-minus-one: x * (-1) -> neg(x).
// CHECK-LABEL: func.func @mul_minus_one
// CHECK-SAME: (%[[X:.*]]: tensor<4xi32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.neg %[[X]]
// CHECK-NEXT: return %[[R]]
func.func @mul_minus_one(%x: tensor<4xi32>) -> tensor<4xi32> {
  %c = dnnf.constant dense<-1> : tensor<i32>
  %0 = dnnf.mul %x, %c : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// -1 broadcasts x: the result type would change.
// CHECK-LABEL: func.func @mul_minus_one_broadcasts
// CHECK: dnnf.mul
func.func @mul_minus_one_broadcasts(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  %c = dnnf.constant dense<-1.0> : tensor<2x4xf32>
  %0 = dnnf.mul %x, %c : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// sub-from-zero: 0 - x -> neg(x).
// CHECK-LABEL: func.func @sub_from_zero
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.neg %[[X]]
// CHECK-NEXT: return %[[R]]
func.func @sub_from_zero(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = dnnf.constant dense<0.0> : tensor<f32>
  %0 = dnnf.sub %c, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// 1 - x is not a negation (sub-constant-to-add does not apply either: the
// constant is the minuend).
// CHECK-LABEL: func.func @sub_from_one
// CHECK: dnnf.sub
func.func @sub_from_one(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = dnnf.constant dense<1.0> : tensor<f32>
  %0 = dnnf.sub %c, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// sub-constant-to-add (normalisation): x - c -> x + (-c).
// CHECK-LABEL: func.func @sub_constant_to_add
// CHECK-SAME: (%[[X:.*]]: tensor<4xi32>)
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<-3> : tensor<i32>
// CHECK-NEXT: %[[R:.*]] = dnnf.add %[[X]], %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @sub_constant_to_add(%x: tensor<4xi32>) -> tensor<4xi32> {
  %c = dnnf.constant dense<3> : tensor<i32>
  %0 = dnnf.sub %x, %c : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// x - y with y not constant stays.
// CHECK-LABEL: func.func @sub_not_constant
// CHECK: dnnf.sub
func.func @sub_not_constant(%x: tensor<4xi32>, %y: tensor<4xi32>) -> tensor<4xi32> {
  %0 = dnnf.sub %x, %y : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// div-constant-to-mul (normalisation): x / 8 -> x * 0.125 (exact).
// CHECK-LABEL: func.func @div_constant_to_mul
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<{{\[}}[1.250000e-01], [-5.000000e-01]]> : tensor<2x1xf32>
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[X]], %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @div_constant_to_mul(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  %c = dnnf.constant dense<[[8.0], [-2.0]]> : tensor<2x1xf32>
  %0 = dnnf.div %x, %c : (tensor<4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// 1/3 is not exact: fast-math only.  Integer division is never rewritten.
// CHECK-LABEL: func.func @div_constant_inexact
// CHECK: dnnf.div
// CHECK: dnnf.div
func.func @div_constant_inexact(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %c = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.div %x, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %ci = dnnf.constant dense<2> : tensor<i32>
  %1 = dnnf.div %i, %ci : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// -----

// div-to-reciprocal: 1 / x -> reciprocal(x).
// CHECK-LABEL: func.func @div_to_reciprocal
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.reciprocal %[[X]]
// CHECK-NEXT: return %[[R]]
func.func @div_to_reciprocal(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = dnnf.constant dense<1.0> : tensor<f32>
  %0 = dnnf.div %c, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Integer 1 / x truncates: not a reciprocal.
// CHECK-LABEL: func.func @div_to_reciprocal_int
// CHECK: dnnf.div
func.func @div_to_reciprocal_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  %c = dnnf.constant dense<1> : tensor<i32>
  %0 = dnnf.div %c, %x : (tensor<i32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// mul-reciprocal-to-div: a * reciprocal(b) -> a / b.
// CHECK-LABEL: func.func @mul_reciprocal_to_div
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.div %[[A]], %[[B]]
// CHECK-NEXT: return %[[R]]
func.func @mul_reciprocal_to_div(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %r = dnnf.reciprocal %b : tensor<4xf32>
  %0 = dnnf.mul %r, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// The reciprocal is used elsewhere: nothing is saved.
// CHECK-LABEL: func.func @mul_reciprocal_multi_use
// CHECK: dnnf.reciprocal
// CHECK: dnnf.mul
func.func @mul_reciprocal_multi_use(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %r = dnnf.reciprocal %b : tensor<4xf32>
  %0 = dnnf.mul %r, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %r : tensor<4xf32>, tensor<4xf32>
}

// -----

// div-reciprocal-to-mul: a / reciprocal(b) -> a * b.
// CHECK-LABEL: func.func @div_reciprocal_to_mul
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[A]], %[[B]]
// CHECK-NEXT: return %[[R]]
func.func @div_reciprocal_to_mul(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %r = dnnf.reciprocal %b : tensor<4xf32>
  %0 = dnnf.div %a, %r : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// reciprocal(b) / a is not a product.
// CHECK-LABEL: func.func @div_reciprocal_numerator
// CHECK: dnnf.reciprocal
// CHECK: dnnf.div
func.func @div_reciprocal_numerator(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %r = dnnf.reciprocal %b : tensor<4xf32>
  %0 = dnnf.div %r, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// reciprocal-reciprocal.
// CHECK-LABEL: func.func @reciprocal_reciprocal
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reciprocal_reciprocal(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.reciprocal %x : tensor<4xf32>
  %1 = dnnf.reciprocal %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// reciprocal(sqrt(x)) is not reciprocal(reciprocal(x)).
// CHECK-LABEL: func.func @reciprocal_of_sqrt
// CHECK: dnnf.sqrt
// CHECK: dnnf.reciprocal
func.func @reciprocal_of_sqrt(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.sqrt %x : tensor<4xf32>
  %1 = dnnf.reciprocal %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// abs-redundant: abs(abs(x)), abs(neg(x)), abs(exp(x)).
// CHECK-LABEL: func.func @abs_redundant
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[A:.*]] = dnnf.abs %[[X]]
// CHECK-DAG: %[[E:.*]] = dnnf.exp %[[X]]
// CHECK-NOT: dnnf.abs
// CHECK-NOT: dnnf.neg
// CHECK: return %[[A]], %{{.*}}, %[[E]]
func.func @abs_redundant(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %a = dnnf.abs %x : tensor<4xf32>
  %0 = dnnf.abs %a : tensor<4xf32>
  %n = dnnf.neg %x : tensor<4xf32>
  %1 = dnnf.abs %n : tensor<4xf32>
  %e = dnnf.exp %x : tensor<4xf32>
  %2 = dnnf.abs %e : tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// x may be negative; an integer x*x may overflow to a negative value.
// CHECK-LABEL: func.func @abs_needed
// CHECK: dnnf.abs
// CHECK: dnnf.abs
func.func @abs_needed(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = dnnf.abs %x : tensor<4xf32>
  %sq = dnnf.mul %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = dnnf.abs %sq : tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// -----

// pow-constant-exponent: e = 2 -> x*x (Square), 1 -> x, -1 -> reciprocal,
// 0 -> 1.
// CHECK-LABEL: func.func @pow_constant_exponent
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[S:.*]] = dnnf.mul %[[X]], %[[X]]
// CHECK-DAG: %[[R:.*]] = dnnf.reciprocal %[[X]]
// CHECK-DAG: %[[O:.*]] = dnnf.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK: return %[[S]], %[[X]], %[[R]], %[[O]]
func.func @pow_constant_exponent(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %c2 = dnnf.constant dense<2.0> : tensor<f32>
  %0 = dnnf.pow %x, %c2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %c1 = dnnf.constant dense<1.0> : tensor<f32>
  %1 = dnnf.pow %x, %c1 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %cm1 = dnnf.constant dense<-1.0> : tensor<f32>
  %2 = dnnf.pow %x, %cm1 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %c0 = dnnf.constant dense<0.0> : tensor<f32>
  %3 = dnnf.pow %x, %c0 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Exponent 3, a non-uniform exponent, and an exponent that broadcasts x.
// CHECK-LABEL: func.func @pow_other_exponents
// CHECK-COUNT-3: dnnf.pow
func.func @pow_other_exponents(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<3x2xf32>) {
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.pow %x, %c3 : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  %cv = dnnf.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %1 = dnnf.pow %x, %cv : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %cb = dnnf.constant dense<2.0> : tensor<3x2xf32>
  %2 = dnnf.pow %x, %cb : (tensor<2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xf32>, tensor<3x2xf32>
}

// -----

// pow-pow with integer exponents: pow(pow(x, 3), -2) -> pow(x, -6).
// CHECK-LABEL: func.func @pow_pow_integers
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<-6.000000e+00> : tensor<f32>
// CHECK-NEXT: %[[R:.*]] = dnnf.pow %[[X]], %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @pow_pow_integers(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %c2 = dnnf.constant dense<-2.0> : tensor<f32>
  %0 = dnnf.pow %x, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.pow %0, %c2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// A fractional outer exponent: fast-math only (see the fastmath tests).
// CHECK-LABEL: func.func @pow_pow_fractional
// CHECK-COUNT-2: dnnf.pow
func.func @pow_pow_fractional(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %c2 = dnnf.constant dense<0.5> : tensor<f32>
  %0 = dnnf.pow %x, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.pow %0, %c2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// sqrt-square: sqrt(x * x) -> abs(x).
// CHECK-LABEL: func.func @sqrt_square
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.abs %[[X]]
// CHECK-NEXT: return %[[R]]
func.func @sqrt_square(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.mul %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.sqrt %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// sqrt(x * y) is not a square root of a square.
// CHECK-LABEL: func.func @sqrt_product
// CHECK: dnnf.mul
// CHECK: dnnf.sqrt
func.func @sqrt_product(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.mul %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.sqrt %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// transpose-transpose: composed into one, or removed.
// CHECK-LABEL: func.func @transpose_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[T:.*]] = dnnf.transpose %[[X]] {perm = array<i64: 2, 0, 1>}
// CHECK-NEXT: return %[[T]], %[[X]]
func.func @transpose_transpose(%x: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<2x3x4xf32>) {
  %0 = dnnf.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %1 = dnnf.transpose %0 {perm = array<i64: 2, 1, 0>} : (tensor<3x2x4xf32>) -> tensor<4x2x3xf32>
  %2 = dnnf.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %3 = dnnf.transpose %2 {perm = array<i64: 2, 0, 1>} : (tensor<3x4x2xf32>) -> tensor<2x3x4xf32>
  return %1, %3 : tensor<4x2x3xf32>, tensor<2x3x4xf32>
}

// -----

// The inner transpose has another use: composing would not save a copy.
// CHECK-LABEL: func.func @transpose_transpose_multi_use
// CHECK: dnnf.transpose %{{.*}} {perm = array<i64: 1, 0, 2>}
// CHECK: dnnf.transpose %{{.*}} {perm = array<i64: 2, 1, 0>}
func.func @transpose_transpose_multi_use(%x: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<3x2x4xf32>) {
  %0 = dnnf.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %1 = dnnf.transpose %0 {perm = array<i64: 2, 1, 0>} : (tensor<3x2x4xf32>) -> tensor<4x2x3xf32>
  return %1, %0 : tensor<4x2x3xf32>, tensor<3x2x4xf32>
}

// -----

// transpose-identity.
// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dnnf.transpose %x {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A real transpose stays.
// CHECK-LABEL: func.func @transpose_real
// CHECK: dnnf.transpose
func.func @transpose_real(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = dnnf.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// transpose-to-reshape (normalisation): only size-1 dims move.
// CHECK-LABEL: func.func @transpose_to_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x1x4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.reshape %[[X]] : tensor<1x3x1x4xf32> to tensor<3x1x4x1xf32>
// CHECK-NEXT: return %[[R]]
func.func @transpose_to_reshape(%x: tensor<1x3x1x4xf32>) -> tensor<3x1x4x1xf32> {
  %0 = dnnf.transpose %x {perm = array<i64: 1, 2, 3, 0>} : (tensor<1x3x1x4xf32>) -> tensor<3x1x4x1xf32>
  return %0 : tensor<3x1x4x1xf32>
}

// -----

// Dims of size 3 and 4 swap: a real transpose.
// CHECK-LABEL: func.func @transpose_not_reshape
// CHECK: dnnf.transpose
func.func @transpose_not_reshape(%x: tensor<1x3x1x4xf32>) -> tensor<4x1x3x1xf32> {
  %0 = dnnf.transpose %x {perm = array<i64: 3, 0, 1, 2>} : (tensor<1x3x1x4xf32>) -> tensor<4x1x3x1xf32>
  return %0 : tensor<4x1x3x1xf32>
}

// -----

// reshape-identity: a reorganisation to the same type.
// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reshape_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dnnf.reshape %x : tensor<2x3xf32> to tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A reshape to another shape stays.
// CHECK-LABEL: func.func @reshape_real
// CHECK: dnnf.reshape
func.func @reshape_real(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  %0 = dnnf.reshape %x : tensor<2x3xf32> to tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

// squeeze-unsqueeze-cancel: the pair gives back x's type.
// CHECK-LABEL: func.func @squeeze_unsqueeze_cancel
// CHECK-SAME: (%[[X:.*]]: tensor<2x1x3xf32>, %[[Y:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]], %[[Y]]
func.func @squeeze_unsqueeze_cancel(%x: tensor<2x1x3xf32>, %y: tensor<2x3xf32>) -> (tensor<2x1x3xf32>, tensor<2x3xf32>) {
  %0 = dnnf.squeeze %x {axes = array<i64: 1>} : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  %1 = dnnf.unsqueeze %0 {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1x3xf32>
  %2 = dnnf.unsqueeze %y {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
  %3 = dnnf.squeeze %2 {axes = array<i64: 0>} : (tensor<1x2x3xf32>) -> tensor<2x3xf32>
  return %1, %3 : tensor<2x1x3xf32>, tensor<2x3xf32>
}

// -----

// The pair moves the unit dim: not a cancellation, one reshape instead
// (reshape-chain).
// CHECK-LABEL: func.func @squeeze_unsqueeze_other_axis
// CHECK-SAME: (%[[X:.*]]: tensor<2x1x3xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.reshape %[[X]] : tensor<2x1x3xf32> to tensor<2x3x1xf32>
// CHECK-NEXT: return %[[R]]
func.func @squeeze_unsqueeze_other_axis(%x: tensor<2x1x3xf32>) -> tensor<2x3x1xf32> {
  %0 = dnnf.squeeze %x {axes = array<i64: 1>} : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  %1 = dnnf.unsqueeze %0 {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
  return %1 : tensor<2x3x1xf32>
}

// -----

// reshape-chain: flatten(reshape(x)) -> reshape(x).
// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.reshape %[[X]] : tensor<2x3x4xf32> to tensor<6x4xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %0 = dnnf.reshape %x : tensor<2x3x4xf32> to tensor<24xf32>
  %1 = dnnf.reshape %0 : tensor<24xf32> to tensor<6x4xf32>
  %2 = dnnf.flatten %1 {axis = 1 : i64} : (tensor<6x4xf32>) -> tensor<6x4xf32>
  return %2 : tensor<6x4xf32>
}

// -----

// The intermediate reshape has another use: it stays (and the chain saves
// nothing).
// CHECK-LABEL: func.func @reshape_chain_multi_use
// CHECK: dnnf.reshape %{{.*}} : tensor<2x3x4xf32> to tensor<24xf32>
// CHECK: dnnf.reshape %{{.*}} : tensor<24xf32> to tensor<6x4xf32>
func.func @reshape_chain_multi_use(%x: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<24xf32>) {
  %0 = dnnf.reshape %x : tensor<2x3x4xf32> to tensor<24xf32>
  %1 = dnnf.reshape %0 : tensor<24xf32> to tensor<6x4xf32>
  return %1, %0 : tensor<6x4xf32>, tensor<24xf32>
}

// -----

// reduce-unit-axes: reducing a size-1 axis is a reshape.
// CHECK-LABEL: func.func @reduce_unit_axes
// CHECK-SAME: (%[[X:.*]]: tensor<2x1x3xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.reshape %[[X]] : tensor<2x1x3xf32> to tensor<2x3xf32>
// CHECK-NEXT: return %[[X]], %[[R]]
func.func @reduce_unit_axes(%x: tensor<2x1x3xf32>) -> (tensor<2x1x3xf32>, tensor<2x3xf32>) {
  %0 = dnnf.reduce_max %x {axes = array<i64: 1>} : (tensor<2x1x3xf32>) -> tensor<2x1x3xf32>
  %1 = dnnf.reduce_sum %x {axes = array<i64: -2>, keepdims = false} : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x1x3xf32>, tensor<2x3xf32>
}

// -----

// Axis 0 has size 2: a real reduction.
// CHECK-LABEL: func.func @reduce_real_axis
// CHECK: dnnf.reduce_sum
func.func @reduce_real_axis(%x: tensor<2x1x3xf32>) -> tensor<1x1x3xf32> {
  %0 = dnnf.reduce_sum %x {axes = array<i64: 0, 1>} : (tensor<2x1x3xf32>) -> tensor<1x1x3xf32>
  return %0 : tensor<1x1x3xf32>
}

// -----

// matmul-transpose-to-gemm: the transposes become Gemm's operand order.
// CHECK-LABEL: func.func @matmul_transpose_to_gemm
// CHECK-SAME: (%[[A:.*]]: tensor<3x2xf32>, %[[B:.*]]: tensor<4x3xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.gemm %[[A]], %[[B]] {transA = true, transB = true}
// CHECK-NEXT: return %[[R]]
func.func @matmul_transpose_to_gemm(%a: tensor<3x2xf32>, %b: tensor<4x3xf32>) -> tensor<2x4xf32> {
  %ta = dnnf.transpose %a {perm = array<i64: 1, 0>} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  %tb = dnnf.transpose %b {perm = array<i64: 1, 0>} : (tensor<4x3xf32>) -> tensor<3x4xf32>
  %0 = dnnf.matmul %ta, %tb : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Batched operands: Gemm is 2-D only.  The transpose has another use.
// CHECK-LABEL: func.func @matmul_transpose_not_gemm
// CHECK-COUNT-2: dnnf.matmul
// CHECK-NOT: dnnf.gemm
func.func @matmul_transpose_not_gemm(%a: tensor<5x3x2xf32>, %b: tensor<5x3x4xf32>, %c: tensor<3x2xf32>, %d: tensor<3x4xf32>) -> (tensor<5x2x4xf32>, tensor<2x4xf32>, tensor<2x3xf32>) {
  %ta = dnnf.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<5x3x2xf32>) -> tensor<5x2x3xf32>
  %0 = dnnf.matmul %ta, %b : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  %tc = dnnf.transpose %c {perm = array<i64: 1, 0>} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  %1 = dnnf.matmul %tc, %d : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0, %1, %tc : tensor<5x2x4xf32>, tensor<2x4xf32>, tensor<2x3xf32>
}

// -----

// gemm-absorb-transpose.
// CHECK-LABEL: func.func @gemm_absorb_transpose
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3x4xf32>, %[[C:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.gemm %[[A]], %[[B]], %[[C]] {alpha = 2.000000e+00 : f32} :
// CHECK-NEXT: return %[[R]]
func.func @gemm_absorb_transpose(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %ta = dnnf.transpose %a {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %0 = dnnf.gemm %ta, %b, %c {alpha = 2.0 : f32, transA = true} : (tensor<3x2xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// The transpose is used elsewhere: the copy stays anyway.
// CHECK-LABEL: func.func @gemm_absorb_transpose_multi_use
// CHECK: dnnf.transpose
// CHECK: dnnf.gemm %{{.*}}, %{{.*}} : (tensor<3x2xf32>, tensor<2x4xf32>)
func.func @gemm_absorb_transpose_multi_use(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>) {
  %ta = dnnf.transpose %a {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %0 = dnnf.gemm %ta, %b : (tensor<3x2xf32>, tensor<2x4xf32>) -> tensor<3x4xf32>
  return %0, %ta : tensor<3x4xf32>, tensor<3x2xf32>
}

// -----

// matmul-transpose-both: A^T B^T = (B A)^T, one transpose instead of two.
// CHECK-LABEL: func.func @matmul_transpose_both
// CHECK-SAME: (%[[A:.*]]: tensor<5x3x2xf32>, %[[B:.*]]: tensor<5x4x3xf32>)
// CHECK-NEXT: %[[M:.*]] = dnnf.matmul %[[B]], %[[A]] : (tensor<5x4x3xf32>, tensor<5x3x2xf32>) -> tensor<5x4x2xf32>
// CHECK-NEXT: %[[T:.*]] = dnnf.transpose %[[M]] {perm = array<i64: 0, 2, 1>}
// CHECK-NEXT: return %[[T]]
func.func @matmul_transpose_both(%a: tensor<5x3x2xf32>, %b: tensor<5x4x3xf32>) -> tensor<5x2x4xf32> {
  %ta = dnnf.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<5x3x2xf32>) -> tensor<5x2x3xf32>
  %tb = dnnf.transpose %b {perm = array<i64: 0, 2, 1>} : (tensor<5x4x3xf32>) -> tensor<5x3x4xf32>
  %0 = dnnf.matmul %ta, %tb : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  return %0 : tensor<5x2x4xf32>
}

// -----

// Only one operand is transposed.
// CHECK-LABEL: func.func @matmul_transpose_one
// CHECK: dnnf.transpose
// CHECK-NEXT: dnnf.matmul
// CHECK-NEXT: return
func.func @matmul_transpose_one(%a: tensor<5x3x2xf32>, %b: tensor<5x3x4xf32>) -> tensor<5x2x4xf32> {
  %ta = dnnf.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<5x3x2xf32>) -> tensor<5x2x3xf32>
  %0 = dnnf.matmul %ta, %b : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  return %0 : tensor<5x2x4xf32>
}

// -----

// fold-constant-expression: constant subexpressions are computed.
// CHECK-LABEL: func.func @fold_constant_expression
// CHECK-NEXT: %[[C:.*]] = dnnf.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK-NEXT: return %[[C]]
func.func @fold_constant_expression() -> tensor<2xf32> {
  %a = dnnf.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %b = dnnf.constant dense<1.0> : tensor<f32>
  %0 = dnnf.add %a, %b : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  %1 = dnnf.reciprocal %0 : tensor<2xf32>
  return %1 : tensor<2xf32>
}

// -----

// Constants above max-fold-elements are not computed at compile time.
// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify=max-fold-elements=2 | FileCheck %s --check-prefix=LIMIT
// LIMIT-LABEL: func.func @fold_constant_too_large
// LIMIT: dnnf.add
// CHECK-LABEL: func.func @fold_constant_too_large
// CHECK-NOT: dnnf.add
func.func @fold_constant_too_large() -> tensor<3xf32> {
  %a = dnnf.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = dnnf.constant dense<[1.0, 2.5, 3.0]> : tensor<3xf32>
  %0 = dnnf.add %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
