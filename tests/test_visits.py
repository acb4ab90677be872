"""Visits that cover every calendar month (spec §5), attempts, findings and 月探访率 (§6)."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st
from tests.strategies.followup import PROVISIONAL, cadences, calendars, monthly_or_shorter

from community_care import (
    Cadence,
    FollowUp,
    Policy,
    WeekendCalendar,
    WorkCalendar,
    forecast,
    forecast_visits,
    kpis,
    official_calendar,
    open_followup,
    plan_community,
    record_visit,
    retier,
    structure,
    unstructure,
    visits_due,
)
from community_care.calendar import first_working_day_on_or_after, last_working_day_on_or_before
from community_care.errors import InvalidArgumentError, InvalidInputError
from community_care.followup import Finding, FollowUpAction, Visit, cadence_for
from community_care.ledger import (
    Hazard,
    Ledger,
    MonthCoverage,
    Problem,
    findings_to_records,
)
from community_care.report import render_text
from community_care.samples import DEMO_DATE, demo_community

D = date
OFFICIAL = official_calendar()
YELLOW = Cadence(every=1, unit="month", working_days_only=True, cover_every_month=True)
anchors = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 6, 30))


def _interval(c: Cadence, k: int) -> relativedelta:
    n = c.every * k
    return {
        "day": relativedelta(days=n),
        "week": relativedelta(weeks=n),
        "month": relativedelta(months=n),
    }[c.unit.value]


def _month_end(day: date) -> date:
    return day + relativedelta(day=31)


def reference(c: Cadence, anchor: date, until: date, cal: WorkCalendar) -> list[tuple[date, date]]:
    """Spec §5 read literally, with relativedelta: (visit, nominal) pairs."""
    out: list[tuple[date, date]] = []
    prev = anchor
    k = 0
    while True:
        k += 1
        d = anchor + _interval(c, k)
        if d > until:
            return out
        x = d
        if c.working_days_only and not cal.is_working_day(d):
            f = first_working_day_on_or_after(cal, d)
            if (f - d).days <= c.max_shift_days:
                x = f
            else:
                p = last_working_day_on_or_before(cal, d)
                x = p if p > prev else f
        if c.cover_every_month:
            m_end = _month_end(prev.replace(day=1) + relativedelta(months=1))
            if x > m_end:
                last = m_end
                if c.working_days_only:
                    last = last_working_day_on_or_before(cal, m_end)
                if last > prev:
                    x = last
        if x == prev:
            continue
        out.append((x, d))
        prev = x


# --- the cap of §5 ----------------------------------------------------------------------


@given(cadences(), st.booleans(), anchors, st.integers(0, 200), calendars)
def test_forecast_is_the_spec_with_and_without_the_cap(
    c: Cadence, cover: bool, anchor: date, days: int, cal: WorkCalendar
) -> None:
    c = attrs.evolve(c, cover_every_month=cover)
    until = anchor + timedelta(days=days)
    expected = reference(c, anchor, until, cal)
    planned = forecast_visits(c, anchor=anchor, until=until, calendar=cal)
    assert [(v.on, v.nominal) for v in planned] == expected
    assert forecast(c, anchor=anchor, until=until, calendar=cal) == tuple(v for v, _ in expected)


@given(cadences(), anchors, st.integers(0, 200), calendars)
def test_the_cap_never_moves_a_visit_later_nor_before_the_previous(
    c: Cadence, anchor: date, days: int, cal: WorkCalendar
) -> None:
    until = anchor + timedelta(days=days)
    plain = {v.nominal: v.on for v in forecast_visits(c, anchor=anchor, until=until, calendar=cal)}
    capped = forecast_visits(
        attrs.evolve(c, cover_every_month=True), anchor=anchor, until=until, calendar=cal
    )
    prev = anchor
    for v in capped:
        assert v.on > prev
        prev = v.on
        if v.nominal in plain:
            assert v.on <= plain[v.nominal]
    # The cap never re-anchors the series: the nominal dates are those of the cadence.
    assert set(plain) >= {v.nominal for v in capped} or c.working_days_only


@given(monthly_or_shorter(), anchors, calendars)
def test_visits_done_on_their_due_dates_cover_every_calendar_month(
    c: Cadence, first: date, cal: WorkCalendar
) -> None:
    visits = [first]
    for _ in range(14):
        v = visits[-1]
        visits.append(forecast(c, anchor=v, until=v + relativedelta(months=1), calendar=cal)[0])
    month = first.replace(day=1)
    while month <= visits[-1]:
        # Only a calendar with a working day in the month can cover it.
        assume(
            not c.working_days_only
            or any(
                cal.is_working_day(month + timedelta(days=i))
                for i in range((_month_end(month) - month).days + 1)
            )
        )
        assert any(month <= v <= _month_end(month) for v in visits), month
        month += relativedelta(months=1)


def test_the_30_january_example() -> None:
    # 2020: 30 Jan + 1 month = 29 Feb 2020, a Saturday; the shift gives Monday 2 March,
    # and February would have no visit. The cap gives Friday 28 February.
    assert not OFFICIAL.is_working_day(D(2020, 2, 29))
    plain = attrs.evolve(YELLOW, cover_every_month=False)
    assert forecast(plain, anchor=D(2020, 1, 30), until=D(2020, 3, 31)) == (
        D(2020, 3, 2),
        D(2020, 3, 30),
    )
    assert forecast(YELLOW, anchor=D(2020, 1, 30), until=D(2020, 3, 31)) == (
        D(2020, 2, 28),
        D(2020, 3, 30),
    )
    # 2026: 30 Jan + 1 month = 28 Feb, a Saturday but a make-up working day (调休):
    # both give it, the cap does not apply.
    assert forecast(plain, anchor=D(2026, 1, 30), until=D(2026, 2, 28)) == (D(2026, 2, 28),)
    assert forecast(YELLOW, anchor=D(2026, 1, 30), until=D(2026, 2, 28)) == (D(2026, 2, 28),)
    # Without working days the cap gives the month's last day, whatever it is.
    calendar_days = Cadence(every=40, unit="day", cover_every_month=True)
    assert forecast(calendar_days, anchor=D(2026, 1, 30), until=D(2026, 3, 15)) == (D(2026, 2, 28),)
    # The nominal dates stay A + k x interval: March is 30 March, not 28 Feb + 1 month.
    visits = forecast_visits(YELLOW, anchor=D(2020, 1, 30), until=D(2020, 3, 31))
    assert [v.nominal for v in visits] == [D(2020, 2, 29), D(2020, 3, 30)]


def test_the_rolling_due_date_is_capped() -> None:
    case = open_followup("e1", "elderly", "yellow", on=D(2020, 1, 20))
    case = record_visit(case, D(2020, 1, 30), "w01")
    assert case.next_due == D(2020, 2, 28)  # not 2 March
    # A visit on 4 March is still within the grace of 5 days, but February had none:
    # the monthly coverage shows it, the on-time rate cannot.
    late = record_visit(case, D(2020, 3, 4), "w01")
    assert visits_due([late], start=D(2020, 2, 1), end=D(2020, 2, 29))[0].on_time
    feb = kpis([], [], [], start=D(2020, 2, 1), end=D(2020, 2, 29), cases=[late])
    assert feb.monthly_visit_coverage.value == 0.0
    # Without the flag (a policy that sets it off) the v1 date stands.
    policy = Policy.from_document(
        {
            "version": "no-cap",
            "amendments": [
                {
                    "effective_from": "2020-01-01",
                    "changes": {"followup.elderly.yellow.cover_every_month": False},
                }
            ],
        }
    )
    uncapped = open_followup("e1", "elderly", "yellow", on=D(2020, 1, 20), policy=policy)
    uncapped = record_visit(uncapped, D(2020, 1, 30), "w01", policy=policy)
    assert uncapped.next_due == D(2020, 3, 2)
    assert not cadence_for(
        "elderly", "yellow", on=D(2026, 1, 1), policy=policy
    ).cadence.cover_every_month
    # A policy document can set it for another row as well.
    on = policy.amend(
        D(2026, 1, 1), {"followup.elderly.green.cover_every_month": True}, version="x"
    )
    assert cadence_for("elderly", "green", on=D(2026, 1, 1), policy=on).cadence.cover_every_month


class Spy:
    """A calendar that records which days it was asked about."""

    def __init__(self, inner: WorkCalendar) -> None:
        self.inner = inner
        self.asked: list[date] = []

    def is_working_day(self, d: date) -> bool:
        self.asked.append(d)
        return self.inner.is_working_day(d)

    def covers(self, d: date) -> bool:
        return self.inner.covers(d)  # type: ignore[attr-defined, no-any-return]

    def is_provisional(self, d: date) -> bool:
        return self.inner.is_provisional(d)


def test_the_calendar_is_asked_about_the_month_end_only_when_the_cap_applies() -> None:
    spy = Spy(WeekendCalendar())
    # 2 Feb + 1 month = 2 March, inside March: no cap, no question about March's end.
    assert forecast(YELLOW, anchor=D(2026, 2, 2), until=D(2026, 3, 2), calendar=spy) == (
        D(2026, 3, 2),
    )
    assert spy.asked == [D(2026, 3, 2)]
    spy.asked.clear()
    assert forecast(YELLOW, anchor=D(2026, 1, 30), until=D(2026, 2, 28), calendar=spy) == (
        D(2026, 2, 27),
    )
    assert D(2026, 2, 27) in spy.asked


def test_a_capped_visit_is_provisional_when_the_month_end_is() -> None:
    cal = official_calendar().with_provisional(2028)
    # The anchor and the nominal date are in 2026, the capped date's month too: firm.
    [v] = forecast_visits(YELLOW, anchor=D(2020, 1, 30), until=D(2020, 2, 29), calendar=cal)
    assert (v.on, v.provisional) == (D(2020, 2, 28), False)
    # 30 Dec 2026 + 1 month = 30 Jan 2027 (Saturday, provisional year): the shift to
    # 1 Feb is past January, so the cap asks about January's end, which is provisional.
    [v] = forecast_visits(YELLOW, anchor=D(2026, 12, 30), until=D(2027, 1, 30), calendar=cal)
    assert (v.on, v.nominal, v.provisional) == (D(2027, 1, 29), D(2027, 1, 30), True)
    # The flags come from the days asked for the capped date as well as for the shift.
    weekend = forecast_visits(YELLOW, anchor=D(2020, 1, 30), until=D(2020, 2, 29))
    assert [v.provisional for v in weekend] == [False]


def test_the_cap_leaves_a_month_without_a_working_day_alone() -> None:
    closed = WeekendCalendar().with_closures(D(2026, 2, 1) + timedelta(days=i) for i in range(28))
    # February has no working day: x stands (never before the previous visit).
    got = forecast(YELLOW, anchor=D(2026, 1, 30), until=D(2026, 2, 28), calendar=closed)
    assert got == (D(2026, 3, 2),)


def test_the_cap_at_the_end_of_representable_dates() -> None:
    c = Cadence(every=1, unit="day", cover_every_month=True)
    assert forecast(c, anchor=D(9999, 12, 30), until=D(9999, 12, 31)) == (D(9999, 12, 31),)


# --- visits and attempts ----------------------------------------------------------------


steps = st.lists(
    st.tuples(st.integers(0, 40), st.booleans(), st.sampled_from(["home", "phone", "video"])),
    max_size=8,
)


@given(st.sampled_from(["red", "yellow", "green"]), st.dates(D(2025, 1, 1), D(2026, 6, 30)), steps)
def test_an_attempt_never_changes_a_due_date(
    level: str, opened: date, plan: list[tuple[int, bool, str]]
) -> None:
    case = open_followup("e1", "elderly", level, on=opened)
    day = opened
    for gap, met, mode in plan:
        day += timedelta(days=gap)
        before = case
        case = record_visit(before, day, "w01", mode=mode, met=met, calendar=PROVISIONAL)
        if not met:
            assert (case.next_due, case.grace_days, case.level) == (
                before.next_due,
                before.grace_days,
                before.level,
            )
            assert case.history[-1].action is FollowUpAction.ATTEMPTED
            assert case.visits[-1] == Visit(on=day, by="w01", mode=mode, met=False)
            # It counts in no KPI: the visits due are those without the attempt.
            end = day + timedelta(days=90)
            assert visits_due([case], start=opened, end=end) == visits_due(
                [before], start=opened, end=end
            )
    # The record survives the JSON round trip, attempts and modes included.
    assert structure(unstructure(case), FollowUp) == case


def test_attempts_in_a_followup_document() -> None:
    case = open_followup("e1", "elderly", "yellow", on=D(2026, 3, 2))
    case = record_visit(case, D(2026, 3, 5), "w01", mode="phone", met=False)
    case = record_visit(case, D(2026, 3, 6), "w01", mode="video")
    doc = unstructure(case)
    assert doc["visits"][0] == {
        "on": "2026-03-05", "by": "w01", "note": "", "mode": "phone", "met": False,
        "findings": [],
    }  # fmt: skip
    assert [e["action"] for e in doc["history"]] == ["opened", "attempted", "visited"]
    # An old document (no mode, no met) still loads: a home visit where the person was met.
    old = {**doc, "visits": [{"on": "2026-03-05", "by": "w01"}]}
    old["history"] = [doc["history"][0], {**doc["history"][2], "on": "2026-03-05"}]
    old["next_due"] = doc["history"][2]["due"]
    loaded = structure(old, FollowUp)
    assert loaded.visits[0].mode.value == "home" and loaded.visits[0].met
    # An attempt recorded as a visit, or that moved the due date, is refused.
    wrong = {**doc, "history": [doc["history"][0], {**doc["history"][1], "action": "visited"},
                                doc["history"][2]]}  # fmt: skip
    with pytest.raises(InvalidInputError) as err:
        structure(wrong, FollowUp)
    assert [p.path for p in err.value.problems] == ["$.visits"]
    moved = [doc["history"][0], {**doc["history"][1], "due": "2026-03-20"}, doc["history"][2]]
    with pytest.raises(InvalidInputError) as err:
        structure({**doc, "history": moved}, FollowUp)
    assert [p.path for p in err.value.problems] == ["$.history[1]"]
    with pytest.raises(InvalidInputError) as err:
        structure({**doc, "visits": [{**doc["visits"][0], "mode": "letter"}, doc["visits"][1]]},
                  FollowUp)  # fmt: skip
    assert [p.path for p in err.value.problems] == ["$.visits[0].mode"]


def test_record_visit_checks_its_new_arguments() -> None:
    case = open_followup("e1", "elderly", "red", on=D(2026, 3, 2))
    with pytest.raises(InvalidInputError):
        record_visit(case, D(2026, 3, 3), "w01", mode="letter")
    with pytest.raises(InvalidInputError):
        record_visit(case, D(2026, 3, 3), "w01", met=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        record_visit(case, D(2026, 3, 3), "w01", findings=3)  # type: ignore[arg-type]


# --- findings ---------------------------------------------------------------------------

SECRET = "王小明说楼道被堵"


def _found() -> FollowUp:
    case = open_followup("e1", "elderly", "red", on=D(2026, 3, 2))
    return record_visit(
        case,
        D(2026, 3, 3),
        "w01",
        findings=[
            Finding(block="health", category="chronic_care", note=SECRET),
            Finding(block="safety", category="blocked_fire_escape", note=SECRET),
            Finding(block="safety", category="grab_bar_install", note=SECRET),
            Finding(block="health", category="chronic_care", note="again"),
            Finding(block="needs", category="companionship"),
        ],
    )


def test_findings_become_problems_and_hazards_with_derived_ids() -> None:
    case = _found()
    out = findings_to_records(case, case.visits[-1], grid="g1", building="b3")
    assert [(p.id, p.category, p.source.value, p.grid, p.reported_on) for p in out.problems] == [
        ("e1:2026-03-03:health:1", "chronic_care", "outreach", "g1", D(2026, 3, 3)),
        ("e1:2026-03-03:safety:2", "grab_bar_install", "outreach", "g1", D(2026, 3, 3)),
        ("e1:2026-03-03:needs:1", "companionship", "outreach", "g1", D(2026, 3, 3)),
    ]
    assert [(h.id, h.kind.value, h.building, h.grid, h.found_on) for h in out.hazards] == [
        ("e1:2026-03-03:safety:1", "blocked_fire_escape", "b3", "g1", D(2026, 3, 3)),
    ]
    # The repeated category of the same visit gives no second record.
    assert out.already_open == ("e1:2026-03-03:health:1",)
    # The records go into the ledger as they are; proactive share counts them.
    ledger = Ledger().add(*out.problems, *out.hazards)
    report = ledger.kpis(start=D(2026, 3, 1), end=D(2026, 3, 31))
    assert report.proactive_share.value == 1.0 and report.hazards_found.value == 1
    # The same visit gives the same ids.
    assert findings_to_records(case, case.visits[-1], grid="g1", building="b3") == out


def test_two_visits_of_one_day_need_ids_of_their_own() -> None:
    case = _found()
    again = record_visit(case, D(2026, 3, 3), "w02",
                         findings=[Finding(block="needs", category="companionship")])  # fmt: skip
    first = findings_to_records(case, case.visits[-1], grid="g1", building="b3")
    # The first visit's companionship problem, dealt with the same day.
    done = first.problems[-1].accept(D(2026, 3, 3)).start_work(D(2026, 3, 3))
    done = done.resolve(D(2026, 3, 3), parties=["volunteer"])
    with pytest.raises(InvalidInputError) as err:
        findings_to_records(again, again.visits[-1], grid="g1", building="b3",
                            open_problems=[done])  # fmt: skip
    assert str(err.value) == (
        "invalid input: $.ids: the id 'e1:2026-03-03:needs:1' of finding 0 is already used by"
        " another record; give ids= for two visits of one case on one day"
    )
    given = findings_to_records(again, again.visits[-1], grid="g1", ids=["n9"],
                                open_problems=[done])  # fmt: skip
    assert [p.id for p in given.problems] == ["n9"]


def test_findings_never_repeat_an_open_record_of_the_same_place() -> None:
    case = _found()
    visit = case.visits[-1]
    open_problem = Problem(id="p9", category="chronic_care", reported_on=D(2026, 2, 1),
                           source="outreach")  # fmt: skip
    done = Problem(id="p8", category="companionship", reported_on=D(2026, 1, 1),
                   source="outreach").accept(D(2026, 1, 2)).start_work(D(2026, 1, 3)).resolve(
        D(2026, 1, 9), parties=["volunteer"])  # fmt: skip
    same_building = Hazard(id="h1", kind="blocked_fire_escape", building="b3", grid="g1",
                           found_on=D(2026, 2, 1))  # fmt: skip
    other_building = attrs.evolve(same_building, id="h2", building="b4")
    out = findings_to_records(
        case, visit, grid="g1", building="b3", ids=["n1", "n2", "n3", "n4", "n5"],
        open_problems=[open_problem, done], open_hazards=[other_building, same_building],
    )  # fmt: skip
    assert [p.id for p in out.problems] == ["n3", "n5"]  # companionship: the old one is done
    assert out.hazards == ()
    assert out.already_open == ("p9", "h1")
    # In another building the hazard is new.
    elsewhere = findings_to_records(case, visit, grid="g2", building="b4",
                                    open_hazards=[same_building])  # fmt: skip
    assert [h.building for h in elsewhere.hazards] == ["b4"]


def test_findings_errors_never_show_a_note() -> None:
    case = _found()
    visit = case.visits[-1]
    with pytest.raises(InvalidInputError) as err:
        findings_to_records(case, visit, grid="g1")
    assert [p.path for p in err.value.problems] == ["$.visit.findings[1]"]
    assert SECRET not in str(err.value) and "王" not in str(err.value)
    with pytest.raises(InvalidInputError) as err:
        findings_to_records(case, visit, grid="g1", building="b3", ids=["a"])
    assert [p.path for p in err.value.problems] == ["$.ids"]
    with pytest.raises(InvalidInputError) as err:
        findings_to_records(case, visit, grid="g1", building="b3", ids=["a"] * 5)
    assert [p.path for p in err.value.problems] == ["$.ids"]
    taken = Problem(id="e1:2026-03-03:needs:1", category="x", reported_on=D(2026, 1, 1),
                    source="hotline")  # fmt: skip
    with pytest.raises(InvalidInputError):
        findings_to_records(case, visit, grid="g1", building="b3", open_problems=[taken])
    with pytest.raises(InvalidInputError) as err:
        findings_to_records(case, attrs.evolve(visit, by="w02"), grid="g1", building="b3")
    assert [p.path for p in err.value.problems] == ["$.visit"]
    assert SECRET not in repr(visit)
    with pytest.raises(InvalidArgumentError):
        findings_to_records(case, visit, grid="")
    with pytest.raises(InvalidArgumentError):
        findings_to_records(case, visit, grid="g1", building="b3", open_problems=[1])  # type: ignore[list-item]
    with pytest.raises(InvalidArgumentError):
        findings_to_records(visit, visit)  # type: ignore[arg-type]


# --- 月探访率 ------------------------------------------------------------------------------


def test_monthly_visit_coverage_on_a_hand_worked_example() -> None:
    # Period 15 Jan - 30 Apr 2026: February, March and April are wholly inside.
    a = open_followup("a", "elderly", "yellow", on=D(2026, 1, 10))
    a = record_visit(a, D(2026, 1, 14), "w")
    a = record_visit(a, D(2026, 2, 10), "w")
    a = record_visit(a, D(2026, 3, 31), "w", met=False)  # an attempt covers nothing
    a = record_visit(a, D(2026, 4, 1), "w", mode="phone")
    b = open_followup("b", "elderly", "red", on=D(2026, 2, 1))  # open on 1 Feb: counted
    b = record_visit(b, D(2026, 2, 2), "w")
    b = retier(b, "green", D(2026, 2, 20))  # green from 20 Feb: no pair in March, April
    c = open_followup("c", "elderly", "green", on=D(2026, 1, 5))
    c = retier(c, "red", D(2026, 3, 1))  # red on 1 March itself: counted from March
    c = record_visit(c, D(2026, 3, 2), "w")
    late = open_followup("d", "elderly", "red", on=D(2026, 2, 2))  # opened after 1 Feb
    child = record_visit(open_followup("k", "child", "high", on=D(2026, 1, 1)), D(2026, 2, 2), "w")
    report = kpis([], [], [], start=D(2026, 1, 15), end=D(2026, 4, 30),
                  cases=[c, late, child, b, a])  # fmt: skip
    k = report.monthly_visit_coverage
    assert k.ids == (
        "a@2026-02", "a@2026-03", "a@2026-04", "b@2026-02", "c@2026-03", "c@2026-04",
        "d@2026-03", "d@2026-04",
    )  # fmt: skip
    assert k.numerator_ids == ("a@2026-02", "a@2026-04", "b@2026-02", "c@2026-03")
    assert k.value == 4 / 8
    assert k.by_month == (
        MonthCoverage(month="2026-02", value=1.0, cases=("a", "b"), covered=("a", "b")),
        MonthCoverage(month="2026-03", value=1 / 3, cases=("a", "c", "d"), covered=("c",)),
        MonthCoverage(month="2026-04", value=1 / 3, cases=("a", "c", "d"), covered=("a",)),
    )  # fmt: skip
    assert k.by_month[1].missed == ("a", "d")
    assert report.as_dict()["monthly_visit_coverage"] == 0.5
    # The order of the cases does not matter; the same record twice counts once.
    again = kpis([], [], [], start=D(2026, 1, 15), end=D(2026, 4, 30), cases=[a, b, c, late, a])
    assert again.monthly_visit_coverage == k


def test_monthly_visit_coverage_is_none_without_pairs() -> None:
    a = open_followup("a", "elderly", "red", on=D(2026, 1, 10))
    # No month wholly inside the period.
    k = kpis([], [], [], start=D(2026, 2, 2), end=D(2026, 3, 30), cases=[a])
    assert (k.monthly_visit_coverage.value, k.monthly_visit_coverage.by_month) == (None, ())
    k = kpis([], [], [], start=D(2026, 2, 1), end=D(2026, 2, 28))
    assert k.monthly_visit_coverage.value is None
    assert k.monthly_visit_coverage.by_month == (MonthCoverage(month="2026-02", value=None),)
    # A whole year, December to December; a period of one day.
    year = kpis([], [], [], start=D(2025, 12, 1), end=D(2026, 12, 31), cases=[a])
    assert [m.month for m in year.monthly_visit_coverage.by_month][::12] == ["2025-12", "2026-12"]
    assert kpis([], [], [], start=D(2026, 3, 1), end=D(2026, 3, 1)).monthly_visit_coverage.ids == ()
    # Up to the last day a date can hold: the months stop there.
    last = kpis([], [], [], start=D(9999, 10, 2), end=D(9999, 12, 31)).monthly_visit_coverage
    assert [m.month for m in last.by_month] == ["9999-11", "9999-12"]


def test_monthly_visit_coverage_checks_its_cases() -> None:
    with pytest.raises(InvalidArgumentError):
        kpis([], [], [], start=D(2026, 1, 1), end=D(2026, 3, 1), cases=[1])  # type: ignore[list-item]
    a = open_followup("a", "elderly", "red", on=D(2026, 1, 10))
    with pytest.raises(InvalidInputError):
        kpis([], [], [], start=D(2026, 1, 1), end=D(2026, 3, 1),
             cases=[a, record_visit(a, D(2026, 1, 11), "w")])  # fmt: skip


@given(
    st.lists(
        st.tuples(st.sampled_from(["red", "yellow", "green"]), st.integers(0, 90),
                  st.lists(st.tuples(st.integers(0, 45), st.booleans()), max_size=6)),
        min_size=1, max_size=4,
    ),
    st.integers(0, 5),
    st.integers(0, 27),
)  # fmt: skip
def test_a_met_visit_never_lowers_a_months_coverage(
    specs: list[tuple[str, int, list[tuple[int, bool]]]], which: int, day: int
) -> None:
    start, end = D(2026, 1, 1), D(2026, 12, 31)
    cases = []
    for i, (level, offset, steps_) in enumerate(specs):
        case = open_followup(f"c{i}", "elderly", level, on=D(2025, 12, 1) + timedelta(offset))
        on = case.opened_on
        for gap, met in steps_:
            on += timedelta(days=gap)
            case = record_visit(case, on, "w", met=met, calendar=PROVISIONAL)
        cases.append(case)
    before = kpis([], [], [], start=start, end=end, cases=cases).monthly_visit_coverage
    target = cases[which % len(cases)]
    last = target.visits[-1].on if target.visits else target.opened_on
    visit_on = max(last, D(2026, 1, 1)) + timedelta(days=day)
    cases[which % len(cases)] = record_visit(target, visit_on, "w", calendar=PROVISIONAL)
    after = kpis([], [], [], start=start, end=end, cases=cases).monthly_visit_coverage
    label = f"{visit_on.year:04d}-{visit_on.month:02d}"
    for b, a in zip(before.by_month, after.by_month, strict=True):
        if b.month == label and b.value is not None:
            assert a.value is not None and a.value >= b.value
    if before.value is not None:
        assert after.value is not None and after.value >= before.value


def test_the_plan_and_its_reports_show_the_coverage() -> None:
    doc = demo_community()
    plan = plan_community(doc, on=DEMO_DATE)
    k = plan.kpis.monthly_visit_coverage
    # Computed from the sample's own follow-ups, the same way as any kpis() call.
    direct = kpis([], [], [], start=plan.kpis.start, end=plan.kpis.end, cases=plan.followups)
    assert direct.monthly_visit_coverage == k
    assert k.value is not None and 0.5 < k.value < 1  # some months are missed
    assert len(k.by_month) == 12
    assert any(m.missed for m in k.by_month)
    assert any(not v.met for f in plan.followups for v in f.visits)
    assert {v.mode.value for f in plan.followups for v in f.visits} == {"home", "phone", "video"}
    text = render_text(plan, lang="zh")
    assert "月探访率（逐月）：" in text and "月探访率：" in text
    assert f"{k.by_month[-1].month} {k.by_month[-1].value:.1%}" in render_text(plan, lang="en")
    json_kpi = unstructure(plan.kpis)["monthly_visit_coverage"]
    assert json_kpi["value"] == k.value
    assert [m["month"] for m in json_kpi["by_month"]] == [m.month for m in k.by_month]


def test_the_html_report_charts_the_coverage() -> None:
    pytest.importorskip("jinja2")
    from community_care import load_snapshot, render_html

    doc = demo_community()
    plan = plan_community(doc, on=DEMO_DATE)
    snap = load_snapshot(doc).snapshot
    page = render_html(plan, snap, lang="zh")
    section = page[
        page.index('<section id="coverage">') : page.index('<section id="distributions">')
    ]
    assert section.count('<g class="column">') == 12
    assert 'class="goal"' in section and "100%" in section
    missed = {c for m in plan.kpis.monthly_visit_coverage.by_month for c in m.missed}
    named = [p for p in snap.elderly if p.id in missed and p.name]
    assert named
    for person in named[:20]:
        assert person.name not in section
    assert "<script" not in page
    assert "Monthly visit coverage" in render_html(plan, snap, lang="en")


class FlagOne(Spy):
    """A weekend calendar that calls one day provisional (a locality's pending closure)."""

    def __init__(self, day: date) -> None:
        super().__init__(WeekendCalendar())
        self.day = day

    def is_provisional(self, d: date) -> bool:
        return d == self.day


def test_the_days_the_cap_asked_about_make_a_visit_provisional() -> None:
    # x = Monday 2 March (from Saturday 28 Feb); the cap asks about 27-28 February.
    flagged = FlagOne(D(2026, 2, 27))
    [v] = forecast_visits(YELLOW, anchor=D(2026, 1, 30), until=D(2026, 2, 28), calendar=flagged)
    assert (v.on, v.provisional) == (D(2026, 2, 27), True)
    [v] = forecast_visits(
        YELLOW, anchor=D(2026, 1, 30), until=D(2026, 2, 28), calendar=FlagOne(D(2026, 3, 2))
    )
    assert (v.on, v.provisional) == (D(2026, 2, 27), True)  # the shift asked about 2 March
    [v] = forecast_visits(
        YELLOW, anchor=D(2026, 1, 30), until=D(2026, 2, 28), calendar=FlagOne(D(2026, 2, 26))
    )
    assert (v.on, v.provisional) == (D(2026, 2, 27), False)


def test_the_text_report_with_no_whole_month() -> None:
    policy = Policy().amend(D(2000, 1, 1), {"ledger.kpi_window_months": 1}, version="short")
    snapshot = {"community": {"id": "c", "name": "小区"}, "grids": ["g1"]}
    plan = plan_community(snapshot, on=D(2026, 11, 15), policy=policy)
    assert plan.kpis.monthly_visit_coverage.by_month == ()
    assert "月探访率（逐月）：-" in render_text(plan, lang="zh")
