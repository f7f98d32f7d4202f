//===- Passes.td - dnnf conversion passes ------------------*- tablegen -*-===//

#ifndef DNNF_CONVERSION_PASSES_TD
#define DNNF_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertDnnfToLinalg : Pass<"convert-dnnf-to-linalg"> {
  let summary = "Lower dnnf ops to linalg, tensor, arith and math";
  let description = [{
    Rewrites every dnnf op into upstream tensor-level dialects, in upstream
    style: named linalg ops where they exist (matmul, batch_matmul,
    convolutions, pooling, transpose, softmax), `linalg.generic` otherwise,
    with exact ONNX broadcasting, padding, groups, dilations and strides.
    `dnnf.fused` blocks are inlined (one kernel per block comes with fusion
    code generation).  An op that cannot be lowered is reported with the
    reason and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect",
  ];
  let statistics = [
    Statistic<"numLowered", "lowered-ops", "Number of dnnf ops lowered">,
  ];
}

def DnnfLowerMemrefCopy : Pass<"dnnf-lower-memref-copy"> {
  let summary = "Rewrite memref.copy into linalg.copy";
  let description = [{
    `memref.copy` between non-contiguous memrefs lowers to a call of
    `memrefCopy` from `libmlir_c_runner_utils.so`, which links its own
    `libMLIR.so`.  Loading it into a Python process that already holds the
    bindings' MLIR copy breaks the one-MLIR-per-process rule, so dnnf turns
    every copy into a `linalg.copy`, which lowers to plain loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
  let statistics = [
    Statistic<"numCopies", "copies", "Number of memref.copy ops rewritten">,
  ];
}

#endif // DNNF_CONVERSION_PASSES_TD
