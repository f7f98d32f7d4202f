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
    # B packed into 32-column panels at run time (cache tiles of 16 rows or
    # more): 2 panels + peeled 16; whole rows of 784 over 3 K tiles (a 3x3
    # convolution's im2col at 28x28); 256-column tiles started from zero.
    (None, 64, 80, 32),
    (None, 128, 784, 384),
    (None, 256, 512, 64),
    # K cache tiles that are not powers of two: 3 of 192 (K = 576); one of
    # 144, started from zero.
    (None, 32, 64, 576),
    (None, 24, 256, 144),
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


#: (C_in, C_out, H, W, depthwise stride, depthwise pads [top, left, bottom,
#: right]): a 1x1 convolution whose epilogue (bias, clip, per-channel scale)
#: feeds the padded input of a depthwise 3x3 convolution.  Its epilogue is
#: tiled by whole rows of W and writes the padded buffer's interior:
#: 14 x 14 (one tile of 196 columns, a peeled remainder of 4), 28 x 28 (7
#: rows), 8 x 40 (4 rows, whole vectors), 5 x 9 (odd rows, a padded
#: remainder), stride 2 and asymmetric pads.
PADDED_EPILOGUES = [
    (16, 48, 14, 14, 1, (1, 1, 1, 1)),
    (8, 24, 28, 28, 1, (1, 1, 1, 1)),
    (12, 32, 8, 40, 2, (0, 0, 1, 1)),
    (5, 7, 5, 9, 1, (2, 1, 0, 2)),
]


def _padded_epilogue_module(
    cin: int, cout: int, h: int, w: int, stride: int, pads: tuple[int, ...]
) -> str:
    top, left, bottom, right = pads
    oh = (h + top + bottom - 3) // stride + 1
    ow = (w + left + right - 3) // stride + 1
    x, y = f"tensor<1x{cin}x{h}x{w}xf32>", f"tensor<1x{cout}x{h}x{w}xf32>"
    z = f"tensor<1x{cout}x{oh}x{ow}xf32>"
    return f"""
func.func @main(%x: {x}, %w1: tensor<{cout}x{cin}x1x1xf32>,
                %b1: tensor<{cout}xf32>, %s: tensor<{cout}x1x1xf32>,
                %w2: tensor<{cout}x1x3x3xf32>) -> {z} {{
  %0 = dnnf.conv %x, %w1, %b1 {{strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64}} : ({x}, tensor<{cout}x{cin}x1x1xf32>, tensor<{cout}xf32>) -> {y}
  %1 = dnnf.clip %0 {{min = -2.0 : f64, max = 6.0 : f64}} : {y}
  %3 = dnnf.mul %1, %s : ({y}, tensor<{cout}x1x1xf32>) -> {y}
  %4 = dnnf.conv %3, %w2 {{strides = array<i64: {stride}, {stride}>, pads = array<i64: {top}, {left}, {bottom}, {right}>, dilations = array<i64: 1, 1>, group = {cout} : i64}} : ({y}, tensor<{cout}x1x3x3xf32>) -> {z}
  return %4 : {z}
}}"""


def _padded_epilogue_reference(
    x: np.ndarray,
    w1: np.ndarray,
    b1: np.ndarray,
    s: np.ndarray,
    w2: np.ndarray,
    stride: int,
    pads: tuple[int, ...],
) -> np.ndarray:
    x, w1, b1, s, w2 = (v.astype(np.float64) for v in (x, w1, b1, s, w2))
    y = np.einsum("oc,nchw->nohw", w1[:, :, 0, 0], x) + b1[None, :, None, None]
    y = np.clip(y, -2.0, 6.0)
    y = y * s[None]
    top, left, bottom, right = pads
    p = np.pad(y, ((0, 0), (0, 0), (top, bottom), (left, right)))
    oh = (p.shape[2] - 3) // stride + 1
    ow = (p.shape[3] - 3) // stride + 1
    out = np.zeros((1, y.shape[1], oh, ow))
    for i in range(3):
        for j in range(3):
            window = p[:, :, i : i + stride * oh : stride, j : j + stride * ow : stride]
            out += window * w2[None, :, 0, i, j, None, None]
    return out


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize(
    "case", PADDED_EPILOGUES, ids=lambda c: "x".join(str(d) for d in c[:4])
)
def test_epilogue_into_pad_matches_numpy(
    case: tuple[int, int, int, int, int, tuple[int, ...]], threads: int
) -> None:
    cin, cout, h, w, stride, pads = case
    rng = np.random.default_rng(cin * 100 + cout * 10 + h + w)
    x = rng.standard_normal((1, cin, h, w)).astype(np.float32)
    w1 = rng.standard_normal((cout, cin, 1, 1)).astype(np.float32)
    b1 = rng.standard_normal(cout).astype(np.float32)
    s = rng.standard_normal((cout, 1, 1)).astype(np.float32)
    w2 = rng.standard_normal((cout, 1, 3, 3)).astype(np.float32)
    with ir.Context(), ir.Location.unknown():
        module = ir.Module.parse(_padded_epilogue_module(cin, cout, h, w, stride, pads))
        compiled = jit_compile(module, threads=threads, cache=False)
        (got,) = compiled(x, w1, b1, s, w2)
    expected = _padded_epilogue_reference(x, w1, b1, s, w2, stride, pads)
    # The 1x1 outputs grow as sqrt(C_in), and nine of them add up.
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=3e-4 * np.sqrt(cin))


#: (M, K, N) of a matmul by constant weights, whose register tiles read B
#: from panels packed at compile time (pack-weights): whole panels, a
#: peeled remainder reading the zero-padded last panel (40 = 32 + 8, 100 =
#: 3 x 32 + 4, 33 = 32 + 1), rows 4 KiB apart (768), odd M and K.
PACKED = [
    (16, 24, 40),
    (8, 16, 768),
    (5, 27, 100),
    (64, 64, 33),
    (128, 256, 96),
]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("shape", PACKED, ids=lambda s: "x".join(map(str, s)))
def test_packed_weights_match_numpy(shape: tuple[int, int, int], threads: int) -> None:
    from onnx import TensorProto, helper, numpy_helper

    m, k, n = shape
    rng = np.random.default_rng(m * 10000 + k * 100 + n)
    w = rng.standard_normal((k, n)).astype(np.float32)
    x = rng.standard_normal((m, k)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        "packed",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])],
        [numpy_helper.from_array(w, "w")],
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8
    )
    (got,) = jit_compile(model, threads=threads, cache=False)(x)
    expected = x.astype(np.float64) @ w.astype(np.float64)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4 * np.sqrt(k))
