// dnnf-opt carries the upstream dialects and passes plus dnnf's.
// RUN: dnnf-opt --help | FileCheck %s

// CHECK: Available Dialects:{{.*}} dnnf,{{.*}} linalg,{{.*}} spirv
// CHECK-DAG: --dnnf-classify
// CHECK-DAG: --dnnf-fuse
// CHECK-DAG: profile-rule
// CHECK-DAG: emit-remarks
// CHECK-DAG: --convert-linalg-to-loops
// CHECK-DAG: --one-shot-bufferize

