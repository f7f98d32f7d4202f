// Keeps the README example valid.
// RUN: dnnf-opt --dnnf-classify --mlir-pass-statistics %S/../../../examples/mobilenet_block.mlir 2>&1 | FileCheck %s

// CHECK-DAG: 6 many-to-many
// CHECK-DAG: 4 one-to-one
// CHECK-DAG: 1 reorganize
// CHECK: func.func @main
// CHECK: dnnf.batch_norm {{.*}}mapping = #dnnf.mapping<one_to_one>
