//===- Passes.h - dnnf conversions and pipelines ----------------*- C++ -*-===//

#ifndef DNNF_CONVERSION_PASSES_H
#define DNNF_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir {
class RewritePatternSet;
class ConversionTarget;
class TypeConverter;
namespace dnnf {

#define GEN_PASS_DECL
#include "dnnf/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dnnf/Conversion/Passes.h.inc"

/// Patterns lowering dnnf ops to linalg/tensor/arith/math.
void populateDnnfToLinalgPatterns(RewritePatternSet &patterns);

/// Options of `--dnnf-cpu-pipeline`.
struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Rewrite convolutions as matmuls, tile and vectorize "
                     "matmuls, vectorize short elementwise rows "
                     "(dnnf-conv-to-matmul, dnnf-tile-vectorize, "
                     "dnnf-vectorize-rows)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> approximateMath{
      *this, "approximate-math",
      llvm::cl::desc("Polynomial approximations of f32 exp, log, tanh, erf "
                     "(dnnf-approximate-math) instead of libm calls"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> fuseEpilogues{
      *this, "fuse-epilogues",
      llvm::cl::desc("Fuse the elementwise ops consuming a matmul into its "
                     "cache tiles (dnnf-tile-vectorize{fuse-epilogues})"),
      llvm::cl::init(true)};
  PassOptions::Option<int> threads{
      *this, "threads",
      llvm::cl::desc(
          "Threads: 1 = sequential code; N > 1 = matmul tiles and large "
          "linalg ops split N ways (dnnf-parallelize), run as tasks on "
          "dnnf's thread pool (the code then needs libdnnf_runtime.so)"),
      llvm::cl::init(1)};
  PassOptions::Option<bool> outParams{
      *this, "out-params",
      llvm::cl::desc("Return results through caller-allocated buffers "
                     "(destination-passing style, used by the runtime)"),
      llvm::cl::init(false)};
};

/// dnnf -> linalg -> bufferization -> loops -> LLVM dialect.
void buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options);

/// Registers `--dnnf-cpu-pipeline`.
void registerDnnfPipelines();

/// Registers every dnnf conversion pass and pipeline (idempotent).
void registerDnnfConversions();

} // namespace dnnf
} // namespace mlir

#endif // DNNF_CONVERSION_PASSES_H
