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

// -----

func.func @resize_bool_linear(%x: tensor<1x1x2x2xi1>) -> tensor<1x1x4x4xi1> {
  // expected-error @+1 {{'dnnf.resize' op cannot be lowered: resizing i1 tensors supports mode "nearest" only}}
  %0 = dnnf.resize %x {mode = "linear"} : tensor<1x1x2x2xi1> to tensor<1x1x4x4xi1>
  return %0 : tensor<1x1x4x4xi1>
}

// -----

func.func @pad_edge_of_nothing(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'dnnf.pad' op cannot be lowered: mode "edge" pads from the input's elements, and it has none left}}
  %0 = dnnf.pad %x {pads = array<i64: 0, -3, 0, 2>, mode = "edge"} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
