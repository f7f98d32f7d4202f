"""Per-op numeric tests of the Vulkan path against onnxruntime; every kernel
also passes spirv-val."""

import numpy as np
import pytest
from conftest import assert_close, onnx_model, reference
from onnx import helper

from dnnf.gpu import compile_vulkan

RNG = np.random.default_rng(0)


def rand(*shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def run_and_check(model, feeds, device, spirv_val, rtol=1e-4, atol=1e-4):
    compiled = compile_vulkan(model, device=device)
    for kernel in compiled.kernels.values():
        spirv_val(kernel.spirv, compiled.options, kernel.name)
    got = compiled(**feeds)
    want = reference(model, feeds)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape and g.dtype == w.dtype
        assert_close(g, w, rtol, atol)
    return compiled


def test_add_relu_broadcast(device, spirv_val):
    m = onnx_model(
        [
            helper.make_node("Add", ["x", "b"], ["t"]),
            helper.make_node("Relu", ["t"], ["y"]),
        ],
        [("x", [2, 3, 4])],
        [("y", [2, 3, 4])],
        {"b": rand(3, 4)},
    )
    compiled = run_and_check(m, {"x": rand(2, 3, 4)}, device, spirv_val)
    assert compiled.dispatch_count == 1  # add and relu fused into one kernel


@pytest.mark.parametrize(
    "op", ["Sigmoid", "Tanh", "Exp", "Abs", "Neg", "Sqrt", "Erf", "Floor"]
)
def test_unary(op, device, spirv_val):
    m = onnx_model(
        [helper.make_node(op, ["x"], ["y"])], [("x", [3, 70])], [("y", [3, 70])]
    )
    x = rand(3, 70)
    if op == "Sqrt":
        x = np.abs(x)
    run_and_check(m, {"x": x}, device, spirv_val)


def test_many_elements_many_workgroups(device, spirv_val):
    m = onnx_model(
        [helper.make_node("Mul", ["x", "y"], ["z"])],
        [("x", [1000, 33]), ("y", [1000, 33])],
        [("z", [1000, 33])],
    )
    run_and_check(m, {"x": rand(1000, 33), "y": rand(1000, 33)}, device, spirv_val)


def test_input_checked_before_device_work(device):
    m = onnx_model([helper.make_node("Relu", ["x"], ["y"])], [("x", [4])], [("y", [4])])
    compiled = compile_vulkan(m, device=device)
    from dnnf.runtime import InputError

    with pytest.raises(InputError, match="shape"):
        compiled(x=np.zeros(5, np.float32))
    with pytest.raises(InputError, match="dtype"):
        compiled(x=np.zeros(4, np.float64))
    with pytest.raises(InputError, match="expected 1 input"):
        compiled()
