"""``compile()`` and ``load()``: ONNX/dnnf -> native code, cached on disk.

``compile`` imports the model, runs ``--dnnf-cpu-pipeline{out-params=1}``,
generates native code with MLIR's ExecutionEngine (LLVM -O3, position
independent), dumps it as an object file, links it into ``model.so`` with the
system C compiler and stores it in the cache (see :mod:`dnnf.runtime.cache`).
A later ``compile`` of the same model, options, dnnf build, MLIR and CPU
loads the shared object without running MLIR at all.  Without a C compiler,
or with ``cache=False``, the code is generated in this process by the JIT
(all of it inside ``compile``: nothing is left to the first call).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from mlir import ir
from mlir.execution_engine import ExecutionEngine
from mlir.passmanager import PassManager
from onnx import ModelProto

import dnnf  # noqa: F401  (registers dialect and passes)

from . import cache as _cache
from .compiled import CompiledModel, TensorSpec, find_main, signature
from .native import (
    PACKED_MAIN,
    PARALLEL_FOR,
    LinkError,
    default_threads,
    find_c_compiler,
    link_shared,
    load_runtime,
    load_shared,
    tune_malloc,
)

#: LLVM optimisation level of the generated code.
OPT_LEVEL = 3
#: Elements/characters above which lowered.mlir elides weights.
_ELIDE = 16

Progress = Callable[[str], None]
ModelLike = str | os.PathLike | ModelProto | ir.Module


class LoadError(RuntimeError):
    """A compiled-model directory is missing, incomplete or unusable here."""


class _Steps:
    """Reports long steps (``import ...``, ``import: 1.23 s``) and times them."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str, detail: str = "") -> Iterator[None]:
        if self.progress:
            self.progress(f"{name}{' ' + detail if detail else ''} ...")
        start = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - start, 3)
        if self.progress:
            self.progress(f"{name}: {self.seconds[name]:.2f} s")


def default_options() -> dict[str, object]:
    """Pipeline options the runtime sets unless the caller does:
    ``threads`` = the cores this process may run on (matmul tiles and large
    loops run as tasks on dnnf's thread pool); ``threads=1`` generates
    sequential code."""
    return {"threads": default_threads()}


def pipeline_text(options: dict[str, object]) -> str:
    """``builtin.module(dnnf-cpu-pipeline{out-params=1 ...})`` for ``options``
    (Python names: ``vectorize=False`` -> ``vectorize=0``) over
    :func:`default_options`."""
    parts = ["out-params=1"]
    for key, value in sorted({**default_options(), **options}.items()):
        name = key.replace("_", "-")
        if name == "out-params":
            raise ValueError("out_params is not an option: the runtime needs it on")
        if isinstance(value, bool):
            value = int(value)
        parts.append(f"{name}={quote_option(str(value))}")
    text = f"builtin.module(dnnf-cpu-pipeline{{{' '.join(parts)}}})"
    with ir.Context():
        try:
            PassManager.parse(text)
        except (ValueError, ir.MLIRError) as e:
            raise ValueError(
                f"invalid pipeline option(s) {sorted(options)} for "
                f"dnnf-cpu-pipeline: {e}"
            ) from None
    return text


def quote_option(value: str) -> str:
    """``value`` as a pass-option value: quoted when it holds a separator
    (a path with spaces, say)."""
    if not any(c in value for c in " ,{}=\"'"):
        return value
    if '"' in value:
        raise ValueError(f"a pass option value cannot contain '\"': {value!r}")
    return f'"{value}"'


def _profile_db_option(
    options: dict[str, object], cache_dir: str | os.PathLike | None
) -> str | None:
    """With ``fusion="dnnf"``, the profiling database the plan reads: the
    ``profile_db`` option, else the cache's default database if it exists
    (which ``options`` then names); the digest of its contents for the cache
    key (``"absent"`` for a file that does not exist), else ``None``."""
    from .profile import db_digest, default_db_path

    if options.get("fusion") != "dnnf":
        return None
    if "profile_db" not in options:
        default = default_db_path(cache_dir)
        if not default.is_file():
            return None
        options["profile_db"] = str(default)
    return db_digest(Path(str(options["profile_db"])))


def _model_digest(
    model: ModelLike, text: str | None, cache_dir: str | os.PathLike | None
) -> str | None:
    """What identifies the model in the cache key; ``None``: not cacheable
    (a path that does not exist: the importer reports it)."""
    if text is not None:  # an ir.Module, printed once by compile()
        return "mlir:" + hashlib.sha256(text.encode()).hexdigest()
    if isinstance(model, ModelProto):
        return "onnx:" + hashlib.sha256(model.SerializeToString()).hexdigest()
    path = Path(model)
    if not path.is_file():
        return None
    return "onnx:" + _cache.onnx_file_digest(path, cache_dir)


def _write_meta(path: Path, meta: dict[str, object]) -> None:
    with open(path, "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
        f.write("\n")


def _source_name(model: ModelLike) -> str:
    if isinstance(model, ir.Module):
        return "<ir.Module>"
    if isinstance(model, ModelProto):
        return "<ModelProto>"
    return str(model)


def compile(  # noqa: A001
    model: ModelLike,
    target: str = "cpu",
    *,
    input_shapes: dict | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    progress: Progress | None = None,
    **pipeline_options: object,
) -> CompiledModel:
    """Compiles an ONNX file, ModelProto or dnnf module for ``target``.

    ``input_shapes`` fixes dynamic ONNX input dimensions.  With ``cache``
    (the default) the native code is a shared object in
    ``<cache_dir or $DNNF_CACHE_DIR or ~/.cache/dnnf>/compiled/<key>/``,
    reused by later compiles; ``cache=False`` generates code in this process
    (JIT) and writes nothing.  ``progress`` receives one line at the start
    and end of each long step.  Other keywords are options of
    ``--dnnf-cpu-pipeline`` (e.g. ``vectorize=False``; ``threads=1`` for
    sequential code, by default the code uses every core; with
    ``fusion="dnnf"``, ``profile_db=FILE`` names the profiling database
    whose measurements decide the plan's ◐ cells, by default
    ``<cache>/profile-db.json`` when it exists), or with
    ``target="vulkan"`` fields of ``dnnf.gpu.SpirvOptions`` (e.g.
    ``vulkan_version="1.1"``, ``workgroup_size=128``; the device's Int64 and
    Float64 capabilities are added).
    """
    if target == "vulkan":
        from dnnf.gpu import compile_vulkan
        from dnnf.gpu.model import device_options
        from dnnf.gpu.vulkan import default_device

        device = default_device()
        return compile_vulkan(  # type: ignore[return-value]
            model,
            input_shapes=input_shapes,
            options=device_options(device, **pipeline_options),
            device=device,
        )
    if target != "cpu":
        raise ValueError(f"unknown target '{target}'; available: cpu, vulkan")
    if isinstance(model, ir.Module) and input_shapes:
        raise ValueError("input_shapes applies to ONNX models, not to an ir.Module")
    pipeline_options = dict(pipeline_options)
    profile_db = _profile_db_option(pipeline_options, cache_dir)
    pipeline = pipeline_text(pipeline_options)
    tune_malloc()
    options: dict[str, object] = {"pipeline": pipeline, "opt_level": OPT_LEVEL}
    if profile_db is not None:
        # The plan depends on the database's contents, not only its path.
        options["profile_db"] = profile_db
    shapes = {str(k): [int(d) for d in v] for k, v in (input_shapes or {}).items()}
    compiler = find_c_compiler() if cache else None
    if cache and compiler is None:
        warnings.warn(
            "dnnf: no C compiler found ($CC, cc, gcc or clang): generating code "
            "in process with the JIT; nothing is cached",
            RuntimeWarning,
            stacklevel=2,
        )
    text = str(model) if isinstance(model, ir.Module) else None
    key = doc = None
    if compiler is not None:
        digest = _model_digest(model, text, cache_dir)
        if digest is not None:
            key, doc = _cache.make_key(digest, shapes, target, options)
            entry = _cache.entry_dir(key, cache_dir)
            if _cache.is_complete(entry):
                try:
                    loaded = load(entry)
                    if progress:
                        progress(f"cached: {entry}")
                    return loaded
                except LoadError as e:
                    warnings.warn(
                        f"dnnf: recompiling, the cache entry is unusable: {e}",
                        RuntimeWarning,
                        stacklevel=2,
                    )
                    shutil.rmtree(entry, ignore_errors=True)
    steps = _Steps(progress)
    if isinstance(model, ir.Module):
        context = model.context
        with context, steps("import", "(copy of the module)"):
            module = ir.Module.parse(text or str(model), context=context)
    else:
        from dnnf.frontend.onnx import import_model

        context = ir.Context()
        with context, ir.Location.unknown(), steps("import", _source_name(model)):
            module = import_model(model, input_shapes=shapes, context=context)
    with context, ir.Location.unknown():
        inputs, outputs = signature(module)
        find_main(module).attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()
        with steps("lowering", "(dnnf-cpu-pipeline)"):
            PassManager.parse(pipeline).run(module.operation)
        threaded = _calls_thread_pool(module)
        if threaded:
            load_runtime()
        if key is None or compiler is None:
            return _jit(module, context, inputs, outputs, steps)
        assert doc is not None
        staging = _cache.Staging(_cache.entry_dir(key, cache_dir))
        try:
            with steps("codegen", "(LLVM -O3)"):
                engine = ExecutionEngine(module, opt_level=OPT_LEVEL, enable_pic=True)
                obj = staging.path / "model.o"
                engine.dump_to_object_file(str(obj))
            with open(staging.path / _cache.LOWERED, "w") as f:
                module.operation.print(
                    file=f, large_elements_limit=_ELIDE, large_resource_limit=64
                )
            try:
                with steps("link", f"({compiler})"):
                    link_shared(
                        compiler,
                        obj,
                        staging.path / _cache.LIBRARY,
                        threaded=threaded,
                    )
            except LinkError as e:
                warnings.warn(
                    f"dnnf: {e}\nrunning the JIT-compiled code instead (not cached)",
                    RuntimeWarning,
                    stacklevel=2,
                )
                staging.discard()
                return _jit(module, context, inputs, outputs, steps, engine)
            obj.unlink()
            meta = {
                "format": _cache.FORMAT,
                "key": key,
                "inputs": [s.to_json() for s in inputs],
                "outputs": [s.to_json() for s in outputs],
                "options": options,
                "versions": doc["versions"],
                "cpu": doc["cpu"],
                "model": doc["model"],
                "input_shapes": shapes,
                "source": _source_name(model),
                "compiler": compiler,
                "threaded": threaded,
                "seconds": steps.seconds,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
            _write_meta(staging.path / _cache.META, meta)
            final = staging.commit()
        except BaseException:
            staging.discard()
            raise
    del engine, module
    if progress:
        progress(f"cached: {final}")
    return load(final)


def _calls_thread_pool(module: ir.Module) -> bool:
    """Whether the lowered module calls dnnf's thread pool (threaded code)."""
    return any(
        op.operation.name == "llvm.func"
        and ir.StringAttr(op.operation.attributes["sym_name"]).value == PARALLEL_FOR
        for op in module.body.operations
    )


def _jit(
    module: ir.Module,
    context: ir.Context,
    inputs: list[TensorSpec],
    outputs: list[TensorSpec],
    steps: _Steps,
    engine: ExecutionEngine | None = None,
) -> CompiledModel:
    with steps("codegen", "(LLVM -O3, JIT)"):
        if engine is None:
            # No shared libraries: the only runtime calls, into dnnf's thread
            # pool, resolve from the process, where compile() loaded it
            # (libmlir_c_runner_utils.so would bring a second MLIR in).
            engine = ExecutionEngine(module, opt_level=OPT_LEVEL)
        # The lookup materialises the code: nothing is left to the first call.
        address = engine.raw_lookup(PACKED_MAIN.removeprefix("_mlir_"))
    return CompiledModel(
        inputs, outputs, address, (engine, module, context), backend="jit"
    )


def _read_meta(path: Path) -> dict:
    meta_path = path / _cache.META
    if not meta_path.is_file():
        raise LoadError(
            f"{path}: no {_cache.META}; not a directory written by "
            "`dnnf compile -o` or CompiledModel.save"
        )
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError) as e:
        raise LoadError(f"{meta_path}: unreadable: {e}") from None
    if not isinstance(meta, dict):
        raise LoadError(f"{meta_path}: not a JSON object")
    if meta.get("format") != _cache.FORMAT:
        raise LoadError(
            f"{meta_path}: format {meta.get('format')!r}, but this dnnf reads "
            f"format {_cache.FORMAT}; compile the model again"
        )
    missing = [f for f in _cache.META_FIELDS if f not in meta]
    if missing:
        raise LoadError(f"{meta_path}: missing field(s) {', '.join(missing)}")
    return meta


def _check_cpu(path: Path, built_on: dict) -> None:
    here = _cache.cpu_info()
    if built_on.get("arch") != here["arch"]:
        raise LoadError(
            f"{path}: compiled for {built_on.get('arch')}, this machine is "
            f"{here['arch']}"
        )
    lacking = sorted(set(built_on.get("flags", [])) - set(here["flags"]))  # type: ignore[arg-type]
    if lacking:
        shown = ", ".join(lacking[:12]) + (" ..." if len(lacking) > 12 else "")
        raise LoadError(
            f"{path}: compiled on a CPU with features this one lacks ({shown}); "
            "recompile here, or load(..., check_cpu=False) at your own risk"
        )


def load(path: str | os.PathLike, *, check_cpu: bool = True) -> CompiledModel:
    """Loads a compiled model from a directory holding ``model.so`` and
    ``meta.json`` (``dnnf compile -o DIR``, :meth:`CompiledModel.save` or a
    cache entry).  ``check_cpu`` refuses code built for CPU features this
    machine lacks."""
    path = Path(path)
    if not path.is_dir():
        raise LoadError(f"{path}: no such directory")
    meta = _read_meta(path)
    library = path / _cache.LIBRARY
    if not library.is_file():
        raise LoadError(f"{path}: no {_cache.LIBRARY}")
    if check_cpu:
        _check_cpu(path, meta["cpu"])
    try:
        inputs = [TensorSpec.from_json(s) for s in meta["inputs"]]
        outputs = [TensorSpec.from_json(s) for s in meta["outputs"]]
    except (KeyError, TypeError, ValueError) as e:
        raise LoadError(f"{path / _cache.META}: bad tensor description: {e}") from None
    try:
        lib, address = load_shared(library, threaded=bool(meta.get("threaded", False)))
    except (OSError, RuntimeError) as e:
        raise LoadError(f"{library}: cannot load: {e}") from None
    return CompiledModel(
        inputs, outputs, address, lib, backend="aot", path=path, key=meta["key"]
    )


def save(model: CompiledModel, directory: str | os.PathLike) -> Path:
    """Copies an ahead-of-time compiled model (``model.so``, ``meta.json``,
    ``lowered.mlir``) into ``directory``, created if needed."""
    if model.backend != "aot" or model.path is None:
        raise ValueError(
            "only ahead-of-time compiled models can be saved; this one was "
            "compiled in process (JIT): compile with cache=True and a C compiler"
        )
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for name in (_cache.LIBRARY, _cache.META, _cache.LOWERED):
        src = model.path / name
        if src.is_file():
            tmp = out / f".{name}.tmp"
            shutil.copyfile(src, tmp)
            os.replace(tmp, out / name)
    return out
