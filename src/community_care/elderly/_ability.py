"""The national ability assessment of older people, GB/T 42195-2022 老年人能力评估规范 (spec §2.1).

26 item scores in four dimensions add up to a total out of 90; the total gives the
initial level, 0 (能力完好) to 4 (能力完全丧失); the standard's own adjustments
(能力等级变更依据) then give the final level: coma is level 4 directly, and a diagnosed
dementia, another psychiatric diagnosis, or two or more care-risk events in 30 days
raise the level by one (one raise in all), at most to 4. The level thresholds are
dated policy parameters (``elderly.ability_level_min_totals``,
``elderly.care_risk_events_raise_min``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from community_care._kernel.checks import check_date, check_policy, fail
from community_care._kernel.fields import int_field
from community_care._kernel.frozen import FrozenMapping
from community_care._kernel.text import word
from community_care.errors import InputProblem, InvalidInputError
from community_care.policy import ElderlyRules, Policy, default_policy
from community_care.reasons import Reason
from community_care.serialization import structure

__all__ = [
    "ABILITY_DIMENSIONS",
    "ABILITY_ITEM_MAXIMA",
    "AbilityAssessment",
    "AbilityItems",
    "assess_ability",
]

#: The four first-level indicators (一级指标) of GB/T 42195-2022, in the standard's order,
#: each with its items: (key, Chinese name, maximum).
_ITEMS: tuple[tuple[str, tuple[tuple[str, str, int], ...]], ...] = (
    (
        "self_care",  # 自理能力
        (
            ("eating", "进食", 4),
            ("grooming", "修饰", 4),
            ("bathing", "洗澡", 4),
            ("dressing_upper", "穿/脱上衣", 4),
            ("dressing_lower", "穿/脱裤子和鞋袜", 4),
            ("urine_control", "小便控制", 4),
            ("bowel_control", "大便控制", 4),
            ("toileting", "如厕", 4),
        ),
    ),
    (
        "mobility",  # 基础运动能力
        (
            ("bed_mobility", "床上体位转移", 4),
            ("transfer", "床椅转移", 4),
            ("walking", "平地行走", 4),
            ("stairs", "上下楼梯", 3),
        ),
    ),
    (
        "mental",  # 精神状态
        (
            ("time_orientation", "时间定向", 4),
            ("place_orientation", "空间定向", 4),
            ("person_orientation", "人物定向", 4),
            ("memory", "记忆", 4),
            ("comprehension", "理解能力", 4),
            ("expression", "表达能力", 4),
            ("aggression", "攻击行为", 1),
            ("depression", "抑郁症状", 1),
            ("consciousness", "意识水平", 2),
        ),
    ),
    (
        "perception_social",  # 感知觉与社会参与
        (
            ("vision", "视力", 2),
            ("hearing", "听力", 2),
            ("daily_affairs", "执行日常事务", 4),
            ("going_out", "使用交通工具外出", 3),
            ("social_interaction", "社会交往能力", 4),
        ),
    ),
)

#: The dimensions of the results, in the standard's order.
ABILITY_DIMENSIONS: tuple[str, ...] = tuple(d for d, _ in _ITEMS)

#: Every item's maximum score, in the standard's order (they add up to 90).
ABILITY_ITEM_MAXIMA: Mapping[str, int] = FrozenMapping(
    (key, maximum) for _, items in _ITEMS for key, _, maximum in items
)

_DIMENSION_ZH = {
    "self_care": "自理能力",
    "mobility": "基础运动能力",
    "mental": "精神状态",
    "perception_social": "感知觉与社会参与",
}
_NAMES = {key: (name, dimension) for dimension, items in _ITEMS for key, name, _ in items}

# The highest total of the standard: the sum of the maxima.
MAX_TOTAL = sum(ABILITY_ITEM_MAXIMA.values())


def _item(key: str) -> Any:
    """The field of one item: an integer from 0 to its maximum (null only in a coma)."""
    name, dimension = _NAMES[key]
    maximum = ABILITY_ITEM_MAXIMA[key]
    coma_item = key == "consciousness"
    field = int_field(minimum=0, maximum=maximum, optional=not coma_item)
    description = f"{name}（{_DIMENSION_ZH[dimension]}），0-{maximum} 分"
    if coma_item:
        description += "：2 清醒，1 嗜睡或昏睡，0 昏迷"
    else:
        description += "；意识水平为 0（昏迷）时可为 null"
    field.metadata["schema"]["description"] = description
    return field


@attrs.frozen(kw_only=True)
class AbilityItems:
    """The 26 item scores of a GB/T 42195-2022 assessment (老年人能力评估), an input model.

    Every key is required. Each score is an integer from 0 to the item's maximum, higher
    is more able (for ``aggression`` and ``depression`` 1 means the behaviour or symptom
    is absent; ``consciousness`` is 2 clear, 1 drowsy or stuporous, 0 coma). When
    ``consciousness`` is 0 the other items may be null (a person in a coma is not scored
    item by item); otherwise none may be.

    Examples:
        >>> items = AbilityItems.full()
        >>> items.total, items.consciousness
        (90, 2)
        >>> attrs.evolve(items, eating=None)
        Traceback (most recent call last):
        ...
        community_care.errors.InvalidInputError: invalid input: $.eating: expected an integer \
from 0 to 4 (null only when consciousness is 0, coma), got None
    """

    # 自理能力 self-care (32)
    eating: int | None = _item("eating")
    grooming: int | None = _item("grooming")
    bathing: int | None = _item("bathing")
    dressing_upper: int | None = _item("dressing_upper")
    dressing_lower: int | None = _item("dressing_lower")
    urine_control: int | None = _item("urine_control")
    bowel_control: int | None = _item("bowel_control")
    toileting: int | None = _item("toileting")
    # 基础运动能力 mobility (15)
    bed_mobility: int | None = _item("bed_mobility")
    transfer: int | None = _item("transfer")
    walking: int | None = _item("walking")
    stairs: int | None = _item("stairs")
    # 精神状态 mental state (28)
    time_orientation: int | None = _item("time_orientation")
    place_orientation: int | None = _item("place_orientation")
    person_orientation: int | None = _item("person_orientation")
    memory: int | None = _item("memory")
    comprehension: int | None = _item("comprehension")
    expression: int | None = _item("expression")
    aggression: int | None = _item("aggression")
    depression: int | None = _item("depression")
    consciousness: int = _item("consciousness")
    # 感知觉与社会参与 perception and social participation (15)
    vision: int | None = _item("vision")
    hearing: int | None = _item("hearing")
    daily_affairs: int | None = _item("daily_affairs")
    going_out: int | None = _item("going_out")
    social_interaction: int | None = _item("social_interaction")

    def __attrs_post_init__(self) -> None:
        if self.consciousness == 0:
            return
        problems = [
            InputProblem(
                f"$.{key}",
                f"expected an integer from 0 to {maximum} (null only when consciousness"
                " is 0, coma), got None",
            )
            for key, maximum in ABILITY_ITEM_MAXIMA.items()
            if getattr(self, key) is None
        ]
        if problems:
            raise InvalidInputError(problems)

    @classmethod
    def full(cls, **scores: int | None) -> AbilityItems:
        """Every item at its maximum (a total of 90), but for the ``scores`` given.

        Examples:
            >>> AbilityItems.full(stairs=1, memory=2).total
            86
        """
        given: dict[str, Any] = {**ABILITY_ITEM_MAXIMA, **scores}
        return cls(**given)

    @property
    def coma(self) -> bool:
        """Whether ``consciousness`` is 0 (昏迷)."""
        return self.consciousness == 0

    @property
    def dimensions(self) -> Mapping[str, int | None]:
        """Each dimension's subtotal, in the standard's order; null when an item in it is null."""
        out: dict[str, int | None] = {}
        for dimension, items in _ITEMS:
            scores = [getattr(self, key) for key, _, _ in items]
            out[dimension] = None if None in scores else sum(scores)
        return FrozenMapping.adopt(out)

    @property
    def total(self) -> int | None:
        """The sum of the 26 scores (0-90); null when any item is null."""
        subtotals = self.dimensions.values()
        return None if None in subtotals else sum(s for s in subtotals if s is not None)


@attrs.frozen(kw_only=True)
class AbilityAssessment:
    """The result of a GB/T 42195-2022 assessment: total, subtotals, levels and why.

    A result model (computed, never read). ``dimensions`` maps ``self_care``,
    ``mobility``, ``mental`` and ``perception_social`` (in that order) to their
    subtotals (null when an item in it is null). ``initial_level`` is the level of
    ``total`` (null when the total is); ``final_level`` the level after the standard's
    adjustments. ``reasons`` say how: ``ability_band`` (the total's band and the
    initial level), ``coma``, ``dementia_raise``, ``psychiatric_raise``,
    ``care_risk_events_raise``; each carries the level it gives as its ``effect``.
    """

    total: int | None
    dimensions: Mapping[str, int | None]
    initial_level: int | None
    final_level: int
    reasons: tuple[Reason, ...]
    policy_version: str
    on: date | None = None

    @property
    def raised(self) -> bool:
        """Whether the final level is above the initial one (a raise or a coma)."""
        return self.initial_level is None or self.final_level > self.initial_level


def level_of(total: int, rules: ElderlyRules) -> int:
    """The initial level of a total under ``rules`` (0 from the first threshold on, ...)."""
    for level, minimum in enumerate(rules.ability_level_min_totals):
        if total >= minimum:
            return level
    return len(rules.ability_level_min_totals)


def _band(level: int, rules: ElderlyRules) -> str:
    """The totals of a level: ``"66-89"``, ``"90"``, ``"0-29"``."""
    mins = rules.ability_level_min_totals
    low = mins[level] if level < len(mins) else 0
    high = MAX_TOTAL if level == 0 else mins[level - 1] - 1
    return str(low) if low == high else f"{low}-{high}"


def level_words(level: int, lang: str) -> str:
    """A level's name in ``zh`` or ``en`` (``能力完好``, ``mildly impaired``, ...)."""
    return word(f"ability.level.{level}", lang)


def _reason(code: str, level: int, zh: str, en: str) -> Reason:
    return Reason(code=code, dimension="ability", effect=str(level), zh=zh, en=en)


def ability_of(
    items: AbilityItems,
    *,
    dementia: bool,
    psychiatric_disorder: bool,
    care_risk_events_30_days: int,
    rules: ElderlyRules,
    policy_version: str,
    on: date | None,
) -> AbilityAssessment:
    """The assessment of checked arguments under one set of rules (no argument checks)."""
    total = items.total
    reasons: list[Reason] = []
    initial: int | None = None
    if total is not None:
        initial = level_of(total, rules)
        band = _band(initial, rules)
        reasons.append(
            _reason(
                "ability_band",
                initial,
                f"总分 {total}，属 {band} 分段：初评能力等级 {initial}，"
                f"{level_words(initial, 'zh')}（GB/T 42195-2022 老年人能力等级划分）",
                f"total {total}, in the band {band}: initial ability level {initial},"
                f" {level_words(initial, 'en')} (GB/T 42195-2022, ability levels)",
            )
        )
    if items.coma:
        final = 4
        reasons.append(
            _reason(
                "coma",
                final,
                "处于昏迷状态：直接评定为能力完全丧失（等级 4）"
                "（GB/T 42195-2022 能力等级变更依据）",
                "in a coma: level 4, complete loss of ability, directly"
                " (GB/T 42195-2022, grounds for changing the level)",
            )
        )
    else:
        assert initial is not None  # no item is null outside a coma
        final = min(initial + 1, 4)
        raises = []
        if dementia:
            raises.append(("dementia_raise", "确诊痴呆（F00-F03）", "diagnosed dementia (F00-F03)"))
        if psychiatric_disorder:
            raises.append(
                (
                    "psychiatric_raise",
                    "精神科专科医生诊断的其他精神和行为障碍（F04-F99）",
                    "another mental or behavioural disorder diagnosed by a psychiatrist (F04-F99)",
                )
            )
        if care_risk_events_30_days >= rules.care_risk_events_raise_min:
            raises.append(
                (
                    "care_risk_events_raise",
                    f"近 30 天内发生照护风险事件 {care_risk_events_30_days} 次"
                    f"（{rules.care_risk_events_raise_min} 次及以上）",
                    f"{care_risk_events_30_days} care-risk events in the last 30 days"
                    f" ({rules.care_risk_events_raise_min} or more)",
                )
            )
        if not raises:
            final = initial
        for code, zh, en in raises:
            reasons.append(
                _reason(
                    code,
                    final,
                    f"{zh}：在原有能力等级上提高一级，至等级 {final}（最高为 4；"
                    "多项情形合计只提高一级，GB/T 42195-2022 能力等级变更依据）",
                    f"{en}: the level is raised by one, to {final} (at most 4; one raise"
                    " however many grounds hold; GB/T 42195-2022, grounds for changing the"
                    " level)",
                )
            )
    return AbilityAssessment(
        total=total,
        dimensions=items.dimensions,
        initial_level=initial,
        final_level=final,
        reasons=tuple(reasons),
        policy_version=policy_version,
        on=on,
    )


def assess_ability(
    items: AbilityItems | Mapping[str, object],
    *,
    dementia: bool = False,
    psychiatric_disorder: bool = False,
    care_risk_events_30_days: int = 0,
    policy: Policy | None = None,
    on: date | None = None,
) -> AbilityAssessment:
    """The GB/T 42195-2022 ability level of an older person (spec §2.1), explained.

    Args:
        items: the 26 item scores, as :class:`AbilityItems` or as its plain form (a
            mapping, structured strictly).
        dementia: diagnosed dementia (ICD-10 F00-F03).
        psychiatric_disorder: another mental or behavioural disorder diagnosed by a
            psychiatrist (ICD-10 F04-F99).
        care_risk_events_30_days: care-risk events (falls, choking, suicide attempt,
            self-harm, wandering off) in the 30 days before the assessment.
        policy: the policy whose level thresholds apply; :func:`default_policy` when
            ``None``.
        on: the date whose thresholds apply. It may be left out only when the policy's
            thresholds are the same on every date (the default policy's are).

    Returns:
        The total, the dimension subtotals, the initial and final levels and the reasons.

    Raises:
        InvalidInputError: ``items`` is a mapping that is not a valid set of scores (each
            problem with its path, such as ``$.eating``).
        InvalidArgumentError: an argument of the wrong type; a negative count; no ``on``
            while the policy amends the thresholds.

    Examples:
        >>> a = assess_ability(AbilityItems.full(memory=0, stairs=0, walking=1,
        ...                                      daily_affairs=0, going_out=0, bathing=1),
        ...                    dementia=True)
        >>> a.total, a.initial_level, a.final_level, [r.code for r in a.reasons]
        (70, 1, 2, ['ability_band', 'dementia_raise'])
        >>> dict(a.dimensions)
        {'self_care': 29, 'mobility': 9, 'mental': 24, 'perception_social': 8}
    """
    func = "assess_ability"
    if isinstance(items, Mapping):
        items = structure(items, AbilityItems)
    elif not isinstance(items, AbilityItems):
        raise fail(func, "items", "AbilityItems(...) or a mapping of the 26 scores", items)
    for name, value in (("dementia", dementia), ("psychiatric_disorder", psychiatric_disorder)):
        if not isinstance(value, bool):
            raise fail(func, name, "True or False", value)
    if (
        not isinstance(care_risk_events_30_days, int)
        or isinstance(care_risk_events_30_days, bool)
        or care_risk_events_30_days < 0
    ):
        raise fail(
            func, "care_risk_events_30_days", "an integer >= 0 such as 2", care_risk_events_30_days
        )
    policy = check_policy(func, policy) or default_policy()
    if on is None:
        rules = _undated_rules(policy)
    else:
        check_date(func, "on", on)
        rules = policy.at(on).elderly
    return ability_of(
        items,
        dementia=dementia,
        psychiatric_disorder=psychiatric_disorder,
        care_risk_events_30_days=care_risk_events_30_days,
        rules=rules,
        policy_version=policy.version,
        on=on,
    )


def _undated_rules(policy: Policy) -> ElderlyRules:
    """The rules in force whatever the date, when the ability thresholds never change."""
    starts = [date.min, *(a.effective_from for a in policy.amendments)]
    periods = [policy.at(start).elderly for start in starts]
    seen = {(r.ability_level_min_totals, r.care_risk_events_raise_min) for r in periods}
    if len(seen) > 1:
        raise fail(
            "assess_ability",
            "on",
            "a date such as date(2026, 11, 30): the policy amends the ability thresholds,"
            " so the date decides which apply",
            None,
        )
    return periods[0]
