//===- ConvToMatmul.cpp - 2-D convolutions as matmuls ---------------------===//
//
// linalg.conv_2d_nchw_fchw with batch 1 becomes one linalg.matmul (grouped
// linalg.conv_2d_ngchw_gfchw one linalg.batch_matmul over the groups)
//   W (F x C*KH*KW)  x  col (C*KH*KW x OH*OW)  ->  (F x OH*OW)
// where `col` is the input itself (1x1, stride 1) or its im2col expansion,
// so that the matmul schedule of --dnnf-tile-vectorize applies.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"

#include "../DnnfToLinalg/Common.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFCONVTOMATMUL
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {

Value collapse(OpBuilder &b, Location loc, Value v,
               ArrayRef<ReassociationIndices> groups) {
  return tensor::CollapseShapeOp::create(b, loc, v, groups);
}

/// Batch-1 depthwise convolution as one elementwise linalg.generic over
/// (c, oh, ow) reading one strided input slice and one weight column per
/// window position: out = init + sum_k in_k * w_k (init: the fill value when
/// the init is a fill).  Elementwise fusion can then take the bias and
/// activation into the same loop nest, whose rows --dnnf-vectorize-rows
/// vectorizes.
void rewriteDepthwise(RewriterBase &rewriter,
                      linalg::DepthwiseConv2DNchwChwOp op) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value input = op.getInputs()[0], weight = op.getInputs()[1],
        init = op.getOutputs()[0];
  auto in = cast<RankedTensorType>(input.getType());
  auto w = cast<RankedTensorType>(weight.getType());
  auto out = cast<RankedTensorType>(init.getType());
  int64_t c = in.getDimSize(1), kh = w.getDimSize(1), kw = w.getDimSize(2),
          oh = out.getDimSize(2), ow = out.getDimSize(3);
  SmallVector<int64_t> s(op.getStrides().getValues<int64_t>());
  SmallVector<int64_t> d(op.getDilations().getValues<int64_t>());
  auto idx = [&](int64_t v) -> OpFoldResult {
    return rewriter.getIndexAttr(v);
  };
  SmallVector<Value> inputs;
  auto sliceType = RankedTensorType::get({c, oh, ow}, in.getElementType());
  auto columnType = RankedTensorType::get({c}, w.getElementType());
  for (int64_t i = 0; i < kh; ++i)
    for (int64_t j = 0; j < kw; ++j) {
      inputs.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, sliceType, input,
          {idx(0), idx(0), idx(i * d[0]), idx(j * d[1])},
          {idx(1), idx(c), idx(oh), idx(ow)},
          {idx(1), idx(1), idx(s[0]), idx(s[1])}));
      inputs.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, columnType, weight, {idx(0), idx(i), idx(j)},
          {idx(c), idx(1), idx(1)}, {idx(1), idx(1), idx(1)}));
    }
  MLIRContext *ctx = rewriter.getContext();
  auto e = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap cube = AffineMap::get(4, 0, {e(1), e(2), e(3)}, ctx);
  AffineMap column = AffineMap::get(4, 0, {e(1)}, ctx);
  SmallVector<AffineMap> maps;
  for (int64_t k = 0; k < kh * kw; ++k)
    maps.append({cube, column});
  maps.push_back(rewriter.getMultiDimIdentityMap(4));
  bool isFloat = isa<FloatType>(out.getElementType());
  // A zero (or other constant) init is the sum's start value rather than
  // an operand: the generic then only writes its result, and no fill of
  // the result runs before it.
  Value start;
  if (auto fill = init.getDefiningOp<linalg::FillOp>();
      fill && fill.hasPureTensorSemantics()) {
    start = fill.getInputs()[0];
    init = fill.getOutputs()[0];
  }
  // Products and sums may contract into FMAs.
  auto contract = arith::FastMathFlagsAttr::get(rewriter.getContext(),
                                                arith::FastMathFlags::contract);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, out, inputs, init, maps,
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value acc = start ? start : args.back();
        // Starting from +0.0, the first sum is the first product.
        bool fromZero = start && matchPattern(start, m_PosZeroFloat());
        for (size_t k = 0; k + 1 < args.size(); k += 2) {
          Value x = args[k], y = args[k + 1];
          if (x.getType() != acc.getType()) {
            x = arith::ExtFOp::create(b, l, acc.getType(), x);
            y = arith::ExtFOp::create(b, l, acc.getType(), y);
          }
          if (fromZero && k == 0 && isFloat) {
            acc = arith::MulFOp::create(b, l, x, y, contract);
            continue;
          }
          acc =
              isFloat
                  ? Value(arith::AddFOp::create(
                        b, l, acc, arith::MulFOp::create(b, l, x, y, contract),
                        contract))
                  : Value(arith::AddIOp::create(
                        b, l, acc, arith::MulIOp::create(b, l, x, y)));
        }
        linalg::YieldOp::create(b, l, acc);
      });
  rewriter.replaceOp(op, generic.getResult(0));
}

/// The coefficient of dimension `dim` in the affine expression `e` over
/// `numDims` dimensions, when `e` is linear in it.
std::optional<int64_t> coefficientOf(AffineExpr e, unsigned dim,
                                     unsigned numDims) {
  MLIRContext *ctx = e.getContext();
  auto at = [&](int64_t value) {
    SmallVector<AffineExpr> dims;
    for (unsigned i = 0; i < numDims; ++i)
      dims.push_back(getAffineConstantExpr(i == dim ? value : 0, ctx));
    auto c = dyn_cast<AffineConstantExpr>(
        simplifyAffineExpr(e.replaceDims(dims), numDims, 0));
    return c ? std::optional<int64_t>(c.getValue()) : std::nullopt;
  };
  std::optional<int64_t> zero = at(0), one = at(1);
  if (!zero || !one)
    return std::nullopt;
  return *one - *zero;
}

/// A 2-D pooling as --convert-dnnf-to-linalg writes it (max and average
/// pools, the average's sums): a linalg.generic over (n, c, oh, ow, kh, kw)
/// reading in[n, c, oh * sh + kh * dh, ow * sw + kw * dw] and a window
/// tensor [kh, kw] that only carries the extents, whose body combines the
/// output with the input by arith.maxnumf or arith.addf.
struct WindowPool {
  linalg::GenericOp op;
  int64_t strides[2], dilations[2];
  bool isMax;
};

std::optional<WindowPool> matchWindowPool(linalg::GenericOp op) {
  if (op.getNumLoops() != 6 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
      op.hasIndexSemantics() || llvm::any_of(op->getOperandTypes(), [](Type t) {
        auto type = dyn_cast<RankedTensorType>(t);
        return !type || !type.hasStaticShape() ||
               !isa<FloatType>(type.getElementType());
      }))
    return std::nullopt;
  using utils::IteratorType;
  auto par = IteratorType::parallel, red = IteratorType::reduction;
  if (op.getIteratorTypesArray() !=
      SmallVector<IteratorType>{par, par, par, par, red, red})
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap in = maps[0];
  if (maps[1] != AffineMap::get(6, 0, {d(4), d(5)}, ctx) ||
      maps[2] != AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx) ||
      in.getNumResults() != 4 || in.getResult(0) != d(0) ||
      in.getResult(1) != d(1))
    return std::nullopt;
  WindowPool pool{op, {0, 0}, {0, 0}, false};
  for (unsigned i = 0; i < 2; ++i) {
    AffineExpr e = in.getResult(2 + i);
    std::optional<int64_t> s = coefficientOf(e, 2 + i, 6),
                           k = coefficientOf(e, 4 + i, 6);
    if (!s || !k || *s < 1 || *k < 1 ||
        simplifyAffineExpr(e, 6, 0) !=
            simplifyAffineExpr(d(2 + i) * *s + d(4 + i) * *k, 6, 0))
      return std::nullopt;
    pool.strides[i] = *s;
    pool.dilations[i] = *k;
  }
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 2)
    return std::nullopt;
  Operation *combine = &body.front();
  if (combine->getNumOperands() != 2 ||
      body.getTerminator()->getOperand(0) != combine->getResult(0))
    return std::nullopt;
  // The output is the first operand (the input may come first for max).
  Value acc = body.getArgument(2), x = body.getArgument(0);
  if (isa<arith::MaxNumFOp>(combine)) {
    pool.isMax = true;
    if (!((combine->getOperand(0) == acc && combine->getOperand(1) == x) ||
          (combine->getOperand(0) == x && combine->getOperand(1) == acc)))
      return std::nullopt;
  } else if (!isa<arith::AddFOp>(combine) || combine->getOperand(0) != acc ||
             combine->getOperand(1) != x) {
    return std::nullopt;
  }
  return pool;
}

/// A window pooling as one elementwise linalg.generic over (n, c, oh, ow)
/// that reads one strided input slice per window position and combines
/// them in the window's order from the init (the fill value when the init
/// is a fill): the same operations on the same values, so the same result,
/// but rows --dnnf-vectorize-rows can vectorize.
void rewriteWindowPool(RewriterBase &rewriter, const WindowPool &pool) {
  linalg::GenericOp op = pool.op;
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value input = op.getDpsInputs()[0], init = op.getDpsInits()[0];
  auto out = cast<RankedTensorType>(init.getType());
  ArrayRef<int64_t> window =
      cast<RankedTensorType>(op.getDpsInputs()[1].getType()).getShape();
  auto idx = [&](int64_t v) -> OpFoldResult {
    return rewriter.getIndexAttr(v);
  };
  SmallVector<Value> inputs;
  for (int64_t i = 0; i < window[0]; ++i)
    for (int64_t j = 0; j < window[1]; ++j)
      inputs.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, out, input,
          {idx(0), idx(0), idx(i * pool.dilations[0]),
           idx(j * pool.dilations[1])},
          {idx(out.getDimSize(0)), idx(out.getDimSize(1)),
           idx(out.getDimSize(2)), idx(out.getDimSize(3))},
          {idx(1), idx(1), idx(pool.strides[0]), idx(pool.strides[1])}));
  Value start;
  if (auto fill = init.getDefiningOp<linalg::FillOp>();
      fill && fill.hasPureTensorSemantics()) {
    start = fill.getInputs()[0];
    init = fill.getOutputs()[0];
  }
  SmallVector<AffineMap> maps(inputs.size() + 1,
                              rewriter.getMultiDimIdentityMap(4));
  auto generic = linalg::GenericOp::create(
      rewriter, loc, out, inputs, init, maps,
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value acc = start ? start : args.back();
        for (Value x : args.drop_back())
          acc = pool.isMax ? Value(arith::MaxNumFOp::create(b, l, acc, x))
                           : Value(arith::AddFOp::create(b, l, acc, x));
        linalg::YieldOp::create(b, l, acc);
      });
  rewriter.replaceOp(op, generic.getResult(0));
}

/// Batch-1 convolution, grouped (`linalg.conv_2d_ngchw_gfchw`, g groups)
/// or not (`linalg.conv_2d_nchw_fchw`, no group dimension), as
///   W (g x F x C*KH*KW)  x  col (g x C*KH*KW x OH*OW)  ->  (g x F x OH*OW)
/// -- one linalg.matmul without groups, one linalg.batch_matmul over them.
/// Returns false (and leaves `op` alone) when it needs an im2col and
/// `im2col` is off; sets `gathered` when it built one.
bool rewriteConv(RewriterBase &rewriter, linalg::LinalgOp op, bool grouped,
                 bool im2col, bool &gathered) {
  Location loc = op.getLoc();
  Value input = op.getDpsInputs()[0], weight = op.getDpsInputs()[1],
        init = op.getDpsInits()[0];
  auto in = cast<RankedTensorType>(input.getType());
  auto w = cast<RankedTensorType>(weight.getType());
  auto out = cast<RankedTensorType>(init.getType());
  // Dimension positions past the (optional) group dimension.
  int64_t g0 = grouped ? 1 : 0;
  int64_t g = grouped ? in.getDimSize(1) : 1;
  int64_t c = in.getDimSize(1 + g0), kh = w.getDimSize(2 + g0),
          kw = w.getDimSize(3 + g0), oh = out.getDimSize(2 + g0),
          ow = out.getDimSize(3 + g0);
  auto attr = [&](StringRef name) {
    return SmallVector<int64_t>(
        op->getAttrOfType<DenseIntElementsAttr>(name).getValues<int64_t>());
  };
  SmallVector<int64_t> s = attr("strides"), d = attr("dilations");
  bool direct = kh == 1 && kw == 1 && s[0] == 1 && s[1] == 1 &&
                in.getDimSize(2 + g0) == oh && in.getDimSize(3 + g0) == ow;
  if (!direct && !im2col)
    return false;
  rewriter.setInsertionPoint(op);
  // Reassociations into the matmul operands: the input, the output (both
  // (1, [g,] x, h, w) -> ([g,] x, h*w)), the weights ([g,] f, c*kh*kw) and
  // the im2col columns ([g,] c*kh*kw, oh*ow).
  using Groups = SmallVector<ReassociationIndices>;
  Groups image = grouped ? Groups{{0, 1}, {2}, {3, 4}} : Groups{{0, 1}, {2, 3}};
  Groups filter =
      grouped ? Groups{{0}, {1}, {2, 3, 4}} : Groups{{0}, {1, 2, 3}};
  Groups columns =
      grouped ? Groups{{0}, {1, 2, 3}, {4, 5}} : Groups{{0, 1, 2}, {3, 4}};
  Value col;
  if (direct) {
    col = collapse(rewriter, loc, input, image);
  } else {
    // col[g, c, kh, kw, oh, ow] = in[0, g, c, oh*sh + kh*dh, ow*sw + kw*dw]
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = 5 + g0;
    auto e = [&](int64_t i) { return getAffineDimExpr(i + g0, ctx); };
    SmallVector<AffineExpr> read = {getAffineConstantExpr(0, ctx)};
    if (grouped)
      read.push_back(getAffineDimExpr(0, ctx));
    read.append({e(0), e(3) * s[0] + e(1) * d[0], e(4) * s[1] + e(2) * d[1]});
    SmallVector<int64_t> colShape;
    if (grouped)
      colShape.push_back(g);
    colShape.append({c, kh, kw, oh, ow});
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, colShape, in.getElementType());
    auto gather = linalg::GenericOp::create(
        rewriter, loc, empty.getType(), input, empty,
        ArrayRef<AffineMap>{AffineMap::get(rank, 0, read, ctx),
                            rewriter.getMultiDimIdentityMap(rank)},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    col = collapse(rewriter, loc, gather.getResult(0), columns);
    gathered = true;
  }
  Value lhs = collapse(rewriter, loc, weight, filter);
  Value acc = collapse(rewriter, loc, init, image);
  Value mm =
      grouped
          ? linalg::BatchMatmulOp::create(rewriter, loc, acc.getType(),
                                          ValueRange{lhs, col}, ValueRange{acc})
                .getResult(0)
          : linalg::MatmulOp::create(rewriter, loc, acc.getType(),
                                     ValueRange{lhs, col}, ValueRange{acc})
                .getResult(0);
  rewriter.replaceOp(
      op, tensor::ExpandShapeOp::create(rewriter, loc, out, mm, image));
  return true;
}

/// Whether `op` is a stride-1 convolution with a window larger than 1x1,
/// which rewriteImplicit computes without an im2col copy.
bool isImplicitCandidate(linalg::Conv2DNchwFchwOp op) {
  auto w = cast<RankedTensorType>(op.getInputs()[1].getType());
  return llvm::all_of(op.getStrides().getValues<int64_t>(),
                      [](int64_t s) { return s == 1; }) &&
         w.getDimSize(2) * w.getDimSize(3) > 1;
}

/// Batch-1 stride-1 convolution (not 1x1) as an implicit GEMM over its
/// padded input, flattened: with the input [1, C, Hp, Wp] collapsed to
/// in[C, Hp * Wp], output column n = oh * Wp + ow reads, for window position
/// (kh, kw), in[c, n + kh * dh * Wp + kw * dw] -- a shifted view of the input
/// itself, so no im2col copy is made.  The product is computed over all Wp
/// columns of each output row (the last Wp - OW of them are never read):
///   ext[f, n] = sum_{kh, kw, c} w[kh, kw, f, c] * in[c, n + kh*dh*Wp + kw*dw]
/// and the result is its [1, F, OH, OW] corner.  The input gets one more
/// row of padding at the bottom (a wider tensor.pad when it is one), which
/// the garbage columns of the last row read.  --dnnf-tile-vectorize
/// schedules the generic (cache tiles of whole rows, one K step per window
/// position, each a plain matmul of a weight slice by a slice of `in`).
/// Returns false (and leaves `op` alone) when the init is not a fill or the
/// input is not an f32 tensor.
bool rewriteImplicit(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp op) {
  Location loc = op.getLoc();
  Value input = op.getInputs()[0], weight = op.getInputs()[1],
        init = op.getOutputs()[0];
  auto in = cast<RankedTensorType>(input.getType());
  auto w = cast<RankedTensorType>(weight.getType());
  auto out = cast<RankedTensorType>(init.getType());
  auto fill = init.getDefiningOp<linalg::FillOp>();
  if (!fill || !fill.hasPureTensorSemantics() || !in.getElementType().isF32() ||
      !out.getElementType().isF32())
    return false;
  int64_t c = in.getDimSize(1), hp = in.getDimSize(2), wp = in.getDimSize(3),
          f = w.getDimSize(0), kw = w.getDimSize(3), oh = out.getDimSize(2),
          ow = out.getDimSize(3);
  SmallVector<int64_t> d(op.getDilations().getValues<int64_t>());
  auto index = [&](int64_t v) -> OpFoldResult {
    return rewriter.getIndexAttr(v);
  };
  rewriter.setInsertionPoint(op);
  // One more row at the bottom: the last output row's garbage columns read
  // up to (kw - 1) * dw elements past the input.
  int64_t extra = ((kw - 1) * d[1] + wp - 1) / wp;
  auto paddedType =
      RankedTensorType::get({1, c, hp + extra, wp}, in.getElementType());
  Value padded = extra == 0 ? input : Value();
  auto pad = input.getDefiningOp<tensor::PadOp>();
  if (!padded && pad && input.hasOneUse() && pad.getConstantPaddingValue()) {
    SmallVector<OpFoldResult> high = pad.getMixedHighPad();
    std::optional<int64_t> h2 = getConstantIntValue(high[2]);
    if (h2) {
      high[2] = rewriter.getIndexAttr(*h2 + extra);
      padded =
          tensor::PadOp::create(rewriter, pad.getLoc(), paddedType,
                                pad.getSource(), pad.getMixedLowPad(), high,
                                pad.getConstantPaddingValue(), pad.getNofold());
    }
  }
  if (!padded) {
    Value zero = arith::ConstantOp::create(
        rewriter, loc, rewriter.getZeroAttr(in.getElementType()));
    padded = tensor::PadOp::create(rewriter, loc, paddedType, input,
                                   {index(0), index(0), index(0), index(0)},
                                   {index(0), index(0), index(extra), index(0)},
                                   zero);
  }
  Value flat =
      collapse(rewriter, loc, padded, {ReassociationIndices{0, 1}, {2, 3}});
  auto extType = RankedTensorType::get({f, oh * wp}, out.getElementType());
  Value empty = tensor::EmptyOp::create(rewriter, loc, extType.getShape(),
                                        extType.getElementType());
  Value zeroed =
      linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], empty)
          .getResult(0);
  MLIRContext *ctx = rewriter.getContext();
  auto e = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // The weights as [KH, KW, F, C] (permuted at compile time when constant):
  // each window position's [F, C] matrix is then contiguous.
  Value packed = dnnf::lowering::permuted(rewriter, loc, weight, {2, 3, 0, 1});
  // Loops (f, n, kh, kw, c).
  SmallVector<AffineMap> maps = {
      AffineMap::get(5, 0, {e(2), e(3), e(0), e(4)}, ctx),
      AffineMap::get(5, 0, {e(4), e(1) + e(2) * (d[0] * wp) + e(3) * d[1]},
                     ctx),
      AffineMap::get(5, 0, {e(0), e(1)}, ctx)};
  auto par = utils::IteratorType::parallel,
       red = utils::IteratorType::reduction;
  auto contract =
      arith::FastMathFlagsAttr::get(ctx, arith::FastMathFlags::contract);
  auto ext = linalg::GenericOp::create(
      rewriter, loc, extType, ValueRange{packed, flat}, zeroed, maps,
      {par, par, red, red, red},
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value product = arith::MulFOp::create(b, l, args[0], args[1], contract);
        linalg::YieldOp::create(
            b, l,
            Value(arith::AddFOp::create(b, l, args[2], product, contract)));
      });
  auto viewType = RankedTensorType::get({1, f, oh, wp}, out.getElementType());
  Value view = tensor::ExpandShapeOp::create(
      rewriter, loc, viewType, ext.getResult(0),
      SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
  Value result = tensor::ExtractSliceOp::create(
      rewriter, loc, out, view, {index(0), index(0), index(0), index(0)},
      {index(1), index(f), index(oh), index(ow)},
      {index(1), index(1), index(1), index(1)});
  rewriter.replaceOp(op, result);
  if (pad && pad->use_empty())
    rewriter.eraseOp(pad);
  return true;
}

struct ConvToMatmulPass
    : public dnnf::impl::DnnfConvToMatmulBase<ConvToMatmulPass> {
  using DnnfConvToMatmulBase::DnnfConvToMatmulBase;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> convs;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNgchwGfchwOp>(op))
        return;
      auto in = dyn_cast<RankedTensorType>(op.getDpsInputs()[0].getType());
      auto w = dyn_cast<RankedTensorType>(op.getDpsInputs()[1].getType());
      auto out = dyn_cast<RankedTensorType>(op.getDpsInits()[0].getType());
      if (in && w && out && in.hasStaticShape() && w.hasStaticShape() &&
          out.hasStaticShape() && in.getDimSize(0) == 1 &&
          in.getElementType() == w.getElementType())
        convs.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::DepthwiseConv2DNchwChwOp> depthwise;
    getOperation().walk([&](linalg::DepthwiseConv2DNchwChwOp op) {
      auto in = dyn_cast<RankedTensorType>(op.getInputs()[0].getType());
      auto w = dyn_cast<RankedTensorType>(op.getInputs()[1].getType());
      if (in && w && in.hasStaticShape() && w.hasStaticShape() &&
          in.getDimSize(0) == 1 && in.getElementType() == w.getElementType() &&
          w.getDimSize(1) * w.getDimSize(2) <= maxWindow)
        depthwise.push_back(op);
    });
    for (linalg::DepthwiseConv2DNchwChwOp op : depthwise) {
      rewriteDepthwise(rewriter, op);
      ++numDepthwise;
    }
    SmallVector<WindowPool> pools;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<WindowPool> pool = matchWindowPool(op)) {
        ArrayRef<int64_t> window =
            cast<RankedTensorType>(op.getDpsInputs()[1].getType()).getShape();
        if (window[0] * window[1] <= maxWindow)
          pools.push_back(*pool);
      }
    });
    for (const WindowPool &pool : pools) {
      rewriteWindowPool(rewriter, pool);
      ++numPools;
    }
    for (linalg::LinalgOp op : convs) {
      if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op.getOperation());
          conv && implicitGemm && isImplicitCandidate(conv) &&
          rewriteImplicit(rewriter, conv)) {
        ++numConverted;
        ++numImplicit;
        continue;
      }
      bool gathered = false;
      if (!rewriteConv(rewriter, op, isa<linalg::Conv2DNgchwGfchwOp>(op),
                       im2col, gathered))
        continue;
      ++numConverted;
      if (gathered)
        ++numIm2col;
    }
  }
};
} // namespace
