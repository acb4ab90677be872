"""Children in difficulty (幼苗成长): categories, risk, support plans and micro-wishes.

Spec §3. :func:`assess_child` turns a :class:`ChildProfile` into a
:class:`ChildAssessment` (categories of difficulty, a risk level and reasons);
:func:`plan_support` turns an assessment into a :class:`SupportPlan` (actions in
the material, psychological and education dimensions, and safety and health where
they apply, with a review date). :class:`MicroWish` is a child's micro-wish
(微心愿) and its lifecycle. Every number comes from ``policy.at(on).children``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from community_care._kernel.checks import check_date, check_instance, check_policy
from community_care._kernel.fields import (
    age_on,
    bool_field,
    check_birth_date_matches_id,
    date_field,
    enum_field,
    int_field,
    model_tuple_field,
    name_field,
    phone_field,
    resident_id_field,
    str_field,
)
from community_care._kernel.lifecycle import Lifecycle
from community_care._kernel.text import word
from community_care.errors import (
    InputProblem,
    InvalidInputError,
    NotEligibleError,
)
from community_care.identity import PhoneNumber, ResidentId, mask_name
from community_care.policy import ChildRules, Policy, default_policy
from community_care.reasons import Reason
from community_care.vocab import ChildRisk, EconomicStatus, Urgency

__all__ = [
    "ABSENT_PARENT_STATUSES",
    "ACTION_CATALOGUE",
    "CORE_DIMENSIONS",
    "UNABLE_PARENT_STATUSES",
    "ChildAssessment",
    "ChildCategory",
    "ChildProfile",
    "ChildRisk",
    "Guardian",
    "MicroWish",
    "Parent",
    "ParentStatus",
    "SchoolStatus",
    "SupportAction",
    "SupportDimension",
    "SupportPlan",
    "WishEvent",
    "WishStatus",
    "assess_child",
    "given_name",
    "plan_support",
]


class ParentStatus(enum.StrEnum):
    """A parent's situation, as legally determined (taken as given)."""

    PRESENT = "present"
    WORKING_AWAY = "working_away"
    DECEASED = "deceased"
    DECLARED_MISSING = "declared_missing"  # declared missing by a court
    UNKNOWN = "unknown"  # never identified
    # The eight "unable" situations of the 2019 rules:
    SEVERELY_DISABLED = "severely_disabled"
    SERIOUSLY_ILL = "seriously_ill"
    IMPRISONED = "imprisoned"
    COMPULSORY_REHAB = "compulsory_rehab"
    RESTRICTED_LIBERTY = "restricted_liberty"
    LOST_CONTACT = "lost_contact"  # 6 months or more
    GUARDIANSHIP_REVOKED = "guardianship_revoked"
    DEPORTED = "deported"


class Guardian(enum.StrEnum):
    """Who is recorded as the child's guardian (监护人)."""

    PARENTS = "parents"
    GRANDPARENTS = "grandparents"
    OTHER_RELATIVE = "other_relative"
    INSTITUTION = "institution"
    NONE = "none"


class SchoolStatus(enum.StrEnum):
    """A child's schooling."""

    ENROLLED = "enrolled"
    PRESCHOOL = "preschool"
    NOT_ENROLLED = "not_enrolled"
    DROPPED_OUT = "dropped_out"


@attrs.frozen(kw_only=True)
class Parent:
    """One of a child's two parents.

    Examples:
        >>> Parent(status="working_away")
        Parent(status=<ParentStatus.WORKING_AWAY: 'working_away'>)
    """

    status: ParentStatus = enum_field(ParentStatus)


@attrs.frozen(kw_only=True)
class ChildProfile:
    """A child as recorded in the registry (spec §3).

    ``parents`` holds exactly two parents. ``name``, ``resident_id`` and
    ``phone`` (a guardian's) are optional and shown masked in ``repr``.
    ``grid`` (optional) is where the child lives, used to place the plan's needs.

    Examples:
        >>> c = ChildProfile(id="c1", birth_date=date(2015, 3, 2), guardian="grandparents",
        ...                  parents=[Parent(status="working_away"), Parent(status="present")])
        >>> [p.status.value for p in c.parents]
        ['working_away', 'present']
    """

    id: str = str_field()
    birth_date: date = date_field()
    parents: tuple[Parent, ...] = model_tuple_field(Parent, min_items=2, max_items=2)
    guardian: Guardian = enum_field(Guardian)
    family_economic_status: EconomicStatus = enum_field(EconomicStatus, default=EconomicStatus.NONE)
    disability_grade: int | None = int_field(default=None, minimum=1, maximum=4, optional=True)
    serious_illness: bool = bool_field(default=False)
    school_status: SchoolStatus = enum_field(SchoolStatus, default=SchoolStatus.ENROLLED)
    abuse_or_neglect_concern: bool = bool_field(default=False)
    mental_health_flags: int = int_field(default=0, minimum=0)
    months_since_parent_contact: int | None = int_field(default=None, minimum=0, optional=True)
    name: str | None = name_field()
    resident_id: ResidentId | None = resident_id_field()
    phone: PhoneNumber | None = phone_field()
    grid: str | None = str_field(default=None, optional=True)

    def __attrs_post_init__(self) -> None:
        check_birth_date_matches_id(self.birth_date, self.resident_id)


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
    kept so that :func:`plan_support` can read the facts the plan needs.

    Examples:
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
        The assessment; a child with no category has ``risk`` ``None``.

    Raises:
        InvalidInputError: ``birth_date`` after ``on`` (path ``$.birth_date``).
        InvalidArgumentError: ``profile`` is not a profile, ``on`` not a date or
            ``policy`` not a policy.
        NotEligibleError: the child is 18 or older on ``on`` (the message names the
            record id and the age, never the name).

    Examples:
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
        profile=profile,
    )


# --- support plans (spec §3) ---------------------------------------------------------


class SupportDimension(enum.StrEnum):
    """The dimension of a support action."""

    MATERIAL = "material"  # 物质帮扶
    PSYCHOLOGICAL = "psychological"  # 心理关爱
    EDUCATION = "education"  # 教育支持
    SAFETY = "safety"  # 安全与监护
    HEALTH = "health"  # 康复与医疗


#: The three dimensions every plan covers.
CORE_DIMENSIONS: frozenset[SupportDimension] = frozenset(
    {SupportDimension.MATERIAL, SupportDimension.PSYCHOLOGICAL, SupportDimension.EDUCATION}
)

#: The default catalogue: action code -> dimension, in the order plans list actions.
ACTION_CATALOGUE: Mapping[str, SupportDimension] = MappingProxyType(
    {
        "basic_living_allowance": SupportDimension.MATERIAL,
        "micro_wish": SupportDimension.MATERIAL,
        "material_aid": SupportDimension.MATERIAL,
        "caring_mother_pairing": SupportDimension.PSYCHOLOGICAL,
        "counseling": SupportDimension.PSYCHOLOGICAL,
        "tutoring": SupportDimension.EDUCATION,
        "education_aid": SupportDimension.EDUCATION,
        "early_education": SupportDimension.EDUCATION,
        "school_reenrolment": SupportDimension.EDUCATION,
        "vocational_guidance": SupportDimension.EDUCATION,
        "practice_education": SupportDimension.EDUCATION,
        "guardianship_assessment": SupportDimension.SAFETY,
        "rehabilitation": SupportDimension.HEALTH,
        "medical_aid": SupportDimension.HEALTH,
    }
)


@attrs.frozen(kw_only=True)
class SupportAction:
    """One action of a support plan: what, in which dimension, how urgent, by when, and why.

    ``category`` is the need category used for matching offers (the action code,
    except ``caring_mother_pairing``, asked for as ``caring_mother``).

    Examples:
        >>> a = SupportAction(code="micro_wish", dimension=SupportDimension.MATERIAL,
        ...                   category="micro_wish", urgency=Urgency.LOW,
        ...                   due_on=date(2026, 5, 1), reasons=())
        >>> a.dimension.value, a.urgency.value
        ('material', 'low')
    """

    code: str
    dimension: SupportDimension
    category: str
    urgency: Urgency
    due_on: date
    reasons: tuple[Reason, ...]


@attrs.frozen(kw_only=True)
class SupportPlan:
    """A child's support plan (帮扶计划): actions in catalogue order and a review date.

    ``grid`` is the child's grid (where the plan's needs are placed), if recorded.

    Examples:
        >>> c = ChildProfile(id="c3", birth_date=date(2010, 6, 1), guardian="parents",
        ...                  parents=[Parent(status="present"), Parent(status="present")],
        ...                  family_economic_status="low_income")
        >>> plan = plan_support(assess_child(c, on=date(2026, 3, 1)), on=date(2026, 3, 1))
        >>> plan.risk, plan.review_on
        (<ChildRisk.LOW: 'low'>, datetime.date(2026, 9, 1))
        >>> [a.code for a in plan.actions]  # doctest: +NORMALIZE_WHITESPACE
        ['micro_wish', 'material_aid', 'caring_mother_pairing', 'tutoring', 'education_aid',
         'practice_education']
        >>> sorted(d.value for d in plan.dimensions)
        ['education', 'material', 'psychological']
    """

    child_id: str
    on: date
    policy_version: str
    risk: ChildRisk
    review_on: date
    grid: str | None
    actions: tuple[SupportAction, ...]

    @property
    def dimensions(self) -> frozenset[SupportDimension]:
        """The dimensions the plan's actions cover."""
        return frozenset(a.dimension for a in self.actions)

    @property
    def codes(self) -> tuple[str, ...]:
        """The action codes, in plan order."""
        return tuple(a.code for a in self.actions)


def _action_reasons(
    assessment: ChildAssessment, risk: ChildRisk, rules: ChildRules
) -> dict[str, list[tuple[str, str, str]]]:
    """For each action whose rule holds: (reason code, zh, en) per condition that put it there."""
    p = assessment.profile
    age = assessment.age
    cats = assessment.categories
    school = p.school_status
    out_of_school = school in (SchoolStatus.NOT_ENROLLED, SchoolStatus.DROPPED_OUT)
    every = ("every_child_in_difficulty", "每名困境儿童", "every child in difficulty")
    poverty = ("poverty", "家庭经济困难", "family poverty")
    rows: dict[str, list[tuple[str, str, str]]] = {code: [] for code in ACTION_CATALOGUE}

    def when(code: str, holds: bool, reason: tuple[str, str, str]) -> None:
        if holds:
            rows[code].append(reason)

    when(
        "basic_living_allowance",
        bool(cats & {ChildCategory.ORPHAN, ChildCategory.DE_FACTO_UNSUPPORTED}),
        ("no_parental_care", "孤儿或事实无人抚养儿童", "orphan or de facto unsupported"),
    )
    when("micro_wish", True, every)
    when("material_aid", ChildCategory.POVERTY in cats, poverty)
    when("caring_mother_pairing", True, every)
    when("counseling", risk is ChildRisk.HIGH, ("high_risk", "高风险", "high risk"))
    when(
        "counseling",
        p.mental_health_flags >= rules.mental_health_medium_min,
        (
            "mental_health_flags",
            f"心理筛查异常指标{p.mental_health_flags}项",
            f"{p.mental_health_flags} abnormal mental-health indicator(s)",
        ),
    )
    when("tutoring", school is SchoolStatus.ENROLLED, ("enrolled", "在校就读", "enrolled"))
    when("education_aid", ChildCategory.POVERTY in cats, poverty)
    when("early_education", school is SchoolStatus.PRESCHOOL, ("preschool", "学前", "preschool"))
    when(
        "early_education",
        out_of_school and age < rules.compulsory_school_min_age,
        (
            "out_of_school_under_school_age",
            f"未入学且未满{rules.compulsory_school_min_age}周岁",
            f"out of school and under {rules.compulsory_school_min_age}",
        ),
    )
    when(
        "school_reenrolment",
        out_of_school and rules.compulsory_school_min_age <= age < rules.compulsory_school_max_age,
        (
            "out_of_school_compulsory_age",
            "义务教育年龄段未入学或辍学",
            f"out of school at compulsory-schooling age"
            f" ({rules.compulsory_school_min_age} to {rules.compulsory_school_max_age - 1})",
        ),
    )
    when(
        "vocational_guidance",
        out_of_school and age >= rules.compulsory_school_max_age,
        (
            "out_of_school_past_compulsory_age",
            f"未在校且已满{rules.compulsory_school_max_age}周岁",
            f"out of school and {rules.compulsory_school_max_age} or older",
        ),
    )
    when(
        "practice_education",
        age >= rules.practice_education_min_age,
        (
            "practice_education_age",
            f"已满{rules.practice_education_min_age}周岁，可参加实践教育",
            f"{rules.practice_education_min_age} or older: practice education",
        ),
    )
    for category in (
        ChildCategory.GUARDIANSHIP_DEFICIT,
        ChildCategory.ORPHAN,
        ChildCategory.DE_FACTO_UNSUPPORTED,
    ):
        when(
            "guardianship_assessment",
            category in cats,
            (category.value, word(category, "zh"), category.value.replace("_", " ")),
        )
    when(
        "rehabilitation",
        p.disability_grade is not None,
        ("disability", f"残疾{p.disability_grade}级", f"disability grade {p.disability_grade}"),
    )
    when("medical_aid", p.serious_illness, ("serious_illness", "患重病", "serious illness"))
    return rows


def plan_support(
    assessment: ChildAssessment, *, on: date, policy: Policy | None = None
) -> SupportPlan:
    """The support plan of a child in difficulty: actions from the catalogue and a review date.

    The plan reads the facts of the assessment (its age, categories, risk and
    profile); ``on`` dates the plan: each action is due ``action_due_days[risk]``
    days after it, and the plan is reviewed ``review_months[risk]`` months after
    it (3 for high risk, 6 otherwise by default).

    Args:
        assessment: the child's assessment (from :func:`assess_child`).
        on: the date of the plan, not before the assessment's date.
        policy: the policy to apply; ``None`` means :func:`default_policy`.

    Returns:
        The plan; its actions follow the catalogue's order and always cover the
        ``material``, ``psychological`` and ``education`` dimensions.

    Raises:
        NotEligibleError: the child is not in difficulty (no category).
        InvalidInputError: ``on`` is before the assessment's date.
        InvalidArgumentError: ``assessment`` is not an assessment, ``on`` not a date or
            ``policy`` not a policy.
    """
    check_instance("plan_support", "assessment", assessment, ChildAssessment, "assess_child(...)")
    check_date("plan_support", "on", on)
    check_policy("plan_support", policy)
    if assessment.risk is None:
        raise NotEligibleError(
            f"child record {assessment.child_id!r} is in no category of difficulty on"
            f" {assessment.on.isoformat()}, so no support plan is made; re-assess when"
            " the situation changes"
        )
    if on < assessment.on:
        raise InvalidInputError.at(
            "on",
            f"expected a plan date on or after the assessment's date"
            f" {assessment.on.isoformat()}, got {on.isoformat()}",
        )
    policy = policy if policy is not None else default_policy()
    rules = policy.at(on).children
    risk = assessment.risk
    urgency = rules.action_urgency[risk]
    due_on = on + timedelta(days=rules.action_due_days[risk])
    actions = tuple(
        SupportAction(
            code=code,
            dimension=ACTION_CATALOGUE[code],
            category=rules.action_categories.get(code, code),
            urgency=urgency,
            due_on=due_on,
            reasons=tuple(
                _reason(rcode, ACTION_CATALOGUE[code].value, code, zh, en)
                for rcode, zh, en in because
            ),
        )
        for code, because in _action_reasons(assessment, risk, rules).items()
        if because
    )
    return SupportPlan(
        child_id=assessment.child_id,
        on=on,
        policy_version=policy.version,
        risk=risk,
        review_on=on + relativedelta(months=rules.review_months[risk]),
        grid=assessment.profile.grid,
        actions=actions,
    )


# --- micro-wishes (微心愿) ------------------------------------------------------------


class WishStatus(enum.StrEnum):
    """Where a micro-wish stands in its lifecycle."""

    COLLECTED = "collected"  # 收集
    PUBLISHED = "published"  # 发布
    ADOPTED = "adopted"  # 认领
    FULFILLED = "fulfilled"  # 圆梦（兑现）
    CONFIRMED = "confirmed"  # 确认（回访）
    WITHDRAWN = "withdrawn"  # 撤回


# The lifecycle: from each status, the moves (method names) allowed and where they lead.
_WISH_LIFECYCLE: Final = Lifecycle(
    "micro-wish",
    WishStatus.COLLECTED,
    {
        WishStatus.COLLECTED: {"publish": WishStatus.PUBLISHED, "withdraw": WishStatus.WITHDRAWN},
        WishStatus.PUBLISHED: {"adopt": WishStatus.ADOPTED, "withdraw": WishStatus.WITHDRAWN},
        WishStatus.ADOPTED: {
            "cancel_adoption": WishStatus.PUBLISHED,
            "fulfil": WishStatus.FULFILLED,
        },
        WishStatus.FULFILLED: {"confirm": WishStatus.CONFIRMED},
        WishStatus.CONFIRMED: {},
        WishStatus.WITHDRAWN: {},
    },
)
# The statuses in which a wish has its (one) live adopter.
_ADOPTED_STATUSES = frozenset({WishStatus.ADOPTED, WishStatus.FULFILLED, WishStatus.CONFIRMED})

# Common two-character Chinese surnames (复姓): their given name starts at the third character.
_COMPOUND_SURNAMES = frozenset(
    {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文"}
    | {"司徒", "夏侯", "令狐", "端木", "轩辕", "西门", "南宫", "独孤", "申屠", "太史", "闻人"}
    | {"澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "赫连", "钟离", "呼延", "拓跋", "百里"}
    | {"东郭", "第五", "万俟", "司空", "左丘", "谷梁", "公羊", "梁丘", "段干"}
)


def given_name(name: str) -> str | None:
    """The given name (名) of a personal name, or ``None`` when it has none to show.

    A Chinese name is read surname first: a common two-character surname (欧阳,
    司马, ...) is dropped, otherwise the first character. A name written with
    spaces (pinyin, ``Wang Xiaoming``) drops its first word. A name that is all
    surname has no given name to show.

    Examples:
        >>> given_name("王小明"), given_name("欧阳娜娜"), given_name("李")
        ('小明', '娜娜', None)
        >>> given_name("Wang Xiao Ming")
        'Xiao Ming'
    """
    text = name.strip()
    words = text.split()
    if len(words) > 1:
        return " ".join(words[1:])
    surname = 2 if text[:2] in _COMPOUND_SURNAMES else 1
    rest = text[surname:]
    return rest or None


@attrs.frozen(kw_only=True)
class WishEvent:
    """One step of a micro-wish's lifecycle: when, from which status to which, by whom, why.

    Examples:
        >>> e = WishEvent(on=date(2026, 3, 2), from_status="collected", to_status="published",
        ...               actor="grid-3 party group")
        >>> e.to_status, e.note
        (<WishStatus.PUBLISHED: 'published'>, '')
    """

    on: date = date_field()
    from_status: WishStatus = enum_field(WishStatus)
    to_status: WishStatus = enum_field(WishStatus)
    actor: str = str_field()
    note: str = str_field(default="", non_empty=False)


@attrs.frozen(kw_only=True)
class MicroWish:
    """A child's micro-wish (微心愿) and its lifecycle (spec §3).

    ``collected → published → adopted → fulfilled → confirmed``; an adoption may be
    cancelled (``adopted → published``); a ``collected`` or ``published`` wish may be
    withdrawn. Each move is a method returning a new wish with the event appended to
    ``history``; the wish itself never changes. ``adopter`` is the id of the party
    that adopted it (a registry id, not a personal name), set while the wish is
    ``adopted``, ``fulfilled`` or ``confirmed``.

    ``child_name`` (optional) is shown masked in ``repr``; :meth:`view_for` shows the
    given name to the current adopter of an ``adopted`` wish only, who needs it to
    hand the gift over.

    A wish built from data must tell a consistent story: the history starts at
    ``collected`` on or after ``collected_on``, each event is a legal move from the
    previous status, dates never run backwards, and ``status`` and ``adopter`` are
    what the history says.

    Examples:
        >>> w = MicroWish(id="w1", child_id="c1", item="书包", collected_on=date(2026, 3, 1),
        ...               child_name="王小明", grid="g1")
        >>> w = w.publish(date(2026, 3, 2), "grid-1 party group")
        >>> w = w.adopt(date(2026, 3, 5), "unit-7")
        >>> w.status, w.adopter, len(w.history)
        (<WishStatus.ADOPTED: 'adopted'>, 'unit-7', 2)
        >>> "小明" in repr(w)
        False
        >>> w.view_for("unit-7")["child_name"], w.view_for("unit-8")["child_name"]
        ('小明', '王**')
        >>> w.fulfil(date(2026, 3, 4), "unit-7")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        community_care.errors.InvalidInputError: invalid input: on: expected a date on or ...
        >>> w.publish(date(2026, 3, 6), "grid-1 party group")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        community_care.errors.InvalidTransitionError: micro-wish 'w1' is 'adopted'; cannot ...
    """

    id: str = str_field()
    child_id: str = str_field()
    item: str = str_field()
    collected_on: date = date_field()
    category: str = str_field(default="micro_wish")
    grid: str | None = str_field(default=None, optional=True)
    status: WishStatus = enum_field(WishStatus, default=WishStatus.COLLECTED)
    adopter: str | None = str_field(default=None, optional=True)
    history: tuple[WishEvent, ...] = model_tuple_field(WishEvent, default=())
    child_name: str | None = name_field()

    def __attrs_post_init__(self) -> None:
        problems: list[InputProblem] = []
        expected = _WISH_LIFECYCLE.initial
        last_adopter: str | None = None
        steps = ((e.on, e.to_status) for e in self.history)
        for step in _WISH_LIFECYCLE.replay(steps, self.collected_on):
            i, event = step.index, self.history[step.index]
            # A wish's event records the status it left as well: it must be where the
            # wish stood, and only then is the step itself judged.
            if event.from_status is not step.before:
                problems.append(
                    InputProblem(
                        f"$.history[{i}].from_status",
                        f"expected {step.before.value!r} (where the wish stood),"
                        f" got {event.from_status.value!r}",
                    )
                )
            elif not step.allowed:
                problems.append(
                    InputProblem(
                        f"$.history[{i}].to_status",
                        f"expected one of {_WISH_LIFECYCLE.allowed_text(step.before)},"
                        f" got {event.to_status.value!r}",
                    )
                )
            if step.early:
                problems.append(
                    InputProblem(
                        f"$.history[{i}].on",
                        f"expected a date on or after {step.floor.isoformat()}"
                        f" (dates never run backwards), got {event.on.isoformat()}",
                    )
                )
            if event.to_status is WishStatus.ADOPTED:
                last_adopter = event.actor
            expected = event.to_status
        if self.status is not expected:
            problems.append(
                InputProblem(
                    "$.status",
                    f"expected {expected.value!r} (the status the history ends in),"
                    f" got {self.status.value!r}",
                )
            )
        live = self.status in _ADOPTED_STATUSES
        if live and self.adopter != last_adopter:
            problems.append(
                InputProblem(
                    "$.adopter",
                    f"expected {last_adopter!r} (the actor of the last adoption),"
                    f" got {self.adopter!r}",
                )
            )
        if not live and self.adopter is not None:
            problems.append(
                InputProblem(
                    "$.adopter",
                    f"expected null for a {self.status.value} wish (no live adoption),"
                    f" got {self.adopter!r}",
                )
            )
        if problems:
            raise InvalidInputError(problems)

    @property
    def allowed_moves(self) -> tuple[str, ...]:
        """The names of the moves allowed from the current status (empty when final)."""
        return tuple(_WISH_LIFECYCLE.moves[self.status])

    @property
    def last_date(self) -> date:
        """The date of the last event, or ``collected_on`` when nothing has happened yet."""
        return self.history[-1].on if self.history else self.collected_on

    def publish(self, on: date, actor: str, note: str = "") -> MicroWish:
        """Publish a collected wish so that parties can adopt it (发布).

        Args:
            on: the date of the move (not before the last event).
            actor: who publishes it (e.g. the grid party group).
            note: free text.

        Returns:
            The wish, ``published``, with the event appended.

        Raises:
            InvalidTransitionError: the wish is not ``collected``.
            InvalidInputError: ``on`` before the last event, or an empty ``actor``.
        """
        return self._move("publish", on, actor, note)

    def adopt(self, on: date, adopter: str, note: str = "") -> MicroWish:
        """Record that a party adopts (认领) a published wish; one live adoption per wish.

        Args:
            on: the date of the move (not before the last event).
            adopter: the id of the adopting party; it becomes ``adopter`` and the actor.
            note: free text.

        Returns:
            The wish, ``adopted`` by ``adopter``.

        Raises:
            InvalidTransitionError: the wish is not ``published`` (an adopted wish
                cannot be adopted again).
            InvalidInputError: ``on`` before the last event, or an empty ``adopter``.
        """
        return self._move("adopt", on, adopter, note)

    def cancel_adoption(self, on: date, actor: str, note: str = "") -> MicroWish:
        """Cancel the live adoption: the wish is ``published`` again, with no adopter.

        Args:
            on: the date of the move (not before the last event).
            actor: who cancels (the adopter or the committee).
            note: free text (why).

        Returns:
            The wish, ``published`` again.

        Raises:
            InvalidTransitionError: the wish is not ``adopted``.
            InvalidInputError: ``on`` before the last event, or an empty ``actor``.
        """
        return self._move("cancel_adoption", on, actor, note)

    def fulfil(self, on: date, actor: str, note: str = "") -> MicroWish:
        """Record that the adopter fulfilled the wish (圆梦: the gift was handed over).

        Args:
            on: the date of the move (not before the last event).
            actor: who records it.
            note: free text.

        Returns:
            The wish, ``fulfilled``; the adopter is kept.

        Raises:
            InvalidTransitionError: the wish is not ``adopted``.
            InvalidInputError: ``on`` before the last event, or an empty ``actor``.
        """
        return self._move("fulfil", on, actor, note)

    def confirm(self, on: date, actor: str, note: str = "") -> MicroWish:
        """Confirm a fulfilled wish (回访确认: the child or guardian confirms receipt).

        Args:
            on: the date of the move (not before the last event).
            actor: who confirms.
            note: free text.

        Returns:
            The wish, ``confirmed`` (final).

        Raises:
            InvalidTransitionError: the wish is not ``fulfilled``.
            InvalidInputError: ``on`` before the last event, or an empty ``actor``.
        """
        return self._move("confirm", on, actor, note)

    def withdraw(self, on: date, actor: str, note: str = "") -> MicroWish:
        """Withdraw a wish that nobody has adopted yet (撤回).

        Args:
            on: the date of the move (not before the last event).
            actor: who withdraws it.
            note: free text (why).

        Returns:
            The wish, ``withdrawn`` (final).

        Raises:
            InvalidTransitionError: the wish is not ``collected`` or ``published``.
            InvalidInputError: ``on`` before the last event, or an empty ``actor``.
        """
        return self._move("withdraw", on, actor, note)

    def _move(self, move: str, on: date, actor: str, note: str) -> MicroWish:
        target = _WISH_LIFECYCLE.check(self.id, self.status, move)
        check_date(f"MicroWish.{move}", "on", on)
        if on < self.last_date:
            raise InvalidInputError.at(
                "on",
                f"expected a date on or after {self.last_date.isoformat()} (the last event of"
                f" micro-wish {self.id!r}), got {on.isoformat()}",
            )
        event = WishEvent(on=on, from_status=self.status, to_status=target, actor=actor, note=note)
        if target is WishStatus.ADOPTED:
            adopter: str | None = actor
        elif target in _ADOPTED_STATUSES:
            adopter = self.adopter
        else:
            adopter = None
        return attrs.evolve(self, status=target, adopter=adopter, history=(*self.history, event))

    def view_for(self, adopter_id: str) -> dict[str, str | None]:
        """What a party sees of the wish; only the live adopter sees the child's given name.

        The child's name is unmasked (given name only, e.g. ``小明`` of ``王小明``)
        when ``adopter_id`` is the adopter and the wish is ``adopted``, the window in
        which the gift is handed over; everyone else, and the adopter before and
        after, sees the masked name.

        Args:
            adopter_id: the id of the party asking.

        Returns:
            ``id``, ``child_id``, ``item``, ``category``, ``grid``, ``status`` and
            ``child_name`` (given name, masked name, or ``None`` when not recorded).
        """
        shown: str | None = None
        if self.child_name is not None:
            shown = mask_name(self.child_name)
            if self.status is WishStatus.ADOPTED and adopter_id == self.adopter:
                shown = given_name(self.child_name) or shown
        return {
            "id": self.id,
            "child_id": self.child_id,
            "item": self.item,
            "category": self.category,
            "grid": self.grid,
            "status": self.status.value,
            "child_name": shown,
        }
