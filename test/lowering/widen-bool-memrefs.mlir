// RUN: dnnf-opt %s -split-input-file -dnnf-widen-bool-memrefs | FileCheck %s

// Booleans are bytes: arguments, views and globals become i8 memrefs; loads
// truncate to i1, stores extend to i8.
// CHECK: memref.global "private" constant @bits : memref<2x2xi8> = dense<{{\[\[}}1, 0], [0, 1]]>
// CHECK-LABEL: func.func @loads_and_stores
// CHECK-SAME: (%[[A:.*]]: memref<2x2xi8>, %[[B:.*]]: memref<2xi8>)
// CHECK: %[[G:.*]] = memref.get_global @bits : memref<2x2xi8>
// CHECK: %[[V:.*]] = memref.subview %[[A]][0, 1] [2, 1] [1, 1] : memref<2x2xi8> to memref<2xi8, strided<[2], offset: 1>>
// CHECK: %[[X:.*]] = memref.load %[[V]][%{{.*}}] : memref<2xi8, strided<[2], offset: 1>>
// CHECK: %[[XB:.*]] = arith.trunci %[[X]] : i8 to i1
// CHECK: %[[Y:.*]] = memref.load %[[G]][%{{.*}}, %{{.*}}] : memref<2x2xi8>
// CHECK: %[[YB:.*]] = arith.trunci %[[Y]] : i8 to i1
// CHECK: %[[R:.*]] = arith.andi %[[XB]], %[[YB]] : i1
// CHECK: %[[RB:.*]] = arith.extui %[[R]] : i1 to i8
// CHECK: memref.store %[[RB]], %[[B]][%{{.*}}] : memref<2xi8>
memref.global "private" constant @bits : memref<2x2xi1> = dense<[[true, false], [false, true]]>
func.func @loads_and_stores(%a: memref<2x2xi1>, %b: memref<2xi1>) {
  %c0 = arith.constant 0 : index
  %g = memref.get_global @bits : memref<2x2xi1>
  %v = memref.subview %a[0, 1] [2, 1] [1, 1] : memref<2x2xi1> to memref<2xi1, strided<[2], offset: 1>>
  %x = memref.load %v[%c0] : memref<2xi1, strided<[2], offset: 1>>
  %y = memref.load %g[%c0, %c0] : memref<2x2xi1>
  %r = arith.andi %x, %y : i1
  memref.store %r, %b[%c0] : memref<2xi1>
  return
}

// -----

// Allocations, shape changes and loop-carried buffers are retyped in place;
// other element types are left alone.
// CHECK-LABEL: func.func @alloc_and_loops
// CHECK-SAME: -> memref<4xi8>
// CHECK: %[[M:.*]] = memref.alloc() : memref<2x2xi8>
// CHECK: %[[F:.*]] = memref.collapse_shape %[[M]] {{\[\[}}0, 1]] : memref<2x2xi8> into memref<4xi8>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[F]]) -> (memref<4xi8>)
// CHECK: memref.alloc() : memref<4xf32>
func.func @alloc_and_loops(%n: index) -> memref<4xi1> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = memref.alloc() : memref<2x2xi1>
  %f = memref.collapse_shape %m [[0, 1]] : memref<2x2xi1> into memref<4xi1>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%it = %f) -> (memref<4xi1>) {
    scf.yield %it : memref<4xi1>
  }
  %other = memref.alloc() : memref<4xf32>
  return %r : memref<4xi1>
}
