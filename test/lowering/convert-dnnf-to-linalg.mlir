// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg | FileCheck %s

// Broadcasting elementwise ops: one linalg.generic, operands read through
// broadcast maps.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_relu
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK-NOT: dnnf.
func.func @add_relu(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = dnnf.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = dnnf.relu %0 : tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// Size-1 dimensions broadcast through constant map results.
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @broadcast_size_one
// CHECK: linalg.generic {indexing_maps = [#[[B]], #{{.*}}, #{{.*}}]
// CHECK: arith.mulf
func.func @broadcast_size_one(%a: tensor<1x3xf32>, %b: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = dnnf.mul %a, %b : (tensor<1x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// BatchNorm: the per-channel factor k = scale / sqrt(var + eps) and offset
// c = bias - mean * k are computed once per channel; each element is then
// x * k + c (no square root or division per element).
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK: %[[K:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3xf32>) outs(%{{.*}} : tensor<3xf32>)
// CHECK: arith.constant 1.000000e-03 : f32
// CHECK: arith.addf
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: %[[C:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %[[K]] : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) outs(%{{.*}} : tensor<3xf32>)
// CHECK: arith.mulf
// CHECK: arith.subf
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[CH]], #[[CH]], #[[X]]]
// CHECK-SAME: ins(%{{.*}}, %[[K]], %[[C]] : tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK-NOT: math.sqrt
// CHECK-NOT: arith.divf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: return
func.func @batch_norm(%x: tensor<1x3x4x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  %0 = dnnf.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// BatchNorm with constant parameters (inference): k and c are folded into
// constants, k = [2 / sqrt(1), 1 / sqrt(4)], c = [1 - 0 * 2, 2 - 2 * 0.5].
// CHECK-LABEL: func.func @batch_norm_constants
// CHECK-DAG: %[[K:.*]] = arith.constant dense<[2.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[C:.*]] = arith.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[K]], %[[C]] : tensor<1x2x3xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK-NOT: linalg.generic
func.func @batch_norm_constants(%x: tensor<1x2x3xf32>) -> tensor<1x2x3xf32> {
  %s = dnnf.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %b = dnnf.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %m = dnnf.constant dense<[0.0, 2.0]> : tensor<2xf32>
  %v = dnnf.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %0 = dnnf.batch_norm %x, %s, %b, %m, %v {epsilon = 0.0 : f32} : (tensor<1x2x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3xf32>
  return %0 : tensor<1x2x3xf32>
}

// -----

// BatchNorm on f16: the parameters and the element are computed in f32 and
// the result rounded once.
// CHECK-LABEL: func.func @batch_norm_f16
// CHECK: outs(%{{.*}} : tensor<2xf32>)
// CHECK: arith.extf
// CHECK: outs(%{{.*}} : tensor<2xf32>)
// CHECK: linalg.generic
// CHECK: arith.extf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.truncf
func.func @batch_norm_f16(%x: tensor<1x2x3xf16>, %p: tensor<2xf16>) -> tensor<1x2x3xf16> {
  %0 = dnnf.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<1x2x3xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>) -> tensor<1x2x3xf16>
  return %0 : tensor<1x2x3xf16>
}

// -----

// BatchNorm on f16 with weights in dense_resource blobs (an f16 model's
// initializers): the parameters are read from the blobs' 16-bit floats and
// folded into f32 constants as for f32, with no generic over the channels.
// CHECK-LABEL: func.func @batch_norm_f16_resources
// CHECK-DAG: %[[K:.*]] = arith.constant dense<[2.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[C:.*]] = arith.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[K]], %[[C]] : tensor<1x2x3xf16>, tensor<2xf32>, tensor<2xf32>)
// CHECK-NOT: linalg.generic
func.func @batch_norm_f16_resources(%x: tensor<1x2x3xf16>) -> tensor<1x2x3xf16> {
  %s = dnnf.constant dense_resource<s16> : tensor<2xf16>
  %b = dnnf.constant dense_resource<b16> : tensor<2xf16>
  %m = dnnf.constant dense_resource<m16> : tensor<2xf16>
  %v = dnnf.constant dense_resource<v16> : tensor<2xf16>
  %0 = dnnf.batch_norm %x, %s, %b, %m, %v {epsilon = 0.0 : f32} : (tensor<1x2x3xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>) -> tensor<1x2x3xf16>
  return %0 : tensor<1x2x3xf16>
}

{-#
  dialect_resources: {
    builtin: {
      s16: "0x020000000040003C",
      b16: "0x02000000003C0040",
      m16: "0x0200000000000040",
      v16: "0x02000000003C0044"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @int_ops
// CHECK: arith.divsi
// CHECK: arith.cmpi sgt
func.func @int_ops(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi1> {
  %0 = dnnf.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = dnnf.greater %0, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  return %1 : tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @cast
// CHECK: arith.fptosi %{{.*}} : f32 to i64
func.func @cast(%a: tensor<4xf32>) -> tensor<4xi64> {
  %0 = dnnf.cast %a : tensor<4xf32> to tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Plain matmul uses the named op on a zero-filled accumulator.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[Z:.*]] = linalg.fill
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x5xf32>) outs(%[[Z]] : tensor<4x5xf32>)
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x5xf32>) -> tensor<4x5xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<4x8xf32>, tensor<8x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// A batched LHS times a matrix: one linalg.matmul over the collapsed rows.
// CHECK-LABEL: func.func @matmul_batch_lhs
// CHECK: %[[L:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : tensor<2x3x4x8xf32> into tensor<24x8xf32>
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[L]], %{{.*}} : tensor<24x8xf32>, tensor<8x5xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0, 1, 2], [3]] {{.*}} : tensor<24x5xf32> into tensor<2x3x4x5xf32>
func.func @matmul_batch_lhs(%a: tensor<2x3x4x8xf32>, %b: tensor<8x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<2x3x4x8xf32>, tensor<8x5xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// Equal batch dimensions: one linalg.batch_matmul over the collapsed batch.
// CHECK-LABEL: func.func @matmul_equal_batch
// CHECK: %[[L:.*]] = tensor.collapse_shape %{{.*}} : tensor<2x3x4x8xf32> into tensor<6x4x8xf32>
// CHECK: %[[R:.*]] = tensor.collapse_shape %{{.*}} : tensor<2x3x8x5xf32> into tensor<6x8x5xf32>
// CHECK: %[[M:.*]] = linalg.batch_matmul ins(%[[L]], %[[R]] : tensor<6x4x8xf32>, tensor<6x8x5xf32>)
// CHECK: tensor.expand_shape %[[M]] {{.*}} : tensor<6x4x5xf32> into tensor<2x3x4x5xf32>
func.func @matmul_equal_batch(%a: tensor<2x3x4x8xf32>, %b: tensor<2x3x8x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<2x3x4x8xf32>, tensor<2x3x8x5xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// Broadcast batch dimensions: a linalg.generic contraction.
// CHECK-LABEL: func.func @matmul_broadcast_batch
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
func.func @matmul_broadcast_batch(%a: tensor<2x3x4x8xf32>, %b: tensor<1x3x8x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<2x3x4x8xf32>, tensor<1x3x8x5xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// Transposed operands: linalg.transpose, then a plain linalg.matmul.
// CHECK-LABEL: func.func @gemm_transposed
// CHECK: %[[A:.*]] = linalg.transpose ins(%{{.*}} : tensor<8x4xf32>) {{.*}} permutation = [1, 0]
// CHECK: %[[B:.*]] = linalg.transpose ins(%{{.*}} : tensor<5x8xf32>) {{.*}} permutation = [1, 0]
// CHECK: linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x5xf32>)
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @gemm_transposed(%a: tensor<8x4xf32>, %b: tensor<5x8xf32>, %c: tensor<5xf32>) -> tensor<4x5xf32> {
  %0 = dnnf.gemm %a, %b, %c {alpha = 2.0 : f32, transA = true, transB = true} : (tensor<8x4xf32>, tensor<5x8xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// Constant transposed weights are transposed at compile time, dense and
// resource-backed alike; no linalg.transpose remains.
// CHECK-LABEL: func.func @gemm_constant_weights
// CHECK-NOT: linalg.transpose
// CHECK: %[[D:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[D]] : tensor<4x2xf32>, tensor<2x3xf32>)
// CHECK: %[[R:.*]] = arith.constant dense_resource<w_t> : tensor<2x3xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[R]] : tensor<4x2xf32>, tensor<2x3xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: w_t: "0x080000000000803F000040400000A04000000040000080400000C040"
func.func @gemm_constant_weights(%a: tensor<4x2xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %w = dnnf.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %r = dnnf.constant dense_resource<w> : tensor<3x2xf32>
  %0 = dnnf.gemm %a, %w {transB = true} : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  %1 = dnnf.gemm %a, %r {transB = true} : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<4x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F0000004000004040000080400000A0400000C040"
    }
  }
#-}

// -----

// Padding becomes tensor.pad; group 1 2-D convolution the named op; the bias
// a channel-broadcast add.
// CHECK-LABEL: func.func @conv
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: linalg.generic
// CHECK: arith.addf
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = dnnf.conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @depthwise
// CHECK: linalg.depthwise_conv_2d_nchw_chw
func.func @depthwise(%x: tensor<1x8x6x6xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 8 : i64} : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// Other 2-D groups: the grouped named op on group-split views.
// CHECK-LABEL: func.func @grouped
// CHECK: %[[X:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 6, 6]
// CHECK: %[[W:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: %[[Y:.*]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %[[W]] : tensor<1x2x2x6x6xf32>, tensor<2x3x2x3x3xf32>) outs(%{{.*}} : tensor<1x2x3x4x4xf32>)
// CHECK: tensor.collapse_shape %[[Y]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x3x4x4xf32> into tensor<1x6x4x4xf32>
func.func @grouped(%x: tensor<1x4x6x6xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32> {
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x6x6xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----

// Grouped convolutions of other ranks: a generic over group-split views.
// CHECK-LABEL: func.func @grouped_1d
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3]] output_shape [1, 2, 2, 6]
// CHECK: linalg.generic
// CHECK-SAME: "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"
// CHECK-NOT: linalg.conv
func.func @grouped_1d(%x: tensor<1x4x6xf32>, %w: tensor<6x2x3xf32>) -> tensor<1x6x4xf32> {
  %0 = dnnf.conv %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, group = 2 : i64} : (tensor<1x4x6xf32>, tensor<6x2x3xf32>) -> tensor<1x6x4xf32>
  return %0 : tensor<1x6x4xf32>
}

// -----

// Max pooling pads with -inf and reduces over the window dims; NaNs never
// win (maxnumf, as numpy's fmax in the reference).
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad
// CHECK: linalg.generic
// CHECK-SAME: "reduction", "reduction"
// CHECK: arith.maxnumf
func.func @max_pool(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_mean_keepdims
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK: arith.divf
// CHECK: tensor.expand_shape
func.func @reduce_mean_keepdims(%x: tensor<3x4xf32>) -> tensor<3x1xf32> {
  %0 = dnnf.reduce_mean %x {axes = array<i64: 1>} : (tensor<3x4xf32>) -> tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// -----

// Softmax: max, exp(x - max) summed, divided.
// CHECK-LABEL: func.func @softmax
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = dnnf.softmax %x : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @data_movement
// CHECK: tensor.collapse_shape
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK: tensor.extract_slice %{{.*}}[0, 1, 0] [2, 2, 4] [1, 1, 1]
// CHECK: tensor.insert_slice
// CHECK: tensor.insert_slice
func.func @data_movement(%x: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<4x2x3xf32>, tensor<2x2x4xf32>, tensor<4x3x4xf32>) {
  %0 = dnnf.reshape %x : tensor<2x3x4xf32> to tensor<6x4xf32>
  %1 = dnnf.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %2 = dnnf.slice %x {starts = array<i64: 1>, ends = array<i64: 3>, axes = array<i64: 1>, steps = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x2x4xf32>
  %3 = dnnf.concat %x, %x {axis = 0 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<4x3x4xf32>
  return %0, %1, %2, %3 : tensor<6x4xf32>, tensor<4x2x3xf32>, tensor<2x2x4xf32>, tensor<4x3x4xf32>
}

// -----

// Constants keep their (possibly dense_resource) value.
// CHECK-LABEL: func.func @constant
// CHECK: arith.constant dense<1.000000e+00> : tensor<4xf32>
func.func @constant() -> tensor<4xf32> {
  %0 = dnnf.constant dense<1.0> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Fused blocks are inlined, then lowered op by op.
// CHECK-LABEL: func.func @fused
// CHECK-NOT: dnnf.fused
// CHECK: math.exp
func.func @fused(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.fused (%x) : (tensor<4xf32>) -> tensor<4xf32> attributes {mapping = #dnnf.mapping<one_to_one>} {
  ^bb0(%a: tensor<4xf32>):
    %e = dnnf.exp %a : tensor<4xf32>
    dnnf.yield %e : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

// ConvTranspose: the input is spread with the strides into zeros (margin
// dilation * (k - 1) = 2), then a stride-1 convolution over group-split views
// reads it at o + pad_begin + margin - k * dilation; the bias follows.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 - d6 + 3, d4 - d7 + 3)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d5, d2, d6, d7)>
// CHECK-LABEL: func.func @conv_transpose
// CHECK: %[[Z:.*]] = linalg.fill {{.*}} -> tensor<1x4x10x10xf32>
// CHECK: %[[S:.*]] = tensor.insert_slice %{{.*}} into %[[Z]][0, 0, 2, 2] [1, 4, 3, 3] [1, 1, 2, 2]
// CHECK: %[[XV:.*]] = tensor.expand_shape %[[S]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 10, 10]
// CHECK: %[[WV:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 2, 3, 3, 3]
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[XV]], %[[WV]] : tensor<1x2x2x10x10xf32>, tensor<2x2x3x3x3xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x3x7x7xf32> into tensor<1x6x7x7xf32>
// CHECK: linalg.generic
// CHECK: arith.addf
func.func @conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x7x7xf32> {
  %0 = dnnf.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x7x7xf32>
  return %0 : tensor<1x6x7x7xf32>
}

// -----

// Nearest resize: one constant index table per resized axis, gathered with
// tensor.extract (the other axes use linalg.index).
// CHECK-DAG: #[[H:.*]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @resize_nearest
// CHECK-DAG: %[[IH:.*]] = arith.constant dense<[0, 0, 1, 1]> : tensor<4xi64>
// CHECK-DAG: %[[IW:.*]] = arith.constant dense<[0, 0, 1]> : tensor<3xi64>
// CHECK: linalg.generic {indexing_maps = [#[[H]], #[[W]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[IH]], %[[IW]] : tensor<4xi64>, tensor<3xi64>)
// CHECK: %[[N:.*]] = linalg.index 0
// CHECK: %[[C:.*]] = linalg.index 1
// CHECK: %[[Y:.*]] = arith.index_cast
// CHECK: %[[X:.*]] = arith.index_cast
// CHECK: tensor.extract %{{.*}}[%[[N]], %[[C]], %[[Y]], %[[X]]] : tensor<1x1x2x2xf32>
func.func @resize_nearest(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x3xf32> {
  %0 = dnnf.resize %x {mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : tensor<1x1x2x2xf32> to tensor<1x1x4x3xf32>
  return %0 : tensor<1x1x4x3xf32>
}

// -----

// Linear resize: index and weight tables (2 taps) read at (out, tap), a
// reduction over the taps; f16 interpolates in f32.
// CHECK-DAG: #[[T:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d3, d4)>
// CHECK-LABEL: func.func @resize_linear
// CHECK-DAG: %[[I:.*]] = arith.constant dense<{{\[\[}}0, 1], [0, 1], [0, 1], [1, 1]]> : tensor<4x2xi64>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00], [0.666666686, 0.333333343], [0.333333343, 0.666666686], [1.000000e+00, 0.000000e+00]]> : tensor<4x2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[T]], #[[T]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[I]], %[[WT]] : tensor<4x2xi64>, tensor<4x2xf32>) outs(%{{.*}} : tensor<1x1x2x4xf32>)
// CHECK: tensor.extract
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @resize_linear(%x: tensor<1x1x2x2xf16>) -> tensor<1x1x2x4xf16> {
  %0 = dnnf.resize %x {mode = "linear", coordinate_transformation_mode = "align_corners"} : tensor<1x1x2x2xf16> to tensor<1x1x2x4xf16>
  return %0 : tensor<1x1x2x4xf16>
}

// -----

// Cubic resize of integers: 4 edge-clamped taps with Keys weights (a = -0.75)
// in f64, then round half to even and saturate.
// CHECK-LABEL: func.func @resize_cubic_int
// CHECK-DAG: arith.constant dense<{{\[\[}}0, 0, 1, 2], [0, 1, 2, 2]]> : tensor<2x4xi64>
// CHECK-DAG: arith.constant dense<{{\[\[}}-0.10546875, 0.87890625, 0.26171875, -0.03515625], [-0.03515625, 0.26171875, 0.87890625, -0.10546875]]> : tensor<2x4xf64>
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: arith.sitofp %{{.*}} : i32 to f64
// CHECK: math.roundeven
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.fptosi %{{.*}} : f64 to i32
func.func @resize_cubic_int(%x: tensor<3xi32>) -> tensor<2xi32> {
  %0 = dnnf.resize %x {mode = "cubic"} : tensor<3xi32> to tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// Einsum: output labels are parallel loops, summed labels reductions; an
// ellipsis dimension of size 1 broadcasts through a constant 0.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (0, d3, d2)>
// CHECK-DAG: #[[O:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @einsum_batch
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[O]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @einsum_batch(%a: tensor<2x3x4xf32>, %b: tensor<1x4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = dnnf.einsum %a, %b {equation = "...ij,...jk->...ik"} : (tensor<2x3x4xf32>, tensor<1x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// A repeated label reads a diagonal; f16 sums in f32 (implicit output: no
// label is used once, so the result is a scalar).
// CHECK-DAG: #[[D:.*]] = affine_map<(d0) -> (d0, d0)>
// CHECK-DAG: #[[S:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @einsum_trace
// CHECK: linalg.generic {indexing_maps = [#[[D]], #[[S]]], iterator_types = ["reduction"]} ins(%{{.*}} : tensor<3x3xf16>) outs(%{{.*}} : tensor<f32>)
// CHECK: arith.extf
// CHECK: arith.truncf
func.func @einsum_trace(%a: tensor<3x3xf16>) -> tensor<f16> {
  %0 = dnnf.einsum %a {equation = "ii"} : (tensor<3x3xf16>) -> tensor<f16>
  return %0 : tensor<f16>
}

// -----

// Results without elements are tensor.empty; empty split pieces too, and
// concat skips empty inputs.
// CHECK-LABEL: func.func @empty_results
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x0xf32>
// CHECK: %[[P:.*]] = tensor.extract_slice %{{.*}}[0, 0] [2, 3] [1, 1]
// CHECK: %[[D:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %[[C:.*]] = tensor.insert_slice %[[P]] into %[[D]][0, 0] [2, 3] [1, 1]
// CHECK-NEXT: return %[[E]], %[[C]]
func.func @empty_results(%x: tensor<2x3xf32>) -> (tensor<2x0xf32>, tensor<2x3xf32>) {
  %0 = dnnf.slice %x {starts = array<i64: 3>, ends = array<i64: 3>, axes = array<i64: 1>, steps = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x0xf32>
  %1:2 = dnnf.split %x {axis = 1 : i64, sizes = array<i64: 3, 0>} : (tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x0xf32>)
  %2 = dnnf.concat %1#1, %1#0 {axis = 1 : i64} : (tensor<2x0xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %2 : tensor<2x0xf32>, tensor<2x3xf32>
}

// -----

// f16 contractions accumulate in f32 and round once.
// CHECK-LABEL: func.func @matmul_f16
// CHECK: %[[Z:.*]] = linalg.fill {{.*}} -> tensor<4x5xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf16>, tensor<8x5xf16>) outs(%[[Z]] : tensor<4x5xf32>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @matmul_f16(%a: tensor<4x8xf16>, %b: tensor<8x5xf16>) -> tensor<4x5xf16> {
  %0 = dnnf.matmul %a, %b : (tensor<4x8xf16>, tensor<8x5xf16>) -> tensor<4x5xf16>
  return %0 : tensor<4x5xf16>
}

// -----

// Booleans compare unsigned: true (1) > false (0).
// CHECK-LABEL: func.func @bool_max_greater
// CHECK: arith.maxui %{{.*}}, %{{.*}} : i1
// CHECK: arith.cmpi ugt, %{{.*}}, %{{.*}} : i1
func.func @bool_max_greater(%a: tensor<4xi1>, %b: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>) {
  %0 = dnnf.max %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %1 = dnnf.greater %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0, %1 : tensor<4xi1>, tensor<4xi1>
}

// -----

// Shifts by the width or more (or negative): 0 to the left, the sign to the
// right, as numpy.
// CHECK-LABEL: func.func @bit_shift
// CHECK: %[[W:.*]] = arith.constant 8 : i8
// CHECK: %[[OK:.*]] = arith.cmpi ult, %[[B:.*]], %[[W]] : i8
// CHECK: %[[Z:.*]] = arith.constant 0 : i8
// CHECK: %[[L:.*]] = arith.shli %{{.*}}, %[[B]] : i8
// CHECK: arith.select %[[OK]], %[[L]], %[[Z]] : i8
// CHECK: %[[OK2:.*]] = arith.cmpi ult
// CHECK: %[[SIGN:.*]] = arith.shrsi %{{.*}}, %{{.*}} : i8
// CHECK: %[[R:.*]] = arith.shrsi
// CHECK: arith.select %[[OK2]], %[[R]], %[[SIGN]] : i8
func.func @bit_shift(%a: tensor<4xi8>, %b: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>) {
  %0 = dnnf.bit_shift %a, %b {direction = "left"} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %1 = dnnf.bit_shift %a, %b {direction = "right"} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0, %1 : tensor<4xi8>, tensor<4xi8>
}

// -----

// Integer clip bounds saturate to the type and truncate toward zero.
// CHECK-LABEL: func.func @clip_i8
// CHECK: %[[LO:.*]] = arith.constant -128 : i8
// CHECK: arith.maxsi %{{.*}}, %[[LO]] : i8
// CHECK: %[[HI:.*]] = arith.constant 3 : i8
// CHECK: arith.minsi %{{.*}}, %[[HI]] : i8
func.func @clip_i8(%x: tensor<4xi8>) -> tensor<4xi8> {
  %0 = dnnf.clip %x {min = -1000.0 : f64, max = 3.7 : f64} : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// Layer norm: scale and bias broadcast to the normalised dims, each through
// its own map.
// CHECK-DAG: #[[SC:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[BI:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @layer_norm_params
// CHECK: iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}, #[[SC]], #[[BI]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: math.sqrt
func.func @layer_norm_params(%x: tensor<2x3x5xf32>, %s: tensor<3x5xf32>, %b: tensor<5xf32>) -> tensor<2x3x5xf32> {
  %0 = dnnf.layer_norm %x, %s, %b {axis = 1 : i64} : (tensor<2x3x5xf32>, tensor<3x5xf32>, tensor<5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Negative pads crop (tensor.extract_slice) before the other pads apply.
// CHECK-LABEL: func.func @pad_negative
// CHECK: %[[C:.*]] = tensor.extract_slice %{{.*}}[0, 1] [3, 4] [1, 1] : tensor<4x5xf32> to tensor<3x4xf32>
// CHECK: linalg.generic
// CHECK: arith.remsi
// CHECK: tensor.extract %[[C]]
func.func @pad_negative(%x: tensor<4x5xf32>) -> tensor<5x6xf32> {
  %0 = dnnf.pad %x {pads = array<i64: 2, -1, -1, 2>, mode = "wrap"} : (tensor<4x5xf32>) -> tensor<5x6xf32>
  return %0 : tensor<5x6xf32>
}

// -----

// Integer Gemm with a fractional alpha: through f64, truncated.
// CHECK-LABEL: func.func @gemm_int
// CHECK: linalg.matmul
// CHECK: arith.sitofp %{{.*}} : i32 to f64
// CHECK: arith.mulf
// CHECK: arith.fptosi %{{.*}} : f64 to i32
func.func @gemm_int(%a: tensor<3x4xi32>, %b: tensor<4x5xi32>) -> tensor<3x5xi32> {
  %0 = dnnf.gemm %a, %b {alpha = 0.5 : f32} : (tensor<3x4xi32>, tensor<4x5xi32>) -> tensor<3x5xi32>
  return %0 : tensor<3x5xi32>
}

// -----

// Log-sum-exp shifts by the max only where it is finite.
// CHECK-LABEL: func.func @log_sum_exp
// CHECK: arith.maximumf
// CHECK: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: %[[A:.*]] = math.absf
// CHECK: %[[F:.*]] = arith.cmpf one, %[[A]], %[[INF]] : f32
// CHECK: arith.select %[[F]]
// CHECK: math.exp
// CHECK: math.log
func.func @log_sum_exp(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = dnnf.reduce_log_sum_exp %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// 16-bit floats: elementwise ops compute in f32 and round once.
// CHECK-LABEL: func.func @sigmoid_f16
// CHECK: linalg.generic
// CHECK: %[[X:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: arith.negf %[[X]] : f32
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @sigmoid_f16(%x: tensor<8xf16>) -> tensor<8xf16> {
  %0 = dnnf.sigmoid %x : tensor<8xf16>
  return %0 : tensor<8xf16>
}

// -----

// Pooling: a window generic over (n, c, oh, ow, kh, kw) reading the padded
// input (max: padded with the lowest value, from a fill of it).
// CHECK-LABEL: func.func @max_pool_strided
// CHECK: %[[LOW:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[LOW]]
// CHECK: %[[W:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[LOW]] : f32)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[PAD]], %[[W]] : tensor<1x4x11x11xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x4x5x5xf32>)
// CHECK: arith.maxnumf
func.func @max_pool_strided(%x: tensor<1x4x9x9xf32>) -> tensor<1x4x5x5xf32> {
  %0 = dnnf.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x9x9xf32>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// -----

// Average pooling: window sums over the zero-padded input, divided by the
// number of counted positions of each window, a constant known at compile
// time: one scalar when every window counts the same...
// CHECK-LABEL: func.func @average_pool_uniform
// CHECK: linalg.generic {{.*}}"reduction", "reduction"
// CHECK: arith.addf
// CHECK: %[[N:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: linalg.generic
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
func.func @average_pool_uniform(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %0 = dnnf.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// ...else a [1, 1, OH, OW] tensor broadcast over batch and channels: without
// count_include_pad, the padded positions are not counted (4 in a corner,
// 6 on an edge, 9 inside).
// CHECK-LABEL: func.func @average_pool_padded
// CHECK: %[[D:.*]] = arith.constant dense<{{\[\[\[\[}}4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]]]> : tensor<1x1x3x3xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[D]] : tensor<1x4x3x3xf32>, tensor<1x1x3x3xf32>)
// CHECK: arith.divf
func.func @average_pool_padded(%x: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = dnnf.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}

// -----

// With count_include_pad the explicit pads count, but not the extra
// positions of ceil mode: the last window of each row and column has 2
// positions on the input and pads, 1 past them.
// CHECK-LABEL: func.func @average_pool_ceil_include_pad
// CHECK: arith.constant dense<{{\[\[\[\[}}9.000000e+00, 9.000000e+00, 6.000000e+00], [9.000000e+00, 9.000000e+00, 6.000000e+00], [6.000000e+00, 6.000000e+00, 4.000000e+00]]]]> : tensor<1x1x3x3xf32>
func.func @average_pool_ceil_include_pad(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  %0 = dnnf.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true, count_include_pad = true} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}
