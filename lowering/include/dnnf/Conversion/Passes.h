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

/// Where `--dnnf-cpu-pipeline` takes its fusion decisions from.
enum class CpuFusion {
  /// No plan: upstream elementwise fusion over whole functions.
  Linalg,
  /// The DNNFusion plan of `--dnnf-fuse`; each block is one kernel.
  Dnnf,
  /// `--dnnf-fuse{mode=fixed-pattern}`; each block is one kernel.
  FixedPattern,
  /// Every dnnf op is a kernel of its own.
  None,
};

/// Options of `--dnnf-cpu-pipeline`.
struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<CpuFusion> fusion{
      *this, "fusion",
      llvm::cl::desc(
          "Fusion: linalg = no plan, upstream elementwise fusion over whole "
          "functions; dnnf / fixed-pattern = the plan of dnnf-fuse{mode=...}, "
          "each block lowered as one outlined kernel (dnnf-outline-kernels), "
          "nothing fused across blocks; none = one kernel per dnnf op"),
      llvm::cl::init(CpuFusion::Linalg),
      llvm::cl::values(
          clEnumValN(CpuFusion::Linalg, "linalg",
                     "upstream elementwise fusion, no plan"),
          clEnumValN(CpuFusion::Dnnf, "dnnf", "DNNFusion plan (dnnf-fuse)"),
          clEnumValN(CpuFusion::FixedPattern, "fixed-pattern",
                     "fixed-pattern plan (dnnf-fuse{mode=fixed-pattern})"),
          clEnumValN(CpuFusion::None, "none", "one kernel per dnnf op"))};
  PassOptions::Option<std::string> profileDb{
      *this, "profile-db",
      llvm::cl::desc("fusion=dnnf: the profiling database that decides the "
                     "profile cells of the plan by measured latency "
                     "(dnnf-fuse{profile-db}, entries of this CPU measured "
                     "with `threads`); `dnnf compile --profile` fills it")};
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
  PassOptions::Option<bool> fusePools{
      *this, "fuse-pools",
      llvm::cl::desc("Fuse convolutions into the row tiles of the unpadded "
                     "pool reading them "
                     "(dnnf-tile-vectorize{fuse-pools})"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> packActivations{
      *this, "pack-activations",
      llvm::cl::desc("Copy the non-constant B operand of each matmul cache "
                     "tile into 32-column panels at run time "
                     "(dnnf-tile-vectorize{pack-activations})"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> implicitGemm{
      *this, "implicit-gemm",
      llvm::cl::desc("Compute stride-1 convolutions larger than 1x1 as "
                     "implicit GEMMs over their padded input instead of "
                     "through an im2col copy "
                     "(dnnf-conv-to-matmul{implicit-gemm})"),
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

/// Options of `--dnnf-spirv-pipeline`.
struct SpirvPipelineOptions : public PassPipelineOptions<SpirvPipelineOptions> {
  PassOptions::Option<std::string> vulkanVersion{
      *this, "vulkan-version",
      llvm::cl::desc("Vulkan version of the target: 1.0, 1.1, 1.2 or 1.3 "
                     "(SPIR-V 1.0, 1.3, 1.5, 1.6)"),
      llvm::cl::init("1.0")};
  PassOptions::ListOption<std::string> capabilities{
      *this, "capabilities",
      llvm::cl::desc("SPIR-V capabilities of the target (default: Shader; "
                     "add Int64 for models with 64-bit integers)")};
  PassOptions::ListOption<std::string> extensions{
      *this, "extensions",
      llvm::cl::desc("SPIR-V extensions of the target (default: "
                     "SPV_KHR_storage_buffer_storage_class)")};
  PassOptions::Option<int> subgroupSize{
      *this, "subgroup-size", llvm::cl::desc("Subgroup size of the target"),
      llvm::cl::init(32)};
  PassOptions::Option<int> workgroupSize{
      *this, "workgroup-size",
      llvm::cl::desc("Invocations per workgroup of every kernel (1 to 1024)"),
      llvm::cl::init(64)};
  PassOptions::Option<bool> fp16{
      *this, "fp16",
      llvm::cl::desc("The target has Float16 arithmetic and 16-bit storage "
                     "buffers (capabilities Float16, "
                     "StorageBuffer16BitAccess)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> convToMatmul{
      *this, "conv-to-matmul",
      llvm::cl::desc("Convolutions as im2col + matmul, depthwise ones as "
                     "sums of strided slices (dnnf-conv-to-matmul)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> tileMatmuls{
      *this, "tile-matmuls",
      llvm::cl::desc("Matmuls as workgroup-tiled kernels staging operand "
                     "tiles in workgroup memory (dnnf-gpu-tile-matmuls)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> matmulTile{
      *this, "matmul-tile",
      llvm::cl::desc("Edge of the block of C a tiled matmul's workgroup "
                     "computes"),
      llvm::cl::init(32)};
  PassOptions::Option<int64_t> matmulThreadTile{
      *this, "matmul-thread-tile",
      llvm::cl::desc("Edge of the block of C one invocation computes"),
      llvm::cl::init(4)};
  PassOptions::Option<int64_t> matmulKTile{
      *this, "matmul-k-tile",
      llvm::cl::desc("K step of the tiled matmuls (staged in workgroup "
                     "memory)"),
      llvm::cl::init(16)};
  PassOptions::Option<bool> matmulEpilogues{
      *this, "matmul-epilogues",
      llvm::cl::desc("Compute the elementwise op after a tiled matmul (bias, "
                     "BatchNorm, activation, residual) in the matmul's "
                     "kernel"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> serialize{
      *this, "serialize",
      llvm::cl::desc("Serialize each kernel module to a gpu.binary "
                     "(gpu-module-to-binary{format=bin})"),
      llvm::cl::init(false)};
};

/// dnnf -> linalg -> buffers -> flat parallel loops -> GPU kernels ->
/// SPIR-V modules (nested in their gpu.modules) [-> gpu.binary].
void buildSpirvPipeline(OpPassManager &pm, const SpirvPipelineOptions &options);

/// Registers `--dnnf-cpu-pipeline` and `--dnnf-spirv-pipeline`.
void registerDnnfPipelines();

/// Registers every dnnf conversion pass and pipeline (idempotent).
void registerDnnfConversions();

} // namespace dnnf
} // namespace mlir

#endif // DNNF_CONVERSION_PASSES_H
