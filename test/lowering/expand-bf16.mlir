// RUN: dnnf-opt %s -dnnf-expand-bf16 | FileCheck %s

// bf16 <-> f32 conversions become integer code: no libcall (__truncsfbf2)
// on CPUs without native bf16 conversions.  Other conversions are kept.
// CHECK-LABEL: func.func @conversions
// CHECK-NOT: arith.truncf %{{.*}} : f32 to bf16
// CHECK-NOT: arith.extf %{{.*}} : bf16 to f32
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: arith.shrui
// CHECK: arith.bitcast %{{.*}} : i16 to bf16
// CHECK: arith.shli
// CHECK: arith.bitcast %{{.*}} : i32 to f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @conversions(%x: f32, %y: bf16) -> (bf16, f32, f16) {
  %0 = arith.truncf %x : f32 to bf16
  %1 = arith.extf %y : bf16 to f32
  %2 = arith.truncf %x : f32 to f16
  return %0, %1, %2 : bf16, f32, f16
}
