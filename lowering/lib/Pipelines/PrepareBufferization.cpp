//===- PrepareBufferization.cpp - let bufferization write in place --------===//
//
// Two rewrites on tensors that spare one-shot bufferization whole-tensor
// copies:
//  - every use of a tensor linalg.fill gets its own fill (CSE merges equal
//    fills, and a fill shared by two destinations is copied for the second);
//  - a tensor.pad with a constant value becomes a fill of the padded tensor,
//    created before the source's producer, and a tensor.insert_slice of the
//    source, so that eliminate-empty-tensors can make the producer write the
//    interior of the padded buffer directly.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFPREPAREBUFFERIZATION
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

struct PrepareBufferizationPass
    : public dnnf::impl::DnnfPrepareBufferizationBase<
          PrepareBufferizationPass> {
  void runOnOperation() override {
    SmallVector<tensor::PadOp> pads;
    getOperation().walk([&](tensor::PadOp pad) { pads.push_back(pad); });
    for (tensor::PadOp pad : pads)
      if (decomposePad(pad))
        ++numPads;
    SmallVector<linalg::FillOp> fills;
    getOperation().walk([&](linalg::FillOp fill) { fills.push_back(fill); });
    for (linalg::FillOp fill : fills)
      if (unshareFill(fill))
        ++numFills;
  }
};
} // namespace
