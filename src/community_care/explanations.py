"""``explain``: any assessment or support plan in words a caseworker can paste into a file.

Older residents' assessments are explained by :func:`community_care.elderly.explain`,
children's assessments and support plans by
:func:`community_care.children.explain_child` (the mandatory report first).
"""

from __future__ import annotations

from community_care.children import ChildAssessment, SupportPlan, explain_child
from community_care.elderly import ElderlyAssessment
from community_care.elderly import explain as explain_elderly
from community_care.reasons import Lang

__all__ = ["explain"]


def explain(
    assessment: ElderlyAssessment | ChildAssessment | SupportPlan, lang: Lang = "zh"
) -> str:
    """A short text on an assessment (elderly or child) or a child's support plan.

    Args:
        assessment: an elderly or child assessment, or a child's support plan.
        lang: ``"zh"`` or ``"en"``.

    Raises:
        InvalidArgumentError: ``assessment`` is none of these, or ``lang`` is not
            ``"zh"`` or ``"en"``.
    """
    if isinstance(assessment, ChildAssessment | SupportPlan):
        return explain_child(assessment, lang)
    return explain_elderly(assessment, lang)
