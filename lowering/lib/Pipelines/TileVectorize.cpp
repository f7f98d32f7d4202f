//===- TileVectorize.cpp - tile and vectorize matmuls ---------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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
                            ArrayRef<int64_t> sizes, bool forall = false) {
  scf::SCFTilingOptions options;
  if (forall)
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
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

/// A batch_matmul over one batch as a linalg.matmul between reshapes.
Operation *dropUnitBatch(RewriterBase &rewriter, linalg::BatchMatmulOp op) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  SmallVector<ReassociationIndices> groups = {{0, 1}, {2}};
  auto drop = [&](Value v) -> Value {
    return tensor::CollapseShapeOp::create(rewriter, loc, v, groups);
  };
  Value init = drop(op.getOutputs()[0]);
  auto mm = linalg::MatmulOp::create(
      rewriter, loc, init.getType(),
      ValueRange{drop(op.getInputs()[0]), drop(op.getInputs()[1])},
      ValueRange{init});
  rewriter.replaceOp(op, tensor::ExpandShapeOp::create(
                             rewriter, loc, op.getResult(0).getType(),
                             mm.getResult(0), groups));
  return mm;
}

/// K steps per vectorized register tile (at most; a divisor of the K tile).
constexpr int64_t kUnroll = 8;

/// The K cache tile: a divisor that keeps tiles in cache, else all of a
/// moderate K (never a K tile of 1, which would reload the C tile per step).
int64_t pickK(int64_t k) {
  if (int64_t c = pick(k, {256, 128, 64, 32, 16, 8}))
    return c;
  return k <= 1024 ? k : pick(k, {4, 2, 1});
}

struct TileVectorizePass
    : public dnnf::impl::DnnfTileVectorizeBase<TileVectorizePass> {

  /// Tiles `op` ((batch_)matmul; `batched` says which) twice and vectorizes
  /// the register tile, `rn` wide along N (`rn` divides N).
  LogicalResult schedule(RewriterBase &rewriter, Operation *op, bool batched,
                         int64_t rn) {
    SmallVector<int64_t> ranges =
        cast<linalg::LinalgOp>(op).getStaticLoopRanges();
    ArrayRef<int64_t> mnk = ArrayRef<int64_t>(ranges).drop_front(batched);
    int64_t m = mnk[0], n = mnk[1], k = mnk[2];
    int64_t rm = pick(m, {8, 4, 2, 1});
    int64_t cm = pick(m, {64, 32, 16, 8, 4, 2, 1});
    int64_t cn = rn;
    for (int64_t c : {256, 128, 64, 32})
      if (c % rn == 0 && n % c == 0) {
        cn = c;
        break;
      }
    int64_t ck = pickK(k);
    // The cache tiles: an scf.forall over (batch,) M and N -- independent
    // tiles, which the pipeline may spread over threads -- then an scf.for
    // over K.
    // Column tiles narrower than 64 floats would have concurrent tasks
    // write the same cache lines of C (false sharing, measured 4.5x slower
    // on squeezenet's 13x13 convs): such tasks take whole rows instead.
    bool wholeRows = cn < 64;
    SmallVector<int64_t> parallelSizes = {cm, wholeRows ? 0 : cn, 0};
    SmallVector<int64_t> kSizes = {0, wholeRows ? cn : 0, ck};
    // Several K steps per register tile amortise its load and store.
    int64_t kr = kUnroll;
    while (ck % kr)
      --kr;
    SmallVector<int64_t> innerSizes = {rm, rn, kr};
    if (batched) {
      parallelSizes.insert(parallelSizes.begin(), 1);
      kSizes.insert(kSizes.begin(), 0);
      innerSizes.insert(innerSizes.begin(), 1);
    }
    rewriter.setInsertionPoint(op);
    FailureOr<Operation *> tiles = tile(rewriter, cast<TilingInterface>(op),
                                        parallelSizes, /*forall=*/true);
    if (failed(tiles))
      return failure();
    rewriter.setInsertionPoint(*tiles);
    FailureOr<Operation *> outer =
        tile(rewriter, cast<TilingInterface>(*tiles), kSizes);
    if (failed(outer))
      return failure();
    if (batched) {
      // The cache tile holds one batch: a plain matmul on the tile's
      // matrices from here on.
      *outer = dropUnitBatch(rewriter, cast<linalg::BatchMatmulOp>(*outer));
      innerSizes.erase(innerSizes.begin());
    }
    rewriter.setInsertionPoint(*outer);
    FailureOr<Operation *> inner =
        tile(rewriter, cast<TilingInterface>(*outer), innerSizes);
    if (failed(inner))
      return failure();
    rewriter.setInsertionPoint(*inner);
    // Straight to vector.contract (then outer products, i.e. FMAs), not
    // broadcast + multi_reduction.
    FailureOr<linalg::VectorizationResult> vec = linalg::vectorize(
        rewriter, *inner, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
        /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
        /*assumeDynamicDimsMatchVecSizes=*/false,
        /*createNamedContraction=*/true);
    if (failed(vec))
      return failure();
    rewriter.replaceOp(*inner, vec->replacements);
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<Operation *> ops;
    func.walk([&](linalg::LinalgOp op) {
      // Plain (untransposed, unbroadcast) f32 (batch_)matmuls with static
      // shapes.
      if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) ||
          op.getNumDpsInits() != 1)
        return;
      if (auto mm = dyn_cast<linalg::MatmulOp>(op.getOperation()))
        if (mm.hasUserDefinedMaps())
          return;
      if (auto bmm = dyn_cast<linalg::BatchMatmulOp>(op.getOperation()))
        if (bmm.hasUserDefinedMaps())
          return;
      // Empty loops (a K of 0 leaves only the init) have nothing to tile.
      if (llvm::any_of(op.getStaticLoopRanges(),
                       [](int64_t r) { return r == 0; }))
        return;
      auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
      if (type && type.hasStaticShape() && type.getElementType().isF32() &&
          llvm::all_of(op->getOperandTypes(),
                       [](Type t) { return getElementTypeOrSelf(t).isF32(); }))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : ops) {
      bool batched = isa<linalg::BatchMatmulOp>(op);
      int64_t n = cast<linalg::LinalgOp>(op).getStaticLoopRanges()[1 + batched];
      int64_t rest = n % 8;
      if (rest && n > 8) {
        // Full 8-wide columns, then a narrow remainder with its own width.
        rewriter.setInsertionPoint(op);
        auto [main, tail] =
            linalg::splitOp(rewriter, cast<TilingInterface>(op), 1 + batched,
                            rewriter.getIndexAttr(n - rest));
        if (!main || !tail)
          continue;
        if (succeeded(
                schedule(rewriter, main, batched, pick(n - rest, {32, 16, 8}))))
          ++numVectorized;
        (void)schedule(rewriter, tail, batched, rest);
        continue;
      }
      if (succeeded(
              schedule(rewriter, op, batched, rest ? n : pick(n, {32, 16, 8}))))
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
