//===- ApproximateMath.cpp - polynomial approximations of math functions --===//
//
// math.exp, log, tanh, erf, ... become MLIR's polynomial approximations
// (arith only), so that LLVM vectorizes them instead of calling libm once
// per element: the sigmoid and SiLU of CNNs, GELU's erf in transformers.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
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

struct ApproximateMathPass
    : public dnnf::impl::DnnfApproximateMathBase<ApproximateMathPass> {
  using Base::Base;

  void runOnOperation() override {
    llvm::StringSet<> enabled;
    for (const std::string &name : functions)
      enabled.insert(name);
    if (functions.empty())
      for (StringRef name :
           {"exp", "expm1", "log", "log1p", "log2", "tanh", "erf"})
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
          getElementTypeOrSelf(op->getResult(0).getType()).isF32())
        ++numApproximated;
    });
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, predicate);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
