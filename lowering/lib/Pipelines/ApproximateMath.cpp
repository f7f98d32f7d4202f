//===- ApproximateMath.cpp - polynomial approximations of math functions --===//
//
// math.exp, log, tanh, erf, ... become MLIR's polynomial approximations
// (arith only), so that LLVM vectorizes them instead of calling libm once
// per element: the sigmoid and SiLU of CNNs, GELU's erf in transformers,
// and powf by a constant that is not an integer (LRN's x^-beta) as exp and
// log.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/StringSet.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFAPPROXIMATEMATH
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {

/// The exponent of an f32 `pow` when it is a constant (a scalar, a splat,
/// or a broadcast of one) that is neither an integer nor NaN.
std::optional<double> fractionalExponent(math::PowFOp pow) {
  if (!getElementTypeOrSelf(pow.getType()).isF32())
    return std::nullopt;
  Value rhs = pow.getRhs();
  if (auto broadcast = rhs.getDefiningOp<vector::BroadcastOp>())
    rhs = broadcast.getSource();
  Attribute attr;
  if (!matchPattern(rhs, m_Constant(&attr)))
    return std::nullopt;
  if (auto splat = dyn_cast<SplatElementsAttr>(attr))
    attr = splat.getSplatValue<Attribute>();
  auto value = dyn_cast<FloatAttr>(attr);
  if (!value)
    return std::nullopt;
  double b = value.getValueAsDouble();
  if (std::isnan(b) || std::trunc(b) == b)
    return std::nullopt;
  return b;
}

/// Rewrites pow(a, b) as exp(b * log(a)) for a constant b that is not an
/// integer (fractionalExponent), and returns the exp and log ops created.
/// The special cases agree with powf's: a < 0 gives NaN (log), a = 0 gives
/// 0 for b > 0 and +inf for b < 0, a = +inf the reverse, a = 1 one.
/// Integer exponents are left alone: a negative base is defined for them.
SmallVector<Operation *> expandPow(func::FuncOp func) {
  SmallVector<math::PowFOp> pows;
  func.walk([&](math::PowFOp pow) {
    if (fractionalExponent(pow))
      pows.push_back(pow);
  });
  SmallVector<Operation *> created;
  IRRewriter rewriter(func.getContext());
  for (math::PowFOp pow : pows) {
    rewriter.setInsertionPoint(pow);
    Location loc = pow.getLoc();
    auto log = math::LogOp::create(rewriter, loc, pow.getLhs());
    Value product = arith::MulFOp::create(rewriter, loc, log, pow.getRhs());
    auto exp = math::ExpOp::create(rewriter, loc, product);
    rewriter.replaceOp(pow, exp.getResult());
    created.append({log, exp});
  }
  return created;
}

struct ApproximateMathPass
    : public dnnf::impl::DnnfApproximateMathBase<ApproximateMathPass> {
  using Base::Base;

  void runOnOperation() override {
    llvm::StringSet<> enabled;
    for (const std::string &name : functions)
      enabled.insert(name);
    if (functions.empty())
      for (StringRef name :
           {"exp", "expm1", "log", "log1p", "log2", "tanh", "erf", "powf"})
        enabled.insert(name);
    // Called with the op name ("math.exp") by the patterns.
    auto predicate = [&](StringRef name) {
      name.consume_front("math.");
      return enabled.contains(name);
    };
    // The f32 ops (scalars or vectors) the patterns will rewrite.
    getOperation().walk([&](Operation *op) {
      if (op->getDialect() &&
          op->getDialect()->getNamespace() ==
              math::MathDialect::getDialectNamespace() &&
          predicate(op->getName().stripDialect()) && op->getNumResults() == 1 &&
          getElementTypeOrSelf(op->getResult(0).getType()).isF32()) {
        auto pow = dyn_cast<math::PowFOp>(op);
        if (!pow || fractionalExponent(pow))
          ++numApproximated;
      }
    });
    // powf's exp and log are approximated whatever `functions` says.
    if (enabled.contains("powf")) {
      SmallVector<Operation *> created = expandPow(getOperation());
      RewritePatternSet patterns(&getContext());
      populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
        return name == "math.exp" || name == "math.log";
      });
      GreedyRewriteConfig config;
      config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
      if (!created.empty() &&
          failed(applyOpPatternsGreedily(created, std::move(patterns), config)))
        return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, predicate);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
