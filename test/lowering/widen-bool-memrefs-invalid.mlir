// RUN: dnnf-opt %s -dnnf-widen-bool-memrefs -verify-diagnostics

// Ops that read or write elements other than memref.load/store (run the pass
// after convert-linalg-to-loops) are reported, and nothing is changed.
func.func @linalg_on_bools(%a: memref<4xi1>, %b: memref<4xi1>) {
  // expected-error @+1 {{'linalg.copy' op uses an i1 memref, which cannot be widened to i8}}
  linalg.copy ins(%a : memref<4xi1>) outs(%b : memref<4xi1>)
  return
}
