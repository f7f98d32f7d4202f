//===- AlgebraicRulesAssociative.cpp - associative rules ------------------===//
//
// Regrouping chains of associative ops: Add/Mul chains (constants gathered
// and folded, small operands combined first, x*x for repeated factors),
// DNNFusion's associative rows (sqrt pairs, abs merging, reciprocal
// squares), nested reductions, constant scales, and MatMul chains.  All of
// them are float reassociation unless stated otherwise.
//
//===----------------------------------------------------------------------===//

#include "AlgebraicChainRule.h"

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::algebra;

namespace {

using Traits = AlgebraicRule::Traits;

//===----------------------------------------------------------------------===//
// Chain reassociation
//===----------------------------------------------------------------------===//

/// Regroups a maximal chain of add (or mul) ops with single-use inner nodes:
/// constants are combined first and folded into one, repeated factors
/// become `mul(x, x)` (DNNFusion's Square), and the remaining leaves are
/// combined smallest-result first, so that broadcast operands meet while
/// they are small:
///   (A * R) * (R * C)  with R = reduce_sum(B) : m x 1
///   -> (R * R) * A * C                        : 3mn -> 2mn + m.
/// Fires only when the regrouped chain is cheaper.  Exact for integers
/// (two's-complement arithmetic is associative); float reassociation.
template <typename OpT>
struct ReassociateChain : OpAlgebraicRule<OpT> {
  ReassociateChain(StringRef name, MLIRContext *ctx,
                   const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>(name, RuleFamily::Associative, ctx, o) {}
  static constexpr BinaryKind kind =
      std::is_same_v<OpT, AddOp> ? BinaryKind::Add : BinaryKind::Mul;

  std::optional<std::pair<Chain, ChainPlan>> plan(OpT op) const {
    if (!isNumericTensor(op.getResult()) || !isChainTop(op))
      return std::nullopt;
    Chain chain = collectChain(op);
    if (chain.leaves.size() < 3)
      return std::nullopt;
    SmallVector<ChainNode> nodes;
    for (Value leaf : chain.leaves) {
      if (!staticType(leaf))
        return std::nullopt;
      nodes.push_back(ChainNode::of(leaf));
    }
    std::optional<ChainPlan> p =
        planChain(nodes, kind, this->getOptions().maxFoldElements);
    if (!p || p->resultType != op.getType())
      return std::nullopt;
    return std::make_pair(std::move(chain), std::move(*p));
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = plan(op);
    if (!p)
      return failure();
    SmallVector<ChainNode> nodes;
    for (Value leaf : p->first.leaves)
      nodes.push_back(ChainNode::of(leaf));
    SavingEstimator est;
    removeChain(est, p->first);
    addPlanCost(est, nodes, p->second, kind,
                this->getOptions().maxFoldElements);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto p = *plan(op);
    rewriter.replaceOp(op, buildPlan(rewriter, op.getLoc(), p.first.leaves,
                                     p.second, kind,
                                     this->getOptions().maxFoldElements));
  }
};

//===----------------------------------------------------------------------===//
// DNNFusion's associative rows on Mul chains
//===----------------------------------------------------------------------===//

/// `(A * sqrt(B)) * (sqrt(B) * C) -> A * B * C` (DNNFusion, associative row
/// 1): two factors sqrt(B) of one Mul chain become B.  Fires by default
/// when B is never negative (for B < 0, sqrt(B)^2 is NaN but B is not);
/// with fast-math for any B.  Otherwise sqrt(B)^2 = B up to an ulp.
struct MulChainSqrtPair : ChainPairRule<MulOp> {
  MulChainSqrtPair(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : ChainPairRule("mul-chain-sqrt-pair", RuleFamily::Associative, ctx, o) {}
  bool pairMatches(Value a, Value b) const override {
    auto sa = a.getDefiningOp<SqrtOp>();
    auto sb = b.getDefiningOp<SqrtOp>();
    return sa && sb && sa.getInput() == sb.getInput() &&
           (getOptions().fastMath || isNeverNegative(sa.getInput()));
  }
  RankedTensorType pairType(Value a, Value) const override {
    return staticType(a.getDefiningOp<SqrtOp>().getInput());
  }
  Value pairValue(Value a, Value) const override {
    return a.getDefiningOp<SqrtOp>().getInput();
  }
  void estimatePair(SavingEstimator &, Value, Value) const override {}
  Value buildPair(OpBuilder &, Location, Value x, Value) const override {
    return x.getDefiningOp<SqrtOp>().getInput();
  }
};

/// `abs(A) * B * abs(C) -> abs(A * C) * B` (DNNFusion, associative row 3).
/// Exact for floats (|a|*|c| = |a*c| in IEEE arithmetic).  Not applied to
/// integers, where overflow breaks it.
struct MulChainAbsMerge : ChainPairRule<MulOp> {
  MulChainAbsMerge(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : ChainPairRule("mul-chain-abs-merge", RuleFamily::Associative, ctx, o) {}
  bool pairMatches(Value a, Value b) const override {
    return a.getDefiningOp<AbsOp>() && b.getDefiningOp<AbsOp>();
  }
  RankedTensorType pairType(Value a, Value b) const override {
    return broadcastType(a.getType(), b.getType());
  }
  void estimatePair(SavingEstimator &est, Value a, Value b) const override {
    Value x = a.getDefiningOp<AbsOp>().getInput();
    Value y = b.getDefiningOp<AbsOp>().getInput();
    est.addBinary(BinaryKind::Mul, x, y, getOptions().maxFoldElements);
    est.addUnary(AbsOp::getOperationName(), pairType(a, b));
  }
  Value buildPair(OpBuilder &b, Location loc, Value x,
                  Value y) const override {
    Value product = createBinary(b, loc, BinaryKind::Mul,
                                 x.getDefiningOp<AbsOp>().getInput(),
                                 y.getDefiningOp<AbsOp>().getInput(),
                                 getOptions().maxFoldElements);
    return createUnary<AbsOp>(b, loc, product);
  }
};

/// `recip(A) * recip(A * B) -> (recip(A) * recip(A)) * recip(B)`
/// (DNNFusion, associative row 2): A is read once.  Float reassociation.
struct RecipSquareFactor : ChainPairRule<MulOp> {
  RecipSquareFactor(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : ChainPairRule("reciprocal-square-factor", RuleFamily::Associative, ctx,
                      o) {}
  /// For leaves recip(A) and recip(A*B) (either order): (recip(A), B).
  std::optional<std::pair<Value, Value>> parts(Value a, Value b) const {
    for (auto [x, y] : {std::make_pair(a, b), std::make_pair(b, a)}) {
      auto ra = x.getDefiningOp<ReciprocalOp>();
      auto rm = y.getDefiningOp<ReciprocalOp>();
      if (!ra || !rm)
        continue;
      auto mul = rm.getInput().getDefiningOp<MulOp>();
      if (!mul)
        continue;
      Value base = ra.getInput();
      if (mul.getLhs() == base && mul.getRhs() != base)
        return std::make_pair(x, mul.getRhs());
      if (mul.getRhs() == base && mul.getLhs() != base)
        return std::make_pair(x, mul.getLhs());
    }
    return std::nullopt;
  }
  bool pairMatches(Value a, Value b) const override {
    return parts(a, b).has_value();
  }
  RankedTensorType pairType(Value a, Value b) const override {
    auto [ra, other] = *parts(a, b);
    RankedTensorType type = broadcastType(ra.getType(), other.getType());
    return type == broadcastType(a.getType(), b.getType()) ? type : nullptr;
  }
  void estimatePair(SavingEstimator &est, Value a, Value b) const override {
    auto [ra, other] = *parts(a, b);
    // recip(A*B) dies with the chain; so may A*B.
    Value rm = ra == a ? b : a;
    est.removeIfDead(rm.getDefiningOp<ReciprocalOp>().getInput());
    est.add(MulOp::getOperationName(), {ra.getType()}, {ra.getType()});
    est.addUnary(ReciprocalOp::getOperationName(), other.getType());
    est.add(MulOp::getOperationName(), {ra.getType(), other.getType()},
            {pairType(a, b)});
  }
  Value buildPair(OpBuilder &b, Location loc, Value x,
                  Value y) const override {
    auto [ra, other] = *parts(x, y);
    Value square = MulOp::create(b, loc, ra.getType(), ra, ra, nullptr);
    Value recip = createUnary<ReciprocalOp>(b, loc, other);
    return createBinary(b, loc, BinaryKind::Mul, square, recip,
                        getOptions().maxFoldElements);
  }
};

//===----------------------------------------------------------------------===//
// Constant scales
//===----------------------------------------------------------------------===//

/// `(a / c1) / c2 -> a / (c1 * c2)` for constants (float reassociation:
/// c1*c2 is rounded once, and may overflow where the two divisions would
/// not).
struct DivDivConst : OpAlgebraicRule<DivOp> {
  DivDivConst(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("div-div-constant", RuleFamily::Associative, ctx, o) {}
  FailureOr<Saving> matchOp(DivOp op) const override {
    auto inner = op.getLhs().getDefiningOp<DivOp>();
    int64_t limit = getOptions().maxFoldElements;
    if (!inner || !isFloatTensor(op.getResult()) ||
        !isConstant(inner.getRhs()) || !isConstant(op.getRhs()) ||
        !foldsBinary(BinaryKind::Mul, inner.getRhs(), op.getRhs(), limit))
      return failure();
    RankedTensorType c =
        broadcastType(inner.getRhs().getType(), op.getRhs().getType());
    if (broadcastType(inner.getLhs().getType(), c) != op.getType())
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(inner);
    est.addBinary(BinaryKind::Div, inner.getLhs().getType(), c, false, true,
                  limit);
    return est.get();
  }
  void rewriteOp(DivOp op, PatternRewriter &rewriter) const override {
    auto inner = op.getLhs().getDefiningOp<DivOp>();
    int64_t limit = getOptions().maxFoldElements;
    Value c = createBinary(rewriter, op.getLoc(), BinaryKind::Mul,
                           inner.getRhs(), op.getRhs(), limit);
    rewriter.replaceOp(op, createBinary(rewriter, op.getLoc(), BinaryKind::Div,
                                        inner.getLhs(), c, limit));
  }
};

/// `(a * c1) / c2 -> a * (c1 / c2)` and `(a / c1) * c2 -> a * (c2 / c1)`
/// for constants (float reassociation).
template <typename OpT>
struct MulDivConst : OpAlgebraicRule<OpT> {
  MulDivConst(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("mul-div-constant", RuleFamily::Associative, ctx,
                             o) {}
  static constexpr bool rootIsDiv = std::is_same_v<OpT, DivOp>;
  /// (a, numerator constant, denominator constant).
  std::optional<std::tuple<Value, Value, Value>> parts(OpT op) const {
    if (!isFloatTensor(op.getResult()))
      return std::nullopt;
    if constexpr (rootIsDiv) {
      auto inner = op.getLhs().template getDefiningOp<MulOp>();
      if (!inner || !isConstant(op.getRhs()))
        return std::nullopt;
      if (isConstant(inner.getRhs()) && !isConstant(inner.getLhs()))
        return std::make_tuple(inner.getLhs(), inner.getRhs(), op.getRhs());
      if (isConstant(inner.getLhs()) && !isConstant(inner.getRhs()))
        return std::make_tuple(inner.getRhs(), inner.getLhs(), op.getRhs());
    } else {
      for (auto [x, c] : {std::make_pair(op.getLhs(), op.getRhs()),
                          std::make_pair(op.getRhs(), op.getLhs())}) {
        auto inner = x.template getDefiningOp<DivOp>();
        if (inner && isConstant(c) && isConstant(inner.getRhs()) &&
            !isConstant(inner.getLhs()))
          return std::make_tuple(inner.getLhs(), c, inner.getRhs());
      }
    }
    return std::nullopt;
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    auto [a, num, den] = *p;
    int64_t limit = this->getOptions().maxFoldElements;
    if (!foldsBinary(BinaryKind::Div, num, den, limit))
      return failure();
    RankedTensorType c = broadcastType(num.getType(), den.getType());
    if (broadcastType(a.getType(), c) != op.getType())
      return failure();
    SavingEstimator est;
    est.remove(op);
    for (Value operand : op->getOperands())
      est.removeIfDead(operand);
    est.addBinary(BinaryKind::Mul, a.getType(), c, false, true, limit);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto [a, num, den] = *parts(op);
    int64_t limit = this->getOptions().maxFoldElements;
    Value c =
        createBinary(rewriter, op.getLoc(), BinaryKind::Div, num, den, limit);
    rewriter.replaceOp(op, createBinary(rewriter, op.getLoc(), BinaryKind::Mul,
                                        a, c, limit));
  }
};

//===----------------------------------------------------------------------===//
// Nested reductions
//===----------------------------------------------------------------------===//

/// `reduce(reduce(x, A1), A2) -> reduce(x, A1 u A2)` for two reductions of
/// the same kind (sum, prod, max, min, mean: a mean of equal-sized means is
/// the mean).  The inner reduction must have a single use.  Exact for
/// max/min and integer sum/prod; float reassociation otherwise.  Means are
/// merged only for floats (integer means truncate).
template <typename OpT>
struct ReduceChainMerge : OpAlgebraicRule<OpT> {
  ReduceChainMerge(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("reduce-chain-merge", RuleFamily::Associative,
                             ctx, o) {}
  struct Merged {
    OpT inner;
    SmallVector<int64_t> axes;
    bool keepdims;
    RankedTensorType type; // of the merged reduction
  };
  std::optional<Merged> merge(OpT op) const {
    auto inner = op.getInput().template getDefiningOp<OpT>();
    if (!inner || !inner->hasOneUse())
      return std::nullopt;
    if (std::is_same_v<OpT, ReduceMeanOp> ? !isFloatTensor(op.getResult())
                                          : !isNumericTensor(op.getResult()))
      return std::nullopt;
    RankedTensorType x = staticType(inner.getInput());
    RankedTensorType mid = staticType(inner.getResult());
    RankedTensorType out = staticType(op.getResult());
    if (!x || !mid || !out)
      return std::nullopt;
    auto a1 = reductionAxes(inner.getAxes(), x.getRank());
    auto a2 = reductionAxes(op.getAxes(), mid.getRank());
    if (!a1 || !a2)
      return std::nullopt;
    // Map the outer axes to axes of x.
    SmallVector<int64_t> kept;
    for (int64_t k = 0; k < x.getRank(); ++k)
      if (inner.getKeepdims() || !llvm::is_contained(*a1, k))
        kept.push_back(k);
    llvm::SmallSetVector<int64_t, 8> all(a1->begin(), a1->end());
    for (int64_t a : *a2)
      all.insert(kept[a]);
    Merged m;
    m.inner = inner;
    m.axes.assign(all.begin(), all.end());
    llvm::sort(m.axes);
    m.keepdims = inner.getKeepdims() == op.getKeepdims() ? op.getKeepdims()
                                                         : false;
    SmallVector<int64_t> shape;
    for (int64_t k = 0; k < x.getRank(); ++k) {
      if (llvm::is_contained(m.axes, k)) {
        if (m.keepdims)
          shape.push_back(1);
      } else {
        shape.push_back(x.getDimSize(k));
      }
    }
    m.type = RankedTensorType::get(shape, x.getElementType());
    if (numElements(m.type) != numElements(out))
      return std::nullopt;
    return m;
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    std::optional<Merged> m = merge(op);
    if (!m)
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(m->inner);
    est.add(OpT::getOperationName(), {m->inner.getInput().getType()},
            {m->type});
    if (m->type != op.getType())
      est.add(ReshapeOp::getOperationName(), {m->type}, {op.getType()});
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    Merged m = *merge(op);
    Value reduced = OpT::create(rewriter, op.getLoc(), m.type,
                                m.inner.getInput(), m.axes, m.keepdims,
                                nullptr);
    rewriter.replaceOp(
        op, createReshape(rewriter, op.getLoc(), reduced, op.getType()));
  }
};

//===----------------------------------------------------------------------===//
// MatMul chains
//===----------------------------------------------------------------------===//

/// `(A B) C <-> A (B C)` for 2-D matrices, whichever costs fewer FLOPs
/// (the matrix-chain order).  The inner product must have a single use.
/// Exact for integers; float reassociation.
struct MatMulReassociate : OpAlgebraicRule<MatMulOp> {
  MatMulReassociate(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("matmul-reassociate", RuleFamily::Associative, ctx,
                        o) {}
  struct Plan {
    MatMulOp inner;
    bool innerIsLhs;
    Value a, b, c;
    RankedTensorType newInner;
  };
  std::optional<Plan> plan(MatMulOp op) const {
    if (!isNumericTensor(op.getResult()) || !staticType(op.getResult()))
      return std::nullopt;
    for (bool innerIsLhs : {true, false}) {
      Value v = innerIsLhs ? op.getLhs() : op.getRhs();
      auto inner = v.getDefiningOp<MatMulOp>();
      if (!inner || !inner->hasOneUse())
        continue;
      Plan p;
      p.inner = inner;
      p.innerIsLhs = innerIsLhs;
      p.a = innerIsLhs ? inner.getLhs() : op.getLhs();
      p.b = innerIsLhs ? inner.getRhs() : inner.getLhs();
      p.c = innerIsLhs ? op.getRhs() : inner.getRhs();
      RankedTensorType ta = staticType(p.a), tb = staticType(p.b),
                       tc = staticType(p.c);
      if (!ta || !tb || !tc || ta.getRank() != 2 || tb.getRank() != 2 ||
          tc.getRank() != 2)
        continue;
      // (A B) C -> A (B C) needs B C : tb[0] x tc[1]; the other way A B.
      p.newInner = innerIsLhs
                       ? RankedTensorType::get(
                             {tb.getDimSize(0), tc.getDimSize(1)},
                             tb.getElementType())
                       : RankedTensorType::get(
                             {ta.getDimSize(0), tb.getDimSize(1)},
                             ta.getElementType());
      return p;
    }
    return std::nullopt;
  }
  FailureOr<Saving> matchOp(MatMulOp op) const override {
    std::optional<Plan> p = plan(op);
    if (!p)
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(p->inner);
    StringRef name = MatMulOp::getOperationName();
    if (p->innerIsLhs) {
      est.add(name, {p->b.getType(), p->c.getType()}, {p->newInner});
      est.add(name, {p->a.getType(), p->newInner}, {op.getType()});
    } else {
      est.add(name, {p->a.getType(), p->b.getType()}, {p->newInner});
      est.add(name, {p->newInner, p->c.getType()}, {op.getType()});
    }
    return est.get();
  }
  void rewriteOp(MatMulOp op, PatternRewriter &rewriter) const override {
    Plan p = *plan(op);
    Location loc = op.getLoc();
    Value result;
    if (p.innerIsLhs) {
      Value bc = MatMulOp::create(rewriter, loc, p.newInner, p.b, p.c, nullptr);
      result = MatMulOp::create(rewriter, loc, op.getType(), p.a, bc, nullptr);
    } else {
      Value ab = MatMulOp::create(rewriter, loc, p.newInner, p.a, p.b, nullptr);
      result = MatMulOp::create(rewriter, loc, op.getType(), ab, p.c, nullptr);
    }
    rewriter.replaceOp(op, result);
  }
};

} // namespace

void dnnf::populateAssociativeRules(AlgebraicRuleList &rules,
                                    MLIRContext *ctx,
                                    const AlgebraicRuleOptions &o) {
  auto add = [&](auto rule) { rules.push_back(std::move(rule)); };
  add(std::make_unique<ReassociateChain<AddOp>>("add-chain-reassociate", ctx,
                                                o));
  add(std::make_unique<ReassociateChain<MulOp>>("mul-chain-reassociate", ctx,
                                                o));
  add(std::make_unique<MulChainSqrtPair>(ctx, o));
  add(std::make_unique<MulChainAbsMerge>(ctx, o));
  add(std::make_unique<RecipSquareFactor>(ctx, o));
  add(std::make_unique<DivDivConst>(ctx, o));
  add(std::make_unique<MulDivConst<DivOp>>(ctx, o));
  add(std::make_unique<MulDivConst<MulOp>>(ctx, o));
  add(std::make_unique<ReduceChainMerge<ReduceSumOp>>(ctx, o));
  add(std::make_unique<ReduceChainMerge<ReduceProdOp>>(ctx, o));
  add(std::make_unique<ReduceChainMerge<ReduceMaxOp>>(ctx, o));
  add(std::make_unique<ReduceChainMerge<ReduceMinOp>>(ctx, o));
  add(std::make_unique<ReduceChainMerge<ReduceMeanOp>>(ctx, o));
  add(std::make_unique<MatMulReassociate>(ctx, o));
}
