// The dialect and passes load into the stock mlir-opt from the wheel.
// Plugin passes only run through --pass-pipeline in stock mlir-opt.
// RUN: mlir-opt --load-dialect-plugin=%dnnf_plugin --load-pass-plugin=%dnnf_plugin \
// RUN:   --pass-pipeline='builtin.module(dnnf-classify)' %s | FileCheck %s
// RUN: mlir-opt --load-dialect-plugin=%dnnf_plugin %s | FileCheck %s --check-prefix=PARSE
// RUN: mlir-opt --load-dialect-plugin=%dnnf_plugin --load-pass-plugin=%dnnf_plugin --help \
// RUN:   | FileCheck %s --check-prefix=HELP

// HELP: --dnnf-classify

// CHECK-LABEL: func.func @plugin
// PARSE-LABEL: func.func @plugin
func.func @plugin(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<3x2xf32> {
  // CHECK: dnnf.add %{{.*}}, %{{.*}} {mapping = #dnnf.mapping<one_to_many>}
  // PARSE: dnnf.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = dnnf.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: dnnf.transpose %{{.*}} {mapping = #dnnf.mapping<shuffle>, perm = array<i64: 1, 0>}
  %1 = dnnf.transpose %0 {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}
