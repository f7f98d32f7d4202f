//===- FusionGraph.cpp - DNNFusion extended computational graph -----------===//

#include "dnnf/Analysis/FusionGraph.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/MathExtras.h"

#include <limits>

using namespace mlir;
using namespace mlir::dnnf;

//===----------------------------------------------------------------------===//
// The fusion table
//===----------------------------------------------------------------------===//

static unsigned tableIndex(MappingType type) {
  switch (type) {
  case MappingType::OneToOne:
    return 0;
  case MappingType::OneToMany:
    return 1;
  case MappingType::ManyToMany:
    return 2;
  case MappingType::Reorganize:
    return 3;
  case MappingType::Shuffle:
    return 4;
  }
  return 2;
}

FusionRule dnnf::lookupFusionRule(MappingType producer, MappingType consumer) {
  using MT = MappingType;
  constexpr FusionVerdict Y = FusionVerdict::Fuse;
  constexpr FusionVerdict P = FusionVerdict::Profile;
  constexpr FusionVerdict N = FusionVerdict::Stop;
  constexpr MT O2O = MT::OneToOne, O2M = MT::OneToMany, M2M = MT::ManyToMany,
               RO = MT::Reorganize, SH = MT::Shuffle;
  // DNNFusion Table 3 (reference §2): rows are the first (producer) op,
  // columns the second (consumer), both in the order O2O, O2M, M2M, RO, SH.
  static const FusionRule table[5][5] = {
      /*O2O*/ {{O2O, Y}, {O2M, Y}, {M2M, Y}, {RO, Y}, {SH, Y}},
      /*O2M*/ {{O2M, Y}, {O2M, P}, {M2M, N}, {O2M, P}, {O2M, P}},
      /*M2M*/ {{M2M, Y}, {M2M, P}, {M2M, N}, {M2M, P}, {M2M, P}},
      /*RO */ {{RO, Y}, {O2M, P}, {M2M, P}, {RO, Y}, {RO, Y}},
      /*SH */ {{SH, Y}, {O2M, P}, {M2M, P}, {RO, Y}, {SH, Y}},
  };
  return table[tableIndex(producer)][tableIndex(consumer)];
}

StringRef dnnf::stringifyFusionVerdict(FusionVerdict verdict) {
  switch (verdict) {
  case FusionVerdict::Fuse:
    return "fuse";
  case FusionVerdict::Profile:
    return "profile";
  case FusionVerdict::Stop:
    return "stop";
  }
  return "stop";
}

//===----------------------------------------------------------------------===//
// Sizes
//===----------------------------------------------------------------------===//

std::optional<int64_t> dnnf::getTensorBytes(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape() ||
      !shaped.getElementType().isIntOrFloat())
    return std::nullopt;
  int64_t bits = shaped.getElementType().getIntOrFloatBitWidth();
  int64_t bytes = (bits + 7) / 8;
  for (int64_t dim : shaped.getShape()) {
    bool overflow = llvm::MulOverflow(bytes, dim, bytes);
    if (overflow)
      return std::nullopt;
  }
  return bytes;
}

bool dnnf::isConstantLike(Operation *op) {
  return op->getNumOperands() == 0 && op->hasTrait<OpTrait::ConstantLike>();
}

//===----------------------------------------------------------------------===//
// FusionGraph
//===----------------------------------------------------------------------===//

FusionGraph::FusionGraph(Block &block) {
  for (Operation &op : block) {
    if (!isa<MappingOpInterface>(op) || isConstantLike(&op))
      continue;
    FusionNode node;
    node.op = &op;
    node.index = nodes.size();
    node.mapping = cast<MappingOpInterface>(op).getMappingType();
    int64_t bytes = 0;
    for (Type type : op.getResultTypes()) {
      std::optional<int64_t> size = getTensorBytes(type);
      if (!size || llvm::AddOverflow(bytes, *size, bytes)) {
        bytes = std::numeric_limits<int64_t>::max();
        break;
      }
    }
    node.resultBytes = bytes;
    nodeOf[&op] = node.index;
    nodes.push_back(std::move(node));
  }
  for (FusionNode &node : nodes) {
    llvm::SetVector<unsigned> succs;
    for (Operation *user : node.op->getUsers()) {
      // Uses nested in other ops' regions count as uses by that op.
      Operation *ancestor = block.findAncestorOpInBlock(*user);
      std::optional<unsigned> s =
          ancestor ? lookup(ancestor) : std::optional<unsigned>();
      if (s && *s != node.index)
        succs.insert(*s);
      else
        node.usedOutside = true;
    }
    node.succs = succs.takeVector();
    llvm::sort(node.succs);
    for (unsigned s : node.succs)
      nodes[s].preds.push_back(node.index);
  }
  // Predecessors were appended in increasing producer order already.
  group.assign(nodes.size(), kUnassigned);
}

std::optional<unsigned> FusionGraph::lookup(Operation *op) const {
  auto it = nodeOf.find(op);
  if (it == nodeOf.end())
    return std::nullopt;
  return it->second;
}

int FusionGraph::createGroup(unsigned node) {
  int g = members.size();
  members.push_back({node});
  groupMapping.push_back(nodes[node].mapping);
  group[node] = g;
  return g;
}

void FusionGraph::addToGroup(unsigned node, int g) {
  group[node] = g;
  members[g].push_back(node);
}

bool FusionGraph::keepsAcyclic(int g, unsigned node) const {
  auto inCandidate = [&](unsigned n) {
    return n == node || (group[n] == g && g != kUnassigned);
  };
  // Depth-first search over the quotient graph from the candidate group's
  // outside successors; reaching the candidate again closes a cycle.
  // Entering a node of another group enters the whole group: all of its
  // members' successors become reachable.
  SmallVector<unsigned> stack;
  SmallVector<bool> seen(nodes.size(), false);
  SmallVector<bool> seenGroup(members.size(), false);
  auto push = [&](unsigned n) {
    if (!seen[n]) {
      seen[n] = true;
      stack.push_back(n);
    }
  };
  auto pushSuccsOutside = [&](unsigned n) {
    for (unsigned s : nodes[n].succs)
      if (!inCandidate(s))
        push(s);
  };
  pushSuccsOutside(node);
  if (g != kUnassigned)
    for (unsigned m : members[g])
      pushSuccsOutside(m);
  while (!stack.empty()) {
    unsigned n = stack.pop_back_val();
    int ng = group[n];
    if (ng != kUnassigned && !seenGroup[ng]) {
      seenGroup[ng] = true;
      for (unsigned m : members[ng])
        push(m);
    }
    for (unsigned s : nodes[n].succs) {
      if (inCandidate(s))
        return false;
      push(s);
    }
  }
  return true;
}

unsigned FusionGraph::countExternalInputs(int g,
                                          std::optional<unsigned> extra) const {
  llvm::SmallPtrSet<Operation *, 16> inside;
  SmallVector<unsigned> all(members[g].begin(), members[g].end());
  if (extra)
    all.push_back(*extra);
  for (unsigned n : all)
    inside.insert(nodes[n].op);
  llvm::SmallDenseSet<Value, 16> inputs;
  for (unsigned n : all)
    for (Value operand : nodes[n].op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (def && (inside.contains(def) || isConstantLike(def)))
        continue;
      inputs.insert(operand);
    }
  return inputs.size();
}

void FusionGraph::updateRemovable() {
  for (FusionNode &node : nodes) {
    int g = group[node.index];
    node.irRemovable = g != kUnassigned && !node.usedOutside &&
                       llvm::all_of(node.succs, [&](unsigned s) {
                         return group[s] == g;
                       });
  }
}

int64_t FusionGraph::materializedBytes(bool unfused) const {
  int64_t total = 0;
  for (const FusionNode &node : nodes) {
    auto sameKernel = [&](unsigned s) {
      if (unfused)
        return false;
      return group[node.index] != kUnassigned &&
             group[s] == group[node.index];
    };
    for (OpResult result : node.op->getResults()) {
      bool crosses = llvm::any_of(result.getUsers(), [&](Operation *user) {
        Operation *ancestor =
            node.op->getBlock()->findAncestorOpInBlock(*user);
        std::optional<unsigned> s =
            ancestor ? lookup(ancestor) : std::optional<unsigned>();
        return s && *s != node.index && !sameKernel(*s);
      });
      if (!crosses)
        continue;
      std::optional<int64_t> bytes = getTensorBytes(result.getType());
      if (!bytes || llvm::AddOverflow(total, *bytes, total))
        return std::numeric_limits<int64_t>::max();
    }
  }
  return total;
}
