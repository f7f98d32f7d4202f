// --dnnf-cpu-pipeline{fusion=...}: the plan decides the kernels.  A conv
// with its bias and relu epilogue, then a softmax and a residual add: dnnf
// (anchored: the relu stays the conv's epilogue, not the softmax's
// prologue) and fixed-pattern both make {conv, relu} and {softmax, add},
// none one kernel per op.  Every plan lowers to one function; the kernels
// are gone.
//
// RUN: dnnf-opt %s '-pass-pipeline=builtin.module(dnnf-cpu-pipeline{fusion=dnnf})' | FileCheck %s
// RUN: dnnf-opt %s '-pass-pipeline=builtin.module(dnnf-cpu-pipeline{fusion=dnnf})' -mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=DNNF
// RUN: dnnf-opt %s '-pass-pipeline=builtin.module(dnnf-cpu-pipeline{fusion=fixed-pattern})' -mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=FIXED
// RUN: dnnf-opt %s '-pass-pipeline=builtin.module(dnnf-cpu-pipeline{fusion=none})' -mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=NONE
// RUN: not dnnf-opt %s '-pass-pipeline=builtin.module(dnnf-cpu-pipeline{fusion=greedy})' 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK-LABEL: llvm.func @main
// CHECK-NOT: llvm.func {{.*}}kernel
// DNNF: DnnfFuse
// DNNF: 2 kernels-after
// DNNF: DnnfInlineKernels
// DNNF-NEXT: (S) 2 kernels
// FIXED: DnnfInlineKernels
// FIXED-NEXT: (S) 2 kernels
// NONE: DnnfInlineKernels
// NONE-NEXT: (S) 4 kernels
// BAD: Cannot find option named 'greedy'
func.func @main(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %w = dnnf.constant dense<0.5> : tensor<4x4x1x1xf32>
  %b = dnnf.constant dense<0.25> : tensor<4xf32>
  %c = dnnf.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %r = dnnf.relu %c : tensor<1x4x8x8xf32>
  %s = dnnf.softmax %r {axis = 1 : i64} : tensor<1x4x8x8xf32>
  %a = dnnf.add %s, %x : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %a : tensor<1x4x8x8xf32>
}
