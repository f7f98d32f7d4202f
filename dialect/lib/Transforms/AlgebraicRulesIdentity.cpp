//===- AlgebraicRulesIdentity.cpp - identities and normalisations ---------===//
//
// Identities (x*1, x+0, double transposes, reshape chains...) and
// normalisations (x-c -> x+(-c), x/2 -> x*0.5, ...) that bring graphs into
// the form the other families match.  Every rule keeps the result type of
// the op it replaces: an identity whose operand would be broadcast to a
// larger shape does not fire.
//
//===----------------------------------------------------------------------===//

#include "AlgebraicUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::algebra;

namespace {

using Traits = AlgebraicRule::Traits;

/// A saving for replacing `root` by an existing value.
Saving savingOfErasing(Operation *root, ArrayRef<Value> maybeDead = {}) {
  SavingEstimator est;
  est.remove(root);
  for (Value v : maybeDead)
    est.removeIfDead(v);
  return est.get();
}

/// For a commutative binary op: the operand that is not `pred`-matched when
/// the other one is, trying (lhs, rhs) then (rhs, lhs).
template <typename Pred>
std::optional<std::pair<Value, Value>> matchEither(Value lhs, Value rhs,
                                                   Pred pred) {
  if (pred(rhs))
    return std::make_pair(lhs, rhs);
  if (pred(lhs))
    return std::make_pair(rhs, lhs);
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// x*1, x+0, x-0, x/1
//===----------------------------------------------------------------------===//

/// `x op n -> x` (and `n op x -> x` for commutative ops) where `n` is a
/// constant whose elements all equal the neutral element and `x` already
/// has the result type.  Exact for integers and floats, except that
/// `-0 + 0` gives +0 where the rewrite keeps -0 (equal values).
template <typename OpT>
struct NeutralElement : OpAlgebraicRule<OpT> {
  NeutralElement(StringRef name, double neutral, bool commutative,
                 MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>(name, RuleFamily::Identity, ctx, o),
        neutral(neutral), commutative(commutative) {}

  Value operandKept(OpT op) const {
    if (!isNumericTensor(op.getResult()))
      return {};
    Type resultType = op.getType();
    if (op.getLhs().getType() == resultType &&
        isUniformConstant(op.getRhs(), neutral))
      return op.getLhs();
    if (commutative && op.getRhs().getType() == resultType &&
        isUniformConstant(op.getLhs(), neutral))
      return op.getRhs();
    return {};
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    if (!operandKept(op))
      return failure();
    return savingOfErasing(op);
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, operandKept(op));
  }

  double neutral;
  bool commutative;
};

//===----------------------------------------------------------------------===//
// x*0, x-x, x/x
//===----------------------------------------------------------------------===//

/// `x * 0 -> 0`.  Exact for integers.  For floats it is fast-math (NaN*0
/// and inf*0 are NaN, and -x*0 is -0), so it fires on floats only with
/// fast-math.
struct MulZero : OpAlgebraicRule<MulOp> {
  MulZero(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("mul-zero", RuleFamily::Identity, ctx, o) {}
  FailureOr<Saving> matchOp(MulOp op) const override {
    if (!isIntTensor(op.getResult()) &&
        !(isFloatTensor(op.getResult()) && getOptions().fastMath))
      return failure();
    if (!isUniformConstant(op.getLhs(), 0) &&
        !isUniformConstant(op.getRhs(), 0))
      return failure();
    return savingOfErasing(op, {op.getLhs(), op.getRhs()});
  }
  void rewriteOp(MulOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, createSplat(rewriter, op.getLoc(), op.getType(), 0));
  }
};

/// `x - x -> 0`.  Exact for integers; for floats fast-math (inf - inf and
/// NaN - NaN are NaN).
struct SubSelf : OpAlgebraicRule<SubOp> {
  SubSelf(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("sub-self", RuleFamily::Identity, ctx, o) {}
  FailureOr<Saving> matchOp(SubOp op) const override {
    if (op.getLhs() != op.getRhs())
      return failure();
    if (!isIntTensor(op.getResult()) &&
        !(isFloatTensor(op.getResult()) && getOptions().fastMath))
      return failure();
    return savingOfErasing(op, {op.getLhs()});
  }
  void rewriteOp(SubOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, createSplat(rewriter, op.getLoc(), op.getType(), 0));
  }
};

/// `x / x -> 1` (floats only).  Fast-math: 0/0, inf/inf and NaN/NaN are
/// NaN.  Never applied to integers (0/0 is undefined).
struct DivSelf : OpAlgebraicRule<DivOp> {
  DivSelf(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("div-self", RuleFamily::Identity, ctx, o,
                        Traits{/*fastMathOnly=*/true}) {}
  FailureOr<Saving> matchOp(DivOp op) const override {
    if (op.getLhs() != op.getRhs() || !isFloatTensor(op.getResult()))
      return failure();
    return savingOfErasing(op, {op.getLhs()});
  }
  void rewriteOp(DivOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, createSplat(rewriter, op.getLoc(), op.getType(), 1));
  }
};

//===----------------------------------------------------------------------===//
// Neg normalisation
//===----------------------------------------------------------------------===//

/// `neg(neg(x)) -> x`.  Exact (integers wrap consistently).
struct NegNeg : OpAlgebraicRule<NegOp> {
  NegNeg(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("neg-neg", RuleFamily::Identity, ctx, o) {}
  FailureOr<Saving> matchOp(NegOp op) const override {
    auto inner = op.getInput().getDefiningOp<NegOp>();
    if (!inner || !isNumericTensor(op.getResult()))
      return failure();
    return savingOfErasing(op, {op.getInput()});
  }
  void rewriteOp(NegOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.getInput().getDefiningOp<NegOp>().getInput());
  }
};

/// `neg(a - b) -> b - a`.  Exact (round-to-nearest is symmetric; only the
/// sign of a zero result may differ).
struct NegSub : OpAlgebraicRule<NegOp> {
  NegSub(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("neg-sub", RuleFamily::Identity, ctx, o) {}
  FailureOr<Saving> matchOp(NegOp op) const override {
    auto sub = op.getInput().getDefiningOp<SubOp>();
    if (!sub || !isNumericTensor(op.getResult()))
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(sub);
    est.addBinary(BinaryKind::Sub, sub.getRhs(), sub.getLhs(),
                  getOptions().maxFoldElements);
    return est.get();
  }
  void rewriteOp(NegOp op, PatternRewriter &rewriter) const override {
    auto sub = op.getInput().getDefiningOp<SubOp>();
    rewriter.replaceOp(op, createBinary(rewriter, op.getLoc(), BinaryKind::Sub,
                                        sub.getRhs(), sub.getLhs(),
                                        getOptions().maxFoldElements));
  }
};

/// `a + neg(b) -> a - b`, `neg(a) + b -> b - a`, `a - neg(b) -> a + b`.
/// Exact.
template <typename OpT>
struct AddNeg : OpAlgebraicRule<OpT> {
  AddNeg(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("add-neg", RuleFamily::Identity, ctx, o) {}
  static constexpr bool isAdd = std::is_same_v<OpT, AddOp>;

  /// (kept, negated operand, result kind).
  std::optional<std::tuple<Value, Value, BinaryKind>> parts(OpT op) const {
    if (!isNumericTensor(op.getResult()))
      return std::nullopt;
    if (auto neg = op.getRhs().template getDefiningOp<NegOp>())
      return std::make_tuple(op.getLhs(), neg.getInput(),
                             isAdd ? BinaryKind::Sub : BinaryKind::Add);
    if (isAdd)
      if (auto neg = op.getLhs().template getDefiningOp<NegOp>())
        return std::make_tuple(op.getRhs(), neg.getInput(), BinaryKind::Sub);
    return std::nullopt;
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    auto [kept, negated, kind] = *p;
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(isAdd && op.getLhs().template getDefiningOp<NegOp>() &&
                             !op.getRhs().template getDefiningOp<NegOp>()
                         ? op.getLhs()
                         : op.getRhs());
    est.addBinary(kind, kept, negated, this->getOptions().maxFoldElements);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto [kept, negated, kind] = *parts(op);
    rewriter.replaceOp(op, createBinary(rewriter, op.getLoc(), kind, kept,
                                        negated,
                                        this->getOptions().maxFoldElements));
  }
};

/// `neg(a) * neg(b) -> a * b` and `neg(a) / neg(b) -> a / b`.  Exact.
template <typename OpT>
struct NegPair : OpAlgebraicRule<OpT> {
  NegPair(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("neg-pair", RuleFamily::Identity, ctx, o) {}
  static constexpr BinaryKind kind =
      std::is_same_v<OpT, MulOp> ? BinaryKind::Mul : BinaryKind::Div;
  FailureOr<Saving> matchOp(OpT op) const override {
    auto a = op.getLhs().template getDefiningOp<NegOp>();
    auto b = op.getRhs().template getDefiningOp<NegOp>();
    if (!a || !b || !isNumericTensor(op.getResult()) ||
        (kind == BinaryKind::Div && !isFloatTensor(op.getResult())))
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(a);
    est.removeIfDead(b);
    est.addBinary(kind, a.getInput(), b.getInput(),
                  this->getOptions().maxFoldElements);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto a = op.getLhs().template getDefiningOp<NegOp>();
    auto b = op.getRhs().template getDefiningOp<NegOp>();
    rewriter.replaceOp(op, createBinary(rewriter, op.getLoc(), kind,
                                        a.getInput(), b.getInput(),
                                        this->getOptions().maxFoldElements));
  }
};

/// `neg(x) * c -> x * (-c)`, `neg(x) / c -> x / (-c)`, `c / neg(x) -> (-c)
/// / x` for a constant `c` (negated at compile time).  Exact.
template <typename OpT>
struct NegIntoConstant : OpAlgebraicRule<OpT> {
  NegIntoConstant(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("neg-into-constant", RuleFamily::Identity, ctx,
                             o) {}
  static constexpr bool isMul = std::is_same_v<OpT, MulOp>;

  /// (negated input, constant, negated input is the lhs).
  std::optional<std::tuple<Value, Value, bool>> parts(OpT op) const {
    if (!isNumericTensor(op.getResult()) ||
        (!isMul && !isFloatTensor(op.getResult())))
      return std::nullopt;
    int64_t limit = this->getOptions().maxFoldElements;
    auto fits = [&](Value c) {
      return isConstant(c) && numElements(c.getType()) <= limit;
    };
    if (auto neg = op.getLhs().template getDefiningOp<NegOp>())
      if (fits(op.getRhs()))
        return std::make_tuple(neg.getInput(), op.getRhs(), true);
    if (auto neg = op.getRhs().template getDefiningOp<NegOp>())
      if (fits(op.getLhs()))
        return std::make_tuple(neg.getInput(), op.getLhs(), false);
    return std::nullopt;
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(std::get<2>(*p) ? op.getLhs() : op.getRhs());
    est.addBinary(isMul ? BinaryKind::Mul : BinaryKind::Div, std::get<0>(*p),
                  std::get<1>(*p), this->getOptions().maxFoldElements);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto [x, c, xIsLhs] = *parts(op);
    std::optional<ConstTensor> value =
        ConstTensor::fromValue(c, std::numeric_limits<int64_t>::max());
    Value negated =
        value ? createConstant(rewriter, op.getLoc(),
                               value->map([](double v) { return -v; },
                                          [](int64_t v) {
                                            return static_cast<int64_t>(
                                                0 - static_cast<uint64_t>(v));
                                          }))
              : NegOp::create(rewriter, op.getLoc(), c.getType(), c, nullptr)
                    .getResult();
    BinaryKind kind = isMul ? BinaryKind::Mul : BinaryKind::Div;
    int64_t limit = this->getOptions().maxFoldElements;
    rewriter.replaceOp(op, xIsLhs ? createBinary(rewriter, op.getLoc(), kind, x,
                                                 negated, limit)
                                  : createBinary(rewriter, op.getLoc(), kind,
                                                 negated, x, limit));
  }
};

/// `x * (-1) -> neg(x)` and `0 - x -> neg(x)` when x has the result type.
/// Saves reading the constant.  Exact (only the sign of a zero may
/// differ for 0 - x).
template <typename OpT>
struct ToNeg : OpAlgebraicRule<OpT> {
  ToNeg(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>(std::is_same_v<OpT, MulOp> ? "mul-minus-one"
                                                        : "sub-from-zero",
                             RuleFamily::Identity, ctx, o) {}
  Value negated(OpT op) const {
    if (!isNumericTensor(op.getResult()))
      return {};
    Type type = op.getType();
    if constexpr (std::is_same_v<OpT, MulOp>) {
      if (op.getLhs().getType() == type && isUniformConstant(op.getRhs(), -1))
        return op.getLhs();
      if (op.getRhs().getType() == type && isUniformConstant(op.getLhs(), -1))
        return op.getRhs();
    } else {
      if (op.getRhs().getType() == type && isUniformConstant(op.getLhs(), 0))
        return op.getRhs();
    }
    return {};
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    Value x = negated(op);
    if (!x)
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.addUnary(NegOp::getOperationName(), x.getType());
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, createUnary<NegOp>(rewriter, op.getLoc(),
                                              negated(op)));
  }
};

/// Normalisation `x - c -> x + (-c)` for a constant `c`, so that
/// constants gather in Add chains and fold into convolution biases.
/// Exact (IEEE x - c equals x + (-c), zeros included; integers wrap
/// consistently).  Measure: the number of subtractions of a constant.
struct SubConstToAdd : OpAlgebraicRule<SubOp> {
  SubConstToAdd(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("sub-constant-to-add", RuleFamily::Identity, ctx, o,
                        Traits{false, /*normalisation=*/true}) {}
  FailureOr<Saving> matchOp(SubOp op) const override {
    if (!isNumericTensor(op.getResult()) || !isConstant(op.getRhs()) ||
        isConstant(op.getLhs()) ||
        !ConstTensor::isReadable(op.getRhs(), getOptions().maxFoldElements,
                                 false))
      return failure();
    return Saving{};
  }
  void rewriteOp(SubOp op, PatternRewriter &rewriter) const override {
    ConstTensor c =
        *ConstTensor::fromValue(op.getRhs(), getOptions().maxFoldElements);
    Value negated = createConstant(
        rewriter, op.getLoc(),
        c.map([](double v) { return -v; },
              [](int64_t v) {
                return static_cast<int64_t>(0 - static_cast<uint64_t>(v));
              }));
    rewriter.replaceOpWithNewOp<AddOp>(op, op.getType(), op.getLhs(), negated,
                                       nullptr);
  }
};

//===----------------------------------------------------------------------===//
// Div and Recip normalisation
//===----------------------------------------------------------------------===//

/// Whether `1/v` is exact in binary floating point: v is a (signed) power
/// of two whose reciprocal is normal in `type`.
bool hasExactReciprocal(double v, FloatType type) {
  if (v == 0 || !std::isfinite(v))
    return false;
  int exp;
  double mantissa = std::frexp(std::fabs(v), &exp);
  if (mantissa != 0.5)
    return false;
  // v = 2^(exp-1), 1/v = 2^(1-exp): must be a normal number of `type`.
  const llvm::fltSemantics &sem = type.getFloatSemantics();
  int e = 1 - exp;
  return e <= APFloat::semanticsMaxExponent(sem) &&
         e >= APFloat::semanticsMinExponent(sem);
}

/// Normalisation `x / c -> x * (1/c)` for a constant `c` whose reciprocal
/// is exact (every element a power of two), so that the scale joins Mul
/// chains and folds into weights.  With fast-math any constant is
/// accepted (then 1/c is rounded: results may differ by an ulp).
/// Measure: the number of divisions.
struct DivConstToMul : OpAlgebraicRule<DivOp> {
  DivConstToMul(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("div-constant-to-mul", RuleFamily::Identity, ctx, o,
                        Traits{false, /*normalisation=*/true}) {}
  FailureOr<Saving> matchOp(DivOp op) const override {
    if (!isFloatTensor(op.getResult()) || !isConstant(op.getRhs()) ||
        isConstant(op.getLhs()))
      return failure();
    std::optional<ConstTensor> c =
        ConstTensor::fromValue(op.getRhs(), getOptions().maxFoldElements);
    if (!c)
      return failure();
    auto type = cast<FloatType>(op.getType().getElementType());
    if (!getOptions().fastMath &&
        !c->all([&](double v) { return hasExactReciprocal(v, type); }))
      return failure();
    return Saving{};
  }
  void rewriteOp(DivOp op, PatternRewriter &rewriter) const override {
    ConstTensor c =
        *ConstTensor::fromValue(op.getRhs(), getOptions().maxFoldElements);
    Value reciprocal = createConstant(
        rewriter, op.getLoc(), c.map([](double v) { return 1.0 / v; }));
    rewriter.replaceOpWithNewOp<MulOp>(op, op.getType(), op.getLhs(),
                                       reciprocal, nullptr);
  }
};

/// `1 / x -> reciprocal(x)` when x has the result type.  Exact.
struct DivToRecip : OpAlgebraicRule<DivOp> {
  DivToRecip(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("div-to-reciprocal", RuleFamily::Identity, ctx, o) {}
  FailureOr<Saving> matchOp(DivOp op) const override {
    if (!isFloatTensor(op.getResult()) ||
        op.getRhs().getType() != op.getType() ||
        !isUniformConstant(op.getLhs(), 1))
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.addUnary(ReciprocalOp::getOperationName(), op.getType());
    return est.get();
  }
  void rewriteOp(DivOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, createUnary<ReciprocalOp>(rewriter, op.getLoc(), op.getRhs()));
  }
};

/// `a * reciprocal(b) -> a / b` (either operand order) and
/// `a / reciprocal(b) -> a * b`.  One rounding fewer: results differ from
/// the original by at most an ulp (reassociation-class).
template <typename OpT>
struct RecipOperand : OpAlgebraicRule<OpT> {
  RecipOperand(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>(std::is_same_v<OpT, MulOp> ? "mul-reciprocal-to-div"
                                                        : "div-reciprocal-to-mul",
                             RuleFamily::Identity, ctx, o) {}
  static constexpr bool isMul = std::is_same_v<OpT, MulOp>;
  /// (other operand, reciprocal op).
  std::optional<std::pair<Value, ReciprocalOp>> parts(OpT op) const {
    if (!isFloatTensor(op.getResult()))
      return std::nullopt;
    if (auto r = op.getRhs().template getDefiningOp<ReciprocalOp>())
      return std::make_pair(op.getLhs(), r);
    if (isMul)
      if (auto r = op.getLhs().template getDefiningOp<ReciprocalOp>())
        return std::make_pair(op.getRhs(), r);
    return std::nullopt;
  }
  FailureOr<Saving> matchOp(OpT op) const override {
    auto p = parts(op);
    if (!p)
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(p->second);
    est.addBinary(isMul ? BinaryKind::Div : BinaryKind::Mul, p->first,
                  p->second.getInput(), this->getOptions().maxFoldElements);
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    auto [other, recip] = *parts(op);
    rewriter.replaceOp(
        op, createBinary(rewriter, op.getLoc(),
                         isMul ? BinaryKind::Div : BinaryKind::Mul, other,
                         recip.getInput(), this->getOptions().maxFoldElements));
  }
};

/// `reciprocal(reciprocal(x)) -> x`.  Reassociation-class: 1/(1/x) may
/// differ from x by an ulp, and for |x| below the reciprocal of the largest
/// float (subnormals) the intermediate overflows and the original gives 0.
struct RecipRecip : OpAlgebraicRule<ReciprocalOp> {
  RecipRecip(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("reciprocal-reciprocal", RuleFamily::Identity, ctx,
                        o) {}
  FailureOr<Saving> matchOp(ReciprocalOp op) const override {
    if (!op.getInput().getDefiningOp<ReciprocalOp>())
      return failure();
    return savingOfErasing(op, {op.getInput()});
  }
  void rewriteOp(ReciprocalOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       op.getInput().getDefiningOp<ReciprocalOp>().getInput());
  }
};

/// `abs(abs(x)) -> abs(x)`, `abs(neg(x)) -> abs(x)`, and for floats
/// `abs(x) -> x` when x is never negative (x*x, exp, sqrt, relu...).
/// Exact.
struct AbsRedundant : OpAlgebraicRule<AbsOp> {
  AbsRedundant(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("abs-redundant", RuleFamily::Identity, ctx, o) {}
  /// The value that replaces the op.
  Value replacement(AbsOp op, bool &keepAbs) const {
    Value x = op.getInput();
    keepAbs = false;
    if (!isNumericTensor(x))
      return {};
    if (x.getDefiningOp<AbsOp>())
      return x;
    if (auto neg = x.getDefiningOp<NegOp>()) {
      keepAbs = true;
      return neg.getInput();
    }
    if (isFloatTensor(x) && isNeverNegative(x))
      return x;
    return {};
  }
  FailureOr<Saving> matchOp(AbsOp op) const override {
    bool keepAbs;
    Value x = replacement(op, keepAbs);
    if (!x)
      return failure();
    SavingEstimator est;
    est.remove(op);
    if (keepAbs) {
      est.removeIfDead(op.getInput());
      est.addUnary(AbsOp::getOperationName(), x.getType());
    }
    return est.get();
  }
  void rewriteOp(AbsOp op, PatternRewriter &rewriter) const override {
    bool keepAbs;
    Value x = replacement(op, keepAbs);
    rewriter.replaceOp(op, keepAbs ? createUnary<AbsOp>(rewriter, op.getLoc(), x)
                                   : x);
  }
};

//===----------------------------------------------------------------------===//
// Pow algebra
//===----------------------------------------------------------------------===//

/// `pow(x, e)` for a uniform constant exponent: e = 1 -> x, e = 2 -> x*x
/// (squares are written `mul(x, x)` throughout the library), e = -1 ->
/// reciprocal(x), e = 0 -> 1 (ONNX: pow(x, 0) = 1 even for NaN).  x must
/// have the result type (except for e = 0).  Exact up to the rounding of
/// pow itself (x*x and 1/x are correctly rounded).
struct PowConstExponent : OpAlgebraicRule<PowOp> {
  PowConstExponent(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("pow-constant-exponent", RuleFamily::Identity, ctx,
                        o) {}
  std::optional<double> exponent(PowOp op) const {
    std::optional<double> e = getUniformValue(op.getRhs());
    if (!e || !isFloatTensor(op.getResult()))
      return std::nullopt;
    if (*e == 0)
      return e;
    if (op.getLhs().getType() != op.getType())
      return std::nullopt;
    if (*e == 1 || *e == 2 || *e == -1)
      return e;
    return std::nullopt;
  }
  FailureOr<Saving> matchOp(PowOp op) const override {
    std::optional<double> e = exponent(op);
    if (!e)
      return failure();
    SavingEstimator est;
    est.remove(op);
    if (*e == 2)
      est.add(MulOp::getOperationName(), {op.getType()}, {op.getType()});
    else if (*e == -1)
      est.addUnary(ReciprocalOp::getOperationName(), op.getType());
    return est.get();
  }
  void rewriteOp(PowOp op, PatternRewriter &rewriter) const override {
    double e = *exponent(op);
    Location loc = op.getLoc();
    Value x = op.getLhs();
    Value result;
    if (e == 0)
      result = createSplat(rewriter, loc, op.getType(), 1);
    else if (e == 1)
      result = x;
    else if (e == 2)
      result = MulOp::create(rewriter, loc, op.getType(), x, x, nullptr);
    else
      result = createUnary<ReciprocalOp>(rewriter, loc, x);
    rewriter.replaceOp(op, result);
  }
};

/// `pow(x, 0.5) -> sqrt(x)`.  Fast-math: pow(-0, 0.5) = +0 but sqrt(-0) =
/// -0, and pow(-inf, 0.5) = +inf but sqrt(-inf) = NaN.
struct PowHalf : OpAlgebraicRule<PowOp> {
  PowHalf(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("pow-half", RuleFamily::Identity, ctx, o,
                        Traits{/*fastMathOnly=*/true}) {}
  FailureOr<Saving> matchOp(PowOp op) const override {
    if (!isFloatTensor(op.getResult()) ||
        op.getLhs().getType() != op.getType() ||
        !isUniformConstant(op.getRhs(), 0.5))
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.addUnary(SqrtOp::getOperationName(), op.getType());
    return est.get();
  }
  void rewriteOp(PowOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, createUnary<SqrtOp>(rewriter, op.getLoc(),
                                               op.getLhs()));
  }
};

/// `pow(pow(x, a), b) -> pow(x, a*b)` for constants a, b.  Exact up to
/// overflow when a and b are integers; otherwise fast-math: wrong for
/// negative x (pow((-2)^2, 0.5) = 2, pow(-2, 1) = -2).
struct PowPow : OpAlgebraicRule<PowOp> {
  PowPow(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("pow-pow", RuleFamily::Identity, ctx, o) {}
  static bool integral(Value v) {
    std::optional<ConstTensor> c = ConstTensor::fromValue(v, 1 << 16);
    return c && c->all([](double e) { return e == std::trunc(e); });
  }
  FailureOr<Saving> matchOp(PowOp op) const override {
    auto inner = op.getLhs().getDefiningOp<PowOp>();
    if (!inner || !isFloatTensor(op.getResult()) ||
        !isConstant(inner.getRhs()) || !isConstant(op.getRhs()) ||
        !foldsBinary(BinaryKind::Mul, inner.getRhs(), op.getRhs(),
                     getOptions().maxFoldElements))
      return failure();
    if (!getOptions().fastMath &&
        !(integral(inner.getRhs()) && integral(op.getRhs())))
      return failure();
    RankedTensorType exponentType =
        broadcastType(inner.getRhs().getType(), op.getRhs().getType());
    if (!exponentType ||
        broadcastType(inner.getLhs().getType(), exponentType) != op.getType())
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(inner);
    est.add(PowOp::getOperationName(), {inner.getLhs().getType(), exponentType},
            {op.getType()});
    return est.get();
  }
  void rewriteOp(PowOp op, PatternRewriter &rewriter) const override {
    auto inner = op.getLhs().getDefiningOp<PowOp>();
    Value e = createBinary(rewriter, op.getLoc(), BinaryKind::Mul,
                           inner.getRhs(), op.getRhs(),
                           getOptions().maxFoldElements);
    rewriter.replaceOpWithNewOp<PowOp>(op, op.getType(), inner.getLhs(), e,
                                       nullptr);
  }
};

/// `sqrt(x * x) -> abs(x)`.  Exact in round-to-nearest binary floating
/// point while x*x neither overflows nor underflows (in f32 the square
/// overflows for |x| > 1.8e19 and underflows for |x| < 1e-19: the original
/// then gives inf or 0, reassociation-class).
struct SqrtSquare : OpAlgebraicRule<SqrtOp> {
  SqrtSquare(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("sqrt-square", RuleFamily::Identity, ctx, o) {}
  FailureOr<Saving> matchOp(SqrtOp op) const override {
    auto mul = op.getInput().getDefiningOp<MulOp>();
    if (!mul || mul.getLhs() != mul.getRhs() ||
        mul.getLhs().getType() != op.getType())
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(mul);
    est.addUnary(AbsOp::getOperationName(), op.getType());
    return est.get();
  }
  void rewriteOp(SqrtOp op, PatternRewriter &rewriter) const override {
    auto mul = op.getInput().getDefiningOp<MulOp>();
    rewriter.replaceOp(op,
                       createUnary<AbsOp>(rewriter, op.getLoc(), mul.getLhs()));
  }
};

/// `x / sqrt(x) -> sqrt(x)`.  Fast-math: x = 0 gives NaN (0/0) before and
/// 0 after, and +inf gives NaN before.
struct DivSqrtSelf : OpAlgebraicRule<DivOp> {
  DivSqrtSelf(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("div-sqrt-self", RuleFamily::Identity, ctx, o,
                        Traits{/*fastMathOnly=*/true}) {}
  FailureOr<Saving> matchOp(DivOp op) const override {
    auto sqrt = op.getRhs().getDefiningOp<SqrtOp>();
    if (!sqrt || sqrt.getInput() != op.getLhs() ||
        sqrt.getType() != op.getType())
      return failure();
    return savingOfErasing(op);
  }
  void rewriteOp(DivOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.getRhs());
  }
};

/// `log(exp(x)) -> x` and `exp(log(x)) -> x`.  Fast-math: exp overflows
/// for x > 88 in f32 (log(exp(100)) = inf), and exp(log(x)) is NaN for
/// x < 0 and loses precision.
template <typename OuterOp, typename InnerOp>
struct InverseFunctions : OpAlgebraicRule<OuterOp> {
  InverseFunctions(StringRef name, MLIRContext *ctx,
                   const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OuterOp>(name, RuleFamily::Identity, ctx, o,
                                 Traits{/*fastMathOnly=*/true}) {}
  FailureOr<Saving> matchOp(OuterOp op) const override {
    if (!op.getInput().template getDefiningOp<InnerOp>())
      return failure();
    return savingOfErasing(op, {op.getInput()});
  }
  void rewriteOp(OuterOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, op.getInput().template getDefiningOp<InnerOp>().getInput());
  }
};

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

bool isIdentityPerm(ArrayRef<int64_t> perm) {
  for (auto [i, p] : llvm::enumerate(perm))
    if (p != static_cast<int64_t>(i))
      return false;
  return true;
}

/// `transpose(transpose(x, p), q) -> transpose(x, p[q])`, or x when the
/// composition is the identity.  Exact.
struct TransposeTranspose : OpAlgebraicRule<TransposeOp> {
  TransposeTranspose(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("transpose-transpose", RuleFamily::Identity, ctx, o) {}
  std::optional<SmallVector<int64_t>> composed(TransposeOp op) const {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return std::nullopt;
    ArrayRef<int64_t> p = inner.getPerm(), q = op.getPerm();
    if (p.size() != q.size())
      return std::nullopt;
    SmallVector<int64_t> result;
    for (int64_t k : q) {
      if (k < 0 || k >= static_cast<int64_t>(p.size()))
        return std::nullopt;
      result.push_back(p[k]);
    }
    return result;
  }
  FailureOr<Saving> matchOp(TransposeOp op) const override {
    std::optional<SmallVector<int64_t>> perm = composed(op);
    if (!perm || !staticType(op.getResult()))
      return failure();
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(inner);
    if (!isIdentityPerm(*perm))
      est.add(TransposeOp::getOperationName(), {inner.getInput().getType()},
              {op.getType()});
    return est.get();
  }
  void rewriteOp(TransposeOp op, PatternRewriter &rewriter) const override {
    SmallVector<int64_t> perm = *composed(op);
    Value x = op.getInput().getDefiningOp<TransposeOp>().getInput();
    if (isIdentityPerm(perm)) {
      rewriter.replaceOp(op, x);
      return;
    }
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(), x, perm,
                                             nullptr);
  }
};

/// `transpose(x, identity) -> x`.  Exact.
struct TransposeIdentity : OpAlgebraicRule<TransposeOp> {
  TransposeIdentity(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("transpose-identity", RuleFamily::Identity, ctx, o) {}
  FailureOr<Saving> matchOp(TransposeOp op) const override {
    if (!isIdentityPerm(op.getPerm()) ||
        op.getInput().getType() != op.getType())
      return failure();
    return savingOfErasing(op);
  }
  void rewriteOp(TransposeOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.getInput());
  }
};

/// Normalisation: a transpose that keeps the relative order of all
/// dimensions larger than 1 is a reshape.  Measure: the number of
/// transposes.  Exact.
struct TransposeToReshape : OpAlgebraicRule<TransposeOp> {
  TransposeToReshape(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("transpose-to-reshape", RuleFamily::Identity, ctx, o,
                        Traits{false, /*normalisation=*/true}) {}
  FailureOr<Saving> matchOp(TransposeOp op) const override {
    RankedTensorType in = staticType(op.getInput());
    if (!in || !staticType(op.getResult()) || isIdentityPerm(op.getPerm()))
      return failure();
    int64_t last = -1;
    for (int64_t p : op.getPerm()) {
      if (p < 0 || p >= in.getRank())
        return failure();
      if (in.getDimSize(p) == 1)
        continue;
      if (p < last)
        return failure();
      last = p;
    }
    return Saving{};
  }
  void rewriteOp(TransposeOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput(),
                                           nullptr);
  }
};

/// Reshape, flatten, squeeze and unsqueeze only reorganise: their result is
/// the input's elements in the same order.
bool isReorganize(Operation *op) {
  return op && isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(op);
}

/// `reorganize(x) -> x` when the result type is x's type (a reshape to the
/// same shape, an empty squeeze...).  Exact.
template <typename OpT>
struct ReorganizeIdentity : OpAlgebraicRule<OpT> {
  ReorganizeIdentity(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("reshape-identity", RuleFamily::Identity, ctx,
                             o) {}
  FailureOr<Saving> matchOp(OpT op) const override {
    if (op->getOperand(0).getType() != op->getResult(0).getType())
      return failure();
    return savingOfErasing(op);
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op->getOperand(0));
  }
};

/// A pair of reorganising ops that cancels: `unsqueeze(squeeze(x))`,
/// `squeeze(unsqueeze(x))`, `reshape(flatten(x))`... whose result type is
/// x's type -> x.  Exact.
template <typename OpT>
struct ReorganizeCancel : OpAlgebraicRule<OpT> {
  ReorganizeCancel(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("squeeze-unsqueeze-cancel", RuleFamily::Identity,
                             ctx, o) {}
  FailureOr<Saving> matchOp(OpT op) const override {
    Operation *inner = op->getOperand(0).getDefiningOp();
    if (!isReorganize(inner) ||
        inner->getOperand(0).getType() != op->getResult(0).getType())
      return failure();
    return savingOfErasing(op, {op->getOperand(0)});
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op->getOperand(0).getDefiningOp()->getOperand(0));
  }
};

/// `reorganize(reorganize(x)) -> reshape(x)` (chains of reshape, flatten,
/// squeeze, unsqueeze collapse into one reshape).  Exact.
template <typename OpT>
struct ReshapeChain : OpAlgebraicRule<OpT> {
  ReshapeChain(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("reshape-chain", RuleFamily::Identity, ctx, o) {}
  FailureOr<Saving> matchOp(OpT op) const override {
    Operation *inner = op->getOperand(0).getDefiningOp();
    if (!isReorganize(inner) || !staticType(op->getResult(0)) ||
        !staticType(inner->getOperand(0)) ||
        inner->getOperand(0).getType() == op->getResult(0).getType())
      return failure();
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(inner);
    est.add(ReshapeOp::getOperationName(), {inner->getOperand(0).getType()},
            {op->getResult(0).getType()});
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    Value x = op->getOperand(0).getDefiningOp()->getOperand(0);
    rewriter.replaceOp(op, createReshape(rewriter, op.getLoc(), x,
                                         cast<RankedTensorType>(
                                             op->getResult(0).getType())));
  }
};

/// A reduction over axes whose extents are all 1 is a reshape (or nothing
/// with keepdims): `reduce(x) -> x`.  Exact for sum, mean, max, min and
/// prod.
template <typename OpT>
struct ReduceUnitAxes : OpAlgebraicRule<OpT> {
  ReduceUnitAxes(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("reduce-unit-axes", RuleFamily::Identity, ctx,
                             o) {}
  FailureOr<Saving> matchOp(OpT op) const override {
    RankedTensorType in = staticType(op.getInput());
    if (!in || !staticType(op.getResult()))
      return failure();
    std::optional<SmallVector<int64_t>> axes =
        reductionAxes(op.getAxes(), in.getRank());
    if (!axes)
      return failure();
    for (int64_t a : *axes)
      if (in.getDimSize(a) != 1)
        return failure();
    SavingEstimator est;
    est.remove(op);
    if (in != op.getType())
      est.add(ReshapeOp::getOperationName(), {in}, {op.getType()});
    return est.get();
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, createReshape(rewriter, op.getLoc(), op.getInput(),
                                         op.getType()));
  }
};

//===----------------------------------------------------------------------===//
// Transposes into contractions
//===----------------------------------------------------------------------===//

/// A transpose of a 2-D value swapping its two dimensions.
TransposeOp getMatrixTranspose(Value v) {
  auto t = v.getDefiningOp<TransposeOp>();
  if (!t || t.getPerm().size() != 2 || t.getPerm()[0] != 1 ||
      t.getPerm()[1] != 0)
    return nullptr;
  return t;
}

/// `matmul(transpose(A), B) -> gemm(A, B, transA = 1)` (and for B) on 2-D
/// operands: the transpose becomes Gemm's operand order.  Exact.
struct MatMulTransposeToGemm : OpAlgebraicRule<MatMulOp> {
  MatMulTransposeToGemm(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("matmul-transpose-to-gemm", RuleFamily::Identity, ctx,
                        o) {}
  FailureOr<Saving> matchOp(MatMulOp op) const override {
    if (op.getLhs().getType().getRank() != 2 ||
        op.getRhs().getType().getRank() != 2 || !staticType(op.getResult()))
      return failure();
    TransposeOp ta = getMatrixTranspose(op.getLhs());
    TransposeOp tb = getMatrixTranspose(op.getRhs());
    if (!ta && !tb)
      return failure();
    SavingEstimator est;
    est.remove(op);
    if (ta)
      est.removeIfDead(ta);
    if (tb)
      est.removeIfDead(tb);
    Value a = ta ? ta.getInput() : op.getLhs();
    Value b = tb ? tb.getInput() : op.getRhs();
    est.add(GemmOp::getOperationName(), {a.getType(), b.getType()},
            {op.getType()},
            DictionaryAttr::get(op.getContext(),
                                {NamedAttribute(
                                    StringAttr::get(op.getContext(), "transA"),
                                    BoolAttr::get(op.getContext(), !!ta))}));
    return est.get();
  }
  void rewriteOp(MatMulOp op, PatternRewriter &rewriter) const override {
    TransposeOp ta = getMatrixTranspose(op.getLhs());
    TransposeOp tb = getMatrixTranspose(op.getRhs());
    Value a = ta ? ta.getInput() : op.getLhs();
    Value b = tb ? tb.getInput() : op.getRhs();
    rewriter.replaceOpWithNewOp<GemmOp>(
        op, op.getType(), a, b, Value(), rewriter.getF32FloatAttr(1.0),
        rewriter.getF32FloatAttr(1.0), rewriter.getBoolAttr(!!ta),
        rewriter.getBoolAttr(!!tb), nullptr);
  }
};

/// `gemm(transpose(A), B, C) -> gemm(A, B, C, transA = !transA)` (and for
/// B).  Exact.
struct GemmAbsorbTranspose : OpAlgebraicRule<GemmOp> {
  GemmAbsorbTranspose(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("gemm-absorb-transpose", RuleFamily::Identity, ctx,
                        o) {}
  FailureOr<Saving> matchOp(GemmOp op) const override {
    TransposeOp ta = getMatrixTranspose(op.getA());
    TransposeOp tb = getMatrixTranspose(op.getB());
    if ((!ta && !tb) || !staticType(op.getResult()))
      return failure();
    SavingEstimator est;
    est.remove(op);
    if (ta)
      est.removeIfDead(ta);
    if (tb)
      est.removeIfDead(tb);
    Value a = ta ? ta.getInput() : op.getA();
    Value b = tb ? tb.getInput() : op.getB();
    SmallVector<Type> operands = {a.getType(), b.getType()};
    if (op.getC())
      operands.push_back(op.getC().getType());
    NamedAttrList attrs;
    attrs.set("transA", BoolAttr::get(op.getContext(),
                                      op.getTransA() != static_cast<bool>(ta)));
    est.add(GemmOp::getOperationName(), operands, {op.getType()},
            attrs.getDictionary(op.getContext()));
    return est.get();
  }
  void rewriteOp(GemmOp op, PatternRewriter &rewriter) const override {
    TransposeOp ta = getMatrixTranspose(op.getA());
    TransposeOp tb = getMatrixTranspose(op.getB());
    Value a = ta ? ta.getInput() : op.getA();
    Value b = tb ? tb.getInput() : op.getB();
    rewriter.replaceOpWithNewOp<GemmOp>(
        op, op.getType(), a, b, op.getC(), op.getAlphaAttr(), op.getBetaAttr(),
        rewriter.getBoolAttr(op.getTransA() != static_cast<bool>(ta)),
        rewriter.getBoolAttr(op.getTransB() != static_cast<bool>(tb)),
        nullptr);
  }
};

/// A transpose swapping the last two dimensions of a rank >= 2 value.
TransposeOp getLastTwoSwap(Value v) {
  auto t = v.getDefiningOp<TransposeOp>();
  if (!t)
    return nullptr;
  ArrayRef<int64_t> perm = t.getPerm();
  int64_t r = perm.size();
  if (r < 2)
    return nullptr;
  for (int64_t k = 0; k < r - 2; ++k)
    if (perm[k] != k)
      return nullptr;
  if (perm[r - 2] != r - 1 || perm[r - 1] != r - 2)
    return nullptr;
  return t;
}

/// `matmul(transpose(A), transpose(B)) -> transpose(matmul(B, A))` where
/// both transposes swap the last two dims of same-rank operands: two
/// transposes become one.  Exact.
struct MatMulTransposeBoth : OpAlgebraicRule<MatMulOp> {
  MatMulTransposeBoth(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule("matmul-transpose-both", RuleFamily::Identity, ctx,
                        o) {}
  RankedTensorType innerType(MatMulOp op) const {
    TransposeOp ta = getLastTwoSwap(op.getLhs());
    TransposeOp tb = getLastTwoSwap(op.getRhs());
    RankedTensorType out = staticType(op.getResult());
    if (!ta || !tb || !out || ta.getPerm().size() != tb.getPerm().size() ||
        out.getRank() != static_cast<int64_t>(ta.getPerm().size()))
      return nullptr;
    SmallVector<int64_t> shape(out.getShape());
    std::swap(shape[shape.size() - 1], shape[shape.size() - 2]);
    return RankedTensorType::get(shape, out.getElementType());
  }
  FailureOr<Saving> matchOp(MatMulOp op) const override {
    RankedTensorType inner = innerType(op);
    if (!inner)
      return failure();
    TransposeOp ta = getLastTwoSwap(op.getLhs());
    TransposeOp tb = getLastTwoSwap(op.getRhs());
    SavingEstimator est;
    est.remove(op);
    est.removeIfDead(ta);
    est.removeIfDead(tb);
    est.add(MatMulOp::getOperationName(),
            {tb.getInput().getType(), ta.getInput().getType()}, {inner});
    est.add(TransposeOp::getOperationName(), {inner}, {op.getType()});
    return est.get();
  }
  void rewriteOp(MatMulOp op, PatternRewriter &rewriter) const override {
    RankedTensorType inner = innerType(op);
    TransposeOp ta = getLastTwoSwap(op.getLhs());
    TransposeOp tb = getLastTwoSwap(op.getRhs());
    Value product = MatMulOp::create(rewriter, op.getLoc(), inner,
                                     tb.getInput(), ta.getInput(), nullptr);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(), product,
                                             ta.getPerm(), nullptr);
  }
};

//===----------------------------------------------------------------------===//
// Constant expressions
//===----------------------------------------------------------------------===//

/// A binary op on two constants -> a constant (at most max-fold-elements
/// elements).  Float arithmetic is rounded to the element type after the
/// operation (IEEE-exact for + - * /); integers wrap.
template <typename OpT>
struct FoldConstantBinary : OpAlgebraicRule<OpT> {
  FoldConstantBinary(BinaryKind kind, MLIRContext *ctx,
                     const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("fold-constant-expression", RuleFamily::Identity,
                             ctx, o),
        kind(kind) {}
  FailureOr<Saving> matchOp(OpT op) const override {
    if (!isNumericTensor(op.getResult()) ||
        !foldsBinary(kind, op.getLhs(), op.getRhs(),
                     this->getOptions().maxFoldElements) ||
        !ConstTensor::isReadable(op.getLhs(),
                                 this->getOptions().maxFoldElements, false) ||
        !ConstTensor::isReadable(op.getRhs(),
                                 this->getOptions().maxFoldElements, false))
      return failure();
    return savingOfErasing(op);
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, createBinary(rewriter, op.getLoc(), kind,
                                        op.getLhs(), op.getRhs(),
                                        this->getOptions().maxFoldElements));
  }
  BinaryKind kind;
};

/// A unary op on a constant -> a constant (computed in double, rounded to
/// the element type: transcendental functions may differ from the
/// runtime's by an ulp).
template <typename OpT>
struct FoldConstantUnary : OpAlgebraicRule<OpT> {
  FoldConstantUnary(std::function<double(double)> fn, MLIRContext *ctx,
                    const AlgebraicRuleOptions &o, bool integers)
      : OpAlgebraicRule<OpT>("fold-constant-expression", RuleFamily::Identity,
                             ctx, o),
        fn(std::move(fn)), integers(integers) {}
  FailureOr<Saving> matchOp(OpT op) const override {
    if (!(isFloatTensor(op.getResult()) ||
          (integers && isIntTensor(op.getResult()))) ||
        !ConstTensor::isReadable(op.getInput(),
                                 this->getOptions().maxFoldElements, false))
      return failure();
    return savingOfErasing(op);
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    ConstTensor c = *ConstTensor::fromValue(op.getInput(),
                                            this->getOptions().maxFoldElements);
    rewriter.replaceOp(op, createConstant(rewriter, op.getLoc(), c.map(fn)));
  }
  std::function<double(double)> fn;
  bool integers;
};

/// Reshape, flatten, squeeze, unsqueeze of a constant -> a constant.
template <typename OpT>
struct FoldConstantReorganize : OpAlgebraicRule<OpT> {
  FoldConstantReorganize(MLIRContext *ctx, const AlgebraicRuleOptions &o)
      : OpAlgebraicRule<OpT>("fold-constant-expression", RuleFamily::Identity,
                             ctx, o) {}
  FailureOr<Saving> matchOp(OpT op) const override {
    if (!isConstant(op->getOperand(0)) || !staticType(op->getResult(0)) ||
        numElements(op->getResult(0).getType()) >
            this->getOptions().maxFoldElements)
      return failure();
    return savingOfErasing(op);
  }
  void rewriteOp(OpT op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, createReshape(rewriter, op.getLoc(),
                                         op->getOperand(0),
                                         cast<RankedTensorType>(
                                             op->getResult(0).getType())));
  }
};

} // namespace

void dnnf::populateIdentityRules(AlgebraicRuleList &rules, MLIRContext *ctx,
                                 const AlgebraicRuleOptions &o) {
  auto add = [&](auto rule) { rules.push_back(std::move(rule)); };
  add(std::make_unique<NeutralElement<MulOp>>("mul-one", 1.0, true, ctx, o));
  add(std::make_unique<NeutralElement<AddOp>>("add-zero", 0.0, true, ctx, o));
  add(std::make_unique<NeutralElement<SubOp>>("add-zero", 0.0, false, ctx, o));
  add(std::make_unique<NeutralElement<DivOp>>("div-one", 1.0, false, ctx, o));
  add(std::make_unique<MulZero>(ctx, o));
  add(std::make_unique<SubSelf>(ctx, o));
  add(std::make_unique<DivSelf>(ctx, o));
  add(std::make_unique<NegNeg>(ctx, o));
  add(std::make_unique<NegSub>(ctx, o));
  add(std::make_unique<AddNeg<AddOp>>(ctx, o));
  add(std::make_unique<AddNeg<SubOp>>(ctx, o));
  add(std::make_unique<NegPair<MulOp>>(ctx, o));
  add(std::make_unique<NegPair<DivOp>>(ctx, o));
  add(std::make_unique<NegIntoConstant<MulOp>>(ctx, o));
  add(std::make_unique<NegIntoConstant<DivOp>>(ctx, o));
  add(std::make_unique<ToNeg<MulOp>>(ctx, o));
  add(std::make_unique<ToNeg<SubOp>>(ctx, o));
  add(std::make_unique<SubConstToAdd>(ctx, o));
  add(std::make_unique<DivConstToMul>(ctx, o));
  add(std::make_unique<DivToRecip>(ctx, o));
  add(std::make_unique<RecipOperand<MulOp>>(ctx, o));
  add(std::make_unique<RecipOperand<DivOp>>(ctx, o));
  add(std::make_unique<RecipRecip>(ctx, o));
  add(std::make_unique<AbsRedundant>(ctx, o));
  add(std::make_unique<PowConstExponent>(ctx, o));
  add(std::make_unique<PowHalf>(ctx, o));
  add(std::make_unique<PowPow>(ctx, o));
  add(std::make_unique<SqrtSquare>(ctx, o));
  add(std::make_unique<DivSqrtSelf>(ctx, o));
  add(std::make_unique<InverseFunctions<LogOp, ExpOp>>("log-exp", ctx, o));
  add(std::make_unique<InverseFunctions<ExpOp, LogOp>>("exp-log", ctx, o));
  add(std::make_unique<TransposeTranspose>(ctx, o));
  add(std::make_unique<TransposeIdentity>(ctx, o));
  add(std::make_unique<TransposeToReshape>(ctx, o));
  add(std::make_unique<ReorganizeIdentity<ReshapeOp>>(ctx, o));
  add(std::make_unique<ReorganizeIdentity<FlattenOp>>(ctx, o));
  add(std::make_unique<ReorganizeIdentity<SqueezeOp>>(ctx, o));
  add(std::make_unique<ReorganizeIdentity<UnsqueezeOp>>(ctx, o));
  add(std::make_unique<ReorganizeCancel<ReshapeOp>>(ctx, o));
  add(std::make_unique<ReorganizeCancel<FlattenOp>>(ctx, o));
  add(std::make_unique<ReorganizeCancel<SqueezeOp>>(ctx, o));
  add(std::make_unique<ReorganizeCancel<UnsqueezeOp>>(ctx, o));
  add(std::make_unique<ReshapeChain<ReshapeOp>>(ctx, o));
  add(std::make_unique<ReshapeChain<FlattenOp>>(ctx, o));
  add(std::make_unique<ReshapeChain<SqueezeOp>>(ctx, o));
  add(std::make_unique<ReshapeChain<UnsqueezeOp>>(ctx, o));
  add(std::make_unique<ReduceUnitAxes<ReduceSumOp>>(ctx, o));
  add(std::make_unique<ReduceUnitAxes<ReduceMeanOp>>(ctx, o));
  add(std::make_unique<ReduceUnitAxes<ReduceMaxOp>>(ctx, o));
  add(std::make_unique<ReduceUnitAxes<ReduceMinOp>>(ctx, o));
  add(std::make_unique<ReduceUnitAxes<ReduceProdOp>>(ctx, o));
  add(std::make_unique<MatMulTransposeToGemm>(ctx, o));
  add(std::make_unique<GemmAbsorbTranspose>(ctx, o));
  add(std::make_unique<MatMulTransposeBoth>(ctx, o));
  add(std::make_unique<FoldConstantBinary<AddOp>>(BinaryKind::Add, ctx, o));
  add(std::make_unique<FoldConstantBinary<SubOp>>(BinaryKind::Sub, ctx, o));
  add(std::make_unique<FoldConstantBinary<MulOp>>(BinaryKind::Mul, ctx, o));
  add(std::make_unique<FoldConstantBinary<DivOp>>(BinaryKind::Div, ctx, o));
  add(std::make_unique<FoldConstantUnary<NegOp>>(
      [](double v) { return -v; }, ctx, o, /*integers=*/false));
  add(std::make_unique<FoldConstantUnary<ReciprocalOp>>(
      [](double v) { return 1.0 / v; }, ctx, o, false));
  add(std::make_unique<FoldConstantUnary<SqrtOp>>(
      [](double v) { return std::sqrt(v); }, ctx, o, false));
  add(std::make_unique<FoldConstantUnary<ExpOp>>(
      [](double v) { return std::exp(v); }, ctx, o, false));
  add(std::make_unique<FoldConstantUnary<LogOp>>(
      [](double v) { return std::log(v); }, ctx, o, false));
  add(std::make_unique<FoldConstantUnary<AbsOp>>(
      [](double v) { return std::fabs(v); }, ctx, o, false));
  add(std::make_unique<FoldConstantReorganize<ReshapeOp>>(ctx, o));
  add(std::make_unique<FoldConstantReorganize<FlattenOp>>(ctx, o));
  add(std::make_unique<FoldConstantReorganize<SqueezeOp>>(ctx, o));
  add(std::make_unique<FoldConstantReorganize<UnsqueezeOp>>(ctx, o));
}
