//===- DnnfToLinalg.cpp - the convert-dnnf-to-linalg pass -----------------===//

#include "Common.h"
#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_CONVERTDNNFTOLINALG
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::lowering;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value lowering::emptyTensor(OpBuilder &b, Location loc,
                            RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

Value lowering::filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                             Value value) {
  Value empty = emptyTensor(b, loc, type);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value lowering::scalar(OpBuilder &b, Location loc, Type type, double value) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value lowering::lowest(OpBuilder &b, Location loc, Type type) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), true)));
  unsigned w = type.getIntOrFloatBitWidth();
  APInt v = w == 1 ? APInt(1, 0) : APInt::getSignedMinValue(w);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

Value lowering::highest(OpBuilder &b, Location loc, Type type) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), false)));
  unsigned w = type.getIntOrFloatBitWidth();
  APInt v = w == 1 ? APInt(1, 1) : APInt::getSignedMaxValue(w);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

AffineMap lowering::broadcastMap(MLIRContext *ctx,
                                 ArrayRef<int64_t> operandShape,
                                 ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size(), offset = rank - operandShape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, d] : llvm::enumerate(operandShape)) {
    int64_t j = offset + i;
    if (d == 1 && resultShape[j] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(j, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value lowering::elementwise(OpBuilder &b, Location loc,
                            RankedTensorType resultType, ValueRange inputs,
                            BodyBuilder body, ArrayRef<AffineMap> maps) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> indexing;
  for (auto [i, v] : llvm::enumerate(inputs))
    indexing.push_back(
        maps.empty() ? broadcastMap(ctx,
                                    cast<RankedTensorType>(v.getType())
                                        .getShape(),
                                    resultType.getShape())
                     : maps[i]);
  indexing.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, emptyTensor(b, loc, resultType), indexing,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, r);
      });
  return generic.getResult(0);
}

Value lowering::reshape(OpBuilder &b, Location loc, Value input,
                        RankedTensorType resultType) {
  auto inType = cast<RankedTensorType>(input.getType());
  if (inType == resultType)
    return input;
  if (std::optional<SmallVector<ReassociationIndices>> r =
          getReassociationIndicesForReshape(inType, resultType)) {
    if (inType.getRank() > resultType.getRank())
      return tensor::CollapseShapeOp::create(b, loc, resultType, input, *r);
    return tensor::ExpandShapeOp::create(b, loc, resultType, input, *r);
  }
  // General case: through a 1-D tensor.
  auto flatType =
      RankedTensorType::get({inType.getNumElements()}, inType.getElementType());
  Value flat = input;
  if (inType.getRank() != 1) {
    SmallVector<ReassociationIndices> all(1);
    for (int64_t i = 0; i < inType.getRank(); ++i)
      all[0].push_back(i);
    if (inType.getRank() == 0)
      all.clear();
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, input, all);
  }
  if (resultType.getRank() == 1)
    return flat;
  SmallVector<ReassociationIndices> all(1);
  for (int64_t i = 0; i < resultType.getRank(); ++i)
    all[0].push_back(i);
  if (resultType.getRank() == 0)
    all.clear();
  return tensor::ExpandShapeOp::create(b, loc, resultType, flat, all);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// Why `op` cannot be lowered, or an empty string.
static std::string unsupportedReason(Operation *op) {
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto tt = dyn_cast<RankedTensorType>(t);
    if (!tt)
      continue;
    if (!tt.hasStaticShape())
      return "dynamic shapes are not supported by the lowering";
    Type e = tt.getElementType();
    if (auto it = dyn_cast<IntegerType>(e); it && !it.isSignless())
      return "unsigned or signed-qualified integer element types are not "
             "supported by the lowering yet";
  }
  return "";
}

namespace {
struct ConvertDnnfToLinalgPass
    : public dnnf::impl::ConvertDnnfToLinalgBase<ConvertDnnfToLinalgPass> {
  using ConvertDnnfToLinalgBase::ConvertDnnfToLinalgBase;

  void runOnOperation() override {
    Operation *root = getOperation();
    // Fused blocks are inlined: each op is then lowered on its own.
    SmallVector<FusedOp> fused;
    root->walk([&](FusedOp op) { fused.push_back(op); });
    for (FusedOp op : fused) {
      OpBuilder b(op);
      IRMapping map;
      Block &body = op.getBody().front();
      for (auto [arg, input] : llvm::zip(body.getArguments(), op.getInputs()))
        map.map(arg, input);
      for (Operation &inner : body.without_terminator())
        b.clone(inner, map);
      auto yield = cast<YieldOp>(body.getTerminator());
      for (auto [res, v] : llvm::zip(op.getResults(), yield.getValues()))
        res.replaceAllUsesWith(map.lookup(v));
      op.erase();
    }

    bool bad = false;
    int64_t count = 0;
    root->walk([&](Operation *op) {
      if (!isa<DnnfDialect>(op->getDialect()))
        return;
      ++count;
      std::string reason = unsupportedReason(op);
      if (!reason.empty()) {
        op->emitOpError("cannot be lowered: ") << reason;
        bad = true;
      }
    });
    if (bad)
      return signalPassFailure();

    ConversionTarget target(getContext());
    target.addIllegalDialect<DnnfDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateDnnfToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(root, target, std::move(patterns))))
      return signalPassFailure();
    numLowered += count;
  }
};
} // namespace

void mlir::dnnf::populateDnnfToLinalgPatterns(RewritePatternSet &patterns) {
  populateElementwisePatterns(patterns);
  populateContractionPatterns(patterns);
  populateReductionPatterns(patterns);
  populateDataMovementPatterns(patterns);
}

void mlir::dnnf::registerDnnfConversions() {
  static bool registered = false;
  if (registered)
    return;
  registered = true;
  registerDnnfConversionPasses();
  registerDnnfPipelines();
}
