//===- AlgebraicChainRule.h - rules on Add/Mul chains -----------*- C++ -*-===//
//
// A base for rules that look at the leaves of a maximal chain of one
// associative-commutative op (add or mul): find two leaves that combine
// into one cheaper leaf (abs(a)*abs(b) -> abs(a*b), exp(a)*exp(b) ->
// exp(a+b), ...), then rebuild the chain over the remaining leaves in the
// cheapest order (see planChain).  Regrouping the chain is float
// reassociation.
//
//===----------------------------------------------------------------------===//

#ifndef DNNF_LIB_TRANSFORMS_ALGEBRAICCHAINRULE_H
#define DNNF_LIB_TRANSFORMS_ALGEBRAICCHAINRULE_H

#include "AlgebraicUtils.h"

namespace mlir {
namespace dnnf {
namespace algebra {

/// Whether `op` is the top of its chain (its result does not feed a single
/// op of the same kind that would extend the chain).
inline bool isChainTop(Operation *op) {
  Value result = op->getResult(0);
  if (!result.hasOneUse())
    return true;
  Operation *user = *result.getUsers().begin();
  return user->getName() != op->getName() ||
         getElementTypeOrSelf(user->getResult(0).getType()) !=
             getElementTypeOrSelf(result.getType()) ||
         !staticType(result);
}

template <typename OpT>
struct ChainPairRule : OpAlgebraicRule<OpT> {
  using OpAlgebraicRule<OpT>::OpAlgebraicRule;
  static constexpr BinaryKind kind =
      std::is_same_v<OpT, AddOp> ? BinaryKind::Add : BinaryKind::Mul;

  /// Whether leaves `a` and `b` (in chain order) combine.
  virtual bool pairMatches(Value a, Value b) const = 0;
  /// The type of the combined leaf; null if it cannot be built.
  virtual RankedTensorType pairType(Value a, Value b) const = 0;
  /// An existing value the pair reduces to, if any (no new op).
  virtual Value pairValue(Value a, Value b) const { return {}; }
  /// Adds the cost of the ops built for the combined leaf.
  virtual void estimatePair(SavingEstimator &est, Value a, Value b) const = 0;
  /// Builds the combined leaf.
  virtual Value buildPair(OpBuilder &b, Location loc, Value x,
                          Value y) const = 0;
  /// Element types the rule applies to.
  virtual bool typeMatches(Value result) const {
    return isFloatTensor(result);
  }

  struct Match {
    Chain chain;
    unsigned first = 0, second = 0;
    SmallVector<ChainNode> nodes;
    ChainPlan plan;
  };

  std::optional<Match> findMatch(OpT op) const {
    if (!typeMatches(op.getResult()) || !staticType(op.getResult()) ||
        !isChainTop(op))
      return std::nullopt;
    Match m;
    m.chain = collectChain(op);
    ArrayRef<Value> leaves = m.chain.leaves;
    for (unsigned i = 0; i < leaves.size(); ++i) {
      for (unsigned j = i + 1; j < leaves.size(); ++j) {
        if (!staticType(leaves[i]) || !staticType(leaves[j]) ||
            !pairMatches(leaves[i], leaves[j]))
          continue;
        RankedTensorType type = pairType(leaves[i], leaves[j]);
        if (!type)
          continue;
        m.first = i;
        m.second = j;
        m.nodes.clear();
        for (unsigned k = 0; k < leaves.size(); ++k) {
          if (k == j)
            continue;
          if (k == i) {
            ChainNode node;
            node.type = type;
            node.value = pairValue(leaves[i], leaves[j]);
            node.constant = node.value && isConstant(node.value);
            m.nodes.push_back(node);
            continue;
          }
          m.nodes.push_back(ChainNode::of(leaves[k]));
        }
        std::optional<ChainPlan> plan =
            planChain(m.nodes, kind, this->getOptions().maxFoldElements);
        if (!plan || plan->resultType != op.getType())
          continue;
        m.plan = *plan;
        return m;
      }
    }
    return std::nullopt;
  }

  FailureOr<Saving> matchOp(OpT op) const override {
    std::optional<Match> m = findMatch(op);
    if (!m)
      return failure();
    SavingEstimator est;
    removeChain(est, m->chain);
    est.removeIfDead(m->chain.leaves[m->first]);
    est.removeIfDead(m->chain.leaves[m->second]);
    estimatePair(est, m->chain.leaves[m->first], m->chain.leaves[m->second]);
    addPlanCost(est, m->nodes, m->plan, kind,
                this->getOptions().maxFoldElements);
    return est.get();
  }

  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    Match m = *findMatch(op);
    Value a = m.chain.leaves[m.first], b = m.chain.leaves[m.second];
    Value combined = pairValue(a, b);
    if (!combined)
      combined = buildPair(rewriter, op.getLoc(), a, b);
    SmallVector<Value> values;
    for (unsigned k = 0; k < m.chain.leaves.size(); ++k) {
      if (k == m.second)
        continue;
      values.push_back(k == m.first ? combined : m.chain.leaves[k]);
    }
    rewriter.replaceOp(op, buildPlan(rewriter, op.getLoc(), values, m.plan,
                                     kind,
                                     this->getOptions().maxFoldElements));
  }
};

} // namespace algebra
} // namespace dnnf
} // namespace mlir

#endif // DNNF_LIB_TRANSFORMS_ALGEBRAICCHAINRULE_H
