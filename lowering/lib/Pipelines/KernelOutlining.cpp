//===- KernelOutlining.cpp - fusion blocks as kernel functions ------------===//
//
// --dnnf-outline-kernels turns each dnnf.fused block (and, with every-op,
// each other dnnf op) into a private function, so that the lowering and
// the fusion passes that run on functions cannot fuse across a block
// boundary; --dnnf-inline-kernels puts the lowered bodies back.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Analysis/FusionGraph.h"
#include "dnnf/Conversion/Passes.h"
#include "dnnf/IR/DnnfDialect.h"
#include "dnnf/IR/DnnfOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFOUTLINEKERNELS
#define GEN_PASS_DEF_DNNFINLINEKERNELS
#define GEN_PASS_DEF_DNNFMOVEKERNELPADS
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;
using namespace mlir::dnnf;

/// The attribute marking kernel functions; its value is the kernel's
/// mapping type when known, a unit attribute otherwise.
static constexpr StringLiteral kKernelAttr = "dnnf.kernel";

/// The defining op of a value the lowering may read as a constant: what
/// dnnf-fuse clones into blocks too (dnnf.constant, arith.constant).
static Operation *constantDef(Value v) {
  Operation *def = v.getDefiningOp();
  return def && isConstantLike(def) ? def : nullptr;
}

/// Ops outlined as one-op kernels with every-op.
static bool isSingleKernel(Operation &op) {
  return isa<DnnfDialect>(op.getDialect()) &&
         !isa<ConstantOp, FusedOp, YieldOp>(op) && op.getNumResults() > 0;
}

namespace {
struct OutlineKernelsPass
    : public dnnf::impl::DnnfOutlineKernelsBase<OutlineKernelsPass> {
  using DnnfOutlineKernelsBase::DnnfOutlineKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    constants.clear();
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp f : funcs) {
      if (f.isExternal() || f->hasAttr(kKernelAttr))
        continue;
      SmallVector<Operation *> kernels;
      for (Block &block : f.getBody())
        for (Operation &op : block)
          if (isa<FusedOp>(op) || (everyOp && isSingleKernel(op)))
            kernels.push_back(&op);
      Operation *insertAfter = f;
      unsigned index = 0;
      for (Operation *op : kernels)
        insertAfter = outline(op, f, symbols, insertAfter, index++);
    }
    // The outer copies of constants that only kernels read.
    for (Operation *def : constants)
      if (def->use_empty())
        def->erase();
  }

  /// Constants cloned into kernels.
  llvm::SetVector<Operation *> constants;

  /// Replaces `op` by a call of a new kernel function placed after
  /// `insertAfter`; returns that function.
  Operation *outline(Operation *op, func::FuncOp parent, SymbolTable &symbols,
                     Operation *insertAfter, unsigned index) {
    MLIRContext *ctx = op->getContext();
    Location loc = op->getLoc();
    OpBuilder b(ctx);
    b.setInsertionPointAfter(insertAfter);
    auto kernel = func::FuncOp::create(
        b, loc, (parent.getSymName() + "_kernel" + Twine(index)).str(),
        b.getFunctionType({}, op->getResultTypes()));
    kernel.setPrivate();
    symbols.insert(kernel); // renames on a clash
    Block *body;
    SmallVector<Value> inputs;
    Attribute mapping = UnitAttr::get(ctx);
    if (auto fused = dyn_cast<FusedOp>(op)) {
      kernel.getBody().takeBody(fused.getBody());
      body = &kernel.getBody().front();
      inputs.assign(fused.getInputs().begin(), fused.getInputs().end());
      mapping = fused.getMappingAttr();
      auto yield = cast<YieldOp>(body->getTerminator());
      OpBuilder rb(yield);
      func::ReturnOp::create(rb, yield.getLoc(), yield.getValues());
      yield.erase();
      ++numBlocks;
    } else {
      body = kernel.addEntryBlock();
      OpBuilder bb = OpBuilder::atBlockEnd(body);
      IRMapping map;
      for (Value v : op->getOperands()) {
        if (map.contains(v))
          continue;
        inputs.push_back(v);
        map.map(v, body->addArgument(v.getType(), v.getLoc()));
      }
      Operation *clone = bb.clone(*op, map);
      func::ReturnOp::create(bb, loc, clone->getResults());
      if (auto m = dyn_cast<MappingOpInterface>(op))
        mapping = MappingTypeAttr::get(ctx, m.computeMappingType());
      ++numSingleOps;
    }
    kernel->setAttr(kKernelAttr, mapping);

    // Constants crossing the boundary are cloned in instead of passed.
    OpBuilder cb = OpBuilder::atBlockBegin(body);
    SmallVector<Value> args;
    llvm::BitVector dropped(inputs.size());
    for (auto [i, input] : llvm::enumerate(inputs)) {
      Operation *def = constantDef(input);
      if (!def) {
        args.push_back(input);
        continue;
      }
      body->getArgument(i).replaceAllUsesWith(
          cb.clone(*def)->getResult(cast<OpResult>(input).getResultNumber()));
      dropped.set(i);
      constants.insert(def);
      ++numConstants;
    }
    body->eraseArguments(dropped);
    kernel.setFunctionType(
        b.getFunctionType(body->getArgumentTypes(), op->getResultTypes()));

    OpBuilder call(op);
    auto callOp = func::CallOp::create(call, loc, kernel, args);
    op->replaceAllUsesWith(callOp.getResults());
    op->erase();
    return kernel;
  }
};

struct MoveKernelPadsPass
    : public dnnf::impl::DnnfMoveKernelPadsBase<MoveKernelPadsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Symbol references per name, counted in one walk.
    numUses.clear();
    if (std::optional<SymbolTable::UseRange> uses =
            SymbolTable::getSymbolUses(&module.getBodyRegion()))
      for (const SymbolTable::SymbolUse &use : *uses)
        ++numUses[use.getSymbolRef().getRootReference()];
    SymbolTable symbols(module);
    SmallVector<func::CallOp> calls;
    module.walk([&](func::CallOp call) { calls.push_back(call); });
    for (func::CallOp call : calls) {
      func::FuncOp consumer = soleCallKernel(call, symbols);
      if (!consumer)
        continue;
      for (BlockArgument arg : consumer.getArguments())
        movePad(call, consumer, arg, symbols);
    }
  }

  /// The kernel function `call` calls, if it is one with a body, called
  /// only there.
  func::FuncOp soleCallKernel(func::CallOp call, SymbolTable &symbols) const {
    auto kernel = symbols.lookup<func::FuncOp>(call.getCallee());
    if (!kernel || !kernel->hasAttr(kKernelAttr) || kernel.isExternal() ||
        !kernel.getBody().hasOneBlock() ||
        numUses.lookup(kernel.getSymNameAttr()) != 1)
      return nullptr;
    return kernel;
  }

  llvm::DenseMap<StringAttr, unsigned> numUses;

  void movePad(func::CallOp call, func::FuncOp consumer, BlockArgument arg,
               SymbolTable &symbols) {
    if (!arg.hasOneUse())
      return;
    auto pad = dyn_cast<tensor::PadOp>(*arg.getUsers().begin());
    if (!pad || !pad.getLow().empty() || !pad.getHigh().empty() ||
        !pad.getResultType().hasStaticShape())
      return;
    Value padValue = pad.getConstantPaddingValue();
    if (!padValue)
      return;
    Value input = call.getOperand(arg.getArgNumber());
    auto producerCall = input.getDefiningOp<func::CallOp>();
    if (!producerCall || !input.hasOneUse())
      return;
    func::FuncOp producer = soleCallKernel(producerCall, symbols);
    if (!producer)
      return;
    // The padding value: a constant of the consumer, cloned with the pad.
    bool inRegion = pad.getRegion().isAncestor(padValue.getParentRegion());
    Operation *padValueDef = inRegion ? nullptr : constantDef(padValue);
    if (!inRegion && !padValueDef)
      return;

    unsigned r = cast<OpResult>(input).getResultNumber();
    Operation *ret = producer.getBody().front().getTerminator();
    OpBuilder b(ret);
    IRMapping map;
    map.map(pad.getSource(), ret->getOperand(r));
    if (!inRegion)
      map.map(padValue, b.clone(*padValueDef)->getResult(0));
    Value padded = b.clone(*pad, map)->getResult(0);
    ret->setOperand(r, padded);
    producer.setFunctionType(
        b.getFunctionType(producer.getArgumentTypes(), ret->getOperandTypes()));
    input.setType(padded.getType());

    arg.setType(padded.getType());
    pad.getResult().replaceAllUsesWith(arg);
    pad.erase();
    consumer.setFunctionType(
        b.getFunctionType(consumer.getBody().front().getArgumentTypes(),
                          consumer.getResultTypes()));
    ++numMoved;
  }
};

/// Ops at the top level of a kernel that become loop nests of their own
/// and write a tensor other ops read (fills, which initialise accumulators,
/// are not counted).
static bool isLoopNest(Operation &op) {
  return (isa<linalg::LinalgOp>(op) && !isa<linalg::FillOp>(op)) ||
         isa<LoopLikeOpInterface, tensor::PadOp, tensor::ConcatOp>(op);
}

struct InlineKernelsPass
    : public dnnf::impl::DnnfInlineKernelsBase<InlineKernelsPass> {
  using DnnfInlineKernelsBase::DnnfInlineKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<std::pair<func::CallOp, func::FuncOp>> calls;
    module.walk([&](func::CallOp call) {
      auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
      if (callee && callee->hasAttr(kKernelAttr) && !callee.isExternal() &&
          callee.getBody().hasOneBlock())
        calls.emplace_back(call, callee);
    });
    llvm::SmallPtrSet<Operation *, 16> counted;
    for (auto [call, kernel] : calls) {
      Block &body = kernel.getBody().front();
      if (counted.insert(kernel).second) {
        unsigned nests = llvm::count_if(body, isLoopNest);
        numLoopNests += nests;
        if (nests > 1) {
          ++numMultiNest;
          if (emitRemarks)
            kernel.emitRemark() << "kernel " << kernel.getSymName()
                                << " lowered to " << nests << " loop nests";
        }
      }
      OpBuilder b(call);
      IRMapping map;
      map.map(body.getArguments(), call.getOperands());
      for (Operation &op : body.without_terminator())
        b.clone(op, map);
      for (auto [res, v] :
           llvm::zip(call.getResults(), body.getTerminator()->getOperands()))
        res.replaceAllUsesWith(map.lookupOrDefault(v));
      call.erase();
    }
    numKernels += counted.size();
    for (Operation *kernel : counted)
      if (SymbolTable::symbolKnownUseEmpty(kernel, module))
        kernel->erase();

    // A kernel returning a matmul's [C, H*W] result as NCHW and the next
    // one reading it as [C, H*W] leave a collapse of an expand behind.
    RewritePatternSet patterns(&getContext());
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(module, std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
