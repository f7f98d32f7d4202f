// RUN: dnnf-opt %s -split-input-file --dnnf-flatten-parallel-loops -verify-diagnostics

func.func @dynamic(%out: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %f = arith.constant 1.0 : f32
  // expected-error @below {{has a non-constant bound or step: the GPU path needs static shapes}}
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %f, %out[%i] : memref<?xf32>
    scf.reduce
  }
  return
}

// -----

func.func @results(%v: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %z = arith.constant 0.0 : f32
  // expected-error @below {{at the top level carries loop results}}
  %s = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %z) -> f32 {
    %x = memref.load %v[%i] : memref<4xf32>
    %n = arith.addf %acc, %x : f32
    scf.yield %n : f32
  }
  return %s : f32
}

// -----

func.func @escaping(%v: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @below {{runs between kernels and its result is used by 'func.return' on the host}}
  %x = memref.load %v[%c0] : memref<4xf32>
  return %x : f32
}
