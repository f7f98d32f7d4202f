// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul -dnnf-elementwise-fusion -dnnf-vectorize-rows | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-conv-to-matmul -dnnf-elementwise-fusion -dnnf-vectorize-rows -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS

// A 3x3 depthwise convolution with its ReLU (one generic summing 9 windows
// of the padded input): loops over channels and rows, then each 14-pixel
// row as 16-float vectors -- masked loads of the 9 windows, the weights
// broadcast, products contracted into sums, one masked store.  The sum
// starts from the first product (the init was a zero fill).
// CHECK-LABEL: func.func @depthwise_relu
// CHECK-NOT: linalg.fill
// CHECK: scf.for {{.*}} to %c8 step %c1
// CHECK: scf.for {{.*}} to %c14 step %c1
// CHECK-COUNT-9: vector.transfer_read {{.*}} : tensor<14xf32>, vector<16xf32>
// CHECK: arith.mulf {{.*}} fastmath<contract> : vector<16xf32>
// CHECK: arith.maximumf {{.*}} : vector<16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<16xf32>, tensor<14xf32>
// CHECK-NOT: linalg.generic
// STATS: DnnfVectorizeRows
// STATS-NEXT: (S) 0 strided-reads
// STATS-NEXT: (S) 1 vectorized
func.func @depthwise_relu(%x: tensor<1x8x14x14xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x14x14xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, group = 8 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x14x14xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x14x14xf32>
  %1 = dnnf.relu %0 : tensor<1x8x14x14xf32>
  return %1 : tensor<1x8x14x14xf32>
}

// -----

// Stride 2: each window's row is strided.  It is read as twice as many
// contiguous floats, up to the row's last element (13 of them for 7
// outputs, the rest masked), and deinterleaved by a shuffle.
// CHECK-LABEL: func.func @depthwise_stride2
// CHECK: scf.for {{.*}} to %c8 step %c1
// CHECK: scf.for {{.*}} to %c7 step %c1
// CHECK: %[[S:.*]] = tensor.extract_slice %{{.*}}[0, %{{.*}}, %{{.*}}, 0] [1, 1, 1, 13] [1, 1, 2, 1] : tensor<1x8x16x16xf32> to tensor<13xf32>
// CHECK: %[[R:.*]] = vector.transfer_read %[[S]][%{{.*}}], %{{.*}} : tensor<13xf32>, vector<16xf32>
// CHECK: vector.shuffle %[[R]], %[[R]] [0, 2, 4, 6, 8, 10, 12, 14] : vector<16xf32>, vector<16xf32>
// CHECK-COUNT-8: vector.shuffle
// CHECK: vector.transfer_write {{.*}} : vector<8xf32>, tensor<7xf32>
// CHECK-NOT: linalg.generic
// STATS: DnnfVectorizeRows
// STATS-NEXT: (S) 9 strided-reads
// STATS-NEXT: (S) 1 vectorized
func.func @depthwise_stride2(%x: tensor<1x8x14x14xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x7x7xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, group = 8 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x14x14xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x7x7xf32>
  return %0 : tensor<1x8x7x7xf32>
}

// -----

// A stride above 4 would read more than 4 times the row: left to the
// scalar loops.
// CHECK-LABEL: func.func @depthwise_stride5
// CHECK: linalg.generic
// CHECK-NOT: vector.transfer_read
// STATS: DnnfVectorizeRows
// STATS-NEXT: (S) 0 strided-reads
// STATS-NEXT: (S) 0 vectorized
func.func @depthwise_stride5(%x: tensor<1x8x40x40xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32> {
  %0 = dnnf.conv %x, %w {dilations = array<i64: 1, 1>, group = 8 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 5, 5>} : (tensor<1x8x40x40xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// Rows of whole vectors (32 floats) need no masks; a per-row broadcast
// operand is read once per row and broadcast.
// CHECK-LABEL: func.func @whole_rows
// CHECK: scf.for {{.*}} to %c4 step %c1
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<32xf32>, vector<32xf32>
// CHECK: vector.transfer_read {{.*}} : tensor<f32>, vector<32xf32>
// CHECK: arith.mulf {{.*}} : vector<32xf32>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<32xf32>, tensor<32xf32>
// STATS: DnnfVectorizeRows
// STATS-NEXT: (S) 0 strided-reads
// STATS-NEXT: (S) 1 vectorized
func.func @whole_rows(%a: tensor<4x32xf32>, %r: tensor<4x1xf32>) -> tensor<4x32xf32> {
  %0 = dnnf.mul %a, %r : (tensor<4x32xf32>, tensor<4x1xf32>) -> tensor<4x32xf32>
  return %0 : tensor<4x32xf32>
}

// -----

// Rows longer than max-row (256) are left to LLVM's loop vectorizer, and
// so is a transposed read (the row is a column of the operand).
// CHECK-LABEL: func.func @left_alone
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK-NOT: vector.
// STATS: DnnfVectorizeRows
// STATS-NEXT: (S) 0 strided-reads
// STATS-NEXT: (S) 0 vectorized
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @left_alone(%a: tensor<2x1024xf32>, %b: tensor<16x16xf32>) -> (tensor<2x1024xf32>, tensor<16x16xf32>) {
  %0 = dnnf.relu %a : tensor<2x1024xf32>
  %e = tensor.empty() : tensor<16x16xf32>
  %1 = linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%b : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<16x16xf32>
  return %0, %1 : tensor<2x1024xf32>, tensor<16x16xf32>
}
