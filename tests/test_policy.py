from datetime import date

import pytest

from community_care import InvalidInputError, Policy, default_policy
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
