//===- AlgebraicRules.h - DNNFusion algebraic rewrite rules -----*- C++ -*-===//
//
// The rule library of `--dnnf-algebraic-simplify`.  Every rule is a
// RewritePattern (usable with any pattern driver) that additionally exposes
//
//   * `match(op)`: checks the rule's preconditions at `op` without touching
//     the IR and estimates what applying it saves (FLOPs, then bytes moved),
//     priced with the cost model (dnnf/Analysis/CostModel.h);
//   * `rewrite(op, rewriter)`: performs the rewrite that `match` priced;
//
// so that the DNNFusion driver can enumerate every candidate of a partition
// and apply the one with the largest saving.
//
// Numerical contract: by default a rule may change results only by float
// reassociation error (a different rounding order, or a different point at
// which an intermediate overflows or underflows).  A rule that can change
// results by more (NaN <-> number, x/x at 0, log/exp round trips...) is
// fast-math: it is only registered when `fastMath` is set, or it fires by
// default only under a precondition that it documents (for example a proof
// that an operand is non-negative).  Integer and bool tensors are never
// rewritten by float identities; the integer rules they get (reassociation,
// x*1, neg(neg(x))...) are exact in two's complement.
//
//===----------------------------------------------------------------------===//

#ifndef DNNF_TRANSFORMS_ALGEBRAICRULES_H
#define DNNF_TRANSFORMS_ALGEBRAICRULES_H

#include "dnnf/IR/DnnfOps.h"
#include "mlir/IR/PatternMatch.h"

#include <memory>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

namespace mlir {
namespace dnnf {

/// The rule families that can be switched on and off.  The first three are
/// DNNFusion's; `Identity` holds identities and normalisations (x*1, double
/// transposes, x-c -> x+(-c), ...); `Fold` folds constants into Conv, Gemm,
/// MatMul and BatchNormalization parameters.
enum class RuleFamily { Associative, Distributive, Commutative, Identity, Fold };

StringRef stringifyRuleFamily(RuleFamily family);

/// What a rewrite saves: operations first, bytes moved second (negative
/// when it costs more).  Ordered lexicographically.
struct Saving {
  int64_t flops = 0;
  int64_t bytes = 0;

  bool operator<(const Saving &other) const {
    return std::tie(flops, bytes) < std::tie(other.flops, other.bytes);
  }
  bool operator==(const Saving &other) const {
    return flops == other.flops && bytes == other.bytes;
  }
  /// Saves operations, or saves bytes without costing operations.
  bool isPositive() const { return flops > 0 || (flops == 0 && bytes > 0); }
  /// Costs nothing.
  bool isNonNegative() const { return flops > 0 || (flops == 0 && bytes >= 0); }
};

struct AlgebraicRuleOptions {
  /// Register fast-math rules and drop the preconditions of conditionally
  /// fast-math ones.
  bool fastMath = false;
  /// The largest constant (in elements) a rule may compute at compile time.
  int64_t maxFoldElements = int64_t(1) << 24;
};

/// Base class of every rule.
class AlgebraicRule : public RewritePattern {
public:
  /// Checks the rule at `op` and estimates its saving; must not modify IR.
  virtual FailureOr<Saving> match(Operation *op) const = 0;

  /// Rewrites `op`.  Only called right after `match(op)` succeeded on the
  /// same IR; the insertion point is set before `op`.
  virtual void rewrite(Operation *op, PatternRewriter &rewriter) const = 0;

  /// RewritePattern entry point: `match`, then `rewrite`.
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const final;

  /// The rule's name (e.g. "factor-common-mul"), as used by the pass's
  /// `rules` and `disable-rules` options.
  StringRef getName() const { return getDebugName(); }
  RuleFamily getFamily() const { return family; }
  /// Registered only with fast-math.
  bool isFastMathOnly() const { return fastMathOnly; }
  /// A normalisation saves nothing by itself but brings the graph into a
  /// form other rules match; the driver applies it when a partition has
  /// nothing better.  Each one strictly decreases a documented measure, so
  /// normalisations cannot cycle.
  bool isNormalisation() const { return normalisation; }
  const AlgebraicRuleOptions &getOptions() const { return options; }

  struct Traits {
    bool fastMathOnly = false;
    bool normalisation = false;
  };

protected:

  AlgebraicRule(StringRef rootName, StringRef name, RuleFamily family,
                MLIRContext *context, const AlgebraicRuleOptions &options,
                Traits traits);

private:
  RuleFamily family;
  AlgebraicRuleOptions options;
  bool fastMathOnly;
  bool normalisation;
};

/// A rule rooted at `OpT`.
template <typename OpT>
class OpAlgebraicRule : public AlgebraicRule {
public:
  OpAlgebraicRule(StringRef name, RuleFamily family, MLIRContext *context,
                  const AlgebraicRuleOptions &options, Traits traits = {})
      : AlgebraicRule(OpT::getOperationName(), name, family, context, options,
                      traits) {}

  FailureOr<Saving> match(Operation *op) const final {
    auto typed = dyn_cast<OpT>(op);
    if (!typed)
      return failure();
    return matchOp(typed);
  }
  void rewrite(Operation *op, PatternRewriter &rewriter) const final {
    rewriteOp(cast<OpT>(op), rewriter);
  }

protected:
  virtual FailureOr<Saving> matchOp(OpT op) const = 0;
  virtual void rewriteOp(OpT op, PatternRewriter &rewriter) const = 0;
};

using AlgebraicRuleList = SmallVector<std::unique_ptr<AlgebraicRule>>;

/// Adds every rule of the library to `rules` (fast-math-only rules only
/// when `options.fastMath`).
void populateAlgebraicRules(AlgebraicRuleList &rules, MLIRContext *context,
                            const AlgebraicRuleOptions &options);

/// The same rules as plain patterns, for the greedy pattern driver.
void populateAlgebraicRulePatterns(RewritePatternSet &patterns,
                                   const AlgebraicRuleOptions &options);

/// A BatchNormalization with constant, finite parameters as the per-channel
/// affine map y = x * s + t (s = scale / sqrt(var + eps), t = bias - mean *
/// s), computed in double; nullopt when a parameter is not a constant, has
/// more than `maxElements` elements, or s or t is not finite.
std::optional<std::pair<std::vector<double>, std::vector<double>>>
batchNormAffine(BatchNormOp bn, int64_t maxElements);

/// The DNNFusion algebraic properties of an operation kind.
enum AlgebraicProperty : unsigned {
  NoProperty = 0,
  Associative = 1,
  Distributive = 2,
  Commutative = 4,
};

/// The properties of `op` (DNNFusion §3).  The driver cuts the graph at
/// operations that have none.
unsigned getAlgebraicProperties(Operation *op);

// Per-family population, one per source file.
void populateAssociativeRules(AlgebraicRuleList &rules, MLIRContext *context,
                              const AlgebraicRuleOptions &options);
void populateDistributiveRules(AlgebraicRuleList &rules, MLIRContext *context,
                               const AlgebraicRuleOptions &options);
void populateCommutativeRules(AlgebraicRuleList &rules, MLIRContext *context,
                              const AlgebraicRuleOptions &options);
void populateIdentityRules(AlgebraicRuleList &rules, MLIRContext *context,
                           const AlgebraicRuleOptions &options);
void populateFoldRules(AlgebraicRuleList &rules, MLIRContext *context,
                       const AlgebraicRuleOptions &options);

} // namespace dnnf
} // namespace mlir

#endif // DNNF_TRANSFORMS_ALGEBRAICRULES_H
