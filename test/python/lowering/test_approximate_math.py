"""--dnnf-approximate-math (on by default in the CPU pipeline): the polynomial
exp, log, tanh and erf, scalar and vectorized, against numpy in float64 over
inputs spanning their useful ranges, with the infinities and NaN.

Tolerances: rtol 2e-6 (a few float32 ulp) with atol 1e-7 for exp, log and
the sigmoid built on exp; atol 2e-7 for tanh and erf, whose approximations
are accurate to about 1e-7 absolute."""

from __future__ import annotations

import math

import numpy as np
import pytest
from mlir import ir

from dnnf.runtime import compile as jit_compile

N = 4099  # not a multiple of the vector width: vector rows and a remainder

FUNCTIONS = {
    # name: (dnnf op, input range, reference, atol)
    "exp": ("dnnf.exp", (-87.0, 88.0), np.exp, 1e-7),
    "log": ("dnnf.log", (1e-30, 1e30), np.log, 1e-7),
    "tanh": ("dnnf.tanh", (-10.0, 10.0), np.tanh, 2e-7),
    "erf": ("dnnf.erf", (-6.0, 6.0), np.vectorize(math.erf), 2e-7),
    "sigmoid": ("dnnf.sigmoid", (-30.0, 30.0), lambda x: 1 / (1 + np.exp(-x)), 1e-7),
}


def _inputs(low: float, high: float) -> np.ndarray:
    rng = np.random.default_rng(0)
    if low > 0:  # log: spread over the exponents
        x = np.exp(rng.uniform(np.log(low), np.log(high), N))
    else:
        x = rng.uniform(low, high, N)
    x[:3] = [low, high, 0.5 * (low + high)]
    return x.astype(np.float32)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_approximation_matches_numpy(name: str, threads: int) -> None:
    op, (low, high), reference, atol = FUNCTIONS[name]
    t = f"tensor<{N}xf32>"
    src = f"func.func @main(%x: {t}) -> {t} {{\n  %0 = {op} %x : {t}\n  return %0 : {t}\n}}"
    x = _inputs(low, high)
    with ir.Context(), ir.Location.unknown():
        module = ir.Module.parse(src)
        (got,) = jit_compile(module, threads=threads, cache=False)(x)
    want = reference(x.astype(np.float64))
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=atol)


@pytest.mark.parametrize("name", ["exp", "tanh", "erf", "sigmoid"])
def test_special_values(name: str) -> None:
    op, _, reference, _ = FUNCTIONS[name]
    x = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0], dtype=np.float32)
    t = "tensor<5xf32>"
    src = f"func.func @main(%x: {t}) -> {t} {{\n  %0 = {op} %x : {t}\n  return %0 : {t}\n}}"
    with ir.Context(), ir.Location.unknown():
        module = ir.Module.parse(src)
        (got,) = jit_compile(module, threads=1, cache=False)(x)
    with np.errstate(all="ignore"):
        want = reference(x.astype(np.float64))
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=0, equal_nan=True)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("exponent", [-0.75, 0.5, 1.3, -2.5])
def test_fractional_pow_matches_numpy(exponent: float, threads: int) -> None:
    """x ** b for a constant b that is not an integer becomes exp(b * log x):
    positive bases whose results span float32's normal range (|b log x| up
    to 80), and the special cases, against numpy's pow in float64.

    rtol 1e-5: exp(y) carries y's absolute error as a relative one, and
    y = b * log x rounded to float32 is already off by |y| * 2**-24 (5e-6 at
    |y| = 80); libm's powf keeps extra precision there.  For LRN's bases
    (about 1 to 2, |y| < 1) the error is a few ulp.  Bases are normal
    floats: the log approximation reads a subnormal base as the smallest
    normal one (so 1e-44 ** -0.75 gives 2.8e28, not 6.8e32), as it does for
    math.log itself."""
    rng = np.random.default_rng(1)
    reach = min(80.0 / abs(exponent), 87.0)  # normal float32 bases
    x = np.exp(rng.uniform(-reach, reach, N))
    x[:7] = [0.0, -0.0, np.inf, 1.0, -2.0, np.nan, 3.0]
    x = x.astype(np.float32)
    t = f"tensor<{N}xf32>"
    src = (
        f"func.func @main(%x: {t}) -> {t} {{\n"
        f"  %b = dnnf.constant dense<{exponent!r}> : tensor<f32>\n"
        f"  %0 = dnnf.pow %x, %b : ({t}, tensor<f32>) -> {t}\n"
        f"  return %0 : {t}\n}}"
    )
    with ir.Context(), ir.Location.unknown():
        module = ir.Module.parse(src)
        (got,) = jit_compile(module, threads=threads, cache=False)(x)
    with np.errstate(all="ignore"):
        want = np.power(x.astype(np.float64), exponent)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=0, equal_nan=True)
