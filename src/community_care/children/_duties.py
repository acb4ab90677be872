"""The mandatory report (强制报告, spec §3): which children the committee must report, since when.

A residents' committee that finds a child suffering, or suspected of suffering, harm
must report it at once to the public security organ (公安机关, 110) and to civil
affairs or education (未成年人保护法 Art. 11; the 2020 opinion on the mandatory
reporting system). A support plan carries the duty as its ``mandatory_report``
action; :func:`mandatory_reports` lists the reports not yet made.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from community_care._kernel.checks import check_date, check_instance, check_iterable
from community_care.children._plan import MANDATORY_REPORT, SupportPlan
from community_care.reasons import Reason

__all__ = ["MandatoryReport", "mandatory_reports"]


@attrs.frozen(kw_only=True)
class MandatoryReport:
    """A mandatory report not yet made (a result, not an input).

    ``due_on`` is the day the concern was found (the plan's date when that is not
    recorded); ``days_overdue`` is ``on - due_on`` in days, 0 when due today.
    ``reasons`` are the ``mandatory_report`` action's.

    Examples:
        >>> r = MandatoryReport(child_id="c1", due_on=date(2026, 3, 1), days_overdue=1,
        ...                     reasons=())
        >>> r.days_overdue
        1
    """

    child_id: str
    due_on: date
    days_overdue: int
    reasons: tuple[Reason, ...]


def mandatory_reports(plans: Iterable[SupportPlan], on: date) -> tuple[MandatoryReport, ...]:
    """The mandatory reports outstanding on ``on``: oldest first, then by child id.

    A plan whose ``mandatory_report`` action has no ``done_on`` is outstanding; one
    with ``done_on`` (the profile's ``reported_on``) is done and not listed.

    Args:
        plans: support plans (from :func:`plan_support`).
        on: the day of the list.

    Returns:
        One :class:`MandatoryReport` per child whose report is not made; empty when none.

    Raises:
        InvalidArgumentError: ``plans`` is not an iterable of support plans, or ``on``
            not a date.

    Examples:
        >>> from community_care.children import ChildProfile, Parent, assess_child, plan_support
        >>> c = ChildProfile(id="c1", birth_date=date(2015, 3, 2), guardian="parents",
        ...                  parents=[Parent(status="present"), Parent(status="present")],
        ...                  abuse_or_neglect_concern=True, concern_found_on=date(2026, 3, 1))
        >>> plan = plan_support(assess_child(c, on=date(2026, 3, 3)), on=date(2026, 3, 3))
        >>> [(r.child_id, r.due_on.isoformat(), r.days_overdue)
        ...  for r in mandatory_reports([plan], date(2026, 3, 3))]
        [('c1', '2026-03-01', 2)]
    """
    items = check_iterable("mandatory_reports", "plans", plans, "[plan_support(...)]")
    check_date("mandatory_reports", "on", on)
    out: list[MandatoryReport] = []
    for plan in items:
        check_instance("mandatory_reports", "plans", plan, SupportPlan, "plan_support(...)")
        for action in plan.actions:
            if action.code == MANDATORY_REPORT and action.done_on is None:
                out.append(
                    MandatoryReport(
                        child_id=plan.child_id,
                        due_on=action.due_on,
                        days_overdue=(on - action.due_on).days,
                        reasons=action.reasons,
                    )
                )
    return tuple(sorted(out, key=lambda r: (r.due_on, r.child_id)))
