//===- CostModel.cpp - FLOP and memory cost of dnnf ops -------------------===//

#include "dnnf/Analysis/CostModel.h"
#include "dnnf/IR/DnnfOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"

#include <limits>

using namespace mlir;
using namespace mlir::dnnf;

//===----------------------------------------------------------------------===//
// Saturating arithmetic: shapes come from user files.
//===----------------------------------------------------------------------===//

static constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

static int64_t satAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    return a < 0 ? std::numeric_limits<int64_t>::min() : kMax;
  return r;
}

static int64_t satMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    return kMax;
  return r;
}

int64_t OpCost::bytes() const { return satAdd(bytesRead, bytesWritten); }

OpCost &OpCost::operator+=(const OpCost &other) {
  flops = satAdd(flops, other.flops);
  bytesRead = satAdd(bytesRead, other.bytesRead);
  bytesWritten = satAdd(bytesWritten, other.bytesWritten);
  known = known && other.known;
  return *this;
}

OpCost &OpCost::operator-=(const OpCost &other) {
  flops = satAdd(flops, -other.flops);
  bytesRead = satAdd(bytesRead, -other.bytesRead);
  bytesWritten = satAdd(bytesWritten, -other.bytesWritten);
  known = known && other.known;
  return *this;
}

std::optional<int64_t> dnnf::getNumElements(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return std::nullopt;
  int64_t n = 1;
  for (int64_t d : shaped.getShape()) {
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return std::nullopt;
  }
  return n;
}

std::optional<int64_t> dnnf::getNumBytes(Type type) {
  std::optional<int64_t> n = getNumElements(type);
  if (!n)
    return std::nullopt;
  Type element = cast<ShapedType>(type).getElementType();
  if (!element.isIntOrFloat())
    return std::nullopt;
  int64_t width = (element.getIntOrFloatBitWidth() + 7) / 8;
  int64_t bytes;
  if (__builtin_mul_overflow(*n, width, &bytes))
    return std::nullopt;
  return bytes;
}

//===----------------------------------------------------------------------===//
// Per-op costs
//===----------------------------------------------------------------------===//

namespace {
enum class Kind {
  Free,        // constants, ops of other dialects
  Elementwise, // one operation per result element
  Conversion,  // cast: no arithmetic
  Movement,    // data movement: no arithmetic
  Reduce,      // one per input element
  ReduceMean,  // one per input element + one per result element
  ReduceTwice, // two per input element (l1, sum_square)
  ReduceL2,    // two per input element + one per result element
  ReduceLogSumExp,
  Softmax,
  CumSum,
  BatchNorm,
  Norm, // instance_norm, layer_norm
  LRN,
  MatMul,
  Gemm,
  Einsum,
  Conv,
  ConvTranspose,
  Pool,
  AvgPool,
  GlobalPool,
  GlobalAvgPool,
  Resize,
  Fused,
};
} // namespace

static Kind classify(StringRef name) {
  if (!name.consume_front("dnnf."))
    return Kind::Free;
  return llvm::StringSwitch<Kind>(name)
      .Case("constant", Kind::Free)
      .Case("yield", Kind::Free)
      .Case("cast", Kind::Conversion)
      .Cases({"reduce_sum", "reduce_max", "reduce_min", "reduce_prod",
              "arg_max", "arg_min"},
             Kind::Reduce)
      .Cases({"reduce_mean", "reduce_log_sum"}, Kind::ReduceMean)
      .Cases({"reduce_l1", "reduce_sum_square"}, Kind::ReduceTwice)
      .Case("reduce_l2", Kind::ReduceL2)
      .Case("reduce_log_sum_exp", Kind::ReduceLogSumExp)
      .Cases({"softmax", "log_softmax"}, Kind::Softmax)
      .Case("cumsum", Kind::CumSum)
      .Case("batch_norm", Kind::BatchNorm)
      .Cases({"instance_norm", "layer_norm"}, Kind::Norm)
      .Case("lrn", Kind::LRN)
      .Case("matmul", Kind::MatMul)
      .Case("gemm", Kind::Gemm)
      .Case("einsum", Kind::Einsum)
      .Case("conv", Kind::Conv)
      .Case("conv_transpose", Kind::ConvTranspose)
      .Case("max_pool", Kind::Pool)
      .Case("average_pool", Kind::AvgPool)
      .Case("global_max_pool", Kind::GlobalPool)
      .Case("global_average_pool", Kind::GlobalAvgPool)
      .Case("resize", Kind::Resize)
      .Case("fused", Kind::Fused)
      .Cases({"reshape", "flatten", "squeeze", "unsqueeze", "transpose",
              "depth_to_space", "space_to_depth", "expand", "tile", "gather",
              "pad", "concat", "slice", "split"},
             Kind::Movement)
      .Default(Kind::Elementwise);
}

/// Elements of `type`, or nullopt (dynamic shape).
static std::optional<int64_t> elems(Type type) { return getNumElements(type); }

static std::optional<int64_t> dim(Type type, int64_t index) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return std::nullopt;
  int64_t rank = shaped.getRank();
  if (index < 0)
    index += rank;
  if (index < 0 || index >= rank || shaped.isDynamicDim(index))
    return std::nullopt;
  return shaped.getDimSize(index);
}

/// Product of dims [from, rank) of `type`.
static std::optional<int64_t> trailingProduct(Type type, int64_t from) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return std::nullopt;
  int64_t n = 1;
  for (int64_t d : shaped.getShape().drop_front(
           std::min<int64_t>(from, shaped.getRank())))
    n = satMul(n, d);
  return n;
}

static bool boolAttr(DictionaryAttr attrs, StringRef name) {
  if (!attrs)
    return false;
  auto attr = attrs.getAs<BoolAttr>(name);
  return attr && attr.getValue();
}

/// Operations of `kind` (nullopt when a shape is dynamic).
static std::optional<int64_t> countFlops(Kind kind, TypeRange operands,
                                         TypeRange results,
                                         DictionaryAttr attrs) {
  auto resultElems = [&]() -> std::optional<int64_t> {
    int64_t n = 0;
    for (Type t : results) {
      std::optional<int64_t> e = elems(t);
      if (!e)
        return std::nullopt;
      n = satAdd(n, *e);
    }
    return n;
  };
  auto inputElems = [&]() -> std::optional<int64_t> {
    if (operands.empty())
      return 0;
    return elems(operands.front());
  };
  std::optional<int64_t> out = resultElems();
  std::optional<int64_t> in = inputElems();
  switch (kind) {
  case Kind::Free:
  case Kind::Conversion:
  case Kind::Movement:
  case Kind::Fused:
    return 0;
  case Kind::Elementwise:
    return out;
  case Kind::Reduce:
  case Kind::CumSum:
  case Kind::GlobalPool:
    return in;
  case Kind::ReduceMean:
  case Kind::GlobalAvgPool:
    if (!in || !out)
      return std::nullopt;
    return satAdd(*in, *out);
  case Kind::ReduceTwice:
    if (!in)
      return std::nullopt;
    return satMul(2, *in);
  case Kind::ReduceL2:
    if (!in || !out)
      return std::nullopt;
    return satAdd(satMul(2, *in), *out);
  case Kind::ReduceLogSumExp:
    if (!in || !out)
      return std::nullopt;
    return satAdd(satMul(3, *in), *out);
  case Kind::Softmax:
    if (!in)
      return std::nullopt;
    return satMul(5, *in);
  case Kind::BatchNorm: {
    std::optional<int64_t> channels =
        operands.size() > 1 ? elems(operands[1]) : std::optional<int64_t>(0);
    if (!in || !channels)
      return std::nullopt;
    return satAdd(satMul(2, *in), satMul(4, *channels));
  }
  case Kind::Norm:
    if (!in)
      return std::nullopt;
    return satMul(8, *in);
  case Kind::LRN: {
    int64_t size = 5;
    if (attrs)
      if (auto attr = attrs.getAs<IntegerAttr>("size"))
        size = std::max<int64_t>(attr.getInt(), 1);
    if (!in)
      return std::nullopt;
    return satMul(satAdd(size, 4), *in);
  }
  case Kind::MatMul: {
    if (operands.size() != 2 || !out)
      return std::nullopt;
    std::optional<int64_t> k = dim(operands[0], -1);
    if (!k)
      return std::nullopt;
    return satMul(2, satMul(*out, *k));
  }
  case Kind::Gemm: {
    if (operands.size() < 2 || !out)
      return std::nullopt;
    std::optional<int64_t> k =
        dim(operands[0], boolAttr(attrs, "transA") ? 0 : 1);
    if (!k)
      return std::nullopt;
    int64_t flops = satMul(2, satMul(*out, *k));
    if (operands.size() > 2)
      flops = satAdd(flops, *out);
    return flops;
  }
  case Kind::Einsum: {
    // Two operations per point of the iteration space: the product of the
    // extents of all distinct labels.
    StringAttr eq = attrs ? attrs.getAs<StringAttr>("equation") : StringAttr();
    if (!eq)
      return out;
    StringRef lhs = eq.getValue().split("->").first;
    llvm::DenseMap<char, int64_t> extents;
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');
    if (terms.size() != operands.size())
      return out;
    for (auto [term, type] : llvm::zip(terms, operands)) {
      auto shaped = dyn_cast<ShapedType>(type);
      if (!shaped || !shaped.hasStaticShape())
        return std::nullopt;
      StringRef labels = term.trim();
      if (labels.contains('.'))
        return out; // Ellipses: fall back to one per result element.
      if (static_cast<int64_t>(labels.size()) != shaped.getRank())
        return out;
      for (auto [i, c] : llvm::enumerate(labels))
        extents[c] = shaped.getDimSize(i);
    }
    int64_t n = 1;
    for (auto &entry : extents)
      n = satMul(n, entry.second);
    return satMul(std::max<int64_t>(operands.size() - 1, 1) * 2, n);
  }
  case Kind::Conv: {
    if (operands.size() < 2 || !out)
      return std::nullopt;
    std::optional<int64_t> perOutput = trailingProduct(operands[1], 1);
    if (!perOutput)
      return std::nullopt;
    int64_t flops = satMul(2, satMul(*out, *perOutput));
    if (operands.size() > 2)
      flops = satAdd(flops, *out);
    return flops;
  }
  case Kind::ConvTranspose: {
    if (operands.size() < 2 || !in || !out)
      return std::nullopt;
    std::optional<int64_t> perInput = trailingProduct(operands[1], 1);
    if (!perInput)
      return std::nullopt;
    int64_t flops = satMul(2, satMul(*in, *perInput));
    if (operands.size() > 2)
      flops = satAdd(flops, *out);
    return flops;
  }
  case Kind::Pool:
  case Kind::AvgPool: {
    if (!out)
      return std::nullopt;
    int64_t window = 1;
    if (attrs)
      if (auto kernel = attrs.getAs<DenseI64ArrayAttr>("kernel_shape"))
        for (int64_t k : kernel.asArrayRef())
          window = satMul(window, std::max<int64_t>(k, 1));
    int64_t flops = satMul(*out, window);
    if (kind == Kind::AvgPool)
      flops = satAdd(flops, *out);
    return flops;
  }
  case Kind::Resize: {
    if (!out)
      return std::nullopt;
    StringAttr mode = attrs ? attrs.getAs<StringAttr>("mode") : StringAttr();
    if (!mode || mode.getValue() == "nearest")
      return 0;
    return satMul(mode.getValue() == "cubic" ? 8 : 4, *out);
  }
  }
  return 0;
}

OpCost dnnf::estimateOpCost(StringRef opName, TypeRange operandTypes,
                            TypeRange resultTypes, DictionaryAttr attrs) {
  OpCost cost;
  Kind kind = classify(opName);
  if (kind == Kind::Free)
    return cost;
  std::optional<int64_t> flops =
      countFlops(kind, operandTypes, resultTypes, attrs);
  if (flops)
    cost.flops = *flops;
  else
    cost.known = false;
  for (Type t : operandTypes) {
    if (std::optional<int64_t> b = getNumBytes(t))
      cost.bytesRead = satAdd(cost.bytesRead, *b);
    else
      cost.known = false;
  }
  for (Type t : resultTypes) {
    if (std::optional<int64_t> b = getNumBytes(t))
      cost.bytesWritten = satAdd(cost.bytesWritten, *b);
    else
      cost.known = false;
  }
  return cost;
}

OpCost dnnf::estimateOpCost(Operation *op) {
  if (auto fused = dyn_cast<FusedOp>(op)) {
    OpCost cost;
    for (Block &block : fused.getBody())
      for (Operation &inner : block)
        cost.flops = satAdd(cost.flops, estimateOpCost(&inner).flops);
    OpCost io = estimateOpCost("dnnf.reshape", op->getOperandTypes(),
                               op->getResultTypes());
    cost.bytesRead = io.bytesRead;
    cost.bytesWritten = io.bytesWritten;
    cost.known = io.known;
    return cost;
  }
  // Each distinct operand is read once.
  SmallVector<Type, 4> operandTypes;
  llvm::SmallPtrSet<void *, 4> seen;
  for (Value v : op->getOperands())
    if (seen.insert(v.getAsOpaquePointer()).second)
      operandTypes.push_back(v.getType());
  return estimateOpCost(op->getName().getStringRef(), operandTypes,
                        op->getResultTypes(), op->getAttrDictionary());
}

static bool isCounted(Operation *op) {
  return !op->hasTrait<OpTrait::IsTerminator>() && !isa<ConstantOp>(op) &&
         op->getDialect() &&
         op->getDialect()->getNamespace() == DnnfDialect::getDialectNamespace();
}

CostSummary dnnf::summarizeCost(Operation *root) {
  CostSummary summary;
  root->walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op == root)
      return WalkResult::advance();
    if (isCounted(op)) {
      OpCost cost = estimateOpCost(op);
      ++summary.numOps;
      if (!cost.known)
        ++summary.numUnknown;
      summary.total += cost;
    }
    // A fused op accounts for its body.
    return isa<FusedOp>(op) ? WalkResult::skip() : WalkResult::advance();
  });
  return summary;
}

CostModelAnalysis::CostModelAnalysis(Operation *root)
    : summary(summarizeCost(root)) {}

const OpCost &CostModelAnalysis::getCost(Operation *op) {
  auto it = costs.find(op);
  if (it != costs.end())
    return it->second;
  return costs.try_emplace(op, estimateOpCost(op)).first->second;
}
