//===- DnnfOps.cpp - dnnf operations --------------------------------------===//
//
// Verifiers, folders and result-type inference of the dnnf operations.
// Every check emits a precise diagnostic; nothing here may assert on user
// input, since ops are also built from Python and from ONNX files.
//
//===----------------------------------------------------------------------===//

#include "dnnf/IR/DnnfOps.h"
#include "ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::dnnf;
using namespace mlir::dnnf::shape;

#define GET_OP_CLASSES
#include "dnnf/IR/DnnfOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {
/// Checks `axis` against `rank` for an op verifier.
LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank,
                         StringRef what = "axis") {
  if (axis < -rank || axis >= rank)
    return op->emitOpError() << what << " " << axis << " is out of range ["
                             << -rank << ", " << rank << ")";
  return success();
}

/// Checks that a per-channel parameter has shape [channels].
LogicalResult verifyChannelParam(Operation *op, Value param, StringRef name,
                                 int64_t channels) {
  auto type = cast<RankedTensorType>(param.getType());
  auto input = cast<RankedTensorType>(op->getOperand(0).getType());
  if (type.getElementType() != input.getElementType())
    return op->emitOpError() << name << " has element type "
                             << type.getElementType() << " but the input has "
                             << input.getElementType();
  if (type.getRank() != 1)
    return op->emitOpError() << name << " must be 1-D [C], got rank "
                             << type.getRank();
  if (isStatic(channels) && isStatic(type.getDimSize(0)) &&
      type.getDimSize(0) != channels)
    return op->emitOpError() << name << " has " << type.getDimSize(0)
                             << " elements but the input has " << channels
                             << " channels";
  return success();
}

/// Checks an optional convolution bias: shape [channels], input's type.
LogicalResult verifyBias(std::optional<Location> loc, Value bias,
                         int64_t channels, Type elementType) {
  if (!bias)
    return success();
  FailureOr<RankedTensorType> bt = ranked(loc, bias, "bias");
  if (failed(bt))
    return failure();
  if (bt->getElementType() != elementType)
    return fail(loc, "bias has a different element type from the input");
  if (bt->getRank() != 1 || (isStatic(bt->getDimSize(0)) && isStatic(channels) &&
                             bt->getDimSize(0) != channels))
    return fail(loc, "bias must have shape " + str({channels}) + ", got " +
                         str(bt->getShape()));
  return success();
}

/// Output extent of a sliding window (convolution or pooling).
FailureOr<int64_t> windowOutputSize(std::optional<Location> loc, int64_t dim,
                                    int64_t kernel, int64_t stride,
                                    int64_t dilation, int64_t padBegin,
                                    int64_t padEnd, bool ceilMode,
                                    int64_t index) {
  if (isStatic(kernel) && kernel < 1) {
    (void)fail(loc, "kernel size of spatial dimension " + Twine(index) +
                        " must be >= 1, got " + Twine(kernel));
    return failure();
  }
  if (!isStatic(dim) || !isStatic(kernel))
    return ShapedType::kDynamic;
  FailureOr<int64_t> window = mul(loc, dilation, kernel - 1, "dilated window");
  if (failed(window))
    return failure();
  FailureOr<int64_t> padded = add(loc, dim, padBegin, "padded size");
  if (succeeded(padded))
    padded = add(loc, *padded, padEnd, "padded size");
  if (failed(padded))
    return failure();
  FailureOr<int64_t> effectiveOr = add(loc, *window, 1, "dilated window");
  if (failed(effectiveOr))
    return failure();
  int64_t effective = *effectiveOr;
  if (*padded < effective) {
    (void)fail(loc, "spatial dimension " + Twine(index) + " of size " +
                        Twine(dim) + " (padded by " + Twine(padBegin) + "+" +
                        Twine(padEnd) + ") is smaller than the window of " +
                        Twine(effective));
    return failure();
  }
  int64_t span = *padded - effective;
  int64_t out = (ceilMode ? ceilDiv(span, stride) : span / stride) + 1;
  // ONNX: with ceil_mode the last window must start inside the input or the
  // left padding, i.e. (out - 1) * stride < dim + padBegin (compared without
  // forming the product, which may overflow).
  if (ceilMode && out - 1 >= ceilDiv(dim + padBegin, stride))
    --out;
  return out;
}

/// Validates strides/dilations/pads of an N-D window op.
LogicalResult verifyWindowAttrs(std::optional<Location> loc, int64_t n,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> dilations,
                                ArrayRef<int64_t> pads) {
  if (static_cast<int64_t>(strides.size()) != n)
    return fail(loc, "strides has " + Twine(strides.size()) +
                         " entries, expected " + Twine(n));
  if (static_cast<int64_t>(dilations.size()) != n)
    return fail(loc, "dilations has " + Twine(dilations.size()) +
                         " entries, expected " + Twine(n));
  if (static_cast<int64_t>(pads.size()) != 2 * n)
    return fail(loc, "pads has " + Twine(pads.size()) + " entries, expected " +
                         Twine(2 * n));
  for (int64_t s : strides)
    if (s < 1)
      return fail(loc, "strides must be >= 1");
  for (int64_t d : dilations)
    if (d < 1)
      return fail(loc, "dilations must be >= 1");
  for (int64_t p : pads)
    if (p < 0)
      return fail(loc, "pads must be >= 0");
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// InherentAttrsWellFormed
//===----------------------------------------------------------------------===//

LogicalResult dnnf::detail::verifyInherentAttrsWellFormed(Operation *op) {
  // The only optional inherent attributes of dnnf ops; every other inherent
  // attribute is required or has a default, so a null value means that a
  // value of the wrong kind replaced it (possible through the generic syntax,
  // e.g. `<{}> {axis = 1.0 : f32}`), which the generated getters would
  // dereference.
  static constexpr StringLiteral optional[] = {"mapping", "min", "max",
                                               "scales"};
  std::optional<RegisteredOperationName> info = op->getRegisteredInfo();
  if (!info)
    return success();
  for (StringAttr name : info->getAttributeNames()) {
    if (llvm::is_contained(optional, name.getValue()))
      continue;
    std::optional<Attribute> value = op->getInherentAttr(name.getValue());
    if (value && !*value)
      return op->emitOpError("attribute '")
             << name.getValue()
             << "' is missing or has a value of the wrong kind";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError("approximate must be \"none\" or \"tanh\", got \"")
           << getApproximate() << "\"";
  return success();
}

LogicalResult ClipOp::verify() {
  // min > max is well defined in ONNX (every element becomes max).
  for (std::optional<APFloat> bound : {getMin(), getMax()})
    if (bound && bound->isNaN())
      return emitOpError("min and max must not be NaN");
  return success();
}

LogicalResult CastOp::verify() {
  if (getInput().getType().getShape() != getOutput().getType().getShape())
    return emitOpError("operand and result shapes differ: ")
           << getInput().getType() << " vs " << getOutput().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

LogicalResult ModOp::verify() {
  if (getFmod() != 0 && getFmod() != 1)
    return emitOpError("fmod must be 0 or 1, got ")
           << static_cast<int64_t>(getFmod());
  if (getFmod() == 0 && isa<FloatType>(getLhs().getType().getElementType()))
    return emitOpError("fmod must be 1 for floating-point operands");
  return success();
}

LogicalResult BitShiftOp::verify() {
  if (getDirection() != "left" && getDirection() != "right")
    return emitOpError("direction must be \"left\" or \"right\", got \"")
           << getDirection() << "\"";
  return success();
}

LogicalResult PReluOp::verify() {
  if (!broadcastsTo(getSlope().getType().getShape(),
                    getInput().getType().getShape()))
    return emitOpError("slope of type ")
           << getSlope().getType()
           << " does not broadcast unidirectionally to the input type "
           << getInput().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Softmax family, CumSum, normalisations
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, getAxis(), getInput().getType().getRank());
}
LogicalResult LogSoftmaxOp::verify() {
  return verifyAxis(*this, getAxis(), getInput().getType().getRank());
}
LogicalResult CumSumOp::verify() {
  return verifyAxis(*this, getAxis(), getInput().getType().getRank());
}

LogicalResult BatchNormOp::verify() {
  RankedTensorType in = getInput().getType();
  if (in.getRank() < 2)
    return emitOpError("input must be N x C x ..., got rank ") << in.getRank();
  int64_t c = in.getDimSize(1);
  Value params[] = {getScale(), getBias(), getMean(), getVariance()};
  StringRef names[] = {"scale", "bias", "mean", "variance"};
  for (auto [v, name] : llvm::zip(params, names))
    if (failed(verifyChannelParam(*this, v, name, c)))
      return failure();
  if (getEpsilon().convertToDouble() < 0)
    return emitOpError("epsilon must be non-negative");
  return success();
}

LogicalResult InstanceNormOp::verify() {
  RankedTensorType in = getInput().getType();
  if (in.getRank() < 3)
    return emitOpError("input must be N x C x D1 x ..., got rank ")
           << in.getRank();
  int64_t c = in.getDimSize(1);
  if (failed(verifyChannelParam(*this, getScale(), "scale", c)) ||
      failed(verifyChannelParam(*this, getBias(), "bias", c)))
    return failure();
  return success();
}

LogicalResult LayerNormOp::verify() {
  RankedTensorType in = getInput().getType();
  int64_t rank = in.getRank();
  if (failed(verifyAxis(*this, getAxis(), rank)))
    return failure();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> normalized = in.getShape().drop_front(axis);
  for (Value param : {getScale(), getBias()}) {
    if (!param)
      continue;
    auto type = cast<RankedTensorType>(param.getType());
    if (type.getElementType() != in.getElementType())
      return emitOpError("parameter of type ")
             << type << " has a different element type from the input " << in;
    if (!broadcastsTo(type.getShape(), normalized))
      return emitOpError("parameter of type ")
             << param.getType()
             << " does not broadcast to the normalised dimensions of "
             << in;
  }
  return success();
}

LogicalResult LRNOp::verify() {
  if (getInput().getType().getRank() < 3)
    return emitOpError("input must be N x C x D1 x ..., got rank ")
           << getInput().getType().getRank();
  if (static_cast<int64_t>(getSize()) < 1)
    return emitOpError("size must be >= 1, got ")
           << static_cast<int64_t>(getSize());
  return success();
}

//===----------------------------------------------------------------------===//
// Gemm
//===----------------------------------------------------------------------===//

LogicalResult GemmOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> a = ranked(loc, adaptor.getA(), "a");
  FailureOr<RankedTensorType> b = ranked(loc, adaptor.getB(), "b");
  if (failed(a) || failed(b))
    return failure();
  if (a->getRank() != 2 || b->getRank() != 2)
    return fail(loc, "gemm operands must be 2-D, got ranks " +
                         Twine(a->getRank()) + " and " + Twine(b->getRank()));
  int64_t m = a->getDimSize(adaptor.getTransA() ? 1 : 0);
  int64_t ka = a->getDimSize(adaptor.getTransA() ? 0 : 1);
  int64_t kb = b->getDimSize(adaptor.getTransB() ? 1 : 0);
  int64_t n = b->getDimSize(adaptor.getTransB() ? 0 : 1);
  if (isStatic(ka) && isStatic(kb) && ka != kb)
    return fail(loc, "gemm contraction dimensions differ: " + Twine(ka) +
                         " vs " + Twine(kb));
  SmallVector<int64_t> shape = {m, n};
  if (Value c = adaptor.getC()) {
    FailureOr<RankedTensorType> ct = ranked(loc, c, "c");
    if (failed(ct))
      return failure();
    if (ct->getElementType() != a->getElementType())
      return fail(loc, "gemm c has a different element type from a and b");
    if (!broadcastsTo(ct->getShape(), shape))
      return fail(loc, "gemm c does not broadcast unidirectionally to M x N");
  }
  results.push_back(RankedTensorType::get(shape, a->getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

namespace {
struct EinsumTerm {
  std::string labels; // Explicit labels in order; '.' marks the ellipsis.
  bool hasEllipsis = false;
};

/// Parses one comma-separated term; returns failure on a bad character.
LogicalResult parseEinsumTerm(StringRef text, EinsumTerm &term) {
  text = text.trim();
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (term.hasEllipsis || !text.substr(i).starts_with("..."))
        return failure();
      term.hasEllipsis = true;
      term.labels.push_back('.');
      i += 2;
      continue;
    }
    if (c == ' ')
      continue;
    if (!llvm::isAlpha(c))
      return failure();
    term.labels.push_back(c);
  }
  return success();
}
} // namespace

LogicalResult EinsumOp::verify() {
  StringRef eq = getEquation();
  auto [lhs, rhs] = eq.split("->");
  bool explicitOutput = eq.contains("->");
  SmallVector<StringRef> termTexts;
  lhs.split(termTexts, ',');
  if (termTexts.size() != getInputs().size())
    return emitOpError("equation '")
           << eq << "' has " << termTexts.size() << " input terms but "
           << getInputs().size() << " operands were given";
  Type elementType = getOutput().getType().getElementType();
  for (auto [idx, value] : llvm::enumerate(getInputs()))
    if (cast<RankedTensorType>(value.getType()).getElementType() !=
        elementType)
      return emitOpError("operand #")
             << idx << " has a different element type from the result";
  llvm::DenseMap<char, int64_t> sizes;
  llvm::DenseMap<char, int> counts;
  SmallVector<int64_t> ellipsisShape;
  bool anyEllipsis = false;
  for (auto [idx, text, value] :
       llvm::enumerate(termTexts, getInputs())) {
    EinsumTerm term;
    if (failed(parseEinsumTerm(text, term)))
      return emitOpError("malformed term '") << text << "' in equation '"
                                             << eq << "'";
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(value.getType()).getShape();
    int64_t explicitCount =
        static_cast<int64_t>(term.labels.size()) - (term.hasEllipsis ? 1 : 0);
    int64_t ellipsisRank = static_cast<int64_t>(shape.size()) - explicitCount;
    if (ellipsisRank < 0 || (!term.hasEllipsis && ellipsisRank != 0))
      return emitOpError("operand #")
             << idx << " has rank " << shape.size() << " but term '" << text
             << "' names " << explicitCount << " dimensions";
    int64_t dim = 0;
    for (char c : term.labels) {
      if (c == '.') {
        anyEllipsis = true;
        SmallVector<int64_t> b;
        if (failed(dnnf::detail::broadcastShapes(
                {ellipsisShape, shape.slice(dim, ellipsisRank)}, b)))
          return emitOpError("ellipsis dimensions of operand #")
                 << idx << " do not broadcast";
        ellipsisShape = b;
        dim += ellipsisRank;
        continue;
      }
      int64_t d = shape[dim++];
      ++counts[c];
      auto [it, inserted] = sizes.try_emplace(c, d);
      if (!inserted && isStatic(it->second) && isStatic(d) &&
          it->second != d)
        return emitOpError("label '")
               << c << "' has sizes " << it->second << " and " << d;
      if (inserted || !isStatic(it->second))
        it->second = d;
    }
  }
  // Output labels: explicit, or (implicit mode) the labels used once, in
  // alphabetical order, after the ellipsis dimensions.
  EinsumTerm out;
  if (explicitOutput) {
    if (failed(parseEinsumTerm(rhs, out)))
      return emitOpError("malformed output term '") << rhs << "'";
    if (out.hasEllipsis && !anyEllipsis)
      return emitOpError("output term '")
             << rhs << "' has an ellipsis but no input term has one";
    llvm::SmallSet<char, 16> seen;
    for (char c : out.labels)
      if (c != '.' && !seen.insert(c).second)
        return emitOpError("output label '") << c << "' is repeated";
  } else {
    out.hasEllipsis = anyEllipsis;
    if (out.hasEllipsis)
      out.labels.push_back('.');
    SmallVector<char> once;
    for (auto [c, n] : counts)
      if (n == 1)
        once.push_back(c);
    llvm::sort(once);
    out.labels.append(once.begin(), once.end());
  }
  SmallVector<int64_t> expected;
  for (char c : out.labels) {
    if (c == '.') {
      expected.append(ellipsisShape);
      continue;
    }
    auto it = sizes.find(c);
    if (it == sizes.end())
      return emitOpError("output label '") << c << "' appears in no input";
    expected.push_back(it->second);
  }
  ArrayRef<int64_t> actual = getOutput().getType().getShape();
  if (actual.size() != expected.size())
    return emitOpError("result has rank ")
           << actual.size() << " but the equation yields rank "
           << expected.size();
  for (auto [i, e, a] : llvm::enumerate(expected, actual))
    if (isStatic(e) && isStatic(a) && e != a)
      return emitOpError("result dimension ")
             << i << " is " << a << " but the equation yields " << e;
  return success();
}

//===----------------------------------------------------------------------===//
// Convolutions and pooling
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> in = ranked(loc, adaptor.getInput(), "input");
  FailureOr<RankedTensorType> w = ranked(loc, adaptor.getWeight(), "weight");
  if (failed(in) || failed(w))
    return failure();
  int64_t rank = in->getRank();
  if (rank < 3)
    return fail(loc, "conv input must be N x C x D1 x ..., got rank " +
                         Twine(rank));
  if (w->getRank() != rank)
    return fail(loc, "conv weight has rank " + Twine(w->getRank()) +
                         ", expected " + Twine(rank));
  int64_t n = rank - 2;
  if (failed(verifyWindowAttrs(loc, n, adaptor.getStrides(),
                               adaptor.getDilations(), adaptor.getPads())))
    return failure();
  int64_t group = static_cast<int64_t>(adaptor.getGroup());
  if (group < 1)
    return fail(loc, "group must be >= 1");
  int64_t c = in->getDimSize(1), wc = w->getDimSize(1), m = w->getDimSize(0);
  if (isStatic(c) && isStatic(wc) && c != wc * group)
    return fail(loc, "conv input has " + Twine(c) +
                         " channels but weight expects " + Twine(wc) + " x " +
                         Twine(group) + " groups");
  if (isStatic(m) && m % group != 0)
    return fail(loc, "conv output channels " + Twine(m) +
                         " are not divisible by group " + Twine(group));
  if (failed(verifyBias(loc, adaptor.getBias(), m, in->getElementType())))
    return failure();
  SmallVector<int64_t> shape = {in->getDimSize(0), m};
  for (int64_t i = 0; i < n; ++i) {
    FailureOr<int64_t> d = windowOutputSize(
        loc, in->getDimSize(i + 2), w->getDimSize(i + 2),
        adaptor.getStrides()[i], adaptor.getDilations()[i],
        adaptor.getPads()[i], adaptor.getPads()[i + n], false, i);
    if (failed(d))
      return failure();
    shape.push_back(*d);
  }
  results.push_back(RankedTensorType::get(shape, in->getElementType()));
  return success();
}

LogicalResult ConvTransposeOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> in = ranked(loc, adaptor.getInput(), "input");
  FailureOr<RankedTensorType> w = ranked(loc, adaptor.getWeight(), "weight");
  if (failed(in) || failed(w))
    return failure();
  int64_t rank = in->getRank();
  if (rank < 3 || w->getRank() != rank)
    return fail(loc, "conv_transpose expects input and weight of equal rank "
                     ">= 3");
  int64_t n = rank - 2;
  if (failed(verifyWindowAttrs(loc, n, adaptor.getStrides(),
                               adaptor.getDilations(), adaptor.getPads())))
    return failure();
  ArrayRef<int64_t> outPad = adaptor.getOutputPadding();
  if (static_cast<int64_t>(outPad.size()) != n)
    return fail(loc, "output_padding has " + Twine(outPad.size()) +
                         " entries, expected " + Twine(n));
  int64_t group = static_cast<int64_t>(adaptor.getGroup());
  if (group < 1)
    return fail(loc, "group must be >= 1");
  int64_t c = in->getDimSize(1), wc = w->getDimSize(0);
  if (isStatic(c) && isStatic(wc) && c != wc)
    return fail(loc, "conv_transpose input has " + Twine(c) +
                         " channels but weight expects " + Twine(wc));
  if (isStatic(c) && c % group != 0)
    return fail(loc, "conv_transpose input channels " + Twine(c) +
                         " are not divisible by group " + Twine(group));
  int64_t m = ShapedType::kDynamic;
  if (isStatic(w->getDimSize(1))) {
    FailureOr<int64_t> channels =
        mul(loc, w->getDimSize(1), group, "output channel count");
    if (failed(channels))
      return failure();
    m = *channels;
  }
  if (failed(verifyBias(loc, adaptor.getBias(), m, in->getElementType())))
    return failure();
  SmallVector<int64_t> shape = {in->getDimSize(0), m};
  for (int64_t i = 0; i < n; ++i) {
    int64_t s = adaptor.getStrides()[i], dil = adaptor.getDilations()[i];
    if (outPad[i] < 0)
      return fail(loc, "output_padding must be non-negative");
    int64_t d = in->getDimSize(i + 2), k = w->getDimSize(i + 2);
    if (isStatic(k) && k < 1)
      return fail(loc, "kernel size of spatial dimension " + Twine(i) +
                           " must be >= 1, got " + Twine(k));
    if (!isStatic(d) || !isStatic(k)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    // s * (d - 1) + output_padding + dil * (k - 1) + 1 - pads, checked.
    const char *what = "conv_transpose output size";
    FailureOr<int64_t> o = mul(loc, s, d - 1, what);
    FailureOr<int64_t> win = mul(loc, dil, k - 1, what);
    if (failed(o) || failed(win))
      return failure();
    for (int64_t term : {outPad[i], *win, int64_t(1), -adaptor.getPads()[i],
                         -adaptor.getPads()[i + n]}) {
      o = add(loc, *o, term, what);
      if (failed(o))
        return failure();
    }
    if (*o < 1)
      return fail(loc, "conv_transpose output dimension " + Twine(i) +
                           " would be " + Twine(*o));
    shape.push_back(*o);
  }
  results.push_back(RankedTensorType::get(shape, in->getElementType()));
  return success();
}

static LogicalResult inferPool(std::optional<Location> loc, Value input,
                               ArrayRef<int64_t> kernel,
                               ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> pads,
                               ArrayRef<int64_t> dilations, bool ceilMode,
                               SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> in = ranked(loc, input, "input");
  if (failed(in))
    return failure();
  int64_t rank = in->getRank();
  if (rank < 3)
    return fail(loc, "pooling input must be N x C x D1 x ..., got rank " +
                         Twine(rank));
  int64_t n = rank - 2;
  if (static_cast<int64_t>(kernel.size()) != n)
    return fail(loc, "kernel_shape has " + Twine(kernel.size()) +
                         " entries, expected " + Twine(n));
  for (int64_t k : kernel)
    if (k < 1)
      return fail(loc, "kernel_shape entries must be >= 1");
  if (failed(verifyWindowAttrs(loc, n, strides, dilations, pads)))
    return failure();
  SmallVector<int64_t> shape(in->getShape().take_front(2));
  for (int64_t i = 0; i < n; ++i) {
    FailureOr<int64_t> d =
        windowOutputSize(loc, in->getDimSize(i + 2), kernel[i], strides[i],
                         dilations[i], pads[i], pads[i + n], ceilMode, i);
    if (failed(d))
      return failure();
    shape.push_back(*d);
  }
  results.push_back(RankedTensorType::get(shape, in->getElementType()));
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  return inferPool(loc, adaptor.getInput(), adaptor.getKernelShape(),
                   adaptor.getStrides(), adaptor.getPads(),
                   adaptor.getDilations(), adaptor.getCeilMode(), results);
}

LogicalResult AveragePoolOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &results) {
  SmallVector<int64_t> ones(adaptor.getKernelShape().size(), 1);
  return inferPool(loc, adaptor.getInput(), adaptor.getKernelShape(),
                   adaptor.getStrides(), adaptor.getPads(), ones,
                   adaptor.getCeilMode(), results);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  RankedTensorType in = getInput().getType(), out = getOutput().getType();
  FailureOr<int64_t> inCount = product(getLoc(), in.getShape(), "element count");
  FailureOr<int64_t> outCount =
      product(getLoc(), out.getShape(), "element count");
  if (failed(inCount) || failed(outCount))
    return failure();
  if (isStatic(*inCount) && isStatic(*outCount) && *inCount != *outCount)
    return emitOpError("cannot reshape ")
           << in << " (" << *inCount << " elements) to " << out << " ("
           << *outCount << " elements)";
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  // reshape(reshape(x)) -> reshape(x).
  if (auto producer = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(producer.getInput());
    return getResult();
  }
  return {};
}

LogicalResult ExpandOp::verify() {
  if (!broadcastsTo(getInput().getType().getShape(),
                    getOutput().getType().getShape()))
    return emitOpError("input type ")
           << getInput().getType() << " does not broadcast to result type "
           << getOutput().getType();
  return success();
}

template <typename OpT>
static LogicalResult inferBlockShuffle(std::optional<Location> loc,
                                       typename OpT::Adaptor adaptor,
                                       bool toSpace,
                                       SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> in = ranked(loc, adaptor.getInput(), "input");
  if (failed(in))
    return failure();
  if (in->getRank() != 4)
    return fail(loc, "expected a 4-D N x C x H x W input, got rank " +
                         Twine(in->getRank()));
  int64_t b = static_cast<int64_t>(adaptor.getBlocksize());
  if (b < 1)
    return fail(loc, "blocksize must be >= 1");
  FailureOr<int64_t> b2 = mul(loc, b, b, "blocksize squared");
  if (failed(b2))
    return failure();
  SmallVector<int64_t> shape(in->getShape());
  auto scale = [&](int64_t &d, bool multiply, int64_t f, StringRef what) {
    if (!isStatic(d))
      return success();
    if (!multiply) {
      if (d % f != 0)
        return fail(loc, Twine(what) + " " + Twine(d) +
                             " is not divisible by " + Twine(f));
      d /= f;
      return success();
    }
    FailureOr<int64_t> r = mul(loc, d, f, what);
    if (failed(r))
      return failure();
    d = *r;
    return success();
  };
  if (toSpace) {
    if (failed(scale(shape[1], false, *b2, "channel count")) ||
        failed(scale(shape[2], true, b, "height")) ||
        failed(scale(shape[3], true, b, "width")))
      return failure();
  } else {
    if (failed(scale(shape[2], false, b, "height")) ||
        failed(scale(shape[3], false, b, "width")) ||
        failed(scale(shape[1], true, *b2, "channel count")))
      return failure();
  }
  results.push_back(RankedTensorType::get(shape, in->getElementType()));
  return success();
}

LogicalResult DepthToSpaceOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &results) {
  if (adaptor.getMode() != "DCR" && adaptor.getMode() != "CRD")
    return fail(loc, "mode must be \"DCR\" or \"CRD\", got \"" +
                         adaptor.getMode() + "\"");
  return inferBlockShuffle<DepthToSpaceOp>(loc, adaptor, true, results);
}

LogicalResult SpaceToDepthOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &results) {
  return inferBlockShuffle<SpaceToDepthOp>(loc, adaptor, false, results);
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> in = ranked(loc, adaptor.getInput(), "input");
  FailureOr<RankedTensorType> idx =
      ranked(loc, adaptor.getIndices(), "indices");
  if (failed(in) || failed(idx))
    return failure();
  int64_t rank = in->getRank();
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  if (rank == 0)
    return fail(loc, "gather input must have rank >= 1");
  if (axis < -rank || axis >= rank)
    return fail(loc, "gather axis " + Twine(axis) + " is out of range [" +
                         Twine(-rank) + ", " + Twine(rank) + ")");
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> shape(in->getShape().take_front(axis));
  llvm::append_range(shape, idx->getShape());
  llvm::append_range(shape, in->getShape().drop_front(axis + 1));
  results.push_back(RankedTensorType::get(shape, in->getElementType()));
  return success();
}

static const llvm::StringSet<> &resizeModes() {
  static const llvm::StringSet<> modes = {"nearest", "linear", "cubic"};
  return modes;
}

LogicalResult ResizeOp::verify() {
  RankedTensorType in = getInput().getType(), out = getOutput().getType();
  if (in.getRank() != out.getRank())
    return emitOpError("input rank ")
           << in.getRank() << " differs from result rank " << out.getRank();
  if (!resizeModes().contains(getMode()))
    return emitOpError("mode must be nearest, linear or cubic, got \"")
           << getMode() << "\"";
  static const llvm::StringSet<> coordModes = {
      "half_pixel", "half_pixel_symmetric", "pytorch_half_pixel",
      "align_corners", "asymmetric", "tf_half_pixel_for_nn"};
  if (!coordModes.contains(getCoordinateTransformationMode()))
    return emitOpError("unknown coordinate_transformation_mode \"")
           << getCoordinateTransformationMode() << "\"";
  static const llvm::StringSet<> nearestModes = {
      "round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
  if (!nearestModes.contains(getNearestMode()))
    return emitOpError("unknown nearest_mode \"") << getNearestMode() << "\"";
  if (std::optional<ArrayRef<double>> scales = getScales()) {
    if (static_cast<int64_t>(scales->size()) != in.getRank())
      return emitOpError("scales has ")
             << scales->size() << " entries, expected " << in.getRank();
    for (double s : *scales)
      if (!(s > 0))
        return emitOpError("scales must be positive");
  }
  return success();
}

LogicalResult PadOp::verify() {
  static const llvm::StringSet<> modes = {"constant", "reflect", "edge",
                                          "wrap"};
  if (!modes.contains(getMode()))
    return emitOpError("mode must be constant, reflect, edge or wrap, got \"")
           << getMode() << "\"";
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> in = ranked(loc, adaptor.getInput(), "input");
  if (failed(in))
    return failure();
  ArrayRef<int64_t> starts = adaptor.getStarts(), ends = adaptor.getEnds(),
                    axes = adaptor.getAxes(), steps = adaptor.getSteps();
  if (starts.size() != ends.size() || starts.size() != axes.size() ||
      starts.size() != steps.size())
    return fail(loc, "starts, ends, axes and steps must have the same length");
  int64_t rank = in->getRank();
  SmallVector<int64_t> shape(in->getShape());
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t axis = axes[i];
    if (axis < -rank || axis >= rank)
      return fail(loc, "slice axis " + Twine(axis) + " is out of range [" +
                           Twine(-rank) + ", " + Twine(rank) + ")");
    if (axis < 0)
      axis += rank;
    if (seen[axis])
      return fail(loc, "slice axis " + Twine(axes[i]) + " is repeated");
    seen[axis] = true;
    int64_t step = steps[i];
    if (step == 0)
      return fail(loc, "slice steps must be non-zero");
    int64_t dim = shape[axis];
    if (!isStatic(dim))
      continue;
    auto clampIndex = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0)
        v = v < -dim ? lo : v + dim; // avoids overflow for INT64_MIN
      return std::clamp(v, lo, hi);
    };
    // Clamped indices lie in [-1, dim], so the span cannot overflow; the
    // step magnitude is taken unsigned (|INT64_MIN| does not fit int64_t).
    uint64_t magnitude = step > 0 ? uint64_t(step) : 0 - uint64_t(step);
    int64_t start, end;
    if (step > 0) {
      start = clampIndex(starts[i], 0, dim);
      end = clampIndex(ends[i], 0, dim);
    } else {
      start = clampIndex(starts[i], -1, dim - 1);
      end = ends[i] < -dim ? -1 : clampIndex(ends[i], -1, dim - 1);
      std::swap(start, end);
    }
    uint64_t span = end > start ? uint64_t(end - start) : 0;
    shape[axis] = static_cast<int64_t>(span / magnitude +
                                       (span % magnitude != 0 ? 1 : 0));
  }
  results.push_back(RankedTensorType::get(shape, in->getElementType()));
  return success();
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> in = ranked(loc, adaptor.getInput(), "input");
  if (failed(in))
    return failure();
  int64_t rank = in->getRank();
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  if (axis < -rank || axis >= rank)
    return fail(loc, "split axis " + Twine(axis) + " is out of range [" +
                         Twine(-rank) + ", " + Twine(rank) + ")");
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> sizes = adaptor.getSizes();
  if (sizes.empty())
    return fail(loc, "split needs at least one size");
  int64_t total = 0;
  for (int64_t s : sizes) {
    if (s < 0)
      return fail(loc, "split sizes must be non-negative");
    FailureOr<int64_t> sum = add(loc, total, s, "sum of split sizes");
    if (failed(sum))
      return failure();
    total = *sum;
  }
  int64_t dim = in->getDimSize(axis);
  if (isStatic(dim) && total != dim)
    return fail(loc, "split sizes sum to " + Twine(total) + " but axis " +
                         Twine(axis) + " has size " + Twine(dim));
  for (int64_t s : sizes) {
    SmallVector<int64_t> shape(in->getShape());
    shape[axis] = s;
    results.push_back(RankedTensorType::get(shape, in->getElementType()));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// FusedOp
//===----------------------------------------------------------------------===//

MappingType FusedOp::computeMappingType() { return getMapping(); }

LogicalResult FusedOp::verifyRegions() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError("body has ")
           << body.getNumArguments() << " arguments but the op has "
           << getInputs().size() << " inputs";
  for (auto [i, arg, input] :
       llvm::enumerate(body.getArguments(), getInputs()))
    if (arg.getType() != input.getType())
      return emitOpError("body argument #")
             << i << " has type " << arg.getType() << " but input #" << i
             << " has type " << input.getType();
  auto yield = body.empty() ? YieldOp() : dyn_cast<YieldOp>(body.back());
  if (!yield)
    return emitOpError("body must end with dnnf.yield");
  if (yield.getValues().getTypes() != getResultTypes()) {
    InFlightDiagnostic diag = yield.emitOpError("yields (");
    llvm::interleaveComma(yield.getValues().getTypes(), diag);
    diag << ") but the enclosing dnnf.fused returns (";
    llvm::interleaveComma(getResultTypes(), diag);
    return diag << ")";
  }
  return success();
}
