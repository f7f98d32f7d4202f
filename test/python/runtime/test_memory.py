"""Calling a compiled model does not grow the process: RSS stays flat over
1,000 calls, output buffers are allocated once."""

import os

import numpy as np
import onnxruntime as ort
import pytest

from dnnf.runtime import compile

CALLS = 1000
#: Allowed RSS growth over CALLS calls after warm-up.  One leaked
#: intermediate buffer per call (the conv output alone is 2x16x32x32 f32 =
#: 128 KiB) would grow it by about 125 MiB.
BOUND_BYTES = 2 * 1024 * 1024


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux")
@pytest.mark.parametrize("cache", [True, False], ids=["aot", "jit"])
def test_rss_flat_over_1000_calls(make_conv_model, cache):
    proto = make_conv_model(channels=16, size=32)
    model = compile(proto, cache=cache)
    assert model.backend == ("aot" if cache else "jit")
    x = np.random.default_rng(0).standard_normal((2, 3, 32, 32)).astype(np.float32)
    buffers = [o.ctypes.data for o in model._out]
    for _ in range(50):  # warm-up: allocator pools, numpy caches
        model(x)
    before = rss_bytes()
    for _ in range(CALLS):
        (probs,) = model(x)
    growth = rss_bytes() - before
    assert growth < BOUND_BYTES, f"RSS grew by {growth / 1e6:.2f} MB"
    # The same output buffers served every call.
    assert [o.ctypes.data for o in model._out] == buffers
    (want,) = ort.InferenceSession(proto.SerializeToString()).run(None, {"x": x})
    np.testing.assert_allclose(probs, want, rtol=1e-4, atol=1e-6)
