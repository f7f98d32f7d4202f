// RUN: dnnf-opt %s -split-input-file -dnnf-hoist-allocas | FileCheck %s

// Static allocas in loops move to the entry block; dynamic ones and those
// in an alloca_scope stay.
// CHECK-LABEL: func.func @f(
// CHECK-NEXT: %[[A:.*]] = memref.alloca() : memref<vector<8x32xf32>>
// CHECK: scf.for
// CHECK-NOT: memref.alloca() : memref<vector<8x32xf32>>
// CHECK: memref.alloca(%{{.*}}) : memref<?xf32>
// CHECK: memref.alloca_scope
// CHECK-NEXT: memref.alloca() : memref<4xf32>
// CHECK: memref.store %{{.*}}, %[[A]][]
func.func @f(%n: index, %v: vector<8x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %a = memref.alloca() : memref<vector<8x32xf32>>
    %d = memref.alloca(%n) : memref<?xf32>
    memref.alloca_scope {
      %s = memref.alloca() : memref<4xf32>
    }
    memref.store %v, %a[] : memref<vector<8x32xf32>>
  }
  return
}
