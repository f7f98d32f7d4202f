//===- AlgebraicRulesDistributive.cpp - distributive rules ----------------===//
//
// Factoring (A*B + A*C -> A*(B+C) and its relatives, DNNFusion's
// distributive rows) and expansion where it saves work ((x*c0 + c1)*c2 ->
// x*(c0*c2) + c1*c2).  Exact for integers (ring identities in two's
// complement) where noted; float reassociation otherwise.
//
//===----------------------------------------------------------------------===//

#include "AlgebraicChainRule.h"

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::algebra;

namespace {

template <typename OpT>
constexpr BinaryKind kindOf() {
  return std::is_same_v<OpT, AddOp> ? BinaryKind::Add : BinaryKind::Sub;
}

/// The operands of `v` if it is defined by an `OpT`.
template <typename OpT>
std::optional<std::pair<Value, Value>> operandsOf(Value v) {
  if (auto op = v.getDefiningOp<OpT>())
    return std::make_pair(op.getLhs(), op.getRhs());
  return std::nullopt;
}

/// `v` seen as a product: the leaves of the Mul chain defining it, or v.
struct Product {
  Value value;
  Chain chain; // empty when v is not a Mul
  SmallVector<Value> factors;
};

Product asProduct(Value v) {
  Product p;
  p.value = v;
  if (auto mul = v.getDefiningOp<MulOp>()) {
    if (staticType(v)) {
      p.chain = collectChain(mul);
      p.factors = p.chain.leaves;
      return p;
    }
  }
  p.factors.push_back(v);
  return p;
}

/// Removes the ops of `p` that die once `p.value` is no longer used.
void removeIfDead(SavingEstimator &est, const Product &p) {
  for (Operation *op : p.chain.ops)
    est.removeIfDead(op);
}

/// The factors of `p` without the one at `skip`.
SmallVector<Value> restOf(const Product &p, unsigned skip) {
  SmallVector<Value> rest;
  for (auto [k, f] : llvm::enumerate(p.factors))
    if (k != skip)
      rest.push_back(f);
  return rest;
}

/// Factoring a common factor out of two products:
///   factor-common-mul:  A*B + A*C -> A*(B+C),  A*B - A*C -> A*(B-C)
///     (DNNFusion, distributive row 1; also row 3, X*X - X*C -> X*(X-C)
///     for X = A+B), with A any factor of the two Mul chains;
///   factor-add-self:    A + A*B -> A*(B+1),  A - A*B -> A*(1-B),
///                       A*B - A -> A*(B-1)
///     (DNNFusion, distributive row 2: A is read once), with B the product
///     of the other factors of the chain.
/// Exact for integers; float reassociation.
template <typename OpT>
struct FactorCommon : OpAlgebraicRule<OpT> {
  FactorCommon(bool selfForm, MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>(selfForm ? "factor-add-self" : "factor-common-mul",
                             RuleFamily::Distributive, ctx, o),
        selfForm(selfForm) {}

  struct Match {
    Product x, y;
    Value a;
    /// The remaining factors of each side (empty: the factor is 1).
    SmallVector<ChainNode> restX, restY;
    std::optional<ChainPlan> planX, planY;
    RankedTensorType typeX, typeY, sumType;
  };

  /// The type of the product of `rest` (a rank-0 1 when empty) and its
  /// plan.
  bool planRest(ArrayRef<Value> rest, SmallVector<ChainNode> &nodes,
                std::optional<ChainPlan> &plan, RankedTensorType &type,
                Type element) const {
    for (Value v : rest) {
      if (!staticType(v))
        return false;
      nodes.push_back(ChainNode::of(v));
    }
    if (rest.empty()) {
      type = RankedTensorType::get({}, element);
      return true;
    }
    if (rest.size() == 1) {
      type = nodes.front().type;
      return true;
    }
    plan = planChain(nodes, BinaryKind::Mul, this->getOptions().maxFoldElements);
    if (!plan)
      return false;
    type = plan->resultType;
    return true;
  }

  std::optional<Match> findMatch(OpT op) const {
    if (!isNumericTensor(op.getResult()) || op.getLhs() == op.getRhs() ||
        !staticType(op.getResult()))
      return std::nullopt;
    Match m;
    m.x = asProduct(op.getLhs());
    m.y = asProduct(op.getRhs());
    bool xIsMul = !m.x.chain.ops.empty(), yIsMul = !m.y.chain.ops.empty();
    Type element = op.getType().getElementType();
    for (unsigned i = 0; i < m.x.factors.size(); ++i) {
      for (unsigned j = 0; j < m.y.factors.size(); ++j) {
        if (m.x.factors[i] != m.y.factors[j])
          continue;
        // The self form has exactly one side that is the bare factor.
        bool self = (!xIsMul && yIsMul) || (xIsMul && !yIsMul);
        if (self != selfForm || (!xIsMul && !yIsMul))
          continue;
        Match c = m;
        c.a = m.x.factors[i];
        if (!planRest(restOf(m.x, i), c.restX, c.planX, c.typeX, element) ||
            !planRest(restOf(m.y, j), c.restY, c.planY, c.typeY, element))
          continue;
        c.sumType = broadcastType(c.typeX, c.typeY);
        if (!c.sumType ||
            broadcastType(c.a.getType(), c.sumType) != op.getType())
          continue;
        return c;
      }
    }
    return std::nullopt;
  }

  FailureOr<Saving> matchOp(OpT op) const override {
    std::optional<Match> m = findMatch(op);
    if (!m)
      return failure();
    int64_t limit = this->getOptions().maxFoldElements;
    SavingEstimator est;
    est.remove(op);
    removeIfDead(est, m->x);
    removeIfDead(est, m->y);
    auto restIsConstant = [](ArrayRef<ChainNode> rest,
                             const std::optional<ChainPlan> &plan) {
      if (rest.empty())
        return true;
      if (rest.size() == 1)
        return rest.front().constant;
      return plan->folded.back();
    };
    if (m->planX)
      addPlanCost(est, m->restX, *m->planX, BinaryKind::Mul, limit);
    if (m->planY)
      addPlanCost(est, m->restY, *m->planY, BinaryKind::Mul, limit);
    bool cx = restIsConstant(m->restX, m->planX);
    bool cy = restIsConstant(m->restY, m->planY);
    est.addBinary(kindOf<OpT>(), m->typeX, m->typeY, cx, cy, limit);
    est.addBinary(BinaryKind::Mul, m->a.getType(), m->sumType,
                  isConstant(m->a),
                  foldsBinary(kindOf<OpT>(), m->typeX, m->typeY, cx, cy,
                              limit),
                  limit);
    return est.get();
  }

  Value buildRest(OpBuilder &b, Location loc, ArrayRef<ChainNode> rest,
                  const std::optional<ChainPlan> &plan,
                  RankedTensorType type) const {
    if (rest.empty())
      return createSplat(b, loc, type, 1.0);
    if (rest.size() == 1)
      return rest.front().value;
    SmallVector<Value> values;
    for (const ChainNode &node : rest)
      values.push_back(node.value);
    return buildPlan(b, loc, values, *plan, BinaryKind::Mul,
                     this->getOptions().maxFoldElements);
  }

  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    Match m = *findMatch(op);
    Location loc = op.getLoc();
    int64_t limit = this->getOptions().maxFoldElements;
    Value bx = buildRest(rewriter, loc, m.restX, m.planX, m.typeX);
    Value by = buildRest(rewriter, loc, m.restY, m.planY, m.typeY);
    Value sum = createBinary(rewriter, loc, kindOf<OpT>(), bx, by, limit);
    rewriter.replaceOp(
        op, createBinary(rewriter, loc, BinaryKind::Mul, m.a, sum, limit));
  }

  bool selfForm;
};

/// `A/C + B/C -> (A+B)/C` and `A/C - B/C -> (A-B)/C` (floats only:
/// integer division truncates).  Float reassociation.
template <typename OpT>
struct FactorCommonDiv : OpAlgebraicRule<OpT> {
  FactorCommonDiv(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("factor-common-div", RuleFamily::Distributive,
                             ctx, o) {}
  std::optional<std::tuple<Value, Value, Value>> parts(OpT op) const {
    if (!isFloatTensor(op.getResult()) || op.getLhs() == op.getRhs())
      return std::nullopt;
    auto x = operandsOf<DivOp>(op.getLhs());
    auto y = operandsOf<DivOp>(op.getRhs());
    if (!x || !y || x->second != y->second)
      return std::nullopt;
    RankedTensorType ab = broadcastType(x->first.getType(), y->first.getType());
    if (!ab || broadcastType(ab, x->second.getType()) != op.getType())
      return std::nullopt;
    return std::make_tuple(x->first, y->first, x->second);
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    auto [a, b, c] = *p;
    int64_t limit = this->getOptions().maxFoldElements;
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(op.getLhs());
    est.removeIfDead(op.getRhs());
    est.addBinary(kindOf<OpT>(), a, b, limit);
    est.addBinary(BinaryKind::Div, broadcastType(a.getType(), b.getType()),
                  c.getType(), foldsBinary(kindOf<OpT>(), a, b, limit),
                  isConstant(c), limit);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto [a, b, c] = *parts(op);
    int64_t limit = this->getOptions().maxFoldElements;
    Value sum = createBinary(rewriter, op.getLoc(), kindOf<OpT>(), a, b, limit);
    rewriter.replaceOp(op, createBinary(rewriter, op.getLoc(), BinaryKind::Div,
                                        sum, c, limit));
  }
};

/// Expansion where it saves work, for constants c1..c3:
///   (X + c1) * c2 -> X' + c1*c2        when X * c2 folds into X's producer
///                                     (X = Y*c0, or a Conv/Gemm/MatMul
///                                     with constant weights), also inside
///                                     a longer Mul chain (X + c1) * c2 * Z;
///   (X + c1) * c2 + c3 -> X*c2 + (c1*c2 + c3).
/// Each saves one elementwise op.  Exact for integers; float reassociation.
struct ExpandAffineMul : ChainPairRule<MulOp> {
  ExpandAffineMul(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : ChainPairRule("expand-affine-constant", RuleFamily::Distributive, ctx,
                      o) {}
  bool typeMatches(Value result) const override {
    return isNumericTensor(result);
  }
  /// (X, c1, c2) when one leaf is X + c1 (single use) and the other c2.
  std::optional<std::tuple<Value, Value, Value>> parts(Value a,
                                                       Value b) const {
    int64_t limit = getOptions().maxFoldElements;
    for (auto [s, c2] : {std::make_pair(a, b), std::make_pair(b, a)}) {
      auto add = s.getDefiningOp<AddOp>();
      if (!add || !add->hasOneUse() || !isConstant(c2))
        continue;
      for (auto [x, c1] : {std::make_pair(add.getLhs(), add.getRhs()),
                           std::make_pair(add.getRhs(), add.getLhs())}) {
        if (!isConstant(c1) || isConstant(x) ||
            !foldsBinary(BinaryKind::Mul, c1, c2, limit) ||
            !canAbsorbScale(x, c2, limit))
          continue;
        RankedTensorType shift = broadcastType(c1.getType(), c2.getType());
        if (!shift || !broadcastType(x.getType(), shift))
          continue;
        return std::make_tuple(x, c1, c2);
      }
    }
    return std::nullopt;
  }
  bool pairMatches(Value a, Value b) const override {
    return parts(a, b).has_value();
  }
  RankedTensorType pairType(Value a, Value b) const override {
    auto [x, c1, c2] = *parts(a, b);
    return broadcastType(x.getType(),
                         broadcastType(c1.getType(), c2.getType()));
  }
  void estimatePair(SavingEstimator &est, Value a, Value b) const override {
    auto [x, c1, c2] = *parts(a, b);
    est.add(AddOp::getOperationName(),
            {x.getType(), broadcastType(c1.getType(), c2.getType())},
            {pairType(a, b)});
  }
  Value buildPair(OpBuilder &b, Location loc, Value u,
                  Value v) const override {
    auto [x, c1, c2] = *parts(u, v);
    int64_t limit = getOptions().maxFoldElements;
    Value scaled = absorbScale(b, loc, x, c2, limit);
    Value shift = createBinary(b, loc, BinaryKind::Mul, c1, c2, limit);
    return createBinary(b, loc, BinaryKind::Add, scaled, shift, limit);
  }
};

struct ExpandAffineAdd : OpAlgebraicRule<AddOp> {
  ExpandAffineAdd(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("expand-affine-constant", RuleFamily::Distributive,
                        ctx, o) {}
  /// (X, c1, c2, c3, mul) for root = (X + c1) * c2 + c3.
  struct Parts {
    Value x, c1, c2, c3;
    MulOp mul;
    AddOp inner;
  };
  std::optional<Parts> parts(AddOp op) const {
    if (!isNumericTensor(op.getResult()))
      return std::nullopt;
    int64_t limit = getOptions().maxFoldElements;
    for (auto [m, c3] : {std::make_pair(op.getLhs(), op.getRhs()),
                         std::make_pair(op.getRhs(), op.getLhs())}) {
      auto mul = m.getDefiningOp<MulOp>();
      if (!mul || !mul->hasOneUse() || !isConstant(c3))
        continue;
      for (auto [s, c2] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                           std::make_pair(mul.getRhs(), mul.getLhs())}) {
        auto inner = s.getDefiningOp<AddOp>();
        if (!inner || !inner->hasOneUse() || !isConstant(c2))
          continue;
        for (auto [x, c1] : {std::make_pair(inner.getLhs(), inner.getRhs()),
                             std::make_pair(inner.getRhs(), inner.getLhs())}) {
          if (!isConstant(c1) || isConstant(x))
            continue;
          RankedTensorType c12 = broadcastType(c1.getType(), c2.getType());
          RankedTensorType shift =
              c12 ? broadcastType(c12, c3.getType()) : nullptr;
          RankedTensorType scaled = broadcastType(x.getType(), c2.getType());
          if (!shift || !scaled ||
              broadcastType(scaled, shift) != op.getType() ||
              !foldsBinary(BinaryKind::Mul, c1, c2, limit) ||
              !foldsBinary(BinaryKind::Add, c12, c3.getType(), true, true,
                           limit))
            continue;
          return Parts{x, c1, c2, c3, mul, inner};
        }
      }
    }
    return std::nullopt;
  }
  FailureOr<Saving> matchOp(AddOp op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    RankedTensorType scaled = broadcastType(p->x.getType(), p->c2.getType());
    RankedTensorType shift = broadcastType(
        broadcastType(p->c1.getType(), p->c2.getType()), p->c3.getType());
    SavingEstimator est;
    est.remove(op);
    est.remove(p->mul);
    est.remove(p->inner);
    est.add(MulOp::getOperationName(), {p->x.getType(), p->c2.getType()},
            {scaled});
    est.add(AddOp::getOperationName(), {scaled, shift}, {op.getType()});
    return est.get();
  }
  void rewriteOp(AddOp op, PatternRewriter &rewriter) const override {
    Parts p = *parts(op);
    int64_t limit = getOptions().maxFoldElements;
    Location loc = op.getLoc();
    Value scaled = createBinary(rewriter, loc, BinaryKind::Mul, p.x, p.c2,
                                limit);
    Value c12 = createBinary(rewriter, loc, BinaryKind::Mul, p.c1, p.c2, limit);
    Value shift = createBinary(rewriter, loc, BinaryKind::Add, c12, p.c3, limit);
    rewriter.replaceOp(
        op, createBinary(rewriter, loc, BinaryKind::Add, scaled, shift, limit));
  }
};

/// `matmul(A, B) + matmul(A, C) -> matmul(A, B + C)` (B, C of one type)
/// and `matmul(A, C) + matmul(B, C) -> matmul(A + B, C)` (A, B of one
/// type), also with `-`: one contraction instead of two.  Exact for
/// integers; float reassociation.
template <typename OpT>
struct FactorCommonMatMul : OpAlgebraicRule<OpT> {
  FactorCommonMatMul(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("factor-common-matmul", RuleFamily::Distributive,
                             ctx, o) {}
  struct Parts {
    MatMulOp x, y;
    bool commonLhs;
  };
  std::optional<Parts> parts(OpT op) const {
    auto x = op.getLhs().template getDefiningOp<MatMulOp>();
    auto y = op.getRhs().template getDefiningOp<MatMulOp>();
    if (!x || !y || x == y || !isNumericTensor(op.getResult()) ||
        x.getType() != op.getType() || y.getType() != op.getType())
      return std::nullopt;
    if (x.getLhs() == y.getLhs() &&
        x.getRhs().getType() == y.getRhs().getType() &&
        staticType(x.getRhs()))
      return Parts{x, y, true};
    if (x.getRhs() == y.getRhs() &&
        x.getLhs().getType() == y.getLhs().getType() &&
        staticType(x.getLhs()))
      return Parts{x, y, false};
    return std::nullopt;
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    int64_t limit = this->getOptions().maxFoldElements;
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(p->x);
    est.removeIfDead(p->y);
    Value u = p->commonLhs ? p->x.getRhs() : p->x.getLhs();
    Value v = p->commonLhs ? p->y.getRhs() : p->y.getLhs();
    est.addBinary(kindOf<OpT>(), u, v, limit);
    est.add(MatMulOp::getOperationName(),
            {p->x.getLhs().getType(), p->x.getRhs().getType()},
            {op.getType()});
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    Parts p = *parts(op);
    int64_t limit = this->getOptions().maxFoldElements;
    Location loc = op.getLoc();
    Value result;
    if (p.commonLhs) {
      Value sum = createBinary(rewriter, loc, kindOf<OpT>(), p.x.getRhs(),
                               p.y.getRhs(), limit);
      result = MatMulOp::create(rewriter, loc, op.getType(), p.x.getLhs(), sum,
                                nullptr);
    } else {
      Value sum = createBinary(rewriter, loc, kindOf<OpT>(), p.x.getLhs(),
                               p.y.getLhs(), limit);
      result = MatMulOp::create(rewriter, loc, op.getType(), sum, p.x.getRhs(),
                                nullptr);
    }
    rewriter.replaceOp(op, result);
  }
};

/// `conv(x, W1, b1) + conv(x, W2, b2) -> conv(x, W1 + W2, b1 + b2)` (and
/// `-`) for two convolutions of the same input with the same attributes and
/// weight shapes: convolution is linear in its weights.  Float
/// reassociation.
template <typename OpT>
struct FactorCommonConv : OpAlgebraicRule<OpT> {
  FactorCommonConv(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("factor-common-conv", RuleFamily::Distributive,
                             ctx, o) {}
  std::optional<std::pair<ConvOp, ConvOp>> parts(OpT op) const {
    auto x = op.getLhs().template getDefiningOp<ConvOp>();
    auto y = op.getRhs().template getDefiningOp<ConvOp>();
    if (!x || !y || x == y || x.getInput() != y.getInput() ||
        x.getType() != op.getType() || y.getType() != op.getType() ||
        x.getWeight().getType() != y.getWeight().getType() ||
        !staticType(x.getWeight()) || x.getStrides() != y.getStrides() ||
        x.getPads() != y.getPads() || x.getDilations() != y.getDilations() ||
        x.getGroup() != y.getGroup())
      return std::nullopt;
    if (x.getBias() && y.getBias() &&
        x.getBias().getType() != y.getBias().getType())
      return std::nullopt;
    return std::make_pair(x, y);
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    auto [x, y] = *p;
    int64_t limit = this->getOptions().maxFoldElements;
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(x);
    est.removeIfDead(y);
    est.addBinary(kindOf<OpT>(), x.getWeight(), y.getWeight(), limit);
    SmallVector<Type> operands = {x.getInput().getType(),
                                  x.getWeight().getType()};
    Value xb = x.getBias(), yb = y.getBias();
    if (xb && yb)
      est.addBinary(kindOf<OpT>(), xb, yb, limit);
    if (xb || yb) {
      operands.push_back(xb ? xb.getType() : yb.getType());
      if (!xb && !std::is_same_v<OpT, AddOp>)
        est.addUnary(NegOp::getOperationName(), yb.getType());
    }
    est.add(ConvOp::getOperationName(), operands, {op.getType()});
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto [x, y] = *parts(op);
    int64_t limit = this->getOptions().maxFoldElements;
    Location loc = op.getLoc();
    Value w = createBinary(rewriter, loc, kindOf<OpT>(), x.getWeight(),
                           y.getWeight(), limit);
    Value xb = x.getBias(), yb = y.getBias(), bias;
    if (xb && yb)
      bias = createBinary(rewriter, loc, kindOf<OpT>(), xb, yb, limit);
    else if (xb)
      bias = xb;
    else if (yb)
      bias = std::is_same_v<OpT, AddOp>
                 ? yb
                 : createBinary(
                       rewriter, loc, BinaryKind::Sub,
                       createSplat(rewriter, loc,
                                   cast<RankedTensorType>(yb.getType()), 0.0),
                       yb, limit);
    rewriter.replaceOpWithNewOp<ConvOp>(
        op, op.getType(), x.getInput(), w, bias, x.getStridesAttr(),
        x.getPadsAttr(), x.getDilationsAttr(), x.getGroupAttr(), nullptr);
  }
};

} // namespace

void dnnf::populateDistributiveRules(AlgebraicRuleList &rules,
                                     MLIRContext *ctx,
                                     const AlgebraicRuleOptions &o) {
  auto add = [&](auto rule) { rules.push_back(std::move(rule)); };
  add(std::make_unique<FactorCommon<AddOp>>(false, ctx, o));
  add(std::make_unique<FactorCommon<SubOp>>(false, ctx, o));
  add(std::make_unique<FactorCommon<AddOp>>(true, ctx, o));
  add(std::make_unique<FactorCommon<SubOp>>(true, ctx, o));
  add(std::make_unique<FactorCommonDiv<AddOp>>(ctx, o));
  add(std::make_unique<FactorCommonDiv<SubOp>>(ctx, o));
  add(std::make_unique<ExpandAffineMul>(ctx, o));
  add(std::make_unique<ExpandAffineAdd>(ctx, o));
  add(std::make_unique<FactorCommonMatMul<AddOp>>(ctx, o));
  add(std::make_unique<FactorCommonMatMul<SubOp>>(ctx, o));
  add(std::make_unique<FactorCommonConv<AddOp>>(ctx, o));
  add(std::make_unique<FactorCommonConv<SubOp>>(ctx, o));
}
