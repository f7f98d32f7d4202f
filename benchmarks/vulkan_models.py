"""Runs suite models through the Vulkan path and checks them against
onnxruntime: kernels, barriers, compile/run times, max error / scale.

    python benchmarks/vulkan_models.py [model ...]   (default: squeezenet)
"""

from __future__ import annotations

import sys
import time
import traceback

import numpy as np
import onnxruntime as ort

from dnnf import zoo
from dnnf.gpu import compile_vulkan, validate
from dnnf.gpu.__main__ import random_feeds


def check(name: str) -> None:
    path = str(zoo.model_path(name))
    start = time.perf_counter()
    model = compile_vulkan(path)
    t_compile = time.perf_counter() - start
    for k in model.kernels.values():
        validate(k.spirv, model.options, k.name)
    feeds = random_feeds(model.inputs, seed=0)
    start = time.perf_counter()
    got = model(**feeds)
    t_run = time.perf_counter() - start
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    want = sess.run(None, feeds)
    errs = []
    for g, w in zip(got, want, strict=True):
        scale = max(1.0, float(np.abs(w).max()))
        errs.append(float(np.abs(g.astype(np.float64) - w).max()) / scale)
    print(
        f"{name}: {len(model.kernels)} kernels (spirv-val ok), "
        f"{model.dispatch_count} dispatches, {model.barrier_count} barriers, "
        f"compile {t_compile:.1f} s, run {t_run * 1e3:.0f} ms, "
        f"max |error|/scale {max(errs):.2e}",
        flush=True,
    )


def main(names: list[str]) -> int:
    status = 0
    for name in names or ["squeezenet"]:
        try:
            check(name)
        except Exception as e:  # report and go on with the next model
            status = 1
            print(f"{name}: FAILED {type(e).__name__}: {str(e)[:300]}", flush=True)
            traceback.print_exc(limit=3, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
