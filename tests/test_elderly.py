from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.strategies import elderly_profiles

from community_care import (
    ElderlyAssessment,
    ElderlyProfile,
    HomeSafety,
    InvalidInputError,
    NotEligibleError,
    Policy,
    Rejection,
    assess_elderly,
    assess_many,
    explain,
)
from community_care.elderly import LivingArrangement, RiskTier

ON = date(2026, 11, 29)
RANK = {"green": 0, "yellow": 1, "red": 2}


def person(age: int = 70, **fields: Any) -> ElderlyProfile:
    born = date(ON.year - age, 1, 15)
    fields.setdefault("living_arrangement", "with_family")
    return ElderlyProfile(id="e", birth_date=born, **fields)


def codes(a: ElderlyAssessment) -> set[str]:
    return {r.code for r in a.reasons}


def points(a: ElderlyAssessment, code: str) -> int | None:
    return next(r.points for r in a.reasons if r.code == code)


@pytest.mark.parametrize(
    ("fields", "code", "pts"),
    [
        ({"ability_level": 1}, "ability_level", 1),
        ({"ability_level": 2}, "ability_level", 3),
        ({"ability_level": 3}, "ability_level", 5),
        ({"ability_level": 4}, "ability_level", 6),
        ({"dementia": True}, "dementia", 3),
        ({"severe_disability": True}, "severe_disability", 2),
        ({"chronic_conditions": 2}, "chronic_conditions", 1),
        ({"chronic_conditions": 3}, "chronic_conditions", 1),
        ({"chronic_conditions": 4}, "chronic_conditions", 2),
        ({"chronic_conditions": 9}, "chronic_conditions", 2),
        ({"falls_last_12_months": 1}, "falls", 1),
        ({"falls_last_12_months": 2}, "falls", 3),
        ({"falls_last_12_months": 5}, "falls", 3),
        ({"living_arrangement": "alone"}, "living_alone", 3),
        ({"living_arrangement": "with_spouse_only"}, "empty_nest", 1),
        ({"left_behind": True}, "left_behind", 1),
        ({"has_emergency_contact": False}, "no_emergency_contact", 2),
        ({"special_family": True}, "special_family", 2),
        ({"economic_status": "low_income"}, "economic_hardship", 1),
        ({"economic_status": "extreme_poverty"}, "economic_hardship", 2),
        ({"home": HomeSafety(smoke_alarm=False)}, "no_smoke_alarm", 1),
        ({"home": HomeSafety(safe_wiring=False)}, "unsafe_wiring", 2),
        ({"home": HomeSafety(grab_bars=False)}, "no_grab_bars", 1),
        ({"home": HomeSafety(floor=4), "ability_level": 1}, "stairs_without_elevator", 1),
    ],
)
def test_points_table(fields: dict[str, Any], code: str, pts: int) -> None:
    a = assess_elderly(person(**fields), on=ON)
    assert points(a, code) == pts


@pytest.mark.parametrize(
    ("fields", "absent"),
    [
        ({"chronic_conditions": 1}, "chronic_conditions"),
        ({"ability_level": 0}, "ability_level"),
        ({"ability_level": None}, "ability_level"),
        ({"home": HomeSafety(floor=3), "ability_level": 1}, "stairs_without_elevator"),
        (
            {"home": HomeSafety(floor=4, elevator=True), "ability_level": 1},
            "stairs_without_elevator",
        ),
        ({"home": HomeSafety(floor=9)}, "stairs_without_elevator"),
        ({"left_behind": True, "living_arrangement": "institution"}, "left_behind"),
        (
            {"home": HomeSafety(smoke_alarm=False), "living_arrangement": "institution"},
            "no_smoke_alarm",
        ),
    ],
)
def test_conditions_that_do_not_apply(fields: dict[str, Any], absent: str) -> None:
    assert absent not in codes(assess_elderly(person(**fields), on=ON))


@pytest.mark.parametrize(("age", "pts"), [(79, None), (80, 1), (89, 1), (90, 2), (104, 2)])
def test_advanced_age_boundaries(age: int, pts: int | None) -> None:
    a = assess_elderly(person(age), on=ON)
    assert (points(a, "advanced_age") if pts else None) == pts
    assert ("advanced_age" in codes(a)) == (pts is not None)


def test_age_is_taken_on_the_date_with_birthdays_on_29_february() -> None:
    p = ElderlyProfile(id="e", birth_date=date(1948, 2, 29), living_arrangement="with_family")
    with pytest.raises(NotEligibleError):
        assess_elderly(attrs.evolve(p, birth_date=date(1966, 11, 30)), on=ON)  # 59 until tomorrow
    assert assess_elderly(attrs.evolve(p, birth_date=date(1966, 11, 29)), on=ON).age == 60
    assert assess_elderly(p, on=date(2028, 2, 28)).age == 79
    assert assess_elderly(p, on=date(2028, 2, 29)).age == 80
    # relativedelta (the spec's rule) counts 28 February as the birthday in common years.
    assert assess_elderly(p, on=date(2027, 2, 27)).age == 78
    assert assess_elderly(p, on=date(2027, 2, 28)).age == 79


def test_under_60_is_not_eligible_and_unborn_is_invalid() -> None:
    with pytest.raises(NotEligibleError, match="applies from age 60"):
        assess_elderly(person(59), on=ON)
    with pytest.raises(InvalidInputError, match=r"\$\.birth_date"):
        assess_elderly(person(70), on=date(1950, 1, 1))


def test_home_dimension_is_capped_and_says_so() -> None:
    home = HomeSafety(smoke_alarm=False, safe_wiring=False, grab_bars=False, floor=6)
    a = assess_elderly(person(ability_level=1, home=home), on=ON)
    home_reasons = [r for r in a.reasons if r.dimension == "home"]
    assert [r.code for r in home_reasons] == [
        "no_smoke_alarm", "unsafe_wiring", "no_grab_bars", "stairs_without_elevator",
    ]  # fmt: skip
    assert sum(r.points or 0 for r in home_reasons) == 3
    assert a.dimension_scores["home"] == 3
    assert any(r.effect and "capped" in r.effect for r in home_reasons)
    assert a.score == 1 + 3


@pytest.mark.parametrize(
    ("score_fields", "tier"),
    [
        ({"chronic_conditions": 2, "home": HomeSafety(safe_wiring=False)}, "green"),  # 3
        ({"chronic_conditions": 4, "home": HomeSafety(safe_wiring=False)}, "yellow"),  # 4
        ({"ability_level": 3, "home": HomeSafety(safe_wiring=False)}, "yellow"),  # 7
        ({"ability_level": 4, "home": HomeSafety(safe_wiring=False)}, "red"),  # 8
    ],
)
def test_tier_thresholds(score_fields: dict[str, Any], tier: str) -> None:
    a = assess_elderly(person(**score_fields), on=ON)
    assert a.score_tier.value == tier
    if "ability_level" not in score_fields or score_fields["ability_level"] < 2:
        assert a.tier.value == tier


@pytest.mark.parametrize(
    ("fields", "floor", "tier"),
    [
        ({"age": 80, "living_arrangement": "alone"}, "very_old_limited_support", "red"),
        ({"age": 80, "living_arrangement": "with_spouse_only"}, "very_old_limited_support", "red"),
        ({"age": 85, "left_behind": True}, "very_old_limited_support", "red"),
        ({"dementia": True, "living_arrangement": "alone"}, "dementia_alone", "red"),
        ({"falls_last_12_months": 2, "living_arrangement": "alone"}, "repeated_falls_alone", "red"),
        ({"living_arrangement": "with_spouse_only"}, "special_difficulty", "yellow"),
        ({"left_behind": True}, "special_difficulty", "yellow"),
        ({"ability_level": 2}, "special_difficulty", "yellow"),
        ({"severe_disability": True}, "special_difficulty", "yellow"),
        ({"special_family": True}, "special_difficulty", "yellow"),
        ({"economic_status": "extreme_poverty"}, "special_difficulty", "yellow"),
    ],
)
def test_floors(fields: dict[str, Any], floor: str, tier: str) -> None:
    age = fields.pop("age", 70)
    a = assess_elderly(person(age, **fields), on=ON)
    assert floor in codes(a)
    assert RANK[a.tier.value] >= RANK[tier]
    reason = next(r for r in a.reasons if r.code == floor)
    assert reason.points is None and reason.effect == tier


@pytest.mark.parametrize(
    "fields",
    [
        {"age": 85, "living_arrangement": "institution", "left_behind": True},
        {"age": 79, "living_arrangement": "alone"},
        {"economic_status": "low_income"},
    ],
)
def test_floors_that_do_not_fire(fields: dict[str, Any]) -> None:
    age = fields.pop("age", 70)
    a = assess_elderly(person(age, **fields), on=ON)
    assert "very_old_limited_support" not in codes(a)
    if fields.get("living_arrangement") == "institution" or "economic_status" in fields:
        assert "special_difficulty" not in codes(a)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"age": 64}, set()),
        ({"age": 65}, {"health_check"}),
        ({"age": 64, "home": HomeSafety(smoke_alarm=False)}, {"smoke_alarm_install"}),
        ({"age": 64, "home": HomeSafety(safe_wiring=False)}, {"rewiring"}),
        ({"age": 64, "home": HomeSafety(grab_bars=False)}, set()),
        ({"age": 64, "home": HomeSafety(grab_bars=False), "ability_level": 1},
         {"grab_bar_install"}),
        ({"age": 64, "home": HomeSafety(grab_bars=False), "falls_last_12_months": 1},
         {"grab_bar_install"}),
        ({"age": 64, "living_arrangement": "alone"}, set()),
        ({"age": 64, "living_arrangement": "alone", "ability_level": 1},
         {"emergency_call_device"}),
        ({"age": 80, "living_arrangement": "alone"},
         {"emergency_call_device", "health_check", "companionship"}),
        ({"age": 64, "chronic_conditions": 1}, {"chronic_care"}),
        ({"age": 64, "living_arrangement": "institution",
          "home": HomeSafety(smoke_alarm=False, safe_wiring=False, grab_bars=False),
          "ability_level": 2}, set()),
        ({"age": 64, "living_arrangement": "alone", "dementia": True},
         {"companionship"}),
    ],
)  # fmt: skip
def test_interventions(fields: dict[str, Any], expected: set[str]) -> None:
    age = fields.pop("age")
    a = assess_elderly(person(age, **fields), on=ON)
    assert {i.code for i in a.interventions} == expected
    assert all(i.category == i.code for i in a.interventions)


# --- properties ---


@given(elderly_profiles())
@example(person(85, living_arrangement="alone", falls_last_12_months=3))
def test_reasons_explain_the_score_and_tier(p: ElderlyProfile) -> None:
    try:
        a = assess_elderly(p, on=ON)
    except NotEligibleError:
        assert a_age(p) < 60
        return
    assert sum(r.points or 0 for r in a.reasons) == a.score
    assert sum(a.dimension_scores.values()) == a.score
    assert a.dimension_scores["home"] <= 3
    floors = [r for r in a.reasons if r.dimension == "floor"]
    expected = max([RANK[a.score_tier.value]] + [RANK[str(r.effect)] for r in floors])
    assert RANK[a.tier.value] == expected
    assert a.score_tier.value == ("red" if a.score >= 8 else "yellow" if a.score >= 4 else "green")
    assert a.policy_version and a.on == ON
    assert assess_elderly(p, on=ON) == a  # deterministic and pure


def a_age(p: ElderlyProfile) -> int:
    from dateutil.relativedelta import relativedelta

    return relativedelta(ON, p.birth_date).years


RISK_FACTORS = [
    lambda p: attrs.evolve(p, falls_last_12_months=p.falls_last_12_months + 1),
    lambda p: attrs.evolve(p, chronic_conditions=p.chronic_conditions + 1),
    lambda p: (
        attrs.evolve(p, living_arrangement=LivingArrangement.ALONE)
        if p.living_arrangement is LivingArrangement.WITH_FAMILY
        else p
    ),
    lambda p: attrs.evolve(p, home=attrs.evolve(p.home, smoke_alarm=False)),
    lambda p: attrs.evolve(p, home=attrs.evolve(p.home, safe_wiring=False)),
    lambda p: attrs.evolve(p, ability_level=min(4, (p.ability_level or 0) + 1)),
    lambda p: attrs.evolve(p, dementia=True),
    lambda p: attrs.evolve(p, has_emergency_contact=False),
    lambda p: attrs.evolve(p, special_family=True),
]


@given(elderly_profiles(), st.sampled_from(range(len(RISK_FACTORS))))
def test_adding_a_risk_factor_never_lowers_tier_or_score(p: ElderlyProfile, k: int) -> None:
    try:
        before = assess_elderly(p, on=ON)
    except NotEligibleError:
        return
    after = assess_elderly(RISK_FACTORS[k](p), on=ON)
    assert after.score >= before.score
    assert RANK[after.tier.value] >= RANK[before.tier.value]


def test_policy_change_takes_effect_on_its_date() -> None:
    policy = Policy.from_document(
        {
            "version": "local-2027",
            "amendments": [{"effective_from": "2027-07-01", "changes": {"elderly.red_min": 10}}],
        }
    )
    p = person(70, ability_level=4, home=HomeSafety(safe_wiring=False))  # score 8
    before = assess_elderly(p, on=date(2027, 6, 30), policy=policy)
    after = assess_elderly(p, on=date(2027, 7, 1), policy=policy)
    assert (before.tier, after.tier) == (RiskTier.RED, RiskTier.YELLOW)
    assert after.policy_version == "local-2027"


def test_assess_many_streams_and_rejects() -> None:
    rows: list[Any] = [
        {"id": "a", "birth_date": "1950-01-01", "living_arrangement": "alone"},
        {"id": "b", "birth_date": "1990-01-01", "living_arrangement": "alone"},
        {"id": "c", "birth_date": "1950-01-01", "living_arrangement": "nowhere"},
        person(70),
        "not a record",
    ]
    results = list(assess_many(iter(rows), on=ON, path="$.elderly"))
    assert [type(r).__name__ for r in results] == [
        "ElderlyAssessment", "Rejection", "Rejection", "ElderlyAssessment", "Rejection",
    ]  # fmt: skip
    rejected = [r for r in results if isinstance(r, Rejection)]
    assert [(r.id, r.path, r.code) for r in rejected] == [
        ("b", "$.elderly[1]", "not_eligible"),
        ("c", "$.elderly[2]", "invalid_input"),
        (None, "$.elderly[4]", "invalid_input"),
    ]
    assert "$.elderly[2].living_arrangement" in rejected[1].message


def test_explain_in_both_languages() -> None:
    a = assess_elderly(person(85, living_arrangement="alone", name="李建国"), on=ON)
    zh, en = explain(a, "zh"), explain(a, "en")
    assert "红色" in zh and "独居" in zh and "建议" in zh
    assert "tier red" in en and "lives alone (+3)" in en
    assert "建国" not in zh + en + repr(a)
    assert "at least red by very_old_limited_support" in en
