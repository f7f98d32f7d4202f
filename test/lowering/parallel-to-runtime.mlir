// RUN: dnnf-opt %s -split-input-file -dnnf-parallel-to-runtime -verify-diagnostics | FileCheck %s

// The launch stores its captures in a stack frame and calls the thread
// pool with a task that loads them and calls the body.
// CHECK-LABEL: llvm.func @body(
// CHECK: llvm.func @body__task(%[[CTX:.*]]: !llvm.ptr, %[[I:.*]]: i64)
// CHECK: %[[P0:.*]] = llvm.getelementptr %[[CTX]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, f32)>
// CHECK: %[[V0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[P1:.*]] = llvm.getelementptr %[[CTX]][0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, f32)>
// CHECK: %[[V1:.*]] = llvm.load %[[P1]] : !llvm.ptr -> f32
// CHECK: llvm.call @body(%[[I]], %[[V0]], %[[V1]])
// CHECK: llvm.func @launch(%[[N:.*]]: i64, %[[A:.*]]: !llvm.ptr, %[[B:.*]]: f32)
// CHECK: %[[F:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr, f32)>
// CHECK: llvm.store %[[A]], %{{.*}} : !llvm.ptr, !llvm.ptr
// CHECK: llvm.store %[[B]], %{{.*}} : f32, !llvm.ptr
// CHECK: %[[T:.*]] = llvm.mlir.addressof @body__task
// CHECK: llvm.call @dnnf_parallel_for(%[[N]], %[[T]], %[[F]])
// CHECK-NOT: llvm.br
// CHECK: llvm.func @dnnf_parallel_for(i64, !llvm.ptr, !llvm.ptr)
module {
  llvm.func @body(%i: i64, %p: !llvm.ptr, %v: f32) attributes {dnnf.parallel_body} {
    %q = llvm.getelementptr %p[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %v, %q : f32, !llvm.ptr
    llvm.return
  }
  llvm.func @launch(%n: i64, %p: !llvm.ptr, %v: f32) attributes {dnnf.parallel_launch = @body} {
    %c0 = llvm.mlir.constant(0 : i64) : i64
    llvm.br ^bb1(%c0 : i64)
  ^bb1(%i: i64):
    llvm.call @body(%i, %p, %v) : (i64, !llvm.ptr, f32) -> ()
    llvm.return
  }
}

// -----

module {
  llvm.func @body(%i: i32) {
    llvm.return
  }
  // expected-error @below {{dnnf-parallel-to-runtime: expected a launch function with its body's (i64, captures...) signature}}
  llvm.func @launch(%n: i32) attributes {dnnf.parallel_launch = @body} {
    llvm.return
  }
}
