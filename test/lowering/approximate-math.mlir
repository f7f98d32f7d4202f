// RUN: dnnf-opt %s -split-input-file -dnnf-approximate-math | FileCheck %s
// RUN: dnnf-opt %s -split-input-file -dnnf-approximate-math=functions=tanh | FileCheck %s --check-prefix=TANH
// RUN: dnnf-opt %s -split-input-file -dnnf-approximate-math -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: dnnf-opt %s -split-input-file -dnnf-approximate-math=functions=powf | FileCheck %s --check-prefix=POWF

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

// -----

// powf by a constant that is not an integer (LRN's x^-0.75; a scalar, a
// splat, or a broadcast of one) becomes exp(b * log(a)), both approximated
// even when `functions` names only powf; integer exponents and exponents
// computed at run time keep powf.
// CHECK-LABEL: func.func @fractional_pow
// CHECK-NOT: math.powf {{.*}} : vector<16xf32>
// CHECK-NOT: math.exp
// CHECK-NOT: math.log
// CHECK: math.powf %arg1, %{{.*}} : f32
// CHECK: math.powf %arg1, %arg2 : f32
// TANH-LABEL: func.func @fractional_pow
// TANH-COUNT-2: math.powf {{.*}} : vector<16xf32>
// STATS: DnnfApproximateMath
// STATS-NEXT: (S) 2 approximated
// POWF-LABEL: func.func @fractional_pow
// POWF-NOT: math.exp
// POWF-NOT: math.log
// POWF: math.powf %arg1, %{{.*}} : f32
func.func @fractional_pow(%x: vector<16xf32>, %y: f32, %z: f32) -> (vector<16xf32>, vector<16xf32>, f32, f32) {
  %splat = arith.constant dense<-0.75> : vector<16xf32>
  %half = arith.constant 0.5 : f32
  %two = arith.constant 2.0 : f32
  %b = vector.broadcast %half : f32 to vector<16xf32>
  %0 = math.powf %x, %splat : vector<16xf32>
  %1 = math.powf %x, %b : vector<16xf32>
  %2 = math.powf %y, %two : f32
  %3 = math.powf %y, %z : f32
  return %0, %1, %2, %3 : vector<16xf32>, vector<16xf32>, f32, f32
}

// -----

// With only powf selected, other exp ops are left alone.
// POWF-LABEL: func.func @only_pow
// POWF: math.exp %arg0 : f32
func.func @only_pow(%x: f32) -> f32 {
  %0 = math.exp %x : f32
  return %0 : f32
}
