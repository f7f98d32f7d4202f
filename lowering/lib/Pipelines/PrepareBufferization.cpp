//===- PrepareBufferization.cpp - let bufferization write in place --------===//
//
// Two rewrites on tensors that spare one-shot bufferization whole-tensor
// copies:
//  - every use of a tensor linalg.fill gets its own fill (CSE merges equal
//    fills, and a fill shared by two destinations is copied for the second);
//  - a tensor.pad with a constant value becomes a fill of the padded tensor,
//    created before the source's producer, and a tensor.insert_slice of the
//    source, so that eliminate-empty-tensors can make the producer write the
//    interior of the padded buffer directly;
//  - an insert_slice of an expand_shape (a matmul's [C, H*W] result viewed as
//    NCHW, inserted into a concatenation) inserts the unexpanded value into
//    the collapsed destination instead, and insert_slices move up to just
//    after their operands: eliminate-empty-tensors can then make each
//    producer of a concatenation write its part of the result directly.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFPREPAREBUFFERIZATION
#define GEN_PASS_DEF_DNNFREADPADDEDINTERIORS
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {

/// Gives every use of `fill` but the first (in program order) its own clone
/// of the fill, created right before the user.
bool unshareFill(linalg::FillOp fill) {
  if (!fill.hasPureTensorSemantics())
    return false;
  Value result = fill.getResult(0);
  SmallVector<OpOperand *> uses;
  OpOperand *first = nullptr;
  for (OpOperand &use : result.getUses()) {
    uses.push_back(&use);
    Operation *user = use.getOwner();
    if (!first || (user->getBlock() == first->getOwner()->getBlock() &&
                   user->isBeforeInBlock(first->getOwner())))
      first = &use;
  }
  if (uses.size() < 2)
    return false;
  for (OpOperand *use : uses) {
    if (use == first)
      continue;
    OpBuilder b(use->getOwner());
    use->set(b.clone(*fill)->getResult(0));
  }
  return true;
}

/// Rewrites a static, constant-valued `pad` as a fill plus an insert_slice.
bool decomposePad(tensor::PadOp pad) {
  RankedTensorType type = pad.getResultType();
  Attribute value;
  Value padding = pad.getConstantPaddingValue();
  if (!type.hasStaticShape() || !padding ||
      !matchPattern(padding, m_Constant(&value)) ||
      !pad.getSourceType().hasStaticShape())
    return false;
  ArrayRef<int64_t> low = pad.getStaticLow();
  if (ShapedType::isDynamicShape(low))
    return false;
  // The fill goes before the source's producer when both are in the pad's
  // block, so that the producer can write into it.
  Operation *producer = pad.getSource().getDefiningOp();
  Operation *point =
      producer && producer->getBlock() == pad->getBlock() ? producer : pad;
  OpBuilder b(point);
  Location loc = pad.getLoc();
  Value cst = arith::ConstantOp::create(b, loc, cast<TypedAttr>(value));
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  Value filled = linalg::FillOp::create(b, loc, cst, empty).getResult(0);
  b.setInsertionPoint(pad);
  int64_t rank = type.getRank();
  Value inserted = tensor::InsertSliceOp::create(
      b, loc, pad.getSource(), filled, ValueRange(), ValueRange(), ValueRange(),
      low, pad.getSourceType().getShape(), SmallVector<int64_t>(rank, 1));
  pad.getResult().replaceAllUsesWith(inserted);
  pad->erase();
  return true;
}

/// `dest` collapsed by `groups`: the source of an expand_shape of the same
/// groups, or a collapse_shape created right after `dest`'s definition.
Value collapsed(OpBuilder &b, Location loc, Value dest,
                ArrayRef<ReassociationIndices> groups, RankedTensorType type) {
  if (auto expand = dest.getDefiningOp<tensor::ExpandShapeOp>())
    if (expand.getSrcType() == type &&
        ArrayRef(expand.getReassociationIndices()) == groups)
      return expand.getSrc();
  OpBuilder::InsertionGuard guard(b);
  if (Operation *def = dest.getDefiningOp())
    b.setInsertionPointAfter(def);
  else
    b.setInsertionPointToStart(cast<BlockArgument>(dest).getOwner());
  if (auto empty = dest.getDefiningOp<tensor::EmptyOp>();
      empty && empty->hasOneUse())
    return tensor::EmptyOp::create(b, loc, type.getShape(),
                                   type.getElementType());
  return tensor::CollapseShapeOp::create(b, loc, type, dest, groups);
}

/// Rewrites `insert_slice (expand_shape %x) into %dest` as an expand_shape of
/// `insert_slice %x into (collapse_shape %dest)` when the slice is contiguous
/// in every group of the reshape (unit dimensions, then one dimension at any
/// offset, then whole dimensions), so that %x's producer, not a reshape of
/// it, is the inserted value.
bool insertThroughExpand(tensor::InsertSliceOp insert) {
  auto expand = insert.getSource().getDefiningOp<tensor::ExpandShapeOp>();
  RankedTensorType destType = insert.getDestType();
  if (!expand || !destType.hasStaticShape() ||
      !expand.getSrcType().hasStaticShape() ||
      insert.getSourceType().getRank() != destType.getRank() ||
      ShapedType::isDynamicShape(insert.getStaticOffsets()) ||
      ShapedType::isDynamicShape(insert.getStaticSizes()) ||
      !llvm::all_of(insert.getStaticStrides(),
                    [](int64_t s) { return s == 1; }))
    return false;
  ArrayRef<int64_t> offsets = insert.getStaticOffsets();
  ArrayRef<int64_t> sizes = insert.getStaticSizes();
  ArrayRef<int64_t> shape = destType.getShape();
  SmallVector<ReassociationIndices> groups = expand.getReassociationIndices();
  SmallVector<int64_t> newOffsets, newSizes, newShape;
  for (const ReassociationIndices &group : groups) {
    // Unit dimensions first; after the first non-unit one, whole ones.
    size_t p = 0;
    while (p + 1 < group.size() && sizes[group[p]] == 1)
      ++p;
    for (size_t i = p + 1; i < group.size(); ++i)
      if (offsets[group[i]] != 0 || sizes[group[i]] != shape[group[i]])
        return false;
    int64_t offset = 0, size = 1, extent = 1;
    for (int64_t d : group) {
      offset = offset * shape[d] + offsets[d];
      size *= sizes[d];
      extent *= shape[d];
    }
    newOffsets.push_back(offset);
    newSizes.push_back(size);
    newShape.push_back(extent);
  }
  if (ArrayRef<int64_t>(newSizes) != expand.getSrcType().getShape())
    return false;
  OpBuilder b(insert);
  Location loc = insert.getLoc();
  auto flatType = RankedTensorType::get(newShape, destType.getElementType());
  Value dest = collapsed(b, loc, insert.getDest(), groups, flatType);
  Value inserted = tensor::InsertSliceOp::create(
      b, loc, expand.getSrc(), dest, ValueRange(), ValueRange(), ValueRange(),
      newOffsets, newSizes, SmallVector<int64_t>(newSizes.size(), 1));
  Value result =
      tensor::ExpandShapeOp::create(b, loc, destType, inserted, groups);
  insert.getResult().replaceAllUsesWith(result);
  insert->erase();
  if (expand->use_empty())
    expand->erase();
  return true;
}

/// Moves `op` (pure) up to just after the last definition of its operands in
/// its block (to its start when there is none there).  Returns whether it
/// moved.
bool hoistAfterOperands(Operation *op) {
  Block *block = op->getBlock();
  Operation *last = nullptr;
  for (Value v : op->getOperands()) {
    Operation *def = v.getDefiningOp();
    if (!def || def->getBlock() != block)
      def = nullptr;
    if (def && (!last || last->isBeforeInBlock(def)))
      last = def;
  }
  Operation *prev = op->getPrevNode();
  if (prev == last)
    return false;
  if (last)
    op->moveAfter(last);
  else
    op->moveBefore(block, block->begin());
  return true;
}

/// The empty tensor that `v` is computed in place of, through destinations
/// (of DPS ops and insert_slices) and reshapes, if any.
tensor::EmptyOp rootEmpty(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (auto empty = dyn_cast<tensor::EmptyOp>(def))
      return empty;
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(def))
      v = insert.getDest();
    else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def))
      v = expand.getSrc();
    else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def))
      v = collapse.getSrc();
    else if (auto dps = dyn_cast<DestinationStyleOpInterface>(def))
      v = dps.getTiedOpOperand(cast<OpResult>(v))->get();
    else
      return nullptr;
  }
  return nullptr;
}

/// The top-level empty tensors that insert_slices of `body` insert into.
SmallVector<Operation *> concatenations(Block &body) {
  SetVector<Operation *> roots;
  for (Operation &op : body)
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(op))
      if (tensor::EmptyOp root = rootEmpty(insert.getDest());
          root && root->getBlock() == &body)
        roots.insert(root);
  return roots.takeVector();
}

/// Gives each use of the empty tensors that concatenations are built in its
/// own, right before the user: CSE merges equal ones, and two
/// concatenations given one buffer would be copied out of it.  (Other empty
/// tensors stay shared: equal-shaped temporaries then reuse one buffer.)
void unshareEmpties(Block &body) {
  for (Operation *empty : concatenations(body)) {
    SmallVector<OpOperand *> uses(llvm::make_pointer_range(empty->getUses()));
    for (OpOperand *use : llvm::drop_begin(uses)) {
      OpBuilder b(body.findAncestorOpInBlock(*use->getOwner()));
      use->set(b.clone(*empty)->getResult(0));
    }
  }
}

/// Moves the top-level insert_slices (and reshapes) of `body` up to just
/// after their operands, and the empty tensor each concatenation is built in
/// before the empty tensors its parts are computed in (unless a part is a
/// concatenation itself), so that each part's producer can be given its
/// slice of the result by eliminate-empty-tensors.  Returns the number of
/// ops moved.
int64_t placeInserts(Block &body) {
  int64_t moved = 0;
  SmallVector<Operation *> roots = concatenations(body);
  DenseSet<Operation *> concatenated(roots.begin(), roots.end());
  for (Operation &op : body) {
    auto insert = dyn_cast<tensor::InsertSliceOp>(op);
    if (!insert)
      continue;
    tensor::EmptyOp dest = rootEmpty(insert.getDest());
    tensor::EmptyOp part = rootEmpty(insert.getSource());
    if (dest && part && dest->getBlock() == &body &&
        part->getBlock() == &body && !concatenated.contains(part) &&
        part->isBeforeInBlock(dest)) {
      dest->moveBefore(part);
      ++moved;
    }
  }
  for (Operation &op : llvm::make_early_inc_range(body))
    if (isa<tensor::InsertSliceOp, tensor::CollapseShapeOp,
            tensor::ExpandShapeOp>(op) &&
        hoistAfterOperands(&op))
      ++moved;
  return moved;
}

/// A concatenation as ConcatPattern builds it: a chain of insert_slices of
/// `parts` into the empty tensor `empty`, each into the one before, at
/// consecutive offsets along `axis` and whole along the other dimensions;
/// `result` is the last insert_slice.  `parts` keeps the values
/// concatenated, in order, even once the chain starts with an earlier
/// concatenation instead (shareConcatPrefixes).
struct Concatenation {
  tensor::EmptyOp empty;
  SmallVector<tensor::InsertSliceOp> inserts;
  int64_t axis = -1;
  SmallVector<Value> parts;
  Value result() { return inserts.back().getResult(); }
};

/// The concatenation whose chain starts with `first`, if it is one.
std::optional<Concatenation> concatenationFrom(tensor::InsertSliceOp first) {
  auto empty = first.getDest().getDefiningOp<tensor::EmptyOp>();
  RankedTensorType type = first.getDestType();
  if (!empty || !type.hasStaticShape())
    return std::nullopt;
  Concatenation concat{empty, {}, -1, {}};
  int64_t offset = 0;
  for (tensor::InsertSliceOp insert = first; insert;) {
    if (insert.getSourceType().getRank() != type.getRank() ||
        ShapedType::isDynamicShape(insert.getStaticOffsets()) ||
        ShapedType::isDynamicShape(insert.getStaticSizes()) ||
        !insert.hasUnitStride())
      return std::nullopt;
    ArrayRef<int64_t> offsets = insert.getStaticOffsets();
    ArrayRef<int64_t> sizes = insert.getStaticSizes();
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (sizes[d] == type.getDimSize(d) && offsets[d] == 0 && d != concat.axis)
        continue;
      if (concat.axis == -1)
        concat.axis = d;
      if (d != concat.axis)
        return std::nullopt;
    }
    if (concat.axis != -1) {
      if (offsets[concat.axis] != offset)
        return std::nullopt;
      offset += sizes[concat.axis];
    }
    concat.inserts.push_back(insert);
    concat.parts.push_back(insert.getSource());
    Value result = insert.getResult();
    insert = result.hasOneUse()
                 ? dyn_cast<tensor::InsertSliceOp>(*result.getUsers().begin())
                 : nullptr;
    if (insert &&
        (insert.getDest() != result || insert->getBlock() != first->getBlock()))
      insert = nullptr;
  }
  if (concat.axis == -1 || offset != type.getDimSize(concat.axis))
    return std::nullopt;
  return concat;
}

/// Whether a tensor of `type` is the leading slab of `whole` along its
/// axis: the same element type and the same size in every other dimension.
bool isSlab(RankedTensorType type, Concatenation &whole) {
  RankedTensorType w = whole.empty.getType();
  if (type.getRank() != w.getRank() ||
      type.getElementType() != w.getElementType())
    return false;
  for (int64_t d = 0; d < w.getRank(); ++d)
    if (d != whole.axis && type.getDimSize(d) != w.getDimSize(d))
      return false;
  return true;
}

/// Whether `prefix`'s parts are the first parts of `whole`, in order, along
/// the same axis (equal parts in order are then at equal offsets).
bool isPrefixOf(Concatenation &prefix, Concatenation &whole) {
  return prefix.axis == whole.axis &&
         prefix.parts.size() < whole.parts.size() &&
         llvm::equal(prefix.parts,
                     ArrayRef(whole.parts).take_front(prefix.parts.size()));
}

/// Concatenations that begin with an earlier one -- either its result as
/// their first part (DenseNet as exported from PyTorch: each layer's
/// concatenation is the previous one plus a feature map) or all of its parts
/// (each layer concatenates all the feature maps of its block so far), in
/// which case those inserts become one of the earlier result -- have the
/// earlier one built in their leading slice.  A dense block then lives in
/// one buffer, which each layer's concatenation is a prefix of, and each
/// feature map is written once (by its producer, once eliminate-empty-
/// tensors gives it its slice) instead of copied into every later
/// concatenation.  The insert_slice of the earlier result moves down to
/// just before the next part's: after the earlier result's readers (a
/// reader after it would make one-shot bufferization copy), and in place,
/// so that it copies nothing.  Returns the number of concatenations
/// rewritten.
int64_t shareConcatPrefixes(Block &body) {
  SmallVector<Concatenation> concats;
  for (Operation &op : body)
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(op);
        insert && insert.getDest().getDefiningOp<tensor::EmptyOp>())
      if (std::optional<Concatenation> c = concatenationFrom(insert))
        concats.push_back(std::move(*c));
  // The slices of later empty tensors that earlier concatenations are
  // built in.
  DenseSet<Operation *> slices;
  // Whether `c`'s empty tensor is used by its chain (and such slices) only.
  auto ownsEmpty = [&](Concatenation &c) {
    return c.empty && llvm::all_of(c.empty->getUsers(), [&](Operation *user) {
             return user == c.inserts.front() || slices.contains(user);
           });
  };
  int64_t shared = 0;
  for (size_t w = 0; w < concats.size(); ++w) {
    Concatenation &whole = concats[w];
    if (whole.parts.size() < 2 || !ownsEmpty(whole))
      continue;
    // The earlier concatenation that whole's first part is, else the one
    // with the most parts that whole's parts start with; complete before
    // whole's next part goes in.
    Concatenation *best = nullptr;
    size_t n = 0;
    for (size_t p = 0; p < w; ++p) {
      Concatenation &prefix = concats[p];
      if (!ownsEmpty(prefix))
        continue;
      size_t covers = whole.parts.front() == prefix.result() ? 1
                      : isPrefixOf(prefix, whole) ? prefix.parts.size()
                                                  : 0;
      if (covers && covers < whole.parts.size() &&
          isSlab(prefix.empty.getType(), whole) &&
          prefix.inserts.back()->isBeforeInBlock(whole.inserts[covers]) &&
          (!best || n < covers))
        best = &prefix, n = covers;
    }
    if (!best)
      continue;
    // whole = insert_slice(prefix) then its other parts.
    tensor::InsertSliceOp next = whole.inserts[n];
    OpBuilder b(next);
    RankedTensorType prefixType = best->empty.getType();
    int64_t rank = prefixType.getRank();
    SmallVector<int64_t> zeros(rank, 0), ones(rank, 1);
    tensor::InsertSliceOp joined = whole.inserts.front();
    if (n == 1) {
      joined->moveBefore(next);
    } else {
      joined = tensor::InsertSliceOp::create(
          b, next.getLoc(), best->result(), whole.empty.getResult(),
          ValueRange(), ValueRange(), ValueRange(), zeros,
          prefixType.getShape(), ones);
      next.getDestMutable().assign(joined.getResult());
      for (size_t i = n; i-- > 0;)
        whole.inserts[i]->erase();
      whole.inserts.erase(whole.inserts.begin(), whole.inserts.begin() + n);
      whole.inserts.insert(whole.inserts.begin(), joined);
    }
    // The prefix is built in the leading slice of whole's empty tensor,
    // which moves before it.
    if (best->empty->isBeforeInBlock(whole.empty))
      whole.empty->moveBefore(best->empty);
    b.setInsertionPointAfter(whole.empty);
    Value slice = tensor::ExtractSliceOp::create(
        b, best->empty.getLoc(), prefixType, whole.empty.getResult(),
        ValueRange(), ValueRange(), ValueRange(), zeros, prefixType.getShape(),
        ones);
    slices.insert(slice.getDefiningOp());
    best->empty.getResult().replaceAllUsesWith(slice);
    best->empty->erase();
    best->empty = nullptr;
    ++shared;
  }
  return shared;
}

/// Whether `v` is a tensor filled with one value: a linalg.fill, or the
/// scf.forall that --dnnf-parallelize splits one into.
bool isFilled(Value v) {
  if (v.getDefiningOp<linalg::FillOp>())
    return true;
  auto forall = v.getDefiningOp<scf::ForallOp>();
  if (!forall || forall.getNumResults() != 1)
    return false;
  return llvm::all_of(forall.getBody()->without_terminator(),
                      [](Operation &op) {
                        return isa<tensor::ExtractSliceOp, linalg::FillOp>(op);
                      });
}

/// Makes the readers of a value that a decomposed pad inserts into its
/// padded buffer (an insert_slice into a filled tensor) read it back from
/// that buffer: the interior, extracted right after the insert_slice,
/// replaces the value for every reader after it.  The producer then writes
/// the interior in place and the value has no other buffer: otherwise
/// one-shot bufferization, seeing the value read after the insert_slice
/// wrote it, gives the producer a copy of the interior and copies it back
/// (an inception block's input, read by three convolutions and padded for
/// the pool; LRN's input, padded across channels and read again for the
/// division).  Returns the number of values redirected.
int64_t readPaddedInteriors(Block &body) {
  int64_t redirected = 0;
  for (Operation &op : llvm::make_early_inc_range(body)) {
    auto insert = dyn_cast<tensor::InsertSliceOp>(op);
    if (!insert || !isFilled(insert.getDest()) ||
        insert.getSource().hasOneUse())
      continue;
    Value value = insert.getSource();
    OpBuilder b(insert->getContext());
    b.setInsertionPointAfter(insert);
    auto interior = tensor::ExtractSliceOp::create(
        b, insert.getLoc(), insert.getSourceType(), insert.getResult(),
        insert.getMixedOffsets(), insert.getMixedSizes(),
        insert.getMixedStrides());
    bool used = false;
    value.replaceUsesWithIf(interior.getResult(), [&](OpOperand &use) {
      Operation *user = body.findAncestorOpInBlock(*use.getOwner());
      bool after = user && user != insert && user != interior &&
                   insert->isBeforeInBlock(user);
      used |= after;
      return after;
    });
    if (used)
      ++redirected;
    else
      interior->erase();
  }
  return redirected;
}

struct PrepareBufferizationPass
    : public dnnf::impl::DnnfPrepareBufferizationBase<
          PrepareBufferizationPass> {
  void runOnOperation() override {
    SmallVector<tensor::PadOp> pads;
    getOperation().walk([&](tensor::PadOp pad) { pads.push_back(pad); });
    for (tensor::PadOp pad : pads)
      if (decomposePad(pad))
        ++numPads;
    // Reshapes of empty tensors become empty tensors, which is what
    // eliminate-empty-tensors looks for (the destination of a convolution's
    // matmul is a collapsed NCHW empty tensor).
    {
      RewritePatternSet patterns(&getContext());
      tensor::populateFoldTensorEmptyPatterns(patterns);
      if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
        return signalPassFailure();
    }
    Block &body = getOperation().getBody().front();
    SmallVector<tensor::InsertSliceOp> inserts;
    for (Operation &op : body)
      if (auto insert = dyn_cast<tensor::InsertSliceOp>(op))
        inserts.push_back(insert);
    for (tensor::InsertSliceOp insert : inserts)
      if (insertThroughExpand(insert))
        ++numReshapedInserts;
    unshareEmpties(body);
    numHoisted += placeInserts(body);
    numSharedConcats += shareConcatPrefixes(body);
    SmallVector<linalg::FillOp> fills;
    getOperation().walk([&](linalg::FillOp fill) { fills.push_back(fill); });
    for (linalg::FillOp fill : fills)
      if (unshareFill(fill))
        ++numFills;
  }
};

struct ReadPaddedInteriorsPass
    : public dnnf::impl::DnnfReadPaddedInteriorsBase<ReadPaddedInteriorsPass> {
  void runOnOperation() override {
    numRedirected += readPaddedInteriors(getOperation().getBody().front());
  }
};
} // namespace
