// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul=im2col=false | FileCheck %s --check-prefix=DIRECT

// 1x1 stride-1: the input itself is the matmul's right operand (a reshape,
// no copy).
// CHECK-LABEL: func.func @pointwise
// CHECK-NOT: linalg.generic {{.*}}ins(%arg0
// CHECK: %[[X:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2, 3]] : tensor<1x16x7x7xf32> into tensor<16x49xf32>
// CHECK: %[[W:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] : tensor<32x16x1x1xf32> into tensor<32x16xf32>
// CHECK: %[[C:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] : tensor<1x32x7x7xf32> into tensor<32x49xf32>
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[W]], %[[X]] : tensor<32x16xf32>, tensor<16x49xf32>) outs(%[[C]] : tensor<32x49xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 32, 7, 7]
// CHECK-NOT: linalg.conv_2d
// DIRECT-LABEL: func.func @pointwise
// DIRECT: linalg.matmul
func.func @pointwise(%x: tensor<1x16x7x7xf32>, %w: tensor<32x16x1x1xf32>) -> tensor<1x32x7x7xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x16x7x7xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x7x7xf32>
  return %0 : tensor<1x32x7x7xf32>
}

// -----

// 3x3, stride 2, dilation 2: an im2col gather, col[c, kh, kw, oh, ow] =
// x[0, c, 2*oh + 2*kh, 2*ow + 2*kw], then one matmul.
// CHECK-DAG: #[[GATHER:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (0, d0, d3 * 2 + d1 * 2, d4 * 2 + d2 * 2)>
// CHECK-LABEL: func.func @im2col
// CHECK: %[[COL:.*]] = linalg.generic {indexing_maps = [#[[GATHER]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%{{.*}} : tensor<1x4x11x11xf32>) outs(%{{.*}} : tensor<4x3x3x4x4xf32>)
// CHECK: %[[B:.*]] = tensor.collapse_shape %[[COL]] {{\[\[}}0, 1, 2], [3, 4]] : tensor<4x3x3x4x4xf32> into tensor<36x16xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[B]] : tensor<8x36xf32>, tensor<36x16xf32>)
// DIRECT-LABEL: func.func @im2col
// DIRECT: linalg.conv_2d_nchw_fchw
// DIRECT-NOT: linalg.matmul
func.func @im2col(%x: tensor<1x4x11x11xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x11x11xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// Batch 2: left alone.
// CHECK-LABEL: func.func @batch2
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK-NOT: linalg.matmul
func.func @batch2(%x: tensor<2x4x8x8xf32>, %w: tensor<8x4x1x1xf32>) -> tensor<2x8x8x8xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<2x4x8x8xf32>, tensor<8x4x1x1xf32>) -> tensor<2x8x8x8xf32>
  return %0 : tensor<2x8x8x8xf32>
}

// -----

// Depthwise 3x3 stride 2: one elementwise generic over (n, c, oh, ow) with
// one strided input slice and one weight column per window position.
// CHECK-LABEL: func.func @depthwise
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 6, 4, 4] [1, 1, 2, 2] : tensor<1x6x9x9xf32> to tensor<6x4x4xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [6, 1, 1] [1, 1, 1] : tensor<6x3x3xf32> to tensor<6xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 2, 2] [1, 6, 4, 4] [1, 1, 2, 2] : tensor<1x6x9x9xf32> to tensor<6x4x4xf32>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-COUNT-9: arith.mulf
// CHECK-NOT: linalg.depthwise_conv
func.func @depthwise(%x: tensor<1x6x9x9xf32>, %w: tensor<6x1x3x3xf32>) -> tensor<1x6x4x4xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, group = 6 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x6x9x9xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----

// Grouped 1x1 (ShuffleNet): the input split into groups is the right
// operand, one batch_matmul over the groups.
// CHECK-LABEL: func.func @grouped_pointwise
// CHECK: %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3, 4]] : tensor<1x4x8x7x7xf32> into tensor<4x8x49xf32>
// CHECK: %[[W:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3, 4]] : tensor<4x6x8x1x1xf32> into tensor<4x6x8xf32>
// CHECK: %[[M:.*]] = linalg.batch_matmul ins(%[[W]], %[[X]] : tensor<4x6x8xf32>, tensor<4x8x49xf32>) outs(%{{.*}} : tensor<4x6x49xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2], [3, 4]] output_shape [1, 4, 6, 7, 7]
// CHECK-NOT: linalg.conv_2d
// DIRECT-LABEL: func.func @grouped_pointwise
// DIRECT: linalg.batch_matmul
func.func @grouped_pointwise(%x: tensor<1x32x7x7xf32>, %w: tensor<24x8x1x1xf32>) -> tensor<1x24x7x7xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x32x7x7xf32>, tensor<24x8x1x1xf32>) -> tensor<1x24x7x7xf32>
  return %0 : tensor<1x24x7x7xf32>
}

// -----

// Grouped 3x3 stride 2: a per-group im2col gather,
// col[g, c, kh, kw, oh, ow] = x[0, g, c, 2*oh + kh, 2*ow + kw].
// CHECK-DAG: #[[GATHER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (0, d0, d1, d4 * 2 + d2, d5 * 2 + d3)>
// CHECK-LABEL: func.func @grouped_im2col
// CHECK: %[[COL:.*]] = linalg.generic {indexing_maps = [#[[GATHER]], #{{.*}}], {{.*}} ins(%{{.*}} : tensor<1x2x3x9x9xf32>) outs(%{{.*}} : tensor<2x3x3x3x4x4xf32>)
// CHECK: %[[B:.*]] = tensor.collapse_shape %[[COL]] {{\[\[}}0], [1, 2, 3], [4, 5]] : tensor<2x3x3x3x4x4xf32> into tensor<2x27x16xf32>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %[[B]] : tensor<2x4x27xf32>, tensor<2x27x16xf32>)
// DIRECT-LABEL: func.func @grouped_im2col
// DIRECT: linalg.conv_2d_ngchw_gfchw
// DIRECT-NOT: linalg.batch_matmul
func.func @grouped_im2col(%x: tensor<1x6x9x9xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x6x9x9xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}
