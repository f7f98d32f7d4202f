"""Convolutions fused into the row tiles of the unpadded pool after them
(``--dnnf-fuse{pool-epilogues}`` plans the block, ``--dnnf-tile-vectorize
{fuse-pools}`` generates it), proven numerically against onnxruntime.

Windows that overlap along the rows (3x3 stride 2) are a ◐ cell of the
plan, which the static rule stops; ``fusion=linalg`` (no plan) runs their
fused schedule.  The cases cover both schedules of the convolution -- the implicit GEMM of
stride-1 convolutions larger than 1x1, and the matmul of 1x1 convolutions
and of strided ones (through an im2col) -- with non-overlapping (2x2 and
3x3 windows at their own stride) and overlapping (3x3 stride 2, a product
row shared by two tasks) max pools, average pools, convolutions read by the
pool directly (no elementwise chain; DenseNet's transition), several row
tiles, windows that leave the last column unread, and a padded pool that is
not fused.  Each runs under the dnnf plan (one kernel per block) and without a
plan (``fusion=linalg``), with the fused and the unfused schedule; the
statistics show which of them fused.  Inputs are standard normal and the
weights scaled by 0.2: outputs are O(1) and float32 sums of at most 576
products, so rtol 1e-4 and atol 1e-4 bound the rounding.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from mlir import ir
from onnx import TensorProto, helper, numpy_helper

import dnnf
from dnnf.frontend.onnx import import_model
from dnnf.runtime import compile as jit_compile

#: (C_in, C_out, H, W, conv window, conv stride, pool, window, stride, pads,
#: ReLU between)
CASES = [
    (16, 16, 16, 16, 3, 1, "MaxPool", 2, 2, 0, True),
    (8, 16, 13, 13, 3, 1, "MaxPool", 3, 2, 0, True),
    (8, 16, 25, 25, 3, 1, "MaxPool", 3, 2, 0, False),
    (8, 24, 14, 15, 3, 1, "AveragePool", 2, 2, 0, True),
    (8, 16, 12, 12, 3, 1, "MaxPool", 3, 3, 0, True),
    (64, 64, 56, 56, 3, 1, "MaxPool", 2, 2, 0, True),
    (8, 16, 13, 13, 3, 1, "MaxPool", 3, 2, 1, True),
    (32, 16, 28, 28, 1, 1, "AveragePool", 2, 2, 0, False),
    (16, 24, 14, 14, 1, 1, "MaxPool", 3, 2, 0, True),
    (3, 16, 57, 57, 7, 2, "MaxPool", 3, 2, 0, True),
    (8, 16, 23, 23, 3, 2, "MaxPool", 2, 2, 0, True),
]


def _case_id(case: tuple) -> str:
    cin, cout, h, w, ck, cs, pool, k, s, pads, relu = case
    return f"{cin}x{cout}x{h}x{w}-conv{ck}s{cs}-{pool}{k}s{s}p{pads}" + (
        "-relu" if relu else ""
    )


def _model(case: tuple) -> onnx.ModelProto:
    cin, cout, h, w, ck, cs, pool, k, s, pads, relu = case
    rng = np.random.default_rng(cin * 31 + cout + h)
    weight = (rng.standard_normal((cout, cin, ck, ck)) * 0.2).astype(np.float32)
    bias = rng.standard_normal(cout).astype(np.float32)
    cp = ck // 2
    nodes = [
        helper.make_node(
            "Conv", ["x", "w", "b"], ["c"], pads=[cp] * 4, strides=[cs, cs]
        )
    ]
    last = "c"
    if relu:
        nodes.append(helper.make_node("Relu", ["c"], ["r"]))
        last = "r"
    nodes.append(
        helper.make_node(
            pool, [last], ["y"], kernel_shape=[k, k], strides=[s, s], pads=[pads] * 4
        )
    )
    ch, cw = (h + 2 * cp - ck) // cs + 1, (w + 2 * cp - ck) // cs + 1
    oh, ow = (ch + 2 * pads - k) // s + 1, (cw + 2 * pads - k) // s + 1
    graph = helper.make_graph(
        nodes,
        "conv_pool",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, cin, h, w])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, cout, oh, ow])],
        [numpy_helper.from_array(weight, "w"), numpy_helper.from_array(bias, "b")],
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8
    )
    onnx.checker.check_model(model)
    return model


def _input(case: tuple) -> np.ndarray:
    cin, _, h, w = case[:4]
    return (
        np.random.default_rng(h * w).standard_normal((1, cin, h, w)).astype(np.float32)
    )


def _statistics(model: onnx.ModelProto, pipeline: str) -> dict[str, int]:
    with ir.Context():
        text = str(import_model(model))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.mlir"
        path.write_text(text)
        out = subprocess.run(
            [str(dnnf.opt_path()), str(path), pipeline, "-mlir-pass-statistics"],
            capture_output=True,
            text=True,
            check=True,
        )
    stats: dict[str, int] = {}
    for value, key in re.findall(r"\(S\)\s+(\d+)\s+([\w-]+)", out.stderr):
        stats[key] = stats.get(key, 0) + int(value)
    return stats


@pytest.mark.parametrize("fusion", ["dnnf", "linalg"])
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_conv_pool_matches_onnxruntime(case: tuple, fusion: str) -> None:
    model = _model(case)
    x = _input(case)
    (expected,) = ort.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    ).run(None, {"x": x})
    for fuse_pools in (True, False):
        (got,) = jit_compile(
            model, cache=False, threads=2, fusion=fusion, fuse_pools=fuse_pools
        )(x)
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_conv_pool_statistics(case: tuple) -> None:
    """The plan puts the unpadded pool in the convolution's block and the
    schedule fuses them; the padded pool stays apart, as does everything
    with the options off."""
    model = _model(case)
    _, _, _, _, _, _, _, k, s, pads, _ = case
    # The schedule fuses every unpadded case here; the plan leaves windows
    # that overlap along the rows apart (a ◐ cell the static rule stops).
    fused = int(pads == 0)
    planned = int(pads == 0 and k <= s)
    on = _statistics(model, "--dnnf-cpu-pipeline=fusion=dnnf")
    assert on["pool-epilogues"] == planned
    assert on["fused-pools"] == planned
    assert on["kernels-after"] == 2 - planned
    off = _statistics(model, "--dnnf-cpu-pipeline=fusion=dnnf fuse-pools=0")
    assert off["fused-pools"] == 0
    linalg = _statistics(model, "--dnnf-cpu-pipeline=fusion=linalg")
    assert linalg["fused-pools"] == fused


def test_costly_overlap_stays_apart() -> None:
    """A 3x3 stride-2 pool over 15 rows of 100 (7 pooled rows, a prime):
    tasks of one pooled row would compute 3 product rows to advance by 2,
    and 7 rows (15 x 100 columns) are too wide, so the schedule leaves the
    pool apart."""
    case = (16, 16, 15, 100, 1, 1, "MaxPool", 3, 2, 0, True)
    model = _model(case)
    stats = _statistics(model, "--dnnf-cpu-pipeline=fusion=linalg")
    assert stats["fused-pools"] == 0
    x = _input(case)
    (expected,) = ort.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    ).run(None, {"x": x})
    (got,) = jit_compile(model, cache=False, threads=2, fusion="linalg")(x)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
