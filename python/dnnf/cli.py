"""Command-line entry points: ``dnnf`` and the ``dnnf-opt`` launcher."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

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


def _resolve_model(model: str) -> str:
    """A path, or the name of a model of the suite (see ``python -m dnnf.zoo``)."""
    import os

    if os.path.exists(model):
        return model
    from . import zoo

    if model in zoo.SUITE:
        print(
            f"dnnf: using suite model '{model}' (generated on first use)",
            file=sys.stderr,
        )
        return str(zoo.model_path(model))
    raise SystemExit(
        f"dnnf: error: '{model}' is neither a file nor a suite model "
        f"({', '.join(zoo.SUITE)})"
    )


def _progress(command: str) -> Callable[[str], None]:
    def report(line: str) -> None:
        print(f"dnnf {command}: {line}", file=sys.stderr, flush=True)

    return report


def _parse_option(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(
            f"expected KEY=VALUE, e.g. vectorize=0; got '{text}'"
        )
    return name, value


def _compile_model(args: argparse.Namespace, command: str, path: str) -> object:
    """compile() with the CLI's options; None after printing an error."""
    from mlir import ir

    from .frontend.onnx import OnnxImportError
    from .runtime import compile
    from .runtime.profile import ProfileDBError

    options = dict(getattr(args, "pipeline_option", None) or [])
    if getattr(args, "threads", None) is not None:
        options.setdefault("threads", args.threads)
    if getattr(args, "profile_db", None):
        options.setdefault("profile_db", args.profile_db)
    try:
        if getattr(args, "profile", False) and not _profile(args, path, options):
            return None
        return compile(
            path,
            input_shapes=dict(args.input_shape or []),
            cache=not getattr(args, "no_cache", False),
            progress=_progress(command),
            **options,
        )
    except (OnnxImportError, ProfileDBError, ValueError, ir.MLIRError) as e:
        print(f"dnnf {command}: error: {e}", file=sys.stderr)
        return None


def _profile(args: argparse.Namespace, path: str, options: dict) -> bool:
    """``dnnf compile --profile``: measures the ◐ cells of the fusion=dnnf
    plan that the profiling database lacks, then leaves ``options`` set for
    that plan; False after printing an error."""
    from mlir import ir

    from .frontend.onnx import import_model
    from .runtime.native import default_threads
    from .runtime.profile import default_db_path, profile

    if options.setdefault("fusion", "dnnf") != "dnnf":
        print(
            "dnnf compile: error: --profile measures the plan of fusion=dnnf, "
            f"not fusion={options['fusion']}",
            file=sys.stderr,
        )
        return False
    db = options.setdefault("profile_db", str(default_db_path()))
    threads = int(options.get("threads") or default_threads())
    report = _progress("compile")
    context = ir.Context()
    with context, ir.Location.unknown():
        report(f"profile: import {path} ...")
        module = import_model(
            path, input_shapes=dict(args.input_shape or []), context=context
        )
        result = profile(module, db_path=db, threads=threads, progress=report)
    report(
        f"profile: {result.measured} candidate(s) measured in {result.rounds} "
        f"planning round(s); the plan decides {result.by_database} profile "
        f"cell(s) by measurement ({result.fused} fuse, "
        f"{result.by_database - result.fused} stop) and {result.by_rule} by "
        f"the static rule; database {result.db}"
    )
    return True


def _cmd_run(args: argparse.Namespace) -> int:
    if args.target == "vulkan":
        from .gpu.__main__ import run_vulkan

        return run_vulkan(args)
    import time

    from .runtime.bench import random_inputs

    path = _resolve_model(args.model)
    start = time.perf_counter()
    model = _compile_model(args, "run", path)
    if model is None:
        return 1
    t_compile = time.perf_counter() - start
    return run_compiled(model, path, args, t_compile, random_inputs)


def run_compiled(
    model: object,
    path: str,
    args: argparse.Namespace,
    t_compile: float,
    random_feeds: Callable[[list, int], dict],
) -> int:
    """The rest of ``dnnf run`` for a compiled model of either target: inputs
    from ``--inputs`` (npz) or ``random_feeds(model.inputs, --seed)``, one
    timed call, a summary of each output, ``--check`` against onnxruntime
    and ``-o`` (npz); the exit status."""
    import time

    import numpy as np

    from .runtime import InputError

    if args.inputs:
        data = np.load(args.inputs)
        feeds = {k: data[k] for k in data.files}
    else:
        feeds = random_feeds(model.inputs, args.seed)  # type: ignore[attr-defined]
    try:
        start = time.perf_counter()
        outputs = model(**feeds)  # type: ignore[operator]
        t_run = time.perf_counter() - start
    except InputError as e:
        print(f"dnnf run: error: {e}", file=sys.stderr)
        return 1
    print(f"compile: {t_compile:.2f} s, run: {t_run * 1e3:.1f} ms")
    specs = model.outputs  # type: ignore[attr-defined]
    for spec, out in zip(specs, outputs, strict=True):
        flat = out.reshape(-1)
        print(
            f"{spec.name}: {out.dtype}{list(out.shape)} "
            f"min {flat.min():.6g} max {flat.max():.6g} "
            f"first {np.array2string(flat[:4], precision=5)}"
        )
    status = 0
    if args.check:
        import onnxruntime as ort

        try:
            session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            expected = session.run(None, feeds)
        except Exception as e:  # onnxruntime's own errors, e.g. IR version
            print(f"dnnf run: cannot check with onnxruntime: {e}", file=sys.stderr)
            return 1
        for spec, got, want in zip(specs, outputs, expected, strict=True):
            scale = max(1.0, float(np.abs(want).max())) if want.size else 1.0
            err = float(np.abs(got.astype(np.float64) - want).max()) / scale
            ok = err <= args.tolerance
            status |= 0 if ok else 1
            print(
                f"check {spec.name} vs onnxruntime: max |error| / scale = "
                f"{err:.2e} ({'ok' if ok else 'MISMATCH'}, tolerance "
                f"{args.tolerance:g})"
            )
    if args.output:
        named = zip(specs, outputs, strict=True)
        np.savez(args.output, **{s.name: o for s, o in named})
    return status


def _cmd_compile(args: argparse.Namespace) -> int:
    from .runtime import cache

    path = _resolve_model(args.model)
    model = _compile_model(args, "compile", path)
    if model is None:
        return 1
    if model.backend != "aot":
        print(
            "dnnf compile: error: no shared object was produced (see the "
            "warning above); nothing was cached",
            file=sys.stderr,
        )
        return 1
    if args.output:
        out = model.save(args.output)
        print(out)
        print(
            f"dnnf compile: wrote {', '.join(sorted(f.name for f in out.iterdir()))} "
            f"to {out}; load it with dnnf.runtime.load('{out}')",
            file=sys.stderr,
        )
    else:
        print(model.path)
        print(
            f"dnnf compile: cached in {cache.compiled_dir()} (key {model.key})",
            file=sys.stderr,
        )
    return 0


def _cmd_cache(args: argparse.Namespace) -> int:
    from .runtime import cache

    root = cache.compiled_dir()
    if args.clear:
        count = cache.clear()
        print(f"removed {root} ({count} compiled model(s))")
        return 0
    entries = list(cache.entries())
    size = sum(f.stat().st_size for e in entries for f in e.iterdir())
    print(f"{root}: {len(entries)} compiled model(s), {size / 1e6:.1f} MB")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from .runtime import bench

    engines = [e for e in args.compare.split(",") if e and e != "none"]
    unknown = [e for e in engines if e not in bench.ENGINES]
    if unknown:
        print(
            f"dnnf bench: error: unknown engine(s) {', '.join(unknown)} in "
            f"--compare; available: {', '.join(bench.ENGINES)}, none",
            file=sys.stderr,
        )
        return 2
    if args.n < 1 or args.warmup < 0 or (args.threads is not None and args.threads < 1):
        print(
            "dnnf bench: error: need -n >= 1, --warmup >= 0, --threads >= 1",
            file=sys.stderr,
        )
        return 2
    threads = args.threads = args.threads or bench.default_threads()
    path = _resolve_model(args.model)
    model = _compile_model(args, "bench", path)
    if model is None:
        return 1
    feeds = bench.random_inputs(model.inputs, args.seed)
    print(
        f"dnnf bench: {args.model}: {args.warmup} warm-up + {args.n} timed runs, "
        f"dnnf {model.backend} and comparison engines on {threads} thread(s)",
        file=sys.stderr,
        flush=True,
    )
    timings = [
        bench.Timing(
            "dnnf", bench.time_calls(lambda: model(**feeds), args.n, args.warmup)
        )
    ]
    for engine in engines:
        try:
            run = bench.comparison_runner(engine, path, feeds, threads)
        except ImportError:
            print(f"dnnf bench: {engine} is not installed; skipped", file=sys.stderr)
            continue
        except Exception as e:  # the engine's own errors (unsupported model...)
            print(f"dnnf bench: {engine} cannot run the model: {e}", file=sys.stderr)
            continue
        timings.append(bench.Timing(engine, bench.time_calls(run, args.n, args.warmup)))
    print("\n".join(bench.format_table(timings)))
    medians = {t.engine: t.median_ms for t in timings}
    for engine in engines:
        if engine in medians:
            ratio = medians["dnnf"] / medians[engine]
            print(f"dnnf/{engine} (median): {ratio:.2f}x")
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

    run = sub.add_parser(
        "run",
        help="compile a model for this CPU and run it (random inputs by default)",
    )
    run.add_argument("model", help="an .onnx file or a suite model name")
    run.add_argument(
        "--target",
        choices=["cpu", "vulkan"],
        default="cpu",
        help="cpu (LLVM, default) or vulkan (SPIR-V on a Vulkan device)",
    )
    run.add_argument("--inputs", help=".npz file with one array per input name")
    run.add_argument("-o", "--output", help="write the outputs to this .npz file")
    run.add_argument(
        "--input-shape", action="append", type=_parse_shape, metavar="NAME=D0xD1x..."
    )
    run.add_argument("--seed", type=int, default=0, help="seed of random inputs")
    run.add_argument(
        "--check",
        action="store_true",
        help="compare with onnxruntime on the same inputs",
    )
    run.add_argument(
        "--tolerance",
        type=float,
        default=1e-4,
        help="max |error| / max(1, max |expected|) allowed by --check",
    )
    from .gpu.__main__ import add_vulkan_options

    add_vulkan_options(run)
    run.set_defaults(func=_cmd_run)

    comp = sub.add_parser(
        "compile",
        help="compile a model to native code (cached; -o exports model.so + "
        "meta.json for dnnf.runtime.load)",
    )
    comp.add_argument("model", help="an .onnx file or a suite model name")
    comp.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="export model.so, meta.json and lowered.mlir into DIR "
        "(default: only fill the cache and print the entry's path)",
    )
    comp.add_argument(
        "--input-shape", action="append", type=_parse_shape, metavar="NAME=D0xD1x..."
    )
    comp.add_argument(
        "--pipeline-option",
        action="append",
        type=_parse_option,
        metavar="KEY=VALUE",
        help="option of --dnnf-cpu-pipeline, e.g. vectorize=0 (repeatable)",
    )
    comp.add_argument(
        "--profile",
        action="store_true",
        help="fusion=dnnf, with the profile cells of its plan decided by "
        "latencies measured on this machine: measures the candidates that "
        "the profiling database lacks and records them first",
    )
    comp.add_argument(
        "--profile-db",
        metavar="FILE",
        help="the profiling database (default: profile-db.json in the cache "
        "directory, which fusion=dnnf then reads by default)",
    )
    comp.set_defaults(func=_cmd_compile)

    bench = sub.add_parser(
        "bench",
        help="time a model in dnnf and in onnxruntime (and OpenVINO if installed)",
    )
    bench.add_argument("model", help="an .onnx file or a suite model name")
    bench.add_argument(
        "--compare",
        default="onnxruntime",
        metavar="ENGINES",
        help="comma-separated: onnxruntime, openvino, or none (default: onnxruntime)",
    )
    bench.add_argument("-n", type=int, default=50, help="timed runs (default 50)")
    bench.add_argument(
        "--warmup", type=int, default=5, help="untimed runs first (default 5)"
    )
    bench.add_argument(
        "--threads",
        type=int,
        help="threads of dnnf and of the comparison engines (default: all cores)",
    )
    bench.add_argument(
        "--input-shape", action="append", type=_parse_shape, metavar="NAME=D0xD1x..."
    )
    bench.add_argument("--seed", type=int, default=0, help="seed of random inputs")
    bench.add_argument(
        "--no-cache", action="store_true", help="compile in process (JIT), no cache"
    )
    bench.set_defaults(func=_cmd_bench)

    cache = sub.add_parser("cache", help="show (or --clear) the compiled-code cache")
    cache.add_argument(
        "--clear", action="store_true", help="delete every compiled model"
    )
    cache.set_defaults(func=_cmd_cache)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
