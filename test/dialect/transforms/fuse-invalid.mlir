// Bad --dnnf-fuse options and profiling databases are diagnosed, never
// asserted on.
//
// RUN: not dnnf-opt %s -dnnf-fuse="mode=tvm" 2>&1 | FileCheck %s --check-prefix=MODE
// RUN: not dnnf-opt %s -dnnf-fuse="profile-rule=measure" 2>&1 | FileCheck %s --check-prefix=RULE
// RUN: not dnnf-opt %s -dnnf-fuse="max-ops=0" 2>&1 | FileCheck %s --check-prefix=MAXOPS
// RUN: not dnnf-opt %s -dnnf-fuse="profile-threads=0" 2>&1 | FileCheck %s --check-prefix=THREADS
// RUN: not dnnf-opt %s -dnnf-fuse="profile-tolerance=-0.5" 2>&1 | FileCheck %s --check-prefix=TOLERANCE
// RUN: not dnnf-opt %s -dnnf-fuse="profile-db=%S/Inputs/profile-db-not-json.json" 2>&1 | FileCheck %s --check-prefix=NOTJSON
// RUN: not dnnf-opt %s -dnnf-fuse="profile-db=%S/Inputs/profile-db-bad-format.json" 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: not dnnf-opt %s -dnnf-fuse="profile-db=%S/Inputs/profile-db-bad-entry.json" 2>&1 | FileCheck %s --check-prefix=ENTRY
// RUN: not dnnf-opt %s -dnnf-fuse="profile-db=%S/Inputs/profile-db-bad-latency.json" 2>&1 | FileCheck %s --check-prefix=LATENCY
// RUN: dnnf-opt %s -dnnf-fuse="profile-db=%t.missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not dnnf-opt %s -dnnf-fuse="profile-requests=%s/requests" 2>&1 | FileCheck %s --check-prefix=REQUESTS

// MODE: error: dnnf-fuse: unknown mode 'tvm' (expected 'dnnf' or 'fixed-pattern')
// RULE: error: dnnf-fuse: unknown profile-rule 'measure' (expected 'static', 'fuse' or 'stop')
// MAXOPS: error: dnnf-fuse: max-ops must be at least 1
// THREADS: error: dnnf-fuse: profile-threads must be at least 1
// TOLERANCE: error: dnnf-fuse: profile-tolerance must be a fraction >= 0
// NOTJSON: error: dnnf-fuse: profiling database '{{.*}}profile-db-not-json.json': not JSON: {{.+}}
// FORMAT: error: dnnf-fuse: profiling database '{{.*}}profile-db-bad-format.json': field 'format' is not "dnnf-profile-db"
// ENTRY: error: dnnf-fuse: profiling database '{{.*}}profile-db-bad-entry.json': entry 1 needs strings 'cpu' and 'key', an integer 'threads' and numbers 'fused_us' and 'unfused_us'
// LATENCY: error: dnnf-fuse: profiling database '{{.*}}profile-db-bad-latency.json': entry 0 (key 55ac1c0ce4a920f7): latencies must be positive
// MISSING: warning: dnnf-fuse: profiling database '{{.*}}.missing.json' does not exist; profile cells use profile-rule=static
// MISSING: dnnf.fused
// REQUESTS: error: dnnf-fuse: cannot create the profile-requests directory '{{.*}}fuse-invalid.mlir/requests': {{.+}}
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dnnf.relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

func.func @profile_cell(%x: tensor<4x8xf32>) -> tensor<32xf32> {
  %s = dnnf.softmax %x : tensor<4x8xf32>
  %r = dnnf.reshape %s : tensor<4x8xf32> to tensor<32xf32>
  return %r : tensor<32xf32>
}
