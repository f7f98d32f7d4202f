// A MobileNetV2 inverted-residual block plus a classifier head, in the dnnf
// dialect, as the ONNX importer will produce it (one op per ONNX operator).
//
//   dnnf-opt --dnnf-classify --mlir-pass-statistics examples/mobilenet_block.mlir
//
// annotates every op with its DNNFusion mapping type and counts them.

func.func @main(%x: tensor<1x16x56x56xf32>) -> tensor<1x10xf32> {
  // Weights: dense_resource blobs in a real import; splats keep this file small.
  %w_expand = dnnf.constant dense<0.01> : tensor<96x16x1x1xf32>
  %w_dw = dnnf.constant dense<0.02> : tensor<96x1x3x3xf32>
  %w_project = dnnf.constant dense<0.03> : tensor<16x96x1x1xf32>
  %bn_c = dnnf.constant dense<1.0> : tensor<96xf32>
  %bn_z = dnnf.constant dense<0.0> : tensor<96xf32>
  %fc_w = dnnf.constant dense<0.05> : tensor<10x16xf32>
  %fc_b = dnnf.constant dense<0.1> : tensor<10xf32>

  // 1x1 expansion, BatchNorm, ReLU6.
  %0 = dnnf.conv %x, %w_expand {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x16x56x56xf32>, tensor<96x16x1x1xf32>) -> tensor<1x96x56x56xf32>
  %1 = dnnf.batch_norm %0, %bn_c, %bn_z, %bn_z, %bn_c : (tensor<1x96x56x56xf32>, tensor<96xf32>, tensor<96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<1x96x56x56xf32>
  %2 = dnnf.clip %1 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x96x56x56xf32>

  // 3x3 depthwise convolution, ReLU6.
  %3 = dnnf.conv %2, %w_dw {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 96 : i64} : (tensor<1x96x56x56xf32>, tensor<96x1x3x3xf32>) -> tensor<1x96x56x56xf32>
  %4 = dnnf.clip %3 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x96x56x56xf32>

  // 1x1 projection and the residual connection.
  %5 = dnnf.conv %4, %w_project {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x96x56x56xf32>, tensor<16x96x1x1xf32>) -> tensor<1x16x56x56xf32>
  %6 = dnnf.add %5, %x : (tensor<1x16x56x56xf32>, tensor<1x16x56x56xf32>) -> tensor<1x16x56x56xf32>

  // Head: global pooling, flatten, fully connected (Gemm with broadcast bias).
  %7 = dnnf.global_average_pool %6 : (tensor<1x16x56x56xf32>) -> tensor<1x16x1x1xf32>
  %8 = dnnf.flatten %7 : (tensor<1x16x1x1xf32>) -> tensor<1x16xf32>
  %9 = dnnf.gemm %8, %fc_w, %fc_b {transB = true} : (tensor<1x16xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %10 = dnnf.softmax %9 : tensor<1x10xf32>
  return %10 : tensor<1x10xf32>
}
