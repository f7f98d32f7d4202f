// RUN: dnnf-opt %s -split-input-file --dnnf-gpu-tile-matmuls="tile=8 thread-tile=2 k-tile=4" | FileCheck %s
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
