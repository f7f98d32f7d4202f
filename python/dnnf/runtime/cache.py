"""The compiled-code cache: keys, entries on disk, atomic stores.

An entry is ``<cache>/compiled/<key>/`` (``<cache>`` is ``$DNNF_CACHE_DIR``
or ``~/.cache/dnnf``, or ``compile(cache_dir=...)``) holding ``model.so``
(the linked native code), ``meta.json`` (:data:`META_FIELDS`) and
``lowered.mlir`` (the LLVM-dialect module, weights elided).  ``<key>`` is the
SHA-256 of a JSON document with every input of code generation:

* the model: the SHA-256 of the ONNX bytes (plus external data files) and the
  input shapes, or of the dnnf module's text for an ``ir.Module``;
* the target and the compile options (pipeline options, LLVM opt level);
* dnnf: its version and a fingerprint of its build (the native extension,
  which holds every pass, and the package's Python sources), so a rebuilt
  pipeline never reuses stale code;
* the MLIR bindings' version;
* the CPU: model name and feature flags from ``/proc/cpuinfo``.

Entries are written into a temporary directory next to the final one and
renamed into place, so a reader sees a whole entry or none.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: Bumped whenever the entry layout or meta.json changes.
FORMAT = 1
META = "meta.json"
LIBRARY = "model.so"
LOWERED = "lowered.mlir"
META_FIELDS = ("format", "key", "inputs", "outputs", "options", "versions", "cpu")


def cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """``cache_dir``, else ``$DNNF_CACHE_DIR``, else ``~/.cache/dnnf``."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    return Path(os.environ.get("DNNF_CACHE_DIR") or "~/.cache/dnnf").expanduser()


def compiled_dir(cache_dir: str | os.PathLike | None = None) -> Path:
    """Where entries live: ``<cache>/compiled``."""
    return cache_root(cache_dir) / "compiled"


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


@functools.cache
def build_fingerprint() -> str:
    """SHA-256 of what makes dnnf's CPU code: the native extension (every
    pass) and the Python importer/runtime sources (once a process)."""
    import dnnf
    from dnnf._mlir_libs import _dnnf

    h = hashlib.sha256(dnnf.__version__.encode())
    h.update(_sha256_file(Path(_dnnf.__file__)).encode())
    package = Path(dnnf.__file__).parent
    sources = [package / f for f in ("__init__.py", "dtypes.py", "ir.py")]
    for sub in ("dialects", "frontend", "runtime"):
        sources += (package / sub).rglob("*.py")
    for source in sorted(s for s in sources if s.is_file()):
        h.update(str(source.relative_to(package)).encode())
        h.update(_sha256_file(source).encode())
    return h.hexdigest()


@functools.cache
def mlir_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xtc-mlir-python-bindings")
    except PackageNotFoundError:
        return "unknown"


@functools.cache
def cpu_info() -> dict[str, object]:
    """``{"arch", "model", "flags"}`` of this machine's first CPU."""
    info: dict[str, object] = {"arch": platform.machine(), "model": "", "flags": []}
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        info["model"] = platform.processor()
        return info
    for line in text.splitlines():
        if not line.strip():
            break  # the first processor only
        field, _, value = line.partition(":")
        field = field.strip()
        if field in ("model name", "Model", "CPU part") and not info["model"]:
            info["model"] = value.strip()
        elif field in ("flags", "Features"):
            info["flags"] = sorted(value.split())
    return info


def _external_data_files(path: Path) -> list[Path]:
    """Files an ONNX model keeps its external tensors in (usually none)."""
    import onnx

    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception:  # not ONNX: the importer reports it with context
        return []
    files = set()
    tensors = list(model.graph.initializer)
    for node in model.graph.node:
        tensors += [a.t for a in node.attribute if a.HasField("t")]
    for t in tensors:
        if t.data_location == onnx.TensorProto.EXTERNAL:
            for entry in t.external_data:
                if entry.key == "location":
                    files.add(path.parent / entry.value)
    return sorted(files)


def _stat_id(path: Path) -> list[object]:
    st = path.stat()
    return [str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino]


def onnx_file_digest(path: Path, cache_dir: str | os.PathLike | None) -> str:
    """SHA-256 of an ONNX file and its external data files.

    Hashing a 400 MB model takes seconds, so the digest is remembered in
    ``<cache>/compiled/digests/`` under the file's path, size, mtime and
    inode (and those of its external data files), as ``make`` would.
    """
    path = Path(path)
    memo_dir = compiled_dir(cache_dir) / "digests"
    memo = memo_dir / (hashlib.sha256(json.dumps(_stat_id(path)).encode()).hexdigest())
    try:
        saved = json.loads(memo.read_text())
        if all(_stat_id(Path(f[0])) == f for f in saved["external"]):
            return str(saved["digest"])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        pass
    external = _external_data_files(path)
    h = hashlib.sha256(_sha256_file(path).encode())
    for f in external:
        h.update(f.name.encode())
        h.update(_sha256_file(f).encode())
    digest = h.hexdigest()
    try:
        memo_dir.mkdir(parents=True, exist_ok=True)
        record = {"digest": digest, "external": [_stat_id(f) for f in external]}
        fd, tmp = tempfile.mkstemp(dir=memo_dir, prefix=".tmp-")
        with os.fdopen(fd, "w") as f:
            json.dump(record, f)
        os.replace(tmp, memo)
    except OSError:
        pass  # a read-only cache still works, just slower
    return digest


def make_key(
    model_digest: str,
    input_shapes: dict[str, list[int]],
    target: str,
    options: dict[str, object],
) -> tuple[str, dict[str, object]]:
    """The cache key and the document it hashes."""
    doc: dict[str, object] = {
        "format": FORMAT,
        "model": model_digest,
        "input_shapes": {k: list(map(int, v)) for k, v in input_shapes.items()},
        "target": target,
        "options": options,
        "versions": versions(),
        "cpu": cpu_info(),
    }
    text = json.dumps(doc, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32], doc


def versions() -> dict[str, str]:
    import dnnf

    return {
        "dnnf": dnnf.__version__,
        "dnnf_build": build_fingerprint(),
        "mlir": mlir_version(),
    }


def entry_dir(key: str, cache_dir: str | os.PathLike | None = None) -> Path:
    return compiled_dir(cache_dir) / key


def is_complete(entry: Path) -> bool:
    return (entry / META).is_file() and (entry / LIBRARY).is_file()


class Staging:
    """A temporary entry directory, renamed to its final name by :meth:`commit`."""

    def __init__(self, final: Path) -> None:
        self.final = final
        final.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(
            tempfile.mkdtemp(dir=final.parent, prefix=f".tmp-{final.name}-")
        )

    def commit(self) -> Path:
        """Moves the entry into place (replacing a broken one); if another
        process got there first with a complete entry, keeps theirs."""
        if self.final.exists() and not is_complete(self.final):
            shutil.rmtree(self.final, ignore_errors=True)
        try:
            os.rename(self.path, self.final)
        except OSError:
            if not is_complete(self.final):
                raise
            shutil.rmtree(self.path, ignore_errors=True)
        return self.final

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def entries(cache_dir: str | os.PathLike | None = None) -> Iterator[Path]:
    """The complete entries of the cache."""
    root = compiled_dir(cache_dir)
    if root.is_dir():
        for entry in sorted(root.iterdir()):
            if not entry.name.startswith(".") and is_complete(entry):
                yield entry


def clear(cache_dir: str | os.PathLike | None = None) -> int:
    """Deletes ``<cache>/compiled`` (compiled code only; models stay)."""
    root = compiled_dir(cache_dir)
    count = sum(1 for _ in entries(cache_dir))
    shutil.rmtree(root, ignore_errors=True)
    return count
