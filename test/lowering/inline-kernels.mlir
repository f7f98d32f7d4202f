// RUN: dnnf-opt %s -split-input-file -dnnf-inline-kernels="emit-remarks=true" -verify-diagnostics | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-inline-kernels -mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS

// Kernel bodies go back into their callers and the kernels are erased; a
// collapse of an expand left at a former boundary cancels out.  A kernel of
// two loop nests (a reduction and an elementwise op reading it through a
// broadcast) is reported.
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<4x8xf32>
// CHECK: %[[N:.*]] = linalg.generic
// CHECK-NOT: tensor.expand_shape
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.reduce ins(%[[N]]
// CHECK: linalg.generic
// CHECK-NOT: call
// CHECK-NOT: func.func private
// STATS: DnnfInlineKernels
// STATS-DAG: 2 kernels
// STATS-DAG: 3 loop-nests
// STATS-DAG: 1 multi-nest-kernels
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = call @main_kernel0(%x) : (tensor<4x8xf32>) -> tensor<4x2x4xf32>
  %1 = call @main_kernel1(%0) : (tensor<4x2x4xf32>) -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}
func.func private @main_kernel0(%a: tensor<4x8xf32>) -> tensor<4x2x4xf32> attributes {dnnf.kernel = #dnnf.mapping<one_to_one>} {
  %e = tensor.empty() : tensor<4x8xf32>
  %n = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = arith.negf %in : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %r = tensor.expand_shape %n [[0], [1, 2]] output_shape [4, 2, 4] : tensor<4x8xf32> into tensor<4x2x4xf32>
  return %r : tensor<4x2x4xf32>
}
// expected-remark @below {{kernel main_kernel1 lowered to 2 loop nests}}
func.func private @main_kernel1(%b: tensor<4x2x4xf32>) -> tensor<4x8xf32> attributes {dnnf.kernel = #dnnf.mapping<many_to_many>} {
  %c = tensor.collapse_shape %b [[0], [1, 2]] : tensor<4x2x4xf32> into tensor<4x8xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.reduce ins(%c : tensor<4x8xf32>) outs(%f : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %t = arith.addf %in, %acc : f32
      linalg.yield %t : f32
    }
  %e2 = tensor.empty() : tensor<4x8xf32>
  %d = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%c, %s : tensor<4x8xf32>, tensor<4xf32>) outs(%e2 : tensor<4x8xf32>) {
  ^bb0(%in: f32, %m: f32, %out: f32):
    %v = arith.subf %in, %m : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}
