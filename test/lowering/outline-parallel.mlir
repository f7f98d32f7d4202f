// RUN: dnnf-opt %s -split-input-file -dnnf-outline-parallel | FileCheck %s

// A 2-D scf.parallel (2 x 3 iterations, lower bounds and steps applied):
// the loop becomes a launch of 6 tasks; the body function delinearizes its
// index (innermost fastest), gets the constants cloned and the memref as an
// argument; the launch runs the body for each index in order.
// CHECK-LABEL: func.func @f(
// CHECK-SAME: %[[M:.*]]: memref<4x12xf32>
// CHECK-NOT: scf.parallel
// CHECK: %[[N:.*]] = arith.constant 6 : index
// CHECK: call @f_parallel_0__launch(%[[N]], %[[M]]) : (index, memref<4x12xf32>) -> ()
// CHECK: func.func private @f_parallel_0(%[[I:.*]]: index, %[[A:.*]]: memref<4x12xf32>) attributes {dnnf.parallel_body}
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[J:.*]] = arith.remsi %[[I]], %[[C3]]
// CHECK: %[[K:.*]] = arith.divsi %[[I]], %[[C3]]
// CHECK: %[[JS:.*]] = arith.muli %[[J]], %[[C4]]
// CHECK: %[[IV1:.*]] = arith.addi %{{.*}}, %[[JS]]
// CHECK: %[[IV0:.*]] = arith.addi
// CHECK: memref.store %{{.*}}, %[[A]][%[[IV0]], %[[IV1]]]
// CHECK: func.func private @f_parallel_0__launch(%[[CNT:.*]]: index, %[[B:.*]]: memref<4x12xf32>) attributes {dnnf.parallel_launch = @f_parallel_0}
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %[[CNT]]
// CHECK: func.call @f_parallel_0(%[[T]], %[[B]])
func.func @f(%m: memref<4x12xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c12 = arith.constant 12 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c12) step (%c2, %c4) {
    memref.store %cst, %m[%i, %j] : memref<4x12xf32>
    scf.reduce
  }
  return
}

// -----

// Nested loops: only the outermost is outlined; two loops, two functions.
// A dynamic bound is an argument (here both the count and the capture).
// CHECK-LABEL: func.func @g(
// CHECK-SAME: %{{.*}}: memref<8xf32>, %[[NN:.*]]: index)
// CHECK: call @g_parallel_0__launch
// CHECK: call @g_parallel_1__launch(%[[NN]], %{{.*}}, %[[NN]])
// CHECK-DAG: func.func private @g_parallel_1(%{{.*}}: index, %{{.*}}: memref<8xf32>, %{{.*}}: index)
// CHECK-DAG: func.func private @g_parallel_0(%{{.*}}: index, %{{.*}}: memref<8xf32>)
// CHECK-DAG: scf.parallel
func.func @g(%m: memref<8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c1) step (%c1) {
      memref.store %cst, %m[%i] : memref<8xf32>
      scf.reduce
    }
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %cst, %m[%i] : memref<8xf32>
    scf.reduce
  }
  return
}
