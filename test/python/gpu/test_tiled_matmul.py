"""Workgroup-tiled matmuls (dnnf-gpu-tile-matmuls) on the Vulkan device
against numpy: shapes that the tiles do not divide, several tile settings,
batches, and the naive kernels for comparison."""

import numpy as np
import pytest
from gpu_helpers import onnx_model
from onnx import helper

from dnnf.gpu import compile_vulkan
from dnnf.gpu.model import device_options

RNG = np.random.default_rng(7)


def matmul_model(a_shape, b_shape, out_shape):
    b = RNG.standard_normal(b_shape).astype(np.float32)
    model = onnx_model(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        [("x", list(a_shape))],
        [("y", list(out_shape))],
        {"w": b},
    )
    return model, b


@pytest.mark.parametrize(
    "tiles",
    [
        {"tile_matmuls": False},
        {},
        {"matmul_tile": 16, "matmul_thread_tile": 1, "matmul_k_tile": 16},
        {"matmul_tile": 64, "matmul_thread_tile": 8, "matmul_k_tile": 8},
        {"matmul_tile": 12, "matmul_thread_tile": 3, "matmul_k_tile": 5},
    ],
    ids=["naive", "default", "16-1-16", "64-8-8", "12-3-5"],
)
@pytest.mark.parametrize(
    "shapes",
    [
        ((37, 53), (53, 70), (37, 70)),  # no dimension a multiple of a tile
        ((1, 300), (300, 5), (1, 5)),  # a GEMV row
        ((3, 20, 33), (3, 33, 17), (3, 20, 17)),  # batched
    ],
    ids=["edges", "gemv", "batched"],
)
def test_tiled_matmul_matches_numpy(tiles, shapes, device, spirv_val):
    a_shape, b_shape, out_shape = shapes
    model, b = matmul_model(a_shape, b_shape, out_shape)
    options = device_options(device, **tiles)
    compiled = compile_vulkan(model, options=options, device=device)
    for k in compiled.kernels.values():
        spirv_val(k.spirv, compiled.options, k.name)
    a = RNG.standard_normal(a_shape).astype(np.float32)
    (y,) = compiled(a)
    want = np.matmul(a.astype(np.float64), b.astype(np.float64))
    # f32 sums of K products of unit normals: error ~ sqrt(K) * 2^-24 * |terms|.
    np.testing.assert_allclose(y, want, rtol=1e-5, atol=1e-5 * np.sqrt(a_shape[-1]))


def test_tiled_matmul_is_one_kernel_per_matmul(device):
    model, _ = matmul_model((40, 40), (40, 40), (40, 40))
    compiled = compile_vulkan(model, device=device)
    # The tiled product alone (its sums start from the zero fill of C):
    # 32 x 32 blocks, 8 x 8 invocations each.
    grids = sorted(d.grid for d in compiled.plan.dispatches)
    assert grids == [(2, 2, 1)]
