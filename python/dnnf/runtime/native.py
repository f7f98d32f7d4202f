"""Native code: memref descriptors, packed entry points, linking, loading.

The CPU pipeline marks ``@main`` with ``llvm.emit_c_interface``, so LLVM code
generation (``ExecutionEngine``) emits three symbols: ``main`` (memrefs
exploded into scalars), ``_mlir_ciface_main`` (one pointer to a memref
descriptor per argument) and the packed wrapper ``_mlir__mlir_ciface_main``,
which takes a single ``void **``: element ``i`` points at argument ``i`` of
``_mlir_ciface_main``, i.e. at a *pointer* to a descriptor.  That is how
``ExecutionEngine.invoke`` calls it, and how :class:`PackedCall` calls it
whether the code lives in the JIT or in a shared object on disk.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

#: The packed wrapper of ``@main`` (``_mlir_`` + ``_mlir_ciface_main``).
PACKED_MAIN = "_mlir__mlir_ciface_main"

_PACKED = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_DESCRIPTOR_TYPES: dict[int, type[ctypes.Structure]] = {}


class LinkError(RuntimeError):
    """The system C compiler could not link the generated object."""


def descriptor_type(rank: int) -> type[ctypes.Structure]:
    """The C layout of a ranked memref descriptor (``StridedMemRefType``)."""
    if rank not in _DESCRIPTOR_TYPES:
        fields: list[tuple[str, type]] = [
            ("allocated", ctypes.c_void_p),
            ("aligned", ctypes.c_void_p),
            ("offset", ctypes.c_int64),
        ]
        if rank:
            fields += [
                ("shape", ctypes.c_int64 * rank),
                ("strides", ctypes.c_int64 * rank),
            ]
        _DESCRIPTOR_TYPES[rank] = type(
            f"MemRefDescriptor{rank}D", (ctypes.Structure,), {"_fields_": fields}
        )
    return _DESCRIPTOR_TYPES[rank]


def _contiguous_strides(shape: Sequence[int]) -> list[int]:
    strides, step = [], 1
    for d in reversed(shape):
        strides.append(step)
        step *= max(int(d), 1)
    return strides[::-1]


class PackedCall:
    """Calls a packed ``@main`` with numpy buffers, without per-call allocation.

    One descriptor per argument is built once (shapes and strides are static
    and every buffer is C-contiguous); a call only stores the inputs' data
    pointers into their descriptors.  Output buffers are fixed at
    construction and written in place.
    """

    def __init__(
        self,
        address: int,
        input_shapes: Sequence[Sequence[int]],
        outputs: Sequence[np.ndarray],
        keepalive: object,
    ) -> None:
        if not address:
            raise RuntimeError(f"the compiled code has no symbol {PACKED_MAIN}")
        self._func = _PACKED(address)
        self._keepalive = keepalive  # the JIT engine or the loaded library
        self._outputs = list(outputs)
        shapes = [tuple(s) for s in input_shapes] + [o.shape for o in outputs]
        self._descs = []
        for shape in shapes:
            desc = descriptor_type(len(shape))()
            desc.offset = 0
            if shape:
                desc.shape[:] = list(shape)
                desc.strides[:] = _contiguous_strides(shape)
            self._descs.append(desc)
        for desc, out in zip(self._descs[len(input_shapes) :], outputs, strict=True):
            if not out.flags.c_contiguous:
                raise ValueError("output buffers must be C-contiguous")
            desc.allocated = desc.aligned = out.ctypes.data
        self._in_descs = self._descs[: len(input_shapes)]
        # packed[i] -> pointer[i] -> descriptor[i]
        self._pointers = [ctypes.pointer(d) for d in self._descs]
        self._packed = (ctypes.c_void_p * len(self._descs))(
            *[ctypes.addressof(p) for p in self._pointers]
        )

    def __call__(self, inputs: Sequence[np.ndarray]) -> None:
        """Runs the code on C-contiguous ``inputs`` of the declared shapes."""
        for desc, array in zip(self._in_descs, inputs, strict=True):
            desc.allocated = desc.aligned = array.ctypes.data
        self._func(self._packed)


def find_c_compiler() -> str | None:
    """``$CC`` if set, else the first of ``cc``, ``gcc``, ``clang`` on PATH."""
    for name in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if name:
            path = shutil.which(name)
            if path:
                return path
    return None


def default_threads() -> int:
    """All cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


#: The thread pool's entry point, called by threaded code.
PARALLEL_FOR = "dnnf_parallel_for"
_RUNTIME_LOADED: ctypes.CDLL | None = None


def load_runtime() -> Path:
    """Loads ``libdnnf_runtime.so`` (the thread pool of code compiled with
    ``threads`` > 1) once per process, with ``RTLD_GLOBAL`` so that
    JIT-compiled code resolves ``dnnf_parallel_for`` from the process and
    shared objects linked against it find it loaded; returns its path."""
    global _RUNTIME_LOADED
    from dnnf._native import runtime_path

    path = runtime_path()
    if _RUNTIME_LOADED is None:
        _RUNTIME_LOADED = ctypes.CDLL(str(path), mode=ctypes.RTLD_GLOBAL)
    return path


def link_shared(compiler: str, obj: Path, out: Path, *, threaded: bool = False) -> None:
    """Links ``obj`` into the shared object ``out`` (``-z defs``: no
    undefined symbol may remain beyond libc, libm and, for threaded code,
    ``libdnnf_runtime.so``, found through an rpath to its directory)."""
    cmd = [compiler, "-shared", "-Wl,-z,defs", "-o", str(out), str(obj), "-lm"]
    if threaded:
        lib = load_runtime().parent
        cmd += [f"-L{lib}", "-ldnnf_runtime", f"-Wl,-rpath,{lib}"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise LinkError(
            f"linking the generated code failed ({' '.join(cmd)}):\n{r.stderr.strip()}"
        )


#: realpath -> identity of the file dlopen()ed from it in this process.
_LOADED: dict[str, tuple[int, ...]] = {}


_MALLOC_TUNED = False


def tune_malloc() -> None:
    """Keeps freed intermediate buffers in glibc's heap instead of returning
    them to the OS: without it every call maps, page-faults and unmaps its
    large buffers again (measured: half of MobileNetV2's time).  Sets glibc's
    mmap threshold to its 32 MB maximum and the trim threshold to 1 GB, once
    per process; a no-op where glibc's ``mallopt`` is missing."""
    global _MALLOC_TUNED
    if _MALLOC_TUNED:
        return
    _MALLOC_TUNED = True
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    mallopt(m_mmap_threshold, 32 << 20)
    mallopt(m_trim_threshold, 1 << 30)


def load_shared(path: Path, *, threaded: bool = False) -> tuple[ctypes.CDLL, int]:
    """Loads a compiled model's shared object; returns it and ``@main``'s
    packed entry point.

    ``dlopen`` hands back the library already loaded from the same path even
    if the file was replaced since (a model saved again into the same
    directory), so a replaced file is loaded through a private copy.
    ``threaded``: the code calls dnnf's thread pool, loaded first.
    """
    tune_malloc()
    if threaded:
        load_runtime()
    real = os.path.realpath(path)
    st = os.stat(real)
    identity = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    if _LOADED.setdefault(real, identity) == identity:
        lib = ctypes.CDLL(real)
    else:
        fd, copy = tempfile.mkstemp(prefix="dnnf-", suffix=".so")
        try:
            with os.fdopen(fd, "wb") as f, open(real, "rb") as src:
                shutil.copyfileobj(src, f)
            lib = ctypes.CDLL(copy)
        finally:
            os.unlink(copy)  # the mapping outlives the name
    try:
        symbol = getattr(lib, PACKED_MAIN)
    except AttributeError:
        raise RuntimeError(
            f"{path} is not a dnnf compiled model: no symbol {PACKED_MAIN}"
        ) from None
    address = ctypes.cast(symbol, ctypes.c_void_p).value
    assert address is not None
    return lib, address
