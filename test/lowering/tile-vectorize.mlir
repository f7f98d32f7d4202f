// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-tile-vectorize | FileCheck %s

// A cache tile (64 x 256 x 128) of scf.for loops around a vectorized
// register tile (8 x 32 x 1).
// CHECK-LABEL: func.func @matmul
// CHECK: scf.for {{.*}} step %c64
// CHECK: scf.for {{.*}} step %c256
// CHECK: scf.for {{.*}} step %c128
// CHECK: scf.for {{.*}} step %c8
// CHECK: scf.for {{.*}} step %c32
// CHECK: vector.transfer_read {{.*}} vector<8x1xf32>
// CHECK: vector.transfer_read {{.*}} vector<1x32xf32>
// CHECK: vector.transfer_read {{.*}} vector<8x32xf32>
// CHECK: arith.mulf {{.*}} : vector<1xf32>
// CHECK: vector.transfer_write {{.*}} : vector<8x32xf32>
// CHECK-NOT: linalg.matmul
func.func @matmul(%a: tensor<512x512xf32>, %b: tensor<512x512xf32>) -> tensor<512x512xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<512x512xf32>, tensor<512x512xf32>) -> tensor<512x512xf32>
  return %0 : tensor<512x512xf32>
}

// -----

// Tile sizes divide the dimensions: no partial tiles.
// CHECK-LABEL: func.func @odd_rows
// CHECK: scf.for {{.*}} step %c2
// CHECK: vector.transfer_read {{.*}} vector<2x16xf32>
func.func @odd_rows(%a: tensor<6x64xf32>, %b: tensor<64x48xf32>) -> tensor<6x48xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<6x64xf32>, tensor<64x48xf32>) -> tensor<6x48xf32>
  return %0 : tensor<6x48xf32>
}

// -----

// Too narrow to vectorize (N = 5): left for the loop lowering.
// CHECK-LABEL: func.func @narrow
// CHECK: linalg.matmul
// CHECK-NOT: vector.
func.func @narrow(%a: tensor<4x8xf32>, %b: tensor<8x5xf32>) -> tensor<4x5xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<4x8xf32>, tensor<8x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}
