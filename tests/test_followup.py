from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import icalendar
import pytest
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.strategies import days_in_2026, ids
from tests.strategies.followup import (
    LEVELS,
    PROVISIONAL,
    cadences,
    calendars,
    closure_calendars,
    days,
    operations,
    planned_visits,
    programme_document,
    programmes,
    rrule_texts,
)

from community_care._kernel.fields import describe
from community_care.calendar import (
    WorkCalendar,
    first_working_day_on_or_after,
    last_working_day_on_or_before,
    official_calendar,
)
from community_care.errors import CalendarRangeError, InvalidArgumentError, InvalidInputError
from community_care.followup import (
    Cadence,
    CadenceUnit,
    CaseKind,
    DueVisit,
    FollowUp,
    FollowUpAction,
    FollowUpEvent,
    FollowUpStatus,
    PlannedVisit,
    Programme,
    Visit,
    _programmes,
    cadence_for,
    forecast,
    forecast_visits,
    next_due,
    occurrences,
    open_followup,
    overdue,
    record_visit,
    retier,
    status,
    to_ical,
    visits_due,
)
from community_care.policy import default_policy
from community_care.serialization import json_schema, structure, unstructure
from community_care.vocab import PartyKind

D = date
OFFICIAL = official_calendar()
MONTHLY_WD = Cadence(every=1, unit=CadenceUnit.MONTH, working_days_only=True)
WEEKLY = Cadence(every=1, unit=CadenceUnit.WEEK)


def paths(err: pytest.ExceptionInfo[InvalidInputError]) -> list[str]:
    return [p.path for p in err.value.problems]


def argument(err: pytest.ExceptionInfo[InvalidArgumentError]) -> str:
    """The ``function(argument=...)`` an argument error names."""
    return str(err.value).split(": ", 1)[0]


# --- an independent transcription of spec §5, for comparison ---------------------------


def nominal(cadence: Cadence, anchor: date, k: int) -> date:
    if cadence.unit is CadenceUnit.MONTH:
        result: date = anchor + relativedelta(months=k * cadence.every)
        return result
    per = 7 if cadence.unit is CadenceUnit.WEEK else 1
    return anchor + timedelta(days=k * cadence.every * per)


def reference_forecast(
    cadence: Cadence, anchor: date, until: date, cal: WorkCalendar
) -> list[date]:
    visits: list[date] = []
    k = 1
    while (d := nominal(cadence, anchor, k)) <= until:
        k += 1
        if not cadence.working_days_only:
            visits.append(d)
            continue
        previous = visits[-1] if visits else anchor
        f = first_working_day_on_or_after(cal, d)
        if (f - d).days <= cadence.max_shift_days:
            v = f
        else:
            p = last_working_day_on_or_before(cal, d)
            v = p if p > previous else f
        if visits and v == visits[-1]:
            continue
        visits.append(v)
    return visits


def interval_days(cadence: Cadence) -> int:
    """The longest gap between two consecutive nominal dates."""
    per = {"day": 1, "week": 7, "month": 31}[cadence.unit.value]
    return cadence.every * per


def off_runs_longer_than(cal: WorkCalendar, start: date, end: date, length: int) -> bool:
    """Whether a run of more than ``length`` consecutive days off lies strictly inside."""
    run = 0
    for d in days(start + timedelta(days=1), (end - start).days - 1):
        run = 0 if cal.is_working_day(d) else run + 1
        if run > length:
            return True
    return False


# --- forecast: spot checks --------------------------------------------------------------


def test_spring_festival_2026_moves_back_to_the_makeup_saturday() -> None:
    # By hand: the holiday is 2026-02-15..23 and Saturday 02-14 is a make-up working
    # day. Nominal 02-16 is off; f = 02-24 is 8 days later (> 3), so p = 02-14 (after
    # the anchor 01-16) is taken. Nominal 03-16 is a Monday, a working day.
    assert not any(OFFICIAL.is_working_day(d) for d in days(D(2026, 2, 15), 9))
    assert OFFICIAL.is_working_day(D(2026, 2, 14))
    assert first_working_day_on_or_after(OFFICIAL, D(2026, 2, 16)) == D(2026, 2, 24)
    assert last_working_day_on_or_before(OFFICIAL, D(2026, 2, 16)) == D(2026, 2, 14)
    got = forecast(MONTHLY_WD, anchor=D(2026, 1, 16), until=D(2026, 3, 31))
    assert got == (D(2026, 2, 14), D(2026, 3, 16))


def test_spring_festival_with_a_long_enough_shift_moves_forward() -> None:
    cadence = attrs.evolve(MONTHLY_WD, max_shift_days=8)
    assert forecast(cadence, anchor=D(2026, 1, 16), until=D(2026, 2, 28)) == (D(2026, 2, 24),)


def test_makeup_saturday_2026_02_14_is_a_visit_day() -> None:
    weekly = Cadence(every=1, unit=CadenceUnit.WEEK, working_days_only=True)
    # 2026-02-07 is a plain Saturday (off) but the anchor is never checked.
    assert forecast(weekly, anchor=D(2026, 2, 7), until=D(2026, 2, 14)) == (D(2026, 2, 14),)


def test_when_p_is_not_after_the_previous_visit_f_is_taken_and_repeats_dropped() -> None:
    daily = Cadence(every=1, unit=CadenceUnit.DAY, working_days_only=True)
    got = forecast(daily, anchor=D(2026, 2, 13), until=D(2026, 2, 26))
    # 02-15..02-23 all fall back to 02-14 (not after the previous visit 02-14) and go
    # forward to 02-24; the repeats of 02-24 are dropped.
    assert got == (D(2026, 2, 14), D(2026, 2, 24), D(2026, 2, 25), D(2026, 2, 26))


def test_national_day_moves_back_to_the_last_working_day() -> None:
    weekly = Cadence(every=1, unit=CadenceUnit.WEEK, working_days_only=True)
    # Nominal 10-01 is off until 10-08 (7 days > 3): 09-30 is taken.
    assert forecast(weekly, anchor=D(2026, 9, 24), until=D(2026, 10, 1)) == (D(2026, 9, 30),)


def test_month_end_anchor_is_not_chained() -> None:
    monthly = Cadence(every=1, unit=CadenceUnit.MONTH)
    got = forecast(monthly, anchor=D(2026, 1, 31), until=D(2026, 5, 31))
    assert got == (D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31))
    leap = forecast(monthly, anchor=D(2028, 1, 31), until=D(2028, 3, 31))
    assert leap == (D(2028, 2, 29), D(2028, 3, 31))


def test_weekly_without_working_days_keeps_holidays() -> None:
    got = forecast(WEEKLY, anchor=D(2026, 2, 9), until=D(2026, 3, 2))
    assert got == (D(2026, 2, 16), D(2026, 2, 23), D(2026, 3, 2))
    # The calendar is never consulted, so 2027 needs no calendar data.
    assert forecast(WEEKLY, anchor=D(2026, 12, 28), until=D(2027, 1, 11)) == (
        D(2027, 1, 4),
        D(2027, 1, 11),
    )


def test_2027_with_the_default_calendar_raises() -> None:
    with pytest.raises(CalendarRangeError, match="with_provisional"):
        forecast(MONTHLY_WD, anchor=D(2026, 12, 10), until=D(2027, 2, 10))
    with pytest.raises(CalendarRangeError):
        forecast_visits(MONTHLY_WD, anchor=D(2026, 12, 10), until=D(2027, 2, 10))


def test_2027_in_provisional_mode_is_flagged() -> None:
    visits = forecast_visits(
        MONTHLY_WD, anchor=D(2026, 11, 10), until=D(2027, 2, 10), calendar=PROVISIONAL
    )
    assert [(v.on, v.nominal, v.provisional) for v in visits] == [
        (D(2026, 12, 10), D(2026, 12, 10), False),
        (D(2027, 1, 11), D(2027, 1, 10), True),  # Sunday 01-10, provisional Monday
        (D(2027, 2, 10), D(2027, 2, 10), True),
    ]
    assert [v.on for v in visits] == list(
        forecast(MONTHLY_WD, anchor=D(2026, 11, 10), until=D(2027, 2, 10), calendar=PROVISIONAL)
    )


def test_a_visit_decided_by_provisional_days_is_flagged() -> None:
    cal = official_calendar().with_provisional(2027)
    # Nominal Thursday 2026-12-31 is closed; the search forward runs through 2027-01-01
    # (a provisional holiday) and the weekend: f = 2027-01-04 (4 > 3 days), so p =
    # 2026-12-30 is taken. The choice rested on provisional data.
    closed = cal.with_closures([D(2026, 12, 31)])
    weekly = Cadence(every=1, unit=CadenceUnit.WEEK, working_days_only=True)
    (visit,) = forecast_visits(
        weekly, anchor=D(2026, 12, 24), until=D(2026, 12, 31), calendar=closed
    )
    assert (visit.on, visit.provisional) == (D(2026, 12, 30), True)
    assert not closed.is_provisional(visit.on)


def test_without_working_days_nothing_is_provisional() -> None:
    visits = forecast_visits(
        WEEKLY, anchor=D(2027, 1, 1), until=D(2027, 2, 1), calendar=PROVISIONAL
    )
    assert visits and not any(v.provisional for v in visits)


class _CoversFrom:
    """Weekends off, covering only dates from ``first`` on (raises before)."""

    def __init__(self, first: date) -> None:
        self.first = first

    def covers(self, d: date) -> bool:
        return d >= self.first

    def is_provisional(self, d: date) -> bool:
        return False

    def is_working_day(self, d: date) -> bool:
        if d < self.first:
            raise CalendarRangeError(f"{d} not covered")
        return d.weekday() < 5


def test_p_is_looked_up_only_when_f_is_not_taken() -> None:
    daily = Cadence(every=1, unit=CadenceUnit.DAY, working_days_only=True)
    cal = _CoversFrom(D(2026, 3, 7))
    # Nominal Saturday 03-07: f = Monday 03-09 is 2 days later, taken; looking up p
    # (Friday 03-06) would raise.
    assert forecast(daily, anchor=D(2026, 3, 6), until=D(2026, 3, 7), calendar=cal) == (
        D(2026, 3, 9),
    )
    tight = attrs.evolve(daily, max_shift_days=1)
    with pytest.raises(CalendarRangeError):
        forecast(tight, anchor=D(2026, 3, 6), until=D(2026, 3, 7), calendar=cal)


def test_a_visit_shifted_past_until_is_kept() -> None:
    weekly = Cadence(every=1, unit=CadenceUnit.WEEK, working_days_only=True)
    # Nominal Saturday 03-14 is within until; it moves to Monday 03-16.
    assert forecast(weekly, anchor=D(2026, 3, 7), until=D(2026, 3, 14)) == (D(2026, 3, 16),)


@pytest.mark.parametrize("until", [D(2026, 3, 1), D(2026, 3, 2), D(2026, 3, 8)])
def test_until_on_or_before_the_first_nominal_date(until: date) -> None:
    got = forecast(WEEKLY, anchor=D(2026, 3, 2), until=until)
    assert got == ((D(2026, 3, 9),) if until >= D(2026, 3, 9) else ())


def test_forecast_near_the_end_of_representable_dates() -> None:
    monthly = Cadence(every=1, unit=CadenceUnit.MONTH)
    assert forecast(monthly, anchor=D(9999, 11, 30), until=date.max) == (D(9999, 12, 30),)
    assert forecast(WEEKLY, anchor=D(9999, 12, 20), until=date.max) == (D(9999, 12, 27),)


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"cadence": "monthly"}, "forecast(cadence=...)"),
        ({"anchor": datetime(2026, 1, 1)}, "forecast(anchor=...)"),
        ({"until": "2026-03-01"}, "forecast(until=...)"),
        ({"calendar": object()}, "forecast(calendar=...)"),
    ],
)
def test_forecast_rejects_bad_types(kwargs: dict[str, object], path: str) -> None:
    args: dict[str, object] = {
        "cadence": MONTHLY_WD,
        "anchor": D(2026, 1, 1),
        "until": D(2026, 3, 1),
        "calendar": None,
    }
    args.update(kwargs)
    with pytest.raises(InvalidArgumentError) as err:
        forecast(**args)  # type: ignore[arg-type]  # wrong types on purpose
    assert argument(err) == path


# --- forecast: properties ---------------------------------------------------------------


@given(cadences(), days_in_2026, st.integers(0, 400), calendars)
@example(MONTHLY_WD, D(2026, 1, 16), 60, OFFICIAL)
@example(Cadence(every=1, unit=CadenceUnit.MONTH), D(2026, 1, 31), 120, OFFICIAL)
def test_forecast_matches_the_spec_transcription(
    cadence: Cadence, anchor: date, horizon: int, cal: WorkCalendar
) -> None:
    until = anchor + timedelta(days=horizon)
    got = forecast(cadence, anchor=anchor, until=until, calendar=cal)
    assert list(got) == reference_forecast(cadence, anchor, until, cal)


@given(cadences(working_days_only=True), days_in_2026, calendars)
def test_working_day_forecasts_never_land_on_a_day_off(
    cadence: Cadence, anchor: date, cal: WorkCalendar
) -> None:
    got = forecast(cadence, anchor=anchor, until=anchor + timedelta(days=365), calendar=cal)
    assert all(cal.is_working_day(d) for d in got)


@given(cadences(working_days_only=False), days_in_2026)
def test_calendar_free_forecasts_are_the_nominal_dates(cadence: Cadence, anchor: date) -> None:
    until = anchor + timedelta(days=365)
    got = forecast(cadence, anchor=anchor, until=until)
    expected: list[date] = []
    while (d := nominal(cadence, anchor, len(expected) + 1)) <= until:
        expected.append(d)
    assert list(got) == expected


@given(cadences(), days_in_2026, calendars)
def test_forecasts_increase_strictly_after_the_anchor(
    cadence: Cadence, anchor: date, cal: WorkCalendar
) -> None:
    got = forecast(cadence, anchor=anchor, until=anchor + timedelta(days=365), calendar=cal)
    assert all(a < b for a, b in zip((anchor, *got), got, strict=False))


@given(cadences(working_days_only=True), days_in_2026, closure_calendars(max_run=20))
def test_gaps_exceed_interval_plus_twice_the_shift_only_across_a_long_closure(
    cadence: Cadence, anchor: date, cal: WorkCalendar
) -> None:
    # The condition: two consecutive visits (the anchor counts as the first) are more
    # than interval + 2 × max_shift_days apart only if a run of more than
    # max_shift_days consecutive days off lies strictly between them.
    got = forecast(cadence, anchor=anchor, until=anchor + timedelta(days=365), calendar=cal)
    bound = interval_days(cadence) + 2 * cadence.max_shift_days
    for a, b in zip((anchor, *got), got, strict=False):
        if (b - a).days > bound:
            assert off_runs_longer_than(cal, a, b, cadence.max_shift_days)


@given(cadences(working_days_only=True), days_in_2026, closure_calendars(max_run=3))
def test_short_closures_keep_every_gap_within_the_bound(
    cadence: Cadence, anchor: date, cal: WorkCalendar
) -> None:
    # When no run of days off is longer than max_shift_days, every visit moves forward
    # by at most max_shift_days, so no gap exceeds interval + 2 × max_shift_days.
    window = days(anchor, 400)
    longest = run = 0
    for d in window:
        run = 0 if cal.is_working_day(d) else run + 1
        longest = max(longest, run)
    cadence = attrs.evolve(cadence, max_shift_days=max(cadence.max_shift_days, longest))
    got = forecast(cadence, anchor=anchor, until=anchor + timedelta(days=365), calendar=cal)
    assert all((v - nominal(cadence, anchor, 1)).days >= 0 for v in got[:1])
    bound = interval_days(cadence) + 2 * cadence.max_shift_days
    assert all((b - a).days <= bound for a, b in zip((anchor, *got), got, strict=False))


@given(cadences(), days_in_2026, st.integers(0, 200), calendars)
def test_no_visit_is_past_until_by_more_than_the_shift_unless_forced(
    cadence: Cadence, anchor: date, horizon: int, cal: WorkCalendar
) -> None:
    until = anchor + timedelta(days=horizon)
    got = forecast(cadence, anchor=anchor, until=until, calendar=cal)
    late = [d for d in got if d > until]
    assert len(late) <= 1  # only the last nominal date can be shifted past until
    for d in late:
        if (d - until).days > cadence.max_shift_days:
            # Forced forward: every day from until to the visit is off.
            assert not any(
                cal.is_working_day(x) for x in days(until + timedelta(1), (d - until).days - 1)
            )


# --- cadence by case --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "level", "every", "unit", "wdo", "first", "grace", "cover"),
    [
        ("elderly", "red", 1, "week", False, 1, 1, True),
        ("elderly", "yellow", 1, "month", True, 5, 5, True),
        ("elderly", "green", 3, "month", True, 10, 10, False),
        ("child", "high", 1, "week", False, 1, 1, False),
        ("child", "medium", 2, "week", True, 5, 3, False),
        ("child", "low", 1, "month", True, 5, 5, False),
    ],
)
def test_cadence_table_of_the_spec(
    kind: str, level: str, every: int, unit: str, wdo: bool, first: int, grace: int, cover: bool
) -> None:
    terms = cadence_for(kind, level, on=D(2026, 1, 1))
    assert terms.cadence == Cadence(
        every=every, unit=CadenceUnit(unit), working_days_only=wdo, cover_every_month=cover
    )
    assert (terms.first_visit_days, terms.grace_days) == (first, grace)
    assert terms.kind is CaseKind(kind)


def test_cadence_follows_policy_amendments() -> None:
    policy = default_policy().amend(
        D(2027, 1, 1), {"followup.elderly.red.grace_days": 2}, version="local-2027"
    )
    assert cadence_for("elderly", "red", on=D(2026, 12, 31), policy=policy).grace_days == 1
    assert cadence_for("elderly", "red", on=D(2027, 1, 1), policy=policy).grace_days == 2


def test_cadence_accepts_string_enum_levels() -> None:
    import enum

    class Tier(enum.StrEnum):
        RED = "red"

    assert cadence_for(CaseKind.ELDERLY, Tier.RED, on=D(2026, 1, 1)).level == "red"


@pytest.mark.parametrize(
    ("kind", "level", "on", "policy", "path"),
    [
        ("senior", "red", D(2026, 1, 1), None, "$.kind"),
        ("elderly", "high", D(2026, 1, 1), None, "$.level"),
        ("child", 2, D(2026, 1, 1), None, "$.level"),
    ],
)
def test_cadence_for_rejects_bad_arguments(
    kind: object, level: object, on: object, policy: object, path: str
) -> None:
    # The kind and the level are values of a case (data, at their paths).
    with pytest.raises(InvalidInputError) as err:
        cadence_for(kind, level, on=on, policy=policy)  # type: ignore[arg-type]  # on purpose
    assert paths(err) == [path]


@pytest.mark.parametrize(
    ("on", "policy", "name"),
    [("2026-01-01", None, "on"), (D(2026, 1, 1), {"version": "x"}, "policy")],
)
def test_cadence_for_refuses_a_misused_argument(on: object, policy: object, name: str) -> None:
    # The date and the policy are arguments of the call: misuse.
    with pytest.raises(InvalidArgumentError) as err:
        cadence_for("child", "low", on=on, policy=policy)  # type: ignore[arg-type]  # on purpose
    assert argument(err) == f"cadence_for({name}=...)"


# --- rolling follow-up ------------------------------------------------------------------


def test_open_followup_first_visit_is_in_calendar_days() -> None:
    # Opened on the eve of the Spring Festival: the first visit is not shifted.
    fu = open_followup("e1", "elderly", "yellow", on=D(2026, 2, 13))
    assert fu.next_due == D(2026, 2, 18)
    assert (fu.grace_days, fu.visits, fu.level, fu.kind) == (5, (), "yellow", CaseKind.ELDERLY)
    assert [e.action for e in fu.history] == [FollowUpAction.OPENED]
    assert next_due(fu) == fu.next_due
    assert not fu.next_due_provisional


@pytest.mark.parametrize("case_id", ["", 7, None])
def test_open_followup_needs_a_case_id(case_id: object) -> None:
    with pytest.raises(InvalidInputError) as err:
        open_followup(case_id, "elderly", "red", on=D(2026, 1, 1))  # type: ignore[arg-type]
    assert paths(err) == ["$.case_id"]


def test_record_visit_sets_the_adjusted_next_due() -> None:
    fu = open_followup("e1", "elderly", "yellow", on=D(2026, 1, 10))
    fu = record_visit(fu, D(2026, 1, 16), "w01", "家中安全")
    assert fu.next_due == D(2026, 2, 14)  # the Spring Festival example
    assert fu.visits == (Visit(on=D(2026, 1, 16), by="w01", note="家中安全"),)
    fu = record_visit(fu, D(2026, 2, 14), "w02")
    assert fu.next_due == D(2026, 3, 16)  # anchored on the actual visit
    assert [e.action.value for e in fu.history] == ["opened", "visited", "visited"]


def test_record_visit_uses_red_weekly_calendar_days() -> None:
    fu = open_followup("e2", "elderly", "red", on=D(2026, 2, 8))
    fu = record_visit(fu, D(2026, 2, 9), "w01")
    assert fu.next_due == D(2026, 2, 16)  # Spring Festival day: holiday visits matter


def test_record_visit_in_provisional_years() -> None:
    fu = open_followup("e3", "child", "low", on=D(2026, 12, 1))
    with pytest.raises(CalendarRangeError):
        record_visit(fu, D(2026, 12, 10), "w01")
    fu = record_visit(fu, D(2026, 12, 10), "w01", calendar=PROVISIONAL)
    assert fu.next_due == D(2027, 1, 11)
    assert fu.next_due_provisional
    # An attempt (not met) leaves the due date as it was, provisional flag and all.
    tried = record_visit(fu, D(2026, 12, 20), "w01", met=False, calendar=PROVISIONAL)
    assert (tried.next_due, tried.next_due_provisional) == (D(2027, 1, 11), True)
    assert tried.history[-1].provisional is True


def test_visits_in_the_past_of_the_last_visit_are_rejected() -> None:
    fu = open_followup("e1", "elderly", "red", on=D(2026, 3, 2))
    with pytest.raises(InvalidInputError) as err:
        record_visit(fu, D(2026, 3, 1), "w01")
    assert paths(err) == ["$.on"]
    fu = record_visit(fu, D(2026, 3, 5), "w01")
    fu = record_visit(fu, D(2026, 3, 5), "w02")  # a second visit the same day is kept
    assert len(fu.visits) == 2
    with pytest.raises(InvalidInputError, match="before the last visit") as err:
        record_visit(fu, D(2026, 3, 4), "w01")
    assert paths(err) == ["$.on"]


@pytest.mark.parametrize(
    ("args", "path"),
    [
        (("not a followup", D(2026, 3, 3), "w"), "record_visit(followup=...)"),
        ((None, "2026-03-03", "w"), "record_visit(on=...)"),
        ((None, D(2026, 3, 3), ""), "$.by"),
        ((None, D(2026, 3, 3), "w", 5), "$.note"),
    ],
)
def test_record_visit_rejects_bad_arguments(args: tuple[object, ...], path: str) -> None:
    # The record and the date are arguments (misuse); who visited and the note are
    # the visit's data, reported at their paths.
    fu = open_followup("e1", "elderly", "red", on=D(2026, 3, 2))
    call = (args[0] if args[0] is not None else fu, *args[1:])
    if path.startswith("$"):
        with pytest.raises(InvalidInputError) as err:
            record_visit(*call)  # type: ignore[arg-type]  # wrong types on purpose
        assert paths(err) == [path]
    else:
        with pytest.raises(InvalidArgumentError) as bad:
            record_visit(*call)  # type: ignore[arg-type]  # wrong types on purpose
        assert argument(bad) == path


def test_status_boundaries() -> None:
    fu = open_followup("e1", "elderly", "yellow", on=D(2026, 3, 1))  # due 03-06, grace 5
    expected = {
        D(2026, 3, 2): FollowUpStatus.ON_TRACK,  # 4 days ahead
        D(2026, 3, 3): FollowUpStatus.DUE_SOON,  # 3 days ahead
        D(2026, 3, 6): FollowUpStatus.DUE_SOON,  # the due day
        D(2026, 3, 7): FollowUpStatus.OVERDUE,
        D(2026, 3, 11): FollowUpStatus.OVERDUE,  # due + grace
        D(2026, 3, 12): FollowUpStatus.ESCALATED,
    }
    assert {d: status(fu, d) for d in expected} == expected


def test_retier_up_brings_the_due_date_forward() -> None:
    fu = open_followup("e1", "elderly", "green", on=D(2026, 3, 2))  # due 03-12, grace 10
    up = retier(fu, "red", D(2026, 3, 4))
    assert (up.level, up.next_due, up.grace_days) == ("red", D(2026, 3, 5), 1)
    event = up.history[-1]
    assert (event.action, event.previous_level, event.level) == (
        FollowUpAction.RETIERED,
        "green",
        "red",
    )
    # The current due date stands when it is already sooner.
    soon = retier(fu, "yellow", D(2026, 3, 10))
    assert (soon.next_due, soon.grace_days) == (D(2026, 3, 12), 5)


def test_retier_down_keeps_the_due_date_then_the_new_cadence_applies() -> None:
    fu = open_followup("e1", "elderly", "red", on=D(2026, 3, 2))
    fu = record_visit(fu, D(2026, 3, 3), "w01")  # due 03-10
    down = retier(fu, "green", D(2026, 3, 4))
    assert (down.next_due, down.grace_days, down.level) == (D(2026, 3, 10), 1, "green")
    after = record_visit(down, D(2026, 3, 10), "w01")
    assert (after.next_due, after.grace_days) == (D(2026, 6, 10), 10)  # 3 months, working


def test_retier_to_the_same_level_is_recorded_and_changes_nothing() -> None:
    fu = open_followup("c1", "child", "medium", on=D(2026, 3, 2))
    same = retier(fu, "medium", D(2026, 3, 3))
    assert (same.next_due, same.grace_days) == (fu.next_due, fu.grace_days)
    assert len(same.history) == 2


@pytest.mark.parametrize(
    ("level", "on", "path"),
    [("red", D(2026, 3, 3), "$.level"), ("high", D(2026, 3, 1), "$.on")],
)
def test_retier_rejects_bad_arguments(level: str, on: date, path: str) -> None:
    fu = open_followup("c1", "child", "medium", on=D(2026, 3, 2))
    with pytest.raises(InvalidInputError) as err:
        retier(fu, level, on)
    assert paths(err) == [path]
    with pytest.raises(InvalidArgumentError) as bad:
        retier(fu, "high", D(2026, 3, 3), policy="v1")  # type: ignore[arg-type]  # on purpose
    assert argument(bad) == "retier(policy=...)"
    with pytest.raises(InvalidArgumentError) as bad:
        retier(fu, "low", D(2026, 3, 3), policy="v1")  # type: ignore[arg-type]  # on purpose
    assert argument(bad) == "retier(policy=...)"


def test_overdue_sorted_by_days_late_then_case_id() -> None:
    on = D(2026, 3, 10)
    cases = [
        open_followup("b", "elderly", "red", on=D(2026, 3, 7)),  # due 03-08: 2 late
        open_followup("a", "elderly", "red", on=D(2026, 3, 7)),  # same
        open_followup("c", "child", "low", on=D(2026, 2, 20)),  # due 02-25: 13 late
        open_followup("d", "child", "low", on=D(2026, 3, 9)),  # due 03-14: on track
        open_followup("e", "child", "high", on=D(2026, 3, 8)),  # due 03-09: 1 late
    ]
    got = overdue(cases, on)
    assert [(c.case_id, c.days_late, c.status) for c in got] == [
        ("c", 13, FollowUpStatus.ESCALATED),
        ("a", 2, FollowUpStatus.ESCALATED),
        ("b", 2, FollowUpStatus.ESCALATED),
        ("e", 1, FollowUpStatus.OVERDUE),
    ]
    assert got[0].due == D(2026, 2, 25)


def test_overdue_rejects_bad_collections() -> None:
    # Not a collection at all is misuse; a bad item in it is bad data, at its path.
    with pytest.raises(InvalidArgumentError) as bad:
        overdue(5, D(2026, 1, 1))  # type: ignore[arg-type]  # on purpose
    assert argument(bad) == "overdue(followups=...)"
    with pytest.raises(InvalidInputError) as err:
        overdue([1], D(2026, 1, 1))  # type: ignore[list-item]  # on purpose
    assert paths(err) == ["$.followups[0]"]


def test_visits_due_reconstructs_each_due_date() -> None:
    fu = open_followup("e1", "elderly", "yellow", on=D(2026, 1, 2))  # due 01-07, grace 5
    fu = record_visit(fu, D(2026, 1, 13), "w01")  # late by 6: not on time; due 02-13
    fu = retier(fu, "red", D(2026, 2, 1))  # due 02-02, grace 1
    fu = record_visit(fu, D(2026, 2, 2), "w01")  # on time; weekly calendar days: due 02-09
    other = open_followup("c1", "child", "low", on=D(2026, 1, 30))  # due 02-04
    got = visits_due([fu, other], start=D(2026, 1, 1), end=D(2026, 2, 28))
    assert got == (
        DueVisit(case_id="e1", due_on=D(2026, 1, 7), grace_days=5, done_on=D(2026, 1, 13)),
        DueVisit(case_id="e1", due_on=D(2026, 2, 2), grace_days=1, done_on=D(2026, 2, 2)),
        DueVisit(case_id="c1", due_on=D(2026, 2, 4), grace_days=5, done_on=None),
        DueVisit(case_id="e1", due_on=D(2026, 2, 9), grace_days=1, done_on=None),
    )
    assert [d.on_time for d in got] == [False, True, False, False]
    assert visits_due([fu], start=D(2026, 2, 3), end=D(2026, 2, 3)) == ()


def test_visits_due_rejects_an_inverted_period() -> None:
    with pytest.raises(InvalidInputError) as err:
        visits_due([], start=D(2026, 2, 1), end=D(2026, 1, 1))
    assert paths(err) == ["$.end"]


def _apply(fu: FollowUp, ops: list[tuple[Any, ...]]) -> list[FollowUp]:
    states = [fu]
    day = fu.opened_on
    levels = LEVELS[fu.kind.value]
    for op in ops:
        day += timedelta(days=int(op[1]))
        if op[0] == "visit":
            fu = record_visit(fu, day, "w", calendar=PROVISIONAL)
        else:
            fu = retier(fu, levels[int(op[2])], day)
        states.append(fu)
    return states


@given(st.sampled_from(["elderly", "child"]), st.integers(0, 2), days_in_2026, operations)
def test_no_recorded_visit_is_lost_and_history_only_grows(
    kind: str, level: int, opened: date, ops: list[tuple[Any, ...]]
) -> None:
    fu = open_followup("x", kind, LEVELS[kind][level], on=opened)
    states = _apply(fu, ops)
    visit_days = [
        fu.opened_on + timedelta(days=sum(int(o[1]) for o in ops[: i + 1]))
        for i, o in enumerate(ops)
        if o[0] == "visit"
    ]
    assert [v.on for v in states[-1].visits] == visit_days
    for before, after in itertools.pairwise(states):
        assert after.history[: len(before.history)] == before.history
        assert after.visits[: len(before.visits)] == before.visits
    dues = visits_due([states[-1]], start=date.min, end=date.max)
    assert len(dues) == len(visit_days) + 1
    # Every model survives a JSON round trip.
    assert structure(unstructure(states[-1]), FollowUp) == states[-1]


@given(
    st.sampled_from(["elderly", "child"]),
    st.integers(0, 2),
    st.integers(0, 2),
    days_in_2026,
    st.integers(0, 30),
)
def test_retiering_up_never_delays_down_never_brings_forward(
    kind: str, old: int, new: int, opened: date, gap: int
) -> None:
    levels = LEVELS[kind]  # most urgent first
    fu = open_followup("x", kind, levels[old], on=opened)
    fu = record_visit(fu, opened + timedelta(days=1), "w", calendar=PROVISIONAL)
    after = retier(fu, levels[new], opened + timedelta(days=1 + gap))
    if new < old:  # more urgent
        assert after.next_due <= fu.next_due
        assert after.grace_days <= fu.grace_days
    else:
        assert (after.next_due, after.grace_days) == (fu.next_due, fu.grace_days)
    assert after.visits == fu.visits


# --- the record's own checks ------------------------------------------------------------


def test_followup_rejects_inconsistent_fields() -> None:
    fu = record_visit(open_followup("e1", "elderly", "red", on=D(2026, 3, 2)), D(2026, 3, 3), "w")
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, visits=())
    assert paths(err) == ["$.visits"]
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, next_due=D(2026, 3, 20))
    assert paths(err) == ["$.history"]
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, level="high")
    assert paths(err) == ["$.level", "$.history"]
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, opened_on=D(2026, 3, 1))
    assert paths(err) == ["$.history[0]"]
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, history=(fu.history[0], fu.history[0], fu.history[1]))
    assert paths(err) == ["$.history"]
    bad = attrs.evolve(fu.history[1], previous_level="low")
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, history=(fu.history[0], bad))
    assert paths(err) == ["$.history[1].previous_level"]


def test_followup_rejects_visits_out_of_order() -> None:
    fu = open_followup("e1", "elderly", "red", on=D(2026, 3, 2))
    v1, v2 = Visit(on=D(2026, 3, 5), by="w"), Visit(on=D(2026, 3, 4), by="w")
    e1 = FollowUpEvent(
        on=v1.on, action=FollowUpAction.VISITED, level="red", due=D(2026, 3, 12), grace_days=1
    )
    e2 = attrs.evolve(e1, on=v2.on, due=D(2026, 3, 11))
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, visits=(v1, v2), history=(fu.history[0], e1, e2), next_due=e2.due)
    assert paths(err) == ["$.visits[1].on"]
    early = Visit(on=D(2026, 3, 1), by="w")
    e0 = attrs.evolve(e1, on=early.on)
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, visits=(early,), history=(fu.history[0], e0), next_due=e0.due)
    assert paths(err) == ["$.visits[0].on"]


def test_record_visit_at_the_end_of_representable_dates() -> None:
    fu = open_followup("e1", "elderly", "red", on=D(9999, 12, 20))
    with pytest.raises(InvalidInputError, match="last representable date") as err:
        record_visit(fu, D(9999, 12, 30), "w")
    assert paths(err) == ["$.on"]


def test_visit_notes_are_not_shown_in_repr() -> None:
    fu = record_visit(
        open_followup("e1", "elderly", "red", on=D(2026, 3, 2)),
        D(2026, 3, 3),
        "w",
        "王小明 at home",
    )
    assert "王小明" not in repr(fu)


# --- programmes and iCalendar -----------------------------------------------------------


def test_programme_occurrences_quarterly_drill_and_weekly_cleanup() -> None:
    drill = structure(programme_document(), Programme)
    assert drill.organizer is not None and drill.organizer.value == "community_committee"
    assert occurrences(drill, D(2026, 1, 1), D(2026, 12, 31)) == (
        D(2026, 1, 3),
        D(2026, 4, 4),
        D(2026, 7, 4),
        D(2026, 10, 3),
    )
    cleanup = Programme(id="c", name="clean-up", rrule="FREQ=WEEKLY;BYDAY=MO", start=D(2026, 3, 1))
    assert occurrences(cleanup, D(2026, 2, 1), D(2026, 3, 16)) == (
        D(2026, 3, 2),
        D(2026, 3, 9),
        D(2026, 3, 16),
    )
    assert occurrences(cleanup, D(2026, 3, 16), D(2026, 3, 1)) == ()


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=FOO", "invalid 'FREQ': FOO"),
        ("FREQ=WEEKLY;BYDAY=XX", "invalid 'BYDAY'"),
        ("", "empty string"),
        ("RRULE:FREQ=DAILY", "without a property name"),
        ("DTSTART:20260101\nRRULE:FREQ=DAILY", "without a property name"),
        ("FREQ=HOURLY", "programmes happen on days"),
        ("FREQ=DAILY;BYHOUR=9", "BYHOUR"),
        ("FREQ=WEEKLY;UNTIL=20261231T000000", "UNTIL as a date"),
        ("FREQ=WEEKLY;UNTIL=20251231", "no occurrence"),
        ("FREQ=WEEKLY;COUNT=0", "no occurrence"),
    ],
)
def test_bad_rules_are_reported_at_rrule(rule: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message) as err:
        Programme(id="p", name="n", rrule=rule, start=D(2026, 1, 1))
    assert paths(err) == ["$.rrule"]


def test_programme_documents_are_checked_with_paths() -> None:
    with pytest.raises(InvalidInputError) as err:
        structure(programme_document(organizer="mayor", start="2026-13-01"), Programme)
    assert sorted(paths(err)) == ["$.organizer", "$.start"]
    with pytest.raises(InvalidInputError) as err:
        Programme(id="p", name="n", rrule="FREQ=DAILY", start=D(2026, 1, 1), organizer="mayor")  # type: ignore[arg-type]
    assert paths(err) == ["$.organizer"]
    with pytest.raises(InvalidArgumentError) as bad:
        occurrences("drill", D(2026, 1, 1), D(2026, 2, 1))  # type: ignore[arg-type]
    assert argument(bad) == "occurrences(programme=...)"


@given(programmes)
def test_programmes_survive_a_json_round_trip(programme: Programme) -> None:
    assert structure(unstructure(programme), Programme) == programme


def _parsed(text: str) -> icalendar.Calendar:
    cal = icalendar.Calendar.from_ical(text)
    assert isinstance(cal, icalendar.Calendar)
    return cal


def test_ical_export_parses_and_is_deterministic() -> None:
    drill = structure(programme_document(grid="g1"), Programme)
    cleanup = Programme(
        id="c", name="清洁, 周一; \\ 备注", rrule="FREQ=WEEKLY;BYDAY=MO", start=D(2026, 3, 1)
    )
    visits = forecast_visits(
        MONTHLY_WD, anchor=D(2026, 11, 10), until=D(2027, 1, 10), calendar=PROVISIONAL
    )
    pairs = [("e-0001", v) for v in visits]
    text = to_ical([drill, cleanup], pairs, calendar_name="社区 calendar")
    assert text == to_ical(
        [cleanup, drill], list(reversed(pairs)) + pairs[:1], calendar_name="社区 calendar"
    )
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = _parsed(text)
    assert cal["VERSION"] == "2.0" and str(cal["PRODID"]).startswith("-//community-care")
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [
        "programme-c@community-care",
        "programme-drill@community-care",
        "visit-e-0001-20261210@community-care",
        "visit-e-0001-20270111@community-care",
    ]
    c_event, drill_event, first, second = events
    assert str(c_event["SUMMARY"]) == "清洁, 周一; \\ 备注"
    assert c_event.decoded("DTSTART") == D(2026, 3, 2)  # synchronised with the rule
    assert drill_event.decoded("DTSTART") == D(2026, 1, 3)
    assert str(drill_event["DESCRIPTION"]) == "grid g1; organizer community_committee"
    assert first.decoded("DTSTART") == D(2026, 12, 10)
    assert "provisional" not in str(first["SUMMARY"])
    assert "provisional" in str(second["SUMMARY"])
    assert second.decoded("DTSTAMP") == datetime(
        2027, 1, 11, tzinfo=second.decoded("DTSTAMP").tzinfo
    )
    # The exported DTSTART + RRULE give the same dates as occurrences().
    raw = drill_event["RRULE"].to_ical()
    rule = raw.decode() if isinstance(raw, bytes) else str(raw)
    start = drill_event.decoded("DTSTART")
    parsed = rrulestr(rule, dtstart=datetime(start.year, start.month, start.day))
    assert [
        d.date() for d in parsed.between(datetime(2026, 1, 1), datetime(2027, 12, 31), inc=True)
    ] == list(occurrences(drill, D(2026, 1, 1), D(2027, 12, 31)))


def test_ical_visit_summaries_name_the_case_only() -> None:
    visit = PlannedVisit(on=D(2026, 3, 2), nominal=D(2026, 3, 1))
    text = to_ical(visits=[("e-0001", visit)])
    (event,) = _parsed(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == "随访 follow-up visit: case e-0001"


def test_ical_merges_repeated_case_days() -> None:
    a = PlannedVisit(on=D(2026, 3, 2), nominal=D(2026, 3, 2))
    b = PlannedVisit(on=D(2026, 3, 2), nominal=D(2026, 2, 28), provisional=True)
    (event,) = _parsed(to_ical(visits=[("e", a), ("e", b)])).walk("VEVENT")
    assert "provisional" in str(event["SUMMARY"])
    assert "2026-02-28" in str(event["DESCRIPTION"])


@given(st.dates(max_value=D(9998, 12, 31)))
def test_ical_dates_are_always_eight_digits(day: date) -> None:
    visit = PlannedVisit(on=day, nominal=day)
    text = to_ical(visits=[("e", visit)])
    digits = f"{day.year:04d}{day.month:02d}{day.day:02d}"
    assert f"DTSTART;VALUE=DATE:{digits}\r\n" in text
    assert f"DTSTAMP:{digits}T000000Z\r\n" in text
    (event,) = _parsed(text).walk("VEVENT")
    assert event.decoded("DTSTART") == day


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"programmes": ["p"]}, "$.programmes[0]"),
        ({"visits": [("e", D(2026, 1, 1))]}, "$.visits[0]"),
        ({"visits": [("", PlannedVisit(on=D(2026, 1, 1), nominal=D(2026, 1, 1)))]}, "$.visits[0]"),
        ({"calendar_name": ""}, "$.calendar_name"),
    ],
)
def test_ical_rejects_bad_items(kwargs: dict[str, object], path: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        to_ical(**kwargs)  # type: ignore[arg-type]  # wrong types on purpose
    assert paths(err) == [path]


def test_ical_rejects_repeated_programme_ids() -> None:
    p = structure(programme_document(), Programme)
    with pytest.raises(InvalidInputError) as err:
        to_ical([p, p])
    assert paths(err) == ["$.programmes[1].id"]


# Parsing with icalendar is slow; fewer examples keep the suite quick.
@settings(max_examples=40)
@given(
    st.lists(programmes, max_size=3, unique_by=lambda p: p.id),
    st.lists(st.tuples(ids, planned_visits), max_size=4),
    st.text(min_size=1, max_size=100),
)
def test_ical_text_round_trips_through_icalendar(
    progs: list[Programme], visits: list[tuple[str, PlannedVisit]], name: str
) -> None:
    text = to_ical(progs, visits, calendar_name=name)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = _parsed(text)
    events = cal.walk("VEVENT")
    assert len(events) == len(progs) + len({(c, v.on) for c, v in visits})
    by_uid = {str(e["UID"]): e for e in events}
    controls = {chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]}
    for p in progs:
        event = by_uid[f"programme-{p.id}@community-care"]
        expected = "".join(
            c for c in p.name.replace("\r\n", "\n").replace("\r", "\n") if c not in controls
        )
        assert str(event["SUMMARY"]) == expected


def test_a_bad_calendar_is_refused_even_when_not_consulted() -> None:
    with pytest.raises(InvalidArgumentError) as err:
        forecast(WEEKLY, anchor=D(2026, 1, 1), until=D(2026, 2, 1), calendar="official")  # type: ignore[arg-type]  # on purpose
    assert argument(err) == "forecast(calendar=...)"


def test_followup_documents_match_their_json_schema() -> None:
    import jsonschema

    from community_care.serialization import json_schema

    fu = record_visit(open_followup("e1", "child", "high", on=D(2026, 3, 2)), D(2026, 3, 3), "w")
    jsonschema.validate(unstructure(fu), json_schema(FollowUp))
    jsonschema.validate(
        unstructure(DueVisit(case_id="e1", due_on=D(2026, 3, 3), grace_days=1, done_on=None)),
        json_schema(DueVisit),
    )


# --- exact messages, iCalendar lines and boundaries (mutation testing) -------------------


def problems(err: pytest.ExceptionInfo[InvalidInputError]) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in err.value.problems]


def level_message(kind: str, bad: str) -> str:
    """The message for a level of the wrong kind (either article: 'a'/'an elderly')."""
    choices = {"elderly": "'green', 'yellow', 'red'", "child": "'low', 'medium', 'high'"}[kind]
    return f"{kind} level, one of {choices}, got {bad}"


def assert_level_problem(problem: tuple[str, str], path: str, kind: str, bad: str) -> None:
    assert problem[0] == path
    assert problem[1] in (
        f"expected a {level_message(kind, bad)}",
        f"expected an {level_message(kind, bad)}",
    )


DATE_MESSAGE = "expected a date like date(2026, 11, 30), got "


def _red_case() -> FollowUp:
    return open_followup("e1", "elderly", "red", on=D(2026, 3, 2))  # due 03-03, grace 1


@pytest.mark.parametrize(
    ("call", "path"),
    [
        pytest.param(lambda v: status(_red_case(), v), "status(on=...)", id="status"),
        pytest.param(lambda v: overdue([_red_case()], v), "overdue(on=...)", id="overdue"),
        pytest.param(lambda v: retier(_red_case(), "red", v), "retier(on=...)", id="retier"),
        pytest.param(
            lambda v: record_visit(_red_case(), v, "w"), "record_visit(on=...)", id="record_visit"
        ),
        pytest.param(
            lambda v: cadence_for("elderly", "red", on=v), "cadence_for(on=...)", id="cadence_for"
        ),
        pytest.param(
            lambda v: open_followup("e1", "elderly", "red", on=v),
            "open_followup(on=...)",
            id="open_followup",
        ),
        pytest.param(
            lambda v: visits_due([], start=v, end=D(2026, 3, 3)),
            "visits_due(start=...)",
            id="visits_due-start",
        ),
        pytest.param(
            lambda v: visits_due([], start=D(2026, 3, 3), end=v),
            "visits_due(end=...)",
            id="visits_due-end",
        ),
        pytest.param(
            lambda v: forecast(WEEKLY, anchor=v, until=D(2026, 4, 1)),
            "forecast(anchor=...)",
            id="forecast-anchor",
        ),
        pytest.param(
            lambda v: forecast(WEEKLY, anchor=D(2026, 3, 3), until=v),
            "forecast(until=...)",
            id="forecast-until",
        ),
        pytest.param(
            lambda v: occurrences(_cleanup(), v, D(2026, 4, 1)),
            "occurrences(start=...)",
            id="occurrences-start",
        ),
        pytest.param(
            lambda v: occurrences(_cleanup(), D(2026, 3, 3), v),
            "occurrences(end=...)",
            id="occurrences-end",
        ),
    ],
)
def test_bad_dates_are_reported_with_their_argument_and_value(call: Any, path: str) -> None:
    # A datetime is a date subclass: refused like a string, the value shown in full.
    for value, shown in [
        (datetime(2026, 3, 3, 9, 30), "datetime.datetime(2026, 3, 3, 9, 30)"),
        ("2026-03-03", "'2026-03-03'"),
    ]:
        with pytest.raises(InvalidArgumentError) as err:
            call(value)
        assert str(err.value) == f"{path}: {DATE_MESSAGE}{shown}"


def test_argument_type_messages_name_what_was_expected() -> None:
    with pytest.raises(InvalidArgumentError) as bad:
        forecast("monthly", anchor=D(2026, 1, 1), until=D(2026, 2, 1))  # type: ignore[arg-type]
    assert str(bad.value) == (
        "forecast(cadence=...): expected a Cadence such as Cadence(every=1, unit='month'),"
        " got 'monthly'"
    )
    with pytest.raises(InvalidArgumentError) as bad:
        forecast(WEEKLY, anchor=D(2026, 1, 1), until=D(2026, 2, 1), calendar=3)  # type: ignore[arg-type]
    assert str(bad.value) == (
        "forecast(calendar=...): expected a WorkCalendar such as official_calendar(), or None,"
        " got 3"
    )
    with pytest.raises(InvalidArgumentError) as bad:
        cadence_for("elderly", "red", on=D(2026, 1, 1), policy="v1")  # type: ignore[arg-type]
    assert str(bad.value) == (
        "cadence_for(policy=...): expected a Policy such as default_policy(), or None, got 'v1'"
    )
    with pytest.raises(InvalidInputError) as err:
        cadence_for("senior", "red", on=D(2026, 1, 1))
    assert problems(err) == [("$.kind", "expected 'elderly' or 'child', got 'senior'")]
    with pytest.raises(InvalidArgumentError) as bad:
        status("fu", D(2026, 1, 1))  # type: ignore[arg-type]
    assert str(bad.value) == (
        "status(followup=...): expected a FollowUp such as"
        " open_followup('e1', 'elderly', 'red', on=...), got 'fu'"
    )
    with pytest.raises(InvalidArgumentError) as bad:
        overdue(5, D(2026, 1, 1))  # type: ignore[arg-type]
    assert str(bad.value) == (
        "overdue(followups=...): expected an iterable such as [open_followup(...)], got 5"
    )
    with pytest.raises(InvalidInputError) as err:
        visits_due([_red_case(), 1], start=D(2026, 1, 1), end=D(2026, 1, 1))  # type: ignore[list-item]
    assert problems(err) == [("$.followups[1]", "expected a FollowUp (see open_followup), got 1")]
    with pytest.raises(InvalidArgumentError) as bad:
        occurrences("drill", D(2026, 1, 1), D(2026, 2, 1))  # type: ignore[arg-type]
    assert str(bad.value) == (
        "occurrences(programme=...): expected a Programme such as Programme(id='p1', ...),"
        " got 'drill'"
    )


@pytest.mark.parametrize(
    ("kind", "level", "shown"),
    [("elderly", "high", "'high'"), ("child", "red", "'red'"), ("child", 2, "2")],
)
def test_level_messages_list_the_levels_of_the_kind(kind: str, level: object, shown: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        cadence_for(kind, level, on=D(2026, 1, 1))  # type: ignore[arg-type]  # on purpose
    (problem,) = problems(err)
    assert_level_problem(problem, "$.level", kind, shown)
    fu = open_followup("x", kind, LEVELS[kind][0], on=D(2026, 3, 2))
    with pytest.raises(InvalidInputError) as err:
        retier(fu, level, D(2026, 3, 3))  # type: ignore[arg-type]  # on purpose
    (problem,) = problems(err)
    assert_level_problem(problem, "$.level", kind, shown)


@pytest.mark.parametrize(
    ("case_id", "shown"), [("", "''"), (7, "7"), (None, "None"), (b"e1", "b'e1'")]
)
def test_open_followup_case_id_message(case_id: object, shown: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        open_followup(case_id, "elderly", "red", on=D(2026, 1, 1))  # type: ignore[arg-type]
    assert problems(err) == [
        ("$.case_id", f"expected a non-empty case id such as 'e-0001', got {shown}")
    ]


# --- the record's own checks: every message --------------------------------------------


def _visited() -> FollowUp:
    # Opened 03-02, visited 03-03 (due 03-10, grace 1).
    return record_visit(_red_case(), D(2026, 3, 3), "w")


VISITS_MATCH = (
    "expected one history event per visit, on the same dates, in order:"
    " 'visited' for a visit with met true, 'attempted' for one with met false"
)
LAST_EVENT = "expected the last event to leave the record's level, next_due and grace_days"


def test_followup_inconsistencies_have_exact_messages() -> None:
    fu = _visited()
    cases: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
        (
            {"visits": ()},
            [
                (
                    "$.visits",
                    VISITS_MATCH,
                )
            ],
        ),
        ({"next_due": D(2026, 3, 20)}, [("$.history", LAST_EVENT)]),
        ({"grace_days": 2}, [("$.history", LAST_EVENT)]),
        (
            {"opened_on": D(2026, 3, 1)},
            [("$.history[0]", "expected the 'opened' event on 2026-03-01")],
        ),
        (
            {"history": (fu.history[0], fu.history[0], fu.history[1])},
            [("$.history", "expected a single 'opened' event, first")],
        ),
    ]
    for change, expected in cases:
        with pytest.raises(InvalidInputError) as err:
            attrs.evolve(fu, **change)
        assert problems(err) == expected, change
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, level="high")
    first, second = problems(err)
    assert_level_problem(first, "$.level", "elderly", "'high'")
    assert second == ("$.history", LAST_EVENT)
    # An event of the other kind: both its levels are reported, with their index.
    bad = attrs.evolve(fu.history[1], level="high", previous_level="low")
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, history=(fu.history[0], bad))
    first, second, third = problems(err)
    assert_level_problem(first, "$.history[1].level", "elderly", "'high'")
    assert_level_problem(second, "$.history[1].previous_level", "elderly", "'low'")
    assert third == ("$.history", LAST_EVENT)


def test_the_opened_event_must_be_an_opening_on_the_opening_day() -> None:
    fu = _visited()
    as_visit = attrs.evolve(fu.history[0], action=FollowUpAction.VISITED)
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, history=(as_visit, fu.history[1]))
    assert problems(err) == [
        ("$.history[0]", "expected the 'opened' event on 2026-03-02"),
        ("$.visits", VISITS_MATCH),
    ]


def test_visit_order_messages_name_the_visit() -> None:
    fu = _red_case()
    days_ = [D(2026, 3, 4), D(2026, 3, 6), D(2026, 3, 5)]
    visits = tuple(Visit(on=d, by="w") for d in days_)
    events = tuple(
        FollowUpEvent(
            on=d, action=FollowUpAction.VISITED, level="red", due=D(2026, 3, 12), grace_days=1
        )
        for d in days_
    )
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, visits=visits, history=(fu.history[0], *events), next_due=D(2026, 3, 12))
    assert problems(err) == [("$.visits[2].on", "expected visits in date order")]
    early = Visit(on=D(2026, 3, 1), by="w")
    event = attrs.evolve(events[0], on=early.on)
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(fu, visits=(early,), history=(fu.history[0], event), next_due=event.due)
    assert problems(err) == [("$.visits[0].on", "expected no visit before the case was opened")]
    # A visit on the opening day itself is fine.
    same_day = record_visit(fu, fu.opened_on, "w")
    assert same_day.visits[0].on == same_day.opened_on


# --- rolling follow-up at the spec's boundaries ----------------------------------------


def test_record_visit_messages_say_what_the_visit_is_before() -> None:
    fu = _red_case()
    with pytest.raises(InvalidInputError) as err:
        record_visit(fu, D(2026, 3, 1), "w")
    assert problems(err) == [
        (
            "$.on",
            "2026-03-01 is before the opening of the case (2026-03-02); visits are recorded "
            "in date order and history is never rewritten",
        )
    ]
    with pytest.raises(InvalidInputError) as err:
        record_visit(_visited(), D(2026, 3, 2), "w")
    assert problems(err) == [
        (
            "$.on",
            "2026-03-02 is before the last visit (2026-03-03); visits are recorded "
            "in date order and history is never rewritten",
        )
    ]


def test_record_visit_without_a_note_records_an_empty_note() -> None:
    fu = record_visit(_red_case(), D(2026, 3, 3), "w01")
    assert fu.visits == (Visit(on=D(2026, 3, 3), by="w01", note=""),)
    assert fu.visits[0].note == ""


def test_record_visit_does_not_need_the_calendar_beyond_the_next_due_date() -> None:
    # A monthly working-day case visited on 2026-11-20: the next visit is due Monday
    # 12-21 (nominal Sunday 12-20). Nothing in 2027 plays a part, so the packaged
    # calendar (2026 at most) is enough.
    fu = open_followup("e1", "elderly", "yellow", on=D(2026, 11, 10))
    fu = record_visit(fu, D(2026, 11, 20), "w")
    assert (fu.next_due, fu.next_due_provisional) == (D(2026, 12, 21), False)
    # Also at the very end of the representable dates: one interval is enough.
    late = open_followup("e2", "elderly", "red", on=D(9999, 12, 20))
    assert record_visit(late, D(9999, 12, 24), "w").next_due == D(9999, 12, 31)


def _amended() -> Any:
    # From 2026-06-01: red cases every 2 weeks, first visit within 2 days, grace 2 days,
    # due soon 5 days ahead; yellow cases may shift 8 days.
    return default_policy().amend(
        D(2026, 6, 1),
        {
            "followup.elderly.red.every": 2,
            "followup.elderly.red.first_visit_days": 2,
            "followup.elderly.red.grace_days": 2,
            "followup.elderly.yellow.max_shift_days": 8,
            "followup.due_soon_days": 5,
        },
        version="local-2026-06",
    )


def test_the_policy_in_force_on_the_day_is_used_everywhere() -> None:
    policy = _amended()
    # cadence_for / open_followup: the amendment applies from its first day.
    assert cadence_for("elderly", "yellow", on=D(2026, 5, 31), policy=policy).cadence == (
        Cadence(
            every=1,
            unit=CadenceUnit.MONTH,
            working_days_only=True,
            max_shift_days=3,
            cover_every_month=True,
        )
    )
    assert cadence_for("elderly", "yellow", on=D(2026, 6, 1), policy=policy).cadence == (
        Cadence(
            every=1,
            unit=CadenceUnit.MONTH,
            working_days_only=True,
            max_shift_days=8,
            cover_every_month=True,
        )
    )
    before = open_followup("e1", "elderly", "red", on=D(2026, 5, 31), policy=policy)
    assert (before.next_due, before.grace_days) == (D(2026, 6, 1), 1)
    after = open_followup("e1", "elderly", "red", on=D(2026, 6, 1), policy=policy)
    assert (after.next_due, after.grace_days) == (D(2026, 6, 3), 2)
    # record_visit: the policy of the visit day.
    visited = record_visit(before, D(2026, 6, 1), "w", policy=policy)
    assert (visited.next_due, visited.grace_days) == (D(2026, 6, 15), 2)
    assert record_visit(before, D(2026, 6, 1), "w").next_due == D(2026, 6, 8)
    # retier up: the new level's first-visit delay on the re-assessment day.
    green = open_followup("e2", "elderly", "green", on=D(2026, 6, 1), policy=policy)
    up = retier(green, "red", D(2026, 6, 3), policy=policy)
    assert (up.next_due, up.grace_days) == (D(2026, 6, 5), 2)
    # status: due_soon_days of the day judged (5 from 06-01, 3 before).
    far = open_followup("e3", "elderly", "green", on=D(2026, 5, 28), policy=policy)  # due 06-07
    assert status(far, D(2026, 5, 31), policy=policy) is FollowUpStatus.ON_TRACK
    assert status(far, D(2026, 6, 2), policy=policy) is FollowUpStatus.DUE_SOON
    assert status(far, D(2026, 6, 2)) is FollowUpStatus.ON_TRACK
    # overdue: judged with the same policy.
    assert [c.case_id for c in overdue([far, up], D(2026, 6, 8), policy=policy)] == ["e2", "e3"]


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda p: status(_red_case(), D(2026, 3, 3), policy=p), id="status"),
        pytest.param(lambda p: overdue([_red_case()], D(2026, 3, 3), policy=p), id="overdue"),
        pytest.param(
            lambda p: record_visit(_red_case(), D(2026, 3, 3), "w", policy=p), id="record_visit"
        ),
        pytest.param(
            lambda p: open_followup("e1", "elderly", "red", on=D(2026, 3, 3), policy=p),
            id="open_followup",
        ),
        pytest.param(
            lambda p: retier(_red_case(), "green", D(2026, 3, 3), policy=p), id="retier-down"
        ),
    ],
)
def test_a_bad_policy_is_refused(call: Any) -> None:
    with pytest.raises(InvalidArgumentError) as err:
        call("v1")
    assert str(err.value).endswith(
        "(policy=...): expected a Policy such as default_policy(), or None, got 'v1'"
    )


def test_retier_message_and_floor_after_a_visit() -> None:
    fu = record_visit(_red_case(), D(2026, 3, 5), "w")  # opened 03-02, visited 03-05
    with pytest.raises(InvalidInputError) as err:
        retier(fu, "green", D(2026, 3, 4))  # after the opening, before the visit
    assert problems(err) == [
        (
            "$.on",
            "2026-03-04 is before the last visit or opening (2026-03-05); "
            "re-assessments are recorded in date order",
        )
    ]
    assert retier(fu, "green", D(2026, 3, 5)).history[-1].on == D(2026, 3, 5)
    with pytest.raises(InvalidInputError) as err:
        retier(_red_case(), "green", D(2026, 3, 1))
    assert problems(err) == [
        (
            "$.on",
            "2026-03-01 is before the last visit or opening (2026-03-02); "
            "re-assessments are recorded in date order",
        )
    ]


def test_retier_keeps_or_clears_the_provisional_flag() -> None:
    # A child case (low: monthly on working days) visited 2026-12-10: due 2027-01-11,
    # placed with provisional 2027 data.
    fu = open_followup("c1", "child", "low", on=D(2026, 12, 1))
    fu = record_visit(fu, D(2026, 12, 10), "w", calendar=PROVISIONAL)
    assert (fu.next_due, fu.next_due_provisional) == (D(2027, 1, 11), True)
    # Raised to medium (first visit within 5 days) on 01-06: 01-11 is not sooner, so
    # the due date and its flag stand; the grace becomes the smaller one (3).
    same = retier(fu, "medium", D(2027, 1, 6))
    assert (same.next_due, same.grace_days, same.next_due_provisional) == (
        D(2027, 1, 11),
        3,
        True,
    )
    assert same.history[-1].provisional
    # Raised on 01-05: 01-10 is sooner, in calendar days, so no longer provisional.
    sooner = retier(fu, "medium", D(2027, 1, 5))
    assert (sooner.next_due, sooner.next_due_provisional) == (D(2027, 1, 10), False)
    assert not sooner.history[-1].provisional
    # The same level again: the due date and its flag stand.
    kept = retier(fu, "low", D(2027, 1, 2))
    assert (kept.next_due, kept.next_due_provisional) == (D(2027, 1, 11), True)


def test_status_at_each_boundary_of_a_red_case() -> None:
    fu = _red_case()  # due 03-03, grace 1, due soon 3 days ahead
    expected = [
        (D(2026, 2, 27), FollowUpStatus.ON_TRACK),  # 4 days ahead
        (D(2026, 2, 28), FollowUpStatus.DUE_SOON),  # 3 days ahead
        (D(2026, 3, 3), FollowUpStatus.DUE_SOON),
        (D(2026, 3, 4), FollowUpStatus.OVERDUE),  # due + grace
        (D(2026, 3, 5), FollowUpStatus.ESCALATED),
    ]
    assert [(d, status(fu, d)) for d, _ in expected] == expected


@given(
    st.sampled_from(["elderly", "child"]),
    st.integers(0, 2),
    days_in_2026,
    st.integers(-30, 60),
)
def test_status_follows_the_spec_rule(kind: str, level: int, opened: date, offset: int) -> None:
    fu = open_followup("x", kind, LEVELS[kind][level], on=opened)
    on = fu.next_due + timedelta(days=offset)
    got = status(fu, on)
    if on > fu.next_due + timedelta(days=fu.grace_days):
        assert got is FollowUpStatus.ESCALATED
    elif on > fu.next_due:
        assert got is FollowUpStatus.OVERDUE
    elif (fu.next_due - on).days <= 3:
        assert got is FollowUpStatus.DUE_SOON
    else:
        assert got is FollowUpStatus.ON_TRACK
    late = overdue([fu], on)
    if got in (FollowUpStatus.OVERDUE, FollowUpStatus.ESCALATED):
        assert [(c.days_late, c.status) for c in late] == [((on - fu.next_due).days, got)]
    else:
        assert late == ()


def test_visits_due_includes_both_ends_of_the_period() -> None:
    fu = open_followup("e1", "elderly", "yellow", on=D(2026, 1, 2))  # due 01-07
    fu = record_visit(fu, D(2026, 1, 9), "w01")  # due 02-09
    first = DueVisit(case_id="e1", due_on=D(2026, 1, 7), grace_days=5, done_on=D(2026, 1, 9))
    second = DueVisit(case_id="e1", due_on=D(2026, 2, 9), grace_days=5, done_on=None)
    assert visits_due([fu], start=D(2026, 1, 7), end=D(2026, 1, 7)) == (first,)
    assert visits_due([fu], start=D(2026, 1, 7), end=D(2026, 2, 9)) == (first, second)
    assert visits_due([fu], start=D(2026, 2, 9), end=D(2026, 2, 9)) == (second,)
    assert visits_due([fu], start=D(2026, 1, 8), end=D(2026, 2, 8)) == ()
    with pytest.raises(InvalidInputError) as err:
        visits_due([fu], start=D(2026, 2, 1), end=D(2026, 1, 31))
    assert problems(err) == [
        ("$.end", "expected a date on or after start 2026-02-01, got 2026-01-31")
    ]


FIRST_VISIT = {"red": 1, "yellow": 5, "green": 10, "high": 1, "medium": 5, "low": 5}
GRACE = {"red": 1, "yellow": 5, "green": 10, "high": 1, "medium": 3, "low": 5}


@given(
    st.sampled_from(["elderly", "child"]),
    st.integers(0, 2),
    st.integers(0, 2),
    st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 31)),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_retiering_follows_the_spec_rule_exactly(
    kind: str, old: int, new: int, opened: date, visit_gap: int, gap: int
) -> None:
    # Spec §5: raising the tier makes the due date the earlier of the current one and
    # on + the new first-visit delay (calendar days, so not provisional), and the grace
    # the smaller; lowering it or keeping it changes nothing but the level.
    levels = LEVELS[kind]  # most urgent first
    fu = open_followup("x", kind, levels[old], on=opened)
    fu = record_visit(fu, opened + timedelta(days=visit_gap), "w", calendar=PROVISIONAL)
    day = fu.visits[-1].on + timedelta(days=gap)
    after = retier(fu, levels[new], day)
    if new < old:
        sooner = day + timedelta(days=FIRST_VISIT[levels[new]])
        assert after.next_due == min(fu.next_due, sooner)
        assert after.grace_days == min(fu.grace_days, GRACE[levels[new]])
        flag = fu.next_due_provisional and sooner >= fu.next_due
        assert after.next_due_provisional is flag
    else:
        assert (after.next_due, after.grace_days, after.next_due_provisional) == (
            fu.next_due,
            fu.grace_days,
            fu.next_due_provisional,
        )
    assert (after.level, after.history[-1].previous_level) == (levels[new], levels[old])


@given(
    st.sampled_from(["elderly", "child"]),
    st.integers(0, 2),
    days_in_2026,
    operations,
    st.data(),
)
def test_visits_due_keeps_exactly_the_due_dates_in_the_period(
    kind: str, level: int, opened: date, ops: list[tuple[Any, ...]], data: st.DataObject
) -> None:
    fu = _apply(open_followup("x", kind, LEVELS[kind][level], on=opened), ops)[-1]
    every = visits_due([fu], start=date.min, end=date.max)
    dues = sorted({d.due_on for d in every})
    start = data.draw(st.sampled_from(dues), label="start")
    end = data.draw(st.sampled_from([d for d in dues if d >= start]), label="end")
    got = visits_due([fu], start=start, end=end)
    assert got == tuple(d for d in every if start <= d.due_on <= end)
    assert got[0].due_on == start and got[-1].due_on == end


# --- forecast at month ends, leap years and the edge of the calendar -------------------


@pytest.mark.parametrize(
    ("anchor", "february"),
    [
        (D(1900, 1, 31), D(1900, 2, 28)),  # divisible by 100, not by 400: common year
        (D(2000, 1, 31), D(2000, 2, 29)),  # divisible by 400: leap year
        (D(2024, 1, 30), D(2024, 2, 29)),
        (D(2026, 1, 29), D(2026, 2, 28)),
        (D(2100, 1, 31), D(2100, 2, 28)),
        (D(2400, 1, 30), D(2400, 2, 29)),
        (D(2028, 1, 28), D(2028, 2, 28)),  # 28 never moves
    ],
)
def test_monthly_forecast_at_february_ends(anchor: date, february: date) -> None:
    monthly = Cadence(every=1, unit=CadenceUnit.MONTH)
    got = forecast(monthly, anchor=anchor, until=anchor + relativedelta(months=3))
    assert got == (february, *(anchor + relativedelta(months=k) for k in (2, 3)))
    assert got[1].day == anchor.day  # not chained: back to the anchor's day in March


@given(
    st.dates(min_value=date(1600, 1, 1), max_value=date(2600, 12, 31)),
    st.integers(1, 14),
    st.integers(0, 800),
)
@example(D(1900, 1, 31), 1, 60)
@example(D(2000, 2, 29), 12, 800)
def test_monthly_forecasts_match_relativedelta_in_any_century(
    anchor: date, every: int, horizon: int
) -> None:
    cadence = Cadence(every=every, unit=CadenceUnit.MONTH)
    until = anchor + timedelta(days=horizon)
    expected: list[date] = []
    while (d := anchor + relativedelta(months=every * (len(expected) + 1))) <= until:
        expected.append(d)
    assert list(forecast(cadence, anchor=anchor, until=until)) == expected


def test_provisional_flags_cover_only_the_days_consulted() -> None:
    weekly = Cadence(every=1, unit=CadenceUnit.WEEK, working_days_only=True)
    # Thursday 2026-12-31 is a working day of the packaged calendar; the next day is
    # provisional but was never asked about.
    assert forecast_visits(
        weekly, anchor=D(2026, 12, 24), until=D(2026, 12, 31), calendar=PROVISIONAL
    ) == (PlannedVisit(on=D(2026, 12, 31), nominal=D(2026, 12, 31), provisional=False),)


# --- programmes: rules and occurrences --------------------------------------------------


def _cleanup() -> Programme:
    return Programme(id="c", name="clean-up", rrule="FREQ=WEEKLY;BYDAY=MO", start=D(2026, 3, 1))


@pytest.mark.parametrize(
    ("rule", "start", "window", "expected"),
    [
        # A rule whose only occurrence is its start day.
        ("FREQ=DAILY;COUNT=1", D(2026, 3, 2), (D(2026, 1, 1), D(2026, 12, 31)), [D(2026, 3, 2)]),
        # A one-day window on an occurrence, and on the start.
        ("FREQ=WEEKLY;BYDAY=MO", D(2026, 3, 2), (D(2026, 3, 2), D(2026, 3, 2)), [D(2026, 3, 2)]),
        ("FREQ=WEEKLY;BYDAY=MO", D(2026, 3, 2), (D(2026, 3, 3), D(2026, 3, 3)), []),
        # The 31st: months without one are skipped (RFC 5545 §3.3.10).
        (
            "FREQ=MONTHLY;BYMONTHDAY=31",
            D(2026, 1, 1),
            (D(2026, 1, 1), D(2026, 6, 30)),
            [D(2026, 1, 31), D(2026, 3, 31), D(2026, 5, 31)],
        ),
        # The last day of each month, leap February included.
        (
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            D(2028, 1, 1),
            (D(2028, 1, 1), D(2028, 4, 30)),
            [D(2028, 1, 31), D(2028, 2, 29), D(2028, 3, 31), D(2028, 4, 30)],
        ),
        # 29 February only in leap years (2100 is not one).
        (
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
            D(2095, 1, 1),
            (D(2095, 1, 1), D(2105, 12, 31)),
            [D(2096, 2, 29), D(2104, 2, 29)],
        ),
        # UNTIL is inclusive; COUNT counts from the first occurrence.
        (
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260316",
            D(2026, 3, 1),
            (D(2026, 1, 1), D(2026, 12, 31)),
            [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16)],
        ),
        (
            "FREQ=WEEKLY;BYDAY=MO;COUNT=2",
            D(2026, 3, 1),
            (D(2026, 1, 1), D(2026, 12, 31)),
            [D(2026, 3, 2), D(2026, 3, 9)],
        ),
        # Lower case is accepted, as RFC 5545 names are case-insensitive.
        (
            "freq=weekly;byday=mo",
            D(2026, 3, 1),
            (D(2026, 3, 1), D(2026, 3, 9)),
            [D(2026, 3, 2), D(2026, 3, 9)],
        ),
    ],
)
def test_occurrences_table(
    rule: str, start: date, window: tuple[date, date], expected: list[date]
) -> None:
    programme = Programme(id="p", name="n", rrule=rule, start=start)
    assert occurrences(programme, *window) == tuple(expected)


def test_rule_messages_are_exact() -> None:
    cases = [
        (
            "RRULE:FREQ=DAILY",
            "expected a single RRULE value without a property name or DTSTART, e.g. "
            "'FREQ=WEEKLY;BYDAY=MO', got 'RRULE:FREQ=DAILY'",
        ),
        (
            "FREQ=HOURLY",
            "expected FREQ=DAILY, WEEKLY, MONTHLY or YEARLY (programmes happen on days), "
            "got 'FREQ=HOURLY'",
        ),
        (
            "FREQ=DAILY;BYMINUTE=30;BYHOUR=9",
            "expected no BYHOUR, BYMINUTE: programme occurrences are whole days, "
            "got 'FREQ=DAILY;BYMINUTE=30;BYHOUR=9'",
        ),
        (
            "FREQ=WEEKLY;UNTIL=20261231T000000",
            "expected UNTIL as a date such as UNTIL=20261231, got '20261231T000000'",
        ),
        # Eight characters but not all digits: still not a DATE.
        (
            "FREQ=WEEKLY;UNTIL=2026-1-1",
            "expected UNTIL as a date such as UNTIL=20261231, got '2026-1-1'",
        ),
        (
            "FREQ=WEEKLY;UNTIL=20251231",
            "the rule 'FREQ=WEEKLY;UNTIL=20251231' has no occurrence on or after 2026-01-01; "
            "check COUNT, UNTIL and the BY parts",
        ),
    ]
    for rule, message in cases:
        with pytest.raises(InvalidInputError) as err:
            Programme(id="p", name="n", rrule=rule, start=D(2026, 1, 1))
        assert problems(err) == [("$.rrule", message)], rule


@pytest.mark.parametrize("rule", ["FREQ=FOO", "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;BYDAY=MO=TU"])
def test_parser_errors_are_wrapped_with_the_rule_and_an_example(rule: str) -> None:
    with pytest.raises(ValueError) as raw:  # noqa: PT011  # the parser's own message
        rrulestr(rule, dtstart=datetime(2026, 1, 1))
    with pytest.raises(InvalidInputError) as err:
        Programme(id="p", name="n", rrule=rule, start=D(2026, 1, 1))
    assert problems(err) == [
        (
            "$.rrule",
            f"{raw.value} (in {rule!r}); expected an RFC 5545 rule such as "
            "'FREQ=MONTHLY;INTERVAL=3;BYDAY=1SA'",
        )
    ]


# --- rules with no occurrence: refused without stepping to the year 9999 ----------------

# dateutil alone steps through every period up to the year 9999 before it says a rule
# has no occurrence (14 s for the first); these are refused with the same message.
IMPOSSIBLE_RULES = [
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", D(2026, 1, 1)),
    ("FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30", D(2026, 1, 1)),
    ("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11", D(2026, 1, 1)),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", D(2026, 1, 1)),
    ("FREQ=DAILY;UNTIL=20300101;BYMONTH=2;BYMONTHDAY=30", D(2026, 1, 1)),
    ("FREQ=DAILY;BYYEARDAY=366;BYMONTH=1", D(2026, 1, 1)),
    ("FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6", D(2026, 1, 1)),
    # 2026 + 4k is never a leap year; nor is 9990 + 4k before the year 10000.
    ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1)),
    ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", D(9990, 1, 1)),
    ("FREQ=MONTHLY;INTERVAL=12;BYMONTH=2", D(2026, 1, 1)),  # every January
    ("FREQ=MONTHLY;INTERVAL=8;BYMONTH=2,4,6,8,10,12", D(2026, 1, 1)),  # odd months only
    ("FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1,2,3,4,5,6,7", D(2026, 1, 1)),
    ("FREQ=DAILY;INTERVAL=7;BYDAY=MO", D(2026, 1, 1)),  # every Thursday
    ("FREQ=DAILY;BYSETPOS=2", D(2026, 1, 1)),  # a day has one date-time
    ("FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2", D(2026, 1, 1)),  # a week has one Monday
    # Mondays and Tuesdays that are the 1st of February: never two in a week.
    ("FREQ=WEEKLY;BYDAY=MO,TU;BYMONTH=2;BYMONTHDAY=1;BYSETPOS=2", D(2026, 1, 1)),
    ("FREQ=MONTHLY;INTERVAL=24;BYMONTH=2", D(2026, 1, 1)),  # every other January
    ("FREQ=DAILY;INTERVAL=14;BYDAY=MO", D(2026, 1, 1)),  # every other Thursday
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYSETPOS=3", D(2026, 1, 1)),
    ("FREQ=YEARLY;INTERVAL=400;BYMONTH=2;BYMONTHDAY=29", D(2025, 1, 1)),  # 2025, 2425, ...
]

# Rare but possible: still accepted, first occurrence as dateutil gives it.
RARE_RULES = [
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1), D(2028, 2, 29)),
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1), D(2028, 2, 29)),
    ("FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1), D(2028, 2, 29)),
    ("FREQ=WEEKLY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1), D(2032, 2, 29)),
    ("FREQ=DAILY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1), D(2028, 2, 29)),
    ("FREQ=DAILY;INTERVAL=7;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1), D(2052, 2, 29)),
    ("FREQ=DAILY;INTERVAL=21;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1), None),
    ("FREQ=YEARLY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1), D(2032, 2, 29)),
    ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", D(2028, 1, 1), D(2028, 2, 29)),
    ("FREQ=MONTHLY;INTERVAL=5;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1), D(2028, 2, 29)),
    ("FREQ=MONTHLY;BYDAY=5FR;BYMONTH=2", D(2026, 1, 1), D(2036, 2, 29)),
    ("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,12", D(2026, 1, 1), D(2026, 12, 31)),
    ("FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH", D(2027, 1, 1), D(2032, 12, 30)),
    ("FREQ=WEEKLY;BYWEEKNO=53", D(2027, 1, 1), D(2027, 1, 1)),  # week 53 of 2026
    ("FREQ=DAILY;BYYEARDAY=-366", D(2026, 1, 1), D(2028, 1, 1)),
    ("FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=2", D(2026, 1, 1), D(2026, 1, 6)),
    ("FREQ=YEARLY;BYEASTER=0", D(2026, 1, 1), D(2026, 4, 5)),  # dateutil's extension
    ("FREQ=YEARLY;INTERVAL=6;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1), D(2032, 2, 29)),
    ("FREQ=DAILY;BYSETPOS=-1", D(2026, 1, 1), D(2026, 1, 1)),  # the last of one: the day
    # 1 January of a leap year, on a Saturday: of the 28 sampled years, only the first.
    ("FREQ=YEARLY;BYYEARDAY=-366;BYDAY=SA", D(2026, 1, 1), D(2028, 1, 1)),
]


@pytest.mark.parametrize(("rule", "start"), IMPOSSIBLE_RULES)
def test_rules_with_no_occurrence_are_refused_with_the_same_message(rule: str, start: date) -> None:
    with pytest.raises(InvalidInputError) as err:
        Programme(id="p", name="n", rrule=rule, start=start)
    assert problems(err) == [
        (
            "$.rrule",
            f"the rule {describe(rule)} has no occurrence on or after {start.isoformat()}; "
            "check COUNT, UNTIL and the BY parts",
        )
    ]


@pytest.mark.parametrize(("rule", "start"), IMPOSSIBLE_RULES)
def test_the_quick_check_itself_finds_the_rules_with_no_occurrence(rule: str, start: date) -> None:
    # The refusal above would come anyway, after dateutil's search to the year 9999;
    # the quick check is what makes it fast. Near that year dateutil's own search is
    # short, and the quick check leaves the question to it.
    never = _programmes._never(_programmes._parse_rule(rule, start), start)
    assert never is (start.year < 9900)


# How the quick check decides each rule above: from the BY parts alone (no search),
# on a sample of years that hold every kind (the months looked at; "weekly" for weeks),
# or by letting dateutil step through one round of the 400-year cycle (its length in
# months). The sample and the window are each exact; the sample is what keeps the
# search short where the rule's periods reach every place of the cycle.
DECIDED = {
    ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1)): ["window:4848"],
    ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", D(9990, 1, 1)): ["window:4848"],
    ("FREQ=MONTHLY;INTERVAL=12;BYMONTH=2", D(2026, 1, 1)): ["sample:()"],
    ("FREQ=MONTHLY;INTERVAL=8;BYMONTH=2,4,6,8,10,12", D(2026, 1, 1)): ["window:4808"],
    ("FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1,2,3,4,5,6,7", D(2026, 1, 1)): [
        "sample:(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)"
    ],
    ("FREQ=WEEKLY;BYDAY=MO,TU;BYMONTH=2;BYMONTHDAY=1;BYSETPOS=2", D(2026, 1, 1)): [
        "sample-weekly:(2,)"
    ],
    ("FREQ=MONTHLY;INTERVAL=24;BYMONTH=2", D(2026, 1, 1)): ["window:4824"],
    ("FREQ=YEARLY;INTERVAL=400;BYMONTH=2;BYMONTHDAY=29", D(2025, 1, 1)): ["window:9600"],
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1)): ["sample:(2,)"],
    ("FREQ=WEEKLY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1)): ["window:5220"],
    ("FREQ=DAILY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1)): ["window:5219"],
    ("FREQ=DAILY;INTERVAL=21;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1)): ["window:5220"],
    ("FREQ=YEARLY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1)): ["sample:(2,)"],
    ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", D(2028, 1, 1)): ["window:4848"],
    ("FREQ=MONTHLY;INTERVAL=5;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1)): ["window:4805"],
    ("FREQ=MONTHLY;BYDAY=5FR;BYMONTH=2", D(2026, 1, 1)): ["sample:(2,)"],
    ("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,12", D(2026, 1, 1)): ["sample:(4, 6, 9, 12)"],
    ("FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH", D(2027, 1, 1)): ["sample:None"],
    ("FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=2", D(2026, 1, 1)): ["sample-weekly:None"],
    ("FREQ=YEARLY;INTERVAL=6;BYMONTH=2;BYMONTHDAY=29", D(2026, 1, 1)): ["window:14472"],
    ("FREQ=YEARLY;BYYEARDAY=-366;BYDAY=SA", D(2026, 1, 1)): ["sample:None"],
}


@pytest.mark.parametrize(
    ("rule", "start"), [(r, s) for r, s, *_ in [*IMPOSSIBLE_RULES, *RARE_RULES]]
)
def test_the_quick_check_decides_each_rule_the_way_it_says(
    rule: str, start: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    in_sample, in_window = _programmes._none_in_sample, _programmes._none_in_window

    def sample(rule: Any, months: tuple[int, ...] | None, *, weekly: bool = False) -> bool:
        calls.append(f"sample{'-weekly' if weekly is True else ''}:{months}")
        return in_sample(rule, months, weekly=weekly)

    def window(rule: Any, start: date, months: int) -> bool:
        calls.append(f"window:{months}")
        return in_window(rule, start, months)

    monkeypatch.setattr(_programmes, "_none_in_sample", sample)
    monkeypatch.setattr(_programmes, "_none_in_window", window)
    _programmes._never(_programmes._parse_rule(rule, start), start)
    assert calls == DECIDED.get((rule, start), [])


@pytest.mark.parametrize(("rule", "start", "first"), RARE_RULES)
def test_the_quick_check_leaves_rare_rules_to_dateutil(
    rule: str, start: date, first: date | None
) -> None:
    assert _programmes._never(_programmes._parse_rule(rule, start), start) is False


@pytest.mark.parametrize(("rule", "start", "first"), RARE_RULES)
def test_rare_rules_still_have_their_occurrences(
    rule: str, start: date, first: date | None
) -> None:
    programme = Programme(id="p", name="n", rrule=rule, start=start)
    midnight = datetime(start.year, start.month, start.day)
    found = rrulestr(rule, dtstart=midnight).after(midnight, inc=True)
    assert found is not None
    assert first is None or found.date() == first
    assert occurrences(programme, start, found.date())[-1:] == (found.date(),)


@settings(max_examples=60, deadline=None)
@given(rule=rrule_texts(), start=st.dates(D(9980, 1, 1), D(9995, 12, 31)))
def test_a_rule_is_refused_exactly_when_dateutil_finds_no_occurrence(
    rule: str, start: date
) -> None:
    # Near the year 9999 dateutil's own search is short, so it can be the judge of every
    # rule; the quick refusals must never turn away a rule it finds an occurrence of.
    midnight = datetime(start.year, start.month, start.day)
    try:
        parsed = rrulestr(rule, dtstart=midnight)
    except ValueError:
        return  # not a rule dateutil reads (BYSETPOS alone, say): refused elsewhere
    if parsed.after(midnight, inc=True) is not None:
        Programme(id="p", name="n", rrule=rule, start=start)
    else:
        with pytest.raises(InvalidInputError, match="has no occurrence"):
            Programme(id="p", name="n", rrule=rule, start=start)


# --- iCalendar: exact lines (RFC 5545) ----------------------------------------------------


def ical_lines(text: str) -> list[str]:
    """The physical lines of ``text``, which must all end with CRLF."""
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


def test_ical_text_line_by_line() -> None:
    programmes = [
        # Start on an occurrence (the only one): DTSTART is the start itself.
        Programme(
            id="p2",
            name="Drill: exits, stairs; \\ roof\r\nline 2\tend\x07",
            rrule="FREQ=DAILY;COUNT=1",
            start=D(2026, 3, 2),
            grid="g1",
            organizer=PartyKind.VOLUNTEER,
        ),
        # Start on a Sunday: DTSTART moves to the first Monday, DTSTAMP stays the start.
        Programme(id="p1", name="清洁", rrule="FREQ=WEEKLY;BYDAY=MO", start=D(2026, 3, 1)),
        Programme(id="p3", name="n", rrule="FREQ=WEEKLY;BYDAY=MO", start=D(2026, 3, 2), grid="g2"),
        Programme(
            id="p4",
            name="n",
            rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=1SA",
            start=D(2026, 1, 1),
            organizer=PartyKind.RESIDENT,
        ),
    ]
    visits = [
        ("e-0001", PlannedVisit(on=D(2027, 1, 11), nominal=D(2027, 1, 10), provisional=True)),
        ("e-0001", PlannedVisit(on=D(2026, 3, 3), nominal=D(2026, 3, 1))),
        # Two plans for one case and day merge: the earliest nominal date and the flag.
        ("c-9", PlannedVisit(on=D(2026, 3, 2), nominal=D(2026, 2, 28), provisional=True)),
        ("c-9", PlannedVisit(on=D(2026, 3, 2), nominal=D(2026, 3, 2))),
    ]
    text = to_ical(programmes, visits)
    provisional_description = [
        # 75 octets, then a continuation line starting with one space (RFC 5545 §3.1).
        "DESCRIPTION:nominal date 2026-02-28\\; placed with provisional calendar data",
        " \\, may move once the State Council notice for the year is out",
    ]
    assert ical_lines(text) == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//community-care//follow-up and programmes//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:community-care",
        "BEGIN:VEVENT",
        "UID:programme-p1@community-care",
        "DTSTAMP:20260301T000000Z",
        "DTSTART;VALUE=DATE:20260302",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "SUMMARY:清洁",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:programme-p2@community-care",
        "DTSTAMP:20260302T000000Z",
        "DTSTART;VALUE=DATE:20260302",
        "RRULE:FREQ=DAILY;COUNT=1",
        "DESCRIPTION:grid g1\\; organizer volunteer",
        "SUMMARY:Drill: exits\\, stairs\\; \\\\ roof\\nline 2\tend",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:programme-p3@community-care",
        "DTSTAMP:20260302T000000Z",
        "DTSTART;VALUE=DATE:20260302",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "DESCRIPTION:grid g2",
        "SUMMARY:n",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:programme-p4@community-care",
        "DTSTAMP:20260101T000000Z",
        "DTSTART;VALUE=DATE:20260103",
        "RRULE:FREQ=MONTHLY;INTERVAL=3;BYDAY=1SA",
        "DESCRIPTION:organizer resident",
        "SUMMARY:n",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:visit-c-9-20260302@community-care",
        "DTSTAMP:20260302T000000Z",
        "DTSTART;VALUE=DATE:20260302",
        *provisional_description,
        "SUMMARY:随访 follow-up visit: case c-9 (provisional 暂定)",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:visit-e-0001-20260303@community-care",
        "DTSTAMP:20260303T000000Z",
        "DTSTART;VALUE=DATE:20260303",
        "DESCRIPTION:nominal date 2026-03-01",
        "SUMMARY:随访 follow-up visit: case e-0001",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:visit-e-0001-20270111@community-care",
        "DTSTAMP:20270111T000000Z",
        "DTSTART;VALUE=DATE:20270111",
        "DESCRIPTION:nominal date 2027-01-10\\; placed with provisional calendar data",
        " \\, may move once the State Council notice for the year is out",
        "SUMMARY:随访 follow-up visit: case e-0001 (provisional 暂定)",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    # Cross-check with an independent parser: unfolded and unescaped, the values are
    # the originals (the BEL control character is left out: RFC 5545 TSAFE-CHAR).
    events = {str(e["UID"]): e for e in _parsed(text).walk("VEVENT")}
    p2 = events["programme-p2@community-care"]
    assert str(p2["SUMMARY"]) == "Drill: exits, stairs; \\ roof\nline 2\tend"
    assert p2.decoded("DTSTART") == D(2026, 3, 2)
    c9 = events["visit-c-9-20260302@community-care"]
    assert str(c9["DESCRIPTION"]) == (
        "nominal date 2026-02-28; placed with provisional calendar data, may move once the "
        "State Council notice for the year is out"
    )


def test_ical_merge_keeps_a_flag_from_either_plan() -> None:
    early = PlannedVisit(on=D(2026, 3, 2), nominal=D(2026, 2, 27), provisional=True)
    late = PlannedVisit(on=D(2026, 3, 2), nominal=D(2026, 3, 1))
    for pairs in ([("e", early), ("e", late)], [("e", late), ("e", early)]):
        lines = ical_lines(to_ical(visits=pairs))
        assert "SUMMARY:随访 follow-up visit: case e (provisional 暂定)" in lines
        assert any(line.startswith("DESCRIPTION:nominal date 2026-02-27\\;") for line in lines)
    # Another case on the same day is another event.
    lines = ical_lines(to_ical(visits=[("e", late), ("f", late)]))
    assert [line for line in lines if line.startswith("UID:")] == [
        "UID:visit-e-20260302@community-care",
        "UID:visit-f-20260302@community-care",
    ]


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("a\\b", "a\\\\b"),
        ("a\\nb", "a\\\\nb"),  # a backslash then n, not a line break
        ("\\;", "\\\\\\;"),
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\nb"),
        ("a\rb", "a\\nb"),
        ("a\n\r\nb", "a\\n\\nb"),
        ("a\tb", "a\tb"),  # tab is a TSAFE-CHAR
        ('a:"b"', 'a:"b"'),  # colon and double quote need no escape in TEXT
        ("a\x00\x08\x0b\x0c\x0e\x1f\x7fb", "ab"),  # other controls are left out
        ("社区 calendar", "社区 calendar"),
    ],
)
def test_ical_text_values_are_escaped_per_rfc_5545(name: str, escaped: str) -> None:
    visit = ("e", PlannedVisit(on=D(2026, 3, 2), nominal=D(2026, 3, 2)))
    lines = ical_lines(to_ical(visits=[visit], calendar_name=name))
    assert lines[4] == f"X-WR-CALNAME:{escaped}"
    programme = Programme(id="p", name=name, rrule="FREQ=WEEKLY;BYDAY=MO", start=D(2026, 3, 2))
    text = to_ical([programme])
    assert f"SUMMARY:{escaped}" in ical_lines(text)
    expected = "".join(
        c
        for c in name.replace("\r\n", "\n").replace("\r", "\n")
        if c not in "\x00\x08\x0b\x0c\x0e\x1f\x7f"
    )
    (event,) = _parsed(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == expected


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        # "X-WR-CALNAME:" is 13 octets: 62 more make a 75-octet line, which stays whole.
        ("a" * 62, ["X-WR-CALNAME:" + "a" * 62]),
        ("a" * 63, ["X-WR-CALNAME:" + "a" * 62, " a"]),
        # Continuation lines hold 74 octets after their leading space.
        (
            "a" * (62 + 74 + 74 + 5),
            ["X-WR-CALNAME:" + "a" * 62, " " + "a" * 74, " " + "a" * 74, " " + "a" * 5],
        ),
        # A 3-octet character is never split: it fits exactly, or moves down whole.
        ("a" * 59 + "中", ["X-WR-CALNAME:" + "a" * 59 + "中"]),
        ("a" * 60 + "中", ["X-WR-CALNAME:" + "a" * 60, " 中"]),
        ("a" * 61 + "中b", ["X-WR-CALNAME:" + "a" * 61, " 中b"]),
        # 4-octet characters: 15 fill 73 octets (a 16th would make 77), then 18 per line.
        ("😀" * 40, ["X-WR-CALNAME:" + "😀" * 15, " " + "😀" * 18, " " + "😀" * 7]),
    ],
)
def test_ical_lines_fold_at_75_octets(name: str, lines: list[str]) -> None:
    visit = ("e", PlannedVisit(on=D(2026, 3, 2), nominal=D(2026, 3, 2)))
    text = to_ical(visits=[visit], calendar_name=name)
    got = ical_lines(text)
    assert got[4 : 4 + len(lines)] == lines
    assert got[4 + len(lines)] == "BEGIN:VEVENT"
    assert all(len(line.encode()) <= 75 for line in got)
    # Unfolding (RFC 5545 §3.1: remove CRLF + one space) gives the line back.
    assert "\r\n".join(lines).replace("\r\n ", "") == "X-WR-CALNAME:" + name
    assert text.replace("\r\n ", "").split("\r\n")[4] == "X-WR-CALNAME:" + name


def test_ical_argument_messages() -> None:
    visit = PlannedVisit(on=D(2026, 1, 1), nominal=D(2026, 1, 1))
    pair_message = (
        "expected a (case_id, PlannedVisit) pair such as "
        "('e-0001', PlannedVisit(on=..., nominal=...)), got "
    )
    cases: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
        ({"calendar_name": ""}, [("$.calendar_name", "expected a non-empty name, got ''")]),
        ({"calendar_name": 5}, [("$.calendar_name", "expected a non-empty name, got 5")]),
        ({"programmes": [_cleanup(), "p"]}, [("$.programmes[1]", "expected a Programme, got 'p'")]),
        (
            {"visits": [("e", visit), ("e", D(2026, 1, 1))]},
            [("$.visits[1]", pair_message + "('e', datetime.date(2026, 1, 1))")],
        ),
        (
            {"visits": [("", visit)]},
            [("$.visits[0]", pair_message + "('', PlannedVisit(on=datetime.date(20...")],
        ),
        ({"visits": ["e"]}, [("$.visits[0]", pair_message + "'e'")]),
    ]
    for kwargs, expected in cases:
        with pytest.raises(InvalidInputError) as err:
            to_ical(**kwargs)
        assert problems(err) == expected, kwargs
    a = _cleanup()
    b = attrs.evolve(a, id="b")
    with pytest.raises(InvalidInputError) as err:
        to_ical([a, b, b])
    assert problems(err) == [
        ("$.programmes[2].id", "programme id 'b' is repeated (first at $.programmes[1])")
    ]


# --- the field builders ------------------------------------------------------------------
# They run while the module is imported; each test below also builds a throwaway model
# with the builder, so the builder is checked where it is called (and mutation testing,
# which credits import-time calls to the first test of the session only, sees it here).

PARTY_VALUES = (
    "'community_committee', 'member_unit', 'social_organization', 'volunteer', 'resident', "
    "'social_worker', 'charity_resource'"
)
PARTY_SCHEMA = {
    "anyOf": [
        {
            "type": "string",
            "enum": [
                "community_committee",
                "member_unit",
                "social_organization",
                "volunteer",
                "resident",
                "social_worker",
                "charity_resource",
            ],
        },
        {"type": "null"},
    ]
}


def test_optional_party_field() -> None:
    from community_care.followup._programmes import _optional_party_field

    @attrs.frozen(kw_only=True)
    class Sponsored:
        sponsor: PartyKind | None = _optional_party_field()

    assert Sponsored().sponsor is None
    assert Sponsored(sponsor=None).sponsor is None
    assert Sponsored(sponsor="volunteer").sponsor is PartyKind.VOLUNTEER  # type: ignore[arg-type]
    assert Sponsored(sponsor=PartyKind.RESIDENT).sponsor is PartyKind.RESIDENT
    for bad, shown in [("mayor", "'mayor'"), ("", "''"), (3, "3"), ("Volunteer", "'Volunteer'")]:
        with pytest.raises(InvalidInputError) as err:
            Sponsored(sponsor=bad)  # type: ignore[arg-type]
        assert problems(err) == [
            ("$.sponsor", f"expected one of {PARTY_VALUES} or null, got {shown}")
        ]
    schema = json_schema(Sponsored)
    assert schema["properties"] == {"sponsor": PARTY_SCHEMA}
    assert "required" not in schema
    # Programme.organizer, built the same way.
    drill = Programme(id="d", name="n", rrule="FREQ=DAILY", start=D(2026, 1, 1))
    assert drill.organizer is None
    assert attrs.evolve(drill, organizer="member_unit").organizer is PartyKind.MEMBER_UNIT  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(drill, organizer="mayor")  # type: ignore[arg-type]
    assert problems(err) == [
        ("$.organizer", f"expected one of {PARTY_VALUES} or null, got 'mayor'")
    ]
    assert json_schema(Programme)["properties"]["organizer"] == PARTY_SCHEMA
    assert json_schema(Programme)["required"] == ["id", "name", "rrule", "start"]


def test_level_field() -> None:
    from community_care.children import ChildRisk
    from community_care.elderly import RiskTier
    from community_care.followup._cadence import _level_field

    @attrs.frozen(kw_only=True)
    class Levelled:
        level: RiskTier | ChildRisk = _level_field()
        before: RiskTier | ChildRisk | None = _level_field(optional=True)

    with pytest.raises(TypeError):
        Levelled()  # level is required
    got = Levelled(level=RiskTier.RED)
    assert got.before is None
    assert got.level is RiskTier.RED  # a member is kept
    got = Levelled(level="high", before="green")  # a string becomes its member
    assert got.level is ChildRisk.HIGH and got.before is RiskTier.GREEN
    assert got == Levelled(level=ChildRisk.HIGH, before=RiskTier.GREEN)
    assert Levelled(level="purple").level == "purple"  # left for the record to refuse
    with pytest.raises(InvalidInputError) as err:
        Levelled(level=None)  # type: ignore[arg-type]
    assert problems(err) == [("$.level", "expected a non-empty string, got None")]
    with pytest.raises(InvalidInputError) as err:
        Levelled(level="red", before="")
    assert problems(err) == [("$.before", "expected a non-empty string or null, got ''")]
    level_schema = {"type": "string", "minLength": 1}
    schema = json_schema(Levelled)
    assert schema["properties"] == {
        "level": level_schema,
        "before": {"anyOf": [level_schema, {"type": "null"}]},
    }
    assert schema["required"] == ["level"]
    # FollowUpEvent's level and previous_level, built the same way.
    event = FollowUpEvent(
        on=D(2026, 3, 2),
        action=FollowUpAction.RETIERED,
        level=RiskTier.RED,
        previous_level=RiskTier.GREEN,
        due=D(2026, 3, 3),
        grace_days=1,
    )
    assert (event.level, event.previous_level) == (RiskTier.RED, RiskTier.GREEN)
    assert unstructure(event)["previous_level"] == "green"  # JSON has the plain value
    opened = FollowUpEvent(
        on=D(2026, 3, 2), action=FollowUpAction.OPENED, level="red", due=D(2026, 3, 3), grace_days=1
    )
    assert opened.previous_level is None and opened.level is RiskTier.RED
    event_schema = json_schema(FollowUpEvent)
    assert event_schema["required"] == ["on", "action", "level", "due", "grace_days"]
    assert event_schema["properties"]["previous_level"] == {
        "anyOf": [level_schema, {"type": "null"}]
    }
    assert json_schema(FollowUp)["properties"]["level"] == level_schema


def test_note_field() -> None:
    from community_care.followup._visits import _note_field

    @attrs.frozen(kw_only=True)
    class Noted:
        note: str = _note_field()

    assert Noted().note == ""
    assert Noted(note="").note == ""  # an empty note is a note
    assert repr(Noted(note="王小明 at home")) == "Noted(note=<11 chars>)"
    with pytest.raises(InvalidInputError) as err:
        Noted(note=None)  # type: ignore[arg-type]
    assert problems(err) == [("$.note", "expected a string, got None")]
    assert json_schema(Noted)["properties"] == {"note": {"type": "string"}}
    assert "required" not in json_schema(Noted)
    # Visit.note, built the same way.
    assert Visit(on=D(2026, 3, 2), by="w01").note == ""
    assert repr(Visit(on=D(2026, 3, 2), by="w01", note="家中安全")) == (
        "Visit(on=datetime.date(2026, 3, 2), by='w01', note=<4 chars>,"
        " mode=<VisitMode.HOME: 'home'>, met=True, findings=())"
    )
    assert json_schema(Visit)["required"] == ["on", "by"]
