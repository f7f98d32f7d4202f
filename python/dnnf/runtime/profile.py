"""DNNFusion's profiling database: measured latencies of the ◐ cells.

The fusion table leaves some producer/consumer pairs to measurement (◐): a
block B and a candidate op X fuse when B+X as one kernel runs no slower
than B and X as two.  ``dnnf-fuse{profile-db=...}`` reads the answers from
a JSON file (format in ``dnnf/Analysis/ProfileDatabase.h``) and falls back
to its static rule, with a remark, where an entry is missing; it never
measures, so ``dnnf-opt`` stays deterministic.

:func:`profile` fills the database for one model on this machine: it runs
the plan with ``profile-requests`` (``dnnf-fuse`` writes each missing
candidate as two small modules, fused and unfused), compiles and times both,
records them, and plans again, since a measured decision can change which
candidates the greedy plan meets next, until nothing is missing.
Candidates shared by models or repeated in one (every ResNet block's) are
measured once.  ``dnnf compile --profile`` runs it; ``compile(fusion="dnnf")``
then uses the default database (``<cache>/profile-db.json``).
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from mlir import ir
from mlir.passmanager import PassManager

from . import cache as _cache

FORMAT = "dnnf-profile-db"
VERSION = 1
#: dnnf-fuse's default profile-tolerance: a measured cell fuses unless the
#: fused kernel is slower than the unfused pair by more than this fraction.
TOLERANCE = 0.03
#: Name of the default database in the cache directory.
DEFAULT_NAME = "profile-db.json"

Progress = Callable[[str], None]


class ProfileDBError(RuntimeError):
    """A profiling database file that cannot be read or is malformed."""


def default_db_path(cache_dir: str | os.PathLike | None = None) -> Path:
    """``<cache_dir or $DNNF_CACHE_DIR or ~/.cache/dnnf>/profile-db.json``."""
    return _cache.cache_root(cache_dir) / DEFAULT_NAME


#: Fields every entry has, and their types.
_FIELDS: dict[str, type | tuple[type, ...]] = {
    "cpu": str,
    "key": str,
    "threads": int,
    "fused_us": (int, float),
    "unfused_us": (int, float),
}


class ProfileDB:
    """The entries of one database file, keyed by (cpu, threads, key)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.entries: dict[tuple[str, int, str], dict] = {}
        if self.path.exists():
            self._read()

    def _read(self) -> None:
        try:
            doc = json.loads(self.path.read_text())
        except (OSError, ValueError) as e:
            raise ProfileDBError(f"profiling database '{self.path}': {e}") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ProfileDBError(
                f"profiling database '{self.path}': field 'format' is not '{FORMAT}'"
            )
        if doc.get("version") != VERSION:
            raise ProfileDBError(
                f"profiling database '{self.path}': unsupported version "
                f"{doc.get('version')!r} (this dnnf reads version {VERSION})"
            )
        entries = doc.get("entries")
        if not isinstance(entries, list):
            raise ProfileDBError(
                f"profiling database '{self.path}': field 'entries' is not a list"
            )
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or not all(
                isinstance(entry.get(f), t) for f, t in _FIELDS.items()
            ):
                raise ProfileDBError(
                    f"profiling database '{self.path}': entry {i} needs 'cpu', "
                    "'key' (strings), 'threads' (integer), 'fused_us' and "
                    "'unfused_us' (numbers)"
                )
            self.entries[(entry["cpu"], entry["threads"], entry["key"])] = entry

    def get(self, cpu: str, threads: int, key: str) -> dict | None:
        return self.entries.get((cpu, threads, key))

    def add(self, entry: dict) -> None:
        self.entries[(entry["cpu"], entry["threads"], entry["key"])] = entry

    def save(self) -> None:
        """Writes the file atomically (a reader never sees half of it)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "entries": sorted(
                self.entries.values(),
                key=lambda e: (e["cpu"], e["threads"], e["key"]),
            ),
        }
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".profile-db-")
        with os.fdopen(fd, "w") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write("\n")
        os.replace(tmp, self.path)


@dataclass
class ProfileReport:
    """What :func:`profile` did: the database, the candidates it measured,
    the planning rounds, and how the final plan decided its ◐ cells
    (``by_database``: from measurements, of which ``fused`` fuse;
    ``by_rule``: the static rule, for candidates that cannot be measured)."""

    db: Path
    measured: int
    rounds: int
    by_database: int
    fused: int
    by_rule: int


def _random_inputs(specs: list, rng: np.random.Generator) -> list[np.ndarray]:
    out = []
    for s in specs:
        if np.issubdtype(s.dtype, np.floating):
            out.append(rng.standard_normal(s.shape).astype(s.dtype))
        else:  # indices and masks: zeros are valid everywhere
            out.append(np.zeros(s.shape, s.dtype))
    return out


def time_pair(
    fused: Callable[[], object],
    unfused: Callable[[], object],
    *,
    rounds: int = 7,
    min_batch_s: float = 0.005,
) -> tuple[float, float, int]:
    """Median microseconds per call of ``fused`` and ``unfused``, timed in
    alternating batches (so that both see the same machine state); also the
    calls per batch."""
    for _ in range(3):
        fused()
        unfused()
    start = time.perf_counter()
    fused()
    unfused()
    once = max(time.perf_counter() - start, 1e-7)
    batch = max(1, int(2 * min_batch_s / once))
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for fn, out in ((fused, samples[0]), (unfused, samples[1])):
            start = time.perf_counter()
            for _ in range(batch):
                fn()
            out.append((time.perf_counter() - start) / batch * 1e6)
    return statistics.median(samples[0]), statistics.median(samples[1]), batch


def measure(
    request: Path, threads: int, rng: np.random.Generator
) -> tuple[float, float, int]:
    """Compiles the fused and unfused modules of one ``profile-requests``
    entry (``fusion=none``: each dnnf.fused is one kernel) and times them on
    the same random inputs."""
    from .compiled import signature
    from .compiler import compile

    meta = json.loads(request.read_text())
    models = []
    for which in ("fused", "unfused"):
        context = ir.Context()
        with context:
            module = ir.Module.parse((request.parent / meta[which]).read_bytes())
            models.append(compile(module, cache=False, fusion="none", threads=threads))
            if which == "fused":
                inputs = _random_inputs(signature(module)[0], rng)
    fused, unfused = models
    return time_pair(lambda: fused(*inputs), lambda: unfused(*inputs))


def fuse_pass(*, db: Path | None, threads: int, requests: Path | None) -> str:
    """The ``dnnf-fuse`` of ``--dnnf-cpu-pipeline{fusion=dnnf}`` (mode dnnf,
    anchor-epilogues) with the profiling options."""
    from .compiler import quote_option

    parts = [
        "mode=dnnf",
        "anchor-epilogues=1",
        "emit-remarks=1",
        f"profile-threads={threads}",
    ]
    if db is not None:
        parts.append(f"profile-db={quote_option(str(db))}")
    if requests is not None:
        parts.append(f"profile-requests={quote_option(str(requests))}")
    return f"builtin.module(dnnf-fuse{{{' '.join(parts)}}})"


def db_digest(path: Path) -> str:
    """SHA-256 of the database file's contents; ``"absent"`` if none."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "absent"


def profile(
    module: ir.Module,
    *,
    db_path: str | os.PathLike | None = None,
    threads: int,
    progress: Progress | None = None,
    max_rounds: int = 8,
    seed: int = 0,
) -> ProfileReport:
    """Measures every ◐ candidate that the fusion plan of ``module`` (a dnnf
    module, left unchanged) meets and ``db_path`` (default: the cache's
    database) lacks, for code with ``threads`` threads; saves after each.
    A candidate that fails to compile is reported and left to the static
    rule."""
    path = Path(db_path) if db_path is not None else default_db_path()
    db = ProfileDB(path)
    rng = np.random.default_rng(seed)
    measured = rounds = 0
    seen: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="dnnf-profile-") as tmp:
        for rounds in range(1, max_rounds + 1):
            requests_dir = Path(tmp) / f"round{rounds}"
            remarks = [
                r
                for r in plan_remarks(module, path, threads, requests_dir)
                if r.startswith("profile cell")
            ]
            requests = sorted(requests_dir.glob("*.json"))
            todo = [r for r in requests if r.stem not in seen]
            if not todo:
                break
            for i, request in enumerate(todo, 1):
                meta = json.loads(request.read_text())
                seen.add(meta["key"])
                if progress:
                    progress(
                        f"profile round {rounds}, {i}/{len(todo)}: "
                        f"{meta['ops']} ({meta['cell']}) ..."
                    )
                try:
                    fused_us, unfused_us, batch = measure(request, threads, rng)
                except (ir.MLIRError, ValueError, RuntimeError) as e:
                    # The static rule keeps deciding this cell.
                    if progress:
                        progress(f"profile: cannot measure {meta['key']}: {e}")
                    continue
                db.add(
                    {
                        "cpu": meta["cpu"],
                        "threads": meta["threads"],
                        "key": meta["key"],
                        "ops": meta["ops"],
                        "cell": meta["cell"],
                        "fused_us": round(fused_us, 3),
                        "unfused_us": round(unfused_us, 3),
                        "calls": batch,
                        "measured": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    }
                )
                db.save()
                measured += 1
                if progress:
                    fuses = fused_us <= unfused_us * (1 + TOLERANCE)
                    verdict = "fuse" if fuses else "stop"
                    progress(
                        f"profile: fused {fused_us:.1f} us, unfused "
                        f"{unfused_us:.1f} us -> {verdict}"
                    )
    by_database = [r for r in remarks if "the profiling database:" in r]
    return ProfileReport(
        db=path,
        measured=measured,
        rounds=rounds,
        by_database=len(by_database),
        fused=sum("database: fuse" in r for r in by_database),
        by_rule=len(remarks) - len(by_database),
    )


def plan_remarks(
    module: ir.Module, db: Path, threads: int, requests: Path | None = None
) -> list[str]:
    """Runs the fusion=dnnf plan (:func:`fuse_pass`) on a copy of ``module``
    and returns its remarks: one per ◐ decision (``profile cell ...``,
    naming its source) and one per block formed (``fused N ops ...``)."""
    remarks: list[str] = []

    def handler(diagnostic: ir.Diagnostic) -> bool:
        if diagnostic.severity != ir.DiagnosticSeverity.REMARK:
            return False  # errors and warnings propagate
        remarks.append(diagnostic.message)
        return True

    plan = module.operation.clone()
    context = module.context
    handle = context.attach_diagnostic_handler(handler)
    try:
        with context:
            PassManager.parse(
                fuse_pass(
                    db=db if db.exists() else None,
                    threads=threads,
                    requests=requests,
                )
            ).run(plan)
    finally:
        handle.detach()
        plan.erase()
    return remarks
