// RUN: dnnf-opt %s -split-input-file -dnnf-read-padded-interiors | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-read-padded-interiors -eliminate-empty-tensors -one-shot-bufferize=bufferize-function-boundaries -cse -canonicalize | FileCheck %s --check-prefix=BUF
// RUN: dnnf-opt %s -split-input-file -dnnf-read-padded-interiors -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS

// A value inserted into its padded buffer (a decomposed pad) and read again
// after the insert: the later reader reads the interior back.  Bufferized,
// the producer writes the interior in place and nothing is copied; without
// the rewrite, bufferization copies the interior out and back.
// CHECK-LABEL: func.func @pool_input_read_twice
// CHECK: %[[X:.*]] = linalg.generic
// CHECK: %[[P:.*]] = tensor.insert_slice %[[X]] into %{{.*}}[0, 1, 1] [2, 4, 4] [1, 1, 1]
// CHECK: %[[I:.*]] = tensor.extract_slice %[[P]][0, 1, 1] [2, 4, 4] [1, 1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[I]] :
// BUF-LABEL: func.func @pool_input_read_twice
// BUF-NOT: memref.copy
// BUF: return
// STATS: (S) 1 redirected
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @pool_input_read_twice(%a: tensor<2x4x4xf32>) -> (tensor<2x6x6xf32>, tensor<2x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e6 = tensor.empty() : tensor<2x6x6xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e6 : tensor<2x6x6xf32>) -> tensor<2x6x6xf32>
  %e = tensor.empty() : tensor<2x4x4xf32>
  %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%a : tensor<2x4x4xf32>) outs(%e : tensor<2x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<2x4x4xf32>
  %p = tensor.insert_slice %x into %fill[0, 1, 1] [2, 4, 4] [1, 1, 1] : tensor<2x4x4xf32> into tensor<2x6x6xf32>
  %e2 = tensor.empty() : tensor<2x4x4xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<2x4x4xf32>) outs(%e2 : tensor<2x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<2x4x4xf32>
  return %p, %y : tensor<2x6x6xf32>, tensor<2x4x4xf32>
}

// -----

// An insert into a tensor that is not filled (a concatenation) is left
// alone: later inserts into its other slices would conflict with the
// readers.
// CHECK-LABEL: func.func @not_a_pad
// CHECK-NOT: tensor.extract_slice
// CHECK: return
func.func @not_a_pad(%x: tensor<2x4xf32>, %y: tensor<2x4xf32>) -> (tensor<4x4xf32>, tensor<2x4xf32>) {
  %e = tensor.empty() : tensor<4x4xf32>
  %a = tensor.insert_slice %x into %e[0, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
  %b = tensor.insert_slice %y into %a[2, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
  return %b, %x : tensor<4x4xf32>, tensor<2x4xf32>
}
