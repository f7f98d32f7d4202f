//===- Passes.td - dnnf conversion passes ------------------*- tablegen -*-===//

#ifndef DNNF_CONVERSION_PASSES_TD
#define DNNF_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertDnnfToLinalg : Pass<"convert-dnnf-to-linalg"> {
  let summary = "Lower dnnf ops to linalg, tensor, arith and math";
  let description = [{
    Rewrites every dnnf op into upstream tensor-level dialects, in upstream
    style: named linalg ops where they exist (matmul, batch_matmul,
    convolutions, pooling, transpose, softmax), `linalg.generic` otherwise,
    with exact ONNX broadcasting, padding, groups, dilations and strides.
    Resize tables (taps and weights) and einsum / transposed-convolution
    index maps are computed at compile time from the static shapes.  16-bit
    floats accumulate in f32 (contractions, pooling, reductions,
    normalisations) and elementwise ops on them compute in f32 and round
    once.  Ops whose results have no elements become `tensor.empty`.
    `dnnf.fused` blocks are inlined (one kernel per block comes with fusion
    code generation).  An op that cannot be lowered (unsigned element types,
    dynamic shapes, the few instances listed in `unsupportedReason`) is
    reported with the reason and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect",
  ];
  let statistics = [
    Statistic<"numLowered", "lowered-ops", "Number of dnnf ops lowered">,
  ];
}

def DnnfOutlineKernels : Pass<"dnnf-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Outline every dnnf.fused block (and, optionally, every other "
                "dnnf op) into a private kernel function";
  let description = [{
    Makes a fusion plan binding for code generation.  Each `dnnf.fused` in
    the body of a function becomes a private `func.func` (named after the
    function: `@main_kernel3`, marked `dnnf.kernel` with the block's mapping
    type) called where the block was; with `every-op`, every other dnnf op
    but `dnnf.constant` becomes a one-op kernel too.  Constants a kernel
    reads are cloned into it (the lowering needs shape, pad and weight
    operands to be constants; weights are `dense_resource` handles, so no
    data is copied), so a kernel's arguments are the non-constant values
    crossing the block boundary.

    The function boundary keeps fusion inside a block: run the lowering,
    matmul tiling with epilogues and elementwise fusion on the outlined
    kernels, then `--dnnf-inline-kernels` puts their bodies back before
    bufferization.  `--dnnf-cpu-pipeline{fusion=dnnf|fixed-pattern|none}`
    does exactly that.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
  let options = [
    Option<"everyOp", "every-op", "bool", /*default=*/"false",
           "Also outline each dnnf op outside a block as its own kernel">,
  ];
  let statistics = [
    Statistic<"numBlocks", "blocks", "dnnf.fused blocks outlined">,
    Statistic<"numSingleOps", "single-ops", "Single dnnf ops outlined">,
    Statistic<"numConstants", "constants", "Constants cloned into kernels">,
  ];
}

def DnnfMoveKernelPads : Pass<"dnnf-move-kernel-pads", "::mlir::ModuleOp"> {
  let summary = "Move the padding of a kernel's input into the kernel that "
                "produces it";
  let description = [{
    Between kernels outlined by `--dnnf-outline-kernels` (after the
    lowering to linalg), a `tensor.pad` that is the only reader of a
    kernel's argument moves into the kernel producing that argument when
    the value has no other reader: the producer returns the padded tensor,
    the consumer takes it.  The producer then writes its result straight
    into the interior of the padded buffer (a matmul's epilogue tiled by
    rows, `--dnnf-tile-vectorize`), as it does without outlining, instead of
    the consumer copying it: the block boundary carries the layout the
    consumer reads (DNNFusion's inter-block layout), not an extra copy.
  }];
  let statistics = [
    Statistic<"numMoved", "moved-pads", "Pads moved into the producing kernel">,
  ];
}

def DnnfInlineKernels : Pass<"dnnf-inline-kernels", "::mlir::ModuleOp"> {
  let summary = "Inline the kernel functions of --dnnf-outline-kernels back "
                "into their callers";
  let description = [{
    Replaces each call of a `dnnf.kernel` function by the function's body
    (its single block) and erases the kernels left without calls, so that
    bufferization, buffer reuse and parallelization see the whole graph
    again while the fusion decisions made inside each kernel stay as they
    are.

    Before inlining, it counts the loop nests each kernel was lowered to
    (linalg structured ops other than fills, loops, pads and concatenations
    at the top level of its body):
    a kernel of one loop nest materialises nothing inside, more loop nests
    mean intermediates inside the kernel (a reduction read through a
    broadcast, a transpose, a padded input).  `emit-remarks` reports every
    kernel of more than one loop nest.
  }];
  let options = [
    Option<"emitRemarks", "emit-remarks", "bool", /*default=*/"false",
           "Remark on each kernel lowered to more than one loop nest">,
  ];
  let statistics = [
    Statistic<"numKernels", "kernels", "Kernel functions inlined">,
    Statistic<"numLoopNests", "loop-nests",
              "Loop nests in the kernels (linalg ops but fills, loops, pads)">,
    Statistic<"numMultiNest", "multi-nest-kernels",
              "Kernels of more than one loop nest">,
  ];
}

def DnnfLowerMemrefCopy : Pass<"dnnf-lower-memref-copy"> {
  let summary = "Rewrite memref.copy into linalg.copy";
  let description = [{
    `memref.copy` between non-contiguous memrefs lowers to a call of
    `memrefCopy` from `libmlir_c_runner_utils.so`, which links its own
    `libMLIR.so`.  Loading it into a Python process that already holds the
    bindings' MLIR copy breaks the one-MLIR-per-process rule, so dnnf turns
    every copy into a `linalg.copy`, which lowers to plain loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
  let statistics = [
    Statistic<"numCopies", "copies", "Number of memref.copy ops rewritten">,
  ];
}

def DnnfExpandBf16 : Pass<"dnnf-expand-bf16"> {
  let summary = "Expand bf16 <-> f32 conversions into integer arithmetic";
  let description = [{
    On CPUs without native bf16 conversions, LLVM lowers a truncation to
    bf16 to a call of `__truncsfbf2`, which older compiler runtimes (GCC
    12's libgcc) lack, so the JIT could not resolve it.  Run after
    `arith-emulate-unsupported-floats{source-types=bf16}` (which leaves bf16
    only in `arith.extf` / `arith.truncf`), this pass rewrites those into
    shifts and integer rounding (round to nearest even, NaNs kept quiet),
    exactly as the hardware instructions do.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def DnnfElementwiseFusion
    : Pass<"dnnf-elementwise-fusion", "::mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg.generic ops without recomputing broadcast producers";
  let description = [{
    Upstream's `linalg-fuse-elementwise-ops` (a producer generic with one
    use fuses into its consumer; reshapes fold into generics by expansion;
    canonicalization and constant folding), with one difference: a producer
    generic that the consumer reads through a broadcasting indexing map (a
    map that drops some of the consumer's loops) stays a separate op.  Fused,
    it would be recomputed for every element it is broadcast to: for
    example, a BatchNorm's per-channel factor `scale / sqrt(var + eps)` once
    per pixel, or a LayerNorm's `rsqrt(var + eps)` once per element of the
    row, instead of once per channel or row.
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
  let statistics = [
    Statistic<"numKeptApart", "kept-apart",
              "Broadcast producers left unfused (computed once)">,
  ];
  let options = [
    Option<"keepContractions", "keep-contractions", "bool", /*default=*/"false",
           "Leave linalg.matmul / batch_matmul out of fusion and reshape "
           "propagation (the GPU path, which tiles them on buffers: an "
           "im2col fused into its matmul would be a naive convolution again)">,
    Option<"fuseBroadcasts", "fuse-broadcasts", "bool", /*default=*/"false",
           "Also fuse producers read through broadcasts (upstream's rule)">,
  ];
}

def DnnfPrepareBufferization
    : Pass<"dnnf-prepare-bufferization", "::mlir::func::FuncOp"> {
  let summary = "Rewrite tensor IR so that one-shot bufferization writes in place";
  let description = [{
    Run before `eliminate-empty-tensors` and `one-shot-bufferize`:

    - A `linalg.fill` with several uses (CSE merges the zero inits of equal
      shapes) is cloned before each further use.  A shared fill would be
      bufferized once and copied for every other destination.
    - A `tensor.pad` with static shapes and a constant padding value becomes
      a `linalg.fill` of the padded tensor and a `tensor.insert_slice` of the
      source.  The fill is created before the source's producer, so that
      `eliminate-empty-tensors` can give that producer the interior of the
      padded buffer as its destination: the producer then writes there
      directly, and neither the pad's copy nor its sequential fill remain
      (the fill is an ordinary linalg op that `--dnnf-parallelize` splits).
    - A `tensor.insert_slice` of a `tensor.expand_shape` (a convolution's
      `[C, H*W]` matmul result viewed as NCHW and inserted into a
      concatenation) inserts the unexpanded value into a `collapse_shape` of
      the destination, when the slice is contiguous in every group of the
      reshape; a reshape of a `tensor.empty` becomes a `tensor.empty`.
      The empty tensor a concatenation is built in gets one per use (CSE
      merges equal ones, and two concatenations sharing one buffer would be
      copied out of it) and moves before the empty tensors its parts are
      computed in (unless a part is itself a concatenation), and every
      top-level `insert_slice` (and reshape) moves up to just after its
      operands' definitions: `eliminate-empty-tensors` can then have each
      part's producer write its slice of the concatenated buffer directly
      (no copy).  Other empty tensors stay shared, so that equal-shaped
      temporaries keep reusing one buffer.
    - A concatenation that begins with an earlier one (its result as the
      first part, or all of its parts, which then become one insert of its
      result) has the earlier one built in its leading slice: the earlier
      empty tensor becomes an `extract_slice` of the later one, which moves
      before it, and the earlier result's `insert_slice` moves down to just
      before the next part's, after the earlier result's readers.  A
      DenseNet block is then one buffer that every layer's concatenation is
      a prefix of, and each feature map is written once, in place, instead
      of copied into every later concatenation (DenseNet-121: 54
      concatenations, 13% faster on two threads).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
  let statistics = [
    Statistic<"numFills", "unshared-fills", "Fills cloned for their uses">,
    Statistic<"numPads", "decomposed-pads", "Pads rewritten as fill + insert_slice">,
    Statistic<"numReshapedInserts", "reshaped-inserts", "Insert_slices of expand_shapes rewritten on the collapsed destination">,
    Statistic<"numHoisted", "hoisted-inserts", "Insert_slices and reshapes moved up to their operands, and concatenation destinations moved before their parts">,
    Statistic<"numSharedConcats", "shared-concats", "Concatenations that start with an earlier one, built in one buffer with it">,
  ];
}

def DnnfReadPaddedInteriors
    : Pass<"dnnf-read-padded-interiors", "::mlir::func::FuncOp"> {
  let summary = "Read a padded value back from its padded buffer";
  let description = [{
    Run right before `eliminate-empty-tensors` and `one-shot-bufferize`
    (after the passes that fold IR, which would fold the reads back).  For
    each top-level `tensor.insert_slice` of a value into a filled tensor
    (a `tensor.pad` as `--dnnf-prepare-bufferization` decomposes it: a
    `linalg.fill`, or the `scf.forall` that `--dnnf-parallelize` splits it
    into) whose value has other readers, the readers after the insert read
    an `extract_slice` of the insert's result instead: the interior of the
    padded buffer.  Without this, one-shot bufferization sees the value read
    after the insert wrote the buffer it lives in, and gives its producer a
    copy of the interior that is copied back afterwards (an Inception
    block's input, read by three convolutions and padded for the max pool;
    LRN's input, padded across channels and read again for the division).
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
  let statistics = [
    Statistic<"numRedirected", "redirected", "Values whose later readers read the padded buffer's interior">,
  ];
}

def DnnfUnaliasResults : Pass<"dnnf-unalias-results", "::mlir::func::FuncOp"> {
  let summary = "Return a distinct buffer for every function result";
  let description = [{
    After bufferization, a function may return the same buffer twice (two
    graph outputs computing the same value, or empty results that CSE
    merged).  `buffer-results-to-out-params` with `hoist-static-allocs`
    would then replace that allocation by the first out-parameter and use
    the erased allocation for the second.  This pass gives every repeated
    result operand of `func.return` its own allocation and a `memref.copy`
    of the value.  Only static shapes are handled (the lowering rejects
    dynamic ones).
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
  let statistics = [
    Statistic<"numCopies", "copies", "Number of repeated results copied">,
  ];
}

def DnnfWidenBoolMemrefs : Pass<"dnnf-widen-bool-memrefs", "::mlir::ModuleOp"> {
  let summary = "Store booleans as bytes: memref<...xi1> becomes memref<...xi8>";
  let description = [{
    The LLVM lowering of `memref.load`/`memref.store` does not handle
    sub-byte element types, and numpy stores a bool in one byte.  This pass
    (run on loops, after bufferization and `convert-linalg-to-loops`) gives
    every `i1` memref (function arguments and results, allocations, views,
    globals) the same shape and layout with `i8` elements: loads are
    followed by `arith.trunci`, stores preceded by `arith.extui`, and
    `memref.global` initial values become `i8` (0 or 1).  Only element-type
    agnostic ops may carry such memrefs besides loads and stores; any other
    use is reported as an error.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
  let statistics = [
    Statistic<"numWidened", "widened-values", "Number of i1 memref values widened">,
  ];
}

def DnnfConvToMatmul : Pass<"dnnf-conv-to-matmul", "::mlir::func::FuncOp"> {
  let summary = "Rewrite batch-1 NCHW 2-D convolutions as matmuls";
  let description = [{
    On tensors: each static `linalg.conv_2d_nchw_fchw` with batch 1 becomes
    one `linalg.matmul` of the weights, collapsed to F x (C*KH*KW), by the
    input's columns, (C*KH*KW) x (OH*OW), expanded back to 1 x F x OH x OW.
    For a 1x1 stride-1 convolution the columns are the input itself (a
    reshape, no copy); otherwise an im2col `linalg.generic` gathers them
    (option `im2col`).  A grouped `linalg.conv_2d_ngchw_gfchw` becomes in
    the same way one `linalg.batch_matmul` over the groups,
    (G x F x C*KH*KW) by (G x C*KH*KW x OH*OW).  The matmul then gets the
    schedule of `--dnnf-tile-vectorize`.

    A batch-1 `linalg.depthwise_conv_2d_nchw_chw` becomes one elementwise
    `linalg.generic` over (c, oh, ow) that reads one strided input slice and
    one weight column per window position (out = init + sum in_k * w_k), so
    that elementwise fusion takes the bias and activation into its loop nest
    and LLVM vectorizes the innermost loop (option `max-window` bounds the
    window size).  Other convolutions are left unchanged.

    In the same way, a 2-D max or average pooling (the window `linalg.generic`
    of `--convert-dnnf-to-linalg`: `arith.maxnumf` or `arith.addf` of the
    output and the input over a kh x kw window) with at most `max-window`
    positions becomes one elementwise generic over (n, c, oh, ow) combining
    one strided input slice per window position, in the window's order from
    the init: the same operations in the same order, so bit-identical
    results, in rows that `--dnnf-vectorize-rows` vectorizes.

    With `implicit-gemm`, a batch-1 stride-1 f32 `linalg.conv_2d_nchw_fchw`
    larger than 1x1 whose init is a fill becomes an implicit GEMM instead:
    with its padded input [1, C, Hp, Wp] collapsed to in[C, Hp * Wp],
    output column n = oh * Wp + ow of window position (kh, kw) reads
    in[c, n + dh * Wp * kh + dw * kw], a shifted view of the input itself.
    One `linalg.generic` over (f, n, kh, kw, c) computes the product over all
    Wp columns of each output row, ext[F, OH * Wp], and the result is the
    [1, F, OH, OW] corner of its [1, F, OH, Wp] view (the other columns are
    never read).  The input's pad gets one more bottom row (or a pad is
    added), which the last row's extra columns read; the weights are
    permuted to [KH, KW, F, C], at compile time when they are constants.
    `--dnnf-tile-vectorize` schedules the generic.  No im2col copy is made
    (for a 3x3 convolution, 9x the input).
  }];
  let options = [
    Option<"im2col", "im2col", "bool", /*default=*/"true",
           "Also rewrite convolutions that need an im2col copy (kernels "
           "larger than 1x1, strides)">,
    Option<"implicitGemm", "implicit-gemm", "bool", /*default=*/"false",
           "Compute stride-1 convolutions larger than 1x1 as an implicit "
           "GEMM over their flattened padded input (no im2col copy), a "
           "linalg.generic that --dnnf-tile-vectorize schedules">,
    Option<"maxWindow", "max-window", "int64_t", /*default=*/"49",
           "Largest depthwise or pooling window (KH*KW) rewritten as an "
           "elementwise sum or max">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
  let statistics = [
    Statistic<"numConverted", "converted", "Convolutions rewritten as matmuls">,
    Statistic<"numIm2col", "im2col", "Of which through an im2col copy">,
    Statistic<"numImplicit", "implicit-gemm",
              "Of which as an implicit GEMM over the padded input">,
    Statistic<"numDepthwise", "depthwise",
              "Depthwise convolutions rewritten as elementwise sums">,
    Statistic<"numPools", "pools",
              "Window poolings rewritten as elementwise combinations">,
  ];
}

def DnnfTileVectorize : Pass<"dnnf-tile-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Cache- and register-tile linalg.matmul and vectorize the tiles";
  let description = [{
    On tensors, before bufferization: every static f32 `linalg.matmul` and
    `linalg.batch_matmul` is tiled twice: cache tiles (an `scf.forall` over
    the independent M x N tiles -- whole rows when the column tile is
    narrower than 64, so that concurrent tasks do not share C's cache lines
    -- and `scf.for` loops over the rest), then an 8 x 32 x 8 register tile
    (M and K: the largest candidates that divide them; N: 32, or all of a
    narrower N).  The
    register tile is vectorized with
    `linalg::vectorize`; MLIR's contraction lowering unrolls it and LLVM's
    optimizer turns it into vector FMAs (measured: 70.7 GFLOP/s on a 512^3
    f32 matmul, one thread, against 2.6 GFLOP/s for plain loops).  The
    `linalg.fill` that zeroes the result is fused into each cache tile.
    The register tiles of a cache tile go down each 32-column panel (N
    outside M), so that the panel of B the K loop reads stays in cache.
    Each register tile's accumulator stays in registers across its K loop
    (`hoistLoopInvariantSubsets`: the loop carries the vector, C is read
    before it and written after it).  When all of K is one cache tile, the
    fill is fused into the register tiles instead and folds away: each
    accumulator starts from zero and C is written once, never zeroed or
    read.  A fused epilogue rewrites the matmul's tile in place (the tile
    accumulates in the result's buffer; no temporary per task).  An
    epilogue whose result a `tensor.pad` reads (a 1x1 convolution feeding
    a padded 3x3 or depthwise convolution) writes the padded buffer's
    strided interior, which no 2-D tile maps onto: it is tiled over its
    [.., C, H, W] view by channels and whole rows of W (at most 256
    columns), the matmul's [channels, rows * W] block is fused into each
    tile through the expand_shape, and the task computes it in a
    temporary of its own (a stack buffer once outlined,
    `--dnnf-hoist-allocas`).  The product never goes through memory as a
    whole (MobileNetV2: 4.8 MB for its first expansion).  When 32 does not divide N the loop
    over the register tiles is peeled (`scf::peelForLoopAndSimplifyBounds`):
    full tiles, then one narrower static tile, all writing C in place.  A
    tile that is not a whole number of vectors wide (the remainder, or a
    narrow N) is padded with zeros to whole 16- (or 8-) float vectors, so
    that its loads and stores of B and C are masked and its FMAs full-width
    (measured: a 512 x 49 x 4608 matmul, one thread, 55 -> 113 GFLOP/s).
    Tiles take whole rows of C when its columns are not a whole number of
    register tiles, except in matmuls of at most 32 rows and at least 512
    columns: there would be few tasks, each reading all of a large B.  Those take equal column
    tiles whose width divides N (64 to 1024 wide, e.g. 605 of 3025 or 243 of
    729), each peeled on its own.

    The implicit-GEMM convolutions of `--dnnf-conv-to-matmul{implicit-gemm}`
    (ext[f, n] += w[kh, kw, f, c] * in[c, n + a * kh + b * kw], read through
    the [1, F, OH, OW] corner of ext's [1, F, OH, Wp] view) are tiled like
    row epilogues: the consumer of the corner (the fused chain of
    elementwise ops, or a copy) becomes an scf.forall over tasks of
    channels by whole output rows (up to 512 columns, at least 8 tasks where
    the shape allows), and each task computes its [channels, rows * Wp]
    block of the product in a zeroed temporary: scf.for loops over kh, kw
    and K tiles of channels, each step a `linalg.matmul` of the position's
    [channels, K tile] weights by the [K tile, rows * Wp] slice of `in` at
    column Wp * row + a * kh + b * kw, register-tiled and vectorized like
    the matmuls above.  The consumer then reads the block's corner.

    With `fuse-pools`, when the consumer's result is read only by a
    2-D pool without padding (as `--dnnf-conv-to-matmul` writes small-window
    pools: one elementwise generic over the window positions' strided
    slices, every window inside the corner), the pool is tiled instead
    (tasks of channels by whole pooled rows, the most whose window rows span
    at most 512 columns of the product), the consumer is fused into each
    task on the rows its windows read, and the product block covers those
    rows.  The same holds for a matmul (a 1x1 or strided convolution) whose
    [1, C, H, W] view is read by an unpadded pool, through a chain of
    elementwise ops or directly (a copy then stands for the chain): tasks of
    channels by pooled rows whose windows span at most 256 columns, each
    computing its block of the product.  Either way the convolution's output
    is never written as a whole: each task pools its rows while they are in
    cache, from a temporary of the task's size.  Overlapping windows (a 3x3
    stride-2 pool) recompute the one product row that two tasks share.
    `--dnnf-fuse{pool-epilogues}` plans such blocks.

    With `pack-weights`, a register tile whose B is a slice of a constant
    [K, N] (a MatMul's or Gemm's weights; N above 32) at a column that is a
    multiple of 32 reads it from a copy packed at compile time into column
    panels, [ceil(N / 32), K, 32] with the last panel zero-padded: the
    tile's rows of B are then contiguous instead of N floats apart (4 KiB
    multiples for BERT's 768 and 3072, so the rows of a K tile fall into
    the same cache sets and each on its own page).

    With `pack-activations`, a cache tile of at least 16 rows whose B is not
    a constant (an activation: a convolution's input or im2col, an
    attention operand) copies each 32-column panel of its B into a [K tile,
    32] buffer at the top of the register tiles' N loop, one vector row at
    a time; the register tiles of all the tile's rows then read their
    blocks there, contiguous, instead of rows as far apart as B's (which
    defeat the hardware prefetchers).  The peeled remainder reads B in
    place.  Implicit-GEMM convolutions pack only blocks of at least 256
    columns: each window position's B is the input shifted, copied once per
    position.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
  let statistics = [
    Statistic<"numVectorized", "vectorized", "Matmuls tiled and vectorized">,
    Statistic<"numEpilogues", "epilogues",
              "Elementwise epilogues fused into matmul tiles">,
    Statistic<"numInPlace", "in-place-epilogues",
              "Fused epilogues rewriting their matmul tile in place">,
    Statistic<"numRowEpilogues", "row-epilogues",
              "Fused epilogues into a pad, tiled by whole rows">,
    Statistic<"numDividedColumns", "divided-columns",
              "Few-row matmuls given equal column tiles that divide N">,
    Statistic<"numConvs", "implicit-convs",
              "Implicit-GEMM convolutions tiled by rows and vectorized">,
    Statistic<"numFusedPools", "fused-pools",
              "Pools tiled by rows with their convolution fused in">,
    Statistic<"numPackedWeights", "packed-weights",
              "Constant B operands packed into column panels">,
    Statistic<"numPackedTiles", "packed-tiles",
              "Register tiles reading B from packed panels">,
    Statistic<"numPackedActivations", "packed-activations",
              "Non-constant B cache tiles packed into column panels at run time">,
  ];
  let options = [
    Option<"fuseEpilogues", "fuse-epilogues", "bool", /*default=*/"true",
           "Fuse the elementwise ops consuming a matmul into its cache tiles">,
    Option<"fusePools", "fuse-pools", "bool", /*default=*/"true",
           "Tile an unpadded pool reading a convolution (and its "
           "epilogue) by rows and fuse the convolution into its tiles">,
    Option<"packWeights", "pack-weights", "bool", /*default=*/"true",
           "Read constant B operands (weights) from a copy packed at "
           "compile time into 32-column panels">,
    Option<"packActivations", "pack-activations", "bool", /*default=*/"true",
           "Copy each cache tile's non-constant B operand into 32-column "
           "panels at run time, for its register tiles to read">,
  ];
}

def DnnfApproximateMath : Pass<"dnnf-approximate-math", "::mlir::func::FuncOp"> {
  let summary = "Replace f32 math functions by MLIR's polynomial approximations";
  let description = [{
    The f32 (scalar or vector) `math` ops named in `functions` become the
    polynomial approximations of `populateMathPolynomialApproximationPatterns`:
    arith ops only, which LLVM vectorizes, instead of one libm call per
    element (LLVM has no vector exp, log, tanh or erf for x86).  This is
    what the sigmoid and SiLU of CNNs and GELU's erf in transformers run on.
    The approximations handle infinities and NaN; their error is a few ulp
    (exp, log) to about 1e-7 absolute (tanh, erf), far inside the 1e-4
    tolerance the numeric tests hold the models to.

    `powf` by a constant that is not an integer (a scalar, a splat or a
    broadcast of one: LRN's `x^-beta`) becomes `exp(b * log(a))`, whose exp
    and log are approximated too (even when `functions` lists only `powf`);
    the special cases agree with libm's (a negative base gives NaN, zero and
    infinity give 0 or infinity by the exponent's sign; a subnormal base is
    read as the smallest normal float, as the log approximation does).  Integer exponents,
    for which a negative base is defined, and exponents computed at run time
    keep `powf`.  LRN networks, two threads, in one process: inception_v1
    24.52 -> 21.35 ms, zfnet512 34.34 -> 30.16, bvlc_alexnet 18.97 -> 17.18.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
  let statistics = [
    Statistic<"numApproximated", "approximated", "f32 math ops approximated">,
  ];
  let options = [
    ListOption<"functions", "functions", "std::string",
               "math ops to approximate (default: exp, expm1, log, log1p, "
               "log2, tanh, erf, powf)">,
  ];
}

def DnnfVectorizeRows : Pass<"dnnf-vectorize-rows", "::mlir::func::FuncOp"> {
  let summary = "Vectorize elementwise linalg.generic ops one row at a time";
  let description = [{
    On tensors, before bufferization: every static f32 elementwise
    `linalg.generic` whose innermost loop (a row) is `min-row` to `max-row`
    long, and whose operands read that loop as their own last dimension or
    not at all, is tiled into one row per tile (`scf.for` loops over the
    outer dimensions) and each row vectorized with `linalg::vectorize`.  A
    row that is not a whole number of vectors is zero-padded to 16-float
    vectors (8 up to 8 long): masked loads and stores, full-width arithmetic.

    This is for the rows LLVM's loop vectorizer leaves scalar: a depthwise
    convolution (`--dnnf-conv-to-matmul`: one generic summing 9 or 25
    strided windows of a padded input, 7 to 112 pixels a row) with its fused
    BatchNorm and activation, and short rows with many operands.  Longer
    rows are left to LLVM.

    A row read with an innermost stride s of 2 to 4 (the windows of a
    stride-2 depthwise convolution) is read as s times as many contiguous
    elements, up to the row's last one (the rest masked), and deinterleaved
    by a `vector.shuffle`, instead of one load per element.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect"];
  let statistics = [
    Statistic<"numRows", "vectorized", "Elementwise generics vectorized by rows">,
    Statistic<"numStridedReads", "strided-reads",
              "Strided row reads done as contiguous reads and shuffles">,
  ];
  let options = [
    Option<"minRow", "min-row", "int64_t", /*default=*/"5",
           "Shortest row to vectorize">,
    Option<"maxRow", "max-row", "int64_t", /*default=*/"256",
           "Longest row to vectorize (longer ones are left to LLVM)">,
  ];
}

def DnnfParallelize : Pass<"dnnf-parallelize", "::mlir::func::FuncOp"> {
  let summary = "Split large linalg ops into scf.forall chunks, one per thread";
  let description = [{
    On tensors, before bufferization: every linalg op with static loop
    ranges whose iteration count (the product of its loop ranges) reaches
    `min-work`, and that is not already inside an `scf.forall` (the matmul
    tiles of `--dnnf-tile-vectorize`), is tiled along one parallel loop into
    `threads` chunks of an `scf.forall`: the outermost parallel loop with at
    least `threads` iterations, else the parallel loop with the most.  Only
    that loop is split, so the loops inside a chunk keep static bounds and
    vectorize as in sequential code.  `--dnnf-cpu-pipeline{threads=N}` then
    runs the chunks as tasks on dnnf's thread pool.  With `threads` <= 1
    the pass does nothing.
  }];
  let options = [
    Option<"threads", "threads", "int", /*default=*/"2",
           "Chunks per op (the number of threads)">,
    Option<"minWork", "min-work", "int64_t", /*default=*/"32768",
           "Smallest iteration count worth splitting">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
  let statistics = [
    Statistic<"numParallelized", "parallelized", "Ops split into chunks">,
  ];
}

def DnnfOutlineParallel : Pass<"dnnf-outline-parallel", "::mlir::ModuleOp"> {
  let summary = "Outline each outermost scf.parallel into a body and a launch function";
  let description = [{
    Each outermost `scf.parallel` of a function `@f` becomes:
    * `@f_parallel_<k>(%i: index, captures...)` (attribute
      `dnnf.parallel_body`): the loop body for one linear iteration index,
      delinearized over the loop's trip counts (innermost fastest);
      constants used by the body are cloned into it, other values defined
      above are arguments;
    * `@f_parallel_<k>__launch(%count: index, captures...)` (attribute
      `dnnf.parallel_launch` = the body's symbol): an `scf.for` calling the
      body for every index in order;
    * and, in place of the loop, a call of the launch function with the
      total trip count.
    The result is correct sequential code; `--dnnf-parallel-to-runtime`
    later turns each launch into a call of the thread pool.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
  let statistics = [
    Statistic<"numOutlined", "outlined", "Parallel loops outlined">,
  ];
}

def DnnfParallelToRuntime : Pass<"dnnf-parallel-to-runtime", "::mlir::ModuleOp"> {
  let summary = "Launch functions become calls of dnnf's thread pool";
  let description = [{
    In the LLVM dialect, after `--dnnf-outline-parallel` and the conversion
    to LLVM: the body of each `llvm.func` marked `dnnf.parallel_launch`
    becomes one call `dnnf_parallel_for(count, @<body>__task, frame)`,
    where `frame` is a stack struct holding the captures and
    `@<body>__task(frame, i)` loads them and calls the body.  The runtime
    (`libdnnf_runtime.so`, lowering/runtime/Parallel.c) runs the tasks on a
    pool of spinning threads, the caller included.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
  let statistics = [
    Statistic<"numLaunches", "launches", "Launch functions rewritten">,
  ];
}

def DnnfHoistAllocas : Pass<"dnnf-hoist-allocas", "::mlir::func::FuncOp"> {
  let summary = "Move static memref.alloca ops to the function's entry block "
                "(and put small task-body buffers on the stack)";
  let description = [{
    `--convert-vector-to-scf` puts the temporary buffers of vector
    transfers (`memref.alloca`) inside the loops that use them; in the LLVM
    dialect each iteration then allocates stack again, and a long loop
    overflows a thread's stack.  This pass moves every `memref.alloca` of
    static shape (outside `memref.alloca_scope`) to the start of its
    function's entry block, where LLVM promotes it to registers.  A buffer
    allocated in a loop holds nothing from one iteration to the next, so one
    allocation serves all iterations.

    First, in the task bodies of `--dnnf-outline-parallel` (functions marked
    `dnnf.parallel_body`), a `memref.alloc` of static shape and at most
    `max-tile-bytes` that is deallocated in its own block -- the temporary
    product tile of a matmul whose epilogue writes elsewhere -- becomes a
    `memref.alloca`, and its `memref.dealloc` goes: tasks then allocate
    nothing on the heap.
  }];
  let options = [
    Option<"maxTileBytes", "max-tile-bytes", "int64_t", /*default=*/"65536",
           "Largest task-body heap buffer promoted to the stack">,
  ];
  let statistics = [
    Statistic<"numHoisted", "hoisted", "Allocas moved to the entry block">,
    Statistic<"numPromoted", "promoted",
              "Task-body heap buffers turned into allocas">,
  ];
}

//===----------------------------------------------------------------------===//
// SPIR-V (Vulkan) path: pieces of --dnnf-spirv-pipeline.
//===----------------------------------------------------------------------===//

def DnnfFlattenParallelLoops
    : Pass<"dnnf-flatten-parallel-loops", "::mlir::func::FuncOp"> {
  let summary = "One flat scf.parallel per top-level loop nest (one GPU kernel each)";
  let description = [{
    After `convert-linalg-to-parallel-loops` every linalg op of a function
    is one `scf.parallel` over its parallel dimensions with its reduction
    loops (`scf.for`) inside, or `scf.parallel` / `scf.for` / `scf.parallel`
    when reduction dimensions sit between parallel ones, or a bare `scf.for`
    nest when it has no parallel dimension.  The GPU mapping wants one flat
    index space per kernel, so each top-level nest becomes a single
    `scf.parallel` over the product of its parallel trip counts, the
    original indices recovered by unsigned division and remainder
    (row-major: the innermost dimension varies fastest, so that neighbouring
    invocations touch neighbouring elements), with the nest's `scf.for`
    loops inside in their order.  This is legal for those nests: the
    parallel dimensions of a linalg op are independent at every point of its
    reduction loops.

    Straight-line code between the nests (a 0-d store) goes into a
    one-iteration `scf.parallel`, so that nothing computes on the host;
    buffers, views, globals and constants stay where they are.  Loop bounds
    must be constants (the GPU path needs static shapes); a non-constant
    bound, a loop carrying results, or host code whose value escapes is
    reported on the op and the pass fails.

    A nest with more than `max-workgroups` workgroups of `workgroup-size`
    invocations (Vulkan guarantees 65535 per grid dimension) becomes a 2-D
    loop instead, (linear mod L, linear div L) with L = `workgroup-size` x
    `max-workgroups`, its body guarded by `linear < count`: the second
    dimension maps onto the grid's y.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect"];
  let options = [
    Option<"workgroupSize", "workgroup-size", "int64_t", /*default=*/"64",
           "Invocations per workgroup the loops will be tiled by">,
    Option<"maxWorkgroups", "max-workgroups", "int64_t", /*default=*/"65535",
           "Most workgroups along one grid dimension">,
  ];
  let statistics = [
    Statistic<"numFlattened", "flattened", "Loop nests flattened">,
    Statistic<"numSplit", "split-2d", "Flat loops split over two grid dimensions">,
    Statistic<"numWrapped", "wrapped", "Host code runs wrapped in a one-iteration loop">,
  ];
}

def DnnfPrepareSpirvKernels
    : Pass<"dnnf-prepare-spirv-kernels", "::mlir::ModuleOp"> {
  let summary = "Target environment, entry-point ABI and SPIR-V-ready math on outlined GPU kernels";
  let description = [{
    Runs on the `gpu.module`s of `gpu-kernel-outlining`, before
    `convert-gpu-to-spirv`:
    - each `gpu.module` gets the `#spirv.target_env` of the options as its
      target (SPIR-V version from the Vulkan version: 1.0 -> v1.0, 1.1 ->
      v1.3, 1.2 -> v1.5, 1.3 -> v1.6; `api=Vulkan`; the subgroup size and
      1024 invocations per workgroup as resource limits);
    - each kernel gets `spirv.entry_point_abi` with the workgroup size
      (without it `convert-gpu-to-spirv` fails);
    - `math.erf`, which SPIR-V lacks, becomes arithmetic (Abramowitz and
      Stegun 7.1.26, absolute error below 1.5e-7);
    - math functions on f16 compute in f32 (`arith.extf` / `arith.truncf`
      around them): the SPIR-V patterns of some (exp) would leave
      unrealized casts, and the result is then rounded once;
    - integer overflow flags are dropped: they become NoSignedWrap
      decorations, which need SPIR-V 1.4 or an extension;
    - a kernel that computes on 64-bit integers or floats, or 16-bit floats,
      that the target lacks (capabilities `Int64`, `Float64`, option `fp16`)
      is reported on its first such op, with the capability to add, instead
      of the conversion's bare "failed to legalize".
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::spirv::SPIRVDialect"];
  let options = [
    Option<"vulkanVersion", "vulkan-version", "std::string", /*default=*/"\"1.0\"",
           "Vulkan version of the target: 1.0, 1.1, 1.2 or 1.3">,
    ListOption<"capabilities", "capabilities", "std::string",
               "SPIR-V capabilities of the target (default: Shader)">,
    ListOption<"extensions", "extensions", "std::string",
               "SPIR-V extensions of the target (default: "
               "SPV_KHR_storage_buffer_storage_class)">,
    Option<"subgroupSize", "subgroup-size", "int", /*default=*/"32",
           "Subgroup size of the target (resource limits)">,
    Option<"workgroupSize", "workgroup-size", "int", /*default=*/"64",
           "Invocations per workgroup of every kernel (1 to 1024)">,
    Option<"fp16", "fp16", "bool", /*default=*/"false",
           "The target has Float16 arithmetic and 16-bit storage buffers">,
  ];
  let statistics = [
    Statistic<"numKernels", "kernels", "Kernels given an entry-point ABI">,
    Statistic<"numErf", "erf-rewritten", "math.erf ops rewritten as arithmetic">,
    Statistic<"numPromoted", "f16-math-in-f32", "f16 math ops computed in f32">,
  ];
}

def DnnfNestSpirvModules : Pass<"dnnf-nest-spirv-modules", "::mlir::ModuleOp"> {
  let summary = "Move each spirv.module into the gpu.module it was converted from";
  let description = [{
    `convert-gpu-to-spirv` puts `spirv.module @__spv__K` beside
    `gpu.module @K`; `gpu-module-to-binary` (and the target environment
    lookup of `spirv-lower-abi-attrs`) expects it inside.  A SPIR-V module
    without its GPU module is reported.
  }];
  let statistics = [
    Statistic<"numNested", "nested", "spirv.module ops moved">,
  ];
}

def DnnfPinSpirvVersion
    : Pass<"dnnf-pin-spirv-version", "::mlir::ModuleOp"> {
  let summary = "Set each nested spirv.module's version to its target's";
  let description = [{
    `spirv-update-vce` deduces the lowest SPIR-V version that a module's ops
    need (often 1.0), but `spirv-lower-abi-attrs` has already written the
    entry point's interface as the target version wants it (from 1.4 on it
    lists the storage buffers too), and a 1.0 module with that interface is
    invalid.  This pass sets the version of every `spirv.module` inside a
    `gpu.module` back to the one of that `gpu.module`'s `#spirv.target_env`
    (capabilities and extensions stay as deduced).
  }];
}

def DnnfGpuTileMatmuls : Pass<"dnnf-gpu-tile-matmuls", "::mlir::func::FuncOp"> {
  let summary = "Bufferized matmuls as workgroup-tiled GPU kernels with shared-memory operand tiles";
  let description = [{
    Each `linalg.matmul` / `linalg.batch_matmul` on buffers with static
    shapes (f16 or f32 operands, default indexing maps) becomes a
    `gpu.launch` computing C += A * B, one workgroup per `tile` x `tile`
    block of C (grid: N / tile, M / tile, batch) and (`tile` /
    `thread-tile`)^2 invocations, each accumulating a `thread-tile` x
    `thread-tile` block of C in registers.  The K loop steps by `k-tile`:
    the invocations copy the A (`tile` x `k-tile`) and B (`k-tile` x
    `tile`) tiles into workgroup memory (zero past the matrix edges),
    `gpu.barrier`, then each runs `k-tile` steps of `thread-tile` + 
    `thread-tile` workgroup loads and `thread-tile`^2 multiply-adds,
    `gpu.barrier`.  Global memory is read M x N x K x (1 / tile) x 2 times
    instead of 2 M x N x K.  Sums are f32; 16-bit operands are extended when
    loaded.  The launch is outlined as its own kernel later, with its own
    workgroup size (dnnf-prepare-spirv-kernels takes it from the kernel).

    With `epilogues` (the default), the launch also does what the matmul's
    neighbours did, so that they are not kernels of their own:
    - a `linalg.fill` of C with a constant right before the matmul: the sums
      start from the constant instead of loading C;
    - an elementwise `linalg.generic` right after it (views of C may come in
      between) that reads C element for element, directly or through an
      `expand_shape` (a convolution's NCHW result) or the buffer C collapses:
      bias, BatchNorm, activation, residual add.  Each invocation computes
      the generic's payload on its sums in registers, loading the generic's
      other inputs through their indexing maps, and stores to the generic's
      output; C itself is stored only when something after the generic
      reads it.  Not fused: a generic writing a buffer the matmul reads, or
      an operand aliasing C read other than element for element.
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::spirv::SPIRVDialect"];
  let options = [
    Option<"tile", "tile", "int64_t", /*default=*/"32",
           "Edge of the block of C a workgroup computes">,
    Option<"threadTile", "thread-tile", "int64_t", /*default=*/"4",
           "Edge of the block of C an invocation computes (divides tile)">,
    Option<"kTile", "k-tile", "int64_t", /*default=*/"16",
           "K step staged through workgroup memory">,
    Option<"fuseEpilogues", "epilogues", "bool", /*default=*/"true",
           "Compute the fill before and the elementwise generic after a "
           "matmul in its launch">,
  ];
  let statistics = [
    Statistic<"numTiled", "tiled", "Matmuls rewritten as tiled kernels">,
    Statistic<"numEpilogues", "epilogues",
              "Elementwise generics computed in a tiled matmul's launch">,
  ];
}

#endif // DNNF_CONVERSION_PASSES_TD
