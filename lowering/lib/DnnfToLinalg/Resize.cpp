//===- Resize.cpp - dnnf.resize -> linalg.generic -------------------------===//
//
// Shapes are static, so the source coordinates, taps and weights of every
// output position are computed here, in double precision as the ONNX
// reference, and become constant tables.  Interpolation is separable: the
// output element is the sum over the taps of every resized axis of the
// product of their weights times the (edge-clamped) input element, one
// linalg.generic with a reduction loop per resized axis.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include <cmath>

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::lowering;

namespace {

/// Taps of one resized axis: `taps` input indices (clamped to the axis) and
/// weights for each of `outLen` output positions, row-major.
struct AxisTaps {
  int64_t taps = 1;
  SmallVector<int64_t> index;
  SmallVector<double> weight;
};

/// Input coordinate of output position `y` along an axis.
std::optional<double> sourceCoordinate(StringRef mode, int64_t y,
                                       int64_t outLen, int64_t inLen,
                                       double scale) {
  double yd = static_cast<double>(y);
  // As the ONNX reference: the "resized length" is scale * inLen, which
  // differs from outLen when the scale does not divide evenly.
  double outWidth = scale * static_cast<double>(inLen);
  if (mode == "half_pixel")
    return (yd + 0.5) / scale - 0.5;
  if (mode == "pytorch_half_pixel")
    return outLen > 1 ? (yd + 0.5) / scale - 0.5 : 0.0;
  if (mode == "align_corners")
    return outWidth == 1 ? 0.0
                         : yd * static_cast<double>(inLen - 1) / (outWidth - 1);
  if (mode == "asymmetric")
    return yd / scale;
  if (mode == "tf_half_pixel_for_nn")
    return (yd + 0.5) / scale;
  if (mode == "half_pixel_symmetric") {
    double adjustment = static_cast<double>(outLen) / outWidth;
    double offset = static_cast<double>(inLen) / 2 * (1 - adjustment);
    return offset + (yd + 0.5) / scale - 0.5;
  }
  return std::nullopt;
}

std::optional<int64_t> nearestIndex(StringRef mode, double x) {
  double floor = std::floor(x), frac = x - floor;
  if (mode == "round_prefer_floor")
    return static_cast<int64_t>(frac <= 0.5 ? floor : floor + 1);
  if (mode == "round_prefer_ceil")
    return static_cast<int64_t>(frac < 0.5 ? floor : floor + 1);
  if (mode == "floor")
    return static_cast<int64_t>(floor);
  if (mode == "ceil")
    return static_cast<int64_t>(std::ceil(x));
  return std::nullopt;
}

FailureOr<AxisTaps> axisTaps(ResizeOp op, int64_t outLen, int64_t inLen,
                             double scale) {
  StringRef mode = op.getMode();
  AxisTaps t;
  t.taps = mode == "nearest" ? 1 : mode == "linear" ? 2 : 4;
  double a = op.getCubicCoeffA().convertToDouble();
  auto near = [a](double x) { return ((a + 2) * x - (a + 3)) * x * x + 1; };
  auto far = [a](double x) {
    return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  };
  auto clamp = [inLen](int64_t i) {
    return std::clamp<int64_t>(i, 0, inLen - 1);
  };
  for (int64_t y = 0; y < outLen; ++y) {
    std::optional<double> x = sourceCoordinate(
        op.getCoordinateTransformationMode(), y, outLen, inLen, scale);
    if (!x || std::isnan(*x))
      return failure();
    // Taps beyond the edges all clamp to the edge (and the weights sum to
    // 1): bounding x changes nothing but keeps the conversions defined.
    x = std::clamp(*x, -4.0, static_cast<double>(inLen) + 4.0);
    if (mode == "nearest") {
      std::optional<int64_t> i = nearestIndex(op.getNearestMode(), *x);
      if (!i)
        return failure();
      t.index.push_back(clamp(*i));
      t.weight.push_back(1.0);
      continue;
    }
    double floor = std::floor(*x), r = *x - floor;
    auto base = static_cast<int64_t>(floor);
    if (mode == "linear") {
      t.index.append({clamp(base), clamp(base + 1)});
      t.weight.append({1 - r, r});
    } else {
      t.index.append(
          {clamp(base - 1), clamp(base), clamp(base + 1), clamp(base + 2)});
      t.weight.append({far(r + 1), near(r), near(1 - r), far(2 - r)});
    }
  }
  return t;
}

struct ResizePattern : public OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType inType = op.getInput().getType();
    RankedTensorType outType = op.getOutput().getType();
    Type elem = outType.getElementType();
    int64_t rank = outType.getRank();
    StringRef mode = op.getMode();
    bool nearest = mode == "nearest";
    if (!nearest && mode != "linear" && mode != "cubic")
      return rewriter.notifyMatchFailure(op, "unknown mode");
    if (!nearest && elem.isInteger(1))
      return rewriter.notifyMatchFailure(op, "interpolating booleans");
    std::optional<ArrayRef<double>> scales = op.getScales();
    if (inType.getRank() != rank ||
        (scales && static_cast<int64_t>(scales->size()) != rank))
      return rewriter.notifyMatchFailure(op, "rank mismatch");
    if (inType.getNumElements() == 0) {
      // Nothing to interpolate from: zeros, as the reference.
      rewriter.replaceOp(op, filledTensor(rewriter, loc, outType,
                                          scalar(rewriter, loc, elem, 0)));
      return success();
    }

    // Interpolation happens in f32 for float types up to 32 bits, in f64
    // for f64 and integers (which are rounded back to nearest even).
    Type acc = isFloat(elem) && elem.getIntOrFloatBitWidth() <= 32
                   ? Type(rewriter.getF32Type())
                   : Type(rewriter.getF64Type());

    // Index (and weight) tables of the resized axes.
    SmallVector<int64_t> resized;
    SmallVector<Value> tables;
    SmallVector<AffineMap> maps;
    int64_t nLoops = rank;
    for (int64_t i = 0; i < rank; ++i) {
      int64_t inLen = inType.getDimSize(i), outLen = outType.getDimSize(i);
      double scale = scales
                         ? (*scales)[i]
                         : static_cast<double>(outLen) /
                               static_cast<double>(std::max<int64_t>(inLen, 1));
      if (inLen == outLen && scale == 1.0)
        continue;
      FailureOr<AxisTaps> t = axisTaps(op, outLen, inLen, scale);
      if (failed(t))
        return rewriter.notifyMatchFailure(
            op, "unsupported coordinate transformation or nearest mode");
      resized.push_back(i);
      SmallVector<int64_t> shape = {outLen};
      if (!nearest) {
        shape.push_back(t->taps);
        ++nLoops;
      }
      auto indexType = RankedTensorType::get(shape, rewriter.getI64Type());
      tables.push_back(arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(indexType, ArrayRef<int64_t>(t->index))));
      if (!nearest) {
        auto weightType = RankedTensorType::get(shape, acc);
        SmallVector<Attribute> weights;
        for (double w : t->weight)
          weights.push_back(rewriter.getFloatAttr(acc, w));
        tables.push_back(arith::ConstantOp::create(
            rewriter, loc, DenseElementsAttr::get(weightType, weights)));
      }
    }
    // The tables of resized axis j (index, then weight unless nearest) are
    // read at (out_j) for nearest, (out_j, tap_j) otherwise.
    for (size_t t = 0; t < tables.size(); ++t) {
      size_t j = nearest ? t : t / 2;
      SmallVector<AffineExpr> exprs = {getAffineDimExpr(resized[j], ctx)};
      if (!nearest)
        exprs.push_back(getAffineDimExpr(rank + j, ctx));
      maps.push_back(AffineMap::get(nLoops, 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < rank; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    maps.push_back(AffineMap::get(nLoops, 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.append(nLoops - rank, utils::IteratorType::reduction);

    Value input = adaptor.getInput();
    auto gather = [&](OpBuilder &b, Location l, ValueRange a) {
      SmallVector<Value> idx;
      for (int64_t i = 0; i < rank; ++i) {
        auto it = llvm::find(resized, i);
        if (it == resized.end()) {
          idx.push_back(linalg::IndexOp::create(b, l, i));
          continue;
        }
        int64_t j = std::distance(resized.begin(), it);
        idx.push_back(arith::IndexCastOp::create(b, l, b.getIndexType(),
                                                 a[nearest ? j : 2 * j]));
      }
      return tensor::ExtractOp::create(b, l, input, idx).getResult();
    };
    if (nearest) {
      auto generic = linalg::GenericOp::create(
          rewriter, loc, outType, tables, emptyTensor(rewriter, loc, outType),
          maps, iters, [&](OpBuilder &b, Location l, ValueRange a) {
            linalg::YieldOp::create(b, l, gather(b, l, a));
          });
      rewriter.replaceOp(op, generic.getResult(0));
      return success();
    }
    RankedTensorType accType = outType.clone(acc);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, accType, tables,
        filledTensor(rewriter, loc, accType, scalar(rewriter, loc, acc, 0)),
        maps, iters, [&](OpBuilder &b, Location l, ValueRange a) {
          Value v = castScalar(b, l, gather(b, l, a), acc);
          for (size_t j = 0; j < resized.size(); ++j)
            v = arith::MulFOp::create(b, l, v, a[2 * j + 1]);
          linalg::YieldOp::create(
              b, l, ValueRange{arith::AddFOp::create(b, l, a.back(), v)});
        });
    Value r = generic.getResult(0);
    if (!isFloat(elem)) {
      // Integers: round half to even and saturate, as the reference.
      unsigned w = elem.getIntOrFloatBitWidth();
      double lo = -std::ldexp(1.0, w - 1);
      // The largest double that converts back: 2^(w-1) - 1 is not one for
      // w > 53.
      double hi = w > 53 ? std::nextafter(std::ldexp(1.0, w - 1), 0.0)
                         : std::ldexp(1.0, w - 1) - 1;
      r = elementwise(
          rewriter, loc, accType, r,
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value v = math::RoundEvenOp::create(b, l, a[0]);
            v = arith::MaximumFOp::create(b, l, v, scalar(b, l, acc, lo));
            return arith::MinimumFOp::create(b, l, v, scalar(b, l, acc, hi));
          });
    }
    rewriter.replaceOp(op, castTensor(rewriter, loc, r, elem));
    return success();
  }
};

} // namespace

void lowering::populateResizePatterns(RewritePatternSet &patterns) {
  patterns.add<ResizePattern>(patterns.getContext());
}
