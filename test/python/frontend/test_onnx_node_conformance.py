"""ONNX backend node tests: import, verify, run on the reference interpreter.

Every node test whose operators the importer supports is imported, verified
and run by ``dnnf.reference``, and its outputs are compared with the
expected ones (rtol=1e-4, atol=1e-5 for floats, exact otherwise; see
``dnnf.reference.conformance`` for the exceptions and how parameter inputs
become constants).  ``benchmarks/onnx_node_conformance.py`` prints the full
table, skipped tests included (``--suite`` runs the other ONNX backend
suites).  The "light" networks (resnet50, densenet121, ...) run end to end.

Tests that fail for a documented reason are listed in ``KNOWN_FAILURES``
with the outcome category they must have: they are reported as xfail while
they fail that way, and fail when they start passing (remove them from the
list) or fail differently (a regression or a new problem).
"""

from __future__ import annotations

import pytest

from dnnf.reference import conformance

CASES = conformance.load_cases()
SUPPORTED = sorted(n for n, c in CASES.items() if conformance.skip_reason(c) is None)

_OPSET_DOWNGRADE = (
    "opset > 21: onnx.version_converter cannot convert the model down to "
    "opset 21 (the types or attribute values are new in the later opset)"
)
_FOLD_ONLY = (
    "an operand the importer needs as a constant is computed at run time by "
    "other nodes of the expanded function (dnnf compiles static graphs)"
)

#: name -> (expected category, reason)
KNOWN_FAILURES: dict[str, tuple[str, str]] = {}


def _known(category: str, reason: str, *names: str) -> None:
    for name in names:
        KNOWN_FAILURES[name] = (category, reason)


_known(
    "fail-import",
    _OPSET_DOWNGRADE,
    *[
        f"test_bitshift_{d}_{t}"
        for d in ("left", "right")
        for t in (
            "int8",
            "int16",
            "int32",
            "int64",
            "int8_negative_shift",
            "int32_negative_shift",
            "int8_shift_ge_width",
            "int32_shift_ge_width",
        )
    ],
    "test_bitshift_left_int8_overflow",
    "test_bitshift_left_int32_overflow",
    "test_bitshift_right_int8_negative_input",
    "test_bitshift_right_int32_negative_input",
    "test_einsum_batch_matmul_bfloat16",
    "test_einsum_sum_bfloat16",
    "test_einsum_transpose_bfloat16",
    "test_onehot_with_bfloat16_values",
    "test_range_bfloat16_type_positive_delta",
    "test_range_float16_type_positive_delta",
    "test_spacetodepth_crd_mode_example",
    *[
        f"test_mod_{t}"
        for t in (
            "float16_mixed_sign_fmod_0",
            "float32_mixed_sign_fmod_0",
            "float64_mixed_sign_fmod_0",
            "float_edge_cases_fmod_0_float16",
            "float_edge_cases_fmod_0_float32",
            "float_edge_cases_fmod_0_float64",
        )
    ],
)
_known(
    "fail-import",
    "LayerNormalization's Mean / InvStdDev outputs are not supported",
    *[
        f"test_layer_normalization_{t}"
        for t in (
            "2d_axis0",
            "2d_axis1",
            "2d_axis_negative_1",
            "2d_axis_negative_2",
            "3d_axis0_epsilon",
            "3d_axis1_epsilon",
            "3d_axis2_epsilon",
            "3d_axis_negative_1_epsilon",
            "3d_axis_negative_2_epsilon",
            "3d_axis_negative_3_epsilon",
            "4d_axis0",
            "4d_axis1",
            "4d_axis2",
            "4d_axis3",
            "4d_axis_negative_1",
            "4d_axis_negative_2",
            "4d_axis_negative_3",
            "4d_axis_negative_4",
            "default_axis",
        )
    ],
)
_known(
    "fail-import",
    "MaxPool's Indices output (and storage_order = 1) is not supported",
    "test_maxpool_with_argmax_2d_precomputed_pads",
    "test_maxpool_with_argmax_2d_precomputed_strides",
)
_known(
    "fail-import",
    "dnnf.average_pool has no dilations",
    "test_averagepool_2d_dilations",
    "test_averagepool_3d_dilations_small",
    *[
        f"test_averagepool_3d_dilations_large_count_include_pad_is_{p}_ceil_mode_is_{c}"
        for p in (0, 1)
        for c in ("False", "True")
    ],
)
_known(
    "fail-import",
    "Resize: antialias, exclude_outside and the axes attribute are not supported",
    "test_resize_downsample_scales_cubic_antialias",
    "test_resize_downsample_scales_linear_antialias",
    "test_resize_downsample_sizes_cubic_antialias",
    "test_resize_downsample_sizes_linear_antialias",
    "test_resize_downsample_scales_cubic_A_n0p5_exclude_outside",
    "test_resize_upsample_scales_cubic_A_n0p5_exclude_outside",
    "test_resize_downsample_sizes_nearest_not_larger",
    "test_resize_downsample_sizes_nearest_not_smaller",
    "test_resize_upsample_sizes_nearest_not_larger",
    "test_resize_upsample_sizes_nearest_not_smaller",
    "test_resize_tf_crop_and_resize_axes_2_3",
    "test_resize_tf_crop_and_resize_axes_3_2",
    "test_resize_upsample_scales_nearest_axes_2_3",
    "test_resize_upsample_scales_nearest_axes_3_2",
    "test_resize_upsample_sizes_nearest_axes_2_3",
    "test_resize_upsample_sizes_nearest_axes_3_2",
)
_known(
    "fail-import",
    _FOLD_ONLY,
    *[
        f"test_{w}window{s}_expanded"
        for w in ("blackman", "hamming", "hann")
        for s in ("", "_symmetric")
    ],
    *[
        f"test_center_crop_pad_{t}_expanded"
        for t in (
            "crop_and_pad",
            "crop_axes_chw",
            "crop_axes_hwc",
            "crop",
            "crop_negative_axes_hwc",
            "pad",
        )
    ],
    *[
        f"test_nllloss_{t}_expanded"
        for t in (
            "NC",
            "NCd1",
            "NCd1_ii",
            "NCd1_mean_weight_negative_ii",
            "NCd1_weight",
            "NCd1_weight_ii",
            "NCd1d2",
            "NCd1d2_no_weight_reduction_mean_ii",
            "NCd1d2_reduction_mean",
            "NCd1d2_reduction_sum",
            "NCd1d2_with_weight",
            "NCd1d2_with_weight_reduction_mean",
            "NCd1d2_with_weight_reduction_sum",
            "NCd1d2_with_weight_reduction_sum_ii",
            "NCd1d2d3_none_no_weight_negative_ii",
            "NCd1d2d3_sum_weight_high_ii",
            "NCd1d2d3d4d5_mean_weight",
            "NCd1d2d3d4d5_none_no_weight",
        )
    ],
)
# Importer / dialect bugs (see the report in the commit that added this file).
_known(
    "fail-import",
    "Resize tf_crop_and_resize (roi, extrapolation_value) is not supported; "
    "the importer rejects it rather than computing something else",
    "test_resize_tf_crop_and_resize",
    "test_resize_tf_crop_and_resize_extrapolation_value",
)


@pytest.mark.parametrize("name", SUPPORTED)
def test_node(name: str) -> None:
    outcome = conformance.run_case(CASES[name])
    known = KNOWN_FAILURES.get(name)
    if known is None:
        assert outcome.category == "pass", f"{outcome.category}: {outcome.message}"
        return
    category, reason = known
    if outcome.category == "pass":
        pytest.fail(
            f"known failure now passes; remove it from KNOWN_FAILURES ({reason})"
        )
    assert outcome.category == category, (
        f"known {category} ({reason}) now fails as {outcome.category}: "
        f"{outcome.message}"
    )
    pytest.xfail(reason)


#: Small real networks (onnx's "light" suite, opset 9 -> 13) end to end;
#: vgg19 alone takes ~7 s on the interpreter and is left to the benchmark.
LIGHT = sorted(n for n in conformance.load_cases("light") if n != "test_vgg19")


@pytest.mark.parametrize("name", LIGHT)
def test_light_model(name: str) -> None:
    outcome = conformance.run_case(conformance.load_cases("light")[name])
    assert outcome.category == "pass", f"{outcome.category}: {outcome.message}"


def test_known_failures_are_supported_tests() -> None:
    """Every KNOWN_FAILURES entry names a test that runs here (no stale entry
    hides a test that is skipped or renamed)."""
    stale = sorted(n for n in KNOWN_FAILURES if n in CASES and n not in SUPPORTED)
    assert not stale, f"known failures that are no longer run: {stale}"


def test_enough_tests_run() -> None:
    """Guards the classification itself: if the converter table or the test
    data failed to load, most tests would silently be skipped."""
    assert len(CASES) > 1000
    assert len(SUPPORTED) > 500
