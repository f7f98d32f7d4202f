//===- CostModel.h - FLOP and memory cost of dnnf ops -----------*- C++ -*-===//
//
// A static cost model of dnnf operations: floating-point (or integer)
// operations and bytes moved, computed from operand and result shapes.  It is
// shared by the algebraic simplifier (which compares the cost of a rewrite
// with the cost of what it replaces) and by fusion planning.
//
// Conventions (DNNFusion §3 counts the same way):
//   * every elementwise op costs one operation per result element, whatever
//     its function (add, exp, sqrt, select...); `cast` costs none;
//   * a reduction costs one operation per input element (plus one per result
//     element for a mean or a final log/sqrt);
//   * MatMul/Gemm/Conv cost two operations per multiply-accumulate, plus one
//     per result element for a bias; Gemm's alpha/beta scaling is free (it
//     is applied in the kernel's epilogue);
//   * inference BatchNormalization costs two operations per element (one
//     fused multiply-add after folding its four parameters) plus four per
//     channel;
//   * data movement (reshape, transpose, slice, concat, ...) costs no
//     operations;
//   * every op reads each distinct operand once and writes each result once:
//     bytes are the tensor sizes (i1 counts one byte per element); constants
//     themselves are free, their readers pay for reading them.
// Shapes must be static; an op with a dynamic shape costs zero and is
// reported through `CostSummary::numUnknown`.
//
//===----------------------------------------------------------------------===//

#ifndef DNNF_ANALYSIS_COSTMODEL_H
#define DNNF_ANALYSIS_COSTMODEL_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/TypeRange.h"

#include <cstdint>
#include <optional>

namespace mlir {
namespace dnnf {

/// Estimated work of one operation (or a sum of operations).
struct OpCost {
  /// Arithmetic operations (FLOPs for float tensors).
  int64_t flops = 0;
  int64_t bytesRead = 0;
  int64_t bytesWritten = 0;
  /// False when a shape was dynamic and the cost is incomplete.
  bool known = true;

  int64_t bytes() const;
  OpCost &operator+=(const OpCost &other);
  OpCost &operator-=(const OpCost &other);
};

/// Elements of a statically shaped tensor type; nullopt for other types or
/// on overflow.
std::optional<int64_t> getNumElements(Type type);

/// Bytes of a statically shaped tensor type (elements times the element
/// size rounded up to whole bytes); nullopt for other types or on overflow.
std::optional<int64_t> getNumBytes(Type type);

/// Cost of an operation named `opName` (e.g. "dnnf.add") with the given
/// operand and result types and attributes, without creating it.  Each
/// operand that appears in `operandTypes` is read once: list a value used
/// twice (as in `mul(x, x)`) only once.  Attributes are needed only by ops
/// whose cost depends on them (gemm's transA, pooling kernels, einsum's
/// equation, resize's mode); they may be null.
OpCost estimateOpCost(StringRef opName, TypeRange operandTypes,
                      TypeRange resultTypes, DictionaryAttr attrs = {});

/// Cost of `op` from its operand and result types.  `dnnf.fused` costs the
/// operations of its body and the bytes of its own operands and results;
/// ops from other dialects (func.return, ...) are free.
OpCost estimateOpCost(Operation *op);

/// Totals over every operation nested in a root.
struct CostSummary {
  /// Operations counted, excluding constants and terminators.
  int64_t numOps = 0;
  /// Operations whose cost is unknown (dynamic shapes).
  int64_t numUnknown = 0;
  OpCost total;
};

/// Sums `estimateOpCost` over the operations nested in `root` (not `root`
/// itself, and not the bodies of `dnnf.fused`, which their op accounts for).
CostSummary summarizeCost(Operation *root);

/// The cost model as an MLIR analysis (`getAnalysis<CostModelAnalysis>()`):
/// caches per-op costs of the operations nested in the analysed op.
class CostModelAnalysis {
public:
  explicit CostModelAnalysis(Operation *root);

  /// Cost of `op` (computed on first request, then cached).
  const OpCost &getCost(Operation *op);
  /// Totals over the analysed op, as computed at construction.
  const CostSummary &getSummary() const { return summary; }

private:
  llvm::DenseMap<Operation *, OpCost> costs;
  CostSummary summary;
};

} // namespace dnnf
} // namespace mlir

#endif // DNNF_ANALYSIS_COSTMODEL_H
