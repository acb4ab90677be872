"""What every benchmark shares: timing under one garbage-collector setting, rows, growth.

Times are wall-clock (``time.perf_counter``), the best of a few repeats. The batch
figures (assessment, loading) run each timed call with the garbage collector
disabled (``gc.collect()`` first, ``gc.disable()`` during the call, ``gc.enable()``
after), for our code and its baseline alike: that is how a batch job that builds
100,000 objects would run, and it keeps the collector's full passes over a growing
heap out of both figures.

Every figure that has a baseline also checks that ours and the baseline gave the same
answer on the same work (:func:`agree`): a disagreement raises :class:`DisagreementError`,
and ``python -m benchmarks`` then exits with status 1. The checks are plain ``raise``
statements, not ``assert``, so that ``python -O`` does not skip them.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from typing import Any

from community_care import samples
from community_care.samples import DEMO_DATE

GC_NOTE = "gc disabled during each timed call, ours and baseline alike"
GROWTH = (1, 4, 16)


class DisagreementError(AssertionError):
    """Ours and a baseline gave different answers on the same work: the figure is void."""


def agree(figure: str, ours: Any, baseline: Any) -> None:
    """Raise :class:`DisagreementError` unless ``ours == baseline`` (the answers, not the times).

    Args:
        figure: what was compared, for the message.
        ours: our answer, in a form comparable with the baseline's.
        baseline: the baseline's answer on the same work.

    Raises:
        DisagreementError: the two answers differ; the message shows the first difference.
    """
    if ours == baseline:
        return
    where = ""
    if isinstance(ours, list | tuple) and isinstance(baseline, list | tuple):
        if len(ours) != len(baseline):
            where = f"; {len(ours)} items vs {len(baseline)}"
        else:
            k = next(k for k, (a, b) in enumerate(zip(ours, baseline, strict=True)) if a != b)
            ours, baseline, where = ours[k], baseline[k], f" at item {k}"
    raise DisagreementError(
        f"{figure}: ours and the baseline disagree{where}:"
        f" ours {_short(ours)}, baseline {_short(baseline)}"
    )


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def best_of(repeats: int, fn: Callable[[], Any], *, gc_off: bool = True) -> tuple[float, Any]:
    """The best wall time of ``repeats`` calls, and the last result."""
    best = math.inf
    result = None
    for _ in range(repeats):
        result = None  # drop the previous result before timing the next call
        gc.collect()
        if gc_off:
            gc.disable()
        try:
            start = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best, result


def row(
    figure: str,
    ours: float | None,
    baseline: float | None,
    size: str,
    *,
    ratio: float | str | None = None,
    ours_text: str | None = None,
    baseline_text: str | None = None,
) -> dict[str, Any]:
    """One line of the table; ``ratio`` defaults to ours / baseline (above 1: ours is slower)."""
    if ratio is None and ours is not None and baseline:
        ratio = ours / baseline
    return {
        "figure": figure,
        "ours": ours,
        "baseline": baseline,
        "ratio": ratio,
        "size": size,
        "ours_text": ours_text,
        "baseline_text": baseline_text,
    }


def exponent(t1: float, t16: float, factor: int = GROWTH[-1]) -> float:
    """The growth exponent ``log(t16 / t1) / log(16)``: 1 is linear, 2 quadratic."""
    return math.log(t16 / t1) / math.log(factor)


def growth_row(
    figure: str,
    sizes: list[int],
    unit: str,
    ours: list[float],
    baseline: list[float] | None = None,
) -> dict[str, Any]:
    """A growth line: the times at x1, x4, x16 and the exponent (the baseline's too, if any)."""
    ratio = f"n^{exponent(ours[0], ours[-1]):.2f}"
    if baseline:
        ratio += f" (baseline n^{exponent(baseline[0], baseline[-1]):.2f})"
    return row(
        f"growth: {figure}",
        None,
        None,
        f"{sizes[0]:,} / {sizes[1]:,} / {sizes[2]:,} {unit}",
        ratio=ratio,
        ours_text=" / ".join(f"{t:.3g}" for t in ours),
        baseline_text=" / ".join(f"{t:.3g}" for t in baseline) if baseline else "-",
    )


# --- synthetic older residents, shaped like the sample community's ---

ON = DEMO_DATE


def elderly_records(n: int, seed: int = 20261130) -> list[dict[str, Any]]:
    """``n`` distinct elderly records as plain JSON data (90% with name, ID number and phone).

    Every record is valid and aged 60+ on :data:`ON`, so every one is assessed.
    """
    return samples.elderly_records(n, seed=seed, on=ON)
