#!/usr/bin/env python3
"""Latency of each fusion plan as generated code, per suite model, in one run.

For each model, ``--dnnf-cpu-pipeline{fusion=P}`` compiles it under every
plan P:

- ``none``: one kernel per dnnf op;
- ``fixed-pattern``: ``--dnnf-fuse=mode=fixed-pattern`` (TVM/onnxruntime
  style: an anchor plus its chain of elementwise ops);
- ``dnnf``: DNNFusion's mapping-type plan (``--dnnf-fuse`` with
  ``anchor-epilogues``);
- ``linalg``: no plan, upstream elementwise fusion over the whole function
  (the pipeline's default).

With a plan, every block is outlined into a kernel function, lowered and
fused inside, and inlined back (``dnnf-outline-kernels`` /
``dnnf-inline-kernels``), so the plan decides what is fused.  The table
gives the kernels and the loop nests they were lowered to (pass statistics
of ``dnnf-inline-kernels``), then the median latency of each plan and of
onnxruntime in the same run: blocks of calls, engine after engine, four
rounds over (so that machine noise hits every column alike; the first call
of each block is untimed, since the previous engine's threads may still
spin), and the dnnf plan's speedup over fixed-pattern and over none.

    python benchmarks/fusion_latency.py [--models a,b] [--runs N] [--threads T]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import dnnf
from dnnf import zoo
from dnnf.runtime import compile as compile_model
from dnnf.runtime.bench import onnxruntime_runner
from dnnf.runtime.native import default_threads

PLANS = ["none", "fixed-pattern", "dnnf", "linalg"]
DEFAULT_MODELS = (
    "squeezenet,shufflenet,mobilenetv2,efficientnet_b0,resnet50,inception_v1"
)
# Calls are timed in blocks, engine after engine, ROUNDS times over.
ROUNDS = 4
STAT = re.compile(r"\(S\)\s+(\d+)\s+([\w-]+)")


def kernel_statistics(opt: str, mlir: Path, plan: str, threads: int) -> dict[str, int]:
    """``dnnf-inline-kernels`` statistics of the pipeline under ``plan``."""
    pipeline = f"builtin.module(dnnf-cpu-pipeline{{fusion={plan} threads={threads}}})"
    out = subprocess.run(
        [
            opt,
            str(mlir),
            f"-pass-pipeline={pipeline}",
            "-mlir-pass-statistics",
            "-o",
            os.devnull,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"dnnf-opt ({plan}) failed: {out.stderr.strip()[-500:]}")
    text = out.stderr.split("DnnfInlineKernels", 1)
    if len(text) < 2:
        return {}
    section = text[1].split("\n\n", 1)[0].split("\nDnnf", 1)[0]
    return {key: int(value) for value, key in STAT.findall(section)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default=DEFAULT_MODELS)
    parser.add_argument("--runs", type=int, default=20, help="timed calls per engine")
    parser.add_argument("--threads", type=int, default=default_threads())
    args = parser.parse_args()
    opt = os.environ.get("DNNF_OPT") or str(dnnf.opt_path())
    from dnnf.frontend.onnx import import_model

    print(
        "| model | kernels none / fixed / dnnf | loop nests none / fixed / dnnf | "
        + " | ".join(f"{p} ms" for p in PLANS)
        + " | onnxruntime ms | dnnf vs fixed | dnnf vs none |"
    )
    print("|---" * (len(PLANS) + 6) + "|")
    for name in args.models.split(","):
        path = str(zoo.model_path(name))
        feed = zoo.example_inputs(name)
        with tempfile.TemporaryDirectory() as tmp:
            mlir = Path(tmp) / "model.mlir"
            mlir.write_text(str(import_model(path)))
            stats = {
                p: kernel_statistics(opt, mlir, p, args.threads) for p in PLANS[:3]
            }
            runners = {}
            for plan in PLANS:
                start = time.perf_counter()
                model = compile_model(
                    path, cache_dir=tmp, fusion=plan, threads=args.threads
                )
                print(
                    f"  {name}: {plan} compiled in {time.perf_counter() - start:.1f} s",
                    file=sys.stderr,
                )
                runners[plan] = lambda m=model, f=feed: m(**f)
            runners["onnxruntime"] = onnxruntime_runner(path, feed, args.threads)
            times: dict[str, list[float]] = {k: [] for k in runners}
            for _ in range(ROUNDS):
                for key, fn in runners.items():
                    fn()  # untimed: the previous engine's threads settle
                    for _ in range(max(1, args.runs // ROUNDS)):
                        t = time.perf_counter()
                        fn()
                        times[key].append(time.perf_counter() - t)
        ms = {k: float(np.median(v)) * 1e3 for k, v in times.items()}
        kernels = " / ".join(str(stats[p].get("kernels", "?")) for p in PLANS[:3])
        nests = " / ".join(str(stats[p].get("loop-nests", "?")) for p in PLANS[:3])
        cells = " | ".join(f"{ms[p]:.2f}" for p in PLANS)
        vs_fixed = ms["fixed-pattern"] / ms["dnnf"]
        vs_none = ms["none"] / ms["dnnf"]
        print(
            f"| {name} | {kernels} | {nests} | {cells} | {ms['onnxruntime']:.2f} | "
            f"{vs_fixed:.2f}x | {vs_none:.2f}x |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
