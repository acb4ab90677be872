"""Every policy parameter is read: a probe amends it and sees its effect.

A parameter that the code never reads (or reads as a literal, such as ``home_cap``
written as ``3``) passes every test that only runs the default policy. Here
:func:`policy_parameters` walks :class:`PolicyValues` and lists each parameter by
the dotted name an amendment uses; :data:`PROBES` holds, for each, an amendment of it,
a small input and what the result is under the default policy and under the amended
one. A parameter without a probe fails :func:`test_every_parameter_has_a_probe`, so a
new parameter cannot be added untested.

How deep the walk goes:

* the fields of each rule group, and of each row of the follow-up tables
  (``followup.elderly.red.every``);
* a table keyed by a closed enum whose values are numbers or enums (the urgency
  points, the review months): one parameter per key (``linkage.urgency_points.high``),
  since the code may read one key alone;
* an open table (keyed by a free string such as a hazard kind or a need category, or a
  table of tables: ``ledger.rectification_days``, ``children.action_categories``,
  ``linkage.suitability``): one parameter, its probe amends one cell; a separate test
  amends every cell of the rectification and suitability tables;
* a tuple (the bands, the ability points): one parameter, amended whole.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from community_care import plan_community
from community_care.children import ChildProfile, Parent, assess_child, plan_support
from community_care.elderly import (
    ABILITY_ITEM_MAXIMA,
    AbilityItems,
    ElderlyProfile,
    HomeSafety,
    assess_elderly,
)
from community_care.errors import NotEligibleError
from community_care.followup import open_followup, record_visit, retier, status
from community_care.ledger import Hazard
from community_care.linkage import Need, Offer, match
from community_care.policy import Policy, PolicyValues, default_policy
from community_care.privacy import pseudonymise

# The default date of a probe: a Monday, in a year the official calendar knows.
ON = date(2026, 3, 2)
# Where a probe needs other parameters set first, they are in force from here on.
BASELINE_FROM = date(2020, 1, 1)


Observe = Callable[[Policy, date], object]


@dataclass(frozen=True)
class Probe:
    """An amendment of one parameter, an observation and its two expected results.

    ``default`` is what ``observe`` gives under the reference policy (the default policy,
    with ``baseline`` in force from :data:`BASELINE_FROM` when given) and under the
    amended policy before the amendment's date; ``amended`` is what it gives from that
    date on. ``changes`` names the parameter (or, for an open table, one of its cells).
    """

    changes: Mapping[str, Any]
    observe: Observe
    default: object
    amended: object
    on: date = ON
    baseline: Mapping[str, Any] = field(default_factory=dict)


# --- the walk ----------------------------------------------------------------------------


def _is_closed_row(table: Mapping[Any, Any]) -> bool:
    """A table keyed by enum members whose values are not tables themselves."""
    return bool(table) and all(
        isinstance(k, enum.Enum) and not isinstance(v, Mapping) for k, v in table.items()
    )


def _walk(node: object, path: str) -> Iterator[str]:
    if attrs.has(type(node)):
        for a in attrs.fields(type(node)):
            yield from _walk(getattr(node, a.name), f"{path}.{a.name}" if path else a.name)
    elif isinstance(node, Mapping) and _is_closed_row(node):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key.value}")
    else:
        yield path


def policy_parameters() -> list[str]:
    """The dotted name of every parameter of :class:`PolicyValues` (see the module's note)."""
    return list(_walk(PolicyValues(), ""))


# --- inputs and observations -------------------------------------------------------------

BORN = date(1949, 1, 1)  # 77 on ON


def _elderly(policy: Policy, on: date, **fields: Any) -> Any:
    home = fields.pop("home", {})
    profile = ElderlyProfile(
        id="e1",
        birth_date=fields.pop("birth_date", BORN),
        living_arrangement=fields.pop("living_arrangement", "with_family"),
        home=HomeSafety(**home),
        **fields,
    )
    return assess_elderly(profile, on=on, policy=policy)


def _dimension(dimension: str, **fields: Any) -> Observe:
    return lambda policy, on: _elderly(policy, on, **fields).dimension_scores[dimension]


def _score_tier(**fields: Any) -> Observe:
    def observe(policy: Policy, on: date) -> object:
        a = _elderly(policy, on, **fields)
        return a.score, a.score_tier.value

    return observe


def _floors(**fields: Any) -> Observe:
    return lambda policy, on: tuple(r.code for r in _elderly(policy, on, **fields).floors)


def _interventions(**fields: Any) -> Observe:
    return lambda policy, on: tuple(i.code for i in _elderly(policy, on, **fields).interventions)


def _intervention_urgency(**fields: Any) -> Observe:
    def observe(policy: Policy, on: date) -> object:
        a = _elderly(policy, on, **fields)
        return a.tier.value, sorted({i.urgency.value for i in a.interventions})

    return observe


def _eligible_elderly(policy: Policy, on: date) -> object:
    try:
        return _elderly(policy, on).age
    except NotEligibleError:
        return "not eligible"


def _items(total: int) -> AbilityItems:
    """Items adding up to ``total``, consciousness clear (points taken off in order)."""
    scores = dict(ABILITY_ITEM_MAXIMA)
    lost = 90 - total
    for key in scores:
        if key != "consciousness":
            cut = min(lost, scores[key])
            scores[key] -= cut
            lost -= cut
    return AbilityItems(**scores)


def _ability_level(**fields: Any) -> Observe:
    """The level of a total of 70, and the band of totals its explanation names."""

    def observe(policy: Policy, on: date) -> object:
        ability = _elderly(policy, on, ability_items=_items(70), **fields).ability
        assert ability is not None
        band = ability.reasons[0].en.split(" band ")[1].split(":")[0]
        return ability.final_level, band

    return observe


# Four elderly residents, one per tier, for the intervention urgencies.
RED_8 = {
    "dementia": True,
    "severe_disability": True,
    "home": {"safe_wiring": False, "smoke_alarm": False},
}
YELLOW_4 = {"dementia": True, "home": {"smoke_alarm": False}}

CHILD_BORN = date(2016, 1, 1)  # 10 on ON
AWAY = (Parent(status="working_away"), Parent(status="working_away"))


def _child(**fields: Any) -> ChildProfile:
    return ChildProfile(
        id="c1",
        birth_date=fields.pop("birth_date", CHILD_BORN),
        parents=fields.pop("parents", AWAY),
        guardian=fields.pop("guardian", "grandparents"),
        **fields,
    )


def _child_risk(**fields: Any) -> Observe:
    def observe(policy: Policy, on: date) -> object:
        risk = assess_child(_child(**fields), on=on, policy=policy).risk
        return None if risk is None else risk.value

    return observe


def _child_categories(**fields: Any) -> Observe:
    return lambda policy, on: sorted(
        c.value for c in assess_child(_child(**fields), on=on, policy=policy).categories
    )


HOME = (Parent(status="present"), Parent(status="present"))


def _mental_health_high(policy: Policy, on: date) -> object:
    """3 flags: the risk of a left-behind child, the categories of a child at home."""
    risk = _child_risk(mental_health_flags=3)(policy, on)
    at_home = _child_categories(mental_health_flags=3, parents=HOME, guardian="parents")
    return risk, at_home(policy, on)


def _mental_health_medium(policy: Policy, on: date) -> object:
    """1 flag: the risk of a left-behind child, and whether the plan gives counseling."""
    risk = _child_risk(mental_health_flags=1)(policy, on)
    return risk, "counseling" in _actions(mental_health_flags=1)(policy, on)


def _school_age(policy: Policy, on: date) -> object:
    """A child of 10 out of school: the plan's actions, and the risk if dropped out."""
    actions = _actions(school_status="not_enrolled")(policy, on)
    return actions, _child_risk(school_status="dropped_out")(policy, on)


def _eligible_child(policy: Policy, on: date) -> object:
    try:
        return assess_child(_child(birth_date=date(2010, 1, 1)), on=on, policy=policy).age
    except NotEligibleError:
        return "not eligible"


def _plan(policy: Policy, on: date, **fields: Any) -> Any:
    assessment = assess_child(_child(**fields), on=on, policy=policy)
    return plan_support(assessment, on=on, policy=policy)


def _actions(**fields: Any) -> Observe:
    return lambda policy, on: tuple(a.code for a in _plan(policy, on, **fields).actions)


# A child of each risk level (left behind: the category; the rest sets the risk).
RISK_INPUTS: dict[str, dict[str, Any]] = {
    # No guardian rather than an abuse concern: that one adds the mandatory report, whose
    # urgency and due date the law sets, not these parameters.
    "high": {"guardian": "none"},
    "medium": {"serious_illness": True},
    "low": {},
}


def _review_months(risk: str) -> Observe:
    def observe(policy: Policy, on: date) -> object:
        plan = _plan(policy, on, **RISK_INPUTS[risk])
        assert plan.risk.value == risk
        delta = relativedelta(plan.review_on, on)
        return delta.years * 12 + delta.months

    return observe


def _action_terms(risk: str) -> Observe:
    def observe(policy: Policy, on: date) -> object:
        plan = _plan(policy, on, **RISK_INPUTS[risk])
        assert plan.risk.value == risk
        return (
            sorted({a.urgency.value for a in plan.actions}),
            sorted({(a.due_on - on).days for a in plan.actions}),
        )

    return observe


def _action_category(policy: Policy, on: date) -> object:
    plan = _plan(policy, on)
    return {a.code: a.category for a in plan.actions}["caring_mother_pairing"]


def _matched(
    need: dict[str, Any], offer: dict[str, Any], policy: Policy, on: date
) -> tuple[Any, Any]:
    # Individuals are vetted the day before, so that one-to-one contact with a child
    # (spec §4) does not stand between a need and the parameter a probe looks at.
    offer = {"vetted_on": on - timedelta(days=1), **offer}
    m = match(
        [Need(id="n1", grid="g1", **need)],
        [Offer(id="o1", grids=["g1"], **offer)],
        on=on,
        policy=policy,
    )
    return m, (m.pairs[0] if m.pairs else None)


def _vetting(category: str, vetted_days_before: int | None) -> Observe:
    """Whether a volunteer vetted so many days before (or never) takes a need."""

    def observe(policy: Policy, on: date) -> object:
        vetted = None if vetted_days_before is None else on - timedelta(days=vetted_days_before)
        m, _ = _matched(
            {"category": category, "urgency": "low"},
            {"party": "volunteer", "capabilities": [category], "vetted_on": vetted},
            policy,
            on,
        )
        return "matched" if m.pairs else m.unmatched["n1"].code

    return observe


def _urgency_points(urgency: str) -> Observe:
    def observe(policy: Policy, on: date) -> object:
        _, pair = _matched(
            {"category": "sewing", "urgency": urgency},
            {"party": "volunteer", "capabilities": ["sewing"]},
            policy,
            on,
        )
        return pair.urgency_points

    return observe


def _in_time(urgency: str, days: int) -> Observe:
    """Whether an undated need is met by an offer available only ``days`` after ``on``."""

    def observe(policy: Policy, on: date) -> object:
        m, _ = _matched(
            {"category": "sewing", "urgency": urgency},
            {
                "party": "volunteer",
                "capabilities": ["sewing"],
                "available_from": on + timedelta(days=days),
            },
            policy,
            on,
        )
        return m.unmatched["n1"].code if m.unmatched else "matched"

    return observe


def _fit(party: str, category: str, *, near: bool = False) -> Observe:
    def observe(policy: Policy, on: date) -> object:
        _, pair = _matched(
            {"category": category, "urgency": "low"},
            {"party": party, "capabilities": [category], "home_grid": "g1" if near else None},
            policy,
            on,
        )
        return pair.suitability, pair.proximity

    return observe


def _followup(kind: str, level: str, *, visit: bool) -> Observe:
    """The first due date of a case opened on ``on`` (or, visited that day, the next)."""

    def observe(policy: Policy, on: date) -> object:
        fu = open_followup("f1", kind, level, on=on, policy=policy)
        if visit:
            fu = record_visit(fu, on, "w1", policy=policy)
        return fu.next_due.isoformat()

    return observe


LOWEST = {"elderly": "green", "child": "low"}


def _first_visit(kind: str, level: str) -> Observe:
    """Due dates at ``level``: opened on ``on``, and raised to it on ``on`` from the lowest.

    The raised case was opened at the lowest level and visited that day (so its own due
    date is later); for the lowest level itself the second date is None.
    """

    def observe(policy: Policy, on: date) -> object:
        opened = open_followup("f1", kind, level, on=on, policy=policy).next_due
        if level == LOWEST[kind]:
            return opened.isoformat(), None
        low = open_followup("f1", kind, LOWEST[kind], on=on, policy=policy)
        low = record_visit(low, on, "w1", policy=policy)
        raised = retier(low, level, on, policy=policy).next_due
        return opened.isoformat(), raised.isoformat()

    return observe


def _grace(kind: str, level: str, days_late: int) -> Observe:
    """The statuses ``days_late`` days past due: opened on ``on``, then visited that day."""

    def observe(policy: Policy, on: date) -> object:
        fu = open_followup("f1", kind, level, on=on, policy=policy)
        visited = record_visit(fu, on, "w1", policy=policy)
        return tuple(
            status(f, f.next_due + timedelta(days=days_late), policy=policy).value
            for f in (fu, visited)
        )

    return observe


def _due_soon(policy: Policy, on: date) -> object:
    # An elderly green case opened 6 days ago is due in 4 days (10 after opening).
    fu = open_followup("f1", "elderly", "green", on=on - timedelta(days=6), policy=policy)
    return status(fu, on, policy=policy).value


def _community(**extra: Any) -> dict[str, Any]:
    return {"community": {"id": "c1", "name": "C"}, "grids": ["g1"], **extra}


ONE_RED = {
    "elderly": [
        {
            "id": "e1",
            "birth_date": "1940-01-01",
            "living_arrangement": "alone",
            "grid": "g1",
        }
    ]
}


def _horizon(policy: Policy, on: date) -> object:
    plan = plan_community(_community(**ONE_RED), on=on, policy=policy)
    return plan.visits[-1].on.isoformat()


def _kpi_start(policy: Policy, on: date) -> object:
    return plan_community(_community(), on=on, policy=policy).kpis.start.isoformat()


def _suppressed(policy: Policy, on: date) -> object:
    doc = _community(**ONE_RED)
    plan = plan_community(doc, on=on, policy=policy)
    rows = pseudonymise(doc, plan, key=b"k" * 32, policy=policy).tables["aggregates"]
    return {r["category"]: r["count"] for r in rows if r["measure"] == "elderly_tier"}["red"]


def _deadline(kind: str) -> Observe:
    def observe(policy: Policy, on: date) -> object:
        h = Hazard(id="h1", kind=kind, building="b1", grid="g1", found_on=on)
        return (h.rectification_deadline(policy) - on).days

    return observe


def _reinspection(policy: Policy, on: date) -> object:
    h = Hazard(id="h1", kind="gas", building="b1", grid="g1", found_on=on)
    h = h.rectify(on, parties=["member_unit"])
    reinspect = h.reinspection_on(policy)
    assert reinspect is not None
    return (reinspect - on).days


# --- the probes --------------------------------------------------------------------------


def _p(
    name: str, value: Any, observe: Observe, default: object, amended: object, **kw: Any
) -> Probe:
    return Probe({name: value}, observe, default, amended, **kw)


PROBES: dict[str, Probe] = {
    # Elderly (spec §2). The resident is 77, lives with family, everything safe.
    "elderly.min_age": _p("elderly.min_age", 78, _eligible_elderly, 77, "not eligible"),
    "elderly.ability_points": _p(
        "elderly.ability_points", [0, 2, 3, 5, 6], _dimension("health", ability_level=1), 1, 2
    ),
    "elderly.ability_level_min_totals": _p(
        "elderly.ability_level_min_totals",
        [90, 71, 46, 30],
        _ability_level(),
        (1, "66-89"),
        (2, "46-70"),
    ),
    "elderly.care_risk_events_raise_min": _p(
        "elderly.care_risk_events_raise_min",
        1,
        _ability_level(care_risk_events_30_days=1),
        (1, "66-89"),
        (2, "66-89"),
    ),
    "elderly.dementia_points": _p(
        "elderly.dementia_points", 4, _dimension("health", dementia=True), 3, 4
    ),
    "elderly.severe_disability_points": _p(
        "elderly.severe_disability_points", 5, _dimension("health", severe_disability=True), 2, 5
    ),
    "elderly.chronic_bands": _p(
        "elderly.chronic_bands", [[1, 1], [4, 2]], _dimension("health", chronic_conditions=1), 0, 1
    ),
    "elderly.falls_bands": _p(
        "elderly.falls_bands", [[1, 2], [2, 3]], _dimension("health", falls_last_12_months=1), 1, 2
    ),
    "elderly.living_alone_points": _p(
        "elderly.living_alone_points", 4, _dimension("social", living_arrangement="alone"), 3, 4
    ),
    "elderly.empty_nest_points": _p(
        "elderly.empty_nest_points",
        2,
        _dimension("social", living_arrangement="with_spouse_only"),
        1,
        2,
    ),
    "elderly.left_behind_points": _p(
        "elderly.left_behind_points", 2, _dimension("social", left_behind=True), 1, 2
    ),
    "elderly.no_emergency_contact_points": _p(
        "elderly.no_emergency_contact_points",
        3,
        _dimension("social", has_emergency_contact=False),
        2,
        3,
    ),
    "elderly.special_family_points": _p(
        "elderly.special_family_points", 3, _dimension("social", special_family=True), 2, 3
    ),
    "elderly.low_income_points": _p(
        "elderly.low_income_points", 2, _dimension("social", economic_status="low_income"), 1, 2
    ),
    "elderly.extreme_poverty_points": _p(
        "elderly.extreme_poverty_points",
        3,
        _dimension("social", economic_status="extreme_poverty"),
        2,
        3,
    ),
    "elderly.advanced_age_bands": _p(
        "elderly.advanced_age_bands", [[75, 1], [90, 2]], _dimension("social"), 0, 1
    ),
    "elderly.no_smoke_alarm_points": _p(
        "elderly.no_smoke_alarm_points", 2, _dimension("home", home={"smoke_alarm": False}), 1, 2
    ),
    "elderly.unsafe_wiring_points": _p(
        "elderly.unsafe_wiring_points", 3, _dimension("home", home={"safe_wiring": False}), 2, 3
    ),
    "elderly.no_grab_bars_points": _p(
        "elderly.no_grab_bars_points", 2, _dimension("home", home={"grab_bars": False}), 1, 2
    ),
    # Floor 5 without a lift, ability level 1: the stairs count.
    "elderly.stairs_without_elevator_points": _p(
        "elderly.stairs_without_elevator_points",
        2,
        _dimension("home", ability_level=1, home={"floor": 5}),
        1,
        2,
    ),
    "elderly.stairs_min_floor": _p(
        "elderly.stairs_min_floor", 6, _dimension("home", ability_level=1, home={"floor": 5}), 1, 0
    ),
    "elderly.stairs_min_ability": _p(
        "elderly.stairs_min_ability",
        2,
        _dimension("home", ability_level=1, home={"floor": 5}),
        1,
        0,
    ),
    # Wiring 2 + smoke alarm 1 + grab bars 1 = 4, capped at 3.
    "elderly.home_cap": _p(
        "elderly.home_cap",
        4,
        _dimension("home", home={"safe_wiring": False, "smoke_alarm": False, "grab_bars": False}),
        3,
        4,
    ),
    "elderly.red_min": _p("elderly.red_min", 9, _score_tier(**RED_8), (8, "red"), (8, "yellow")),
    "elderly.yellow_min": _p(
        "elderly.yellow_min", 5, _score_tier(**YELLOW_4), (4, "yellow"), (4, "green")
    ),
    "elderly.very_old_age": _p(
        "elderly.very_old_age",
        75,
        _floors(living_arrangement="with_spouse_only"),
        ("special_difficulty",),
        ("very_old_limited_support", "special_difficulty"),
    ),
    "elderly.repeated_falls_min": _p(
        "elderly.repeated_falls_min",
        1,
        _floors(living_arrangement="alone", falls_last_12_months=1),
        ("special_difficulty",),
        ("repeated_falls_alone", "special_difficulty"),
    ),
    "elderly.special_difficulty_min_ability": _p(
        "elderly.special_difficulty_min_ability",
        1,
        _floors(ability_level=1),
        (),
        ("special_difficulty",),
    ),
    "elderly.grab_bar_min_ability": _p(
        "elderly.grab_bar_min_ability",
        2,
        _interventions(ability_level=1, home={"grab_bars": False}),
        ("grab_bar_install", "health_check"),
        ("health_check",),
    ),
    "elderly.grab_bar_min_falls": _p(
        "elderly.grab_bar_min_falls",
        2,
        _interventions(falls_last_12_months=1, home={"grab_bars": False}),
        ("grab_bar_install", "health_check"),
        ("health_check",),
    ),
    "elderly.emergency_call_min_ability": _p(
        "elderly.emergency_call_min_ability",
        2,
        _interventions(ability_level=1, living_arrangement="alone"),
        ("emergency_call_device", "health_check"),
        ("health_check",),
    ),
    "elderly.emergency_call_min_age": _p(
        "elderly.emergency_call_min_age",
        75,
        _interventions(living_arrangement="alone"),
        ("health_check",),
        ("emergency_call_device", "health_check"),
    ),
    "elderly.health_check_min_age": _p(
        "elderly.health_check_min_age", 78, _interventions(), ("health_check",), ()
    ),
    "elderly.chronic_care_min_conditions": _p(
        "elderly.chronic_care_min_conditions",
        2,
        _interventions(chronic_conditions=1),
        ("health_check", "chronic_care"),
        ("health_check",),
    ),
    "elderly.intervention_urgency.red": _p(
        "elderly.intervention_urgency.red",
        "critical",
        _intervention_urgency(**RED_8),
        ("red", ["high"]),
        ("red", ["critical"]),
    ),
    "elderly.intervention_urgency.yellow": _p(
        "elderly.intervention_urgency.yellow",
        "critical",
        _intervention_urgency(**YELLOW_4),
        ("yellow", ["normal"]),
        ("yellow", ["critical"]),
    ),
    "elderly.intervention_urgency.green": _p(
        "elderly.intervention_urgency.green",
        "critical",
        _intervention_urgency(),
        ("green", ["low"]),
        ("green", ["critical"]),
    ),
    # Children (spec §3). The child is 10, left behind (both parents working away).
    "children.max_age": _p("children.max_age", 16, _eligible_child, 16, "not eligible"),
    "children.left_behind_max_age": _p(
        "children.left_behind_max_age",
        10,
        _child_categories(),
        ["left_behind"],
        [],
    ),
    "children.compulsory_school_min_age": _p(
        "children.compulsory_school_min_age",
        11,
        _actions(school_status="not_enrolled"),
        ("micro_wish", "caring_mother_pairing", "school_reenrolment", "practice_education"),
        ("micro_wish", "caring_mother_pairing", "early_education", "practice_education"),
    ),
    "children.compulsory_school_max_age": _p(
        "children.compulsory_school_max_age",
        10,
        _school_age,
        (
            ("micro_wish", "caring_mother_pairing", "school_reenrolment", "practice_education"),
            "high",
        ),
        (
            ("micro_wish", "caring_mother_pairing", "vocational_guidance", "practice_education"),
            "low",
        ),
    ),
    "children.practice_education_min_age": _p(
        "children.practice_education_min_age",
        11,
        _actions(),
        ("micro_wish", "caring_mother_pairing", "tutoring", "practice_education"),
        ("micro_wish", "caring_mother_pairing", "tutoring"),
    ),
    "children.mental_health_high_min": _p(
        "children.mental_health_high_min",
        4,
        _mental_health_high,
        ("high", ["temporary_difficulty"]),
        ("medium", []),
    ),
    "children.mental_health_medium_min": _p(
        "children.mental_health_medium_min",
        2,
        _mental_health_medium,
        ("medium", True),
        ("low", False),
    ),
    "children.contact_months_high_over": _p(
        "children.contact_months_high_over",
        13,
        _child_risk(months_since_parent_contact=13),
        "high",
        "medium",
    ),
    "children.contact_months_medium_min": _p(
        "children.contact_months_medium_min",
        7,
        _child_risk(months_since_parent_contact=6),
        "medium",
        "low",
    ),
    "children.disability_medium_max_grade": _p(
        "children.disability_medium_max_grade", 1, _child_risk(disability_grade=2), "medium", "low"
    ),
    **{
        f"children.review_months.{risk}": _p(
            f"children.review_months.{risk}", months + 1, _review_months(risk), months, months + 1
        )
        for risk, months in {"high": 3, "medium": 6, "low": 6}.items()
    },
    **{
        f"children.action_urgency.{risk}": _p(
            f"children.action_urgency.{risk}",
            "critical",
            _action_terms(risk),
            ([urgency], [days]),
            (["critical"], [days]),
        )
        for risk, urgency, days in (
            ("high", "high", 7),
            ("medium", "normal", 30),
            ("low", "low", 60),
        )
    },
    **{
        f"children.action_due_days.{risk}": _p(
            f"children.action_due_days.{risk}",
            days + 5,
            _action_terms(risk),
            ([urgency], [days]),
            ([urgency], [days + 5]),
        )
        for risk, urgency, days in (
            ("high", "high", 7),
            ("medium", "normal", 30),
            ("low", "low", 60),
        )
    },
    "children.action_categories": _p(
        "children.action_categories.caring_mother_pairing",
        "companionship",
        _action_category,
        "caring_mother",
        "companionship",
    ),
    # Linkage (spec §4): one need, one offer.
    **{
        f"linkage.urgency_points.{urgency}": _p(
            f"linkage.urgency_points.{urgency}",
            points,
            _urgency_points(urgency),
            default,
            points,
        )
        # Each new value keeps the points in their order (critical > high > normal > low).
        for urgency, default, points in (
            ("critical", 1000, 1500),
            ("high", 400, 500),
            ("normal", 200, 300),
            ("low", 100, 150),
        )
    },
    # An offer available only from the day after the undated need's default deadline.
    **{
        f"linkage.undated_deadline_days.{urgency}": _p(
            f"linkage.undated_deadline_days.{urgency}",
            days + 1,
            _in_time(urgency, days + 1),
            "not_available_in_time",
            "matched",
        )
        for urgency, days in (("critical", 1), ("high", 7), ("normal", 30), ("low", 90))
    },
    "linkage.suitability_weight": _p(
        "linkage.suitability_weight", 5, _fit("volunteer", "sewing"), (100, 0), (50, 0)
    ),
    "linkage.proximity_bonus": _p(
        "linkage.proximity_bonus", 30, _fit("volunteer", "sewing", near=True), (100, 20), (100, 30)
    ),
    "linkage.default_suitability": _p(
        "linkage.default_suitability", 3, _fit("volunteer", "rewiring"), (20, 0), (30, 0)
    ),
    # Vetting (spec §4): a volunteer vetted 200 days before takes a tutoring need; with a
    # window of 100 days, or with tutoring a one-to-one category no more, the answer moves.
    "linkage.vetting_valid_days": _p(
        "linkage.vetting_valid_days", 100, _vetting("tutoring", 200), "matched", "not_vetted"
    ),
    "linkage.child_contact_categories": _p(
        "linkage.child_contact_categories",
        ["caring_mother", "counseling", "sewing"],
        _vetting("sewing", None),
        "matched",
        "not_vetted",
    ),
    "linkage.suitability": _p(
        "linkage.suitability.volunteer.sewing", 5, _fit("volunteer", "sewing"), (100, 0), (50, 0)
    ),
    # Follow-up (spec §5): the rows are below. overdue() reads due_soon_days too, but it
    # keeps only the overdue and escalated cases, which due_soon_days cannot change.
    "followup.due_soon_days": _p("followup.due_soon_days", 4, _due_soon, "on_track", "due_soon"),
    # One resident, red: weekly visits from ON + 1 day up to the horizon (ON + 90 days
    # is May 31: the last visit is May 26; ON + 30 days is April 1: March 31).
    "followup.horizon_days": _p("followup.horizon_days", 30, _horizon, "2026-05-26", "2026-03-31"),
    # Ledger (spec §6).
    "ledger.rectification_days": _p("ledger.rectification_days.gas", 2, _deadline("gas"), 1, 2),
    "ledger.default_rectification_days": _p(
        "ledger.default_rectification_days", 10, _deadline("other"), 7, 10
    ),
    "ledger.reinspection_days": _p("ledger.reinspection_days", 20, _reinspection, 30, 20),
    "ledger.kpi_window_months": _p(
        "ledger.kpi_window_months", 6, _kpi_start, "2025-03-03", "2025-09-03"
    ),
    # Privacy (spec §8): one red resident in the grid, a count of 1.
    "privacy.min_cell_count": _p("privacy.min_cell_count", 1, _suppressed, None, 1),
}

# The rows of the follow-up table: (every, unit, working_days_only, first_visit_days,
# grace_days, cover_every_month) of the specification, which the probes below start from.
ROWS: dict[tuple[str, str], tuple[int, str, bool, int, int, bool]] = {
    ("elderly", "red"): (1, "week", False, 1, 1, True),
    ("elderly", "yellow"): (1, "month", True, 5, 5, True),
    ("elderly", "green"): (3, "month", True, 10, 10, False),
    ("child", "high"): (1, "week", False, 1, 1, False),
    ("child", "medium"): (2, "week", True, 5, 3, False),
    ("child", "low"): (1, "month", True, 5, 5, False),
}

# 2026-10-01 to 10-07 are days off (National Day); 09-30 and 10-08 are working days.
HOLIDAY = date(2026, 10, 1)


def _after(day: date, every: int, unit: str) -> date:
    return day + (timedelta(weeks=every) if unit == "week" else relativedelta(months=every))


def _first_visits(kind: str, level: str, days: int) -> tuple[str, str | None]:
    due = (ON + timedelta(days=days)).isoformat()
    return due, None if level == LOWEST[kind] else due


def _row_probes(kind: str, level: str) -> dict[str, Probe]:
    every, unit, working, first, grace, cover = ROWS[kind, level]
    row = f"followup.{kind}.{level}"
    # Plain calendar days and no monthly cap: the next visit is the nominal date.
    plain = {f"{row}.working_days_only": False, f"{row}.cover_every_month": False}
    other_unit = "month" if unit == "week" else "week"
    # The visit whose nominal date is the first day of the holiday.
    before_holiday = HOLIDAY - (
        timedelta(weeks=every) if unit == "week" else relativedelta(months=every)
    )
    shifted_back, shifted_on = date(2026, 9, 30).isoformat(), date(2026, 10, 8).isoformat()
    # Ten weeks or three months after ON: past April, the month after ON's.
    long_every = 10 if unit == "week" else 3
    capped, uncapped = date(2026, 4, 30).isoformat(), _after(ON, long_every, unit).isoformat()
    visit = _followup(kind, level, visit=True)
    return {
        f"{row}.every": Probe(
            {f"{row}.every": every + 1},
            visit,
            _after(ON, every, unit).isoformat(),
            _after(ON, every + 1, unit).isoformat(),
            baseline=plain,
        ),
        f"{row}.unit": Probe(
            {f"{row}.unit": other_unit},
            visit,
            _after(ON, every, unit).isoformat(),
            _after(ON, every, other_unit).isoformat(),
            baseline=plain,
        ),
        # With working days only the holiday is too long to wait out (7 days > 3):
        # the visit comes forward to the last working day before it.
        f"{row}.working_days_only": Probe(
            {f"{row}.working_days_only": not working},
            visit,
            shifted_back if working else HOLIDAY.isoformat(),
            HOLIDAY.isoformat() if working else shifted_back,
            on=before_holiday,
        ),
        f"{row}.max_shift_days": Probe(
            {f"{row}.max_shift_days": 7},
            visit,
            shifted_back,
            shifted_on,
            on=before_holiday,
            baseline={f"{row}.working_days_only": True},
        ),
        f"{row}.cover_every_month": Probe(
            {f"{row}.cover_every_month": not cover},
            visit,
            capped if cover else uncapped,
            uncapped if cover else capped,
            baseline={f"{row}.working_days_only": False, f"{row}.every": long_every},
        ),
        f"{row}.first_visit_days": Probe(
            {f"{row}.first_visit_days": first + 2},
            _first_visit(kind, level),
            _first_visits(kind, level, first),
            _first_visits(kind, level, first + 2),
        ),
        # One day past the grace: escalated; with two more days of grace, only overdue.
        f"{row}.grace_days": Probe(
            {f"{row}.grace_days": grace + 2},
            _grace(kind, level, grace + 1),
            ("escalated", "escalated"),
            ("overdue", "overdue"),
        ),
    }


for _kind, _level in ROWS:
    PROBES.update(_row_probes(_kind, _level))


# --- the tests ---------------------------------------------------------------------------


def test_every_parameter_has_a_probe() -> None:
    missing = [name for name in policy_parameters() if name not in PROBES]
    assert not missing, (
        f"policy parameter(s) {', '.join(missing)} have no probe: add to PROBES in"
        " tests/test_policy_parameters.py an amendment of each, a small input and the"
        " results before and after it, so that a parameter the code ignores fails a test"
    )


def test_every_probe_names_a_parameter() -> None:
    known = set(policy_parameters())
    unknown = [name for name in PROBES if name not in known]
    assert not unknown, f"PROBES names {', '.join(unknown)}, which are not policy parameters"
    for name, probe in PROBES.items():
        # The probe amends its parameter (or, for a table, one of its cells).
        assert probe.changes, name
        assert all(k == name or k.startswith(name + ".") for k in probe.changes), name


def test_every_walked_name_is_an_amendable_parameter() -> None:
    # The walk and the amendments agree on the names: each can be amended to itself.
    values = PolicyValues()
    for name in policy_parameters():
        node: Any = values
        for part in name.split("."):
            node = node[part] if isinstance(node, Mapping) else getattr(node, part)
        policy = default_policy().amend(ON, {name: _plain(node)}, version="same")
        assert policy.at(ON) == values, name


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if attrs.has(type(value)):
        return {a.name: _plain(getattr(value, a.name)) for a in attrs.fields(type(value))}
    return value


def test_the_walk_lists_the_known_shapes() -> None:
    names = policy_parameters()
    assert "elderly.home_cap" in names
    assert "followup.elderly.red.every" in names
    assert "linkage.urgency_points.critical" in names
    assert "ledger.rectification_days" in names  # an open table: one parameter
    assert "linkage.suitability" in names  # a table of tables: one parameter
    assert "elderly.chronic_bands" in names  # a tuple of bands: one parameter
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", sorted(PROBES))
def test_amending_a_parameter_changes_the_result_from_its_date(name: str) -> None:
    probe = PROBES[name]
    reference = default_policy()
    if probe.baseline:
        reference = reference.amend(BASELINE_FROM, probe.baseline, version="baseline")
    amended = reference.amend(probe.on, probe.changes, version="amended")
    tomorrow = reference.amend(probe.on + timedelta(days=1), probe.changes, version="tomorrow")
    assert probe.default != probe.amended  # a probe that expects no change tests nothing
    assert probe.observe(reference, probe.on) == probe.default
    # Before its date the amendment changes nothing ...
    assert probe.observe(tomorrow, probe.on) == probe.default
    # ... and from it on, the result is the amended one.
    assert probe.observe(amended, probe.on) == probe.amended


@pytest.mark.parametrize("kind", sorted(default_policy().at(ON).ledger.rectification_days))
def test_every_rectification_deadline_is_read_from_the_table(kind: str) -> None:
    days = default_policy().at(ON).ledger.rectification_days[kind]
    amended = default_policy().amend(
        ON, {f"ledger.rectification_days.{kind}": days + 4}, version="v"
    )
    observe = _deadline(kind)
    assert observe(default_policy(), ON) == days
    assert observe(amended, ON) == days + 4


def test_every_suitability_is_read_from_the_table() -> None:
    table = default_policy().at(ON).linkage.suitability
    changes = {
        f"linkage.suitability.{party}.{category}": 10 - suit
        for party, row in table.items()
        for category, suit in row.items()
    }
    amended = default_policy().amend(ON, changes, version="v")
    for party, row in table.items():
        for category, suit in row.items():
            observe = _fit(str(party), category)
            assert observe(default_policy(), ON) == (10 * suit, 0), (party, category)
            assert observe(amended, ON) == (10 * (10 - suit), 0), (party, category)
