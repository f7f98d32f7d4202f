#!/usr/bin/env python3
"""Imports every model of the suite and prints one markdown table.

For each model: opset, ONNX nodes, dnnf ops after import, import time (load,
version conversion, shape inference, conversion, verification), and the
mapping-type counts from ``--dnnf-classify``.  Models are generated into the
cache on first use (``python -m dnnf.zoo``; torch models need torch).

    python benchmarks/import_suite.py [names...] [--shipped]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

import onnx
from mlir import ir
from mlir.passmanager import PassManager

import dnnf
from dnnf import zoo
from dnnf.frontend.onnx import import_model

ORDER = ["one_to_one", "one_to_many", "many_to_many", "reorganize", "shuffle"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=zoo.SUITE)
    parser.add_argument(
        "--shipped",
        action="store_true",
        help="light models as shipped (opset 9, ConstantOfShape weights)",
    )
    args = parser.parse_args()
    print(
        "| model | opset | ONNX nodes | dnnf ops | import s | "
        + " | ".join(ORDER)
        + " |"
    )
    print("|---" * (5 + len(ORDER)) + "|")
    failed = 0
    for name in args.names:
        try:
            materialized = not (args.shipped and name in zoo.LIGHT_MODELS)
            path = zoo.model_path(name, materialized=materialized)
        except Exception as e:  # e.g. torch missing
            print(f"| {name} | - | - | - | skipped: {e} |")
            continue
        proto = onnx.load(str(path), load_external_data=False)
        opset = next(
            o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")
        )
        with ir.Context():
            start = time.perf_counter()
            try:
                module = import_model(path)
            except Exception as e:
                failed += 1
                print(f"| {name} | {opset} | {len(proto.graph.node)} | FAILED: {e} |")
                continue
            elapsed = time.perf_counter() - start
            PassManager.parse("builtin.module(dnnf-classify)").run(module.operation)
            ops = list(module.body.operations[0].regions[0].blocks[0].operations)
            dnnf_ops = [op for op in ops if op.operation.name.startswith("dnnf.")]
            kinds = Counter(
                str(dnnf.stored_mapping_type(op))
                for op in dnnf_ops
                if dnnf.stored_mapping_type(op) is not None
            )
            print(
                f"| {name} | {opset} | {len(proto.graph.node)} | {len(dnnf_ops)} | "
                f"{elapsed:.2f} | " + " | ".join(str(kinds[k]) for k in ORDER) + " |",
                flush=True,
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
