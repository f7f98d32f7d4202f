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


def _parse_shape(text: str) -> tuple[str, list[int]]:
    name, sep, dims = text.rpartition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(
            f"expected NAME=D0xD1x..., e.g. input=1x3x224x224; got '{text}'"
        )
    try:
        shape = [int(v) for v in dims.lower().split("x")] if dims else []
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"dimensions of '{name}' must be integers separated by 'x'; got '{dims}'"
        ) from None
    return name, shape


def _cmd_import(args: argparse.Namespace) -> int:
    import time

    from mlir import ir

    from .frontend.onnx import OnnxImportError, import_model

    shapes = dict(args.input_shape or [])
    start = time.perf_counter()
    with ir.Context():
        try:
            module = import_model(args.model, input_shapes=shapes)
        except OnnxImportError as e:
            print(f"dnnf import: error: {e}", file=sys.stderr)
            return 1
        elapsed = time.perf_counter() - start
        out = sys.stdout if args.output in (None, "-") else None
        if args.emit_bytecode:
            if out is not None:
                print("dnnf import: --emit-bytecode needs -o FILE", file=sys.stderr)
                return 2
            with open(args.output, "wb") as f:
                module.operation.write_bytecode(f)
        elif out is not None:
            print(module)
        else:
            with open(args.output, "w") as f:
                module.operation.print(file=f, large_resource_limit=None)
    if args.output not in (None, "-"):
        print(
            f"dnnf import: {args.model} -> {args.output} ({elapsed:.2f} s)",
            file=sys.stderr,
        )
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

    imp = sub.add_parser(
        "import", help="import an ONNX model into the dnnf dialect (text IR)"
    )
    imp.add_argument("model", help="the .onnx file")
    imp.add_argument("-o", "--output", help="output file (default: stdout)")
    imp.add_argument(
        "--input-shape",
        action="append",
        type=_parse_shape,
        metavar="NAME=D0xD1x...",
        help="fix the shape of a graph input with dynamic dimensions (repeatable)",
    )
    imp.add_argument(
        "--emit-bytecode",
        action="store_true",
        help="write MLIR bytecode instead of text (weights stay raw blobs)",
    )
    imp.set_defaults(func=_cmd_import)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
