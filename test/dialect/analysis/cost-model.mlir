// RUN: dnnf-opt %s -split-input-file -mlir-print-op-on-diagnostic=false -dnnf-algebraic-simplify="rules=mul-one emit-remarks" -o /dev/null 2>&1 | FileCheck %s

// The cost model (dnnf/Analysis/CostModel.h), observed through the totals
// that --dnnf-algebraic-simplify reports (no rule fires here).  f32: 4 bytes
// per element; each distinct operand is read once, each result written once.

// MatMul: 2 * M * N * K = 2 * 2 * 4 * 3; bytes 24 + 48 read, 32 written.
// CHECK: FLOPs 48 -> 48, bytes 104 -> 104, ops 1 -> 1
func.func @matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Conv: 2 * 48 outputs * (2 * 3 * 3) + 48 for the bias.
// CHECK: FLOPs 1776 -> 1776, bytes 548 -> 548, ops 1 -> 1
func.func @conv(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  %0 = dnnf.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// Reductions: one per input element (+ one per result for a mean).
// CHECK: FLOPs 68 -> 68, bytes 288 -> 288, ops 2 -> 2
func.func @reduce(%x: tensor<4x8xf32>) -> (tensor<4x1xf32>, tensor<4x1xf32>) {
  %0 = dnnf.reduce_sum %x {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %1 = dnnf.reduce_mean %x {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %0, %1 : tensor<4x1xf32>, tensor<4x1xf32>
}

// -----

// Inference BatchNormalization: 2 per element + 4 per channel.
// CHECK: FLOPs 44 -> 44, bytes 152 -> 152, ops 1 -> 1
func.func @batch_norm(%x: tensor<1x2x3x3xf32>, %p: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = dnnf.batch_norm %x, %p, %p, %p, %p : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Gemm with C: 2 * M * N * K + M * N; alpha and beta are free.
// CHECK: FLOPs 56 -> 56, bytes 120 -> 120, ops 1 -> 1
func.func @gemm(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = dnnf.gemm %a, %b, %c {alpha = 2.0 : f32} : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Data movement costs bytes only (16 read, 16 written); mul(x, x) reads x
// once; constants are free (their readers pay).
// CHECK: FLOPs 4 -> 4, bytes 64 -> 64, ops 2 -> 2
func.func @movement_and_square(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %c = dnnf.constant dense<1.0> : tensor<4xf32>
  %0 = dnnf.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %1 = dnnf.mul %x, %x : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0, %1 : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// Softmax: 5 per element (max, sub, exp, sum, div); the comparison reads x
// once and writes one byte per i1 element.
// CHECK: FLOPs 48 -> 48, bytes 104 -> 104, ops 2 -> 2
func.func @softmax_and_compare(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xi1>) {
  %0 = dnnf.softmax %x {axis = 1 : i64} : tensor<2x4xf32>
  %1 = dnnf.greater %x, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xi1>
  return %0, %1 : tensor<2x4xf32>, tensor<2x4xi1>
}
