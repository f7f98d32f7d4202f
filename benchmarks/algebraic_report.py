#!/usr/bin/env python3
"""Runs --dnnf-algebraic-simplify on every suite model; one markdown table.

For each model of ``dnnf.zoo.SUITE``: import it (``import_model``), hand the
module to ``dnnf-opt`` (``dnnf.opt_path()``, or ``DNNF_OPT``), and report the
dnnf ops (constants excluded) and FLOPs before and after (from the pass's
cost model), the rewrites applied per rule, and the time dnnf-opt took.
Models are generated into the cache on first use (``DNNF_CACHE_DIR``; torch
models need torch).

The module goes to dnnf-opt as MLIR bytecode by default: the textual form of
a model with hundreds of MB of weights is twice their size in hex and slow to
print and parse; ``--text`` prints the module text instead (same result).

    python benchmarks/algebraic_report.py [names...] [--fast-math] [--text]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from mlir import ir

import dnnf
from dnnf import zoo
from dnnf.frontend.onnx import import_model

RULE = re.compile(r"remark: dnnf-algebraic-simplify: ([a-z-]+) \(")
TOTALS = re.compile(
    r"dnnf-algebraic-simplify: FLOPs (\d+) -> (\d+), bytes (\d+) -> (\d+), "
    r"ops (\d+) -> (\d+)"
)


def simplify(path: Path, fast_math: bool) -> tuple[tuple[int, ...], Counter, float]:
    options = "emit-remarks" + (" fast-math=true" if fast_math else "")
    start = time.perf_counter()
    out = subprocess.run(
        [
            str(dnnf.opt_path()),
            str(path),
            f"-dnnf-algebraic-simplify={options}",
            "-mlir-print-op-on-diagnostic=false",
            "--emit-bytecode",
            "-o",
            "/dev/null",
        ],
        capture_output=True,
        text=True,
        errors="replace",
    )
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1])
    totals = TOTALS.search(out.stderr)
    if not totals:
        raise RuntimeError("no totals remark from dnnf-opt")
    return (
        tuple(int(x) for x in totals.groups()),
        Counter(RULE.findall(out.stderr)),
        elapsed,
    )


def gflops(n: int) -> str:
    return f"{n / 1e9:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=zoo.SUITE)
    parser.add_argument("--fast-math", action="store_true")
    parser.add_argument("--text", action="store_true", help="pass the module as text")
    args = parser.parse_args()

    print(
        "| model | ops before | ops after | GFLOPs before | GFLOPs after | "
        "FLOPs saved | MB moved before | MB moved after | rewrites | "
        "rules fired | dnnf-opt s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    failed = 0
    totals: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.names:
            try:
                path = zoo.model_path(name)
            except Exception as e:  # e.g. torch missing
                print(f"| {name} | skipped: {e} |")
                continue
            module_path = Path(tmp) / (
                f"{name}.mlir" if args.text else f"{name}.mlirbc"
            )
            try:
                with ir.Context():
                    module = import_model(path)
                    with open(module_path, "w" if args.text else "wb") as f:
                        if args.text:
                            module.operation.print(file=f)
                        else:
                            module.operation.write_bytecode(f)
                    del module
                (flops0, flops1, bytes0, bytes1, ops0, ops1), fired, secs = simplify(
                    module_path, args.fast_math
                )
            except Exception as e:
                failed += 1
                print(f"| {name} | failed: {e} |")
                continue
            finally:
                module_path.unlink(missing_ok=True)
            totals.update(fired)
            saved = 100.0 * (flops0 - flops1) / flops0 if flops0 else 0.0
            rules = ", ".join(f"{rule} x{n}" for rule, n in fired.most_common()) or "-"
            print(
                f"| {name} | {ops0} | {ops1} | {gflops(flops0)} | {gflops(flops1)} | "
                f"{saved:.2f}% | {bytes0 / 1e6:.1f} | {bytes1 / 1e6:.1f} | "
                f"{sum(fired.values())} | {rules} | {secs:.2f} |",
                flush=True,
            )
    print()
    print(
        "Rules fired over the suite: "
        + (", ".join(f"{r} x{n}" for r, n in totals.most_common()) or "none")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
