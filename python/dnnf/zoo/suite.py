"""The model suite: names, cache, on-demand generation, example inputs, CLI.

Generated models live in ``<cache>/models/<name>.onnx``, where ``<cache>`` is
``$DNNF_CACHE_DIR`` or ``~/.cache/dnnf``.  A model is generated once and then
reused; files are written to a temporary name and renamed into place.  Only
this module's numpy-level helpers are needed to list models or make inputs:
``onnx`` (and onnxruntime for BatchNorm calibration) are needed to
materialise the light models, ``torch`` to export the others.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

OPSET = 17
IMAGE_SHAPE = (1, 3, 224, 224)
SEED = 0  # the weights' seed, for every generated model

LIGHT_MODELS: tuple[str, ...] = (
    "resnet50",
    "squeezenet",
    "shufflenet",
    "inception_v1",
    "inception_v2",
    "densenet121",
    "vgg19",
    "bvlc_alexnet",
    "zfnet512",
)
TORCH_MODELS: tuple[str, ...] = ("mobilenetv2", "efficientnet_b0", "bert_base", "gpt2")
SUITE: list[str] = [*LIGHT_MODELS, *TORCH_MODELS]

# Input names of the shipped light models (all 1x3x224x224 float32).
_CAFFE2_INPUT = "gpu_0/data_0"
_LIGHT_INPUT = {
    n: _CAFFE2_INPUT if n in ("resnet50", "shufflenet", "zfnet512") else "data_0"
    for n in LIGHT_MODELS
}


@dataclass(frozen=True)
class TransformerConfig:
    """Sizes of a BERT/GPT-2 model; ``seq_len`` is the exported (static) length."""

    vocab: int
    hidden: int = 768
    layers: int = 12
    heads: int = 12
    intermediate: int = 3072
    max_positions: int = 512
    seq_len: int = 128
    eps: float = 1e-12


BERT_BASE = TransformerConfig(vocab=30522, max_positions=512, eps=1e-12)
GPT2_SMALL = TransformerConfig(vocab=50257, max_positions=1024, eps=1e-5)


def check_name(name: str) -> None:
    """Raises ``KeyError`` for a name not in :data:`SUITE`."""
    if name not in SUITE:
        raise KeyError(f"unknown model {name!r}; the suite has: {', '.join(SUITE)}")


# --- cache ------------------------------------------------------------------


def cache_dir() -> Path:
    """``$DNNF_CACHE_DIR`` if set (and not empty), else ``~/.cache/dnnf``."""
    root = os.environ.get("DNNF_CACHE_DIR") or "~/.cache/dnnf"
    return Path(root).expanduser()


def cached_model_path(name: str) -> Path:
    """Where the generated ``name`` lives (whether or not it exists yet)."""
    check_name(name)
    return cache_dir() / "models" / f"{name}.onnx"


def _save_atomic(model: object, path: Path) -> None:
    import onnx

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        onnx.save(model, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def generate(name: str, path: Path | None = None) -> Path:
    """(Re)generates ``name`` into ``path`` (default: its cache path)."""
    check_name(name)
    path = path or cached_model_path(name)
    if name in TORCH_MODELS:
        try:
            from . import torch_models
        except ImportError as err:
            raise ImportError(f"{name} is exported from torch: {err}") from err
        return torch_models.export(name, path, SEED)
    import onnx

    from . import light

    shipped = onnx.load(str(light.light_model_path(name)))
    feeds = [light.light_inputs(name), example_inputs(name, 0)]
    model = light.materialize(shipped, SEED, (OPSET,), feeds)
    onnx.helper.set_model_props(
        model,
        {
            "dnnf.zoo.source": f"onnx/backend/test/data/light/light_{name}.onnx",
            "dnnf.zoo.weights": f"random He-normal, seed {SEED}; BN calibrated",
        },
    )
    _save_atomic(model, path)
    return path


def model_path(name: str, materialized: bool = True, force: bool = False) -> Path:
    """Path of model ``name``, generating it into the cache on first use.

    For a light model, ``materialized=False`` gives the file shipped in the
    ``onnx`` wheel (opset 9, ``ConstantOfShape`` weights) and generates
    nothing.  ``force`` regenerates even if the cached file exists.
    """
    check_name(name)
    if not materialized:
        if name not in LIGHT_MODELS:
            raise ValueError(f"{name} exists only generated (materialized=True)")
        from . import light

        return light.light_model_path(name)
    path = cached_model_path(name)
    if force or not path.is_file():
        generate(name, path)
    return path


# --- inputs -------------------------------------------------------------------


def inputs_for(
    name: str, seed: int = 0, cfg: TransformerConfig | None = None
) -> dict[str, np.ndarray]:
    """:func:`example_inputs`, with ``cfg`` overriding a transformer's sizes."""
    check_name(name)
    rng = np.random.default_rng(seed)
    if name in LIGHT_MODELS:
        # As onnx's backend runner with random=True: default_rng(seed).random.
        return {_LIGHT_INPUT[name]: rng.random(IMAGE_SHAPE, dtype=np.float32)}
    if name in ("mobilenetv2", "efficientnet_b0"):
        return {"input": rng.random(IMAGE_SHAPE, dtype=np.float32)}
    cfg = cfg or (BERT_BASE if name == "bert_base" else GPT2_SMALL)
    ids = rng.integers(0, cfg.vocab, (1, cfg.seq_len), dtype=np.int64)
    if name == "gpt2":
        return {"input_ids": ids}
    mask = np.zeros((1, cfg.seq_len), dtype=np.int64)
    mask[:, : int(rng.integers(cfg.seq_len // 2, cfg.seq_len + 1))] = 1
    return {"input_ids": ids, "attention_mask": mask}


def example_inputs(name: str, seed: int = 0) -> dict[str, np.ndarray]:
    """Seeded inputs for model ``name``, keyed by graph input name.

    Images (all CNNs, 1x3x224x224 float32): uniform [0, 1).  ``bert_base``:
    ``input_ids`` int64 [1, 128] uniform over the vocabulary and an
    ``attention_mask`` int64 [1, 128] attending to a prefix of random length
    (at least 64) and masking the rest, as padding would.  ``gpt2``:
    ``input_ids`` int64 [1, 128].  (The light models' shipped expected outputs
    do not depend on the input; :func:`dnnf.zoo.light.light_inputs` gives the
    exact ramp onnx's test runner feeds them.)
    """
    return inputs_for(name, seed)


# --- checks and CLI -----------------------------------------------------------


@dataclass
class Info:
    """What the CLI prints about one generated model."""

    name: str
    path: Path
    opset: int
    nodes: int
    size_mb: float
    seconds: float
    generated: bool


def describe(name: str, path: Path, seconds: float, generated: bool) -> Info:
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    opset = next(
        (o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0
    )
    size = path.stat().st_size / 1e6
    return Info(name, path, opset, len(model.graph.node), size, seconds, generated)


def check_runs(name: str, path: Path | None = None, seed: int = 0) -> list[float]:
    """Runs ``name`` in onnxruntime on :func:`example_inputs`.

    Raises ``AssertionError`` unless every output is finite and non-constant;
    returns each output's standard deviation.
    """
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    session = ort.InferenceSession(
        str(path or model_path(name)), opts, providers=["CPUExecutionProvider"]
    )
    outs = session.run(None, example_inputs(name, seed))
    for out, meta in zip(outs, session.get_outputs(), strict=True):
        assert np.isfinite(out).all(), f"{name}: {meta.name} is not finite"
        assert out.std() > 0, f"{name}: {meta.name} is constant"
    return [float(o.std()) for o in outs]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dnnf.zoo",
        description="Generate the dnnf model suite into the cache "
        "($DNNF_CACHE_DIR, else ~/.cache/dnnf) and describe each model.",
    )
    parser.add_argument("names", nargs="*", help=f"models (default: all): {SUITE}")
    parser.add_argument("--force", action="store_true", help="regenerate cached files")
    parser.add_argument(
        "--check", action="store_true", help="run each in onnxruntime and check outputs"
    )
    parser.add_argument("--list", action="store_true", help="list names and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(SUITE))
        return 0
    names = args.names or SUITE
    unknown = [n for n in names if n not in SUITE]
    if unknown:
        parser.error(f"unknown model(s) {unknown}; choose from {SUITE}")
    print(f"cache: {cache_dir() / 'models'}", flush=True)
    failed = 0
    for i, name in enumerate(names, 1):
        path = cached_model_path(name)
        fresh = args.force or not path.is_file()
        verb = "generating" if fresh else "reusing"
        print(f"[{i}/{len(names)}] {name}: {verb} ...", end=" ", flush=True)
        start = time.perf_counter()
        try:
            if fresh:
                generate(name, path)
            info = describe(name, path, time.perf_counter() - start, fresh)
            line = (
                f"opset {info.opset}, {info.nodes} nodes, {info.size_mb:.1f} MB, "
                f"{'generated in' if fresh else 'cached,'} {info.seconds:.1f} s"
            )
            if args.check:
                stds = check_runs(name, path)
                line += ", onnxruntime ok (output std " + ", ".join(
                    f"{s:.3g}" for s in stds
                )
                line += ")"
        except Exception as err:  # report and go on with the next model
            failed += 1
            print(f"FAILED: {type(err).__name__}: {err}", flush=True)
            continue
        print(f"done\n    {info.path}\n    {line}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
