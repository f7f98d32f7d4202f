#!/usr/bin/env python3
"""dnnf vs onnxruntime on the model suite: one markdown table, one run.

Per model, all measured in this run (each model in its own child process,
killed when its time budget is spent):

* **ONNX nodes**: nodes of the ONNX graph (top level).
* **dnnf kernels**: the number of *outermost loop nests* left in ``@main``
  once the CPU pipeline has gone through bufferization and
  ``convert-linalg-to-loops`` -- each one is a piece of code that executes
  (a fused elementwise chain, a tiled matmul, a convolution, a copy...).
  They are counted on the IR after the pipeline's own prefix: the expanded
  ``dnnf-cpu-pipeline`` (as ``PassManager`` prints it, so it follows the C++)
  cut after its ``convert-linalg-to-loops``; the ops counted are the
  ``scf.for``, ``scf.parallel``, ``scf.forall``, ``affine.for`` and
  ``affine.parallel`` ops directly in ``@main``'s body.
* **dnnf median ms**, over the timed runs (``dnnf runs``) after warm-up;
  dnnf code is compiled with ``threads = --threads`` (default: all cores;
  the kernels are counted on the sequential pipeline, threads=1, whose loop
  nests the threaded code splits into tasks).  Compilation (cached on disk
  after the first time) is not timed but counts against the budget; when
  the budget cannot hold ``-n`` runs, fewer are timed and the runs column says how many.
* **onnxruntime median ms**: CPU provider, ``intra_op_num_threads =
  --threads`` (default: all cores), same inputs (``dnnf.zoo.example_inputs``),
  same warm-up and runs; measured before dnnf compiles, so a dnnf timeout
  still leaves this figure.
* **ratio** = dnnf median / onnxruntime median; the last line is the
  geometric mean of the ratios of the models that have both.

A figure the budget did not reach reads ``timeout``; an error reads
``error`` (the message goes to stderr).

    python benchmarks/suite_bench.py [--models a,b] [--threads N] [-n 20]
        [--warmup 3] [--budget 600] [--small]

``--small`` is for CI-speed checks: 5 runs, 1 warm-up, a 120 s budget and,
unless ``--models`` is given, the four smallest CNNs.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time

SMALL_MODELS = ["squeezenet", "shufflenet", "mobilenetv2", "efficientnet_b0"]
LOOPS = {"scf.for", "scf.parallel", "scf.forall", "affine.for", "affine.parallel"}
CUT = "convert-linalg-to-loops"


def kernel_prefix() -> str:
    """``dnnf-cpu-pipeline`` expanded and cut after ``convert-linalg-to-loops``."""
    from mlir import ir
    from mlir.passmanager import PassManager

    import dnnf  # noqa: F401  (registers the pipeline)

    with ir.Context():
        full = str(PassManager.parse("builtin.module(dnnf-cpu-pipeline)"))
    if CUT not in full:
        raise RuntimeError(f"dnnf-cpu-pipeline has no {CUT}: {full}")
    return full[: full.index(CUT) + len(CUT)] + ")"


def emit(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def count_kernels(path: str) -> int:
    """Outermost loop nests in @main after bufferization (see the docstring)."""
    from mlir import ir
    from mlir.passmanager import PassManager

    from dnnf.frontend.onnx import import_model
    from dnnf.runtime.compiled import find_main

    with ir.Context() as ctx, ir.Location.unknown():
        module = import_model(path, context=ctx)
        PassManager.parse(kernel_prefix()).run(module.operation)
        body = find_main(module).regions[0].blocks[0]
        return sum(1 for op in body.operations if op.operation.name in LOOPS)


def child(args: argparse.Namespace) -> int:
    """Measures one model, printing one JSON line per figure as it comes."""
    start = time.perf_counter()
    import onnx

    from dnnf import zoo
    from dnnf.runtime import bench, compile

    path = str(zoo.model_path(args.child))
    graph = onnx.load(path, load_external_data=False).graph
    emit(nodes=len(graph.node))
    try:
        emit(kernels=count_kernels(path))
    except Exception as e:  # the replayed prefix no longer matches the C++
        print(f"kernel count failed: {e}", file=sys.stderr)
        emit(kernels="error")
    feeds = zoo.example_inputs(args.child)  # seeded; token ids span the vocabulary
    run_ort = bench.onnxruntime_runner(path, feeds, args.threads)
    emit(ort=bench.time_calls(run_ort, args.n, args.warmup))
    model = compile(path, threads=args.threads)
    emit(compile_s=round(time.perf_counter() - start, 2))
    t = time.perf_counter()
    model(**feeds)
    first = time.perf_counter() - t
    # Time left for warm-up and runs, keeping a margin for the last one.
    left = args.budget - (time.perf_counter() - start) - 2 * first - 1
    if left < first:  # no time for another run: the first one is the figure
        emit(dnnf=[first])
        return 0
    # The first call was a warm-up; more only if they fit in half the time.
    warmup = max(0, min(args.warmup - 1, int(left / 2 / first)))
    emit(dnnf=bench.time_calls(lambda: model(**feeds), args.n, warmup, left))
    return 0


def measure(name: str, args: argparse.Namespace) -> dict[str, object]:
    """Runs the child for ``name``; what it printed before the budget ran out."""
    cmd = [
        sys.executable,
        __file__,
        "--child",
        name,
        "--threads",
        str(args.threads),
        "-n",
        str(args.n),
        "--warmup",
        str(args.warmup),
        "--budget",
        str(args.budget),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=args.budget)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        timed_out = True
    result: dict[str, object] = {}
    for line in out.decode().splitlines():
        if line.startswith("{"):
            result.update(json.loads(line))
    if not timed_out and proc.returncode != 0:
        lines = err.decode().strip().splitlines()
        result["error"] = lines[-1] if lines else f"exit status {proc.returncode}"
        print(f"suite_bench: {name}: {result['error']}", file=sys.stderr)
    return result


def median_ms(times: list[float]) -> float:
    ordered = sorted(times)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid] * 1e3
    return (ordered[mid - 1] + ordered[mid]) / 2 * 1e3


def main() -> int:
    from dnnf import zoo
    from dnnf.runtime import bench

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", help="comma-separated suite models")
    parser.add_argument("--threads", type=int, default=bench.default_threads())
    parser.add_argument("-n", type=int, help="timed runs (default 20; --small 5)")
    parser.add_argument("--warmup", type=int, help="default 3; --small 1")
    parser.add_argument(
        "--budget", type=float, help="seconds per model (default 600; --small 120)"
    )
    parser.add_argument("--small", action="store_true", help="CI-speed settings")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.n = args.n or (5 if args.small else 20)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.small else 3)
    args.budget = args.budget or (120.0 if args.small else 600.0)
    if args.n < 1 or args.warmup < 0 or args.threads < 1 or args.budget <= 0:
        parser.error("need -n >= 1, --warmup >= 0, --threads >= 1, --budget > 0")
    if args.child:
        return child(args)
    names = args.models.split(",") if args.models else None
    names = names or (SMALL_MODELS if args.small else zoo.SUITE)
    unknown = [n for n in names if n not in zoo.SUITE]
    if unknown:
        parser.error(f"unknown model(s) {unknown}; the suite: {', '.join(zoo.SUITE)}")
    print(
        f"dnnf and onnxruntime on {args.threads} thread(s); "
        f"{args.warmup} warm-up + up to {args.n} runs; budget {args.budget:g} s "
        "per model\n"
    )
    print(
        "| model | ONNX nodes | dnnf kernels | dnnf median ms | dnnf runs "
        "| onnxruntime median ms | ratio |"
    )
    print("|---|---|---|---|---|---|---|")
    ratios = []
    for name in names:
        r = measure(name, args)
        missing = "error" if "error" in r else "timeout"

        def cell(key: str, r: dict = r, missing: str = missing) -> str:
            return str(r[key]) if key in r else missing

        dnnf_ms = median_ms(r["dnnf"]) if "dnnf" in r else None  # type: ignore[arg-type]
        ort_ms = median_ms(r["ort"]) if "ort" in r else None  # type: ignore[arg-type]
        ratio = missing
        if dnnf_ms is not None and ort_ms is not None:
            ratios.append(dnnf_ms / ort_ms)
            ratio = f"{dnnf_ms / ort_ms:.2f}x"
        print(
            f"| {name} | {cell('nodes')} | {cell('kernels')} | "
            f"{f'{dnnf_ms:.2f}' if dnnf_ms is not None else missing} | "
            f"{len(r['dnnf']) if 'dnnf' in r else missing} | "  # type: ignore[arg-type]
            f"{f'{ort_ms:.2f}' if ort_ms is not None else missing} | {ratio} |",
            flush=True,
        )
    if ratios:
        geomean = math.exp(sum(map(math.log, ratios)) / len(ratios))
        print(
            f"\ngeometric mean of dnnf/onnxruntime ratios over {len(ratios)} of "
            f"{len(names)} model(s): {geomean:.2f}x"
        )
    else:
        print("\nno model has both figures: no geometric mean")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
