from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from tests.strategies.ledger import (
    activities,
    actors,
    hazards,
    ledgers,
    notes,
    party_lists,
    periods,
    problems,
    records,
)

from community_care.errors import InvalidArgumentError, InvalidInputError, InvalidTransitionError
from community_care.ledger import (
    HAZARD_TRANSITIONS,
    KPI_NAMES,
    PROBLEM_TRANSITIONS,
    Event,
    Hazard,
    HazardKind,
    HazardStatus,
    Kpi,
    KpiChange,
    KpiComparison,
    KpiReport,
    Ledger,
    Problem,
    ProblemSource,
    ProblemStatus,
    ServiceActivity,
    VisitDue,
    compare,
    hazards_overdue,
    kpis,
)
from community_care.policy import Policy, default_policy
from community_care.serialization import json_schema, structure, unstructure
from community_care.vocab import PartyKind

D = date
T = TypeVar("T")
START, END = D(2026, 1, 1), D(2026, 3, 31)
JAN5, JAN10, JAN15 = D(2026, 1, 5), D(2026, 1, 10), D(2026, 1, 15)

# The lifecycles as the spec (and docs/ledger.md) state them, written out independently of
# the library's tables.
PROBLEM_MOVES = {
    "reported": {"accepted"},
    "accepted": {"in_progress"},
    "in_progress": {"resolved"},
    "resolved": {"verified", "reopened"},
    "verified": {"reopened"},
    "reopened": {"in_progress"},
}
HAZARD_MOVES = {
    "open": {"rectified"},
    "rectified": {"verified", "reopened"},
    "reopened": {"rectified"},
    "verified": set(),
}
# The method that moves a record into each status: a refused move is named by it.
MOVE_INTO = {
    "accepted": "accept",
    "in_progress": "start_work",
    "resolved": "resolve",
    "rectified": "rectify",
    "verified": "verify",
    "reopened": "reopen",
}


def paths(err: pytest.ExceptionInfo[InvalidInputError] | InvalidInputError) -> list[str]:
    exc = err if isinstance(err, InvalidInputError) else err.value
    return [p.path for p in exc.problems]


def attempt(fn: Callable[[], T]) -> T | InvalidInputError | InvalidTransitionError:
    """The result of ``fn()``, or the library error it raised (to assert on afterwards)."""
    try:
        return fn()
    except (InvalidInputError, InvalidTransitionError) as exc:
        return exc


def problem(
    pid: str = "p1",
    reported_on: date = JAN5,
    source: str = "resident_report",
) -> Problem:
    return Problem(
        id=pid, category="pump_repair", reported_on=reported_on, source=ProblemSource(source)
    )


def resolved(
    pid: str = "p1",
    reported_on: date = JAN5,
    on: date = JAN15,
    parties: tuple[str, ...] = ("member_unit",),
    source: str = "resident_report",
) -> Problem:
    return (
        problem(pid, reported_on, source)
        .accept(reported_on)
        .start_work(reported_on)
        .resolve(on, parties=parties)
    )


def hazard(hid: str = "h1", kind: str = "other", found_on: date = JAN10) -> Hazard:
    return Hazard(id=hid, kind=HazardKind(kind), building="b1", grid="g1", found_on=found_on)


def activity(aid: str, on: date, participants: tuple[str, ...], headcount: int) -> ServiceActivity:
    return ServiceActivity(
        id=aid,
        date=on,
        category="health_check",
        organizer=PartyKind.MEMBER_UNIT,
        grid="g1",
        participants=participants,
        headcount=headcount,
    )


def report(**kw: Any) -> KpiReport:
    args: dict[str, Any] = {"activities": [], "problems": [], "hazards": [], "followups": []}
    args.update(kw)
    return kpis(
        args.pop("activities"),
        args.pop("problems"),
        args.pop("hazards"),
        args.pop("followups"),
        start=args.pop("start", START),
        end=args.pop("end", END),
        **args,
    )


# --- problem lifecycle --------------------------------------------------------------------


def test_problem_walks_its_whole_lifecycle_and_keeps_every_step() -> None:
    p0 = problem()
    p1 = p0.accept(D(2026, 1, 5), actor="secretary", note="on the list")
    p2 = p1.start_work(D(2026, 1, 6))
    p3 = p2.resolve(D(2026, 1, 9), parties=["member_unit", PartyKind.VOLUNTEER], note="pump")
    p4 = p3.verify(D(2026, 1, 20), actor="grid_worker_1")
    assert p0.status is ProblemStatus.REPORTED
    assert p0.history == ()
    assert [p.status for p in (p1, p2, p3, p4)] == [
        ProblemStatus.ACCEPTED,
        ProblemStatus.IN_PROGRESS,
        ProblemStatus.RESOLVED,
        ProblemStatus.VERIFIED,
    ]
    assert p4.history == (
        Event(on=D(2026, 1, 5), status="accepted", actor="secretary", note="on the list"),
        Event(on=D(2026, 1, 6), status="in_progress"),
        Event(
            on=D(2026, 1, 9),
            status="resolved",
            note="pump",
            parties=(PartyKind.MEMBER_UNIT, PartyKind.VOLUNTEER),
        ),
        Event(on=D(2026, 1, 20), status="verified", actor="grid_worker_1"),
    )
    assert p4.parties == (PartyKind.MEMBER_UNIT, PartyKind.VOLUNTEER)
    assert p4.resolved_on == D(2026, 1, 9)
    assert p0.resolved_on is None
    # Earlier values are untouched.
    assert p2.status is ProblemStatus.IN_PROGRESS
    assert len(p2.history) == 2


@pytest.mark.parametrize("via_verified", [False, True])
def test_reopened_problem_goes_back_to_work_and_resolves_again(via_verified: bool) -> None:
    p = resolved(parties=("community_committee",))
    if via_verified:
        p = p.verify(D(2026, 1, 16))
    p = p.reopen(D(2026, 2, 1), note="pump broke again")
    assert p.status is ProblemStatus.REOPENED
    assert p.allowed_moves == (ProblemStatus.IN_PROGRESS,)
    p = p.start_work(D(2026, 2, 2)).resolve(D(2026, 2, 10), parties=["member_unit"])
    assert p.resolved_on == D(2026, 2, 10)
    assert p.parties == (PartyKind.COMMUNITY_COMMITTEE, PartyKind.MEMBER_UNIT)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (s, t)
        for s in PROBLEM_MOVES
        for t in ProblemStatus
        if t.value not in PROBLEM_MOVES[s]  # every move the spec does not allow
    ],
)
def test_every_illegal_problem_move_is_refused(current: str, target: ProblemStatus) -> None:
    p = _problem_in(current)
    with pytest.raises(InvalidTransitionError) as err:
        p.transition(target, D(2026, 6, 1), parties=["volunteer"])
    message = str(err.value)
    move = MOVE_INTO.get(target.value, f"move to {target.value!r}")
    assert message.startswith(f"problem 'p1' is {current!r}; cannot {move}; allowed: ")
    for allowed in PROBLEM_MOVES[current]:
        assert f"{MOVE_INTO[allowed]} (→ {allowed})" in message


def _problem_in(status: str) -> Problem:
    p = problem()
    route = {
        "reported": [],
        "accepted": ["accepted"],
        "in_progress": ["accepted", "in_progress"],
        "resolved": ["accepted", "in_progress", "resolved"],
        "verified": ["accepted", "in_progress", "resolved", "verified"],
        "reopened": ["accepted", "in_progress", "resolved", "reopened"],
    }[status]
    for step in route:
        p = p.transition(step, D(2026, 1, 10), parties=["volunteer"] if step == "resolved" else [])
    assert p.status == status
    return p


def test_transition_accepts_status_strings_and_refuses_unknown_ones() -> None:
    assert problem().transition("accepted", D(2026, 1, 5)).status is ProblemStatus.ACCEPTED
    with pytest.raises(InvalidInputError) as err:
        problem().transition("done", D(2026, 1, 5))
    assert paths(err) == ["to"]
    assert "'done'" in str(err.value)
    with pytest.raises(InvalidInputError):
        # A hazard status is a string, but not one of a problem's.
        problem().transition(HazardStatus.OPEN, D(2026, 1, 5))


def test_dates_may_not_run_backwards() -> None:
    p = problem(reported_on=D(2026, 1, 5))
    with pytest.raises(InvalidInputError) as err:
        p.accept(D(2026, 1, 4))
    assert paths(err) == ["on"]
    assert "reported_on (2026-01-05)" in str(err.value)
    p = p.accept(D(2026, 1, 8))
    with pytest.raises(InvalidInputError) as err:
        p.start_work(D(2026, 1, 7))
    assert "the last event (2026-01-08)" in str(err.value)
    # The same day is fine: several steps can happen in one visit.
    assert p.start_work(D(2026, 1, 8)).status is ProblemStatus.IN_PROGRESS


def test_a_datetime_or_a_string_is_not_a_date() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^Problem\.transition\(on=\.\.\.\): "):
        problem().accept(datetime(2026, 1, 6, 9, 30))
    with pytest.raises(InvalidArgumentError, match=r"^Problem\.transition\(on=\.\.\.\): "):
        problem().accept("2026-01-06")  # type: ignore[arg-type]  # what a careless caller might pass


def test_resolving_records_parties() -> None:
    p = problem().accept(D(2026, 1, 5)).start_work(D(2026, 1, 5))
    with pytest.raises(InvalidInputError) as err:
        p.resolve(D(2026, 1, 6), parties=[])
    assert paths(err) == ["parties"]
    with pytest.raises(InvalidInputError) as err:
        p.resolve(D(2026, 1, 6), parties="volunteer")
    assert paths(err) == ["parties"]
    with pytest.raises(InvalidInputError) as err:
        p.resolve(D(2026, 1, 6), parties=["volunteer", "neighbour"])
    assert paths(err) == ["parties[1]"]
    twice = p.resolve(D(2026, 1, 6), parties=["volunteer", "volunteer", PartyKind.VOLUNTEER])
    assert twice.history[-1].parties == (PartyKind.VOLUNTEER,)
    with pytest.raises(InvalidInputError) as err:
        problem().transition("accepted", D(2026, 1, 6), parties=["volunteer"])
    assert paths(err) == ["parties"]


def test_activity_and_event_fields_are_checked() -> None:
    with pytest.raises(InvalidInputError) as err:
        activity("a1", JAN5, ("r1", "r2"), 1)
    assert paths(err) == ["$.headcount"]
    with pytest.raises(InvalidInputError) as err:
        Event(on=JAN5, status="resolved", parties="volunteer")  # type: ignore[arg-type]  # the check under test
    assert paths(err) == ["$.parties"]


def test_status_on_reads_the_history() -> None:
    p = resolved(reported_on=D(2026, 1, 5), on=D(2026, 1, 15))
    assert p.status_on(D(2026, 1, 4)) is None
    assert p.status_on(D(2026, 1, 5)) is ProblemStatus.IN_PROGRESS
    assert p.status_on(D(2026, 1, 14)) is ProblemStatus.IN_PROGRESS
    assert p.status_on(D(2026, 1, 15)) is ProblemStatus.RESOLVED
    assert problem().status_on(D(2026, 2, 1)) is ProblemStatus.REPORTED
    with pytest.raises(InvalidArgumentError):
        p.status_on(datetime(2026, 1, 15))


def _doc(p: Problem | Hazard) -> dict[str, Any]:
    doc: dict[str, Any] = unstructure(p)
    return doc


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"status": "resolved", "history": []}, "$.status"),
        ({"history": [{"on": "2026-01-06", "status": "in_progress"}]}, "$.history[0].status"),
        ({"history": [{"on": "2026-01-04", "status": "accepted"}]}, "$.history[0].on"),
        ({"history": [{"on": "2026-01-06", "status": "fixed"}]}, "$.history[0].status"),
        (
            {
                "history": [
                    {"on": "2026-01-08", "status": "accepted"},
                    {"on": "2026-01-07", "status": "in_progress"},
                ],
                "status": "in_progress",
            },
            "$.history[1].on",
        ),
        (
            {"history": [{"on": "2026-01-06", "status": "accepted", "parties": ["resident"]}]},
            "$.history[0].parties",
        ),
        ({"parties": ["volunteer"]}, "$.parties"),
    ],
)
def test_a_problem_read_from_data_must_have_a_legal_history(
    change: dict[str, Any], path: str
) -> None:
    doc = {**_doc(problem(reported_on=D(2026, 1, 5)).accept(D(2026, 1, 6))), **change}
    with pytest.raises(InvalidInputError) as err:
        structure(doc, Problem)
    assert path in paths(err)


def test_a_resolved_event_without_parties_and_wrong_parties_are_refused() -> None:
    doc = _doc(resolved(parties=("volunteer",)))
    doc["history"][-1]["parties"] = []
    with pytest.raises(InvalidInputError) as err:
        structure(doc, Problem)
    assert paths(err) == ["$.history[2].parties", "$.parties"]
    doc = _doc(resolved(parties=("volunteer",)))
    doc["parties"] = ["volunteer", "volunteer"]
    with pytest.raises(InvalidInputError) as err:
        structure(doc, Problem)
    assert paths(err) == ["$.parties"]


@settings(max_examples=50)
@given(problems())
def test_generated_problems_round_trip_through_json(p: Problem) -> None:
    assert structure(unstructure(p), Problem) == p


# --- hazard lifecycle ---------------------------------------------------------------------


def test_hazard_is_rectified_then_verified() -> None:
    h = hazard(found_on=D(2026, 4, 1))
    assert h.allowed_moves == (HazardStatus.RECTIFIED,)
    r = h.rectify(D(2026, 4, 3), actor="fire_officer", parties=["member_unit"])
    v = r.verify(D(2026, 5, 3), note="passed")
    assert v.status is HazardStatus.VERIFIED
    assert [e.status for e in v.history] == ["rectified", "verified"]
    assert v.history[0].parties == (PartyKind.MEMBER_UNIT,)
    assert v.allowed_moves == ()
    assert h.status is HazardStatus.OPEN
    with pytest.raises(InvalidTransitionError, match="none \\(verified is final\\)"):
        v.reopen(D(2026, 6, 1))


def test_failed_reinspection_reopens_the_hazard_until_rectified_again() -> None:
    h = hazard(found_on=D(2026, 4, 1)).rectify(D(2026, 4, 2)).reopen(D(2026, 5, 2))
    assert h.status is HazardStatus.REOPENED
    assert h.rectified_on == D(2026, 4, 2)
    with pytest.raises(InvalidTransitionError, match=r"allowed: rectify \(→ rectified\)$"):
        h.verify(D(2026, 5, 3))
    h = h.rectify(D(2026, 5, 6))
    assert h.rectified_on == D(2026, 5, 6)
    assert h.reinspection_on() == D(2026, 6, 5)


@pytest.mark.parametrize(
    ("current", "target"),
    [(s, t) for s in HAZARD_MOVES for t in HazardStatus if t.value not in HAZARD_MOVES[s]],
)
def test_every_illegal_hazard_move_is_refused(current: str, target: HazardStatus) -> None:
    h = hazard()
    for step in {
        "open": [],
        "rectified": ["rectified"],
        "verified": ["rectified", "verified"],
        "reopened": ["rectified", "reopened"],
    }[current]:
        h = h.transition(step, D(2026, 1, 12))
    with pytest.raises(InvalidTransitionError) as err:
        h.transition(target, D(2026, 2, 1))
    move = MOVE_INTO.get(target.value, f"move to {target.value!r}")
    assert str(err.value).startswith(f"hazard 'h1' is {current!r}; cannot {move}; allowed: ")


def test_hazard_parties_only_on_rectification() -> None:
    h = hazard().rectify(D(2026, 1, 11))
    with pytest.raises(InvalidInputError) as err:
        h.transition("verified", D(2026, 2, 1), parties=["volunteer"])
    assert paths(err) == ["parties"]
    doc = _doc(h.verify(D(2026, 2, 1)))
    doc["history"][1]["parties"] = ["volunteer"]
    with pytest.raises(InvalidInputError) as err:
        structure(doc, Hazard)
    assert paths(err) == ["$.history[1].parties"]
    with pytest.raises(InvalidInputError) as err:
        hazard(found_on=D(2026, 1, 10)).rectify(D(2026, 1, 9))
    assert "found_on (2026-01-10)" in str(err.value)


@pytest.mark.parametrize(
    ("kind", "days"),
    [
        ("flying_lead_charging", 1),
        ("blocked_fire_escape", 0),  # spec v2: corrected on the spot
        ("gas", 1),
        ("tangled_wiring", 7),
        ("stairwell_clutter", 7),
        ("other", 7),
    ],
)
def test_rectification_deadline_by_kind(kind: str, days: int) -> None:
    h = hazard(kind=kind, found_on=D(2026, 2, 26))
    assert h.rectification_deadline() == D(2026, 2, 26) + timedelta(days=days)
    assert h.rectification_deadline(default_policy()) == h.rectification_deadline()


def test_deadline_and_reinspection_read_the_policy_in_force() -> None:
    policy = default_policy().amend(
        D(2026, 7, 1),
        {
            "ledger.rectification_days.gas": 0,
            "ledger.default_rectification_days": 5,
            "ledger.reinspection_days": 14,
        },
        version="local-2026",
    )
    before = hazard(kind="gas", found_on=D(2026, 6, 30))
    after = hazard(kind="gas", found_on=D(2026, 7, 1))
    assert before.rectification_deadline(policy) == D(2026, 7, 1)
    assert after.rectification_deadline(policy) == D(2026, 7, 1)
    assert hazard(found_on=D(2026, 7, 1)).rectification_deadline(policy) == D(2026, 7, 6)
    assert before.rectify(D(2026, 6, 30)).reinspection_on(policy) == D(2026, 7, 30)
    assert before.rectify(D(2026, 7, 1)).reinspection_on(policy) == D(2026, 7, 15)


def test_reinspection_is_pending_only_while_rectified() -> None:
    h = hazard(found_on=D(2026, 1, 10))
    assert h.reinspection_on() is None
    assert h.rectified_on is None
    r = h.rectify(D(2026, 1, 12))
    assert r.reinspection_on() == D(2026, 2, 11)
    assert r.verify(D(2026, 2, 11)).reinspection_on() is None
    assert r.reopen(D(2026, 2, 11)).reinspection_on() is None


def test_is_overdue_after_the_deadline_while_not_rectified() -> None:
    h = hazard(kind="other", found_on=D(2026, 1, 10))  # deadline 2026-01-17
    assert not h.is_overdue(D(2026, 1, 9))  # not found yet
    assert not h.is_overdue(D(2026, 1, 17))  # the deadline day itself is in time
    assert h.is_overdue(D(2026, 1, 18))
    late = h.rectify(D(2026, 1, 20))
    assert late.is_overdue(D(2026, 1, 19))  # as it stood that day
    assert not late.is_overdue(D(2026, 1, 20))
    assert late.reopen(D(2026, 2, 19)).is_overdue(D(2026, 2, 19))
    assert late.status_on(D(2026, 1, 9)) is None
    assert late.status_on(D(2026, 1, 10)) is HazardStatus.OPEN
    with pytest.raises(InvalidArgumentError):
        h.is_overdue(datetime(2026, 1, 18, 8))


def test_hazards_overdue_lists_oldest_deadline_first() -> None:
    a = hazard("a", kind="other", found_on=D(2026, 1, 1))  # deadline 01-08
    b = hazard("b", kind="gas", found_on=D(2026, 1, 5))  # deadline 01-06
    c = hazard("c", kind="gas", found_on=D(2026, 1, 5)).rectify(D(2026, 1, 6))
    d = hazard("d", kind="flying_lead_charging", found_on=D(2026, 1, 5))  # deadline 01-06
    assert [h.id for h in hazards_overdue([a, b, c, d], D(2026, 1, 10))] == ["b", "d", "a"]
    assert hazards_overdue([], D(2026, 1, 10)) == ()
    with pytest.raises(InvalidArgumentError):
        hazards_overdue([a], "2026-01-10")  # type: ignore[arg-type]  # the check under test


# --- KPIs ---------------------------------------------------------------------------------


def test_activity_figures_count_people_twice_and_beneficiaries_once() -> None:
    acts = [
        activity("a1", D(2026, 1, 3), ("r1", "r2"), 30),
        activity("a2", D(2026, 3, 31), ("r2", "r3"), 10),
        activity("a3", D(2026, 4, 1), ("r9",), 99),  # after the period
        activity("a0", D(2025, 12, 31), ("r8",), 99),  # before
    ]
    r = report(activities=acts)
    assert r.activities == Kpi(name="activities", value=2, ids=("a1", "a2"))
    assert r.person_times == Kpi(name="person_times", value=40, ids=("a1", "a2"))
    assert r.unique_beneficiaries == Kpi(
        name="unique_beneficiaries", value=3, ids=("r1", "r2", "r3")
    )


def test_problems_resolved_and_median_days() -> None:
    a = resolved("a", D(2026, 1, 1), D(2026, 1, 3))  # 2 days
    b = resolved("b", D(2025, 12, 20), D(2026, 1, 9))  # 20 days, reported before the period
    c = resolved("c", D(2026, 3, 1), D(2026, 4, 2))  # resolved after the period
    d = problem("d")  # never resolved
    # Resolved, reopened and resolved again in the period: counted once, at the last one.
    e = (
        resolved("e", D(2026, 1, 1), D(2026, 1, 2))
        .reopen(D(2026, 1, 5))
        .start_work(D(2026, 1, 5))
        .resolve(D(2026, 1, 11), parties=["volunteer"])
    )  # 10 days
    r = report(problems=[a, b, c, d, e])
    assert r.problems_resolved == Kpi(name="problems_resolved", value=3, ids=("a", "b", "e"))
    assert r.median_days_to_resolve.value == 10.0
    assert r.median_days_to_resolve.ids == ("a", "b", "e")
    # An even count takes the mean of the middle two.
    assert report(problems=[a, b]).median_days_to_resolve.value == 11.0
    assert report(problems=[c, d]).median_days_to_resolve == Kpi(
        name="median_days_to_resolve", value=None, ids=()
    )


def test_a_resolution_counts_in_each_period_it_happened_in() -> None:
    p = (
        resolved("p", D(2026, 1, 1), D(2026, 1, 10), parties=("community_committee",))
        .reopen(D(2026, 3, 20))
        .start_work(D(2026, 4, 1))
        .resolve(D(2026, 4, 5), parties=["member_unit"])
    )
    q1 = report(problems=[p])
    q2 = report(problems=[p], start=D(2026, 4, 1), end=D(2026, 6, 30))
    assert q1.problems_resolved.value == q2.problems_resolved.value == 1
    assert q1.median_days_to_resolve.value == 9.0
    assert q2.median_days_to_resolve.value == 94.0
    # The parties as they stood at the resolution that counts: the first one was the
    # committee alone, the second brought in a member unit.
    assert q1.multi_party_share.value == 0.0
    assert q2.multi_party_share.value == 1.0


def test_multi_party_share() -> None:
    alone = resolved("alone", parties=("community_committee",))
    pair = resolved("pair", parties=("community_committee", "volunteer"))
    unit = resolved("unit", parties=("member_unit",))
    r = report(problems=[alone, pair, unit, problem("open")])
    assert r.multi_party_share == Kpi(
        name="multi_party_share",
        value=2 / 3,
        ids=("alone", "pair", "unit"),
        numerator_ids=("pair", "unit"),
    )
    assert report(problems=[problem()]).multi_party_share.value is None


def test_proactive_share_counts_problems_reported_in_the_period() -> None:
    ps = [
        problem("o", D(2026, 1, 2), "outreach"),
        problem("i", D(2026, 2, 2), "inspection"),
        problem("r", D(2026, 3, 2), "resident_report"),
        problem("h", D(2026, 3, 31), "hotline"),
        problem("x", D(2026, 4, 1), "outreach"),  # after the period
    ]
    r = report(problems=ps)
    assert r.proactive_share == Kpi(
        name="proactive_share", value=0.5, ids=("h", "i", "o", "r"), numerator_ids=("i", "o")
    )
    empty = report()
    assert empty.proactive_share.value is None
    assert empty.proactive_share.ids == ()


def test_hazard_figures() -> None:
    on_deadline = hazard("a", "flying_lead_charging", D(2026, 1, 10)).rectify(D(2026, 1, 11))
    late = hazard("b", "gas", D(2026, 1, 10)).rectify(D(2026, 1, 12))
    verified = hazard("c", "other", D(2026, 3, 20)).rectify(D(2026, 3, 27)).verify(D(2026, 4, 26))
    failed = hazard("d", "other", D(2026, 2, 1)).rectify(D(2026, 2, 2)).reopen(D(2026, 3, 4))
    redone = failed.rectify(D(2026, 3, 5))  # after its deadline
    early = hazard("e", "other", D(2025, 12, 30)).rectify(D(2026, 1, 2))  # found before
    next_period = hazard("f", "other", D(2026, 3, 30)).rectify(D(2026, 4, 1))
    still_open = hazard("g", "gas", D(2026, 2, 1))
    twice_in_time = (
        hazard("i", "other", D(2026, 2, 1))
        .rectify(D(2026, 2, 2))
        .reopen(D(2026, 2, 3))
        .rectify(D(2026, 2, 5))
    )
    r = report(
        hazards=[on_deadline, late, verified, failed, early, next_period, still_open, twice_in_time]
    )
    assert r.hazards_found == Kpi(
        name="hazards_found", value=7, ids=("a", "b", "c", "d", "f", "g", "i")
    )
    assert r.hazards_rectified_on_time == Kpi(
        name="hazards_rectified_on_time", value=4, ids=("a", "c", "e", "i")
    )
    assert report(hazards=[redone]).hazards_rectified_on_time.value == 0


def test_hazard_deadlines_in_kpis_follow_the_policy() -> None:
    strict = default_policy().amend(
        D(2020, 1, 1), {"ledger.default_rectification_days": 1}, version="strict"
    )
    h = hazard("a", "other", D(2026, 1, 10)).rectify(D(2026, 1, 13))
    assert report(hazards=[h]).hazards_rectified_on_time.value == 1
    r = report(hazards=[h], policy=strict)
    assert r.hazards_rectified_on_time.value == 0
    assert r.policy_version == "strict"
    assert report().policy_version == default_policy().version


def test_visit_on_time_rate() -> None:
    vs = [
        VisitDue(case_id="e1", due_on=D(2026, 1, 5), grace_days=1, done_on=D(2026, 1, 6)),
        VisitDue(case_id="e1", due_on=D(2026, 1, 12), grace_days=1, done_on=D(2026, 1, 14)),
        VisitDue(case_id="e2", due_on=D(2026, 3, 30), grace_days=5, done_on=D(2026, 3, 1)),
        VisitDue(case_id="c1", due_on=D(2026, 3, 31), grace_days=5),  # not done (yet)
        VisitDue(case_id="c1", due_on=D(2026, 4, 1), done_on=D(2026, 4, 1)),  # due later
    ]
    r = report(followups=vs)
    assert r.visit_on_time_rate == Kpi(
        name="visit_on_time_rate",
        value=0.5,
        ids=("c1@2026-03-31", "e1@2026-01-05", "e1@2026-01-12", "e2@2026-03-30"),
        numerator_ids=("e1@2026-01-05", "e2@2026-03-30"),
    )
    assert report().visit_on_time_rate.value is None
    assert not VisitDue(case_id="c1", due_on=D(2026, 1, 1)).on_time


def test_period_and_duplicates_are_checked() -> None:
    with pytest.raises(InvalidInputError) as err:
        report(start=D(2026, 2, 1), end=D(2026, 1, 31))
    assert paths(err) == ["end"]
    with pytest.raises(InvalidArgumentError, match=r"^kpis\(start=\.\.\.\): "):
        report(start=datetime(2026, 1, 1))
    with pytest.raises(InvalidArgumentError, match=r"^kpis\(end=\.\.\.\): "):
        report(end="2026-03-31")
    a = activity("a1", D(2026, 1, 3), ("r1",), 5)
    # The same record twice counts once ...
    assert report(activities=[a, a]).person_times.value == 5
    # ... two different records under one id are refused, never one picked.
    with pytest.raises(InvalidInputError) as err:
        report(activities=[a, attrs.evolve(a, headcount=6)], problems=[problem(), resolved()])
    assert paths(err) == ["activities[1]"]
    with pytest.raises(InvalidInputError) as err:
        report(problems=[problem(), resolved()])
    assert paths(err) == ["problems[1]"]
    v = VisitDue(case_id="e1", due_on=D(2026, 1, 5))
    with pytest.raises(InvalidInputError) as err:
        report(followups=[v, attrs.evolve(v, done_on=D(2026, 1, 5))])
    assert "'e1@2026-01-05'" in str(err.value)


def test_report_as_dict_is_keyed_by_the_spec_names() -> None:
    r = report(activities=[activity("a1", D(2026, 1, 3), ("r1",), 5)])
    assert tuple(r.as_dict()) == KPI_NAMES
    assert r.as_dict()["person_times"] == 5
    detailed = r.as_dict(with_ids=True)
    assert detailed["unique_beneficiaries"] == {"value": 1, "ids": ["r1"], "numerator_ids": []}
    assert [k.name for k in r.figures] == list(KPI_NAMES)
    # A report is output: its plain form is what the JSON Schema describes.
    doc = unstructure(r)
    assert doc["person_times"] == {
        "name": "person_times",
        "value": 5,
        "ids": ["a1"],
        "numerator_ids": [],
    }
    jsonschema.validate(doc, json_schema(KpiReport))
    jsonschema.validate(unstructure(compare(r, r)), json_schema(KpiComparison))


def test_report_and_kpi_validate_themselves() -> None:
    r = report()
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(r, start=D(2026, 4, 1))
    assert paths(err) == ["$.end"]
    with pytest.raises(InvalidInputError) as err:
        attrs.evolve(r, activities=r.person_times)
    assert paths(err) == ["$.activities.name"]
    with pytest.raises(InvalidInputError) as err:
        Kpi(name="happiness", value=1)
    assert paths(err) == ["$.name"]
    with pytest.raises(InvalidInputError) as err:
        Kpi(name="activities", value=True)
    assert paths(err) == ["$.value"]
    with pytest.raises(InvalidInputError):
        Kpi(name=3, value=1)  # type: ignore[arg-type]  # the check under test


def test_compare_periods() -> None:
    q1 = report(
        activities=[activity("a1", D(2026, 1, 3), ("r1",), 10)],
        problems=[problem("o", D(2026, 1, 2), "outreach")],
    )
    q2 = report(
        activities=[
            activity("a2", D(2026, 4, 3), ("r1",), 10),
            activity("a3", D(2026, 4, 4), (), 5),
        ],
        problems=[resolved("r", D(2026, 4, 1), D(2026, 4, 5))],
        start=D(2026, 4, 1),
        end=D(2026, 6, 30),
    )
    c = compare(q1, q2)
    assert (c.before_start, c.before_end, c.after_start, c.after_end) == (
        START,
        END,
        D(2026, 4, 1),
        D(2026, 6, 30),
    )
    assert c.change("activities") == KpiChange(
        name="activities", before=1, after=2, absolute=1, relative=1.0
    )
    assert c.change("person_times").relative == 0.5
    # From 0 there is no relative change; from or to "no figure" there is no change at all.
    assert c.change("problems_resolved") == KpiChange(
        name="problems_resolved", before=0, after=1, absolute=1, relative=None
    )
    assert c.change("median_days_to_resolve").absolute is None
    assert c.change("proactive_share") == KpiChange(
        name="proactive_share", before=1.0, after=0.0, absolute=-1.0, relative=-1.0
    )
    assert tuple(c.as_dict()) == KPI_NAMES
    assert c.as_dict()["activities"] == {"before": 1, "after": 2, "absolute": 1, "relative": 1.0}
    with pytest.raises(InvalidInputError) as err:
        c.change("happiness")
    assert paths(err) == ["name"]


# --- the ledger ---------------------------------------------------------------------------


def test_ledger_add_and_replace() -> None:
    a = activity("x", D(2026, 1, 3), (), 5)
    p = problem("x")
    h = hazard("x")
    ledger = Ledger().add(a, p).add(h)  # one id may name one record of each kind
    assert (ledger.activities, ledger.problems, ledger.hazards) == ((a,), (p,), (h,))
    with pytest.raises(InvalidInputError) as err:
        ledger.add(problem("y"), problem("x"))
    assert paths(err) == ["records[1].id"]
    assert "problem 'x' is already in the ledger" in str(err.value)
    with pytest.raises(InvalidInputError) as err:
        Ledger().add(problem("y"), problem("y"))
    assert paths(err) == ["records[1].id"]
    accepted = p.accept(D(2026, 1, 5))
    assert ledger.replace(accepted).problems == (accepted,)
    assert ledger.problems == (p,)
    with pytest.raises(InvalidInputError) as err:
        ledger.replace(hazard("zz"))
    assert "hazard 'zz' is not in the ledger" in str(err.value)
    with pytest.raises(TypeError, match="records\\[0\\]"):
        ledger.add("x")  # type: ignore[arg-type]  # the check under test


def test_ledger_refuses_repeated_ids_on_construction() -> None:
    with pytest.raises(InvalidInputError) as err:
        Ledger(hazards=(hazard("h"), hazard("k"), hazard("h")))
    assert paths(err) == ["$.hazards[2].id"]


def test_ledger_merge_takes_identical_records_once_and_reports_conflicts() -> None:
    p, q = problem("p"), problem("q")
    mine = Ledger().add(p, hazard("h"))
    theirs = Ledger().add(p, q, activity("a", D(2026, 1, 3), (), 1))
    merged = mine.merge(theirs)
    assert [x.id for x in merged.problems] == ["p", "q"]
    assert [x.id for x in merged.activities] == ["a"]
    conflicting = Ledger().add(p.accept(D(2026, 1, 6)), attrs.evolve(hazard("h"), grid="g2"))
    with pytest.raises(InvalidInputError) as err:
        mine.merge(conflicting)
    assert paths(err) == ["other.problems[0]", "other.hazards[0]"]
    assert "(fields: status, history)" in str(err.value)
    assert "(fields: grid)" in str(err.value)


def test_ledger_kpis_and_json_round_trip() -> None:
    ledger = Ledger().add(
        activity("a", D(2026, 1, 3), ("r1",), 3), resolved("p"), hazard("h", "gas")
    )
    assert ledger.kpis(start=START, end=END) == kpis(
        ledger.activities, ledger.problems, ledger.hazards, start=START, end=END
    )
    assert structure(unstructure(ledger), Ledger) == ledger


# --- properties ---------------------------------------------------------------------------


@given(st.lists(activities(), max_size=10, unique_by=lambda a: a.id), periods())
def test_person_times_at_least_unique_beneficiaries(
    acts: list[ServiceActivity], period: tuple[date, date]
) -> None:
    # Every named participant is counted in the headcount of the activity they came to.
    r = report(activities=acts, start=period[0], end=period[1])
    assert r.person_times.value is not None
    assert r.unique_beneficiaries.value is not None
    assert r.person_times.value >= r.unique_beneficiaries.value


SHARES = ("proactive_share", "multi_party_share", "visit_on_time_rate")


@given(records(), periods())
def test_shares_are_fractions_or_none_when_nothing_to_divide(
    recs: tuple[Any, ...], period: tuple[date, date]
) -> None:
    acts, probs, hzs, vis = recs
    r = report(
        activities=acts, problems=probs, hazards=hzs, followups=vis, start=period[0], end=period[1]
    )
    for name in SHARES:
        k: Kpi = getattr(r, name)
        assert set(k.numerator_ids) <= set(k.ids)
        if k.ids:
            assert k.value == len(k.numerator_ids) / len(k.ids)
            assert 0 <= k.value <= 1
        else:
            assert k.value is None
    for k in r.figures:
        assert list(k.ids) == sorted(k.ids)
    assert r.problems_resolved.ids == r.multi_party_share.ids


@given(records(), periods(), st.randoms(use_true_random=False))
def test_kpis_do_not_depend_on_the_order_of_records(
    recs: tuple[Any, ...], period: tuple[date, date], rnd: random.Random
) -> None:
    shuffled = [rnd.sample(list(group), len(group)) for group in recs]
    a = report(
        activities=recs[0],
        problems=recs[1],
        hazards=recs[2],
        followups=recs[3],
        start=period[0],
        end=period[1],
    )
    b = report(
        activities=shuffled[0],
        problems=shuffled[1],
        hazards=shuffled[2],
        followups=shuffled[3],
        start=period[0],
        end=period[1],
    )
    assert a == b


ADDITIVE = ("activities", "person_times", "hazards_found", "hazards_rectified_on_time")


@given(records(), periods(), st.data())
def test_counts_add_up_over_disjoint_periods(
    recs: tuple[Any, ...], period: tuple[date, date], data: st.DataObject
) -> None:
    start, end = period
    split = data.draw(st.integers(0, (end - start).days))
    first_end = start + timedelta(days=split)
    second_start = first_end + timedelta(days=1)
    acts, probs, hzs, vis = recs
    kw = {"activities": acts, "problems": probs, "hazards": hzs, "followups": vis}
    whole = report(**kw, start=start, end=end)
    first = report(**kw, start=start, end=first_end)
    second = report(**kw, start=second_start, end=end) if second_start <= end else report()
    for name in ADDITIVE:
        w, f, s = (getattr(r, name) for r in (whole, first, second))
        assert w.value == f.value + s.value
        assert Counter(w.ids) == Counter(f.ids) + Counter(s.ids)
    # A problem resolved in both parts is one problem of the whole: additive only when
    # no problem was resolved twice.
    w, f, s = (r.problems_resolved for r in (whole, first, second))
    assert set(w.ids) == set(f.ids) | set(s.ids)
    assert len(w.ids) <= len(f.ids) + len(s.ids)
    if not set(f.ids) & set(s.ids):
        assert len(w.ids) == len(f.ids) + len(s.ids)
    assert (w.value, f.value, s.value) == (len(w.ids), len(f.ids), len(s.ids))
    for name in ("proactive_share", "visit_on_time_rate"):
        w, f, s = (getattr(r, name) for r in (whole, first, second))
        assert Counter(w.ids) == Counter(f.ids) + Counter(s.ids)
        assert Counter(w.numerator_ids) == Counter(f.numerator_ids) + Counter(s.numerator_ids)


@settings(max_examples=30)
@given(ledgers(), ledgers())
def test_merge_is_a_union_or_lists_every_conflict(a: Ledger, b: Ledger) -> None:
    assert a.merge(a) == a
    merged = attempt(lambda: a.merge(b))
    if isinstance(merged, InvalidInputError):
        conflicts = {
            (kind, x.id)
            for kind in ("activities", "problems", "hazards")
            for x in getattr(b, kind)
            for y in getattr(a, kind)
            if x.id == y.id and x != y
        }
        assert len(merged.problems) == len(conflicts) > 0
        return
    assert isinstance(merged, Ledger)
    for kind in ("activities", "problems", "hazards"):
        got = {x.id: x for x in getattr(merged, kind)}
        assert got == {x.id: x for x in (*getattr(b, kind), *getattr(a, kind))}


@settings(max_examples=30)
@given(ledgers())
def test_generated_ledgers_and_hazards_round_trip(ledger: Ledger) -> None:
    assert structure(unstructure(ledger), Ledger) == ledger


# --- state machines -----------------------------------------------------------------------

offsets = st.integers(min_value=-3, max_value=15)


def _assert_valid(record: Problem | Hazard) -> None:
    # Re-running every validator proves the object is one the constructor accepts.
    assert attrs.evolve(record) == record
    days = [record.found_on if isinstance(record, Hazard) else record.reported_on]
    days += [e.on for e in record.history]
    assert days == sorted(days)


class ProblemMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.problem = problem(reported_on=JAN10)
        self.last = self.problem.reported_on

    def _try(self, to: str, offset: int, parties: list[str] | None = None, **kw: str) -> None:
        before = self.problem
        on = self.last + timedelta(days=offset)
        legal = to in PROBLEM_MOVES[before.status.value]
        outcome = attempt(lambda: before.transition(to, on, parties=parties or [], **kw))
        if isinstance(outcome, InvalidTransitionError):
            assert not legal
        elif isinstance(outcome, InvalidInputError):
            assert legal
            assert offset < 0 or (to == "resolved" and not parties)
            assert paths(outcome) in (["on"], ["parties"])
        else:
            assert legal
            assert offset >= 0
            assert outcome.history[:-1] == before.history
            assert outcome.history[-1].on == on
            assert outcome.history[-1].status == to == outcome.status
            assert outcome.history[-1].actor == kw.get("actor", "")
            self.problem, self.last = outcome, on
        # The object moved from is never changed, whatever happened.
        assert before == attrs.evolve(before)

    @rule(to=st.sampled_from(ProblemStatus), offset=offsets, actor=actors, note=notes)
    def move(self, to: ProblemStatus, offset: int, actor: str, note: str) -> None:
        self._try(to.value, offset, actor=actor, note=note)

    @rule(offset=offsets, parties=st.none() | party_lists)
    def resolve(self, offset: int, parties: list[PartyKind] | None) -> None:
        self._try("resolved", offset, [p.value for p in parties] if parties else None)

    @precondition(lambda self: self.problem.status is ProblemStatus.RESOLVED)
    @rule()
    def resolved_on_is_the_last_resolution(self) -> None:
        assert self.problem.resolved_on == self.last

    @invariant()
    def valid(self) -> None:
        _assert_valid(self.problem)
        resolutions = [e for e in self.problem.history if e.status == "resolved"]
        assert self.problem.resolved_on == (resolutions[-1].on if resolutions else None)
        assert set(self.problem.parties) == {p for e in resolutions for p in e.parties}
        assert self.problem.allowed_moves == PROBLEM_TRANSITIONS[self.problem.status]


class HazardMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.hazard = hazard(kind="blocked_fire_escape", found_on=JAN10)
        self.last = self.hazard.found_on
        self.deadline = self.hazard.rectification_deadline()

    @rule(to=st.sampled_from(HazardStatus), offset=offsets, actor=actors)
    def move(self, to: HazardStatus, offset: int, actor: str) -> None:
        before = self.hazard
        on = self.last + timedelta(days=offset)
        legal = to.value in HAZARD_MOVES[before.status.value]
        outcome = attempt(lambda: before.transition(to, on, actor=actor))
        if isinstance(outcome, InvalidTransitionError):
            assert not legal
        elif isinstance(outcome, InvalidInputError):
            assert legal
            assert offset < 0
            assert paths(outcome) == ["on"]
        else:
            assert legal
            assert offset >= 0
            assert outcome.history == (*before.history, Event(on=on, status=to.value, actor=actor))
            self.hazard, self.last = outcome, on
        assert before == attrs.evolve(before)

    @invariant()
    def valid(self) -> None:
        h = self.hazard
        _assert_valid(h)
        assert h.rectification_deadline() == self.deadline  # the deadline never moves
        rectifications = [e.on for e in h.history if e.status == "rectified"]
        assert h.rectified_on == (rectifications[-1] if rectifications else None)
        if h.status is HazardStatus.RECTIFIED:
            assert h.reinspection_on() == rectifications[-1] + timedelta(days=30)
        else:
            assert h.reinspection_on() is None
        assert h.is_overdue(self.last + timedelta(days=30)) == (
            h.status in (HazardStatus.OPEN, HazardStatus.REOPENED)
        )
        assert h.allowed_moves == HAZARD_TRANSITIONS[h.status]


ProblemMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=15)
HazardMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=15)
TestProblemLifecycle = ProblemMachine.TestCase
TestHazardLifecycle = HazardMachine.TestCase


def test_enums_have_the_spec_values() -> None:
    assert {s.value for s in ProblemSource} == {
        "resident_report",
        "outreach",
        "inspection",
        "hotline",
    }
    assert {k.value for k in HazardKind} == {
        "tangled_wiring",
        "flying_lead_charging",
        "blocked_fire_escape",
        "stairwell_clutter",
        "gas",
        "other",
    }
    assert {s.value for s in ProblemStatus} == set(PROBLEM_MOVES)
    assert {s.value for s in HazardStatus} == set(HAZARD_MOVES)
    assert {s.value: {t.value for t in ts} for s, ts in PROBLEM_TRANSITIONS.items()} == (
        PROBLEM_MOVES
    )
    assert {s.value: {t.value for t in ts} for s, ts in HAZARD_TRANSITIONS.items()} == HAZARD_MOVES


@settings(max_examples=50)
@given(hazards())
def test_generated_hazards_round_trip_through_json(h: Hazard) -> None:
    assert structure(unstructure(h), Hazard) == h
    assert h.rectification_deadline(Policy()) == h.rectification_deadline()


# --- mutation-testing additions -------------------------------------------------------------


def test_every_lifecycle_method_records_its_actor_and_note() -> None:
    p = problem().accept(JAN5, actor="clerk", note="taken in")
    p = p.start_work(JAN5, actor="crew", note="begun")
    p = p.resolve(JAN10, parties=["member_unit"], actor="crew", note="fixed")
    p = p.verify(JAN15, actor="visitor", note="holds")
    p = p.reopen(JAN15, actor="visitor", note="back")
    assert [(e.actor, e.note) for e in p.history] == [
        ("clerk", "taken in"),
        ("crew", "begun"),
        ("crew", "fixed"),
        ("visitor", "holds"),
        ("visitor", "back"),
    ]
    h = hazard().rectify(JAN10, actor="crew", note="rewired", parties=["member_unit"])
    h = h.reopen(JAN15, actor="inspector", note="failed")
    h = h.rectify(JAN15, actor="crew", note="again")
    h = h.verify(D(2026, 2, 14), actor="inspector", note="passed")
    assert [(e.actor, e.note) for e in h.history] == [
        ("crew", "rewired"),
        ("inspector", "failed"),
        ("crew", "again"),
        ("inspector", "passed"),
    ]
    # Without an actor or a note, the event records empty ones (nothing is made up).
    q = resolved().verify(JAN15).reopen(JAN15)
    g = hazard().rectify(JAN10).reopen(JAN10).rectify(JAN15).verify(JAN15)
    assert {(e.actor, e.note) for e in (*q.history, *g.history)} == {("", "")}


def test_status_on_and_hazards_overdue_name_the_bad_argument() -> None:
    for call, name in (
        (lambda: problem().status_on("2026-01-05"), "Problem.status_on"),  # type: ignore[arg-type]
        (lambda: hazard().status_on("2026-01-05"), "Hazard.status_on"),  # type: ignore[arg-type]
        (lambda: hazards_overdue([hazard()], "2026-01-10"), "hazards_overdue"),  # type: ignore[arg-type]
    ):
        with pytest.raises(InvalidArgumentError) as err:
            call()
        assert str(err.value).startswith(f"{name}(on=...): expected a date like ")


def test_is_overdue_and_hazards_overdue_follow_the_given_policy() -> None:
    policy = default_policy().amend(
        D(2020, 1, 1),
        {"ledger.rectification_days.gas": 20, "ledger.default_rectification_days": 1},
        version="local",
    )
    a = hazard("a", kind="gas", found_on=D(2026, 1, 1))  # 01-02 by default, 01-21 locally
    b = hazard("b", kind="other", found_on=D(2026, 1, 5))  # 01-12 by default, 01-06 locally
    assert a.is_overdue(D(2026, 1, 7)) and not a.is_overdue(D(2026, 1, 7), policy)
    assert b.is_overdue(D(2026, 1, 7), policy) and not b.is_overdue(D(2026, 1, 7))
    assert [h.id for h in hazards_overdue([a, b], D(2026, 1, 7))] == ["a"]
    assert [h.id for h in hazards_overdue([a, b], D(2026, 1, 7), policy=policy)] == ["b"]
    assert [h.id for h in hazards_overdue([a, b], D(2026, 1, 25))] == ["a", "b"]
    assert [h.id for h in hazards_overdue([a, b], D(2026, 1, 25), policy=policy)] == ["b", "a"]


def test_ledger_kpis_pass_on_the_followups_and_the_policy() -> None:
    strict = default_policy().amend(
        D(2020, 1, 1), {"ledger.default_rectification_days": 1}, version="strict"
    )
    ledger = Ledger().add(hazard("h", "other", D(2026, 1, 10)).rectify(D(2026, 1, 13)))
    visits = [VisitDue(case_id="e1", due_on=D(2026, 1, 5), done_on=D(2026, 1, 5))]
    r = ledger.kpis(visits, start=START, end=END, policy=strict)
    assert r == kpis([], [], ledger.hazards, visits, start=START, end=END, policy=strict)
    assert r.policy_version == "strict"
    assert r.hazards_rectified_on_time.value == 0
    assert r.visit_on_time_rate.value == 1.0
    assert ledger.kpis(start=START, end=END).hazards_rectified_on_time.value == 1


def test_error_messages_name_the_allowed_moves_and_the_bad_values() -> None:
    err = attempt(lambda: resolved().accept(JAN15))
    assert isinstance(err, InvalidTransitionError)
    assert "allowed: verify (→ verified), reopen (→ reopened)" in str(err)
    done = hazard().rectify(JAN10).verify(JAN15)
    err = attempt(lambda: done.reopen(JAN15))
    assert isinstance(err, InvalidTransitionError)
    assert "allowed: none (verified is final)" in str(err)
    c = compare(report(), report())
    err = attempt(lambda: c.change("happiness"))
    assert isinstance(err, InvalidInputError)
    assert "got 'happiness'" in str(err)
    with pytest.raises(
        InvalidArgumentError, match=r"^Ledger\.add\(records\[0\]=\.\.\.\): .* got 3$"
    ):
        Ledger().add(3)  # type: ignore[arg-type]  # the check under test
    with pytest.raises(InvalidInputError) as exc:
        Ledger().replace(problem("p"))
    assert paths(exc) == ["records[0].id"]
    with pytest.raises(InvalidInputError) as exc:
        Ledger().add(problem("p")).add(problem("p"))
    assert "use replace() to record its new state" in str(exc.value)


def test_report_and_ledger_construction_errors_say_what_is_wrong() -> None:
    r = report()
    with pytest.raises(InvalidInputError) as exc:
        attrs.evolve(r, end=D(2025, 12, 31))
    assert paths(exc) == ["$.end"]
    assert "on or after start 2026-01-01" in exc.value.problems[0].message
    with pytest.raises(InvalidInputError) as exc:
        Ledger(hazards=(hazard("h"), hazard("k"), hazard("h")))
    assert exc.value.problems[0].message == (
        "hazard 'h' repeats $.hazards[0]; a ledger holds one record per id"
    )


def test_a_misplaced_kpi_is_named_in_the_error() -> None:
    r = report()
    with pytest.raises(InvalidInputError) as exc:
        attrs.evolve(r, activities=r.person_times)
    assert exc.value.problems[0].message == "expected 'activities', got 'person_times'"


def test_conflicting_records_are_named_with_their_paths() -> None:
    v = VisitDue(case_id="e1", due_on=D(2026, 1, 5))
    with pytest.raises(InvalidInputError) as exc:
        report(followups=[v, attrs.evolve(v, done_on=D(2026, 1, 5))])
    assert paths(exc) == ["followups[1]"]
    with pytest.raises(InvalidInputError) as exc:
        report(problems=[problem(), resolved()])
    assert "is also used by problems[0] for a different record" in str(exc.value)
    with pytest.raises(InvalidInputError) as exc:
        Ledger().add(problem("p")).merge(Ledger().add(resolved("p")))
    assert "settle which is right and replace() it before merging" in str(exc.value)


def test_refused_moves_and_histories_name_the_record_and_the_date() -> None:
    err = attempt(lambda: resolved("p7").accept(JAN15))
    assert isinstance(err, InvalidTransitionError)
    assert str(err) == (
        "problem 'p7' is 'resolved'; cannot accept;"
        " allowed: verify (→ verified), reopen (→ reopened)"
    )
    with pytest.raises(InvalidInputError) as exc:
        Hazard(
            id="h1",
            kind=HazardKind.GAS,
            building="b1",
            grid="g1",
            found_on=JAN10,
            status=HazardStatus.RECTIFIED,
            history=(Event(on=JAN5, status="rectified"),),
        )
    assert paths(exc) == ["$.history[0].on"]
    assert exc.value.problems[0].message == (
        "expected a date on or after found_on 2026-01-10, got 2026-01-05"
    )


def test_an_unknown_status_in_a_history_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInputError) as exc:
        Hazard(
            id="h1",
            kind=HazardKind.GAS,
            building="b1",
            grid="g1",
            found_on=JAN10,
            history=(Event(on=JAN10, status="fixed"),),
        )
    assert exc.value.problems[0].message == (
        "expected one of 'open', 'rectified', 'verified', 'reopened', got 'fixed'"
    )


def test_adding_a_known_record_says_to_replace_it() -> None:
    with pytest.raises(InvalidInputError) as exc:
        Ledger().add(problem("p")).add(problem("p"))
    assert exc.value.problems[0].message == (
        "problem 'p' is already in the ledger; use replace() to record its new state"
    )


# --- exact messages and paths (mutation testing) ---


def problems_of(fn: Callable[[], object]) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInputError) as info:
        fn()
    return [(p.path, p.message) for p in info.value.problems]


def test_move_errors_word_for_word() -> None:
    p = problem().accept(JAN5).start_work(JAN5)
    assert problems_of(lambda: p.transition("done", JAN10)) == [
        (
            "to",
            "expected one of 'reported', 'accepted', 'in_progress', 'resolved', 'verified',"
            " 'reopened', got 'done'",
        )
    ]
    assert problems_of(lambda: p.resolve(JAN10, parties="volunteer")) == [
        ("parties", "expected a list of party kinds such as ['volunteer'], got 'volunteer'")
    ]
    assert problems_of(lambda: p.resolve(JAN10, parties=[])) == [
        (
            "parties",
            "expected at least one party kind when moving to 'resolved',"
            " such as ['community_committee']",
        )
    ]
    assert problems_of(lambda: p.resolve(JAN10, parties=["volunteer", "nobody"])) == [
        ("parties[1]", "expected a party kind such as 'volunteer', got 'nobody'")
    ]
    assert problems_of(lambda: problem().accept(JAN5, note="x" * 0).start_work(D(2026, 1, 4))) == [
        (
            "on",
            "expected a date on or after the last event (2026-01-05), got 2026-01-04;"
            " the history of problem 'p1' cannot run backwards",
        )
    ]
    assert problems_of(lambda: problem().accept(D(2026, 1, 4))) == [
        (
            "on",
            "expected a date on or after reported_on (2026-01-05), got 2026-01-04;"
            " the history of problem 'p1' cannot run backwards",
        )
    ]
    with pytest.raises(InvalidArgumentError) as bad:
        problem().accept("2026-01-06")  # type: ignore[arg-type]  # the check under test
    assert str(bad.value) == (
        "Problem.transition(on=...): expected a date like date(2026, 11, 30), got '2026-01-06'"
    )
    h = hazard()
    assert problems_of(lambda: h.rectify(D(2026, 1, 9))) == [
        (
            "on",
            "expected a date on or after found_on (2026-01-10), got 2026-01-09;"
            " the history of hazard 'h1' cannot run backwards",
        )
    ]
    fixed = h.rectify(JAN15)
    assert problems_of(lambda: fixed.transition("verified", JAN15, parties=["volunteer"])) == [
        ("parties", "expected no parties when moving to 'verified'; they are recorded on"
         " 'rectified' only"),
    ]  # fmt: skip


def test_a_move_without_actor_or_note_records_empty_ones() -> None:
    p = problem().accept(JAN5)
    h = hazard().rectify(JAN15)
    for event in (p.history[-1], h.history[-1]):
        assert (event.actor, event.note) == ("", "")
    assert problem().transition("accepted", JAN5).history[-1].note == ""
    rectified = hazard().transition("rectified", JAN15)
    assert (rectified.history[-1].actor, rectified.status) == ("", HazardStatus.RECTIFIED)
    assert rectified.history[-1].parties == ()


def test_history_errors_word_for_word() -> None:
    doc = unstructure(resolved())
    doc["history"][1]["status"] = "resolved"  # accepted -> resolved skips a step
    doc["history"][1]["parties"] = []
    doc["history"][0]["parties"] = ["volunteer"]
    doc["status"] = "accepted"
    assert problems_of(lambda: structure(doc, Problem)) == [
        (
            "$.history[0].parties",
            "expected no parties: they are recorded on 'resolved' events only",
        ),
        (
            "$.history[1].status",
            "cannot move from 'accepted' to 'resolved'; allowed: 'in_progress'",
        ),
        (
            "$.history[1].parties",
            "expected at least one party kind on a 'resolved' event,"
            " such as ['community_committee']",
        ),
        (
            "$.history[2].status",
            "cannot move from 'resolved' to 'resolved'; allowed: 'verified', 'reopened'",
        ),
        ("$.status", "expected 'resolved', the status its history ends in, got 'accepted'"),
    ]
    other = unstructure(resolved())
    other["parties"] = ["volunteer"]
    assert problems_of(lambda: structure(other, Problem)) == [
        (
            "$.parties",
            "expected the party kinds recorded on the resolved events, each once"
            " (['member_unit']), got ['volunteer']",
        ),
    ]


def test_activity_and_kpi_errors_word_for_word() -> None:
    assert problems_of(lambda: activity("a1", JAN5, ("r1", "r2"), 1)) == [
        ("$.headcount", "expected at least the 2 named participants, got 1")
    ]
    assert problems_of(lambda: kpis([], [], [], [], start=END, end=START)) == [
        ("end", "expected a date on or after start 2026-03-31, got 2026-01-01")
    ]
    assert problems_of(lambda: kpis([], [], [hazard(), hazard(kind="gas")], [], start=START,
                                    end=END)) == [
        (
            "hazards[1]",
            "id 'h1' is also used by hazards[0] for a different record;"
            " correct the registry so that each id names one record",
        )
    ]  # fmt: skip
    assert problems_of(lambda: Kpi(name="proactive_share", value="1")) == [  # type: ignore[arg-type]
        ("$.value", "expected a number or null, got '1'")
    ]
    assert problems_of(lambda: Kpi(name="proactive_share", value=True)) == [
        ("$.value", "expected a number or null, got True")
    ]
    assert Kpi(name="proactive_share", value=None).value is None
    assert Kpi(name="proactive_share", value=0.5).value == 0.5
    assert problems_of(lambda: Kpi(name="happiness", value=1)) == [
        ("$.name", "expected a KPI name such as 'proactive_share', got 'happiness'")
    ]


def test_ledger_add_refuses_to_replace() -> None:
    first = resolved()
    changed = attrs.evolve(first, category="other_category")
    ledger = Ledger().add(first)
    with pytest.raises(InvalidInputError):
        ledger.add(changed)
    assert ledger.replace(changed).problems == (changed,)


def test_the_schemas_of_parties_and_kpi_figures() -> None:
    kinds = [k.value for k in PartyKind]
    assert json_schema(Problem)["properties"]["parties"] == {
        "type": "array",
        "items": {"type": "string", "enum": kinds},
    }
    kpi = json_schema(Kpi)["properties"]
    assert kpi["value"] == {"anyOf": [{"type": "number"}, {"type": "null"}]}
    assert kpi["name"] == {"type": "string", "enum": list(KPI_NAMES)}
    change = json_schema(KpiChange)["properties"]
    assert change["relative"] == {"anyOf": [{"type": "number"}, {"type": "null"}]}
    assert KpiChange(name="activities").relative is None  # figures default to null


def test_query_dates_must_be_dates() -> None:
    expected = "expected a date like date(2026, 11, 30), got '2026-01-06'"
    for call, where in (
        (lambda: problem().status_on("2026-01-06"), "Problem.status_on(on=...)"),  # type: ignore[arg-type]
        (lambda: hazards_overdue([hazard()], "2026-01-06"), "hazards_overdue(on=...)"),  # type: ignore[arg-type]
        (lambda: kpis([], [], [], [], start="2026-01-06", end=END), "kpis(start=...)"),  # type: ignore[arg-type]
    ):
        with pytest.raises(InvalidArgumentError) as bad:
            call()
        assert str(bad.value) == f"{where}: {expected}"


def test_a_blocked_fire_escape_is_due_the_day_it_is_found() -> None:
    # Spec v2 §6: corrected on the spot (当场改正): overdue from the next day.
    h = hazard(kind="blocked_fire_escape", found_on=D(2026, 1, 10))
    assert h.rectification_deadline() == D(2026, 1, 10)
    assert not h.is_overdue(D(2026, 1, 10))
    assert h.is_overdue(D(2026, 1, 11))
    assert not h.rectify(D(2026, 1, 10)).is_overdue(D(2026, 1, 11))
    assert report(hazards=[h.rectify(D(2026, 1, 11))]).hazards_rectified_on_time.value == 0
