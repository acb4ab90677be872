"""Each shared concept has one home: the level enums and their ranks, the cadence unit,
the due visit, the renderer of bad values, and the policy's tables keyed by the enums."""

from __future__ import annotations

import enum
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import community_care
from community_care import (
    InvalidInputError,
    Policy,
    children,
    community,
    default_policy,
    elderly,
    followup,
    ledger,
    linkage,
    to_json,
    vocab,
)
from community_care import calendar as calendar_module
from community_care._kernel.fields import LARGEST_INT, describe
from community_care.followup import DueVisit, FollowUp, open_followup, retier, visits_due
from community_care.serialization import structure, unstructure
from community_care.vocab import CadenceUnit, ChildRisk, PartyKind, RiskTier, Urgency

LEVEL_ENUMS: tuple[type[RiskTier] | type[ChildRisk] | type[Urgency], ...] = (
    RiskTier,
    ChildRisk,
    Urgency,
)


# --- one home, re-exported ------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (elderly, "RiskTier"),
        (children, "ChildRisk"),
        (followup, "CadenceUnit"),
        (community_care, "RiskTier"),
        (community_care, "ChildRisk"),
        (community_care, "CadenceUnit"),
    ],
)
def test_moved_enums_are_the_same_objects_where_they_were(module: object, name: str) -> None:
    assert getattr(module, name) is getattr(vocab, name)


def test_the_former_due_visit_name_is_the_same_class() -> None:
    assert ledger.VisitDue is DueVisit
    assert community_care.VisitDue is community_care.DueVisit is DueVisit
    assert "VisitDue" in ledger.__all__  # still importable by its former name


def test_shared_constants_and_renderer_are_defined_once() -> None:
    # The plan (community._plan) splits off caring-mother needs with linkage's constant.
    assert community._plan.CARING_MOTHER is linkage.CARING_MOTHER
    assert not hasattr(calendar_module, "_describe")
    assert not hasattr(community_care.policy, "_shown")
    assert not hasattr(community_care.policy, "_LARGEST_INT")
    assert not hasattr(community_care.policy, "_Unit")


# --- ranks ----------------------------------------------------------------------------


@pytest.mark.parametrize("levels", LEVEL_ENUMS)
def test_rank_follows_the_declared_order_most_severe_first(levels: type[enum.Enum]) -> None:
    members = list(levels)
    ranks = [m.rank for m in members]  # type: ignore[attr-defined]  # every level enum has one
    assert ranks == list(range(len(members), 0, -1))
    for earlier, later in itertools.combinations(members, 2):
        assert earlier.rank > later.rank  # type: ignore[attr-defined]


def test_ranks_as_documented() -> None:
    assert [t.rank for t in (RiskTier.GREEN, RiskTier.YELLOW, RiskTier.RED)] == [1, 2, 3]
    assert [r.rank for r in (ChildRisk.LOW, ChildRisk.MEDIUM, ChildRisk.HIGH)] == [1, 2, 3]
    assert [u.rank for u in (Urgency.LOW, Urgency.NORMAL, Urgency.HIGH, Urgency.CRITICAL)] == [
        1,
        2,
        3,
        4,
    ]


@given(
    st.sampled_from(["elderly", "child"]).flatmap(
        lambda kind: st.tuples(
            st.just(kind),
            st.sampled_from(list(RiskTier if kind == "elderly" else ChildRisk)),
            st.sampled_from(list(RiskTier if kind == "elderly" else ChildRisk)),
        )
    )
)
def test_retier_brings_the_due_date_forward_only_for_a_higher_rank(
    case: tuple[str, RiskTier | ChildRisk, RiskTier | ChildRisk],
) -> None:
    kind, first, second = case
    opened = open_followup("c1", kind, first.value, on=date(2026, 3, 2))
    moved = retier(opened, second.value, date(2026, 3, 2))
    assert moved.level is second
    if second.rank <= first.rank:
        assert (moved.next_due, moved.grace_days) == (opened.next_due, opened.grace_days)
    else:
        assert moved.next_due <= opened.next_due


# --- the follow-up level ----------------------------------------------------------------


def test_a_followup_level_is_its_enum_member_and_json_keeps_the_string() -> None:
    fu = open_followup("e1", "elderly", "yellow", on=date(2026, 3, 2))
    assert fu.level is RiskTier.YELLOW and fu.history[0].level is RiskTier.YELLOW
    assert open_followup("e1", "elderly", RiskTier.YELLOW, on=date(2026, 3, 2)) == fu
    up = retier(fu, "red", date(2026, 3, 3))
    assert up.history[-1].previous_level is RiskTier.YELLOW
    data = unstructure(up)
    assert (data["level"], data["history"][-1]["previous_level"]) == ("red", "yellow")
    again = structure(data, FollowUp)
    assert again == up and again.history[-1].previous_level is RiskTier.YELLOW
    assert to_json(again) == to_json(up)


def test_a_level_of_the_other_kind_is_refused_with_its_plain_value() -> None:
    data = unstructure(open_followup("c1", "child", "high", on=date(2026, 3, 2)))
    data["level"] = data["history"][0]["level"] = "red"
    with pytest.raises(InvalidInputError) as err:
        structure(data, FollowUp)
    messages = {p.path: p.message for p in err.value.problems}
    assert (
        messages["$.level"] == "expected a child level, one of 'low', 'medium', 'high', got 'red'"
    )
    with pytest.raises(InvalidInputError) as err:
        structure({**data, "level": 3}, FollowUp)
    assert [(p.path, p.message) for p in err.value.problems] == [
        ("$.level", "expected a string, got 3")
    ]


# --- the due visit ----------------------------------------------------------------------


@given(
    due=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    late=st.integers(-30, 30),
    grace=st.integers(0, 40),
)
def test_on_time_is_done_by_due_plus_grace(due: date, late: int, grace: int) -> None:
    visit = DueVisit(case_id="e1", due_on=due, grace_days=grace, done_on=due + timedelta(late))
    assert visit.on_time is (late <= grace)
    assert visit.key == f"e1@{due.isoformat()}"
    assert not DueVisit(case_id="e1", due_on=due, grace_days=grace).on_time


def test_on_time_with_a_grace_past_the_last_date_does_not_overflow() -> None:
    visit = DueVisit(
        case_id="e1", due_on=date(9999, 12, 1), grace_days=LARGEST_INT, done_on=date(9999, 12, 31)
    )
    assert visit.on_time
    assert DueVisit(case_id="e1", due_on=date(2026, 1, 1)).grace_days == 0


def test_kpis_take_the_due_visits_as_visits_due_gives_them() -> None:
    fu = open_followup("e1", "elderly", "yellow", on=date(2026, 1, 2))  # due 01-07
    due = visits_due([fu], start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert all(type(d) is DueVisit for d in due)
    report = ledger.Ledger().kpis(due, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert report.visit_on_time_rate.ids == ("e1@2026-01-07",)


# --- the renderer of bad values ----------------------------------------------------------


def test_a_calendar_shows_a_huge_bad_value_instead_of_failing() -> None:
    with pytest.raises(InvalidInputError) as err:
        calendar_module.YearArrangement(year=2027, holidays=[10**5000], makeup_workdays=())
    assert "got a value too large to show (int)" in str(err.value)
    assert describe(10**5000) == "a value too large to show (int)"


# --- policy tables keyed by the enums ---------------------------------------------------


def test_default_tables_are_keyed_by_the_enums() -> None:
    v = default_policy().at(date(2026, 1, 1))
    tables = {
        RiskTier: [v.elderly.intervention_urgency, v.followup.elderly],
        ChildRisk: [
            v.children.review_months,
            v.children.action_urgency,
            v.children.action_due_days,
            v.followup.child,
        ],
        Urgency: [v.linkage.urgency_points, v.linkage.undated_deadline_days],
        PartyKind: [v.linkage.suitability],
    }
    for keys, found in tables.items():
        for table in found:
            assert [type(k) for k in table] == [keys] * len(keys)
            assert set(table) == set(keys)
    assert all(type(u) is Urgency for u in v.elderly.intervention_urgency.values())
    assert all(type(u) is Urgency for u in v.children.action_urgency.values())
    assert all(type(c.unit) is CadenceUnit for c in v.followup.elderly.values())
    assert v.followup.elderly["red"] is v.followup.elderly[RiskTier.RED]  # a string finds it
    assert v.linkage.suit("volunteer", "sewing") == v.linkage.suit(PartyKind.VOLUNTEER, "sewing")


def test_a_policy_amended_on_enum_keyed_tables_reads_back() -> None:
    changes = {
        "followup.elderly.red.every": 2,
        "children.action_urgency.high": "critical",
        "children.review_months": {"high": 2, "medium": 4, "low": 6},
        "linkage.urgency_points.low": 50,
        "linkage.suitability.resident.tutoring": 5,
    }
    policy = default_policy().amend(date(2027, 1, 1), changes, version="local")
    v = policy.at(date(2027, 1, 1))
    assert v.followup.elderly[RiskTier.RED].every == 2
    assert v.children.action_urgency[ChildRisk.HIGH] is Urgency.CRITICAL
    assert [type(k) for k in v.children.review_months] == [ChildRisk] * 3
    assert dict(v.children.review_months) == {"high": 2, "medium": 4, "low": 6}
    assert v.linkage.urgency_points[Urgency.LOW] == 50
    assert v.linkage.suit(PartyKind.RESIDENT, "tutoring") == 5
    assert [type(k) for k in v.linkage.suitability] == [PartyKind] * len(PartyKind)
    # The document reads back as it was written: plain strings, same keys, same order.
    doc = policy.to_document()
    assert doc["amendments"][0]["changes"] == changes
    assert all(type(k) is str for k in doc["amendments"][0]["changes"]["children.review_months"])
    assert Policy.from_document(doc) == policy


def test_a_table_key_that_is_no_member_is_kept_and_reported_as_before() -> None:
    doc = {
        "version": "x",
        "amendments": [
            {
                "effective_from": "2027-01-01",
                "changes": {"linkage.urgency_points": {"critical": 4, "high": 3, "soon": 1}},
            }
        ],
    }
    with pytest.raises(InvalidInputError) as err:
        Policy.from_document(doc)
    assert [(p.path, p.message) for p in err.value.problems] == [
        (
            "$.linkage.urgency_points",
            "expected the keys ['critical', 'high', 'normal', 'low'] (from 2027-01-01)",
        )
    ]
    doc["amendments"][0]["changes"] = {"linkage.urgency_points.normal": 500}
    with pytest.raises(InvalidInputError) as err:
        Policy.from_document(doc)
    assert [p.message for p in err.value.problems] == [
        "expected critical > high > normal > low (from 2027-01-01)"
    ]


def test_an_unknown_urgency_in_a_policy_is_refused_when_the_policy_is_read() -> None:
    doc = {
        "version": "x",
        "amendments": [
            {
                "effective_from": "2027-01-01",
                "changes": {"elderly.intervention_urgency.red": "asap"},
            }
        ],
    }
    with pytest.raises(InvalidInputError) as err:
        Policy.from_document(doc)
    assert [(p.path, p.message) for p in err.value.problems] == [
        (
            "$.amendments[0].changes['elderly.intervention_urgency.red']",
            "expected one of 'critical', 'high', 'normal', 'low', got 'asap'",
        )
    ]
