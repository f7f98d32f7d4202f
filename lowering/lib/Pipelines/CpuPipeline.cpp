//===- CpuPipeline.cpp - --dnnf-cpu-pipeline ------------------------------===//
//
// dnnf -> linalg (tensors) -> one-shot bufferization -> loops -> LLVM.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"
#include "dnnf/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::dnnf::buildCpuPipeline(OpPassManager &pm,
                                  const CpuPipelineOptions &options) {
  // With a fusion plan, each block (and each op outside one) is outlined
  // into a kernel function: the lowering and fusion passes below run per
  // function, so nothing fuses across a block boundary, and the kernels are
  // inlined back before bufferization.
  bool plan = options.fusion != CpuFusion::Linalg;
  if (options.fusion == CpuFusion::Dnnf ||
      options.fusion == CpuFusion::FixedPattern) {
    DnnfFuseOptions fuse;
    fuse.mode = options.fusion == CpuFusion::Dnnf ? "dnnf" : "fixed-pattern";
    // The tiled matmuls take epilogues, not prologues.
    fuse.anchorEpilogues = true;
    fuse.profileDb = options.profileDb;
    fuse.profileThreads = options.threads;
    pm.addPass(createDnnfFuse(fuse));
  }
  if (plan) {
    DnnfOutlineKernelsOptions outline;
    outline.everyOp = true;
    pm.addPass(createDnnfOutlineKernels(outline));
  }
  pm.addPass(createConvertDnnfToLinalg());
  pm.addPass(createCanonicalizerPass());
  // Contractions are scheduled before elementwise fusion, whose reshape
  // propagation would turn the named matmuls into generics.
  if (options.vectorize) {
    // Stride-1 convolutions larger than 1x1 become implicit GEMMs over
    // their padded input, which --dnnf-tile-vectorize schedules.
    DnnfConvToMatmulOptions convToMatmul;
    convToMatmul.implicitGemm = options.implicitGemm;
    pm.addNestedPass<func::FuncOp>(createDnnfConvToMatmul(convToMatmul));
    pm.addPass(createCanonicalizerPass());
    if (plan)
      pm.addPass(createDnnfMoveKernelPads());
    DnnfTileVectorizeOptions tileVectorize;
    tileVectorize.fuseEpilogues = options.fuseEpilogues;
    tileVectorize.packActivations = options.packActivations;
    tileVectorize.fusePools = options.fusePools;
    pm.addNestedPass<func::FuncOp>(createDnnfTileVectorize(tileVectorize));
  }
  pm.addNestedPass<func::FuncOp>(createDnnfElementwiseFusion());
  if (plan)
    pm.addPass(createDnnfInlineKernels());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createDnnfPrepareBufferization());
  if (options.threads > 1) {
    DnnfParallelizeOptions parallelize;
    parallelize.threads = options.threads;
    pm.addNestedPass<func::FuncOp>(createDnnfParallelize(parallelize));
  }
  if (options.vectorize)
    pm.addNestedPass<func::FuncOp>(createDnnfVectorizeRows());

  bufferization::OneShotBufferizePassOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addNestedPass<func::FuncOp>(createDnnfReadPaddedInteriors());
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  if (options.outParams) {
    pm.addNestedPass<func::FuncOp>(createDnnfUnaliasResults());
    bufferization::BufferResultsToOutParamsPassOptions outParams;
    outParams.hoistStaticAllocs = true;
    outParams.modifyPublicFunctions = true;
    pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  }
  pm.addPass(createCanonicalizerPass());
  bufferization::BufferDeallocationPipelineOptions dealloc;
  bufferization::buildBufferDeallocationPipeline(pm, dealloc);

  pm.addPass(createDnnfLowerMemrefCopy());
  // The scf.forall loops (matmul cache tiles, dnnf-parallelize chunks)
  // become scf.parallel; with threads > 1 each is outlined, and its launch
  // becomes a call of dnnf's thread pool once in the LLVM dialect
  // (dnnf-parallel-to-runtime; the code then needs libdnnf_runtime.so).
  pm.addPass(createForallToParallelLoopPass());
  if (options.threads > 1)
    pm.addPass(createDnnfOutlineParallel());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertVectorToSCFPass());
  if (options.approximateMath)
    pm.addNestedPass<func::FuncOp>(createDnnfApproximateMath());
  pm.addNestedPass<func::FuncOp>(createDnnfHoistAllocas());
  pm.addPass(createDnnfWidenBoolMemrefs());
  // bf16 arithmetic runs in f32; the remaining conversions become integer
  // code (no compiler-runtime calls, whatever the CPU).
  arith::ArithEmulateUnsupportedFloatsOptions bf16;
  bf16.sourceTypeStrs = {"bf16"};
  bf16.targetTypeStr = "f32";
  pm.addPass(arith::createArithEmulateUnsupportedFloats(bf16));
  pm.addPass(createDnnfExpandBf16());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToLLVMPass());
  // Functions marked `llvm.emit_c_interface` (the runtime marks @main) get
  // _mlir_ciface_ wrappers taking memref descriptors.
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  if (options.threads > 1)
    pm.addPass(createDnnfParallelToRuntime());
  pm.addPass(createCanonicalizerPass());
}

void mlir::dnnf::registerDnnfPipelines() {
  PassPipelineRegistration<CpuPipelineOptions>(
      "dnnf-cpu-pipeline",
      "Lower dnnf to the LLVM dialect for CPUs: dnnf -> linalg -> "
      "bufferization -> loops -> LLVM",
      buildCpuPipeline);
  PassPipelineRegistration<SpirvPipelineOptions>(
      "dnnf-spirv-pipeline",
      "Lower dnnf to SPIR-V kernels for Vulkan: dnnf -> linalg -> "
      "bufferization -> flat parallel loops -> gpu kernels -> spirv.module "
      "inside each gpu.module [-> gpu.binary]",
      buildSpirvPipeline);
}
