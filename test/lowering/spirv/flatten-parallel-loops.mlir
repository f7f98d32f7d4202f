// RUN: dnnf-opt %s -split-input-file --dnnf-flatten-parallel-loops | FileCheck %s
// RUN: dnnf-opt %s -split-input-file --dnnf-flatten-parallel-loops="workgroup-size=4 max-workgroups=2" | FileCheck %s --check-prefix=SPLIT

// A 2-D parallel nest with a reduction loop inside becomes one flat loop of
// 3 x 5 iterations, the indices recovered by unsigned div/rem (the inner one
// fastest), the scf.for kept inside.

// CHECK-LABEL: func.func @nest
// CHECK:         %[[C15:.*]] = arith.constant 15 : index
// CHECK:         scf.parallel (%[[L:.*]]) = (%{{.*}}) to (%[[C15]]) step (%{{.*}}) {
// CHECK:           %[[C5:.*]] = arith.constant 5 : index
// CHECK:           %[[J:.*]] = arith.remui %[[L]], %[[C5]] : index
// CHECK:           %[[I:.*]] = arith.divui %[[L]], %[[C5]] : index
// CHECK:           scf.for %[[K:.*]] =
// CHECK:             memref.load %{{.*}}[%[[I]], %[[K]]]
// CHECK:             memref.store %{{.*}}, %{{.*}}[%[[I]], %[[J]]]
// CHECK-NOT:     scf.parallel
// CHECK:         return

// SPLIT-LABEL: func.func @nest
// SPLIT:         scf.parallel
// SPLIT-SAME:      to (%c8, %c2)
// SPLIT:           %[[LIN:.*]] = arith.addi
// SPLIT:           %[[IN:.*]] = arith.cmpi ult, %[[LIN]], %c15
// SPLIT:           scf.if %[[IN]] {
// SPLIT:             arith.remui %[[LIN]]
func.func @nest(%a: memref<3x7xf32>, %out: memref<3x5xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c3, %c5) step (%c1, %c1) {
    scf.for %k = %c0 to %c7 step %c1 {
      %x = memref.load %a[%i, %k] : memref<3x7xf32>
      %y = memref.load %out[%i, %j] : memref<3x5xf32>
      %s = arith.addf %x, %y : f32
      memref.store %s, %out[%i, %j] : memref<3x5xf32>
    }
    scf.reduce
  }
  return
}

// -----

// Parallel / for / parallel (a reduction dimension between parallel ones):
// both parallel loops join the flat loop, steps and lower bounds applied.

// CHECK-LABEL: func.func @interleaved
// CHECK:         scf.parallel (%[[L:.*]]) = (%{{.*}}) to (%c8) step
// CHECK:           %[[C4:.*]] = arith.constant 4 : index
// CHECK:           %[[Q:.*]] = arith.remui %[[L]], %[[C4]]
// CHECK:           %[[P:.*]] = arith.divui %[[L]], %[[C4]]
// CHECK:           %[[P2:.*]] = arith.muli %[[P]], %c2{{.*}}
// CHECK:           %[[P3:.*]] = arith.addi %[[P2]], %c1{{.*}}
// CHECK:           scf.for %[[K:.*]] =
// CHECK:             memref.store %{{.*}}, %{{.*}}[%[[P3]], %[[Q]]]
// CHECK-NOT:     scf.parallel
func.func @interleaved(%out: memref<5x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%p) = (%c1) to (%c5) step (%c2) {
    scf.for %k = %c0 to %c3 step %c1 {
      scf.parallel (%q) = (%c0) to (%c4) step (%c1) {
        memref.store %f, %out[%p, %q] : memref<5x4xf32>
        scf.reduce
      }
    }
    scf.reduce
  }
  return
}

// -----

// Straight-line code between kernels (a 0-d store) runs in a one-iteration
// loop; buffers and constants stay on the host; a bare scf.for nest (no
// parallel dimension) is one iteration too.

// CHECK-LABEL: func.func @host_code
// CHECK:         memref.alloc
// CHECK:         scf.parallel (%{{.*}}) = (%c0{{.*}}) to (%c1{{.*}}) step
// CHECK-NEXT:      memref.store
// CHECK-NEXT:      scf.reduce
// CHECK:         scf.parallel (%{{.*}}) = (%c0{{.*}}) to (%c1{{.*}}) step
// CHECK-NEXT:      scf.for
func.func @host_code(%out: memref<f32>, %v: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %f = arith.constant 2.0 : f32
  %buf = memref.alloc() : memref<4xf32>
  memref.store %f, %out[] : memref<f32>
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %v[%i] : memref<4xf32>
    memref.store %x, %buf[%i] : memref<4xf32>
  }
  memref.dealloc %buf : memref<4xf32>
  return
}
