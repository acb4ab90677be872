"""Tests of five-party linkage matching (community_care.linkage, spec §4).

The helpers below restate §4 independently of the library (the numbers are the
spec's, written out; only the SUIT table is read from the default policy), so that
the properties compare ``match`` with the specification, not with itself.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Sequence
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies.linkage import ON, medium_instances, offer_lists, small_instances

from community_care import (
    ElderlyAssessment,
    ElderlyProfile,
    HomeSafety,
    InvalidArgumentError,
    InvalidInputError,
    Need,
    Offer,
    PartyKind,
    Urgency,
    assess_elderly,
    default_policy,
    from_json,
    to_json,
)
from community_care.linkage import (
    UNMATCHED_REASONS,
    Matching,
    match,
    needs_from_assessment,
    needs_from_plan,
    pair_caring_mothers,
)

# --- the spec, restated -----------------------------------------------------------------

URGENCY_POINTS = {"critical": 1000, "high": 400, "normal": 200, "low": 100}
UNDATED_DAYS = {"critical": 1, "high": 7, "normal": 30, "low": 90}
LEVEL = {"critical": 0, "high": 1, "normal": 2, "low": 3}
SUIT_TABLE = default_policy().at(ON).linkage  # only its table and its default of 2


def deadline(n: Need, on: date = ON) -> date:
    if n.needed_by is not None:
        return max(n.needed_by, on)
    return on + timedelta(days=UNDATED_DAYS[n.urgency.value])


def in_area(n: Need, o: Offer) -> bool:
    return not o.grids or n.grid in o.grids


def in_time(n: Need, o: Offer, on: date = ON) -> bool:
    return (o.available_until is None or o.available_until >= on) and (
        o.available_from is None or o.available_from <= deadline(n, on)
    )


CHILD_CONTACT = ("caring_mother", "tutoring", "counseling")
INDIVIDUALS = ("volunteer", "resident")


def vetted(n: Need, o: Offer, on: date = ON) -> bool:
    """Spec §4: a child-contact need goes to an individual only if vetted within 365 days."""
    if o.party.value not in INDIVIDUALS or n.category not in CHILD_CONTACT:
        return True
    return o.vetted_on is not None and o.vetted_on <= on and (on - o.vetted_on).days <= 365


def eligible(n: Need, o: Offer) -> bool:
    return n.category in o.capabilities and in_area(n, o) and vetted(n, o) and in_time(n, o)


def fit(n: Need, o: Offer) -> int:
    near = 20 if o.home_grid is not None and o.home_grid == n.grid else 0
    return 10 * SUIT_TABLE.suit(o.party.value, n.category) + near


def objective(
    needs: Sequence[Need], offers: Sequence[Offer], assignment: dict[str, str]
) -> tuple[int, ...]:
    """(critical met, high met, normal met, low met, total fit)."""
    by_id = {o.id: o for o in offers}
    counts = [0, 0, 0, 0]
    total = 0
    for n in needs:
        if n.id in assignment:
            counts[LEVEL[n.urgency.value]] += 1
            total += fit(n, by_id[assignment[n.id]])
    return (*counts, total)


def brute_force(needs: Sequence[Need], offers: Sequence[Offer]) -> tuple[int, ...]:
    """The best objective over every feasible assignment (small instances only)."""
    choices = [[None, *(o for o in offers if eligible(n, o))] for n in needs]
    best: tuple[int, ...] = (0, 0, 0, 0, 0)
    for combo in itertools.product(*choices):
        used: dict[str, int] = {}
        for o in combo:
            if o is not None:
                used[o.id] = used.get(o.id, 0) + 1
        if any(used[o.id] > o.capacity for o in offers if o.id in used):
            continue
        assignment = {n.id: o.id for n, o in zip(needs, combo, strict=True) if o is not None}
        best = max(best, objective(needs, offers, assignment))
    return best


def expected_reason(n: Need, offers: Sequence[Offer]) -> str:
    capable = [o for o in offers if n.category in o.capabilities]
    if not capable:
        return "no_capable_offer"
    local = [o for o in capable if in_area(n, o)]
    if not local:
        return "outside_service_area"
    local = [o for o in local if vetted(n, o)]
    if not local:
        return "not_vetted"
    if not any(in_time(n, o) for o in local):
        return "not_available_in_time"
    return "capacity_taken"


def assert_feasible(needs: Sequence[Need], offers: Sequence[Offer], m: Matching) -> None:
    need_by_id = {n.id: n for n in needs}
    offer_by_id = {o.id: o for o in offers}
    assert set(m.assignments) | set(m.unmatched) == set(need_by_id)
    assert not set(m.assignments) & set(m.unmatched)
    for need_id, offer_id in m.assignments.items():
        assert eligible(need_by_id[need_id], offer_by_id[offer_id])
    used = {o.id: 0 for o in offers}
    for offer_id in m.assignments.values():
        used[offer_id] += 1
    assert dict(m.load) == used
    assert all(used[o.id] <= o.capacity for o in offers)


def nd(
    nid: str, category: str = "rewiring", urgency: str = "normal", grid: str = "g1", **kw: Any
) -> Need:
    return Need(id=nid, category=category, urgency=Urgency(urgency), grid=grid, **kw)


def of(
    oid: str, party: str = "member_unit", caps: Sequence[str] = ("rewiring",), **kw: Any
) -> Offer:
    # Vetted on ON by default: the tests that are about vetting say otherwise.
    kw.setdefault("vetted_on", ON)
    return Offer(id=oid, party=PartyKind(party), capabilities=tuple(caps), **kw)


def codes(m: Matching) -> dict[str, str]:
    return {need_id: reason.code for need_id, reason in m.unmatched.items()}


# --- eligibility -------------------------------------------------------------------------


def test_empty_grids_serve_every_grid_and_listed_grids_only_those() -> None:
    needs = [nd("a", grid="g1"), nd("b", grid="g2"), nd("c", grid="g3")]
    m = match(needs, [of("all", capacity=5), of("two", grids=["g1", "g2"], capacity=5)], on=ON)
    assert set(m.assignments) == {"a", "b", "c"}
    only = match(needs, [of("two", grids=["g1", "g2"], capacity=5)], on=ON)
    assert set(only.assignments) == {"a", "b"}
    assert codes(only) == {"c": "outside_service_area"}


def test_home_grid_earns_the_bonus_but_does_not_decide_the_area() -> None:
    offer = of("o", grids=["g2"], home_grid="g1", capacity=5)
    m = match([nd("here", grid="g1"), nd("there", grid="g2")], [offer], on=ON)
    assert codes(m) == {"here": "outside_service_area"}
    assert m.pairs[0].proximity == 0  # served in g2, based in g1
    near = match([nd("x", grid="g1")], [of("o", home_grid="g1")], on=ON)
    assert near.pairs[0].proximity == 20
    far = match([nd("x", grid="g1")], [of("o", home_grid="g9")], on=ON)
    assert far.pairs[0].proximity == 0


@pytest.mark.parametrize(("until", "ok"), [(-1, False), (0, True), (5, True)])
def test_available_until_must_reach_on(until: int, ok: bool) -> None:
    m = match([nd("n")], [of("o", available_until=ON + timedelta(days=until))], on=ON)
    assert ("n" in m.assignments) is ok
    if not ok:
        assert codes(m) == {"n": "not_available_in_time"}


@pytest.mark.parametrize(("urgency", "days"), sorted(UNDATED_DAYS.items()))
def test_undated_deadline_follows_urgency(urgency: str, days: int) -> None:
    need = nd("n", urgency=urgency)
    just_in = match([need], [of("o", available_from=ON + timedelta(days=days))], on=ON)
    assert just_in.assignments == {"n": "o"}
    too_late = match([need], [of("o", available_from=ON + timedelta(days=days + 1))], on=ON)
    assert codes(too_late) == {"n": "not_available_in_time"}
    assert f"deadline {(ON + timedelta(days=days)).isoformat()}" in too_late.unmatched["n"].en


def test_dated_need_deadline_is_its_date_even_when_urgency_would_allow_longer() -> None:
    need = nd("n", urgency="low", needed_by=ON + timedelta(days=3))
    assert "n" in match([need], [of("o", available_from=ON + timedelta(days=3))], on=ON).assignments
    late = match([need], [of("o", available_from=ON + timedelta(days=4))], on=ON)
    assert codes(late) == {"n": "not_available_in_time"}


def test_past_due_need_is_needed_now() -> None:
    need = nd("n", urgency="low", needed_by=ON - timedelta(days=30))
    assert match([need], [of("o", available_from=ON)], on=ON).assignments == {"n": "o"}
    late = match([need], [of("o", available_from=ON + timedelta(days=1))], on=ON)
    assert codes(late) == {"n": "not_available_in_time"}


def test_capacity_zero_offer_is_eligible_but_takes_nothing() -> None:
    m = match([nd("n")], [of("o", capacity=0)], on=ON)
    assert codes(m) == {"n": "capacity_taken"}
    assert dict(m.load) == {"o": 0}


def test_repeated_capability_counts_once() -> None:
    m = match([nd("n")], [of("o", caps=["rewiring", "rewiring"])], on=ON)
    assert m.assignments == {"n": "o"}


# --- fit and score -----------------------------------------------------------------------


def test_score_breakdown_adds_up() -> None:
    m = match(
        [nd("n", urgency="critical", grid="g1")], [of("o", home_grid="g1")], on=ON
    )  # member_unit x rewiring = 10
    (p,) = m.pairs
    assert (p.urgency_points, p.suitability, p.proximity, p.score) == (1000, 100, 20, 1120)
    assert (p.party.value, p.category, p.urgency.value, p.fit) == (
        "member_unit",
        "rewiring",
        "critical",
        120,
    )
    assert m.total_score == 1120 and m.total_fit == 120
    assert m.objective == (1, 0, 0, 0, 120)


@pytest.mark.parametrize(
    ("party", "category", "suit"),
    [
        ("volunteer", "caring_mother", 9),
        ("resident", "caring_mother", 8),
        ("volunteer", "rewiring", 2),  # capable, not what volunteers are for
        ("charity_resource", "basic_living_allowance", 3),
        ("social_worker", "counseling", 9),
    ],
)
def test_suitability_from_the_table(party: str, category: str, suit: int) -> None:
    m = match([nd("n", category=category, urgency="low")], [of("o", party, [category])], on=ON)
    assert m.pairs[0].suitability == 10 * suit
    assert m.total_score == 100 + 10 * suit


def test_numbers_come_from_the_policy_in_force() -> None:
    policy = default_policy().amend(
        date(2026, 1, 1),
        {
            "linkage.proximity_bonus": 5,
            "linkage.suitability_weight": 3,
            "linkage.urgency_points.low": 50,
            "linkage.undated_deadline_days.low": 10,
        },
        version="test-1",
    )
    need = nd("n", urgency="low")
    m = match(
        [need],
        [of("o", home_grid="g1", available_from=ON + timedelta(days=10))],
        on=ON,
        policy=policy,
    )
    assert (m.pairs[0].urgency_points, m.pairs[0].suitability, m.pairs[0].proximity) == (50, 30, 5)
    assert m.policy_version == "test-1" and m.on == ON
    late = match([need], [of("o", available_from=ON + timedelta(days=11))], on=ON, policy=policy)
    assert codes(late) == {"n": "not_available_in_time"}
    before = match([need], [of("o")], on=date(2025, 12, 31), policy=policy)
    assert before.pairs[0].urgency_points == 100  # the amendment is not yet in force


# --- the objective ---------------------------------------------------------------------


def test_greedy_leaves_a_critical_need_unmet_but_match_does_not() -> None:
    # Two older residents need rewiring now. The power company's team (o-grid) serves
    # every grid and is based in g1; a volunteer electrician (o-vol) serves g1 only.
    needs = [nd("n1", urgency="critical", grid="g1"), nd("n2", urgency="critical", grid="g2")]
    offers = [
        of("o-grid", "member_unit", home_grid="g1"),
        of("o-vol", "volunteer", grids=["g1"], home_grid="g1"),
    ]
    # Greedy: take the highest-scoring pair first, then the next that still fits.
    pairs = sorted(
        ((1000 + fit(n, o), n.id, o.id) for n in needs for o in offers if eligible(n, o)),
        reverse=True,
    )
    greedy: dict[str, str] = {}
    for _score, need_id, offer_id in pairs:
        if need_id not in greedy and offer_id not in greedy.values():
            greedy[need_id] = offer_id
    assert greedy == {"n1": "o-grid"}  # n2 left without rewiring
    m = match(needs, offers, on=ON)
    assert m.assignments == {"n1": "o-vol", "n2": "o-grid"}
    assert m.met_by_urgency["critical"] == 2
    assert m.total_score == 1040 + 1100 < 1120 + 0 + 1100


def test_urgency_is_strictly_first_not_by_points() -> None:
    # One volunteer, one slot: a normal need it fits poorly, a low need it fits best.
    needs = [nd("normal", "rewiring", "normal", grid="g2"), nd("low", "sewing", "low", grid="g1")]
    offers = [of("o", "volunteer", ["sewing", "rewiring"], home_grid="g1")]
    m = match(needs, offers, on=ON)
    assert m.assignments == {"normal": "o"}  # scores tie at 220: urgency decides
    # Points closer together: the low need would now score more, and still loses.
    policy = default_policy().amend(
        date(2026, 1, 1), {"linkage.urgency_points.normal": 150}, version="close-points"
    )
    m = match(needs, offers, on=ON, policy=policy)
    assert m.assignments == {"normal": "o"}
    assert m.total_score == 150 + 20 < 100 + 120


def test_ties_go_to_the_smallest_ids() -> None:
    needs = [nd("b"), nd("a"), nd("c")]
    offers = [of("y"), of("x")]
    m = match(needs, offers, on=ON)
    assert list(m.assignments.items()) == [("a", "x"), ("b", "y")]
    assert codes(m) == {"c": "capacity_taken"}


def test_result_is_ordered_by_id_and_lists_every_offer() -> None:
    needs = [nd("n3"), nd("n1", category="sewing"), nd("n2")]
    offers = [of("o2", capacity=3), of("o1", "volunteer", ["cleanup"])]
    m = match(needs, offers, on=ON)
    assert list(m.assignments) == ["n2", "n3"]
    assert [p.need_id for p in m.pairs] == ["n2", "n3"]
    assert list(m.load.items()) == [("o1", 0), ("o2", 2)]
    assert list(m.unmatched) == ["n1"]
    assert dict(m.met_by_urgency) == {"critical": 0, "high": 0, "normal": 2, "low": 0}


# --- unmatched reasons, in order -----------------------------------------------------------


def test_each_unmatched_reason_in_the_specs_order() -> None:
    late = ON + timedelta(days=60)
    needs = [
        nd("none", category="pump_repair"),
        nd("area", grid="g3"),
        nd("time", grid="g2", needed_by=ON),
        nd("taken", urgency="low", grid="g1", needed_by=ON + timedelta(days=5)),
        nd("winner", urgency="critical", grid="g1"),
        nd("vet", category="tutoring", grid="g4"),
    ]
    offers = [
        of("far", grids=["g1", "g2"], available_from=late),  # in area for g1, g2; starts late
        of("near", grids=["g1"]),
        of("sewing", "volunteer", ["sewing"]),
        # In the area, never vetted, and late as well: not_vetted comes before the dates.
        of("tutor", "volunteer", ["tutoring"], grids=["g4"], vetted_on=None, available_from=late),
    ]
    m = match(needs, offers, on=ON)
    assert m.assignments == {"winner": "near"}
    assert codes(m) == {
        "area": "outside_service_area",
        "none": "no_capable_offer",
        "taken": "capacity_taken",
        "time": "not_available_in_time",
        "vet": "not_vetted",
    }
    assert set(codes(m).values()) == set(UNMATCHED_REASONS)
    for reason in m.unmatched.values():
        assert reason.dimension == "linkage" and reason.effect == "unmatched"
        assert reason.message("zh") and reason.message("en")


def test_area_is_checked_before_dates() -> None:
    m = match(
        [nd("n", grid="g2")], [of("o", grids=["g1"], available_until=ON - timedelta(1))], on=ON
    )
    assert codes(m) == {"n": "outside_service_area"}


def test_no_offers_at_all() -> None:
    m = match([nd("n")], [], on=ON)
    assert codes(m) == {"n": "no_capable_offer"} and m.total_score == 0 and not m.load


# --- input validation --------------------------------------------------------------------


def test_duplicate_ids_are_listed_with_paths_and_nothing_is_computed() -> None:
    needs = [nd("a"), nd("b"), nd("a"), nd("a")]
    offers = [of("x"), of("x")]
    with pytest.raises(InvalidInputError) as info:
        match(needs, offers, on=ON)
    assert [p.path for p in info.value.problems] == [
        "$.needs[2].id",
        "$.needs[3].id",
        "$.offers[1].id",
    ]
    assert "duplicate need id 'a' (first at $.needs[0])" in str(info.value)


def test_plain_objects_are_structured_strictly() -> None:
    m = match(
        [{"id": "n", "category": "rewiring", "urgency": "high", "grid": "g1"}],
        [{"id": "o", "party": "member_unit", "capabilities": ["rewiring"]}],
        on=ON,
    )
    assert m.assignments == {"n": "o"}
    with pytest.raises(InvalidInputError) as info:
        match(
            [{"id": "n", "category": "x", "urgency": "soon", "grid": "g1"}, 42],
            [{"id": "o", "party": "mayor"}],
            on=ON,
        )
    assert [p.path for p in info.value.problems] == [
        "$.needs[0].urgency",
        "$.needs[1]",
        "$.offers[0].party",
    ]


def test_on_must_be_a_date() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^match\(on=\.\.\.\): "):
        match([], [], on="2026-03-02")  # type: ignore[arg-type]


def test_unknown_method_is_rejected() -> None:
    with pytest.raises(InvalidArgumentError) as err:
        match([nd("n")], [of("o")], on=ON, method="fast")  # type: ignore[arg-type]
    assert str(err.value) == (
        "match(method=...): expected one of 'auto', 'pure', 'scipy', got 'fast'"
    )


def test_matching_survives_a_json_round_trip() -> None:
    m = match([nd("a"), nd("b", category="sewing")], [of("o", home_grid="g1")], on=ON)
    doc = json.loads(to_json(m))
    assert doc["assignments"] == {"a": "o"}
    assert doc["unmatched"]["b"]["code"] == "no_capable_offer"
    assert from_json(to_json(m), Matching) == m


def test_matching_is_read_only() -> None:
    m = match([nd("a")], [of("o")], on=ON)
    with pytest.raises(TypeError):
        m.assignments["a"] = "p"  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        m.total_score = 0  # type: ignore[misc]


# --- needs from assessments and plans ----------------------------------------------------


def assessment(grid: str | None = "g4") -> ElderlyAssessment:
    profile = ElderlyProfile(
        id="e7",
        birth_date=date(1940, 1, 5),
        living_arrangement="alone",
        ability_level=2,
        home=HomeSafety(smoke_alarm=False, grab_bars=False),
        grid=grid,
    )
    return assess_elderly(profile, on=ON)


def test_needs_from_assessment() -> None:
    a = assessment()
    needs = needs_from_assessment(a, on=ON)
    assert [n.id for n in needs] == [f"e7:{i.code}" for i in a.interventions]
    for n, i in zip(needs, a.interventions, strict=True):
        assert (n.category, n.urgency, n.grid, n.needed_by) == (i.category, i.urgency, "g4", None)
        assert (n.source.value, n.beneficiary) == ("assessment", "e7")
    moved = needs_from_assessment(a, on=ON + timedelta(days=3), grid="g9")
    assert {n.grid for n in moved} == {"g9"}


def test_needs_from_assessment_needs_a_grid_and_no_future_assessment() -> None:
    with pytest.raises(InvalidInputError, match=r"\$\.grid"):
        needs_from_assessment(assessment(grid=None), on=ON)
    with pytest.raises(InvalidInputError, match=r"\$\.on"):
        needs_from_assessment(assessment(), on=ON - timedelta(days=1))


def plan(child_id: str = "c1", grid: str | None = "g2", **extra: object) -> SimpleNamespace:
    actions = [
        SimpleNamespace(
            code="micro_wish", category="micro_wish", urgency="low", due_on=ON + timedelta(30)
        ),
        SimpleNamespace(
            code="caring_mother_pairing",
            category="caring_mother",
            urgency=Urgency.NORMAL,
            due_on=ON + timedelta(14),
        ),
    ]
    return SimpleNamespace(child_id=child_id, grid=grid, actions=actions, **extra)


def test_needs_from_plan() -> None:
    needs = needs_from_plan(plan())
    assert [(n.id, n.category, n.urgency.value, n.grid) for n in needs] == [
        ("c1:micro_wish", "micro_wish", "low", "g2"),
        ("c1:caring_mother_pairing", "caring_mother", "normal", "g2"),
    ]
    assert needs[1].needed_by == ON + timedelta(14)
    assert {(n.source.value, n.beneficiary) for n in needs} == {("plan", "c1")}
    assert {n.grid for n in needs_from_plan(plan(grid=None), grid="g5")} == {"g5"}


def test_needs_from_plan_errors() -> None:
    with pytest.raises(InvalidInputError, match=r"\$\.grid"):
        needs_from_plan(plan(grid=None))
    gridless = SimpleNamespace(child_id="c1", actions=[])  # no grid attribute at all
    with pytest.raises(InvalidInputError, match=r"\$\.grid"):
        needs_from_plan(gridless)
    bad = SimpleNamespace(
        child_id="c1",
        grid="g1",
        actions=[SimpleNamespace(code="x", category="x", urgency="asap", due_on=None)],
    )
    with pytest.raises(InvalidInputError, match=r"\$\.actions\[0\]\.urgency"):
        needs_from_plan(bad)


def test_needs_from_a_real_support_plan() -> None:
    from community_care.children import ChildProfile, Parent, assess_child, plan_support

    child = ChildProfile(
        id="c9",
        birth_date=date(2014, 6, 1),
        guardian="grandparents",
        parents=[Parent(status="working_away"), Parent(status="working_away")],
        grid="g3",
    )
    support = plan_support(assess_child(child, on=ON), on=ON)
    needs = needs_from_plan(support)
    assert [n.id for n in needs] == [f"c9:{a.code}" for a in support.actions]
    assert "caring_mother" in {n.category for n in needs}
    assert {n.grid for n in needs} == {"g3"}


# --- caring mothers ------------------------------------------------------------------------


def test_caring_mothers_are_paired_one_to_one() -> None:
    kids = [nd(f"k{k}", category="caring_mother", grid="g1") for k in range(3)]
    mothers = [
        of("m1", "resident", ["caring_mother", "sewing"], capacity=4, home_grid="g1"),
        of("m2", "volunteer", ["caring_mother"], capacity=0),
        of("tailor", "volunteer", ["sewing"], capacity=9),
    ]
    other = nd("s", category="sewing")
    m = pair_caring_mothers([*kids, other], mothers, on=ON)
    assert m.assignments == {"k0": "m1"}
    assert dict(m.load) == {"m1": 1, "m2": 0}  # the tailor is not a caring mother
    assert codes(m) == {"k1": "capacity_taken", "k2": "capacity_taken"}
    assert m.pairs[0].score == 200 + 80 + 20


def test_caring_mothers_from_plans_and_needs() -> None:
    mothers = [of("m1", "volunteer", ["caring_mother"]), of("m2", "resident", ["caring_mother"])]
    m = pair_caring_mothers(
        [
            plan("c1"),
            plan("c2", grid="g1"),
            {"id": "n", "category": "caring_mother", "urgency": "high", "grid": "g1"},
        ],
        mothers,
        on=ON,
    )
    # The high need is met; the fit ties (90 + 80 either way), so c1, the smallest id,
    # gets the smallest offer id, and c2 waits.
    assert m.assignments == {"c1:caring_mother_pairing": "m1", "n": "m2"}
    assert codes(m) == {"c2:caring_mother_pairing": "capacity_taken"}


def test_caring_mothers_input_errors() -> None:
    with pytest.raises(InvalidInputError) as info:
        pair_caring_mothers(
            [plan("c1"), plan("c1"), plan("c3", grid=None), 7, nd("z", category="caring_mother")],
            [of("m", "resident", ["caring_mother"]), {"id": "m", "party": "resident"}],
            on=ON,
        )
    assert [p.path for p in info.value.problems] == [
        "$.plans_or_needs[2].grid",
        "$.plans_or_needs[3]",
        "$.plans_or_needs[1].actions[1].id",
        "$.offers[1].id",
    ]
    with pytest.raises(InvalidInputError, match=r"\$\.plans_or_needs\[0\]\.urgency"):
        pair_caring_mothers([{"id": "n", "category": "x", "urgency": "?", "grid": "g"}], [], on=ON)
    with pytest.raises(InvalidArgumentError, match=r"^pair_caring_mothers\(on=\.\.\.\): "):
        pair_caring_mothers([], [], on=None)  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------------------------


@given(small_instances)
def test_feasible_and_explained(instance: tuple[list[Need], list[Offer]]) -> None:
    needs, offers = instance
    m = match(needs, offers, on=ON)
    assert_feasible(needs, offers, m)
    by_offer = {o.id: o for o in offers}
    for need in needs:
        if need.id in m.unmatched:
            code = m.unmatched[need.id].code
            assert code == expected_reason(need, offers)
            if code == "capacity_taken":  # every eligible offer really is full
                assert all(m.load[o.id] == o.capacity for o in offers if eligible(need, o))
    for p in m.pairs:
        assert p.score == p.urgency_points + p.suitability + p.proximity
        assert p.urgency_points == URGENCY_POINTS[p.urgency.value]
        assert p.suitability + p.proximity == fit(
            next(n for n in needs if n.id == p.need_id), by_offer[p.offer_id]
        )
    assert m.total_score == sum(p.score for p in m.pairs)
    assert sum(m.met_by_urgency.values()) == len(m.assignments)


@given(small_instances)
def test_optimal_against_brute_force(instance: tuple[list[Need], list[Offer]]) -> None:
    needs, offers = instance
    m = match(needs, offers, on=ON)
    assert objective(needs, offers, dict(m.assignments)) == brute_force(needs, offers)
    assert m.objective == brute_force(needs, offers)


def networkx_objective(needs: Sequence[Need], offers: Sequence[Offer]) -> tuple[int, ...]:
    """The optimum by networkx's blossom matching on capacity copies of the offers."""
    import networkx as nx

    total_fit = sum(max((fit(n, o) for o in offers if eligible(n, o)), default=0) for n in needs)
    # Any number of less urgent needs plus all the fit weigh less than one more urgent need.
    weight = [(total_fit + 1) * (len(needs) + 1) ** (3 - level) for level in range(4)]
    graph = nx.Graph()
    for n in needs:
        for o in offers:
            if eligible(n, o):
                for copy in range(o.capacity):
                    w = weight[LEVEL[n.urgency.value]] + fit(n, o)
                    graph.add_edge(("n", n.id), ("o", o.id, copy), weight=w)
    assignment = {}
    for u, v in nx.max_weight_matching(graph):
        need_end, offer_end = (u, v) if u[0] == "n" else (v, u)
        assignment[need_end[1]] = offer_end[1]
    return objective(needs, offers, assignment)


@settings(max_examples=15)
@given(medium_instances)
def test_methods_agree_with_each_other_and_networkx(
    instance: tuple[list[Need], list[Offer]],
) -> None:
    needs, offers = instance
    pure = match(needs, offers, on=ON, method="pure")
    assert match(needs, offers, on=ON, method="scipy") == pure
    assert match(needs, offers, on=ON) == pure
    assert pure.objective == networkx_objective(needs, offers)
    assert_feasible(needs, offers, pure)


@given(medium_instances, st.randoms(use_true_random=False))
@settings(max_examples=25)
def test_deterministic_under_shuffling(
    instance: tuple[list[Need], list[Offer]], rng: random.Random
) -> None:
    needs, offers = instance
    m = match(needs, offers, on=ON)
    rng.shuffle(needs)
    rng.shuffle(offers)
    again = match(needs, offers, on=ON)
    assert again == m
    assert list(again.assignments.items()) == list(m.assignments.items())
    assert again.total_score == m.total_score


@given(small_instances, offer_lists(min_size=1, max_size=1))
def test_adding_an_offer_never_makes_the_objective_worse(
    instance: tuple[list[Need], list[Offer]], extra: list[Offer]
) -> None:
    needs, offers = instance
    added = attrs.evolve(extra[0], id="o-extra")
    assert match(needs, [*offers, added], on=ON).objective >= match(needs, offers, on=ON).objective


@given(medium_instances, st.data())
@settings(max_examples=40)
def test_raising_a_dated_needs_urgency_never_unmatches_it(
    instance: tuple[list[Need], list[Offer]], data: st.DataObject
) -> None:
    needs, offers = instance
    m = match(needs, offers, on=ON)
    # Dated needs only: an undated need's deadline shortens as its urgency rises,
    # which can rightly cost it an offer that starts later (see the next test).
    candidates = [
        n
        for n in needs
        if n.id in m.assignments and n.needed_by is not None and LEVEL[n.urgency] > 0
    ]
    if not candidates:
        return
    need = data.draw(st.sampled_from(candidates))
    higher = data.draw(st.sampled_from([u for u in Urgency if LEVEL[u] < LEVEL[need.urgency]]))
    raised = [attrs.evolve(n, urgency=higher) if n is need else n for n in needs]
    after = match(raised, offers, on=ON)
    assert need.id in after.assignments
    assert after.met_by_urgency[higher.value] >= m.met_by_urgency[higher.value] + 1


def test_raising_an_undated_needs_urgency_shortens_its_deadline() -> None:
    offer = of("o", available_from=ON + timedelta(days=20))
    assert match([nd("n", urgency="normal")], [offer], on=ON).assignments == {"n": "o"}
    assert codes(match([nd("n", urgency="high")], [offer], on=ON)) == {"n": "not_available_in_time"}


def test_offer_available_from_after_until_is_invalid() -> None:
    with pytest.raises(InvalidInputError, match=r"\$\.available_from"):
        of("o", available_from=ON, available_until=ON - timedelta(days=1))


# --- mutation-testing additions -------------------------------------------------------------


def test_needs_from_assessment_errors_name_the_field_and_say_why() -> None:
    with pytest.raises(InvalidInputError) as err:
        needs_from_assessment(assessment(grid=None), on=ON)
    assert [p.path for p in err.value.problems] == ["$.grid"]
    assert "'e7'" in err.value.problems[0].message
    with pytest.raises(InvalidInputError) as err:
        needs_from_assessment(assessment(), on=ON - timedelta(days=1))
    assert [p.path for p in err.value.problems] == ["$.on"]
    message = err.value.problems[0].message
    assert ON.isoformat() in message
    assert (ON - timedelta(days=1)).isoformat() in message


def test_needs_from_assessment_without_a_grid_says_how_to_give_one() -> None:
    with pytest.raises(InvalidInputError) as err:
        needs_from_assessment(assessment(grid=None), on=ON)
    assert "record the resident's grid or pass grid='g1'" in err.value.problems[0].message


def test_caring_mothers_refuse_half_plans_bad_offers_and_name_repeated_needs() -> None:
    # An object with a child id but no actions is not a support plan.
    half = SimpleNamespace(child_id="c9", grid="g1")
    with pytest.raises(InvalidInputError) as err:
        pair_caring_mothers([half], [], on=ON)
    assert [p.path for p in err.value.problems] == ["$.plans_or_needs[0]"]
    assert "got SimpleNamespace" in err.value.problems[0].message
    # A bad offer is reported with its path, next to the other problems.
    with pytest.raises(InvalidInputError) as err:
        pair_caring_mothers(
            [nd("k", category="caring_mother"), nd("k", category="caring_mother")],
            [{"id": "m", "party": "nobody", "capabilities": ["caring_mother"]}],
            on=ON,
        )
    found = {p.path: p.message for p in err.value.problems}
    assert set(found) == {"$.plans_or_needs[1].id", "$.offers[0].party"}
    assert "duplicate need id 'k'" in found["$.plans_or_needs[1].id"]


def test_needs_from_plan_errors_say_what_was_expected() -> None:
    with pytest.raises(InvalidInputError) as err:
        needs_from_plan(plan(grid=None))
    message = err.value.problems[0].message
    assert "'c1'" in message
    assert "record the child's grid or pass grid='g1'" in message
    bad = SimpleNamespace(
        child_id="c1",
        grid="g1",
        actions=[SimpleNamespace(code="x", category="x", urgency="asap", due_on=None)],
    )
    with pytest.raises(InvalidInputError) as err:
        needs_from_plan(bad)
    assert err.value.problems[0].message == (
        "expected one of 'critical', 'high', 'normal', 'low', got 'asap'"
    )


def test_caring_mothers_name_repeated_offers_and_use_the_policy_in_force() -> None:
    kid = nd("k", category="caring_mother")
    mother = of("m", "resident", ["caring_mother"], home_grid="g1")
    with pytest.raises(InvalidInputError) as err:
        pair_caring_mothers([kid], [mother, mother], on=ON)
    assert [p.path for p in err.value.problems] == ["$.offers[1].id"]
    assert "duplicate offer id 'm'" in err.value.problems[0].message
    policy = default_policy().amend(
        ON + timedelta(days=1), {"linkage.proximity_bonus": 5}, version="local-1"
    )
    now = pair_caring_mothers([kid], [mother], on=ON, policy=policy)
    assert now.policy_version == "local-1"
    assert now.pairs[0].proximity == 20  # the amendment is not in force yet
    later = pair_caring_mothers([kid], [mother], on=ON + timedelta(days=1), policy=policy)
    assert later.pairs[0].proximity == 5


def test_capacity_taken_explains_where_the_capacity_went() -> None:
    needs = [nd("a", urgency="critical"), nd("b", urgency="low")]
    m = match(needs, [of("o")], on=ON)
    assert m.assignments == {"a": "o"}
    reason = m.unmatched["b"]
    assert reason.code == "capacity_taken"
    assert reason.en == (
        "1 eligible offer(s), all their capacity went to other needs in the optimal matching"
    )


def test_duplicate_offer_ids_are_named_as_offers() -> None:
    with pytest.raises(InvalidInputError) as info:
        match([nd("a")], [of("x"), of("y"), of("x")], on=ON)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("$.offers[2].id", "duplicate offer id 'x' (first at $.offers[0])")
    ]


def test_an_item_that_is_neither_model_nor_object_is_named_by_type() -> None:
    with pytest.raises(InvalidInputError) as info:
        match([7], [of("x"), "y"], on=ON)  # type: ignore[list-item]  # the check under test
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("$.needs[0]", "expected a Need or its JSON object, got int"),
        ("$.offers[1]", "expected a Offer or its JSON object, got str"),
    ]


def test_offer_with_inverted_dates_names_the_field_and_both_dates() -> None:
    with pytest.raises(InvalidInputError) as info:
        of("o", available_from=ON, available_until=ON - timedelta(days=1))
    assert [(p.path, p.message) for p in info.value.problems] == [
        (
            "$.available_from",
            "expected a date on or before available_until 2026-03-01, got 2026-03-02",
        )
    ]


def test_a_bad_on_is_reported_with_its_argument_and_the_value() -> None:
    with pytest.raises(InvalidArgumentError) as info:
        match([], [], on="2026-03-02")  # type: ignore[arg-type]  # the check under test
    assert str(info.value) == (
        "match(on=...): expected a date like date(2026, 11, 30), got '2026-03-02'"
    )


def test_a_matching_document_fits_its_schema_and_wrong_values_do_not() -> None:
    import jsonschema

    from community_care.linkage import Matching
    from community_care.serialization import json_schema, unstructure

    needs = [
        Need(id="n1", category="sewing", urgency="low", grid="g1"),
        Need(id="n2", category="tutoring", urgency="high", grid="g1"),
    ]
    offers = [Offer(id="o1", party="volunteer", capabilities=["sewing"])]
    doc = unstructure(match(needs, offers, on=ON))
    schema = json_schema(Matching)
    jsonschema.validate(doc, schema)
    assert doc["unmatched"] and doc["assignments"] == {"n1": "o1"}
    for name, bad in (
        ("assignments", {"n1": 1}),
        ("unmatched", {"n2": "no offer"}),
        ("load", {"o1": -1}),
        ("met_by_urgency", {"high": "1"}),
        ("load", ["o1"]),
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**doc, name: bad}, schema)
