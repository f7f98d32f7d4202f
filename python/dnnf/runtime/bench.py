"""Timing dnnf against other engines in one process (``dnnf bench``).

Every engine gets the same inputs, ``warmup`` untimed calls, then ``n``
timed calls (``time.perf_counter`` around each call, outputs included);
statistics are in milliseconds.  onnxruntime runs with
``intra_op_num_threads = threads``; OpenVINO (only if importable) with
``INFERENCE_NUM_THREADS = threads``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .compiled import TensorSpec
from .native import default_threads  # noqa: F401  (bench's default too)

ENGINES = ("onnxruntime", "openvino")


@dataclass(frozen=True)
class Timing:
    """Per-call wall times of one engine, in seconds."""

    engine: str
    seconds: tuple[float, ...]

    def _ms(self, q: float) -> float:
        return float(np.percentile(np.asarray(self.seconds) * 1e3, q))

    @property
    def min_ms(self) -> float:
        return min(self.seconds) * 1e3

    @property
    def median_ms(self) -> float:
        return self._ms(50)

    @property
    def p90_ms(self) -> float:
        return self._ms(90)


def time_calls(
    fn: Callable[[], object],
    n: int,
    warmup: int,
    budget_s: float | None = None,
) -> tuple[float, ...]:
    """``warmup`` untimed calls, then up to ``n`` timed ones; with
    ``budget_s``, stops early (after at least one timed call) once the
    budget is spent, so the caller can report how many runs it got."""
    start = time.perf_counter()
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        if budget_s is not None and time.perf_counter() - start > budget_s:
            break
    return tuple(times)


def random_inputs(specs: Sequence[TensorSpec], seed: int = 0) -> dict[str, np.ndarray]:
    """Seeded inputs: floats uniform in [0, 1), booleans fair coins, integers
    (token ids, masks) 0 or 1."""
    rng = np.random.default_rng(seed)
    feeds: dict[str, np.ndarray] = {}
    for spec in specs:
        if spec.dtype.kind == "f" or spec.dtype.name == "bfloat16":
            feeds[spec.name] = rng.random(spec.shape, dtype=np.float32).astype(
                spec.dtype
            )
        elif spec.dtype.kind == "b":
            feeds[spec.name] = rng.random(spec.shape) < 0.5
        else:
            feeds[spec.name] = rng.integers(0, 2, spec.shape).astype(spec.dtype)
    return feeds


def onnxruntime_runner(
    model: str | bytes, feeds: dict[str, np.ndarray], threads: int
) -> Callable[[], object]:
    """A no-argument callable running ``model`` once in onnxruntime (CPU)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    return lambda: session.run(None, feeds)


def openvino_runner(
    model: str, feeds: dict[str, np.ndarray], threads: int
) -> Callable[[], object]:
    """A no-argument callable running ``model`` once in OpenVINO (CPU);
    ``ImportError`` when OpenVINO is not installed."""
    import openvino as ov

    core = ov.Core()
    compiled = core.compile_model(model, "CPU", {"INFERENCE_NUM_THREADS": threads})
    request = compiled.create_infer_request()
    return lambda: request.infer(feeds)


def comparison_runner(
    engine: str, model: str | bytes, feeds: dict[str, np.ndarray], threads: int
) -> Callable[[], object]:
    if engine == "onnxruntime":
        return onnxruntime_runner(model, feeds, threads)
    if engine == "openvino":
        if not isinstance(model, str):
            raise ValueError("openvino needs the model as a file")
        return openvino_runner(model, feeds, threads)
    raise ValueError(f"unknown engine '{engine}'; available: {', '.join(ENGINES)}")


def format_table(timings: Sequence[Timing]) -> list[str]:
    """A markdown table: engine, runs, min / median / p90 ms."""
    lines = [
        "| engine | runs | min ms | median ms | p90 ms |",
        "|---|---|---|---|---|",
    ]
    for t in timings:
        lines.append(
            f"| {t.engine} | {len(t.seconds)} | {t.min_ms:.3f} | "
            f"{t.median_ms:.3f} | {t.p90_ms:.3f} |"
        )
    return lines
