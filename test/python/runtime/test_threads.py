"""Threaded code (threads > 1) and dnnf's thread pool, libdnnf_runtime.so."""

import ctypes
import json
import subprocess

import numpy as np
import onnxruntime as ort
import pytest

from dnnf._native import runtime_path
from dnnf.runtime import compile
from dnnf.runtime.native import load_runtime

TASK = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int64)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 17, 1000])
def test_parallel_for_runs_every_index_once(n: int) -> None:
    load_runtime()
    lib = ctypes.CDLL(str(runtime_path()))
    lib.dnnf_parallel_for.argtypes = [ctypes.c_int64, TASK, ctypes.c_void_p]
    counts = np.zeros(max(n, 1), dtype=np.int64)
    task = TASK(lambda ctx, i: counts.__setitem__(i, counts[i] + 1))
    for _ in range(3):
        lib.dnnf_parallel_for(n, task, None)
    assert (counts[:n] == 3).all() and counts[n:].sum() == 0
    assert lib.dnnf_num_threads() >= 1


def run_ort(model, x):
    return ort.InferenceSession(model.SerializeToString()).run(None, {"x": x})[0]


@pytest.mark.parametrize("cache", [True, False], ids=["aot", "jit"])
def test_threaded_model_matches_sequential_and_onnxruntime(
    cache: bool, make_conv_model
) -> None:
    # 16 channels at 32x32: the conv's matmul tiles and the large
    # elementwise loops become tasks.
    model = make_conv_model(channels=16, size=32, batch=1)
    x = np.random.default_rng(1).standard_normal((1, 3, 32, 32)).astype(np.float32)
    threaded = compile(model, threads=2, cache=cache)
    sequential = compile(model, threads=1, cache=cache)
    got = threaded(x)[0]
    np.testing.assert_allclose(got, sequential(x)[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got, run_ort(model, x), rtol=1e-4, atol=1e-5)
    for _ in range(50):  # the pool is reused call after call
        np.testing.assert_array_equal(threaded(x)[0], got)
    if cache:
        meta = json.loads((threaded.path / "meta.json").read_text())
        assert meta["threaded"] is True
        assert "threads=2" in meta["options"]["pipeline"]
        needed = subprocess.run(
            ["readelf", "-d", str(threaded.path / "model.so")],
            capture_output=True,
            text=True,
        ).stdout
        assert "libdnnf_runtime.so" in needed
        seq_meta = json.loads((sequential.path / "meta.json").read_text())
        assert seq_meta["threaded"] is False
