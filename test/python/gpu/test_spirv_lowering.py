"""The SPIR-V pipeline alone (no Vulkan device needed): kernels come out,
one per loop nest, and every one passes spirv-val."""

import numpy as np
import pytest
from gpu_helpers import onnx_model
from mlir import ir
from onnx import helper

from dnnf.frontend.onnx import import_model
from dnnf.gpu import SpirvOptions, lower_to_spirv

RNG = np.random.default_rng(1)


def cnn():
    return onnx_model(
        [
            helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
            helper.make_node("Relu", ["c"], ["r"]),
            helper.make_node("GlobalAveragePool", ["r"], ["g"]),
            helper.make_node("Flatten", ["g"], ["f"]),
            helper.make_node("Gemm", ["f", "fc"], ["logits"]),
            helper.make_node("Softmax", ["logits"], ["y"]),
            helper.make_node("Erf", ["logits"], ["e"]),
        ],
        [("x", [1, 3, 8, 8])],
        [("y", [1, 5]), ("e", [1, 5])],
        {
            "w": RNG.standard_normal((4, 3, 3, 3)).astype(np.float32),
            "fc": RNG.standard_normal((4, 5)).astype(np.float32),
        },
    )


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "1.3"])
@pytest.mark.parametrize("workgroup", [32, 64, 256])
def test_kernels_validate(version, workgroup, spirv_val):
    options = SpirvOptions(vulkan_version=version, workgroup_size=workgroup)
    with ir.Context(), ir.Location.unknown():
        module = import_model(cnn())
        kernels = lower_to_spirv(module, options)
        host = str(module)
    assert len(kernels) >= 6
    for k in kernels.values():
        assert k.spirv[:4] == b"\x03\x02\x23\x07"  # the SPIR-V magic number
        spirv_val(k.spirv, options, k.name)
    assert f"threads in (%c{workgroup}, %c1, %c1)" in host
    # Only buffers, views and launches stay on the host.
    assert "scf.parallel" not in host and "scf.for" not in host


def test_unknown_vulkan_version():
    with pytest.raises(ValueError, match="Vulkan version"):
        SpirvOptions(vulkan_version="0.9")
