"""A policy stays what it was validated as, however it is built, within bounds.

* Immutable all the way down: what ``policy.at(d)`` hands out and an amendment's
  changes are frozen (tables are read-only mappings, lists are tuples); a caller who
  tries to change them gets a TypeError and later results do not change.
* One validating path: ``Policy.from_document``, ``structure(doc, Policy)`` and
  ``Policy(...)`` / ``Amendment(...)`` built directly are checked alike.
* Every parameter is bounded (days, months, ages, points, counts), and the message
  names the path, the bad value and the bound.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from tests.strategies.policy import LARGEST_INT, number_documents, number_parameters

from community_care import InvalidInputError, Policy, default_policy
from community_care._kernel.frozen import FrozenMapping
from community_care.policy import Amendment, Band, PolicyValues, check_values
from community_care.serialization import structure, unstructure

ON = date(2027, 1, 1)


def _doc(*changes: dict[str, Any], version: str = "x") -> dict[str, Any]:
    """A policy document with one amendment per ``changes``, a year apart from 2027 on."""
    return {
        "version": version,
        "amendments": [
            {"effective_from": date(2027 + i, 1, 1).isoformat(), "changes": c}
            for i, c in enumerate(changes)
        ],
    }


def _problems(doc: object) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInputError) as info:
        Policy.from_document(doc)
    return [(p.path, p.message) for p in info.value.problems]


# --- immutable all the way down ---------------------------------------------------------


def _mutable_inside(node: object, path: str = "$") -> Iterator[str]:
    """The path of every container inside ``node`` that a caller could change."""
    if attrs.has(type(node)):
        for a in attrs.fields(type(node)):
            yield from _mutable_inside(getattr(node, a.name), f"{path}.{a.name}")
    elif isinstance(node, Mapping):
        if not isinstance(node, FrozenMapping):
            yield path
        for key, value in node.items():
            yield from _mutable_inside(value, f"{path}.{key}")
    elif isinstance(node, tuple):
        for i, value in enumerate(node):
            yield from _mutable_inside(value, f"{path}[{i}]")
    elif isinstance(node, list | set | dict | bytearray):
        yield path


def _tables(node: object, path: str = "$") -> Iterator[tuple[str, Mapping[Any, Any]]]:
    """Every table (mapping) inside ``node``, nested ones included, with its path."""
    if attrs.has(type(node)):
        for a in attrs.fields(type(node)):
            yield from _tables(getattr(node, a.name), f"{path}.{a.name}")
    elif isinstance(node, Mapping):
        yield path, node
        for key, value in node.items():
            yield from _tables(value, f"{path}.{key}")


def _every_table_replaced_whole() -> dict[str, Any]:
    """Changes giving every table and tuple of every rule group anew, as plain dicts and lists."""
    plain = unstructure(PolicyValues())
    changes: dict[str, Any] = {}
    for group in attrs.fields(PolicyValues):
        rules = getattr(PolicyValues(), group.name)
        for a in attrs.fields(type(rules)):
            if isinstance(getattr(rules, a.name), Mapping | tuple):
                changes[f"{group.name}.{a.name}"] = plain[group.name][a.name]
    return changes


def test_every_table_handed_out_is_frozen_all_the_way_down() -> None:
    whole = _every_table_replaced_whole()
    # Every table of the rule groups is replaced (11 tables, 6 tuples today).
    assert len(whole) >= 17
    for policy in (default_policy(), Policy.from_document(_doc(whole))):
        values = policy.at(ON)
        assert list(_mutable_inside(values)) == []
        paths = [path for path, _ in _tables(values)]
        assert "$.linkage.suitability.volunteer" in paths  # a table of tables, frozen too
        assert len(paths) >= 18


def test_a_caller_cannot_change_what_at_returns() -> None:
    policy = Policy.from_document(_doc({"linkage.suitability.volunteer.sewing": 7}))
    values = policy.at(ON)
    before = copy.deepcopy(values)
    for path, table in _tables(values):
        key = next(iter(table))
        with pytest.raises(TypeError):
            table[key] = 1  # type: ignore[index]  # what a careless caller writes
        with pytest.raises(TypeError):
            del table[key]  # type: ignore[attr-defined]
        assert not hasattr(table, "update"), path
    with pytest.raises(TypeError):
        values.elderly.ability_points[0] = 9  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        values.followup.horizon_days = 1  # type: ignore[misc]
    # Later results for the same policy, and for a fresh one, are unchanged.
    assert policy.at(ON) == before == Policy.from_document(policy.to_document()).at(ON)
    assert policy.at(ON).linkage.suit("volunteer", "sewing") == 7


def test_an_amendment_owns_frozen_changes() -> None:
    changes: dict[str, Any] = {
        "children.review_months": {"high": 2, "medium": 4, "low": 6},
        "elderly.chronic_bands": [[2, 1], [5, 3]],
        "elderly.red_min": 9,
    }
    amendment = Amendment(effective_from=ON, changes=changes)
    # The caller's dict and lists change later; the amendment does not.
    changes["elderly.red_min"] = 1
    changes["children.review_months"]["high"] = 99
    changes["elderly.chronic_bands"].append([9, 9])
    assert amendment.changes["elderly.red_min"] == 9
    assert amendment.changes["children.review_months"] == {"high": 2, "medium": 4, "low": 6}
    assert amendment.changes["elderly.chronic_bands"] == (Band(2, 1), Band(5, 3))
    assert list(_mutable_inside(amendment)) == []
    with pytest.raises(TypeError):
        amendment.changes["elderly.red_min"] = 1  # type: ignore[index]
    with pytest.raises(TypeError):
        amendment.changes["children.review_months"]["high"] = 1


def test_a_validated_policy_cannot_be_edited_through_its_amendments() -> None:
    doc = _doc({"elderly.red_min": 9, "children.review_months": {"high": 2, "medium": 4, "low": 6}})
    policy = Policy.from_document(doc)
    # The document is the caller's: changing it later changes nothing.
    doc["amendments"][0]["changes"]["elderly.red_min"] = -50
    (amendment,) = policy.amendments
    with pytest.raises(TypeError):
        amendment.changes["elderly.red_min"] = -50  # type: ignore[index]
    with pytest.raises(TypeError):
        amendment.changes["children.review_months"]["high"] = -1
    assert policy.at(ON).elderly.red_min == 9
    assert policy.at(ON).children.review_months["high"] == 2


def test_a_frozen_policy_pickles_and_hashes() -> None:
    policy = Policy.from_document(
        _doc({"linkage.suitability.volunteer.sewing": 3, "elderly.chronic_bands": [[1, 1]]})
    )
    again = pickle.loads(pickle.dumps(policy))
    assert again == policy and hash(again) == hash(policy)
    assert again.at(ON) == policy.at(ON)
    assert list(_mutable_inside(again.at(ON))) == []
    assert hash(Policy.from_document(policy.to_document())) == hash(policy)


def test_a_rule_group_freezes_what_it_is_built_or_evolved_with() -> None:
    linkage = attrs.evolve(
        PolicyValues().linkage,
        urgency_points={"critical": 9, "high": 3, "normal": 2, "low": 1},
        suitability={"volunteer": {"sewing": 4}},
        child_contact_categories=["tutoring"],
    )
    assert list(_mutable_inside(linkage)) == []
    assert linkage.child_contact_categories == ("tutoring",)
    assert linkage.suit("volunteer", "sewing") == 4


# --- one validating path -----------------------------------------------------------------

BAD_DOCUMENTS = [
    _doc({"followup.horizon_days": 3_000_000}),
    _doc({"elderly.red_min": -5, "nope": 3}),
    _doc({"elderly.red_min": 10}, {"elderly.yellow_min": 11}),
    {"version": "", "amendments": [{"effective_from": "2027-01-01", "changes": {}}]},
    {"version": "x", "amendments": [{"effective_from": "2027-01-01", "changes": {"x": 1}}] * 2},
    [],
]


@pytest.mark.parametrize("doc", BAD_DOCUMENTS)
def test_structure_checks_a_policy_as_from_document_does(doc: object) -> None:
    expected = _problems(doc)
    with pytest.raises(InvalidInputError) as info:
        structure(doc, Policy)
    assert [(p.path, p.message) for p in info.value.problems] == expected


@given(doc=number_documents())
def test_structure_and_from_document_agree(doc: dict[str, Any]) -> None:
    try:
        read: Policy | tuple[object, ...] = Policy.from_document(doc)
    except InvalidInputError as exc:
        read = exc.problems
    try:
        structured: Policy | tuple[object, ...] = structure(doc, Policy)
    except InvalidInputError as exc:
        structured = exc.problems
    assert structured == read
    if isinstance(read, Policy):
        assert structure(unstructure(read), Policy) == read


def test_a_policy_unstructures_to_its_document() -> None:
    policy = Policy.from_document(_doc({"elderly.red_min": 9}, {"elderly.chronic_bands": [[1, 1]]}))
    policy.at(date(2029, 1, 1))  # fills the policy's cache, which is no part of its value
    assert unstructure(policy) == policy.to_document()
    assert structure(unstructure(policy), Policy) == policy


def test_structure_checks_an_amendment() -> None:
    read = structure({"effective_from": "2027-01-01", "changes": {"elderly.red_min": 9}}, Amendment)
    assert read == Amendment(effective_from=ON, changes={"elderly.red_min": 9})
    with pytest.raises(InvalidInputError) as info:
        structure({"effective_from": "2027-01-01", "changes": {"elderly.nope": 1}}, Amendment)
    assert [p.path for p in info.value.problems] == ["$.changes['elderly.nope']"]


def test_a_policy_built_directly_is_checked() -> None:
    bad = Amendment(effective_from=ON, changes={"followup.horizon_days": 3_000_000})
    with pytest.raises(InvalidInputError) as info:
        Policy(version="x", amendments=(bad,))
    assert [str(p) for p in info.value.problems] == [
        "$.followup.horizon_days: expected at most 36500 days (100 years), got 3000000"
        " (from 2027-01-01)"
    ]
    # Thresholds out of order only in a later period.
    first = Amendment(effective_from=ON, changes={"elderly.red_min": 10})
    then = Amendment(effective_from=date(2028, 1, 1), changes={"elderly.yellow_min": 11})
    with pytest.raises(InvalidInputError) as info:
        Policy(version="x", amendments=(then, first))
    (problem,) = info.value.problems
    assert problem.path == "$.elderly.red_min" and "from 2028-01-01" in problem.message
    # attrs.evolve builds through __init__, so it is checked too.
    with pytest.raises(InvalidInputError):
        attrs.evolve(default_policy(), amendments=(bad,))


def test_a_policy_built_directly_keeps_its_amendments_in_date_order() -> None:
    later = Amendment(effective_from=date(2028, 1, 1), changes={"elderly.red_min": 10})
    sooner = Amendment(effective_from=ON, changes={"elderly.red_min": 9})
    policy = Policy(version="x", amendments=[later, sooner])  # type: ignore[arg-type]
    assert policy.amendments == (sooner, later)
    assert [policy.at(d).elderly.red_min for d in (date(2026, 1, 1), ON, later.effective_from)] == [
        8,
        9,
        10,
    ]
    assert Policy.from_document(policy.to_document()) == policy


@pytest.mark.parametrize(
    ("kwargs", "paths"),
    [
        ({"version": ""}, ["$.version"]),
        ({"version": 3}, ["$.version"]),
        ({"amendments": 3}, ["$.amendments"]),
        ({"version": "", "amendments": ("junk",)}, ["$.version", "$.amendments[0]"]),
        (
            {
                "amendments": (
                    Amendment(effective_from=ON, changes={"elderly.red_min": 9}),
                    Amendment(effective_from=ON, changes={"elderly.red_min": 10}),
                )
            },
            ["$.amendments[1].effective_from"],
        ),
    ],
    ids=["empty-version", "int-version", "not-a-tuple", "junk-amendment", "overlap"],
)
def test_a_policy_built_directly_with_bad_values_is_refused(
    kwargs: dict[str, Any], paths: list[str]
) -> None:
    with pytest.raises(InvalidInputError) as info:
        Policy(**kwargs)
    assert [p.path for p in info.value.problems] == paths


@pytest.mark.parametrize(
    ("kwargs", "paths"),
    [
        ({"effective_from": "2027-01-01", "changes": {"elderly.red_min": 9}}, ["$.effective_from"]),
        (
            {"effective_from": datetime(2027, 1, 1), "changes": {"elderly.red_min": 9}},
            ["$.effective_from"],
        ),
        ({"effective_from": ON, "changes": {}}, ["$.changes"]),
        ({"effective_from": ON, "changes": None}, ["$.changes"]),
        (
            {"effective_from": None, "changes": {"elderly.red_min": "9", "elderly.nope": 1}},
            ["$.effective_from", "$.changes['elderly.red_min']", "$.changes['elderly.nope']"],
        ),
    ],
    ids=["string-date", "datetime", "no-changes", "none", "every-problem"],
)
def test_an_amendment_built_directly_with_bad_values_is_refused(
    kwargs: dict[str, Any], paths: list[str]
) -> None:
    with pytest.raises(InvalidInputError) as info:
        Amendment(**kwargs)
    assert [p.path for p in info.value.problems] == paths


def test_an_evolved_amendment_is_checked_and_frozen() -> None:
    amendment = Amendment(effective_from=ON, changes={"elderly.red_min": 9})
    with pytest.raises(InvalidInputError):
        attrs.evolve(amendment, changes={"elderly.red_min": -1.5})
    evolved = attrs.evolve(amendment, changes={"elderly.falls_bands": [[1, 2]]})
    assert evolved.changes["elderly.falls_bands"] == (Band(1, 2),)


def test_a_document_date_with_a_time_is_refused() -> None:
    # A datetime cannot be compared with the dates at() is asked about.
    doc = {"version": "x", "amendments": [{"effective_from": datetime(2027, 1, 1), "changes": {
        "elderly.red_min": 9}}]}  # fmt: skip
    assert [path for path, _ in _problems(doc)] == ["$.amendments[0].effective_from"]


@pytest.mark.parametrize(
    "name",
    [
        "followup.elderly.purple.every",
        "followup.child.urgent",
        "linkage.suitability.nobody.sewing",
        "linkage.urgency_points.extreme",
        "children.review_months.someday",
    ],
)
def test_a_name_through_an_unknown_row_is_an_unknown_parameter(name: str) -> None:
    # These raised AttributeError or KeyError, or changed a row nothing reads.
    ((path, message),) = _problems(_doc({name: 1}))
    assert path == f"$.amendments[0].changes[{name!r}]"
    assert message.startswith("unknown parameter; expected one of ")


# --- every parameter bounded -------------------------------------------------------------

DAYS, MONTHS, AGE, POINTS, COUNT = 36_500, 1_200, 150, 1_000_000, LARGEST_INT
WHAT = {
    DAYS: "days (100 years)",
    MONTHS: "months (100 years)",
    AGE: "years of age",
    POINTS: "points",
    COUNT: "(the JSON integer range)",
}
_POINTS = [
    "dementia_points", "severe_disability_points", "living_alone_points",
    "empty_nest_points", "left_behind_points", "no_emergency_contact_points",
    "special_family_points", "low_income_points", "extreme_poverty_points",
    "no_smoke_alarm_points", "unsafe_wiring_points", "no_grab_bars_points",
    "stairs_without_elevator_points", "home_cap", "red_min", "yellow_min",
]  # fmt: skip
_ELDERLY_COUNTS = [
    "care_risk_events_raise_min", "stairs_min_floor", "stairs_min_ability",
    "repeated_falls_min", "special_difficulty_min_ability", "grab_bar_min_ability",
    "grab_bar_min_falls", "emergency_call_min_ability", "chronic_care_min_conditions",
]  # fmt: skip
_AGES = ["elderly.min_age", "elderly.very_old_age", "elderly.emergency_call_min_age",
         "elderly.health_check_min_age", "children.max_age", "children.left_behind_max_age",
         "children.compulsory_school_min_age", "children.compulsory_school_max_age",
         "children.practice_education_min_age"]  # fmt: skip
_RISKS, _URGENCIES = ("high", "medium", "low"), ("critical", "high", "normal", "low")
_CASES = [f"elderly.{t}" for t in ("red", "yellow", "green")] + [f"child.{r}" for r in _RISKS]

# The bound of every parameter that is one integer, stated here independently of the code.
BOUNDS: dict[str, int] = {
    **{f"elderly.{n}": POINTS for n in _POINTS},
    **{f"elderly.{n}": COUNT for n in _ELDERLY_COUNTS},
    **dict.fromkeys(_AGES, AGE),
    "children.mental_health_high_min": COUNT,
    "children.mental_health_medium_min": COUNT,
    "children.disability_medium_max_grade": COUNT,
    "children.contact_months_high_over": MONTHS,
    "children.contact_months_medium_min": MONTHS,
    **{f"children.review_months.{r}": MONTHS for r in _RISKS},
    **{f"children.action_due_days.{r}": DAYS for r in _RISKS},
    **{f"linkage.urgency_points.{u}": POINTS for u in _URGENCIES},
    **{f"linkage.undated_deadline_days.{u}": DAYS for u in _URGENCIES},
    "linkage.suitability_weight": POINTS,
    "linkage.proximity_bonus": POINTS,
    "linkage.default_suitability": POINTS,
    "linkage.vetting_valid_days": DAYS,
    **{
        f"followup.{case}.{n}": DAYS
        for case in _CASES
        for n in ("first_visit_days", "grace_days", "max_shift_days")
    },
    "followup.due_soon_days": DAYS,
    "followup.horizon_days": DAYS,
    **{
        f"ledger.rectification_days.{k}": DAYS
        for k in ("flying_lead_charging", "blocked_fire_escape", "gas")
    },
    "ledger.default_rectification_days": DAYS,
    "ledger.reinspection_days": DAYS,
    "ledger.kpi_window_months": MONTHS,
    "privacy.min_cell_count": COUNT,
}


def test_every_number_has_a_bound_stated_here() -> None:
    assert sorted(number_parameters()) == sorted(BOUNDS)


def _with(name: str, value: object) -> PolicyValues:
    """The default values with one parameter set, built without the library's own setter."""

    def put(node: Any, parts: list[str]) -> Any:
        head, rest = parts[0], parts[1:]
        if attrs.has(type(node)):
            return attrs.evolve(node, **{head: put(getattr(node, head), rest) if rest else value})
        table = dict(node)
        key = next(k for k in table if k == head)
        table[key] = put(table[key], rest) if rest else value
        return table

    values: PolicyValues = put(PolicyValues(), name.split("."))
    return values


def _bound_problems(problems: list[Any], path: str) -> list[str]:
    return [p.message for p in problems if p.path == path and "at most" in p.message]


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_each_number_is_refused_just_past_its_bound(name: str) -> None:
    bound = BOUNDS[name]
    assert _bound_problems(check_values(_with(name, bound)), f"$.{name}") == []
    over = check_values(_with(name, bound + 1))
    assert _bound_problems(over, f"$.{name}") == [
        f"expected at most {bound} {WHAT[bound]}, got {bound + 1}"
    ]


@given(doc=number_documents())
def test_a_number_is_read_if_and_only_if_within_its_bound(doc: dict[str, Any]) -> None:
    try:
        Policy.from_document(doc)
        problems: list[Any] = []
    except InvalidInputError as exc:
        problems = list(exc.problems)
    for amendment in doc["amendments"]:
        start = amendment["effective_from"]
        for name, value in amendment["changes"].items():
            bound = BOUNDS[name]
            found = [
                m for m in _bound_problems(problems, f"$.{name}") if m.endswith(f"(from {start})")
            ]
            # The amendment's own value is the one in force in its period.
            expected = f"expected at most {bound} {WHAT[bound]}, got {value} (from {start})"
            assert found == ([expected] if value > bound else []), (name, value)


def test_the_horizon_of_the_issue_is_refused_when_read() -> None:
    assert _problems(_doc({"followup.horizon_days": 3_000_000})) == [
        (
            "$.followup.horizon_days",
            "expected at most 36500 days (100 years), got 3000000 (from 2027-01-01)",
        )
    ]


@pytest.mark.parametrize(("unit", "limit"), [("day", 36_500), ("week", 5_214), ("month", 1_200)])
def test_a_cadence_is_bounded_by_its_unit(unit: str, limit: int) -> None:
    row = {"unit": unit, "working_days_only": False, "cover_every_month": False}
    fine = {f"followup.child.high.{k}": v for k, v in row.items()}
    Policy.from_document(_doc({**fine, "followup.child.high.every": limit}))
    assert _problems(_doc({**fine, "followup.child.high.every": limit + 1})) == [
        (
            "$.followup.child.high.every",
            f"expected at most {limit} {unit}s (100 years), got {limit + 1} (from 2027-01-01)",
        )
    ]


@pytest.mark.parametrize(
    ("name", "value", "path", "message"),
    [
        ("elderly.ability_points", [0, 1, 3, 5, 1_000_001], "$.elderly.ability_points[4]",
         "expected at most 1000000 points, got 1000001"),
        ("elderly.advanced_age_bands", [[80, 1], [151, 2]],
         "$.elderly.advanced_age_bands[1].minimum", "expected at most 150 years of age, got 151"),
        ("elderly.chronic_bands", [[2, 1], [4, 1_000_001]], "$.elderly.chronic_bands[1].points",
         "expected at most 1000000 points, got 1000001"),
    ],
)  # fmt: skip
def test_tuples_are_bounded_item_by_item(name: str, value: Any, path: str, message: str) -> None:
    assert (path, f"{message} (from 2027-01-01)") in _problems(_doc({name: value}))


def test_a_count_a_band_starts_from_is_bounded_by_the_json_range_only() -> None:
    policy = Policy.from_document(_doc({"elderly.falls_bands": [[1, 1], [LARGEST_INT, 3]]}))
    assert policy.at(ON).elderly.falls_bands[1] == Band(LARGEST_INT, 3)
    assert _bound_problems(
        check_values(_with("elderly.stairs_min_floor", 2**60)), "$.elderly.stairs_min_floor"
    ) == [f"expected at most {LARGEST_INT} (the JSON integer range), got {2**60}"]


def test_a_number_too_large_to_print_is_described_safely() -> None:
    huge = 10**5000
    (message,) = _bound_problems(
        check_values(_with("followup.horizon_days", huge)), "$.followup.horizon_days"
    )
    assert message == "expected at most 36500 days (100 years), got a value too large to show (int)"
    negative = [p.message for p in check_values(_with("followup.horizon_days", -huge))]
    assert negative == ["expected a number >= 0, got a value too large to show (int)"]
