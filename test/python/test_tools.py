"""The installed executables: dnnf-opt, the plugin, the dnnf CLI."""

import subprocess
import sys
import sysconfig
from pathlib import Path

import dnnf

SRC = """
func.func @f(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dnnf.mul %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
"""


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def test_native_artifacts_exist():
    assert dnnf.opt_path().is_file()
    assert dnnf.plugin_path().is_file()


def test_dnnf_opt_classifies():
    out = run([str(dnnf.opt_path()), "--dnnf-classify", "-"], input=SRC)
    assert out.returncode == 0, out.stderr
    assert "mapping = #dnnf.mapping<one_to_one>" in out.stdout


def test_dnnf_opt_console_script():
    # `pip install` puts a dnnf-opt launcher into the environment's scripts.
    exe = Path(sysconfig.get_path("scripts")) / "dnnf-opt"
    assert exe.is_file(), f"{exe} was not installed"
    out = run([str(exe), "--dnnf-classify", "-"], input=SRC)
    assert out.returncode == 0, out.stderr
    assert "#dnnf.mapping<one_to_one>" in out.stdout


def test_dnnf_opt_reports_errors_with_location():
    bad = """
func.func @f(%a: tensor<2x3xf32>) {
  %0 = dnnf.squeeze %a {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<3xf32>
  return
}
"""
    out = run([str(dnnf.opt_path()), "-"], input=bad)
    assert out.returncode == 1
    assert "<stdin>:3:" in out.stderr
    assert "cannot squeeze axis 0 of size 2 in shape [2, 3]" in out.stderr


def test_stock_mlir_opt_with_plugin():
    import mlir

    mlir_opt = f"{list(mlir.__path__)[0]}/bin/mlir-opt"
    plugin = str(dnnf.plugin_path())
    out = run(
        [
            mlir_opt,
            f"--load-dialect-plugin={plugin}",
            f"--load-pass-plugin={plugin}",
            "--pass-pipeline=builtin.module(dnnf-classify)",
            "-",
        ],
        input=SRC,
    )
    assert out.returncode == 0, out.stderr
    assert "#dnnf.mapping<one_to_one>" in out.stdout


def test_cli_paths():
    out = run([sys.executable, "-m", "dnnf.cli", "paths", "--plugin"])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(dnnf.plugin_path())
