"""Hypothesis strategies for follow-up: cadences, calendars with closures, case histories,
programmes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from tests.strategies import days_in_2026, grids, ids

from community_care.calendar import OfficialCalendar, WeekendCalendar, official_calendar
from community_care.followup import Cadence, CadenceUnit, PlannedVisit, Programme

ELDERLY_LEVELS = ("red", "yellow", "green")
CHILD_LEVELS = ("high", "medium", "low")
LEVELS = {"elderly": ELDERLY_LEVELS, "child": CHILD_LEVELS}

# Built once: the provisional official calendar answers 2027-2031 as well.
PROVISIONAL: OfficialCalendar = official_calendar().with_provisional(2031)


@st.composite
def cadences(
    draw: st.DrawFn, working_days_only: bool | None = None, cover_every_month: bool = False
) -> Cadence:
    """Any valid cadence (every 1-12 units); ``working_days_only`` fixes that flag."""
    wdo = draw(st.booleans()) if working_days_only is None else working_days_only
    return Cadence(
        every=draw(st.integers(1, 12)),
        unit=draw(st.sampled_from(CadenceUnit)),
        working_days_only=wdo,
        max_shift_days=draw(st.integers(0, 7)),
        cover_every_month=cover_every_month,
    )


@st.composite
def monthly_or_shorter(draw: st.DrawFn, working_days_only: bool | None = None) -> Cadence:
    """A cadence that covers every month, of an interval of one month or less."""
    wdo = draw(st.booleans()) if working_days_only is None else working_days_only
    unit = draw(st.sampled_from(CadenceUnit))
    top = {CadenceUnit.DAY: 28, CadenceUnit.WEEK: 4, CadenceUnit.MONTH: 1}[unit]
    return Cadence(
        every=draw(st.integers(1, top)),
        unit=unit,
        working_days_only=wdo,
        max_shift_days=draw(st.integers(0, 7)),
        cover_every_month=True,
    )


def days(start: date, length: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(length)]


@st.composite
def closures(
    draw: st.DrawFn, start: date = date(2026, 1, 1), span_days: int = 500, max_run: int = 20
) -> list[tuple[date, int]]:
    """Runs of closed days (first day, length), some longer than any max_shift_days."""
    runs = draw(
        st.lists(
            st.tuples(st.integers(0, span_days), st.integers(1, max_run)), min_size=0, max_size=8
        )
    )
    return [(start + timedelta(days=offset), length) for offset, length in runs]


@st.composite
def closure_calendars(draw: st.DrawFn, max_run: int = 20) -> WeekendCalendar:
    """Weekends off plus random closures (a locality's own days off)."""
    runs = draw(closures(max_run=max_run))
    return WeekendCalendar().with_closures(d for first, n in runs for d in days(first, n))


calendars = st.one_of(st.just(PROVISIONAL), closure_calendars())

# A case's life after opening: visits after a gap, re-assessments to a level (an index
# into the kind's levels, most urgent first) after a gap.
operations = st.lists(
    st.one_of(
        st.tuples(st.just("visit"), st.integers(0, 40)),
        st.tuples(st.just("retier"), st.integers(0, 40), st.integers(0, 2)),
    ),
    max_size=8,
)

planned_visits = st.builds(
    lambda on, shift, provisional: PlannedVisit(
        on=on, nominal=on - timedelta(days=shift), provisional=provisional
    ),
    days_in_2026,
    st.integers(0, 3),
    st.booleans(),
)

RULES = (
    "FREQ=MONTHLY;INTERVAL=3;BYDAY=1SA",
    "FREQ=WEEKLY;BYDAY=MO",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
    "FREQ=MONTHLY;BYMONTHDAY=-1",
    "FREQ=DAILY;COUNT=5",
    "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1;UNTIL=20301231",
)

programmes = st.builds(
    Programme,
    id=ids,
    name=st.text(min_size=1, max_size=60).filter(lambda s: s.strip() != ""),
    rrule=st.sampled_from(RULES),
    start=days_in_2026,
    grid=st.none() | grids,
    organizer=st.none() | st.sampled_from(["volunteer", "community_committee"]),
)


@st.composite
def rrule_texts(draw: st.DrawFn) -> str:
    """RRULE values that mix BY parts freely: many are rare, some have no occurrence at all."""
    parts = [f"FREQ={draw(st.sampled_from(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']))}"]
    weekdays = st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
    optional = {
        "INTERVAL": st.sampled_from([1, 2, 3, 4, 5, 7, 8, 12, 14, 21]).map(str),
        "BYMONTH": st.lists(st.integers(1, 12), min_size=1, max_size=2).map(_joined),
        "BYMONTHDAY": st.lists(
            st.sampled_from([1, 15, 28, 29, 30, 31, -1, -29, -30, -31]), min_size=1, max_size=2
        ).map(_joined),
        "BYDAY": st.lists(
            st.tuples(st.sampled_from(["", "1", "2", "-1", "5", "-5"]), weekdays).map("".join),
            min_size=1,
            max_size=2,
        ).map(",".join),
        "BYYEARDAY": st.sampled_from([1, 60, 365, 366, -1, -366]).map(str),
        "BYWEEKNO": st.sampled_from([1, 2, 52, 53, -1, -53]).map(str),
        "BYSETPOS": st.sampled_from([1, 2, -1, -2, 3, 8]).map(str),
    }
    for name, values in optional.items():
        if draw(st.booleans()):
            parts.append(f"{name}={draw(values)}")
    return ";".join(parts)


def _joined(values: list[int]) -> str:
    return ",".join(map(str, values))


def programme_document(**changes: Any) -> dict[str, Any]:
    """A valid programme document, with some fields changed."""
    doc: dict[str, Any] = {
        "id": "drill",
        "name": "应急演练",
        "rrule": "FREQ=MONTHLY;INTERVAL=3;BYDAY=1SA",
        "start": "2026-01-01",
        "grid": None,
        "organizer": "community_committee",
    }
    doc.update(changes)
    return doc
