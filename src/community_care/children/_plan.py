"""Support plans (spec §3): actions in every dimension, due dates and a review date."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType

import attrs
from dateutil.relativedelta import relativedelta

from community_care._kernel.checks import check_date, check_instance, check_policy
from community_care._kernel.text import word
from community_care.children._assessment import ChildAssessment, ChildCategory, _reason
from community_care.children._profile import SchoolStatus
from community_care.errors import (
    InvalidInputError,
    NotEligibleError,
)
from community_care.policy import ChildRules, Policy, default_policy
from community_care.reasons import Reason
from community_care.vocab import ChildRisk, Urgency

__all__ = [
    "ACTION_CATALOGUE",
    "CORE_DIMENSIONS",
    "MANDATORY_REPORT",
    "SupportAction",
    "SupportDimension",
    "SupportPlan",
    "plan_support",
]


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
        "mandatory_report": SupportDimension.SAFETY,
        "guardianship_assessment": SupportDimension.SAFETY,
        "rehabilitation": SupportDimension.HEALTH,
        "medical_aid": SupportDimension.HEALTH,
    }
)


#: The mandatory report (强制报告, 未成年人保护法 Art. 11): the committee's own legal duty,
#: due the day a concern of harm was found, never a need to match.
MANDATORY_REPORT = "mandatory_report"


@attrs.frozen(kw_only=True)
class SupportAction:
    """One action of a support plan: what, in which dimension, how urgent, by when, and why.

    ``category`` is the need category used for matching offers (the action code,
    except ``caring_mother_pairing``, asked for as ``caring_mother``). ``due_on``
    is the day it is due; ``done_on`` the day it was done, when the registry
    records it (today only the mandatory report: the profile's ``reported_on``),
    else ``None``. A done action stays in the plan.

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
    done_on: date | None = None


@attrs.frozen(kw_only=True)
class SupportPlan:
    """A child's support plan (帮扶计划): actions in catalogue order and a review date.

    ``grid`` is the child's grid (where the plan's needs are placed), if recorded.

    Examples:
        >>> from community_care.children import ChildProfile, Parent, assess_child
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
    when(
        MANDATORY_REPORT,
        p.abuse_or_neglect_concern,
        (
            "abuse_or_neglect_concern",
            "疑似遭受虐待或疏于照料：须立即向公安机关及民政、教育部门报告（强制报告）",
            "concern of abuse or neglect: report at once to the police and to civil affairs"
            " or education (mandatory report)",
        ),
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
    it (3 for high risk, 6 otherwise by default). The ``mandatory_report`` action
    (a concern of abuse or neglect) is the exception: urgency ``critical``, due on
    the profile's ``concern_found_on`` (``on`` when not recorded), and ``done_on``
    the profile's ``reported_on``.

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
    profile = assessment.profile
    # The mandatory report is due the day the concern was found (today when that is not
    # recorded), at once, whatever the risk level: the law sets it, not the policy.
    report_due = profile.concern_found_on or on
    actions = tuple(
        SupportAction(
            code=code,
            dimension=ACTION_CATALOGUE[code],
            category=rules.action_categories.get(code, code),
            urgency=Urgency.CRITICAL if code == MANDATORY_REPORT else urgency,
            due_on=report_due if code == MANDATORY_REPORT else due_on,
            reasons=tuple(
                _reason(rcode, ACTION_CATALOGUE[code].value, code, zh, en)
                for rcode, zh, en in because
            ),
            done_on=profile.reported_on if code == MANDATORY_REPORT else None,
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
