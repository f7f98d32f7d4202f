//===- AlgebraicRulesCommutative.cpp - commutative rules ------------------===//
//
// Swapping the order of two operators (DNNFusion's commutative family):
// reductions with the elementwise ops they consume along the reduced axes
// (ReduceSum(BitShift(A)) -> BitShift(ReduceSum(A)), ReduceProd(Exp(A)) ->
// Exp(ReduceSum(A)), scales and shifts hoisted out of reductions), unary
// functions that are homomorphisms (exp(a)*exp(b) -> exp(a+b), ...), and
// scalar scales moved to the smaller side of a MatMul or before data
// movement.
//
//===----------------------------------------------------------------------===//

#include "AlgebraicChainRule.h"

#include <cmath>

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::algebra;

namespace {

using Traits = AlgebraicRule::Traits;

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// A reduction's input type, axes and result type, when all are static.
struct ReduceShape {
  RankedTensorType input, result;
  SmallVector<int64_t> axes;
  bool keepdims;

  /// Number of input elements reduced into each result element.
  int64_t groupSize() const {
    int64_t n = 1;
    for (int64_t a : axes)
      n *= input.getDimSize(a);
    return n;
  }
};

template <typename OpT>
std::optional<ReduceShape> getReduceShape(OpT op) {
  RankedTensorType in = staticType(op.getInput());
  RankedTensorType out = staticType(op.getResult());
  if (!in || !out)
    return std::nullopt;
  auto axes = reductionAxes(op.getAxes(), in.getRank());
  if (!axes)
    return std::nullopt;
  return ReduceShape{in, out, *axes, op.getKeepdims()};
}

/// Whether `c` (an operand of an elementwise op whose result is the
/// reduction input) is constant along the reduced axes, i.e. has extent 1
/// there once padded to the input rank.
bool isInvariantAlong(Value c, const ReduceShape &shape) {
  RankedTensorType ct = staticType(c);
  if (!ct || ct.getRank() > shape.input.getRank())
    return false;
  SmallVector<int64_t> padded = padShape(ct.getShape(), shape.input.getRank());
  for (int64_t a : shape.axes)
    if (padded[a] != 1)
      return false;
  return true;
}

/// The type `c` must be reshaped to so that it broadcasts against the
/// reduction's result exactly as it broadcast against its input.
RankedTensorType hoistedType(Value c, const ReduceShape &shape) {
  auto ct = cast<RankedTensorType>(c.getType());
  if (shape.keepdims)
    return ct;
  SmallVector<int64_t> padded = padShape(ct.getShape(), shape.input.getRank());
  SmallVector<int64_t> kept;
  for (int64_t k = 0; k < shape.input.getRank(); ++k)
    if (!llvm::is_contained(shape.axes, k))
      kept.push_back(padded[k]);
  // Drop leading 1s that broadcasting would add back anyway.
  size_t lead = 0;
  while (lead < kept.size() && kept[lead] == 1 &&
         kept.size() - lead > static_cast<size_t>(ct.getRank()))
    ++lead;
  return RankedTensorType::get(ArrayRef<int64_t>(kept).drop_front(lead),
                               ct.getElementType());
}

/// Adds the cost of reshaping `c` to `type` (free for constants).
void addReshapeCost(SavingEstimator &est, Value c, RankedTensorType type) {
  if (c.getType() != type && !isConstant(c))
    est.add(ReshapeOp::getOperationName(), {c.getType()}, {type});
}

/// The reduction `OpT(x)` with `op`'s axes and keepdims.
template <typename OpT, typename FromOpT>
Value createReduce(OpBuilder &b, Location loc, FromOpT op, Value x) {
  return OpT::create(b, loc, op.getType(), x, op.getAxesAttr(),
                     op.getKeepdimsAttr(), nullptr);
}

/// The reduction named `name` in the cost model.
template <typename OpT>
void addReduceCost(SavingEstimator &est, const ReduceShape &shape) {
  est.add(OpT::getOperationName(), {shape.input}, {shape.result});
}

/// `reduce_sum(bit_shift(A, s, "left")) -> bit_shift(reduce_sum(A), s)`
/// (DNNFusion, commutative row 1) for a shift amount s that is the same
/// along the reduced axes.  Exact in two's complement: a left shift
/// multiplies by 2^s modulo 2^width.  Right shifts do not commute with sums.
struct ReduceSumBitShift : OpAlgebraicRule<ReduceSumOp> {
  ReduceSumBitShift(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("reduce-sum-bitshift", RuleFamily::Commutative, ctx,
                        o) {}
  FailureOr<Saving> matchOp(ReduceSumOp op) const override {
    auto shift = op.getInput().getDefiningOp<BitShiftOp>();
    auto shape = getReduceShape(op);
    if (!shift || !shape || shift.getDirection() != "left" ||
        shift.getLhs().getType() != shape->input ||
        !isInvariantAlong(shift.getRhs(), *shape))
      return failure();
    RankedTensorType amount = hoistedType(shift.getRhs(), *shape);
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(shift);
    addReduceCost<ReduceSumOp>(est, *shape);
    addReshapeCost(est, shift.getRhs(), amount);
    est.add(BitShiftOp::getOperationName(), {shape->result, amount},
            {shape->result});
    return est.get();
  }
  void rewriteOp(ReduceSumOp op, PatternRewriter &rewriter) const override {
    auto shift = op.getInput().getDefiningOp<BitShiftOp>();
    auto shape = *getReduceShape(op);
    Location loc = op.getLoc();
    Value sum = createReduce<ReduceSumOp>(rewriter, loc, op, shift.getLhs());
    Value amount = createReshape(rewriter, loc, shift.getRhs(),
                                 hoistedType(shift.getRhs(), shape));
    rewriter.replaceOpWithNewOp<BitShiftOp>(op, op.getType(), sum, amount,
                                            shift.getDirectionAttr(), nullptr);
  }
};

/// `OuterReduce(Unary(A)) -> Unary(InnerReduce(A))`: a reduction commuted
/// through the unary op that maps InnerReduce's combiner onto OuterReduce's.
template <typename OuterReduce, typename Unary, typename InnerReduce>
struct ReduceThroughUnary : OpAlgebraicRule<OuterReduce> {
  ReduceThroughUnary(StringRef name, MLIRContext *ctx,
                     const AlgebraicRuleOptions &o, Traits traits = {})
      : OpAlgebraicRule<OuterReduce>(name, RuleFamily::Commutative, ctx, o,
                                     traits) {}
  FailureOr<Saving> matchOp(OuterReduce op) const override {
    auto unary = op.getInput().template getDefiningOp<Unary>();
    auto shape = getReduceShape(op);
    if (!unary || !shape)
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(unary);
    addReduceCost<InnerReduce>(est, *shape);
    est.addUnary(Unary::getOperationName(), shape->result);
    return est.get();
  }
  void rewriteOp(OuterReduce op, PatternRewriter &rewriter) const override {
    auto unary = op.getInput().template getDefiningOp<Unary>();
    Value inner =
        createReduce<InnerReduce>(rewriter, op.getLoc(), op, unary.getInput());
    rewriter.replaceOp(op, createUnary<Unary>(rewriter, op.getLoc(), inner));
  }
};

/// `reduce_prod(exp(A)) -> exp(reduce_sum(A))` (DNNFusion, commutative row
/// 2).  Reassociation-class: exp(sum) rounds once where the product rounds
/// n times; the product overflows (or underflows) partway where the sum of
/// exponents does not.
using ReduceProdExp = ReduceThroughUnary<ReduceProdOp, ExpOp, ReduceSumOp>;

/// `reduce_sum(log(A)) -> log(reduce_prod(A))`.  Fast-math: the product of
/// many factors overflows or underflows long before the sum of their logs,
/// and negative factors give NaN before but may not after.
using ReduceSumLog = ReduceThroughUnary<ReduceSumOp, LogOp, ReduceProdOp>;

/// The operands (A, c) of an elementwise `kind` op defining `v` with A of
/// the reduction's input type and c invariant along the reduced axes; for
/// commutative kinds c may be either operand.
std::optional<std::pair<Value, Value>>
splitInvariant(Value v, const ReduceShape &shape, StringRef opName,
               bool commutative) {
  Operation *op = v.getDefiningOp();
  if (!op || op->getName().getStringRef() != opName)
    return std::nullopt;
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  if (lhs.getType() == shape.input && isInvariantAlong(rhs, shape))
    return std::make_pair(lhs, rhs);
  if (commutative && rhs.getType() == shape.input &&
      isInvariantAlong(lhs, shape))
    return std::make_pair(rhs, lhs);
  return std::nullopt;
}

/// Scales hoisted out of reductions, for c the same along the reduced axes:
///   reduce_sum/mean(A * c) -> reduce_sum/mean(A) * c   (any c)
///   reduce_sum/mean(A / c) -> reduce_sum/mean(A) / c   (floats)
///   reduce_max/min(A * c)  -> reduce_max/min(A) * c    (constant c > 0)
///   reduce_prod(A * c)     -> reduce_prod(A) * c^n     (constant c, n the
///                                                       group size)
/// Exact for max/min and for integer sums; float reassociation otherwise.
template <typename OpT>
struct ReduceHoistScale : OpAlgebraicRule<OpT> {
  ReduceHoistScale(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("reduce-hoist-scale", RuleFamily::Commutative,
                             ctx, o) {}
  static constexpr bool isLinear =
      std::is_same_v<OpT, ReduceSumOp> || std::is_same_v<OpT, ReduceMeanOp>;
  static constexpr bool isProd = std::is_same_v<OpT, ReduceProdOp>;

  struct Parts {
    Value a, c;
    BinaryKind kind;
    ReduceShape shape;
  };
  std::optional<Parts> parts(OpT op) const {
    auto shape = getReduceShape(op);
    if (!shape)
      return std::nullopt;
    bool isFloat = isFloatTensor(op.getResult());
    bool intSum = std::is_same_v<OpT, ReduceSumOp> && isIntTensor(op.getResult());
    if (!isFloat && !intSum)
      return std::nullopt;
    if (auto p = splitInvariant(op.getInput(), *shape,
                                MulOp::getOperationName(), true)) {
      if (isLinear || (isProd && isConstant(p->second)) ||
          (!isLinear && !isProd && isPositiveConstant(p->second)))
        return Parts{p->first, p->second, BinaryKind::Mul, *shape};
    }
    if (isFloat && (isLinear || isProd))
      if (auto p = splitInvariant(op.getInput(), *shape,
                                  DivOp::getOperationName(), false))
        if (isLinear || isConstant(p->second))
          return Parts{p->first, p->second, BinaryKind::Div, *shape};
    return std::nullopt;
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    int64_t limit = this->getOptions().maxFoldElements;
    if (isProd && !ConstTensor::fromValue(p->c, limit))
      return failure();
    RankedTensorType ct = hoistedType(p->c, p->shape);
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(op.getInput());
    addReduceCost<OpT>(est, p->shape);
    addReshapeCost(est, p->c, ct);
    est.addBinary(p->kind, p->shape.result, ct, false, isConstant(p->c),
                  limit);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    Parts p = *parts(op);
    Location loc = op.getLoc();
    int64_t limit = this->getOptions().maxFoldElements;
    Value reduced = createReduce<OpT>(rewriter, loc, op, p.a);
    Value c = p.c;
    if (isProd) {
      double n = static_cast<double>(p.shape.groupSize());
      ConstTensor value = *ConstTensor::fromValue(c, limit);
      c = createConstant(rewriter, loc,
                         value.map([&](double v) { return std::pow(v, n); }));
    }
    c = createReshape(rewriter, loc, c, hoistedType(p.c, p.shape));
    rewriter.replaceOp(op,
                       createBinary(rewriter, loc, p.kind, reduced, c, limit));
  }
};

/// Shifts hoisted out of reductions (floats), for c the same along the
/// reduced axes:
///   reduce_mean/max/min(A + c) -> reduce_mean/max/min(A) + c
///   reduce_mean/max/min(A - c) -> reduce_mean/max/min(A) - c
///   reduce_sum(A + c)          -> reduce_sum(A) + n * c
/// Exact for max/min; float reassociation otherwise.
template <typename OpT>
struct ReduceHoistShift : OpAlgebraicRule<OpT> {
  ReduceHoistShift(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("reduce-hoist-shift", RuleFamily::Commutative,
                             ctx, o) {}
  static constexpr bool isSum = std::is_same_v<OpT, ReduceSumOp>;
  struct Parts {
    Value a, c;
    BinaryKind kind;
    ReduceShape shape;
  };
  std::optional<Parts> parts(OpT op) const {
    auto shape = getReduceShape(op);
    if (!shape || !isFloatTensor(op.getResult()))
      return std::nullopt;
    if (auto p = splitInvariant(op.getInput(), *shape,
                                AddOp::getOperationName(), true))
      return Parts{p->first, p->second, BinaryKind::Add, *shape};
    if (auto p = splitInvariant(op.getInput(), *shape,
                                SubOp::getOperationName(), false))
      return Parts{p->first, p->second, BinaryKind::Sub, *shape};
    return std::nullopt;
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    int64_t limit = this->getOptions().maxFoldElements;
    RankedTensorType ct = hoistedType(p->c, p->shape);
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(op.getInput());
    addReduceCost<OpT>(est, p->shape);
    addReshapeCost(est, p->c, ct);
    if (isSum && !isConstant(p->c))
      est.add(MulOp::getOperationName(), {ct}, {ct});
    est.addBinary(p->kind, p->shape.result, ct, false, isConstant(p->c),
                  limit);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    Parts p = *parts(op);
    Location loc = op.getLoc();
    int64_t limit = this->getOptions().maxFoldElements;
    Value reduced = createReduce<OpT>(rewriter, loc, op, p.a);
    RankedTensorType ct = hoistedType(p.c, p.shape);
    Value c = createReshape(rewriter, loc, p.c, ct);
    if (isSum) {
      Value n = createSplat(rewriter, loc,
                            RankedTensorType::get({}, ct.getElementType()),
                            static_cast<double>(p.shape.groupSize()));
      c = createBinary(rewriter, loc, BinaryKind::Mul, c, n, limit);
    }
    rewriter.replaceOp(op,
                       createBinary(rewriter, loc, p.kind, reduced, c, limit));
  }
};

/// `reduce_sum/mean(neg(A)) -> neg(reduce_sum/mean(A))`,
/// `reduce_max(neg(A)) -> neg(reduce_min(A))` and vice versa.  Exact for
/// max/min and integer sums; float reassociation for sums and means (in
/// fact exact: negation commutes with rounding).
template <typename OpT, typename ResultOpT>
struct ReduceHoistNeg : OpAlgebraicRule<OpT> {
  ReduceHoistNeg(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("reduce-hoist-neg", RuleFamily::Commutative, ctx,
                             o) {}
  FailureOr<Saving> matchOp(OpT op) const override {
    auto neg = op.getInput().template getDefiningOp<NegOp>();
    auto shape = getReduceShape(op);
    bool intOk =
        std::is_same_v<OpT, ReduceSumOp> && isIntTensor(op.getResult());
    if (!neg || !shape || !(isFloatTensor(op.getResult()) || intOk))
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(neg);
    addReduceCost<ResultOpT>(est, *shape);
    est.addUnary(NegOp::getOperationName(), shape->result);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto neg = op.getInput().template getDefiningOp<NegOp>();
    Value reduced =
        createReduce<ResultOpT>(rewriter, op.getLoc(), op, neg.getInput());
    rewriter.replaceOp(op, createUnary<NegOp>(rewriter, op.getLoc(), reduced));
  }
};

/// `reduce_max/min(f(A)) -> f(reduce_max/min(A))` for f monotonically
/// increasing: exp, and sqrt when A is never negative (or with fast-math).
/// Exact: f is applied to the element the reduction selects.
template <typename OpT, typename FnOp>
struct ReduceMonotone : OpAlgebraicRule<OpT> {
  ReduceMonotone(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("reduce-monotone", RuleFamily::Commutative, ctx,
                             o) {}
  FailureOr<Saving> matchOp(OpT op) const override {
    auto fn = op.getInput().template getDefiningOp<FnOp>();
    auto shape = getReduceShape(op);
    if (!fn || !shape)
      return failure();
    if (std::is_same_v<FnOp, SqrtOp> && !this->getOptions().fastMath &&
        !isNeverNegative(fn.getInput()))
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(fn);
    addReduceCost<OpT>(est, *shape);
    est.addUnary(FnOp::getOperationName(), shape->result);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto fn = op.getInput().template getDefiningOp<FnOp>();
    Value reduced = createReduce<OpT>(rewriter, op.getLoc(), op, fn.getInput());
    rewriter.replaceOp(op, createUnary<FnOp>(rewriter, op.getLoc(), reduced));
  }
};

/// `reduce_prod(f(A)) -> f(reduce_prod(A))` for f multiplicative:
/// reciprocal, abs (exact), and sqrt when A is never negative (or with
/// fast-math).  Float reassociation.
template <typename FnOp>
struct ReduceProdHoistUnary : OpAlgebraicRule<ReduceProdOp> {
  ReduceProdHoistUnary(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("reduce-prod-hoist-unary", RuleFamily::Commutative,
                        ctx, o) {}
  FailureOr<Saving> matchOp(ReduceProdOp op) const override {
    auto fn = op.getInput().getDefiningOp<FnOp>();
    auto shape = getReduceShape(op);
    if (!fn || !shape || !isFloatTensor(op.getResult()))
      return failure();
    if (std::is_same_v<FnOp, SqrtOp> && !getOptions().fastMath &&
        !isNeverNegative(fn.getInput()))
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(fn);
    addReduceCost<ReduceProdOp>(est, *shape);
    est.addUnary(FnOp::getOperationName(), shape->result);
    return est.get();
  }
  void rewriteOp(ReduceProdOp op, PatternRewriter &rewriter) const override {
    auto fn = op.getInput().getDefiningOp<FnOp>();
    Value reduced =
        createReduce<ReduceProdOp>(rewriter, op.getLoc(), op, fn.getInput());
    rewriter.replaceOp(op, createUnary<FnOp>(rewriter, op.getLoc(), reduced));
  }
};

/// `reduce(transpose(x, p), axes) -> reduce(x, p[axes])` when the result
/// type is unchanged (the kept dimensions stay in order): the transpose
/// disappears.  Exact for max/min; float reassociation otherwise.
template <typename OpT>
struct ReduceTranspose : OpAlgebraicRule<OpT> {
  ReduceTranspose(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("reduce-transpose", RuleFamily::Commutative, ctx,
                             o) {}
  std::optional<SmallVector<int64_t>> newAxes(OpT op) const {
    auto t = op.getInput().template getDefiningOp<TransposeOp>();
    auto shape = getReduceShape(op);
    RankedTensorType x = t ? staticType(t.getInput()) : nullptr;
    if (!t || !shape || !x ||
        (std::is_same_v<OpT, ReduceMeanOp> && !isFloatTensor(op.getResult())))
      return std::nullopt;
    ArrayRef<int64_t> perm = t.getPerm();
    SmallVector<int64_t> axes;
    for (int64_t a : shape->axes)
      axes.push_back(perm[a]);
    llvm::sort(axes);
    SmallVector<int64_t> resultShape;
    for (int64_t k = 0; k < x.getRank(); ++k) {
      if (llvm::is_contained(axes, k)) {
        if (shape->keepdims)
          resultShape.push_back(1);
      } else {
        resultShape.push_back(x.getDimSize(k));
      }
    }
    if (RankedTensorType::get(resultShape, x.getElementType()) != op.getType())
      return std::nullopt;
    // Kept dims of size > 1 must keep their relative order.
    int64_t last = -1;
    for (int64_t p : perm) {
      if (llvm::is_contained(axes, p) || x.getDimSize(p) == 1)
        continue;
      if (p < last)
        return std::nullopt;
      last = p;
    }
    return axes;
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto axes = newAxes(op);
    if (!axes)
      return failure();
    auto t = op.getInput().template getDefiningOp<TransposeOp>();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(t);
    est.add(OpT::getOperationName(), {t.getInput().getType()}, {op.getType()});
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto axes = *newAxes(op);
    auto t = op.getInput().template getDefiningOp<TransposeOp>();
    rewriter.replaceOpWithNewOp<OpT>(op, op.getType(), t.getInput(), axes,
                                     op.getKeepdims(), nullptr);
  }
};

//===----------------------------------------------------------------------===//
// Unary homomorphisms
//===----------------------------------------------------------------------===//

/// Two leaves `f(a)` and `f(b)` of an add or mul chain combine into
/// `g(a inner b)`:
///   exp(a) * exp(b)  -> exp(a + b)   (reassociation-class: exp(a+b) rounds
///                                     once; a+b is rounded first)
///   log(a) + log(b)  -> log(a * b)   (a, b never negative, or fast-math:
///                                     log(-1) + log(-1) is NaN but
///                                     log(1) is 0)
///   sqrt(a) * sqrt(b) -> sqrt(a * b) (a != b, both never negative, or
///                                     fast-math)
///   recip(a) * recip(b) -> recip(a * b)
template <typename ChainOp, typename FnOp>
struct UnaryChainMerge : ChainPairRule<ChainOp> {
  UnaryChainMerge(StringRef name, BinaryKind inner, bool needsNonNegative,
                  MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : ChainPairRule<ChainOp>(name, RuleFamily::Commutative, ctx, o),
        inner(inner), needsNonNegative(needsNonNegative) {}
  bool pairMatches(Value a, Value b) const override {
    auto fa = a.getDefiningOp<FnOp>();
    auto fb = b.getDefiningOp<FnOp>();
    if (!fa || !fb)
      return false;
    if (std::is_same_v<FnOp, SqrtOp> && fa.getInput() == fb.getInput())
      return false; // mul-chain-sqrt-pair
    if (needsNonNegative && !this->getOptions().fastMath &&
        !(isNeverNegative(fa.getInput()) && isNeverNegative(fb.getInput())))
      return false;
    return true;
  }
  RankedTensorType pairType(Value a, Value b) const override {
    return broadcastType(a.getType(), b.getType());
  }
  void estimatePair(SavingEstimator &est, Value a, Value b) const override {
    Value x = a.getDefiningOp<FnOp>().getInput();
    Value y = b.getDefiningOp<FnOp>().getInput();
    est.addBinary(inner, x, y, this->getOptions().maxFoldElements);
    est.addUnary(FnOp::getOperationName(), pairType(a, b));
  }
  Value buildPair(OpBuilder &b, Location loc, Value x,
                  Value y) const override {
    Value combined = createBinary(b, loc, inner,
                                  x.getDefiningOp<FnOp>().getInput(),
                                  y.getDefiningOp<FnOp>().getInput(),
                                  this->getOptions().maxFoldElements);
    return createUnary<FnOp>(b, loc, combined);
  }
  BinaryKind inner;
  bool needsNonNegative;
};

/// The quotient forms of the chain merges:
///   exp(a) / exp(b) -> exp(a - b),  log(a) - log(b) -> log(a / b)
///   (a, b never negative, or fast-math),  sqrt(a) / sqrt(b) -> sqrt(a / b)
///   (likewise),  abs(a) / abs(b) -> abs(a / b) (exact).
template <typename RootOp, typename FnOp>
struct UnaryQuotientMerge : OpAlgebraicRule<RootOp> {
  UnaryQuotientMerge(StringRef name, BinaryKind inner, bool needsNonNegative,
                     MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<RootOp>(name, RuleFamily::Commutative, ctx, o),
        inner(inner), needsNonNegative(needsNonNegative) {}
  std::optional<std::pair<Value, Value>> parts(RootOp op) const {
    auto fa = op.getLhs().template getDefiningOp<FnOp>();
    auto fb = op.getRhs().template getDefiningOp<FnOp>();
    if (!fa || !fb || fa == fb || !isFloatTensor(op.getResult()))
      return std::nullopt;
    if (needsNonNegative && !this->getOptions().fastMath &&
        !(isNeverNegative(fa.getInput()) && isNeverNegative(fb.getInput())))
      return std::nullopt;
    if (broadcastType(fa.getInput().getType(), fb.getInput().getType()) !=
        op.getType())
      return std::nullopt;
    return std::make_pair(fa.getInput(), fb.getInput());
  }
  FailureOr<Saving> matchOp(RootOp op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(op.getLhs());
    est.removeIfDead(op.getRhs());
    est.addBinary(inner, p->first, p->second,
                  this->getOptions().maxFoldElements);
    est.addUnary(FnOp::getOperationName(), op.getType());
    return est.get();
  }
  void rewriteOp(RootOp op, PatternRewriter &rewriter) const override {
    auto [a, b] = *parts(op);
    Value combined = createBinary(rewriter, op.getLoc(), inner, a, b,
                                  this->getOptions().maxFoldElements);
    rewriter.replaceOp(op,
                       createUnary<FnOp>(rewriter, op.getLoc(), combined));
  }
  BinaryKind inner;
  bool needsNonNegative;
};

//===----------------------------------------------------------------------===//
// Scalar scales
//===----------------------------------------------------------------------===//

/// A constant with one element (a scalar scale).
bool isScalarConstant(Value v) {
  return isConstant(v) && staticType(v) && numElements(v.getType()) == 1;
}

/// The scalar `s` as a rank-0 constant (so that it never broadcasts).
Value scalarOf(OpBuilder &b, Location loc, Value s) {
  return createReshape(
      b, loc, s,
      RankedTensorType::get({}, getElementTypeOrSelf(s.getType())));
}

/// For `op(x, s)` with a scalar constant s (either side for a Mul, the
/// divisor of a Div): (x, s).
template <typename OpT>
std::optional<std::pair<Value, Value>> splitScalar(OpT op) {
  if (isScalarConstant(op.getRhs()) && !isConstant(op.getLhs()))
    return std::make_pair(op.getLhs(), op.getRhs());
  if (std::is_same_v<OpT, MulOp> && isScalarConstant(op.getLhs()) &&
      !isConstant(op.getRhs()))
    return std::make_pair(op.getRhs(), op.getLhs());
  return std::nullopt;
}

/// `matmul(A, B) * s -> matmul(A * s, B)` (or B * s, whichever operand is
/// smaller, or free when it is a constant), and `matmul(A, B) / s`, for a
/// finite scalar constant s (non-zero for a division): the scale runs on an
/// operand instead of the product.  Float reassociation.
template <typename OpT>
struct MatMulHoistScalar : OpAlgebraicRule<OpT> {
  MatMulHoistScalar(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("matmul-hoist-scalar", RuleFamily::Commutative,
                             ctx, o) {}
  static constexpr BinaryKind kind =
      std::is_same_v<OpT, MulOp> ? BinaryKind::Mul : BinaryKind::Div;
  struct Parts {
    MatMulOp matmul;
    Value s;
    bool scaleLhs;
  };
  std::optional<Parts> parts(OpT op) const {
    auto p = splitScalar(op);
    if (!p || !isFloatTensor(op.getResult()))
      return std::nullopt;
    // A non-finite scale (or a division by 0) would turn the products of
    // the contraction into inf - inf = NaN where the original scales a
    // finite sum.
    std::optional<double> scale = getUniformValue(p->second);
    if (!scale || !std::isfinite(*scale) ||
        (kind == BinaryKind::Div && *scale == 0))
      return std::nullopt;
    auto matmul = p->first.template getDefiningOp<MatMulOp>();
    if (!matmul || !matmul->hasOneUse() || matmul.getType() != op.getType() ||
        !staticType(matmul.getLhs()) || !staticType(matmul.getRhs()))
      return std::nullopt;
    int64_t limit = this->getOptions().maxFoldElements;
    auto cost = [&](Value v) -> int64_t {
      return isConstant(v) && numElements(v.getType()) <= limit
                 ? 0
                 : numElements(v.getType());
    };
    bool scaleLhs = cost(matmul.getLhs()) <= cost(matmul.getRhs());
    return Parts{matmul, p->second, scaleLhs};
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    Value operand = p->scaleLhs ? p->matmul.getLhs() : p->matmul.getRhs();
    auto scalar = RankedTensorType::get({}, op.getType().getElementType());
    SavingEstimator est;
    est.remove(op);
    est.remove(p->matmul);
    est.addBinary(kind, operand.getType(), scalar, isConstant(operand), true,
                  this->getOptions().maxFoldElements);
    est.add(MatMulOp::getOperationName(),
            {p->matmul.getLhs().getType(), p->matmul.getRhs().getType()},
            {op.getType()});
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    Parts p = *parts(op);
    Location loc = op.getLoc();
    int64_t limit = this->getOptions().maxFoldElements;
    Value s = scalarOf(rewriter, loc, p.s);
    Value lhs = p.matmul.getLhs(), rhs = p.matmul.getRhs();
    if (p.scaleLhs)
      lhs = createBinary(rewriter, loc, kind, lhs, s, limit);
    else
      rhs = createBinary(rewriter, loc, kind, rhs, s, limit);
    rewriter.replaceOpWithNewOp<MatMulOp>(op, op.getType(), lhs, rhs, nullptr);
  }
};

/// Normalisation: a scalar scale moves before data movement,
/// `reshape/transpose/...(y) * s -> reshape/transpose/...(y * s)`, towards
/// the producer that may absorb it (a constant, a bias add, weights).
/// Exact.  Measure: the number of data-movement ops between each scalar
/// scale and the graph inputs.
template <typename OpT>
struct ScalarThroughMovement : OpAlgebraicRule<OpT> {
  ScalarThroughMovement(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("scalar-through-movement",
                             RuleFamily::Commutative, ctx, o,
                             Traits{false, /*normalisation=*/true}) {}
  static constexpr BinaryKind kind =
      std::is_same_v<OpT, MulOp> ? BinaryKind::Mul : BinaryKind::Div;
  std::optional<std::pair<Operation *, Value>> parts(OpT op) const {
    auto p = splitScalar(op);
    if (!p || !isFloatTensor(op.getResult()))
      return std::nullopt;
    Operation *move = p->first.getDefiningOp();
    if (!move ||
        !isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp, TransposeOp>(move) ||
        !move->hasOneUse() || move->getResult(0).getType() != op.getType() ||
        !staticType(move->getOperand(0)))
      return std::nullopt;
    return std::make_pair(move, p->second);
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    if (!parts(op))
      return failure();
    return Saving{};
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto [move, s] = *parts(op);
    Location loc = op.getLoc();
    Value scaled =
        createBinary(rewriter, loc, kind, move->getOperand(0),
                     scalarOf(rewriter, loc, s),
                     this->getOptions().maxFoldElements);
    Operation *clone = rewriter.clone(*move);
    clone->setOperand(0, scaled);
    clone->removeAttr("mapping");
    rewriter.replaceOp(op, clone->getResults());
  }
};

} // namespace

void dnnf::populateCommutativeRules(AlgebraicRuleList &rules,
                                    MLIRContext *ctx,
                                    const AlgebraicRuleOptions &o) {
  auto add = [&](auto rule) { rules.push_back(std::move(rule)); };
  add(std::make_unique<ReduceSumBitShift>(ctx, o));
  add(std::make_unique<ReduceProdExp>("reduce-prod-exp", ctx, o));
  add(std::make_unique<ReduceSumLog>("reduce-sum-log", ctx, o,
                                     Traits{/*fastMathOnly=*/true}));
  add(std::make_unique<ReduceHoistScale<ReduceSumOp>>(ctx, o));
  add(std::make_unique<ReduceHoistScale<ReduceMeanOp>>(ctx, o));
  add(std::make_unique<ReduceHoistScale<ReduceMaxOp>>(ctx, o));
  add(std::make_unique<ReduceHoistScale<ReduceMinOp>>(ctx, o));
  add(std::make_unique<ReduceHoistScale<ReduceProdOp>>(ctx, o));
  add(std::make_unique<ReduceHoistShift<ReduceSumOp>>(ctx, o));
  add(std::make_unique<ReduceHoistShift<ReduceMeanOp>>(ctx, o));
  add(std::make_unique<ReduceHoistShift<ReduceMaxOp>>(ctx, o));
  add(std::make_unique<ReduceHoistShift<ReduceMinOp>>(ctx, o));
  add(std::make_unique<ReduceHoistNeg<ReduceSumOp, ReduceSumOp>>(ctx, o));
  add(std::make_unique<ReduceHoistNeg<ReduceMeanOp, ReduceMeanOp>>(ctx, o));
  add(std::make_unique<ReduceHoistNeg<ReduceMaxOp, ReduceMinOp>>(ctx, o));
  add(std::make_unique<ReduceHoistNeg<ReduceMinOp, ReduceMaxOp>>(ctx, o));
  add(std::make_unique<ReduceMonotone<ReduceMaxOp, ExpOp>>(ctx, o));
  add(std::make_unique<ReduceMonotone<ReduceMinOp, ExpOp>>(ctx, o));
  add(std::make_unique<ReduceMonotone<ReduceMaxOp, SqrtOp>>(ctx, o));
  add(std::make_unique<ReduceMonotone<ReduceMinOp, SqrtOp>>(ctx, o));
  add(std::make_unique<ReduceProdHoistUnary<ReciprocalOp>>(ctx, o));
  add(std::make_unique<ReduceProdHoistUnary<AbsOp>>(ctx, o));
  add(std::make_unique<ReduceProdHoistUnary<SqrtOp>>(ctx, o));
  add(std::make_unique<ReduceTranspose<ReduceSumOp>>(ctx, o));
  add(std::make_unique<ReduceTranspose<ReduceMeanOp>>(ctx, o));
  add(std::make_unique<ReduceTranspose<ReduceMaxOp>>(ctx, o));
  add(std::make_unique<ReduceTranspose<ReduceMinOp>>(ctx, o));
  add(std::make_unique<ReduceTranspose<ReduceProdOp>>(ctx, o));
  add(std::make_unique<UnaryChainMerge<MulOp, ExpOp>>(
      "exp-mul-merge", BinaryKind::Add, false, ctx, o));
  add(std::make_unique<UnaryChainMerge<AddOp, LogOp>>(
      "log-add-merge", BinaryKind::Mul, true, ctx, o));
  add(std::make_unique<UnaryChainMerge<MulOp, SqrtOp>>(
      "sqrt-mul-merge", BinaryKind::Mul, true, ctx, o));
  add(std::make_unique<UnaryChainMerge<MulOp, ReciprocalOp>>(
      "reciprocal-mul-merge", BinaryKind::Mul, false, ctx, o));
  add(std::make_unique<UnaryQuotientMerge<DivOp, ExpOp>>(
      "exp-div-merge", BinaryKind::Sub, false, ctx, o));
  add(std::make_unique<UnaryQuotientMerge<SubOp, LogOp>>(
      "log-sub-merge", BinaryKind::Div, true, ctx, o));
  add(std::make_unique<UnaryQuotientMerge<DivOp, SqrtOp>>(
      "sqrt-div-merge", BinaryKind::Div, true, ctx, o));
  add(std::make_unique<UnaryQuotientMerge<DivOp, AbsOp>>(
      "abs-div-merge", BinaryKind::Div, false, ctx, o));
  add(std::make_unique<MatMulHoistScalar<MulOp>>(ctx, o));
  add(std::make_unique<MatMulHoistScalar<DivOp>>(ctx, o));
  add(std::make_unique<ScalarThroughMovement<MulOp>>(ctx, o));
  add(std::make_unique<ScalarThroughMovement<DivOp>>(ctx, o));
}
