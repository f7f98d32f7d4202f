//===- AlgebraicRules.cpp - rule interface, registry, properties ----------===//

#include "dnnf/Transforms/AlgebraicRules.h"
#include "dnnf/IR/DnnfOps.h"

using namespace mlir;
using namespace mlir::dnnf;

StringRef dnnf::stringifyRuleFamily(RuleFamily family) {
  switch (family) {
  case RuleFamily::Associative:
    return "associative";
  case RuleFamily::Distributive:
    return "distributive";
  case RuleFamily::Commutative:
    return "commutative";
  case RuleFamily::Identity:
    return "identity";
  case RuleFamily::Fold:
    return "fold";
  }
  return "unknown";
}

AlgebraicRule::AlgebraicRule(StringRef rootName, StringRef name,
                             RuleFamily family, MLIRContext *context,
                             const AlgebraicRuleOptions &options,
                             Traits traits)
    : RewritePattern(rootName, PatternBenefit(1), context), family(family),
      options(options), fastMathOnly(traits.fastMathOnly),
      normalisation(traits.normalisation) {
  setDebugName(name);
}

LogicalResult AlgebraicRule::matchAndRewrite(Operation *op,
                                             PatternRewriter &rewriter) const {
  FailureOr<Saving> saving = match(op);
  // Under a plain pattern driver a rule fires when it saves something (or
  // is a normalisation that costs nothing), as under the DNNFusion driver.
  if (failed(saving) ||
      !(saving->isPositive() ||
        (isNormalisation() && saving->isNonNegative())))
    return failure();
  rewriter.setInsertionPoint(op);
  rewrite(op, rewriter);
  return success();
}

void dnnf::populateAlgebraicRules(AlgebraicRuleList &rules,
                                  MLIRContext *context,
                                  const AlgebraicRuleOptions &options) {
  AlgebraicRuleList all;
  populateAssociativeRules(all, context, options);
  populateDistributiveRules(all, context, options);
  populateCommutativeRules(all, context, options);
  populateIdentityRules(all, context, options);
  populateFoldRules(all, context, options);
  for (std::unique_ptr<AlgebraicRule> &rule : all)
    if (options.fastMath || !rule->isFastMathOnly())
      rules.push_back(std::move(rule));
}

void dnnf::populateAlgebraicRulePatterns(RewritePatternSet &patterns,
                                         const AlgebraicRuleOptions &options) {
  AlgebraicRuleList rules;
  populateAlgebraicRules(rules, patterns.getContext(), options);
  for (std::unique_ptr<AlgebraicRule> &rule : rules)
    patterns.add(std::unique_ptr<RewritePattern>(std::move(rule)));
}

unsigned dnnf::getAlgebraicProperties(Operation *op) {
  // Associative and commutative binary ops (a op b = b op a, chains
  // regroup); multiplication also distributes over addition.
  if (isa<AddOp, MulOp>(op))
    return Associative | Distributive | Commutative;
  if (isa<MaxOp, MinOp, AndOp, OrOp, XorOp>(op))
    return Associative | Commutative;
  // Subtraction, division and negation distribute (a*(b-c), (a+b)/c,
  // -(a+b)); left shifts distribute over sums.
  if (isa<SubOp, DivOp, NegOp, BitShiftOp>(op))
    return Distributive | Commutative;
  // Unary functions that commute with products or sums (sqrt(ab) =
  // sqrt(a)sqrt(b), exp(a+b) = exp(a)exp(b), ...) and with reductions.
  if (isa<ReciprocalOp, SqrtOp, AbsOp, ExpOp, LogOp, PowOp, SignOp>(op))
    return Commutative;
  // Reductions regroup (nested reductions merge) and commute with
  // elementwise ops along the reduced axes; sums and means are linear.
  if (isa<ReduceSumOp, ReduceMeanOp>(op))
    return Associative | Distributive | Commutative;
  if (isa<ReduceProdOp, ReduceMaxOp, ReduceMinOp>(op))
    return Associative | Commutative;
  // Contractions are associative and linear; convolutions and inference
  // batch normalisation are linear (affine) in their data input.
  if (isa<MatMulOp, GemmOp>(op))
    return Associative | Distributive;
  if (isa<ConvOp, BatchNormOp>(op))
    return Distributive;
  // Pure data movement commutes with elementwise ops.
  if (isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp, TransposeOp,
          ExpandOp>(op))
    return Commutative;
  return NoProperty;
}
