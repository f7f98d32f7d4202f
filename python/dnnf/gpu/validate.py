"""``spirv-val`` (from SPIRV-Tools) on dnnf's kernels."""

from __future__ import annotations

import shutil
import subprocess
import tempfile

from .options import SpirvOptions


class SpirvValidationError(RuntimeError):
    """spirv-val rejected a kernel."""


def spirv_val_path() -> str | None:
    return shutil.which("spirv-val")


def validate(spirv: bytes, options: SpirvOptions | None = None, name: str = "") -> None:
    """Runs ``spirv-val --target-env vulkan<version>`` on one binary."""
    exe = spirv_val_path()
    if exe is None:
        raise FileNotFoundError("spirv-val not found (apt-get install spirv-tools)")
    env = f"vulkan{(options or SpirvOptions()).vulkan_version}"
    with tempfile.NamedTemporaryFile(suffix=".spv") as f:
        f.write(spirv)
        f.flush()
        proc = subprocess.run(
            [exe, "--target-env", env, f.name], capture_output=True, text=True
        )
    if proc.returncode != 0:
        raise SpirvValidationError(
            f"spirv-val --target-env {env} rejected kernel {name}:\n"
            f"{proc.stdout}{proc.stderr}"
        )
