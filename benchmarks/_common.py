"""What every benchmark shares: timing under one garbage-collector setting, rows, growth.

Times are wall-clock (``time.perf_counter``), the best of a few repeats. The batch
figures (assessment, loading) run each timed call with the garbage collector
disabled (``gc.collect()`` first, ``gc.disable()`` during the call, ``gc.enable()``
after), for our code and its baseline alike: that is how a batch job that builds
100,000 objects would run, and it keeps the collector's full passes over a growing
heap out of both figures.
"""

from __future__ import annotations

import gc
import math
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from community_care.identity import check_character

GC_NOTE = "gc disabled during each timed call, ours and baseline alike"
GROWTH = (1, 4, 16)


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


# --- synthetic older residents, shaped like the sample community's (samples._elderly) ---

ON = date(2026, 11, 30)  # samples.DEMO_DATE
_REGION = "440103"


def _pick(rng: random.Random, table: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def elderly_records(n: int, seed: int = 20261130) -> list[dict[str, Any]]:
    """``n`` distinct elderly records as plain JSON data (90% with name, ID number and phone).

    Every record is valid and aged 60+ on :data:`ON`, so every one is assessed.
    """
    rng = random.Random(seed)
    out = []
    for i in range(n):
        age = rng.randrange(*_pick(rng, [((60, 70), 50), ((70, 80), 30), ((80, 90), 16),
                                         ((90, 101), 4)]))  # fmt: skip
        born = ON - timedelta(days=age * 365 + age // 4 + rng.randrange(1, 360))
        old = age >= 75
        floors = rng.choice((3, 4, 5, 6, 7, 9, 12, 18))
        record: dict[str, Any] = {
            "id": f"e{i:07d}",
            "birth_date": born.isoformat(),
            "living_arrangement": _pick(
                rng,
                [("alone", 15), ("with_spouse_only", 25), ("with_family", 57), ("institution", 3)],
            ),
            "left_behind": rng.random() < 0.08,
            "ability_level": _pick(
                rng, [(None, 20), (0, 45), (1, 17 if old else 10), (2, 8), (3, 4), (4, 2)]
            ),
            "dementia": rng.random() < (0.08 if old else 0.02),
            "severe_disability": rng.random() < 0.04,
            "chronic_conditions": _pick(rng, [(0, 35), (1, 30), (2, 20), (3, 10), (4, 5)]),
            "falls_last_12_months": _pick(rng, [(0, 80), (1, 14), (2, 6)]),
            "special_family": rng.random() < 0.02,
            "economic_status": _pick(
                rng, [("none", 90), ("low_income", 8), ("extreme_poverty", 2)]
            ),
            "has_emergency_contact": rng.random() > 0.06,
            "home": {
                "smoke_alarm": rng.random() > 0.15,
                "safe_wiring": rng.random() > 0.05,
                "grab_bars": rng.random() > 0.3,
                "floor": rng.randrange(1, floors + 1),
                "elevator": floors > 7,
            },
            "grid": f"g{rng.randrange(1, 7)}",
        }
        if rng.random() < 0.9:
            first17 = f"{_REGION}{born:%Y%m%d}{rng.randrange(1000):03d}"
            record["name"] = "陈" + rng.choice(("秀英", "桂兰", "建明", "志强", "淑芬"))
            record["resident_id"] = first17 + check_character(first17)
            record["phone"] = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        out.append(record)
    return out
