// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -verify-diagnostics

func.func @dynamic(%a: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'dnnf.relu' op cannot be lowered: dynamic shapes are not supported by the lowering}}
  %0 = dnnf.relu %a : tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @unsigned(%a: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{cannot be lowered: unsigned or signed-qualified integer element types are not supported by the lowering yet}}
  %0 = dnnf.add %a, %a : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}
