// Round-trip of every dnnf op, through the custom and the generic form.
// RUN: dnnf-opt %s | dnnf-opt | FileCheck %s
// RUN: dnnf-opt %s --mlir-print-op-generic | dnnf-opt | FileCheck %s
// RUN: dnnf-opt %s --emit-bytecode | dnnf-opt | FileCheck %s

// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<2xf32>, tensor<2x2xi64>, tensor<3xf32>) {
  // CHECK: dnnf.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %0 = dnnf.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: dnnf.constant dense<7> : tensor<2x2xi64>
  %1 = dnnf.constant dense<7> : tensor<2x2xi64>
  // CHECK: dnnf.constant dense_resource<weight0> : tensor<3xf32>
  %2 = dnnf.constant dense_resource<weight0> : tensor<3xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2x2xi64>, tensor<3xf32>
}

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<2x3xf32>, %i: tensor<4xi32>, %b: tensor<4xi1>) {
  // CHECK: dnnf.relu %{{.*}} : tensor<2x3xf32>
  %0 = dnnf.relu %x : tensor<2x3xf32>
  // CHECK: dnnf.relu %{{.*}} : tensor<4xi32>
  %1 = dnnf.relu %i : tensor<4xi32>
  // CHECK: dnnf.sigmoid
  %2 = dnnf.sigmoid %x : tensor<2x3xf32>
  // CHECK: dnnf.tanh
  %3 = dnnf.tanh %x : tensor<2x3xf32>
  // CHECK: dnnf.exp
  %4 = dnnf.exp %x : tensor<2x3xf32>
  // CHECK: dnnf.log
  %5 = dnnf.log %x : tensor<2x3xf32>
  // CHECK: dnnf.sqrt
  %6 = dnnf.sqrt %x : tensor<2x3xf32>
  // CHECK: dnnf.reciprocal
  %7 = dnnf.reciprocal %x : tensor<2x3xf32>
  // CHECK: dnnf.abs %{{.*}} : tensor<4xi32>
  %8 = dnnf.abs %i : tensor<4xi32>
  // CHECK: dnnf.neg
  %9 = dnnf.neg %x : tensor<2x3xf32>
  // CHECK: dnnf.sign
  %10 = dnnf.sign %x : tensor<2x3xf32>
  // CHECK: dnnf.erf
  %11 = dnnf.erf %x : tensor<2x3xf32>
  // CHECK: dnnf.ceil
  %12 = dnnf.ceil %x : tensor<2x3xf32>
  // CHECK: dnnf.floor
  %13 = dnnf.floor %x : tensor<2x3xf32>
  // CHECK: dnnf.round
  %14 = dnnf.round %x : tensor<2x3xf32>
  // CHECK: dnnf.sin
  %15 = dnnf.sin %x : tensor<2x3xf32>
  // CHECK: dnnf.cos
  %16 = dnnf.cos %x : tensor<2x3xf32>
  // CHECK: dnnf.softplus
  %17 = dnnf.softplus %x : tensor<2x3xf32>
  // CHECK: dnnf.softsign
  %18 = dnnf.softsign %x : tensor<2x3xf32>
  // CHECK: dnnf.hard_swish
  %19 = dnnf.hard_swish %x : tensor<2x3xf32>
  // CHECK: dnnf.not %{{.*}} : tensor<4xi1>
  %20 = dnnf.not %b : tensor<4xi1>
  // CHECK: dnnf.leaky_relu %{{.*}} {alpha = 2.000000e-01 : f32}
  %21 = dnnf.leaky_relu %x {alpha = 0.2 : f32} : tensor<2x3xf32>
  // CHECK: dnnf.elu %{{.*}} : tensor<2x3xf32>
  %22 = dnnf.elu %x : tensor<2x3xf32>
  // CHECK: dnnf.selu
  %23 = dnnf.selu %x : tensor<2x3xf32>
  // CHECK: dnnf.hard_sigmoid %{{.*}} {alpha = 1.000000e-01 : f32}
  %24 = dnnf.hard_sigmoid %x {alpha = 0.1 : f32} : tensor<2x3xf32>
  // CHECK: dnnf.gelu %{{.*}} {approximate = "tanh"}
  %25 = dnnf.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
  // CHECK: dnnf.clip %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64}
  %26 = dnnf.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<2x3xf32>
  // CHECK: dnnf.cast %{{.*}} : tensor<2x3xf32> to tensor<2x3xi64>
  %27 = dnnf.cast %x : tensor<2x3xf32> to tensor<2x3xi64>
  return
}

// CHECK-LABEL: func.func @binary
func.func @binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<4xi32>,
                  %p: tensor<4xi1>, %q: tensor<1xi1>) {
  // CHECK: dnnf.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = dnnf.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.sub
  %1 = dnnf.sub %b, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.mul
  %2 = dnnf.mul %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.div
  %3 = dnnf.div %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.pow
  %4 = dnnf.pow %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.max
  %5 = dnnf.max %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.min
  %6 = dnnf.min %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.mod %{{.*}}, %{{.*}} {fmod = 1 : i64}
  %7 = dnnf.mod %a, %b {fmod = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.mod %{{.*}}, %{{.*}} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %8 = dnnf.mod %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: dnnf.equal {{.*}} -> tensor<2x3xi1>
  %9 = dnnf.equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: dnnf.greater
  %10 = dnnf.greater %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: dnnf.greater_or_equal
  %11 = dnnf.greater_or_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: dnnf.less
  %12 = dnnf.less %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: dnnf.less_or_equal
  %13 = dnnf.less_or_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: dnnf.and
  %14 = dnnf.and %p, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  // CHECK: dnnf.or
  %15 = dnnf.or %p, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  // CHECK: dnnf.xor
  %16 = dnnf.xor %p, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  // CHECK: dnnf.bit_shift %{{.*}}, %{{.*}} {direction = "left"}
  %17 = dnnf.bit_shift %i, %i {direction = "left"} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: dnnf.prelu %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %18 = dnnf.prelu %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %19 = dnnf.where %9, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>) {
  // CHECK: dnnf.reduce_sum %{{.*}} {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %0 = dnnf.reduce_sum %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  // CHECK: dnnf.reduce_mean %{{.*}} {axes = array<i64: -1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %1 = dnnf.reduce_mean %x {axes = array<i64: -1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.reduce_max %{{.*}} {keepdims = false} : (tensor<2x3x4xf32>) -> tensor<f32>
  %2 = dnnf.reduce_max %x {keepdims = false} : (tensor<2x3x4xf32>) -> tensor<f32>
  // CHECK: dnnf.reduce_min
  %3 = dnnf.reduce_min %x {axes = array<i64: 0, 2>} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
  // CHECK: dnnf.reduce_prod
  %4 = dnnf.reduce_prod %x {axes = array<i64: 0>} : (tensor<2x3x4xf32>) -> tensor<1x3x4xf32>
  // CHECK: dnnf.reduce_l1
  %5 = dnnf.reduce_l1 %x {axes = array<i64: 0>} : (tensor<2x3x4xf32>) -> tensor<1x3x4xf32>
  // CHECK: dnnf.reduce_l2
  %6 = dnnf.reduce_l2 %x {axes = array<i64: 0>} : (tensor<2x3x4xf32>) -> tensor<1x3x4xf32>
  // CHECK: dnnf.reduce_sum_square
  %7 = dnnf.reduce_sum_square %x {axes = array<i64: 0>} : (tensor<2x3x4xf32>) -> tensor<1x3x4xf32>
  // CHECK: dnnf.reduce_log_sum
  %8 = dnnf.reduce_log_sum %x {axes = array<i64: 0>} : (tensor<2x3x4xf32>) -> tensor<1x3x4xf32>
  // CHECK: dnnf.reduce_log_sum_exp
  %9 = dnnf.reduce_log_sum_exp %x {axes = array<i64: 0>} : (tensor<2x3x4xf32>) -> tensor<1x3x4xf32>
  // CHECK: dnnf.arg_max %{{.*}} {axis = 1 : i64, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
  %10 = dnnf.arg_max %x {axis = 1 : i64, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
  // CHECK: dnnf.arg_min %{{.*}} {axis = -1 : i64, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
  %11 = dnnf.arg_min %x {axis = -1 : i64, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
  // CHECK: dnnf.softmax %{{.*}} : tensor<2x3x4xf32>
  %12 = dnnf.softmax %x : tensor<2x3x4xf32>
  // CHECK: dnnf.log_softmax %{{.*}} {axis = 1 : i64} : tensor<2x3x4xf32>
  %13 = dnnf.log_softmax %x {axis = 1 : i64} : tensor<2x3x4xf32>
  // CHECK: dnnf.cumsum %{{.*}} {axis = 2 : i64, exclusive = true, reverse = true} : tensor<2x3x4xf32>
  %14 = dnnf.cumsum %x {axis = 2 : i64, exclusive = true, reverse = true} : tensor<2x3x4xf32>
  return
}

// CHECK-LABEL: func.func @normalization
func.func @normalization(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>,
                         %s: tensor<4x4xf32>, %t: tensor<4xf32>) {
  // CHECK: dnnf.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32}
  %0 = dnnf.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-3 : f32} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: dnnf.instance_norm
  %1 = dnnf.instance_norm %x, %c, %c : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: dnnf.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = 2 : i64}
  %2 = dnnf.layer_norm %x, %s, %s {axis = 2 : i64} : (tensor<1x3x4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: dnnf.layer_norm %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<4xf32>) -> tensor<1x3x4x4xf32>
  %3 = dnnf.layer_norm %x, %t : (tensor<1x3x4x4xf32>, tensor<4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: dnnf.lrn %{{.*}} {size = 3 : i64} : tensor<1x3x4x4xf32>
  %4 = dnnf.lrn %x {size = 3 : i64} : tensor<1x3x4x4xf32>
  return
}

// CHECK-LABEL: func.func @contractions
func.func @contractions(%a: tensor<2x4x8xf32>, %b: tensor<8x5xf32>, %v: tensor<8xf32>,
                        %m: tensor<4x8xf32>, %n: tensor<5x8xf32>, %c: tensor<5xf32>) {
  // CHECK: dnnf.matmul %{{.*}}, %{{.*}} : (tensor<2x4x8xf32>, tensor<8x5xf32>) -> tensor<2x4x5xf32>
  %0 = dnnf.matmul %a, %b : (tensor<2x4x8xf32>, tensor<8x5xf32>) -> tensor<2x4x5xf32>
  // CHECK: dnnf.matmul %{{.*}}, %{{.*}} : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4xf32>
  %1 = dnnf.matmul %a, %v : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4xf32>
  // CHECK: dnnf.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, transB = true}
  %2 = dnnf.gemm %m, %n, %c {alpha = 0.5 : f32, transB = true} : (tensor<4x8xf32>, tensor<5x8xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  // CHECK: dnnf.gemm %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8x5xf32>) -> tensor<4x5xf32>
  %3 = dnnf.gemm %m, %b : (tensor<4x8xf32>, tensor<8x5xf32>) -> tensor<4x5xf32>
  // CHECK: dnnf.einsum %{{.*}}, %{{.*}} {equation = "bij,jk->bik"}
  %4 = dnnf.einsum %a, %b {equation = "bij,jk->bik"} : (tensor<2x4x8xf32>, tensor<8x5xf32>) -> tensor<2x4x5xf32>
  // CHECK: dnnf.einsum %{{.*}} {equation = "...ij->...ji"}
  %5 = dnnf.einsum %a {equation = "...ij->...ji"} : (tensor<2x4x8xf32>) -> tensor<2x8x4xf32>
  return
}

// CHECK-LABEL: func.func @convolution
func.func @convolution(%x: tensor<1x4x9x9xf32>, %w: tensor<8x2x3x3xf32>, %b: tensor<8xf32>,
                       %wt: tensor<4x3x2x2xf32>) {
  // CHECK: dnnf.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  // CHECK-SAME: -> tensor<1x8x5x5xf32>
  %0 = dnnf.conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x9x9xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x5x5xf32>
  // CHECK: dnnf.conv_transpose
  // CHECK-SAME: -> tensor<1x3x18x18xf32>
  %1 = dnnf.conv_transpose %x, %wt {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x9x9xf32>, tensor<4x3x2x2xf32>) -> tensor<1x3x18x18xf32>
  // CHECK: dnnf.max_pool
  // CHECK-SAME: -> tensor<1x4x5x5xf32>
  %2 = dnnf.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x9x9xf32>) -> tensor<1x4x5x5xf32>
  // CHECK: dnnf.average_pool
  // CHECK-SAME: ceil_mode = true
  // CHECK-SAME: -> tensor<1x4x5x5xf32>
  %3 = dnnf.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true} : (tensor<1x4x9x9xf32>) -> tensor<1x4x5x5xf32>
  // CHECK: dnnf.global_average_pool %{{.*}} : (tensor<1x4x9x9xf32>) -> tensor<1x4x1x1xf32>
  %4 = dnnf.global_average_pool %x : (tensor<1x4x9x9xf32>) -> tensor<1x4x1x1xf32>
  // CHECK: dnnf.global_max_pool
  %5 = dnnf.global_max_pool %x : (tensor<1x4x9x9xf32>) -> tensor<1x4x1x1xf32>
  return
}

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%x: tensor<1x8x4x4xf32>, %i: tensor<2x3xi64>, %e: tensor<3x1xf32>,
                         %s: tensor<1x3xf32>) {
  // CHECK: dnnf.reshape %{{.*}} : tensor<1x8x4x4xf32> to tensor<8x16xf32>
  %0 = dnnf.reshape %x : tensor<1x8x4x4xf32> to tensor<8x16xf32>
  // CHECK: dnnf.flatten %{{.*}} {axis = 2 : i64} : (tensor<1x8x4x4xf32>) -> tensor<8x16xf32>
  %1 = dnnf.flatten %x {axis = 2 : i64} : (tensor<1x8x4x4xf32>) -> tensor<8x16xf32>
  // CHECK: dnnf.squeeze %{{.*}} {axes = array<i64: 0>} : (tensor<1x8x4x4xf32>) -> tensor<8x4x4xf32>
  %2 = dnnf.squeeze %x {axes = array<i64: 0>} : (tensor<1x8x4x4xf32>) -> tensor<8x4x4xf32>
  // CHECK: dnnf.unsqueeze %{{.*}} {axes = array<i64: 0, -1>} : (tensor<8x4x4xf32>) -> tensor<1x8x4x4x1xf32>
  %3 = dnnf.unsqueeze %2 {axes = array<i64: 0, -1>} : (tensor<8x4x4xf32>) -> tensor<1x8x4x4x1xf32>
  // CHECK: dnnf.transpose %{{.*}} {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x8x4x4xf32>) -> tensor<1x4x4x8xf32>
  %4 = dnnf.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x8x4x4xf32>) -> tensor<1x4x4x8xf32>
  // CHECK: dnnf.depth_to_space %{{.*}} {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x4x4xf32>) -> tensor<1x2x8x8xf32>
  %5 = dnnf.depth_to_space %x {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x4x4xf32>) -> tensor<1x2x8x8xf32>
  // CHECK: dnnf.space_to_depth %{{.*}} {blocksize = 2 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x32x2x2xf32>
  %6 = dnnf.space_to_depth %x {blocksize = 2 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x32x2x2xf32>
  // CHECK: dnnf.expand %{{.*}} : tensor<3x1xf32> to tensor<2x3x5xf32>
  %7 = dnnf.expand %e : tensor<3x1xf32> to tensor<2x3x5xf32>
  // CHECK: dnnf.tile %{{.*}} {repeats = array<i64: 2, 3>} : (tensor<3x1xf32>) -> tensor<6x3xf32>
  %8 = dnnf.tile %e {repeats = array<i64: 2, 3>} : (tensor<3x1xf32>) -> tensor<6x3xf32>
  // CHECK: dnnf.gather %{{.*}}[%{{.*}}] {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<2x3xi64>) -> tensor<1x2x3x4x4xf32>
  %9 = dnnf.gather %x[%i] {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<2x3xi64>) -> tensor<1x2x3x4x4xf32>
  // CHECK: dnnf.resize %{{.*}} {mode = "linear", scales = array<f64: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : tensor<1x8x4x4xf32> to tensor<1x8x8x8xf32>
  %10 = dnnf.resize %x {mode = "linear", scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : tensor<1x8x4x4xf32> to tensor<1x8x8x8xf32>
  // CHECK: dnnf.pad %{{.*}} {mode = "reflect", pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x6xf32>
  %11 = dnnf.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "reflect"} : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x6xf32>
  // CHECK: dnnf.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<1x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %12 = dnnf.concat %s, %s {axis = 0 : i64} : (tensor<1x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.slice %{{.*}} {axes = array<i64: 1, 3>, ends = array<i64: 8, -1>, starts = array<i64: 2, 0>, steps = array<i64: 2, 1>} : (tensor<1x8x4x4xf32>) -> tensor<1x3x4x3xf32>
  %13 = dnnf.slice %x {starts = array<i64: 2, 0>, ends = array<i64: 8, -1>, axes = array<i64: 1, 3>, steps = array<i64: 2, 1>} : (tensor<1x8x4x4xf32>) -> tensor<1x3x4x3xf32>
  // CHECK: dnnf.split %{{.*}} {axis = 1 : i64, sizes = array<i64: 2, 6>} : (tensor<1x8x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x6x4x4xf32>)
  %14:2 = dnnf.split %x {axis = 1 : i64, sizes = array<i64: 2, 6>} : (tensor<1x8x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x6x4x4xf32>)
  return
}

// CHECK-LABEL: func.func @fused
func.func @fused(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x3x3xf32>) -> tensor<1x8x4x4xf32> {
  // CHECK: dnnf.fused(%{{.*}}, %{{.*}}) : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x4x4xf32> attributes {mapping = #dnnf.mapping<many_to_many>} {
  // CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<1x8x4x4xf32>, %[[B:.*]]: tensor<8x8x3x3xf32>):
  // CHECK: dnnf.conv %[[A]], %[[B]]
  // CHECK: %[[R:.*]] = dnnf.relu
  // CHECK: dnnf.yield %[[R]] : tensor<1x8x4x4xf32>
  %0 = dnnf.fused (%x, %w) : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x4x4xf32> attributes {mapping = #dnnf.mapping<many_to_many>} {
  ^bb0(%a: tensor<1x8x4x4xf32>, %b: tensor<8x8x3x3xf32>):
    %c = dnnf.conv %a, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x4x4xf32>
    %r = dnnf.relu %c : tensor<1x8x4x4xf32>
    dnnf.yield %r : tensor<1x8x4x4xf32>
  }
  return %0 : tensor<1x8x4x4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weight0: "0x040000000000803F0000004000004040"
    }
  }
#-}
