from datetime import date

import pytest

from community_care import HomeSafety, InvalidInputError, Policy, default_policy, structure
from community_care.policy import Band, check_values


def test_default_policy_is_the_spec() -> None:
    v = default_policy().at(date(2026, 1, 1))
    assert (v.elderly.red_min, v.elderly.yellow_min, v.elderly.home_cap) == (8, 4, 3)
    assert v.linkage.suit("member_unit", "rewiring") == 10
    assert v.linkage.suit("resident", "rewiring") == 2
    assert dict(v.linkage.urgency_points) == {
        "critical": 1000,
        "high": 400,
        "normal": 200,
        "low": 100,
    }
    assert v.followup.child["medium"].grace_days == 3
    assert check_values(v) == []


def test_amendments_apply_from_their_date_and_round_trip() -> None:
    doc = {
        "version": "gz-2027",
        "amendments": [
            {"effective_from": "2027-07-01", "changes": {"elderly.red_min": 9}},
            {
                "effective_from": "2027-01-01",
                "changes": {
                    "linkage.suitability.volunteer.sewing": 3,
                    "elderly.chronic_bands": [[2, 1], [5, 3]],
                    "followup.elderly.red.grace_days": 2,
                    "elderly.intervention_urgency": {
                        "red": "critical",
                        "yellow": "high",
                        "green": "low",
                    },
                },
            },
        ],
    }
    p = Policy.from_document(doc)
    assert [a.effective_from for a in p.amendments] == [date(2027, 1, 1), date(2027, 7, 1)]
    assert p.at(date(2026, 12, 31)).elderly.red_min == 8
    assert p.at(date(2027, 6, 30)).elderly.red_min == 8
    assert p.at(date(2027, 7, 1)).elderly.red_min == 9
    v = p.at(date(2027, 1, 1))
    assert v.linkage.suit("volunteer", "sewing") == 3
    assert v.elderly.chronic_bands == (Band(2, 1), Band(5, 3))
    assert v.followup.elderly["red"].grace_days == 2
    assert Policy.from_document(p.to_document()) == p
    amended = p.amend(date(2028, 1, 1), {"elderly.min_age": 65}, version="gz-2028")
    assert amended.at(date(2028, 1, 1)).elderly.min_age == 65 and amended.version == "gz-2028"


def test_bad_documents_list_every_problem() -> None:
    doc = {
        "version": "",
        "extra": 1,
        "amendments": [
            {
                "effective_from": "2027-01-01",
                "changes": {
                    "elderly.red_min": 2,
                    "elderly.nope": 1,
                    "linkage.urgency_points.critical": -5,
                    "elderly.dementia_points": "three",
                },
            },
            {"effective_from": "2027-01-01", "changes": {"elderly.dementia_points": 1}},
            {"effective_from": "someday", "changes": {}},
            "junk",
        ],
    }
    with pytest.raises(InvalidInputError) as info:
        Policy.from_document(doc)
    paths = [p.path for p in info.value.problems]
    for expected in [
        "$.extra",
        "$.version",
        "$.amendments[0].changes['elderly.nope']",
        "$.amendments[0].changes['elderly.dementia_points']",
        "$.amendments[1].effective_from",
        "$.amendments[2].effective_from",
        "$.amendments[2].changes",
        "$.amendments[3]",
        "$.linkage.urgency_points.critical",
        "$.elderly.red_min",
    ]:
        assert expected in paths, (expected, paths)


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"elderly.ability_points": [0, 1, 2]}, "$.elderly.ability_points"),
        ({"elderly.falls_bands": [[2, 3], [1, 1]]}, "$.elderly.falls_bands"),
        ({"linkage.suitability.volunteer.sewing": 11}, "$.linkage.suitability.volunteer.sewing"),
        ({"linkage.urgency_points": {"critical": 1, "high": 2, "normal": 3, "low": 4}},
         "$.linkage.urgency_points"),
        ({"linkage.urgency_points": {"critical": 1}}, "$.linkage.urgency_points"),
        ({"followup.child.high.every": 0}, "$.followup.child.high.every"),
    ],
)  # fmt: skip
def test_values_are_checked(changes: dict[str, object], path: str) -> None:
    doc = {"version": "x", "amendments": [{"effective_from": "2027-01-01", "changes": changes}]}
    with pytest.raises(InvalidInputError) as info:
        Policy.from_document(doc)
    assert path in [p.path for p in info.value.problems]


@pytest.mark.parametrize(
    "doc",
    [
        [],
        {"version": "x", "amendments": {}},
        {"version": "x", "amendments": [{"effective_from": "2027-01-01", "changes": {"": 1}}]},
        {"version": "x", "amendments": [{"effective_from": "2027-01-01", "changes": {"x": 1}}]},
        {"version": "x", "amendments": [{"effective_from": date(2027, 1, 1), "q": 1,
                                         "changes": {"elderly.red_min.x": 1}}]},
        {"version": "x", "amendments": [{"effective_from": "2027-01-01",
                                         "changes": {"elderly.chronic_bands": 3}}]},
        {"version": "x", "amendments": [{"effective_from": "2027-01-01",
                                         "changes": {"elderly.intervention_urgency": []}}]},
        {"version": "x", "amendments": [{"effective_from": "2027-01-01", "changes": {
            "followup.child.high": {"every": 1, "z": 1}}}]},
        {"version": "x", "amendments": [{"effective_from": "2027-01-01",
                                         "changes": {"followup.child.high.unit": "year"}}]},
        {"version": "x", "amendments": [{"effective_from": "2027-01-01",
                                         "changes": {"followup.child.high.working_days_only": 1}}]},
        {"version": "x", "amendments": [{"effective_from": "2027-01-01",
                                         "changes": {"followup.child.high": 1}}]},
        {"version": "x", "amendments": [{"effective_from": "2027-01-01",
                                         "changes": {"elderly.intervention_urgency.red": 1}}]},
    ],
)  # fmt: skip
def test_malformed_documents(doc: object) -> None:
    with pytest.raises(InvalidInputError):
        Policy.from_document(doc)


def test_whole_followup_case_can_be_replaced() -> None:
    doc = {
        "version": "x",
        "amendments": [
            {
                "effective_from": "2027-01-01",
                "changes": {
                    "followup.child.high": {
                        "every": 3,
                        "unit": "day",
                        "working_days_only": True,
                        "first_visit_days": 1,
                        "grace_days": 1,
                    }
                },
            }
        ],
    }
    v = Policy.from_document(doc).at(date(2027, 1, 1))
    assert v.followup.child["high"].every == 3


def _one_amendment(changes: dict[str, object]) -> dict[str, object]:
    return {"version": "x", "amendments": [{"effective_from": "2027-01-01", "changes": changes}]}


def test_every_kind_of_problem_is_listed_at_once() -> None:
    doc = {
        "version": "gz",
        "amendments": [
            {
                "effective_from": "2027-01-01",
                "changes": {
                    "elderly.dementia_points": -1,  # negative points
                    "elderly.chronic_bands": [[2, -1], [4, 2]],  # a negative band
                    "followup.elderly.red.grace_days": -3,  # negative days
                    "elderly.yellow_min": 9,  # now above red_min (8): out of order
                    "elderly.no_such_rule": 1,  # unknown name
                    "linkage.suitability.volunteer.sewing": 10**30,  # huge
                },
            },
            {"effective_from": "2027-01-01", "changes": {"elderly.min_age": 65}},  # overlap
        ],
    }
    with pytest.raises(InvalidInputError) as info:
        Policy.from_document(doc)
    problems = {p.path: p.message for p in info.value.problems}
    for path in [
        "$.elderly.dementia_points",
        "$.elderly.chronic_bands[0].points",
        "$.followup.elderly.red.grace_days",
        "$.elderly.red_min",
        "$.amendments[0].changes['elderly.no_such_rule']",
        "$.amendments[0].changes['linkage.suitability.volunteer.sewing']",
        "$.amendments[1].effective_from",
    ]:
        assert path in problems, (path, sorted(problems))
    assert "overlaps amendment 0" in problems["$.amendments[1].effective_from"]
    assert "expected >= yellow_min (9), got 8" in problems["$.elderly.red_min"]
    assert "from 2027-01-01" in problems["$.elderly.dementia_points"]


def test_thresholds_out_of_order_only_in_a_later_period_are_found() -> None:
    doc = {
        "version": "x",
        "amendments": [
            {"effective_from": "2027-01-01", "changes": {"elderly.red_min": 10}},
            {"effective_from": "2028-01-01", "changes": {"elderly.yellow_min": 11}},
        ],
    }
    with pytest.raises(InvalidInputError) as info:
        Policy.from_document(doc)
    (problem,) = info.value.problems
    assert problem.path == "$.elderly.red_min" and "from 2028-01-01" in problem.message


_HIGH = "$.amendments[0].changes['followup.child.high']"


@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        (
            {"followup.child.high": {"every": 1, "unit": "week"}},
            # each missing field is a problem of its own, at its path
            [f"{_HIGH}.{f}" for f in ("working_days_only", "first_visit_days", "grace_days")],
        ),
        (
            {"elderly.intervention_urgency": {1: "high"}},
            ["$.amendments[0].changes['elderly.intervention_urgency']"],
        ),
        ({"followup.child.high.unit": ["week"]}, [f"{_HIGH[:-2]}.unit']"]),
        ({"elderly.red_min": 10**5000}, ["$.amendments[0].changes['elderly.red_min']"]),
        ({"elderly.red_min": 2.0}, ["$.amendments[0].changes['elderly.red_min']"]),
        ({"elderly.red_min": True}, ["$.amendments[0].changes['elderly.red_min']"]),
        ({"elderly.red_min": float("nan")}, ["$.amendments[0].changes['elderly.red_min']"]),
    ],
    ids=["missing-fields", "int-key", "list-enum", "huge", "float", "bool", "nan"],
)
def test_hostile_values_are_input_errors(changes: dict[object, object], paths: list[str]) -> None:
    with pytest.raises(InvalidInputError) as info:
        Policy.from_document(_one_amendment(changes))  # type: ignore[arg-type]  # hostile keys
    assert [problem.path for problem in info.value.problems] == paths
    assert len(str(info.value)) < 1000


def test_a_policy_changing_every_kind_of_value_round_trips() -> None:
    doc = {
        "version": "gz-2027",
        "amendments": [
            {
                "effective_from": "2027-01-01",
                "changes": {
                    "elderly.red_min": 9,
                    "elderly.ability_points": [0, 1, 2, 4, 6],
                    "elderly.falls_bands": [{"minimum": 1, "points": 1}, [3, 4]],
                    "elderly.intervention_urgency.green": "normal",
                    "children.review_months": {"high": 2, "medium": 4, "low": 6},
                    "linkage.suitability.resident.tutoring": 5,
                    "followup.child.low": {
                        "every": 2,
                        "unit": "month",
                        "working_days_only": False,
                        "first_visit_days": 7,
                        "grace_days": 7,
                    },
                    "ledger.rectification_days.gas": 0,
                },
            },
            {"effective_from": "2028-03-01", "changes": {"elderly.red_min": 10}},
        ],
    }
    policy = Policy.from_document(doc)
    again = Policy.from_document(policy.to_document())
    assert again == policy
    assert again.to_document() == policy.to_document()
    values = again.at(date(2027, 6, 1))
    assert values.elderly.falls_bands == (Band(1, 1), Band(3, 4))
    assert values.followup.child["low"].every == 2
    assert values.linkage.suit("resident", "tutoring") == 5
    assert again.at(date(2028, 3, 1)).elderly.red_min == 10
    assert again.at(date(2026, 12, 31)) == default_policy().at(date(2026, 12, 31))


@pytest.mark.parametrize("bad", ["three", 2.5, True, None, [3], {"n": 3}, 2**60])
def test_a_bad_number_gets_the_same_words_in_a_policy_and_in_a_record(bad: object) -> None:
    """One converter reads records and policy changes: the same value, the same message."""
    with pytest.raises(InvalidInputError) as in_record:
        structure({"floor": bad}, HomeSafety)
    with pytest.raises(InvalidInputError) as in_policy:
        Policy.from_document(_one_amendment({"elderly.red_min": bad}))
    ((record_problem,), (policy_problem,)) = (in_record.value.problems, in_policy.value.problems)
    assert record_problem.path == "$.floor"
    assert policy_problem.path == "$.amendments[0].changes['elderly.red_min']"
    assert policy_problem.message == record_problem.message
