#!/usr/bin/env python3
"""Import speed with large weights: a model holding ~100 MB of initializers.

Prints the ONNX load+import time, the size of the text IR and of the bytecode.
Weights become dense_resource blobs created zero-copy from the initializers,
so the import time is dominated by reading the file.

    python benchmarks/import_weights.py [--megabytes 100]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from mlir import ir
from onnx import TensorProto, helper, numpy_helper, save

from dnnf.frontend.onnx import import_model


def build(path: Path, megabytes: int) -> int:
    """A chain of MatMul+Relu layers, 1024x1024 f32 weights (4 MiB each)."""
    layers = max(1, megabytes // 4)
    rng = np.random.default_rng(0)
    nodes, inits = [], []
    prev = "x"
    for i in range(layers):
        w = (rng.standard_normal((1024, 1024)) * np.sqrt(2 / 1024)).astype(np.float32)
        inits.append(numpy_helper.from_array(w, f"layer{i}.weight"))
        nodes.append(helper.make_node("MatMul", [prev, f"layer{i}.weight"], [f"m{i}"]))
        nodes.append(helper.make_node("Relu", [f"m{i}"], [f"r{i}"]))
        prev = f"r{i}"
    graph = helper.make_graph(
        nodes,
        "weights",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1024])],
        [helper.make_tensor_value_info(prev, TensorProto.FLOAT, [1, 1024])],
        inits,
    )
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    return layers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "weights.onnx"
        layers = build(path, args.megabytes)
        size = path.stat().st_size / 2**20
        with ir.Context():
            start = time.perf_counter()
            module = import_model(path)
            t_import = time.perf_counter() - start
            start = time.perf_counter()
            text = str(module)
            t_print = time.perf_counter() - start
            bc = Path(tmp) / "weights.mlirbc"
            start = time.perf_counter()
            with open(bc, "wb") as f:
                module.operation.write_bytecode(f)
            t_bc = time.perf_counter() - start
        print("| what | value |")
        print("|---|---|")
        print(f"| ONNX file | {size:.1f} MiB, {layers} layers |")
        print(f"| import_model (load + convert + verify) | {t_import:.2f} s |")
        print(f"| text IR | {len(text) / 2**20:.1f} MiB, printed in {t_print:.2f} s |")
        print(
            f"| bytecode | {bc.stat().st_size / 2**20:.1f} MiB, "
            f"written in {t_bc:.2f} s |"
        )


if __name__ == "__main__":
    main()
