"""Command-line entry points: ``dnnf`` and the ``dnnf-opt`` launcher."""

from __future__ import annotations

import argparse
import os
import sys

from ._native import opt_path, plugin_path


def dnnf_opt_main() -> None:
    """Runs the native ``dnnf-opt`` with this process's arguments."""
    exe = str(opt_path())
    os.execv(exe, [exe, *sys.argv[1:]])


def _cmd_paths(args: argparse.Namespace) -> int:
    if args.plugin:
        print(plugin_path())
    elif args.opt:
        print(opt_path())
    else:
        print(f"dnnf-opt: {opt_path()}")
        print(f"plugin:   {plugin_path()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dnnf", description="dnnf: a DNN inference compiler on MLIR"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    paths = sub.add_parser(
        "paths", help="print where dnnf-opt and the mlir-opt plugin are installed"
    )
    group = paths.add_mutually_exclusive_group()
    group.add_argument("--plugin", action="store_true", help="only the plugin path")
    group.add_argument("--opt", action="store_true", help="only the dnnf-opt path")
    paths.set_defaults(func=_cmd_paths)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
