//===- TileVectorize.cpp - tile and vectorize matmuls ---------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFTILEVECTORIZE
#define GEN_PASS_DEF_DNNFVECTORIZEROWS
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

/// The rows of a cache tile: the largest divisor of `m` that is a multiple
/// of the register tile's `rm` rows and at most `limit` (at least `rm`).
/// Not only powers of two: 1000 rows (a classifier convolution) take 40,
/// not 8, and 144 take 48, not 16 -- each task reads all of its B once,
/// so fewer rows per task mean more reads of B.
int64_t rowTile(int64_t m, int64_t rm, int64_t limit) {
  for (int64_t d = std::min(limit, m) / rm * rm; d > rm; d -= rm)
    if (m % d == 0)
      return d;
  return rm;
}

/// Tiling options for `sizes`; an scf.forall when `forall`.
scf::SCFTilingOptions tilingOptions(RewriterBase &rewriter,
                                    ArrayRef<int64_t> sizes, bool forall) {
  scf::SCFTilingOptions options;
  if (forall)
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  SmallVector<OpFoldResult> tileSizes;
  for (int64_t s : sizes)
    tileSizes.push_back(rewriter.getIndexAttr(s));
  options.setTileSizes(tileSizes);
  return options;
}

/// Tiles `op` into scf.for loops of `sizes`, nested in the order
/// `interchange` gives (the op's loop order when empty); `loops` receives
/// them, outermost first.
FailureOr<Operation *> tile(RewriterBase &rewriter, TilingInterface op,
                            ArrayRef<int64_t> sizes,
                            SmallVectorImpl<scf::ForOp> *loops = nullptr,
                            ArrayRef<int64_t> interchange = {}) {
  scf::SCFTilingOptions options =
      tilingOptions(rewriter, sizes, /*forall=*/false);
  options.setInterchange(interchange);
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

/// Tile-and-fuse options: `tiling`, fusing into each tile the producers
/// that `fuse` accepts.
scf::SCFTileAndFuseOptions
fusionOptions(const scf::SCFTilingOptions &tiling,
              std::function<bool(Operation *)> fuse) {
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [fuse](tensor::ExtractSliceOp, OpResult producer, bool)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (fuse(producer.getOwner()))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  return options;
}

/// Tiles `consumer` into an scf.forall of `sizes` tiles, fusing into each
/// tile the producers that `fuse` accepts, and replaces it.  Returns the
/// tiled consumer followed by the fused producers' tiles.
FailureOr<SmallVector<Operation *>>
tileAndFuseForall(RewriterBase &rewriter, TilingInterface consumer,
                  ArrayRef<int64_t> sizes,
                  std::function<bool(Operation *)> fuse) {
  scf::SCFTileAndFuseOptions options = fusionOptions(
      tilingOptions(rewriter, sizes, /*forall=*/true), std::move(fuse));
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, consumer, options);
  if (failed(result))
    return failure();
  for (OpResult r : consumer->getResults())
    rewriter.replaceAllUsesWith(r, result->replacements.lookup(r));
  rewriter.eraseOp(consumer);
  return llvm::to_vector(result->tiledAndFusedOps);
}

/// Tiles `op` into an scf.forall of `sizes` tiles and fuses the linalg.fill
/// that initialises its destination into each tile, so that the tile is
/// zeroed while it is in cache instead of by a separate pass (or, when CSE
/// has merged equal fills, by a copy of a shared zero buffer).
FailureOr<Operation *> tileForallWithFill(RewriterBase &rewriter,
                                          TilingInterface op,
                                          ArrayRef<int64_t> sizes) {
  FailureOr<SmallVector<Operation *>> tiles = tileAndFuseForall(
      rewriter, op, sizes, [](Operation *p) { return isa<linalg::FillOp>(p); });
  if (failed(tiles))
    return failure();
  return tiles->front();
}

/// An all-parallel linalg.generic with one result and no index ops: an
/// elementwise op that may run on any tile of its iteration space.
bool isEpilogueOp(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic && generic.getNumDpsInits() == 1 &&
         generic.hasPureTensorSemantics() && linalg::isElementwise(generic) &&
         !generic.hasIndexSemantics();
}

/// The only user of `v`, if it has exactly one use.
Operation *soleUser(Value v) {
  return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
}

/// The one dimension of `group` that is not 1 in `type`: -1 when there is
/// none, -2 when there are several.
int64_t soleDim(RankedTensorType type, ArrayRef<int64_t> group) {
  int64_t dim = -1;
  for (int64_t d : group)
    if (type.getDimSize(d) != 1) {
      if (dim >= 0)
        return -2;
      dim = d;
    }
  return dim;
}

/// Fuses the chain of elementwise generics that follows `generic` (each
/// the sole user of the one before) into it; returns the fused generic.
linalg::GenericOp fuseChain(RewriterBase &rewriter, linalg::GenericOp generic) {
  while (Operation *next = soleUser(generic.getResult(0))) {
    if (!isEpilogueOp(next))
      break;
    OpOperand *operand = nullptr;
    for (OpOperand &o : next->getOpOperands())
      if (o.get() == generic.getResult(0))
        operand = &o;
    if (!operand || !linalg::areElementwiseOpsFusable(operand))
      break;
    // The fused op is created at the insertion point: the consumer's place,
    // where all the operands of both ops are defined.
    rewriter.setInsertionPoint(next);
    FailureOr<linalg::ElementwiseOpFusionResult> fused =
        linalg::fuseElementwiseOps(rewriter, operand);
    if (failed(fused))
      break;
    for (auto [from, to] : fused->replacements)
      rewriter.replaceAllUsesWith(from, to);
    Operation *producer = generic;
    generic = cast<linalg::GenericOp>(fused->fusedOp);
    if (producer->use_empty())
      rewriter.eraseOp(producer);
    if (next->use_empty())
      rewriter.eraseOp(next);
  }
  return generic;
}

/// The last op of the chain of elementwise ops starting at `first`, each the
/// sole user of the one before.
Operation *chainEnd(Operation *first) {
  Operation *last = first;
  while (Operation *next = soleUser(last->getResult(0))) {
    if (!isEpilogueOp(next))
      break;
    last = next;
  }
  return last;
}

/// Fuses the chain of elementwise generics that consumes `mm`'s result
/// (through the expand_shape of a 1x1 convolution, if any) into one generic,
/// and rewrites it over `mm`'s 2-D iteration space, reading `mm`'s result
/// directly.  Returns that generic, or null when the consumers do not form
/// such a chain.  Only operands indexed like the result, per row, per
/// column or by a scalar are supported.
linalg::GenericOp fuseEpilogue(RewriterBase &rewriter, linalg::MatmulOp mm) {
  Value result = mm.getResult(0);
  auto mmType = cast<RankedTensorType>(result.getType());
  Operation *user = soleUser(result);
  // The expanded view the epilogue works on, and its [rows, columns] groups.
  Value view = result;
  SmallVector<ReassociationIndices> groups = {{0}, {1}};
  if (auto expand = dyn_cast_or_null<tensor::ExpandShapeOp>(user)) {
    view = expand.getResult();
    groups = expand.getReassociationIndices();
    user = soleUser(view);
  }
  if (!isEpilogueOp(user))
    return nullptr;
  // A chain that ends in a pad writes the interior of the padded buffer in
  // place (--dnnf-prepare-bufferization), which the 2-D tiles made here
  // could not: paddedEpilogue tiles it by whole rows instead.
  if (isa_and_nonnull<tensor::PadOp>(soleUser(chainEnd(user)->getResult(0))))
    return nullptr;
  linalg::GenericOp generic =
      fuseChain(rewriter, cast<linalg::GenericOp>(user));
  // Map each operand onto the 2-D (row, column) space of the matmul.
  auto viewType = cast<RankedTensorType>(view.getType());
  unsigned rank = viewType.getRank();
  if (groups.size() != 2 || generic.getNumLoops() != rank)
    return nullptr;
  int64_t rowDim = soleDim(viewType, groups[0]);
  int64_t colDim = soleDim(viewType, groups[1]);
  MLIRContext *ctx = rewriter.getContext();
  AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx);
  Location loc = generic.getLoc();
  rewriter.setInsertionPoint(generic);
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (OpOperand &operand : generic->getOpOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(&operand);
    Value v = operand.get();
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type)
      return nullptr;
    if (map.isIdentity() && type.getShape() == viewType.getShape()) {
      if (v != view)
        v = tensor::CollapseShapeOp::create(rewriter, loc, v, groups);
      else
        v = result;
      maps.push_back(AffineMap::get(2, 0, {m, n}, ctx));
    } else if (map.getNumResults() == 0) {
      maps.push_back(AffineMap::get(2, 0, {}, ctx));
    } else if (map.getNumResults() == 1 && map.isProjectedPermutation() &&
               type.getRank() == 1) {
      unsigned d = map.getDimPosition(0);
      if (int64_t(d) == rowDim)
        maps.push_back(AffineMap::get(2, 0, {m}, ctx));
      else if (int64_t(d) == colDim)
        maps.push_back(AffineMap::get(2, 0, {n}, ctx));
      else
        return nullptr;
    } else {
      return nullptr;
    }
    operands.push_back(v);
  }
  unsigned numInputs = generic.getNumDpsInputs();
  Type element = getElementTypeOrSelf(generic.getResult(0).getType());
  auto flat = linalg::GenericOp::create(
      rewriter, loc, TypeRange{mmType.clone(element)},
      ArrayRef(operands).take_front(numInputs),
      ArrayRef(operands).drop_front(numInputs), maps,
      SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel));
  rewriter.inlineRegionBefore(generic.getRegion(), flat.getRegion(),
                              flat.getRegion().begin());
  Value expanded = flat.getResult(0);
  if (view != result)
    expanded = tensor::ExpandShapeOp::create(
        rewriter, loc, generic.getResult(0).getType(), expanded, groups);
  rewriter.replaceOp(generic, expanded);
  if (Operation *expand = view.getDefiningOp(); expand && expand->use_empty())
    rewriter.eraseOp(expand);
  return flat;
}

/// A pool reading the [1, C, H, W] value `x`, as --dnnf-conv-to-matmul
/// writes small-window pools: one elementwise linalg.generic over (n, c,
/// oh, ow), identity maps, whose inputs are the strided slices
/// result[0, 0, a, b][1, C, OH, OW][1, 1, sh, sw] of the window positions
/// (a, b), the value's only uses.
struct WindowPool {
  linalg::GenericOp pool;
  int64_t strides[2];
  /// The largest window offsets (a, b).
  int64_t reach[2];
  /// The pooled rows (the pool's output height).
  int64_t height() const {
    return cast<RankedTensorType>(pool->getResult(0).getType()).getDimSize(2);
  }
  /// Rows of the input that `rows` consecutive pooled rows read.
  int64_t span(int64_t rows) const {
    return (rows - 1) * strides[0] + reach[0] + 1;
  }
  /// Whether tasks of `rows` pooled rows recompute at most an eighth more
  /// product rows than they advance by: overlapping windows (a 3x3 stride-2
  /// pool) read span(rows) rows but advance rows * stride, so two tasks
  /// share span(1) - stride rows, which each computes.
  bool cheapOverlap(int64_t rows) const {
    return 8 * (span(1) - strides[0]) <= rows * strides[0];
  }
  /// Pooled rows per task, dividing height(): the most whose
  /// windows span at most `columns` product columns (rows of `width`), or
  /// fewer recomputed rows where windows overlap (cheapOverlap, up to 4x
  /// the columns); none when a task would still recompute more than a
  /// quarter of its rows (such pools stay apart: measured on a 7x7
  /// stride-2 convolution, 64 channels at 112x112, under a 3x3 stride-2
  /// pool, tasks of one pooled row ran 0.72x the unfused speed).
  std::optional<int64_t> rowsPerTask(int64_t width, int64_t columns) const {
    int64_t height = this->height();
    int64_t rows = 1;
    for (int64_t r = 1; r <= height; ++r)
      if (height % r == 0 && span(r) * width <= columns)
        rows = r;
    if (cheapOverlap(rows))
      return rows;
    for (int64_t r = rows + 1; r <= height; ++r)
      if (height % r == 0 && cheapOverlap(r) && span(r) * width <= 4 * columns)
        return r;
    if (4 * (span(1) - strides[0]) <= rows * strides[0])
      return rows;
    return std::nullopt;
  }
};

std::optional<WindowPool> windowPoolOf(Value x) {
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  if (!xType || !xType.hasStaticShape() || xType.getRank() != 4 ||
      x.use_empty())
    return std::nullopt;
  WindowPool pool{nullptr, {0, 0}, {0, 0}};
  for (Operation *user : x.getUsers()) {
    auto slice = dyn_cast<tensor::ExtractSliceOp>(user);
    if (!slice || !slice->hasOneUse() || slice.getType().getRank() != 4)
      return std::nullopt;
    auto generic = dyn_cast<linalg::GenericOp>(*slice->user_begin());
    if (!generic || (pool.pool && generic != pool.pool))
      return std::nullopt;
    pool.pool = generic;
    std::optional<SmallVector<int64_t>> offsets =
        getConstantIntValues(slice.getMixedOffsets());
    std::optional<SmallVector<int64_t>> strides =
        getConstantIntValues(slice.getMixedStrides());
    if (!offsets || !strides || (*offsets)[0] != 0 || (*offsets)[1] != 0 ||
        (*strides)[0] != 1 || (*strides)[1] != 1 ||
        slice.getType().getDimSize(1) != xType.getDimSize(1))
      return std::nullopt;
    for (int i = 0; i < 2; ++i) {
      if (pool.strides[i] == 0)
        pool.strides[i] = (*strides)[2 + i];
      if (pool.strides[i] != (*strides)[2 + i])
        return std::nullopt;
      pool.reach[i] = std::max(pool.reach[i], (*offsets)[2 + i]);
    }
  }
  linalg::GenericOp generic = pool.pool;
  if (generic.getNumLoops() != 4 || generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != 4 ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }) ||
      !llvm::all_of(generic.getDpsInputs(), [&](Value in) {
        auto slice = in.getDefiningOp<tensor::ExtractSliceOp>();
        return slice && slice.getSource() == x;
      }))
    return std::nullopt;
  return pool;
}

/// Makes `v`, a static slice of a tensor.empty (possibly reshaped), a
/// tensor.empty of the slice's size: a task's temporary instead of a slice
/// of a whole-size buffer that bufferization would allocate (an empty's
/// contents are undefined either way).
void taskTemporary(RewriterBase &rewriter, Value v) {
  auto slice = v.getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice || !slice.getType().hasStaticShape())
    return;
  Value source = slice.getSource();
  while (Operation *def = source.getDefiningOp()) {
    if (isa<tensor::EmptyOp>(def))
      break;
    if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def))
      return;
    source = def->getOperand(0);
  }
  if (!source.getDefiningOp<tensor::EmptyOp>())
    return;
  rewriter.setInsertionPoint(slice);
  rewriter.replaceOp(slice,
                     tensor::EmptyOp::create(rewriter, slice.getLoc(),
                                             slice.getType().getShape(),
                                             slice.getType().getElementType()));
}

/// Fuses `producer` (whose result the pool `pool` reads) into the task of
/// the pool's tile `poolTile` (`channels` channels by `rows` pooled rows,
/// in `loops`): the task's windows read the producer's rows [row * sh, row
/// * sh + span) of its channels, a slice of its result that the window
/// positions' strided slices now take apart and into which the producer is
/// fused, writing a temporary of the task's size.  Returns the producer's
/// tile.
FailureOr<linalg::GenericOp>
fuseIntoPoolTile(RewriterBase &rewriter, const WindowPool &pool,
                 linalg::GenericOp producer, linalg::GenericOp poolTile,
                 ArrayRef<LoopLikeOpInterface> tileLoops, int64_t channels,
                 int64_t rows) {
  auto first =
      poolTile.getDpsInputs()[0].getDefiningOp<tensor::ExtractSliceOp>();
  if (!first)
    return failure();
  SmallVector<OpFoldResult> at = first.getMixedOffsets();
  auto pooled = cast<RankedTensorType>(first.getType());
  Location l = first.getLoc();
  rewriter.setInsertionPoint(poolTile);
  AffineExpr d0 = getAffineDimExpr(0, rewriter.getContext());
  OpFoldResult top = affine::makeComposedFoldedAffineApply(
      rewriter, l, d0 * pool.strides[0], {at[2]});
  int64_t width =
      (pooled.getDimSize(3) - 1) * pool.strides[1] + pool.reach[1] + 1;
  auto window = tensor::ExtractSliceOp::create(
      rewriter, l, producer.getResult(0),
      {rewriter.getIndexAttr(0), at[1], top, rewriter.getIndexAttr(0)},
      {rewriter.getIndexAttr(1), rewriter.getIndexAttr(channels),
       rewriter.getIndexAttr(pool.span(rows)), rewriter.getIndexAttr(width)},
      SmallVector<OpFoldResult>(4, rewriter.getIndexAttr(1)));
  for (OpOperand *in : poolTile.getDpsInputOperands()) {
    auto tileSlice = in->get().getDefiningOp<tensor::ExtractSliceOp>();
    auto strided =
        tileSlice
            ? tileSlice.getSource().getDefiningOp<tensor::ExtractSliceOp>()
            : nullptr;
    if (!strided)
      return failure();
    SmallVector<OpFoldResult> offsets = strided.getMixedOffsets();
    offsets[1] = rewriter.getIndexAttr(0);
    auto position = tensor::ExtractSliceOp::create(
        rewriter, l, tileSlice.getType(), window.getResult(), offsets,
        tileSlice.getMixedSizes(), strided.getMixedStrides());
    rewriter.modifyOpInPlace(poolTile, [&] { in->set(position.getResult()); });
    if (tileSlice->use_empty())
      rewriter.eraseOp(tileSlice);
    if (strided->use_empty())
      rewriter.eraseOp(strided);
  }
  SmallVector<LoopLikeOpInterface> loops(tileLoops);
  std::optional<scf::SCFFuseProducerOfSliceResult> fused =
      scf::tileAndFuseProducerOfSlice(rewriter, window, loops);
  if (!fused || fused->tiledOps.empty())
    return failure();
  auto tile = dyn_cast<linalg::GenericOp>(fused->tiledOps.front());
  if (!tile)
    return failure();
  // The producer's rows live in the task only.
  taskTemporary(rewriter, tile.getDpsInits()[0]);
  if (window->use_empty())
    rewriter.eraseOp(window);
  if (producer->use_empty())
    rewriter.eraseOp(producer);
  return tile;
}

/// An epilogue that runs on whole rows of a 1x1 convolution's output: the
/// fused elementwise chain, over the expanded view [.., C, H, W] of the
/// matmul's [C, H * W] result, and that view's dimensions.
struct RowEpilogue {
  linalg::GenericOp generic;
  tensor::ExpandShapeOp expand;
  /// The view's channel dimension (-1 if all of the row group is unit), and
  /// its H and W dimensions.
  int64_t channelDim, rowDim, colDim;
  /// With fuse-pools: the unpadded pool reading the chain, tiled instead.
  std::optional<WindowPool> pool = std::nullopt;
};

/// Whether `generic` reads `view` like it writes its result (identity maps
/// over the view's rank), so that a tile of the result reads the same tile
/// of the view.
bool readsLikeItWrites(linalg::GenericOp generic, Value view) {
  if (generic.getNumLoops() !=
          cast<RankedTensorType>(view.getType()).getRank() ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return false;
  for (OpOperand &operand : generic->getOpOperands())
    if (operand.get() == view &&
        (!generic.isDpsInput(&operand) ||
         !generic.getMatchingIndexingMap(&operand).isIdentity()))
      return false;
  return true;
}

/// A copy of the static 4-D tensor `v` (an identity linalg.generic into a
/// tensor.empty) that every other use of `v` then reads: a consumer that
/// row tiles can take when there is no elementwise chain to fuse.
linalg::GenericOp copyInPlaceOfUses(RewriterBase &rewriter, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  Location loc = v.getLoc();
  rewriter.setInsertionPointAfterValue(v);
  Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                        type.getElementType());
  AffineMap id = rewriter.getMultiDimIdentityMap(4);
  auto copy = linalg::GenericOp::create(
      rewriter, loc, type, v, empty, ArrayRef<AffineMap>{id, id},
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(b, l, args[0]);
      });
  rewriter.replaceAllUsesExcept(v, copy.getResult(0), copy);
  return copy;
}

/// Product columns a task of a pooled matmul (pooledEpilogue) aims at.
constexpr int64_t kPooledColumns = 256;

/// Matches `mm` -> expand_shape to [1, C, H, W] -> (a chain of elementwise
/// ops ->) an unpadded pool (windowPoolOf), and fuses the chain into one
/// generic over the view (a copy of the view when there is no chain): the
/// pool is then tiled by whole pooled rows and the chain and the matmul
/// fused into each task (tileForallByRows).
std::optional<RowEpilogue> pooledEpilogue(RewriterBase &rewriter,
                                          linalg::MatmulOp mm) {
  auto expand =
      dyn_cast_or_null<tensor::ExpandShapeOp>(soleUser(mm.getResult(0)));
  if (!expand)
    return std::nullopt;
  RankedTensorType viewType = expand.getResultType();
  if (expand.getReassociationIndices() !=
          SmallVector<ReassociationIndices>{{0, 1}, {2, 3}} ||
      !viewType.hasStaticShape() || viewType.getDimSize(0) != 1)
    return std::nullopt;
  Operation *user = soleUser(expand.getResult());
  std::optional<WindowPool> found =
      windowPoolOf(isEpilogueOp(user) ? Value(chainEnd(user)->getResult(0))
                                      : Value(expand.getResult()));
  if (!found || !found->rowsPerTask(viewType.getDimSize(3), kPooledColumns))
    return std::nullopt;
  linalg::GenericOp generic;
  if (isEpilogueOp(user)) {
    generic = fuseChain(rewriter, cast<linalg::GenericOp>(user));
    if (!readsLikeItWrites(generic, expand.getResult()))
      return std::nullopt;
  } else {
    generic = copyInPlaceOfUses(rewriter, expand.getResult());
  }
  std::optional<WindowPool> pool = windowPoolOf(generic.getResult(0));
  if (!pool)
    return std::nullopt;
  return RowEpilogue{generic, expand, 1, 2, 3, pool};
}

/// Matches `mm` -> expand_shape to [.., C, H, W] -> a chain of elementwise
/// ops -> tensor.pad, and fuses the chain into one generic over the view.
/// The chain's result is the interior of the padded buffer, strided in
/// memory, which no 2-D tile of the matmul maps onto; a tile of whole rows
/// of W does (tileForallByRows).
std::optional<RowEpilogue> paddedEpilogue(RewriterBase &rewriter,
                                          linalg::MatmulOp mm) {
  auto expand =
      dyn_cast_or_null<tensor::ExpandShapeOp>(soleUser(mm.getResult(0)));
  if (!expand)
    return std::nullopt;
  SmallVector<ReassociationIndices> groups = expand.getReassociationIndices();
  RankedTensorType viewType = expand.getResultType();
  if (groups.size() != 2 || groups[1].size() != 2 || !viewType.hasStaticShape())
    return std::nullopt;
  int64_t channelDim = soleDim(viewType, groups[0]);
  if (channelDim == -2)
    return std::nullopt;
  Operation *user = soleUser(expand.getResult());
  if (!isEpilogueOp(user) ||
      !isa_and_nonnull<tensor::PadOp>(soleUser(chainEnd(user)->getResult(0))))
    return std::nullopt;
  linalg::GenericOp generic =
      fuseChain(rewriter, cast<linalg::GenericOp>(user));
  if (!readsLikeItWrites(generic, expand.getResult()))
    return std::nullopt;
  return RowEpilogue{generic, expand, channelDim, groups[1][0], groups[1][1]};
}

/// The input of the tiled op `tile` that is a slice of `source` (the last
/// one), or null.
tensor::ExtractSliceOp inputSliceOf(linalg::GenericOp tile, Value source) {
  tensor::ExtractSliceOp found;
  for (Value in : tile.getDpsInputs())
    if (auto slice = in.getDefiningOp<tensor::ExtractSliceOp>();
        slice && slice.getSource() == source)
      found = slice;
  return found;
}

/// Rows of W per tile: the most (dividing H) that keep the tile at most
/// `columns` floats wide, or one row.
int64_t rowsPerTile(int64_t height, int64_t width, int64_t columns = 256) {
  int64_t rows = 1;
  for (int64_t r = 1; r <= height; ++r)
    if (height % r == 0 && r * width <= columns)
      rows = r;
  return rows;
}

/// Tiles `epilogue` into an scf.forall of tiles of `channels` channels and
/// `rows` whole rows, and fuses into each tile the matmul `mm` (the slice of
/// its result that a tile reads is the [channels, rows * W] block of its
/// [C, H * W] result, expanded) and the fill of its destination.  Each task
/// then computes its block of the product in a temporary of its own and
/// writes the epilogue's rows into the result, in place in the padded
/// buffer: the product never goes through memory as a whole.  With a pool
/// (pooledEpilogue), the pool is tiled instead (`rows` pooled rows), the
/// epilogue fused into each task on the rows its windows read
/// (fuseIntoPoolTile), and the matmul on those.  Returns the matmul's tile.
FailureOr<Operation *> tileForallByRows(RewriterBase &rewriter,
                                        RowEpilogue epilogue,
                                        linalg::MatmulOp mm, int64_t channels,
                                        int64_t rows) {
  RankedTensorType viewType = epilogue.expand.getResultType();
  int64_t width = viewType.getDimSize(epilogue.colDim);
  SmallVector<int64_t> sizes(viewType.getRank(), 0);
  if (epilogue.channelDim >= 0)
    sizes[epilogue.channelDim] = channels;
  sizes[epilogue.rowDim] = rows;
  // With a pool, the pool is tiled and the epilogue fused into its tasks.
  linalg::GenericOp root =
      epilogue.pool ? epilogue.pool->pool : epilogue.generic;
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(root.getOperation()),
                        tilingOptions(rewriter, sizes, /*forall=*/true));
  if (failed(tiled) || tiled->loops.size() != 1)
    return failure();
  rewriter.replaceOp(root, tiled->replacements);
  auto epilogueTile = cast<linalg::GenericOp>(tiled->tiledOps.back());
  if (epilogue.pool) {
    FailureOr<linalg::GenericOp> fused =
        fuseIntoPoolTile(rewriter, *epilogue.pool, epilogue.generic,
                         epilogueTile, tiled->loops, channels, rows);
    if (failed(fused))
      return failure();
    epilogueTile = *fused;
    rows = epilogue.pool->span(rows);
  }
  // The tile's slice of the view becomes the expanded slice of the product.
  tensor::ExtractSliceOp viewSlice =
      inputSliceOf(epilogueTile, epilogue.expand.getResult());
  if (!viewSlice)
    return failure();
  Location loc = viewSlice.getLoc();
  rewriter.setInsertionPoint(viewSlice);
  SmallVector<OpFoldResult> offsets = viewSlice.getMixedOffsets();
  OpFoldResult channel = rewriter.getIndexAttr(0);
  if (epilogue.channelDim >= 0)
    channel = offsets[epilogue.channelDim];
  AffineExpr d0 = getAffineDimExpr(0, rewriter.getContext());
  OpFoldResult column = affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0 * width, {offsets[epilogue.rowDim]});
  int64_t tileChannels = epilogue.channelDim >= 0
                             ? viewSlice.getStaticSize(epilogue.channelDim)
                             : 1;
  auto productSlice = tensor::ExtractSliceOp::create(
      rewriter, loc, mm.getResult(0), {channel, column},
      {rewriter.getIndexAttr(tileChannels),
       rewriter.getIndexAttr(rows * width)},
      {rewriter.getIndexAttr(1), rewriter.getIndexAttr(1)});
  // The rows of the product, expanded; a pool's windows may read fewer
  // columns than a row has (the tile's corner).
  RankedTensorType sliceType = viewSlice.getType();
  SmallVector<int64_t> rowsShape(sliceType.getShape());
  rowsShape[epilogue.colDim] = width;
  Value expanded = tensor::ExpandShapeOp::create(
      rewriter, loc, sliceType.clone(rowsShape), productSlice.getResult(),
      epilogue.expand.getReassociationIndices());
  if (rowsShape != sliceType.getShape())
    expanded = tensor::ExtractSliceOp::create(
        rewriter, loc, sliceType, expanded,
        SmallVector<OpFoldResult>(rowsShape.size(), rewriter.getIndexAttr(0)),
        viewSlice.getMixedSizes(),
        SmallVector<OpFoldResult>(rowsShape.size(), rewriter.getIndexAttr(1)));
  rewriter.replaceOp(viewSlice, expanded);
  if (epilogue.expand->use_empty())
    rewriter.eraseOp(epilogue.expand);
  // Fuse the matmul, then the fill of its destination, into the tile.
  SmallVector<LoopLikeOpInterface> loops = tiled->loops;
  std::optional<scf::SCFFuseProducerOfSliceResult> product =
      scf::tileAndFuseProducerOfSlice(rewriter, productSlice, loops);
  if (!product)
    return failure();
  linalg::MatmulOp tiledMatmul;
  for (Operation *op : product->tiledOps)
    if (auto m = dyn_cast<linalg::MatmulOp>(op))
      tiledMatmul = m;
  if (!tiledMatmul)
    return failure();
  if (productSlice->use_empty())
    rewriter.eraseOp(productSlice);
  if (auto destSlice =
          tiledMatmul.getDpsInits()[0].getDefiningOp<tensor::ExtractSliceOp>();
      destSlice && destSlice.getSource().getDefiningOp<linalg::FillOp>()) {
    Operation *fill = destSlice.getSource().getDefiningOp();
    if (!scf::tileAndFuseProducerOfSlice(rewriter, destSlice, loops))
      return failure();
    if (destSlice->use_empty())
      rewriter.eraseOp(destSlice);
    if (fill->use_empty())
      rewriter.eraseOp(fill);
  }
  // The task's block of the product is its own temporary.
  if (auto fill = tiledMatmul.getDpsInits()[0].getDefiningOp<linalg::FillOp>())
    taskTemporary(rewriter, fill.getDpsInits()[0]);
  if (mm->use_empty())
    rewriter.eraseOp(mm);
  return tiledMatmul.getOperation();
}

/// Makes the matmul tile `mm` accumulate in the destination tile of its
/// epilogue tile `epilogue`, which then rewrites it in place: the product
/// becomes the epilogue's `outs` operand, read through its block argument,
/// instead of one of its inputs.  No temporary tile is then allocated, zeroed
/// and read again per task.  Needs the product's only use to be the
/// epilogue, read like the result is written (identity maps), and the tile
/// to start from a fill.
LogicalResult epilogueInPlace(RewriterBase &rewriter, linalg::MatmulOp mm,
                              linalg::GenericOp epilogue) {
  Value product = mm.getResult(0);
  auto fill = mm.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  OpOperand *dest = epilogue.getDpsInitOperand(0);
  auto destSlice = dest->get().getDefiningOp<tensor::ExtractSliceOp>();
  if (!fill || !product.hasOneUse() || !destSlice ||
      epilogue.getNumDpsInits() != 1 ||
      dest->get().getType() != product.getType() ||
      !epilogue.getRegionOutputArgs()[0].use_empty() ||
      !epilogue.getMatchingIndexingMap(dest).isIdentity())
    return failure();
  OpOperand *input = &*product.getUses().begin();
  if (!epilogue.isDpsInput(input) ||
      !epilogue.getMatchingIndexingMap(input).isIdentity())
    return failure();
  // The destination slice moves before the fill: its operands must be
  // defined there (the loop's induction variables and shared outputs).
  if (!llvm::all_of(destSlice->getOperands(), [&](Value v) {
        Operation *def = v.getDefiningOp();
        return !def || def->getBlock() != fill->getBlock() ||
               def->isBeforeInBlock(fill);
      }))
    return failure();
  rewriter.moveOpBefore(destSlice, fill);
  rewriter.modifyOpInPlace(
      fill, [&] { fill.getDpsInitsMutable()[0].set(destSlice.getResult()); });
  unsigned index = input->getOperandNumber();
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (OpOperand *in : epilogue.getDpsInputOperands())
    if (in != input) {
      inputs.push_back(in->get());
      maps.push_back(epilogue.getMatchingIndexingMap(in));
    }
  maps.push_back(epilogue.getMatchingIndexingMap(dest));
  rewriter.setInsertionPoint(epilogue);
  auto inPlace = linalg::GenericOp::create(
      rewriter, epilogue.getLoc(), epilogue.getResultTypes(), inputs,
      ValueRange{product}, maps, epilogue.getIteratorTypesArray());
  Block &body = epilogue.getRegion().front();
  rewriter.replaceAllUsesWith(body.getArgument(index),
                              epilogue.getRegionOutputArgs()[0]);
  rewriter.inlineRegionBefore(epilogue.getRegion(), inPlace.getRegion(),
                              inPlace.getRegion().begin());
  inPlace.getRegion().front().eraseArgument(index);
  rewriter.replaceOp(epilogue, inPlace.getResults());
  return success();
}

/// Tiles the epilogue `epilogue` into an scf.forall of `sizes` tiles and
/// fuses its producer `mm` and the op initialising `mm`'s destination into
/// each tile: the matmul tile, then the epilogue on it while it is in
/// cache.  Returns the matmul's tile.
FailureOr<Operation *> tileForallWithEpilogue(RewriterBase &rewriter,
                                              linalg::GenericOp epilogue,
                                              linalg::MatmulOp mm,
                                              ArrayRef<int64_t> sizes,
                                              llvm::Statistic &numInPlace) {
  // The matmul, and the fill of its destination (a plain operand of the
  // fused matmul tile, not a destination of the loop): the tile then starts
  // from its own zeroed buffer.
  Operation *matmul = mm;
  FailureOr<SmallVector<Operation *>> tiles = tileAndFuseForall(
      rewriter, cast<TilingInterface>(epilogue.getOperation()), sizes,
      [&](Operation *p) { return p == matmul || isa<linalg::FillOp>(p); });
  if (failed(tiles))
    return failure();
  if (mm->use_empty())
    rewriter.eraseOp(mm);
  auto tiledEpilogue = dyn_cast<linalg::GenericOp>(tiles->front());
  linalg::MatmulOp tiledMatmul;
  for (Operation *op : *tiles)
    if (auto m = dyn_cast<linalg::MatmulOp>(op))
      tiledMatmul = m;
  if (!tiledEpilogue || !tiledMatmul)
    return failure();
  if (succeeded(epilogueInPlace(rewriter, tiledMatmul, tiledEpilogue)))
    ++numInPlace;
  return tiledMatmul.getOperation();
}

/// Pads loop `dim` of `op` with zeros to whole vectors (of 16 floats, or 8
/// when it is at most 8 wide) unless it is 1, 2 or 4 wide or already whole;
/// `op` becomes the padded op, the original's uses read the unpadded part.
/// Once vectorized, the pads fold into masked transfer_reads, and the write
/// of the padded result followed by the extract_slice of the unpadded part
/// into a masked transfer_write (populatePadOpVectorizationPatterns): full
/// vectors instead of odd-sized ones that LLVM splits into pieces and
/// scalars.
LogicalResult padToVectors(RewriterBase &rewriter, linalg::LinalgOp &op,
                           int64_t dim) {
  int64_t width = op.getStaticLoopRanges()[dim];
  int64_t vector = width > 8 ? 16 : 8;
  if (width % vector == 0 || llvm::is_contained({1, 2, 4}, width))
    return success();
  linalg::LinalgPaddingOptions options;
  SmallVector<Attribute> zeros;
  for (Value v : op->getOperands())
    zeros.push_back(rewriter.getZeroAttr(getElementTypeOrSelf(v.getType())));
  options.setPaddingValues(zeros)
      .setPaddingDimensions({dim})
      .setPadToMultipleOf({vector})
      .setCopyBackOp(linalg::LinalgPaddingOptions::CopyBackOp::None);
  linalg::LinalgOp padded;
  SmallVector<Value> replacements;
  SmallVector<tensor::PadOp> pads;
  rewriter.setInsertionPoint(op);
  if (failed(linalg::rewriteAsPaddedOp(rewriter, op, options, padded,
                                       replacements, pads)))
    return failure();
  rewriter.replaceOp(op, replacements);
  op = padded;
  return success();
}

/// Folds the pads of padToVectors into masked transfer ops.
LogicalResult foldPadsIntoTransfers(func::FuncOp func) {
  RewritePatternSet patterns(func.getContext());
  linalg::populatePadOpVectorizationPatterns(patterns);
  return applyPatternsGreedily(func, std::move(patterns));
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

/// Marks the K loops of vectorized register tiles.
constexpr llvm::StringLiteral kAccumulate = "__dnnf_accumulate__";

/// K steps per vectorized register tile (at most; a divisor of the K tile).
constexpr int64_t kUnroll = 8;

/// K cache tiles: all of a K up to kMaxKTile, else the largest divisor of
/// K from kMaxKTile down to kMinKTile that kUnroll divides.
constexpr int64_t kMaxKTile = 256;
constexpr int64_t kMinKTile = 64;

/// Matmuls with at most this many rows (M) and at least this many columns
/// (N) take column tiles even when N is not a whole number of register
/// tiles (columnDivisor).
constexpr int64_t kFewRows = 32;
constexpr int64_t kManyColumns = 512;

/// A divisor of `n` from 64 to 1024 that makes at least 2 column tiles (at
/// least 4 where one of 128 or more does), or 0.
int64_t columnDivisor(int64_t n) {
  int64_t best = 0;
  for (int64_t c = std::min<int64_t>(1024, n / 2); c >= 64; --c) {
    if (n % c)
      continue;
    if (!best)
      best = c;
    if (c >= 128 && n / c >= 4)
      return c;
  }
  return best;
}

/// The K cache tile: all of a K up to 256 (the register tiles then start
/// from zero and write C once), else a divisor that keeps tiles in cache --
/// not only powers of two: K = 576 takes 192, not 64, and 672 takes 224,
/// not 32, each step reloading and storing the C tile -- else all of a
/// moderate K (never a K tile of 1, which would reload the C tile per step).
int64_t pickK(int64_t k) {
  if (k <= kMaxKTile)
    return k;
  for (int64_t c = kMaxKTile; c >= kMinKTile; c -= kUnroll)
    if (k % c == 0)
      return c;
  if (int64_t c = pick(k, {32, 16, 8}))
    return c;
  return k <= 1024 ? k : pick(k, {4, 2, 1});
}

/// Merges each of `slices` (tensor.extract_slice ops) with the chain of
/// slices it reads from, into one slice of the chain's source.
void mergeSliceChains(ArrayRef<Operation *> slices) {
  if (slices.empty())
    return;
  RewritePatternSet patterns(slices.front()->getContext());
  tensor::populateMergeConsecutiveInsertExtractSlicePatterns(patterns);
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  (void)applyOpPatternsGreedily(slices, std::move(patterns), config);
}

/// The value a chain of tensor.extract_slice ops ending in `v` slices.
Value sliceChainRoot(Value v) {
  while (auto slice = v.getDefiningOp<tensor::ExtractSliceOp>())
    v = slice.getSource();
  return v;
}

/// Register tiles are this many columns wide; packed weight panels too.
constexpr int64_t kPanel = 32;

/// Cache tiles of fewer rows do not pack their B at run time: the copy is
/// shared by that many register tiles' rows.
constexpr int64_t kMinPackRows = 16;

/// Implicit-GEMM convolution blocks narrower than this do not pack B.
constexpr int64_t kMinPackedConvColumns = 256;

/// Whether `index` is known to be a multiple of `factor`: a constant,
/// an scf.for or scf.forall induction variable whose lower bound and step
/// are, or sums and products (arith, affine.apply) of such.
bool isMultipleOf(OpFoldResult index, int64_t factor) {
  if (std::optional<int64_t> c = getConstantIntValue(index))
    return *c % factor == 0;
  auto v = dyn_cast<Value>(index);
  if (!v)
    return false;
  auto multiple = [&](OpFoldResult r) { return isMultipleOf(r, factor); };
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    Operation *owner = arg.getOwner()->getParentOp();
    if (auto loop = dyn_cast<scf::ForOp>(owner))
      return arg == loop.getInductionVar() && multiple(loop.getLowerBound()) &&
             multiple(loop.getStep());
    if (auto forall = dyn_cast<scf::ForallOp>(owner)) {
      unsigned i = arg.getArgNumber();
      return i < forall.getRank() && multiple(forall.getMixedLowerBound()[i]) &&
             multiple(forall.getMixedStep()[i]);
    }
    return false;
  }
  if (auto add = v.getDefiningOp<arith::AddIOp>())
    return isMultipleOf(add.getLhs(), factor) &&
           isMultipleOf(add.getRhs(), factor);
  if (auto mul = v.getDefiningOp<arith::MulIOp>())
    return isMultipleOf(mul.getLhs(), factor) ||
           isMultipleOf(mul.getRhs(), factor);
  if (auto apply = v.getDefiningOp<affine::AffineApplyOp>()) {
    // Operands known to be multiples become factor * d.
    AffineMap map = apply.getAffineMap();
    SmallVector<AffineExpr> dims, symbols;
    MLIRContext *ctx = v.getContext();
    for (unsigned i = 0; i < map.getNumDims(); ++i)
      dims.push_back(isMultipleOf(apply.getMapOperands()[i], factor)
                         ? getAffineDimExpr(i, ctx) * factor
                         : getAffineDimExpr(i, ctx));
    for (unsigned i = 0; i < map.getNumSymbols(); ++i)
      symbols.push_back(
          isMultipleOf(apply.getMapOperands()[map.getNumDims() + i], factor)
              ? getAffineSymbolExpr(i, ctx) * factor
              : getAffineSymbolExpr(i, ctx));
    AffineExpr e = simplifyAffineExpr(
        map.getResult(0).replaceDimsAndSymbols(dims, symbols), map.getNumDims(),
        map.getNumSymbols());
    return e.getLargestKnownDivisor() % factor == 0;
  }
  return false;
}

/// The f32 values of a constant, when they are at hand (a dense or a
/// resource attribute whose blob is loaded).
std::optional<ArrayRef<float>> constantData(arith::ConstantOp cst,
                                            SmallVectorImpl<float> &storage) {
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(cst.getValue()))
    return resource.tryGetAsArrayRef();
  if (auto dense = dyn_cast<DenseElementsAttr>(cst.getValue());
      dense && dense.getElementType().isF32() && !dense.isSplat()) {
    storage.assign(dense.getValues<float>().begin(),
                   dense.getValues<float>().end());
    return ArrayRef<float>(storage);
  }
  return std::nullopt;
}

/// The implicit-GEMM convolution of --dnnf-conv-to-matmul: an f32
/// linalg.generic over (f, n, kh, kw, c), parallel in f and n, that sums
/// w[kh, kw, f, c] * in[c, n + a * kh + b * kw] into ext[f, n] (a, b
/// constants), with static shapes.
bool isImplicitConv(linalg::GenericOp op) {
  if (op.getNumLoops() != 5 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
      op.hasIndexSemantics() || llvm::any_of(op->getOperandTypes(), [](Type t) {
        auto type = dyn_cast<RankedTensorType>(t);
        return !type || !type.hasStaticShape() ||
               !type.getElementType().isF32();
      }))
    return false;
  using utils::IteratorType;
  if (op.getIteratorTypesArray() !=
      SmallVector<IteratorType>{IteratorType::parallel, IteratorType::parallel,
                                IteratorType::reduction,
                                IteratorType::reduction,
                                IteratorType::reduction})
    return false;
  MLIRContext *ctx = op.getContext();
  auto e = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0] != AffineMap::get(5, 0, {e(2), e(3), e(0), e(4)}, ctx) ||
      maps[2] != AffineMap::get(5, 0, {e(0), e(1)}, ctx) ||
      maps[1].getNumResults() != 2 || maps[1].getResult(0) != e(4))
    return false;
  // The column: d1 plus constant multiples of d2 and d3.
  AffineExpr column = maps[1].getResult(1);
  AffineExpr shift = column.replace(e(1), getAffineConstantExpr(0, ctx));
  if (simplifyAffineExpr(column, 5, 0) !=
          simplifyAffineExpr(e(1) + shift, 5, 0) ||
      shift.isFunctionOfDim(0) || shift.isFunctionOfDim(1) ||
      shift.isFunctionOfDim(4) || !shift.isPureAffine())
    return false;
  // The body: out + w * in.
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 3)
    return false;
  auto mul = dyn_cast<arith::MulFOp>(&body.front());
  auto add = dyn_cast<arith::AddFOp>(mul ? mul->getNextNode() : nullptr);
  return mul && add &&
         ((mul.getLhs() == body.getArgument(0) &&
           mul.getRhs() == body.getArgument(1)) ||
          (mul.getLhs() == body.getArgument(1) &&
           mul.getRhs() == body.getArgument(0))) &&
         ((add.getLhs() == body.getArgument(2) && add.getRhs() == mul) ||
          (add.getRhs() == body.getArgument(2) && add.getLhs() == mul)) &&
         body.getTerminator()->getOperand(0) == add.getResult();
}

struct TileVectorizePass
    : public dnnf::impl::DnnfTileVectorizeBase<TileVectorizePass> {
  using Base::Base;

  /// Tiles `op` ((batch_)matmul; `batched` says which) twice and marks the
  /// register tiles for vectorization.  The register tile is 8 x 32 x 8 (or
  /// the largest divisors of M and K, and all of a narrower N).  When 32
  /// does not divide N, the N loop of the register tiles is peeled: full
  /// tiles, then one narrower tile, both static (vectorized once the peeled
  /// bounds are canonicalized).
  LogicalResult schedule(RewriterBase &rewriter, Operation *op, bool batched) {
    SmallVector<int64_t> ranges =
        cast<linalg::LinalgOp>(op).getStaticLoopRanges();
    ArrayRef<int64_t> mnk = ArrayRef<int64_t>(ranges).drop_front(batched);
    int64_t m = mnk[0], n = mnk[1], k = mnk[2];
    rewriter.setInsertionPoint(op);
    auto mm = dyn_cast<linalg::MatmulOp>(op);
    linalg::GenericOp epilogue;
    std::optional<RowEpilogue> byRows;
    if (mm && fuseEpilogues && fusePools)
      byRows = pooledEpilogue(rewriter, mm);
    if (mm && fuseEpilogues && !byRows) {
      epilogue = fuseEpilogue(rewriter, mm);
      if (!epilogue)
        byRows = paddedEpilogue(rewriter, mm);
    }
    // An epilogue tiled by whole rows: the tile's [rows * W] columns are the
    // N of the matmul tile, and there are H / rows tiles along N.  With a
    // pool, `rows` counts pooled rows, whose windows read span(rows) rows.
    int64_t rows = 0, rowTiles = 0;
    if (byRows) {
      RankedTensorType view = byRows->expand.getResultType();
      int64_t width = view.getDimSize(byRows->colDim);
      if (std::optional<WindowPool> pool = byRows->pool) {
        rows = pool->rowsPerTask(width, kPooledColumns).value_or(1);
        rowTiles = pool->height() / rows;
        n = pool->span(rows) * width;
      } else {
        int64_t height = view.getDimSize(byRows->rowDim);
        rows = rowsPerTile(height, width);
        rowTiles = height / rows;
        n = rows * width;
      }
    }
    // Register tiles are 32 columns wide (two AVX-512 vectors); a narrower
    // N is one tile.  The rest of an N that 32 does not divide is one
    // narrower peeled tile, padded to whole vectors when it is vectorized.
    bool peel = n > 32 && n % 32 != 0;
    int64_t rn = std::min<int64_t>(n, 32);
    int64_t rm = pick(m, {8, 4, 2, 1});
    int64_t cm = rowTile(m, rm, 64);
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
    bool wholeRows = !byRows && (peel || cn < 64);
    // Unless M is small and N large: with whole rows there would be few
    // tasks, and each would read all of B, which each thread fetches from
    // where the previous kernel left it (a 16 x 128 x 3025 matmul ran 1.3x
    // slower on two threads than on one).  Such tasks take equal column
    // tiles whose width divides N, each peeled.
    if (wholeRows && peel && !batched && m <= kFewRows && n >= kManyColumns) {
      if (int64_t width = columnDivisor(n)) {
        wholeRows = false;
        cn = width;
        peel = cn > 32 && cn % 32 != 0;
        rn = std::min<int64_t>(cn, 32);
        ++numDividedColumns;
      }
    }
    // At least 4 cache tiles where the rows allow, so that the tasks (and
    // the fused epilogues) spread over the threads.
    int64_t batch = batched ? ranges[0] : 1;
    int64_t columnTiles = byRows ? rowTiles : wholeRows ? 1 : n / cn;
    while (cm > rm && batch * (m / cm) * columnTiles < 4)
      cm = rowTile(m, rm, cm - 1);
    SmallVector<int64_t> parallelSizes = {cm, wholeRows ? 0 : cn, 0};
    // A K that is one cache tile needs no K loop: each register tile then
    // holds all of its sum and may start from zero (see below).
    SmallVector<int64_t> kSizes = {0, wholeRows && !peel ? cn : 0,
                                   ck == k ? 0 : ck};
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
    FailureOr<Operation *> tiles =
        byRows ? tileForallByRows(rewriter, *byRows, mm, cm, rows)
        : epilogue
            ? tileForallWithEpilogue(
                  rewriter, epilogue, mm,
                  ArrayRef<int64_t>(parallelSizes).take_front(2), numInPlace)
            : tileForallWithFill(rewriter, cast<TilingInterface>(op),
                                 parallelSizes);
    if (succeeded(tiles) && (epilogue || byRows))
      ++numEpilogues;
    if (succeeded(tiles) && byRows)
      ++(byRows->pool ? numFusedPools : numRowEpilogues);
    if (failed(tiles))
      return failure();
    rewriter.setInsertionPoint(*tiles);
    FailureOr<Operation *> outer = *tiles;
    if (llvm::any_of(kSizes, [](int64_t size) { return size != 0; }))
      outer = tile(rewriter, cast<TilingInterface>(*tiles), kSizes);
    if (failed(outer))
      return failure();
    if (batched) {
      // The cache tile holds one batch: a plain matmul on the tile's
      // matrices from here on.
      *outer = dropUnitBatch(rewriter, cast<linalg::BatchMatmulOp>(*outer));
      innerSizes.erase(innerSizes.begin());
    }
    return registerTiles(rewriter, cast<linalg::MatmulOp>(*outer), innerSizes,
                         peel);
  }

  /// Tiles the matmul cache tile `outer` into register tiles of `sizes`
  /// (M, N, K) and marks them for vectorization; `peel` peels the N loop
  /// when its last tile is narrower.  `mayPack` allows packPanels.
  LogicalResult registerTiles(RewriterBase &rewriter, linalg::MatmulOp outer,
                              ArrayRef<int64_t> sizes, bool peel,
                              bool mayPack = true) {
    Value b = outer.getDpsInputs()[1];
    bool pack = mayPack && worthPacking(outer);
    rewriter.setInsertionPoint(outer);
    // Register tiles go down the rows of a column panel (N, then M, then K):
    // the panel of B the K loop reads (a K tile x 32 floats) stays in L1
    // while the tiles of all the cache tile's rows use it.
    SmallVector<scf::ForOp> loops;
    FailureOr<Operation *> inner = zeroStart(rewriter, outer, sizes, loops);
    if (failed(inner)) {
      loops.clear();
      inner = tile(rewriter, cast<TilingInterface>(outer.getOperation()), sizes,
                   &loops, /*interchange=*/{1, 0, 2});
    }
    if (failed(inner))
      return failure();
    (*inner)->setAttr(kVectorize, rewriter.getUnitAttr());
    if (peel) {
      // loops: N, M, K register-tile loops.
      scf::ForOp partial;
      if (loops.size() != 3 || failed(scf::peelForLoopAndSimplifyBounds(
                                   rewriter, loops[0], partial)))
        return failure();
    }
    if (pack && loops.size() == 3)
      packPanels(rewriter, b, loops.front(), peel);
    return success();
  }

  /// Whether the register tiles of the cache tile `outer` should read B
  /// from panels packed at run time (packPanels): when B, [ck, cn] with cn
  /// >= 32, is not (a slice of) a constant, which pack-weights packs at
  /// compile time, nor already one panel wide, and the tile has at least
  /// kMinPackRows rows, so that several register tiles share each copy.
  bool worthPacking(linalg::MatmulOp outer) {
    auto type = dyn_cast<RankedTensorType>(outer.getDpsInputs()[1].getType());
    auto aType = dyn_cast<RankedTensorType>(outer.getDpsInputs()[0].getType());
    if (!packActivations || !type || !aType || !type.hasStaticShape() ||
        !aType.hasStaticShape() || type.getRank() != 2 ||
        !type.getElementType().isF32() || type.getDimSize(1) < kPanel ||
        aType.getDimSize(0) < kMinPackRows)
      return false;
    Value root = sliceChainRoot(outer.getDpsInputs()[1]);
    auto rootType = dyn_cast<RankedTensorType>(root.getType());
    return !root.getDefiningOp<arith::ConstantOp>() && rootType &&
           rootType.getRank() >= 2 &&
           rootType.getDimSize(rootType.getRank() - 1) != kPanel;
  }

  /// Copies each 32-column panel of `b` ([ck, cn]) that the register-tile
  /// loop `nLoop` (over N, by 32) visits into a [ck, 32] buffer at the top
  /// of the loop's body, one vector row at a time, and makes the register
  /// tiles of the body (below it, the M and K loops) read their [kr, 32]
  /// blocks of B there: kr * 32 consecutive floats, in L1 for all the
  /// tile's rows, instead of kr rows as far apart as B's rows (an im2col's
  /// or an activation's width; the strided rows defeat the hardware
  /// prefetchers).  Measured on a 128 x 1152 x 784 matmul (a 3x3
  /// convolution's im2col), one thread: 2.31 ms reading B in place, 1.95
  /// ms packed this way, 1.71 ms with B a constant packed at compile time.
  void packPanels(RewriterBase &rewriter, Value b, scf::ForOp nLoop,
                  bool peeled) {
    auto type = cast<RankedTensorType>(b.getType());
    int64_t ck = type.getDimSize(0);
    Type f32 = type.getElementType();
    Location loc = nLoop.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto index = [&](int64_t v) -> OpFoldResult {
      return rewriter.getIndexAttr(v);
    };
    Value n = nLoop.getInductionVar();
    rewriter.setInsertionPointToStart(nLoop.getBody());
    Value source = tensor::ExtractSliceOp::create(
        rewriter, loc, b, {index(0), n}, {index(ck), index(kPanel)},
        {index(1), index(1)});
    Value empty = tensor::EmptyOp::create(rewriter, loc, {ck, kPanel}, f32);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value pad = arith::ConstantOp::create(rewriter, loc, f32,
                                          rewriter.getZeroAttr(f32));
    auto rowType = VectorType::get({kPanel}, f32);
    auto copy = scf::ForOp::create(
        rewriter, loc, zero, arith::ConstantIndexOp::create(rewriter, loc, ck),
        arith::ConstantIndexOp::create(rewriter, loc, 1), ValueRange{empty},
        [&](OpBuilder &nested, Location l, Value k, ValueRange args) {
          Value row = vector::TransferReadOp::create(nested, l, rowType, source,
                                                     ValueRange{k, zero}, pad,
                                                     ArrayRef<bool>{true});
          Value written = vector::TransferWriteOp::create(
                              nested, l, row, args[0], ValueRange{k, zero},
                              ArrayRef<bool>{true})
                              .getResult();
          scf::YieldOp::create(nested, l, written);
        });
    Value panel = copy.getResult(0);
    // The register tiles: their B blocks' offsets in b, summed down the
    // chain of slices, must be (k, n).
    SmallVector<linalg::MatmulOp> tiles;
    nLoop.getBody()->walk([&](linalg::MatmulOp mm) {
      if (mm->hasAttr(kVectorize))
        tiles.push_back(mm);
    });
    AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx);
    bool used = false;
    for (linalg::MatmulOp mm : tiles) {
      Value v = mm.getDpsInputs()[1];
      auto direct = v.getDefiningOp<tensor::ExtractSliceOp>();
      // Full-width blocks only: 32 columns, or a width that is 32 once the
      // peeled loop's bounds fold (the remainder is in the peeled copy).
      if (!direct || direct.getType().getRank() != 2 ||
          (direct.getType().getDimSize(1) != kPanel &&
           !(peeled && direct.getType().isDynamicDim(1))))
        continue;
      Location tileLoc = mm.getLoc();
      rewriter.setInsertionPoint(mm);
      SmallVector<OpFoldResult> offsets(2, index(0));
      while (v != b) {
        auto slice = v.getDefiningOp<tensor::ExtractSliceOp>();
        if (!slice || !slice.hasUnitStride() ||
            slice.getSourceType().getRank() != 2 ||
            slice.getType().getRank() != 2)
          break;
        for (int i = 0; i < 2; ++i)
          offsets[i] = affine::makeComposedFoldedAffineApply(
              rewriter, tileLoc, d0 + d1,
              {offsets[i], slice.getMixedOffsets()[i]});
        v = slice.getSource();
      }
      if (v != b)
        continue;
      std::optional<int64_t> column =
          getConstantIntValue(affine::makeComposedFoldedAffineApply(
              rewriter, tileLoc, d0 - d1, {offsets[1], n}));
      if (column != 0)
        continue;
      Value read = tensor::ExtractSliceOp::create(
          rewriter, tileLoc, direct.getType(), panel, {offsets[0], index(0)},
          direct.getMixedSizes(), {index(1), index(1)});
      rewriter.modifyOpInPlace(mm, [&] { mm->setOperand(1, read); });
      ++numPackedTiles;
      used = true;
    }
    if (used)
      ++numPackedActivations;
    else
      rewriter.eraseOp(copy);
  }

  /// Schedules the implicit-GEMM convolution `conv` of --dnnf-conv-to-matmul
  /// (isImplicitConv), whose [F, OH * Wp] product is read as the [1, F, OH,
  /// OW] corner of its [1, F, OH, Wp] view: the consumer of that corner (its
  /// chain of elementwise ops, fused, or a copy) is tiled into an scf.forall
  /// of `cm` channels by whole output rows, as for row epilogues, and each
  /// task computes its [cm, rows * Wp] block of the product in a zeroed
  /// temporary of its own: one K step per window position and K tile of
  /// channels, each a linalg.matmul of the weights' [cm, ck] slice at that
  /// position by the [ck, rows * Wp] slice of the flattened input shifted by
  /// the position's offset -- no im2col.  The matmuls get the register tiles
  /// of a matmul.
  LogicalResult scheduleImplicitConv(RewriterBase &rewriter,
                                     linalg::GenericOp conv) {
    auto expand =
        dyn_cast_or_null<tensor::ExpandShapeOp>(soleUser(conv.getResult(0)));
    if (!expand)
      return failure();
    auto crop =
        dyn_cast_or_null<tensor::ExtractSliceOp>(soleUser(expand.getResult()));
    RankedTensorType viewType = expand.getResultType();
    if (!crop || viewType.getRank() != 4 || viewType.getDimSize(0) != 1 ||
        expand.getReassociationIndices() !=
            SmallVector<ReassociationIndices>{{0, 1}, {2, 3}} ||
        !crop.hasZeroOffset() || !crop.hasUnitStride() ||
        crop.getType().getRank() != 4)
      return failure();
    RankedTensorType cropType = crop.getType();
    int64_t f = viewType.getDimSize(1), oh = viewType.getDimSize(2),
            wp = viewType.getDimSize(3);
    Location loc = conv.getLoc();
    // The consumer tiled by rows: the elementwise chain reading the corner,
    // or else a copy of it.
    linalg::GenericOp epilogue;
    if (Operation *user = soleUser(crop.getResult());
        fuseEpilogues && isEpilogueOp(user)) {
      epilogue = fuseChain(rewriter, cast<linalg::GenericOp>(user));
      bool readsCorner = false;
      for (OpOperand &operand : epilogue->getOpOperands())
        if (operand.get() == crop.getResult()) {
          if (!epilogue.isDpsInput(&operand) ||
              !epilogue.getMatchingIndexingMap(&operand).isIdentity())
            return failure();
          readsCorner = true;
        }
      if (!readsCorner || epilogue.getNumLoops() != 4 ||
          !epilogue.getMatchingIndexingMap(epilogue.getDpsInitOperand(0))
               .isIdentity())
        return failure();
      ++numEpilogues;
    } else {
      epilogue = copyInPlaceOfUses(rewriter, crop.getResult());
    }
    // With fuse-pools, an unpadded pool reading the consumer is tiled
    // instead, by whole pooled rows, and the consumer fused into each task
    // on the rows its windows read.
    std::optional<WindowPool> pool;
    if (fusePools)
      pool = windowPoolOf(epilogue.getResult(0));
    std::optional<int64_t> pooledRows;
    if (pool) {
      pooledRows = pool->rowsPerTask(wp, 512);
      if (!pooledRows)
        pool.reset();
    }
    int64_t height = pool ? pool->height() : oh;
    auto span = [&](int64_t r) { return pool ? pool->span(r) : r; };
    // The most rows (dividing the height) whose product block is at most
    // `columns` wide, or one.
    auto fit = [&](int64_t columns) {
      int64_t best = 1;
      for (int64_t r = 1; r <= height; ++r)
        if (height % r == 0 && span(r) * wp <= columns)
          best = r;
      return best;
    };
    // Tiles of up to 512 columns (measured on 3x3 convolutions at 56x56,
    // one thread: 10-20% faster than 256), but at least 8 tasks: narrower
    // (down to 256 columns), then fewer channels.
    int64_t rows = pool ? *pooledRows : fit(512);
    int64_t rm = pick(f, {8, 4, 2, 1});
    int64_t cm = rowTile(f, rm, 64);
    while ((f / cm) * (height / rows) < 8) {
      if (int64_t fewer = fit(span(rows) * wp - 1);
          span(rows) * wp > 256 && span(fewer) * wp >= 128 &&
          (!pool || pool->cheapOverlap(fewer)))
        rows = fewer;
      else if (cm > rm)
        cm = rowTile(f, rm, cm - 1);
      else
        break;
    }
    linalg::GenericOp root = pool ? pool->pool : epilogue;
    rewriter.setInsertionPoint(root);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(root.getOperation()),
        tilingOptions(rewriter, {0, cm, rows, 0}, /*forall=*/true));
    if (failed(tiled) || tiled->loops.size() != 1)
      return failure();
    rewriter.replaceOp(root, tiled->replacements);
    auto consumerTile = cast<linalg::GenericOp>(tiled->tiledOps.back());
    if (pool) {
      FailureOr<linalg::GenericOp> fused = fuseIntoPoolTile(
          rewriter, *pool, epilogue, consumerTile, tiled->loops, cm, rows);
      if (failed(fused))
        return failure();
      consumerTile = *fused;
      rows = span(rows);
      ++numFusedPools;
    }
    tensor::ExtractSliceOp cornerSlice =
        inputSliceOf(consumerTile, crop.getResult());
    if (!cornerSlice)
      return failure();
    // The task's block of the product, in a zeroed temporary.
    rewriter.setInsertionPoint(cornerSlice);
    loc = cornerSlice.getLoc();
    SmallVector<OpFoldResult> offsets = cornerSlice.getMixedOffsets();
    Value channel = getValueOrCreateConstantIndexOp(rewriter, loc, offsets[1]);
    Value row = getValueOrCreateConstantIndexOp(rewriter, loc, offsets[2]);
    int64_t n = rows * wp;
    Type element = cropType.getElementType();
    Value block = linalg::FillOp::create(
                      rewriter, loc,
                      ValueRange{arith::ConstantOp::create(
                          rewriter, loc, rewriter.getZeroAttr(element))},
                      ValueRange{tensor::EmptyOp::create(
                          rewriter, loc, ArrayRef<int64_t>{cm, n}, element)})
                      .getResult(0);
    Value weight = conv.getDpsInputs()[0], input = conv.getDpsInputs()[1];
    auto w = cast<RankedTensorType>(weight.getType());
    int64_t kh = w.getDimSize(0), kw = w.getDimSize(1), c = w.getDimSize(3);
    int64_t ck = pickK(c);
    // The input's column offset of each window position: the second result
    // of its indexing map, (d1 + a * d2 + b * d3), at d1 = 0.
    AffineExpr shift =
        conv.getMatchingIndexingMap(conv.getDpsInputOperand(1)).getResult(1);
    MLIRContext *ctx = rewriter.getContext();
    AffineMap shiftMap = AffineMap::get(
        5, 0,
        shift.replace(getAffineDimExpr(1, ctx), getAffineConstantExpr(0, ctx)),
        ctx);
    auto index = [&](int64_t v) -> OpFoldResult {
      return rewriter.getIndexAttr(v);
    };
    auto cst = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    linalg::MatmulOp step;
    // Builds the body with `rewriter`, which scf.for's builder callback
    // receives set inside the loop.
    auto loopOver = [&](int64_t upper, int64_t stride, Value acc,
                        function_ref<Value(Value, Value)> body) {
      return scf::ForOp::create(
                 rewriter, loc, cst(0), cst(upper), cst(stride),
                 ValueRange{acc},
                 [&](OpBuilder &b, Location, Value iv, ValueRange args) {
                   scf::YieldOp::create(b, loc, body(iv, args[0]));
                 })
          .getResult(0);
    };
    Value product = loopOver(kh, 1, block, [&](Value i, Value acc1) {
      return loopOver(kw, 1, acc1, [&](Value j, Value acc2) {
        return loopOver(c, ck, acc2, [&](Value k, Value acc3) {
          Value a = tensor::ExtractSliceOp::create(
              rewriter, loc, weight, {i, j, channel, k},
              {index(1), index(1), index(cm), index(ck)},
              {index(1), index(1), index(1), index(1)});
          a = tensor::CollapseShapeOp::create(
              rewriter, loc, a,
              SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
          OpFoldResult column = affine::makeComposedFoldedAffineApply(
              rewriter, loc,
              AffineMap::get(2, 0,
                             getAffineDimExpr(0, ctx) * wp +
                                 getAffineDimExpr(1, ctx),
                             ctx),
              {row, affine::makeComposedFoldedAffineApply(
                        rewriter, loc, shiftMap,
                        {index(0), index(0), i, j, index(0)})});
          Value b = tensor::ExtractSliceOp::create(
              rewriter, loc, input, {k, column}, {index(ck), index(n)},
              {index(1), index(1)});
          step = linalg::MatmulOp::create(rewriter, loc, acc3.getType(),
                                          ValueRange{a, b}, ValueRange{acc3});
          return step.getResult(0);
        });
      });
    });
    Value expanded = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({1, cm, rows, wp}, element),
        product, expand.getReassociationIndices());
    Value corner = tensor::ExtractSliceOp::create(
        rewriter, loc, cornerSlice.getType(), expanded,
        {index(0), index(0), index(0), index(0)}, cornerSlice.getMixedSizes(),
        cornerSlice.getMixedStrides());
    rewriter.replaceOp(cornerSlice, corner);
    if (crop->use_empty())
      rewriter.eraseOp(crop);
    if (expand->use_empty())
      rewriter.eraseOp(expand);
    if (conv->use_empty())
      rewriter.eraseOp(conv);
    bool peel = n > 32 && n % 32 != 0;
    int64_t kr = kUnroll;
    while (ck % kr)
      --kr;
    // Each window position's B is the same input shifted, so packing
    // copies it once per position: worth it for wide blocks only (measured,
    // one thread: 3x3 64 -> 192 at 56x56 5.58 -> 5.28 ms, 256 -> 256 at
    // 14x14, 224 columns, 1.80 -> 2.06 ms).
    return registerTiles(rewriter, step, {rm, std::min<int64_t>(n, 32), kr},
                         peel, /*mayPack=*/n >= kMinPackedConvColumns);
  }

  /// Register tiles of a matmul tile `mm` whose whole K is one cache tile
  /// and whose destination is a linalg.fill: the fill is fused into each
  /// register tile (tiled N, then M), then the K loop is tiled by the last
  /// of `sizes`.  Once vectorized, the accumulator starts from the fill's
  /// value instead of loading the zeroed tile, and its store overwrites the
  /// fill's (folded): the tile is written once, not zeroed, read and
  /// written.  `loops` receives the N, M and K loops.
  FailureOr<Operation *> zeroStart(RewriterBase &rewriter, linalg::MatmulOp mm,
                                   ArrayRef<int64_t> sizes,
                                   SmallVectorImpl<scf::ForOp> &loops) {
    if (!mm || !mm.getDpsInits()[0].getDefiningOp<linalg::FillOp>())
      return failure();
    scf::SCFTilingOptions tiling =
        tilingOptions(rewriter, {sizes[0], sizes[1], 0}, /*forall=*/false);
    tiling.setInterchange({1, 0, 2});
    scf::SCFTileAndFuseOptions options = fusionOptions(
        tiling, [](Operation *p) { return isa<linalg::FillOp>(p); });
    FailureOr<scf::SCFTileAndFuseResult> result =
        scf::tileConsumerAndFuseProducersUsingSCF(
            rewriter, cast<TilingInterface>(mm.getOperation()), options);
    if (failed(result) || result->loops.size() != 2)
      return failure();
    linalg::MatmulOp tiled;
    for (Operation *op : result->tiledAndFusedOps) {
      if (auto m = dyn_cast<linalg::MatmulOp>(op))
        tiled = m;
      else if (isa<linalg::FillOp>(op))
        op->setAttr(kVectorize, rewriter.getUnitAttr());
    }
    if (!tiled)
      return failure();
    for (OpResult r : mm->getResults())
      rewriter.replaceAllUsesWith(r, result->replacements.lookup(r));
    rewriter.eraseOp(mm);
    for (LoopLikeOpInterface loop : result->loops)
      loops.push_back(cast<scf::ForOp>(loop.getOperation()));
    rewriter.setInsertionPoint(tiled);
    return tile(rewriter, cast<TilingInterface>(tiled.getOperation()),
                {0, 0, sizes[2]}, &loops);
  }

  /// Vectorizes the marked register tiles (static by now) and marks their
  /// K loops for accumulateInRegisters.  A tile whose width is not a whole
  /// number of vectors (a peeled remainder, or a narrow N) is first padded
  /// with zeros to whole vectors: its loads and stores become masked, its
  /// FMAs full-width, instead of odd-sized vectors that LLVM splits into
  /// pieces and scalars.
  void vectorizeTiles(RewriterBase &rewriter, func::FuncOp func) {
    SmallVector<linalg::MatmulOp> tiles;
    SmallVector<linalg::FillOp> fills;
    func.walk([&](linalg::LinalgOp op) {
      if (!op->hasAttr(kVectorize))
        return;
      if (auto mm = dyn_cast<linalg::MatmulOp>(op.getOperation()))
        tiles.push_back(mm);
      else if (auto fill = dyn_cast<linalg::FillOp>(op.getOperation()))
        fills.push_back(fill);
    });
    // The register tiles' fills (zeroStart) become vector writes, which the
    // accumulators' reads and writes fold with.
    for (linalg::FillOp fill : fills) {
      fill->removeAttr(kVectorize);
      rewriter.setInsertionPoint(fill);
      FailureOr<linalg::VectorizationResult> vec =
          linalg::vectorize(rewriter, fill);
      if (succeeded(vec))
        rewriter.replaceOp(fill, vec->replacements);
    }
    for (linalg::MatmulOp op : tiles) {
      op->removeAttr(kVectorize);
      if (!op.hasPureTensorSemantics() ||
          llvm::any_of(op->getOperandTypes(), [](Type t) {
            return !cast<ShapedType>(t).hasStaticShape();
          }))
        continue;
      rewriter.setInsertionPoint(op);
      linalg::LinalgOp tile = op;
      if (failed(padToVectors(rewriter, tile, /*dim=*/1)))
        continue;
      op = cast<linalg::MatmulOp>(tile.getOperation());
      // Straight to vector.contract (then outer products, i.e. FMAs), not
      // broadcast + multi_reduction.
      FailureOr<linalg::VectorizationResult> vec = linalg::vectorize(
          rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
          /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
          /*assumeDynamicDimsMatchVecSizes=*/false,
          /*createNamedContraction=*/true);
      if (failed(vec))
        continue;
      rewriter.replaceOp(op, vec->replacements);
      if (auto kLoop = dyn_cast<scf::ForOp>(
              vec->replacements.front().getDefiningOp()->getParentOp()))
        kLoop->setAttr(kAccumulate, rewriter.getUnitAttr());
    }
    if (failed(foldPadsIntoTransfers(func)))
      signalPassFailure();
  }

  /// Reads the constant B operand of each marked register tile (a matmul's
  /// weights, [K, N] with N above one panel) from a copy packed at compile
  /// time into column panels, [ceil(N / 32), K, 32] (the last one padded
  /// with zeros): the tile's [kr, w] block at (k, n), n a multiple of 32,
  /// is rows k.. of panel n / 32, contiguous, where in B its rows lie N
  /// floats apart (a K tile of 256 rows spans 256 pages of a 3072-wide B,
  /// and every row maps to the same cache sets when N * 4 is a multiple of
  /// 4 KiB).  Each constant is packed once per function.
  void packWeightPanels(RewriterBase &rewriter, func::FuncOp func) {
    SmallVector<linalg::MatmulOp> tiles;
    func.walk([&](linalg::MatmulOp mm) {
      if (mm->hasAttr(kVectorize))
        tiles.push_back(mm);
    });
    DenseMap<Operation *, Value> packed;
    for (linalg::MatmulOp mm : tiles) {
      auto slice = mm.getDpsInputs()[1].getDefiningOp<tensor::ExtractSliceOp>();
      if (!slice)
        continue;
      // Only chains of slices of a constant are merged and rewritten.
      if (!sliceChainRoot(slice).getDefiningOp<arith::ConstantOp>())
        continue;
      mergeSliceChains({slice.getOperation()});
      slice = mm.getDpsInputs()[1].getDefiningOp<tensor::ExtractSliceOp>();
      auto cst = slice ? slice.getSource().getDefiningOp<arith::ConstantOp>()
                       : arith::ConstantOp();
      if (!cst)
        continue;
      auto type = cast<RankedTensorType>(cst.getType());
      RankedTensorType tileType = slice.getType();
      if (type.getRank() != 2 || !type.getElementType().isF32() ||
          type.getDimSize(1) <= kPanel || tileType.getRank() != 2 ||
          !tileType.hasStaticShape() || tileType.getDimSize(1) > kPanel ||
          !slice.hasUnitStride())
        continue;
      OpFoldResult column = slice.getMixedOffsets()[1];
      if (!isMultipleOf(column, kPanel))
        continue;
      Value &panels = packed[cst];
      if (!panels) {
        SmallVector<float> storage;
        std::optional<ArrayRef<float>> data = constantData(cst, storage);
        if (!data)
          continue;
        int64_t k = type.getDimSize(0), n = type.getDimSize(1),
                count = llvm::divideCeil(n, kPanel);
        SmallVector<float> values(count * k * kPanel, 0.0f);
        for (int64_t row = 0; row < k; ++row)
          for (int64_t col = 0; col < n; ++col)
            values[((col / kPanel) * k + row) * kPanel + col % kPanel] =
                (*data)[row * n + col];
        auto packedType =
            RankedTensorType::get({count, k, kPanel}, rewriter.getF32Type());
        rewriter.setInsertionPoint(cst);
        panels = arith::ConstantOp::create(
            rewriter, cst.getLoc(), packedType,
            cast<TypedAttr>(DenseF32ResourceElementsAttr::get(
                packedType, "dnnf_panels",
                HeapAsmResourceBlob::allocateAndCopyInferAlign<float>(
                    values))));
        ++numPackedWeights;
      }
      rewriter.setInsertionPoint(slice);
      Location loc = slice.getLoc();
      OpFoldResult panel = affine::makeComposedFoldedAffineApply(
          rewriter, loc,
          getAffineDimExpr(0, rewriter.getContext()).floorDiv(kPanel),
          {column});
      Value read = tensor::ExtractSliceOp::create(
          rewriter, loc, tileType, panels,
          {panel, slice.getMixedOffsets()[0], rewriter.getIndexAttr(0)},
          {rewriter.getIndexAttr(1),
           rewriter.getIndexAttr(tileType.getDimSize(0)),
           rewriter.getIndexAttr(tileType.getDimSize(1))},
          {rewriter.getIndexAttr(1), rewriter.getIndexAttr(1),
           rewriter.getIndexAttr(1)});
      rewriter.modifyOpInPlace(mm, [&] { mm->setOperand(1, read); });
      ++numPackedTiles;
    }
  }

  /// Keeps each register tile's accumulator in registers across its K loop:
  /// the C tile's extract_slice and transfer_read (loop-invariant subsets of
  /// the loop's iteration argument) move before the loop and their
  /// insert_slice and transfer_write after it, and the loop carries the
  /// vector.  Runs once the vectorizer's constants are hoisted out of the
  /// loop body.  The C tile, now only passed through the loop, then stops
  /// being an iteration argument (which bufferization would copy).
  LogicalResult accumulateInRegisters(RewriterBase &rewriter,
                                      func::FuncOp func) {
    SmallVector<scf::ForOp> loops;
    func.walk([&](scf::ForOp loop) {
      if (loop->removeAttr(kAccumulate))
        loops.push_back(loop);
    });
    if (loops.empty())
      return success();
    for (scf::ForOp loop : loops)
      hoistLoopInvariantSubsets(rewriter, loop);
    // A hoisted read of a zeroed tile folds into the zero vector written
    // just before it, and the zeroing write into the accumulator's write
    // over it.
    RewritePatternSet patterns(func.getContext());
    scf::ForOp::getCanonicalizationPatterns(patterns, func.getContext());
    vector::TransferReadOp::getCanonicalizationPatterns(patterns,
                                                        func.getContext());
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns,
                                                         func.getContext());
    return applyPatternsGreedily(func, std::move(patterns));
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
    SmallVector<linalg::GenericOp> convs;
    func.walk([&](linalg::GenericOp op) {
      if (isImplicitConv(op))
        convs.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : ops)
      if (succeeded(schedule(rewriter, op, isa<linalg::BatchMatmulOp>(op))))
        ++numVectorized;
    for (linalg::GenericOp conv : convs)
      if (succeeded(scheduleImplicitConv(rewriter, conv)))
        ++numConvs;
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
      // Among them: static tile shapes folded into the fused fills.
      ctx->getLoadedDialect<tensor::TensorDialect>()
          ->getCanonicalizationPatterns(patterns);
      if (failed(applyPatternsGreedily(func, std::move(patterns))))
        return signalPassFailure();
    }
    if (packWeights)
      packWeightPanels(rewriter, func);
    vectorizeTiles(rewriter, func);
    RewritePatternSet patterns(&getContext());
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorReductionToContractPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    if (failed(accumulateInRegisters(rewriter, func)))
      return signalPassFailure();
  }
};

/// Rows read with a larger innermost stride stay scalar.
constexpr int64_t kMaxRowStride = 4;

/// The static stride of `v`'s innermost dimension relative to the first
/// value of its chain of tensor.extract_slice ops that is not a slice (1
/// for a value that is no slice), or nullopt when a stride is dynamic or a
/// slice drops its source's innermost dimension.
std::optional<int64_t> innermostStride(Value v) {
  int64_t stride = 1;
  for (auto slice = v.getDefiningOp<tensor::ExtractSliceOp>(); slice;
       slice = slice.getSource().getDefiningOp<tensor::ExtractSliceOp>()) {
    if (slice.getDroppedDims().test(slice.getSourceType().getRank() - 1))
      return std::nullopt;
    std::optional<int64_t> s =
        getConstantIntValue(slice.getMixedStrides().back());
    if (!s || *s < 1)
      return std::nullopt;
    stride *= *s;
  }
  return stride;
}

/// Whether `generic` is an elementwise f32 op whose rows (its innermost
/// loop, `minRow` to `maxRow` long) --dnnf-vectorize-rows vectorizes: every
/// operand reads the innermost loop as its own last dimension or not at all,
/// so that a row of the result reads rows (or broadcast scalars) of the
/// operands, none with an innermost stride above kMaxRowStride (a stride-2
/// depthwise convolution's or pooling's windows are read as contiguous
/// vectors and deinterleaved: stridedRowReads).
bool isVectorizableRowOp(linalg::GenericOp generic, int64_t minRow,
                         int64_t maxRow) {
  if (!generic.hasPureTensorSemantics() || !linalg::isElementwise(generic) ||
      generic.hasIndexSemantics() || generic.getNumLoops() == 0 ||
      generic.hasDynamicShape())
    return false;
  if (!llvm::all_of(generic->getOperandTypes(),
                    [](Type t) { return getElementTypeOrSelf(t).isF32(); }))
    return false;
  SmallVector<int64_t> ranges = generic.getStaticLoopRanges();
  int64_t row = ranges.back();
  if (row < minRow || row > maxRow)
    return false;
  unsigned inner = ranges.size() - 1;
  // Operands that read rows (the others are broadcast along them).
  for (OpOperand *input : generic.getDpsInputOperands()) {
    if (!generic.getMatchingIndexingMap(input).isFunctionOfDim(inner))
      continue;
    std::optional<int64_t> stride = innermostStride(input->get());
    if (!stride || *stride > kMaxRowStride)
      return false;
  }
  for (OpOperand &operand : generic->getOpOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(&operand);
    for (unsigned r = 0; r < map.getNumResults(); ++r)
      if (map.getResult(r).isFunctionOfDim(inner) &&
          (r + 1 != map.getNumResults() ||
           map.getResult(r) != getAffineDimExpr(inner, generic.getContext())))
        return false;
  }
  return succeeded(linalg::vectorizeOpPrecondition(generic));
}

/// Rewrites each 1-D vector.transfer_read of a row whose innermost stride s
/// is 2 to kMaxRowStride (a strided window) as a read of s times as many
/// contiguous elements, from a unit-stride slice that ends at the row's last
/// element (the elements past it are padding, masked), and a vector.shuffle
/// that keeps every s-th: wide loads and a permute instead of one load per
/// element.  The row's chain of slices is merged first, so that one slice
/// of the underlying tensor carries the stride.  Returns the reads rewritten.
int64_t stridedRowReads(RewriterBase &rewriter, func::FuncOp func) {
  auto strideOf = [](vector::TransferReadOp read) -> int64_t {
    auto type = read.getVectorType();
    if (type.getRank() != 1 || type.isScalable() || read.getMask() ||
        !isa<RankedTensorType>(read.getBase().getType()) ||
        !read.getPermutationMap().isMinorIdentity())
      return 1;
    return innermostStride(read.getBase()).value_or(1);
  };
  SmallVector<Operation *> chains;
  func.walk([&](vector::TransferReadOp read) {
    if (strideOf(read) > 1)
      chains.push_back(read.getBase().getDefiningOp());
  });
  if (chains.empty())
    return 0;
  mergeSliceChains(chains);
  SmallVector<vector::TransferReadOp> reads;
  func.walk([&](vector::TransferReadOp read) {
    int64_t s = strideOf(read);
    auto slice = read.getBase().getDefiningOp<tensor::ExtractSliceOp>();
    if (s > 1 && s <= kMaxRowStride && slice &&
        !slice.getSource().getDefiningOp<tensor::ExtractSliceOp>() &&
        !slice.getType().isDynamicDim(slice.getType().getRank() - 1))
      reads.push_back(read);
  });
  for (vector::TransferReadOp read : reads) {
    auto slice = read.getBase().getDefiningOp<tensor::ExtractSliceOp>();
    RankedTensorType type = slice.getType();
    int64_t s = innermostStride(read.getBase()).value();
    int64_t n = type.getShape().back();
    int64_t v = read.getVectorType().getDimSize(0);
    Location loc = read.getLoc();
    rewriter.setInsertionPoint(read);
    SmallVector<OpFoldResult> sizes = slice.getMixedSizes(),
                              strides = slice.getMixedStrides();
    sizes.back() = rewriter.getIndexAttr((n - 1) * s + 1);
    strides.back() = rewriter.getIndexAttr(1);
    SmallVector<int64_t> shape(type.getShape());
    shape.back() = (n - 1) * s + 1;
    Value wide = tensor::ExtractSliceOp::create(
        rewriter, loc, type.clone(shape), slice.getSource(),
        slice.getMixedOffsets(), sizes, strides);
    SmallVector<Value> indices(read.getIndices());
    indices.back() = rewriter.createOrFold<arith::MulIOp>(
        loc, indices.back(),
        rewriter.createOrFold<arith::ConstantIndexOp>(loc, s));
    auto wideType =
        VectorType::get({v * s}, read.getVectorType().getElementType());
    Value contiguous = vector::TransferReadOp::create(
        rewriter, loc, wideType, wide, indices, read.getPadding(),
        read.getPermutationMap(), ArrayRef<bool>{false});
    SmallVector<int64_t> every;
    for (int64_t i = 0; i < v; ++i)
      every.push_back(i * s);
    rewriter.replaceOpWithNewOp<vector::ShuffleOp>(read, contiguous, contiguous,
                                                   every);
  }
  return reads.size();
}

struct VectorizeRowsPass
    : public dnnf::impl::DnnfVectorizeRowsBase<VectorizeRowsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<linalg::GenericOp> generics;
    func.walk([&](linalg::GenericOp generic) {
      if (isVectorizableRowOp(generic, minRow, maxRow))
        generics.push_back(generic);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp generic : generics) {
      // One row per tile: scf.for loops over the outer dimensions.
      linalg::LinalgOp row = generic;
      unsigned rank = generic.getNumLoops();
      if (rank > 1) {
        SmallVector<int64_t> sizes(rank, 1);
        sizes.back() = 0;
        rewriter.setInsertionPoint(generic);
        FailureOr<Operation *> tiled = tile(
            rewriter, cast<TilingInterface>(generic.getOperation()), sizes);
        if (failed(tiled))
          continue;
        // The tile is 1 x ... x 1 x row: a 1-D generic on rank-reducing
        // slices, so that its reads and writes are plain 1-D vectors.
        linalg::ControlDropUnitDims control;
        control.rankReductionStrategy = linalg::ControlDropUnitDims::
            RankReductionStrategy::ExtractInsertSlice;
        rewriter.setInsertionPoint(*tiled);
        FailureOr<linalg::DropUnitDimsResult> dropped = linalg::dropUnitDims(
            rewriter, cast<linalg::GenericOp>(*tiled), control);
        if (succeeded(dropped)) {
          rewriter.replaceOp(*tiled, dropped->replacements);
          row = cast<linalg::LinalgOp>(dropped->resultOp.getOperation());
        } else {
          row = cast<linalg::LinalgOp>(*tiled);
        }
      }
      if (failed(padToVectors(rewriter, row, row.getNumLoops() - 1)))
        continue;
      rewriter.setInsertionPoint(row);
      FailureOr<linalg::VectorizationResult> vec =
          linalg::vectorize(rewriter, row);
      if (failed(vec))
        continue;
      rewriter.replaceOp(row, vec->replacements);
      ++numRows;
    }
    if (failed(foldPadsIntoTransfers(func)))
      return signalPassFailure();
    numStridedReads += stridedRowReads(rewriter, func);
  }
};
} // namespace
