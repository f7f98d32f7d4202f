//===- TileVectorize.cpp - tile and vectorize matmuls ---------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
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

/// Tiles `op` into scf.for loops of `sizes`; `loops` receives them,
/// outermost first.
FailureOr<Operation *> tile(RewriterBase &rewriter, TilingInterface op,
                            ArrayRef<int64_t> sizes,
                            SmallVectorImpl<scf::ForOp> *loops = nullptr) {
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
  if (loops)
    for (LoopLikeOpInterface loop : result->loops)
      loops->push_back(cast<scf::ForOp>(loop.getOperation()));
  return result->tiledOps.front();
}

/// Tiles `op` into an scf.forall of `sizes` tiles and fuses the linalg.fill
/// that initialises its destination into each tile, so that the tile is
/// zeroed while it is in cache instead of by a separate pass (or, when CSE
/// has merged equal fills, by a copy of a shared zero buffer).
FailureOr<Operation *> tileForallWithFill(RewriterBase &rewriter,
                                          TilingInterface op,
                                          ArrayRef<int64_t> sizes) {
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  SmallVector<OpFoldResult> tileSizes;
  for (int64_t s : sizes)
    tileSizes.push_back(rewriter.getIndexAttr(s));
  tiling.setTileSizes(tileSizes);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (isDestination && isa<linalg::FillOp>(producer.getOwner()))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, op, options);
  if (failed(result))
    return failure();
  for (OpResult r : op->getResults())
    rewriter.replaceAllUsesWith(r, result->replacements.lookup(r));
  Operation *tiled = result->tiledAndFusedOps.front();
  rewriter.eraseOp(op);
  return tiled;
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

/// Marks the register tiles to vectorize.
constexpr llvm::StringLiteral kVectorize = "__dnnf_vectorize__";

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

  /// Tiles `op` ((batch_)matmul; `batched` says which) twice and marks the
  /// register tiles for vectorization.  The register tile is 8 x `rn` x 8
  /// (or the largest divisors), `rn` a multiple of 8 dividing N when there
  /// is one.  Otherwise the N loop of the register tiles is peeled: full
  /// `rn`-wide tiles, then one narrower tile, both static (vectorized once
  /// the peeled bounds are canonicalized).
  LogicalResult schedule(RewriterBase &rewriter, Operation *op, bool batched) {
    SmallVector<int64_t> ranges =
        cast<linalg::LinalgOp>(op).getStaticLoopRanges();
    ArrayRef<int64_t> mnk = ArrayRef<int64_t>(ranges).drop_front(batched);
    int64_t m = mnk[0], n = mnk[1], k = mnk[2];
    bool peel = n % 8 != 0 && n > 8;
    int64_t rn = n % 8 == 0 ? pick(n, {32, 16, 8})
                 : peel     ? (n >= 32   ? 32
                               : n >= 16 ? 16
                                         : 8)
                            : n;
    int64_t rm = pick(m, {8, 4, 2, 1});
    int64_t cm = pick(m, {64, 32, 16, 8, 4, 2, 1});
    int64_t cn = rn;
    for (int64_t c : {256, 128, 64, 32})
      if (!peel && c % rn == 0 && n % c == 0) {
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
    // So do peeled ones, whose N loop must see all of N.
    bool wholeRows = peel || cn < 64;
    SmallVector<int64_t> parallelSizes = {cm, wholeRows ? 0 : cn, 0};
    SmallVector<int64_t> kSizes = {0, wholeRows && !peel ? cn : 0, ck};
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
    FailureOr<Operation *> tiles =
        tileForallWithFill(rewriter, cast<TilingInterface>(op), parallelSizes);
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
    SmallVector<scf::ForOp> loops;
    FailureOr<Operation *> inner =
        tile(rewriter, cast<TilingInterface>(*outer), innerSizes, &loops);
    if (failed(inner))
      return failure();
    (*inner)->setAttr(kVectorize, rewriter.getUnitAttr());
    if (peel) {
      // loops: M, N, K register-tile loops.
      scf::ForOp partial;
      if (loops.size() != 3 || failed(scf::peelForLoopAndSimplifyBounds(
                                   rewriter, loops[1], partial)))
        return failure();
    }
    return success();
  }

  /// Vectorizes the marked register tiles (static by now).
  void vectorizeTiles(RewriterBase &rewriter, func::FuncOp func) {
    SmallVector<linalg::MatmulOp> tiles;
    func.walk([&](linalg::MatmulOp op) {
      if (op->hasAttr(kVectorize))
        tiles.push_back(op);
    });
    for (linalg::MatmulOp op : tiles) {
      op->removeAttr(kVectorize);
      if (!op.hasPureTensorSemantics() ||
          llvm::any_of(op->getOperandTypes(), [](Type t) {
            return !cast<ShapedType>(t).hasStaticShape();
          }))
        continue;
      rewriter.setInsertionPoint(op);
      // Straight to vector.contract (then outer products, i.e. FMAs), not
      // broadcast + multi_reduction.
      FailureOr<linalg::VectorizationResult> vec = linalg::vectorize(
          rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
          /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
          /*assumeDynamicDimsMatchVecSizes=*/false,
          /*createNamedContraction=*/true);
      if (succeeded(vec))
        rewriter.replaceOp(op, vec->replacements);
    }
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
    for (Operation *op : ops)
      if (succeeded(schedule(rewriter, op, isa<linalg::BatchMatmulOp>(op))))
        ++numVectorized;
    {
      // Fold the peeled loops' bounds into static tile shapes.
      MLIRContext *ctx = &getContext();
      RewritePatternSet patterns(ctx);
      affine::AffineMinOp::getCanonicalizationPatterns(patterns, ctx);
      affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
      scf::ForOp::getCanonicalizationPatterns(patterns, ctx);
      tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns, ctx);
      tensor::InsertSliceOp::getCanonicalizationPatterns(patterns, ctx);
      tensor::CastOp::getCanonicalizationPatterns(patterns, ctx);
      ctx->getLoadedDialect<linalg::LinalgDialect>()
          ->getCanonicalizationPatterns(patterns);
      if (failed(applyPatternsGreedily(func, std::move(patterns))))
        return signalPassFailure();
    }
    vectorizeTiles(rewriter, func);
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
