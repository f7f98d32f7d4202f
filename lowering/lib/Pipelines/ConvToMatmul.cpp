//===- ConvToMatmul.cpp - 2-D convolutions as matmuls ---------------------===//
//
// linalg.conv_2d_nchw_fchw with batch 1 becomes one linalg.matmul
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
/// window position: out = init + sum_k in_k * w_k.  Elementwise fusion can
/// then take the bias and activation into the same loop nest, whose
/// innermost loop (ow) LLVM vectorizes.
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
  auto generic = linalg::GenericOp::create(
      rewriter, loc, out, inputs, init, maps,
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value acc = args.back();
        for (size_t k = 0; k + 1 < args.size(); k += 2) {
          Value x = args[k], y = args[k + 1];
          if (x.getType() != acc.getType()) {
            x = arith::ExtFOp::create(b, l, acc.getType(), x);
            y = arith::ExtFOp::create(b, l, acc.getType(), y);
          }
          acc = isFloat ? Value(arith::AddFOp::create(
                              b, l, acc, arith::MulFOp::create(b, l, x, y)))
                        : Value(arith::AddIOp::create(
                              b, l, acc, arith::MulIOp::create(b, l, x, y)));
        }
        linalg::YieldOp::create(b, l, acc);
      });
  rewriter.replaceOp(op, generic.getResult(0));
}

struct ConvToMatmulPass
    : public dnnf::impl::DnnfConvToMatmulBase<ConvToMatmulPass> {
  using DnnfConvToMatmulBase::DnnfConvToMatmulBase;

  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation().walk([&](linalg::Conv2DNchwFchwOp op) {
      auto in = dyn_cast<RankedTensorType>(op.getInputs()[0].getType());
      auto w = dyn_cast<RankedTensorType>(op.getInputs()[1].getType());
      auto out = dyn_cast<RankedTensorType>(op.getOutputs()[0].getType());
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
    for (linalg::Conv2DNchwFchwOp op : convs) {
      Location loc = op.getLoc();
      Value input = op.getInputs()[0], weight = op.getInputs()[1],
            init = op.getOutputs()[0];
      auto in = cast<RankedTensorType>(input.getType());
      auto w = cast<RankedTensorType>(weight.getType());
      auto out = cast<RankedTensorType>(init.getType());
      int64_t c = in.getDimSize(1), kh = w.getDimSize(2), kw = w.getDimSize(3),
              oh = out.getDimSize(2), ow = out.getDimSize(3);
      SmallVector<int64_t> s(op.getStrides().getValues<int64_t>());
      SmallVector<int64_t> d(op.getDilations().getValues<int64_t>());
      bool direct = kh == 1 && kw == 1 && s[0] == 1 && s[1] == 1 &&
                    in.getDimSize(2) == oh && in.getDimSize(3) == ow;
      if (!direct && !im2col)
        continue;
      rewriter.setInsertionPoint(op);
      Value col;
      if (direct) {
        col = collapse(rewriter, loc, input, {{0, 1}, {2, 3}});
      } else {
        // col[c, kh, kw, oh, ow] = in[0, c, oh*sh + kh*dh, ow*sw + kw*dw]
        MLIRContext *ctx = &getContext();
        auto e = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
        AffineMap read = AffineMap::get(5, 0,
                                        {getAffineConstantExpr(0, ctx), e(0),
                                         e(3) * s[0] + e(1) * d[0],
                                         e(4) * s[1] + e(2) * d[1]},
                                        ctx);
        auto colType =
            RankedTensorType::get({c, kh, kw, oh, ow}, in.getElementType());
        Value empty = tensor::EmptyOp::create(rewriter, loc, colType.getShape(),
                                              colType.getElementType());
        auto gather = linalg::GenericOp::create(
            rewriter, loc, colType, input, empty,
            ArrayRef<AffineMap>{read, rewriter.getMultiDimIdentityMap(5)},
            SmallVector<utils::IteratorType>(5, utils::IteratorType::parallel),
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(b, l, args[0]);
            });
        col = collapse(rewriter, loc, gather.getResult(0), {{0, 1, 2}, {3, 4}});
        ++numIm2col;
      }
      Value lhs = collapse(rewriter, loc, weight, {{0}, {1, 2, 3}});
      Value acc = collapse(rewriter, loc, init, {{0, 1}, {2, 3}});
      auto mm = linalg::MatmulOp::create(rewriter, loc, acc.getType(),
                                         ValueRange{lhs, col}, ValueRange{acc});
      Value result = tensor::ExpandShapeOp::create(
          rewriter, loc, out, mm.getResult(0),
          ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
      rewriter.replaceOp(op, result);
      ++numConverted;
    }
  }
};
} // namespace
