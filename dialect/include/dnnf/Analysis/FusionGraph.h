//===- FusionGraph.h - DNNFusion extended computational graph ---*- C++ -*-===//
//
// The Extended Computational Graph (ECG) of DNNFusion (§4): the dataflow
// graph of the dnnf kernels of one block, with, for every kernel, its mapping
// type, the size of its intermediate result, and whether that result is
// IR-removable (every consumer is fused with it).  It also holds the 5x5
// fusion table and the block assignment that the fusion planner builds.
//
// Constants (`dnnf.constant` and other constant-like ops) are not kernels:
// they are not nodes and never create edges, so they never block fusion.
//
//===----------------------------------------------------------------------===//

#ifndef DNNF_ANALYSIS_FUSIONGRAPH_H
#define DNNF_ANALYSIS_FUSIONGRAPH_H

#include "dnnf/IR/DnnfOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir {
namespace dnnf {

/// Verdict of one cell of the fusion table.
enum class FusionVerdict {
  /// ✓: always fuse.
  Fuse,
  /// ◐: fuse when profiling (or, without a profile, a static rule) says so.
  Profile,
  /// ✗: never fuse.
  Stop,
};

/// One cell of the table: the mapping type of the fused pair and a verdict.
struct FusionRule {
  MappingType result;
  FusionVerdict verdict;
};

/// The DNNFusion fusion table, `producer` row and `consumer` column.
FusionRule lookupFusionRule(MappingType producer, MappingType consumer);

/// Returns "fuse", "profile" or "stop".
StringRef stringifyFusionVerdict(FusionVerdict verdict);

/// Size in bytes of a statically shaped tensor (1 byte per i1 element);
/// std::nullopt for dynamic shapes, non-tensors or on overflow.
std::optional<int64_t> getTensorBytes(Type type);

/// True for ops that are not kernels: constant-like ops without operands.
bool isConstantLike(Operation *op);

/// A kernel of the graph: a non-constant dnnf op implementing
/// MappingOpInterface (a pre-existing `dnnf.fused` is a node too).
struct FusionNode {
  Operation *op = nullptr;
  /// Position in the block (a topological order of the nodes).
  unsigned index = 0;
  MappingType mapping = MappingType::OneToOne;
  /// Bytes of all results; INT64_MAX when unknown (dynamic shapes).
  int64_t resultBytes = 0;
  /// Producer and consumer kernels (deduplicated, in block order).
  SmallVector<unsigned> preds, succs;
  /// Some result is used by a non-kernel op (e.g. `func.return`).
  bool usedOutside = false;
  /// Every use of every result is inside the node's fusion block (set by
  /// updateRemovable(); false for unfused nodes).
  bool irRemovable = false;
};

/// The ECG of the kernels directly inside one block, plus a fusion plan
/// (a partition of the nodes into blocks, initially all unassigned).
class FusionGraph {
public:
  explicit FusionGraph(Block &block);

  ArrayRef<FusionNode> getNodes() const { return nodes; }
  const FusionNode &getNode(unsigned i) const { return nodes[i]; }
  unsigned size() const { return nodes.size(); }
  /// The node of `op`, if it is a kernel of this graph.
  std::optional<unsigned> lookup(Operation *op) const;

  //===--- Fusion plan -----------------------------------------------------===//

  static constexpr int kUnassigned = -1;
  int getGroup(unsigned node) const { return group[node]; }
  ArrayRef<unsigned> getMembers(int g) const { return members[g]; }
  unsigned getNumGroups() const { return members.size(); }
  MappingType getGroupMapping(int g) const { return groupMapping[g]; }
  void setGroupMapping(int g, MappingType type) { groupMapping[g] = type; }

  /// Starts a new group holding `node`; returns its id.
  int createGroup(unsigned node);
  /// Adds an unassigned `node` to group `g`.
  void addToGroup(unsigned node, int g);

  /// Whether adding `node` to group `g` keeps the plan a DAG: the quotient
  /// graph (every group contracted to one vertex) must stay acyclic, i.e.
  /// no path may leave the enlarged group and re-enter it, directly or
  /// through other groups.
  bool keepsAcyclic(int g, unsigned node) const;

  /// Number of distinct non-constant values that group `g` (plus `extra`,
  /// if given) reads from outside itself.
  unsigned countExternalInputs(int g, std::optional<unsigned> extra = {}) const;

  /// Recomputes every node's `irRemovable` flag from the current plan.
  void updateRemovable();

  /// Bytes of kernel results materialised between kernels: results read by
  /// another kernel (or another group) under the current plan, counting
  /// unassigned nodes as their own kernel.  With `unfused`, every node counts
  /// as its own kernel.
  int64_t materializedBytes(bool unfused) const;

private:
  SmallVector<FusionNode> nodes;
  DenseMap<Operation *, unsigned> nodeOf;
  SmallVector<int> group;
  SmallVector<SmallVector<unsigned>> members;
  SmallVector<MappingType> groupMapping;
};

} // namespace dnnf
} // namespace mlir

#endif // DNNF_ANALYSIS_FUSIONGRAPH_H
