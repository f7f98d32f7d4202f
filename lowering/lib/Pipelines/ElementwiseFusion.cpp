//===- ElementwiseFusion.cpp - elementwise fusion without recomputation ---===//
//
// Upstream's elementwise op fusion (fuse a producer generic with one use
// into its consumer, fold reshapes by expansion, constant-fold), except
// that a producer whose result the consumer reads through a broadcasting
// indexing map stays apart: fused, it would be recomputed for every element
// it is broadcast to (a BatchNorm's per-channel factor sqrt and division for
// every pixel, a LayerNorm's reciprocal square root for every element of
// the row).
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFELEMENTWISEFUSION
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {

/// Whether the consumer of `operand` reads each element of it for several
/// of its own iterations: its indexing map drops one of the consumer's
/// loops (a broadcast), so the producer's iteration space is smaller.
bool isBroadcastRead(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  if (!consumer)
    return false;
  AffineMap map = consumer.getMatchingIndexingMap(operand);
  return !map.isPermutation();
}

struct ElementwiseFusionPass
    : public dnnf::impl::DnnfElementwiseFusionBase<ElementwiseFusionPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    // Upstream's rule: the producer has one use.  Reshapes fold into
    // generics by expansion under it (a reshape is no computation to repeat).
    // With keep-contractions, matmuls take part in neither (see the pass
    // description).
    auto isMatmul = [](Operation *op) {
      return isa_and_nonnull<linalg::MatmulOp, linalg::BatchMatmulOp>(op);
    };
    linalg::ControlFusionFn oneUse = [&](OpOperand *operand) {
      Operation *producer = operand->get().getDefiningOp();
      if (keepContractions &&
          (isMatmul(producer) || isMatmul(operand->getOwner())))
        return false;
      return producer && producer->hasOneUse();
    };
    // Generics also need a read that is not a broadcast.
    linalg::ControlFusionFn fuse = [&](OpOperand *operand) {
      return oneUse(operand) &&
             (fuseBroadcasts ||
              !isa<linalg::GenericOp>(operand->get().getDefiningOp()) ||
              !isBroadcastRead(operand));
    };
    RewritePatternSet patterns(ctx);
    linalg::populateElementwiseOpsFusionPatterns(patterns, fuse);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, oneUse);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(
        patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, oneUse);
    if (failed(applyPatternsGreedily(
            func, std::move(patterns),
            GreedyRewriteConfig().setUseTopDownTraversal(true))))
      return signalPassFailure();
    // The generics left feeding one elementwise consumer by a broadcast.
    func.walk([&](linalg::GenericOp producer) {
      if (!producer->hasOneUse())
        return;
      OpOperand &use = *producer->getUses().begin();
      auto consumer = dyn_cast<linalg::GenericOp>(use.getOwner());
      if (consumer && linalg::isElementwise(consumer) && isBroadcastRead(&use))
        ++numKeptApart;
    });
  }
};
} // namespace
