// Booleans, a result returned twice and an empty result through the whole
// CPU pipeline: i1 buffers are stored as bytes (the LLVM lowering of memref
// loads and stores rejects sub-byte types), and the repeated result is
// copied into its own out-parameter.
// RUN: dnnf-opt %s --dnnf-cpu-pipeline="out-params=1" | FileCheck %s

// CHECK-LABEL: llvm.func @main
// CHECK: llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK: %[[B:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i8
// CHECK: llvm.trunc %[[B]] : i8 to i1
// CHECK: %[[R:.*]] = llvm.zext %{{.*}} : i1 to i8
// CHECK: llvm.store %[[R]], %{{.*}} : i8, !llvm.ptr
// The copy of the repeated result:
// CHECK: llvm.load %{{.*}} : !llvm.ptr -> i8
// CHECK: llvm.store %{{.*}} : i8, !llvm.ptr
// CHECK-NOT: i1, !llvm.ptr
// CHECK: llvm.func @_mlir_ciface_main
func.func @main(%a: tensor<4xf32>, %b: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<0xf32>) attributes {llvm.emit_c_interface} {
  %0 = dnnf.less %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %1 = dnnf.and %0, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %2 = dnnf.slice %a {starts = array<i64: 4>, ends = array<i64: 4>, axes = array<i64: 0>, steps = array<i64: 1>} : (tensor<4xf32>) -> tensor<0xf32>
  return %1, %1, %2 : tensor<4xi1>, tensor<4xi1>, tensor<0xf32>
}
