// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-tile-vectorize | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-tile-vectorize=fuse-epilogues=0 | FileCheck %s --check-prefix=NOFUSE
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-tile-vectorize=pack-weights=0 | FileCheck %s --check-prefix=NOPACK
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-tile-vectorize=pack-activations=0 | FileCheck %s --check-prefix=NOPACKACT
// RUN: dnnf-opt %s -split-input-file -convert-dnnf-to-linalg -dnnf-tile-vectorize -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS

// Cache tiles (64 x 256 x 256: an scf.forall over the independent M x N
// tiles, an scf.for over K) around a vectorized register tile (8 x 32 x 8):
// eight K steps of 8 broadcast FMAs on 32 lanes.  The register tiles go
// down each 32-column panel (N loop outside the M loop), so that the panel
// of B stays in cache.  The zero init is fused into each cache tile (K
// takes two cache tiles: the second adds to the first's sums).  The
// register tile's accumulator is read before its K loop, carried through
// it as a vector and written after it.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<512x512xf32>
// CHECK-NOT: linalg.fill
// CHECK: scf.forall {{.*}} = (0, 0) to (512, 512) step (64, 256) shared_outs(%[[OUT:.*]] = %[[EMPTY]])
// CHECK: %[[TILE:.*]] = tensor.extract_slice %[[OUT]]
// CHECK: linalg.fill {{.*}} outs(%[[TILE]] : tensor<64x256xf32>)
// CHECK: scf.for {{.*}} step %c256
// CHECK: scf.for {{.*}} to %c256 step %c32
// CHECK: scf.for {{.*}} to %c64 step %c8
// CHECK: %[[C:.*]] = vector.transfer_read {{.*}} vector<8x32xf32>
// CHECK: %[[ACC:.*]] = scf.for {{.*}} step %c8 iter_args(%{{.*}} = %[[C]]) -> (vector<8x32xf32>)
// CHECK: vector.transfer_read {{.*}} vector<8x8xf32>
// CHECK: vector.transfer_read {{.*}} vector<8x32xf32>
// CHECK-NOT: vector.transfer
// CHECK-COUNT-64: vector.fma {{.*}} : vector<32xf32>
// CHECK-NOT: vector.fma
// CHECK: scf.yield {{.*}} : vector<8x32xf32>
// CHECK: vector.transfer_write %[[ACC]], {{.*}} : vector<8x32xf32>
// CHECK-NOT: linalg.matmul
func.func @matmul(%a: tensor<512x512xf32>, %b: tensor<512x512xf32>) -> tensor<512x512xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<512x512xf32>, tensor<512x512xf32>) -> tensor<512x512xf32>
  return %0 : tensor<512x512xf32>
}

// -----

// Register tiles of 2 rows (the single-iteration row loop inside each 2-row
// cache tile folds away).  N = 48: one 32-wide tile, and the peeled 16
// columns, a whole vector.
// CHECK-LABEL: func.func @odd_rows
// CHECK-DAG: %[[Z16:.*]] = arith.constant dense<0.000000e+00> : vector<2x16xf32>
// CHECK-DAG: %[[Z32:.*]] = arith.constant dense<0.000000e+00> : vector<2x32xf32>
// CHECK: scf.forall {{.*}} = (0) to (6) step (2)
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[Z32]]) -> (vector<2x32xf32>)
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true, true]} : vector<2x32xf32>, tensor<2x32xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[Z16]]) -> (vector<2x16xf32>)
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true, true]} : vector<2x16xf32>, tensor<2x16xf32>
func.func @odd_rows(%a: tensor<6x64xf32>, %b: tensor<64x48xf32>) -> tensor<6x48xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<6x64xf32>, tensor<64x48xf32>) -> tensor<6x48xf32>
  return %0 : tensor<6x48xf32>
}

// -----

// N = 20 is one register tile, padded with zeros to two whole 16-float
// vectors: its reads and its write are masked (in_bounds false), its FMAs
// 32 wide.  The forall takes whole rows, 8 at a time (at least 4 tiles
// where the rows allow, here 2).  K = 27 has no divisor in the candidates:
// one K tile, and register tiles of 3 K steps (the largest divisor up to 8).
// CHECK-LABEL: func.func @split_columns
// CHECK: scf.forall (%{{.*}}) = (0) to (16) step (8)
// CHECK: linalg.fill {{.*}} -> tensor<8x20xf32>
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true, false]} : tensor<8x20xf32>, vector<8x32xf32>
// CHECK: vector.transfer_read {{.*}} : tensor<8x3xf32>, vector<8x3xf32>
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true, false]} : tensor<3x20xf32>, vector<3x32xf32>
// CHECK: vector.fma {{.*}} : vector<32xf32>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true, false]} : vector<8x32xf32>, tensor<8x20xf32>
// CHECK-NOT: linalg.matmul
// CHECK-NOT: tensor.pad
func.func @split_columns(%a: tensor<16x27xf32>, %b: tensor<27x20xf32>) -> tensor<16x20xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<16x27xf32>, tensor<27x20xf32>) -> tensor<16x20xf32>
  return %0 : tensor<16x20xf32>
}

// -----

// Narrower than 8: padded to one 8-float vector.
// CHECK-LABEL: func.func @narrow
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true, false]} : tensor<8x5xf32>, vector<8x8xf32>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true, false]} : vector<4x8xf32>, tensor<4x5xf32>
// CHECK-NOT: linalg.matmul
func.func @narrow(%a: tensor<4x8xf32>, %b: tensor<8x5xf32>) -> tensor<4x5xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<4x8xf32>, tensor<8x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// N = 49 (a 7x7 image): a 32-wide register tile, then the peeled 17 columns
// padded to 32 -- masked loads of B and C, a masked store of C -- rather
// than 17-wide vectors.  K = 64 is one cache tile: the full register tiles
// start from zero instead of reading a zeroed C (the fill is fused into
// them, then folded).
// CHECK-LABEL: func.func @padded_remainder
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8x32xf32>
// CHECK-DAG: %[[ZERO17:.*]] = arith.constant dense<0.000000e+00> : vector<8x17xf32>
// CHECK-NOT: linalg.fill
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]]) -> (vector<8x32xf32>)
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true, true]} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK: tensor.extract_slice %{{.*}}[%{{.*}}, 32] [8, 17] [1, 1] : tensor<16x49xf32> to tensor<8x17xf32>
// CHECK: vector.transfer_write %[[ZERO17]]
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true, false]} : tensor<8x17xf32>, vector<8x32xf32>
// CHECK: scf.for
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true, false]} : tensor<8x17xf32>, vector<8x32xf32>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true, false]} : vector<8x32xf32>, tensor<8x17xf32>
// CHECK-NOT: tensor.pad
func.func @padded_remainder(%a: tensor<64x64xf32>, %b: tensor<64x49xf32>) -> tensor<64x49xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<64x64xf32>, tensor<64x49xf32>) -> tensor<64x49xf32>
  return %0 : tensor<64x49xf32>
}

// -----

// batch_matmul: one batch per cache tile, which becomes a plain matmul on
// the tile's matrices.
// CHECK-LABEL: func.func @batch_matmul
// CHECK: scf.forall {{.*}} = (0, 0, 0) to (12, 128, 128) step (1, 64, 128)
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x64x64xf32> into tensor<64x64xf32>
// CHECK: vector.transfer_read {{.*}} vector<8x32xf32>
// CHECK: vector.fma
// CHECK: tensor.expand_shape {{.*}} : tensor<64x128xf32> into tensor<1x64x128xf32>
// CHECK-NOT: linalg.batch_matmul
func.func @batch_matmul(%a: tensor<12x128x64xf32>, %b: tensor<12x64x128xf32>) -> tensor<12x128x128xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<12x128x64xf32>, tensor<12x64x128xf32>) -> tensor<12x128x128xf32>
  return %0 : tensor<12x128x128xf32>
}

// -----

// Not f32: left for the loop lowering.
// CHECK-LABEL: func.func @f64
// CHECK: linalg.matmul
// CHECK-NOT: vector.
func.func @f64(%a: tensor<8x8xf64>, %b: tensor<8x32xf64>) -> tensor<8x32xf64> {
  %0 = dnnf.matmul %a, %b : (tensor<8x8xf64>, tensor<8x32xf64>) -> tensor<8x32xf64>
  return %0 : tensor<8x32xf64>
}

// -----

// K = 0: nothing to tile, the op is left as it is.
// CHECK-LABEL: func.func @empty_k
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<3x0xf32>, tensor<0x4xf32>)
// CHECK-NOT: scf.forall
func.func @empty_k(%a: tensor<3x0xf32>, %b: tensor<0x4xf32>) -> tensor<3x4xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<3x0xf32>, tensor<0x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// Column tiles narrower than 64 would make concurrent tasks share C's
// cache lines: the scf.forall takes whole rows (K = 128 is one K tile: no
// loop).  The rows are split into 4 tiles of 16 so that the tasks spread
// over threads.  N = 40: a 32-wide register tile, then the peeled 8
// columns, a whole 8-float vector.
// CHECK-LABEL: func.func @narrow_columns
// CHECK: scf.forall (%{{.*}}) = (0) to (64) step (16)
// CHECK: scf.for {{.*}} to %c16 step %c8
// CHECK: scf.for {{.*}} to %c128 step %c8 {{.*}} -> (vector<8x32xf32>)
// CHECK: tensor.extract_slice %{{.*}}[%{{.*}}, 32] [8, 8] [1, 1] : tensor<16x40xf32> to tensor<8x8xf32>
// CHECK: scf.for {{.*}} to %c128 step %c8 {{.*}} -> (vector<8x8xf32>)
func.func @narrow_columns(%a: tensor<64x128xf32>, %b: tensor<128x40xf32>) -> tensor<64x40xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<64x128xf32>, tensor<128x40xf32>) -> tensor<64x40xf32>
  return %0 : tensor<64x40xf32>
}

// -----

// Few rows (M = 16) and an N that is not a whole number of register tiles
// (3025, a 55x55 image): whole-row tasks would be few and each would read
// all of B, so the scf.forall takes 5 equal column tiles of 605 (a
// divisor of N), each with 18 full register tiles and a peeled 29-wide one
// (padded to whole vectors).
// CHECK-LABEL: func.func @divided_columns
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (16, 3025) step (16, 605)
// CHECK: scf.for {{.*}} to %c576 step %c32 {{.*}} -> (tensor<16x605xf32>)
// CHECK: -> (vector<8x32xf32>)
// CHECK: tensor.extract_slice %{{.*}}[%{{.*}}, 576] [8, 29] [1, 1] : tensor<16x605xf32> to tensor<8x29xf32>
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true, false]} : tensor<8x29xf32>, vector<8x32xf32>
func.func @divided_columns(%a: tensor<16x128xf32>, %b: tensor<128x3025xf32>) -> tensor<16x3025xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<16x128xf32>, tensor<128x3025xf32>) -> tensor<16x3025xf32>
  return %0 : tensor<16x3025xf32>
}

// -----

// Epilogue fusion: the bias and ReLU generics after a 1x1 convolution's
// matmul (through its expand_shape) become one elementwise generic over the
// matmul's 2-D space, run on each cache tile right after the tile's matmul.
// The forall has at least 4 tiles (M = 32: 8-row tiles).  The matmul tile
// is written straight into the result's tile (register tiles starting from
// zero: no fill, no temporary), and the epilogue rewrites it in place: it
// reads the product as its `outs` operand.
// CHECK-LABEL: func.func @epilogue
// CHECK: %[[R:.*]] = scf.forall (%{{.*}}) = (0) to (32) step (8) shared_outs(%[[OUT:.*]] = %{{.*}})
// CHECK-NOT: linalg.fill
// CHECK: %[[DEST:.*]] = tensor.extract_slice %[[OUT]]{{.*}} to tensor<8x196xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[DEST]])
// CHECK: vector.fma
// CHECK: %[[PRODUCT:.*]] = tensor.insert_slice {{.*}} : tensor<8x4xf32> into tensor<8x196xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{.*}} : tensor<8xf32>) outs(%[[PRODUCT]] : tensor<8x196xf32>)
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: tensor.parallel_insert_slice
// CHECK: tensor.expand_shape %[[R]] {{\[}}[0, 1], [2, 3]] output_shape [1, 32, 14, 14]
// CHECK-NOT: linalg.generic
// NOFUSE-LABEL: func.func @epilogue
// NOFUSE: scf.forall
// NOFUSE: tensor.expand_shape
// NOFUSE: linalg.generic
// NOFUSE: linalg.generic
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch4 = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @epilogue(%w: tensor<32x16xf32>, %x: tensor<16x196xf32>, %bias: tensor<32xf32>) -> tensor<1x32x14x14xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x196xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<32x196xf32>) -> tensor<32x196xf32>
  %mm = linalg.matmul ins(%w, %x : tensor<32x16xf32>, tensor<16x196xf32>) outs(%f : tensor<32x196xf32>) -> tensor<32x196xf32>
  %v = tensor.expand_shape %mm [[0, 1], [2, 3]] output_shape [1, 32, 14, 14] : tensor<32x196xf32> into tensor<1x32x14x14xf32>
  %e1 = tensor.empty() : tensor<1x32x14x14xf32>
  %b = linalg.generic {indexing_maps = [#id4, #ch4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v, %bias : tensor<1x32x14x14xf32>, tensor<32xf32>) outs(%e1 : tensor<1x32x14x14xf32>) {
  ^bb0(%in: f32, %c: f32, %out: f32):
    %s = arith.addf %in, %c : f32
    linalg.yield %s : f32
  } -> tensor<1x32x14x14xf32>
  %e2 = tensor.empty() : tensor<1x32x14x14xf32>
  %r = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<1x32x14x14xf32>) outs(%e2 : tensor<1x32x14x14xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x32x14x14xf32>
  return %r : tensor<1x32x14x14xf32>
}

// -----

// A chain ending in a pad writes the padded buffer's interior in place
// (dnnf-prepare-bufferization), strided rows that no 2-D tile of the matmul
// maps onto: the epilogue is tiled over its 4-D view by channels and whole
// rows (8 channels x 14 rows = 196 columns), and each tile computes its
// [8, 196] block of the product (vectorized register tiles, the peeled
// 4-column remainder) in a temporary of its own (a tensor.empty of the
// task's size, not a slice of a whole-size one), expanded for the epilogue.
// CHECK-LABEL: func.func @epilogue_before_pad
// CHECK-NOT: tensor.empty() : tensor<32x196xf32>
// CHECK: scf.forall (%[[C:.*]], %[[H:.*]]) = (0, 0) to (32, 14) step (8, 14) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<1x32x14x14xf32>)
// CHECK: %[[COL:.*]] = affine.apply #{{.*}}(%[[H]])
// CHECK: tensor.extract_slice %{{.*}}[0, %[[COL]]] [16, 196]
// CHECK: %[[T:.*]] = tensor.empty() : tensor<8x196xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[T]])
// CHECK: vector.fma
// CHECK: %[[P:.*]] = tensor.insert_slice %{{.*}}[0, 192] [8, 4] [1, 1] : tensor<8x4xf32> into tensor<8x196xf32>
// CHECK: %[[V:.*]] = tensor.expand_shape %[[P]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 8, 14, 14]
// CHECK: %[[D:.*]] = tensor.extract_slice %[[OUT]][0, %[[C]], %[[H]], 0] [1, 8, 14, 14]
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[V]] : tensor<1x8x14x14xf32>) outs(%[[D]] : tensor<1x8x14x14xf32>)
// CHECK: tensor.parallel_insert_slice %[[R]] into %[[OUT]][0, %[[C]], %[[H]], 0] [1, 8, 14, 14]
// CHECK: tensor.pad
// NOFUSE-LABEL: func.func @epilogue_before_pad
// NOFUSE: scf.forall
// NOFUSE: tensor.expand_shape
// NOFUSE: linalg.generic
// NOFUSE: tensor.pad
#id4p = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @epilogue_before_pad(%w: tensor<32x16xf32>, %x: tensor<16x196xf32>) -> tensor<1x32x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x196xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<32x196xf32>) -> tensor<32x196xf32>
  %mm = linalg.matmul ins(%w, %x : tensor<32x16xf32>, tensor<16x196xf32>) outs(%f : tensor<32x196xf32>) -> tensor<32x196xf32>
  %v = tensor.expand_shape %mm [[0, 1], [2, 3]] output_shape [1, 32, 14, 14] : tensor<32x196xf32> into tensor<1x32x14x14xf32>
  %e1 = tensor.empty() : tensor<1x32x14x14xf32>
  %r = linalg.generic {indexing_maps = [#id4p, #id4p], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v : tensor<1x32x14x14xf32>) outs(%e1 : tensor<1x32x14x14xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x32x14x14xf32>
  %p = tensor.pad %r low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x14x14xf32> to tensor<1x32x16x16xf32>
  return %p : tensor<1x32x16x16xf32>
}

// -----

// Constant weights (B, [K, N] with N above one panel) are read from a copy
// packed at compile time into 32-column panels, [ceil(N / 32), K, 32]: the
// register tile at column n reads rows of panel n / 32.  N = 40 leaves a
// peeled 8-column tile, which reads the zero-padded last panel.
// CHECK-LABEL: func.func @packed_weights
// CHECK-DAG: %[[P:.*]] = arith.constant dense_resource<dnnf_panels{{.*}}> : tensor<2x16x32xf32>
// CHECK: tensor.extract_slice %[[P]][0, %{{.*}}, 0] [1, 8, 32] [1, 1, 1] : tensor<2x16x32xf32> to tensor<8x32xf32>
// CHECK: tensor.extract_slice %[[P]][1, %{{.*}}, 0] [1, 8, 8] [1, 1, 1] : tensor<2x16x32xf32> to tensor<8x8xf32>
// CHECK-NOT: tensor<16x40xf32>
// NOPACK-LABEL: func.func @packed_weights
// NOPACK-NOT: dnnf_panels
// NOPACK: tensor.extract_slice %{{.*}} : tensor<16x40xf32> to tensor<16x32xf32>
// STATS: DnnfTileVectorize
// STATS: (S) 2 packed-tiles
// STATS-NEXT: (S) 1 packed-weights
func.func @packed_weights(%a: tensor<8x16xf32>) -> tensor<8x40xf32> {
  %b = dnnf.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F00000040"> : tensor<16x40xf32>
  %0 = dnnf.matmul %a, %b : (tensor<8x16xf32>, tensor<16x40xf32>) -> tensor<8x40xf32>
  return %0 : tensor<8x40xf32>
}

// -----

// A B operand that is not a constant is packed at run time: each 32-column
// panel the register tiles visit is copied, one vector row at a time, into
// a [K, 32] buffer at the top of the N loop, and the tiles of all the cache
// tile's rows read their [8, 32] blocks there.  The peeled 16-column
// remainder reads B itself.
// CHECK-LABEL: func.func @packed_activations
// CHECK-SAME: (%{{.*}}: tensor<64x32xf32>, %[[B:.*]]: tensor<32x80xf32>)
// CHECK: scf.forall
// CHECK: scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: %[[SRC:.*]] = tensor.extract_slice %[[B]][0, %[[N]]] [32, 32] [1, 1]
// CHECK: %[[PANEL:.*]] = scf.for %[[K:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<32x32xf32>)
// CHECK: %[[ROW:.*]] = vector.transfer_read %[[SRC]][%[[K]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<32x32xf32>, vector<32xf32>
// CHECK: vector.transfer_write %[[ROW]], %[[ACC]][%[[K]], %{{.*}}] {in_bounds = [true]} : vector<32xf32>, tensor<32x32xf32>
// CHECK: tensor.extract_slice %[[PANEL]][%{{.*}}, 0] [8, 32] [1, 1] : tensor<32x32xf32> to tensor<8x32xf32>
// CHECK: tensor.extract_slice %[[B]][0, 64] [32, 16] [1, 1]
// NOPACKACT-LABEL: func.func @packed_activations
// NOPACKACT-NOT: vector<32xf32>, tensor<32x32xf32>
// NOPACKACT: return
// STATS: DnnfTileVectorize
// STATS: (S) 1 packed-activations
// STATS-NEXT: (S) 1 packed-tiles
func.func @packed_activations(%a: tensor<64x32xf32>, %b: tensor<32x80xf32>) -> tensor<64x80xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<64x32xf32>, tensor<32x80xf32>) -> tensor<64x80xf32>
  return %0 : tensor<64x80xf32>
}

// -----

// Too few rows to share the copy (a cache tile of 8): B is read in place.
// CHECK-LABEL: func.func @unpacked_few_rows
// CHECK-NOT: vector<32xf32>, tensor<32x32xf32>
// CHECK: return
// STATS: DnnfTileVectorize
// STATS: (S) 0 packed-activations
func.func @unpacked_few_rows(%a: tensor<16x32xf32>, %b: tensor<32x80xf32>) -> tensor<16x80xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<16x32xf32>, tensor<32x80xf32>) -> tensor<16x80xf32>
  return %0 : tensor<16x80xf32>
}

// -----

// A K above 256 takes the largest divisor from 256 down to 64 that 8
// divides, not only a power of two: 576 is 3 K tiles of 192 (not 9 of 64,
// each reloading and storing the C tile).
// CHECK-LABEL: func.func @k_tiles
// CHECK: scf.forall
// CHECK: scf.for %{{.*}} = %c0 to %c576 step %c192
// CHECK: scf.for %{{.*}} = %c0 to %c192 step %c8
func.func @k_tiles(%a: tensor<16x576xf32>, %b: tensor<576x64xf32>) -> tensor<16x64xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<16x576xf32>, tensor<576x64xf32>) -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

// A K of at most 256 is one K tile, whatever its factors (144 = 9 x 16):
// the register tiles start from zero and write C once, with no K loop of
// cache tiles.
// CHECK-LABEL: func.func @whole_k
// CHECK: scf.forall
// CHECK-NOT: step %c16
// CHECK: scf.for %{{.*}} = %c0 to %c144 step %c8 iter_args(%{{.*}} = %cst{{.*}}) -> (vector<8x32xf32>)
func.func @whole_k(%a: tensor<24x144xf32>, %b: tensor<144x256xf32>) -> tensor<24x256xf32> {
  %0 = dnnf.matmul %a, %b : (tensor<24x144xf32>, tensor<144x256xf32>) -> tensor<24x256xf32>
  return %0 : tensor<24x256xf32>
}
