"""The GB/T 42195-2022 ability assessment (spec §2.1) and the effective level of §2."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.strategies.elderly import (
    ability_items,
    coma_ability_items,
    elderly_profiles,
    invalid_ability_documents,
    scored_ability_items,
)

from community_care import (
    AbilityAssessment,
    AbilityItems,
    CommunitySnapshot,
    ElderlyProfile,
    HomeSafety,
    InvalidArgumentError,
    InvalidInputError,
    NotEligibleError,
    Policy,
    Rejection,
    assess_ability,
    assess_elderly,
    assess_many,
    explain,
    json_schema,
    plan_community,
    structure,
)
from community_care.elderly import ABILITY_DIMENSIONS, ABILITY_ITEM_MAXIMA
from community_care.html import render_html
from community_care.report import render_text

ON = date(2026, 11, 29)

# Spec §2.1, restated here so that the library is checked against the text, not itself.
SPEC_TABLE: dict[str, dict[str, int]] = {
    "self_care": {
        "eating": 4, "grooming": 4, "bathing": 4, "dressing_upper": 4, "dressing_lower": 4,
        "urine_control": 4, "bowel_control": 4, "toileting": 4,
    },
    "mobility": {"bed_mobility": 4, "transfer": 4, "walking": 4, "stairs": 3},
    "mental": {
        "time_orientation": 4, "place_orientation": 4, "person_orientation": 4, "memory": 4,
        "comprehension": 4, "expression": 4, "aggression": 1, "depression": 1,
        "consciousness": 2,
    },
    "perception_social": {
        "vision": 2, "hearing": 2, "daily_affairs": 4, "going_out": 3, "social_interaction": 4,
    },
}  # fmt: skip
CHINESE = {
    "eating": "进食", "grooming": "修饰", "bathing": "洗澡", "dressing_upper": "穿/脱上衣",
    "dressing_lower": "穿/脱裤子和鞋袜", "urine_control": "小便控制", "bowel_control": "大便控制",
    "toileting": "如厕", "bed_mobility": "床上体位转移", "transfer": "床椅转移",
    "walking": "平地行走", "stairs": "上下楼梯", "time_orientation": "时间定向",
    "place_orientation": "空间定向", "person_orientation": "人物定向", "memory": "记忆",
    "comprehension": "理解能力", "expression": "表达能力", "aggression": "攻击行为",
    "depression": "抑郁症状", "consciousness": "意识水平", "vision": "视力", "hearing": "听力",
    "daily_affairs": "执行日常事务", "going_out": "使用交通工具外出",
    "social_interaction": "社会交往能力",
}  # fmt: skip
MAXIMA = {key: m for items in SPEC_TABLE.values() for key, m in items.items()}


def spec_level(total: int) -> int:
    """The initial level of a total, as spec §2.1 words it."""
    if total == 90:
        return 0
    if 66 <= total <= 89:
        return 1
    if 46 <= total <= 65:
        return 2
    if 30 <= total <= 45:
        return 3
    return 4


def with_total(total: int, **flags: Any) -> AbilityItems:
    """Items adding up to ``total`` (2-90), consciousness clear: points taken off in order."""
    scores = dict(MAXIMA)
    lost = 90 - total
    for key in scores:
        if key == "consciousness":
            continue
        cut = min(lost, scores[key])
        scores[key] -= cut
        lost -= cut
    assert lost == 0
    return AbilityItems(**scores)


def person(age: int = 70, **fields: Any) -> ElderlyProfile:
    fields.setdefault("living_arrangement", "with_family")
    return ElderlyProfile(id="e", birth_date=date(ON.year - age, 1, 15), **fields)


# --- the table of items ---


def test_the_items_and_their_maxima_are_the_standards() -> None:
    assert dict(ABILITY_ITEM_MAXIMA) == MAXIMA
    assert list(ABILITY_ITEM_MAXIMA) == list(MAXIMA)  # the standard's order
    assert [a.name for a in attrs.fields(AbilityItems)] == list(MAXIMA)
    assert ABILITY_DIMENSIONS == ("self_care", "mobility", "mental", "perception_social")
    full = assess_ability(AbilityItems.full())
    assert full.total == 90
    assert dict(full.dimensions) == {"self_care": 32, "mobility": 15, "mental": 28,
                                     "perception_social": 15}  # fmt: skip
    assert list(full.dimensions) == list(ABILITY_DIMENSIONS)
    assert (full.initial_level, full.final_level) == (0, 0)


@pytest.mark.parametrize("key", list(MAXIMA))
def test_each_item_takes_0_to_its_maximum_and_nothing_else(key: str) -> None:
    for value in range(MAXIMA[key] + 1):
        if key == "consciousness" and value == 0:
            continue  # a coma, below
        assert getattr(AbilityItems.full(**{key: value}), key) == value
    for bad in (-1, MAXIMA[key] + 1, True, False, 1.0, "2"):
        with pytest.raises(InvalidInputError) as err:
            AbilityItems.full(**{key: bad})
        assert [p.path for p in err.value.problems] == [f"$.{key}"]


# --- properties ---


@given(ability_items, st.booleans(), st.booleans(), st.integers(0, 5))
def test_total_and_subtotals_are_the_sums_of_the_items(
    items: AbilityItems, dementia: bool, psychiatric: bool, events: int
) -> None:
    a = assess_ability(
        items, dementia=dementia, psychiatric_disorder=psychiatric, care_risk_events_30_days=events
    )
    scores = attrs.asdict(items)
    for dimension, keys in SPEC_TABLE.items():
        values = [scores[k] for k in keys]
        assert a.dimensions[dimension] == (None if None in values else sum(values))
    values = list(scores.values())
    assert a.total == (None if None in values else sum(values))
    assert a.initial_level == (None if a.total is None else spec_level(a.total))


@given(ability_items, st.booleans(), st.booleans(), st.integers(0, 5))
@example(with_total(70), True, False, 0)
@example(with_total(20), True, True, 3)
def test_the_final_level_is_at_most_one_above_the_initial_but_coma_is_4(
    items: AbilityItems, dementia: bool, psychiatric: bool, events: int
) -> None:
    a = assess_ability(
        items, dementia=dementia, psychiatric_disorder=psychiatric, care_risk_events_30_days=events
    )
    codes = [r.code for r in a.reasons]
    if items.consciousness == 0:
        assert a.final_level == 4
        assert a.raised == (a.initial_level != 4)
        assert codes == (["ability_band"] if a.total is not None else []) + ["coma"]
        return
    assert a.initial_level is not None
    assert a.initial_level <= a.final_level <= min(a.initial_level + 1, 4)
    grounds = [
        code
        for code, holds in (
            ("dementia_raise", dementia),
            ("psychiatric_raise", psychiatric),
            ("care_risk_events_raise", events >= 2),
        )
        if holds
    ]
    assert codes == ["ability_band", *grounds]  # each ground listed, one raise in all
    assert a.final_level == (min(a.initial_level + 1, 4) if grounds else a.initial_level)
    assert a.raised == (bool(grounds) and a.initial_level < 4)
    assert all(r.effect == str(a.final_level) for r in a.reasons[1:])
    assert a.reasons[0].effect == str(a.initial_level)


@given(ability_items, st.booleans(), st.booleans(), st.integers(0, 5), st.data())
def test_lowering_an_item_never_lowers_the_level(
    items: AbilityItems, dementia: bool, psychiatric: bool, events: int, data: st.DataObject
) -> None:
    scored = [k for k, v in attrs.asdict(items).items() if v]
    if not scored:
        return
    key = data.draw(st.sampled_from(scored))
    lower = attrs.evolve(items, **{key: getattr(items, key) - data.draw(st.integers(1, 4))
                                   if getattr(items, key) >= 4 else 0})  # fmt: skip
    flags: dict[str, Any] = {
        "dementia": dementia,
        "psychiatric_disorder": psychiatric,
        "care_risk_events_30_days": events,
    }
    before, after = assess_ability(items, **flags), assess_ability(lower, **flags)
    assert after.final_level >= before.final_level
    if before.initial_level is not None and after.initial_level is not None:
        assert after.initial_level >= before.initial_level


@pytest.mark.parametrize(
    ("total", "level"),
    [(90, 0), (89, 1), (66, 1), (65, 2), (46, 2), (45, 3), (30, 3), (29, 4), (2, 4)],
)
def test_every_band_boundary_on_both_sides(total: int, level: int) -> None:
    a = assess_ability(with_total(total))
    assert (a.total, a.initial_level, a.final_level) == (total, level, level)
    assert [r.code for r in a.reasons] == ["ability_band"]
    raised = assess_ability(with_total(total), psychiatric_disorder=True)
    assert raised.final_level == min(level + 1, 4)


def test_the_worked_example_dementia_total_70_is_level_1_raised_to_2() -> None:
    a = assess_ability(with_total(70), dementia=True)
    assert (a.total, a.initial_level, a.final_level) == (70, 1, 2)
    band, raise_ = a.reasons
    assert band.code == "ability_band" and "66-89" in band.zh and "66-89" in band.en
    assert "GB/T 42195-2022" in band.zh and "老年人能力等级划分" in band.zh
    assert raise_.code == "dementia_raise" and "能力等级变更依据" in raise_.zh
    assert "F00-F03" in raise_.en and "raised by one, to 2" in raise_.en


def test_a_coma_is_level_4_directly_and_may_leave_the_items_unscored() -> None:
    unscored = structure({**dict.fromkeys(MAXIMA), "consciousness": 0}, AbilityItems)
    a = assess_ability(unscored, dementia=True, care_risk_events_30_days=5)
    assert (a.total, a.initial_level, a.final_level) == (None, None, 4)
    assert set(a.dimensions.values()) == {None}
    assert [r.code for r in a.reasons] == ["coma"]
    assert "昏迷" in a.reasons[0].zh and "能力等级变更依据" in a.reasons[0].zh
    scored = assess_ability(AbilityItems.full(consciousness=0))
    assert (scored.total, scored.initial_level, scored.final_level) == (88, 1, 4)
    assert [r.code for r in scored.reasons] == ["ability_band", "coma"]


def test_care_risk_events_raise_from_two() -> None:
    assert assess_ability(with_total(50), care_risk_events_30_days=1).final_level == 2
    a = assess_ability(with_total(50), care_risk_events_30_days=2)
    assert a.final_level == 3 and [r.code for r in a.reasons][-1] == "care_risk_events_raise"


def test_the_raise_stops_at_4() -> None:
    a = assess_ability(with_total(10), dementia=True, psychiatric_disorder=True)
    assert (a.initial_level, a.final_level) == (4, 4)
    assert [r.code for r in a.reasons] == ["ability_band", "dementia_raise", "psychiatric_raise"]


# --- invalid input ---


@given(invalid_ability_documents())
def test_a_bad_item_document_names_the_path(case: tuple[dict[str, Any], str]) -> None:
    doc, path = case
    with pytest.raises(InvalidInputError) as err:
        structure(doc, AbilityItems)
    assert path in [p.path for p in err.value.problems]
    with pytest.raises(InvalidInputError) as err:
        assess_ability(doc)
    assert path in [p.path for p in err.value.problems]
    profile = {"id": "e", "birth_date": "1950-01-01", "living_arrangement": "alone",
               "ability_items": doc}  # fmt: skip
    with pytest.raises(InvalidInputError) as err:
        structure(profile, ElderlyProfile)
    assert "$.ability_items" + path[1:] in [p.path for p in err.value.problems]


def test_examples_of_bad_items_inside_a_profile() -> None:
    base = {"id": "e", "birth_date": "1950-01-01", "living_arrangement": "alone"}
    for items, path in [
        ({**MAXIMA, "eating": 5}, "$.ability_items.eating"),
        ({**MAXIMA, "stairs": True}, "$.ability_items.stairs"),
        ({k: v for k, v in MAXIMA.items() if k != "vision"}, "$.ability_items.vision"),
        ({**MAXIMA, "gait": 1}, "$.ability_items.gait"),
        ({**MAXIMA, "memory": None}, "$.ability_items.memory"),
        ({**MAXIMA, "consciousness": None}, "$.ability_items.consciousness"),
    ]:
        with pytest.raises(InvalidInputError) as err:
            structure({**base, "ability_items": items}, ElderlyProfile)
        assert [p.path for p in err.value.problems] == [path]
    with pytest.raises(
        InvalidInputError, match=r"\$\.ability_items: expected a AbilityItems or null"
    ):
        ElderlyProfile(id="e", birth_date=date(1950, 1, 1), living_arrangement="alone",
                       ability_items={"eating": 4})  # type: ignore[arg-type]  # fmt: skip
    for bad in ({"care_risk_events_30_days": -1}, {"psychiatric_disorder": 1}):
        with pytest.raises(InvalidInputError):
            structure({**base, **bad}, ElderlyProfile)


def test_null_items_outside_a_coma_are_each_named() -> None:
    with pytest.raises(InvalidInputError) as err:
        AbilityItems.full(eating=None, vision=None)
    assert [p.path for p in err.value.problems] == ["$.eating", "$.vision"]
    assert "null only when consciousness is 0" in str(err.value)


def test_assess_ability_refuses_misuse() -> None:
    full = AbilityItems.full()
    for kwargs in (
        {"items": "90"},
        {"items": full, "dementia": "yes"},
        {"items": full, "psychiatric_disorder": 1},
        {"items": full, "care_risk_events_30_days": -1},
        {"items": full, "care_risk_events_30_days": True},
        {"items": full, "care_risk_events_30_days": 2.0},
    ):
        with pytest.raises(InvalidArgumentError, match=r"^assess_ability\("):
            assess_ability(**kwargs)


def test_the_schema_names_each_item_in_chinese_with_its_maximum() -> None:
    schema = json_schema(AbilityItems)
    props = schema["properties"]
    assert list(props) == list(MAXIMA)
    assert schema["required"] == list(MAXIMA)
    assert schema["additionalProperties"] is False
    for key, maximum in MAXIMA.items():
        description = props[key]["description"]
        assert CHINESE[key] in description and f"0-{maximum}" in description, key
    assert props["consciousness"] == {
        "type": "integer", "minimum": 0, "maximum": 2,
        "description": props["consciousness"]["description"],
    }  # fmt: skip
    assert props["eating"]["anyOf"] == [
        {"type": "integer", "minimum": 0, "maximum": 4},
        {"type": "null"},
    ]
    profile = json_schema(ElderlyProfile)
    assert profile["properties"]["ability_items"] == {
        "anyOf": [{"$ref": "#/$defs/AbilityItems"}, {"type": "null"}],
        "x-pii": "sensitive",  # health data (spec §8)
    }
    assert "ability_items" not in profile["required"]
    assert profile["$defs"]["AbilityItems"]["properties"] == props
    assert profile["properties"]["care_risk_events_30_days"] == {
        "type": "integer",
        "minimum": 0,
        "x-pii": "sensitive",
    }
    assert profile["properties"]["psychiatric_disorder"] == {
        "type": "boolean",
        "x-pii": "sensitive",
    }


# --- the effective level in the elderly assessment ---


@given(
    scored_ability_items | coma_ability_items,
    st.booleans(),
    st.booleans(),
    st.integers(0, 4),
    elderly_profiles(),
)
def test_items_and_the_same_level_recorded_give_the_same_assessment(
    items: AbilityItems, dementia: bool, psychiatric: bool, events: int, base: ElderlyProfile
) -> None:
    flags: dict[str, Any] = {
        "dementia": dementia,
        "psychiatric_disorder": psychiatric,
        "care_risk_events_30_days": events,
    }
    level = assess_ability(items, **flags).final_level
    scored = attrs.evolve(base, ability_items=items, ability_level=None, **flags)
    recorded = attrs.evolve(base, ability_items=None, ability_level=level, **flags)
    agreeing = attrs.evolve(scored, ability_level=level)
    try:
        a = assess_elderly(scored, on=ON)
    except NotEligibleError:
        return
    b = assess_elderly(recorded, on=ON)
    c = assess_elderly(agreeing, on=ON)
    for other in (b, c):
        assert (other.tier, other.score, other.score_tier) == (a.tier, a.score, a.score_tier)
        assert [r.code for r in other.reasons] == [r.code for r in a.reasons]
        assert [r.points for r in other.reasons] == [r.points for r in a.reasons]
        assert other.interventions == a.interventions
    assert a.ability == assess_ability(items, **flags, on=ON)
    assert b.ability is None and c.ability == a.ability


def test_every_rule_uses_the_effective_level() -> None:
    # Total 60: level 2 from the items, nothing recorded.
    home = HomeSafety(floor=5, elevator=False, grab_bars=False)
    p = person(70, living_arrangement="alone", ability_items=with_total(60), home=home)
    a = assess_elderly(p, on=ON)
    codes = [r.code for r in a.reasons]
    assert {"ability_level", "stairs_without_elevator", "special_difficulty"} <= set(codes)
    assert {i.code for i in a.interventions} >= {"grab_bar_install", "emergency_call_device"}
    assert next(r.points for r in a.reasons if r.code == "ability_level") == 3
    # The same resident fully able: none of them.
    fine = assess_elderly(attrs.evolve(p, ability_items=AbilityItems.full()), on=ON)
    assert not {"ability_level", "stairs_without_elevator"} & {r.code for r in fine.reasons}
    assert not {"grab_bar_install", "emergency_call_device"} & {i.code for i in fine.interventions}
    assert fine.ability is not None and fine.ability.final_level == 0


def test_the_ability_level_reason_says_where_the_level_came_from() -> None:
    recorded = assess_elderly(person(ability_level=2), on=ON)
    reason = next(r for r in recorded.reasons if r.code == "ability_level")
    assert reason.zh == "能力等级 2（GB/T 42195-2022，登记值）"
    assert reason.en == "ability level 2 (GB/T 42195-2022, recorded)"
    assert recorded.ability is None
    computed = assess_elderly(person(ability_items=with_total(70), dementia=True), on=ON)
    reason = next(r for r in computed.reasons if r.code == "ability_level")
    assert reason.zh == "能力等级 2（GB/T 42195-2022，按评估项目计算，总分 70）"
    assert reason.en == "ability level 2 (GB/T 42195-2022, computed from the items, total 70)"
    assert reason.points == 3
    coma = assess_elderly(person(ability_items=AbilityItems.full(consciousness=0)), on=ON)
    reason = next(r for r in coma.reasons if r.code == "ability_level")
    assert reason.en == "ability level 4 (GB/T 42195-2022, computed from the items: coma)"
    assert "昏迷" in reason.zh


def test_explain_shows_the_ability_assessment() -> None:
    a = assess_elderly(person(ability_items=with_total(70), dementia=True), on=ON)
    en, zh = explain(a, "en"), explain(a, "zh")
    assert "Ability assessment (GB/T 42195-2022): total 70 (self-care 12, basic mobility 15," in en
    assert "level 2, moderately impaired" in en
    assert "能力评估（GB/T 42195-2022）：总分 70" in zh and "能力中度受损" in zh
    assert "initial ability level 1" in en and "raised by one, to 2" in en
    assert "Ability assessment" not in explain(assess_elderly(person(), on=ON), "en")
    coma = assess_elderly(
        person(ability_items=structure({**dict.fromkeys(MAXIMA), "consciousness": 0},
                                       AbilityItems)), on=ON)  # fmt: skip
    assert "total - (self-care -," in explain(coma, "en")


def test_level_0_from_the_items_gives_no_points_but_is_shown() -> None:
    a = assess_elderly(person(ability_items=AbilityItems.full()), on=ON)
    assert "ability_level" not in {r.code for r in a.reasons}
    assert isinstance(a.ability, AbilityAssessment) and a.ability.total == 90


def test_a_recorded_level_that_disagrees_with_the_items_is_invalid() -> None:
    p = person(ability_items=with_total(70), dementia=True, ability_level=1)
    with pytest.raises(InvalidInputError) as err:
        assess_elderly(p, on=ON)
    assert [pr.path for pr in err.value.problems] == ["$.ability_level"]
    assert "expected null or 2" in str(err.value)
    assert assess_elderly(attrs.evolve(p, ability_level=2), on=ON).tier

    good = attrs.evolve(p, id="ok", ability_level=None)
    results = list(assess_many([good, p, {**_doc(p), "id": "d"}], on=ON))
    assert not isinstance(results[0], Rejection)
    for i, r in enumerate(results[1:], start=1):
        assert isinstance(r, Rejection) and r.code == "invalid_input" and r.path == f"$[{i}]"
        assert f"$[{i}].ability_level" in r.message

    snapshot = structure(
        {"community": {"id": "k", "name": "K"}, "grids": [],
         "elderly": [_doc(good), _doc(attrs.evolve(p, id="bad"))]},
        CommunitySnapshot,
    )  # fmt: skip
    plan = plan_community(snapshot, on=ON)
    assert [a.resident_id for a in plan.elderly] == ["ok"]
    (rejection,) = plan.rejections
    assert (rejection.id, rejection.path, rejection.code) == (
        "bad",
        "$.elderly[1]",
        "invalid_input",
    )
    assert "$.elderly[1].ability_level" in rejection.message


def _doc(p: ElderlyProfile) -> dict[str, Any]:
    from community_care import unstructure

    doc: dict[str, Any] = unstructure(p)
    return doc


# --- the thresholds are dated policy ---


AMENDED = Policy.from_document(
    {
        "version": "local-2027",
        "amendments": [
            {
                "effective_from": "2027-01-01",
                "changes": {
                    "elderly.ability_level_min_totals": [90, 70, 46, 30],
                    "elderly.care_risk_events_raise_min": 3,
                },
            }
        ],
    }
)


def test_the_thresholds_change_on_their_date() -> None:
    items = with_total(68)
    before = assess_ability(items, policy=AMENDED, on=date(2026, 12, 31))
    after = assess_ability(items, policy=AMENDED, on=date(2027, 1, 1))
    assert (before.initial_level, after.initial_level) == (1, 2)
    assert (
        "70-89" in assess_ability(with_total(75), policy=AMENDED, on=date(2027, 1, 1)).reasons[0].en
    )
    assert assess_ability(items, policy=AMENDED, on=date(2027, 1, 1),
                          care_risk_events_30_days=2).final_level == 2  # fmt: skip
    assert assess_ability(items, policy=AMENDED, on=date(2026, 1, 1),
                          care_risk_events_30_days=2).final_level == 2  # fmt: skip
    assert after.policy_version == "local-2027" and after.on == date(2027, 1, 1)
    # Without a date the thresholds would be a guess: refused.
    with pytest.raises(InvalidArgumentError, match=r"assess_ability\(on=\.\.\.\)"):
        assess_ability(items, policy=AMENDED)
    # An amendment of other parameters leaves the undated call well defined.
    other = Policy().amend(date(2027, 1, 1), {"elderly.red_min": 9}, version="v")
    assert assess_ability(items, policy=other).initial_level == 1

    # A recorded level checked against the thresholds of the assessment's date.
    p = person(ability_items=items, ability_level=1)
    assert assess_elderly(p, on=date(2026, 12, 31), policy=AMENDED).ability is not None
    with pytest.raises(InvalidInputError, match=r"\$\.ability_level"):
        assess_elderly(p, on=date(2027, 1, 1), policy=AMENDED)


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"elderly.ability_level_min_totals": [90, 66, 46]}, "ability_level_min_totals"),
        ({"elderly.ability_level_min_totals": [90, 46, 66, 30]}, "ability_level_min_totals"),
        ({"elderly.ability_level_min_totals": [90, 66, 66, 30]}, "ability_level_min_totals"),
        ({"elderly.ability_level_min_totals": [90, 66, 46, 0]}, "ability_level_min_totals"),
        ({"elderly.ability_level_min_totals": [91, 66, 46, 30]}, "ability_level_min_totals"),
        ({"elderly.ability_level_min_totals": "90"}, "ability_level_min_totals"),
        ({"elderly.care_risk_events_raise_min": 0}, "care_risk_events_raise_min"),
        ({"elderly.care_risk_events_raise_min": True}, "care_risk_events_raise_min"),
    ],
)
def test_bad_thresholds_are_refused(changes: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        Policy().amend(date(2027, 1, 1), changes, version="bad")
    assert any(path in p.path for p in err.value.problems), err.value


# --- the reports ---


def test_the_reports_count_the_computed_levels() -> None:
    snapshot = structure(
        {"community": {"id": "k", "name": "K"}, "grids": [],
         "elderly": [_doc(person(ability_items=with_total(70), dementia=True)),
                     _doc(attrs.evolve(person(ability_level=1), id="r"))]},
        CommunitySnapshot,
    )  # fmt: skip
    plan = plan_community(snapshot, on=ON)
    assert "能力等级按《老年人能力评估规范》评估项目计算 1 人（等级 2：1 人），其余 1 人" in (
        render_text(plan, snapshot)
    )
    assert "item scores for 1 (level 2: 1); the other 1 recorded" in render_text(
        plan, snapshot, lang="en"
    )
    assert "能力等级按国标计算" in render_html(plan, snapshot)
    plain = plan_community(attrs.evolve(snapshot, elderly=snapshot.elderly[1:]), on=ON)
    assert "item scores" not in render_text(plain, lang="en")
    assert "Ability levels computed" not in render_html(plain, lang="en")
