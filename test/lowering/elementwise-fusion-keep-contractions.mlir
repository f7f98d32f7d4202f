// RUN: dnnf-opt %s -convert-dnnf-to-linalg -dnnf-conv-to-matmul -dnnf-elementwise-fusion=keep-contractions=1 | FileCheck %s
// RUN: dnnf-opt %s -convert-dnnf-to-linalg -dnnf-conv-to-matmul -dnnf-elementwise-fusion | FileCheck %s --check-prefix=DEFAULT

// A 3x3 convolution as im2col + matmul (dnnf-conv-to-matmul).  With
// keep-contractions (the GPU path, which tiles matmuls on buffers) the
// im2col gather and the reshapes stay outside the matmul; by default
// reshape propagation and fusion fold them into one generic, a direct
// convolution again.

// CHECK-LABEL: func.func @main
// CHECK:         %[[COL:.*]] = linalg.generic
// CHECK:         tensor.collapse_shape %[[COL]]
// CHECK:         linalg.matmul

// DEFAULT-LABEL: func.func @main
// DEFAULT-NOT:     linalg.matmul
// DEFAULT:         linalg.generic {{.*}}"reduction"
func.func @main(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}
