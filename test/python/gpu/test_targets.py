"""The Vulkan target through ``dnnf.compile`` and ``dnnf run``: options,
64-bit integer models, grids past one dimension's workgroup limit."""

import numpy as np
import pytest
from gpu_helpers import assert_close, onnx_model, reference
from mlir import ir
from onnx import TensorProto, helper, numpy_helper, save

import dnnf
from dnnf.cli import main as cli_main
from dnnf.gpu import SpirvOptions, compile_vulkan
from dnnf.gpu.model import device_options

RNG = np.random.default_rng(3)


def gather_model():
    """Embedding lookup with int64 token ids (BERT's and GPT-2's first op)."""
    table = RNG.standard_normal((10, 6)).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["table", "ids"], ["e"]),
            helper.make_node("Relu", ["e"], ["y"]),
        ],
        "g",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3, 6])],
        [numpy_helper.from_array(table, "table")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 10
    return model


def test_compile_target_vulkan_with_options(device, spirv_val):
    m = onnx_model(
        [helper.make_node("Tanh", ["x"], ["y"])], [("x", [5, 33])], [("y", [5, 33])]
    )
    compiled = dnnf.compile(m, target="vulkan", workgroup_size=32)
    assert compiled.target == "vulkan"
    assert compiled.options.workgroup_size == 32
    for k in compiled.kernels.values():
        spirv_val(k.spirv, compiled.options, k.name)
    x = RNG.standard_normal((5, 33)).astype(np.float32)
    (y,) = compiled(x)
    assert_close(y, reference(m, {"x": x})[0])


def test_compile_target_vulkan_unknown_option(device):
    m = onnx_model([helper.make_node("Relu", ["x"], ["y"])], [("x", [4])], [("y", [4])])
    with pytest.raises(ValueError, match="unknown Vulkan target option.*threads"):
        dnnf.compile(m, target="vulkan", threads=2)


def test_int64_ids_use_device_capabilities(device):
    if not device.supports_int64:
        pytest.skip("the Vulkan device has no shaderInt64")
    assert "Int64" in device_options(device).extra_capabilities
    m = gather_model()
    compiled = compile_vulkan(m, device=device)
    ids = np.array([[0, 9, 3], [3, 1, 7]], dtype=np.int64)
    (y,) = compiled(ids=ids)
    np.testing.assert_array_equal(y, reference(m, {"ids": ids})[0])


def test_int64_without_capability_is_a_clear_error(device):
    # Explicit options are used as given: no Int64, so the pipeline reports
    # the kernel and the capability to add.
    with pytest.raises(ir.MLIRError, match="64-bit integers, which need the Int64"):
        compile_vulkan(gather_model(), options=SpirvOptions(), device=device)


def test_grid_split_past_the_workgroup_limit(device, spirv_val):
    # 140,000 elements at 2 invocations per workgroup: 70,000 workgroups, more
    # than the 65,535 one grid dimension guarantees, so the flat loop is split
    # over x and y.
    n = 140_000
    m = onnx_model(
        [helper.make_node("Mul", ["x", "x"], ["y"])], [("x", [1, n])], [("y", [1, n])]
    )
    compiled = compile_vulkan(m, options=SpirvOptions(workgroup_size=2), device=device)
    assert any(d.grid[1] > 1 for d in compiled.plan.dispatches)
    for k in compiled.kernels.values():
        spirv_val(k.spirv, compiled.options, k.name)
    x = RNG.standard_normal((1, n)).astype(np.float32)
    (y,) = compiled(x)
    np.testing.assert_allclose(y, x * x, rtol=1e-6)


def test_dnnf_run_target_vulkan(tmp_path, device, capsys):
    path = tmp_path / "g.onnx"
    save(gather_model(), path)
    code = cli_main(["run", "--target", "vulkan", str(path), "--check"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "check y vs onnxruntime" in out.out and "(ok," in out.out
