//===- Common.h - shared helpers of the dnnf -> linalg lowering -*- C++ -*-===//

#ifndef DNNF_LOWERING_COMMON_H
#define DNNF_LOWERING_COMMON_H

#include "dnnf/IR/DnnfOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
namespace dnnf {
namespace lowering {

using BodyBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// `tensor.empty` of a static type.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type);

/// A tensor of `type` filled with `value` (a scalar of its element type).
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value);

/// `value` with its dimensions permuted (result dimension d is `value`'s
/// dimension perm[d]).  Constants (weights) are permuted once, at compile
/// time, into a new constant; anything else gets a linalg.transpose.
Value permuted(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> perm);

/// A scalar constant of element type `type` (float or integer).
Value scalar(OpBuilder &b, Location loc, Type type, double value);

/// The lowest (or highest) value of a float or signed integer type.
Value lowest(OpBuilder &b, Location loc, Type type);
Value highest(OpBuilder &b, Location loc, Type type);

/// Indexing map reading an operand of `operandShape` that numpy-broadcasts to
/// `resultShape` (missing leading dims dropped, size-1 dims pinned to 0).
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> operandShape,
                       ArrayRef<int64_t> resultShape);

/// linalg.generic over `resultType`, all-parallel, reading `inputs` with
/// broadcast maps (or `maps` when given, one per input) and computing each
/// element with `body`.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange inputs, BodyBuilder body,
                  ArrayRef<AffineMap> maps = {});

/// Reshape of a static tensor by collapsing to 1-D and expanding (or
/// directly, when the shapes allow a single collapse/expand).
Value reshape(OpBuilder &b, Location loc, Value input,
              RankedTensorType resultType);

/// Float / integer classification of element types.
inline bool isFloat(Type t) { return isa<FloatType>(t); }

/// The type sums and products of `elem` accumulate in: f32 for 16-bit
/// floats (as ONNX Runtime and the reference interpreter), else `elem`.
Type accumulatorType(Type elem);

/// Converts scalar `x` to element type `to` with ONNX Cast semantics.
Value castScalar(OpBuilder &b, Location loc, Value x, Type to);

/// `x` converted elementwise to element type `to` (`x` itself when it has
/// that element type already).
Value castTensor(OpBuilder &b, Location loc, Value x, Type to);

/// max / min of two scalars: NaN-propagating for floats, unsigned for i1
/// (true > false), signed for other integers.
Value maxOf(OpBuilder &b, Location loc, Value x, Value y);
Value minOf(OpBuilder &b, Location loc, Value x, Value y);

/// `pred` for comparing integers of type `t`: the signed predicates become
/// unsigned ones for i1, whose true is 1 (not -1).
arith::CmpIPredicate intPredicate(Type t, arith::CmpIPredicate pred);

void populateElementwisePatterns(RewritePatternSet &patterns);
void populateContractionPatterns(RewritePatternSet &patterns);
void populateResizePatterns(RewritePatternSet &patterns);
void populateReductionPatterns(RewritePatternSet &patterns);
void populateDataMovementPatterns(RewritePatternSet &patterns);

} // namespace lowering
} // namespace dnnf
} // namespace mlir

#endif // DNNF_LOWERING_COMMON_H
