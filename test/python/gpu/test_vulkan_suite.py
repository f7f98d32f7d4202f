"""Suite models on the Vulkan device (lavapipe in CI), f32 and f16, against
onnxruntime on the f32 model.  The three smallest run here; all thirteen run
with ``python benchmarks/vulkan_models.py [--fp16] NAME...`` (the README
table).

Tolerances, on max |error| / max(1, max |reference|):
* f32: 1e-4 (measured at most 8e-6 on these models);
* f16: 3e-2.  Each stored f16 value is rounded to a relative 2^-11
  (4.9e-4) while contractions and reductions accumulate in f32, so the error
  grows with the number of stored intermediates along the deepest path:
  MobileNetV2 stores about 60, 3e-2 if every rounding added up (measured:
  squeezenet 5.0e-4, shufflenet 6.8e-3, mobilenetv2 2.1e-2).
"""

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from dnnf import zoo
from dnnf.gpu import SpirvOptions, compile_vulkan
from dnnf.gpu.model import device_options
from dnnf.zoo.float16 import to_float16

TOLERANCE = {False: 1e-4, True: 3e-2}


@pytest.mark.parametrize("fp16", [False, True], ids=["f32", "f16"])
@pytest.mark.parametrize("name", ["squeezenet", "shufflenet", "mobilenetv2"])
def test_suite_model_on_vulkan(name, fp16, device, spirv_val):
    if fp16 and not device.supports_fp16:
        pytest.skip("the Vulkan device has no f16 arithmetic / 16-bit storage")
    try:
        path = zoo.model_path(name)
    except Exception as e:  # torch missing for mobilenetv2
        pytest.skip(f"{name} unavailable: {e}")
    proto = onnx.load(path)
    options: SpirvOptions = device_options(device, fp16=fp16)
    compiled = compile_vulkan(
        to_float16(proto) if fp16 else proto, options=options, device=device
    )
    for k in compiled.kernels.values():
        spirv_val(k.spirv, compiled.options, k.name)
    inputs = zoo.example_inputs(name)
    feeds = {
        spec.name: inputs[spec.name].astype(spec.dtype) for spec in compiled.inputs
    }
    got = compiled(**feeds)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    want = session.run(
        None, {k: v.astype(np.float32) if fp16 else v for k, v in feeds.items()}
    )
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape
        scale = max(1.0, float(np.abs(w).max()))
        err = float(np.abs(g.astype(np.float64) - w).max()) / scale
        assert err <= TOLERANCE[fp16], f"max |error| / scale = {err:.2e}"
