"""A child's assessment or support plan in words a caseworker can paste into a case file."""

from __future__ import annotations

from community_care._kernel.checks import check_lang, fail
from community_care._kernel.text import word, word_or
from community_care.children._assessment import ChildAssessment
from community_care.children._plan import MANDATORY_REPORT, SupportPlan
from community_care.reasons import Lang

__all__ = ["explain_child"]


def explain_child(item: ChildAssessment | SupportPlan, lang: Lang = "zh") -> str:
    r"""A short text on a child's assessment or support plan, the mandatory report first.

    A concern of abuse or neglect puts the mandatory report (强制报告) at the top:
    whom to call and since when, or the day it was made. An override is named.

    Args:
        item: a :class:`ChildAssessment` or a :class:`SupportPlan`.
        lang: ``"zh"`` or ``"en"``.

    Raises:
        InvalidArgumentError: ``item`` is neither, or ``lang`` is not ``"zh"`` or ``"en"``.

    Examples:
        >>> from datetime import date
        >>> from community_care.children import ChildProfile, Parent, assess_child, plan_support
        >>> c = ChildProfile(id="c1", birth_date=date(2015, 3, 2), guardian="parents",
        ...                  parents=[Parent(status="present"), Parent(status="present")],
        ...                  abuse_or_neglect_concern=True, concern_found_on=date(2026, 3, 1))
        >>> a = assess_child(c, on=date(2026, 3, 2))
        >>> print(explain_child(plan_support(a, on=date(2026, 3, 2)), "en"))
        c1, plan of 2026-03-02: risk high; review on 2026-06-02
        - MANDATORY REPORT due 2026-03-01, not yet made: call the police (110) and tell civil
          affairs or education
        ...
        - mandatory report (safety and guardianship, critical, due 2026-03-01)
        - guardianship assessment (safety and guardianship, high, due 2026-03-09)
    """
    lang = check_lang("explain_child", lang)
    zh = lang == "zh"
    if isinstance(item, ChildAssessment):
        a = item
        risk = word(a.risk, lang) if a.risk else word("risk.none", lang)
        if zh:
            head = f"{a.child_id}，{a.age} 岁，{a.on.isoformat()}：{risk}"
        else:
            head = f"{a.child_id}, aged {a.age}, on {a.on.isoformat()}: {risk}"
        lines = [head]
        p = a.profile
        if p.abuse_or_neglect_concern:
            due = (p.concern_found_on or a.on).isoformat()
            lines.append(_duty(due, p.reported_on.isoformat() if p.reported_on else None, zh))
        lines.extend(f"- {r.message(lang)}" for r in a.reasons)
        return "\n".join(lines)
    if not isinstance(item, SupportPlan):
        raise fail("explain_child", "item", "a ChildAssessment or a SupportPlan", item)
    plan = item
    if zh:
        head = (
            f"{plan.child_id}，{plan.on.isoformat()} 帮扶计划：{word(plan.risk, lang)}；"
            f"{plan.review_on.isoformat()} 复评"
        )
    else:
        head = (
            f"{plan.child_id}, plan of {plan.on.isoformat()}: risk {plan.risk.value};"
            f" review on {plan.review_on.isoformat()}"
        )
    lines = [head]
    for action in plan.actions:
        if action.code == MANDATORY_REPORT:
            done = action.done_on.isoformat() if action.done_on else None
            lines.append(_duty(action.due_on.isoformat(), done, zh))
    for action in plan.actions:
        name = word_or(f"category.{action.code}", lang, action.code)
        dim, urgency = (
            word_or(f"dimension.{action.dimension.value}", lang, action.dimension.value),
            word(action.urgency, lang),
        )
        due = action.due_on.isoformat()
        if zh:
            text = f"- {name}（{dim}，{urgency}，{due} 前）"
            text += f"，{action.done_on.isoformat()} 已完成" if action.done_on else ""
        else:
            text = f"- {name} ({dim}, {urgency}, due {due})"
            text += f", done on {action.done_on.isoformat()}" if action.done_on else ""
        lines.append(text)
    return "\n".join(lines)


def _duty(due: str, done: str | None, zh: bool) -> str:
    if done is not None:
        if zh:
            return f"- 强制报告：应于 {due} 报告，已于 {done} 报告"
        return f"- mandatory report due {due}, made on {done}"
    if zh:
        return (
            f"- 强制报告：自 {due} 起应报告，尚未报告：立即向公安机关报案（110），"
            "并报告民政、教育部门"
        )
    return (
        f"- MANDATORY REPORT due {due}, not yet made: call the police (110) and tell civil"
        " affairs or education"
    )
