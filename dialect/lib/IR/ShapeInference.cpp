//===- ShapeInference.cpp - dnnf result-type inference helpers ------------===//
//
// Shared result-type inference for dnnf ops.  These run from builders (also
// from Python, before any verifier) and from the InferTypeOpInterface
// verifier, so they validate everything they read and never assert.
//
//===----------------------------------------------------------------------===//

#include "dnnf/IR/DnnfOps.h"
#include "ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::dnnf;

using namespace mlir::dnnf::shape;

//===----------------------------------------------------------------------===//
// Shared helpers (ShapeUtils.h)
//===----------------------------------------------------------------------===//

std::string shape::str(ArrayRef<int64_t> dims) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleave(
      dims, os,
      [&](int64_t d) {
        if (isStatic(d))
          os << d;
        else
          os << "?";
      },
      ", ");
  os << "]";
  return s;
}

FailureOr<RankedTensorType> shape::ranked(std::optional<Location> loc,
                                          Value value, const Twine &what) {
  auto type = value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
  if (!type) {
    (void)fail(loc, what + " must be a ranked tensor");
    return failure();
  }
  return type;
}

FailureOr<int64_t> shape::normalizeAxis(std::optional<Location> loc,
                                        int64_t axis, int64_t rank,
                                        const Twine &what) {
  if (axis < -rank || axis >= rank) {
    (void)fail(loc, what + " " + Twine(axis) + " is out of range [" +
                        Twine(-rank) + ", " + Twine(rank) + ")");
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

FailureOr<int64_t> shape::add(std::optional<Location> loc, int64_t a,
                              int64_t b, const Twine &what) {
  if (std::optional<int64_t> r = llvm::checkedAdd(a, b))
    return *r;
  (void)fail(loc, what + " overflows 64 bits");
  return failure();
}

FailureOr<int64_t> shape::mul(std::optional<Location> loc, int64_t a,
                              int64_t b, const Twine &what) {
  if (std::optional<int64_t> r = llvm::checkedMul(a, b))
    return *r;
  (void)fail(loc, what + " overflows 64 bits");
  return failure();
}

FailureOr<int64_t> shape::product(std::optional<Location> loc,
                                  ArrayRef<int64_t> dims, const Twine &what) {
  int64_t p = 1;
  for (int64_t d : dims) {
    if (!isStatic(d))
      return ShapedType::kDynamic;
    FailureOr<int64_t> next = mul(loc, p, d, what);
    if (failed(next))
      return failure();
    p = *next;
  }
  return p;
}

bool shape::broadcastsTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  SmallVector<int64_t> b;
  return from.size() <= to.size() &&
         succeeded(dnnf::detail::broadcastShapes({to, from}, b)) &&
         ArrayRef<int64_t>(b) == to;
}

LogicalResult dnnf::detail::broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes,
                                      SmallVectorImpl<int64_t> &result) {
  size_t rank = 0;
  for (ArrayRef<int64_t> s : shapes)
    rank = std::max(rank, s.size());
  result.assign(rank, 1);
  for (ArrayRef<int64_t> s : shapes) {
    size_t offset = rank - s.size();
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t d = s[i];
      int64_t &r = result[offset + i];
      if (d == 1)
        continue;
      if (r == 1) {
        r = d;
        continue;
      }
      if (ShapedType::isDynamic(d))
        continue; // Unknown: assume it matches the known extent.
      if (ShapedType::isDynamic(r)) {
        r = d;
        continue;
      }
      if (r != d)
        return failure();
    }
  }
  return success();
}

static LogicalResult inferElementwise(std::optional<Location> loc,
                                      ValueRange operands, Type elementType,
                                      SmallVectorImpl<Type> &results) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (auto [i, v] : llvm::enumerate(operands)) {
    FailureOr<RankedTensorType> t =
        ranked(loc, v, "operand #" + std::to_string(i));
    if (failed(t))
      return failure();
    shapes.push_back(t->getShape());
  }
  if (shapes.empty())
    return fail(loc, "expected at least one operand");
  SmallVector<int64_t> shape;
  if (failed(dnnf::detail::broadcastShapes(shapes, shape))) {
    std::string msg = "operands are not broadcast-compatible:";
    for (ArrayRef<int64_t> s : shapes)
      msg += " " + str(s);
    return fail(loc, msg);
  }
  if (!elementType)
    elementType = cast<RankedTensorType>(operands.front().getType())
                      .getElementType();
  results.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

LogicalResult dnnf::detail::inferBroadcastTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          ValueRange operands,
                                          SmallVectorImpl<Type> &results) {
  return inferElementwise(loc, operands, Type(), results);
}

LogicalResult dnnf::detail::inferCompareTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        ValueRange operands,
                                        SmallVectorImpl<Type> &results) {
  return inferElementwise(loc, operands, IntegerType::get(ctx, 1), results);
}

LogicalResult dnnf::detail::inferWhereTypes(MLIRContext *ctx,
                                      std::optional<Location> loc,
                                      ValueRange operands,
                                      SmallVectorImpl<Type> &results) {
  if (operands.size() != 3)
    return fail(loc, "expected 3 operands");
  FailureOr<RankedTensorType> lhs = ranked(loc, operands[1], "lhs");
  if (failed(lhs))
    return failure();
  return inferElementwise(loc, operands, lhs->getElementType(), results);
}

LogicalResult dnnf::detail::inferMatMulTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       ValueRange operands,
                                       SmallVectorImpl<Type> &results) {
  if (operands.size() != 2)
    return fail(loc, "expected 2 operands");
  FailureOr<RankedTensorType> lhsT = ranked(loc, operands[0], "lhs");
  FailureOr<RankedTensorType> rhsT = ranked(loc, operands[1], "rhs");
  if (failed(lhsT) || failed(rhsT))
    return failure();
  SmallVector<int64_t> a(lhsT->getShape()), b(rhsT->getShape());
  if (a.empty() || b.empty())
    return fail(loc, "matmul operands must have rank >= 1");
  bool promoteA = a.size() == 1, promoteB = b.size() == 1;
  if (promoteA)
    a.insert(a.begin(), 1);
  if (promoteB)
    b.push_back(1);
  int64_t k1 = a.back(), k2 = b[b.size() - 2];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return fail(loc, "matmul contraction dimensions differ: lhs " +
                         str(lhsT->getShape()) + " vs rhs " +
                         str(rhsT->getShape()));
  SmallVector<int64_t> batch;
  ArrayRef<int64_t> batchA = ArrayRef<int64_t>(a).drop_back(2);
  ArrayRef<int64_t> batchB = ArrayRef<int64_t>(b).drop_back(2);
  if (failed(broadcastShapes({batchA, batchB}, batch)))
    return fail(loc, "matmul batch dimensions are not broadcast-compatible: " +
                         str(lhsT->getShape()) + " vs " +
                         str(rhsT->getShape()));
  SmallVector<int64_t> shape(batch);
  if (!promoteA)
    shape.push_back(a[a.size() - 2]);
  if (!promoteB)
    shape.push_back(b.back());
  results.push_back(RankedTensorType::get(shape, lhsT->getElementType()));
  return success();
}

LogicalResult dnnf::detail::inferGlobalPoolTypes(MLIRContext *ctx,
                                           std::optional<Location> loc,
                                           ValueRange operands,
                                           SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> t = ranked(loc, operands[0], "input");
  if (failed(t))
    return failure();
  if (t->getRank() < 3)
    return fail(loc, "global pooling expects an N x C x D1 x ... input, got "
                     "rank " +
                         Twine(t->getRank()));
  SmallVector<int64_t> shape(t->getShape());
  for (size_t i = 2; i < shape.size(); ++i)
    shape[i] = 1;
  results.push_back(RankedTensorType::get(shape, t->getElementType()));
  return success();
}

LogicalResult dnnf::detail::inferReduceTypes(std::optional<Location> loc,
                                       Value input, ArrayRef<int64_t> axes,
                                       bool keepdims,
                                       SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> t = ranked(loc, input, "input");
  if (failed(t))
    return failure();
  int64_t rank = t->getRank();
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t axis : axes) {
    FailureOr<int64_t> a = normalizeAxis(loc, axis, rank, "reduction axis");
    if (failed(a))
      return failure();
    if (reduced[*a] && !axes.empty())
      return fail(loc, "reduction axis " + Twine(axis) + " is repeated");
    reduced[*a] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[i])
      shape.push_back(t->getDimSize(i));
    else if (keepdims)
      shape.push_back(1);
  }
  results.push_back(RankedTensorType::get(shape, t->getElementType()));
  return success();
}

LogicalResult dnnf::detail::inferArgReduceTypes(std::optional<Location> loc,
                                          Value input, int64_t axis,
                                          bool keepdims,
                                          SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> t = ranked(loc, input, "input");
  if (failed(t))
    return failure();
  if (t->getRank() == 0)
    return fail(loc, "input must have rank >= 1");
  SmallVector<Type> tmp;
  if (failed(inferReduceTypes(loc, input, {axis}, keepdims, tmp)))
    return failure();
  auto reducedT = cast<RankedTensorType>(tmp.front());
  results.push_back(RankedTensorType::get(
      reducedT.getShape(), IntegerType::get(input.getContext(), 64)));
  return success();
}

LogicalResult dnnf::detail::inferFlattenTypes(std::optional<Location> loc,
                                        Value input, int64_t axis,
                                        SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> t = ranked(loc, input, "input");
  if (failed(t))
    return failure();
  int64_t rank = t->getRank();
  if (axis < -rank || axis > rank)
    return fail(loc, "flatten axis " + Twine(axis) + " is out of range [" +
                         Twine(-rank) + ", " + Twine(rank) + "]");
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> dims = t->getShape();
  FailureOr<int64_t> outer = product(loc, dims.take_front(axis), "flatten size");
  FailureOr<int64_t> inner = product(loc, dims.drop_front(axis), "flatten size");
  if (failed(outer) || failed(inner))
    return failure();
  results.push_back(
      RankedTensorType::get({*outer, *inner}, t->getElementType()));
  return success();
}

LogicalResult dnnf::detail::inferSqueezeTypes(std::optional<Location> loc,
                                        Value input, ArrayRef<int64_t> axes,
                                        SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> t = ranked(loc, input, "input");
  if (failed(t))
    return failure();
  int64_t rank = t->getRank();
  SmallVector<bool> drop(rank, false);
  for (int64_t axis : axes) {
    FailureOr<int64_t> a = normalizeAxis(loc, axis, rank, "squeeze axis");
    if (failed(a))
      return failure();
    if (drop[*a])
      return fail(loc, "squeeze axis " + Twine(axis) + " is repeated");
    int64_t d = t->getDimSize(*a);
    if (!ShapedType::isDynamic(d) && d != 1)
      return fail(loc, "cannot squeeze axis " + Twine(axis) +
                           " of size " + Twine(d) + " in shape " +
                           str(t->getShape()));
    drop[*a] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    if (!drop[i])
      shape.push_back(t->getDimSize(i));
  results.push_back(RankedTensorType::get(shape, t->getElementType()));
  return success();
}

LogicalResult dnnf::detail::inferUnsqueezeTypes(std::optional<Location> loc,
                                          Value input, ArrayRef<int64_t> axes,
                                          SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> t = ranked(loc, input, "input");
  if (failed(t))
    return failure();
  int64_t outRank = t->getRank() + static_cast<int64_t>(axes.size());
  SmallVector<bool> inserted(outRank, false);
  for (int64_t axis : axes) {
    FailureOr<int64_t> a =
        normalizeAxis(loc, axis, outRank, "unsqueeze axis");
    if (failed(a))
      return failure();
    if (inserted[*a])
      return fail(loc, "unsqueeze axis " + Twine(axis) + " is repeated");
    inserted[*a] = true;
  }
  SmallVector<int64_t> shape;
  int64_t next = 0;
  for (int64_t i = 0; i < outRank; ++i)
    shape.push_back(inserted[i] ? 1 : t->getDimSize(next++));
  results.push_back(RankedTensorType::get(shape, t->getElementType()));
  return success();
}

LogicalResult dnnf::detail::inferTransposeTypes(std::optional<Location> loc,
                                          Value input, ArrayRef<int64_t> perm,
                                          SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> t = ranked(loc, input, "input");
  if (failed(t))
    return failure();
  int64_t rank = t->getRank();
  if (static_cast<int64_t>(perm.size()) != rank)
    return fail(loc, "perm has " + Twine(perm.size()) +
                         " entries but the input has rank " + Twine(rank));
  SmallVector<bool> seen(rank, false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return fail(loc, "perm is not a permutation of [0, " + Twine(rank) +
                           ")");
    seen[p] = true;
    shape.push_back(t->getDimSize(p));
  }
  results.push_back(RankedTensorType::get(shape, t->getElementType()));
  return success();
}

LogicalResult dnnf::detail::inferTileTypes(std::optional<Location> loc, Value input,
                                     ArrayRef<int64_t> repeats,
                                     SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> t = ranked(loc, input, "input");
  if (failed(t))
    return failure();
  if (static_cast<int64_t>(repeats.size()) != t->getRank())
    return fail(loc, "repeats has " + Twine(repeats.size()) +
                         " entries but the input has rank " +
                         Twine(t->getRank()));
  SmallVector<int64_t> shape;
  for (auto [d, r] : llvm::zip(t->getShape(), repeats)) {
    if (r < 0)
      return fail(loc, "repeats must be non-negative");
    if (!isStatic(d)) {
      shape.push_back(d);
      continue;
    }
    FailureOr<int64_t> n = mul(loc, d, r, "tiled size");
    if (failed(n))
      return failure();
    shape.push_back(*n);
  }
  results.push_back(RankedTensorType::get(shape, t->getElementType()));
  return success();
}

LogicalResult dnnf::detail::inferPadTypes(std::optional<Location> loc, Value input,
                                    ArrayRef<int64_t> pads,
                                    SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> t = ranked(loc, input, "input");
  if (failed(t))
    return failure();
  int64_t rank = t->getRank();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return fail(loc, "pads has " + Twine(pads.size()) +
                         " entries, expected 2 x rank = " + Twine(2 * rank));
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t d = t->getDimSize(i);
    if (ShapedType::isDynamic(d)) {
      shape.push_back(d);
      continue;
    }
    FailureOr<int64_t> n = add(loc, d, pads[i], "padded size");
    if (succeeded(n))
      n = add(loc, *n, pads[i + rank], "padded size");
    if (failed(n))
      return failure();
    if (*n < 0)
      return fail(loc, "pads make dimension " + Twine(i) + " negative (" +
                           Twine(d) + " + " + Twine(pads[i]) + " + " +
                           Twine(pads[i + rank]) + ")");
    shape.push_back(*n);
  }
  results.push_back(RankedTensorType::get(shape, t->getElementType()));
  return success();
}

LogicalResult dnnf::detail::inferConcatTypes(std::optional<Location> loc,
                                       ValueRange inputs, int64_t axis,
                                       SmallVectorImpl<Type> &results) {
  if (inputs.empty())
    return fail(loc, "concat needs at least one input");
  FailureOr<RankedTensorType> first = ranked(loc, inputs[0], "input #0");
  if (failed(first))
    return failure();
  int64_t rank = first->getRank();
  FailureOr<int64_t> a = normalizeAxis(loc, axis, rank, "concat axis");
  if (failed(a))
    return failure();
  SmallVector<int64_t> shape(first->getShape());
  for (auto [i, v] : llvm::enumerate(inputs.drop_front())) {
    FailureOr<RankedTensorType> t =
        ranked(loc, v, "input #" + std::to_string(i + 1));
    if (failed(t))
      return failure();
    if (t->getRank() != rank)
      return fail(loc, "concat input #" + Twine(i + 1) + " has rank " +
                           Twine(t->getRank()) + " but input #0 has rank " +
                           Twine(rank));
    if (t->getElementType() != first->getElementType())
      return fail(loc, "concat input #" + Twine(i + 1) +
                           " has a different element type from input #0");
    for (int64_t d = 0; d < rank; ++d) {
      int64_t x = t->getDimSize(d);
      if (d == *a) {
        if (!isStatic(shape[d]) || !isStatic(x)) {
          shape[d] = ShapedType::kDynamic;
          continue;
        }
        FailureOr<int64_t> sum = add(loc, shape[d], x, "concatenated size");
        if (failed(sum))
          return failure();
        shape[d] = *sum;
        continue;
      }
      if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(shape[d]) &&
          x != shape[d])
        return fail(loc, "concat input #" + Twine(i + 1) + " has shape " +
                             str(t->getShape()) +
                             ", which differs from input #0 " +
                             str(first->getShape()) +
                             " outside axis " + Twine(*a));
    }
  }
  results.push_back(RankedTensorType::get(shape, first->getElementType()));
  return success();
}
