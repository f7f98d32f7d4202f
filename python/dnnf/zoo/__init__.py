"""dnnf's model suite: real architectures as ONNX files, generated on demand.

Thirteen models (:data:`SUITE`):

* the nine "light" models shipped in the ``onnx`` wheel
  (``onnx/backend/test/data/light``: resnet50, squeezenet, shufflenet,
  inception_v1, inception_v2, densenet121, vgg19, bvlc_alexnet, zfnet512),
  whose large weights are ``ConstantOfShape(0.02)``; their "materialised"
  copies have seeded He-normal weights, calibrated BatchNorm statistics and
  opset 17;
* four models defined here in plain ``torch.nn`` and exported at opset 17
  with static shapes: mobilenetv2, efficientnet_b0 (1x3x224x224 images),
  bert_base and gpt2 (128 tokens).

``model_path(name)`` generates a model into ``<cache>/models/`` on first use
(``<cache>`` is ``$DNNF_CACHE_DIR`` or ``~/.cache/dnnf``) and reuses it after;
``python -m dnnf.zoo [names...]`` generates and describes models.  Needs
``onnx``; onnxruntime to materialise the light models (BatchNorm calibration)
and ``torch`` for the exported ones.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .suite import (
    LIGHT_MODELS,
    SUITE,
    TORCH_MODELS,
    cache_dir,
    cached_model_path,
    example_inputs,
    model_path,
)

__all__ = [
    "LIGHT_MODELS",
    "SUITE",
    "TORCH_MODELS",
    "cache_dir",
    "cached_model_path",
    "example_inputs",
    "light_expected_output",
    "light_inputs",
    "light_model_path",
    "model_path",
]


def light_model_path(name: str) -> Path:
    """The shipped ``light_<name>.onnx`` (opset 9, IR 3, constant weights)."""
    from .light import light_model_path as impl

    return impl(name)


def light_expected_output(name: str) -> np.ndarray:
    """The shipped expected output ``light_<name>_output_0.pb``."""
    from .light import light_expected_output as impl

    return impl(name)


def light_inputs(name: str) -> dict[str, np.ndarray]:
    """What onnx's backend runner feeds a light model: ``arange(n)/n`` images.

    The shipped expected outputs do not depend on the input (every channel
    sees identical weights), so :func:`example_inputs` reproduces them too.
    """
    from .light import light_inputs as impl

    return impl(name)
