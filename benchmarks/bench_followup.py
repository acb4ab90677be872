"""Follow-up forecasts against plain ``dateutil.rrule``, measured in the same run.

One year of forecasts for 10,000 cases (``--quick``: 1,000): the six cadences of spec §5
(so half use working days only), anchors spread over 2026, the official calendar in
provisional mode so that 2027 is answered. The baseline generates the same cases'
nominal dates with ``dateutil.rrule`` (no working-day shift at all), so the ratio is
the price of the spec's rule over bare recurrence. No timed assertions: this prints.

Run: ``python benchmarks/bench_followup.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Literal

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule

from community_care.calendar import official_calendar
from community_care.followup import Cadence, CadenceUnit, cadence_for, forecast

CASES = 10_000
QUICK_CASES = 1_000
REPEATS = 3
LEVELS = [("elderly", lvl) for lvl in ("red", "yellow", "green")] + [
    ("child", lvl) for lvl in ("high", "medium", "low")
]
FREQ: dict[CadenceUnit, Literal[1, 2, 3]] = {
    CadenceUnit.DAY: DAILY,
    CadenceUnit.WEEK: WEEKLY,
    CadenceUnit.MONTH: MONTHLY,
}


def cases(n: int) -> list[tuple[Cadence, date, date]]:
    """Deterministic mixed cases: (cadence, anchor, until one year later)."""
    cadences = [cadence_for(k, lvl, on=date(2026, 1, 1)).cadence for k, lvl in LEVELS]
    out = []
    for i in range(n):
        anchor = date(2026, 1, 1) + timedelta(days=(i * 37) % 365)
        out.append((cadences[i % len(cadences)], anchor, anchor + timedelta(days=365)))
    return out


def best_of(fn: Callable[[], int]) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        size = fn()
        best = min(best, time.perf_counter() - start)
    return best, size


def run(quick: bool) -> list[dict[str, Any]]:
    """Time our forecasts and the rrule baseline on the same cases; one row per figure."""
    cal = official_calendar().with_provisional(2028)
    all_cases = cases(QUICK_CASES if quick else CASES)
    groups = {
        "forecast, mixed cadences": all_cases,
        "forecast, working days only": [c for c in all_cases if c[0].working_days_only],
        "forecast, calendar days": [c for c in all_cases if not c[0].working_days_only],
    }
    rows = []
    for figure, group in groups.items():

        def ours(group: list[tuple[Cadence, date, date]] = group) -> int:
            return sum(len(forecast(c, anchor=a, until=u, calendar=cal)) for c, a, u in group)

        def baseline(group: list[tuple[Cadence, date, date]] = group) -> int:
            total = 0
            for c, a, u in group:
                rule = rrule(
                    FREQ[c.unit],
                    interval=c.every,
                    dtstart=datetime(a.year, a.month, a.day),
                    until=datetime(u.year, u.month, u.day),
                )
                total += sum(1 for _ in rule) - 1  # dtstart (the anchor) is not a visit
            return total

        ours_s, size = best_of(ours)
        base_s, base_size = best_of(baseline)
        rows.append(
            {
                "figure": figure,
                "ours_s": ours_s,
                "baseline_s": base_s,
                "ratio": ours_s / base_s,
                "size": f"{len(group)} cases, {size} visits ({base_size} nominal by rrule)",
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="1,000 cases instead of 10,000")
    rows = run(parser.parse_args().quick)
    print(f"{'figure':30} {'ours s':>8} {'rrule s':>8} {'ratio':>6}  size")
    for r in rows:
        print(
            f"{r['figure']:30} {r['ours_s']:8.3f} {r['baseline_s']:8.3f} {r['ratio']:6.2f}  "
            f"{r['size']}"
        )


if __name__ == "__main__":
    main()
