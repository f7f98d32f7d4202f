"""Locations of dnnf's native artifacts (``dnnf-opt``, the mlir-opt plugin)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _candidates(relative: str) -> list[Path]:
    # The package's own search path: one directory for a wheel install; for an
    # editable install both the checkout and the CMake install tree.
    package = sys.modules[__package__]
    dirs = [Path(p) for p in getattr(package, "__path__", [])]
    dirs.append(Path(__file__).parent)
    return [d / relative for d in dirs]


def _find(relative: str, env: str) -> Path:
    override = os.environ.get(env)
    if override:
        return Path(override)
    for candidate in _candidates(relative):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"dnnf: {relative} is not installed next to the dnnf package; "
        f"reinstall dnnf (pip install .) or set {env}"
    )


def opt_path() -> Path:
    """Path of the ``dnnf-opt`` executable."""
    return _find("_bin/dnnf-opt", "DNNF_OPT")


def plugin_path() -> Path:
    """Path of ``libDnnfPlugin.so`` for ``mlir-opt --load-dialect-plugin``."""
    return _find("_lib/libDnnfPlugin.so", "DNNF_PLUGIN")


def runtime_path() -> Path:
    """Path of ``libdnnf_runtime.so``, the thread pool of threaded code."""
    return _find("_lib/libdnnf_runtime.so", "DNNF_RUNTIME")
