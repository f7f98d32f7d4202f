//===- Passes.td - dnnf passes -----------------------------*- tablegen -*-===//

#ifndef DNNF_TRANSFORMS_PASSES_TD
#define DNNF_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DnnfClassify : Pass<"dnnf-classify"> {
  let summary = "Annotate every dnnf compute op with its DNNFusion mapping type";
  let description = [{
    Computes the mapping type of every operation implementing
    `MappingOpInterface` (from its semantics and its operand and result
    shapes) and stores it in the op's `mapping` attribute, as
    `#dnnf.mapping<...>`.  `dnnf.fused` ops keep the type they carry.

    With `remove=true` the pass strips the attribute instead.  With
    `emit-remarks=true` it emits one remark per op naming its type, which is
    convenient in tests.  Statistics count the ops of each type.

    ```mlir
    // dnnf-opt --dnnf-classify
    %0 = dnnf.add %a, %b {mapping = #dnnf.mapping<one_to_many>}
           : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let options = [
    Option<"remove", "remove", "bool", /*default=*/"false",
           "Strip stored mapping attributes instead of setting them">,
    Option<"emitRemarks", "emit-remarks", "bool", /*default=*/"false",
           "Emit a remark with the mapping type of every classified op">,
  ];
  let statistics = [
    Statistic<"numOneToOne", "one-to-one", "Number of one_to_one ops">,
    Statistic<"numOneToMany", "one-to-many", "Number of one_to_many ops">,
    Statistic<"numManyToMany", "many-to-many", "Number of many_to_many ops">,
    Statistic<"numReorganize", "reorganize", "Number of reorganize ops">,
    Statistic<"numShuffle", "shuffle", "Number of shuffle ops">,
  ];
}

def DnnfFuse : Pass<"dnnf-fuse"> {
  let summary = "Plan DNNFusion fusion blocks and wrap them in dnnf.fused";
  let description = [{
    Builds the extended computational graph (`dnnf/Analysis/FusionGraph.h`)
    of the dnnf kernels of every block (outside existing `dnnf.fused` ops)
    and partitions it into fusion blocks with DNNFusion's greedy plan:

    1. the seed is the unfused one_to_one op with the smallest intermediate
       result (ties: the earliest);
    2. the block grows through successors, then through predecessors,
       following the 5x5 mapping-type table with the block's composed type on
       the producer side: ✓ fuses, ✗ stops, ◐ is decided by `profile-rule`;
    3. every candidate also passes the constraint check (`max-ops`,
       `max-inputs`) and the DAG check: it may not join when a path leaves
       the block and re-enters it, directly or through other blocks;
    4. when no unfused one_to_one op is left, the remaining unfused ops seed
       blocks too (smallest result first), so that copies and reductions
       can still absorb ✓/◐ neighbours; then every op is placed.

    An op joins at most one block, so it may fuse with only some of its
    neighbours.  Constants are not kernels: they never block fusion and are
    *cloned* into every block that reads them (the region stays
    self-contained; weights are `dense_resource` handles, so no data is
    copied), and the outer copy is erased once unused.  Each block of two or
    more ops becomes one `dnnf.fused` whose arguments are the non-constant
    values defined outside, whose `dnnf.yield` returns the values used
    outside, and whose `mapping` is the block type composed by the table.

    ◐ cells are decided by measured latency where the profiling database
    (`profile-db`, a JSON file; format in `dnnf/Analysis/ProfileDatabase.h`)
    has an entry: a block B and a candidate X fuse when the fused kernel B+X
    was no slower than B and X as two kernels, within `profile-tolerance`
    (3% by default: a difference inside the measurement noise goes to
    fusion, which saves a kernel and an intermediate).  An entry is keyed by the CPU
    (`profile-cpu`, by default the host as LLVM names it), the thread count
    of the code (`profile-threads`) and the candidate: a digest of the fused
    candidate's IR (op kinds, attributes, shapes, element types; weights
    elided) and of where X sits in it.  The pass only reads the database, so
    its output is deterministic.  With `profile-requests=DIR`, every
    candidate the database lacks is written to DIR as `<key>.json` plus two
    bytecode modules, `<key>.fused.mlirbc` (B+X in one `dnnf.fused`) and
    `<key>.unfused.mlirbc` (B's `dnnf.fused`, then X), whose `@main` takes
    the values B+X reads and returns those it defines for outside:
    `dnnf compile --profile` compiles, times and records them.

    Where there is no entry, `profile-rule=static` (the default) fuses a ◐ pair exactly when fusion cannot make the fused code
    recompute or re-read a producer element more than the unfused code
    would: (a) the consumer is a pure copy (reorganize, shuffle), or (b) the
    producer side is a pure copy (reorganize, shuffle) feeding a
    many_to_many consumer, which then reads through index arithmetic, or (c)
    the consumer is one_to_many but does not broadcast the value crossing
    the edge (its result has no more elements than that value).  Otherwise
    (a broadcast of a block's value, e.g. a reduction's result expanded by a
    following op) it stops.  `profile-rule=fuse` / `stop` decide every ◐
    cell one way.  With `emit-remarks`, each ◐ decision is reported as a
    remark naming its source: the database's entry (with both latencies and
    the key), or the rule and why there was no entry.

    `anchor-epilogues` adds the constraints of a code generator that fuses
    elementwise epilogues into the tiles of a contraction (convolution,
    matmul, gemm, einsum) but has no rule for the paper's O2O -> M2M
    prologue into a contraction's input loads, as `--dnnf-tile-vectorize`:
    an elementwise op does not join a block as a producer of a contraction
    in it (nor a contraction as the consumer of one), and an epilogue (an
    elementwise op that is the sole consumer of a contraction, or of another
    epilogue) joins only its contraction's block -- it seeds no block of its
    own until the contraction has seeded one.  Prologues into reductions,
    softmax and pools (generic loops) are unaffected.
    `--dnnf-cpu-pipeline{fusion=dnnf}` sets it.

    `pool-epilogues` (on by default) makes one exception to the
    many_to_many -> many_to_many stop: a convolution, the chain of
    elementwise ops after it (each the sole user of the value before it) and
    an unpadded MaxPool or AveragePool reading the chain's end form one block.
    The pool's window rows are rows of the convolution's output tile, so the
    code generator computes a tile of convolution rows and pools it while it
    is in cache (`--dnnf-tile-vectorize{fuse-pools}`); the convolution's
    full-size result is never written.  Windows that overlap along the rows
    (a 3x3 stride-2 pool) make every row task recompute the rows it shares
    with the next, so that pair is a ◐ cell: the profiling database decides
    it, and the static rule stops.  The paper's own VGG-16 count (51 -> 17
    layers, fewer than its 21 convolutions, FC layers and pools) implies the
    same fusion.

    `mode=fixed-pattern` mimics TVM/onnxruntime-style fusion instead: an
    anchor (many_to_many op: conv, matmul, gemm, pool, reduction, ...)
    absorbs the chain of elementwise/broadcast ops that follows it (each the
    single consumer of the previous one), other elementwise ops form chains,
    and nothing fuses into the input of a many_to_many op.
  }];
  let options = [
    Option<"mode", "mode", "std::string", /*default=*/"\"dnnf\"",
           "Fusion strategy: dnnf (mapping-type table) or fixed-pattern">,
    Option<"profileRule", "profile-rule", "std::string",
           /*default=*/"\"static\"",
           "How to decide profile cells without a profile: static, fuse or stop">,
    Option<"maxOps", "max-ops", "unsigned", /*default=*/"64",
           "Constraint check: maximum number of ops in one block">,
    Option<"maxInputs", "max-inputs", "unsigned", /*default=*/"16",
           "Constraint check: maximum number of non-constant block inputs">,
    Option<"anchorEpilogues", "anchor-epilogues", "bool", /*default=*/"false",
           "Constraints of a code generator that fuses epilogues into tiled "
           "contractions but no prologues (the CPU pipeline)">,
    Option<"poolEpilogues", "pool-epilogues", "bool", /*default=*/"true",
           "Fuse an unpadded pool after a convolution (and its elementwise "
           "chain) into the convolution's block">,
    Option<"emitRemarks", "emit-remarks", "bool", /*default=*/"false",
           "Emit remarks for profile-cell decisions and for every block formed">,
    Option<"profileDb", "profile-db", "std::string", /*default=*/"\"\"",
           "Profiling database (JSON, written by `dnnf compile --profile`) "
           "that decides profile cells by measured latency">,
    Option<"profileCpu", "profile-cpu", "std::string", /*default=*/"\"\"",
           "CPU whose profiling-database entries apply (default: the host "
           "CPU as LLVM names it)">,
    Option<"profileThreads", "profile-threads", "int64_t", /*default=*/"1",
           "Thread count whose profiling-database entries apply">,
    Option<"profileTolerance", "profile-tolerance", "double",
           /*default=*/"0.03",
           "Fuse a measured profile cell unless the fused kernel is slower "
           "than the two unfused ones by more than this fraction">,
    Option<"profileRequests", "profile-requests", "std::string",
           /*default=*/"\"\"",
           "Directory that receives every profile-cell candidate missing "
           "from the database, for `dnnf compile --profile` to measure">,
  ];
  let statistics = [
    Statistic<"numBlocks", "blocks", "Number of dnnf.fused blocks formed">,
    Statistic<"numOpsFused", "ops-fused", "Number of ops moved into blocks">,
    Statistic<"numKernelsBefore", "kernels-before",
              "Kernels before fusion (non-constant dnnf ops and dnnf.fused)">,
    Statistic<"numKernelsAfter", "kernels-after",
              "Kernels after fusion (unfused ops and dnnf.fused)">,
    Statistic<"numPoolEpilogues", "pool-epilogues",
              "Pools fused into a convolution's block (pool-epilogues)">,
    Statistic<"numProfileFused", "profile-fused",
              "Profile cells decided to fuse">,
    Statistic<"numProfileStopped", "profile-stopped",
              "Profile cells decided to stop">,
    Statistic<"numProfileMeasured", "profile-measured",
              "Profile cells decided by the profiling database">,
    Statistic<"numProfileMissing", "profile-missing",
              "Profile cells whose candidate the profiling database lacks">,
    Statistic<"numBytesBefore", "bytes-before",
              "Bytes of intermediate results materialised between kernels, unfused">,
    Statistic<"numBytesAfter", "bytes-after",
              "Bytes of intermediate results materialised between kernels, fused">,
  ];
}

def DnnfAlgebraicSimplify : Pass<"dnnf-algebraic-simplify"> {
  let summary = "DNNFusion graph rewriting by mathematical properties";
  let description = [{
    Implements DNNFusion's algebraic rewriting (§3.2 of the paper):

    1. The graph is cut into partitions at every operator that has none of
       the three algebraic properties (associative, distributive,
       commutative; see `getAlgebraicProperties`): a partition is a
       connected set of ops with a property, linked by def-use edges.
       Constants belong to no partition.
    2. Inside each partition every rule of the library is matched at every
       op; each match estimates its saving with the cost model
       (`dnnf/Analysis/CostModel.h`).  The match with the largest FLOP
       saving is applied, ties broken by the bytes moved that it saves.
       Normalisations (which save nothing by themselves but enable other
       rules) are applied only when a partition has nothing better.
    3. Partitions are recomputed and step 2 repeats until no rule matches
       (a fixed point) or `max-iterations` rounds have run.

    The rule library (dnnf/Transforms/AlgebraicRules.h) has five families
    that can be switched off one by one.  Rules that may change results by
    more than float reassociation error are registered only with
    `fast-math=true` (or apply by default only under a documented
    precondition, such as an operand proven non-negative).  Integer and bool
    tensors never get float identities.  Every rewrite keeps the result
    type of the op it replaces.

    Statistics count the rules fired per family and the FLOPs, bytes and ops
    before and after (FLOPs and bytes in millions: MLIR statistics are
    32-bit).  `emit-remarks` reports each rewrite at its root op, and the
    exact totals at the anchor op:
    `dnnf-algebraic-simplify: FLOPs A -> B, bytes C -> D, ops E -> F`.
    `rules` and `disable-rules` select rules by name, mostly for testing.

    ```mlir
    // dnnf-opt --dnnf-algebraic-simplify
    %0 = dnnf.mul %a, %b : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    %1 = dnnf.mul %a, %c : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    %2 = dnnf.add %0, %1 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    // becomes a * (b + c): 2 instead of 3 operations per element.
    ```
  }];
  let options = [
    Option<"maxIterations", "max-iterations", "unsigned", /*default=*/"1000",
           "Maximum number of rewriting rounds (each applies at most one "
           "rule per partition)">,
    Option<"associative", "associative", "bool", /*default=*/"true",
           "Enable the associative rules">,
    Option<"distributive", "distributive", "bool", /*default=*/"true",
           "Enable the distributive rules">,
    Option<"commutative", "commutative", "bool", /*default=*/"true",
           "Enable the commutative rules">,
    Option<"identities", "identities", "bool", /*default=*/"true",
           "Enable identities and normalisations (x*1, double transposes, "
           "x-c -> x+(-c), ...)">,
    Option<"foldConstants", "fold-constants", "bool", /*default=*/"true",
           "Enable folding constants (BatchNormalization, Mul/Add by "
           "constants) into Conv, Gemm, MatMul and BatchNormalization">,
    Option<"fastMath", "fast-math", "bool", /*default=*/"false",
           "Enable rules that may change results beyond float reassociation "
           "error (x/x -> 1, log(exp(x)) -> x, ...)">,
    Option<"maxFoldElements", "max-fold-elements", "int64_t",
           /*default=*/"int64_t(1) << 24",
           "Largest constant (in elements) computed at compile time">,
    ListOption<"onlyRules", "rules", "std::string",
               "Enable only these rules (by name)">,
    ListOption<"disabledRules", "disable-rules", "std::string",
               "Disable these rules (by name)">,
    Option<"emitRemarks", "emit-remarks", "bool", /*default=*/"false",
           "Emit a remark for every rule applied">,
    Option<"greedyDriver", "greedy-driver", "bool", /*default=*/"false",
           "Apply the same rules with MLIR's greedy pattern driver instead "
           "of the DNNFusion driver (any saving rule fires, in worklist "
           "order; no partitions, statistics of rules fired not kept)">,
  ];
  let statistics = [
    Statistic<"numAssociative", "associative", "Associative rules fired">,
    Statistic<"numDistributive", "distributive", "Distributive rules fired">,
    Statistic<"numCommutative", "commutative", "Commutative rules fired">,
    Statistic<"numIdentity", "identities",
              "Identity and normalisation rules fired">,
    Statistic<"numFold", "constant-folds",
              "Constant-folding rules (into Conv/Gemm/MatMul/BN) fired">,
    Statistic<"numRounds", "rounds", "Rewriting rounds run">,
    Statistic<"numPartitions", "partitions", "Partitions in the input">,
    Statistic<"flopsBefore", "mflops-before",
              "FLOPs before the pass, in millions (rounded)">,
    Statistic<"flopsAfter", "mflops-after",
              "FLOPs after the pass, in millions (rounded)">,
    Statistic<"bytesBefore", "mbytes-before",
              "Bytes moved before the pass, in millions (rounded)">,
    Statistic<"bytesAfter", "mbytes-after",
              "Bytes moved after the pass, in millions (rounded)">,
    Statistic<"opsBefore", "ops-before", "dnnf ops (no constants) before">,
    Statistic<"opsAfter", "ops-after", "dnnf ops (no constants) after">,
  ];
}

#endif // DNNF_TRANSFORMS_PASSES_TD
