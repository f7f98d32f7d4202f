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

Value lowering::emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
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
  // Integers: truncated toward zero, saturated to the type (NaN gives 0);
  // booleans are value != 0.
  unsigned width = type.getIntOrFloatBitWidth();
  if (width == 1)
    return arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(type, APInt(1, value != 0 ? 1 : 0)));
  APSInt v(width, /*isUnsigned=*/false);
  bool exact = false;
  (void)APFloat(value).convertToInteger(v, APFloat::rmTowardZero, &exact);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
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

Type lowering::accumulatorType(Type elem) {
  if (isa<FloatType>(elem) && elem.getIntOrFloatBitWidth() < 32)
    return Float32Type::get(elem.getContext());
  return elem;
}

Value lowering::castScalar(OpBuilder &b, Location loc, Value x, Type to) {
  Type from = x.getType();
  if (from == to)
    return x;
  bool fromF = isFloat(from), toF = isFloat(to);
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (fromF && toF) {
    if (fw < tw)
      return arith::ExtFOp::create(b, loc, to, x);
    if (fw > tw)
      return arith::TruncFOp::create(b, loc, to, x);
    // f16 <-> bf16: through f32, which holds both exactly.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
    return arith::TruncFOp::create(b, loc, to, wide);
  }
  if (fromF) {
    if (tw == 1)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                   scalar(b, loc, from, 0.0));
    return arith::FPToSIOp::create(b, loc, to, x);
  }
  if (toF)
    return fw == 1 ? Value(arith::UIToFPOp::create(b, loc, to, x))
                   : Value(arith::SIToFPOp::create(b, loc, to, x));
  if (tw == 1)
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x,
                                 scalar(b, loc, from, 0));
  if (fw < tw)
    return fw == 1 ? Value(arith::ExtUIOp::create(b, loc, to, x))
                   : Value(arith::ExtSIOp::create(b, loc, to, x));
  return arith::TruncIOp::create(b, loc, to, x);
}

Value lowering::castTensor(OpBuilder &b, Location loc, Value x, Type to) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getElementType() == to)
    return x;
  return elementwise(b, loc, type.clone(to), x,
                     [&](OpBuilder &nb, Location l, ValueRange a) {
                       return castScalar(nb, l, a[0], to);
                     });
}

Value lowering::maxOf(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (x.getType().isInteger(1))
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value lowering::minOf(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (x.getType().isInteger(1))
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

arith::CmpIPredicate lowering::intPredicate(Type t, arith::CmpIPredicate pred) {
  if (!t.isInteger(1))
    return pred;
  switch (pred) {
  case arith::CmpIPredicate::slt:
    return arith::CmpIPredicate::ult;
  case arith::CmpIPredicate::sle:
    return arith::CmpIPredicate::ule;
  case arith::CmpIPredicate::sgt:
    return arith::CmpIPredicate::ugt;
  case arith::CmpIPredicate::sge:
    return arith::CmpIPredicate::uge;
  default:
    return pred;
  }
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
        maps.empty()
            ? broadcastMap(ctx, cast<RankedTensorType>(v.getType()).getShape(),
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
  for (Type t :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
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
  // Instances the verifiers accept but the patterns cannot lower.
  if (auto convT = dyn_cast<ConvTransposeOp>(op)) {
    int64_t c = convT.getInput().getType().getDimSize(1);
    auto group = static_cast<int64_t>(convT.getGroup());
    if (group < 1 || c % group != 0)
      return ("the input channel count " + Twine(c) +
              " is not a multiple of group " + Twine(group))
          .str();
  }
  if (auto pad = dyn_cast<PadOp>(op)) {
    RankedTensorType in = pad.getInput().getType();
    int64_t rank = in.getRank();
    bool emptyAfterCrop = false;
    for (int64_t i = 0; i < rank; ++i)
      emptyAfterCrop |= in.getDimSize(i) +
                            std::min<int64_t>(pad.getPads()[i], 0) +
                            std::min<int64_t>(pad.getPads()[i + rank], 0) <=
                        0;
    if (pad.getMode() != "constant" && emptyAfterCrop &&
        pad.getOutput().getType().getNumElements() != 0)
      return ("mode \"" + pad.getMode() +
              "\" pads from the input's elements, and it has none left")
          .str();
  }
  if (auto resize = dyn_cast<ResizeOp>(op))
    if (resize.getMode() != "nearest" &&
        resize.getInput().getType().getElementType().isInteger(1))
      return "resizing i1 tensors supports mode \"nearest\" only";
  return "";
}

namespace {
/// An op whose results all have no elements computes nothing: its results
/// are `tensor.empty` (whatever the op; this also keeps ops such as
/// tensor.extract_slice away from offsets at the end of an empty axis).
struct EmptyResultPattern : public ConversionPattern {
  EmptyResultPattern(MLIRContext *ctx)
      : ConversionPattern(MatchAnyOpTypeTag(), /*benefit=*/10, ctx) {}
  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value>,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isa<DnnfDialect>(op->getDialect()) || isa<ConstantOp>(op) ||
        op->getNumResults() == 0)
      return failure();
    for (Type t : op->getResultTypes()) {
      auto tt = dyn_cast<RankedTensorType>(t);
      if (!tt || tt.getNumElements() != 0)
        return rewriter.notifyMatchFailure(op, "a result has elements");
    }
    SmallVector<Value> empties;
    for (Type t : op->getResultTypes())
      empties.push_back(
          emptyTensor(rewriter, op->getLoc(), cast<RankedTensorType>(t)));
    rewriter.replaceOp(op, empties);
    return success();
  }
};

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
  populateResizePatterns(patterns);
  populateReductionPatterns(patterns);
  populateDataMovementPatterns(patterns);
  patterns.add<EmptyResultPattern>(patterns.getContext());
}

void mlir::dnnf::registerDnnfConversions() {
  static bool registered = false;
  if (registered)
    return;
  registered = true;
  registerDnnfConversionPasses();
  registerDnnfPipelines();
}
