"""Locations of dnnf's native artifacts (``dnnf-opt``, the mlir-opt plugin)."""

from __future__ import annotations

import os
from pathlib import Path



def _candidates(relative: str) -> list[Path]:
    here = Path(__file__).resolve().parent
    dirs = [Path(__file__).parent, here]
    # Editable installs serve Python sources from the checkout while CMake
    # installs native files into site-packages/dnnf: look there too.
    import sys

    for entry in sys.path:
        if entry:
            dirs.append(Path(entry) / "dnnf")
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
