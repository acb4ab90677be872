"""Every value of the library pickles and compares equal after the round trip.

The test walks every attrs class defined in the package, so a new class without an
instance here fails it: add one to ``_roots`` (or to ``NOT_VALUES`` with the reason).
"""

from __future__ import annotations

import importlib
import pickle
import pkgutil
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from types import MappingProxyType, ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import community_care
from community_care import (
    CalendarRangeError,
    CommunityCareError,
    CommunityPlan,
    InputProblem,
    InvalidInputError,
    InvalidTransitionError,
    Ledger,
    MicroWish,
    NotEligibleError,
    Problem,
    ProblemStatus,
    Programme,
    VisitDue,
    YearArrangement,
    cadence_for,
    compare,
    default_policy,
    forecast_visits,
    kpis,
    load_snapshot,
    official_calendar,
    open_followup,
    plan_community,
    pseudonymise,
    record_visit,
    retier,
    structure,
    to_json,
    unstructure,
    visits_due,
)
from community_care._kernel.frozen import FrozenMapping
from community_care._kernel.lifecycle import Lifecycle
from community_care.calendar import WeekendCalendar
from community_care.followup import Finding
from community_care.html import LegendItem, Part, _coverage, _Words, bar_chart, column_chart
from community_care.ledger import findings_to_records
from community_care.overrides import Override
from community_care.samples import DEMO_DATE, demo_community

#: attrs classes that hold no value of their own, so have nothing to pickle (none today).
NOT_VALUES: dict[str, str] = {}


def _modules() -> Iterator[ModuleType]:
    yield community_care
    for info in pkgutil.walk_packages(community_care.__path__, "community_care."):
        yield importlib.import_module(info.name)


def _attrs_classes() -> dict[str, type]:
    """Every attrs class defined in a module of the package, by qualified name."""
    found: dict[str, type] = {}
    for module in _modules():
        for value in vars(module).values():
            if isinstance(value, type) and attrs.has(value) and value.__module__ == module.__name__:
                found[f"{module.__name__}.{value.__qualname__}"] = value
    return found


CLASSES = _attrs_classes()


def _class_named(name: str) -> type:
    """A private attrs class of the package, found by its name wherever it lives."""
    (cls,) = (c for c in CLASSES.values() if c.__name__ == name)
    return cls


def _roots() -> list[object]:
    """Real results and inputs: every attrs class is reachable from one of them."""
    snapshot_doc = demo_community()
    # A record to reject, so that the plan holds rejections too.
    snapshot_doc["elderly"].append({"id": "bad", "birth_date": "1950-02-30"})
    loaded = load_snapshot(snapshot_doc)
    plan = plan_community(snapshot_doc, on=DEMO_DATE)
    policy = default_policy()
    amended = policy.amend(
        date(2026, 1, 1), {"followup.elderly.red.grace_days": 2}, version="local-2026"
    )

    followup = open_followup("e1", "elderly", "yellow", on=date(2026, 1, 2))
    followup = record_visit(followup, date(2026, 1, 9), "w01")
    followup = retier(followup, "red", date(2026, 1, 20))
    found = record_visit(
        followup,
        date(2026, 1, 21),
        "w01",
        findings=[Finding(block="safety", category="gas", note="燃气软管老化")],
    )

    wish = MicroWish(
        id="w1", child_id="c1", item="书包", collected_on=date(2026, 3, 1), child_name="王小明"
    )
    wish = wish.publish(date(2026, 3, 2), "grid-1 party group").adopt(date(2026, 3, 5), "unit-7")

    problem = Problem(
        id="p1", category="pump_repair", reported_on=date(2026, 3, 2), source="hotline"
    )
    problem_lifecycle = Lifecycle(
        kind="problem",
        initial=ProblemStatus.REPORTED,
        moves={
            ProblemStatus.REPORTED: {"accept": ProblemStatus.ACCEPTED},
            ProblemStatus.ACCEPTED: {},
        },
    )
    steps = list(problem_lifecycle.replay([(date(2026, 3, 3), "accepted")], date(2026, 3, 2)))
    ledger = Ledger(activities=loaded.snapshot.activities, hazards=loaded.snapshot.hazards)
    ledger = ledger.add(problem).replace(problem.accept(date(2026, 3, 3)))
    due = VisitDue(case_id="e1", due_on=date(2026, 5, 4), grace_days=5, done_on=date(2026, 5, 8))
    year = official_calendar().known_years.stop
    arrangement = YearArrangement(
        year, holidays=(date(year, 1, 1), date(year, 1, 2)), makeup_workdays=()
    )
    calendar = official_calendar().with_year(arrangement).with_closures([date(year, 1, 5)])
    before = kpis(
        ledger.activities,
        ledger.problems,
        ledger.hazards,
        [due],
        start=date(2025, 12, 1),
        end=date(2026, 5, 31),
    )
    legend = (LegendItem(label="红 red", css="red"),)
    parts = [Part(value=3, css="red", label="红 red"), Part(value=2, css="green", label="")]
    head = structure(
        {"community": snapshot_doc["community"], "grids": ["g1"]}, _class_named("_Head")
    )
    return [
        loaded,
        plan,
        pseudonymise(loaded.snapshot, plan, key=b"a key of 16 or more bytes"),
        problem_lifecycle,
        steps,
        amended,
        amended.at(date(2026, 6, 1)),
        followup,
        found,
        wish,
        ledger,
        due,
        calendar,
        WeekendCalendar().with_closures([date(2026, 5, 6)]),
        compare(before, plan.kpis),
        Programme(id="p1", name="应急演练", rrule="FREQ=MONTHLY;BYDAY=1SA", start=date(2026, 1, 1)),
        cadence_for("child", "medium", on=date(2026, 1, 5)),
        forecast_visits(
            cadence_for("elderly", "yellow", on=date(2026, 1, 5)).cadence,
            anchor=date(2026, 1, 5),
            until=date(2026, 3, 31),
        ),
        visits_due([followup], start=date(2026, 1, 1), end=date(2026, 3, 31)),
        InvalidInputError.at("$.id", "expected a string").problems,
        Override(
            case_id="e1",
            kind="elderly",
            level="red",
            by="Li",
            reason="seen at home",
            on=date(2026, 3, 1),
        ),
        bar_chart("tiers", "风险等级", [("红", parts, "5")], legend=legend),
        column_chart("weeks", "每周", [("W1", parts, True, "5")], legend=legend),
        findings_to_records(found, found.visits[-1], grid="g1", building="b1"),
        _coverage(plan, {}, _Words("zh"))["bars"],
        head,
        parts,
        _class_named("_Packaged")(
            frozenset({date(2026, 1, 1)}), frozenset({date(2026, 1, 4)}), range(2026, 2027)
        ),
    ]


def _walk(value: object, seen: set[int]) -> Iterator[object]:
    """Every attrs instance inside ``value`` (through fields, sequences and mappings)."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if attrs.has(type(value)):
        yield value
        for field in attrs.fields(type(value)):
            yield from _walk(getattr(value, field.name), seen)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _walk(item, seen)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _walk(item, seen)


@pytest.fixture(scope="module")
def instances() -> dict[type, list[object]]:
    """Up to three instances of each attrs class, found in the roots."""
    found: dict[type, list[object]] = {}
    seen: set[int] = set()
    for root in _roots():
        for value in _walk(root, seen):
            kept = found.setdefault(type(value), [])
            if len(kept) < 3:
                kept.append(value)
    return found


def test_every_attrs_class_has_an_instance(instances: dict[type, list[object]]) -> None:
    missing = sorted(
        name
        for name, cls in CLASSES.items()
        if cls not in instances and cls.__name__ not in NOT_VALUES
    )
    assert missing == [], f"give these classes an instance in _roots: {missing}"
    assert len(CLASSES) > 60  # the walk found the package's classes at all


def _json_or_error(value: object) -> str:
    try:
        return to_json(value)
    except (TypeError, ValueError) as exc:  # a value that is not data (a calendar's range)
        return f"not JSON: {type(exc).__name__}"


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_each_class_pickles_to_an_equal_value(
    name: str, instances: dict[type, list[object]]
) -> None:
    cls = CLASSES[name]
    if cls.__name__ in NOT_VALUES:
        pytest.skip(NOT_VALUES[cls.__name__])
    assert instances.get(cls), f"no instance of {name}"
    for value in instances[cls]:
        for protocol in (2, pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL):
            back = pickle.loads(pickle.dumps(value, protocol=protocol))
            assert type(back) is type(value)
            assert back == value
            # Not the repr: a frozenset (a child's categories) may list its members in
            # another order once rebuilt, under the same value and the same JSON.
            assert _json_or_error(back) == _json_or_error(value)


def test_a_plan_pickles_whole_and_its_json_is_unchanged() -> None:
    plan = plan_community(demo_community(), on=DEMO_DATE)
    back = pickle.loads(pickle.dumps(plan))
    assert back == plan
    assert to_json(back) == to_json(plan)
    assert isinstance(back.used, FrozenMapping)
    assert isinstance(back.matching.assignments, FrozenMapping)
    assert isinstance(back.elderly[0].dimension_scores, FrozenMapping)


def _plan_in_a_worker(seed: int) -> CommunityPlan:
    return plan_community(demo_community(seed), on=DEMO_DATE)


def test_a_plan_made_in_another_process_equals_the_local_one() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        remote = pool.submit(_plan_in_a_worker, 1).result(timeout=300)
    local = _plan_in_a_worker(1)
    assert remote == local
    assert to_json(remote) == to_json(local)


@pytest.mark.parametrize(
    "error",
    [
        InvalidInputError(
            [InputProblem("$.id", "expected a string"), InputProblem("$.age", "too old")]
        ),
        NotEligibleError("resident 'e1' is 59 on 2026-11-30"),
        InvalidTransitionError("micro-wish 'w1' is 'adopted'; cannot publish"),
        CalendarRangeError("2101-01-01 is outside the calendar"),
        CommunityCareError("base"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_pickle(error: CommunityCareError) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error)
    assert back.args == error.args
    if isinstance(error, InvalidInputError):
        assert isinstance(back, InvalidInputError)
        assert back.problems == error.problems


# --- FrozenMapping itself ---

_items = st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=6)


@given(_items)
def test_frozen_mapping_is_its_items(items: dict[str, Any]) -> None:
    m = FrozenMapping(items)
    assert m == items
    assert items == m
    assert m == MappingProxyType(items)
    assert MappingProxyType(items) == m
    assert m == FrozenMapping(reversed(list(items.items())))
    assert hash(m) == hash(FrozenMapping(reversed(list(items.items()))))
    assert list(m) == list(items)
    assert list(reversed(m)) == list(reversed(items))
    assert list(m.keys()) == list(items.keys())
    assert list(m.values()) == list(items.values())
    assert list(m.items()) == list(items.items())
    assert len(m) == len(items)
    assert all(key in m and m[key] == value for key, value in items.items())
    assert pickle.loads(pickle.dumps(m)) == m
    assert unstructure(m) == items
    assert to_json(m) == to_json(MappingProxyType(items))
    assert eval(repr(m), {"FrozenMapping": FrozenMapping}) == m


@given(_items, _items)
def test_frozen_mappings_differ_as_their_items_do(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert (FrozenMapping(a) == FrozenMapping(b)) is (a == b)
    assert (FrozenMapping(a) != b) is (a != b)
    assert (FrozenMapping(a) == MappingProxyType(b)) is (a == b)


def test_frozen_mapping_is_read_only_and_owns_its_items() -> None:
    source = {"health": 3}
    m = FrozenMapping(source)
    source["health"] = 9
    assert m["health"] == 3
    with pytest.raises(TypeError):
        m["health"] = 4  # type: ignore[index]
    with pytest.raises(AttributeError, match="read-only"):
        m._items = {}  # type: ignore[misc]
    with pytest.raises(AttributeError, match="read-only"):
        del m._items
    with pytest.raises(AttributeError):
        m.extra = 1  # type: ignore[attr-defined]
    assert FrozenMapping() == {}
    assert FrozenMapping([("a", 1)]) == {"a": 1}
    assert m != [("health", 3)]
    assert m.get("home") is None
    assert "home" not in m


def test_frozen_mapping_hashes_only_when_its_values_do() -> None:
    assert hash(FrozenMapping({"a": (1, 2)})) == hash(FrozenMapping({"a": (1, 2)}))
    with pytest.raises(TypeError, match="unhashable"):
        hash(FrozenMapping({"a": [1]}))
