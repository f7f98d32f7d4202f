//===- Contraction.cpp - matmul, gemm, convolutions and pooling -----------===//

#include "Common.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::lowering;

namespace {

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type) {
  return filledTensor(b, loc, type, scalar(b, loc, type.getElementType(), 0));
}

/// acc + x * y for floats and integers, `x` and `y` first converted to the
/// type of `acc`.
Value mulAcc(OpBuilder &b, Location loc, Value x, Value y, Value acc) {
  x = castScalar(b, loc, x, acc.getType());
  y = castScalar(b, loc, y, acc.getType());
  if (isFloat(acc.getType()))
    return arith::AddFOp::create(b, loc, acc,
                                 arith::MulFOp::create(b, loc, x, y));
  return arith::AddIOp::create(b, loc, acc,
                               arith::MulIOp::create(b, loc, x, y));
}

/// A contraction as linalg.generic: `lhs` and `rhs` read through their
/// maps, summed into a zero-initialised `resultType`.
Value contraction(OpBuilder &b, Location loc, RankedTensorType resultType,
                  Value lhs, Value rhs, ArrayRef<AffineMap> maps,
                  ArrayRef<utils::IteratorType> iterators) {
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{lhs, rhs}, zeroFilled(b, loc, resultType),
      maps, iterators, [&](OpBuilder &nb, Location nloc, ValueRange a) {
        linalg::YieldOp::create(nb, nloc, mulAcc(nb, nloc, a[0], a[1], a[2]));
      });
  return generic.getResult(0);
}

/// Zero (or `value`) padding of the spatial dims of an N x C x ... tensor.
Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> begins, ArrayRef<int64_t> ends,
                 Value value) {
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
    RankedTensorType outType = op.getOutput().getType();
    Type elem = outType.getElementType();
    // 16-bit floats accumulate in f32, rounded once at the end.
    Type acc = accumulatorType(elem);
    RankedTensorType resultType = outType.clone(acc);
    auto lt = cast<RankedTensorType>(adaptor.getLhs().getType());
    auto rt = cast<RankedTensorType>(adaptor.getRhs().getType());
    auto done = [&](Value r) {
      rewriter.replaceOp(op, castTensor(rewriter, loc, r, elem));
      return success();
    };
    // Plain and equal-batch cases use the named ops (which extend their
    // operands to the accumulator type).
    if (lt.getRank() == 2 && rt.getRank() == 2)
      return done(linalg::MatmulOp::create(
                      rewriter, loc, resultType,
                      ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                      ValueRange{zeroFilled(rewriter, loc, resultType)})
                      .getResult(0));
    // Batched LHS times a matrix: one matmul over the collapsed rows
    // (B1 x .. x M) x K, so the CPU pipeline's matmul schedule applies.
    if (lt.getRank() >= 3 && rt.getRank() == 2) {
      int64_t rows = lt.getNumElements() / lt.getDimSize(lt.getRank() - 1);
      auto lhs2 = RankedTensorType::get({rows, lt.getShape().back()},
                                        lt.getElementType());
      auto res2 =
          RankedTensorType::get({rows, resultType.getShape().back()}, acc);
      Value mm = linalg::MatmulOp::create(
                     rewriter, loc, res2,
                     ValueRange{reshape(rewriter, loc, adaptor.getLhs(), lhs2),
                                adaptor.getRhs()},
                     ValueRange{zeroFilled(rewriter, loc, res2)})
                     .getResult(0);
      return done(reshape(rewriter, loc, mm, resultType));
    }
    // Equal batch dims on both sides: one batch_matmul over the collapsed
    // batch.
    if (lt.getRank() >= 3 && lt.getRank() == rt.getRank() &&
        lt.getShape().drop_back(2) == rt.getShape().drop_back(2)) {
      int64_t r = lt.getRank();
      int64_t batch =
          resultType.getNumElements() /
          (resultType.getDimSize(r - 2) * resultType.getDimSize(r - 1));
      auto three = [&](ArrayRef<int64_t> s, Type e) {
        return RankedTensorType::get({batch, s[r - 2], s[r - 1]}, e);
      };
      auto res3 = three(resultType.getShape(), acc);
      Value bmm =
          linalg::BatchMatmulOp::create(
              rewriter, loc, res3,
              ValueRange{reshape(rewriter, loc, adaptor.getLhs(),
                                 three(lt.getShape(), lt.getElementType())),
                         reshape(rewriter, loc, adaptor.getRhs(),
                                 three(rt.getShape(), rt.getElementType()))},
              ValueRange{zeroFilled(rewriter, loc, res3)})
              .getResult(0);
      return done(reshape(rewriter, loc, bmm, resultType));
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
    return done(contraction(rewriter, loc, resultType, adaptor.getLhs(),
                            adaptor.getRhs(), maps, it));
  }
};

/// alpha * x for an integer `x` as the reference computes it: exactly when
/// alpha is integral, else through f64 and truncated toward zero.
Value scaleInt(OpBuilder &b, Location l, Value x, double alpha) {
  if (alpha == 1.0)
    return x;
  Type t = x.getType();
  if (alpha == std::trunc(alpha) && std::abs(alpha) < 9.0e15)
    return arith::MulIOp::create(b, l, x, scalar(b, l, t, alpha));
  Value f = arith::SIToFPOp::create(b, l, b.getF64Type(), x);
  f = arith::MulFOp::create(b, l, f, scalar(b, l, b.getF64Type(), alpha));
  return arith::FPToSIOp::create(b, l, t, f);
}

} // namespace

Value lowering::permuted(OpBuilder &b, Location loc, Value value,
                         ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  auto pType = RankedTensorType::get(shape, type.getElementType());
  unsigned bits = type.getElementTypeBitWidth();
  Attribute attr;
  if (type.hasStaticShape() && bits % 8 == 0 &&
      matchPattern(value, m_Constant(&attr))) {
    // out[i] = in[j], i running over the permuted shape in row-major order.
    auto permute = [&](ArrayRef<char> data) {
      size_t bytes = bits / 8;
      int64_t rank = type.getRank();
      SmallVector<int64_t> strides(rank, 1);
      for (int64_t d = rank - 2; d >= 0; --d)
        strides[d] = strides[d + 1] * type.getDimSize(d + 1);
      std::vector<char> out(data.size());
      SmallVector<int64_t> index(rank, 0);
      for (size_t i = 0, e = out.size() / bytes; i < e; ++i) {
        int64_t from = 0;
        for (int64_t d = 0; d < rank; ++d)
          from += index[d] * strides[perm[d]];
        std::memcpy(&out[i * bytes], &data[from * bytes], bytes);
        for (int64_t d = rank - 1; d >= 0 && ++index[d] == shape[d]; --d)
          index[d] = 0;
      }
      return out;
    };
    if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
      if (dense.isSplat())
        return arith::ConstantOp::create(b, loc, pType,
                                         dense.resizeSplat(pType));
      std::vector<char> out = permute(dense.getRawData());
      return arith::ConstantOp::create(
          b, loc, pType, DenseElementsAttr::getFromRawBuffer(pType, out));
    }
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
      ArrayRef<char> data = resource.getData();
      if (data.size() ==
          static_cast<size_t>(type.getNumElements()) * bits / 8) {
        std::vector<char> out = permute(data);
        return arith::ConstantOp::create(
            b, loc, pType,
            DenseResourceElementsAttr::get(
                pType, resource.getRawHandle().getKey().str() + "_t",
                HeapAsmResourceBlob::allocateAndCopyWithAlign(
                    out, alignof(uint64_t))));
      }
    }
  }
  return linalg::TransposeOp::create(b, loc, value, emptyTensor(b, loc, pType),
                                     perm)
      .getResult()[0];
}

namespace {

struct GemmPattern : public OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType outType = op.getOutput().getType();
    Type elem = outType.getElementType();
    // 16-bit floats are computed in f32 and rounded once at the end.
    Type accType = accumulatorType(elem);
    RankedTensorType resultType = outType.clone(accType);
    // A plain linalg.matmul on (transposed) operands, so that the CPU
    // pipeline's matmul schedule applies; constant B (weights) is
    // transposed at compile time.
    Value a = adaptor.getA(), bMat = adaptor.getB();
    if (op.getTransA())
      a = permuted(rewriter, loc, a, {1, 0});
    if (op.getTransB())
      bMat = permuted(rewriter, loc, bMat, {1, 0});
    Value acc = linalg::MatmulOp::create(
                    rewriter, loc, resultType, ValueRange{a, bMat},
                    ValueRange{zeroFilled(rewriter, loc, resultType)})
                    .getResult(0);
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value c = adaptor.getC();
    if (alpha == 1.0 && !c) {
      rewriter.replaceOp(op, castTensor(rewriter, loc, acc, elem));
      return success();
    }
    SmallVector<Value> inputs = {acc};
    if (c)
      inputs.push_back(c);
    Value r = elementwise(
        rewriter, loc, outType, inputs,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          if (!isFloat(elem)) {
            Value y = scaleInt(b, l, a[0], alpha);
            if (a.size() > 1)
              y = arith::AddIOp::create(b, l, y, scaleInt(b, l, a[1], beta));
            return y;
          }
          // y = alpha * acc + beta * c, in the accumulator type.
          Value y = a[0];
          if (alpha != 1.0)
            y = arith::MulFOp::create(b, l, y, scalar(b, l, accType, alpha));
          if (a.size() > 1) {
            Value z = castScalar(b, l, a[1], accType);
            if (beta != 1.0)
              z = arith::MulFOp::create(b, l, z, scalar(b, l, accType, beta));
            y = arith::AddFOp::create(b, l, y, z);
          }
          return castScalar(b, l, y, elem);
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
  // Views: input N x G x Cg x D..., weight G x Mg x Cg x K..., out N x G x Mg x
  // O...
  SmallVector<int64_t> inShape = {n, group, cg}, wShape = {group, mg, cg},
                       outShape = {n, group, mg};
  llvm::append_range(inShape, it.getShape().drop_front(2));
  llvm::append_range(wShape, wt.getShape().drop_front(2));
  llvm::append_range(outShape, resultType.getShape().drop_front(2));
  Value in = reshape(b, loc, input, RankedTensorType::get(inShape, elem));
  Value w = reshape(b, loc, weight, RankedTensorType::get(wShape, elem));
  auto outType = RankedTensorType::get(outShape, resultType.getElementType());
  int64_t nDims = 3 + s + 1 + s;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  // Loop order: n g m o... c k...
  int64_t oBase = 3, cDim = 3 + s, kBase = 4 + s;
  SmallVector<AffineExpr> inE = {d(0), d(1), d(cDim)},
                          wE = {d(1), d(2), d(cDim)}, outE = {d(0), d(1), d(2)};
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
    RankedTensorType outType = op.getOutput().getType();
    Type elem = outType.getElementType();
    // 16-bit floats accumulate in f32, rounded once at the end.
    RankedTensorType resultType = outType.clone(accumulatorType(elem));
    int64_t s = resultType.getRank() - 2;
    ArrayRef<int64_t> pads = op.getPads();
    Value input =
        padSpatial(rewriter, loc, adaptor.getInput(), pads.take_front(s),
                   pads.drop_front(s), scalar(rewriter, loc, elem, 0));
    int64_t group = static_cast<int64_t>(op.getGroup());
    auto wt = cast<RankedTensorType>(adaptor.getWeight().getType());
    Value conv;
    if (s == 2 && group == 1) {
      conv =
          linalg::Conv2DNchwFchwOp::create(
              rewriter, loc, resultType, ValueRange{input, adaptor.getWeight()},
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
    } else if (s == 2 && group > 1) {
      // Grouped: the named op on group-split views, (n, g, c/g, h, w) and
      // (g, m/g, c/g, kh, kw) -> (n, g, m/g, oh, ow).
      auto in = cast<RankedTensorType>(input.getType());
      auto out = resultType;
      int64_t mg = wt.getDimSize(0) / group;
      Value x = reshape(rewriter, loc, input,
                        RankedTensorType::get(
                            {in.getDimSize(0), group, in.getDimSize(1) / group,
                             in.getDimSize(2), in.getDimSize(3)},
                            in.getElementType()));
      Value w =
          reshape(rewriter, loc, adaptor.getWeight(),
                  RankedTensorType::get({group, mg, wt.getDimSize(1),
                                         wt.getDimSize(2), wt.getDimSize(3)},
                                        elem));
      auto groupedType = RankedTensorType::get(
          {out.getDimSize(0), group, mg, out.getDimSize(2), out.getDimSize(3)},
          out.getElementType());
      Value y = linalg::Conv2DNgchwGfchwOp::create(
                    rewriter, loc, groupedType, ValueRange{x, w},
                    ValueRange{zeroFilled(rewriter, loc, groupedType)},
                    i64Elements(rewriter, op.getStrides()),
                    i64Elements(rewriter, op.getDilations()))
                    .getResult(0);
      conv = reshape(rewriter, loc, y, resultType);
    } else {
      conv = genericConv(rewriter, loc, input, adaptor.getWeight(), resultType,
                         group, op.getStrides(), op.getDilations());
    }
    if (Value bias = adaptor.getBias()) {
      MLIRContext *ctx = rewriter.getContext();
      int64_t rank = resultType.getRank();
      AffineMap id = rewriter.getMultiDimIdentityMap(rank);
      AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
      conv =
          elementwise(rewriter, loc, resultType, {conv, bias},
                      [](OpBuilder &b, Location l, ValueRange a) -> Value {
                        return arith::AddFOp::create(
                            b, l, a[0], castScalar(b, l, a[1], a[0].getType()));
                      },
                      {id, channel});
    }
    rewriter.replaceOp(op, castTensor(rewriter, loc, conv, elem));
    return success();
  }
};

/// ConvTranspose as a direct convolution.  Input position i of a spatial
/// dimension contributes to full-output position i * s + k * d; spreading
/// the input with stride s into a zero tensor X' that starts d * (K - 1)
/// zeros in, output position o (after the begin pad p) is
///   y[o] = sum_k X'[o + p + d * (K - 1) - d * k] * w[k],
/// a stride-1 convolution over (n, g, m, o..., c, k...) on group-split views.
struct ConvTransposePattern : public OpConversionPattern<ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType outType = op.getOutput().getType();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto wType = cast<RankedTensorType>(adaptor.getWeight().getType());
    Type elem = outType.getElementType();
    Type accType = accumulatorType(elem);
    int64_t s = inType.getRank() - 2;
    ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads(),
                      dilations = op.getDilations(),
                      outputPadding = op.getOutputPadding();
    int64_t group = static_cast<int64_t>(op.getGroup());
    if (s < 1 || static_cast<int64_t>(strides.size()) != s ||
        static_cast<int64_t>(dilations.size()) != s ||
        static_cast<int64_t>(outputPadding.size()) != s ||
        static_cast<int64_t>(pads.size()) != 2 * s)
      return rewriter.notifyMatchFailure(op, "attribute sizes do not match "
                                             "the spatial rank");
    if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
      return rewriter.notifyMatchFailure(op, "negative pads");
    int64_t c = inType.getDimSize(1);
    if (group < 1 || c % group != 0 || wType.getDimSize(0) != c)
      return rewriter.notifyMatchFailure(op, "channels do not fit the group");
    int64_t cg = c / group, mg = wType.getDimSize(1);
    Value y = inType.getNumElements() == 0
                  ? zeroFilled(rewriter, loc, outType.clone(accType))
                  : transposedConv(rewriter, loc, op, adaptor.getInput(),
                                   adaptor.getWeight(), cg, mg);
    if (Value bias = adaptor.getBias()) {
      int64_t rank = outType.getRank();
      AffineMap id = rewriter.getMultiDimIdentityMap(rank);
      AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
      y = elementwise(rewriter, loc, outType.clone(accType), {y, bias},
                      [](OpBuilder &b, Location l, ValueRange a) -> Value {
                        return arith::AddFOp::create(
                            b, l, a[0], castScalar(b, l, a[1], a[0].getType()));
                      },
                      {id, channel});
    }
    rewriter.replaceOp(op, castTensor(rewriter, loc, y, elem));
    return success();
  }

  /// The transposed convolution of a non-empty input, in the accumulator
  /// type.
  static Value transposedConv(OpBuilder &rewriter, Location loc,
                              ConvTransposeOp op, Value inputValue,
                              Value weight, int64_t cg, int64_t mg) {
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType outType = op.getOutput().getType();
    auto inType = cast<RankedTensorType>(inputValue.getType());
    auto wType = cast<RankedTensorType>(weight.getType());
    Type accType = accumulatorType(outType.getElementType());
    int64_t s = inType.getRank() - 2, n = inType.getDimSize(0),
            c = inType.getDimSize(1), group = c / cg;
    ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads(),
                      dilations = op.getDilations(),
                      outputPadding = op.getOutputPadding();
    // X': the input spread with the strides inside zeros.
    SmallVector<int64_t> spreadShape = {n, c};
    SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0)), sizes,
        steps(2, rewriter.getIndexAttr(1));
    for (int64_t d : inType.getShape())
      sizes.push_back(rewriter.getIndexAttr(d));
    for (int64_t i = 0; i < s; ++i) {
      int64_t k = wType.getDimSize(2 + i);
      int64_t margin = dilations[i] * (k - 1);
      spreadShape.push_back((inType.getDimSize(2 + i) - 1) * strides[i] + 1 +
                            2 * margin + outputPadding[i]);
      offsets.push_back(rewriter.getIndexAttr(margin));
      steps.push_back(rewriter.getIndexAttr(strides[i]));
    }
    Value input = castTensor(rewriter, loc, inputValue, accType);
    Value spread = tensor::InsertSliceOp::create(
        rewriter, loc, input,
        zeroFilled(rewriter, loc, RankedTensorType::get(spreadShape, accType)),
        offsets, sizes, steps);

    // Views: X' N x G x Cg x F..., weight G x Cg x Mg x K...,
    // output N x G x Mg x O...
    SmallVector<int64_t> xShape = {n, group, cg}, wShape = {group, cg, mg},
                         yShape = {n, group, mg};
    llvm::append_range(xShape, ArrayRef(spreadShape).drop_front(2));
    llvm::append_range(wShape, wType.getShape().drop_front(2));
    llvm::append_range(yShape, outType.getShape().drop_front(2));
    Value x =
        reshape(rewriter, loc, spread, RankedTensorType::get(xShape, accType));
    Value w = reshape(rewriter, loc, weight,
                      RankedTensorType::get(wShape, wType.getElementType()));
    auto yType = RankedTensorType::get(yShape, accType);
    // Loops: n g m o... c k...
    int64_t nDims = 3 + s + 1 + s, oBase = 3, cDim = 3 + s, kBase = 4 + s;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> xE = {d(0), d(1), d(cDim)},
                            wE = {d(1), d(cDim), d(2)}, yE = {d(0), d(1), d(2)};
    for (int64_t i = 0; i < s; ++i) {
      int64_t k = wType.getDimSize(2 + i);
      xE.push_back(d(oBase + i) + (pads[i] + dilations[i] * (k - 1)) -
                   d(kBase + i) * dilations[i]);
      wE.push_back(d(kBase + i));
      yE.push_back(d(oBase + i));
    }
    SmallVector<AffineMap> maps = {AffineMap::get(nDims, 0, xE, ctx),
                                   AffineMap::get(nDims, 0, wE, ctx),
                                   AffineMap::get(nDims, 0, yE, ctx)};
    SmallVector<utils::IteratorType> iters(3 + s,
                                           utils::IteratorType::parallel);
    iters.append(1 + s, utils::IteratorType::reduction);
    Value y = contraction(rewriter, loc, yType, x, w, maps, iters);
    return reshape(rewriter, loc, y, outType.clone(accType));
  }
};

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

/// Einsum as one linalg.generic: the output labels are the parallel loops,
/// the other labels the reduction loops.  The ellipsis stands for fresh
/// labels, right-aligned across operands and broadcast where an operand has
/// size 1.
struct EinsumPattern : public OpConversionPattern<EinsumOp> {
  using OpConversionPattern::OpConversionPattern;

  /// Labels of one term: a letter's code, or -1 for the ellipsis.
  static FailureOr<SmallVector<int>> parseTerm(StringRef text) {
    SmallVector<int> labels;
    bool ellipsis = false;
    for (size_t i = 0; i < text.size(); ++i) {
      char ch = text[i];
      if (ch == ' ')
        continue;
      if (ch == '.') {
        if (ellipsis || !text.substr(i).starts_with("..."))
          return failure();
        ellipsis = true;
        labels.push_back(-1);
        i += 2;
        continue;
      }
      if (!llvm::isAlpha(ch))
        return failure();
      labels.push_back(static_cast<unsigned char>(ch));
    }
    return labels;
  }

  LogicalResult
  matchAndRewrite(EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType outType = op.getOutput().getType();
    Type elem = outType.getElementType();
    Type accType = accumulatorType(elem);
    StringRef eq = op.getEquation();
    auto [lhs, rhs] = eq.split("->");
    bool explicitOutput = eq.contains("->");
    SmallVector<StringRef> termTexts;
    lhs.split(termTexts, ',');
    ValueRange inputs = adaptor.getInputs();
    if (inputs.empty() || termTexts.size() != inputs.size())
      return rewriter.notifyMatchFailure(op,
                                         "term count differs from operands");

    // Label ids: letters by code (< 256); ellipsis dimension j is 256 + j,
    // counted from the left of the widest ellipsis.
    constexpr int kEllipsisBase = 256;
    SmallVector<SmallVector<int>> terms;
    int64_t ellipsisRank = 0;
    for (auto [text, value] : llvm::zip(termTexts, inputs)) {
      FailureOr<SmallVector<int>> term = parseTerm(text);
      if (failed(term))
        return rewriter.notifyMatchFailure(op, "malformed term");
      int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
      int64_t explicitCount =
          llvm::count_if(*term, [](int l) { return l >= 0; });
      bool hasEllipsis = llvm::is_contained(*term, -1);
      if (explicitCount > rank || (!hasEllipsis && explicitCount != rank))
        return rewriter.notifyMatchFailure(op, "term does not fit the rank");
      if (hasEllipsis)
        ellipsisRank = std::max(ellipsisRank, rank - explicitCount);
      terms.push_back(std::move(*term));
    }
    // Each operand's dims as label ids; sizes of the labels (broadcast over
    // the ellipsis dims).
    SmallVector<SmallVector<int>> dims;
    llvm::DenseMap<int, int64_t> sizes;
    llvm::DenseMap<int, int> uses;
    SmallVector<int> order; // first appearance
    for (auto [term, value] : llvm::zip(terms, inputs)) {
      ArrayRef<int64_t> shape =
          cast<RankedTensorType>(value.getType()).getShape();
      int64_t own = static_cast<int64_t>(shape.size()) -
                    llvm::count_if(term, [](int l) { return l >= 0; });
      SmallVector<int> ids;
      for (int l : term) {
        if (l >= 0) {
          ids.push_back(l);
          continue;
        }
        for (int64_t j = 0; j < own; ++j)
          ids.push_back(kEllipsisBase +
                        static_cast<int>(ellipsisRank - own + j));
      }
      for (auto [id, size] : llvm::zip(ids, shape)) {
        if (!sizes.count(id))
          order.push_back(id);
        auto [it, inserted] = sizes.try_emplace(id, size);
        if (!inserted && it->second != size) {
          if (id < kEllipsisBase || (it->second != 1 && size != 1))
            return rewriter.notifyMatchFailure(op, "label sizes differ");
          it->second = std::max(it->second, size);
        }
        if (id < kEllipsisBase)
          ++uses[id];
      }
      dims.push_back(std::move(ids));
    }
    // Output labels.
    SmallVector<int> outIds;
    if (explicitOutput) {
      FailureOr<SmallVector<int>> term = parseTerm(rhs);
      if (failed(term))
        return rewriter.notifyMatchFailure(op, "malformed output term");
      for (int l : *term) {
        if (l < 0) {
          for (int64_t j = 0; j < ellipsisRank; ++j)
            outIds.push_back(kEllipsisBase + static_cast<int>(j));
          continue;
        }
        if (!sizes.count(l) || llvm::is_contained(outIds, l))
          return rewriter.notifyMatchFailure(
              op, "output label missing from the inputs or repeated");
        outIds.push_back(l);
      }
    } else {
      for (int64_t j = 0; j < ellipsisRank; ++j)
        outIds.push_back(kEllipsisBase + static_cast<int>(j));
      SmallVector<int> once;
      for (auto [id, n] : uses)
        if (n == 1)
          once.push_back(id);
      llvm::sort(once);
      llvm::append_range(outIds, once);
    }
    if (static_cast<int64_t>(outIds.size()) != outType.getRank())
      return rewriter.notifyMatchFailure(op, "output rank mismatch");
    for (auto [id, size] : llvm::zip(outIds, outType.getShape()))
      if (sizes.lookup(id) != size)
        return rewriter.notifyMatchFailure(op, "output shape mismatch");

    // Loops: the output labels, then the summed ones.
    SmallVector<int> loops(outIds);
    for (int id : order)
      if (!llvm::is_contained(loops, id))
        loops.push_back(id);
    auto loopOf = [&](int id) {
      return static_cast<unsigned>(llvm::find(loops, id) - loops.begin());
    };
    int64_t nLoops = loops.size();
    SmallVector<AffineMap> maps;
    for (auto [ids, value] : llvm::zip(dims, inputs)) {
      ArrayRef<int64_t> shape =
          cast<RankedTensorType>(value.getType()).getShape();
      SmallVector<AffineExpr> exprs;
      for (auto [id, size] : llvm::zip(ids, shape))
        exprs.push_back(size == 1 && sizes.lookup(id) != 1
                            ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(loopOf(id), ctx));
      maps.push_back(AffineMap::get(nLoops, 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < outType.getRank(); ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    maps.push_back(AffineMap::get(nLoops, 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iters(outType.getRank(),
                                           utils::IteratorType::parallel);
    iters.append(nLoops - outType.getRank(), utils::IteratorType::reduction);
    RankedTensorType accTensor = outType.clone(accType);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, accTensor, inputs, zeroFilled(rewriter, loc, accTensor),
        maps, iters, [&](OpBuilder &b, Location l, ValueRange a) {
          Value acc = a.back();
          Value p = castScalar(b, l, a[0], accType);
          for (Value v : a.drop_front().drop_back()) {
            v = castScalar(b, l, v, accType);
            p = isFloat(accType) ? Value(arith::MulFOp::create(b, l, p, v))
                                 : Value(arith::MulIOp::create(b, l, p, v));
          }
          Value r = isFloat(accType)
                        ? Value(arith::AddFOp::create(b, l, acc, p))
                        : Value(arith::AddIOp::create(b, l, acc, p));
          linalg::YieldOp::create(b, l, r);
        });
    rewriter.replaceOp(op,
                       castTensor(rewriter, loc, generic.getResult(0), elem));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Window reduction over an N x C x D... tensor as linalg.generic over
/// (n, c, o..., k...): `combine(acc, x)` with an init of `init`.
Value windowReduce(
    OpBuilder &b, Location loc, Value input, RankedTensorType resultType,
    ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> dilations, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
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
  Value window =
      tensor::EmptyOp::create(b, loc, kernel, resultType.getElementType());
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
    Value input = padSpatial(rewriter, loc, adaptor.getInput(),
                             pads.take_front(s), high, lo);
    Value r =
        windowReduce(rewriter, loc, input, resultType, op.getKernelShape(),
                     op.getStrides(), op.getDilations(), lo,
                     [](OpBuilder &b, Location l, Value acc, Value x) {
                       // NaNs never win, as numpy's fmax in the reference.
                       if (isFloat(x.getType()))
                         return Value(arith::MaxNumFOp::create(b, l, acc, x));
                       return maxOf(b, l, acc, x);
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
    RankedTensorType outType = op.getOutput().getType();
    // 16-bit floats are summed and divided in f32, rounded once at the end.
    Type elem = accumulatorType(outType.getElementType());
    RankedTensorType resultType = outType.clone(elem);
    RankedTensorType inType = op.getInput().getType().clone(elem);
    Value input = castTensor(rewriter, loc, adaptor.getInput(), elem);
    int64_t s = op.getKernelShape().size();
    ArrayRef<int64_t> pads = op.getPads();
    SmallVector<int64_t> ones(s, 1);
    SmallVector<int64_t> extra = ceilExtra(
        inType, resultType, op.getKernelShape(), op.getStrides(), ones, pads);
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
    Value sums =
        windowReduce(rewriter, loc, pad2(input, zero), resultType,
                     op.getKernelShape(), op.getStrides(), ones, zero, sum);
    // Divisor per output: the number of counted positions in its window
    // (inside the explicit pads with count_include_pad, else on the input;
    // never in the ceil mode's extra), the same for every batch and
    // channel: a compile-time constant of the spatial shape, or one scalar
    // when every window counts the same.
    SmallVector<int64_t> spatial;
    SmallVector<SmallVector<int64_t>> counts;
    for (int64_t i = 0; i < s; ++i) {
      int64_t in = inType.getDimSize(2 + i), lo = pads[i], hi = pads[i + s];
      int64_t first = op.getCountIncludePad() ? 0 : lo;
      int64_t last = op.getCountIncludePad() ? lo + in + hi : lo + in;
      int64_t k = op.getKernelShape()[i], stride = op.getStrides()[i];
      spatial.push_back(resultType.getDimSize(2 + i));
      counts.emplace_back();
      for (int64_t o = 0; o < spatial.back(); ++o)
        counts.back().push_back(std::max<int64_t>(
            0, std::min(o * stride + k, last) - std::max(o * stride, first)));
    }
    SmallVector<Attribute> divisors;
    for (int64_t n = 0, e = ShapedType::getNumElements(spatial); n < e; ++n) {
      int64_t count = 1;
      for (int64_t i = 0, rest = n; i < s; ++i) {
        int64_t stride =
            ShapedType::getNumElements(ArrayRef(spatial).drop_front(i + 1));
        count *= counts[i][rest / stride];
        rest %= stride;
      }
      divisors.push_back(rewriter.getFloatAttr(elem, count));
    }
    bool uniform = llvm::all_equal(divisors);
    SmallVector<int64_t> divisorShape = {1, 1};
    divisorShape.append(spatial);
    Value divisor =
        uniform && !divisors.empty()
            ? arith::ConstantOp::create(rewriter, loc,
                                        cast<TypedAttr>(divisors.front()))
                  .getResult()
            : arith::ConstantOp::create(
                  rewriter, loc,
                  DenseElementsAttr::get(
                      RankedTensorType::get(divisorShape, elem), divisors))
                  .getResult();
    Value avg = elementwise(
        rewriter, loc, resultType,
        uniform ? ValueRange{sums} : ValueRange{sums, divisor},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          return arith::DivFOp::create(b, l, a[0], uniform ? divisor : a[1]);
        });
    rewriter.replaceOp(
        op, castTensor(rewriter, loc, avg, outType.getElementType()));
    return success();
  }
};

} // namespace

void lowering::populateContractionPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulPattern, GemmPattern, ConvPattern, ConvTransposePattern,
               EinsumPattern, MaxPoolPattern, AveragePoolPattern>(
      patterns.getContext());
}
