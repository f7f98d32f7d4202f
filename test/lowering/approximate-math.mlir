// RUN: dnnf-opt %s -split-input-file -dnnf-approximate-math | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-approximate-math=functions=tanh | FileCheck %s --check-prefix=TANH
// RUN: dnnf-opt %s -split-input-file -dnnf-approximate-math -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS

// f32 exp (vector) and erf (scalar) become arith polynomials (with FMAs);
// f64 keeps its libm call.
// CHECK-LABEL: func.func @approximated
// CHECK-NOT: math.exp {{.*}} : vector<16xf32>
// CHECK-NOT: math.erf
// CHECK: math.fma {{.*}} : vector<16xf32>
// CHECK: math.fma {{.*}} : f32
// CHECK: math.exp {{.*}} : f64
// TANH-LABEL: func.func @approximated
// TANH: math.exp {{.*}} : vector<16xf32>
// TANH: math.erf {{.*}} : f32
// STATS: DnnfApproximateMath
// STATS-NEXT: (S) 2 approximated
func.func @approximated(%x: vector<16xf32>, %y: f32, %z: f64) -> (vector<16xf32>, f32, f64) {
  %0 = math.exp %x : vector<16xf32>
  %1 = math.erf %y : f32
  %2 = math.exp %z : f64
  return %0, %1, %2 : vector<16xf32>, f32, f64
}

// -----

// Only the listed functions: tanh is, sqrt never is.
// CHECK-LABEL: func.func @selected
// CHECK-NOT: math.tanh
// CHECK: math.sqrt
// TANH-LABEL: func.func @selected
// TANH-NOT: math.tanh
// TANH: math.sqrt
// STATS: DnnfApproximateMath
// STATS-NEXT: (S) 1 approximated
func.func @selected(%x: f32) -> (f32, f32) {
  %0 = math.tanh %x : f32
  %1 = math.sqrt %x : f32
  return %0, %1 : f32, f32
}
