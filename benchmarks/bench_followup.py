"""Follow-up forecasts against ``dateutil`` plus the spec's shift written plainly, in one run.

One year of forecasts for 10,000 cases (``--quick``: 1,000): the six cadences of spec §5
(so half use working days only), anchors spread over 2026, the official calendar in
provisional mode so that 2027 is answered.

The baseline computes the same dates as a developer would with ``dateutil``: the
nominal dates by ``rrule`` for days and weeks, and by ``relativedelta`` counted from
the anchor for months, then the spec §5 working-day shift written as a plain loop over
the same calendar's ``is_working_day`` (:func:`baseline_forecast`). Months are not
left to ``rrule``: RFC 5545 skips a month that lacks the anchor's day (from January 31
its monthly rule goes to March 31), while spec §5 counts ``anchor + k months``, which
falls on the month's last day (February 28). The cadences that cover every calendar
month (elderly red and yellow) are then capped at the end of the month after the
previous visit's, as §5 says. Every case's dates must be the same on
both sides: ``python -m benchmarks`` fails if they are not. No timed
assertions.

Run: ``python benchmarks/bench_followup.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, WEEKLY, rrule

from benchmarks._common import agree
from community_care.calendar import WorkCalendar, official_calendar
from community_care.followup import Cadence, CadenceUnit, cadence_for, forecast

CASES = 10_000
QUICK_CASES = 1_000
REPEATS = 3
LEVELS = [("elderly", lvl) for lvl in ("red", "yellow", "green")] + [
    ("child", lvl) for lvl in ("high", "medium", "low")
]
FREQ: dict[CadenceUnit, Literal[2, 3]] = {CadenceUnit.DAY: DAILY, CadenceUnit.WEEK: WEEKLY}


def cases(n: int) -> list[tuple[Cadence, date, date]]:
    """Deterministic mixed cases: (cadence, anchor, until one year later)."""
    cadences = [cadence_for(k, lvl, on=date(2026, 1, 1)).cadence for k, lvl in LEVELS]
    out = []
    for i in range(n):
        anchor = date(2026, 1, 1) + timedelta(days=(i * 37) % 365)
        out.append((cadences[i % len(cadences)], anchor, anchor + timedelta(days=365)))
    return out


def nominal_dates(cadence: Cadence, anchor: date, until: date) -> list[date]:
    """``anchor + k x interval`` for k = 1, 2, ... up to ``until``, by ``dateutil``."""
    if cadence.unit is CadenceUnit.MONTH:
        out = []
        k = 1
        while (d := anchor + relativedelta(months=k * cadence.every)) <= until:
            out.append(d)
            k += 1
        return out
    rule = rrule(
        FREQ[cadence.unit],
        interval=cadence.every,
        dtstart=datetime(anchor.year, anchor.month, anchor.day),
        until=datetime(until.year, until.month, until.day),
    )
    return [t.date() for t in rule][1:]  # dtstart (the anchor) is not a visit


def baseline_forecast(
    cadence: Cadence, anchor: date, until: date, calendar: WorkCalendar
) -> list[date]:
    """Spec §5's visits written plainly: dateutil's nominal dates, the shift, the cap."""
    one_day = timedelta(days=1)
    visits: list[date] = []
    previous = anchor
    for d in nominal_dates(cadence, anchor, until):
        on = d
        if cadence.working_days_only:
            after = d
            while not calendar.is_working_day(after):
                after += one_day
            if (after - d).days <= cadence.max_shift_days:
                on = after
            else:
                before = d
                while not calendar.is_working_day(before):
                    before -= one_day
                on = before if before > previous else after
        if cadence.cover_every_month:
            # The last day (or working day) of the month after the previous visit's month.
            month_end = previous.replace(day=1) + relativedelta(months=2) - one_day
            if cadence.working_days_only:
                while not calendar.is_working_day(month_end) and month_end > previous:
                    month_end -= one_day
            if on > month_end > previous:
                on = month_end
        if on != previous:  # two nominal dates moved to one day: one visit
            visits.append(on)
            previous = on
    return visits


def check(
    figure: str,
    ours: list[tuple[date, ...]],
    group: list[tuple[Cadence, date, date]],
    calendar: WorkCalendar,
) -> None:
    """Raise ``DisagreementError`` unless ``ours`` are the baseline's dates for every case."""
    agree(
        figure, [list(d) for d in ours], [baseline_forecast(c, a, u, calendar) for c, a, u in group]
    )


def best_of(fn: Callable[[], list[Any]]) -> tuple[float, list[Any]]:
    best: float = float("inf")
    result: list[Any] = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def run(quick: bool) -> list[dict[str, Any]]:
    """Time our forecasts and the baseline on the same cases; one row per figure."""
    cal = official_calendar().with_provisional(2028)
    all_cases = cases(QUICK_CASES if quick else CASES)
    groups = {
        "forecast, mixed cadences": all_cases,
        "forecast, working days only": [c for c in all_cases if c[0].working_days_only],
        "forecast, calendar days": [c for c in all_cases if not c[0].working_days_only],
    }
    rows = []
    for figure, group in groups.items():

        def ours(group: list[tuple[Cadence, date, date]] = group) -> list[tuple[date, ...]]:
            return [forecast(c, anchor=a, until=u, calendar=cal) for c, a, u in group]

        def baseline(group: list[tuple[Cadence, date, date]] = group) -> list[list[date]]:
            return [baseline_forecast(c, a, u, cal) for c, a, u in group]

        ours_s, got = best_of(ours)
        base_s, expected = best_of(baseline)
        agree(f"follow-up: {figure}", [list(d) for d in got], expected)
        visits = sum(len(d) for d in got)
        rows.append(
            {
                "figure": figure,
                "ours_s": ours_s,
                "baseline_s": base_s,
                "ratio": ours_s / base_s,
                "size": f"{len(group)} cases, {visits} visits (the same dates on both sides)",
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="1,000 cases instead of 10,000")
    rows = run(parser.parse_args().quick)
    print(f"{'figure':30} {'ours s':>8} {'base s':>8} {'ratio':>6}  size")
    for r in rows:
        print(
            f"{r['figure']:30} {r['ours_s']:8.3f} {r['baseline_s']:8.3f} {r['ratio']:6.2f}  "
            f"{r['size']}"
        )


if __name__ == "__main__":
    main()
