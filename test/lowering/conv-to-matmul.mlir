// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul=im2col=false | FileCheck %s --check-prefix=DIRECT
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul=implicit-gemm=true | FileCheck %s --check-prefix=IMPLICIT

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

// -----

// implicit-gemm: a stride-1 3x3 convolution reads its padded input,
// flattened to [C, Hp * Wp], at column n + 8 * kh + kw for output column
// n = 8 * oh + ow (Wp = 8); the pad gets one more bottom row for the last
// row's two garbage columns, and the result is the [.., 6, 6] corner of the
// [.., 6, 8] product.  The weights are read as [KH, KW, F, C].
// IMPLICIT-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d3, d0, d4)>
// IMPLICIT-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d4, d1 + d2 * 8 + d3)>
// IMPLICIT-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1)>
// IMPLICIT-LABEL: func.func @implicit
// IMPLICIT: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 2, 1]
// IMPLICIT: %[[FLAT:.*]] = tensor.collapse_shape %[[PAD]] {{\[\[}}0, 1], [2, 3]] : tensor<1x4x9x8xf32> into tensor<4x72xf32>
// IMPLICIT: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<8x48xf32>
// IMPLICIT: %[[WT:.*]] = linalg.transpose ins(%arg1 : tensor<8x4x3x3xf32>) outs(%{{.*}} : tensor<3x3x8x4xf32>) permutation = [2, 3, 0, 1]
// IMPLICIT: %[[EXT:.*]] = linalg.generic {indexing_maps = [#[[W]], #[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[WT]], %[[FLAT]] : tensor<3x3x8x4xf32>, tensor<4x72xf32>) outs(%[[ZERO]] : tensor<8x48xf32>)
// IMPLICIT: arith.mulf
// IMPLICIT: arith.addf
// IMPLICIT: %[[VIEW:.*]] = tensor.expand_shape %[[EXT]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 8, 6, 8]
// IMPLICIT: %[[R:.*]] = tensor.extract_slice %[[VIEW]][0, 0, 0, 0] [1, 8, 6, 6] [1, 1, 1, 1]
// IMPLICIT: return %[[R]]
// IMPLICIT-NOT: linalg.conv_2d
// CHECK-LABEL: func.func @implicit
// CHECK: linalg.matmul
func.func @implicit(%x: tensor<1x4x6x6xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// Unpadded and dilated (4): a pad of one bottom row only, shifts of
// 4 * 9 * kh + 4 * kw, and constant weights permuted at compile time
// (w'[kh, kw, f, c] = w[f, c, kh, kw]: w'[0, 0] = [[1, 5], [9, 13], [17, 21]]).
// IMPLICIT-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d4, d1 + d2 * 36 + d3 * 4)>
// IMPLICIT-LABEL: func.func @implicit_valid_dilated
// IMPLICIT: tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, 1, 0]
// IMPLICIT: arith.constant dense<{{\[\[\[\[}}1.000000e+00, 5.000000e+00], [9.000000e+00, 1.300000e+01], [1.700000e+01, 2.100000e+01]], {{.*}}> : tensor<2x2x3x2xf32>
// IMPLICIT-NOT: linalg.transpose
// IMPLICIT: linalg.generic {indexing_maps = [#{{.*}}, #[[IN]], #{{.*}}]{{.*}} outs(%{{.*}} : tensor<3x45xf32>)
// IMPLICIT: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 3, 5, 5] [1, 1, 1, 1] : tensor<1x3x5x9xf32> to tensor<1x3x5x5xf32>
func.func @implicit_valid_dilated(%x: tensor<1x2x9x9xf32>) -> tensor<1x3x5x5xf32> {
  %w = dnnf.constant dense<[[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]], [[[9.0, 10.0], [11.0, 12.0]], [[13.0, 14.0], [15.0, 16.0]]], [[[17.0, 18.0], [19.0, 20.0]], [[21.0, 22.0], [23.0, 24.0]]]]> : tensor<3x2x2x2xf32>
  %0 = dnnf.conv %x, %w {dilations = array<i64: 4, 4>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x9x9xf32>, tensor<3x2x2x2xf32>) -> tensor<1x3x5x5xf32>
  return %0 : tensor<1x3x5x5xf32>
}

// -----

// A 3x1 window has no garbage columns: the input is read as it is.
// IMPLICIT-LABEL: func.func @implicit_column
// IMPLICIT-NOT: tensor.pad
// IMPLICIT: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2, 3]] : tensor<1x4x6x6xf32> into tensor<4x36xf32>
// IMPLICIT: linalg.generic {{.*}} outs(%{{.*}} : tensor<8x24xf32>)
func.func @implicit_column(%x: tensor<1x4x6x6xf32>, %w: tensor<8x4x3x1xf32>) -> tensor<1x8x4x6xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xf32>, tensor<8x4x3x1xf32>) -> tensor<1x8x4x6xf32>
  return %0 : tensor<1x8x4x6xf32>
}

// -----

// Strided and 1x1 convolutions keep their matmuls.
// IMPLICIT-LABEL: func.func @implicit_strided
// IMPLICIT: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x3x3x4x4xf32>)
// IMPLICIT: linalg.matmul
func.func @implicit_strided(%x: tensor<1x4x9x9xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x9x9xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// A 3x3 stride-2 max pooling becomes one elementwise generic over the
// output combining 9 strided slices of the input, from the fill value
// (-inf) in the window's order: the same maxnumf chain as the window loop.
// CHECK-LABEL: func.func @max_pool
// CHECK-DAG: %[[LOW:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: tensor.extract_slice %arg0[0, 0, 0, 0] [1, 4, 4, 4] [1, 1, 2, 2] : tensor<1x4x9x9xf32> to tensor<1x4x4x4xf32>
// CHECK-DAG: tensor.extract_slice %arg0[0, 0, 2, 2] [1, 4, 4, 4] [1, 1, 2, 2] : tensor<1x4x9x9xf32> to tensor<1x4x4x4xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-NEXT: ^bb0(%[[X0:[^:]*]]: f32, %[[X1:[^:]*]]: f32,
// CHECK-NEXT: %[[M0:.*]] = arith.maxnumf %[[LOW]], %[[X0]] : f32
// CHECK-NEXT: %[[M1:.*]] = arith.maxnumf %[[M0]], %[[X1]] : f32
// CHECK-COUNT-7: arith.maxnumf
// CHECK-NEXT: linalg.yield
// CHECK-NOT: "reduction"
func.func @max_pool(%x: tensor<1x4x9x9xf32>) -> tensor<1x4x4x4xf32> {
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x9x9xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Dilations step the slices' offsets.  An average pooling's sums start
// from zero; its division by the window's constant count follows.
// CHECK-LABEL: func.func @pools_dilated_avg
// CHECK-DAG: tensor.extract_slice %arg0[0, 0, 0, 0] [1, 2, 3, 3] [1, 1, 1, 1]
// CHECK-DAG: tensor.extract_slice %arg0[0, 0, 0, 2] [1, 2, 3, 3] [1, 1, 1, 1]
// CHECK-DAG: tensor.extract_slice %arg0[0, 0, 2, 0] [1, 2, 3, 3] [1, 1, 1, 1]
// CHECK-DAG: tensor.extract_slice %arg0[0, 0, 2, 2] [1, 2, 3, 3] [1, 1, 1, 1]
// CHECK: linalg.generic
// CHECK-COUNT-4: arith.maxnumf
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[X0:[^:]*]]: f32,
// CHECK-NEXT: arith.addf %[[ZERO]], %[[X0]] : f32
// CHECK-COUNT-3: arith.addf
// CHECK: %[[FOUR:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: linalg.generic
// CHECK: arith.divf %{{.*}}, %[[FOUR]]
// CHECK-NOT: "reduction"
func.func @pools_dilated_avg(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32> {
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  %1 = dnnf.average_pool %0 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x3x3xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}

// -----

// Windows larger than max-window (49) keep the window loop.
// CHECK-LABEL: func.func @large_window
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
func.func @large_window(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x1x1xf32> {
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 8, 8>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x1x1xf32>
  return %0 : tensor<1x2x1x1xf32>
}
