// RUN: dnnf-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dnnf-unalias-results))' | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dnnf-unalias-results),buffer-results-to-out-params{hoist-static-allocs modify-public-functions})' | FileCheck %s --check-prefix=OUT

// A buffer returned twice: the second result gets its own copy, so that
// buffer-results-to-out-params can hoist the allocation into the first
// out-parameter (it would otherwise reuse the erased allocation).
// CHECK-LABEL: func.func @twice
// CHECK: %[[A:.*]] = memref.alloc() : memref<4xf32>
// CHECK: %[[C:.*]] = memref.alloc() : memref<4xf32>
// CHECK: memref.copy %[[A]], %[[C]] : memref<4xf32> to memref<4xf32>
// CHECK: %[[D:.*]] = memref.alloc() : memref<4xf32>
// CHECK: memref.copy %[[A]], %[[D]]
// CHECK: return %[[A]], %[[C]], %[[D]]
// OUT-LABEL: func.func @twice
// OUT-SAME: (%[[O0:.*]]: memref<4xf32>, %[[O1:.*]]: memref<4xf32>, %[[O2:.*]]: memref<4xf32>)
// OUT: memref.copy %[[O0]], %[[O1]]
// OUT: memref.copy %[[O0]], %[[O2]]
// OUT: return
func.func @twice() -> (memref<4xf32>, memref<4xf32>, memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  return %a, %a, %a : memref<4xf32>, memref<4xf32>, memref<4xf32>
}

// -----

// Distinct results are left alone.
// CHECK-LABEL: func.func @distinct
// CHECK-NOT: memref.copy
func.func @distinct(%x: memref<4xf32>) -> (memref<4xf32>, memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  return %x, %a : memref<4xf32>, memref<4xf32>
}
