// RUN: dnnf-opt %s -split-input-file -dnnf-prepare-bufferization | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-prepare-bufferization -eliminate-empty-tensors -one-shot-bufferize=bufferize-function-boundaries -cse -canonicalize | FileCheck %s --check-prefix=BUF

// A fill shared by two destinations (as CSE leaves equal zero inits) gets a
// clone for the second one; bufferized, each fill writes its own buffer and
// nothing is copied.
// CHECK-LABEL: func.func @shared_fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK: %[[F1:.*]] = linalg.fill {{.*}} outs(%[[E]]
// CHECK: linalg.matmul {{.*}} outs(%[[F1]]
// CHECK: %[[F2:.*]] = linalg.fill {{.*}} outs(%[[E]]
// CHECK: linalg.matmul {{.*}} outs(%[[F2]]
// BUF-LABEL: func.func @shared_fill
// BUF-NOT: memref.copy
// BUF: return
func.func @shared_fill(%a: tensor<4x2xf32>, %b: tensor<2x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x2xf32>, tensor<2x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = linalg.matmul ins(%a, %b : tensor<4x2xf32>, tensor<2x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A pad of a computed value: the padded tensor is filled before the
// producer, which then writes the interior in place (no copy, no alloc of
// its own once bufferized).
// CHECK-LABEL: func.func @pad_of_producer
// CHECK: %[[C:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x2x6x6xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[C]] : f32) outs(%[[E]]
// CHECK: %[[R:.*]] = linalg.generic
// CHECK: tensor.insert_slice %[[R]] into %[[F]][0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1]
// CHECK-NOT: tensor.pad
// BUF-LABEL: func.func @pad_of_producer
// BUF: %[[A:.*]] = memref.alloc() {{.*}} : memref<1x2x6x6xf32>
// BUF: linalg.fill {{.*}} outs(%[[A]]
// BUF: %[[V:.*]] = memref.subview %[[A]][0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1]
// BUF: linalg.generic {{.*}} outs(%[[V]]
// BUF-NOT: memref.copy
// BUF: return %[[A]]
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @pad_of_producer(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32> {
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x2x4x4xf32>) outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<1x2x4x4xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %r low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  return %p : tensor<1x2x6x6xf32>
}

// -----

// A pad of a function argument: filled at the pad (the copy of the argument
// into the interior remains).
// CHECK-LABEL: func.func @pad_of_argument
// CHECK-SAME: (%[[X:.*]]: tensor<3x3xf32>)
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: tensor.insert_slice %[[X]] into %[[F]][2, 0] [3, 3] [1, 1] : tensor<3x3xf32> into tensor<5x4xf32>
func.func @pad_of_argument(%x: tensor<3x3xf32>) -> tensor<5x4xf32> {
  %v = arith.constant -1.0 : f32
  %p = tensor.pad %x low[2, 0] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %v : f32
  } : tensor<3x3xf32> to tensor<5x4xf32>
  return %p : tensor<5x4xf32>
}

// -----

// A padding value computed at run time is left to the pad lowering.
// CHECK-LABEL: func.func @runtime_value
// CHECK: tensor.pad
// CHECK-NOT: linalg.fill
func.func @runtime_value(%x: tensor<3xf32>, %v: f32) -> tensor<5xf32> {
  %p = tensor.pad %x low[1] high[1] {
  ^bb0(%i: index):
    tensor.yield %v : f32
  } : tensor<3xf32> to tensor<5xf32>
  return %p : tensor<5xf32>
}

// -----

// A concatenation of two matmul results viewed as NCHW (a convolution's
// [C, H*W] output): each part is inserted unexpanded into the collapsed
// destination, which is defined before both producers; bufferized, both
// matmuls write their halves of one buffer, and nothing is copied.
// CHECK-LABEL: func.func @concat_of_reshaped_matmuls
// CHECK: %[[D:.*]] = tensor.empty() : tensor<8x6xf32>
// CHECK: %[[M0:.*]] = linalg.matmul
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[M0]] into %[[D]][0, 0] [4, 6] [1, 1] : tensor<4x6xf32> into tensor<8x6xf32>
// CHECK: %[[M1:.*]] = linalg.matmul
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[M1]] into %[[I0]][4, 0] [4, 6] [1, 1] : tensor<4x6xf32> into tensor<8x6xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[I1]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 8, 2, 3]
// CHECK: return %[[R]]
// BUF-LABEL: func.func @concat_of_reshaped_matmuls
// BUF: %[[A:.*]] = memref.alloc() {{.*}} : memref<8x6xf32>
// BUF: %[[V0:.*]] = memref.subview %[[A]][0, 0] [4, 6]
// BUF: linalg.matmul {{.*}} outs(%[[V0]]
// BUF: %[[V1:.*]] = memref.subview %[[A]][4, 0] [4, 6]
// BUF: linalg.matmul {{.*}} outs(%[[V1]]
// BUF-NOT: memref.copy
// BUF: %[[R:.*]] = memref.expand_shape %[[A]]
// BUF: return %[[R]]
func.func @concat_of_reshaped_matmuls(%a: tensor<4x2xf32>, %b: tensor<2x6xf32>, %c: tensor<4x2xf32>) -> tensor<1x8x2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x6xf32>) -> tensor<4x6xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x2xf32>, tensor<2x6xf32>) outs(%f : tensor<4x6xf32>) -> tensor<4x6xf32>
  %x0 = tensor.expand_shape %0 [[0, 1], [2, 3]] output_shape [1, 4, 2, 3] : tensor<4x6xf32> into tensor<1x4x2x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e : tensor<4x6xf32>) -> tensor<4x6xf32>
  %1 = linalg.matmul ins(%c, %b : tensor<4x2xf32>, tensor<2x6xf32>) outs(%f1 : tensor<4x6xf32>) -> tensor<4x6xf32>
  %x1 = tensor.expand_shape %1 [[0, 1], [2, 3]] output_shape [1, 4, 2, 3] : tensor<4x6xf32> into tensor<1x4x2x3xf32>
  %d = tensor.empty() : tensor<1x8x2x3xf32>
  %i0 = tensor.insert_slice %x0 into %d[0, 0, 0, 0] [1, 4, 2, 3] [1, 1, 1, 1] : tensor<1x4x2x3xf32> into tensor<1x8x2x3xf32>
  %i1 = tensor.insert_slice %x1 into %i0[0, 4, 0, 0] [1, 4, 2, 3] [1, 1, 1, 1] : tensor<1x4x2x3xf32> into tensor<1x8x2x3xf32>
  return %i1 : tensor<1x8x2x3xf32>
}

// -----

// Two concatenations built in one (CSE-merged) empty tensor get one each,
// so that neither is copied out of a shared buffer: the only copies left
// are of the arguments into them.
// CHECK-LABEL: func.func @concats_sharing_an_empty
// CHECK-COUNT-2: tensor.empty() : tensor<4x6xf32>
// BUF-LABEL: func.func @concats_sharing_an_empty
// BUF: memref.alloc() {{.*}} : memref<4x6xf32>
// BUF-COUNT-2: memref.copy %arg
// BUF: memref.alloc() {{.*}} : memref<4x6xf32>
// BUF-COUNT-2: memref.copy %arg
// BUF-NOT: memref.copy
// BUF: return
func.func @concats_sharing_an_empty(%a: tensor<2x6xf32>, %b: tensor<2x6xf32>) -> (tensor<4x6xf32>, tensor<4x6xf32>) {
  %d = tensor.empty() : tensor<4x6xf32>
  %i0 = tensor.insert_slice %a into %d[0, 0] [2, 6] [1, 1] : tensor<2x6xf32> into tensor<4x6xf32>
  %c0 = tensor.insert_slice %b into %i0[2, 0] [2, 6] [1, 1] : tensor<2x6xf32> into tensor<4x6xf32>
  %i1 = tensor.insert_slice %b into %d[0, 0] [2, 6] [1, 1] : tensor<2x6xf32> into tensor<4x6xf32>
  %c1 = tensor.insert_slice %a into %i1[2, 0] [2, 6] [1, 1] : tensor<2x6xf32> into tensor<4x6xf32>
  return %c0, %c1 : tensor<4x6xf32>, tensor<4x6xf32>
}

// -----

// A slice that is not contiguous in the collapsed destination (part of W
// over several rows of H) keeps its expand_shape.
// CHECK-LABEL: func.func @noncontiguous_insert
// CHECK: %[[X:.*]] = tensor.expand_shape
// CHECK: tensor.insert_slice %[[X]] into %{{.*}}[0, 0, 0, 1] [1, 2, 2, 2] [1, 1, 1, 1] : tensor<1x2x2x2xf32> into tensor<1x2x2x3xf32>
// CHECK-NOT: tensor.collapse_shape
func.func @noncontiguous_insert(%x: tensor<2x4xf32>, %d: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  %e = tensor.expand_shape %x [[0, 1], [2, 3]] output_shape [1, 2, 2, 2] : tensor<2x4xf32> into tensor<1x2x2x2xf32>
  %i = tensor.insert_slice %e into %d[0, 0, 0, 1] [1, 2, 2, 2] [1, 1, 1, 1] : tensor<1x2x2x2xf32> into tensor<1x2x2x3xf32>
  return %i : tensor<1x2x2x3xf32>
}

// -----

// A dense block as PyTorch exports DenseNet: each concatenation is the
// previous one plus a new feature map computed from it.  The first
// concatenation is built in the leading slice of the second's empty tensor,
// which moves before it, and its insert_slice moves down to just before the
// new part's (after the ReLU that reads it).  Bufferized, the block is one
// buffer: the argument is copied in once, and each matmul writes its rows
// in place.
// CHECK-LABEL: func.func @dense_chain
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<6x4xf32>
// CHECK: %[[S:.*]] = tensor.extract_slice %[[E2]][0, 0] [4, 4] [1, 1] : tensor<6x4xf32> to tensor<4x4xf32>
// CHECK: %[[A:.*]] = tensor.insert_slice %{{.*}} into %[[S]][0, 0] [2, 4]
// CHECK: %[[C1:.*]] = tensor.insert_slice %{{.*}} into %[[A]][2, 0] [2, 4]
// CHECK: %[[R1:.*]] = linalg.generic {{.*}} ins(%[[C1]] :
// CHECK: %[[Y1:.*]] = linalg.matmul ins(%{{.*}}, %[[R1]] :
// CHECK: %[[J:.*]] = tensor.insert_slice %[[C1]] into %[[E2]][0, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<6x4xf32>
// CHECK: tensor.insert_slice %[[Y1]] into %[[J]][4, 0] [2, 4]
// BUF-LABEL: func.func @dense_chain
// BUF: %[[B:.*]] = memref.alloc() {{.*}} : memref<6x4xf32>
// BUF-NOT: memref.alloc
// BUF: memref.copy %arg0
// BUF-NOT: memref.copy
// BUF: return %[[B]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @dense_chain(%x: tensor<2x4xf32>, %w0: tensor<2x2xf32>, %w1: tensor<2x4xf32>) -> tensor<6x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y0 = linalg.matmul ins(%w0, %x : tensor<2x2xf32>, tensor<2x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %e1 = tensor.empty() : tensor<4x4xf32>
  %a = tensor.insert_slice %x into %e1[0, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
  %c1 = tensor.insert_slice %y0 into %a[2, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
  %e4 = tensor.empty() : tensor<4x4xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%c1 : tensor<4x4xf32>) outs(%e4 : tensor<4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y1 = linalg.matmul ins(%w1, %r1 : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %e2 = tensor.empty() : tensor<6x4xf32>
  %b = tensor.insert_slice %c1 into %e2[0, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<6x4xf32>
  %c2 = tensor.insert_slice %y1 into %b[4, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<6x4xf32>
  return %c2 : tensor<6x4xf32>
}

// -----

// The same block with each concatenation listing all the feature maps so
// far (DenseNet as other exporters write it): the second's inserts of the
// first's parts become one insert_slice of the first concatenation.
// CHECK-LABEL: func.func @dense_flat
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<6x4xf32>
// CHECK: %[[S:.*]] = tensor.extract_slice %[[E2]][0, 0] [4, 4] [1, 1]
// CHECK: %[[C1:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[2, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
// CHECK: %[[R1:.*]] = linalg.generic {{.*}} ins(%[[C1]] :
// CHECK: %[[Y1:.*]] = linalg.matmul ins(%{{.*}}, %[[R1]] :
// CHECK: %[[J:.*]] = tensor.insert_slice %[[C1]] into %[[E2]][0, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<6x4xf32>
// CHECK: tensor.insert_slice %[[Y1]] into %[[J]][4, 0] [2, 4]
// CHECK-NOT: tensor.insert_slice
// BUF-LABEL: func.func @dense_flat
// BUF: %[[B:.*]] = memref.alloc() {{.*}} : memref<6x4xf32>
// BUF-NOT: memref.alloc
// BUF: memref.copy %arg0
// BUF-NOT: memref.copy
// BUF: return %[[B]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @dense_flat(%x: tensor<2x4xf32>, %w0: tensor<2x2xf32>, %w1: tensor<2x4xf32>) -> tensor<6x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y0 = linalg.matmul ins(%w0, %x : tensor<2x2xf32>, tensor<2x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %e1 = tensor.empty() : tensor<4x4xf32>
  %a = tensor.insert_slice %x into %e1[0, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
  %c1 = tensor.insert_slice %y0 into %a[2, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
  %e4 = tensor.empty() : tensor<4x4xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%c1 : tensor<4x4xf32>) outs(%e4 : tensor<4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y1 = linalg.matmul ins(%w1, %r1 : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %e2 = tensor.empty() : tensor<6x4xf32>
  %b0 = tensor.insert_slice %x into %e2[0, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<6x4xf32>
  %b1 = tensor.insert_slice %y0 into %b0[2, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<6x4xf32>
  %c2 = tensor.insert_slice %y1 into %b1[4, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<6x4xf32>
  return %c2 : tensor<6x4xf32>
}

// -----

// Concatenations that share no leading parts, or whose other dimensions
// differ, keep their own buffers.
// CHECK-LABEL: func.func @no_common_prefix
// CHECK-NOT: tensor.extract_slice
// CHECK: return
func.func @no_common_prefix(%x: tensor<2x4xf32>, %y: tensor<2x4xf32>, %z: tensor<2x3xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>, tensor<2x7xf32>) {
  %e1 = tensor.empty() : tensor<4x4xf32>
  %a = tensor.insert_slice %x into %e1[0, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
  %c1 = tensor.insert_slice %y into %a[2, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
  %e2 = tensor.empty() : tensor<4x4xf32>
  %b = tensor.insert_slice %y into %e2[0, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
  %c2 = tensor.insert_slice %x into %b[2, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
  %e3 = tensor.empty() : tensor<2x7xf32>
  %d = tensor.insert_slice %x into %e3[0, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<2x7xf32>
  %c3 = tensor.insert_slice %z into %d[0, 4] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x7xf32>
  return %c1, %c2, %c3 : tensor<4x4xf32>, tensor<4x4xf32>, tensor<2x7xf32>
}
