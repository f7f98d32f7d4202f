// One test per cell of the DNNFusion fusion table (reference §2): the
// producer's mapping type is the row, the consumer's the column.  ✓ cells
// fuse, ✗ cells never do, and ◐ cells are decided by the static rule (every
// ◐ pair here is fused by it: copies, copies into many_to_many, and
// one_to_many consumers that do not broadcast the fused value) or by
// profile-rule=stop/fuse.
//
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse | FileCheck %s --check-prefixes=COMMON,CHECK
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="profile-rule=fuse" | FileCheck %s --check-prefixes=COMMON,CHECK
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="profile-rule=stop" | FileCheck %s --check-prefixes=COMMON,STOP
// RUN: dnnf-opt %s -split-input-file -dnnf-fuse="emit-remarks=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// one_to_one -> one_to_one: ✓ one_to_one
// COMMON-LABEL: func.func @o2o_then_o2o
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<one_to_one>}
// COMMON: dnnf.relu
// COMMON-NEXT: dnnf.relu
// COMMON-NEXT: dnnf.yield
func.func @o2o_then_o2o(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.relu %x : tensor<4x4xf32>
  %q = dnnf.relu %p : tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// one_to_one -> one_to_many: ✓ one_to_many
// COMMON-LABEL: func.func @o2o_then_o2m
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<one_to_many>}
// COMMON: dnnf.relu
// COMMON-NEXT: dnnf.add
// COMMON-NEXT: dnnf.yield
func.func @o2o_then_o2m(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.relu %x : tensor<4x4xf32>
  %q = dnnf.add %p, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// one_to_one -> many_to_many: ✓ many_to_many
// COMMON-LABEL: func.func @o2o_then_m2m
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<many_to_many>}
// COMMON: dnnf.relu
// COMMON-NEXT: dnnf.softmax
// COMMON-NEXT: dnnf.yield
func.func @o2o_then_m2m(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.relu %x : tensor<4x4xf32>
  %q = dnnf.softmax %p : tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// one_to_one -> reorganize: ✓ reorganize
// COMMON-LABEL: func.func @o2o_then_ro
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<reorganize>}
// COMMON: dnnf.relu
// COMMON-NEXT: dnnf.reshape
// COMMON-NEXT: dnnf.yield
func.func @o2o_then_ro(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<16xf32> {
  %p = dnnf.relu %x : tensor<4x4xf32>
  %q = dnnf.reshape %p : tensor<4x4xf32> to tensor<16xf32>
  return %q : tensor<16xf32>
}

// -----

// one_to_one -> shuffle: ✓ shuffle
// COMMON-LABEL: func.func @o2o_then_sh
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<shuffle>}
// COMMON: dnnf.relu
// COMMON-NEXT: dnnf.transpose
// COMMON-NEXT: dnnf.yield
func.func @o2o_then_sh(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.relu %x : tensor<4x4xf32>
  %q = dnnf.transpose %p {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// one_to_many -> one_to_one: ✓ one_to_many
// COMMON-LABEL: func.func @o2m_then_o2o
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<one_to_many>}
// COMMON: dnnf.add
// COMMON-NEXT: dnnf.relu
// COMMON-NEXT: dnnf.yield
func.func @o2m_then_o2o(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.add %x, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %q = dnnf.relu %p : tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// one_to_many -> one_to_many: ◐ one_to_many
// COMMON-LABEL: func.func @o2m_then_o2m
// CHECK: dnnf.fused
// CHECK-SAME: {mapping = #dnnf.mapping<one_to_many>}
// CHECK: dnnf.add
// CHECK-NEXT: dnnf.add
// CHECK-NEXT: dnnf.yield
// STOP-NOT: dnnf.fused
// STOP: return
// REMARK: remark: profile cell one_to_many -> one_to_many decided by the static rule (no profiling database): fuse, the consumer does not broadcast the fused value
func.func @o2m_then_o2m(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.add %x, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %q = dnnf.add %p, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// one_to_many -> many_to_many: ✗
// COMMON-LABEL: func.func @o2m_then_m2m
// COMMON-NOT: dnnf.fused
// COMMON: return
func.func @o2m_then_m2m(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.add %x, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %q = dnnf.softmax %p : tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// one_to_many -> reorganize: ◐ one_to_many
// COMMON-LABEL: func.func @o2m_then_ro
// CHECK: dnnf.fused
// CHECK-SAME: {mapping = #dnnf.mapping<one_to_many>}
// CHECK: dnnf.add
// CHECK-NEXT: dnnf.reshape
// CHECK-NEXT: dnnf.yield
// STOP-NOT: dnnf.fused
// STOP: return
// REMARK: remark: profile cell one_to_many -> reorganize decided by the static rule (no profiling database): fuse, the consumer is a pure copy
func.func @o2m_then_ro(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<16xf32> {
  %p = dnnf.add %x, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %q = dnnf.reshape %p : tensor<4x4xf32> to tensor<16xf32>
  return %q : tensor<16xf32>
}

// -----

// one_to_many -> shuffle: ◐ one_to_many
// COMMON-LABEL: func.func @o2m_then_sh
// CHECK: dnnf.fused
// CHECK-SAME: {mapping = #dnnf.mapping<one_to_many>}
// CHECK: dnnf.add
// CHECK-NEXT: dnnf.transpose
// CHECK-NEXT: dnnf.yield
// STOP-NOT: dnnf.fused
// STOP: return
// REMARK: remark: profile cell one_to_many -> shuffle decided by the static rule (no profiling database): fuse, the consumer is a pure copy
func.func @o2m_then_sh(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.add %x, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %q = dnnf.transpose %p {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// many_to_many -> one_to_one: ✓ many_to_many
// COMMON-LABEL: func.func @m2m_then_o2o
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<many_to_many>}
// COMMON: dnnf.softmax
// COMMON-NEXT: dnnf.relu
// COMMON-NEXT: dnnf.yield
func.func @m2m_then_o2o(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.softmax %x : tensor<4x4xf32>
  %q = dnnf.relu %p : tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// many_to_many -> one_to_many: ◐ many_to_many
// COMMON-LABEL: func.func @m2m_then_o2m
// CHECK: dnnf.fused
// CHECK-SAME: {mapping = #dnnf.mapping<many_to_many>}
// CHECK: dnnf.softmax
// CHECK-NEXT: dnnf.add
// CHECK-NEXT: dnnf.yield
// STOP-NOT: dnnf.fused
// STOP: return
// REMARK: remark: profile cell many_to_many -> one_to_many decided by the static rule (no profiling database): fuse, the consumer does not broadcast the fused value
func.func @m2m_then_o2m(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.softmax %x : tensor<4x4xf32>
  %q = dnnf.add %p, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// many_to_many -> many_to_many: ✗
// COMMON-LABEL: func.func @m2m_then_m2m
// COMMON-NOT: dnnf.fused
// COMMON: return
func.func @m2m_then_m2m(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.softmax %x : tensor<4x4xf32>
  %q = dnnf.softmax %p : tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// many_to_many -> reorganize: ◐ many_to_many
// COMMON-LABEL: func.func @m2m_then_ro
// CHECK: dnnf.fused
// CHECK-SAME: {mapping = #dnnf.mapping<many_to_many>}
// CHECK: dnnf.softmax
// CHECK-NEXT: dnnf.reshape
// CHECK-NEXT: dnnf.yield
// STOP-NOT: dnnf.fused
// STOP: return
// REMARK: remark: profile cell many_to_many -> reorganize decided by the static rule (no profiling database): fuse, the consumer is a pure copy
func.func @m2m_then_ro(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<16xf32> {
  %p = dnnf.softmax %x : tensor<4x4xf32>
  %q = dnnf.reshape %p : tensor<4x4xf32> to tensor<16xf32>
  return %q : tensor<16xf32>
}

// -----

// many_to_many -> shuffle: ◐ many_to_many
// COMMON-LABEL: func.func @m2m_then_sh
// CHECK: dnnf.fused
// CHECK-SAME: {mapping = #dnnf.mapping<many_to_many>}
// CHECK: dnnf.softmax
// CHECK-NEXT: dnnf.transpose
// CHECK-NEXT: dnnf.yield
// STOP-NOT: dnnf.fused
// STOP: return
// REMARK: remark: profile cell many_to_many -> shuffle decided by the static rule (no profiling database): fuse, the consumer is a pure copy
func.func @m2m_then_sh(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.softmax %x : tensor<4x4xf32>
  %q = dnnf.transpose %p {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// reorganize -> one_to_one: ✓ reorganize
// COMMON-LABEL: func.func @ro_then_o2o
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<reorganize>}
// COMMON: dnnf.reshape
// COMMON-NEXT: dnnf.relu
// COMMON-NEXT: dnnf.yield
func.func @ro_then_o2o(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.reshape %f : tensor<16xf32> to tensor<4x4xf32>
  %q = dnnf.relu %p : tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// reorganize -> one_to_many: ◐ one_to_many
// COMMON-LABEL: func.func @ro_then_o2m
// CHECK: dnnf.fused
// CHECK-SAME: {mapping = #dnnf.mapping<one_to_many>}
// CHECK: dnnf.reshape
// CHECK-NEXT: dnnf.add
// CHECK-NEXT: dnnf.yield
// STOP-NOT: dnnf.fused
// STOP: return
// REMARK: remark: profile cell reorganize -> one_to_many decided by the static rule (no profiling database): fuse, the consumer does not broadcast the fused value
func.func @ro_then_o2m(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.reshape %f : tensor<16xf32> to tensor<4x4xf32>
  %q = dnnf.add %p, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// reorganize -> many_to_many: ◐ many_to_many
// COMMON-LABEL: func.func @ro_then_m2m
// CHECK: dnnf.fused
// CHECK-SAME: {mapping = #dnnf.mapping<many_to_many>}
// CHECK: dnnf.reshape
// CHECK-NEXT: dnnf.softmax
// CHECK-NEXT: dnnf.yield
// STOP-NOT: dnnf.fused
// STOP: return
// REMARK: remark: profile cell reorganize -> many_to_many decided by the static rule (no profiling database): fuse, a pure copy feeds a many_to_many op
func.func @ro_then_m2m(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.reshape %f : tensor<16xf32> to tensor<4x4xf32>
  %q = dnnf.softmax %p : tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// reorganize -> reorganize: ✓ reorganize
// COMMON-LABEL: func.func @ro_then_ro
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<reorganize>}
// COMMON: dnnf.reshape
// COMMON-NEXT: dnnf.reshape
// COMMON-NEXT: dnnf.yield
func.func @ro_then_ro(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<16xf32> {
  %p = dnnf.reshape %f : tensor<16xf32> to tensor<4x4xf32>
  %q = dnnf.reshape %p : tensor<4x4xf32> to tensor<16xf32>
  return %q : tensor<16xf32>
}

// -----

// reorganize -> shuffle: ✓ reorganize
// COMMON-LABEL: func.func @ro_then_sh
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<reorganize>}
// COMMON: dnnf.reshape
// COMMON-NEXT: dnnf.transpose
// COMMON-NEXT: dnnf.yield
func.func @ro_then_sh(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.reshape %f : tensor<16xf32> to tensor<4x4xf32>
  %q = dnnf.transpose %p {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// shuffle -> one_to_one: ✓ shuffle
// COMMON-LABEL: func.func @sh_then_o2o
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<shuffle>}
// COMMON: dnnf.transpose
// COMMON-NEXT: dnnf.relu
// COMMON-NEXT: dnnf.yield
func.func @sh_then_o2o(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.transpose %x {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %q = dnnf.relu %p : tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// shuffle -> one_to_many: ◐ one_to_many
// COMMON-LABEL: func.func @sh_then_o2m
// CHECK: dnnf.fused
// CHECK-SAME: {mapping = #dnnf.mapping<one_to_many>}
// CHECK: dnnf.transpose
// CHECK-NEXT: dnnf.add
// CHECK-NEXT: dnnf.yield
// STOP-NOT: dnnf.fused
// STOP: return
// REMARK: remark: profile cell shuffle -> one_to_many decided by the static rule (no profiling database): fuse, the consumer does not broadcast the fused value
func.func @sh_then_o2m(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.transpose %x {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %q = dnnf.add %p, %v : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// shuffle -> many_to_many: ◐ many_to_many
// COMMON-LABEL: func.func @sh_then_m2m
// CHECK: dnnf.fused
// CHECK-SAME: {mapping = #dnnf.mapping<many_to_many>}
// CHECK: dnnf.transpose
// CHECK-NEXT: dnnf.softmax
// CHECK-NEXT: dnnf.yield
// STOP-NOT: dnnf.fused
// STOP: return
// REMARK: remark: profile cell shuffle -> many_to_many decided by the static rule (no profiling database): fuse, a pure copy feeds a many_to_many op
func.func @sh_then_m2m(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.transpose %x {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %q = dnnf.softmax %p : tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}

// -----

// shuffle -> reorganize: ✓ reorganize
// COMMON-LABEL: func.func @sh_then_ro
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<reorganize>}
// COMMON: dnnf.transpose
// COMMON-NEXT: dnnf.reshape
// COMMON-NEXT: dnnf.yield
func.func @sh_then_ro(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<16xf32> {
  %p = dnnf.transpose %x {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %q = dnnf.reshape %p : tensor<4x4xf32> to tensor<16xf32>
  return %q : tensor<16xf32>
}

// -----

// shuffle -> shuffle: ✓ shuffle
// COMMON-LABEL: func.func @sh_then_sh
// COMMON: dnnf.fused
// COMMON-SAME: {mapping = #dnnf.mapping<shuffle>}
// COMMON: dnnf.transpose
// COMMON-NEXT: dnnf.transpose
// COMMON-NEXT: dnnf.yield
func.func @sh_then_sh(%x: tensor<4x4xf32>, %f: tensor<16xf32>, %v: tensor<4xf32>) -> tensor<4x4xf32> {
  %p = dnnf.transpose %x {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %q = dnnf.transpose %p {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %q : tensor<4x4xf32>
}
