// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify | FileCheck %s

// Distributive rules: for every rule, one function where it fires and one
// where a precondition fails.

// factor-common-mul, DNNFusion distributive row 1: A*B + A*C -> A*(B+C).
// CHECK-LABEL: func.func @factor_common_mul
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<4x8xf32>, %[[C:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[S:.*]] = dnnf.add %[[B]], %[[C]]
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[A]], %[[S]]
// CHECK-NEXT: return %[[R]]
func.func @factor_common_mul(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = dnnf.mul %a, %b : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = dnnf.mul %c, %a : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = dnnf.add %0, %1 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}

// -----

// Both products are used elsewhere: factoring would add work.
// CHECK-LABEL: func.func @factor_common_mul_multi_use
// CHECK-COUNT-2: dnnf.mul
// CHECK: dnnf.add
func.func @factor_common_mul_multi_use(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>, %c: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = dnnf.mul %a, %b : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = dnnf.mul %a, %c : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = dnnf.add %0, %1 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %2, %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// factor-common-mul, DNNFusion distributive row 3:
// Square(A+B) - (A+B)*C -> (A+B) * ((A+B) - C), with Square(X) = X*X.
// CHECK-LABEL: func.func @factor_square_minus
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>, %[[C:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[X:.*]] = dnnf.add %[[A]], %[[B]]
// CHECK-NEXT: %[[D:.*]] = dnnf.sub %[[X]], %[[C]]
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[X]], %[[D]]
// CHECK-NEXT: return %[[R]]
func.func @factor_square_minus(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xf32>) -> tensor<4xf32> {
  %x = dnnf.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %two = dnnf.constant dense<2.0> : tensor<f32>
  %sq = dnnf.pow %x, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %xc = dnnf.mul %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %0 = dnnf.sub %sq, %xc : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// No common factor.
// CHECK-LABEL: func.func @factor_no_common
// CHECK-COUNT-2: dnnf.mul
// CHECK: dnnf.add
func.func @factor_no_common(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xf32>, %d: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.mul %c, %d : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = dnnf.add %0, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// factor-common-mul on integers, with a common factor inside a longer
// chain: x*c1*y + x*c2 -> x*(c1*y + c2).
// CHECK-LABEL: func.func @factor_common_chain_int
// CHECK-SAME: (%[[X:.*]]: tensor<4xi32>, %[[Y:.*]]: tensor<4xi32>)
// CHECK-DAG: %[[C3:.*]] = dnnf.constant dense<3> : tensor<i32>
// CHECK-DAG: %[[C5:.*]] = dnnf.constant dense<5> : tensor<i32>
// CHECK: %[[M:.*]] = dnnf.mul %[[C3]], %[[Y]]
// CHECK-NEXT: %[[S:.*]] = dnnf.add %[[M]], %[[C5]]
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[X]], %[[S]]
// CHECK-NEXT: return %[[R]]
func.func @factor_common_chain_int(%x: tensor<4xi32>, %y: tensor<4xi32>) -> tensor<4xi32> {
  %c3 = dnnf.constant dense<3> : tensor<i32>
  %c5 = dnnf.constant dense<5> : tensor<i32>
  %0 = dnnf.mul %x, %c3 : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %1 = dnnf.mul %0, %y : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = dnnf.mul %c5, %x : (tensor<i32>, tensor<4xi32>) -> tensor<4xi32>
  %3 = dnnf.add %1, %2 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %3 : tensor<4xi32>
}

// -----

// Broadcasting: A*B + A*C with a small common factor.  The result shape
// is kept (the factored form computes B + C at full size, then scales).
// CHECK-LABEL: func.func @factor_common_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<4x8xf32>, %[[C:.*]]: tensor<4x1xf32>)
// CHECK-NEXT: %[[S:.*]] = dnnf.add %[[B]], %[[C]] : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[A]], %[[S]] : (tensor<8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: return %[[R]]
func.func @factor_common_broadcast(%a: tensor<8xf32>, %b: tensor<4x8xf32>, %c: tensor<4x1xf32>) -> tensor<4x8xf32> {
  %0 = dnnf.mul %a, %b : (tensor<8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = dnnf.mul %a, %c : (tensor<8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %2 = dnnf.add %0, %1 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}

// -----

// factor-add-self, DNNFusion distributive row 2: A + A*B -> A*(B+1);
// A - A*B -> A*(1-B).
// CHECK-LABEL: func.func @factor_add_self
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[ONE:.*]] = dnnf.constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[S:.*]] = dnnf.add %[[ONE]], %[[B]]
// CHECK-DAG: %[[X:.*]] = dnnf.mul %[[A]], %[[S]]
// CHECK-DAG: %[[D:.*]] = dnnf.sub %{{.*}}, %[[B]]
// CHECK-DAG: %[[Y:.*]] = dnnf.mul %[[A]], %[[D]]
// CHECK: return %[[X]], %[[Y]]
func.func @factor_add_self(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = dnnf.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.add %a, %0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = dnnf.mul %b, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = dnnf.sub %a, %2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1, %3 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A*B is used elsewhere: A must be read for it anyway.
// CHECK-LABEL: func.func @factor_add_self_multi_use
// CHECK: %[[P:.*]] = dnnf.mul %arg0, %arg1
// CHECK-NEXT: %[[S:.*]] = dnnf.add %arg0, %[[P]]
// CHECK-NEXT: return %[[S]], %[[P]]
func.func @factor_add_self_multi_use(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = dnnf.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.add %a, %0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1, %0 : tensor<4xf32>, tensor<4xf32>
}

// -----

// factor-common-div: A/C + B/C -> (A+B)/C.
// CHECK-LABEL: func.func @factor_common_div
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>, %[[C:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[S:.*]] = dnnf.sub %[[A]], %[[B]]
// CHECK-NEXT: %[[R:.*]] = dnnf.div %[[S]], %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @factor_common_div(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.div %a, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = dnnf.div %b, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = dnnf.sub %0, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// Integer division truncates: a/c + b/c != (a+b)/c.
// CHECK-LABEL: func.func @factor_common_div_int
// CHECK-COUNT-2: dnnf.div
// CHECK: dnnf.add
func.func @factor_common_div_int(%a: tensor<4xi32>, %b: tensor<4xi32>, %c: tensor<4xi32>) -> tensor<4xi32> {
  %0 = dnnf.div %a, %c : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = dnnf.div %b, %c : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = dnnf.add %0, %1 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %2 : tensor<4xi32>
}

// -----

// expand-affine-constant: (x*c0 + c1) * c2 -> x*(c0*c2) + c1*c2, and
// (y + c1) * c2 + c3 -> y*c2 + (c1*c2 + c3).
// CHECK-LABEL: func.func @expand_affine_constant
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[C6:.*]] = dnnf.constant dense<6.000000e+00> : tensor<f32>
// CHECK-DAG: %[[C12:.*]] = dnnf.constant dense<1.200000e+01> : tensor<f32>
// CHECK-DAG: %[[M:.*]] = dnnf.mul %[[X]], %[[C6]]
// CHECK-DAG: %[[R:.*]] = dnnf.add %[[M]], %[[C12]]
// CHECK-DAG: %[[C3:.*]] = dnnf.constant dense<3.000000e+00> : tensor<f32>
// CHECK-DAG: %[[C10:.*]] = dnnf.constant dense<1.000000e+01> : tensor<f32>
// CHECK-DAG: %[[N:.*]] = dnnf.mul %[[Y]], %[[C3]]
// CHECK-DAG: %[[S:.*]] = dnnf.add %[[N]], %[[C10]]
// CHECK: return %[[R]], %[[S]]
func.func @expand_affine_constant(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %c2 = dnnf.constant dense<2.0> : tensor<f32>
  %c4 = dnnf.constant dense<4.0> : tensor<f32>
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.mul %x, %c2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.add %0, %c4 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = dnnf.mul %1, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = dnnf.add %y, %c2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %4 = dnnf.mul %c3, %3 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %5 = dnnf.add %4, %c4 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %2, %5 : tensor<4xf32>, tensor<4xf32>
}

// -----

// (y + c1) * c2 alone: expanding saves nothing.
// CHECK-LABEL: func.func @expand_affine_no_gain
// CHECK: %[[S:.*]] = dnnf.add %arg0
// CHECK-NEXT: %[[R:.*]] = dnnf.mul %[[S]]
// CHECK-NEXT: return %[[R]]
func.func @expand_affine_no_gain(%y: tensor<4xf32>) -> tensor<4xf32> {
  %c2 = dnnf.constant dense<2.0> : tensor<f32>
  %c3 = dnnf.constant dense<3.0> : tensor<f32>
  %0 = dnnf.add %y, %c2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = dnnf.mul %0, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// expand-affine-constant with a MatMul producer: the scale folds into the
// weights, (x W + b) * s -> x (W s) + b s (as in BERT's attention scale).
// CHECK-LABEL: func.func @expand_affine_into_matmul
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3xf32>)
// CHECK-DAG: %[[W:.*]] = dnnf.constant dense<{{\[}}[2.000000e+00, 4.000000e+00], [6.000000e+00, 8.000000e+00], [1.000000e+01, 1.200000e+01]]> : tensor<3x2xf32>
// CHECK-DAG: %[[B:.*]] = dnnf.constant dense<[2.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[M:.*]] = dnnf.matmul %[[X]], %[[W]]
// CHECK: %[[R:.*]] = dnnf.add %[[M]], %[[B]]
// CHECK-NEXT: return %[[R]]
func.func @expand_affine_into_matmul(%x: tensor<1x2x3xf32>) -> tensor<1x2x2xf32> {
  %w = dnnf.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %b = dnnf.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %s = dnnf.constant dense<2.0> : tensor<f32>
  %0 = dnnf.matmul %x, %w : (tensor<1x2x3xf32>, tensor<3x2xf32>) -> tensor<1x2x2xf32>
  %1 = dnnf.add %b, %0 : (tensor<2xf32>, tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %2 = dnnf.mul %1, %s : (tensor<1x2x2xf32>, tensor<f32>) -> tensor<1x2x2xf32>
  return %2 : tensor<1x2x2xf32>
}

// -----

// factor-common-matmul: A B + A C -> A (B + C); A C - B C -> (A - B) C.
// CHECK-LABEL: func.func @factor_common_matmul
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3x4xf32>, %[[C:.*]]: tensor<3x4xf32>, %[[D:.*]]: tensor<2x3xf32>)
// CHECK-DAG: %[[S:.*]] = dnnf.add %[[B]], %[[C]]
// CHECK-DAG: %[[X:.*]] = dnnf.matmul %[[A]], %[[S]]
// CHECK-DAG: %[[T:.*]] = dnnf.sub %[[A]], %[[D]]
// CHECK-DAG: %[[Y:.*]] = dnnf.matmul %[[T]], %[[B]]
// CHECK: return %[[X]], %[[Y]]
func.func @factor_common_matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<3x4xf32>, %d: tensor<2x3xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %0 = dnnf.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %1 = dnnf.matmul %a, %c : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %2 = dnnf.add %0, %1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %3 = dnnf.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %4 = dnnf.matmul %d, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %5 = dnnf.sub %3, %4 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %2, %5 : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// B and C have different shapes (C broadcasts in the product).
// CHECK-LABEL: func.func @factor_common_matmul_shapes
// CHECK-COUNT-2: dnnf.matmul
func.func @factor_common_matmul_shapes(%a: tensor<2x3xf32>, %b: tensor<5x3x4xf32>, %c: tensor<3x4xf32>) -> tensor<5x2x4xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  %1 = dnnf.matmul %a, %c : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %2 = dnnf.add %0, %1 : (tensor<5x2x4xf32>, tensor<2x4xf32>) -> tensor<5x2x4xf32>
  return %2 : tensor<5x2x4xf32>
}

// -----

// factor-common-conv: conv(x, W1, b1) + conv(x, W2) -> conv(x, W1+W2, b1).
// CHECK-LABEL: func.func @factor_common_conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x5x5xf32>, %[[W1:.*]]: tensor<3x2x3x3xf32>, %[[W2:.*]]: tensor<3x2x3x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK-NEXT: %[[W:.*]] = dnnf.add %[[W1]], %[[W2]]
// CHECK-NEXT: %[[R:.*]] = dnnf.conv %[[X]], %[[W]], %[[B]]
// CHECK-NEXT: return %[[R]]
func.func @factor_common_conv(%x: tensor<1x2x5x5xf32>, %w1: tensor<3x2x3x3xf32>, %w2: tensor<3x2x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x5x5xf32> {
  %0 = dnnf.conv %x, %w1, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x5x5xf32>
  %1 = dnnf.conv %x, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x5x5xf32>
  %2 = dnnf.add %0, %1 : (tensor<1x3x5x5xf32>, tensor<1x3x5x5xf32>) -> tensor<1x3x5x5xf32>
  return %2 : tensor<1x3x5x5xf32>
}

// -----

// Different strides: not the same linear map.
// CHECK-LABEL: func.func @factor_common_conv_attrs
// CHECK-COUNT-2: dnnf.conv
func.func @factor_common_conv_attrs(%x: tensor<1x2x5x5xf32>, %w1: tensor<3x2x3x3xf32>, %w2: tensor<3x2x3x3xf32>) -> tensor<1x3x3x3xf32> {
  %0 = dnnf.conv %x, %w1 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x3x3xf32>
  %1 = dnnf.conv %x, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x3x3xf32>
  %2 = dnnf.add %0, %1 : (tensor<1x3x3x3xf32>, tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  return %2 : tensor<1x3x3x3xf32>
}
