import collections
import inspect
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.strategies.elderly import elderly_profiles

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
    default_policy,
    elderly,
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
    fields = dict(fields)  # the parameters are shared between runs: never change them
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
    fields = dict(fields)  # the parameters are shared between runs: never change them
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
    fields = dict(fields)  # the parameters are shared between runs: never change them
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
    lambda p: _less_able(p),
    lambda p: attrs.evolve(p, dementia=True),
    lambda p: attrs.evolve(p, has_emergency_contact=False),
    lambda p: attrs.evolve(p, special_family=True),
]


def _less_able(p: ElderlyProfile) -> ElderlyProfile:
    """One level more (a recorded level), or one item score less (with items)."""
    items = p.ability_items
    if items is None:
        return attrs.evolve(p, ability_level=min(4, (p.ability_level or 0) + 1))
    lowered = next((k for k, v in attrs.asdict(items).items() if v), None)
    if lowered is None:
        return p
    items = attrs.evolve(items, **{lowered: getattr(items, lowered) - 1})
    return attrs.evolve(p, ability_items=items, ability_level=None)


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
    assert explain(a) == zh  # Chinese unless asked otherwise
    assert elderly.explain(a) == zh  # the package's own function too
    assert "红色" in zh and "独居" in zh and "建议" in zh
    assert "tier red" in en and "lives alone (+3)" in en
    assert "建国" not in zh + en + repr(a)
    assert "at least red by very_old_limited_support" in en


# --- every field of every reason, intervention and line (they are what a caseworker reads) ---

EVERYTHING = {
    "living_arrangement": "alone",
    "left_behind": True,
    "ability_level": 3,
    "dementia": True,
    "severe_disability": True,
    "chronic_conditions": 4,
    "falls_last_12_months": 2,
    "special_family": True,
    "economic_status": "extreme_poverty",
    "has_emergency_contact": False,
    "home": HomeSafety(smoke_alarm=False, safe_wiring=False, grab_bars=False, floor=5),
}
CAPPED = "capped: the home dimension counts at most 3 points"


def test_every_reason_is_recorded_in_full() -> None:
    a = assess_elderly(person(90, **EVERYTHING), on=ON)
    assert [(r.code, r.dimension, r.points, r.effect, r.zh, r.en) for r in a.reasons] == [
        ("ability_level", "health", 5, None, "能力等级 3（GB/T 42195-2022，登记值）",
         "ability level 3 (GB/T 42195-2022, recorded)"),
        ("dementia", "health", 3, None, "确诊认知障碍", "diagnosed dementia"),
        ("severe_disability", "health", 2, None, "重度残疾（一、二级）",
         "severe disability (grade 1-2)"),
        ("chronic_conditions", "health", 2, None, "患慢性病 4 种", "4 chronic conditions"),
        ("falls", "health", 3, None, "近 12 个月跌倒 2 次", "2 falls in the last 12 months"),
        ("living_alone", "social", 3, None, "独居", "lives alone"),
        ("left_behind", "social", 1, None, "留守（子女在外地）",
         "left behind (children live in another city)"),
        ("no_emergency_contact", "social", 2, None, "无紧急联系人", "no emergency contact"),
        ("special_family", "social", 2, None, "计划生育特殊家庭", "family-planning special family"),
        ("economic_hardship", "social", 2, None, "经济困难：特困",
         "economic hardship: extreme poverty"),
        ("advanced_age", "social", 2, None, "高龄：90 岁", "advanced age: 90"),
        ("no_smoke_alarm", "home", 1, None, "家中无烟感报警器", "no smoke alarm at home"),
        ("unsafe_wiring", "home", 2, None, "家中电线老化或不安全", "unsafe wiring at home"),
        ("no_grab_bars", "home", 0, CAPPED, "家中无扶手", "no grab bars at home"),
        ("stairs_without_elevator", "home", 0, CAPPED, "住 5 楼、无电梯且行动能力受限",
         "lives on floor 5 without an elevator and with limited ability"),
        ("very_old_limited_support", "floor", None, "red",
         "高龄（80 岁以上）独居、空巢或留守：至少红色",
         "aged 80+ living alone, as an empty nest or left behind: at least red"),
        ("dementia_alone", "floor", None, "red", "认知障碍且独居：至少红色",
         "dementia and living alone: at least red"),
        ("repeated_falls_alone", "floor", None, "red", "反复跌倒且独居：至少红色",
         "repeated falls and living alone: at least red"),
        ("special_difficulty", "floor", None, "yellow",
         "特殊困难老年人（国家要求每月探访）：至少黄色",
         "older person in special difficulty (monthly visits are the national goal):"
         " at least yellow"),
    ]  # fmt: skip
    assert dict(a.dimension_scores) == {"health": 15, "social": 12, "home": 3}
    assert (a.score, a.tier, a.score_tier) == (30, RiskTier.RED, RiskTier.RED)
    assert [(i.code, i.category, i.urgency.value, i.reason) for i in a.interventions] == [
        ("smoke_alarm_install", "smoke_alarm_install", "high", "no_smoke_alarm"),
        ("rewiring", "rewiring", "high", "unsafe_wiring"),
        ("grab_bar_install", "grab_bar_install", "high", "no_grab_bars"),
        ("emergency_call_device", "emergency_call_device", "high", "living_alone"),
        ("health_check", "health_check", "high", "age"),
        ("chronic_care", "chronic_care", "high", "chronic_conditions"),
        ("companionship", "companionship", "high", "red_living_alone"),
    ]
    assert [i.message("en") for i in a.interventions][:2] == [
        "install a smoke alarm",
        "rewire the home",
    ]
    assert [i.message() for i in a.interventions][-1] == "陪伴探访"


def test_explain_word_for_word() -> None:
    q = person(
        82,
        living_arrangement="with_spouse_only",
        chronic_conditions=2,
        falls_last_12_months=1,
        economic_status="low_income",
        home=HomeSafety(grab_bars=False),
    )
    a = attrs.evolve(assess_elderly(q, on=ON), resident_id="e8")
    assert explain(a, "zh") == "\n".join(
        [
            "e8，82 岁，2026-11-29：红色（高风险）（评分 6；由 very_old_limited_support 提升至"
            "红色（高风险））",
            "- 患慢性病 2 种 (+1)",
            "- 近 12 个月跌倒 1 次 (+1)",
            "- 空巢（仅与配偶同住） (+1)",
            "- 经济困难：低保 (+1)",
            "- 高龄：82 岁 (+1)",
            "- 家中无扶手 (+1)",
            "- 高龄（80 岁以上）独居、空巢或留守：至少红色",
            "- 特殊困难老年人（国家要求每月探访）：至少黄色",
            "建议：安装扶手、免费年度体检、家庭医生慢病管理。",
            "政策版本 spec-v2。",
        ]
    )
    assert explain(a, "en") == "\n".join(
        [
            "e8, aged 82, on 2026-11-29: tier red (score 6; at least red by"
            " very_old_limited_support)",
            "- 2 chronic conditions (+1)",
            "- 1 falls in the last 12 months (+1)",
            "- empty nest (lives with spouse only) (+1)",
            "- economic hardship: low income (+1)",
            "- advanced age: 82 (+1)",
            "- no grab bars at home (+1)",
            "- aged 80+ living alone, as an empty nest or left behind: at least red",
            "- older person in special difficulty (monthly visits are the national goal):"
            " at least yellow",
            "Recommended: install grab bars, free annual health check, family-doctor chronic"
            " disease management.",
            "Policy spec-v2.",
        ]
    )
    capped = explain(assess_elderly(person(90, **EVERYTHING), on=ON), "en").splitlines()
    assert capped[0] == "e, aged 90, on 2026-11-29: tier red (score 30)"
    assert f"- no grab bars at home (+0) [{CAPPED}]" in capped
    assert "- dementia and living alone: at least red" in capped


def test_explain_without_interventions_or_a_raised_tier() -> None:
    a = assess_elderly(person(62, living_arrangement="with_family"), on=ON)
    assert explain(a, "en") == "e, aged 62, on 2026-11-29: tier green (score 0)\nPolicy spec-v2."
    assert explain(a) == "e，62 岁，2026-11-29：绿色（一般）（评分 0）\n政策版本 spec-v2。"


def test_born_on_the_day_is_not_eligible_and_after_it_is_invalid() -> None:
    with pytest.raises(NotEligibleError):
        assess_elderly(ElderlyProfile(id="e", birth_date=ON, living_arrangement="alone"), on=ON)
    later = ElderlyProfile(id="e", birth_date=date(2026, 11, 30), living_arrangement="alone")
    with pytest.raises(InvalidInputError) as info:
        assess_elderly(later, on=ON)
    assert [p.path for p in info.value.problems] == ["$.birth_date"]


def test_a_resident_id_of_another_birth_date_is_refused_on_construction() -> None:
    with pytest.raises(InvalidInputError) as info:
        ElderlyProfile(
            id="e",
            birth_date=date(1950, 1, 1),
            living_arrangement="alone",
            resident_id="11010519491231002X",
        )
    assert [p.path for p in info.value.problems] == ["$.resident_id"]


def test_assess_many_rejections_say_where_and_why() -> None:
    rows: list[object] = [
        person(50),
        {"id": "bad", "birth_date": "1950-01-01", "living_arrangement": "x"},
        person(70),
    ]
    out = list(assess_many(rows, on=ON))
    young, bad, ok = out
    assert isinstance(young, Rejection) and isinstance(bad, Rejection)
    assert (young.id, young.path, young.code) == ("e", "$[0]", "not_eligible")
    assert young.message and "60" in young.message
    assert (bad.id, bad.path, bad.code) == ("bad", "$[1]", "invalid_input")
    assert "$[1].living_arrangement" in bad.message
    assert isinstance(ok, ElderlyAssessment) and ok.policy_version == "spec-v2"
    (again,) = assess_many([person(50)], on=ON, path="$.elderly")
    assert isinstance(again, Rejection) and again.path == "$.elderly[0]"


def test_two_policies_on_the_same_day_each_count() -> None:
    strict = Policy.from_document(
        {
            "version": "strict",
            "amendments": [{"effective_from": "2020-01-01", "changes": {"elderly.red_min": 20}}],
        }
    )
    p = person(70, living_arrangement="alone", ability_level=3)  # 5 + 3 = 8 points
    assert assess_elderly(p, on=ON).tier is RiskTier.RED
    assert assess_elderly(p, on=ON, policy=strict).tier is RiskTier.YELLOW
    assert assess_elderly(p, on=ON).tier is RiskTier.RED
    assert assess_elderly(p, on=ON, policy=strict).policy_version == "strict"


def test_one_policy_object_used_twice_on_a_day() -> None:
    # The second call may reuse the rules of the first (same policy, same day): same result.
    strict = Policy.from_document(
        {
            "version": "strict",
            "amendments": [{"effective_from": "2020-01-01", "changes": {"elderly.red_min": 20}}],
        }
    )
    p = person(70, living_arrangement="alone", ability_level=3)
    first = assess_elderly(p, on=ON, policy=strict)
    second = assess_elderly(p, on=ON, policy=strict)
    assert first == second and second.tier is RiskTier.YELLOW
    (batch,) = assess_many([p], on=ON, policy=strict)
    assert batch == first


def test_the_birth_date_error_says_what_was_expected() -> None:
    later = ElderlyProfile(id="e", birth_date=date(2026, 11, 30), living_arrangement="alone")
    with pytest.raises(InvalidInputError) as info:
        assess_elderly(later, on=ON)
    assert info.value.problems[0].message == (
        "expected a birth date on or before 2026-11-29, got 2026-11-30"
    )


def test_a_rejected_record_keeps_only_a_string_id() -> None:
    rows = [
        {"id": 7, "birth_date": "1950-01-01", "living_arrangement": "alone"},
        {"id": "s", "birth_date": "1950-01-01", "living_arrangement": "nowhere"},
    ]
    numbered, named = assess_many(rows, on=ON)
    assert isinstance(numbered, Rejection) and numbered.id is None
    assert isinstance(named, Rejection) and named.id == "s"


# --- the batch's memo and builder ---

LOCAL = Policy.from_document(
    {
        "version": "local",
        "amendments": [
            {
                "effective_from": "2020-01-01",
                "changes": {"elderly.red_min": 6, "elderly.living_alone_points": 4},
            }
        ],
    }
)


def one_by_one(
    profiles: list[ElderlyProfile], policy: Policy | None
) -> list[ElderlyAssessment | str]:
    out: list[ElderlyAssessment | str] = []
    for p in profiles:
        try:
            out.append(assess_elderly(p, on=ON, policy=policy))
        except NotEligibleError:
            out.append("not_eligible")
    return out


def batch(profiles: list[ElderlyProfile], policy: Policy | None) -> list[ElderlyAssessment | str]:
    return [
        r.code if isinstance(r, Rejection) else r
        for r in assess_many(profiles, on=ON, policy=policy)
    ]


@given(
    st.lists(elderly_profiles(), min_size=1, max_size=12),
    st.lists(st.integers(0, 11), max_size=12),
    st.sampled_from([None, LOCAL]),
)
def test_a_batch_gives_what_each_profile_gives_alone(
    drawn: list[ElderlyProfile], repeats: list[int], policy: Policy | None
) -> None:
    # Repeats (the same record again, and a copy under another id and grid) hit the memo
    # of outcomes a batch keeps; each must still be exactly the assessment of its own.
    # Variants differing in one risk factor or in age share all the rest of their key.
    profiles = list(drawn)
    for k in repeats:
        again = drawn[k % len(drawn)]
        profiles += [
            again,
            attrs.evolve(again, id=again.id + "-copy", grid="other"),
            RISK_FACTORS[k % len(RISK_FACTORS)](again),
            attrs.evolve(again, birth_date=again.birth_date.replace(day=1), resident_id=None),
            attrs.evolve(again, left_behind=not again.left_behind),
            attrs.evolve(again, home=attrs.evolve(again.home, elevator=not again.home.elevator)),
        ]
    assert batch(profiles, policy) == one_by_one(profiles, policy)


@given(st.lists(elderly_profiles(), min_size=2, max_size=20))
def test_a_full_memo_keeps_no_more_and_still_assesses(
    profiles: list[ElderlyProfile],
) -> None:
    from community_care.elderly import _assessment as elderly

    limit = elderly._MEMO_LIMIT
    try:
        elderly._MEMO_LIMIT = 1
        assessor = elderly._Assessor(default_policy().at(ON).elderly, "spec-v2", ON)
        results = []
        for p in profiles:
            try:
                results.append(assessor.assess(p))
            except NotEligibleError:
                results.append("not_eligible")
        sizes = [len(m) for m in (assessor.health, assessor.social, assessor.home)]
        assert max(sizes) <= 1 and len(assessor.interventions) <= 1
    finally:
        elderly._MEMO_LIMIT = limit
    assert results == one_by_one(profiles, None)


def test_the_fast_builder_fills_every_field_in_order() -> None:
    from community_care import override as cc_override
    from community_care.elderly._assessment import _new_assessment

    a = assess_elderly(person(85, living_arrangement="alone", grid="g1"), on=ON)
    # With an override: the builder sets each field from its own argument.
    a = cc_override(a, level="red", by="Li", reason="seen at home", on=ON)
    values = attrs.asdict(a, recurse=False)
    assert values["override"] is not None
    built = _new_assessment(*values.values())
    assert built == ElderlyAssessment(**values) == a
    assert attrs.asdict(built, recurse=False) == values
    assert list(inspect.signature(_new_assessment).parameters) == list(values)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.score = 0  # type: ignore[misc]


def test_a_batch_works_each_outcome_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The memo is what makes a batch fast: the same inputs must not be worked out again.
    from community_care.elderly import _assessment as elderly

    calls: collections.Counter[str] = collections.Counter()
    for name in ("_health", "_social", "_home", "_interventions"):
        original = getattr(elderly._Assessor, name)

        def counted(self: Any, *key: Any, _name: str = name, _original: Any = original) -> Any:
            calls[_name] += 1
            return _original(self, *key)

        monkeypatch.setattr(elderly._Assessor, name, counted)
    p = person(85, living_arrangement="alone", home=HomeSafety(smoke_alarm=False), grid="g")
    twins = [attrs.evolve(p, id=f"e{i}") for i in range(3)]
    results = list(assess_many(twins, on=ON))
    assert calls == {"_health": 1, "_social": 1, "_home": 1, "_interventions": 1}
    assert [r.resident_id for r in results if isinstance(r, ElderlyAssessment)] == [
        "e0", "e1", "e2",
    ]  # fmt: skip
    assert results[0].reasons == results[2].reasons


# Spec §2: the dimension of every point-scoring code, and floors.
DIMENSION_OF = {
    "ability_level": "health",
    "dementia": "health",
    "severe_disability": "health",
    "chronic_conditions": "health",
    "falls": "health",
    "living_alone": "social",
    "empty_nest": "social",
    "left_behind": "social",
    "no_emergency_contact": "social",
    "special_family": "social",
    "economic_hardship": "social",
    "advanced_age": "social",
    "no_smoke_alarm": "home",
    "unsafe_wiring": "home",
    "no_grab_bars": "home",
    "stairs_without_elevator": "home",
    "very_old_limited_support": "floor",
    "dementia_alone": "floor",
    "repeated_falls_alone": "floor",
    "special_difficulty": "floor",
}


@given(elderly_profiles())
@example(person(70, living_arrangement="with_spouse_only"))
def test_every_reason_is_in_its_dimension(p: ElderlyProfile) -> None:
    try:
        a = assess_elderly(p, on=ON)
    except NotEligibleError:
        return
    assert all(r.dimension == DIMENSION_OF[r.code] for r in a.reasons)
    for dimension, score in a.dimension_scores.items():
        assert score == sum(r.points or 0 for r in a.reasons if r.dimension == dimension)
