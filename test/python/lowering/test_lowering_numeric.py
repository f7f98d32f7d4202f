"""The CPU lowering, proven numerically through the JIT.

``--convert-dnnf-to-linalg`` and ``--dnnf-cpu-pipeline`` are exercised end to
end by :func:`dnnf.runtime.compile` (LLVM JIT) on two sets of models:

* every ONNX backend node test that passes the reference path (import,
  verification, :mod:`dnnf.reference`; see ``test_onnx_node_conformance``):
  ``conformance.run_case(case, jit=True)`` compiles the imported module, runs
  it on the test's inputs and compares with the expected outputs, with the
  harness's tolerances (rtol=1e-4, atol=1e-5 for floats, exact otherwise).
  Tests that fail the reference path are skipped here: they are the
  conformance test's known failures.
* hand-written dnnf modules (:data:`MODULES`) for what the node tests do not
  reach: ops whose ONNX tests cannot be imported (layer_norm, bit_shift,
  fused blocks), element-type corners (bool, f16/bf16, integer resize and
  clip), einsum with ellipses, transposed convolutions with every attribute,
  aliased and empty results.  They run on random inputs and are compared
  with the reference interpreter.
* two small real networks of onnx's "light" suite (alexnet, squeezenet).

Node tests that fail for a documented reason are listed in
``KNOWN_FAILURES`` with their category and a fragment of the expected
message: they are reported as xfail while they fail that way, and fail when
they start passing (remove them from the list) or fail differently.

JIT compilation dominates the run time: about 40 ms per node test (pass
pipeline ~5 ms, LLVM at -O3 the rest), one core; the whole file takes about
50 s on an idle machine, 8 s of it for the two networks.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from mlir import ir

from dnnf.reference import conformance
from dnnf.reference import run as reference_run
from dnnf.runtime import compile as jit_compile

CASES = conformance.load_cases()
SUPPORTED = sorted(n for n, c in CASES.items() if conformance.skip_reason(c) is None)

#: name -> (expected category, message fragment, reason)
KNOWN_FAILURES: dict[str, tuple[str, str, str]] = {}


def _known(category: str, fragment: str, reason: str, *names: str) -> None:
    for name in names:
        KNOWN_FAILURES[name] = (category, fragment, reason)


_UNSIGNED = "unsigned or signed-qualified integer element types are not supported"
_known(
    "fail-lower",
    _UNSIGNED,
    "unsigned integer element types are rejected by the lowering by design "
    "(unsupportedReason in DnnfToLinalg.cpp)",
    *[
        f"test_{op}_uint{w}"
        for op in (
            "add",
            "sub",
            "mul",
            "div",
            "mod",
            "max",
            "min",
            "equal",
            "greater",
            "greater_equal",
            "less",
            "less_equal",
            "bitshift_left",
            "bitshift_right",
        )
        for w in (8, 16, 32, 64)
    ],
    *[
        f"test_{op}_uint{w}_expanded"
        for op in ("greater_equal", "less_equal")
        for w in (8, 16, 32, 64)
    ],
    "test_maxpool_2d_uint8",
    "test_pow_types_float32_uint32",
    "test_pow_types_float32_uint64",
    # TopK of a constant folds at import time: the result is a ui64 constant.
    "test_top_k_uint64",
)


@pytest.mark.parametrize("name", SUPPORTED)
def test_node(name: str) -> None:
    outcome = conformance.run_case(CASES[name], jit=True)
    if outcome.category not in conformance.JIT_CATEGORIES:
        pytest.skip(
            f"fails the reference path ({outcome.category}); see "
            "test_onnx_node_conformance"
        )
    known = KNOWN_FAILURES.get(name)
    if known is None:
        assert outcome.category == "jit-pass", f"{outcome.category}: {outcome.message}"
        return
    category, fragment, reason = known
    if outcome.category == "jit-pass":
        pytest.fail(
            f"known failure now passes; remove it from KNOWN_FAILURES ({reason})"
        )
    assert outcome.category == category and fragment in outcome.message, (
        f"known {category} ({reason}) now fails as {outcome.category}: "
        f"{outcome.message}"
    )
    pytest.xfail(reason)


#: Small real networks (onnx's "light" suite) end to end; the others
#: (resnet50, densenet121, inception_v1/v2, shufflenet, vgg19, zfnet512) pass
#: too but take 4 to 30 s each: ``benchmarks/onnx_node_conformance.py --jit
#: --suite light`` runs them.
LIGHT = ["test_bvlc_alexnet", "test_squeezenet"]


@pytest.mark.parametrize("name", LIGHT)
def test_light_model(name: str) -> None:
    outcome = conformance.run_case(conformance.load_cases("light")[name], jit=True)
    assert outcome.category == "jit-pass", f"{outcome.category}: {outcome.message}"


def test_known_failures_are_supported_tests() -> None:
    """Every KNOWN_FAILURES entry names a node test that runs here."""
    stale = sorted(n for n in KNOWN_FAILURES if n not in SUPPORTED)
    assert not stale, f"known failures that are no longer run: {stale}"


# ---------------------------------------------------------------------------
# Hand-written modules, checked against the reference interpreter
# ---------------------------------------------------------------------------

#: name -> @main of a module.  Inputs are random: floats standard normal,
#: integers in [-20, 20), bools fair coins.
MODULES: dict[str, str] = {
    # bit_shift: ONNX's tests are uint (rejected) or opset 26 (not imported).
    # Shift amounts of [-20, 20) include negative ones and ones >= the width.
    "bit_shift_i8": """
      func.func @main(%a: tensor<64xi8>, %b: tensor<64xi8>) -> (tensor<64xi8>, tensor<64xi8>) {
        %0 = dnnf.bit_shift %a, %b {direction = "left"} : (tensor<64xi8>, tensor<64xi8>) -> tensor<64xi8>
        %1 = dnnf.bit_shift %a, %b {direction = "right"} : (tensor<64xi8>, tensor<64xi8>) -> tensor<64xi8>
        return %0, %1 : tensor<64xi8>, tensor<64xi8>
      }""",
    "bit_shift_i32_broadcast": """
      func.func @main(%a: tensor<3x4xi32>) -> (tensor<3x4xi32>, tensor<3x4xi32>) {
        %s = dnnf.constant dense<[0, 5, 31, 32]> : tensor<4xi32>
        %0 = dnnf.bit_shift %a, %s {direction = "left"} : (tensor<3x4xi32>, tensor<4xi32>) -> tensor<3x4xi32>
        %1 = dnnf.bit_shift %a, %s {direction = "right"} : (tensor<3x4xi32>, tensor<4xi32>) -> tensor<3x4xi32>
        return %0, %1 : tensor<3x4xi32>, tensor<3x4xi32>
      }""",
    # layer_norm: the ONNX tests ask for the Mean / InvStdDev outputs.
    "layer_norm_last_axis": """
      func.func @main(%x: tensor<2x3x8xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x3x8xf32> {
        %0 = dnnf.layer_norm %x, %s, %b {epsilon = 1.0e-3 : f32} : (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
        return %0 : tensor<2x3x8xf32>
      }""",
    "layer_norm_axis1_broadcast_params": """
      func.func @main(%x: tensor<2x3x5xf32>, %s: tensor<3x5xf32>, %b: tensor<1x5xf32>) -> tensor<2x3x5xf32> {
        %0 = dnnf.layer_norm %x, %s, %b {axis = 1 : i64} : (tensor<2x3x5xf32>, tensor<3x5xf32>, tensor<1x5xf32>) -> tensor<2x3x5xf32>
        return %0 : tensor<2x3x5xf32>
      }""",
    "layer_norm_no_bias_f16": """
      func.func @main(%x: tensor<4x16xf16>, %s: tensor<16xf16>) -> tensor<4x16xf16> {
        %0 = dnnf.layer_norm %x, %s : (tensor<4x16xf16>, tensor<16xf16>) -> tensor<4x16xf16>
        return %0 : tensor<4x16xf16>
      }""",
    # Fused blocks are inlined before the lowering.
    "fused": """
      func.func @main(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x3xf32> {
        %0 = dnnf.fused (%x, %y) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32> attributes {mapping = #dnnf.mapping<one_to_many>} {
        ^bb0(%a: tensor<2x3xf32>, %b: tensor<3xf32>):
          %1 = dnnf.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
          %2 = dnnf.sigmoid %1 : tensor<2x3xf32>
          dnnf.yield %2 : tensor<2x3xf32>
        }
        return %0 : tensor<2x3xf32>
      }""",
    # Booleans: stored as bytes; max/min/compare treat true > false.
    "bool_ops": """
      func.func @main(%a: tensor<4x5xi1>, %b: tensor<5xi1>) -> (tensor<4x5xi1>, tensor<4x5xi1>, tensor<4x5xi1>, tensor<4x1xi1>, tensor<5xi64>, tensor<5x4xi1>) {
        %0 = dnnf.max %a, %b : (tensor<4x5xi1>, tensor<5xi1>) -> tensor<4x5xi1>
        %1 = dnnf.min %a, %b : (tensor<4x5xi1>, tensor<5xi1>) -> tensor<4x5xi1>
        %2 = dnnf.greater %a, %b : (tensor<4x5xi1>, tensor<5xi1>) -> tensor<4x5xi1>
        %3 = dnnf.reduce_max %a {axes = array<i64: 1>} : (tensor<4x5xi1>) -> tensor<4x1xi1>
        %4 = dnnf.arg_max %a {axis = 0 : i64, keepdims = false} : (tensor<4x5xi1>) -> tensor<5xi64>
        %5 = dnnf.transpose %0 {perm = array<i64: 1, 0>} : (tensor<4x5xi1>) -> tensor<5x4xi1>
        return %0, %1, %2, %3, %4, %5 : tensor<4x5xi1>, tensor<4x5xi1>, tensor<4x5xi1>, tensor<4x1xi1>, tensor<5xi64>, tensor<5x4xi1>
      }""",
    "bool_constant_where": """
      func.func @main(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
        %c = dnnf.constant dense<[[true, false, true], [false, false, true]]> : tensor<2x3xi1>
        %0 = dnnf.where %c, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
        return %0 : tensor<2x3xf32>
      }""",
    # Integer clip bounds saturate to the type and truncate toward zero.
    "clip_i8_saturating_bounds": """
      func.func @main(%x: tensor<40xi8>) -> (tensor<40xi8>, tensor<40xi8>) {
        %0 = dnnf.clip %x {min = -1000.0 : f64, max = 3.7 : f64} : tensor<40xi8>
        %1 = dnnf.clip %x {min = -2.5 : f64} : tensor<40xi8>
        return %0, %1 : tensor<40xi8>, tensor<40xi8>
      }""",
    # Integer Gemm: non-integral alpha / beta go through f64 and truncate.
    "gemm_i32_fractional_alpha_beta": """
      func.func @main(%a: tensor<3x4xi32>, %b: tensor<5x4xi32>, %c: tensor<5xi32>) -> tensor<3x5xi32> {
        %0 = dnnf.gemm %a, %b, %c {alpha = 0.5 : f32, beta = 1.5 : f32, transB = true} : (tensor<3x4xi32>, tensor<5x4xi32>, tensor<5xi32>) -> tensor<3x5xi32>
        return %0 : tensor<3x5xi32>
      }""",
    # 16-bit floats accumulate in f32 (as the reference): matmul, gemm,
    # conv, pooling, reductions.
    "f16_contractions": """
      func.func @main(%a: tensor<2x3x16xf16>, %b: tensor<16x4xf16>, %c: tensor<4xf16>) -> (tensor<2x3x4xf16>, tensor<3x4xf16>) {
        %0 = dnnf.matmul %a, %b : (tensor<2x3x16xf16>, tensor<16x4xf16>) -> tensor<2x3x4xf16>
        %1 = dnnf.reshape %a : tensor<2x3x16xf16> to tensor<12x8xf16>
        %2 = dnnf.slice %1 {starts = array<i64: 0>, ends = array<i64: 6>, axes = array<i64: 0>, steps = array<i64: 2>} : (tensor<12x8xf16>) -> tensor<3x8xf16>
        %3 = dnnf.slice %b {starts = array<i64: 0>, ends = array<i64: 8>, axes = array<i64: 0>, steps = array<i64: 1>} : (tensor<16x4xf16>) -> tensor<8x4xf16>
        %4 = dnnf.gemm %2, %3, %c {alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<3x8xf16>, tensor<8x4xf16>, tensor<4xf16>) -> tensor<3x4xf16>
        return %0, %4 : tensor<2x3x4xf16>, tensor<3x4xf16>
      }""",
    "f16_conv_pool_reduce": """
      func.func @main(%x: tensor<1x4x6x6xf16>, %w: tensor<2x2x3x3xf16>, %b: tensor<2xf16>) -> (tensor<1x2x4x4xf16>, tensor<1x4x3x3xf16>, tensor<1x4x1x1xf16>, tensor<4x1xf16>) {
        %0 = dnnf.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x6x6xf16>, tensor<2x2x3x3xf16>, tensor<2xf16>) -> tensor<1x2x4x4xf16>
        %1 = dnnf.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x4x6x6xf16>) -> tensor<1x4x3x3xf16>
        %2 = dnnf.global_average_pool %x : (tensor<1x4x6x6xf16>) -> tensor<1x4x1x1xf16>
        %3 = dnnf.reshape %x : tensor<1x4x6x6xf16> to tensor<4x36xf16>
        %4 = dnnf.reduce_mean %3 {axes = array<i64: 1>} : (tensor<4x36xf16>) -> tensor<4x1xf16>
        return %0, %1, %2, %4 : tensor<1x2x4x4xf16>, tensor<1x4x3x3xf16>, tensor<1x4x1x1xf16>, tensor<4x1xf16>
      }""",
    # Grouped 2-D convolutions (linalg.conv_2d_ngchw_gfchw): batch 1 becomes
    # a batch_matmul over the groups (1x1 directly, otherwise through an
    # im2col gather, here padded, strided and dilated), batch 2 stays a
    # convolution.  N = 37 and 9 leave remainders of the 8-wide tiles.
    "grouped_convs": """
      func.func @main(%x: tensor<1x32x5x9xf32>, %w1: tensor<24x8x1x1xf32>, %b1: tensor<24xf32>, %w3: tensor<16x12x3x3xf32>, %y: tensor<2x6x5x5xf32>, %w2: tensor<4x3x3x3xf32>) -> (tensor<1x24x5x9xf32>, tensor<1x16x3x3xf32>, tensor<2x4x3x3xf32>) {
        %0 = dnnf.conv %x, %w1, %b1 {dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x32x5x9xf32>, tensor<24x8x1x1xf32>, tensor<24xf32>) -> tensor<1x24x5x9xf32>
        %1 = dnnf.relu %0 : tensor<1x24x5x9xf32>
        %3 = dnnf.conv %1, %w3 {dilations = array<i64: 1, 2>, group = 2 : i64, pads = array<i64: 1, 1, 1, 0>, strides = array<i64: 2, 2>} : (tensor<1x24x5x9xf32>, tensor<16x12x3x3xf32>) -> tensor<1x16x3x3xf32>
        %4 = dnnf.conv %y, %w2 {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<2x6x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<2x4x3x3xf32>
        return %1, %3, %4 : tensor<1x24x5x9xf32>, tensor<1x16x3x3xf32>, tensor<2x4x3x3xf32>
      }""",
    "f16_reduce_log_sum_exp": """
      func.func @main(%x: tensor<4x36xf16>) -> tensor<4xf16> {
        %0 = dnnf.reduce_log_sum_exp %x {axes = array<i64: 1>, keepdims = false} : (tensor<4x36xf16>) -> tensor<4xf16>
        return %0 : tensor<4xf16>
      }""",
    "casts_f16_bf16": """
      func.func @main(%x: tensor<8xf16>, %y: tensor<8xbf16>) -> (tensor<8xbf16>, tensor<8xf16>, tensor<8xi1>, tensor<8xi32>) {
        %0 = dnnf.cast %x : tensor<8xf16> to tensor<8xbf16>
        %1 = dnnf.cast %y : tensor<8xbf16> to tensor<8xf16>
        %2 = dnnf.cast %x : tensor<8xf16> to tensor<8xi1>
        %3 = dnnf.cast %y : tensor<8xbf16> to tensor<8xi32>
        return %0, %1, %2, %3 : tensor<8xbf16>, tensor<8xf16>, tensor<8xi1>, tensor<8xi32>
      }""",
    # log-sum-exp over -inf rows and an empty axis.
    "reduce_log_sum_exp_infinities": """
      func.func @main(%x: tensor<2x3xf32>) -> (tensor<3x1xf32>, tensor<2xf32>) {
        %ninf = dnnf.constant dense<0xFF800000> : tensor<1x3xf32>
        %0 = dnnf.concat %x, %ninf {axis = 0 : i64} : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<3x3xf32>
        %1 = dnnf.reduce_log_sum_exp %0 {axes = array<i64: 1>} : (tensor<3x3xf32>) -> tensor<3x1xf32>
        %e = dnnf.slice %x {starts = array<i64: 3>, ends = array<i64: 3>, axes = array<i64: 1>, steps = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x0xf32>
        %2 = dnnf.reduce_log_sum_exp %e {axes = array<i64: 1>, keepdims = false} : (tensor<2x0xf32>) -> tensor<2xf32>
        return %1, %2 : tensor<3x1xf32>, tensor<2xf32>
      }""",
    # Resize: integers round half to even; several axes; f64 cubic.
    "resize_linear_i32": """
      func.func @main(%x: tensor<1x2x3x4xi32>) -> tensor<1x2x5x7xi32> {
        %0 = dnnf.resize %x {mode = "linear", coordinate_transformation_mode = "align_corners"} : tensor<1x2x3x4xi32> to tensor<1x2x5x7xi32>
        return %0 : tensor<1x2x5x7xi32>
      }""",
    "resize_cubic_f64_all_axes": """
      func.func @main(%x: tensor<2x3x4xf64>) -> tensor<3x5x2xf64> {
        %0 = dnnf.resize %x {mode = "cubic", cubic_coeff_a = -0.5 : f32, coordinate_transformation_mode = "half_pixel_symmetric"} : tensor<2x3x4xf64> to tensor<3x5x2xf64>
        return %0 : tensor<3x5x2xf64>
      }""",
    "resize_nearest_bool_scales": """
      func.func @main(%x: tensor<1x1x3x3xi1>) -> tensor<1x1x7x4xi1> {
        %0 = dnnf.resize %x {mode = "nearest", nearest_mode = "round_prefer_ceil", coordinate_transformation_mode = "tf_half_pixel_for_nn", scales = array<f64: 1.0, 1.0, 2.5, 1.5>} : tensor<1x1x3x3xi1> to tensor<1x1x7x4xi1>
        return %0 : tensor<1x1x7x4xi1>
      }""",
    "resize_linear_f16_pytorch": """
      func.func @main(%x: tensor<1x1x4x4xf16>) -> tensor<1x1x1x3xf16> {
        %0 = dnnf.resize %x {mode = "linear", coordinate_transformation_mode = "pytorch_half_pixel"} : tensor<1x1x4x4xf16> to tensor<1x1x1x3xf16>
        return %0 : tensor<1x1x1x3xf16>
      }""",
    # Einsum: ellipses that broadcast, implicit output, traces, 3 operands,
    # integers.
    "einsum_ellipsis_broadcast": """
      func.func @main(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x2xf32>) -> tensor<2x5x3x2xf32> {
        %0 = dnnf.einsum %a, %b {equation = "...ij,...jk->...ik"} : (tensor<2x1x3x4xf32>, tensor<5x4x2xf32>) -> tensor<2x5x3x2xf32>
        return %0 : tensor<2x5x3x2xf32>
      }""",
    "einsum_implicit_trace_three": """
      func.func @main(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<5x2xf32>, %d: tensor<4x4xf32>) -> (tensor<3x5xf32>, tensor<f32>, tensor<3x2xf32>, tensor<2x4xf32>) {
        %0 = dnnf.einsum %a, %b {equation = "ij,jk"} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
        %1 = dnnf.einsum %d {equation = "ii"} : (tensor<4x4xf32>) -> tensor<f32>
        %2 = dnnf.einsum %a, %b, %c {equation = "ij,jk,kl->il"} : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<5x2xf32>) -> tensor<3x2xf32>
        %3 = dnnf.einsum %d, %c, %b {equation = "ii, kl, ik -> li"} : (tensor<4x4xf32>, tensor<5x2xf32>, tensor<4x5xf32>) -> tensor<2x4xf32>
        return %0, %1, %2, %3 : tensor<3x5xf32>, tensor<f32>, tensor<3x2xf32>, tensor<2x4xf32>
      }""",
    "einsum_i64_ellipsis_implicit": """
      func.func @main(%a: tensor<2x3x4xi64>, %b: tensor<4xi64>) -> tensor<2x3xi64> {
        %0 = dnnf.einsum %a, %b {equation = "...i,i"} : (tensor<2x3x4xi64>, tensor<4xi64>) -> tensor<2x3xi64>
        return %0 : tensor<2x3xi64>
      }""",
    # ConvTranspose with groups, strides, dilations, asymmetric pads and
    # output_padding, in 1, 2 and 3 spatial dimensions.
    "conv_transpose_2d_all_attributes": """
      func.func @main(%x: tensor<2x4x3x4xf32>, %w: tensor<4x3x3x2xf32>, %b: tensor<6xf32>) -> tensor<2x6x9x12xf32> {
        %0 = dnnf.conv_transpose %x, %w, %b {strides = array<i64: 2, 3>, pads = array<i64: 1, 0, 0, 1>, dilations = array<i64: 2, 1>, output_padding = array<i64: 1, 2>, group = 2 : i64} : (tensor<2x4x3x4xf32>, tensor<4x3x3x2xf32>, tensor<6xf32>) -> tensor<2x6x9x12xf32>
        return %0 : tensor<2x6x9x12xf32>
      }""",
    "conv_transpose_1d_3d": """
      func.func @main(%x: tensor<1x2x5xf32>, %w: tensor<2x3x3xf32>, %y: tensor<1x1x2x3x2xf32>, %v: tensor<1x2x2x2x2xf32>) -> (tensor<1x3x9xf32>, tensor<1x2x4x5x3xf32>) {
        %0 = dnnf.conv_transpose %x, %w {strides = array<i64: 2>, pads = array<i64: 1, 1>, dilations = array<i64: 1>, output_padding = array<i64: 0>} : (tensor<1x2x5xf32>, tensor<2x3x3xf32>) -> tensor<1x3x9xf32>
        %1 = dnnf.conv_transpose %y, %v {strides = array<i64: 2, 1, 1>, pads = array<i64: 0, 0, 0, 1, 0, 0>, dilations = array<i64: 1, 2, 1>, output_padding = array<i64: 1, 0, 0>} : (tensor<1x1x2x3x2xf32>, tensor<1x2x2x2x2xf32>) -> tensor<1x2x4x5x3xf32>
        return %0, %1 : tensor<1x3x9xf32>, tensor<1x2x4x5x3xf32>
      }""",
    "conv_transpose_f16": """
      func.func @main(%x: tensor<1x2x3x3xf16>, %w: tensor<2x2x2x2xf16>, %b: tensor<2xf16>) -> tensor<1x2x6x6xf16> {
        %0 = dnnf.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x2x3x3xf16>, tensor<2x2x2x2xf16>, tensor<2xf16>) -> tensor<1x2x6x6xf16>
        return %0 : tensor<1x2x6x6xf16>
      }""",
    # Results that alias (one value returned twice, an argument returned)
    # and empty results.
    "aliased_and_empty_results": """
      func.func @main(%a: tensor<2x3xf32>, %b: tensor<2x3xi1>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<0xf32>, tensor<2x0xf32>, tensor<2x0xf32>) {
        %0 = dnnf.relu %a : tensor<2x3xf32>
        %e = dnnf.slice %a {starts = array<i64: 3>, ends = array<i64: 3>, axes = array<i64: 1>, steps = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x0xf32>
        %f = dnnf.reshape %e : tensor<2x0xf32> to tensor<0xf32>
        %g:2 = dnnf.split %a {axis = 1 : i64, sizes = array<i64: 0, 3>} : (tensor<2x3xf32>) -> (tensor<2x0xf32>, tensor<2x3xf32>)
        %h = dnnf.concat %e, %g#0 {axis = 1 : i64} : (tensor<2x0xf32>, tensor<2x0xf32>) -> tensor<2x0xf32>
        return %0, %0, %a, %g#1, %b, %b, %f, %e, %h : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<0xf32>, tensor<2x0xf32>, tensor<2x0xf32>
      }""",
    # Negative pads crop first, then the other pads apply to what is left.
    "pad_negative": """
      func.func @main(%x: tensor<4x5xf32>, %i: tensor<4x5xi8>) -> (tensor<3x7xf32>, tensor<5x6xf32>, tensor<4x4xf32>, tensor<2x6xi8>) {
        %0 = dnnf.pad %x {pads = array<i64: -1, 2, 0, 0>, value = 1.5 : f64} : (tensor<4x5xf32>) -> tensor<3x7xf32>
        %1 = dnnf.pad %x {pads = array<i64: 2, -1, -1, 2>, mode = "wrap"} : (tensor<4x5xf32>) -> tensor<5x6xf32>
        %2 = dnnf.pad %x {pads = array<i64: 2, 1, -2, -2>, mode = "reflect"} : (tensor<4x5xf32>) -> tensor<4x4xf32>
        %3 = dnnf.pad %i {pads = array<i64: -2, 0, 0, 1>, value = -7.0 : f64} : (tensor<4x5xi8>) -> tensor<2x6xi8>
        return %0, %1, %2, %3 : tensor<3x7xf32>, tensor<5x6xf32>, tensor<4x4xf32>, tensor<2x6xi8>
      }""",
    # Empty inputs with non-empty results: empty sums, a transposed
    # convolution of nothing (its bias only).
    "empty_inputs": """
      func.func @main(%a: tensor<3x0xf32>, %b: tensor<0x4xf32>, %x: tensor<1x2x0x3xf32>, %w: tensor<2x1x2x2xf32>, %bias: tensor<1xf32>) -> (tensor<3x4xf32>, tensor<3x1xf32>, tensor<3xf32>, tensor<1x1x1x4xf32>, tensor<3x4xf32>) {
        %0 = dnnf.matmul %a, %b : (tensor<3x0xf32>, tensor<0x4xf32>) -> tensor<3x4xf32>
        %1 = dnnf.reduce_sum %a {axes = array<i64: 1>} : (tensor<3x0xf32>) -> tensor<3x1xf32>
        %2 = dnnf.reduce_max %a {axes = array<i64: 1>, keepdims = false} : (tensor<3x0xf32>) -> tensor<3xf32>
        %3 = dnnf.conv_transpose %x, %w, %bias {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x2x0x3xf32>, tensor<2x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32>
        %4 = dnnf.gemm %a, %b {alpha = 2.0 : f32} : (tensor<3x0xf32>, tensor<0x4xf32>) -> tensor<3x4xf32>
        return %0, %1, %2, %3, %4 : tensor<3x4xf32>, tensor<3x1xf32>, tensor<3xf32>, tensor<1x1x1x4xf32>, tensor<3x4xf32>
      }""",
    "integer_mod_div_mean": """
      func.func @main(%a: tensor<4x6xi32>, %b: tensor<6xi32>) -> (tensor<4x6xi32>, tensor<4x6xi32>, tensor<4x6xi32>, tensor<1x6xi32>) {
        %one = dnnf.constant dense<1> : tensor<6xi32>
        %d = dnnf.max %b, %one : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
        %n = dnnf.neg %d : tensor<6xi32>
        %0 = dnnf.mod %a, %n : (tensor<4x6xi32>, tensor<6xi32>) -> tensor<4x6xi32>
        %1 = dnnf.mod %a, %n {fmod = 1 : i64} : (tensor<4x6xi32>, tensor<6xi32>) -> tensor<4x6xi32>
        %2 = dnnf.div %a, %n : (tensor<4x6xi32>, tensor<6xi32>) -> tensor<4x6xi32>
        %3 = dnnf.reduce_mean %a {axes = array<i64: 0>} : (tensor<4x6xi32>) -> tensor<1x6xi32>
        return %0, %1, %2, %3 : tensor<4x6xi32>, tensor<4x6xi32>, tensor<4x6xi32>, tensor<1x6xi32>
      }""",
}


def _half_module(dtype: str) -> str:
    """Single-step elementwise ops on a 16-bit float type: the lowering
    computes them in f32 and rounds once, as numpy does, so they match the
    reference exactly.  (Ops whose formula takes several steps, such as
    sigmoid or gelu, are also rounded once by the lowering but after every
    step by numpy: there the reference is the less accurate, by up to
    hundreds of units in the last place near zero for elu or hard_swish.)"""
    t = f"tensor<64x{dtype}>"
    unary = "relu abs neg exp log sqrt reciprocal tanh erf sin cos ceil floor round"
    binary = "add sub mul div pow max min"
    lines, results = [], []
    for i, op in enumerate(unary.split()):
        arg = "%p" if op in ("log", "sqrt") else "%x"
        lines.append(f"%u{i} = dnnf.{op} {arg} : {t}")
        results.append(f"%u{i}")
    for i, op in enumerate(binary.split()):
        lhs = "%p" if op == "pow" else "%x"
        lines.append(f"%b{i} = dnnf.{op} {lhs}, %y : ({t}, {t}) -> {t}")
        results.append(f"%b{i}")
    lines.append(f"%m = dnnf.mod %x, %y {{fmod = 1 : i64}} : ({t}, {t}) -> {t}")
    results.append("%m")
    types = ", ".join([t] * len(results))
    body = "\n        ".join(lines)
    return f"""
      func.func @main(%x: {t}, %y: {t}) -> ({types}) {{
        %p = dnnf.abs %x : {t}
        {body}
        return {", ".join(results)} : {types}
      }}"""


MODULES["f16_single_rounding_ops"] = _half_module("f16")
MODULES["bf16_single_rounding_ops"] = _half_module("bf16")

#: Tolerances (rtol, atol) other than the harness's, with the reason.
MODULE_TOLERANCES: dict[str, tuple[float, float, str]] = {
    "f16_reduce_log_sum_exp": (
        1e-3,
        0.0,
        "the reference sums exp(x - max) in f16 (numpy), the lowering in f32: "
        "the f16 results may differ by one unit in the last place (at most "
        "2^-10 relative); over 200 random inputs the lowering's error is "
        "0.50 ulp at most (correctly rounded), the reference's 0.83 ulp",
    ),
}


def _random_inputs(module: ir.Module, seed: int) -> list[np.ndarray]:
    from dnnf.dtypes import numpy_dtype

    rng = np.random.default_rng(seed)
    main = module.body.operations[0]
    ftype = ir.FunctionType(ir.TypeAttr(main.attributes["function_type"]).value)
    arrays = []
    for t in ftype.inputs:
        tt = ir.RankedTensorType(t)
        dtype, shape = numpy_dtype(tt.element_type), tuple(tt.shape)
        if dtype == np.bool_:
            arrays.append(rng.random(shape) < 0.5)
        elif dtype.kind == "f" or dtype.name == "bfloat16":
            arrays.append(rng.standard_normal(shape).astype(dtype))
        else:
            arrays.append(rng.integers(-20, 20, shape).astype(dtype))
    return arrays


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_matches_reference(name: str) -> None:
    with ir.Context(), ir.Location.unknown():
        module = ir.Module.parse(MODULES[name])
        inputs = _random_inputs(module, seed=zlib.crc32(name.encode()))
        expected = reference_run(module, inputs)
        got = jit_compile(module)(*inputs)
    rtol, atol = MODULE_TOLERANCES.get(name, (conformance.RTOL, conformance.ATOL))[:2]
    assert len(got) == len(expected)
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        assert g.dtype == e.dtype and g.shape == e.shape, (i, g.dtype, g.shape)
        if e.dtype.kind == "f" or e.dtype.name == "bfloat16":
            np.testing.assert_allclose(
                g.astype(np.float64),
                e.astype(np.float64),
                rtol=rtol,
                atol=atol,
                equal_nan=True,
                err_msg=f"output {i}",
            )
        else:
            np.testing.assert_array_equal(g, e, err_msg=f"output {i}")


def test_unsigned_is_rejected_with_a_diagnostic() -> None:
    with ir.Context(), ir.Location.unknown():
        module = ir.Module.parse(
            """
            func.func @main(%a: tensor<4xui8>) -> tensor<4xui8> {
              %0 = dnnf.add %a, %a : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
              return %0 : tensor<4xui8>
            }"""
        )
        with pytest.raises(ir.MLIRError, match="'dnnf.add' op cannot be lowered"):
            jit_compile(module)
