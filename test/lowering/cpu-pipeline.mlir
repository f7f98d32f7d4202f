// The whole CPU pipeline reaches the LLVM dialect with no runtime calls.
// RUN: dnnf-opt %s --dnnf-cpu-pipeline="out-params=1" | FileCheck %s
// RUN: dnnf-opt %s --dnnf-lower-memref-copy --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=COPY

// CHECK-NOT: memrefCopy
// CHECK-LABEL: llvm.func @main
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: llvm.fmul
// CHECK: llvm.func @_mlir_ciface_main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NOT: dnnf.
func.func @main(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> attributes {llvm.emit_c_interface} {
  %0 = dnnf.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = dnnf.sigmoid %0 : tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// COPY: DnnfLowerMemrefCopy
// COPY: 1 copies
func.func @copy(%a: memref<4xf32, strided<[2]>>, %b: memref<4xf32>) {
  memref.copy %a, %b : memref<4xf32, strided<[2]>> to memref<4xf32>
  return
}
