// Verifiers run inside stock mlir-opt too.
// RUN: mlir-opt --load-dialect-plugin=%dnnf_plugin %s -split-input-file -verify-diagnostics

func.func @bad_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{operands are not broadcast-compatible: [2, 3] [4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = dnnf.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}
