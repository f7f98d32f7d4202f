//===- DataMovement.cpp - reshapes, permutations, slices, gathers ---------===//

#include "Common.h"

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::lowering;

namespace {

template <typename OpTy>
struct ReshapeLikePattern : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, reshape(rewriter, op.getLoc(), adaptor.getInput(),
                    cast<RankedTensorType>(op->getResult(0).getType())));
    return success();
  }
};

struct ConstantPattern : public OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, op.getValueAttr());
    return success();
  }
};

struct TransposePattern : public OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getOutput().getType();
    Value init = emptyTensor(rewriter, op.getLoc(), type);
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(),
                                                       adaptor.getInput(), init,
                                                       op.getPerm())
                               ->getResult(0));
    return success();
  }
};

/// Broadcast (Expand) as an elementwise copy through broadcast maps.
struct ExpandPattern : public OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op,
        elementwise(rewriter, op.getLoc(), op.getOutput().getType(),
                    adaptor.getInput(),
                    [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

struct ConcatPattern : public OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getOutput().getType();
    int64_t rank = type.getRank(), axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    Value result = emptyTensor(rewriter, loc, type);
    int64_t offset = 0;
    for (Value in : adaptor.getInputs()) {
      auto t = cast<RankedTensorType>(in.getType());
      if (t.getNumElements() == 0 && t.getDimSize(axis) == 0)
        continue; // nothing to insert (and its offset may be out of bounds)
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes,
          strides(rank, rewriter.getIndexAttr(1));
      for (int64_t d : t.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      offsets[axis] = rewriter.getIndexAttr(offset);
      offset += t.getDimSize(axis);
      result = tensor::InsertSliceOp::create(rewriter, loc, in, result, offsets,
                                             sizes, strides);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Normalised (start, step) per dim of an ONNX slice.
void sliceParams(SliceOp op, SmallVectorImpl<int64_t> &starts,
                 SmallVectorImpl<int64_t> &steps) {
  RankedTensorType in = op.getInput().getType();
  int64_t rank = in.getRank();
  starts.assign(rank, 0);
  steps.assign(rank, 1);
  for (auto [s, a, st] :
       llvm::zip(op.getStarts(), op.getAxes(), op.getSteps())) {
    int64_t axis = a < 0 ? a + rank : a, dim = in.getDimSize(axis);
    int64_t v = s < 0 ? (s < -dim ? (st > 0 ? 0 : -1) : s + dim) : s;
    v = st > 0 ? std::clamp<int64_t>(v, 0, dim)
               : std::clamp<int64_t>(v, -1, dim - 1);
    starts[axis] = v;
    steps[axis] = st;
  }
}

struct SlicePattern : public OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getOutput().getType();
    SmallVector<int64_t> starts, steps;
    sliceParams(op, starts, steps);
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (int64_t i = 0; i < type.getRank(); ++i) {
        offsets.push_back(rewriter.getIndexAttr(starts[i]));
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(i)));
        strides.push_back(rewriter.getIndexAttr(steps[i]));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, adaptor.getInput(), offsets, sizes, strides);
      return success();
    }
    // Negative steps: in[start + i * step] through an affine map.
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < type.getRank(); ++i)
      exprs.push_back(getAffineDimExpr(i, ctx) * steps[i] + starts[i]);
    AffineMap map = AffineMap::get(type.getRank(), 0, exprs, ctx);
    rewriter.replaceOp(op, elementwise(rewriter, loc, type, adaptor.getInput(),
                                       [](OpBuilder &, Location, ValueRange a) {
                                         return a[0];
                                       },
                                       {map}));
    return success();
  }
};

struct SplitPattern : public OpConversionPattern<SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType in = op.getInput().getType();
    int64_t rank = in.getRank(), axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    SmallVector<Value> results;
    int64_t offset = 0;
    for (Value r : op.getOutputs()) {
      auto t = cast<RankedTensorType>(r.getType());
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes,
          strides(rank, rewriter.getIndexAttr(1));
      for (int64_t d : t.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      offsets[axis] = rewriter.getIndexAttr(offset);
      offset += t.getDimSize(axis);
      // An empty piece may start at the end of the axis, where
      // tensor.extract_slice rejects its offset.
      if (t.getNumElements() == 0) {
        results.push_back(emptyTensor(rewriter, op.getLoc(), t));
        continue;
      }
      results.push_back(tensor::ExtractSliceOp::create(
          rewriter, op.getLoc(), t, adaptor.getInput(), offsets, sizes,
          strides));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// Index of an output position into the input, per padding mode.
Value padSourceIndex(OpBuilder &b, Location loc, Value i, int64_t before,
                     int64_t dim, StringRef mode) {
  Value x = arith::SubIOp::create(
      b, loc, i, arith::ConstantIndexOp::create(b, loc, before));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value last = arith::ConstantIndexOp::create(b, loc, dim - 1);
  if (mode == "edge")
    return arith::MinSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, x, zero), last);
  if (mode == "wrap") {
    Value n = arith::ConstantIndexOp::create(b, loc, dim);
    Value r = arith::RemSIOp::create(b, loc, x, n);
    Value neg =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, zero);
    return arith::SelectOp::create(b, loc, neg,
                                   arith::AddIOp::create(b, loc, r, n), r);
  }
  // reflect (without repeating the edge): period 2 * (dim - 1).
  if (dim == 1)
    return zero;
  Value period = arith::ConstantIndexOp::create(b, loc, 2 * (dim - 1));
  Value r = arith::RemSIOp::create(b, loc, x, period);
  Value neg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, zero);
  r = arith::SelectOp::create(b, loc, neg,
                              arith::AddIOp::create(b, loc, r, period), r);
  Value over =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, r, last);
  return arith::SelectOp::create(b, loc, over,
                                 arith::SubIOp::create(b, loc, period, r), r);
}

/// A tensor of `type` whose element at output index `o` is
/// `input[source(0, o_0), ..., source(r-1, o_{r-1})]`: an input-less
/// all-parallel linalg.generic that reads `input` with tensor.extract.
Value gatherByIndex(
    OpBuilder &builder, Location loc, RankedTensorType type, Value input,
    llvm::function_ref<Value(OpBuilder &, Location, int64_t, Value)> source) {
  int64_t rank = type.getRank();
  auto generic = linalg::GenericOp::create(
      builder, loc, type, ValueRange{}, emptyTensor(builder, loc, type),
      ArrayRef<AffineMap>{builder.getMultiDimIdentityMap(rank)},
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange) {
        SmallVector<Value> idx;
        for (int64_t i = 0; i < rank; ++i)
          idx.push_back(source(b, l, i, linalg::IndexOp::create(b, l, i)));
        linalg::YieldOp::create(
            b, l, tensor::ExtractOp::create(b, l, input, idx).getResult());
      });
  return generic.getResult(0);
}

struct PadPattern : public OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getOutput().getType();
    RankedTensorType in = op.getInput().getType();
    int64_t rank = type.getRank();
    // Negative pads crop first (as the reference); the non-negative ones
    // then pad the cropped tensor.
    SmallVector<int64_t> pads;
    SmallVector<int64_t> cropOffsets, cropShape;
    for (int64_t i = 0; i < rank; ++i) {
      int64_t b = op.getPads()[i], e = op.getPads()[i + rank];
      cropOffsets.push_back(std::max<int64_t>(-b, 0));
      cropShape.push_back(in.getDimSize(i) - std::max<int64_t>(-b, 0) -
                          std::max<int64_t>(-e, 0));
      if (cropShape.back() < 0)
        return rewriter.notifyMatchFailure(op, "pads crop more than the input");
    }
    for (int64_t p : op.getPads())
      pads.push_back(std::max<int64_t>(p, 0));
    Value input = adaptor.getInput();
    if (ArrayRef<int64_t>(cropShape) != in.getShape()) {
      in = RankedTensorType::get(cropShape, in.getElementType());
      SmallVector<OpFoldResult> offsets, sizes,
          strides(rank, rewriter.getIndexAttr(1));
      for (int64_t i = 0; i < rank; ++i) {
        offsets.push_back(rewriter.getIndexAttr(cropOffsets[i]));
        sizes.push_back(rewriter.getIndexAttr(cropShape[i]));
      }
      input = in.getNumElements() == 0
                  ? emptyTensor(rewriter, loc, in)
                  : Value(tensor::ExtractSliceOp::create(
                        rewriter, loc, in, input, offsets, sizes, strides));
    }
    if (op.getMode() == "constant") {
      SmallVector<OpFoldResult> lo, hi;
      for (int64_t i = 0; i < rank; ++i) {
        lo.push_back(rewriter.getIndexAttr(pads[i]));
        hi.push_back(rewriter.getIndexAttr(pads[i + rank]));
      }
      Value v = scalar(rewriter, loc, type.getElementType(),
                       op.getValue().convertToDouble());
      rewriter.replaceOpWithNewOp<tensor::PadOp>(op, type, input, lo, hi, v);
      return success();
    }
    if (in.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "edge, reflect or wrap padding "
                                             "of an empty tensor");
    StringRef mode = op.getMode();
    rewriter.replaceOp(
        op, gatherByIndex(rewriter, loc, type, input,
                          [&](OpBuilder &b, Location l, int64_t i, Value o) {
                            return padSourceIndex(b, l, o, pads[i],
                                                  in.getDimSize(i), mode);
                          }));
    return success();
  }
};

struct GatherPattern : public OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getOutput().getType();
    RankedTensorType in = op.getInput().getType();
    auto idxType = cast<RankedTensorType>(adaptor.getIndices().getType());
    int64_t rank = type.getRank(), q = idxType.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += in.getRank();
    SmallVector<AffineExpr> idxE;
    for (int64_t i = 0; i < q; ++i)
      idxE.push_back(getAffineDimExpr(axis + i, ctx));
    Value input = adaptor.getInput();
    int64_t dim = in.getDimSize(axis);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{adaptor.getIndices()},
        emptyTensor(rewriter, loc, type),
        ArrayRef<AffineMap>{AffineMap::get(rank, 0, idxE, ctx),
                            rewriter.getMultiDimIdentityMap(rank)},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value k = arith::IndexCastOp::create(b, l, b.getIndexType(), a[0]);
          // Negative indices count from the end.
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value neg =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, k, zero);
          k = arith::SelectOp::create(
              b, l, neg,
              arith::AddIOp::create(b, l, k,
                                    arith::ConstantIndexOp::create(b, l, dim)),
              k);
          SmallVector<Value> idx;
          for (int64_t i = 0; i < axis; ++i)
            idx.push_back(linalg::IndexOp::create(b, l, i));
          idx.push_back(k);
          for (int64_t i = axis + q; i < rank; ++i)
            idx.push_back(linalg::IndexOp::create(b, l, i));
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, input, idx).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct TilePattern : public OpConversionPattern<TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getOutput().getType();
    RankedTensorType in = op.getInput().getType();
    Value input = adaptor.getInput();
    rewriter.replaceOp(
        op, gatherByIndex(rewriter, loc, type, input,
                          [&](OpBuilder &b, Location l, int64_t i, Value o) {
                            return arith::RemUIOp::create(
                                b, l, o,
                                arith::ConstantIndexOp::create(
                                    b, l, in.getDimSize(i)));
                          }));
    return success();
  }
};

/// DepthToSpace / SpaceToDepth: expand, transpose, collapse.
template <typename OpTy>
struct BlockShufflePattern : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto in = cast<RankedTensorType>(op.getInput().getType());
    auto out = cast<RankedTensorType>(op.getOutput().getType());
    Type elem = in.getElementType();
    int64_t b = static_cast<int64_t>(op.getBlocksize());
    int64_t n = in.getDimSize(0), c = in.getDimSize(1), h = in.getDimSize(2),
            w = in.getDimSize(3);
    SmallVector<int64_t> shape6, perm;
    if constexpr (std::is_same_v<OpTy, DepthToSpaceOp>) {
      int64_t cb = c / (b * b);
      if (op.getMode() == "DCR") {
        shape6 = {n, b, b, cb, h, w};
        perm = {0, 3, 4, 1, 5, 2};
      } else {
        shape6 = {n, cb, b, b, h, w};
        perm = {0, 1, 4, 2, 5, 3};
      }
    } else {
      shape6 = {n, c, h / b, b, w / b, b};
      perm = {0, 3, 5, 1, 2, 4};
    }
    Value x6 = reshape(rewriter, loc, adaptor.getInput(),
                       RankedTensorType::get(shape6, elem));
    SmallVector<int64_t> tshape;
    for (int64_t p : perm)
      tshape.push_back(shape6[p]);
    auto tType = RankedTensorType::get(tshape, elem);
    Value t = linalg::TransposeOp::create(
                  rewriter, loc, x6, emptyTensor(rewriter, loc, tType), perm)
                  ->getResult(0);
    rewriter.replaceOp(op, reshape(rewriter, loc, t, out));
    return success();
  }
};

} // namespace

void lowering::populateDataMovementPatterns(RewritePatternSet &patterns) {
  patterns.add<ReshapeLikePattern<ReshapeOp>, ReshapeLikePattern<FlattenOp>,
               ReshapeLikePattern<SqueezeOp>, ReshapeLikePattern<UnsqueezeOp>,
               ConstantPattern, TransposePattern, ExpandPattern, ConcatPattern,
               SlicePattern, SplitPattern, PadPattern, GatherPattern,
               TilePattern, BlockShufflePattern<DepthToSpaceOp>,
               BlockShufflePattern<SpaceToDepthOp>>(patterns.getContext());
}
