//===- SpirvPipeline.cpp - --dnnf-spirv-pipeline --------------------------===//
//
// dnnf -> linalg (tensors) -> buffers -> one flat scf.parallel per loop nest
// -> workgroups / invocations -> outlined gpu.funcs -> SPIR-V modules nested
// in their gpu.modules [-> gpu.binary], and the dnnf passes that glue the
// upstream ones together.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Conversion/GPUToSPIRV/GPUToSPIRVPass.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"
#include "mlir/Dialect/SPIRV/Transforms/Passes.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFFLATTENPARALLELLOOPS
#define GEN_PASS_DEF_DNNFPREPARESPIRVKERNELS
#define GEN_PASS_DEF_DNNFNESTSPIRVMODULES
#define GEN_PASS_DEF_DNNFPINSPIRVVERSION
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {

//===----------------------------------------------------------------------===//
// dnnf-flatten-parallel-loops
//===----------------------------------------------------------------------===//

/// An scf.parallel without reductions or an scf.for without iter_args.
bool isPlainLoop(Operation *op) {
  return isa<scf::ParallelOp, scf::ForOp>(op) && op->getNumResults() == 0;
}

/// Ops that stay on the host between kernels: buffers, views, globals,
/// constants, the return, and kernels already built (gpu.launch, e.g. the
/// tiled matmuls of dnnf-gpu-tile-matmuls).
bool isHostOp(Operation *op) {
  return isa<arith::ConstantOp, memref::AllocOp, memref::AllocaOp,
             memref::GetGlobalOp, memref::CollapseShapeOp,
             memref::ExpandShapeOp, memref::ReshapeOp, memref::CastOp,
             memref::SubViewOp, memref::ReinterpretCastOp, memref::DeallocOp,
             gpu::LaunchOp, func::ReturnOp>(op);
}

struct Dim {
  int64_t lower, upper, step;
  int64_t trips() const {
    return upper <= lower ? 0 : llvm::divideCeil(upper - lower, step);
  }
};

/// The constant (lower, upper, step) of each dimension of `loop`.
FailureOr<SmallVector<Dim>> constantDims(scf::ParallelOp loop) {
  SmallVector<Dim> dims;
  for (auto [lb, ub, st] : llvm::zip_equal(
           loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    std::optional<int64_t> l = getConstantIntValue(lb),
                           u = getConstantIntValue(ub),
                           s = getConstantIntValue(st);
    if (!l || !u || !s || *s <= 0)
      return loop.emitOpError("has a non-constant bound or step: the GPU "
                              "path needs static shapes");
    dims.push_back({*l, *u, *s});
  }
  return dims;
}

/// An empty `scf.parallel (%i) = (0) to (count) step (1)` before the
/// builder's insertion point.
scf::ParallelOp newParallel(RewriterBase &rewriter, Location loc,
                            int64_t count) {
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  return scf::ParallelOp::create(rewriter, loc, ValueRange{c(0)},
                                 ValueRange{c(count)}, ValueRange{c(1)});
}

/// Row-major indices of `linear` in a `trips`-shaped space (unsigned
/// division: the index is never negative).
SmallVector<Value> delinearize(RewriterBase &rewriter, Location loc,
                               Value linear, ArrayRef<int64_t> trips) {
  SmallVector<Value> ivs(trips.size());
  Value rest = linear;
  for (int64_t i = static_cast<int64_t>(trips.size()) - 1; i >= 0; --i) {
    if (i == 0) {
      ivs[i] = rest;
    } else if (trips[i] == 1) {
      ivs[i] = arith::ConstantIndexOp::create(rewriter, loc, 0);
    } else {
      Value size = arith::ConstantIndexOp::create(rewriter, loc, trips[i]);
      ivs[i] = arith::RemUIOp::create(rewriter, loc, rest, size);
      rest = arith::DivUIOp::create(rewriter, loc, rest, size);
    }
  }
  return ivs;
}

/// The flat loop of `count` iterations before the builder's insertion
/// point, and its linear index: one dimension when at most `rowLength`
/// iterations, else two, (linear mod rowLength, linear div rowLength), with
/// the body under `linear < count` when the last row is partial.  Leaves
/// the insertion point where the body goes.
std::pair<scf::ParallelOp, Value> newFlatLoop(RewriterBase &rewriter,
                                              Location loc, int64_t count,
                                              int64_t rowLength) {
  if (count <= rowLength) {
    scf::ParallelOp loop = newParallel(rewriter, loc, count);
    rewriter.setInsertionPoint(loop.getBody()->getTerminator());
    return {loop, loop.getInductionVars()[0]};
  }
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  int64_t rows = llvm::divideCeil(count, rowLength);
  auto loop = scf::ParallelOp::create(rewriter, loc, ValueRange{c(0), c(0)},
                                      ValueRange{c(rowLength), c(rows)},
                                      ValueRange{c(1), c(1)});
  rewriter.setInsertionPoint(loop.getBody()->getTerminator());
  ValueRange ivs = loop.getInductionVars();
  Value linear = arith::AddIOp::create(
      rewriter, loc, arith::MulIOp::create(rewriter, loc, ivs[1], c(rowLength)),
      ivs[0]);
  if (count % rowLength != 0) {
    Value inBounds = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::ult, linear, c(count));
    auto guard = scf::IfOp::create(rewriter, loc, inBounds);
    rewriter.setInsertionPoint(guard.thenBlock()->getTerminator());
  }
  return {loop, linear};
}

/// Rewrites the loop nest at `top` as one flat scf.parallel over all of its
/// parallel dimensions (outer to inner, the innermost fastest), with the
/// nest's scf.for loops, in their order, inside (two dimensions past
/// `rowLength` iterations, see newFlatLoop).  Sets `split` when it needed
/// two.
LogicalResult flattenNest(RewriterBase &rewriter, Operation *top,
                          int64_t rowLength, bool &split) {
  if (!isPlainLoop(top))
    return top->emitOpError(
        "at the top level carries loop results; the GPU path expects the "
        "loop nests of convert-linalg-to-parallel-loops");
  // `top` and the loops perfectly nested in it.
  SmallVector<Operation *> chain = {top};
  while (true) {
    Block &body = chain.back()->getRegion(0).front();
    if (body.getOperations().size() != 2 || !isPlainLoop(&body.front()))
      break;
    chain.push_back(&body.front());
  }
  SmallVector<scf::ParallelOp> parallel;
  SmallVector<Dim> dims;
  for (Operation *op : chain)
    if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
      FailureOr<SmallVector<Dim>> d = constantDims(loop);
      if (failed(d))
        return failure();
      parallel.push_back(loop);
      dims.append(*d);
    }
  SmallVector<int64_t> trips;
  int64_t count = 1;
  for (const Dim &d : dims) {
    trips.push_back(d.trips());
    count *= trips.back();
  }
  Location loc = top->getLoc();
  rewriter.setInsertionPoint(top);
  auto [flat, linear] = newFlatLoop(rewriter, loc, count, rowLength);
  split = flat.getNumLoops() == 2;
  Block *body = rewriter.getInsertionBlock();
  rewriter.moveOpBefore(top, body, rewriter.getInsertionPoint());
  rewriter.setInsertionPoint(top);
  SmallVector<Value> ivs = delinearize(rewriter, loc, linear, trips);
  for (auto [iv, d] : llvm::zip_equal(ivs, dims)) {
    if (d.step != 1)
      iv = arith::MulIOp::create(
          rewriter, loc, iv,
          arith::ConstantIndexOp::create(rewriter, loc, d.step));
    if (d.lower != 0)
      iv = arith::AddIOp::create(
          rewriter, loc, iv,
          arith::ConstantIndexOp::create(rewriter, loc, d.lower));
  }
  unsigned next = 0;
  for (scf::ParallelOp loop : parallel)
    for (Value old : loop.getInductionVars())
      rewriter.replaceAllUsesWith(old, ivs[next++]);
  // Dissolve the old parallel loops, innermost first.
  for (scf::ParallelOp loop : llvm::reverse(parallel)) {
    Block *body = loop.getBody();
    for (Operation &op : llvm::make_early_inc_range(body->without_terminator()))
      rewriter.moveOpBefore(&op, loop);
    rewriter.eraseOp(loop);
  }
  return success();
}

/// Moves straight-line host-level code (a 0-d store) into a one-iteration
/// scf.parallel.
LogicalResult wrapRun(RewriterBase &rewriter, ArrayRef<Operation *> run) {
  llvm::SmallPtrSet<Operation *, 8> inside(run.begin(), run.end());
  for (Operation *op : run)
    for (Operation *user : op->getUsers())
      if (!inside.contains(user))
        return op->emitOpError("runs between kernels and its result is used "
                               "by '")
               << user->getName()
               << "' on the host; the GPU path cannot run it there";
  rewriter.setInsertionPoint(run.front());
  scf::ParallelOp loop = newParallel(rewriter, run.front()->getLoc(), 1);
  for (Operation *op : run)
    rewriter.moveOpBefore(op, loop.getBody()->getTerminator());
  return success();
}

struct FlattenParallelLoopsPass
    : public dnnf::impl::DnnfFlattenParallelLoopsBase<
          FlattenParallelLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (workgroupSize < 1 || maxWorkgroups < 1) {
      emitError(getOperation().getLoc())
          << "workgroup-size and max-workgroups must be positive";
      return signalPassFailure();
    }
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> run;
    auto flush = [&]() -> LogicalResult {
      if (run.empty())
        return success();
      LogicalResult wrapped = wrapRun(rewriter, run);
      run.clear();
      if (succeeded(wrapped))
        ++numWrapped;
      return wrapped;
    };
    for (Operation &op :
         llvm::make_early_inc_range(func.getBody().front().getOperations())) {
      if (isHostOp(&op)) {
        if (failed(flush()))
          return signalPassFailure();
      } else if (isa<scf::ParallelOp, scf::ForOp>(op)) {
        bool split = false;
        if (failed(flush()) ||
            failed(flattenNest(rewriter, &op, workgroupSize * maxWorkgroups,
                               split)))
          return signalPassFailure();
        ++numFlattened;
        if (split)
          ++numSplit;
      } else {
        run.push_back(&op);
      }
    }
    if (failed(flush()))
      signalPassFailure();
  }
};

//===----------------------------------------------------------------------===//
// dnnf-prepare-spirv-kernels
//===----------------------------------------------------------------------===//

/// Vulkan version -> the highest SPIR-V version it accepts.
std::optional<spirv::Version> spirvVersion(StringRef vulkan) {
  return llvm::StringSwitch<std::optional<spirv::Version>>(vulkan)
      .Case("1.0", spirv::Version::V_1_0)
      .Case("1.1", spirv::Version::V_1_3)
      .Case("1.2", spirv::Version::V_1_5)
      .Case("1.3", spirv::Version::V_1_6)
      .Default(std::nullopt);
}

/// The SPIR-V enum values (capabilities, extensions) named by `names`, or
/// failure after reporting the first unknown one.
template <typename Symbolize>
auto symbolizeAll(ArrayRef<std::string> names, StringRef kind, Location loc,
                  Symbolize symbolize)
    -> FailureOr<SetVector<typename decltype(symbolize(""))::value_type>> {
  SetVector<typename decltype(symbolize(""))::value_type> values;
  for (const std::string &name : names) {
    auto value = symbolize(name);
    if (!value)
      return emitError(loc) << "unknown SPIR-V " << kind << " '" << name << "'";
    values.insert(*value);
  }
  return values;
}

struct PrepareSpirvKernelsPass
    : public dnnf::impl::DnnfPrepareSpirvKernelsBase<PrepareSpirvKernelsPass> {
  using Base::Base;

  /// The target environment of the options, or null after reporting what
  /// is wrong with them.
  spirv::TargetEnvAttr targetEnv() {
    MLIRContext *ctx = &getContext();
    Location loc = getOperation().getLoc();
    std::optional<spirv::Version> version = spirvVersion(vulkanVersion);
    if (!version) {
      emitError(loc) << "unknown Vulkan version '" << vulkanVersion
                     << "'; expected 1.0, 1.1, 1.2 or 1.3";
      return {};
    }
    if (workgroupSize < 1 || workgroupSize > 1024) {
      emitError(loc) << "workgroup-size " << workgroupSize.getValue()
                     << " is not in [1, 1024]";
      return {};
    }
    SmallVector<std::string> capNames(capabilities.begin(), capabilities.end());
    SmallVector<std::string> extNames(extensions.begin(), extensions.end());
    if (capNames.empty())
      capNames.push_back("Shader");
    if (extNames.empty())
      extNames.push_back("SPV_KHR_storage_buffer_storage_class");
    if (fp16) {
      capNames.append({"Float16", "StorageBuffer16BitAccess"});
      extNames.push_back("SPV_KHR_16bit_storage");
    }
    FailureOr<SetVector<spirv::Capability>> caps =
        symbolizeAll(capNames, "capability", loc,
                     [](StringRef n) { return spirv::symbolizeCapability(n); });
    FailureOr<SetVector<spirv::Extension>> exts =
        symbolizeAll(extNames, "extension", loc,
                     [](StringRef n) { return spirv::symbolizeExtension(n); });
    if (failed(caps) || failed(exts))
      return {};
    spirv::ResourceLimitsAttr d = spirv::getDefaultResourceLimits(ctx);
    auto limits = spirv::ResourceLimitsAttr::get(
        ctx, d.getMaxComputeSharedMemorySize(),
        /*max_compute_workgroup_invocations=*/1024,
        d.getMaxComputeWorkgroupSize(), subgroupSize, d.getMinSubgroupSize(),
        d.getMaxSubgroupSize(), d.getCooperativeMatrixPropertiesKhr(),
        d.getCooperativeMatrixPropertiesNv());
    return spirv::TargetEnvAttr::get(
        spirv::VerCapExtAttr::get(*version, caps->getArrayRef(),
                                  exts->getArrayRef(), ctx),
        limits, spirv::ClientAPI::Vulkan);
  }

  /// Reports the first value of `kernel` whose element type the target
  /// cannot compute on.
  LogicalResult checkTypes(gpu::GPUFuncOp kernel, spirv::TargetEnvAttr env) {
    spirv::TargetEnv target(env);
    auto unsupported = [&](Type type) -> const char * {
      Type element = getElementTypeOrSelf(type);
      if (element.isInteger(64) && !target.allows(spirv::Capability::Int64))
        return "64-bit integers, which need the Int64 capability "
               "(capabilities=...,Int64)";
      if (element.isF64() && !target.allows(spirv::Capability::Float64))
        return "64-bit floats, which need the Float64 capability "
               "(capabilities=...,Float64)";
      if (element.isF16() && !target.allows(spirv::Capability::Float16))
        return "16-bit floats, which need fp16=true";
      return nullptr;
    };
    for (BlockArgument arg : kernel.getArguments())
      if (const char *why = unsupported(arg.getType()))
        return kernel.emitOpError("argument #")
               << arg.getArgNumber() << " of type " << arg.getType()
               << " holds " << why;
    WalkResult walk = kernel.walk([&](Operation *op) {
      for (Type type : op->getResultTypes())
        if (const char *why = unsupported(type)) {
          op->emitOpError("in kernel @")
              << kernel.getName() << " computes on " << why;
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    return failure(walk.wasInterrupted());
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::GPUModuleOp> gpuModules(module.getOps<gpu::GPUModuleOp>());
    if (gpuModules.empty())
      return;
    spirv::TargetEnvAttr env = targetEnv();
    if (!env)
      return signalPassFailure();
    MLIRContext *ctx = &getContext();
    auto abi = spirv::getEntryPointABIAttr(
        ctx, {static_cast<int32_t>(workgroupSize.getValue()), 1, 1});
    auto noOverflow = arith::IntegerOverflowFlagsAttr::get(
        ctx, arith::IntegerOverflowFlags::none);
    IRRewriter rewriter(ctx);
    for (gpu::GPUModuleOp gm : gpuModules) {
      gm.setTargetsAttr(ArrayAttr::get(ctx, {env}));
      for (gpu::GPUFuncOp fn : gm.getOps<gpu::GPUFuncOp>()) {
        if (!fn.isKernel())
          continue;
        if (failed(checkTypes(fn, env)))
          return signalPassFailure();
        // A kernel launched with its own block size (a tiled matmul) keeps
        // it; the others are the flat loops tiled by workgroup-size.
        if (std::optional<ArrayRef<int32_t>> block = fn.getKnownBlockSize())
          fn->setAttr(spirv::getEntryPointABIAttrName(),
                      spirv::getEntryPointABIAttr(ctx, *block));
        else
          fn->setAttr(spirv::getEntryPointABIAttrName(), abi);
        ++numKernels;
      }
      SmallVector<math::ErfOp> erfs;
      SmallVector<Operation *> halfMath;
      gm.walk([&](Operation *op) {
        if (isa<math::MathDialect>(op->getDialect()) &&
            llvm::any_of(op->getResultTypes(), [](Type t) {
              return getElementTypeOrSelf(t).isF16();
            }))
          halfMath.push_back(op);
        // Overflow flags would become NoSignedWrap decorations (SPIR-V 1.4
        // or an extension); they are only hints.
        if (auto flags =
                dyn_cast<arith::ArithIntegerOverflowFlagsInterface>(op))
          op->setAttr(flags.getIntegerOverflowAttrName(), noOverflow);
        if (auto erf = dyn_cast<math::ErfOp>(op))
          erfs.push_back(erf);
      });
      // f16 functions run in f32: the SPIR-V patterns of some (exp) would
      // otherwise leave unrealized f16 <-> f32 casts, and f32 is more
      // accurate (the result is rounded once).
      for (Operation *op : halfMath) {
        promoteToF32(rewriter, op);
        ++numPromoted;
      }
      for (math::ErfOp erf : erfs) {
        rewriter.setInsertionPoint(erf);
        rewriter.replaceOp(
            erf, erfAsArithmetic(rewriter, erf.getLoc(), erf.getOperand()));
        ++numErf;
      }
    }
  }

  /// Rewrites the f16 math op `op` on f32: its f16 operands extended, a
  /// copy computing in f32, the result truncated back.
  static void promoteToF32(RewriterBase &rewriter, Operation *op) {
    auto widen = [&](Type t) -> Type {
      Type f32 = rewriter.getF32Type();
      if (!getElementTypeOrSelf(t).isF16())
        return t;
      if (auto shaped = dyn_cast<ShapedType>(t))
        return shaped.clone(f32);
      return f32;
    };
    Location loc = op->getLoc();
    rewriter.setInsertionPoint(op);
    IRMapping map;
    for (Value operand : op->getOperands())
      if (getElementTypeOrSelf(operand.getType()).isF16())
        map.map(operand, arith::ExtFOp::create(
                             rewriter, loc, widen(operand.getType()), operand));
    Operation *wide = rewriter.clone(*op, map);
    for (OpResult r : wide->getResults())
      r.setType(widen(r.getType()));
    SmallVector<Value> results;
    for (auto [old, now] :
         llvm::zip_equal(op->getResults(), wide->getResults()))
      results.push_back(old.getType() == now.getType()
                            ? Value(now)
                            : Value(arith::TruncFOp::create(
                                  rewriter, loc, old.getType(), now)));
    rewriter.replaceOp(op, results);
  }

  /// erf(x) = sign(x) (1 - t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) e^-x^2)
  /// with t = 1 / (1 + p |x|) (Abramowitz and Stegun 7.1.26; absolute error
  /// below 1.5e-7).
  static Value erfAsArithmetic(OpBuilder &b, Location loc, Value x) {
    Type type = x.getType();
    auto c = [&](double v) -> Value {
      TypedAttr attr = b.getFloatAttr(getElementTypeOrSelf(type), v);
      if (auto shaped = dyn_cast<ShapedType>(type))
        attr = DenseElementsAttr::get(shaped, attr);
      return arith::ConstantOp::create(b, loc, type, attr);
    };
    const double p = 0.3275911;
    const double a[] = {0.254829592, -0.284496736, 1.421413741, -1.453152027,
                        1.061405429};
    Value ax = math::AbsFOp::create(b, loc, x);
    Value t = arith::DivFOp::create(
        b, loc, c(1.0),
        arith::AddFOp::create(b, loc, c(1.0),
                              arith::MulFOp::create(b, loc, c(p), ax)));
    Value poly = c(a[4]);
    for (int i = 3; i >= 0; --i)
      poly = arith::AddFOp::create(b, loc, c(a[i]),
                                   arith::MulFOp::create(b, loc, t, poly));
    Value e = math::ExpOp::create(
        b, loc,
        arith::NegFOp::create(b, loc, arith::MulFOp::create(b, loc, ax, ax)));
    Value y = arith::SubFOp::create(
        b, loc, c(1.0),
        arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, t, poly),
                              e));
    return math::CopySignOp::create(b, loc, y, x);
  }
};

//===----------------------------------------------------------------------===//
// dnnf-nest-spirv-modules, dnnf-pin-spirv-version
//===----------------------------------------------------------------------===//

/// The prefix convert-gpu-to-spirv gives a converted module's name.
constexpr llvm::StringLiteral kSpirvPrefix = "__spv__";

struct NestSpirvModulesPass
    : public dnnf::impl::DnnfNestSpirvModulesBase<NestSpirvModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (spirv::ModuleOp sm :
         llvm::make_early_inc_range(module.getOps<spirv::ModuleOp>())) {
      std::optional<StringRef> name = sm.getName();
      auto owner = name && name->starts_with(kSpirvPrefix)
                       ? symbols.lookup<gpu::GPUModuleOp>(
                             name->drop_front(kSpirvPrefix.size()))
                       : gpu::GPUModuleOp();
      if (!owner) {
        sm.emitOpError("has no gpu.module it was converted from (expected "
                       "a name '")
            << kSpirvPrefix << "<gpu.module name>')";
        return signalPassFailure();
      }
      sm->moveBefore(&owner.getBody()->front());
      ++numNested;
    }
  }
};

struct PinSpirvVersionPass
    : public dnnf::impl::DnnfPinSpirvVersionBase<PinSpirvVersionPass> {
  void runOnOperation() override {
    getOperation().walk([&](gpu::GPUModuleOp gm) {
      spirv::TargetEnvAttr env;
      if (ArrayAttr targets = gm.getTargetsAttr())
        for (Attribute t : targets)
          if ((env = dyn_cast<spirv::TargetEnvAttr>(t)))
            break;
      if (!env)
        return;
      for (spirv::ModuleOp sm : gm.getOps<spirv::ModuleOp>()) {
        std::optional<spirv::VerCapExtAttr> triple = sm.getVceTriple();
        if (!triple)
          continue;
        SmallVector<spirv::Capability> caps(triple->getCapabilities());
        SmallVector<spirv::Extension> exts(triple->getExtensions());
        sm.setVceTripleAttr(spirv::VerCapExtAttr::get(env.getVersion(), caps,
                                                      exts, &getContext()));
      }
    });
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// --dnnf-spirv-pipeline
//===----------------------------------------------------------------------===//

void mlir::dnnf::buildSpirvPipeline(OpPassManager &pm,
                                    const SpirvPipelineOptions &options) {
  // dnnf -> linalg on tensors -> buffers -> one scf.parallel per linalg op.
  pm.addPass(createConvertDnnfToLinalg());
  pm.addPass(createCanonicalizerPass());
  if (options.convToMatmul) {
    pm.addNestedPass<func::FuncOp>(createDnnfConvToMatmul());
    pm.addPass(createCanonicalizerPass());
  }
  DnnfElementwiseFusionOptions fusion;
  fusion.keepContractions = options.tileMatmuls;
  pm.addNestedPass<func::FuncOp>(createDnnfElementwiseFusion(fusion));
  pm.addPass(createCSEPass());
  bufferization::OneShotBufferizePassOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createDnnfLowerMemrefCopy());
  if (options.tileMatmuls) {
    DnnfGpuTileMatmulsOptions tiled;
    tiled.tile = options.matmulTile;
    tiled.threadTile = options.matmulThreadTile;
    tiled.kTile = options.matmulKTile;
    tiled.fuseEpilogues = options.matmulEpilogues;
    pm.addNestedPass<func::FuncOp>(createDnnfGpuTileMatmuls(tiled));
  }
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createCanonicalizerPass());
  // One flat loop per kernel, tiled onto workgroups and invocations, then
  // outlined into gpu.funcs.
  DnnfFlattenParallelLoopsOptions flatten;
  flatten.workgroupSize = options.workgroupSize;
  pm.addNestedPass<func::FuncOp>(createDnnfFlattenParallelLoops(flatten));
  pm.addNestedPass<func::FuncOp>(memref::createFoldMemRefAliasOpsPass());
  pm.addPass(createParallelLoopTilingPass(
      {static_cast<int64_t>(options.workgroupSize)},
      /*noMinMaxBounds=*/true));
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Target, entry-point ABI, SPIR-V-ready math; then SPIR-V.
  DnnfPrepareSpirvKernelsOptions prepare;
  prepare.vulkanVersion = options.vulkanVersion;
  prepare.capabilities.assign(options.capabilities.begin(),
                              options.capabilities.end());
  prepare.extensions.assign(options.extensions.begin(),
                            options.extensions.end());
  prepare.subgroupSize = options.subgroupSize;
  prepare.workgroupSize = options.workgroupSize;
  prepare.fp16 = options.fp16;
  pm.addPass(createDnnfPrepareSpirvKernels(prepare));
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(arith::createArithExpandOpsPass());
  kernels.addPass(math::createMathExpandOpsPass());
  kernels.addPass(createConvertMathToSPIRVPass());
  pm.addPass(createConvertGPUToSPIRVPass());
  pm.addPass(createDnnfNestSpirvModules());
  OpPassManager &spirvModules =
      pm.nest<gpu::GPUModuleOp>().nest<spirv::ModuleOp>();
  spirvModules.addPass(spirv::createSPIRVLowerABIAttributesPass());
  spirvModules.addPass(spirv::createSPIRVUpdateVCEPass());
  pm.addPass(createDnnfPinSpirvVersion());
  if (options.serialize) {
    GpuModuleToBinaryPassOptions binary;
    binary.compilationTarget = "bin";
    pm.addPass(createGpuModuleToBinaryPass(binary));
  }
}
