//===- AlgebraicSimplify.cpp - the DNNFusion rewriting driver -------------===//
//
// Partitions the graph at ops without algebraic properties, applies in each
// partition the matching rule that saves the most (FLOPs, then bytes), and
// repeats to a fixed point.  The rules themselves live in
// AlgebraicRules*.cpp; nothing here knows about any particular rewrite.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Analysis/CostModel.h"
#include "dnnf/IR/DnnfOps.h"
#include "dnnf/Transforms/AlgebraicRules.h"
#include "dnnf/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/StringSet.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFALGEBRAICSIMPLIFY
#include "dnnf/Transforms/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;
using namespace mlir::dnnf;

namespace {

/// A rule that matches at an op, with its estimated saving.
struct Candidate {
  Operation *op = nullptr;
  const AlgebraicRule *rule = nullptr;
  Saving saving;
};

/// Records erased ops, so that candidates found earlier in a round are not
/// applied to ops that a previous rewrite removed, and the ops a round
/// touched, so that the next round only re-matches partitions that changed
/// (a partition whose ops are untouched has no match, as before).
struct ChangeListener : public RewriterBase::Listener {
  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint) override {
    dirty.insert(op);
  }
  void notifyOperationModified(Operation *op) override { dirty.insert(op); }
  void notifyOperationErased(Operation *op) override {
    erased.insert(op);
    // Its operands lose a use: single-use preconditions may now hold.
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        dirty.insert(def);
  }
  llvm::DenseSet<Operation *> erased;
  llvm::DenseSet<Operation *> dirty;
};

/// Whether `candidate` should replace `best` as a partition's choice.
/// Rules that save something always beat normalisations.
bool isBetter(const Candidate &candidate, const Candidate &best) {
  if (!best.rule)
    return true;
  bool candidatePositive = candidate.saving.isPositive();
  bool bestPositive = best.saving.isPositive();
  if (candidatePositive != bestPositive)
    return candidatePositive;
  return best.saving < candidate.saving;
}

bool isAcceptable(const AlgebraicRule &rule, const Saving &saving) {
  return saving.isPositive() ||
         (rule.isNormalisation() && saving.isNonNegative());
}

struct AlgebraicSimplifyPass
    : public dnnf::impl::DnnfAlgebraicSimplifyBase<AlgebraicSimplifyPass> {
  using DnnfAlgebraicSimplifyBase::DnnfAlgebraicSimplifyBase;

  void runOnOperation() override;

private:
  using RulesByRoot =
      llvm::DenseMap<OperationName, SmallVector<const AlgebraicRule *, 4>>;

  /// Moves the rules allowed by the options from `all` to `rules`; fails
  /// on unknown names.
  LogicalResult selectRules(AlgebraicRuleList &all, AlgebraicRuleList &rules);
  /// One candidate per partition of every block under the root; with
  /// `dirty`, only partitions containing a dirty op are matched.
  SmallVector<Candidate>
  findCandidates(const RulesByRoot &byRoot,
                 const llvm::DenseSet<Operation *> *dirty,
                 unsigned &numPartitionsFound);
  void countFired(RuleFamily family);
};

} // namespace

LogicalResult AlgebraicSimplifyPass::selectRules(AlgebraicRuleList &all,
                                                 AlgebraicRuleList &rules) {
  llvm::StringSet<> known;
  for (const std::unique_ptr<AlgebraicRule> &rule : all)
    known.insert(rule->getName());
  llvm::StringSet<> only, disabled;
  for (const std::string &name : onlyRules)
    only.insert(name);
  for (const std::string &name : disabledRules)
    disabled.insert(name);
  for (const llvm::StringSet<> *set : {&only, &disabled})
    for (const auto &entry : *set)
      if (!known.contains(entry.getKey()))
        return getOperation()->emitError()
               << "dnnf-algebraic-simplify: unknown rule '" << entry.getKey()
               << "'" << (fastMath ? "" : " (or a fast-math rule: set fast-math=true)");

  auto familyEnabled = [&](RuleFamily family) {
    switch (family) {
    case RuleFamily::Associative:
      return static_cast<bool>(associative);
    case RuleFamily::Distributive:
      return static_cast<bool>(distributive);
    case RuleFamily::Commutative:
      return static_cast<bool>(commutative);
    case RuleFamily::Identity:
      return static_cast<bool>(identities);
    case RuleFamily::Fold:
      return static_cast<bool>(foldConstants);
    }
    return false;
  };
  for (std::unique_ptr<AlgebraicRule> &rule : all) {
    if (!familyEnabled(rule->getFamily()))
      continue;
    if (!only.empty() && !only.contains(rule->getName()))
      continue;
    if (disabled.contains(rule->getName()))
      continue;
    rules.push_back(std::move(rule));
  }
  return success();
}

SmallVector<Candidate>
AlgebraicSimplifyPass::findCandidates(const RulesByRoot &byRoot,
                                      const llvm::DenseSet<Operation *> *dirty,
                                      unsigned &numPartitionsFound) {
  SmallVector<Candidate> candidates;
  numPartitionsFound = 0;
  getOperation()->walk([&](Block *block) {
    // Union-find over the block's ops that have an algebraic property,
    // joined by def-use edges between two such ops.
    llvm::EquivalenceClasses<Operation *> classes;
    SmallVector<Operation *> members;
    for (Operation &op : *block) {
      if (getAlgebraicProperties(&op) == NoProperty)
        continue;
      classes.insert(&op);
      members.push_back(&op);
      for (Value operand : op.getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (def && def->getBlock() == block &&
            getAlgebraicProperties(def) != NoProperty)
          classes.unionSets(def, &op);
      }
    }
    // Partitions that changed since the last round.
    llvm::DenseSet<Operation *> changed;
    if (dirty)
      for (Operation *op : members)
        if (dirty->contains(op))
          changed.insert(classes.getLeaderValue(op));
    // Best candidate per partition (keyed by its leader), in block order.
    llvm::DenseMap<Operation *, Candidate> best;
    SmallVector<Operation *> leaders;
    for (Operation *op : members) {
      Operation *leader = classes.getLeaderValue(op);
      if (!best.count(leader)) {
        best[leader] = Candidate();
        leaders.push_back(leader);
      }
      if (dirty && !changed.contains(leader))
        continue;
      auto it = byRoot.find(op->getName());
      if (it == byRoot.end())
        continue;
      for (const AlgebraicRule *rule : it->second) {
        FailureOr<Saving> saving = rule->match(op);
        if (failed(saving) || !isAcceptable(*rule, *saving))
          continue;
        Candidate candidate{op, rule, *saving};
        if (isBetter(candidate, best[leader]))
          best[leader] = candidate;
      }
    }
    numPartitionsFound += leaders.size();
    for (Operation *leader : leaders)
      if (best[leader].rule)
        candidates.push_back(best[leader]);
  });
  return candidates;
}

void AlgebraicSimplifyPass::countFired(RuleFamily family) {
  switch (family) {
  case RuleFamily::Associative:
    ++numAssociative;
    break;
  case RuleFamily::Distributive:
    ++numDistributive;
    break;
  case RuleFamily::Commutative:
    ++numCommutative;
    break;
  case RuleFamily::Identity:
    ++numIdentity;
    break;
  case RuleFamily::Fold:
    ++numFold;
    break;
  }
}

/// Erases the ops under `root` that became dead.
static void eraseDeadOps(Operation *root, RewriterBase &rewriter) {
  SmallVector<Operation *> dead;
  bool changed = true;
  while (changed) {
    changed = false;
    dead.clear();
    root->walk([&](Operation *op) {
      if (op != root && isOpTriviallyDead(op))
        dead.push_back(op);
    });
    // Users before producers.
    for (Operation *op : llvm::reverse(dead)) {
      if (!op->use_empty())
        continue;
      rewriter.eraseOp(op);
      changed = true;
    }
  }
}

void AlgebraicSimplifyPass::runOnOperation() {
  Operation *root = getOperation();
  MLIRContext *context = &getContext();
  if (maxFoldElements < 0) {
    root->emitError() << "dnnf-algebraic-simplify: max-fold-elements must be "
                         ">= 0, got "
                      << static_cast<int64_t>(maxFoldElements);
    return signalPassFailure();
  }
  AlgebraicRuleOptions options;
  options.fastMath = fastMath;
  options.maxFoldElements = maxFoldElements;
  AlgebraicRuleList all, rules;
  populateAlgebraicRules(all, context, options);
  if (failed(selectRules(all, rules)))
    return signalPassFailure();
  if (greedyDriver) {
    // The rules are plain RewritePatterns: any pattern driver can apply
    // them (each fires when it saves something, see matchAndRewrite).
    CostSummary before = summarizeCost(root);
    RewritePatternSet patterns(context);
    for (std::unique_ptr<AlgebraicRule> &rule : rules)
      patterns.add(std::unique_ptr<RewritePattern>(std::move(rule)));
    if (failed(applyPatternsGreedily(root, std::move(patterns)))) {
      root->emitError() << "dnnf-algebraic-simplify: the greedy driver did "
                           "not converge";
      return signalPassFailure();
    }
    CostSummary after = summarizeCost(root);
    if (emitRemarks)
      root->emitRemark() << "dnnf-algebraic-simplify: FLOPs "
                         << before.total.flops << " -> " << after.total.flops
                         << ", bytes " << before.total.bytes() << " -> "
                         << after.total.bytes() << ", ops " << before.numOps
                         << " -> " << after.numOps;
    return;
  }

  RulesByRoot byRoot;
  for (const std::unique_ptr<AlgebraicRule> &rule : rules)
    if (std::optional<OperationName> rootKind = rule->getRootKind())
      byRoot[*rootKind].push_back(rule.get());

  CostSummary before = summarizeCost(root);

  ChangeListener listener;
  PatternRewriter rewriter(context);
  rewriter.setListener(&listener);
  llvm::DenseSet<Operation *> dirty;
  for (unsigned round = 0; round < maxIterations; ++round) {
    unsigned partitions = 0;
    SmallVector<Candidate> candidates =
        findCandidates(byRoot, round == 0 ? nullptr : &dirty, partitions);
    if (round == 0)
      numPartitions += partitions;
    // Rules may look through ops outside their partition (a sign proof
    // through a relu...): confirm the fixed point with a full scan.
    if (candidates.empty() && round != 0)
      candidates = findCandidates(byRoot, nullptr, partitions);
    if (candidates.empty())
      break;
    ++numRounds;
    listener.erased.clear();
    listener.dirty.clear();
    bool applied = false;
    for (const Candidate &candidate : candidates) {
      if (listener.erased.contains(candidate.op))
        continue;
      // Re-check: an earlier rewrite of this round may have changed uses.
      FailureOr<Saving> saving = candidate.rule->match(candidate.op);
      if (failed(saving) || !isAcceptable(*candidate.rule, *saving))
        continue;
      if (emitRemarks)
        candidate.op->emitRemark()
            << "dnnf-algebraic-simplify: " << candidate.rule->getName() << " ("
            << stringifyRuleFamily(candidate.rule->getFamily())
            << "), saves " << saving->flops << " FLOPs and " << saving->bytes
            << " bytes";
      rewriter.setInsertionPoint(candidate.op);
      candidate.rule->rewrite(candidate.op, rewriter);
      countFired(candidate.rule->getFamily());
      applied = true;
    }
    eraseDeadOps(root, rewriter);
    if (!applied)
      break;
    // Erased ops may be in the set; they belong to no partition any more.
    dirty = std::move(listener.dirty);
    listener.dirty = {};
  }
  eraseDeadOps(root, rewriter);

  CostSummary after = summarizeCost(root);
  auto millions = [](int64_t v) { return (v + 500000) / 1000000; };
  flopsBefore += millions(before.total.flops);
  flopsAfter += millions(after.total.flops);
  bytesBefore += millions(before.total.bytes());
  bytesAfter += millions(after.total.bytes());
  opsBefore += before.numOps;
  opsAfter += after.numOps;
  if (emitRemarks)
    root->emitRemark() << "dnnf-algebraic-simplify: FLOPs "
                       << before.total.flops << " -> " << after.total.flops
                       << ", bytes " << before.total.bytes() << " -> "
                       << after.total.bytes() << ", ops " << before.numOps
                       << " -> " << after.numOps;
}
