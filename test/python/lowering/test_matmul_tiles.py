"""The tiled, vectorized matmul schedule (``--dnnf-tile-vectorize``), proven
numerically on every kind of tile it produces.

Each shape below reaches a different register tile: full 8 x 32 tiles, a
peeled N remainder that is a whole vector (16, 8) or a few lanes (4), one
padded to whole vectors with masked loads and stores (17 -> 32, 24 -> 32,
20 -> 32, 5 -> 8), odd row counts (register tiles of 1 or 2 rows), K without
a divisor in the tile candidates, and batched matmuls.  Each runs on one and
two threads and is compared with numpy in float64, with rtol 1e-4 and an atol
of 1e-4 times sqrt(K) (the inputs are standard normal, so an output's scale
grows as sqrt(K)).
"""

from __future__ import annotations

import numpy as np
import pytest
from mlir import ir

from dnnf.runtime import compile as jit_compile

#: (batch or None, M, N, K)
SHAPES = [
    (None, 64, 64, 64),  # whole tiles
    (None, 64, 49, 96),  # 32 + peeled 17, padded to 32 (a 7x7 image)
    (None, 16, 56, 40),  # 32 + peeled 24, padded to 32
    (None, 32, 48, 16),  # 32 + peeled 16, a whole vector
    (None, 16, 40, 128),  # 32 + peeled 8
    (None, 24, 196, 72),  # 6 x 32 + peeled 4 (a 14x14 image)
    (None, 16, 20, 27),  # one tile padded to 32; K = 27: 3-step tiles
    (None, 4, 5, 8),  # padded to one 8-float vector
    (None, 6, 3, 10),  # 2-row tiles, 3 columns
    (None, 7, 1, 33),  # a matrix-vector product
    (None, 1, 100, 64),  # a row vector: 1-row tiles
    (3, 16, 49, 24),  # batched, with the padded remainder
    (2, 8, 64, 8),  # batched, whole tiles
]


def _module(batch: int | None, m: int, n: int, k: int) -> str:
    lead = f"{batch}x" if batch else ""
    a, b, c = (
        f"tensor<{lead}{m}x{k}xf32>",
        f"tensor<{lead}{k}x{n}xf32>",
        f"tensor<{lead}{m}x{n}xf32>",
    )
    return f"""
func.func @main(%a: {a}, %b: {b}) -> {c} {{
  %0 = dnnf.matmul %a, %b : ({a}, {b}) -> {c}
  return %0 : {c}
}}"""


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize(
    "shape", SHAPES, ids=lambda s: "x".join(str(d) for d in s if d)
)
def test_matmul_tiles_match_numpy(
    shape: tuple[int | None, int, int, int], threads: int
) -> None:
    batch, m, n, k = shape
    lead = (batch,) if batch else ()
    rng = np.random.default_rng(m * 1000 + n * 10 + k)
    a = rng.standard_normal(lead + (m, k)).astype(np.float32)
    b = rng.standard_normal(lead + (k, n)).astype(np.float32)
    with ir.Context(), ir.Location.unknown():
        module = ir.Module.parse(_module(batch, m, n, k))
        (got,) = jit_compile(module, threads=threads, cache=False)(a, b)
    expected = np.matmul(a.astype(np.float64), b.astype(np.float64))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4 * np.sqrt(k))
