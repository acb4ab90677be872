"""Categories of difficulty and the risk level of a child (spec §3), with reasons."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from community_care._kernel.checks import check_date, check_instance, check_policy
from community_care._kernel.fields import (
    age_on,
)
from community_care._kernel.text import word
from community_care.children._profile import ChildProfile, Guardian, ParentStatus, SchoolStatus
from community_care.errors import InvalidInputError, NotEligibleError
from community_care.overrides import Override
from community_care.policy import ChildRules, Policy, default_policy
from community_care.reasons import Reason
from community_care.vocab import ChildRisk, EconomicStatus

__all__ = [
    "ABSENT_PARENT_STATUSES",
    "UNABLE_PARENT_STATUSES",
    "ChildAssessment",
    "ChildCategory",
    "assess_child",
]


# --- categories and risk (spec §3) -----------------------------------------------------


class ChildCategory(enum.StrEnum):
    """A category of child in difficulty (困境儿童类别); a child may have several."""

    ORPHAN = "orphan"  # 孤儿
    DE_FACTO_UNSUPPORTED = "de_facto_unsupported"  # 事实无人抚养儿童
    POVERTY = "poverty"  # 因家庭贫困
    DISABILITY_OR_ILLNESS = "disability_or_illness"  # 因自身残疾或重病
    GUARDIANSHIP_DEFICIT = "guardianship_deficit"  # 监护缺失或监护不当
    LEFT_BEHIND = "left_behind"  # 留守儿童
    TEMPORARY_DIFFICULTY = "temporary_difficulty"  # 临时困境


#: The eight situations of the 2019 rules in which a living parent cannot raise the child.
UNABLE_PARENT_STATUSES: frozenset[ParentStatus] = frozenset(
    {
        ParentStatus.SEVERELY_DISABLED,  # 重残
        ParentStatus.SERIOUSLY_ILL,  # 重病
        ParentStatus.IMPRISONED,  # 服刑在押
        ParentStatus.COMPULSORY_REHAB,  # 强制隔离戒毒
        ParentStatus.RESTRICTED_LIBERTY,  # 被执行其他限制人身自由的措施
        ParentStatus.LOST_CONTACT,  # 失联
        ParentStatus.GUARDIANSHIP_REVOKED,  # 被撤销监护资格
        ParentStatus.DEPORTED,  # 被遣送（驱逐）出境
    }
)

#: A parent who is gone for good: dead, declared missing by a court, or never identified.
ABSENT_PARENT_STATUSES: frozenset[ParentStatus] = frozenset(
    {ParentStatus.DECEASED, ParentStatus.DECLARED_MISSING, ParentStatus.UNKNOWN}
)


def _reason(code: str, dimension: str, effect: str, zh: str, en: str) -> Reason:
    return Reason(code=code, dimension=dimension, effect=effect, zh=zh, en=en)


def _statuses(profile: ChildProfile, lang: str) -> str:
    """The parents' situations: their names in Chinese, their codes in English."""
    if lang == "zh":
        return "、".join(word(p.status, "zh") for p in profile.parents)
    return ", ".join(p.status.value for p in profile.parents)


def _categories(
    profile: ChildProfile, age: int, rules: ChildRules
) -> list[tuple[ChildCategory, Reason]]:
    """The categories that hold, in table order, each with its reason."""
    found: list[tuple[ChildCategory, Reason]] = []

    def add(category: ChildCategory, zh: str, en: str) -> None:
        found.append((category, _reason(category.value, "category", category.value, zh, en)))

    statuses = [p.status for p in profile.parents]
    absent = [s in ABSENT_PARENT_STATUSES for s in statuses]
    unable = [s in UNABLE_PARENT_STATUSES for s in statuses]
    orphan = all(absent)
    zh_statuses, en_statuses = _statuses(profile, "zh"), _statuses(profile, "en")
    if orphan:
        add(
            ChildCategory.ORPHAN,
            f"孤儿：父母双方均已死亡、被宣告失踪或身份不明（{zh_statuses}）",
            f"orphan: both parents deceased, declared missing or unknown ({en_statuses})",
        )
    if not orphan and all(a or u for a, u in zip(absent, unable, strict=True)) and any(unable):
        add(
            ChildCategory.DE_FACTO_UNSUPPORTED,
            f"事实无人抚养：父母均无法履行抚养义务，至少一方属无力抚养情形（{zh_statuses}）",
            "de facto unsupported: neither parent can raise the child, at least one for one"
            f" of the eight 'unable' situations ({en_statuses})",
        )
    economic = profile.family_economic_status
    if economic is not EconomicStatus.NONE:
        family = f"reason.family_economic.{economic.value}"
        add(ChildCategory.POVERTY, f"家庭经济困难：{word(family, 'zh')}", word(family, "en"))
    health_zh: list[str] = []
    health_en: list[str] = []
    if profile.disability_grade is not None:
        health_zh.append(f"残疾{profile.disability_grade}级")
        health_en.append(f"disability grade {profile.disability_grade}")
    if profile.serious_illness:
        health_zh.append("患重病")
        health_en.append("serious illness")
    if health_zh:
        add(
            ChildCategory.DISABILITY_OR_ILLNESS,
            "因自身残疾或重病陷入困境：" + "、".join(health_zh),
            "disability or illness: " + ", ".join(health_en),
        )
    guard_zh: list[str] = []
    guard_en: list[str] = []
    if profile.abuse_or_neglect_concern:
        guard_zh.append("疑似遭受虐待或疏于照料")
        guard_en.append("concern of abuse or neglect")
    if profile.guardian is Guardian.NONE:
        guard_zh.append("无监护人")
        guard_en.append("no guardian recorded")
    if guard_zh:
        add(
            ChildCategory.GUARDIANSHIP_DEFICIT,
            "监护缺失或监护不当：" + "、".join(guard_zh),
            "guardianship deficit: " + ", ".join(guard_en),
        )
    if (
        age < rules.left_behind_max_age
        and ParentStatus.PRESENT not in statuses
        and ParentStatus.WORKING_AWAY in statuses
    ):
        add(
            ChildCategory.LEFT_BEHIND,
            f"留守儿童：未满{rules.left_behind_max_age}周岁，父母均不在身边，至少一方外出务工",
            f"left behind: under {rules.left_behind_max_age}, neither parent at home,"
            " at least one working away",
        )
    temp_zh: list[str] = []
    temp_en: list[str] = []
    if profile.mental_health_flags >= rules.mental_health_high_min:
        temp_zh.append(f"心理筛查异常指标{profile.mental_health_flags}项")
        temp_en.append(f"{profile.mental_health_flags} abnormal mental-health indicators")
    if _dropped_out_young(profile, age, rules):
        temp_zh.append(f"未满{rules.compulsory_school_max_age}周岁辍学")
        temp_en.append(f"dropped out of school under {rules.compulsory_school_max_age}")
    if temp_zh:
        add(
            ChildCategory.TEMPORARY_DIFFICULTY,
            "临时困境：" + "、".join(temp_zh),
            "temporary difficulty: " + ", ".join(temp_en),
        )
    return found


def _dropped_out_young(profile: ChildProfile, age: int, rules: ChildRules) -> bool:
    return (
        profile.school_status is SchoolStatus.DROPPED_OUT and age < rules.compulsory_school_max_age
    )


def _risk(
    profile: ChildProfile, age: int, categories: frozenset[ChildCategory], rules: ChildRules
) -> tuple[ChildRisk | None, list[Reason]]:
    """The first row of the risk table that matches, and a reason per rule of it that holds."""
    if not categories:
        return None, []
    left_behind = ChildCategory.LEFT_BEHIND in categories
    months = profile.months_since_parent_contact
    flags = profile.mental_health_flags
    grade = profile.disability_grade
    # (code, holds, zh, en) per rule; rows in the table's order, high first.
    high = [
        (
            "abuse_or_neglect_concern",
            profile.abuse_or_neglect_concern,
            "疑似遭受虐待或疏于照料",
            "concern of abuse or neglect",
        ),
        ("no_guardian", profile.guardian is Guardian.NONE, "无监护人", "no guardian recorded"),
        (
            "mental_health_flags_high",
            flags >= rules.mental_health_high_min,
            f"心理筛查异常指标{flags}项（不少于{rules.mental_health_high_min}项）",
            f"{flags} abnormal mental-health indicators ({rules.mental_health_high_min} or more)",
        ),
        (
            "dropped_out_of_compulsory_school",
            _dropped_out_young(profile, age, rules),
            f"未满{rules.compulsory_school_max_age}周岁辍学",
            f"dropped out of school under {rules.compulsory_school_max_age}",
        ),
        (
            "left_behind_no_contact_long",
            left_behind and months is not None and months > rules.contact_months_high_over,
            f"留守儿童{months}个月未与父母联系（超过{rules.contact_months_high_over}个月）",
            f"left behind, {months} months without contact with a parent"
            f" (more than {rules.contact_months_high_over})",
        ),
    ]
    others = categories - {ChildCategory.POVERTY}
    medium = [
        (
            "no_parental_care",
            bool(
                categories & {ChildCategory.ORPHAN, ChildCategory.DE_FACTO_UNSUPPORTED},
            ),
            "孤儿或事实无人抚养儿童",
            "orphan or de facto unsupported",
        ),
        (
            "severe_disability",
            grade is not None and grade <= rules.disability_medium_max_grade,
            f"残疾{grade}级（{rules.disability_medium_max_grade}级及以上重度残疾）",
            f"disability grade {grade} (grade {rules.disability_medium_max_grade} or more severe)",
        ),
        ("serious_illness", profile.serious_illness, "患重病", "serious illness"),
        (
            "mental_health_flags_some",
            rules.mental_health_medium_min <= flags < rules.mental_health_high_min,
            f"心理筛查异常指标{flags}项",
            f"{flags} abnormal mental-health indicator(s)",
        ),
        (
            "left_behind_no_contact",
            left_behind and months is not None and months >= rules.contact_months_medium_min,
            f"留守儿童{months}个月未与父母联系（不少于{rules.contact_months_medium_min}个月）",
            f"left behind, {months} months without contact with a parent"
            f" ({rules.contact_months_medium_min} or more)",
        ),
        (
            "poverty_with_other_category",
            ChildCategory.POVERTY in categories and bool(others),
            "家庭经济困难且同时属于其他困境类别（"
            + "、".join(word(c, "zh") for c in ChildCategory if c in others)
            + "）",
            "family poverty together with another category ("
            + ", ".join(c.value for c in ChildCategory if c in others)
            + ")",
        ),
    ]
    for level, rows, zh_level, en_level in (
        (ChildRisk.HIGH, high, "高风险", "high risk"),
        (ChildRisk.MEDIUM, medium, "中风险", "medium risk"),
    ):
        fired = [
            _reason(code, "risk", level.value, f"{zh_level}：{zh}", f"{en_level}: {en}")
            for code, holds, zh, en in rows
            if holds
        ]
        if fired:
            return level, fired
    return ChildRisk.LOW, [
        _reason(
            "other_difficulty",
            "risk",
            ChildRisk.LOW.value,
            "低风险：属困境儿童，无高、中风险情形",
            "low risk: in difficulty, no high or medium risk factor",
        )
    ]


@attrs.frozen(kw_only=True)
class ChildAssessment:
    """The categories and risk level of a child on a date, with reasons (spec §3).

    ``categories`` is empty and ``risk`` is ``None`` for a child who is not in
    difficulty. ``reasons`` holds one reason per category (dimension
    ``category``, in the table's order) and one per rule of the deciding risk
    row that holds (dimension ``risk``, ``effect`` the level). ``profile`` is
    the child's record without its identifiers (``name``, ``resident_id`` and
    ``phone`` set to ``None``), kept so that :func:`plan_support` can read the facts
    the plan needs: like an older resident's assessment, a child's carries the
    registry id (``child_id``), never a name, ID number or phone, so neither does a
    plan's JSON (the snapshot keeps them).
    ``override`` is a caseworker's level set over ``risk`` (see
    :func:`community_care.overrides.override`): the support plan still follows
    the facts, follow-up follows ``effective_risk``.

    Examples:
        >>> from community_care.children import ChildProfile, Parent
        >>> c = ChildProfile(id="c1", birth_date=date(2014, 9, 1), guardian="grandparents",
        ...                  parents=[Parent(status="working_away"),
        ...                           Parent(status="working_away")],
        ...                  months_since_parent_contact=8)
        >>> a = assess_child(c, on=date(2026, 3, 1))
        >>> a.age, sorted(c.value for c in a.categories), a.risk
        (11, ['left_behind'], <ChildRisk.MEDIUM: 'medium'>)
        >>> [r.code for r in a.reasons]
        ['left_behind', 'left_behind_no_contact']
    """

    child_id: str
    on: date
    policy_version: str
    age: int
    categories: frozenset[ChildCategory]
    risk: ChildRisk | None
    reasons: tuple[Reason, ...]
    profile: ChildProfile
    override: Override | None = None  # a caseworker's level set over ``risk`` (spec §7)

    @property
    def effective_risk(self) -> ChildRisk | None:
        """The risk level follow-up and reports use: the override's level, else ``risk``."""
        return self.risk if self.override is None else ChildRisk(self.override.level)

    @property
    def in_difficulty(self) -> bool:
        """Whether the child has at least one category (困境儿童)."""
        return bool(self.categories)


def assess_child(
    profile: ChildProfile, *, on: date, policy: Policy | None = None
) -> ChildAssessment:
    """Assess a child on a date: categories (困境儿童类别), risk level and reasons.

    Every number comes from ``policy.at(on).children``.

    Args:
        profile: the child as recorded.
        on: the date of the assessment (age is counted on it).
        policy: the policy to apply; ``None`` means :func:`default_policy`.

    Returns:
        The assessment; a child with no category has ``risk`` ``None``. Its
        ``profile`` is ``profile`` without the child's name, ID number and phone.

    Raises:
        InvalidInputError: ``birth_date`` after ``on`` (path ``$.birth_date``), or
            ``concern_found_on`` or ``reported_on`` after ``on`` (their paths).
        InvalidArgumentError: ``profile`` is not a profile, ``on`` not a date or
            ``policy`` not a policy.
        NotEligibleError: the child is 18 or older on ``on`` (the message names the
            record id and the age, never the name).

    Examples:
        >>> from community_care.children import ChildProfile, Parent
        >>> c = ChildProfile(id="c2", birth_date=date(2012, 5, 4), guardian="parents",
        ...                  parents=[Parent(status="present"), Parent(status="present")])
        >>> a = assess_child(c, on=date(2026, 3, 1))
        >>> a.in_difficulty, a.risk
        (False, None)
    """
    check_instance("assess_child", "profile", profile, ChildProfile, "ChildProfile(id='c1', ...)")
    check_date("assess_child", "on", on)
    policy = check_policy("assess_child", policy) or default_policy()
    rules = policy.at(on).children
    age = age_on(profile.birth_date, on)
    for name in ("concern_found_on", "reported_on"):
        value = getattr(profile, name)
        if value is not None and value > on:
            raise InvalidInputError.at(
                f"$.{name}",
                f"expected a date on or before {on.isoformat()}, got {value.isoformat()}",
            )
    if age >= rules.max_age:
        raise NotEligibleError(
            f"child record {profile.id!r} is {age} years old on {on.isoformat()}; only"
            f" children under {rules.max_age} are assessed as children in difficulty"
        )
    found = _categories(profile, age, rules)
    categories = frozenset(category for category, _ in found)
    risk, risk_reasons = _risk(profile, age, categories, rules)
    return ChildAssessment(
        child_id=profile.id,
        on=on,
        policy_version=policy.version,
        age=age,
        categories=categories,
        risk=risk,
        reasons=(*(reason for _, reason in found), *risk_reasons),
        profile=_without_identifiers(profile),
    )


def _without_identifiers(profile: ChildProfile) -> ChildProfile:
    """The profile with ``name``, ``resident_id`` and ``phone`` cleared (the facts stay)."""
    if profile.name is None and profile.resident_id is None and profile.phone is None:
        return profile
    return attrs.evolve(profile, name=None, resident_id=None, phone=None)
