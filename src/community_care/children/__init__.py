"""Children in difficulty (幼苗成长): categories, risk, support plans and micro-wishes.

Spec §3. :func:`assess_child` turns a :class:`ChildProfile` into a
:class:`ChildAssessment` (categories of difficulty, a risk level and reasons);
:func:`plan_support` turns an assessment into a :class:`SupportPlan` (actions in
the material, psychological and education dimensions, and safety and health where
they apply, with a review date); :func:`mandatory_reports` lists the mandatory
reports (强制报告) of a concern of harm not yet made. :class:`MicroWish` is a child's micro-wish
(微心愿) and its lifecycle. Every number comes from ``policy.at(on).children``.
"""

from __future__ import annotations

from community_care.children._assessment import (
    ABSENT_PARENT_STATUSES,
    UNABLE_PARENT_STATUSES,
    ChildAssessment,
    ChildCategory,
    assess_child,
)
from community_care.children._duties import MandatoryReport, mandatory_reports
from community_care.children._explain import explain_child
from community_care.children._plan import (
    ACTION_CATALOGUE,
    CORE_DIMENSIONS,
    MANDATORY_REPORT,
    SupportAction,
    SupportDimension,
    SupportPlan,
    plan_support,
)
from community_care.children._profile import (
    ChildProfile,
    Guardian,
    Parent,
    ParentStatus,
    SchoolStatus,
)
from community_care.children._wishes import MicroWish, WishEvent, WishStatus, given_name
from community_care.vocab import ChildRisk

__all__ = [
    "ABSENT_PARENT_STATUSES",
    "ACTION_CATALOGUE",
    "CORE_DIMENSIONS",
    "MANDATORY_REPORT",
    "UNABLE_PARENT_STATUSES",
    "ChildAssessment",
    "ChildCategory",
    "ChildProfile",
    "ChildRisk",
    "Guardian",
    "MandatoryReport",
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
    "explain_child",
    "given_name",
    "mandatory_reports",
    "plan_support",
]
