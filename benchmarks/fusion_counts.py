#!/usr/bin/env python3
"""Kernel counts and intermediate memory with and without fusion, per suite model.

For each model: ONNX nodes; kernels without fusion (non-constant dnnf ops
after import); kernels after ``--dnnf-fuse`` (DNNFusion's mapping-type plan)
and after ``--dnnf-fuse=mode=fixed-pattern`` (TVM/onnxruntime-style
patterns); onnxruntime's optimized-graph node count at
``ORT_ENABLE_EXTENDED`` and at ``ORT_ENABLE_ALL`` (saved with
``SessionOptions.optimized_model_filepath``, CPU provider; ALL adds the
NCHWc layout transformer, whose reorder nodes count too); and the bytes of
intermediate tensors materialised between kernels (kernel results read by
another kernel) unfused and with dnnf fusion.  Counts come from the pass
statistics; models are generated into the cache on first use.

    python benchmarks/fusion_counts.py [names...] [--dnnf-opt PATH]

``dnnf-opt`` is ``--dnnf-opt``, else ``$DNNF_OPT``, else the installed one.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import onnx
from mlir import ir

import dnnf  # noqa: F401  (registers the dialect in new contexts)
from dnnf import zoo
from dnnf.frontend.onnx import import_model

STAT = re.compile(r"\(S\)\s+(\d+)\s+([\w-]+)")


def fuse_statistics(opt: str, bytecode: Path, options: str) -> dict[str, int]:
    """Runs ``--dnnf-fuse`` on ``bytecode`` and returns its statistics."""
    flag = f"--dnnf-fuse={options}" if options else "--dnnf-fuse"
    out = subprocess.run(
        [opt, str(bytecode), flag, "-mlir-pass-statistics", "-o", os.devnull],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"dnnf-opt {flag} failed: {out.stderr.strip()[-500:]}")
    return {key: int(value) for value, key in STAT.findall(out.stderr)}


def ort_nodes(path: Path, level: str, workdir: Path) -> int:
    """Node count of onnxruntime's optimized graph at ``level``."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = getattr(ort.GraphOptimizationLevel, level)
    saved = workdir / f"ort_{level}.onnx"
    opts.optimized_model_filepath = str(saved)
    opts.log_severity_level = 3
    ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    return len(onnx.load(str(saved), load_external_data=False).graph.node)


def mib(n: int) -> str:
    return f"{n / 2**20:.1f}"


def default_opt() -> str:
    if os.environ.get("DNNF_OPT"):
        return os.environ["DNNF_OPT"]
    from dnnf._native import opt_path

    return str(opt_path())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=zoo.SUITE)
    parser.add_argument("--dnnf-opt", default=None, help="dnnf-opt with --dnnf-fuse")
    args = parser.parse_args()
    opt = args.dnnf_opt or default_opt()
    print(
        "| model | ONNX nodes | kernels, unfused | kernels, dnnf fusion | "
        "kernels, fixed-pattern | ORT nodes (EXTENDED) | ORT nodes (ALL) | "
        "intermediates unfused MiB | intermediates dnnf MiB | reduction |"
    )
    print("|---" * 10 + "|")
    failed = 0
    for name in args.names:
        try:
            path = zoo.model_path(name)
        except Exception as e:  # e.g. torch missing
            print(f"| {name} | skipped: {e} |")
            continue
        nodes = len(onnx.load(str(path), load_external_data=False).graph.node)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                work = Path(tmp)
                bytecode = work / f"{name}.mlirbc"
                with ir.Context():
                    module = import_model(path)
                    with open(bytecode, "wb") as f:
                        module.operation.write_bytecode(f)
                    del module
                dnnf_stats = fuse_statistics(opt, bytecode, "")
                fixed = fuse_statistics(opt, bytecode, "mode=fixed-pattern")
                ort_ext = ort_nodes(path, "ORT_ENABLE_EXTENDED", work)
                ort_all = ort_nodes(path, "ORT_ENABLE_ALL", work)
        except Exception as e:
            failed += 1
            print(f"| {name} | {nodes} | FAILED: {e} |", flush=True)
            continue
        before = dnnf_stats["bytes-before"]
        after = dnnf_stats["bytes-after"]
        ratio = f"{before / after:.2f}x" if after else "-"
        print(
            f"| {name} | {nodes} | {dnnf_stats['kernels-before']} | "
            f"{dnnf_stats['kernels-after']} | {fixed['kernels-after']} | "
            f"{ort_ext} | {ort_all} | {mib(before)} | {mib(after)} | {ratio} |",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
