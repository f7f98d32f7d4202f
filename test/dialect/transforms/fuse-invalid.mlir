// Bad --dnnf-fuse options are diagnosed, never asserted on.
//
// RUN: not dnnf-opt %s -dnnf-fuse="mode=tvm" 2>&1 | FileCheck %s --check-prefix=MODE
// RUN: not dnnf-opt %s -dnnf-fuse="profile-rule=measure" 2>&1 | FileCheck %s --check-prefix=RULE
// RUN: not dnnf-opt %s -dnnf-fuse="max-ops=0" 2>&1 | FileCheck %s --check-prefix=MAXOPS

// MODE: error: dnnf-fuse: unknown mode 'tvm' (expected 'dnnf' or 'fixed-pattern')
// RULE: error: dnnf-fuse: unknown profile-rule 'measure' (expected 'static', 'fuse' or 'stop')
// MAXOPS: error: dnnf-fuse: max-ops must be at least 1
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
