//===- AlgebraicRulesFold.cpp - constants folded into weights -------------===//
//
// Inference-time folding of per-channel affine ops into the weights of the
// contraction that produces their input: BatchNormalization, and Mul/Add by
// constants, into Conv, Gemm and MatMul (and into BatchNormalization's own
// parameters).  The new weights are computed at compile time in double
// precision and rounded once: results change only by reassociation error.
// Weights must be constants (dense or dense_resource, f32/f64 blobs) of at
// most max-fold-elements elements; the contraction must have a single use.
//
//===----------------------------------------------------------------------===//

#include "AlgebraicUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::algebra;

namespace {

/// One value per index of dimension `dim` of `out` when constant `c`
/// broadcasts to `out`, varies at most along `dim`, and is finite.
std::optional<std::vector<double>> perChannel(Value c, RankedTensorType out,
                                              int64_t dim,
                                              int64_t maxElements) {
  RankedTensorType ct = staticType(c);
  if (!ct || !out || !isConstant(c) || ct.getRank() > out.getRank() ||
      ct.getElementType() != out.getElementType() || dim < 0 ||
      dim >= out.getRank())
    return std::nullopt;
  SmallVector<int64_t> padded = padShape(ct.getShape(), out.getRank());
  int64_t channels = out.getDimSize(dim);
  for (auto [k, d] : llvm::enumerate(padded)) {
    if (static_cast<int64_t>(k) == dim ? (d != 1 && d != channels) : d != 1)
      return std::nullopt;
  }
  std::optional<ConstTensor> value = ConstTensor::fromValue(c, maxElements);
  if (!value || !value->isFloat())
    return std::nullopt;
  std::vector<double> result(channels);
  bool uniform = value->size() == 1;
  for (int64_t i = 0; i < channels; ++i) {
    result[i] = value->get(uniform ? 0 : i);
    // A non-finite scale or shift folded into weights would turn zero
    // weights or inputs into NaN where the original op does not.
    if (!std::isfinite(result[i]))
      return std::nullopt;
  }
  return result;
}

/// `t` with its slices along `dim` multiplied by `scale`.
std::optional<ConstTensor> scaleAlong(const ConstTensor &t, int64_t dim,
                                      ArrayRef<double> scale,
                                      int64_t maxElements) {
  RankedTensorType type = t.getType();
  SmallVector<int64_t> shape(type.getRank(), 1);
  shape[dim] = scale.size();
  ConstTensor s = ConstTensor::fromValues(
      RankedTensorType::get(shape, type.getElementType()), scale);
  std::optional<ConstTensor> result = ConstTensor::zip(
      t, s, [](double a, double b) { return a * b; }, {}, maxElements);
  if (!result || result->getType() != type)
    return std::nullopt;
  return result;
}

/// A 1-D constant of `values`.
ConstTensor vector1D(Type element, ArrayRef<double> values) {
  return ConstTensor::fromValues(
      RankedTensorType::get({static_cast<int64_t>(values.size())}, element),
      values);
}

/// Values of an optional 1-D bias of `n` elements (zeros when absent).
std::optional<std::vector<double>> biasValues(Value bias, int64_t n,
                                              int64_t maxElements) {
  if (!bias)
    return std::vector<double>(n, 0.0);
  std::optional<ConstTensor> b = ConstTensor::fromValue(bias, maxElements);
  if (!b || !b->isFloat() || b->size() != n)
    return std::nullopt;
  std::vector<double> values(n);
  for (int64_t i = 0; i < n; ++i)
    values[i] = b->get(i);
  return values;
}

/// A Conv with constant weights (and bias) and a single use.
ConvOp foldableConv(Value v, int64_t maxElements) {
  auto conv = v.getDefiningOp<ConvOp>();
  if (!conv || !conv->hasOneUse() || !staticType(conv.getResult()) ||
      !isConstant(conv.getWeight()) ||
      (conv.getBias() && !isConstant(conv.getBias())) ||
      numElements(conv.getWeight().getType()) > maxElements)
    return nullptr;
  return conv;
}

/// The conv computing `conv * scale + shift` per output channel.
Value rebuildConv(OpBuilder &b, Location loc, ConvOp conv,
                  ArrayRef<double> scale, ArrayRef<double> shift,
                  int64_t maxElements) {
  ConstTensor w = *ConstTensor::fromValue(conv.getWeight(), maxElements);
  ConstTensor newW = *scaleAlong(w, 0, scale, maxElements);
  int64_t m = scale.size();
  std::vector<double> bias = *biasValues(conv.getBias(), m, maxElements);
  for (int64_t i = 0; i < m; ++i)
    bias[i] = bias[i] * scale[i] + shift[i];
  Type element = conv.getType().getElementType();
  Value weight = createConstant(b, loc, newW);
  Value newBias = createConstant(b, loc, vector1D(element, bias));
  return ConvOp::create(b, loc, conv.getType(), conv.getInput(), weight,
                        newBias, conv.getStridesAttr(), conv.getPadsAttr(),
                        conv.getDilationsAttr(), conv.getGroupAttr(), nullptr);
}

bool canRebuildConv(ConvOp conv, int64_t maxElements) {
  RankedTensorType wt = staticType(conv.getWeight());
  if (!wt || wt.getRank() < 1 ||
      wt.getDimSize(0) != conv.getType().getDimSize(1))
    return false;
  return ConstTensor::isReadable(conv.getWeight(), maxElements) &&
         biasValues(conv.getBias(), wt.getDimSize(0), maxElements);
}

} // namespace

std::optional<std::pair<std::vector<double>, std::vector<double>>>
dnnf::batchNormAffine(BatchNormOp bn, int64_t maxElements) {
  RankedTensorType in = staticType(bn.getInput());
  if (!in || in.getRank() < 2)
    return std::nullopt;
  int64_t c = in.getDimSize(1);
  auto read = [&](Value v) { return biasValues(v, c, maxElements); };
  if (!isConstant(bn.getScale()) || !isConstant(bn.getBias()) ||
      !isConstant(bn.getMean()) || !isConstant(bn.getVariance()))
    return std::nullopt;
  auto scale = read(bn.getScale()), bias = read(bn.getBias()),
       mean = read(bn.getMean()), var = read(bn.getVariance());
  if (!scale || !bias || !mean || !var)
    return std::nullopt;
  double eps = bn.getEpsilon().convertToDouble();
  std::vector<double> s(c), t(c);
  for (int64_t i = 0; i < c; ++i) {
    s[i] = (*scale)[i] / std::sqrt((*var)[i] + eps);
    t[i] = (*bias)[i] - (*mean)[i] * s[i];
    if (!std::isfinite(s[i]) || !std::isfinite(t[i]))
      return std::nullopt;
  }
  return std::make_pair(s, t);
}

namespace {

//===----------------------------------------------------------------------===//
// Into Conv
//===----------------------------------------------------------------------===//

/// `batch_norm(conv(x, W, b)) -> conv(x, W * s, (b - mean) * s + beta)`
/// with s = gamma / sqrt(var + eps) per output channel.
struct FoldBatchNormIntoConv : OpAlgebraicRule<BatchNormOp> {
  FoldBatchNormIntoConv(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("fold-batchnorm-into-conv", RuleFamily::Fold, ctx, o) {}
  FailureOr<Saving> matchOp(BatchNormOp op) const override {
    int64_t limit = getOptions().maxFoldElements;
    ConvOp conv = foldableConv(op.getInput(), limit);
    if (!conv || !canRebuildConv(conv, limit) || !batchNormAffine(op, limit))
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.remove(conv);
    SmallVector<Type> operands(conv->getOperandTypes());
    if (!conv.getBias())
      operands.push_back(RankedTensorType::get(
          {conv.getType().getDimSize(1)}, conv.getType().getElementType()));
    est.add(ConvOp::getOperationName(), operands, {conv.getType()});
    return est.get();
  }
  void rewriteOp(BatchNormOp op, PatternRewriter &rewriter) const override {
    int64_t limit = getOptions().maxFoldElements;
    ConvOp conv = foldableConv(op.getInput(), limit);
    auto [s, t] = *batchNormAffine(op, limit);
    rewriter.replaceOp(op, rebuildConv(rewriter, op.getLoc(), conv, s, t,
                                       limit));
  }
};

/// For `x op c` (op commutative when `commutative`): (x, c) with c a
/// constant operand.
std::optional<std::pair<Value, Value>> splitConstant(Value lhs, Value rhs,
                                                     bool commutative) {
  if (isConstant(rhs) && !isConstant(lhs))
    return std::make_pair(lhs, rhs);
  if (commutative && isConstant(lhs) && !isConstant(rhs))
    return std::make_pair(rhs, lhs);
  return std::nullopt;
}

/// `conv(x, W, b) * c -> conv(x, W * c, b * c)` for c constant per output
/// channel.
struct FoldMulIntoConv : OpAlgebraicRule<MulOp> {
  FoldMulIntoConv(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("fold-mul-into-conv", RuleFamily::Fold, ctx, o) {}
  FailureOr<Saving> matchOp(MulOp op) const override {
    auto p = splitConstant(op.getLhs(), op.getRhs(), true);
    int64_t limit = getOptions().maxFoldElements;
    ConvOp conv = p ? foldableConv(p->first, limit) : nullptr;
    if (!conv || conv.getType() != op.getType() ||
        !canRebuildConv(conv, limit) ||
        !perChannel(p->second, conv.getType(), 1, limit))
      return failure();
    SavingEstimator est;
    est.remove(op);
    return est.get();
  }
  void rewriteOp(MulOp op, PatternRewriter &rewriter) const override {
    auto p = *splitConstant(op.getLhs(), op.getRhs(), true);
    int64_t limit = getOptions().maxFoldElements;
    ConvOp conv = foldableConv(p.first, limit);
    std::vector<double> c = *perChannel(p.second, conv.getType(), 1, limit);
    std::vector<double> zero(c.size(), 0.0);
    rewriter.replaceOp(op,
                       rebuildConv(rewriter, op.getLoc(), conv, c, zero, limit));
  }
};

/// `conv(x, W, b) + c -> conv(x, W, b + c)` (and `conv - c`) for c
/// constant per output channel.
template <typename OpT>
struct FoldAddIntoConv : OpAlgebraicRule<OpT> {
  FoldAddIntoConv(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("fold-add-into-conv", RuleFamily::Fold, ctx, o) {}
  static constexpr bool isAdd = std::is_same_v<OpT, AddOp>;
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = splitConstant(op.getLhs(), op.getRhs(), isAdd);
    int64_t limit = this->getOptions().maxFoldElements;
    ConvOp conv = p ? foldableConv(p->first, limit) : nullptr;
    if (!conv || conv.getType() != op.getType() ||
        !canRebuildConv(conv, limit) ||
        !perChannel(p->second, conv.getType(), 1, limit))
      return failure();
    SavingEstimator est;
    est.remove(op);
    if (!conv.getBias()) {
      // The conv gains a bias.
      est.remove(conv);
      SmallVector<Type> operands(conv->getOperandTypes());
      operands.push_back(RankedTensorType::get(
          {conv.getType().getDimSize(1)}, conv.getType().getElementType()));
      est.add(ConvOp::getOperationName(), operands, {conv.getType()});
    }
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto p = *splitConstant(op.getLhs(), op.getRhs(), isAdd);
    int64_t limit = this->getOptions().maxFoldElements;
    ConvOp conv = foldableConv(p.first, limit);
    std::vector<double> c = *perChannel(p.second, conv.getType(), 1, limit);
    if (!isAdd)
      for (double &v : c)
        v = -v;
    std::vector<double> one(c.size(), 1.0);
    rewriter.replaceOp(op,
                       rebuildConv(rewriter, op.getLoc(), conv, one, c, limit));
  }
};

//===----------------------------------------------------------------------===//
// Into BatchNormalization
//===----------------------------------------------------------------------===//

/// `batch_norm(x) * c -> batch_norm(x; gamma * c, beta * c)` and
/// `batch_norm(x) + c -> batch_norm(x; beta + c)` (and `- c`) for c
/// constant per channel.
template <typename OpT>
struct FoldAffineIntoBatchNorm : OpAlgebraicRule<OpT> {
  FoldAffineIntoBatchNorm(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("fold-affine-into-batchnorm", RuleFamily::Fold,
                             ctx, o) {}
  static constexpr bool isSub = std::is_same_v<OpT, SubOp>;
  static constexpr bool isMul = std::is_same_v<OpT, MulOp>;
  struct Parts {
    BatchNormOp bn;
    std::vector<double> c;
    std::vector<double> gamma, beta;
  };
  std::optional<Parts> parts(OpT op) const {
    auto p = splitConstant(op.getLhs(), op.getRhs(), !isSub);
    int64_t limit = this->getOptions().maxFoldElements;
    if (!p)
      return std::nullopt;
    auto bn = p->first.template getDefiningOp<BatchNormOp>();
    if (!bn || !bn->hasOneUse() || bn.getType() != op.getType() ||
        !staticType(bn.getResult()) || bn.getType().getRank() < 2 ||
        !isConstant(bn.getScale()) || !isConstant(bn.getBias()))
      return std::nullopt;
    int64_t channels = bn.getType().getDimSize(1);
    auto c = perChannel(p->second, bn.getType(), 1, limit);
    auto gamma = biasValues(bn.getScale(), channels, limit);
    auto beta = biasValues(bn.getBias(), channels, limit);
    if (!c || !gamma || !beta)
      return std::nullopt;
    return Parts{bn, *c, *gamma, *beta};
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    if (!parts(op))
      return failure();
    SavingEstimator est;
    est.remove(op);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    Parts p = *parts(op);
    for (size_t i = 0; i < p.c.size(); ++i) {
      if (isMul) {
        p.gamma[i] *= p.c[i];
        p.beta[i] *= p.c[i];
      } else {
        p.beta[i] += isSub ? -p.c[i] : p.c[i];
      }
    }
    Type element = p.bn.getType().getElementType();
    Location loc = op.getLoc();
    Value gamma = createConstant(rewriter, loc, vector1D(element, p.gamma));
    Value beta = createConstant(rewriter, loc, vector1D(element, p.beta));
    rewriter.replaceOpWithNewOp<BatchNormOp>(
        op, p.bn.getType(), p.bn.getInput(), gamma, beta, p.bn.getMean(),
        p.bn.getVariance(), p.bn.getEpsilonAttr(), nullptr);
  }
};

//===----------------------------------------------------------------------===//
// Into Gemm and MatMul
//===----------------------------------------------------------------------===//

/// A Gemm with constant B (and C) and a single use.
GemmOp foldableGemm(Value v, int64_t maxElements) {
  auto gemm = v.getDefiningOp<GemmOp>();
  if (!gemm || !gemm->hasOneUse() || !staticType(gemm.getResult()) ||
      gemm.getType().getRank() != 2 || !isConstant(gemm.getB()) ||
      (gemm.getC() && !isConstant(gemm.getC())) ||
      !isFloatTensor(gemm.getResult()) ||
      numElements(gemm.getB().getType()) > maxElements)
    return nullptr;
  return gemm;
}

/// The Gemm computing `gemm * scale + shift` per output column (scale and
/// shift have N entries; `fullShift` instead adds an M x N-broadcastable
/// constant).
std::optional<Value> rebuildGemm(OpBuilder *b, Location loc, GemmOp gemm,
                                 ArrayRef<double> scale,
                                 const ConstTensor *shift,
                                 int64_t maxElements) {
  RankedTensorType bType = staticType(gemm.getB());
  if (!bType || bType.getRank() != 2 ||
      !ConstTensor::isReadable(gemm.getB(), maxElements))
    return std::nullopt;
  int64_t n = gemm.getType().getDimSize(1);
  if (bType.getDimSize(gemm.getTransB() ? 0 : 1) != n ||
      static_cast<int64_t>(scale.size()) != n)
    return std::nullopt;
  Type element = gemm.getType().getElementType();
  // C' = beta * C * scale + shift.
  ConstTensor c = ConstTensor::splat(RankedTensorType::get({}, element), 0.0);
  if (gemm.getC()) {
    std::optional<ConstTensor> read =
        ConstTensor::fromValue(gemm.getC(), maxElements);
    if (!read)
      return std::nullopt;
    c = *read;
  }
  double beta = gemm.getBeta().convertToDouble();
  ConstTensor scaleRow = ConstTensor::fromValues(
      RankedTensorType::get({n}, element), scale);
  std::optional<ConstTensor> newC = ConstTensor::zip(
      c, scaleRow, [&](double x, double s) { return beta * x * s; }, {},
      maxElements);
  if (newC && shift)
    newC = ConstTensor::zip(
        *newC, *shift, [](double x, double y) { return x + y; }, {},
        maxElements);
  if (!newC || !broadcastType(newC->getType(), gemm.getType()) ||
      broadcastType(newC->getType(), gemm.getType()) != gemm.getType())
    return std::nullopt;
  if (!b)
    return Value();
  ConstTensor bMat = *ConstTensor::fromValue(gemm.getB(), maxElements);
  ConstTensor newB =
      *scaleAlong(bMat, gemm.getTransB() ? 0 : 1, scale, maxElements);
  Value weight = createConstant(*b, loc, newB);
  Value bias = createConstant(*b, loc, *newC);
  return GemmOp::create(*b, loc, gemm.getType(), gemm.getA(), weight, bias,
                        gemm.getAlphaAttr(), b->getF32FloatAttr(1.0),
                        gemm.getTransAAttr(), gemm.getTransBAttr(), nullptr)
      .getResult();
}

Saving gemmFoldSaving(Operation *root, GemmOp gemm) {
  SavingEstimator est;
  est.remove(root);
  if (!gemm.getC()) {
    est.remove(gemm);
    SmallVector<Type> operands(gemm->getOperandTypes());
    operands.push_back(RankedTensorType::get({gemm.getType().getDimSize(1)},
                                             gemm.getType().getElementType()));
    est.add(GemmOp::getOperationName(), operands, {gemm.getType()});
  }
  return est.get();
}

/// `batch_norm(gemm(a, B, C))` on the 2-D Gemm output -> `gemm(a, B * s,
/// (beta * C - mean) * s + bias)` per column.
struct FoldBatchNormIntoGemm : OpAlgebraicRule<BatchNormOp> {
  FoldBatchNormIntoGemm(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("fold-batchnorm-into-gemm", RuleFamily::Fold, ctx, o) {}
  std::optional<Value> build(BatchNormOp op, OpBuilder *b) const {
    int64_t limit = getOptions().maxFoldElements;
    GemmOp gemm = foldableGemm(op.getInput(), limit);
    if (!gemm)
      return std::nullopt;
    auto affine = batchNormAffine(op, limit);
    if (!affine)
      return std::nullopt;
    ConstTensor shift =
        vector1D(gemm.getType().getElementType(), affine->second);
    return rebuildGemm(b, op.getLoc(), gemm, affine->first, &shift, limit);
  }
  FailureOr<Saving> matchOp(BatchNormOp op) const override {
    if (!build(op, nullptr))
      return failure();
    return gemmFoldSaving(op, op.getInput().getDefiningOp<GemmOp>());
  }
  void rewriteOp(BatchNormOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, *build(op, &rewriter));
  }
};

/// `gemm(a, B, C) * c -> gemm(a, B * c, C * c)` for c constant per column.
struct FoldMulIntoGemm : OpAlgebraicRule<MulOp> {
  FoldMulIntoGemm(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("fold-mul-into-gemm", RuleFamily::Fold, ctx, o) {}
  std::optional<Value> build(MulOp op, OpBuilder *b) const {
    int64_t limit = getOptions().maxFoldElements;
    auto p = splitConstant(op.getLhs(), op.getRhs(), true);
    GemmOp gemm = p ? foldableGemm(p->first, limit) : nullptr;
    if (!gemm || gemm.getType() != op.getType())
      return std::nullopt;
    auto c = perChannel(p->second, gemm.getType(), 1, limit);
    if (!c)
      return std::nullopt;
    return rebuildGemm(b, op.getLoc(), gemm, *c, nullptr, limit);
  }
  FailureOr<Saving> matchOp(MulOp op) const override {
    if (!build(op, nullptr))
      return failure();
    SavingEstimator est;
    est.remove(op);
    return est.get();
  }
  void rewriteOp(MulOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, *build(op, &rewriter));
  }
};

/// `gemm(a, B, C) + c -> gemm(a, B, beta * C + c)` (and `- c`) for a
/// constant c that broadcasts to the M x N output.
template <typename OpT>
struct FoldAddIntoGemm : OpAlgebraicRule<OpT> {
  FoldAddIntoGemm(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("fold-add-into-gemm", RuleFamily::Fold, ctx, o) {}
  static constexpr bool isAdd = std::is_same_v<OpT, AddOp>;
  std::optional<Value> build(OpT op, OpBuilder *b) const {
    int64_t limit = this->getOptions().maxFoldElements;
    auto p = splitConstant(op.getLhs(), op.getRhs(), isAdd);
    GemmOp gemm = p ? foldableGemm(p->first, limit) : nullptr;
    if (!gemm || gemm.getType() != op.getType())
      return std::nullopt;
    std::optional<ConstTensor> c = ConstTensor::fromValue(p->second, limit);
    if (!c || !c->isFloat() ||
        !c->all([](double v) { return std::isfinite(v); }))
      return std::nullopt;
    if (!isAdd)
      c = c->map([](double v) { return -v; });
    std::vector<double> one(gemm.getType().getDimSize(1), 1.0);
    return rebuildGemm(b, op.getLoc(), gemm, one, &*c, limit);
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    if (!build(op, nullptr))
      return failure();
    return gemmFoldSaving(op, p(op));
  }
  GemmOp p(OpT op) const {
    return splitConstant(op.getLhs(), op.getRhs(), isAdd)
        ->first.template getDefiningOp<GemmOp>();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, *build(op, &rewriter));
  }
};

/// A MatMul with a constant rank >= 2 rhs and a single use.
MatMulOp foldableMatMul(Value v, int64_t maxElements) {
  auto matmul = v.getDefiningOp<MatMulOp>();
  if (!matmul || !matmul->hasOneUse() || !staticType(matmul.getResult()) ||
      !isConstant(matmul.getRhs()) || matmul.getRhs().getType().getRank() < 2 ||
      !isFloatTensor(matmul.getResult()) ||
      numElements(matmul.getRhs().getType()) > maxElements)
    return nullptr;
  return matmul;
}

/// Whether `matmul(x, W) * c` folds: c constant per output column.
bool canScaleMatMulWeight(MatMulOp matmul, Value c, int64_t maxElements) {
  RankedTensorType out = matmul.getType();
  RankedTensorType w = staticType(matmul.getRhs());
  return w && w.getDimSize(w.getRank() - 1) == out.getDimSize(out.getRank() - 1) &&
         ConstTensor::isReadable(matmul.getRhs(), maxElements) &&
         perChannel(c, out, out.getRank() - 1, maxElements).has_value();
}

/// The rhs of `matmul(x, W) * c`, c constant per output column: W * c.
ConstTensor scaledMatMulWeight(MatMulOp matmul, Value c, int64_t maxElements) {
  RankedTensorType out = matmul.getType();
  std::vector<double> scale =
      *perChannel(c, out, out.getRank() - 1, maxElements);
  ConstTensor w = *ConstTensor::fromValue(matmul.getRhs(), maxElements);
  return *scaleAlong(w, w.getType().getRank() - 1, scale, maxElements);
}

/// `matmul(x, W) * c -> matmul(x, W * c)` for constant W and c constant
/// per output column.
struct FoldMulIntoMatMul : OpAlgebraicRule<MulOp> {
  FoldMulIntoMatMul(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("fold-mul-into-matmul", RuleFamily::Fold, ctx, o) {}
  FailureOr<Saving> matchOp(MulOp op) const override {
    int64_t limit = getOptions().maxFoldElements;
    auto p = splitConstant(op.getLhs(), op.getRhs(), true);
    MatMulOp matmul = p ? foldableMatMul(p->first, limit) : nullptr;
    if (!matmul || matmul.getType() != op.getType() ||
        !canScaleMatMulWeight(matmul, p->second, limit))
      return failure();
    SavingEstimator est;
    est.remove(op);
    return est.get();
  }
  void rewriteOp(MulOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, absorbScale(rewriter, op.getLoc(),
                                       splitConstant(op.getLhs(), op.getRhs(),
                                                     true)
                                           ->first,
                                       splitConstant(op.getLhs(), op.getRhs(),
                                                     true)
                                           ->second,
                                       getOptions().maxFoldElements));
  }
};

/// `matmul(A, B) + c -> gemm(A, B, c)` for 2-D A and B and a c that
/// broadcasts to the M x N output.  Exact.
struct MatMulAddToGemm : OpAlgebraicRule<AddOp> {
  MatMulAddToGemm(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("matmul-add-to-gemm", RuleFamily::Fold, ctx, o) {}
  std::optional<std::pair<MatMulOp, Value>> parts(AddOp op) const {
    for (auto [x, c] : {std::make_pair(op.getLhs(), op.getRhs()),
                        std::make_pair(op.getRhs(), op.getLhs())}) {
      auto matmul = x.getDefiningOp<MatMulOp>();
      if (!matmul || !matmul->hasOneUse() || matmul.getType() != op.getType() ||
          !isFloatTensor(op.getResult()) ||
          matmul.getLhs().getType().getRank() != 2 ||
          matmul.getRhs().getType().getRank() != 2 || !staticType(c) ||
          broadcastType(c.getType(), op.getType()) != op.getType())
        continue;
      return std::make_pair(matmul, c);
    }
    return std::nullopt;
  }
  FailureOr<Saving> matchOp(AddOp op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.remove(p->first);
    est.add(GemmOp::getOperationName(),
            {p->first.getLhs().getType(), p->first.getRhs().getType(),
             p->second.getType()},
            {op.getType()});
    return est.get();
  }
  void rewriteOp(AddOp op, PatternRewriter &rewriter) const override {
    auto [matmul, c] = *parts(op);
    rewriter.replaceOpWithNewOp<GemmOp>(
        op, op.getType(), matmul.getLhs(), matmul.getRhs(), c,
        rewriter.getF32FloatAttr(1.0), rewriter.getF32FloatAttr(1.0),
        rewriter.getBoolAttr(false), rewriter.getBoolAttr(false), nullptr);
  }
};

/// For an operand `v` defined by `x * c` (single use, c constant, x of v's
/// type): (x, c).
std::optional<std::pair<Value, Value>> scaledOperand(Value v) {
  auto mul = v.getDefiningOp<MulOp>();
  if (!mul || !mul->hasOneUse())
    return std::nullopt;
  auto p = splitConstant(mul.getLhs(), mul.getRhs(), true);
  if (!p || p->first.getType() != v.getType())
    return std::nullopt;
  return p;
}

/// `matmul(x * c, W) -> matmul(x, W')` and `gemm(x * s, B) -> gemm(x, B * s)`
/// for constant weights: the scale of the data input folds into the
/// weights.  For MatMul, c may vary along x's last dimension (the reduced
/// one: W's rows are scaled); for Gemm it must be a scalar.  This removes
/// the 0.5 of GELU in transformers' MLP blocks.
template <typename OpT>
struct FoldScaleIntoMatMulInput : OpAlgebraicRule<OpT> {
  FoldScaleIntoMatMulInput(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("fold-scale-into-matmul-input", RuleFamily::Fold,
                             ctx, o) {}
  static constexpr bool isGemm = std::is_same_v<OpT, GemmOp>;
  Value lhs(OpT op) const {
    if constexpr (isGemm)
      return op.getA();
    else
      return op.getLhs();
  }
  Value rhs(OpT op) const {
    if constexpr (isGemm)
      return op.getB();
    else
      return op.getRhs();
  }
  /// (x, and the scale of W's rows: one value, or one per row), or
  /// nullopt when the rule does not apply.
  std::optional<std::pair<Value, std::vector<double>>> plan(OpT op) const {
    int64_t limit = this->getOptions().maxFoldElements;
    auto p = scaledOperand(lhs(op));
    RankedTensorType xt = staticType(lhs(op));
    RankedTensorType wt = staticType(rhs(op));
    if (!p || !xt || !wt || !isFloatTensor(op.getResult()) ||
        wt.getRank() < 2 || !ConstTensor::isReadable(rhs(op), limit))
      return std::nullopt;
    if (isGemm || numElements(p->second.getType()) == 1) {
      std::optional<double> s = getUniformValue(p->second);
      if (!s || !std::isfinite(*s))
        return std::nullopt;
      return std::make_pair(p->first, std::vector<double>{*s});
    }
    // Per-K scale: c varies at most along x's last dimension.
    auto scale = perChannel(p->second, xt, xt.getRank() - 1, limit);
    if (!scale ||
        static_cast<int64_t>(scale->size()) != wt.getDimSize(wt.getRank() - 2))
      return std::nullopt;
    return std::make_pair(p->first, *scale);
  }
  /// W with its rows scaled.
  ConstTensor scaledWeights(OpT op, ArrayRef<double> scale) const {
    int64_t limit = this->getOptions().maxFoldElements;
    ConstTensor w = *ConstTensor::fromValue(rhs(op), limit);
    if (scale.size() == 1) {
      double s = scale.front();
      return w.map([&](double v) { return v * s; });
    }
    return *scaleAlong(w, w.getType().getRank() - 2, scale, limit);
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    if (!plan(op))
      return failure();
    SavingEstimator est;
    est.modifyInPlace(op);
    est.removeIfDead(lhs(op).getDefiningOp());
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto [x, scale] = *plan(op);
    Value weight =
        createConstant(rewriter, op.getLoc(), scaledWeights(op, scale));
    rewriter.modifyOpInPlace(op, [&] {
      op->setOperand(0, x);
      op->setOperand(1, weight);
      op->removeAttr("mapping");
    });
  }
};

/// `conv(x * c, W) -> conv(x, W * c)` for c constant per input channel
/// (group = 1): convolution is linear in each input channel, and its zero
/// padding stays zero.
struct FoldScaleIntoConvInput : OpAlgebraicRule<ConvOp> {
  FoldScaleIntoConvInput(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("fold-scale-into-conv-input", RuleFamily::Fold, ctx,
                        o) {}
  /// (x, the scale per input channel).
  std::optional<std::pair<Value, std::vector<double>>> plan(ConvOp op) const {
    int64_t limit = getOptions().maxFoldElements;
    auto p = scaledOperand(op.getInput());
    RankedTensorType xt = staticType(op.getInput());
    RankedTensorType wt = staticType(op.getWeight());
    if (!p || !xt || !wt || op.getGroup() != 1 || wt.getRank() < 2 ||
        !ConstTensor::isReadable(op.getWeight(), limit))
      return std::nullopt;
    auto scale = perChannel(p->second, xt, 1, limit);
    if (!scale || static_cast<int64_t>(scale->size()) != wt.getDimSize(1))
      return std::nullopt;
    return std::make_pair(p->first, *scale);
  }
  FailureOr<Saving> matchOp(ConvOp op) const override {
    if (!plan(op))
      return failure();
    SavingEstimator est;
    est.modifyInPlace(op);
    est.removeIfDead(op.getInput().getDefiningOp());
    return est.get();
  }
  void rewriteOp(ConvOp op, PatternRewriter &rewriter) const override {
    auto [x, scale] = *plan(op);
    int64_t limit = getOptions().maxFoldElements;
    ConstTensor w = *ConstTensor::fromValue(op.getWeight(), limit);
    Value weight =
        createConstant(rewriter, op.getLoc(), *scaleAlong(w, 1, scale, limit));
    rewriter.modifyOpInPlace(op, [&] {
      op.getInputMutable().assign(x);
      op.getWeightMutable().assign(weight);
      op->removeAttr("mapping");
    });
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Scales absorbed into producers
//===----------------------------------------------------------------------===//

bool algebra::canAbsorbScale(Value x, Value c, int64_t maxElements) {
  RankedTensorType type = staticType(x);
  if (!type || !isConstant(c) || !x.hasOneUse() ||
      broadcastType(type, c.getType()) != type)
    return false;
  if (auto mul = x.getDefiningOp<MulOp>()) {
    auto p = splitConstant(mul.getLhs(), mul.getRhs(), true);
    if (!p)
      return false;
    RankedTensorType folded = broadcastType(p->second.getType(), c.getType());
    return folded && broadcastType(p->first.getType(), folded) == type &&
           foldsBinary(BinaryKind::Mul, p->second, c, maxElements);
  }
  if (ConvOp conv = foldableConv(x, maxElements))
    return canRebuildConv(conv, maxElements) &&
           perChannel(c, type, 1, maxElements).has_value();
  if (GemmOp gemm = foldableGemm(x, maxElements)) {
    auto scale = perChannel(c, type, 1, maxElements);
    return scale &&
           rebuildGemm(nullptr, gemm.getLoc(), gemm, *scale, nullptr,
                       maxElements)
               .has_value();
  }
  if (MatMulOp matmul = foldableMatMul(x, maxElements))
    return canScaleMatMulWeight(matmul, c, maxElements);
  return false;
}

Value algebra::absorbScale(OpBuilder &b, Location loc, Value x, Value c,
                           int64_t maxElements) {
  RankedTensorType type = staticType(x);
  if (auto mul = x.getDefiningOp<MulOp>()) {
    auto p = *splitConstant(mul.getLhs(), mul.getRhs(), true);
    Value folded =
        createBinary(b, loc, BinaryKind::Mul, p.second, c, maxElements);
    return createBinary(b, loc, BinaryKind::Mul, p.first, folded, maxElements);
  }
  if (ConvOp conv = foldableConv(x, maxElements)) {
    std::vector<double> scale = *perChannel(c, type, 1, maxElements);
    std::vector<double> zero(scale.size(), 0.0);
    return rebuildConv(b, loc, conv, scale, zero, maxElements);
  }
  if (GemmOp gemm = foldableGemm(x, maxElements)) {
    std::vector<double> scale = *perChannel(c, type, 1, maxElements);
    return *rebuildGemm(&b, loc, gemm, scale, nullptr, maxElements);
  }
  MatMulOp matmul = foldableMatMul(x, maxElements);
  ConstTensor w = scaledMatMulWeight(matmul, c, maxElements);
  return MatMulOp::create(b, loc, matmul.getType(), matmul.getLhs(),
                          createConstant(b, loc, w), nullptr);
}

void dnnf::populateFoldRules(AlgebraicRuleList &rules, MLIRContext *ctx,
                             const AlgebraicRuleOptions &o) {
  auto add = [&](auto rule) { rules.push_back(std::move(rule)); };
  add(std::make_unique<FoldBatchNormIntoConv>(ctx, o));
  add(std::make_unique<FoldMulIntoConv>(ctx, o));
  add(std::make_unique<FoldAddIntoConv<AddOp>>(ctx, o));
  add(std::make_unique<FoldAddIntoConv<SubOp>>(ctx, o));
  add(std::make_unique<FoldAffineIntoBatchNorm<MulOp>>(ctx, o));
  add(std::make_unique<FoldAffineIntoBatchNorm<AddOp>>(ctx, o));
  add(std::make_unique<FoldAffineIntoBatchNorm<SubOp>>(ctx, o));
  add(std::make_unique<FoldBatchNormIntoGemm>(ctx, o));
  add(std::make_unique<FoldMulIntoGemm>(ctx, o));
  add(std::make_unique<FoldAddIntoGemm<AddOp>>(ctx, o));
  add(std::make_unique<FoldAddIntoGemm<SubOp>>(ctx, o));
  add(std::make_unique<FoldMulIntoMatMul>(ctx, o));
  add(std::make_unique<MatMulAddToGemm>(ctx, o));
  add(std::make_unique<FoldScaleIntoMatMulInput<MatMulOp>>(ctx, o));
  add(std::make_unique<FoldScaleIntoMatMulInput<GemmOp>>(ctx, o));
  add(std::make_unique<FoldScaleIntoConvInput>(ctx, o));
}
