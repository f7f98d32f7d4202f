"""``python -m dnnf.gpu run MODEL``: compile for Vulkan, run, optionally check.

The same options as ``dnnf run`` (``--inputs``, ``-o``, ``--input-shape``,
``--seed``, ``--check``, ``--tolerance``) plus the SPIR-V target's
(``--vulkan-version``, ``--workgroup-size``).  ``run_vulkan(args)`` is what
``dnnf run --target vulkan`` calls.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def random_feeds(inputs: list, seed: int) -> dict[str, np.ndarray]:
    """Floats in [0, 1), integers in {0, 1}, fair booleans."""
    rng = np.random.default_rng(seed)
    feeds = {}
    for spec in inputs:
        if spec.dtype.kind == "f":
            feeds[spec.name] = rng.random(spec.shape, dtype=np.float32).astype(
                spec.dtype
            )
        elif spec.dtype.kind == "b":
            feeds[spec.name] = rng.random(spec.shape) < 0.5
        else:
            feeds[spec.name] = rng.integers(0, 2, spec.shape).astype(spec.dtype)
    return feeds


def run_vulkan(args: argparse.Namespace) -> int:
    from mlir import ir

    from dnnf.cli import _resolve_model, run_compiled
    from dnnf.frontend.onnx import OnnxImportError

    from .model import compile_vulkan, device_options
    from .vulkan import VulkanUnavailable, default_device

    path = _resolve_model(args.model)
    start = time.perf_counter()
    print(f"dnnf run: compiling {path} for Vulkan ...", file=sys.stderr, flush=True)
    try:
        device = default_device()
        options = device_options(
            device,
            vulkan_version=getattr(args, "vulkan_version", "1.0"),
            workgroup_size=getattr(args, "workgroup_size", 64),
        )
        model = compile_vulkan(
            path,
            input_shapes=dict(args.input_shape or []),
            options=options,
            device=device,
        )
    except (
        OnnxImportError,
        VulkanUnavailable,
        NotImplementedError,
        ValueError,
        ir.MLIRError,
    ) as e:
        print(f"dnnf run: error: {e}", file=sys.stderr)
        return 1
    t_compile = time.perf_counter() - start
    print(
        f"device: {model.device.name}; {len(model.kernels)} kernels, "
        f"{model.dispatch_count} dispatches, {model.barrier_count} barriers",
        file=sys.stderr,
    )
    return run_compiled(model, path, args, t_compile, random_feeds)


def add_vulkan_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--vulkan-version", default="1.0", choices=["1.0", "1.1", "1.2", "1.3"]
    )
    parser.add_argument(
        "--workgroup-size", type=int, default=64, help="invocations per workgroup"
    )


def main(argv: list[str] | None = None) -> int:
    from dnnf.cli import _parse_shape

    parser = argparse.ArgumentParser(prog="python -m dnnf.gpu")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="compile a model for Vulkan and run it")
    run.add_argument("model", help="an .onnx file or a suite model name")
    run.add_argument("--inputs", help=".npz file with one array per input name")
    run.add_argument("-o", "--output", help="write the outputs to this .npz file")
    run.add_argument(
        "--input-shape", action="append", type=_parse_shape, metavar="NAME=D0xD1x..."
    )
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--check", action="store_true")
    run.add_argument("--tolerance", type=float, default=1e-4)
    add_vulkan_options(run)
    args = parser.parse_args(argv)
    return run_vulkan(args)


if __name__ == "__main__":
    sys.exit(main())
