// RUN: dnnf-opt %s -split-input-file -dnnf-algebraic-simplify | FileCheck %s

// Folding constants into Conv, Gemm, MatMul and BatchNormalization: for
// every rule, one function where it fires and one where a precondition
// fails.

// fold-batchnorm-into-conv: W' = W * s, b' = (b - mean) * s + beta with
// s = gamma / sqrt(var + eps) = [2, 0.5].
// CHECK-LABEL: func.func @fold_batchnorm_into_conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x3x3xf32>)
// CHECK-DAG: %[[W:.*]] = dnnf.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[-5.000000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = dnnf.constant dense<[1.000000e+00, 1.500000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = dnnf.conv %[[X]], %[[W]], %[[B]]
// CHECK-NEXT: return %[[C]]
func.func @fold_batchnorm_into_conv(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = dnnf.constant dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %b = dnnf.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %gamma = dnnf.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = dnnf.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %mean = dnnf.constant dense<[0.0, 2.0]> : tensor<2xf32>
  %var = dnnf.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %0 = dnnf.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %1 = dnnf.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// -----

// The conv result is used elsewhere; the weights are not constants.
// CHECK-LABEL: func.func @fold_batchnorm_into_conv_negative
// CHECK-COUNT-2: dnnf.batch_norm
func.func @fold_batchnorm_into_conv_negative(%x: tensor<1x1x3x3xf32>, %wv: tensor<2x1x1x1xf32>, %p: tensor<2xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %w = dnnf.constant dense<1.0> : tensor<2x1x1x1xf32>
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = dnnf.batch_norm %0, %p, %p, %p, %p : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %2 = dnnf.conv %x, %wv {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %c = dnnf.constant dense<1.0> : tensor<2xf32>
  %3 = dnnf.batch_norm %2, %c, %c, %c, %c : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1, %3, %0 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// fold-mul-into-conv and fold-add-into-conv: (conv * c1) + c2 with per
// channel constants (c1 = [2, 3], c2 = [10, 20]).
// CHECK-LABEL: func.func @fold_mul_add_into_conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x3x3xf32>)
// CHECK-DAG: %[[W:.*]] = dnnf.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = dnnf.constant dense<[1.000000e+01, 2.000000e+01]> : tensor<2xf32>
// CHECK: %[[C:.*]] = dnnf.conv %[[X]], %[[W]], %[[B]]
// CHECK-NEXT: return %[[C]]
func.func @fold_mul_add_into_conv(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = dnnf.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c1 = dnnf.constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %c2 = dnnf.constant dense<[[[10.0]], [[20.0]]]> : tensor<2x1x1xf32>
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = dnnf.mul %0, %c1 : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %2 = dnnf.add %c2, %1 : (tensor<2x1x1xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %2 : tensor<1x2x3x3xf32>
}

// -----

// The constants vary along the spatial axes, not per channel.
// CHECK-LABEL: func.func @fold_into_conv_not_per_channel
// CHECK: dnnf.conv
// CHECK-NEXT: dnnf.mul
// CHECK: dnnf.add
func.func @fold_into_conv_not_per_channel(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = dnnf.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = dnnf.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = dnnf.mul %0, %c : (tensor<1x2x3x3xf32>, tensor<3xf32>) -> tensor<1x2x3x3xf32>
  %2 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %3 = dnnf.add %2, %c : (tensor<1x2x3x3xf32>, tensor<3xf32>) -> tensor<1x2x3x3xf32>
  %4 = dnnf.add %1, %3 : (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %4 : tensor<1x2x3x3xf32>
}

// -----

// fold-affine-into-batchnorm: BN(x) * c + d (per channel) -> one BN with
// gamma * c and beta * c + d.
// CHECK-LABEL: func.func @fold_affine_into_batchnorm
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x3xf32>, %[[M:.*]]: tensor<2xf32>, %[[V:.*]]: tensor<2xf32>)
// CHECK-DAG: %[[G:.*]] = dnnf.constant dense<[2.000000e+00, 6.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[B:.*]] = dnnf.constant dense<[1.000000e+00, 7.000000e+00]> : tensor<2xf32>
// CHECK: %[[R:.*]] = dnnf.batch_norm %[[X]], %[[G]], %[[B]], %[[M]], %[[V]]
// CHECK-NEXT: return %[[R]]
func.func @fold_affine_into_batchnorm(%x: tensor<1x2x3x3xf32>, %mean: tensor<2xf32>, %var: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %gamma = dnnf.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = dnnf.constant dense<[0.0, 2.0]> : tensor<2xf32>
  %c = dnnf.constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %d = dnnf.constant dense<1.0> : tensor<f32>
  %0 = dnnf.batch_norm %x, %gamma, %beta, %mean, %var : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %1 = dnnf.mul %0, %c : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %2 = dnnf.add %1, %d : (tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  return %2 : tensor<1x2x3x3xf32>
}

// -----

// gamma is not a constant.
// CHECK-LABEL: func.func @fold_affine_into_batchnorm_negative
// CHECK: dnnf.batch_norm
// CHECK-NEXT: dnnf.mul
func.func @fold_affine_into_batchnorm_negative(%x: tensor<1x2x3x3xf32>, %p: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %c = dnnf.constant dense<2.0> : tensor<f32>
  %0 = dnnf.batch_norm %x, %p, %p, %p, %p : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %1 = dnnf.mul %0, %c : (tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// -----

// fold-batchnorm-into-gemm: per output column, B' = B * s and
// C' = (beta_gemm * C - mean) * s + bias; here s = [2, 1].
// CHECK-LABEL: func.func @fold_batchnorm_into_gemm
// CHECK-SAME: (%[[A:.*]]: tensor<3x2xf32>)
// CHECK-DAG: %[[B:.*]] = dnnf.constant dense<{{\[}}[2.000000e+00, 2.000000e+00], [6.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[C:.*]] = dnnf.constant dense<[3.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: %[[R:.*]] = dnnf.gemm %[[A]], %[[B]], %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @fold_batchnorm_into_gemm(%a: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = dnnf.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %c = dnnf.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %gamma = dnnf.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = dnnf.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %mean = dnnf.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %var = dnnf.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %0 = dnnf.gemm %a, %b, %c : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %1 = dnnf.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 0.0 : f32} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// B is not a constant.
// CHECK-LABEL: func.func @fold_batchnorm_into_gemm_negative
// CHECK: dnnf.gemm
// CHECK-NEXT: dnnf.batch_norm
func.func @fold_batchnorm_into_gemm_negative(%a: tensor<3x2xf32>, %b: tensor<2x2xf32>) -> tensor<3x2xf32> {
  %p = dnnf.constant dense<1.0> : tensor<2xf32>
  %0 = dnnf.gemm %a, %b : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %1 = dnnf.batch_norm %0, %p, %p, %p, %p : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// fold-mul-into-gemm (transB: the columns of the output are rows of B),
// then fold-add-into-gemm.
// CHECK-LABEL: func.func @fold_mul_add_into_gemm
// CHECK-SAME: (%[[A:.*]]: tensor<3x2xf32>)
// CHECK-DAG: %[[B:.*]] = dnnf.constant dense<{{\[}}[2.000000e+00, 4.000000e+00], [-3.000000e+00, -4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[C:.*]] = dnnf.constant dense<{{\[}}[5.000000e+00, 4.000000e+00]]> : tensor<1x2xf32>
// CHECK: %[[R:.*]] = dnnf.gemm %[[A]], %[[B]], %[[C]] {transB = true}
// CHECK-NEXT: return %[[R]]
func.func @fold_mul_add_into_gemm(%a: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = dnnf.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %s = dnnf.constant dense<[2.0, -1.0]> : tensor<2xf32>
  %d = dnnf.constant dense<[[5.0, 4.0]]> : tensor<1x2xf32>
  %0 = dnnf.gemm %a, %b {transB = true} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %1 = dnnf.mul %s, %0 : (tensor<2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %2 = dnnf.add %1, %d : (tensor<3x2xf32>, tensor<1x2xf32>) -> tensor<3x2xf32>
  return %2 : tensor<3x2xf32>
}

// -----

// A scale per row (3 x 1) is not a scale of B's columns; the Gemm is used
// elsewhere.
// CHECK-LABEL: func.func @fold_into_gemm_negative
// CHECK: dnnf.gemm
// CHECK-NEXT: dnnf.mul
// CHECK: dnnf.gemm
// CHECK-NEXT: dnnf.add
func.func @fold_into_gemm_negative(%a: tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>) {
  %b = dnnf.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %s = dnnf.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %0 = dnnf.gemm %a, %b : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %1 = dnnf.mul %0, %s : (tensor<3x2xf32>, tensor<3x1xf32>) -> tensor<3x2xf32>
  %2 = dnnf.gemm %a, %b : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %3 = dnnf.add %2, %s : (tensor<3x2xf32>, tensor<3x1xf32>) -> tensor<3x2xf32>
  return %1, %3, %2 : tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// fold-mul-into-matmul: MatMul(x, W) * c, c per output column.
// CHECK-LABEL: func.func @fold_mul_into_matmul
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x2xf32>)
// CHECK-NEXT: %[[W:.*]] = dnnf.constant dense<{{\[}}[2.000000e+00, 6.000000e+00], [6.000000e+00, 1.200000e+01]]> : tensor<2x2xf32>
// CHECK-NEXT: %[[R:.*]] = dnnf.matmul %[[X]], %[[W]]
// CHECK-NEXT: return %[[R]]
func.func @fold_mul_into_matmul(%x: tensor<1x4x2xf32>) -> tensor<1x4x2xf32> {
  %w = dnnf.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %c = dnnf.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %0 = dnnf.matmul %x, %w : (tensor<1x4x2xf32>, tensor<2x2xf32>) -> tensor<1x4x2xf32>
  %1 = dnnf.mul %0, %c : (tensor<1x4x2xf32>, tensor<2xf32>) -> tensor<1x4x2xf32>
  return %1 : tensor<1x4x2xf32>
}

// -----

// The scale varies along the rows (axis -2).
// CHECK-LABEL: func.func @fold_mul_into_matmul_rows
// CHECK: dnnf.matmul
// CHECK-NEXT: dnnf.mul
func.func @fold_mul_into_matmul_rows(%x: tensor<1x4x2xf32>) -> tensor<1x4x2xf32> {
  %w = dnnf.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %c = dnnf.constant dense<[[1.0], [2.0], [3.0], [4.0]]> : tensor<4x1xf32>
  %0 = dnnf.matmul %x, %w : (tensor<1x4x2xf32>, tensor<2x2xf32>) -> tensor<1x4x2xf32>
  %1 = dnnf.mul %0, %c : (tensor<1x4x2xf32>, tensor<4x1xf32>) -> tensor<1x4x2xf32>
  return %1 : tensor<1x4x2xf32>
}

// -----

// matmul-add-to-gemm: a 2-D MatMul plus a bias is a Gemm.
// CHECK-LABEL: func.func @matmul_add_to_gemm
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<4x5xf32>, %[[C:.*]]: tensor<5xf32>)
// CHECK-NEXT: %[[R:.*]] = dnnf.gemm %[[A]], %[[B]], %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @matmul_add_to_gemm(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<5xf32>) -> tensor<3x5xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %1 = dnnf.add %c, %0 : (tensor<5xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
  return %1 : tensor<3x5xf32>
}

// -----

// Batched (3-D) MatMul: Gemm is 2-D only; the bias broadcasts the product
// to a larger shape.
// CHECK-LABEL: func.func @matmul_add_not_gemm
// CHECK-NOT: dnnf.gemm
func.func @matmul_add_not_gemm(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<5xf32>, %d: tensor<3x4xf32>, %e: tensor<2x3x5xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>) {
  %0 = dnnf.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  %1 = dnnf.add %0, %c : (tensor<2x3x5xf32>, tensor<5xf32>) -> tensor<2x3x5xf32>
  %2 = dnnf.matmul %d, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %3 = dnnf.add %2, %e : (tensor<3x5xf32>, tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %1, %3 : tensor<2x3x5xf32>, tensor<2x3x5xf32>
}

// -----

// fold-scale-into-matmul-input: the 0.5 of GELU before the second MLP
// MatMul folds into its weights; a per-K scale folds into W's rows; a
// scalar scale folds into Gemm's B.
// CHECK-LABEL: func.func @fold_scale_into_matmul_input
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x2xf32>, %[[Y:.*]]: tensor<3x2xf32>)
// CHECK-DAG: %[[W:.*]] = dnnf.constant dense<{{\[}}[5.000000e-01, 1.000000e+00], [1.500000e+00, 2.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[V:.*]] = dnnf.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [9.000000e+00, 1.200000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.*]] = dnnf.constant dense<{{\[}}[2.000000e+00, 4.000000e+00], [6.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[M:.*]] = dnnf.matmul %[[X]], %[[W]]
// CHECK-DAG: %[[N:.*]] = dnnf.matmul %[[X]], %[[V]]
// CHECK-DAG: %[[G:.*]] = dnnf.gemm %[[Y]], %[[B]] {transB = true}
// CHECK: return %[[M]], %[[N]], %[[G]]
func.func @fold_scale_into_matmul_input(%x: tensor<1x3x2xf32>, %y: tensor<3x2xf32>) -> (tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<3x2xf32>) {
  %w = dnnf.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %half = dnnf.constant dense<0.5> : tensor<f32>
  %k = dnnf.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %two = dnnf.constant dense<2.0> : tensor<f32>
  %0 = dnnf.mul %x, %half : (tensor<1x3x2xf32>, tensor<f32>) -> tensor<1x3x2xf32>
  %1 = dnnf.matmul %0, %w : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %2 = dnnf.mul %k, %x : (tensor<2xf32>, tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
  %3 = dnnf.matmul %2, %w : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %4 = dnnf.mul %y, %two : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  %5 = dnnf.gemm %4, %w {transB = true} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %1, %3, %5 : tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<3x2xf32>
}

// -----

// The scale varies along the rows of x (not the reduced dimension); the
// scaled input is used elsewhere; the weights are not constant.
// CHECK-LABEL: func.func @fold_scale_into_matmul_input_negative
// CHECK-COUNT-3: dnnf.mul
func.func @fold_scale_into_matmul_input_negative(%x: tensor<3x2xf32>, %v: tensor<2x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>) {
  %w = dnnf.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %r = dnnf.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %half = dnnf.constant dense<0.5> : tensor<f32>
  %0 = dnnf.mul %x, %r : (tensor<3x2xf32>, tensor<3x1xf32>) -> tensor<3x2xf32>
  %1 = dnnf.matmul %0, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %2 = dnnf.mul %x, %half : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  %3 = dnnf.matmul %2, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %4 = dnnf.mul %x, %half : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  %5 = dnnf.matmul %4, %v : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %1, %3, %5, %2 : tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// fold-scale-into-conv-input: a per-input-channel scale folds into the
// weights' input-channel slices (the zero padding stays zero).
// CHECK-LABEL: func.func @fold_scale_into_conv_input
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x3xf32>)
// CHECK-NEXT: %[[W:.*]] = dnnf.constant dense<{{\[}}[{{\[}}[2.000000e+00]], {{\[}}[3.000000e+00]]]]> : tensor<1x2x1x1xf32>
// CHECK-NEXT: %[[C:.*]] = dnnf.conv %[[X]], %[[W]] {{.*}}pads = array<i64: 1, 1, 1, 1>
// CHECK-NEXT: return %[[C]]
func.func @fold_scale_into_conv_input(%x: tensor<1x2x3x3xf32>) -> tensor<1x1x5x5xf32> {
  %w = dnnf.constant dense<1.0> : tensor<1x2x1x1xf32>
  %c = dnnf.constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %0 = dnnf.mul %x, %c : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = dnnf.conv %0, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x5x5xf32>
  return %1 : tensor<1x1x5x5xf32>
}

// -----

// Grouped convolution (group = 2) and a spatially varying scale: kept.
// CHECK-LABEL: func.func @fold_scale_into_conv_input_negative
// CHECK-COUNT-2: dnnf.mul
func.func @fold_scale_into_conv_input_negative(%x: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x1x3x3xf32>) {
  %w = dnnf.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = dnnf.constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %0 = dnnf.mul %x, %c : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = dnnf.conv %0, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %s = dnnf.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %w2 = dnnf.constant dense<1.0> : tensor<1x2x1x1xf32>
  %2 = dnnf.mul %x, %s : (tensor<1x2x3x3xf32>, tensor<3xf32>) -> tensor<1x2x3x3xf32>
  %3 = dnnf.conv %2, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x3x3xf32>
  return %1, %3 : tensor<1x2x3x3xf32>, tensor<1x1x3x3xf32>
}
