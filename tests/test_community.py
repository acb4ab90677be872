import json
import random
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from tests.strategies import messy_snapshots

from community_care import (
    CalendarRangeError,
    InvalidInputError,
    Policy,
    open_followup,
    structure,
    to_json,
    unstructure,
)
from community_care.community import (
    RECORD_LISTS,
    CommunitySnapshot,
    load_snapshot,
    plan_community,
    plan_many,
)
from community_care.samples import DEMO_DATE, demo_community


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    return demo_community()


@pytest.fixture(scope="module")
def sample_json(sample: dict[str, Any]) -> str:
    return to_json(plan_community(sample, on=DEMO_DATE))


def test_the_plan_is_a_pure_function(sample: dict[str, Any], sample_json: str) -> None:
    again = to_json(plan_community(json.loads(json.dumps(sample)), on=DEMO_DATE))
    assert again == sample_json
    snapshot = structure(sample, CommunitySnapshot)
    assert to_json(plan_community(snapshot, on=DEMO_DATE)) == sample_json


def test_the_plan_does_not_depend_on_record_order(sample: dict[str, Any], sample_json: str) -> None:
    shuffled = json.loads(json.dumps(sample))
    rng = random.Random(7)
    for key in RECORD_LISTS:
        rng.shuffle(shuffled.get(key, []))
    assert to_json(plan_community(shuffled, on=DEMO_DATE)) == sample_json


def _ids(records: list[dict[str, Any]]) -> list[str]:
    return [r.get("id") or r["case_id"] for r in records]


def test_conservation_every_record_used_or_rejected(sample: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(sample))
    doc["elderly"][3]["resident_id"] = doc["elderly"][3]["resident_id"][:17] + "Y"
    doc["elderly"].append(dict(doc["elderly"][0]))  # a duplicate id
    doc["children"][0]["parents"] = []
    doc["offers"][2]["capacity"] = -4
    young = dict(doc["elderly"][5], id="young", birth_date="1990-01-01")
    young.pop("resident_id", None)
    doc["elderly"].append(young)
    plan = plan_community(doc, on=DEMO_DATE)
    rejected: dict[str, list[str]] = {key: [] for key in RECORD_LISTS}
    for r in plan.rejections:
        kind = r.path.split(".")[1].split("[")[0]
        rejected[kind].append(r.path)
    for key in RECORD_LISTS:
        assert len(plan.used[key]) + len(rejected[key]) == len(doc.get(key, [])), key
        assert set(plan.used[key]) <= set(_ids(doc.get(key, [])))
    paths = {r.path: r.code for r in plan.rejections}
    assert paths["$.elderly[3]"] == "invalid_input"
    assert paths["$.elderly[420]"] == "duplicate_id"
    assert paths["$.elderly[421]"] == "not_eligible"
    assert paths["$.children[0]"] == "invalid_input"
    assert paths["$.offers[2]"] == "invalid_input"
    message = next(r.message for r in plan.rejections if r.path == "$.elderly[3]")
    assert "$.elderly[3].resident_id" in message
    assert sample["elderly"][3]["resident_id"][:17] not in to_json(plan.rejections)
    # Everything else is still planned.
    assert len(plan.elderly) == 419 and len(plan.children) == 19


def test_the_sample_reproduces_the_reported_year(sample: dict[str, Any]) -> None:
    plan = plan_community(sample, on=DEMO_DATE)
    k = plan.kpis.as_dict()
    assert k["activities"] == 83
    assert 2000 <= k["person_times"] <= 2300
    assert k["problems_resolved"] == 23
    assert k["hazards_rectified_on_time"] == 13
    assert k["person_times"] >= k["unique_beneficiaries"]
    assert 0.5 < k["proactive_share"] < 1 and 0 < k["multi_party_share"] < 1
    assert plan.rejections == ()
    snapshot = sample
    assert len(snapshot["elderly"]) == 420 and len(snapshot["offers"]) == 40
    assert len(snapshot["micro_wishes"]) == 11
    assert sum(n["source"] == "micro_project" for n in snapshot["needs"]) == 15
    assert (
        len({b["id"] for b in snapshot["buildings"] if not b["elevator"] and b["floors"] == 7}) >= 6
    )
    cats = set().union(*(c.assessment.categories for c in plan.children))
    assert {c.value for c in cats} == {
        "orphan", "de_facto_unsupported", "poverty", "disability_or_illness",
        "guardianship_deficit", "left_behind", "temporary_difficulty",
    }  # fmt: skip
    assert plan.overdue and plan.hazards_overdue and plan.visits
    assert any(v.provisional for v in plan.visits)  # the 90 days reach into next year


def test_frame_errors_reject_the_whole_document(sample: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError) as info:
        load_snapshot({"community": {"id": "x"}, "grids": "g1", "elderly": {}, "typo": []})
    paths = {p.path for p in info.value.problems}
    assert {"$.community.name", "$.grids", "$.elderly", "$.typo"} <= paths
    with pytest.raises(InvalidInputError):
        load_snapshot([])
    with pytest.raises(InvalidInputError, match=r"\$\.grids: required"):
        plan_community({"community": {"id": "x", "name": "y"}}, on=DEMO_DATE)


def test_an_empty_community_plans() -> None:
    plan = plan_community({"community": {"id": "x", "name": "y"}, "grids": []}, on=DEMO_DATE)
    assert plan.elderly == () and plan.kpis.as_dict()["activities"] == 0


def test_plan_many_equals_plan_community(sample: dict[str, Any], sample_json: str) -> None:
    plans = list(plan_many([sample, demo_community(1)], on=DEMO_DATE))
    assert to_json(plans[0]) == sample_json
    assert to_json(plans[1]) == to_json(plan_community(demo_community(1), on=DEMO_DATE))


def test_retiering_and_new_cases(sample: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(sample))
    first = doc["followups"][0]
    person = next(e for e in doc["elderly"] if e["id"] == first["case_id"])
    person["living_arrangement"] = "alone"
    person["falls_last_12_months"] = 3
    person["dementia"] = True
    plan = plan_community(doc, on=date(2026, 11, 30))
    case = next(f for f in plan.followups if f.case_id == first["case_id"])
    assert case.level == "red"
    assert len(plan.followups) == len(doc["followups"]) + (
        len(plan.elderly) + sum(c.plan is not None for c in plan.children) - len(doc["followups"])
    )


def test_the_snapshot_schema_accepts_the_sample(sample: dict[str, Any]) -> None:
    import jsonschema

    from community_care import json_schema

    validator = jsonschema.Draft202012Validator(
        json_schema(CommunitySnapshot),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    assert list(validator.iter_errors(sample)) == []
    bad = json.loads(json.dumps(sample))
    bad["elderly"][0]["home"]["floor"] = "three"
    bad["unknown"] = 1
    assert {e.json_path for e in validator.iter_errors(bad)} == {"$", "$.elderly[0].home.floor"}


def test_a_follow_up_the_calendar_cannot_place_is_rejected_alone(sample: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(sample))
    index, case = next(
        (i, f) for i, f in enumerate(doc["followups"]) if f["level"] in ("yellow", "green")
    )
    # The same history, 30 years earlier: before the official calendar's first year.
    old = json.loads(json.dumps(case).replace('"2026-', '"1996-').replace('"2025-', '"1995-'))
    doc["followups"][index] = old
    plan = plan_community(doc, on=DEMO_DATE)
    rejection = next(r for r in plan.rejections if r.path == f"$.followups[{index}]")
    assert rejection.code == "calendar_range" and rejection.id == case["case_id"]
    assert case["case_id"] not in plan.used["followups"]
    assert len(plan.used["followups"]) + 1 == len(doc["followups"])
    assert len(plan.elderly) == 420  # everything else is still planned


def test_a_case_overdue_since_long_ago_shows_once_then_what_is_ahead() -> None:
    # A red case opened in 1950 and never visited: weekly, not on working days only.
    case = open_followup("e1", "elderly", "red", on=date(1950, 1, 2))
    doc = {
        "community": {"id": "c", "name": "东风社区"},
        "grids": ["g"],
        "elderly": [
            {"id": "e1", "birth_date": "1930-01-01", "living_arrangement": "alone",
             "dementia": True}
        ],
        "followups": [unstructure(case)],
    }  # fmt: skip
    plan = plan_community(doc, on=DEMO_DATE)
    due, *ahead = plan.visits
    assert (due.on, due.due, due.overdue) == (date(1950, 1, 3), True, True)
    assert ahead and all(not v.due and not v.overdue and v.on >= DEMO_DATE for v in ahead)
    assert all(v.on <= DEMO_DATE + timedelta(days=90) for v in ahead)
    assert len(ahead) <= 90 // 7 + 1  # weekly within the 90 days, not 76 years of them


def test_a_plan_the_calendar_cannot_reach_fails_at_once() -> None:
    empty = {"community": {"id": "c", "name": "n"}, "grids": []}
    with pytest.raises(CalendarRangeError, match="2099-06-01 is outside the years"):
        plan_community(empty, on=date(2099, 6, 1))
    with pytest.raises(CalendarRangeError, match="2032-02-29 is outside the years"):
        plan_community(empty, on=date(2031, 12, 1))  # the horizon, 90 days on, is not covered
    # A horizon past what a date can hold is refused when the policy is read ...
    with pytest.raises(InvalidInputError, match="at most 36500 days"):
        Policy.from_document(
            {"version": "long", "amendments": [
                {"effective_from": "2026-01-01", "changes": {"followup.horizon_days": 3_000_000}}
            ]}
        )  # fmt: skip
    # ... and the longest one it takes, from the last date a plan takes, fails at once.
    longest = Policy.from_document(
        {"version": "long", "amendments": [
            {"effective_from": "2026-01-01", "changes": {"followup.horizon_days": 36_500}}
        ]}
    )  # fmt: skip
    with pytest.raises(CalendarRangeError, match="36500 days after 9998-12-31"):
        plan_community(empty, on=date(9998, 12, 31), policy=longest)


# --- messy registries: nothing lost ------------------------------------------------------


def _tiny(**lists: list[dict[str, Any]]) -> dict[str, Any]:
    return {"community": {"id": "c", "name": "东风社区"}, "grids": ["g1", "g2"], **lists}


RED = {"birth_date": "1940-01-01", "living_arrangement": "alone", "dementia": True, "grid": "g1"}
CHILD = {
    "birth_date": "2016-01-01",
    "parents": [{"status": "working_away"}, {"status": "working_away"}],
    "guardian": "grandparents",
    "grid": "g1",
}


def _accounts_for_every_record(doc: dict[str, Any], plan: Any) -> dict[str, str]:
    """Per list, ``used`` and the rejections are the records in, by index; path -> code."""
    paths = {r.path: r.code for r in plan.rejections}
    for key in RECORD_LISTS:
        given = doc.get(key, [])
        rejected = [i for i in range(len(given)) if f"$.{key}[{i}]" in paths]
        assert len(plan.used[key]) + len(rejected) == len(given), key
        assert sum(p.startswith(f"$.{key}[") for p in paths) == len(rejected), key
    assert all("[" in p for p in paths), "every rejection points at a record"
    return paths


def test_an_older_resident_and_a_child_with_one_id_are_not_merged() -> None:
    doc = _tiny(elderly=[dict(RED, id="p1")], children=[dict(CHILD, id="p1")])
    plan = plan_community(doc, on=DEMO_DATE)
    paths = _accounts_for_every_record(doc, plan)
    assert paths == {"$.children[0]": "duplicate_id"}
    (case,) = plan.followups
    assert (case.case_id, case.kind.value, case.level) == ("p1", "elderly", "red")


def test_a_snapshot_built_in_python_is_checked_like_a_document() -> None:
    from community_care import ElderlyProfile

    doc = _tiny(elderly=[dict(RED, id="p1"), dict(RED, id="p1", living_arrangement="with_family")])
    snapshot = CommunitySnapshot(
        community=structure(doc["community"], type(load_snapshot(doc).snapshot.community)),
        grids=("g1", "g2"),
        elderly=tuple(structure(e, ElderlyProfile) for e in doc["elderly"]),
    )
    for source in (doc, snapshot):
        plan = plan_community(source, on=DEMO_DATE)
        assert {r.path: r.code for r in plan.rejections} == {"$.elderly[1]": "duplicate_id"}
        assert plan.elderly[0].reasons[0].code != "" and len(plan.elderly) == 1
        (case,) = plan.followups
        assert case.level == "red"  # the first record's cadence, not the second's


def test_a_recorded_need_that_takes_a_drawn_up_id_is_rejected_at_its_index() -> None:
    wish = {
        "id": "w1",
        "child_id": "c1",
        "item": "书包",
        "collected_on": "2026-11-01",
        "grid": "g1",
    }
    recorded = {
        "id": "wish:w1", "category": "sewing", "urgency": "low", "grid": "g1",
        "needed_by": None, "source": "micro_project", "beneficiary": None,
    }  # fmt: skip
    other = dict(recorded, id="n2")
    doc = _tiny(children=[dict(CHILD, id="c1")], micro_wishes=[wish], needs=[recorded, other])
    plan = plan_community(doc, on=DEMO_DATE)
    paths = _accounts_for_every_record(doc, plan)
    assert paths == {"$.needs[0]": "duplicate_id"}
    assert plan.used["needs"] == ("n2",)
    drawn = next(n for n in plan.needs if n.id == "wish:w1")
    assert drawn.category == "micro_wish"  # the micro-wish's need, not the recorded one


def test_references_to_what_the_snapshot_lacks_are_rejections() -> None:
    wish = {"id": "w1", "child_id": "nobody", "item": "书包", "collected_on": "2026-11-01"}
    doc = _tiny(
        elderly=[dict(RED, id="e1"), dict(RED, id="e2", grid="g9")],
        children=[dict(CHILD, id="c1")],
        micro_wishes=[wish],
        followups=[
            unstructure(open_followup("ghost", "elderly", "red", on=DEMO_DATE)),
            unstructure(open_followup("c1", "elderly", "red", on=DEMO_DATE)),
            unstructure(open_followup("e1", "elderly", "red", on=DEMO_DATE)),
        ],
    )
    plan = plan_community(doc, on=DEMO_DATE)
    paths = _accounts_for_every_record(doc, plan)
    assert paths == {
        "$.elderly[1]": "unknown_reference",
        "$.micro_wishes[0]": "unknown_reference",
        "$.followups[0]": "unknown_reference",
        "$.followups[1]": "unknown_reference",
    }
    messages = {r.path: r.message for r in plan.rejections}
    assert "'g9'" in messages["$.elderly[1]"]
    assert "child" in messages["$.followups[1]"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_snapshots())
def test_a_messy_registry_loses_nothing(doc: dict[str, Any]) -> None:
    plan = plan_community(doc, on=DEMO_DATE)
    _accounts_for_every_record(doc, plan)
    # Every assessed person has exactly one follow-up case, of their own kind.
    cases = {f.case_id: f.kind.value for f in plan.followups}
    assert len(cases) == len(plan.followups)
    for a in plan.elderly:
        assert cases[a.resident_id] == "elderly"
    for c in plan.children:
        if c.assessment.risk is not None:
            assert cases[c.assessment.child_id] == "child"
    # Every recorded need that was used is matched or has its reason, once.
    met = set(plan.matching.assignments) | set(plan.matching.unmatched)
    assert set(plan.used["needs"]) <= met
