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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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
    for (linalg::LinalgOp op : convs) {
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
