#!/usr/bin/env python3
"""The profiling database of DNNFusion's ◐ cells on the suite: what it
costs, what it decides, what it changes.

For each model, in turn, into one database (so later models reuse earlier
entries): ``dnnf.runtime.profile.profile`` (candidates measured, planning
rounds, seconds); the ◐ cells the final plan decides by measurement (fuse /
stop); kernels after ``dnnf-fuse{anchor-epilogues}`` (the CPU pipeline's
plan) with the static rule and with the database (pass statistics); and,
unless ``--no-latency``, the latency of ``compile(fusion="dnnf")`` with each
in one process, interleaved rounds, median ms, plus the ratio.

    python benchmarks/profile_db.py [names...] [--db FILE] [--threads N]
        [--runs 15] [--no-latency] [--dnnf-opt PATH]

The database defaults to a fresh temporary file (``--db`` keeps it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from mlir import ir

import dnnf
from dnnf import zoo
from dnnf.frontend.onnx import import_model
from dnnf.runtime import compile as compile_model
from dnnf.runtime.native import default_threads
from dnnf.runtime.profile import profile

sys.path.insert(0, str(Path(__file__).parent))
from fusion_counts import fuse_statistics  # noqa: E402

DEFAULT = [
    "squeezenet",
    "mobilenetv2",
    "efficientnet_b0",
    "resnet50",
    "inception_v1",
    "densenet121",
    "shufflenet",
    "bert_base",
]


def latencies(name: str, db: Path, threads: int, runs: int) -> tuple[float, float]:
    """Median ms of fusion=dnnf with the static rule and with ``db``."""
    feed = zoo.example_inputs(name)
    path = str(zoo.model_path(name))
    static = compile_model(
        path, fusion="dnnf", profile_db=str(db) + ".absent", threads=threads
    )
    measured = compile_model(path, fusion="dnnf", profile_db=str(db), threads=threads)
    times: dict[str, list[float]] = {"static": [], "db": []}
    for _ in range(4):
        for name, model in (("static", static), ("db", measured)):
            model(**feed)
            for _ in range(runs):
                start = time.perf_counter()
                model(**feed)
                times[name].append(time.perf_counter() - start)
    return float(np.median(times["static"]) * 1e3), float(np.median(times["db"]) * 1e3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", default=DEFAULT)
    parser.add_argument("--db", help="the database (default: a temporary file)")
    parser.add_argument("--threads", type=int, default=default_threads())
    parser.add_argument("--runs", type=int, default=15, help="calls per round")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--dnnf-opt", default=os.environ.get("DNNF_OPT"))
    args = parser.parse_args()
    opt = args.dnnf_opt or str(dnnf.opt_path())
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "profile-db.json"
        print(f"database {db}, {args.threads} thread(s)\n", file=sys.stderr)
        header = (
            "| model | candidates measured (planning rounds) | profiling s | "
            "◐ cells by database (fuse / stop) | kernels, static rule -> "
            "database |"
        )
        rows = []
        if not args.no_latency:
            header += " static rule ms | database ms | static / database |"
        for name in args.names:
            path = str(zoo.model_path(name))
            context = ir.Context()
            with context, ir.Location.unknown():
                module = import_model(path, context=context)
                start = time.perf_counter()
                report = profile(module, db_path=db, threads=args.threads)
                seconds = time.perf_counter() - start
                bytecode = Path(tmp) / f"{name}.mlirbc"
                with open(bytecode, "wb") as f:
                    module.operation.write_bytecode(f)
            base = f"anchor-epilogues=1 profile-threads={args.threads}"
            static = fuse_statistics(opt, bytecode, base)
            measured = fuse_statistics(opt, bytecode, f"{base} profile-db={db}")
            row = (
                f"| {name} | {report.measured} ({report.rounds}) | {seconds:.1f} | "
                f"{report.by_database} ({report.fused} / "
                f"{report.by_database - report.fused}) | "
                f"{static['kernels-after']} -> {measured['kernels-after']} |"
            )
            if not args.no_latency:
                s, d = latencies(name, db, args.threads, args.runs)
                row += f" {s:.2f} | {d:.2f} | {s / d:.2f}x |"
            rows.append(row)
            print(row, file=sys.stderr, flush=True)
        print(header)
        print("|" + "---|" * (header.count("|") - 1))
        print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
