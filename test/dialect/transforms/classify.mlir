// RUN: dnnf-opt %s -split-input-file -dnnf-classify | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-classify -dnnf-classify="remove=true" | FileCheck %s --check-prefix=REMOVE
// RUN: dnnf-opt %s -split-input-file -dnnf-classify="emit-remarks=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// RUN: dnnf-opt %s -split-input-file -dnnf-classify -mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS

// Elementwise ops: one_to_one when shapes match, one_to_many when an operand
// broadcasts (DNNFusion: the type belongs to the op instance).

// CHECK-LABEL: func.func @elementwise
// REMOVE-LABEL: func.func @elementwise
// REMOVE-NOT: mapping
func.func @elementwise(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>, %c: tensor<3xf32>,
                       %d: tensor<1x3xf32>, %m: tensor<2x3xi1>) {
  // CHECK: dnnf.add %{{.*}}, %{{.*}} {mapping = #dnnf.mapping<one_to_one>}
  // REMARK: remark: mapping type: one_to_one
  %0 = dnnf.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.add %{{.*}}, %{{.*}} {mapping = #dnnf.mapping<one_to_many>}
  // REMARK: remark: mapping type: one_to_many
  %1 = dnnf.add %a, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // Same rank, size-1 dimension broadcasts.
  // CHECK: dnnf.mul %{{.*}}, %{{.*}} {mapping = #dnnf.mapping<one_to_many>}
  %2 = dnnf.mul %d, %a : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.sub %{{.*}}, %{{.*}} {mapping = #dnnf.mapping<one_to_one>}
  %3 = dnnf.sub %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.div %{{.*}}, %{{.*}} {mapping = #dnnf.mapping<one_to_many>}
  %4 = dnnf.div %c, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.greater %{{.*}}, %{{.*}} {mapping = #dnnf.mapping<one_to_one>}
  %5 = dnnf.greater %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
  // CHECK: dnnf.equal %{{.*}}, %{{.*}} {mapping = #dnnf.mapping<one_to_many>}
  %6 = dnnf.equal %a, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: dnnf.where %{{.*}}, %{{.*}}, %{{.*}} {mapping = #dnnf.mapping<one_to_one>}
  %7 = dnnf.where %m, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // The most complex input wins: one broadcasting operand makes it one_to_many.
  // CHECK: dnnf.where %{{.*}}, %{{.*}}, %{{.*}} {mapping = #dnnf.mapping<one_to_many>}
  %8 = dnnf.where %m, %a, %c : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.relu %{{.*}} {mapping = #dnnf.mapping<one_to_one>}
  %9 = dnnf.relu %a : tensor<2x3xf32>
  // CHECK: dnnf.clip %{{.*}} {mapping = #dnnf.mapping<one_to_one>, max = 6.000000e+00 : f64}
  %10 = dnnf.clip %a {max = 6.0 : f64} : tensor<2x3xf32>
  // CHECK: dnnf.cast %{{.*}} {mapping = #dnnf.mapping<one_to_one>}
  %11 = dnnf.cast %a : tensor<2x3xf32> to tensor<2x3xf16>
  // PRelu's slope is a learned parameter: the data input decides (Table 2).
  // CHECK: dnnf.prelu %{{.*}}, %{{.*}} {mapping = #dnnf.mapping<one_to_one>}
  %12 = dnnf.prelu %a, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// CHECK-LABEL: func.func @many_to_many
// REMOVE-LABEL: func.func @many_to_many
// REMOVE-NOT: mapping
func.func @many_to_many(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>,
                        %a: tensor<4x8xf32>, %b: tensor<8x4xf32>, %c: tensor<4xf32>) {
  // CHECK: dnnf.conv {{.*}}mapping = #dnnf.mapping<many_to_many>
  %0 = dnnf.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: dnnf.matmul {{.*}}mapping = #dnnf.mapping<many_to_many>
  %1 = dnnf.matmul %a, %b : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  // CHECK: dnnf.gemm {{.*}}mapping = #dnnf.mapping<many_to_many>
  %2 = dnnf.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  // CHECK: dnnf.max_pool {{.*}}mapping = #dnnf.mapping<many_to_many>
  %3 = dnnf.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  // CHECK: dnnf.global_average_pool {{.*}}mapping = #dnnf.mapping<many_to_many>
  %4 = dnnf.global_average_pool %x : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  // CHECK: dnnf.reduce_sum {{.*}}mapping = #dnnf.mapping<many_to_many>
  %5 = dnnf.reduce_sum %a {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  // CHECK: dnnf.softmax {{.*}}mapping = #dnnf.mapping<many_to_many>
  %6 = dnnf.softmax %a : tensor<4x8xf32>
  // CHECK: dnnf.layer_norm {{.*}}mapping = #dnnf.mapping<many_to_many>
  %7 = dnnf.layer_norm %b, %c : (tensor<8x4xf32>, tensor<4xf32>) -> tensor<8x4xf32>
  // CHECK: dnnf.instance_norm {{.*}}mapping = #dnnf.mapping<many_to_many>
  %8 = dnnf.instance_norm %x, %c, %c : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: dnnf.cumsum {{.*}}mapping = #dnnf.mapping<many_to_many>
  %9 = dnnf.cumsum %a {axis = 1 : i64} : tensor<4x8xf32>
  // CHECK: dnnf.einsum {{.*}}mapping = #dnnf.mapping<many_to_many>
  %10 = dnnf.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  // CHECK: dnnf.lrn {{.*}}mapping = #dnnf.mapping<many_to_many>
  %11 = dnnf.lrn %x {size = 3 : i64} : tensor<1x4x8x8xf32>
  // BatchNormalization (inference) is one_to_one in DNNFusion's Table 2.
  // CHECK: dnnf.batch_norm {{.*}}mapping = #dnnf.mapping<one_to_one>
  %12 = dnnf.batch_norm %x, %c, %c, %c, %c : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: dnnf.conv_transpose {{.*}}mapping = #dnnf.mapping<many_to_many>
  %13 = dnnf.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: dnnf.arg_max {{.*}}mapping = #dnnf.mapping<many_to_many>
  %14 = dnnf.arg_max %a {axis = 1 : i64} : (tensor<4x8xf32>) -> tensor<4x1xi64>
  return
}

// -----

// CHECK-LABEL: func.func @data_movement
// REMOVE-LABEL: func.func @data_movement
// REMOVE-NOT: mapping
func.func @data_movement(%x: tensor<1x8x4x4xf32>, %i: tensor<3xi64>, %s: tensor<3x1xf32>) {
  // Reorganize: pure copies with a 1-1 index remap.
  // CHECK: dnnf.reshape {{.*}}mapping = #dnnf.mapping<reorganize>
  %0 = dnnf.reshape %x : tensor<1x8x4x4xf32> to tensor<8x16xf32>
  // CHECK: dnnf.flatten {{.*}}mapping = #dnnf.mapping<reorganize>
  %1 = dnnf.flatten %x : (tensor<1x8x4x4xf32>) -> tensor<1x128xf32>
  // CHECK: dnnf.squeeze {{.*}}mapping = #dnnf.mapping<reorganize>
  %2 = dnnf.squeeze %x {axes = array<i64: 0>} : (tensor<1x8x4x4xf32>) -> tensor<8x4x4xf32>
  // CHECK: dnnf.unsqueeze {{.*}}mapping = #dnnf.mapping<reorganize>
  %3 = dnnf.unsqueeze %2 {axes = array<i64: 1>} : (tensor<8x4x4xf32>) -> tensor<8x1x4x4xf32>
  // Shuffle: permutations of dimensions.
  // CHECK: dnnf.transpose {{.*}}mapping = #dnnf.mapping<shuffle>
  %4 = dnnf.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x8x4x4xf32>) -> tensor<1x4x4x8xf32>
  // CHECK: dnnf.depth_to_space {{.*}}mapping = #dnnf.mapping<shuffle>
  %5 = dnnf.depth_to_space %x {blocksize = 2 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x2x8x8xf32>
  // CHECK: dnnf.space_to_depth {{.*}}mapping = #dnnf.mapping<shuffle>
  %6 = dnnf.space_to_depth %x {blocksize = 2 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x32x2x2xf32>
  // One-to-many.
  // CHECK: dnnf.expand {{.*}}mapping = #dnnf.mapping<one_to_many>
  %7 = dnnf.expand %s : tensor<3x1xf32> to tensor<3x4xf32>
  // CHECK: dnnf.gather {{.*}}mapping = #dnnf.mapping<one_to_many>
  %8 = dnnf.gather %x[%i] {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<3xi64>) -> tensor<1x3x4x4xf32>
  // CHECK: dnnf.resize {{.*}}mapping = #dnnf.mapping<one_to_many>
  %9 = dnnf.resize %x : tensor<1x8x4x4xf32> to tensor<1x8x8x8xf32>
  // CHECK: dnnf.tile {{.*}}mapping = #dnnf.mapping<one_to_many>
  %10 = dnnf.tile %s {repeats = array<i64: 1, 4>} : (tensor<3x1xf32>) -> tensor<3x4xf32>
  // Concat, Slice and Split copy each element once: one_to_one.
  // CHECK: dnnf.concat {{.*}}mapping = #dnnf.mapping<one_to_one>
  %11 = dnnf.concat %x, %x {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x16x4x4xf32>
  // CHECK: dnnf.slice {{.*}}mapping = #dnnf.mapping<one_to_one>
  %12 = dnnf.slice %x {starts = array<i64: 0>, ends = array<i64: 4>, axes = array<i64: 1>, steps = array<i64: 1>} : (tensor<1x8x4x4xf32>) -> tensor<1x4x4x4xf32>
  // CHECK: dnnf.split {{.*}}mapping = #dnnf.mapping<one_to_one>
  %13:2 = dnnf.split %x {axis = 1 : i64, sizes = array<i64: 4, 4>} : (tensor<1x8x4x4xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>)
  // CHECK: dnnf.pad {{.*}}mapping = #dnnf.mapping<one_to_one>
  %14 = dnnf.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

// A fused block keeps the type it carries; ops inside are classified too.
// CHECK-LABEL: func.func @fused
// REMOVE-LABEL: func.func @fused
// REMOVE: dnnf.fused{{.*}}attributes {mapping = #dnnf.mapping<one_to_many>}
// REMOVE-NOT: mapping
func.func @fused(%x: tensor<4xf32>, %y: tensor<1xf32>) -> tensor<4xf32> {
  // CHECK: dnnf.fused{{.*}}attributes {mapping = #dnnf.mapping<one_to_many>}
  // CHECK: dnnf.add {{.*}}mapping = #dnnf.mapping<one_to_many>
  // CHECK: dnnf.exp {{.*}}mapping = #dnnf.mapping<one_to_one>
  %0 = dnnf.fused (%x, %y) : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32> attributes {mapping = #dnnf.mapping<one_to_many>} {
  ^bb0(%a: tensor<4xf32>, %b: tensor<1xf32>):
    %s = dnnf.add %a, %b : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
    %e = dnnf.exp %s : tensor<4xf32>
    dnnf.yield %e : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// Statistics are printed per split chunk; the first is @elementwise.
// STATS: DnnfClassify
// STATS-DAG: 0 many-to-many
// STATS-DAG: 5 one-to-many
// STATS-DAG: 8 one-to-one
// STATS-DAG: 0 reorganize
// STATS-DAG: 0 shuffle
