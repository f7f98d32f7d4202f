#!/usr/bin/env python3
"""Compile-cache and call-overhead figures of ``dnnf.runtime``, one table.

For each model: the first ``compile()`` into an empty temporary cache
(import, lowering, codegen, link), the second ``compile()`` of the same file
(a cache hit: hash lookup + ``dlopen``, no MLIR), the same with a fresh
process's state faked by clearing the file-digest memo (hashing the ONNX
file again), one inference, and the RSS growth over 1,000 calls after 20
warm-up calls.  A last line gives the per-call overhead of the Python
wrapper on a one-element Add (input checks, descriptor update, output copy).

    python benchmarks/runtime_cache.py [names...]   # default: squeezenet mobilenetv2
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time

import numpy as np
from onnx import TensorProto, helper

from dnnf import zoo
from dnnf.runtime import bench, compile


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def tiny_add() -> object:
    graph = helper.make_graph(
        [helper.make_node("Add", ["a", "b"], ["c"])],
        "add",
        [
            helper.make_tensor_value_info("a", TensorProto.FLOAT, [1]),
            helper.make_tensor_value_info("b", TensorProto.FLOAT, [1]),
        ],
        [helper.make_tensor_value_info("c", TensorProto.FLOAT, [1])],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=["squeezenet", "mobilenetv2"])
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    print(
        "| model | first compile s | second compile ms | second, file re-hashed ms "
        f"| one run ms | RSS growth over {args.calls} calls KB |"
    )
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as cache_dir:
        for name in args.names:
            path = zoo.model_path(name)
            t = time.perf_counter()
            compile(path, cache_dir=cache_dir)
            first = time.perf_counter() - t
            t = time.perf_counter()
            model = compile(path, cache_dir=cache_dir)
            second = time.perf_counter() - t
            assert model.backend == "aot"
            shutil.rmtree(os.path.join(cache_dir, "compiled", "digests"))
            t = time.perf_counter()
            compile(path, cache_dir=cache_dir)
            rehashed = time.perf_counter() - t
            feeds = bench.random_inputs(model.inputs)
            t = time.perf_counter()
            model(**feeds)
            run = time.perf_counter() - t
            for _ in range(20):
                model(**feeds)
            before = rss_bytes()
            for _ in range(args.calls):
                model(**feeds)
            growth = rss_bytes() - before
            print(
                f"| {name} | {first:.2f} | {second * 1e3:.1f} | {rehashed * 1e3:.1f} "
                f"| {run * 1e3:.1f} | {growth / 1024:.0f} |",
                flush=True,
            )
        tiny = compile(tiny_add(), cache_dir=cache_dir)
        a = np.ones(1, np.float32)
        calls = 20000
        t = time.perf_counter()
        for _ in range(calls):
            tiny(a, a)
        per_call = (time.perf_counter() - t) / calls
    us = per_call * 1e6
    print(f"\nper-call overhead (1-element Add, {calls} calls): {us:.1f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
