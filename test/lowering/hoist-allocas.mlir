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

// -----

// In a task body, a small static heap buffer freed in its own block becomes
// an alloca (hoisted to the entry); a large one, one freed elsewhere, and
// those of other functions stay on the heap.
// CHECK-LABEL: func.func @task(
// CHECK-NEXT: %[[T:.*]] = memref.alloca() {alignment = 64 : i64} : memref<32x224xf32>
// CHECK: scf.for
// CHECK-NOT: memref.alloc() {alignment = 64 : i64} : memref<32x224xf32>
// CHECK: memref.store %{{.*}}, %[[T]]
// CHECK-NOT: memref.dealloc %[[T]]
// CHECK: %[[B:.*]] = memref.alloc() : memref<256x256xf32>
// CHECK: memref.dealloc %[[B]]
// CHECK: %[[O:.*]] = memref.alloc() : memref<4xf32>
// CHECK: scf.for
// CHECK: memref.dealloc %[[O]]
// CHECK-LABEL: func.func @not_a_task(
// CHECK: memref.alloc() : memref<4xf32>
// CHECK: memref.dealloc
func.func @task(%n: index, %v: f32) attributes {dnnf.parallel_body} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %t = memref.alloc() {alignment = 64 : i64} : memref<32x224xf32>
    memref.store %v, %t[%c0, %i] : memref<32x224xf32>
    memref.dealloc %t : memref<32x224xf32>
  }
  %big = memref.alloc() : memref<256x256xf32>
  memref.store %v, %big[%c0, %c0] : memref<256x256xf32>
  memref.dealloc %big : memref<256x256xf32>
  %o = memref.alloc() : memref<4xf32>
  scf.for %i = %c0 to %n step %c1 {
    memref.dealloc %o : memref<4xf32>
  }
  return
}

func.func @not_a_task(%v: f32) {
  %c0 = arith.constant 0 : index
  %a = memref.alloc() : memref<4xf32>
  memref.store %v, %a[%c0] : memref<4xf32>
  memref.dealloc %a : memref<4xf32>
  return
}
