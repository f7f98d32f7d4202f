//===- Fuse.cpp - DNNFusion fusion planning -------------------------------===//
//
// Plans fusion blocks on the extended computational graph (FusionGraph) with
// DNNFusion's greedy algorithm, or with a TVM/onnxruntime-like fixed-pattern
// strategy, and wraps every block of two or more ops in a `dnnf.fused`.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Analysis/FusionGraph.h"
#include "dnnf/Analysis/ProfileDatabase.h"
#include "dnnf/IR/DnnfOps.h"
#include "dnnf/Transforms/Passes.h"

#include "mlir/Analysis/TopologicalSortUtils.h"
#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/IRMapping.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"
#include "llvm/TargetParser/Host.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFFUSE
#include "dnnf/Transforms/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;
using namespace mlir::dnnf;

namespace {

enum class ProfileRule { Static, Fuse, Stop };

bool isCopy(MappingType type) {
  return type == MappingType::Reorganize || type == MappingType::Shuffle;
}

std::optional<int64_t> numElements(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return std::nullopt;
  return shaped.getNumElements();
}

/// Elementwise or broadcasting arithmetic, as TVM's "elemwise/broadcast"
/// and onnxruntime's activation/binary fusions understand it: one result,
/// one_to_one or one_to_many, and not a data-movement op.
bool isElementwise(const FusionNode &node) {
  Operation *op = node.op;
  if (op->getNumResults() != 1 || isa<FusedOp>(op))
    return false;
  if (node.mapping != MappingType::OneToOne &&
      node.mapping != MappingType::OneToMany)
    return false;
  return !isa<ExpandOp, TileOp, GatherOp, ResizeOp, PadOp, ConcatOp, SliceOp,
              SplitOp>(op);
}

/// Ops lowered to tiled matmuls (a convolution, also depthwise, counts).
bool isContraction(Operation *op) {
  return isa<MatMulOp, GemmOp, EinsumOp, ConvOp, ConvTransposeOp>(op);
}

/// A MaxPool or AveragePool over two spatial dimensions with no padding,
/// every window inside its input (no ceil-mode extra row or column): a
/// convolution tile of whole rows then holds every input row the pool's
/// tile reads, and no padding value enters the window.
bool isUnpaddedPool(Operation *op) {
  auto check = [](auto pool, ArrayRef<int64_t> dilations) {
    ArrayRef<int64_t> kernel = pool.getKernelShape();
    RankedTensorType in = pool.getInput().getType();
    RankedTensorType out = pool.getOutput().getType();
    if (kernel.size() != 2 || !in.hasStaticShape() || !out.hasStaticShape() ||
        llvm::any_of(pool.getPads(), [](int64_t p) { return p != 0; }))
      return false;
    for (unsigned i = 0; i < 2; ++i)
      if ((out.getDimSize(2 + i) - 1) * pool.getStrides()[i] +
              (kernel[i] - 1) * (dilations.size() == 2 ? dilations[i] : 1) + 1 >
          in.getDimSize(2 + i))
        return false;
    return true;
  };
  if (auto pool = dyn_cast<MaxPoolOp>(op))
    return check(pool, pool.getDilations());
  if (auto pool = dyn_cast<AveragePoolOp>(op))
    return check(pool, {});
  return false;
}

/// Whether consecutive windows of the pool `op` share input rows (a 3x3
/// stride-2 pool: window extent above the stride).
bool windowsOverlap(Operation *op) {
  auto overlap = [](auto pool, int64_t dilation) {
    return (pool.getKernelShape()[0] - 1) * dilation + 1 > pool.getStrides()[0];
  };
  if (auto pool = dyn_cast<MaxPoolOp>(op))
    return overlap(
        pool, pool.getDilations().size() == 2 ? pool.getDilations()[0] : 1);
  if (auto pool = dyn_cast<AveragePoolOp>(op))
    return overlap(pool, 1);
  return false;
}

/// How ops of one block (in block order) meet the rest of it: the
/// non-constant values they read from outside, the constant-like ops they
/// read (cloned, never passed in), and their results used outside.
struct OpsBoundary {
  explicit OpsBoundary(ArrayRef<Operation *> ops);
  /// Whether `user` is one of the ops, or nested in one.
  bool contains(Operation *user) const {
    Operation *ancestor = block->findAncestorOpInBlock(*user);
    return ancestor && inside.contains(ancestor);
  }

  Block *block;
  llvm::SmallPtrSet<Operation *, 16> inside;
  llvm::SetVector<Value> inputs;
  llvm::SetVector<Operation *> constants;
  SmallVector<Value> outputs;
};

OpsBoundary::OpsBoundary(ArrayRef<Operation *> ops)
    : block(ops.front()->getBlock()), inside(ops.begin(), ops.end()) {
  for (Operation *op : ops) {
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (def && inside.contains(def))
        continue;
      if (def && isConstantLike(def))
        constants.insert(def);
      else
        inputs.insert(operand);
    }
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(),
                       [&](Operation *user) { return !contains(user); }))
        outputs.push_back(result);
  }
}

FusedOp buildFusedOp(ArrayRef<Operation *> ops, MappingType mapping);

/// Where ◐ cells get measurements: a profiling database (or none), the CPU
/// and thread count its entries must match, and the directory that receives
/// a request for every candidate it lacks (none: empty).
struct ProfileSource {
  const ProfileDatabase *db = nullptr;
  std::string cpu;
  int64_t threads = 1;
  double tolerance = 0;
  std::string requestDir;
  /// Keys requested so far by this pass run.
  llvm::StringSet<> requested;

  bool active() const { return db || !requestDir.empty(); }
};

/// A ◐ candidate, block B plus op X, as two standalone modules whose @main
/// takes the values B+X reads from outside and returns those it defines for
/// outside: `fused` computes B+X as one dnnf.fused, `unfused` as B's
/// dnnf.fused and X alone (two kernels).
struct ProfileCandidate {
  std::string key;
  /// The op names, B's then X's with its result type, e.g.
  /// "dnnf.reduce_mean + dnnf.mul -> tensor<1x8x4x4xf32>".
  std::string ops;
  OwningOpRef<ModuleOp> fused, unfused;
};

/// Builds one fusion plan on a FusionGraph.
class Planner {
public:
  Planner(FusionGraph &graph, ProfileRule rule, unsigned maxOps,
          unsigned maxInputs, bool anchorEpilogues, bool poolEpilogues,
          bool emitRemarks, ProfileSource &profile)
      : graph(graph), rule(rule), maxOps(maxOps), maxInputs(maxInputs),
        anchorEpilogues(anchorEpilogues), poolEpilogues(poolEpilogues),
        emitRemarks(emitRemarks), profile(profile) {
    if (anchorEpilogues)
      findAnchors();
  }

  void planDnnFusion();
  void planFixedPattern();

  unsigned numProfileFused = 0, numProfileStopped = 0;
  unsigned numProfileMeasured = 0, numProfileMissing = 0;
  unsigned numPoolEpilogues = 0;
  /// A profiling request could not be written (reported).
  bool failedRequest = false;

private:
  /// Order in which seeds are taken: smallest result first, then earliest.
  SmallVector<unsigned> seedOrder() const;
  /// Pre-existing dnnf.fused ops are kernels of their own.
  void placeExistingBlocks();
  /// Grows group `g` through successors, then through predecessors.
  void grow(int g);
  /// Tries to add the unassigned `node` to group `g`, `node` being a
  /// consumer (successor) of the group or a producer (predecessor) of it.
  bool tryJoin(int g, unsigned node, bool nodeIsConsumer);
  /// The static decision for a ◐ cell; `why` receives the reason.
  bool decideProfile(int g, unsigned node, bool nodeIsConsumer,
                     MappingType producer, MappingType consumer,
                     StringRef &why) const;
  bool fitsConstraints(int g, unsigned node) const {
    return graph.getMembers(g).size() < maxOps &&
           graph.countExternalInputs(g, node) <= maxInputs;
  }
  /// Decides the ◐ cell between group `g` and `node` (fuse or stop) by the
  /// profiling database, else by `rule`; reports it with emit-remarks.
  bool decideProfileCell(int g, unsigned node, bool nodeIsConsumer,
                         MappingType producer, MappingType consumer,
                         MappingType fusedType);
  /// The candidate "group `g` plus `node`"; failure when it cannot run on
  /// its own (an input that is not a statically shaped tensor).
  FailureOr<ProfileCandidate> buildCandidate(int g, unsigned node,
                                             MappingType fusedType) const;
  /// Writes `candidate` into the request directory (once per key).
  LogicalResult writeRequest(const ProfileCandidate &candidate,
                             MappingType producer, MappingType consumer);
  /// anchor-epilogues: the contraction whose epilogue chain each node ends,
  /// if any.
  void findAnchors();
  /// pool-epilogues: the convolution that the unpadded pool `pool` reads
  /// through a chain of elementwise ops (each the sole user of the value
  /// before it), or none; `chain` receives the elementwise ops.
  std::optional<unsigned> pooledConv(unsigned pool,
                                     SmallVectorImpl<unsigned> &chain) const;
  /// pool-epilogues: the pool, if `node` joining `g` completes a block
  /// holding one convolution -> elementwise chain -> unpadded pool and no
  /// other many_to_many op, an exception to the M2M -> M2M stop.
  std::optional<unsigned> joinsPoolEpilogue(int g, unsigned node,
                                            bool nodeIsConsumer) const;
  /// anchor-epilogues: whether joining would put an elementwise op on a
  /// contraction's input, or take an epilogue away from its contraction.
  bool breaksAnchor(int g, unsigned node, bool nodeIsConsumer) const;

  FusionGraph &graph;
  ProfileRule rule;
  unsigned maxOps, maxInputs;
  bool anchorEpilogues;
  bool poolEpilogues;
  bool emitRemarks;
  ProfileSource &profile;
  /// Per node: its contraction anchor, or -1.
  SmallVector<int> anchor;
};

void Planner::findAnchors() {
  anchor.assign(graph.size(), -1);
  // Nodes are in block order, so a producer's anchor is known first.
  for (const FusionNode &node : graph.getNodes()) {
    // A pool epilogue waits for its convolution too.
    SmallVector<unsigned> chain;
    if (poolEpilogues)
      if (std::optional<unsigned> conv = pooledConv(node.index, chain)) {
        anchor[node.index] = *conv;
        continue;
      }
    if (!isElementwise(node))
      continue;
    for (unsigned p : node.preds) {
      const FusionNode &pred = graph.getNode(p);
      if (pred.usedOutside || pred.succs.size() != 1)
        continue;
      int a = isContraction(pred.op) ? int(p) : anchor[p];
      if (a >= 0) {
        anchor[node.index] = a;
        break;
      }
    }
  }
}

bool Planner::breaksAnchor(int g, unsigned node, bool nodeIsConsumer) const {
  int a = anchor[node];
  if (a >= 0 && graph.getGroup(a) != g)
    return true;
  const FusionNode &n = graph.getNode(node);
  if (nodeIsConsumer && isContraction(n.op))
    return llvm::any_of(n.preds, [&](unsigned p) {
      return graph.getGroup(p) == g && isElementwise(graph.getNode(p));
    });
  if (!nodeIsConsumer && isElementwise(n))
    return llvm::any_of(n.succs, [&](unsigned c) {
      return graph.getGroup(c) == g && isContraction(graph.getNode(c).op);
    });
  return false;
}

std::optional<unsigned>
Planner::pooledConv(unsigned pool, SmallVectorImpl<unsigned> &chain) const {
  Operation *op = graph.getNode(pool).op;
  if (!isUnpaddedPool(op))
    return std::nullopt;
  Value v = op->getOperand(0);
  while (true) {
    Operation *def = v.getDefiningOp();
    std::optional<unsigned> n = def ? graph.lookup(def) : std::nullopt;
    if (!n || !v.hasOneUse() || graph.getNode(*n).usedOutside)
      return std::nullopt;
    if (isa<ConvOp>(def))
      return n;
    if (!isElementwise(graph.getNode(*n)))
      return std::nullopt;
    chain.push_back(*n);
    // The chain goes on through the op's one operand that is not constant.
    Value next;
    for (Value operand : def->getOperands()) {
      Operation *d = operand.getDefiningOp();
      if (d && isConstantLike(d))
        continue;
      if (next)
        return std::nullopt;
      next = operand;
    }
    if (!next)
      return std::nullopt;
    v = next;
  }
}

std::optional<unsigned> Planner::joinsPoolEpilogue(int g, unsigned node,
                                                   bool nodeIsConsumer) const {
  auto isM2M = [&](unsigned n) {
    return graph.getNode(n).mapping == MappingType::ManyToMany;
  };
  // The block's one many_to_many member: the other end of the chain.
  std::optional<unsigned> other;
  for (unsigned m : graph.getMembers(g)) {
    if (!isM2M(m))
      continue;
    if (other)
      return std::nullopt;
    other = m;
  }
  if (!other)
    return std::nullopt;
  unsigned pool = nodeIsConsumer ? node : *other;
  unsigned conv = nodeIsConsumer ? *other : node;
  SmallVector<unsigned> chain;
  if (pooledConv(pool, chain) != conv ||
      !llvm::all_of(chain, [&](unsigned c) { return graph.getGroup(c) == g; }))
    return std::nullopt;
  return pool;
}

SmallVector<unsigned> Planner::seedOrder() const {
  SmallVector<unsigned> order(graph.size());
  for (unsigned i = 0, e = graph.size(); i < e; ++i)
    order[i] = i;
  llvm::stable_sort(order, [&](unsigned a, unsigned b) {
    return graph.getNode(a).resultBytes < graph.getNode(b).resultBytes;
  });
  return order;
}

void Planner::placeExistingBlocks() {
  for (const FusionNode &node : graph.getNodes())
    if (isa<FusedOp>(node.op))
      graph.createGroup(node.index);
}

void Planner::planDnnFusion() {
  placeExistingBlocks();
  SmallVector<unsigned> order = seedOrder();
  // Seeds: unfused one_to_one ops first, then whatever is left unfused;
  // with anchor-epilogues, epilogues wait for their contraction to seed.
  for (int round = 0; round < 3; ++round)
    for (unsigned n : order) {
      if (graph.getGroup(n) != FusionGraph::kUnassigned)
        continue;
      if (round == 0 && graph.getNode(n).mapping != MappingType::OneToOne)
        continue;
      if (round < 2 && anchorEpilogues && anchor[n] >= 0)
        continue;
      grow(graph.createGroup(n));
    }
}

void Planner::grow(int g) {
  // Successors, recursively: every member's successors, members included as
  // they join.
  for (unsigned i = 0; i < graph.getMembers(g).size(); ++i) {
    unsigned m = graph.getMembers(g)[i];
    for (unsigned s : graph.getNode(m).succs)
      tryJoin(g, s, /*nodeIsConsumer=*/true);
  }
  // Then predecessors, recursively, over every member.
  for (unsigned i = 0; i < graph.getMembers(g).size(); ++i) {
    unsigned m = graph.getMembers(g)[i];
    for (unsigned p : graph.getNode(m).preds)
      tryJoin(g, p, /*nodeIsConsumer=*/false);
  }
}

bool Planner::tryJoin(int g, unsigned node, bool nodeIsConsumer) {
  if (graph.getGroup(node) != FusionGraph::kUnassigned)
    return false;
  MappingType blockType = graph.getGroupMapping(g);
  MappingType nodeType = graph.getNode(node).mapping;
  MappingType producer = nodeIsConsumer ? blockType : nodeType;
  MappingType consumer = nodeIsConsumer ? nodeType : blockType;
  FusionRule cell = lookupFusionRule(producer, consumer);
  bool poolEpilogue = false;
  if (cell.verdict == FusionVerdict::Stop) {
    std::optional<unsigned> pool =
        poolEpilogues ? joinsPoolEpilogue(g, node, nodeIsConsumer)
                      : std::nullopt;
    if (!pool)
      return false;
    poolEpilogue = true;
    // Windows overlapping along the rows make the fused code recompute the
    // convolution rows two row tasks share: a ◐ cell.
    cell = {MappingType::ManyToMany, windowsOverlap(graph.getNode(*pool).op)
                                         ? FusionVerdict::Profile
                                         : FusionVerdict::Fuse};
  }
  if (!fitsConstraints(g, node) || !graph.keepsAcyclic(g, node))
    return false;
  if (anchorEpilogues && breaksAnchor(g, node, nodeIsConsumer))
    return false;
  if (cell.verdict == FusionVerdict::Profile &&
      !decideProfileCell(g, node, nodeIsConsumer, producer, consumer,
                         cell.result))
    return false;
  graph.addToGroup(node, g);
  graph.setGroupMapping(g, cell.result);
  if (poolEpilogue) {
    ++numPoolEpilogues;
    if (emitRemarks)
      graph.getNode(node).op->emitRemark()
          << "pool epilogue: the convolution, its elementwise chain and the "
             "unpadded pool form one block (exception to many_to_many -> "
             "many_to_many)";
  }
  return true;
}

bool Planner::decideProfileCell(int g, unsigned node, bool nodeIsConsumer,
                                MappingType producer, MappingType consumer,
                                MappingType fusedType) {
  // The measurement, if the database has one.
  std::optional<ProfileEntry> measured;
  std::string key, missing = "no profiling database";
  if (profile.active()) {
    FailureOr<ProfileCandidate> candidate = buildCandidate(g, node, fusedType);
    if (failed(candidate)) {
      missing = "the candidate has an input without a static tensor shape, "
                "so it cannot be measured";
    } else {
      key = candidate->key;
      if (profile.db)
        measured = profile.db->lookup(profile.cpu, profile.threads, key);
      if (!measured) {
        missing = "no entry for key " + key + " (cpu " + profile.cpu + ", " +
                  std::to_string(profile.threads) +
                  " threads) in the profiling database";
        ++numProfileMissing;
        if (!profile.requestDir.empty() &&
            failed(writeRequest(*candidate, producer, consumer)))
          failedRequest = true;
      }
    }
  }
  bool fuse;
  StringRef why;
  if (measured) {
    fuse = measured->fuses(profile.tolerance);
    ++numProfileMeasured;
  } else {
    fuse = decideProfile(g, node, nodeIsConsumer, producer, consumer, why);
  }
  ++(fuse ? numProfileFused : numProfileStopped);
  if (!emitRemarks)
    return fuse;
  InFlightDiagnostic remark =
      graph.getNode(node).op->emitRemark()
      << "profile cell " << stringifyMappingType(producer) << " -> "
      << stringifyMappingType(consumer) << " decided by ";
  if (measured)
    remark << "the profiling database: " << (fuse ? "fuse" : "stop")
           << ", fused " << llvm::formatv("{0:f2}", measured->fusedUs).str()
           << " us vs unfused "
           << llvm::formatv("{0:f2}", measured->unfusedUs).str() << " us (key "
           << key << ")";
  else
    remark << (rule == ProfileRule::Static ? "the static rule" : "profile-rule")
           << " (" << missing << "): " << (fuse ? "fuse" : "stop") << ", "
           << why;
  return fuse;
}

/// Clones `ops` (one block, block order) into the body of a public
/// func.func @main in a new module: values defined outside `ops` become
/// arguments (constants are cloned instead), and the results used outside
/// `ops` are returned.  `clones` receives the clones in order.  Fails when
/// an argument or result is not a statically shaped tensor.
FailureOr<OwningOpRef<ModuleOp>>
extractOps(ArrayRef<Operation *> ops, SmallVectorImpl<Operation *> &clones) {
  OpsBoundary boundary(ops);
  ArrayRef<Value> inputs = boundary.inputs.getArrayRef();
  SmallVector<Value> outputs = boundary.outputs;
  auto isStaticTensor = [](Value value) {
    auto tensor = dyn_cast<RankedTensorType>(value.getType());
    return tensor && tensor.hasStaticShape();
  };
  if (!llvm::all_of(inputs, isStaticTensor) ||
      !llvm::all_of(outputs, isStaticTensor))
    return failure();
  if (outputs.empty())
    llvm::append_range(outputs, ops.back()->getResults());

  MLIRContext *ctx = ops.front()->getContext();
  Location loc = UnknownLoc::get(ctx);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  OpBuilder b = OpBuilder::atBlockEnd(module->getBody());
  auto func =
      func::FuncOp::create(b, loc, "main",
                           b.getFunctionType(ValueRange(inputs).getTypes(),
                                             ValueRange(outputs).getTypes()));
  Block *body = func.addEntryBlock();
  IRMapping map;
  for (auto [input, arg] : llvm::zip(inputs, body->getArguments()))
    map.map(input, arg);
  b.setInsertionPointToEnd(body);
  for (Operation *op : ops) {
    // Each constant is cloned before its first reader.
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp();
          def && !map.contains(operand) && boundary.constants.contains(def))
        b.clone(*def, map);
    clones.push_back(b.clone(*op, map));
  }
  SmallVector<Value> results;
  for (Value v : outputs)
    results.push_back(map.lookup(v));
  func::ReturnOp::create(b, loc, results);
  return module;
}

FailureOr<ProfileCandidate>
Planner::buildCandidate(int g, unsigned node, MappingType fusedType) const {
  SmallVector<unsigned> members(graph.getMembers(g));
  members.push_back(node);
  llvm::sort(members);
  SmallVector<Operation *> ops;
  for (unsigned m : members)
    ops.push_back(graph.getNode(m).op);
  unsigned split = llvm::find(members, node) - members.begin();

  ProfileCandidate candidate;
  SmallVector<Operation *> clones;
  FailureOr<OwningOpRef<ModuleOp>> fused = extractOps(ops, clones);
  if (failed(fused))
    return failure();
  buildFusedOp(clones, fusedType);
  candidate.fused = std::move(*fused);
  clones.clear();
  candidate.unfused = std::move(*extractOps(ops, clones));
  clones.erase(clones.begin() + split);
  if (clones.size() >= 2)
    buildFusedOp(clones, graph.getGroupMapping(g));

  // The key: the fused candidate's IR with every weight elided (op kinds,
  // attributes, shapes and element types) and where X sits in it.
  std::string text;
  llvm::raw_string_ostream os(text);
  candidate.fused->getOperation()->print(
      os, OpPrintingFlags().elideLargeElementsAttrs(0).printGenericOpForm());
  os << "\nsplit " << split;
  candidate.key = llvm::utohexstr(llvm::xxh3_64bits(text), /*LowerCase=*/true,
                                  /*Width=*/16);
  for (unsigned m : members)
    if (m != node)
      candidate.ops += (candidate.ops.empty() ? "" : ", ") +
                       graph.getNode(m).op->getName().getStringRef().str();
  Operation *x = graph.getNode(node).op;
  candidate.ops += " + " + x->getName().getStringRef().str();
  if (x->getNumResults() == 1) {
    llvm::raw_string_ostream ops(candidate.ops);
    ops << " -> " << x->getResult(0).getType();
  }
  return candidate;
}

LogicalResult Planner::writeRequest(const ProfileCandidate &candidate,
                                    MappingType producer,
                                    MappingType consumer) {
  if (!profile.requested.insert(candidate.key).second)
    return success();
  Operation *at = graph.getNode(0).op;
  StringRef dir = profile.requestDir;
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return at->emitError("dnnf-fuse: cannot create the profile-requests "
                         "directory '")
           << dir << "': " << ec.message();
  auto write =
      [&](StringRef name,
          function_ref<LogicalResult(raw_ostream &)> body) -> LogicalResult {
    SmallString<128> path(dir);
    llvm::sys::path::append(path, name);
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec || failed(body(os)) || (os.close(), os.has_error()))
      return at->emitError("dnnf-fuse: cannot write the profiling request '")
             << path << "'" << (ec ? ": " + ec.message() : std::string());
    return success();
  };
  std::string fused = candidate.key + ".fused.mlirbc";
  std::string unfused = candidate.key + ".unfused.mlirbc";
  if (failed(write(fused,
                   [&](raw_ostream &os) {
                     return writeBytecodeToFile(*candidate.fused, os);
                   })) ||
      failed(write(unfused, [&](raw_ostream &os) {
        return writeBytecodeToFile(*candidate.unfused, os);
      })))
    return failure();
  // The description last: a request with one is complete.
  llvm::json::Object request{{"format", "dnnf-profile-request"},
                             {"key", candidate.key},
                             {"cpu", profile.cpu},
                             {"threads", profile.threads},
                             {"ops", candidate.ops},
                             {"cell", (stringifyMappingType(producer) + " -> " +
                                       stringifyMappingType(consumer))
                                          .str()},
                             {"fused", fused},
                             {"unfused", unfused}};
  return write(candidate.key + ".json", [&](raw_ostream &os) {
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(request))) << "\n";
    return success();
  });
}

bool Planner::decideProfile(int g, unsigned node, bool nodeIsConsumer,
                            MappingType producer, MappingType consumer,
                            StringRef &why) const {
  if (rule == ProfileRule::Fuse) {
    why = "profile-rule=fuse";
    return true;
  }
  if (rule == ProfileRule::Stop) {
    why = "profile-rule=stop";
    return false;
  }
  if (producer == MappingType::ManyToMany &&
      consumer == MappingType::ManyToMany) {
    why = "a pool epilogue whose windows overlap: each row task of the fused "
          "code recomputes the convolution rows it shares with the next";
    return false;
  }
  if (isCopy(consumer)) {
    why = "the consumer is a pure copy";
    return true;
  }
  if (isCopy(producer) && consumer == MappingType::ManyToMany) {
    why = "a pure copy feeds a many_to_many op";
    return true;
  }
  // The consumer side is one_to_many: fuse unless it broadcasts a value that
  // crosses the edge (fusion would recompute that value per output element).
  llvm::SmallPtrSet<Operation *, 8> producers, consumers;
  if (nodeIsConsumer) {
    for (unsigned m : graph.getMembers(g))
      producers.insert(graph.getNode(m).op);
    consumers.insert(graph.getNode(node).op);
  } else {
    producers.insert(graph.getNode(node).op);
    for (unsigned m : graph.getMembers(g))
      consumers.insert(graph.getNode(m).op);
  }
  for (Operation *user : consumers) {
    for (Value operand : user->getOperands()) {
      if (!producers.contains(operand.getDefiningOp()))
        continue;
      for (Type resultType : user->getResultTypes()) {
        std::optional<int64_t> in = numElements(operand.getType());
        std::optional<int64_t> out = numElements(resultType);
        if (!in || !out || *out > *in) {
          why = "the consumer broadcasts the fused value";
          return false;
        }
      }
    }
  }
  why = "the consumer does not broadcast the fused value";
  return true;
}

void Planner::planFixedPattern() {
  placeExistingBlocks();
  for (const FusionNode &start : graph.getNodes()) {
    if (graph.getGroup(start.index) != FusionGraph::kUnassigned)
      continue;
    int g = graph.createGroup(start.index);
    // Anchors (many_to_many) and elementwise ops take the chain of
    // elementwise ops that follows them; nothing else fuses.
    if (start.mapping != MappingType::ManyToMany && !isElementwise(start))
      continue;
    unsigned tail = start.index;
    while (true) {
      const FusionNode &t = graph.getNode(tail);
      if (t.usedOutside || t.succs.size() != 1)
        break;
      unsigned next = t.succs.front();
      const FusionNode &n = graph.getNode(next);
      if (graph.getGroup(next) != FusionGraph::kUnassigned ||
          !isElementwise(n) || !fitsConstraints(g, next) ||
          !graph.keepsAcyclic(g, next))
        break;
      graph.addToGroup(next, g);
      graph.setGroupMapping(
          g, lookupFusionRule(graph.getGroupMapping(g), n.mapping).result);
      tail = next;
    }
  }
}

//===----------------------------------------------------------------------===//
// Materialising the plan
//===----------------------------------------------------------------------===//

/// Replaces the ops of one group (in block order) by a dnnf.fused.
FusedOp buildFusedOp(ArrayRef<Operation *> ops, MappingType mapping) {
  OpsBoundary boundary(ops);
  const llvm::SetVector<Value> &inputs = boundary.inputs;
  const llvm::SetVector<Operation *> &constants = boundary.constants;
  ArrayRef<Value> outputs = boundary.outputs;
  SmallVector<Location> locs;
  for (Operation *op : ops)
    locs.push_back(op->getLoc());

  MLIRContext *ctx = ops.front()->getContext();
  OpBuilder b(ctx);
  b.setInsertionPointAfter(ops.back());
  SmallVector<Type> resultTypes;
  for (Value v : outputs)
    resultTypes.push_back(v.getType());
  auto fused =
      FusedOp::create(b, FusedLoc::get(ctx, locs), resultTypes,
                      inputs.getArrayRef(), MappingTypeAttr::get(ctx, mapping));
  Block &body = fused.getBody().emplaceBlock();
  IRMapping map;
  for (Value input : inputs)
    map.map(input, body.addArgument(input.getType(), input.getLoc()));
  OpBuilder inner = OpBuilder::atBlockEnd(&body);
  for (Operation *constant : constants)
    inner.clone(*constant, map);
  for (Operation *op : ops)
    inner.clone(*op, map);
  SmallVector<Value> yielded;
  for (Value v : outputs)
    yielded.push_back(map.lookup(v));
  YieldOp::create(inner, fused.getLoc(), yielded);

  for (auto [old, now] : llvm::zip(boundary.outputs, fused.getResults()))
    old.replaceUsesWithIf(now, [&](OpOperand &use) {
      return !boundary.contains(use.getOwner());
    });
  for (Operation *op : llvm::reverse(ops))
    op->erase();
  for (Operation *constant : constants)
    if (constant->use_empty())
      constant->erase();
  return fused;
}

struct FusePass : public dnnf::impl::DnnfFuseBase<FusePass> {
  using DnnfFuseBase::DnnfFuseBase;

  void runOnOperation() override {
    bool fixedPattern;
    if (mode == "dnnf") {
      fixedPattern = false;
    } else if (mode == "fixed-pattern") {
      fixedPattern = true;
    } else {
      getOperation()->emitError("dnnf-fuse: unknown mode '")
          << mode << "' (expected 'dnnf' or 'fixed-pattern')";
      return signalPassFailure();
    }
    ProfileRule rule;
    if (profileRule == "static") {
      rule = ProfileRule::Static;
    } else if (profileRule == "fuse") {
      rule = ProfileRule::Fuse;
    } else if (profileRule == "stop") {
      rule = ProfileRule::Stop;
    } else {
      getOperation()->emitError("dnnf-fuse: unknown profile-rule '")
          << profileRule << "' (expected 'static', 'fuse' or 'stop')";
      return signalPassFailure();
    }
    if (maxOps < 1) {
      getOperation()->emitError("dnnf-fuse: max-ops must be at least 1");
      return signalPassFailure();
    }
    if (profileThreads < 1) {
      getOperation()->emitError(
          "dnnf-fuse: profile-threads must be at least 1");
      return signalPassFailure();
    }
    ProfileSource profile;
    profile.cpu = profileCpu.empty() ? llvm::sys::getHostCPUName().str()
                                     : std::string(profileCpu);
    profile.threads = profileThreads;
    if (!(profileTolerance >= 0)) {
      getOperation()->emitError(
          "dnnf-fuse: profile-tolerance must be a fraction >= 0");
      return signalPassFailure();
    }
    profile.tolerance = profileTolerance;
    profile.requestDir = profileRequests;
    std::optional<ProfileDatabase> db;
    if (!profileDb.empty()) {
      FailureOr<ProfileDatabase> loaded = ProfileDatabase::load(
          profileDb, [&] { return getOperation()->emitError("dnnf-fuse: "); });
      if (failed(loaded))
        return signalPassFailure();
      if (!loaded->exists())
        getOperation()->emitWarning("dnnf-fuse: profiling database '")
            << profileDb << "' does not exist; profile cells use profile-rule="
            << profileRule;
      db = std::move(*loaded);
      profile.db = &*db;
    }

    // Blocks holding dnnf kernels, outside existing fused regions.
    SmallVector<Block *> blocks;
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<FusedOp>(op))
        return WalkResult::skip();
      for (Region &region : op->getRegions())
        for (Block &block : region)
          blocks.push_back(&block);
      return WalkResult::advance();
    });
    for (Block *block : blocks)
      if (failed(fuseBlock(*block, fixedPattern, rule, profile)))
        return signalPassFailure();
  }

  LogicalResult fuseBlock(Block &block, bool fixedPattern, ProfileRule rule,
                          ProfileSource &profile) {
    FusionGraph graph(block);
    if (graph.size() == 0)
      return success();
    Planner planner(graph, rule, maxOps, maxInputs, anchorEpilogues,
                    poolEpilogues, emitRemarks, profile);
    if (fixedPattern)
      planner.planFixedPattern();
    else
      planner.planDnnFusion();
    if (planner.failedRequest)
      return failure();
    graph.updateRemovable();
    numProfileFused += planner.numProfileFused;
    numProfileStopped += planner.numProfileStopped;
    numProfileMeasured += planner.numProfileMeasured;
    numProfileMissing += planner.numProfileMissing;
    numPoolEpilogues += planner.numPoolEpilogues;
    numKernelsBefore += graph.size();
    numKernelsAfter += graph.getNumGroups();
    numBytesBefore += graph.materializedBytes(/*unfused=*/true);
    numBytesAfter += graph.materializedBytes(/*unfused=*/false);

    for (unsigned g = 0, e = graph.getNumGroups(); g < e; ++g) {
      SmallVector<unsigned> members(graph.getMembers(g));
      if (members.size() < 2)
        continue;
      llvm::sort(members);
      SmallVector<Operation *> ops;
      for (unsigned m : members)
        ops.push_back(graph.getNode(m).op);
      FusedOp fused = buildFusedOp(ops, graph.getGroupMapping(g));
      ++numBlocks;
      numOpsFused += ops.size();
      if (emitRemarks)
        fused.emitRemark() << "fused " << ops.size() << " ops into a "
                           << stringifyMappingType(graph.getGroupMapping(g))
                           << " block";
    }
    // Blocks are placed at their last op; restore def-before-use order.
    if (!sortTopologically(&block))
      return block.getParentOp()->emitError(
          "dnnf-fuse: internal error: the fusion plan is not a DAG");
    return success();
  }
};

} // namespace
