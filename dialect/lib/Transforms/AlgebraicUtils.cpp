//===- AlgebraicUtils.cpp - helpers of the algebraic rules ----------------===//

#include "AlgebraicUtils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::algebra;

//===----------------------------------------------------------------------===//
// Types and shapes
//===----------------------------------------------------------------------===//

RankedTensorType algebra::staticType(Value v) {
  auto type = dyn_cast_or_null<RankedTensorType>(v ? v.getType() : Type());
  if (!type || !type.hasStaticShape())
    return nullptr;
  return type;
}

bool algebra::isFloatTensor(Value v) {
  RankedTensorType type = staticType(v);
  return type && isa<FloatType>(type.getElementType());
}

bool algebra::isIntTensor(Value v) {
  RankedTensorType type = staticType(v);
  if (!type)
    return false;
  auto integer = dyn_cast<IntegerType>(type.getElementType());
  return integer && integer.getWidth() > 1 && integer.getWidth() <= 64;
}

bool algebra::isNumericTensor(Value v) {
  return isFloatTensor(v) || isIntTensor(v);
}

std::optional<SmallVector<int64_t>>
algebra::broadcastShape(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> result(rank);
  for (size_t k = 0; k < rank; ++k) {
    int64_t da = k < rank - a.size() ? 1 : a[k - (rank - a.size())];
    int64_t db = k < rank - b.size() ? 1 : b[k - (rank - b.size())];
    if (da < 0 || db < 0)
      return std::nullopt;
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    result[k] = da == 1 ? db : da;
  }
  return result;
}

RankedTensorType algebra::broadcastType(Type a, Type b) {
  auto ta = dyn_cast<RankedTensorType>(a);
  auto tb = dyn_cast<RankedTensorType>(b);
  if (!ta || !tb || !ta.hasStaticShape() || !tb.hasStaticShape() ||
      ta.getElementType() != tb.getElementType())
    return nullptr;
  std::optional<SmallVector<int64_t>> shape =
      broadcastShape(ta.getShape(), tb.getShape());
  if (!shape)
    return nullptr;
  return RankedTensorType::get(*shape, ta.getElementType());
}

int64_t algebra::numElements(Type type) {
  return getNumElements(type).value_or(0);
}

SmallVector<int64_t> algebra::padShape(ArrayRef<int64_t> shape, int64_t rank) {
  SmallVector<int64_t> result;
  for (int64_t k = static_cast<int64_t>(shape.size()); k < rank; ++k)
    result.push_back(1);
  llvm::append_range(result, shape);
  return result;
}

std::optional<SmallVector<int64_t>>
algebra::reductionAxes(ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> result;
  if (axes.empty()) {
    for (int64_t k = 0; k < rank; ++k)
      result.push_back(k);
    return result;
  }
  for (int64_t a : axes) {
    if (a < -rank || a >= rank)
      return std::nullopt;
    result.push_back(a < 0 ? a + rank : a);
  }
  llvm::sort(result);
  result.erase(llvm::unique(result), result.end());
  return result;
}

//===----------------------------------------------------------------------===//
// ConstTensor
//===----------------------------------------------------------------------===//

bool ConstTensor::isFloat() const {
  return isa<FloatType>(type.getElementType());
}

double ConstTensor::round(double v) const {
  Type element = type.getElementType();
  if (element.isF64())
    return v;
  if (element.isF32())
    return static_cast<double>(static_cast<float>(v));
  auto floatType = cast<FloatType>(element);
  APFloat value(v);
  bool lost;
  value.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &lost);
  value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return value.convertToDouble();
}

int64_t ConstTensor::wrap(int64_t v) const {
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  if (width >= 64)
    return v;
  uint64_t mask = (uint64_t(1) << width) - 1;
  uint64_t bits = static_cast<uint64_t>(v) & mask;
  if (bits & (uint64_t(1) << (width - 1)))
    bits |= ~mask;
  return static_cast<int64_t>(bits);
}

static bool supportedElement(Type element) {
  if (isa<FloatType>(element))
    return true;
  auto integer = dyn_cast<IntegerType>(element);
  return integer && integer.getWidth() > 1 && integer.getWidth() <= 64;
}

std::optional<ConstTensor> ConstTensor::fromAttr(ElementsAttr attr,
                                                 int64_t maxElements) {
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.hasStaticShape() ||
      !supportedElement(type.getElementType()))
    return std::nullopt;
  int64_t n = numElements(type);
  ConstTensor result(type);
  Type element = type.getElementType();
  bool isFloat = isa<FloatType>(element);

  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat()) {
      if (isFloat) {
        APFloat v = dense.getSplatValue<APFloat>();
        bool lost;
        v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
        result.f.push_back(v.convertToDouble());
      } else {
        result.i.push_back(dense.getSplatValue<APInt>().getSExtValue());
      }
      return result;
    }
    if (n > maxElements)
      return std::nullopt;
    if (element.isF32()) {
      for (float v : dense.getValues<float>())
        result.f.push_back(v);
    } else if (element.isF64()) {
      for (double v : dense.getValues<double>())
        result.f.push_back(v);
    } else if (isFloat) {
      for (APFloat v : dense.getValues<APFloat>()) {
        bool lost;
        v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
        result.f.push_back(v.convertToDouble());
      }
    } else {
      for (const APInt &v : dense.getValues<APInt>())
        result.i.push_back(v.getSExtValue());
    }
    return result;
  }

  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource || n > maxElements)
    return std::nullopt;
  ArrayRef<char> data = resource.getData();
  unsigned width = element.getIntOrFloatBitWidth();
  if (width % 8 != 0 || width > 64 ||
      static_cast<int64_t>(data.size()) != n * static_cast<int64_t>(width / 8))
    return std::nullopt;
  auto load = [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> values(n);
    std::memcpy(values.data(), data.data(), n * sizeof(T));
    return values;
  };
  if (element.isF32()) {
    for (float v : load(float()))
      result.f.push_back(v);
  } else if (element.isF64()) {
    result.f = load(double());
  } else if (isFloat) {
    // 16-bit and other float formats: the raw bits, little-endian as
    // MLIR stores them, read through APFloat.
    const llvm::fltSemantics &semantics =
        cast<FloatType>(element).getFloatSemantics();
    unsigned bytes = width / 8;
    result.f.reserve(n);
    for (int64_t k = 0; k < n; ++k) {
      uint64_t bits = 0;
      std::memcpy(&bits, data.data() + k * bytes, bytes);
      APFloat v(semantics, APInt(width, bits));
      bool lost;
      v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      result.f.push_back(v.convertToDouble());
    }
  } else if (width == 8) {
    for (int8_t v : load(int8_t()))
      result.i.push_back(v);
  } else if (width == 16) {
    for (int16_t v : load(int16_t()))
      result.i.push_back(v);
  } else if (width == 32) {
    for (int32_t v : load(int32_t()))
      result.i.push_back(v);
  } else if (width == 64) {
    result.i = load(int64_t());
  } else {
    return std::nullopt;
  }
  return result;
}

std::optional<ConstTensor> ConstTensor::fromValue(Value v,
                                                  int64_t maxElements) {
  if (!v)
    return std::nullopt;
  auto constant = v.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  return fromAttr(constant.getValue(), maxElements);
}

bool ConstTensor::isReadable(Value v, int64_t maxElements, bool floatOnly) {
  auto constant = v ? v.getDefiningOp<ConstantOp>() : nullptr;
  if (!constant)
    return false;
  ElementsAttr attr = constant.getValue();
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.hasStaticShape() ||
      !supportedElement(type.getElementType()) ||
      (floatOnly && !isa<FloatType>(type.getElementType())))
    return false;
  int64_t n = numElements(type);
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return dense.isSplat() || n <= maxElements;
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource || n > maxElements)
    return false;
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  return width % 8 == 0 && width <= 64 &&
         static_cast<int64_t>(resource.getData().size()) ==
             n * static_cast<int64_t>(width / 8);
}

ConstTensor ConstTensor::splat(RankedTensorType type, double value) {
  ConstTensor result(type);
  if (result.isFloat())
    result.f.push_back(result.round(value));
  else
    result.i.push_back(result.wrap(static_cast<int64_t>(value)));
  return result;
}

ConstTensor ConstTensor::fromValues(RankedTensorType type,
                                    ArrayRef<double> values) {
  ConstTensor result(type);
  result.f.reserve(values.size());
  for (double v : values)
    result.f.push_back(result.round(v));
  return result;
}

bool ConstTensor::all(function_ref<bool(double)> pred) const {
  if (isFloat())
    return llvm::all_of(f, pred);
  return llvm::all_of(i,
                      [&](int64_t v) { return pred(static_cast<double>(v)); });
}

std::optional<ConstTensor>
ConstTensor::zip(const ConstTensor &a, const ConstTensor &b,
                 function_ref<double(double, double)> fn,
                 function_ref<int64_t(int64_t, int64_t)> intFn,
                 int64_t maxElements) {
  if (a.type.getElementType() != b.type.getElementType())
    return std::nullopt;
  if (!a.isFloat() && !intFn)
    return std::nullopt;
  RankedTensorType type = broadcastType(a.type, b.type);
  if (!type)
    return std::nullopt;
  ConstTensor result(type);
  bool isFloat = a.isFloat();
  if (a.isSplat() && b.isSplat()) {
    if (isFloat)
      result.f.push_back(result.round(fn(a.at(0), b.at(0))));
    else
      result.i.push_back(result.wrap(intFn(a.atInt(0), b.atInt(0))));
    return result;
  }
  int64_t n = numElements(type);
  if (n > maxElements)
    return std::nullopt;
  int64_t rank = type.getRank();
  // Strides of each operand in the result's index space (0 on broadcast
  // dimensions).
  auto strides = [&](const ConstTensor &t) {
    SmallVector<int64_t> shape = padShape(t.type.getShape(), rank);
    SmallVector<int64_t> s(rank, 0);
    int64_t stride = 1;
    for (int64_t k = rank - 1; k >= 0; --k) {
      s[k] = shape[k] == 1 ? 0 : stride;
      stride *= shape[k];
    }
    if (t.isSplat())
      std::fill(s.begin(), s.end(), 0);
    return s;
  };
  SmallVector<int64_t> sa = strides(a), sb = strides(b);
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> index(rank, 0);
  int64_t ia = 0, ib = 0;
  if (isFloat)
    result.f.reserve(n);
  else
    result.i.reserve(n);
  for (int64_t k = 0; k < n; ++k) {
    if (isFloat)
      result.f.push_back(result.round(fn(a.f[ia], b.f[ib])));
    else
      result.i.push_back(result.wrap(intFn(a.i[ia], b.i[ib])));
    // Advance the multi-index.
    for (int64_t d = rank - 1; d >= 0; --d) {
      ++index[d];
      ia += sa[d];
      ib += sb[d];
      if (index[d] < shape[d])
        break;
      ia -= sa[d] * shape[d];
      ib -= sb[d] * shape[d];
      index[d] = 0;
    }
  }
  return result;
}

ConstTensor ConstTensor::map(function_ref<double(double)> fn,
                             function_ref<int64_t(int64_t)> intFn) const {
  ConstTensor result(type);
  if (isFloat()) {
    result.f.reserve(f.size());
    for (double v : f)
      result.f.push_back(result.round(fn(v)));
  } else {
    result.i.reserve(i.size());
    for (int64_t v : i)
      result.i.push_back(result.wrap(
          intFn ? intFn(v) : static_cast<int64_t>(fn(static_cast<double>(v)))));
  }
  return result;
}

ConstTensor ConstTensor::reshape(ArrayRef<int64_t> shape) const {
  return withShape(RankedTensorType::get(shape, type.getElementType()));
}

ConstTensor ConstTensor::withShape(RankedTensorType newType) const {
  ConstTensor result(newType);
  result.f = f;
  result.i = i;
  return result;
}

ElementsAttr ConstTensor::toAttr() const {
  Type element = type.getElementType();
  if (isSplat()) {
    if (isFloat()) {
      APFloat v(at(0));
      bool lost;
      v.convert(cast<FloatType>(element).getFloatSemantics(),
                APFloat::rmNearestTiesToEven, &lost);
      return DenseElementsAttr::get(type, v);
    }
    return DenseElementsAttr::get(type, APInt(element.getIntOrFloatBitWidth(),
                                              static_cast<uint64_t>(atInt(0)),
                                              /*isSigned=*/true,
                                              /*implicitTrunc=*/true));
  }
  int64_t n = size();
  constexpr int64_t kInlineLimit = 16;
  if (n > kInlineLimit) {
    auto blob = [&](auto tag) {
      using T = decltype(tag);
      std::vector<T> values;
      values.reserve(n);
      if (isFloat())
        for (double v : f)
          values.push_back(static_cast<T>(v));
      else
        for (int64_t v : i)
          values.push_back(static_cast<T>(v));
      return DenseResourceElementsAttr::get(
          type, "dnnf_folded",
          HeapAsmResourceBlob::allocateAndCopyInferAlign<T>(values));
    };
    unsigned width = element.getIntOrFloatBitWidth();
    if (element.isF32())
      return blob(float());
    if (element.isF64())
      return blob(double());
    if (!isFloat()) {
      if (width == 8)
        return blob(int8_t());
      if (width == 16)
        return blob(int16_t());
      if (width == 32)
        return blob(int32_t());
      if (width == 64)
        return blob(int64_t());
    }
  }
  if (isFloat()) {
    SmallVector<APFloat> values;
    values.reserve(n);
    for (double v : f) {
      APFloat x(v);
      bool lost;
      x.convert(cast<FloatType>(element).getFloatSemantics(),
                APFloat::rmNearestTiesToEven, &lost);
      values.push_back(x);
    }
    return DenseElementsAttr::get(type, values);
  }
  SmallVector<APInt> values;
  values.reserve(n);
  for (int64_t v : i)
    values.push_back(APInt(element.getIntOrFloatBitWidth(),
                           static_cast<uint64_t>(v), /*isSigned=*/true,
                           /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, values);
}

bool algebra::isConstant(Value v) { return v && v.getDefiningOp<ConstantOp>(); }

std::optional<double> algebra::getUniformValue(Value v) {
  auto constant = v ? v.getDefiningOp<ConstantOp>() : nullptr;
  if (!constant)
    return std::nullopt;
  std::optional<ConstTensor> c =
      ConstTensor::fromAttr(constant.getValue(), /*maxElements=*/4096);
  if (!c)
    return std::nullopt;
  if (c->size() == 0)
    return std::nullopt;
  double first = c->get(0);
  bool uniform = c->all([&](double x) {
    return x == first || (std::isnan(x) && std::isnan(first));
  });
  if (!uniform)
    return std::nullopt;
  return first;
}

bool algebra::isUniformConstant(Value v, double x) {
  std::optional<double> value = getUniformValue(v);
  return value && *value == x && !std::signbit(*value) == !std::signbit(x);
}

//===----------------------------------------------------------------------===//
// Sign analysis
//===----------------------------------------------------------------------===//

bool algebra::isNeverNegative(Value v, unsigned depth) {
  if (!v || depth == 0)
    return false;
  if (isConstant(v)) {
    std::optional<ConstTensor> c = ConstTensor::fromValue(v, 1 << 16);
    return c && c->all([](double x) { return !(x < 0); });
  }
  Operation *op = v.getDefiningOp();
  if (!op)
    return false;
  auto nonNeg = [&](Value x) { return isNeverNegative(x, depth - 1); };
  if (isa<AbsOp, ExpOp, ReluOp, SigmoidOp, SoftplusOp, SoftmaxOp,
          ReduceSumSquareOp, ReduceL1Op, ReduceL2Op>(op))
    return true;
  if (isa<SqrtOp, ReciprocalOp, ReduceSumOp, ReduceMeanOp, ReduceMaxOp,
          ReduceMinOp, ReduceProdOp, ReshapeOp, FlattenOp, SqueezeOp,
          UnsqueezeOp, TransposeOp, ExpandOp, TileOp, GlobalAveragePoolOp,
          GlobalMaxPoolOp, MaxPoolOp, AveragePoolOp>(op))
    return nonNeg(op->getOperand(0));
  if (auto mul = dyn_cast<MulOp>(op))
    return mul.getLhs() == mul.getRhs() ||
           (nonNeg(mul.getLhs()) && nonNeg(mul.getRhs()));
  if (isa<AddOp, DivOp, MinOp>(op))
    return nonNeg(op->getOperand(0)) && nonNeg(op->getOperand(1));
  if (isa<MaxOp>(op))
    return nonNeg(op->getOperand(0)) || nonNeg(op->getOperand(1));
  if (auto pow = dyn_cast<PowOp>(op)) {
    if (nonNeg(pow.getLhs()))
      return true;
    std::optional<double> e = getUniformValue(pow.getRhs());
    return e && std::fmod(*e, 2.0) == 0.0;
  }
  if (auto clip = dyn_cast<ClipOp>(op)) {
    std::optional<APFloat> min = clip.getMin();
    return min && !min->isNegative();
  }
  return false;
}

bool algebra::isPositiveConstant(Value v) {
  std::optional<ConstTensor> c = ConstTensor::fromValue(v, 1 << 16);
  return c && c->all([](double x) { return x > 0; });
}

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

Value algebra::createConstant(OpBuilder &b, Location loc,
                              const ConstTensor &c) {
  return ConstantOp::create(b, loc, c.getType(), c.toAttr());
}

Value algebra::createSplat(OpBuilder &b, Location loc, RankedTensorType type,
                           double value) {
  return createConstant(b, loc, ConstTensor::splat(type, value));
}

StringRef algebra::getOpName(BinaryKind kind) {
  switch (kind) {
  case BinaryKind::Add:
    return AddOp::getOperationName();
  case BinaryKind::Sub:
    return SubOp::getOperationName();
  case BinaryKind::Mul:
    return MulOp::getOperationName();
  case BinaryKind::Div:
    return DivOp::getOperationName();
  }
  return AddOp::getOperationName();
}

std::optional<ConstTensor> algebra::foldBinary(BinaryKind kind, Value lhs,
                                               Value rhs, int64_t maxElements) {
  RankedTensorType type = broadcastType(lhs.getType(), rhs.getType());
  if (!type || !isConstant(lhs) || !isConstant(rhs) ||
      numElements(type) > maxElements)
    return std::nullopt;
  std::optional<ConstTensor> a = ConstTensor::fromValue(lhs, maxElements);
  std::optional<ConstTensor> c = ConstTensor::fromValue(rhs, maxElements);
  if (!a || !c)
    return std::nullopt;
  switch (kind) {
  case BinaryKind::Add:
    return ConstTensor::zip(
        *a, *c, [](double x, double y) { return x + y; },
        [](int64_t x, int64_t y) {
          return static_cast<int64_t>(static_cast<uint64_t>(x) +
                                      static_cast<uint64_t>(y));
        },
        maxElements);
  case BinaryKind::Sub:
    return ConstTensor::zip(
        *a, *c, [](double x, double y) { return x - y; },
        [](int64_t x, int64_t y) {
          return static_cast<int64_t>(static_cast<uint64_t>(x) -
                                      static_cast<uint64_t>(y));
        },
        maxElements);
  case BinaryKind::Mul:
    return ConstTensor::zip(
        *a, *c, [](double x, double y) { return x * y; },
        [](int64_t x, int64_t y) {
          return static_cast<int64_t>(static_cast<uint64_t>(x) *
                                      static_cast<uint64_t>(y));
        },
        maxElements);
  case BinaryKind::Div:
    if (!a->isFloat())
      return std::nullopt;
    return ConstTensor::zip(
        *a, *c, [](double x, double y) { return x / y; }, {}, maxElements);
  }
  return std::nullopt;
}

bool algebra::foldsBinary(BinaryKind kind, Type lhs, Type rhs, bool lhsConstant,
                          bool rhsConstant, int64_t maxElements) {
  if (!lhsConstant || !rhsConstant)
    return false;
  RankedTensorType type = broadcastType(lhs, rhs);
  if (!type || numElements(type) > maxElements)
    return false;
  if (kind == BinaryKind::Div && !isa<FloatType>(type.getElementType()))
    return false;
  return supportedElement(type.getElementType());
}

bool algebra::foldsBinary(BinaryKind kind, Value lhs, Value rhs,
                          int64_t maxElements) {
  return foldsBinary(kind, lhs.getType(), rhs.getType(), isConstant(lhs),
                     isConstant(rhs), maxElements);
}

Value algebra::createBinary(OpBuilder &b, Location loc, BinaryKind kind,
                            Value lhs, Value rhs, int64_t maxElements) {
  if (foldsBinary(kind, lhs, rhs, maxElements))
    if (std::optional<ConstTensor> folded =
            foldBinary(kind, lhs, rhs, maxElements))
      return createConstant(b, loc, *folded);
  RankedTensorType type = broadcastType(lhs.getType(), rhs.getType());
  switch (kind) {
  case BinaryKind::Add:
    return AddOp::create(b, loc, type, lhs, rhs, nullptr);
  case BinaryKind::Sub:
    return SubOp::create(b, loc, type, lhs, rhs, nullptr);
  case BinaryKind::Mul:
    return MulOp::create(b, loc, type, lhs, rhs, nullptr);
  case BinaryKind::Div:
    return DivOp::create(b, loc, type, lhs, rhs, nullptr);
  }
  return {};
}

Value algebra::createReshape(OpBuilder &b, Location loc, Value v,
                             RankedTensorType type) {
  if (v.getType() == type)
    return v;
  if (auto constant = v.getDefiningOp<ConstantOp>()) {
    ElementsAttr attr = constant.getValue();
    if (auto dense = dyn_cast<DenseElementsAttr>(attr))
      return ConstantOp::create(b, loc, type, dense.reshape(type));
    if (std::optional<ConstTensor> c =
            ConstTensor::fromAttr(attr, std::numeric_limits<int64_t>::max()))
      return createConstant(b, loc, c->withShape(type));
  }
  return ReshapeOp::create(b, loc, type, v, nullptr);
}

//===----------------------------------------------------------------------===//
// SavingEstimator
//===----------------------------------------------------------------------===//

void SavingEstimator::remove(Operation *op) {
  if (removed.insert(op).second)
    savedCost += estimateOpCost(op);
}

bool SavingEstimator::removeIfDead(Operation *op) {
  if (removed.contains(op))
    return true;
  if (isa<ConstantOp>(op))
    return false;
  for (Operation *user : op->getUsers())
    if (!removed.contains(user))
      return false;
  remove(op);
  return true;
}

void SavingEstimator::add(StringRef opName, TypeRange operandTypes,
                          TypeRange resultTypes, DictionaryAttr attrs) {
  addedCost += estimateOpCost(opName, operandTypes, resultTypes, attrs);
}

void SavingEstimator::addBinary(BinaryKind kind, Type lhs, Type rhs,
                                bool lhsConstant, bool rhsConstant,
                                int64_t maxElements) {
  if (foldsBinary(kind, lhs, rhs, lhsConstant, rhsConstant, maxElements))
    return;
  RankedTensorType result = broadcastType(lhs, rhs);
  if (!result)
    return;
  add(getOpName(kind), {lhs, rhs}, {result});
}

void SavingEstimator::addBinary(BinaryKind kind, Value lhs, Value rhs,
                                int64_t maxElements) {
  if (lhs == rhs) {
    // x op x reads x once.
    if (!isConstant(lhs))
      add(getOpName(kind), {lhs.getType()}, {lhs.getType()});
    return;
  }
  addBinary(kind, lhs.getType(), rhs.getType(), isConstant(lhs),
            isConstant(rhs), maxElements);
}

void SavingEstimator::addUnary(StringRef opName, Type type) {
  add(opName, {type}, {type});
}

Saving SavingEstimator::get() const {
  Saving s;
  s.flops = savedCost.flops - addedCost.flops;
  s.bytes = savedCost.bytes() - addedCost.bytes();
  return s;
}

//===----------------------------------------------------------------------===//
// Chains
//===----------------------------------------------------------------------===//

Chain algebra::collectChain(Operation *root, unsigned maxLeaves) {
  Chain chain;
  chain.root = root;
  OperationName name = root->getName();
  Type element = getElementTypeOrSelf(root->getResult(0).getType());
  // Depth-first, left to right.
  std::function<void(Operation *)> visit = [&](Operation *op) {
    chain.ops.push_back(op);
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      bool inner = def && def->getName() == name && operand.hasOneUse() &&
                   staticType(operand) &&
                   getElementTypeOrSelf(operand.getType()) == element &&
                   chain.leaves.size() + chain.ops.size() < 2 * maxLeaves;
      if (inner)
        visit(def);
      else
        chain.leaves.push_back(operand);
    }
  };
  visit(root);
  return chain;
}

ChainNode ChainNode::of(Value v) {
  ChainNode node;
  node.type = cast<RankedTensorType>(v.getType());
  node.value = v;
  node.constant = isConstant(v);
  return node;
}

std::optional<ChainPlan> algebra::planChain(ArrayRef<ChainNode> nodes,
                                            BinaryKind kind,
                                            int64_t maxElements) {
  if (nodes.empty())
    return std::nullopt;
  ChainPlan plan;
  struct Live {
    unsigned id;
    RankedTensorType type;
    Value value;
    bool constant;
  };
  SmallVector<Live> live;
  for (auto [k, node] : llvm::enumerate(nodes)) {
    if (!node.type || !node.type.hasStaticShape())
      return std::nullopt;
    live.push_back(
        {static_cast<unsigned>(k), node.type, node.value, node.constant});
  }
  unsigned nextId = nodes.size();
  while (live.size() > 1) {
    // Score every pair: (class, result elements, position).
    int bestClass = 4;
    int64_t bestSize = 0;
    size_t bestA = 0, bestB = 0;
    bool found = false;
    for (size_t a = 0; a < live.size(); ++a) {
      for (size_t b = a + 1; b < live.size(); ++b) {
        RankedTensorType type = broadcastType(live[a].type, live[b].type);
        if (!type)
          return std::nullopt;
        int64_t size = numElements(type);
        bool fold = live[a].constant && live[b].constant &&
                    foldsBinary(kind, live[a].type, live[b].type, true, true,
                                maxElements);
        bool same = live[a].value && live[a].value == live[b].value;
        int cls = fold ? 0 : same ? 1 : 2;
        if (!found || cls < bestClass ||
            (cls == bestClass && size < bestSize)) {
          found = true;
          bestClass = cls;
          bestSize = size;
          bestA = a;
          bestB = b;
        }
      }
    }
    Live &a = live[bestA];
    Live &b = live[bestB];
    RankedTensorType type = broadcastType(a.type, b.type);
    plan.steps.push_back({a.id, b.id});
    plan.types.push_back(type);
    plan.folded.push_back(bestClass == 0);
    Live merged{nextId++, type, Value(), bestClass == 0};
    live.erase(live.begin() + bestB);
    live[bestA] = merged;
  }
  plan.resultType = live.front().type;
  return plan;
}

void algebra::addPlanCost(SavingEstimator &estimator, ArrayRef<ChainNode> nodes,
                          const ChainPlan &plan, BinaryKind kind,
                          int64_t maxElements) {
  SmallVector<RankedTensorType> types;
  SmallVector<Value> values;
  for (const ChainNode &node : nodes) {
    types.push_back(node.type);
    values.push_back(node.value);
  }
  for (auto [step, type, folded] :
       llvm::zip(plan.steps, plan.types, plan.folded)) {
    if (!folded) {
      Value a = values[step.first], b = values[step.second];
      if (a && a == b)
        estimator.add(getOpName(kind), {types[step.first]}, {type});
      else
        estimator.add(getOpName(kind), {types[step.first], types[step.second]},
                      {type});
    }
    types.push_back(type);
    values.push_back(Value());
  }
}

void algebra::removeChain(SavingEstimator &estimator, const Chain &chain) {
  for (Operation *op : chain.ops)
    estimator.remove(op);
}

Value algebra::buildPlan(OpBuilder &b, Location loc, ArrayRef<Value> values,
                         const ChainPlan &plan, BinaryKind kind,
                         int64_t maxElements) {
  SmallVector<Value> all(values.begin(), values.end());
  for (auto step : plan.steps)
    all.push_back(createBinary(b, loc, kind, all[step.first], all[step.second],
                               maxElements));
  return all.back();
}
