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

// Broadcast batch dimensions: a linalg.generic contraction.
// CHECK-LABEL: func.func @matmul_broadcast_batch
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
func.func @matmul_broadcast_batch(%a: tensor<2x3x4x8xf32>, %b: tensor<8x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<2x3x4x8xf32>, tensor<8x5xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[BT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @gemm_transposed
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[BT]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @gemm_transposed(%a: tensor<8x4xf32>, %b: tensor<5x8xf32>, %c: tensor<5xf32>) -> tensor<4x5xf32> {
  %0 = dnnf.gemm %a, %b, %c {alpha = 2.0 : f32, transA = true, transB = true} : (tensor<8x4xf32>, tensor<5x8xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

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

// Other groups: a generic over group-split views.
// CHECK-LABEL: func.func @grouped
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 6, 6]
// CHECK: linalg.generic
// CHECK-SAME: "reduction", "reduction", "reduction"
// CHECK: tensor.collapse_shape
func.func @grouped(%x: tensor<1x4x6x6xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32> {
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x6x6xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----

// Max pooling pads with -inf and reduces over the window dims.
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad
// CHECK: linalg.generic
// CHECK-SAME: "reduction", "reduction"
// CHECK: arith.maximumf
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
