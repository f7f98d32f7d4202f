//===- Reduction.cpp - reductions, softmax, normalisations ----------------===//

#include "Common.h"

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::lowering;

namespace {

using Combine = llvm::function_ref<Value(OpBuilder &, Location, Value, Value)>;
using Map = llvm::function_ref<Value(OpBuilder &, Location, Value)>;

/// Map from the full iteration space to the kept (non-reduced) dims.
AffineMap keptMap(MLIRContext *ctx, ArrayRef<bool> reduced) {
  SmallVector<AffineExpr> e;
  for (auto [i, r] : llvm::enumerate(reduced))
    if (!r)
      e.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(reduced.size(), 0, e, ctx);
}

SmallVector<int64_t> keptShape(ArrayRef<int64_t> shape,
                               ArrayRef<bool> reduced) {
  SmallVector<int64_t> s;
  for (auto [d, r] : llvm::zip(shape, reduced))
    if (!r)
      s.push_back(d);
  return s;
}

/// Reduces `input` over `reduced` dims: acc = step(args, acc), where `args`
/// holds the element of `input` then those of `extra` (read with
/// `extraMaps`).  The result has the element type of `init`.
Value reduce(
    OpBuilder &b, Location loc, Value input, ArrayRef<bool> reduced, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange, Value)> step,
    ValueRange extra = {}, ArrayRef<AffineMap> extraMaps = {}) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(input.getType());
  auto outType = RankedTensorType::get(keptShape(type.getShape(), reduced),
                                       init.getType());
  SmallVector<Value> ins = {input};
  llvm::append_range(ins, extra);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(type.getRank())};
  llvm::append_range(maps, extraMaps);
  maps.push_back(keptMap(ctx, reduced));
  SmallVector<utils::IteratorType> iters;
  for (bool r : reduced)
    iters.push_back(r ? utils::IteratorType::reduction
                      : utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, outType, ins, filledTensor(b, loc, outType, init), maps, iters,
      [&](OpBuilder &nb, Location nloc, ValueRange a) {
        linalg::YieldOp::create(nb, nloc,
                                step(nb, nloc, a.drop_back(), a.back()));
      });
  return generic.getResult(0);
}

Value add(OpBuilder &b, Location l, Value x, Value y) {
  return isFloat(x.getType()) ? Value(arith::AddFOp::create(b, l, x, y))
                              : Value(arith::AddIOp::create(b, l, x, y));
}
Value mul(OpBuilder &b, Location l, Value x, Value y) {
  return isFloat(x.getType()) ? Value(arith::MulFOp::create(b, l, x, y))
                              : Value(arith::MulIOp::create(b, l, x, y));
}
Value maxv(OpBuilder &b, Location l, Value x, Value y) {
  return maxOf(b, l, x, y);
}
Value minv(OpBuilder &b, Location l, Value x, Value y) {
  return minOf(b, l, x, y);
}

SmallVector<bool> reducedMask(int64_t rank, ArrayRef<int64_t> axes) {
  SmallVector<bool> mask(rank, axes.empty());
  for (int64_t a : axes)
    mask[a < 0 ? a + rank : a] = true;
  return mask;
}

template <typename OpTy>
struct ReducePattern : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    Type elem = type.getElementType();
    SmallVector<bool> mask = reducedMask(type.getRank(), op.getAxes());
    int64_t count = 1;
    for (auto [d, r] : llvm::zip(type.getShape(), mask))
      if (r)
        count *= d;
    // Sums and products of 16-bit floats accumulate in f32; max / min stay
    // in the element type.
    Type acc = accumulatorType(elem);
    auto step = [&](Combine combine, Map pre) {
      return [combine, pre](OpBuilder &b, Location l, ValueRange a,
                            Value accValue) {
        Value v = castScalar(b, l, a[0], accValue.getType());
        return combine(b, l, accValue, pre ? pre(b, l, v) : v);
      };
    };
    auto id = Map();
    Value r;
    if constexpr (std::is_same_v<OpTy, ReduceSumOp> ||
                  std::is_same_v<OpTy, ReduceMeanOp>)
      r = reduce(rewriter, loc, x, mask, scalar(rewriter, loc, acc, 0),
                 step(add, id));
    else if constexpr (std::is_same_v<OpTy, ReduceProdOp>)
      r = reduce(rewriter, loc, x, mask, scalar(rewriter, loc, acc, 1),
                 step(mul, id));
    else if constexpr (std::is_same_v<OpTy, ReduceMaxOp>)
      r = reduce(rewriter, loc, x, mask, lowest(rewriter, loc, elem),
                 step(maxv, id));
    else if constexpr (std::is_same_v<OpTy, ReduceMinOp>)
      r = reduce(rewriter, loc, x, mask, highest(rewriter, loc, elem),
                 step(minv, id));
    else if constexpr (std::is_same_v<OpTy, ReduceL1Op>)
      r = reduce(rewriter, loc, x, mask, scalar(rewriter, loc, acc, 0),
                 step(add, [](OpBuilder &b, Location l, Value v) -> Value {
                   if (isFloat(v.getType()))
                     return math::AbsFOp::create(b, l, v);
                   return math::AbsIOp::create(b, l, v);
                 }));
    else if constexpr (std::is_same_v<OpTy, ReduceL2Op> ||
                       std::is_same_v<OpTy, ReduceSumSquareOp>)
      r = reduce(rewriter, loc, x, mask, scalar(rewriter, loc, acc, 0),
                 step(add, [](OpBuilder &b, Location l, Value v) {
                   return mul(b, l, v, v);
                 }));
    else if constexpr (std::is_same_v<OpTy, ReduceLogSumOp>)
      r = reduce(rewriter, loc, x, mask, scalar(rewriter, loc, acc, 0),
                 step(add, id));
    else {
      static_assert(std::is_same_v<OpTy, ReduceLogSumExpOp>);
      // Stable: m + log(sum(exp(x - m))).
      Value m = reduce(rewriter, loc, x, mask, lowest(rewriter, loc, elem),
                       step(maxv, id));
      AffineMap mMap = keptMap(rewriter.getContext(), mask);
      // As the reference: a non-finite max (all -inf, an empty axis, an inf
      // or a NaN) shifts by 0 instead.
      auto shift = [](OpBuilder &b, Location l, Value mv, Type t) -> Value {
        mv = castScalar(b, l, mv, t);
        Value finite = arith::CmpFOp::create(b, l, arith::CmpFPredicate::ONE,
                                             math::AbsFOp::create(b, l, mv),
                                             scalar(b, l, t, INFINITY));
        return arith::SelectOp::create(b, l, finite, mv, scalar(b, l, t, 0));
      };
      r = reduce(
          rewriter, loc, x, mask, scalar(rewriter, loc, acc, 0),
          [&](OpBuilder &b, Location l, ValueRange a, Value sum) -> Value {
            Type t = sum.getType();
            Value e = math::ExpOp::create(
                b, l,
                arith::SubFOp::create(b, l, castScalar(b, l, a[0], t),
                                      shift(b, l, a[1], t)));
            return arith::AddFOp::create(b, l, sum, e);
          },
          m, mMap);
      auto kept = cast<RankedTensorType>(r.getType());
      r = elementwise(rewriter, loc, kept, {r, m},
                      [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                        return arith::AddFOp::create(
                            b, l, math::LogOp::create(b, l, a[0]),
                            shift(b, l, a[1], a[0].getType()));
                      });
    }
    // Post-processing on the reduced tensor.
    auto kept = cast<RankedTensorType>(r.getType());
    // (An integer mean over no element is the empty sum, 0, as in the
    // reference; a float one is 0 / 0.)
    if (std::is_same_v<OpTy, ReduceMeanOp> && (count != 0 || isFloat(elem)))
      r = elementwise(rewriter, loc, kept, r,
                      [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                        Type t = a[0].getType();
                        Value n = scalar(b, l, t, static_cast<double>(count));
                        if (isFloat(t))
                          return arith::DivFOp::create(b, l, a[0], n);
                        return arith::DivSIOp::create(b, l, a[0], n);
                      });
    if constexpr (std::is_same_v<OpTy, ReduceL2Op>)
      r = elementwise(rewriter, loc, kept, r,
                      [](OpBuilder &b, Location l, ValueRange a) -> Value {
                        return math::SqrtOp::create(b, l, a[0]);
                      });
    if constexpr (std::is_same_v<OpTy, ReduceLogSumOp>)
      r = elementwise(rewriter, loc, kept, r,
                      [](OpBuilder &b, Location l, ValueRange a) -> Value {
                        return math::LogOp::create(b, l, a[0]);
                      });
    r = castTensor(rewriter, loc, r, elem);
    rewriter.replaceOp(
        op, reshape(rewriter, loc, r,
                    cast<RankedTensorType>(op->getResult(0).getType())));
    return success();
  }
};

template <typename OpTy, bool isMax>
struct ArgReducePattern : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    Type elem = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    SmallVector<bool> mask(rank, false);
    mask[axis] = true;
    SmallVector<int64_t> shape = keptShape(type.getShape(), mask);
    auto valType = RankedTensorType::get(shape, elem);
    auto idxType = RankedTensorType::get(shape, rewriter.getI64Type());
    Value initV =
        isMax ? lowest(rewriter, loc, elem) : highest(rewriter, loc, elem);
    AffineMap out = keptMap(ctx, mask);
    SmallVector<utils::IteratorType> iters;
    for (bool r : mask)
      iters.push_back(r ? utils::IteratorType::reduction
                        : utils::IteratorType::parallel);
    bool last = op.getSelectLastIndex();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valType, idxType}, ValueRange{x},
        ValueRange{
            filledTensor(rewriter, loc, valType, initV),
            filledTensor(rewriter, loc, idxType,
                         scalar(rewriter, loc, rewriter.getI64Type(), 0))},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank), out, out},
        iters, [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value better;
          if (isFloat(elem)) {
            auto pred = isMax ? (last ? arith::CmpFPredicate::OGE
                                      : arith::CmpFPredicate::OGT)
                              : (last ? arith::CmpFPredicate::OLE
                                      : arith::CmpFPredicate::OLT);
            better = arith::CmpFOp::create(b, l, pred, a[0], a[1]);
          } else {
            auto pred = isMax ? (last ? arith::CmpIPredicate::sge
                                      : arith::CmpIPredicate::sgt)
                              : (last ? arith::CmpIPredicate::sle
                                      : arith::CmpIPredicate::slt);
            better = arith::CmpIOp::create(b, l, intPredicate(elem, pred), a[0],
                                           a[1]);
          }
          // The first element always wins (the init is only a sentinel).
          Value first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i,
                                              scalar(b, l, b.getI64Type(), 0));
          better = arith::OrIOp::create(b, l, better, first);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, better, a[0], a[1]),
                         arith::SelectOp::create(b, l, better, i, a[2])});
        });
    rewriter.replaceOp(
        op, reshape(rewriter, loc, generic.getResult(1),
                    cast<RankedTensorType>(op->getResult(0).getType())));
    return success();
  }
};

/// Broadcast map of a reduced tensor back over the full iteration space.
Value softmaxLike(OpBuilder &b, Location loc, Value x, int64_t axis, bool log) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elem = type.getElementType();
  int64_t rank = type.getRank();
  if (axis < 0)
    axis += rank;
  SmallVector<bool> mask(rank, false);
  mask[axis] = true;
  AffineMap id = b.getMultiDimIdentityMap(rank);
  AffineMap kept = keptMap(b.getContext(), mask);
  Value m = reduce(b, loc, x, mask, lowest(b, loc, elem),
                   [](OpBuilder &nb, Location l, ValueRange a, Value acc) {
                     return maxv(nb, l, acc, a[0]);
                   });
  Value sum = reduce(
      b, loc, x, mask, scalar(b, loc, elem, 0),
      [](OpBuilder &nb, Location l, ValueRange a, Value acc) -> Value {
        Value e = math::ExpOp::create(nb, l,
                                      arith::SubFOp::create(nb, l, a[0], a[1]));
        return arith::AddFOp::create(nb, l, acc, e);
      },
      m, kept);
  return elementwise(b, loc, type, {x, m, sum},
                     [log](OpBuilder &nb, Location l, ValueRange a) -> Value {
                       Value shifted = arith::SubFOp::create(nb, l, a[0], a[1]);
                       if (log)
                         return arith::SubFOp::create(
                             nb, l, shifted, math::LogOp::create(nb, l, a[2]));
                       return arith::DivFOp::create(
                           nb, l, math::ExpOp::create(nb, l, shifted), a[2]);
                     },
                     {id, kept, kept});
}

struct SoftmaxPattern : public OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       softmaxLike(rewriter, op.getLoc(), adaptor.getInput(),
                                   static_cast<int64_t>(op.getAxis()), false));
    return success();
  }
};

struct LogSoftmaxPattern : public OpConversionPattern<LogSoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LogSoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       softmaxLike(rewriter, op.getLoc(), adaptor.getInput(),
                                   static_cast<int64_t>(op.getAxis()), true));
    return success();
  }
};

template <typename OpTy, bool isMax>
struct GlobalPoolPattern : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    Type elem = type.getElementType();
    SmallVector<bool> mask(type.getRank(), true);
    mask[0] = mask[1] = false;
    int64_t count = 1;
    for (int64_t i = 2; i < type.getRank(); ++i)
      count *= type.getDimSize(i);
    // Averages of 16-bit floats accumulate in f32.
    Type accType = isMax ? elem : accumulatorType(elem);
    Value r = reduce(rewriter, loc, x, mask,
                     isMax ? lowest(rewriter, loc, elem)
                           : scalar(rewriter, loc, accType, 0),
                     [](OpBuilder &b, Location l, ValueRange a, Value acc) {
                       Value v = castScalar(b, l, a[0], acc.getType());
                       return isMax ? maxv(b, l, acc, v) : add(b, l, acc, v);
                     });
    if (!isMax)
      r = elementwise(rewriter, loc, cast<RankedTensorType>(r.getType()), r,
                      [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                        return arith::DivFOp::create(
                            b, l, a[0], scalar(b, l, accType, double(count)));
                      });
    r = castTensor(rewriter, loc, r, elem);
    rewriter.replaceOp(
        op, reshape(rewriter, loc, r,
                    cast<RankedTensorType>(op->getResult(0).getType())));
    return success();
  }
};

/// (x - mean) / sqrt(var + eps) over `mask`, then `* scale + bias` with the
/// parameters read through `scaleMap` and `biasMap`.  For 16-bit floats, the
/// statistics and the normalised value are computed in f32 (ONNX's stash_type),
/// the scale and bias applied in the element type.
Value normalize(OpBuilder &b, Location loc, Value x, ArrayRef<bool> mask,
                double eps, Value scale, Value bias, AffineMap scaleMap,
                AffineMap biasMap) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elem = accumulatorType(type.getElementType());
  MLIRContext *ctx = b.getContext();
  int64_t count = 1;
  for (auto [d, r] : llvm::zip(type.getShape(), mask))
    if (r)
      count *= d;
  AffineMap id = b.getMultiDimIdentityMap(type.getRank());
  AffineMap kept = keptMap(ctx, mask);
  auto sumStep = [](OpBuilder &nb, Location l, ValueRange a, Value acc) {
    return add(nb, l, acc, castScalar(nb, l, a[0], acc.getType()));
  };
  Value sum = reduce(b, loc, x, mask, scalar(b, loc, elem, 0), sumStep);
  auto keptType = cast<RankedTensorType>(sum.getType());
  Value n = scalar(b, loc, elem, double(count));
  Value mean =
      elementwise(b, loc, keptType, sum,
                  [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                    return arith::DivFOp::create(nb, l, a[0], n);
                  });
  Value sq = reduce(
      b, loc, x, mask, scalar(b, loc, elem, 0),
      [](OpBuilder &nb, Location l, ValueRange a, Value acc) -> Value {
        Value d = arith::SubFOp::create(
            nb, l, castScalar(nb, l, a[0], acc.getType()), a[1]);
        return arith::AddFOp::create(nb, l, acc,
                                     arith::MulFOp::create(nb, l, d, d));
      },
      mean, kept);
  SmallVector<Value> ins = {x, mean, sq, scale};
  SmallVector<AffineMap> maps = {id, kept, kept, scaleMap};
  if (bias) {
    ins.push_back(bias);
    maps.push_back(biasMap);
  }
  return elementwise(
      b, loc, type, ins,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value var = arith::DivFOp::create(nb, l, a[2], n);
        Value denom = math::SqrtOp::create(
            nb, l, arith::AddFOp::create(nb, l, var, scalar(nb, l, elem, eps)));
        Value y = arith::DivFOp::create(
            nb, l,
            arith::SubFOp::create(nb, l, castScalar(nb, l, a[0], elem), a[1]),
            denom);
        y = castScalar(nb, l, y, a[3].getType());
        y = arith::MulFOp::create(nb, l, y, a[3]);
        if (a.size() > 4)
          y = arith::AddFOp::create(nb, l, y, a[4]);
        return y;
      },
      maps);
}

struct LayerNormPattern : public OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getInput().getType();
    int64_t rank = type.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    SmallVector<bool> mask(rank, false);
    for (int64_t i = axis; i < rank; ++i)
      mask[i] = true;
    // The parameters broadcast (numpy-style) to the normalised dimensions,
    // hence to the whole input.
    MLIRContext *ctx = rewriter.getContext();
    auto paramMap = [&](Value p) {
      if (!p)
        return AffineMap();
      return broadcastMap(ctx, cast<RankedTensorType>(p.getType()).getShape(),
                          type.getShape());
    };
    rewriter.replaceOp(op, normalize(rewriter, op.getLoc(), adaptor.getInput(),
                                     mask, op.getEpsilon().convertToDouble(),
                                     adaptor.getScale(), adaptor.getBias(),
                                     paramMap(adaptor.getScale()),
                                     paramMap(adaptor.getBias())));
    return success();
  }
};

struct InstanceNormPattern : public OpConversionPattern<InstanceNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(InstanceNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getInput().getType();
    int64_t rank = type.getRank();
    SmallVector<bool> mask(rank, true);
    mask[0] = mask[1] = false;
    AffineMap channel =
        AffineMap::get(rank, 0, getAffineDimExpr(1, rewriter.getContext()));
    rewriter.replaceOp(op, normalize(rewriter, op.getLoc(), adaptor.getInput(),
                                     mask, op.getEpsilon().convertToDouble(),
                                     adaptor.getScale(), adaptor.getBias(),
                                     channel, channel));
    return success();
  }
};

/// y = x / (bias + alpha / size * sum_{window over C} x^2)^beta.
struct LRNPattern : public OpConversionPattern<LRNOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LRNOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput();
    RankedTensorType type = op.getInput().getType();
    Type elem = type.getElementType();
    int64_t rank = type.getRank(), size = static_cast<int64_t>(op.getSize());
    int64_t before = (size - 1) / 2, after = size - 1 - before;
    SmallVector<OpFoldResult> lo(rank, rewriter.getIndexAttr(0)),
        hi(rank, rewriter.getIndexAttr(0));
    lo[1] = rewriter.getIndexAttr(before);
    hi[1] = rewriter.getIndexAttr(after);
    SmallVector<int64_t> padded(type.getShape());
    padded[1] += size - 1;
    Value px = tensor::PadOp::create(rewriter, loc,
                                     RankedTensorType::get(padded, elem), x, lo,
                                     hi, scalar(rewriter, loc, elem, 0));
    // sum over k in [0, size) of px[n, c + k, ...]^2: dims (d..., k).
    SmallVector<AffineExpr> inE;
    for (int64_t i = 0; i < rank; ++i)
      inE.push_back(i == 1
                        ? getAffineDimExpr(1, ctx) + getAffineDimExpr(rank, ctx)
                        : getAffineDimExpr(i, ctx));
    Value window =
        tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{size}, elem);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    SmallVector<AffineExpr> outE;
    for (int64_t i = 0; i < rank; ++i)
      outE.push_back(getAffineDimExpr(i, ctx));
    auto sums = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{px, window},
        filledTensor(rewriter, loc, type, scalar(rewriter, loc, elem, 0)),
        ArrayRef<AffineMap>{
            AffineMap::get(rank + 1, 0, inE, ctx),
            AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, ctx)),
            AffineMap::get(rank + 1, 0, outE, ctx)},
        iters, [&](OpBuilder &b, Location l, ValueRange a) {
          Value sq = arith::MulFOp::create(b, l, a[0], a[0]);
          linalg::YieldOp::create(
              b, l, ValueRange{arith::AddFOp::create(b, l, a[2], sq)});
        });
    double alpha = op.getAlpha().convertToDouble() / double(size);
    double beta = op.getBeta().convertToDouble();
    double bias = op.getBias().convertToDouble();
    rewriter.replaceOp(
        op, elementwise(rewriter, loc, type, {x, sums.getResult(0)},
                        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                          Value base = arith::AddFOp::create(
                              b, l, scalar(b, l, elem, bias),
                              arith::MulFOp::create(b, l, a[1],
                                                    scalar(b, l, elem, alpha)));
                          Value den = math::PowFOp::create(
                              b, l, base, scalar(b, l, elem, beta));
                          return arith::DivFOp::create(b, l, a[0], den);
                        }));
    return success();
  }
};

/// out[..., i, ...] = sum over j of x[..., j, ...] for j <= i (< for
/// exclusive; reversed for reverse) as a (quadratic) masked reduction.
struct CumSumPattern : public OpConversionPattern<CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getOutput().getType();
    Type elem = type.getElementType();
    int64_t rank = type.getRank(), axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    SmallVector<AffineExpr> inE, outE;
    for (int64_t i = 0; i < rank; ++i) {
      inE.push_back(getAffineDimExpr(i == axis ? rank : i, ctx));
      outE.push_back(getAffineDimExpr(i, ctx));
    }
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{adaptor.getInput()},
        filledTensor(rewriter, loc, type, scalar(rewriter, loc, elem, 0)),
        ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, inE, ctx),
                            AffineMap::get(rank + 1, 0, outE, ctx)},
        iters, [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = linalg::IndexOp::create(b, l, axis);
          Value j = linalg::IndexOp::create(b, l, rank);
          arith::CmpIPredicate pred =
              reverse ? (exclusive ? arith::CmpIPredicate::sgt
                                   : arith::CmpIPredicate::sge)
                      : (exclusive ? arith::CmpIPredicate::slt
                                   : arith::CmpIPredicate::sle);
          Value take = arith::CmpIOp::create(b, l, pred, j, i);
          Value v =
              arith::SelectOp::create(b, l, take, a[0], scalar(b, l, elem, 0));
          linalg::YieldOp::create(b, l, add(b, l, a[1], v));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void lowering::populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<ReducePattern<ReduceSumOp>, ReducePattern<ReduceMeanOp>,
               ReducePattern<ReduceMaxOp>, ReducePattern<ReduceMinOp>,
               ReducePattern<ReduceProdOp>, ReducePattern<ReduceL1Op>,
               ReducePattern<ReduceL2Op>, ReducePattern<ReduceSumSquareOp>,
               ReducePattern<ReduceLogSumOp>, ReducePattern<ReduceLogSumExpOp>,
               ArgReducePattern<ArgMaxOp, true>,
               ArgReducePattern<ArgMinOp, false>, SoftmaxPattern,
               LogSoftmaxPattern, GlobalPoolPattern<GlobalAveragePoolOp, false>,
               GlobalPoolPattern<GlobalMaxPoolOp, true>, LayerNormPattern,
               InstanceNormPattern, LRNPattern, CumSumPattern>(
      patterns.getContext());
}
