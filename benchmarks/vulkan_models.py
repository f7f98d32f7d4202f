"""Runs suite models through the Vulkan path and checks them against
onnxruntime: kernels, barriers, compile/run times, max error / scale.

    python benchmarks/vulkan_models.py [--fp16] [model ...]   (default: squeezenet)

With ``--fp16`` the model is converted to float16 (``dnnf.zoo.float16``)
and compiled with the fp16 capabilities; the reference is onnxruntime on the
float32 model, fed the same (float16-representable) inputs.
"""

from __future__ import annotations

import sys
import time
import traceback

import numpy as np
import onnx
import onnxruntime as ort

from dnnf import zoo
from dnnf.gpu import compile_vulkan, validate
from dnnf.gpu.__main__ import random_feeds
from dnnf.zoo.float16 import to_float16

#: Timed runs after the first call (which also pays the driver's lazy
#: shader compilation on lavapipe).
RUNS = 2


def check(name: str, fp16: bool) -> None:
    path = str(zoo.model_path(name))
    start = time.perf_counter()
    model = compile_vulkan(to_float16(onnx.load(path)) if fp16 else path)
    t_compile = time.perf_counter() - start
    for k in model.kernels.values():
        validate(k.spirv, model.options, k.name)
    feeds = random_feeds(model.inputs, seed=0)
    start = time.perf_counter()
    got = model(**feeds)
    t_first = time.perf_counter() - start
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        model(**feeds)
        times.append(time.perf_counter() - start)
    t_run = min(times)
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    want = sess.run(
        None,
        {
            k: v.astype(np.float32) if v.dtype == np.float16 else v
            for k, v in feeds.items()
        },
    )
    errs = []
    for g, w in zip(got, want, strict=True):
        scale = max(1.0, float(np.abs(w).max()))
        errs.append(float(np.abs(g.astype(np.float64) - w).max()) / scale)
    print(
        f"{name}{' (f16)' if fp16 else ''}: "
        f"{len(model.kernels)} kernels (spirv-val ok), "
        f"{model.dispatch_count} dispatches, {model.barrier_count} barriers, "
        f"compile {t_compile:.1f} s, first run {t_first * 1e3:.0f} ms, "
        f"best of {RUNS} after it {t_run * 1e3:.0f} ms, "
        f"max |error|/scale {max(errs):.2e}",
        flush=True,
    )


def main(args: list[str]) -> int:
    fp16 = "--fp16" in args
    names = [a for a in args if a != "--fp16"]
    status = 0
    for name in names or ["squeezenet"]:
        try:
            check(name, fp16)
        except Exception as e:  # report and go on with the next model
            status = 1
            print(f"{name}: FAILED {type(e).__name__}: {str(e)[:300]}", flush=True)
            traceback.print_exc(limit=3, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
