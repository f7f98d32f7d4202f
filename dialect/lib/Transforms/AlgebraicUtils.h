//===- AlgebraicUtils.h - helpers of the algebraic rules --------*- C++ -*-===//
//
// Private helpers shared by the rule files: static shapes and broadcasting,
// compile-time evaluation of constant tensors, a sign analysis, builders
// that fold constants, saving estimation, and Add/Mul chains.
//
//===----------------------------------------------------------------------===//

#ifndef DNNF_LIB_TRANSFORMS_ALGEBRAICUTILS_H
#define DNNF_LIB_TRANSFORMS_ALGEBRAICUTILS_H

#include "dnnf/Analysis/CostModel.h"
#include "dnnf/IR/DnnfOps.h"
#include "dnnf/Transforms/AlgebraicRules.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <functional>
#include <optional>
#include <vector>

namespace mlir {
namespace dnnf {
namespace algebra {

//===----------------------------------------------------------------------===//
// Types and shapes
//===----------------------------------------------------------------------===//

/// The type of `v` if it is a statically shaped ranked tensor, else null.
RankedTensorType staticType(Value v);

/// Float element type (the float identities apply).
bool isFloatTensor(Value v);
/// Integer element type wider than i1 (the ring identities apply).
bool isIntTensor(Value v);
/// Float or wide integer (the ring identities apply).
bool isNumericTensor(Value v);

/// Numpy broadcast of two static shapes; nullopt if incompatible.
std::optional<SmallVector<int64_t>> broadcastShape(ArrayRef<int64_t> a,
                                                   ArrayRef<int64_t> b);
/// Broadcast of two static tensor types (element type of `a`); null if
/// incompatible or dynamic.
RankedTensorType broadcastType(Type a, Type b);

int64_t numElements(Type type);

/// `shape` left-padded with 1s to `rank`.
SmallVector<int64_t> padShape(ArrayRef<int64_t> shape, int64_t rank);

/// Normalised, sorted, unique reduction axes of a reduce op over `rank`
/// dims (all axes when `axes` is empty); nullopt if out of range.
std::optional<SmallVector<int64_t>> reductionAxes(ArrayRef<int64_t> axes,
                                                  int64_t rank);

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// The values of a constant tensor, evaluated in double precision (floats,
/// rounded back to the element type after every operation, which is exact
/// for + - * / sqrt on f32) or in two's-complement int64 (integers, wrapped
/// to the element width).
class ConstTensor {
public:
  /// Reads `attr` (dense or dense_resource); nullopt for unsupported
  /// element types, missing blobs or more than `maxElements` elements.
  static std::optional<ConstTensor> fromAttr(ElementsAttr attr,
                                             int64_t maxElements);
  /// Reads the constant defining `v`.
  static std::optional<ConstTensor> fromValue(Value v, int64_t maxElements);
  /// Whether `fromValue(v, maxElements)` would succeed (and give floats
  /// when `floatOnly`), without reading the values.
  static bool isReadable(Value v, int64_t maxElements, bool floatOnly = true);
  /// A float or integer splat.
  static ConstTensor splat(RankedTensorType type, double value);
  /// Float values (rounded to the element type), one per element of `type`.
  static ConstTensor fromValues(RankedTensorType type,
                                ArrayRef<double> values);

  RankedTensorType getType() const { return type; }
  bool isFloat() const;
  int64_t size() const { return numElements(type); }
  bool isSplat() const { return isFloat() ? f.size() == 1 : i.size() == 1; }
  double at(int64_t k) const { return f[f.size() == 1 ? 0 : k]; }
  int64_t atInt(int64_t k) const { return i[i.size() == 1 ? 0 : k]; }
  /// Element `k` as a double, whatever the element type.
  double get(int64_t k) const {
    return isFloat() ? at(k) : static_cast<double>(atInt(k));
  }
  /// Whether every element satisfies `pred` (on doubles).
  bool all(function_ref<bool(double)> pred) const;

  /// `fn` applied elementwise to `a` and `b` broadcast together; `intFn`
  /// for integers (null: integers unsupported).  nullopt if shapes do not
  /// broadcast or the result has more than `maxElements` elements.
  static std::optional<ConstTensor>
  zip(const ConstTensor &a, const ConstTensor &b,
      function_ref<double(double, double)> fn,
      function_ref<int64_t(int64_t, int64_t)> intFn, int64_t maxElements);
  /// `fn` applied to every element (floats; integers use `intFn`).
  ConstTensor map(function_ref<double(double)> fn,
                  function_ref<int64_t(int64_t)> intFn = {}) const;
  /// The same elements with another static shape (same element count).
  ConstTensor reshape(ArrayRef<int64_t> shape) const;
  /// The same shape with the elements in `type`'s element type.
  ConstTensor withShape(RankedTensorType newType) const;

  /// An attribute holding these values: a splat, a small dense literal, or
  /// a dense_resource blob for large tensors.
  ElementsAttr toAttr() const;

private:
  ConstTensor(RankedTensorType type) : type(type) {}
  double round(double v) const;
  int64_t wrap(int64_t v) const;

  RankedTensorType type;
  std::vector<double> f;  // one entry for a splat
  std::vector<int64_t> i; // one entry for a splat
};

/// Whether `v` is defined by a constant op.
bool isConstant(Value v);

/// The single value of a constant whose elements are all equal (reads
/// splats without materialising them; reads up to 4096 elements
/// otherwise).
std::optional<double> getUniformValue(Value v);

/// `v` is a constant whose elements all equal `x`.
bool isUniformConstant(Value v, double x);

//===----------------------------------------------------------------------===//
// Sign analysis
//===----------------------------------------------------------------------===//

/// `v` is never negative: each element is >= 0, -0 or NaN.
bool isNeverNegative(Value v, unsigned depth = 6);

/// `v` is a constant whose every element is > 0 (and not NaN).
bool isPositiveConstant(Value v);

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

Value createConstant(OpBuilder &b, Location loc, const ConstTensor &c);
Value createSplat(OpBuilder &b, Location loc, RankedTensorType type,
                  double value);

enum class BinaryKind { Add, Sub, Mul, Div };

StringRef getOpName(BinaryKind kind);

/// Folds `kind(lhs, rhs)` when both are constants of at most `maxElements`
/// result elements (floats; integers for add/sub/mul).
std::optional<ConstTensor> foldBinary(BinaryKind kind, Value lhs, Value rhs,
                                      int64_t maxElements);

/// Whether `createBinary(kind, lhs, rhs)` folds to a constant.
bool foldsBinary(BinaryKind kind, Value lhs, Value rhs, int64_t maxElements);
bool foldsBinary(BinaryKind kind, Type lhs, Type rhs, bool lhsConstant,
                 bool rhsConstant, int64_t maxElements);

/// `kind(lhs, rhs)` with the broadcast result type; folded when both are
/// constants (see foldBinary).  The shapes must broadcast.
Value createBinary(OpBuilder &b, Location loc, BinaryKind kind, Value lhs,
                   Value rhs, int64_t maxElements);

/// `v` reshaped to `type` (v itself if it has that type; a new constant if
/// it is a constant).
Value createReshape(OpBuilder &b, Location loc, Value v,
                    RankedTensorType type);

/// A unary dnnf op of `v`'s type.
template <typename OpT>
Value createUnary(OpBuilder &b, Location loc, Value v) {
  return OpT::create(b, loc, v.getType(), v, /*mapping=*/nullptr);
}

//===----------------------------------------------------------------------===//
// Saving estimation
//===----------------------------------------------------------------------===//

/// Accumulates the cost of the ops a rewrite removes and of those it adds.
class SavingEstimator {
public:
  /// `op` disappears (its result is replaced).
  void remove(Operation *op);
  /// `op` disappears if every user of its results has been removed;
  /// returns whether it does.
  bool removeIfDead(Operation *op);
  /// `v`'s defining op, if any, disappears if it becomes dead.
  bool removeIfDead(Value v) {
    Operation *op = v.getDefiningOp();
    return op && removeIfDead(op);
  }
  bool removeIfDead(OpState op) { return removeIfDead(op.getOperation()); }
  void remove(OpState op) { remove(op.getOperation()); }
  bool isRemoved(Operation *op) const { return removed.contains(op); }

  /// A new op named `opName`: see estimateOpCost for `operandTypes`.
  void add(StringRef opName, TypeRange operandTypes, TypeRange resultTypes,
           DictionaryAttr attrs = {});
  /// A new elementwise binary op (free when it folds).
  void addBinary(BinaryKind kind, Type lhs, Type rhs, bool lhsConstant,
                 bool rhsConstant, int64_t maxElements);
  void addBinary(BinaryKind kind, Value lhs, Value rhs, int64_t maxElements);
  /// A new unary elementwise op on `type`.
  void addUnary(StringRef opName, Type type);
  /// `op` is rewritten in place with the same cost: its operands' producers
  /// may die.
  void modifyInPlace(Operation *op) {
    remove(op);
    addedCost += estimateOpCost(op);
  }

  Saving get() const;

private:
  llvm::SmallPtrSet<Operation *, 8> removed;
  OpCost savedCost, addedCost;
};

//===----------------------------------------------------------------------===//
// Chains of an associative-commutative op (add, mul)
//===----------------------------------------------------------------------===//

/// The maximal tree of `opName` ops rooted at `root` whose inner nodes have
/// a single use and static shapes; its leaves in left-to-right order.
struct Chain {
  Operation *root = nullptr;
  SmallVector<Value> leaves;
  /// The tree's ops, root first.
  SmallVector<Operation *> ops;
};

Chain collectChain(Operation *root, unsigned maxLeaves = 12);

/// A leaf of a chain to (re)build: an existing value, or a new value of
/// `type` that the rule creates before building.
struct ChainNode {
  RankedTensorType type;
  Value value;
  bool constant = false;

  static ChainNode of(Value v);
};

/// The order in which to combine nodes: constants first (folded), then
/// identical values (x*x), then always the pair with the smallest result.
struct ChainPlan {
  /// Each step combines two earlier nodes (inputs first, then step
  /// results) into a new one.
  SmallVector<std::pair<unsigned, unsigned>> steps;
  SmallVector<RankedTensorType> types;
  SmallVector<bool> folded;
  RankedTensorType resultType;
};

std::optional<ChainPlan> planChain(ArrayRef<ChainNode> nodes,
                                   BinaryKind kind, int64_t maxElements);

/// Adds the plan's ops to `estimator`.
void addPlanCost(SavingEstimator &estimator, ArrayRef<ChainNode> nodes,
                 const ChainPlan &plan, BinaryKind kind, int64_t maxElements);

/// Removes the chain's ops from `estimator`.
void removeChain(SavingEstimator &estimator, const Chain &chain);

/// Builds the plan over `values` (one per node).
Value buildPlan(OpBuilder &b, Location loc, ArrayRef<Value> values,
                const ChainPlan &plan, BinaryKind kind, int64_t maxElements);

//===----------------------------------------------------------------------===//
// Scales absorbed into producers (AlgebraicRulesFold.cpp)
//===----------------------------------------------------------------------===//

/// Whether `x * c` (c a constant that does not broadcast x to a larger
/// shape) can be computed by rewriting x's single-use producer instead: a
/// Mul by another constant (constants multiplied), or a Conv, Gemm or MatMul
/// with constant weights and `c` constant per output channel (weights and
/// bias scaled).
bool canAbsorbScale(Value x, Value c, int64_t maxElements);

/// Builds the rewritten producer computing `x * c` (see canAbsorbScale).
Value absorbScale(OpBuilder &b, Location loc, Value x, Value c,
                  int64_t maxElements);

} // namespace algebra
} // namespace dnnf
} // namespace mlir

#endif // DNNF_LIB_TRANSFORMS_ALGEBRAICUTILS_H
