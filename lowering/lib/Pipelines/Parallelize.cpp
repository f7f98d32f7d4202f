//===- Parallelize.cpp - split large linalg ops over threads ------------===//
//
// On tensors, after fusion: each large linalg op outside an scf.forall is
// tiled along one parallel loop into `threads` chunks, the tiles of an
// scf.forall that the CPU pipeline runs as tasks on dnnf's thread pool
// (dnnf-outline-parallel, dnnf-parallel-to-runtime).  Only the chosen
// loop is split: the loops inside a chunk keep their static bounds, so LLVM
// vectorizes them as it does sequential code.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFPARALLELIZE
#define GEN_PASS_DEF_DNNFOUTLINEPARALLEL
#define GEN_PASS_DEF_DNNFPARALLELTORUNTIME
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {

struct ParallelizePass
    : public dnnf::impl::DnnfParallelizeBase<ParallelizePass> {
  using DnnfParallelizeBase::DnnfParallelizeBase;

  /// The loop to split: the outermost parallel loop with at least `threads`
  /// iterations, else the parallel loop with the most; -1 if none has two.
  static int64_t chooseLoop(ArrayRef<int64_t> ranges,
                            ArrayRef<utils::IteratorType> iterators,
                            int64_t threads) {
    int64_t best = -1;
    for (auto [i, range] : llvm::enumerate(ranges)) {
      if (iterators[i] != utils::IteratorType::parallel || range < 2)
        continue;
      if (range >= threads)
        return i;
      if (best < 0 || range > ranges[best])
        best = i;
    }
    return best;
  }

  void runOnOperation() override {
    if (threads <= 1)
      return;
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!op.hasPureTensorSemantics() || op->getParentOfType<scf::ForallOp>())
        return;
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      int64_t work = 1;
      for (int64_t r : ranges) {
        if (ShapedType::isDynamic(r) || r == 0)
          return;
        work *= r;
      }
      if (work >= minWork && isa<TilingInterface>(op.getOperation()))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      int64_t loop =
          chooseLoop(ranges, op.getIteratorTypesArray(), int64_t(threads));
      if (loop < 0)
        continue;
      int64_t chunks = std::min<int64_t>(threads, ranges[loop]);
      SmallVector<OpFoldResult> sizes(ranges.size(), rewriter.getIndexAttr(0));
      sizes[loop] =
          rewriter.getIndexAttr(llvm::divideCeil(ranges[loop], chunks));
      scf::SCFTilingOptions options;
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
      options.setTileSizes(sizes);
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled))
        continue;
      rewriter.replaceOp(op, tiled->replacements);
      ++numParallelized;
    }
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// dnnf-outline-parallel and dnnf-parallel-to-runtime
//===----------------------------------------------------------------------===//

namespace {

constexpr StringLiteral kBodyAttr = "dnnf.parallel_body";
constexpr StringLiteral kLaunchAttr = "dnnf.parallel_launch";
constexpr StringLiteral kRuntimeFn = "dnnf_parallel_for";

/// `value` in `func`'s entry: a clone of its defining op when that is a
/// constant, else the next argument (recorded in `args`).
Value capture(OpBuilder &b, Value value, SmallVectorImpl<Value> &args,
              Block &entry) {
  if (Operation *def = value.getDefiningOp())
    if (def->hasTrait<OpTrait::ConstantLike>())
      return b.clone(*def)->getResult(0);
  args.push_back(value);
  return entry.addArgument(value.getType(), value.getLoc());
}

/// Outlines one outermost scf.parallel: its body, for one linear iteration
/// index, becomes `@<name>` (marked dnnf.parallel_body); the loop becomes a
/// call of `@<name>__launch(count, captures...)` (marked
/// dnnf.parallel_launch), which runs the body for every index in order.
void outline(scf::ParallelOp loop, StringRef name, SymbolTable &symbols) {
  MLIRContext *ctx = loop.getContext();
  Location loc = loop.getLoc();
  auto parent = loop->getParentOfType<func::FuncOp>();
  OpBuilder b(loop);
  Type indexType = b.getIndexType();
  // Trip counts, and the total (the launch's first argument).
  SmallVector<Value> counts;
  Value total = arith::ConstantIndexOp::create(b, loc, 1);
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    Value span = b.createOrFold<arith::SubIOp>(loc, ub, lb);
    Value count = b.createOrFold<arith::CeilDivSIOp>(loc, span, step);
    counts.push_back(count);
    total = b.createOrFold<arith::MulIOp>(loc, total, count);
  }

  // The body function: (index, captures...).
  OpBuilder module(parent);
  module.setInsertionPointAfter(parent);
  auto body = func::FuncOp::create(module, loc, name,
                                   FunctionType::get(ctx, {indexType}, {}));
  body.setPrivate();
  body->setAttr(kBodyAttr, UnitAttr::get(ctx));
  Block *entry = body.addEntryBlock();
  OpBuilder inner = OpBuilder::atBlockBegin(entry);
  SmallVector<Value> args;
  IRMapping map;
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(loop.getRegion(), used);
  for (Value v : used)
    map.map(v, capture(inner, v, args, *entry));
  // Delinearize the index, innermost loop fastest.
  Value rest = entry->getArgument(0);
  SmallVector<Value> ivs(counts.size());
  for (int64_t d = counts.size() - 1; d >= 0; --d) {
    Value count = capture(inner, counts[d], args, *entry);
    Value lb = capture(inner, loop.getLowerBound()[d], args, *entry);
    Value step = capture(inner, loop.getStep()[d], args, *entry);
    Value index = d ? arith::RemSIOp::create(inner, loc, rest, count) : rest;
    if (d)
      rest = arith::DivSIOp::create(inner, loc, rest, count);
    ivs[d] = arith::AddIOp::create(
        inner, loc, lb, arith::MulIOp::create(inner, loc, index, step));
  }
  for (auto [iv, value] : llvm::zip(loop.getInductionVars(), ivs))
    map.map(iv, value);
  for (Operation &op : loop.getBody()->without_terminator())
    inner.clone(op, map);
  func::ReturnOp::create(inner, loc);
  SmallVector<Type> types(entry->getArgumentTypes());
  body.setFunctionType(FunctionType::get(ctx, types, {}));
  symbols.insert(body);

  // The launch function: (count, captures...) -> the body for each index.
  module.setInsertionPointAfter(body);
  auto launch = func::FuncOp::create(module, loc, (name + "__launch").str(),
                                     FunctionType::get(ctx, types, {}));
  launch.setPrivate();
  launch->setAttr(kLaunchAttr, FlatSymbolRefAttr::get(body));
  Block *launchEntry = launch.addEntryBlock();
  OpBuilder lb = OpBuilder::atBlockBegin(launchEntry);
  Value zero = arith::ConstantIndexOp::create(lb, loc, 0);
  Value one = arith::ConstantIndexOp::create(lb, loc, 1);
  auto seq =
      scf::ForOp::create(lb, loc, zero, launchEntry->getArgument(0), one);
  lb.setInsertionPointToStart(seq.getBody());
  SmallVector<Value> callArgs = {seq.getInductionVar()};
  llvm::append_range(callArgs, launchEntry->getArguments().drop_front());
  func::CallOp::create(lb, loc, body, callArgs);
  lb.setInsertionPointAfter(seq);
  func::ReturnOp::create(lb, loc);
  symbols.insert(launch);

  SmallVector<Value> launchArgs = {total};
  llvm::append_range(launchArgs, args);
  func::CallOp::create(b, loc, launch, launchArgs);
  loop.erase();
}

struct OutlineParallelPass
    : public dnnf::impl::DnnfOutlineParallelBase<OutlineParallelPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      SmallVector<scf::ParallelOp> loops;
      func.walk([&](scf::ParallelOp loop) {
        if (!loop->getParentOfType<scf::ParallelOp>())
          loops.push_back(loop);
      });
      for (auto [i, loop] : llvm::enumerate(loops)) {
        outline(loop, (func.getName() + "_parallel_" + Twine(i)).str(),
                symbols);
        ++numOutlined;
      }
    }
  }
};

/// Rewrites each launch function (LLVM dialect) as one call of the
/// runtime: dnnf_parallel_for(count, @<body>__task, &captures), where
/// `@<body>__task(ctx, i)` loads the captures and calls the body.
struct ParallelToRuntimePass
    : public dnnf::impl::DnnfParallelToRuntimeBase<ParallelToRuntimePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    SymbolTable symbols(module);
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    auto voidType = LLVM::LLVMVoidType::get(ctx);
    OpBuilder b(ctx);
    LLVM::LLVMFuncOp runtime;
    for (auto launch : llvm::to_vector(module.getOps<LLVM::LLVMFuncOp>())) {
      auto bodyRef = launch->getAttrOfType<FlatSymbolRefAttr>(kLaunchAttr);
      if (!bodyRef)
        continue;
      auto body = symbols.lookup<LLVM::LLVMFuncOp>(bodyRef.getValue());
      if (!body || body.getFunctionType().getNumParams() < 1 ||
          body.getFunctionType().getParamType(0) != i64 ||
          body.getFunctionType().getParams() !=
              launch.getFunctionType().getParams()) {
        launch.emitError("dnnf-parallel-to-runtime: expected a launch "
                         "function with its body's (i64, captures...) "
                         "signature");
        return signalPassFailure();
      }
      Location loc = launch.getLoc();
      ArrayRef<Type> captured = body.getFunctionType().getParams().drop_front();
      auto frame = LLVM::LLVMStructType::getLiteral(ctx, captured);
      if (!runtime)
        runtime = symbols.lookup<LLVM::LLVMFuncOp>(kRuntimeFn);
      if (!runtime) {
        b.setInsertionPointToEnd(module.getBody());
        runtime = LLVM::LLVMFuncOp::create(
            b, loc, kRuntimeFn,
            LLVM::LLVMFunctionType::get(voidType, {i64, ptr, ptr}));
      }
      // Field k of the frame at `base`.
      auto field = [&](Value base, int64_t k) -> Value {
        return LLVM::GEPOp::create(
            b, loc, ptr, frame, base,
            ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(k)});
      };
      // The task: (frame pointer, index) -> body(index, frame fields...).
      b.setInsertionPointAfter(body);
      auto task = LLVM::LLVMFuncOp::create(
          b, loc, (body.getName() + "__task").str(),
          LLVM::LLVMFunctionType::get(voidType, {ptr, i64}));
      Block *taskEntry = task.addEntryBlock(b);
      b.setInsertionPointToStart(taskEntry);
      SmallVector<Value> operands = {taskEntry->getArgument(1)};
      for (auto [k, type] : llvm::enumerate(captured))
        operands.push_back(LLVM::LoadOp::create(
            b, loc, type, field(taskEntry->getArgument(0), k)));
      LLVM::CallOp::create(b, loc, body, operands);
      LLVM::ReturnOp::create(b, loc, ValueRange{});
      // The launch: the captures into a frame on the stack, one runtime
      // call.
      launch.getBody().dropAllReferences();
      launch.getBody().getBlocks().clear();
      Block *entry = launch.addEntryBlock(b);
      b.setInsertionPointToStart(entry);
      Value one = LLVM::ConstantOp::create(b, loc, i64, 1);
      Value slot = LLVM::AllocaOp::create(b, loc, ptr, frame, one);
      for (auto [k, arg] : llvm::enumerate(entry->getArguments().drop_front()))
        LLVM::StoreOp::create(b, loc, arg, field(slot, k));
      Value fn = LLVM::AddressOfOp::create(b, loc, task);
      LLVM::CallOp::create(b, loc, runtime,
                           ValueRange{entry->getArgument(0), fn, slot});
      LLVM::ReturnOp::create(b, loc, ValueRange{});
      ++numLaunches;
    }
  }
};
} // namespace
