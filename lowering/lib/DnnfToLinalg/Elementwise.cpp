//===- Elementwise.cpp - elementwise dnnf ops -> linalg.generic -----------===//
//
// Every elementwise op becomes one all-parallel linalg.generic whose operands
// are read through numpy-broadcast indexing maps; the scalar computation is
// built per op below.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dnnf/Transforms/AlgebraicRules.h"

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::lowering;

namespace {

Value cst(OpBuilder &b, Location loc, Type t, double v) {
  return scalar(b, loc, t, v);
}

Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  Value d = arith::AddFOp::create(b, loc, cst(b, loc, t, 1.0), e);
  return arith::DivFOp::create(b, loc, cst(b, loc, t, 1.0), d);
}

Value compare(OpBuilder &b, Location loc, Value x, Value y,
              arith::CmpFPredicate fp, arith::CmpIPredicate ip) {
  if (isFloat(x.getType()))
    return arith::CmpFOp::create(b, loc, fp, x, y);
  return arith::CmpIOp::create(b, loc, intPredicate(x.getType(), ip), x, y);
}

//===----------------------------------------------------------------------===//
// Scalar semantics, one overload per op.
//===----------------------------------------------------------------------===//

#define UNARY_MATH(OP, MATHOP)                                                 \
  Value compute(OP, OpBuilder &b, Location loc, ValueRange a) {                \
    return MATHOP::create(b, loc, a[0]);                                       \
  }
UNARY_MATH(TanhOp, math::TanhOp)
UNARY_MATH(ExpOp, math::ExpOp)
UNARY_MATH(LogOp, math::LogOp)
UNARY_MATH(SqrtOp, math::SqrtOp)
UNARY_MATH(ErfOp, math::ErfOp)
UNARY_MATH(CeilOp, math::CeilOp)
UNARY_MATH(FloorOp, math::FloorOp)
UNARY_MATH(RoundOp, math::RoundEvenOp)
UNARY_MATH(SinOp, math::SinOp)
UNARY_MATH(CosOp, math::CosOp)
#undef UNARY_MATH

Value compute(ReluOp, OpBuilder &b, Location loc, ValueRange a) {
  return maxOf(b, loc, a[0], cst(b, loc, a[0].getType(), 0));
}
Value compute(SigmoidOp, OpBuilder &b, Location loc, ValueRange a) {
  return sigmoid(b, loc, a[0]);
}
Value compute(ReciprocalOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::DivFOp::create(b, loc, cst(b, loc, a[0].getType(), 1), a[0]);
}
Value compute(AbsOp, OpBuilder &b, Location loc, ValueRange a) {
  if (isFloat(a[0].getType()))
    return math::AbsFOp::create(b, loc, a[0]);
  return math::AbsIOp::create(b, loc, a[0]);
}
Value compute(NegOp, OpBuilder &b, Location loc, ValueRange a) {
  if (isFloat(a[0].getType()))
    return arith::NegFOp::create(b, loc, a[0]);
  return arith::SubIOp::create(b, loc, cst(b, loc, a[0].getType(), 0), a[0]);
}
Value compute(SignOp, OpBuilder &b, Location loc, ValueRange a) {
  Type t = a[0].getType();
  Value zero = cst(b, loc, t, 0);
  Value pos = compare(b, loc, a[0], zero, arith::CmpFPredicate::OGT,
                      arith::CmpIPredicate::sgt);
  Value neg = compare(b, loc, a[0], zero, arith::CmpFPredicate::OLT,
                      arith::CmpIPredicate::slt);
  Value r = arith::SelectOp::create(b, loc, neg, cst(b, loc, t, -1), zero);
  r = arith::SelectOp::create(b, loc, pos, cst(b, loc, t, 1), r);
  // sign(NaN) = NaN.
  if (isFloat(t)) {
    Value nan =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, a[0], a[0]);
    r = arith::SelectOp::create(b, loc, nan, a[0], r);
  }
  return r;
}
Value compute(SoftplusOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, a[0]));
}
Value compute(SoftsignOp, OpBuilder &b, Location loc, ValueRange a) {
  Type t = a[0].getType();
  Value d = arith::AddFOp::create(b, loc, cst(b, loc, t, 1),
                                  math::AbsFOp::create(b, loc, a[0]));
  return arith::DivFOp::create(b, loc, a[0], d);
}
Value compute(HardSwishOp, OpBuilder &b, Location loc, ValueRange a) {
  Type t = a[0].getType();
  Value y = arith::AddFOp::create(
      b, loc, arith::MulFOp::create(b, loc, a[0], cst(b, loc, t, 1.0 / 6.0)),
      cst(b, loc, t, 0.5));
  y = minOf(b, loc, maxOf(b, loc, y, cst(b, loc, t, 0)), cst(b, loc, t, 1));
  return arith::MulFOp::create(b, loc, a[0], y);
}
Value compute(NotOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::XOrIOp::create(b, loc, a[0], cst(b, loc, a[0].getType(), 1));
}
Value compute(LeakyReluOp op, OpBuilder &b, Location loc, ValueRange a) {
  Type t = a[0].getType();
  Value neg = arith::MulFOp::create(
      b, loc, a[0], cst(b, loc, t, op.getAlpha().convertToDouble()));
  Value ge = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, a[0],
                                   cst(b, loc, t, 0));
  return arith::SelectOp::create(b, loc, ge, a[0], neg);
}
Value expm1Scaled(OpBuilder &b, Location loc, Value x, double alpha) {
  return arith::MulFOp::create(b, loc, math::ExpM1Op::create(b, loc, x),
                               cst(b, loc, x.getType(), alpha));
}
Value compute(EluOp op, OpBuilder &b, Location loc, ValueRange a) {
  Type t = a[0].getType();
  Value ge = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, a[0],
                                   cst(b, loc, t, 0));
  return arith::SelectOp::create(
      b, loc, ge, a[0],
      expm1Scaled(b, loc, a[0], op.getAlpha().convertToDouble()));
}
Value compute(SeluOp op, OpBuilder &b, Location loc, ValueRange a) {
  Type t = a[0].getType();
  Value gt = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, a[0],
                                   cst(b, loc, t, 0));
  Value y = arith::SelectOp::create(
      b, loc, gt, a[0],
      expm1Scaled(b, loc, a[0], op.getAlpha().convertToDouble()));
  return arith::MulFOp::create(b, loc, y,
                               cst(b, loc, t, op.getGamma().convertToDouble()));
}
Value compute(HardSigmoidOp op, OpBuilder &b, Location loc, ValueRange a) {
  Type t = a[0].getType();
  Value y = arith::AddFOp::create(
      b, loc,
      arith::MulFOp::create(b, loc, a[0],
                            cst(b, loc, t, op.getAlpha().convertToDouble())),
      cst(b, loc, t, op.getBeta().convertToDouble()));
  return minOf(b, loc, maxOf(b, loc, y, cst(b, loc, t, 0)), cst(b, loc, t, 1));
}
Value compute(GeluOp op, OpBuilder &b, Location loc, ValueRange a) {
  Type t = a[0].getType();
  Value x = a[0];
  Value inner;
  if (op.getApproximate() == "tanh") {
    // tanh(sqrt(2/pi) * (x + 0.044715 x^3))
    Value x3 =
        arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value s = arith::AddFOp::create(
        b, loc, x, arith::MulFOp::create(b, loc, x3, cst(b, loc, t, 0.044715)));
    inner = math::TanhOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, s, cst(b, loc, t, 0.7978845608028654)));
  } else {
    inner = math::ErfOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, x, cst(b, loc, t, 0.7071067811865476)));
  }
  Value onePlus = arith::AddFOp::create(b, loc, cst(b, loc, t, 1), inner);
  return arith::MulFOp::create(
      b, loc, arith::MulFOp::create(b, loc, x, cst(b, loc, t, 0.5)), onePlus);
}
/// A clip bound in the element type: integer bounds saturate to the type's
/// range and truncate toward zero, as the reference.
Value clipBound(OpBuilder &b, Location loc, Type t, const APFloat &bound) {
  if (isFloat(t))
    return cst(b, loc, t, bound.convertToDouble());
  APSInt v(t.getIntOrFloatBitWidth(), /*isUnsigned=*/false);
  bool exact = false;
  // Out of range saturates; NaN (never valid here) gives 0.
  (void)bound.convertToInteger(v, APFloat::rmTowardZero, &exact);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, v));
}
Value compute(ClipOp op, OpBuilder &b, Location loc, ValueRange a) {
  Type t = a[0].getType();
  Value y = a[0];
  if (std::optional<APFloat> lo = op.getMin())
    y = maxOf(b, loc, y, clipBound(b, loc, t, *lo));
  if (std::optional<APFloat> hi = op.getMax())
    y = minOf(b, loc, y, clipBound(b, loc, t, *hi));
  return y;
}

#define BINARY(OP, FOP, IOP)                                                   \
  Value compute(OP, OpBuilder &b, Location loc, ValueRange a) {                \
    if (isFloat(a[0].getType()))                                               \
      return FOP::create(b, loc, a[0], a[1]);                                  \
    return IOP::create(b, loc, a[0], a[1]);                                    \
  }
BINARY(AddOp, arith::AddFOp, arith::AddIOp)
BINARY(SubOp, arith::SubFOp, arith::SubIOp)
BINARY(MulOp, arith::MulFOp, arith::MulIOp)
BINARY(DivOp, arith::DivFOp, arith::DivSIOp)
#undef BINARY

Value compute(AndOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::AndIOp::create(b, loc, a[0], a[1]);
}
Value compute(OrOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::OrIOp::create(b, loc, a[0], a[1]);
}
Value compute(XorOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::XOrIOp::create(b, loc, a[0], a[1]);
}
Value compute(PowOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::PowFOp::create(b, loc, a[0], a[1]);
}
Value compute(MaxOp, OpBuilder &b, Location loc, ValueRange a) {
  return maxOf(b, loc, a[0], a[1]);
}
Value compute(MinOp, OpBuilder &b, Location loc, ValueRange a) {
  return minOf(b, loc, a[0], a[1]);
}
Value compute(ModOp op, OpBuilder &b, Location loc, ValueRange a) {
  if (isFloat(a[0].getType()))
    return arith::RemFOp::create(b, loc, a[0], a[1]);
  Value r = arith::RemSIOp::create(b, loc, a[0], a[1]);
  if (op.getFmod() == 1)
    return r;
  // Python-style modulo: the result takes the divisor's sign.
  Type t = a[0].getType();
  Value zero = cst(b, loc, t, 0);
  Value nonzero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, r, zero);
  Value rNeg =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, zero);
  Value bNeg =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, a[1], zero);
  Value differ = arith::XOrIOp::create(b, loc, rNeg, bNeg);
  Value fix = arith::AndIOp::create(b, loc, nonzero, differ);
  return arith::SelectOp::create(b, loc, fix,
                                 arith::AddIOp::create(b, loc, r, a[1]), r);
}
/// Shifts by the width or more (or by a negative amount, seen as unsigned)
/// are defined as numpy defines them: 0 to the left, the sign to the right.
Value compute(BitShiftOp op, OpBuilder &b, Location loc, ValueRange a) {
  Type t = a[0].getType();
  unsigned width = t.getIntOrFloatBitWidth();
  Value inRange = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ult, a[1],
      arith::ConstantOp::create(b, loc,
                                b.getIntegerAttr(t, APInt(width, width))));
  if (op.getDirection() == "left")
    return arith::SelectOp::create(b, loc, inRange,
                                   arith::ShLIOp::create(b, loc, a[0], a[1]),
                                   cst(b, loc, t, 0));
  Value sign = arith::ShRSIOp::create(b, loc, a[0], cst(b, loc, t, width - 1));
  return arith::SelectOp::create(
      b, loc, inRange, arith::ShRSIOp::create(b, loc, a[0], a[1]), sign);
}

#define CMP(OP, FP, IP)                                                        \
  Value compute(OP, OpBuilder &b, Location loc, ValueRange a) {                \
    return compare(b, loc, a[0], a[1], arith::CmpFPredicate::FP,               \
                   arith::CmpIPredicate::IP);                                  \
  }
CMP(EqualOp, OEQ, eq)
CMP(GreaterOp, OGT, sgt)
CMP(GreaterOrEqualOp, OGE, sge)
CMP(LessOp, OLT, slt)
CMP(LessOrEqualOp, OLE, sle)
#undef CMP

Value compute(PReluOp, OpBuilder &b, Location loc, ValueRange a) {
  Value neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, a[0],
                                    cst(b, loc, a[0].getType(), 0));
  return arith::SelectOp::create(
      b, loc, neg, arith::MulFOp::create(b, loc, a[0], a[1]), a[0]);
}
Value compute(WhereOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::SelectOp::create(b, loc, a[0], a[1], a[2]);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

template <typename OpTy>
struct ElementwisePattern : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    Type resultElem = resultType.getElementType();
    Value r = elementwise(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          // 16-bit floats are computed in f32 and rounded once: one
          // rounding per op, however many steps its formula takes (exact
          // for the single-step ops).  Clip keeps the element type: its
          // bounds are rounded to it first.
          if (std::is_same_v<OpTy, ClipOp>)
            return compute(op, b, loc, args);
          SmallVector<Value> wide;
          for (Value v : args)
            wide.push_back(castScalar(b, loc, v, accumulatorType(v.getType())));
          Value y = compute(op, b, loc, wide);
          return y.getType() == resultElem ? y
                                           : castScalar(b, loc, y, resultElem);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct CastPattern : public OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = op.getOutput().getType();
    Type to = resultType.getElementType();
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), resultType, adaptor.getInput(),
                        [&](OpBuilder &b, Location loc, ValueRange args) {
                          return castScalar(b, loc, args[0], to);
                        }));
    return success();
  }
};

/// y = (x - mean) * scale / sqrt(var + eps) + bias, parameters along dim 1,
/// computed as y = x * k + c with k = scale / sqrt(var + eps) and
/// c = bias - mean * k: constants when the parameters are (inference), else
/// two small generics over the channels; then one multiply-add per element
/// instead of a square root and a division.
struct BatchNormPattern : public OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getOutput().getType();
    MLIRContext *ctx = rewriter.getContext();
    Location loc = op.getLoc();
    int64_t rank = type.getRank();
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    // 16-bit floats: computed in f32, rounded once.
    Type elem = type.getElementType(), t = accumulatorType(elem);
    auto channels = cast<RankedTensorType>(adaptor.getScale().getType());
    auto perChannel = RankedTensorType::get(channels.getShape(), t);
    Value k, c;
    if (!foldParameters(rewriter, op, perChannel, k, c))
      buildParameters(rewriter, op, adaptor, perChannel, k, c);
    Value r = elementwise(
        rewriter, loc, type, {adaptor.getInput(), k, c},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = castScalar(b, l, args[0], t);
          return castScalar(
              b, l,
              arith::AddFOp::create(
                  b, l, arith::MulFOp::create(b, l, x, args[1]), args[2]),
              elem);
        },
        {id, channel, channel});
    rewriter.replaceOp(op, r);
    return success();
  }

  /// k and c as f32 constants when the four parameters are constants (and
  /// `perChannel` f32): batchNormAffine computes them in double, rounded
  /// here once.
  static bool foldParameters(OpBuilder &b, BatchNormOp op,
                             RankedTensorType perChannel, Value &k, Value &c) {
    if (!perChannel.getElementType().isF32() || !perChannel.hasStaticShape())
      return false;
    auto affine =
        batchNormAffine(op, /*maxElements=*/perChannel.getNumElements());
    if (!affine)
      return false;
    auto constant = [&](ArrayRef<double> values) -> Value {
      SmallVector<float> rounded(values.begin(), values.end());
      return arith::ConstantOp::create(
          b, op.getLoc(),
          DenseElementsAttr::get(perChannel, ArrayRef(rounded)));
    };
    k = constant(affine->first);
    c = constant(affine->second);
    return true;
  }

  /// k and c computed by two generics over the channels.
  static void buildParameters(OpBuilder &rewriter, BatchNormOp op,
                              OpAdaptor adaptor, RankedTensorType perChannel,
                              Value &k, Value &c) {
    Location loc = op.getLoc();
    Type t = perChannel.getElementType();
    double eps = op.getEpsilon().convertToDouble();
    auto widened = [&](OpBuilder &b, ValueRange args) {
      SmallVector<Value> a;
      for (Value v : args)
        a.push_back(castScalar(b, loc, v, t));
      return a;
    };
    // k = scale / sqrt(var + eps)
    k = elementwise(
        rewriter, loc, perChannel, {adaptor.getScale(), adaptor.getVariance()},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          SmallVector<Value> a = widened(b, args);
          Value denom = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, a[1], cst(b, l, t, eps)));
          return arith::DivFOp::create(b, l, a[0], denom);
        });
    // c = bias - mean * k
    c = elementwise(rewriter, loc, perChannel,
                    {adaptor.getBias(), adaptor.getMean(), k},
                    [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                      SmallVector<Value> a = widened(b, args);
                      return arith::SubFOp::create(
                          b, l, a[0], arith::MulFOp::create(b, l, a[1], a[2]));
                    });
  }
};

} // namespace

void lowering::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ElementwisePattern<ReluOp>, ElementwisePattern<SigmoidOp>,
               ElementwisePattern<TanhOp>, ElementwisePattern<ExpOp>,
               ElementwisePattern<LogOp>, ElementwisePattern<SqrtOp>,
               ElementwisePattern<ReciprocalOp>, ElementwisePattern<AbsOp>,
               ElementwisePattern<NegOp>, ElementwisePattern<SignOp>,
               ElementwisePattern<ErfOp>, ElementwisePattern<CeilOp>,
               ElementwisePattern<FloorOp>, ElementwisePattern<RoundOp>,
               ElementwisePattern<SinOp>, ElementwisePattern<CosOp>,
               ElementwisePattern<SoftplusOp>, ElementwisePattern<SoftsignOp>,
               ElementwisePattern<HardSwishOp>, ElementwisePattern<NotOp>,
               ElementwisePattern<LeakyReluOp>, ElementwisePattern<EluOp>,
               ElementwisePattern<SeluOp>, ElementwisePattern<HardSigmoidOp>,
               ElementwisePattern<GeluOp>, ElementwisePattern<ClipOp>,
               ElementwisePattern<AddOp>, ElementwisePattern<SubOp>,
               ElementwisePattern<MulOp>, ElementwisePattern<DivOp>,
               ElementwisePattern<PowOp>, ElementwisePattern<MaxOp>,
               ElementwisePattern<MinOp>, ElementwisePattern<ModOp>,
               ElementwisePattern<EqualOp>, ElementwisePattern<GreaterOp>,
               ElementwisePattern<GreaterOrEqualOp>, ElementwisePattern<LessOp>,
               ElementwisePattern<LessOrEqualOp>, ElementwisePattern<AndOp>,
               ElementwisePattern<OrOp>, ElementwisePattern<XorOp>,
               ElementwisePattern<BitShiftOp>, ElementwisePattern<PReluOp>,
               ElementwisePattern<WhereOp>, CastPattern, BatchNormPattern>(ctx);
}
