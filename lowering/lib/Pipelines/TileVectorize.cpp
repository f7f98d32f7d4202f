//===- TileVectorize.cpp - tile and vectorize matmuls ---------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFTILEVECTORIZE
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {

/// The largest candidate dividing `dim`, or 0.
int64_t pick(int64_t dim, ArrayRef<int64_t> candidates) {
  for (int64_t c : candidates)
    if (dim % c == 0)
      return c;
  return 0;
}

FailureOr<Operation *> tile(RewriterBase &rewriter, TilingInterface op,
                            ArrayRef<int64_t> sizes) {
  scf::SCFTilingOptions options;
  SmallVector<OpFoldResult> tileSizes;
  for (int64_t s : sizes)
    tileSizes.push_back(rewriter.getIndexAttr(s));
  options.setTileSizes(tileSizes);
  FailureOr<scf::SCFTilingResult> result =
      scf::tileUsingSCF(rewriter, op, options);
  if (failed(result) || result->tiledOps.size() != 1)
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return result->tiledOps.front();
}

struct TileVectorizePass
    : public dnnf::impl::DnnfTileVectorizeBase<TileVectorizePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<linalg::MatmulOp> matmuls;
    func.walk([&](linalg::MatmulOp op) {
      // Plain (untransposed, unbroadcast) f32 matmuls with static shapes.
      auto type = dyn_cast<RankedTensorType>(op.getResult(0).getType());
      if (type && type.hasStaticShape() && type.getElementType().isF32() &&
          !op.hasUserDefinedMaps())
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::MatmulOp op : matmuls) {
      auto a = cast<RankedTensorType>(op.getInputs()[0].getType());
      auto b = cast<RankedTensorType>(op.getInputs()[1].getType());
      int64_t m = a.getDimSize(0), k = a.getDimSize(1), n = b.getDimSize(1);
      int64_t rm = pick(m, {8, 4, 2, 1}), rn = pick(n, {32, 16, 8});
      if (!rn)
        continue; // too narrow to vectorize profitably
      int64_t cm = pick(m, {64, 32, 16, 8, 4, 2, 1});
      int64_t cn = pick(n, {256, 128, 64, 32, 16, 8});
      int64_t ck = pick(k, {128, 64, 32, 16, 8, 4, 2, 1});
      rewriter.setInsertionPoint(op);
      FailureOr<Operation *> outer =
          tile(rewriter, cast<TilingInterface>(op.getOperation()), {cm, cn, ck});
      if (failed(outer))
        continue;
      rewriter.setInsertionPoint(*outer);
      FailureOr<Operation *> inner =
          tile(rewriter, cast<TilingInterface>(*outer), {rm, rn, 1});
      if (failed(inner))
        continue;
      rewriter.setInsertionPoint(*inner);
      FailureOr<linalg::VectorizationResult> vec =
          linalg::vectorize(rewriter, *inner);
      if (failed(vec))
        continue;
      rewriter.replaceOp(*inner, vec->replacements);
      ++numVectorized;
    }
    RewritePatternSet patterns(&getContext());
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorReductionToContractPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
