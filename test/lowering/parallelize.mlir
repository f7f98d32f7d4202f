// RUN: dnnf-opt %s -split-input-file -dnnf-parallelize="threads=2 min-work=1024" | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-parallelize="threads=1" | FileCheck %s --check-prefix=ONE

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// The outermost parallel loop with at least 2 iterations (d1: d0 has 1) is
// split into 2 chunks of an scf.forall; the inner loops keep their sizes.
// CHECK-LABEL: func.func @elementwise
// CHECK: scf.forall (%[[I:.*]]) = (0) to (64) step (32) shared_outs(%[[O:.*]] = %{{.*}})
// CHECK: tensor.extract_slice %{{.*}}[0, %[[I]], 0] [1, 32, 48] [1, 1, 1]
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x32x48xf32>) outs(%{{.*}} : tensor<1x32x48xf32>)
// CHECK: scf.forall.in_parallel
// ONE-LABEL: func.func @elementwise
// ONE-NOT: scf.forall
func.func @elementwise(%x: tensor<1x64x48xf32>) -> tensor<1x64x48xf32> {
  %e = tensor.empty() : tensor<1x64x48xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<1x64x48xf32>) outs(%e : tensor<1x64x48xf32>) {
  ^bb0(%a: f32, %o: f32):
    %1 = math.exp %a : f32
    linalg.yield %1 : f32
  } -> tensor<1x64x48xf32>
  return %0 : tensor<1x64x48xf32>
}

// -----

// Below min-work (1000 iterations < 1024): left alone.
// CHECK-LABEL: func.func @small
// ONE-LABEL: func.func @small
// CHECK-NOT: scf.forall
// CHECK: linalg.generic
func.func @small(%x: tensor<10x100xf32>) -> tensor<10x100xf32> {
  %e = tensor.empty() : tensor<10x100xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<10x100xf32>) outs(%e : tensor<10x100xf32>) {
  ^bb0(%a: f32, %o: f32):
    %1 = math.exp %a : f32
    linalg.yield %1 : f32
  } -> tensor<10x100xf32>
  return %0 : tensor<10x100xf32>
}

// -----

// A row reduction: only the parallel loop is split (uneven: 3 rows in
// chunks of 2, the last one smaller).
// CHECK-LABEL: func.func @rows
// CHECK: scf.forall (%{{.*}}) = (0) to (3) step (2)
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
func.func @rows(%x: tensor<3x4096xf32>, %init: tensor<3xf32>) -> tensor<3xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<3x4096xf32>) outs(%init : tensor<3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %1 = arith.addf %a, %o : f32
    linalg.yield %1 : f32
  } -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// A full reduction has no parallel loop to split; an op already inside an
// scf.forall (a matmul tile) is not split again.
// CHECK-LABEL: func.func @not_split
// CHECK-NOT: scf.forall (
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction"]
// CHECK: scf.forall (%{{.*}}) in (2)
// CHECK-NOT: scf.forall (
// CHECK: linalg.matmul
func.func @not_split(%x: tensor<8192xf32>, %init: tensor<f32>, %a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> (tensor<f32>, tensor<64x64xf32>) {
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]} ins(%x : tensor<8192xf32>) outs(%init : tensor<f32>) {
  ^bb0(%v: f32, %o: f32):
    %1 = arith.addf %v, %o : f32
    linalg.yield %1 : f32
  } -> tensor<f32>
  %2 = scf.forall (%i) in (2) shared_outs(%o = %c) -> tensor<64x64xf32> {
    %off = affine.apply affine_map<(d0) -> (d0 * 32)>(%i)
    %sa = tensor.extract_slice %a[%off, 0] [32, 64] [1, 1] : tensor<64x64xf32> to tensor<32x64xf32>
    %so = tensor.extract_slice %o[%off, 0] [32, 64] [1, 1] : tensor<64x64xf32> to tensor<32x64xf32>
    %mm = linalg.matmul ins(%sa, %b : tensor<32x64xf32>, tensor<64x64xf32>) outs(%so : tensor<32x64xf32>) -> tensor<32x64xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %mm into %o[%off, 0] [32, 64] [1, 1] : tensor<32x64xf32> into tensor<64x64xf32>
    }
  }
  return %0, %2 : tensor<f32>, tensor<64x64xf32>
}
