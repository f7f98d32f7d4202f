//===- Contraction.cpp - matmul, gemm, convolutions and pooling -----------===//

#include "Common.h"

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::lowering;

namespace {

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type) {
  return filledTensor(b, loc, type, scalar(b, loc, type.getElementType(), 0));
}

/// acc + x * y for floats and integers.
Value mulAcc(OpBuilder &b, Location loc, Value x, Value y, Value acc) {
  if (isFloat(acc.getType()))
    return arith::AddFOp::create(b, loc, acc,
                                 arith::MulFOp::create(b, loc, x, y));
  return arith::AddIOp::create(b, loc, acc, arith::MulIOp::create(b, loc, x, y));
}

/// A contraction as linalg.generic: `lhs` and `rhs` read through their
/// maps, summed into a zero-initialised `resultType`.
Value contraction(OpBuilder &b, Location loc, RankedTensorType resultType,
                  Value lhs, Value rhs, ArrayRef<AffineMap> maps,
                  ArrayRef<utils::IteratorType> iterators) {
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{lhs, rhs},
      zeroFilled(b, loc, resultType), maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange a) {
        linalg::YieldOp::create(nb, nloc, mulAcc(nb, nloc, a[0], a[1], a[2]));
      });
  return generic.getResult(0);
}

/// Zero (or `value`) padding of the spatial dims of an N x C x ... tensor.
Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> begins, ArrayRef<int64_t> ends, Value value) {
  if (llvm::all_of(begins, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(ends, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> low = {0, 0}, high = {0, 0}, shape(type.getShape());
  llvm::append_range(low, begins);
  llvm::append_range(high, ends);
  for (int64_t i = 2; i < type.getRank(); ++i)
    shape[i] += low[i] + high[i];
  auto padded = RankedTensorType::get(shape, type.getElementType());
  SmallVector<OpFoldResult> lo, hi;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    lo.push_back(b.getIndexAttr(low[i]));
    hi.push_back(b.getIndexAttr(high[i]));
  }
  return tensor::PadOp::create(b, loc, padded, input, lo, hi, value);
}

//===----------------------------------------------------------------------===//
// MatMul and Gemm
//===----------------------------------------------------------------------===//

struct MatMulPattern : public OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType resultType = op.getOutput().getType();
    auto lt = cast<RankedTensorType>(adaptor.getLhs().getType());
    auto rt = cast<RankedTensorType>(adaptor.getRhs().getType());
    // Plain and equal-batch cases use the named ops.
    if (lt.getRank() == 2 && rt.getRank() == 2) {
      rewriter.replaceOp(op, linalg::MatmulOp::create(
                                 rewriter, loc, resultType,
                                 ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                                 ValueRange{zeroFilled(rewriter, loc, resultType)})
                                 .getResult(0));
      return success();
    }
    if (lt.getRank() == 3 && rt.getRank() == 3 &&
        lt.getDimSize(0) == rt.getDimSize(0)) {
      rewriter.replaceOp(
          op, linalg::BatchMatmulOp::create(
                  rewriter, loc, resultType,
                  ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                  ValueRange{zeroFilled(rewriter, loc, resultType)})
                  .getResult(0));
      return success();
    }
    // General numpy matmul: iteration space = result dims + k.
    bool vecL = lt.getRank() == 1, vecR = rt.getRank() == 1;
    int64_t rank = resultType.getRank(), k = rank;
    int64_t batchRank = rank - (vecL ? 0 : 1) - (vecR ? 0 : 1);
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    auto batchExprs = [&](RankedTensorType t, int64_t own) {
      SmallVector<AffineExpr> e;
      int64_t offset = batchRank - own;
      for (int64_t i = 0; i < own; ++i) {
        int64_t j = offset + i;
        if (t.getDimSize(i) == 1 && resultType.getDimSize(j) != 1)
          e.push_back(getAffineConstantExpr(0, ctx));
        else
          e.push_back(dim(j));
      }
      return e;
    };
    SmallVector<AffineExpr> le, re, oe;
    if (vecL) {
      le.push_back(dim(k));
    } else {
      le = batchExprs(lt, lt.getRank() - 2);
      le.push_back(dim(batchRank));
      le.push_back(dim(k));
    }
    if (vecR) {
      re.push_back(dim(k));
    } else {
      re = batchExprs(rt, rt.getRank() - 2);
      re.push_back(dim(k));
      re.push_back(dim(rank - 1));
    }
    for (int64_t i = 0; i < rank; ++i)
      oe.push_back(dim(i));
    SmallVector<AffineMap> maps = {AffineMap::get(rank + 1, 0, le, ctx),
                                   AffineMap::get(rank + 1, 0, re, ctx),
                                   AffineMap::get(rank + 1, 0, oe, ctx)};
    SmallVector<utils::IteratorType> it(rank, utils::IteratorType::parallel);
    it.push_back(utils::IteratorType::reduction);
    rewriter.replaceOp(op, contraction(rewriter, loc, resultType,
                                       adaptor.getLhs(), adaptor.getRhs(), maps,
                                       it));
    return success();
  }
};

struct GemmPattern : public OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType resultType = op.getOutput().getType();
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> maps = {
        AffineMap::get(3, 0, op.getTransA() ? ArrayRef<AffineExpr>{k, m}
                                            : ArrayRef<AffineExpr>{m, k},
                       ctx),
        AffineMap::get(3, 0, op.getTransB() ? ArrayRef<AffineExpr>{n, k}
                                            : ArrayRef<AffineExpr>{k, n},
                       ctx),
        AffineMap::get(3, 0, {m, n}, ctx)};
    SmallVector<utils::IteratorType> it = {utils::IteratorType::parallel,
                                           utils::IteratorType::parallel,
                                           utils::IteratorType::reduction};
    Value acc = contraction(rewriter, loc, resultType, adaptor.getA(),
                            adaptor.getB(), maps, it);
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value c = adaptor.getC();
    if (alpha == 1.0 && (!c || beta == 0.0)) {
      rewriter.replaceOp(op, acc);
      return success();
    }
    SmallVector<Value> inputs = {acc};
    if (c && beta != 0.0)
      inputs.push_back(c);
    Value r = elementwise(
        rewriter, loc, resultType, inputs,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Type t = a[0].getType();
          Value y = a[0];
          if (alpha != 1.0)
            y = isFloat(t) ? Value(arith::MulFOp::create(b, l, y,
                                                         scalar(b, l, t, alpha)))
                           : Value(arith::MulIOp::create(b, l, y,
                                                         scalar(b, l, t, alpha)));
          if (a.size() > 1) {
            Value z = a[1];
            if (beta != 1.0)
              z = isFloat(t) ? Value(arith::MulFOp::create(
                                   b, l, z, scalar(b, l, t, beta)))
                             : Value(arith::MulIOp::create(
                                   b, l, z, scalar(b, l, t, beta)));
            y = isFloat(t) ? Value(arith::AddFOp::create(b, l, y, z))
                           : Value(arith::AddIOp::create(b, l, y, z));
          }
          return y;
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

DenseIntElementsAttr i64Elements(OpBuilder &b, ArrayRef<int64_t> values) {
  return DenseIntElementsAttr::get(
      RankedTensorType::get({static_cast<int64_t>(values.size())},
                            b.getI64Type()),
      values);
}

/// N-D grouped convolution as linalg.generic over
/// (n, g, m, o_1..o_s, c, k_1..k_s) on group-split views of the operands.
Value genericConv(OpBuilder &b, Location loc, Value input, Value weight,
                  RankedTensorType resultType, int64_t group,
                  ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  MLIRContext *ctx = b.getContext();
  auto it = cast<RankedTensorType>(input.getType());
  auto wt = cast<RankedTensorType>(weight.getType());
  Type elem = it.getElementType();
  int64_t s = it.getRank() - 2;
  int64_t n = it.getDimSize(0), c = it.getDimSize(1), m = wt.getDimSize(0);
  int64_t cg = c / group, mg = m / group;
  // Views: input N x G x Cg x D..., weight G x Mg x Cg x K..., out N x G x Mg x O...
  SmallVector<int64_t> inShape = {n, group, cg}, wShape = {group, mg, cg},
                       outShape = {n, group, mg};
  llvm::append_range(inShape, it.getShape().drop_front(2));
  llvm::append_range(wShape, wt.getShape().drop_front(2));
  llvm::append_range(outShape, resultType.getShape().drop_front(2));
  Value in = reshape(b, loc, input, RankedTensorType::get(inShape, elem));
  Value w = reshape(b, loc, weight, RankedTensorType::get(wShape, elem));
  auto outType = RankedTensorType::get(outShape, elem);
  int64_t nDims = 3 + s + 1 + s;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  // Loop order: n g m o... c k...
  int64_t oBase = 3, cDim = 3 + s, kBase = 4 + s;
  SmallVector<AffineExpr> inE = {d(0), d(1), d(cDim)}, wE = {d(1), d(2), d(cDim)},
                          outE = {d(0), d(1), d(2)};
  for (int64_t i = 0; i < s; ++i) {
    inE.push_back(d(oBase + i) * strides[i] + d(kBase + i) * dilations[i]);
    wE.push_back(d(kBase + i));
    outE.push_back(d(oBase + i));
  }
  SmallVector<AffineMap> maps = {AffineMap::get(nDims, 0, inE, ctx),
                                 AffineMap::get(nDims, 0, wE, ctx),
                                 AffineMap::get(nDims, 0, outE, ctx)};
  SmallVector<utils::IteratorType> iters(3 + s, utils::IteratorType::parallel);
  iters.append(1 + s, utils::IteratorType::reduction);
  Value out = contraction(b, loc, outType, in, w, maps, iters);
  return reshape(b, loc, out, resultType);
}

struct ConvPattern : public OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getOutput().getType();
    Type elem = resultType.getElementType();
    int64_t s = resultType.getRank() - 2;
    ArrayRef<int64_t> pads = op.getPads();
    Value input = padSpatial(rewriter, loc, adaptor.getInput(),
                             pads.take_front(s), pads.drop_front(s),
                             scalar(rewriter, loc, elem, 0));
    int64_t group = static_cast<int64_t>(op.getGroup());
    auto wt = cast<RankedTensorType>(adaptor.getWeight().getType());
    Value conv;
    if (s == 2 && group == 1) {
      conv = linalg::Conv2DNchwFchwOp::create(
                 rewriter, loc, resultType,
                 ValueRange{input, adaptor.getWeight()},
                 ValueRange{zeroFilled(rewriter, loc, resultType)},
                 i64Elements(rewriter, op.getStrides()),
                 i64Elements(rewriter, op.getDilations()))
                 .getResult(0);
    } else if (s == 2 && group == wt.getDimSize(0) && wt.getDimSize(1) == 1) {
      // Depthwise with multiplier 1: weight M x 1 x kh x kw -> C x kh x kw.
      auto dwType = RankedTensorType::get(
          {wt.getDimSize(0), wt.getDimSize(2), wt.getDimSize(3)}, elem);
      Value w = reshape(rewriter, loc, adaptor.getWeight(), dwType);
      conv = linalg::DepthwiseConv2DNchwChwOp::create(
                 rewriter, loc, resultType, ValueRange{input, w},
                 ValueRange{zeroFilled(rewriter, loc, resultType)},
                 i64Elements(rewriter, op.getStrides()),
                 i64Elements(rewriter, op.getDilations()))
                 .getResult(0);
    } else {
      conv = genericConv(rewriter, loc, input, adaptor.getWeight(), resultType,
                         group, op.getStrides(), op.getDilations());
    }
    if (Value bias = adaptor.getBias()) {
      MLIRContext *ctx = rewriter.getContext();
      int64_t rank = resultType.getRank();
      AffineMap id = rewriter.getMultiDimIdentityMap(rank);
      AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
      conv = elementwise(
          rewriter, loc, resultType, {conv, bias},
          [](OpBuilder &b, Location l, ValueRange a) -> Value {
            return arith::AddFOp::create(b, l, a[0], a[1]);
          },
          {id, channel});
    }
    rewriter.replaceOp(op, conv);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Window reduction over an N x C x D... tensor as linalg.generic over
/// (n, c, o..., k...): `combine(acc, x)` with an init of `init`.
Value windowReduce(OpBuilder &b, Location loc, Value input,
                   RankedTensorType resultType, ArrayRef<int64_t> kernel,
                   ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                   Value init,
                   llvm::function_ref<Value(OpBuilder &, Location, Value, Value)>
                       combine) {
  MLIRContext *ctx = b.getContext();
  int64_t s = kernel.size(), nDims = 2 + 2 * s;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inE = {d(0), d(1)}, winE, outE = {d(0), d(1)};
  for (int64_t i = 0; i < s; ++i) {
    inE.push_back(d(2 + i) * strides[i] + d(2 + s + i) * dilations[i]);
    winE.push_back(d(2 + s + i));
    outE.push_back(d(2 + i));
  }
  // The window tensor only carries the kernel extents.
  Value window = tensor::EmptyOp::create(b, loc, kernel, resultType.getElementType());
  SmallVector<AffineMap> maps = {AffineMap::get(nDims, 0, inE, ctx),
                                 AffineMap::get(nDims, 0, winE, ctx),
                                 AffineMap::get(nDims, 0, outE, ctx)};
  SmallVector<utils::IteratorType> iters(2 + s, utils::IteratorType::parallel);
  iters.append(s, utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{input, window},
      filledTensor(b, loc, resultType, init), maps, iters,
      [&](OpBuilder &nb, Location nloc, ValueRange a) {
        linalg::YieldOp::create(nb, nloc, combine(nb, nloc, a[2], a[0]));
      });
  return generic.getResult(0);
}

/// Extra high padding so that every window of a ceil-mode pooling fits.
SmallVector<int64_t> ceilExtra(RankedTensorType in, RankedTensorType out,
                               ArrayRef<int64_t> kernel,
                               ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> dilations,
                               ArrayRef<int64_t> pads) {
  int64_t s = kernel.size();
  SmallVector<int64_t> extra;
  for (int64_t i = 0; i < s; ++i) {
    int64_t needed = (out.getDimSize(2 + i) - 1) * strides[i] +
                     (kernel[i] - 1) * dilations[i] + 1;
    int64_t have = in.getDimSize(2 + i) + pads[i] + pads[i + s];
    extra.push_back(std::max<int64_t>(0, needed - have));
  }
  return extra;
}

struct MaxPoolPattern : public OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getOutput().getType();
    Type elem = resultType.getElementType();
    int64_t s = op.getKernelShape().size();
    ArrayRef<int64_t> pads = op.getPads();
    SmallVector<int64_t> extra =
        ceilExtra(op.getInput().getType(), resultType, op.getKernelShape(),
                  op.getStrides(), op.getDilations(), pads);
    SmallVector<int64_t> high(pads.drop_front(s));
    for (int64_t i = 0; i < s; ++i)
      high[i] += extra[i];
    Value lo = lowest(rewriter, loc, elem);
    Value input =
        padSpatial(rewriter, loc, adaptor.getInput(), pads.take_front(s), high, lo);
    Value r = windowReduce(
        rewriter, loc, input, resultType, op.getKernelShape(), op.getStrides(),
        op.getDilations(), lo, [](OpBuilder &b, Location l, Value acc, Value x) {
          if (isFloat(x.getType()))
            return Value(arith::MaximumFOp::create(b, l, acc, x));
          return Value(arith::MaxSIOp::create(b, l, acc, x));
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct AveragePoolPattern : public OpConversionPattern<AveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AveragePoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getOutput().getType();
    RankedTensorType inType = op.getInput().getType();
    Type elem = resultType.getElementType();
    int64_t s = op.getKernelShape().size();
    ArrayRef<int64_t> pads = op.getPads();
    SmallVector<int64_t> ones(s, 1);
    SmallVector<int64_t> extra = ceilExtra(inType, resultType, op.getKernelShape(),
                                           op.getStrides(), ones, pads);
    SmallVector<int64_t> noPad(s, 0);
    Value zero = scalar(rewriter, loc, elem, 0);
    auto sum = [](OpBuilder &b, Location l, Value acc, Value x) {
      return Value(arith::AddFOp::create(b, l, acc, x));
    };
    auto pad2 = [&](Value v, Value explicitValue) {
      v = padSpatial(rewriter, loc, v, pads.take_front(s), pads.drop_front(s),
                     explicitValue);
      return padSpatial(rewriter, loc, v, noPad, extra, zero);
    };
    Value sums = windowReduce(rewriter, loc, pad2(adaptor.getInput(), zero),
                              resultType, op.getKernelShape(), op.getStrides(),
                              ones, zero, sum);
    // Divisor per output: the number of counted positions in its window.
    Value count = filledTensor(rewriter, loc, inType, scalar(rewriter, loc, elem, 1));
    Value counted =
        pad2(count, scalar(rewriter, loc, elem, op.getCountIncludePad() ? 1 : 0));
    Value divisor = windowReduce(rewriter, loc, counted, resultType,
                                 op.getKernelShape(), op.getStrides(), ones,
                                 zero, sum);
    rewriter.replaceOp(
        op, elementwise(rewriter, loc, resultType, {sums, divisor},
                        [](OpBuilder &b, Location l, ValueRange a) -> Value {
                          return arith::DivFOp::create(b, l, a[0], a[1]);
                        }));
    return success();
  }
};

} // namespace

void lowering::populateContractionPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulPattern, GemmPattern, ConvPattern, MaxPoolPattern,
               AveragePoolPattern>(patterns.getContext());
}
