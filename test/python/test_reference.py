"""The numpy reference interpreter (dnnf.reference) on its trickiest ops.

Most tests build a one-node ONNX model, import it with the dnnf importer,
run it on the interpreter and compare with onnxruntime (or, where
onnxruntime departs from the ONNX reference implementation, with
``onnx.reference``); the others check hand-written dnnf IR against
hand-computed numpy values.
"""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from mlir import ir
from onnx import TensorProto, helper, numpy_helper, shape_inference
from onnx.reference import ReferenceEvaluator

from dnnf.dialects import dnnf as d
from dnnf.frontend.onnx import import_model
from dnnf.reference import KERNELS, Interpreter, InterpreterError, run

RNG = np.random.default_rng(0)

ONNX_TYPES = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.float16): TensorProto.FLOAT16,
    np.dtype(np.int8): TensorProto.INT8,
    np.dtype(np.uint8): TensorProto.UINT8,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.uint32): TensorProto.UINT32,
    np.dtype(np.bool_): TensorProto.BOOL,
}


def randn(*shape: int, dtype: type = np.float32) -> np.ndarray:
    return RNG.standard_normal(shape).astype(dtype)


def one_node_model(
    op: str,
    inputs: dict[str, np.ndarray],
    consts: dict[str, np.ndarray] | None = None,
    n_outputs: int = 1,
    opset: int = 17,
    input_order: list[str] | None = None,
    **attrs: object,
) -> onnx.ModelProto:
    """A model with one ``op`` node; ``consts`` become initializers.  Node
    inputs follow ``input_order`` ("" for an omitted optional input)."""
    consts = consts or {}
    order = input_order or [*inputs, *consts]
    outputs = [f"y{i}" for i in range(n_outputs)]
    graph = helper.make_graph(
        [helper.make_node(op, order, outputs, **attrs)],
        "g",
        [
            helper.make_tensor_value_info(n, ONNX_TYPES[a.dtype], list(a.shape))
            for n, a in inputs.items()
        ],
        [
            helper.make_tensor_value_info(o, TensorProto.UNDEFINED, None)
            for o in outputs
        ],
        [numpy_helper.from_array(np.asarray(a), n) for n, a in consts.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 9  # onnxruntime reads IR <= 10
    return shape_inference.infer_shapes(model, strict_mode=True)


def reference_outputs(model: onnx.ModelProto, inputs: dict) -> list[np.ndarray]:
    with ir.Context():
        return run(import_model(model), inputs)


def ort_outputs(model: onnx.ModelProto, inputs: dict) -> list[np.ndarray]:
    ort = pytest.importorskip("onnxruntime")
    session = ort.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session.run(None, inputs)


def onnx_reference_outputs(model: onnx.ModelProto, inputs: dict) -> list[np.ndarray]:
    return ReferenceEvaluator(model).run(None, inputs)


def assert_same(got: list, want: list, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        w = np.asarray(w)
        assert g.shape == w.shape
        assert g.dtype == w.dtype
        if w.dtype.kind == "f":
            np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
        else:
            np.testing.assert_array_equal(g, w)


def check_against_ort(
    op: str,
    inputs: dict[str, np.ndarray],
    consts: dict[str, np.ndarray] | None = None,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    **kwargs: object,
) -> list[np.ndarray]:
    model = one_node_model(op, inputs, consts, **kwargs)
    want = ort_outputs(model, inputs)
    # The outputs' declared shapes are onnxruntime's: ONNX shape inference
    # lacks the ceil_mode rule of the pools (it would make the importer fail).
    for value, array in zip(model.graph.output, want, strict=True):
        dims = value.type.tensor_type.shape.dim
        del dims[:]
        for size in np.shape(array):
            dims.add().dim_value = size
    got = reference_outputs(model, inputs)
    assert_same(got, want, rtol, atol)
    return got


# ---------------------------------------------------------------------------
# Convolutions and pooling
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attrs",
    [
        dict(group=2, dilations=[2, 1], strides=[2, 1], pads=[1, 0, 2, 1]),
        dict(group=4, strides=[1, 2], pads=[0, 1, 0, 1]),  # depthwise
        dict(auto_pad="SAME_UPPER", strides=[2, 2]),
        dict(auto_pad="SAME_LOWER", strides=[1, 2]),
    ],
)
def test_conv_2d(attrs: dict) -> None:
    group = attrs.get("group", 1)
    x = randn(2, 4, 9, 8)
    w = randn(6 if group != 4 else 8, 4 // group, 3, 3)
    b = randn(w.shape[0])
    check_against_ort("Conv", {"x": x}, {"w": w, "b": b}, rtol=1e-4, atol=1e-5, **attrs)


def test_conv_1d_and_3d() -> None:
    check_against_ort(
        "Conv", {"x": randn(1, 3, 11)}, {"w": randn(5, 3, 4)}, pads=[2, 1], strides=[3]
    )
    check_against_ort(
        "Conv",
        {"x": randn(1, 2, 5, 6, 4)},
        {"w": randn(2, 1, 2, 3, 2)},
        group=2,
        pads=[1, 0, 1, 0, 1, 0],
        rtol=1e-4,
        atol=1e-5,
    )


@pytest.mark.parametrize(
    "attrs",
    [
        dict(strides=[2, 2], pads=[1, 0, 1, 2], output_padding=[1, 1]),
        dict(group=2, dilations=[2, 1], strides=[1, 3]),
        dict(strides=[2, 2], output_shape=[11, 8]),
        dict(strides=[2, 2], output_shape=[9, 6], auto_pad="SAME_UPPER"),
        dict(strides=[2, 2], output_shape=[9, 6], auto_pad="SAME_LOWER"),
    ],
)
def test_conv_transpose(attrs: dict) -> None:
    group = attrs.get("group", 1)
    x = randn(2, 4, 5, 4)
    w = randn(4, 6 // group, 3, 2)
    check_against_ort(
        "ConvTranspose",
        {"x": x},
        {"w": w, "b": randn(6)},
        rtol=1e-4,
        atol=1e-5,
        **attrs,
    )


def test_conv_transpose_output_shape_pads_the_start_first() -> None:
    x = np.array([1, 10, 100], np.float32).reshape(1, 1, 3, 1)
    w = np.array([1, 2, 3], np.float32).reshape(1, 1, 3, 1)
    (y,) = check_against_ort(
        "ConvTranspose", {"x": x}, {"w": w}, strides=[2, 1], output_shape=[6, 1]
    )
    # The full result is [1, 2, 13, 20, 130, 200, 300]; one element is cut.
    np.testing.assert_array_equal(y.ravel(), [2, 13, 20, 130, 200, 300])


@pytest.mark.parametrize("ceil_mode", [0, 1])
@pytest.mark.parametrize(
    "attrs",
    [
        dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        dict(kernel_shape=[2, 3], strides=[2, 3], pads=[0, 1, 1, 0]),
        dict(kernel_shape=[3, 2], strides=[3, 2], pads=[1, 0, 0, 1]),
    ],
)
def test_pools(attrs: dict, ceil_mode: int) -> None:
    x = randn(1, 2, 8, 7)
    check_against_ort("MaxPool", {"x": x}, ceil_mode=ceil_mode, **attrs)
    check_against_ort(
        "MaxPool", {"x": x}, ceil_mode=ceil_mode, dilations=[2, 1], **attrs
    )
    for count_include_pad in (0, 1):
        check_against_ort(
            "AveragePool",
            {"x": x},
            ceil_mode=ceil_mode,
            count_include_pad=count_include_pad,
            **attrs,
        )


def test_pool_last_window_starts_on_the_padding() -> None:
    # ceil_mode would add a window starting in the end padding: ONNX drops it.
    x = randn(1, 3, 2, 2)
    attrs = dict(kernel_shape=[3, 3], strides=[3, 3], pads=[1, 1, 1, 1], ceil_mode=1)
    (y,) = check_against_ort("AveragePool", {"x": x}, count_include_pad=1, **attrs)
    assert y.shape == (1, 3, 1, 1)
    np.testing.assert_allclose(y[0, :, 0, 0], x[0].sum(axis=(1, 2)) / 9, rtol=1e-6)


def test_int8_max_pool_and_global_pools() -> None:
    x = RNG.integers(-128, 127, size=(1, 2, 5, 5)).astype(np.int8)
    check_against_ort("MaxPool", {"x": x}, kernel_shape=[2, 2], pads=[1, 1, 0, 0])
    check_against_ort("GlobalMaxPool", {"x": randn(2, 3, 4, 5)})
    check_against_ort("GlobalAveragePool", {"x": randn(2, 3, 4, 5, 2)})


# ---------------------------------------------------------------------------
# Contractions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a_shape, b_shape",
    [((3,), (3,)), ((3,), (2, 3, 4)), ((2, 1, 4, 3), (5, 3, 2)), ((4, 3), (3,))],
)
def test_matmul_promotion_and_broadcast(a_shape: tuple, b_shape: tuple) -> None:
    check_against_ort("MatMul", {"a": randn(*a_shape), "b": randn(*b_shape)})


@pytest.mark.parametrize("c_shape", [None, (5,), (1,), (4, 1), (4, 5)])
def test_gemm(c_shape: tuple | None) -> None:
    consts = {} if c_shape is None else {"c": randn(*c_shape)}
    check_against_ort(
        "Gemm",
        {"a": randn(3, 4), "b": randn(5, 3)},
        consts,
        transA=1,
        transB=1,
        alpha=0.5,
        beta=2.0,
    )


@pytest.mark.parametrize(
    "equation, shapes",
    [
        ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
        ("ii->i", [(4, 4)]),
        ("...ij->...ji", [(2, 3, 4)]),
        ("ij,jk", [(3, 4), (4, 2)]),
        ("i,j->ij", [(3,), (4,)]),
        ("bhid, bhjd -> bhij", [(1, 2, 3, 4), (1, 2, 5, 4)]),
    ],
)
def test_einsum(equation: str, shapes: list) -> None:
    inputs = {f"x{i}": randn(*s) for i, s in enumerate(shapes)}
    check_against_ort("Einsum", inputs, equation=equation)


# ---------------------------------------------------------------------------
# Reductions, arg reductions, softmax, cumsum
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "op",
    [
        "ReduceSum",
        "ReduceMean",
        "ReduceMax",
        "ReduceMin",
        "ReduceProd",
        "ReduceL1",
        "ReduceL2",
        "ReduceSumSquare",
        "ReduceLogSumExp",
    ],
)
@pytest.mark.parametrize("axes, keepdims", [(None, 1), ([-1, 0], 0), ([1], 1)])
def test_reductions(op: str, axes: list | None, keepdims: int) -> None:
    x = randn(3, 4, 5)
    if op == "ReduceLogSumExp":
        x = x * 40  # large values: the max-shifted form is needed
    consts = {} if axes is None else {"axes": np.array(axes, np.int64)}
    check_against_ort(op, {"x": x}, consts, keepdims=keepdims, opset=18, rtol=1e-5)


def test_reduce_empty_axes_means_all_in_the_dialect(ctx: ir.Context) -> None:
    module = ir.Module.parse(
        """
        func.func @main(%x: tensor<2x3xf32>) -> tensor<1x1xf32> {
          %0 = dnnf.reduce_max %x : (tensor<2x3xf32>) -> tensor<1x1xf32>
          return %0 : tensor<1x1xf32>
        }"""
    )
    x = randn(2, 3)
    np.testing.assert_array_equal(run(module, [x])[0], x.max(keepdims=True))


def test_int_reduce_mean_truncates() -> None:
    x = np.array([[-7, 2], [5, 2]], np.int32)
    check_against_ort("ReduceMean", {"x": x}, {"axes": np.array([1])}, opset=18)


@pytest.mark.parametrize("op", ["ArgMax", "ArgMin"])
@pytest.mark.parametrize("select_last_index", [0, 1])
@pytest.mark.parametrize("axis, keepdims", [(1, 1), (-1, 0), (0, 0)])
def test_arg_reductions_with_ties(
    op: str, select_last_index: int, axis: int, keepdims: int
) -> None:
    x = RNG.integers(0, 3, size=(3, 4, 5)).astype(np.float32)  # many ties
    check_against_ort(
        op, {"x": x}, axis=axis, keepdims=keepdims, select_last_index=select_last_index
    )


@pytest.mark.parametrize("op", ["Softmax", "LogSoftmax"])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_on_an_axis(op: str, axis: int) -> None:
    check_against_ort(op, {"x": randn(3, 4, 5) * 30}, axis=axis, opset=13)


def test_softmax_opset_11_coerces_to_2d() -> None:
    check_against_ort("Softmax", {"x": randn(2, 3, 4)}, axis=1, opset=11)


@pytest.mark.parametrize("exclusive", [0, 1])
@pytest.mark.parametrize("reverse", [0, 1])
@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_cumsum(exclusive: int, reverse: int, dtype: type) -> None:
    x = (randn(3, 5) * 10).astype(dtype)
    check_against_ort(
        "CumSum",
        {"x": x},
        {"axis": np.array(1, np.int64)},
        exclusive=exclusive,
        reverse=reverse,
    )


# ---------------------------------------------------------------------------
# Normalisations
# ---------------------------------------------------------------------------


def test_batch_and_instance_norm() -> None:
    c = 3
    params = {
        "scale": randn(c),
        "bias": randn(c),
        "mean": randn(c),
        "var": np.abs(randn(c)) + 0.1,
    }
    check_against_ort(
        "BatchNormalization", {"x": randn(2, c, 4, 5)}, params, epsilon=1e-3
    )
    check_against_ort("BatchNormalization", {"x": randn(2, c)}, params)
    check_against_ort(
        "InstanceNormalization",
        {"x": randn(2, c, 4, 5)},
        {"scale": params["scale"], "bias": params["bias"]},
        epsilon=1e-2,
        rtol=1e-4,
        atol=1e-5,
    )


@pytest.mark.parametrize("axis", [1, -1, 0])
@pytest.mark.parametrize("with_bias", [True, False])
def test_layer_norm(axis: int, with_bias: bool) -> None:
    x = randn(2, 3, 4) * 5 + 3
    norm_shape = x.shape[axis:] if axis >= 0 else x.shape[axis:]
    consts = {"scale": randn(*norm_shape)}
    if with_bias:
        consts["bias"] = randn(*norm_shape)
    check_against_ort(
        "LayerNormalization",
        {"x": x},
        consts,
        axis=axis,
        epsilon=1e-3,
        rtol=1e-4,
        atol=1e-5,
    )


def test_lrn() -> None:
    attrs = dict(alpha=1e-2, beta=0.6, bias=2.0)
    check_against_ort("LRN", {"x": randn(2, 6, 3, 3)}, size=3, **attrs)
    # onnxruntime takes odd sizes only (and onnx.reference loops over the
    # batch instead of the channels): an even window is [c - 1, c + 2].
    x = randn(1, 5, 2, 2)
    (y,) = reference_outputs(one_node_model("LRN", {"x": x}, size=4, **attrs), {"x": x})
    sq = np.pad(x**2, [(0, 0), (1, 2), (0, 0), (0, 0)])
    window = sum(sq[:, i : i + 5] for i in range(4))
    np.testing.assert_allclose(y, x / (2.0 + 1e-2 / 4 * window) ** 0.6, rtol=1e-6)


# ---------------------------------------------------------------------------
# Resize
# ---------------------------------------------------------------------------

CTMS = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"]


@pytest.mark.parametrize("ctm", CTMS)
@pytest.mark.parametrize("sizes", [[1, 1, 7, 3], [1, 1, 2, 9], [1, 1, 1, 5]])
@pytest.mark.parametrize("mode", ["linear", "cubic"])
def test_resize_sizes(ctm: str, sizes: list, mode: str) -> None:
    check_against_ort(
        "Resize",
        {"x": randn(1, 1, 4, 5)},
        {"roi": np.array([], np.float32), "sizes": np.array(sizes, np.int64)},
        input_order=["x", "roi", "", "sizes"],
        mode=mode,
        coordinate_transformation_mode=ctm,
        cubic_coeff_a=-0.5,
        opset=13,
        rtol=1e-4,
        atol=1e-5,
    )


@pytest.mark.parametrize(
    "nearest_mode", ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]
)
@pytest.mark.parametrize("ctm", CTMS)
@pytest.mark.parametrize(
    "scales", [[1, 1, 2.0, 3.0], [1, 1, 0.5, 0.6], [1, 1, 1.5, 0.8]]
)
def test_resize_nearest_scales(nearest_mode: str, ctm: str, scales: list) -> None:
    x = RNG.integers(0, 100, size=(1, 2, 4, 5)).astype(np.float32)
    model = one_node_model(
        "Resize",
        {"x": x},
        {"roi": np.array([], np.float32), "scales": np.array(scales, np.float32)},
        mode="nearest",
        nearest_mode=nearest_mode,
        coordinate_transformation_mode=ctm,
        opset=13,
    )
    got = reference_outputs(model, {"x": x})
    assert_same(got, onnx_reference_outputs(model, {"x": x}))
    if scales[2:] == [2.0, 3.0]:
        # onnxruntime computes coordinates in float32: with scales that are
        # not exact in binary (0.6f), a coordinate such as 1.5 / 0.6 - 0.5
        # rounds to exactly 2 there but is 1.9999999 in exact arithmetic,
        # which changes floor/ceil/round ties.  The ONNX reference (float64)
        # and dnnf.reference follow the exact value.
        assert_same(got, ort_outputs(model, {"x": x}))


def test_resize_tf_half_pixel_for_nn_opset_11() -> None:
    x = RNG.integers(0, 100, size=(1, 1, 3, 4)).astype(np.float32)
    check_against_ort(
        "Resize",
        {"x": x},
        {
            "roi": np.array([], np.float32),
            "scales": np.array([1, 1, 2, 1.5], np.float32),
        },
        mode="nearest",
        coordinate_transformation_mode="tf_half_pixel_for_nn",
        opset=11,
    )


@pytest.mark.parametrize("mode", ["linear", "cubic"])
@pytest.mark.parametrize("ctm", [*CTMS, "half_pixel_symmetric"])
def test_resize_fractional_scales_match_the_onnx_reference(mode: str, ctm: str) -> None:
    # With a scale that does not divide the size evenly (4 * 0.6 = 2.4),
    # the ONNX reference uses the fractional "resized length" in
    # align_corners / half_pixel_symmetric; onnxruntime uses the integer one.
    x = randn(1, 1, 4, 5)
    model = one_node_model(
        "Resize",
        {"x": x},
        {
            "roi": np.array([], np.float32),
            "scales": np.array([1, 1, 0.6, 1.7], np.float32),
        },
        mode=mode,
        coordinate_transformation_mode=ctm,
        opset=19,
    )
    got = reference_outputs(model, {"x": x})
    assert_same(got, onnx_reference_outputs(model, {"x": x}), rtol=1e-5, atol=1e-6)


def test_upsample_is_asymmetric_floor() -> None:
    x = randn(1, 1, 2, 3)
    model = one_node_model(
        "Upsample",
        {"x": x},
        {"scales": np.array([1, 1, 2, 1.5], np.float32)},
        mode="nearest",
        opset=9,
    )
    (y,) = reference_outputs(model, {"x": x})
    rows = np.floor(np.arange(4) / 2).astype(int)
    cols = np.floor(np.arange(4) / 1.5).astype(int)
    np.testing.assert_array_equal(y[0, 0], x[0, 0][rows][:, cols])


# ---------------------------------------------------------------------------
# Data movement
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["constant", "reflect", "edge", "wrap"])
def test_pad_modes(mode: str) -> None:
    x = randn(2, 3, 4)
    consts = {
        "pads": np.array([0, 1, 2, 1, 2, 3], np.int64),
        "value": np.array(1.5, np.float32),
    }
    if mode != "constant":
        del consts["value"]
    check_against_ort("Pad", {"x": x}, consts, mode=mode, opset=19)


def test_pad_with_axes_and_int_value() -> None:
    x = RNG.integers(0, 9, size=(2, 3, 4)).astype(np.int32)
    check_against_ort(
        "Pad",
        {"x": x},
        {
            "pads": np.array([1, 2, 0, 1], np.int64),
            "value": np.array(-7, np.int32),
            "axes": np.array([-1, 0], np.int64),
        },
        opset=18,
    )


@pytest.mark.parametrize(
    "starts, ends, axes, steps",
    [
        ([-100, 1], [100, -1], [0, 1], [1, 1]),  # clamped
        ([10, -1], [-10, -100], [0, 2], [-2, -1]),  # negative steps, to the start
        ([2**63 - 1], [-(2**63)], [1], [-1]),  # INT64 extremes
        ([1], [2**63 - 1], [-1], [2]),
        ([3], [1], [0], [1]),  # empty
    ],
)
def test_slice_clamping(starts: list, ends: list, axes: list, steps: list) -> None:
    x = randn(5, 6, 7)
    consts = {
        "starts": np.array(starts, np.int64),
        "ends": np.array(ends, np.int64),
        "axes": np.array(axes, np.int64),
        "steps": np.array(steps, np.int64),
    }
    check_against_ort("Slice", {"x": x}, consts)


def test_split_and_gather_negative_indices() -> None:
    x = randn(3, 7, 2)
    check_against_ort(
        "Split", {"x": x}, {"split": np.array([2, 4, 1])}, axis=1, n_outputs=3
    )
    check_against_ort("Split", {"x": x}, axis=1, num_outputs=3, n_outputs=3, opset=18)
    indices = np.array([[-1, 0], [-7, 3]], np.int64)
    check_against_ort("Gather", {"x": x}, {"i": indices}, axis=1)
    check_against_ort("Gather", {"x": x}, {"i": np.array(-2, np.int32)}, axis=-3)


@pytest.mark.parametrize("mode", ["DCR", "CRD"])
def test_depth_to_space_and_back(mode: str) -> None:
    x = randn(2, 8, 3, 2)
    (y,) = check_against_ort("DepthToSpace", {"x": x}, blocksize=2, mode=mode)
    assert y.shape == (2, 2, 6, 4)
    check_against_ort("SpaceToDepth", {"x": y}, blocksize=2)
    if mode == "DCR":  # SpaceToDepth inverts DCR
        (z,) = reference_outputs(
            one_node_model("SpaceToDepth", {"x": y}, blocksize=2), {"x": y}
        )
        np.testing.assert_array_equal(z, x)


def test_reshape_flatten_squeeze_expand_tile_transpose() -> None:
    x = randn(2, 1, 3, 1)
    check_against_ort("Reshape", {"x": x}, {"s": np.array([0, -1, 3])})
    check_against_ort("Flatten", {"x": x}, axis=-1)
    check_against_ort("Flatten", {"x": x}, axis=0)
    check_against_ort("Squeeze", {"x": x}, {"a": np.array([-1, 1])})
    check_against_ort("Unsqueeze", {"x": x}, {"a": np.array([-1, 0])})
    check_against_ort("Expand", {"x": x}, {"s": np.array([4, 2, 1, 1, 5])})
    check_against_ort("Tile", {"x": x}, {"r": np.array([1, 2, 2, 3])})
    check_against_ort("Transpose", {"x": x}, perm=[2, 0, 3, 1])
    check_against_ort("Concat", {"x": x, "y": randn(2, 4, 3, 1)}, axis=-3)


# ---------------------------------------------------------------------------
# Elementwise
# ---------------------------------------------------------------------------


def test_integer_div_truncates_and_mod_signs() -> None:
    a = np.array([7, -7, 7, -7, 0, 9], np.int32)
    b = np.array([2, 2, -2, -2, 3, -4], np.int32)
    (q,) = check_against_ort("Div", {"a": a, "b": b})
    np.testing.assert_array_equal(q, [3, -3, -3, 3, 0, -2])
    (m,) = check_against_ort("Mod", {"a": a, "b": b})
    np.testing.assert_array_equal(m, [1, 1, -1, -1, 0, -3])  # sign of divisor
    (f,) = check_against_ort("Mod", {"a": a, "b": b}, fmod=1)
    np.testing.assert_array_equal(f, [1, -1, 1, -1, 0, 1])  # sign of dividend
    fa, fb = a.astype(np.float32) + 0.5, b.astype(np.float32)
    check_against_ort("Mod", {"a": fa, "b": fb}, fmod=1)


def test_bit_shift() -> None:
    a = np.array([1, 2, 255, 16], np.uint8)
    b = np.array([1, 2, 1, 3], np.uint8)
    check_against_ort("BitShift", {"a": a, "b": b}, direction="LEFT")
    check_against_ort("BitShift", {"a": a, "b": b}, direction="RIGHT")


@pytest.mark.parametrize(
    "dtype, to",
    [
        (np.float32, TensorProto.INT32),
        (np.float32, TensorProto.UINT8),
        (np.float32, TensorProto.BOOL),
        (np.int64, TensorProto.BOOL),
        (np.float32, TensorProto.FLOAT16),
        (np.int32, TensorProto.FLOAT),
        (np.float64, TensorProto.FLOAT),
    ],
)
def test_cast(dtype: type, to: int) -> None:
    x = np.array([-2.7, -0.5, 0, 0.4, 1.5, 2.5, 200.9], np.float64)
    if to == TensorProto.UINT8:
        x = np.abs(x)
    check_against_ort("Cast", {"x": x.astype(dtype)}, to=to)


def test_round_is_half_to_even_and_clip_int() -> None:
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.6], np.float32)
    (y,) = check_against_ort("Round", {"x": x})
    np.testing.assert_array_equal(y, [-2, -2, -0, 0, 2, 2, 3])
    xi = np.array([-128, -5, 0, 7, 127], np.int8)
    consts = {"lo": np.array(-6, np.int8), "hi": np.array(5, np.int8)}
    check_against_ort("Clip", {"x": xi}, consts)
    check_against_ort(
        "Clip", {"x": xi}, {"hi": np.array(5, np.int8)}, input_order=["x", "", "hi"]
    )


@pytest.mark.parametrize(
    "op, attrs, opset",
    [
        ("Erf", {}, 17),
        ("Gelu", {}, 20),
        ("Gelu", {"approximate": "tanh"}, 20),
        ("Softplus", {}, 17),
        ("Softsign", {}, 17),
        ("Sigmoid", {}, 17),
        ("HardSwish", {}, 17),
        ("HardSigmoid", {"alpha": 0.3, "beta": 0.4}, 17),
        ("Elu", {"alpha": 0.7}, 17),
        ("Selu", {}, 17),
        ("LeakyRelu", {"alpha": 0.05}, 17),
    ],
)
def test_activations(op: str, attrs: dict, opset: int) -> None:
    x = np.concatenate([randn(50) * 3, [-100, -20, -1e-3, 0, 1e-3, 20, 100]])
    check_against_ort(op, {"x": x.astype(np.float32)}, opset=opset, **attrs)


def test_where_and_prelu_broadcasting() -> None:
    cond = RNG.integers(0, 2, size=(3, 1)).astype(bool)
    check_against_ort("Where", {"c": cond, "a": randn(1, 4), "b": randn(3, 4)})
    check_against_ort("PRelu", {"x": randn(2, 3, 4)}, {"s": randn(3, 1)})


def test_half_precision_matmul_accumulates_in_float32() -> None:
    a = randn(8, 64, dtype=np.float16)
    b = randn(64, 8, dtype=np.float16)
    check_against_ort("MatMul", {"a": a, "b": b}, rtol=1e-3, atol=1e-3)


# ---------------------------------------------------------------------------
# The interpreter itself: functions, regions, constants, inputs
# ---------------------------------------------------------------------------

FUSED = """
func.func @main(%x: tensor<2x3xf32> {dnnf.name = "input"},
                %y: tensor<3xf32> {dnnf.name = "bias"}) -> tensor<2x3xf32> {
  %w = dnnf.constant dense_resource<weights> : tensor<3xf32>
  %0 = dnnf.fused (%x, %w) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      attributes {mapping = #dnnf.mapping<one_to_many>} {
  ^bb0(%a: tensor<2x3xf32>, %b: tensor<3xf32>):
    %m = dnnf.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %r = dnnf.relu %m : tensor<2x3xf32>
    dnnf.yield %r : tensor<2x3xf32>
  }
  %1 = call @add_bias(%0, %y) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}
func.func private @add_bias(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = dnnf.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F000000C000004040"
    }
  }
#-}
"""


def test_fused_region_call_and_dense_resource(ctx: ir.Context) -> None:
    module = ir.Module.parse(FUSED)
    x, bias = randn(2, 3), randn(3)
    weights = np.array([1.0, -2.0, 3.0], np.float32)
    want = np.maximum(x * weights, 0) + bias
    np.testing.assert_array_equal(run(module, {"input": x, "bias": bias})[0], want)
    np.testing.assert_array_equal(run(module, [x, bias])[0], want)
    interp = Interpreter(module)
    assert interp.input_names() == ["input", "bias"]
    np.testing.assert_array_equal(interp.run([x, bias], "main")[0], want)
    np.testing.assert_array_equal(interp.run([want, bias], "add_bias")[0], want + bias)


def test_input_errors(ctx: ir.Context) -> None:
    module = ir.Module.parse(FUSED)
    x, bias = randn(2, 3), randn(3)
    with pytest.raises(InterpreterError, match="missing"):
        run(module, {"input": x})
    with pytest.raises(InterpreterError, match="unknown"):
        run(module, {"input": x, "bias": bias, "other": x})
    with pytest.raises(InterpreterError, match="shape"):
        run(module, [x.T, bias])
    with pytest.raises(InterpreterError, match="takes 2 inputs"):
        run(module, [x])
    with pytest.raises(InterpreterError, match="no func.func @nope"):
        run(module, [x, bias], func_name="nope")


def test_missing_resource_blob_is_an_error(ctx: ir.Context) -> None:
    module = ir.Module.parse(FUSED.split("{-#")[0])
    with pytest.raises(InterpreterError, match="dense_resource<weights>"):
        run(module, [randn(2, 3), randn(3)])


def test_imported_weights_are_dense_resources() -> None:
    w = randn(16, 8)
    model = one_node_model("MatMul", {"x": randn(2, 16)}, {"w": w})
    with ir.Context():
        module = import_model(model)
        assert "dense_resource" in str(module)
        x = randn(2, 16)
        np.testing.assert_allclose(run(module, {"x": x})[0], x @ w, rtol=1e-5)


def test_constants_of_every_type(ctx: ir.Context) -> None:
    module = ir.Module.parse(
        """
        func.func @main() -> (tensor<3xi1>, tensor<2xbf16>, tensor<2x2xui8>,
                              tensor<f64>, tensor<2xi16>) {
          %0 = dnnf.constant dense<[true, false, true]> : tensor<3xi1>
          %1 = dnnf.constant dense<[1.5, -2.0]> : tensor<2xbf16>
          %2 = dnnf.constant dense<200> : tensor<2x2xui8>
          %3 = dnnf.constant dense<0.25> : tensor<f64>
          %4 = dnnf.constant dense<[-3, 4]> : tensor<2xi16>
          return %0, %1, %2, %3, %4 : tensor<3xi1>, tensor<2xbf16>, tensor<2x2xui8>,
                                      tensor<f64>, tensor<2xi16>
        }"""
    )
    b, h, u, f, s = run(module, [])
    np.testing.assert_array_equal(b, [True, False, True])
    assert h.dtype.name == "bfloat16"
    np.testing.assert_array_equal(h.astype(np.float32), [1.5, -2.0])
    assert u.dtype == np.uint8 and u.shape == (2, 2) and (u == 200).all()
    assert f.dtype == np.float64 and f.shape == () and f == 0.25
    np.testing.assert_array_equal(s, np.array([-3, 4], np.int16))


def test_every_dnnf_op_has_a_kernel() -> None:
    handled = set(KERNELS) | {"dnnf.constant", "dnnf.fused", "dnnf.yield"}
    ops = {
        cls.OPERATION_NAME
        for cls in vars(d).values()
        if isinstance(getattr(cls, "OPERATION_NAME", None), str)
    }
    assert ops and not ops - handled, sorted(ops - handled)
