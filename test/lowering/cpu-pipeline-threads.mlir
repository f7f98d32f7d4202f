// With threads > 1 the large elementwise loop (a producer: only consumers
// are fused into matmul tiles) and the matmul's cache tiles are outlined and launched on dnnf's thread pool (dnnf_parallel_for, one
// task per tile or chunk); with threads=1 (the default) no call is left.
// RUN: dnnf-opt %s --dnnf-cpu-pipeline="out-params=1 threads=2" | FileCheck %s
// RUN: dnnf-opt %s --dnnf-cpu-pipeline="out-params=1" | FileCheck %s --check-prefix=SEQ

// CHECK-LABEL: llvm.func @main(
// CHECK: llvm.call @main_parallel_0__launch
// CHECK: llvm.call @main_parallel_1__launch
// CHECK: llvm.func @main_parallel_0(%{{.*}}: i64
// CHECK-SAME: dnnf.parallel_body
// CHECK: llvm.func @main_parallel_0__task(%[[CTX:.*]]: !llvm.ptr, %[[I:.*]]: i64)
// CHECK: llvm.getelementptr %[[CTX]][0, 0]
// CHECK: llvm.call @main_parallel_0(%[[I]],
// CHECK: llvm.func @main_parallel_0__launch(%[[N:[a-z0-9]+]]: i64,
// CHECK-DAG: %[[TASK:.*]] = llvm.mlir.addressof @main_parallel_0__task
// CHECK-DAG: %[[FRAME:.*]] = llvm.alloca
// CHECK: llvm.call @dnnf_parallel_for(%[[N]], %[[TASK]], %[[FRAME]])
// CHECK: llvm.func @dnnf_parallel_for(i64, !llvm.ptr, !llvm.ptr)

// SEQ-NOT: dnnf_parallel_for
// SEQ-LABEL: llvm.func @main(
// SEQ-NOT: dnnf_parallel_for
func.func @main(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> attributes {llvm.emit_c_interface} {
  %0 = dnnf.relu %a : tensor<256x256xf32>
  %1 = dnnf.matmul %0, %b : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %1 : tensor<256x256xf32>
}
