// RUN: dnnf-opt %s -split-input-file --dnnf-gpu-tile-matmuls="tile=8 thread-tile=2 k-tile=4" | FileCheck %s
// RUN: dnnf-opt %s -split-input-file --dnnf-gpu-tile-matmuls="epilogues=false" | FileCheck %s --check-prefix=OFF
// RUN: not dnnf-opt %s --dnnf-gpu-tile-matmuls="tile=8 thread-tile=3" 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: tile 8, thread-tile 3, k-tile 16: all must be positive, thread-tile must divide tile

// A 10x12 += 10x7 * 7x12 matmul: a 2 x 2 grid of 8x8 blocks of C, 4 x 4
// invocations of 2x2 each; K in steps of 4 through workgroup memory, loads
// past the edges give zero, stores past them are skipped.

// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[A:.*]]: memref<10x7xf32>, %[[B:.*]]: memref<7x12xf32>, %[[C:.*]]: memref<10x12xf32>)
// CHECK-NOT:     linalg.matmul
// CHECK:         gpu.launch blocks(%[[BX:.*]], %[[BY:.*]], %{{.*}}) in (%{{.*}} = %c2{{.*}}, %{{.*}} = %c2{{.*}}, %{{.*}} = %c1{{.*}}) threads(%[[TX:.*]], %[[TY:.*]], %{{.*}}) in (%{{.*}} = %c4{{.*}}, %{{.*}} = %c4{{.*}}, %{{.*}} = %c1{{.*}})
// CHECK:           %[[SA:.*]] = memref.alloc() : memref<8x4xf32, #spirv.storage_class<Workgroup>>
// CHECK:           %[[SB:.*]] = memref.alloc() : memref<4x8xf32, #spirv.storage_class<Workgroup>>
// CHECK:           scf.for %{{.*}} = %{{.*}} to %c7{{.*}} step %c4{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (f32, f32, f32, f32)
// CHECK:             scf.if %{{.*}} -> (f32) {
// CHECK:               memref.load %[[A]]
// CHECK:             } else {
// CHECK:               arith.constant 0.000000e+00 : f32
// CHECK:             memref.store %{{.*}}, %[[SA]]
// CHECK:             memref.load %[[B]]
// CHECK:             memref.store %{{.*}}, %[[SB]]
// CHECK:             gpu.barrier
// CHECK:             scf.for {{.*}} -> (f32, f32, f32, f32)
// CHECK-COUNT-2:       memref.load %[[SA]]
// CHECK-COUNT-2:       memref.load %[[SB]]
// CHECK-COUNT-4:       arith.mulf
// CHECK:             gpu.barrier
// CHECK-COUNT-4:   memref.store %{{.*}}, %[[C]]
// CHECK:           gpu.terminator
func.func @matmul(%a: memref<10x7xf32>, %b: memref<7x12xf32>, %c: memref<10x12xf32>) {
  linalg.matmul ins(%a, %b : memref<10x7xf32>, memref<7x12xf32>) outs(%c : memref<10x12xf32>)
  return
}

// -----

// Batches are the grid's z; f16 operands are extended to f32 when loaded
// and the sums rounded once into the f16 result.

// CHECK-LABEL: func.func @batched_f16
// CHECK:         gpu.launch blocks(%{{.*}}, %{{.*}}, %[[BZ:.*]]) in (%{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}, %{{.*}} = %c3{{.*}})
// CHECK:           memref.load %{{.*}}[%[[BZ]], %{{.*}}, %{{.*}}] : memref<3x8x8xf16>
// CHECK-NEXT:      arith.extf %{{.*}} : f16 to f32
// CHECK:           arith.truncf %{{.*}} : f32 to f16
func.func @batched_f16(%a: memref<3x8x8xf16>, %b: memref<3x8x8xf16>, %c: memref<3x8x8xf16>) {
  linalg.batch_matmul ins(%a, %b : memref<3x8x8xf16>, memref<3x8x8xf16>) outs(%c : memref<3x8x8xf16>)
  return
}

// -----

// Tensors (not bufferized yet), dynamic shapes and empty products are left
// alone.

// CHECK-LABEL: func.func @left_alone
// CHECK:         linalg.matmul ins(%{{.*}} : tensor<4x4xf32>
// CHECK:         linalg.matmul ins(%{{.*}} : memref<?x4xf32>
// CHECK:         linalg.matmul ins(%{{.*}} : memref<0x4xf32>
// CHECK-NOT:     gpu.launch
func.func @left_alone(%a: tensor<4x4xf32>, %d: memref<?x4xf32>, %e: memref<4x4xf32>, %f: memref<?x4xf32>, %z: memref<0x4xf32>, %zo: memref<0x4xf32>) -> tensor<4x4xf32> {
  %0 = linalg.matmul ins(%a, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%a : tensor<4x4xf32>) -> tensor<4x4xf32>
  linalg.matmul ins(%d, %e : memref<?x4xf32>, memref<4x4xf32>) outs(%f : memref<?x4xf32>)
  linalg.matmul ins(%z, %e : memref<0x4xf32>, memref<4x4xf32>) outs(%zo : memref<0x4xf32>)
  return %0 : tensor<4x4xf32>
}

// -----

// Epilogues: the zero fill of C becomes the sums' start value, and the
// convolution-style generic after the matmul (bias + ReLU on the NCHW view
// of C, read through an expand_shape) is computed on the sums in the
// launch and stored to its output.  C is dead afterwards, so not stored.

// With epilogues=false, the fill and the generic stay kernels of their own.
// OFF-LABEL: func.func @conv_epilogue
// OFF:         linalg.fill
// OFF:         gpu.launch
// OFF:         memref.load %{{.*}} : memref<4x6xf32>
// OFF:         memref.store %{{.*}} : memref<4x6xf32>
// OFF:         gpu.terminator
// OFF:         linalg.generic

// CHECK-LABEL: func.func @conv_epilogue
// CHECK-SAME:    (%[[A:.*]]: memref<4x9xf32>, %[[B:.*]]: memref<9x6xf32>, %[[BIAS:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<1x4x2x3xf32>)
// CHECK-NOT:     linalg.fill
// CHECK:         gpu.launch
// CHECK:           scf.if %{{[0-9]+}} {
// CHECK-NOT:         memref.load %{{.*}} : memref<4x6xf32>
// CHECK:             %[[H:.*]] = arith.remui %{{.*}}, %c3{{.*}} : index
// CHECK:             %[[Y:.*]] = arith.divui %{{.*}}, %c3{{.*}} : index
// CHECK:             %[[BV:.*]] = memref.load %[[BIAS]][%{{.*}}] : memref<4xf32>
// CHECK:             %[[S:.*]] = arith.addf %{{.*}}, %[[BV]] : f32
// CHECK:             %[[R:.*]] = arith.maximumf %[[S]]
// CHECK:             memref.store %[[R]], %[[OUT]][%c0{{.*}}, %{{.*}}, %[[Y]], %[[H]]] : memref<1x4x2x3xf32>
// CHECK-NOT:         memref.store %{{.*}} : memref<4x6xf32>
// CHECK:         gpu.terminator
// CHECK-NOT:     linalg.generic
#nchw = affine_map<(n, c, h, w) -> (n, c, h, w)>
#chan = affine_map<(n, c, h, w) -> (c)>
func.func @conv_epilogue(%a: memref<4x9xf32>, %b: memref<9x6xf32>, %bias: memref<4xf32>, %out: memref<1x4x2x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x6xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x6xf32>)
  linalg.matmul ins(%a, %b : memref<4x9xf32>, memref<9x6xf32>) outs(%c : memref<4x6xf32>)
  %v = memref.expand_shape %c [[0, 1], [2, 3]] output_shape [1, 4, 2, 3] : memref<4x6xf32> into memref<1x4x2x3xf32>
  linalg.generic {indexing_maps = [#nchw, #chan, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%v, %bias : memref<1x4x2x3xf32>, memref<4xf32>) outs(%out : memref<1x4x2x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A generic writing C in place (its output element is the sum, not C's
// unwritten memory), and one whose C is read afterwards: both are computed
// in the launch; C is stored where something still reads it.

// CHECK-LABEL: func.func @in_place_and_read_after
// CHECK:         gpu.launch
// CHECK:           scf.if %{{[0-9]+}} {
// CHECK:             %[[T:.*]] = arith.addf
// CHECK:             %[[E:.*]] = math.tanh %[[T]]
// CHECK:             %[[U:.*]] = arith.addf %[[E]], %[[T]]
// CHECK:             memref.store %[[U]], %[[C1:.*]][%{{.*}}, %{{.*}}] : memref<4x4xf32>
// CHECK:         gpu.launch
// CHECK:           scf.if %{{[0-9]+}} {
// CHECK:             %[[T2:.*]] = arith.addf
// CHECK:             memref.store %[[T2]], %[[C2:.*]][%{{.*}}, %{{.*}}] : memref<4x4xf32>
// CHECK:             %[[N:.*]] = arith.negf %[[T2]]
// CHECK:             memref.store %[[N]], %{{.*}}[%{{.*}}, %{{.*}}] : memref<4x4xf32>
// CHECK:         memref.copy %[[C2]]
// CHECK-NOT:     linalg.generic
#id = affine_map<(i, j) -> (i, j)>
func.func @in_place_and_read_after(%a: memref<4x4xf32>, %out: memref<4x4xf32>, %keep: memref<4x4xf32>) -> memref<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %c1 = memref.alloc() : memref<4x4xf32>
  linalg.fill ins(%zero : f32) outs(%c1 : memref<4x4xf32>)
  linalg.matmul ins(%a, %a : memref<4x4xf32>, memref<4x4xf32>) outs(%c1 : memref<4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c1 : memref<4x4xf32>) outs(%c1 : memref<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %t = math.tanh %x : f32
    %u = arith.addf %t, %o : f32
    linalg.yield %u : f32
  }
  %c2 = memref.alloc() : memref<4x4xf32>
  linalg.fill ins(%zero : f32) outs(%c2 : memref<4x4xf32>)
  linalg.matmul ins(%a, %a : memref<4x4xf32>, memref<4x4xf32>) outs(%c2 : memref<4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c2 : memref<4x4xf32>) outs(%out : memref<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  memref.copy %c2, %keep : memref<4x4xf32> to memref<4x4xf32>
  return %c1 : memref<4x4xf32>
}

// -----

// Left as kernels of their own: a generic reading C transposed (another
// workgroup's elements), one writing into the matmul's operand, and one
// reading C through a subview (other elements than the invocation's).

// CHECK-LABEL: func.func @not_fused
// CHECK:         gpu.launch
// CHECK:         linalg.generic
// CHECK:         gpu.launch
// CHECK:         linalg.generic
// CHECK:         gpu.launch
// CHECK:         memref.subview
// CHECK:         linalg.generic
#ident = affine_map<(i, j) -> (i, j)>
#transposed = affine_map<(i, j) -> (j, i)>
func.func @not_fused(%a: memref<4x4xf32>, %out: memref<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %c1 = memref.alloc() : memref<4x4xf32>
  linalg.fill ins(%zero : f32) outs(%c1 : memref<4x4xf32>)
  linalg.matmul ins(%a, %a : memref<4x4xf32>, memref<4x4xf32>) outs(%c1 : memref<4x4xf32>)
  linalg.generic {indexing_maps = [#transposed, #ident], iterator_types = ["parallel", "parallel"]}
      ins(%c1 : memref<4x4xf32>) outs(%out : memref<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  %c2 = memref.alloc() : memref<4x4xf32>
  linalg.fill ins(%zero : f32) outs(%c2 : memref<4x4xf32>)
  linalg.matmul ins(%a, %a : memref<4x4xf32>, memref<4x4xf32>) outs(%c2 : memref<4x4xf32>)
  linalg.generic {indexing_maps = [#ident, #ident], iterator_types = ["parallel", "parallel"]}
      ins(%c2 : memref<4x4xf32>) outs(%a : memref<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  %c3 = memref.alloc() : memref<4x4xf32>
  linalg.fill ins(%zero : f32) outs(%c3 : memref<4x4xf32>)
  linalg.matmul ins(%a, %a : memref<4x4xf32>, memref<4x4xf32>) outs(%c3 : memref<4x4xf32>)
  %sv = memref.subview %c3[1, 0] [3, 4] [1, 1] : memref<4x4xf32> to memref<3x4xf32, strided<[4, 1], offset: 4>>
  %o3 = memref.subview %out[0, 0] [3, 4] [1, 1] : memref<4x4xf32> to memref<3x4xf32, strided<[4, 1]>>
  linalg.generic {indexing_maps = [#ident, #ident], iterator_types = ["parallel", "parallel"]}
      ins(%sv : memref<3x4xf32, strided<[4, 1], offset: 4>>) outs(%o3 : memref<3x4xf32, strided<[4, 1]>>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}
