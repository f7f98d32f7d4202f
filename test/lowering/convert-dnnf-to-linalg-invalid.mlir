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

func.func @conv_transpose_group(%x: tensor<1x3x4x4xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'dnnf.conv_transpose' op cannot be lowered: the input channel count 3 is not a multiple of group 2}}
  %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 2 : i64} : (tensor<1x3x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
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
