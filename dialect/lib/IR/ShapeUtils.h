//===- ShapeUtils.h - checked shape arithmetic for dnnf ---------*- C++ -*-===//
//
// Private helpers of the dnnf verifiers and result-type inference.  Shapes
// come from user files, so every extent computation is overflow-checked and
// every failure is a diagnostic, never an assertion.
//
//===----------------------------------------------------------------------===//

#ifndef DNNF_LIB_IR_SHAPEUTILS_H
#define DNNF_LIB_IR_SHAPEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <string>

namespace mlir {
namespace dnnf {
namespace shape {

/// Emits `message` at `loc` when present; always returns failure.
inline LogicalResult fail(std::optional<Location> loc, const Twine &message) {
  return emitOptionalError(loc, message);
}

inline bool isStatic(int64_t d) { return !ShapedType::isDynamic(d); }

/// "[2, ?, 4]".
std::string str(ArrayRef<int64_t> shape);

/// The ranked tensor type of `value`, or a diagnostic naming `what`.
FailureOr<RankedTensorType> ranked(std::optional<Location> loc, Value value,
                                   const Twine &what);

/// `axis` normalised into [0, rank), or a diagnostic.
FailureOr<int64_t> normalizeAxis(std::optional<Location> loc, int64_t axis,
                                 int64_t rank, const Twine &what);

/// Overflow-checked `a + b` / `a * b` on extents; a diagnostic naming
/// `what` on overflow.
FailureOr<int64_t> add(std::optional<Location> loc, int64_t a, int64_t b,
                       const Twine &what);
FailureOr<int64_t> mul(std::optional<Location> loc, int64_t a, int64_t b,
                       const Twine &what);

/// Product of `dims`: kDynamic if one is dynamic, failure on overflow.
FailureOr<int64_t> product(std::optional<Location> loc, ArrayRef<int64_t> dims,
                           const Twine &what);

/// `ceil(a / b)` for a >= 0, b > 0, without overflow.
inline int64_t ceilDiv(int64_t a, int64_t b) {
  return a / b + (a % b != 0 ? 1 : 0);
}

/// Whether `from` broadcasts to exactly `to` (numpy, unidirectional).
bool broadcastsTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to);

} // namespace shape
} // namespace dnnf
} // namespace mlir

#endif // DNNF_LIB_IR_SHAPEUTILS_H
