"""Needs and offers (spec §4): what is needed where and by when, and what each party can give."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol

import attrs

from community_care._kernel.checks import check_date, check_instance, fail
from community_care._kernel.fields import (
    date_field,
    enum_field,
    int_field,
    str_field,
    str_tuple_field,
)
from community_care.errors import InvalidInputError
from community_care.vocab import PartyKind, Urgency

if TYPE_CHECKING:
    from community_care.elderly import ElderlyAssessment

__all__ = [
    "CARING_MOTHER",
    "DUTY_ACTIONS",
    "ActionLike",
    "Need",
    "NeedSource",
    "Offer",
    "PlanLike",
    "needs_from_assessment",
    "needs_from_plan",
]


class NeedSource(enum.StrEnum):
    """Where a need came from."""

    MICRO_WISH = "micro_wish"  # 微心愿
    MICRO_PROJECT = "micro_project"  # 微项目
    ASSESSMENT = "assessment"
    PROBLEM = "problem"  # 急难愁盼
    PLAN = "plan"


@attrs.frozen(kw_only=True)
class Need:
    """Something a resident or the community needs done (spec §4).

    ``needed_by`` is the date it is needed by, or ``None`` (then its urgency
    implies a deadline). ``source`` defaults to ``plan``.

    Examples:
        >>> Need(id="n1", category="rewiring", urgency="high", grid="g1").urgency
        <Urgency.HIGH: 'high'>
    """

    id: str = str_field()
    category: str = str_field()
    urgency: Urgency = enum_field(Urgency)
    grid: str = str_field()
    needed_by: date | None = date_field(default=None, optional=True)
    source: NeedSource = enum_field(NeedSource, default=NeedSource.PLAN)
    beneficiary: str | None = str_field(default=None, optional=True)


@attrs.frozen(kw_only=True)
class Offer:
    """What a party offers: the categories it can serve, how many needs, where and when.

    ``grids`` empty means every grid; ``home_grid`` only earns the proximity
    bonus. ``available_from`` after ``available_until`` is invalid. ``vetted_on``
    is when the person was last vetted (入职查询): an individual (``volunteer`` or
    ``resident``) takes a need of one-to-one contact with a child only when vetted
    within the policy's window (spec §4).

    Examples:
        >>> o = Offer(id="o1", party="volunteer", name="Sewing team", capabilities=["sewing"],
        ...           capacity=5)
        >>> o.party, o.capabilities, o.grids
        (<PartyKind.VOLUNTEER: 'volunteer'>, ('sewing',), ())
    """

    id: str = str_field()
    party: PartyKind = enum_field(PartyKind)
    name: str = str_field(default="", non_empty=False)
    capabilities: tuple[str, ...] = str_tuple_field(default=())
    capacity: int = int_field(default=1, minimum=0)
    grids: tuple[str, ...] = str_tuple_field(default=())
    home_grid: str | None = str_field(default=None, optional=True)
    available_from: date | None = date_field(default=None, optional=True)
    available_until: date | None = date_field(default=None, optional=True)
    # When the person was last checked against the records of sexual assault, abuse,
    # trafficking and violence (入职查询, 未成年人保护法 Art. 62): see the vetting rule.
    vetted_on: date | None = date_field(default=None, optional=True)

    def __attrs_post_init__(self) -> None:
        if (
            self.available_from is not None
            and self.available_until is not None
            and self.available_from > self.available_until
        ):
            raise InvalidInputError.at(
                "$.available_from",
                f"expected a date on or before available_until {self.available_until},"
                f" got {self.available_from}",
            )


#: The need category of a caring-mother pairing (the plan action ``caring_mother_pairing``).
CARING_MOTHER = "caring_mother"

#: Plan actions that are the committee's own legal duty, never a need to match: the
#: mandatory report (强制报告) is made by the committee itself, the day a concern is found.
DUTY_ACTIONS: frozenset[str] = frozenset({"mandatory_report"})


# --- needs from assessments and plans ----------------------------------------------------


class ActionLike(Protocol):
    """What :func:`needs_from_plan` reads from a support-plan action."""

    @property
    def code(self) -> str: ...

    @property
    def category(self) -> str: ...

    @property
    def urgency(self) -> Urgency | str: ...

    @property
    def due_on(self) -> date | None: ...


class PlanLike(Protocol):
    """What :func:`needs_from_plan` reads from a child's support plan.

    :class:`community_care.children.SupportPlan` is one; any object with these
    attributes will do (and an optional ``grid``).
    """

    @property
    def child_id(self) -> str: ...

    @property
    def actions(self) -> Sequence[ActionLike]: ...


def needs_from_assessment(
    assessment: ElderlyAssessment, *, on: date, grid: str | None = None
) -> tuple[Need, ...]:
    """The needs of an elderly assessment's recommended interventions (spec §2, §4).

    Each intervention becomes a need with id ``"{resident_id}:{code}"`` (the
    registry key, not an ID number), its category and urgency, no date (its
    urgency sets its deadline), source ``assessment`` and the resident as
    beneficiary.

    Args:
        assessment: an :class:`~community_care.elderly.ElderlyAssessment`.
        on: the date the needs are drawn up; the assessment must not be later.
        grid: the grid to place the needs in (default: the assessment's grid).

    Returns:
        The needs, in the order of the interventions.

    Raises:
        InvalidInputError: no grid is given or recorded, or the assessment is
            dated after ``on``.

    Examples:
        >>> from community_care import ElderlyProfile, HomeSafety, assess_elderly
        >>> p = ElderlyProfile(id="e1", birth_date=date(1950, 5, 1), living_arrangement="alone",
        ...                    home=HomeSafety(safe_wiring=False))
        >>> a = assess_elderly(p, on=date(2026, 3, 2))
        >>> [(n.id, n.urgency.value) for n in needs_from_assessment(a, on=date(2026, 3, 2),
        ...                                                          grid="g1")]
        [('e1:rewiring', 'normal'), ('e1:health_check', 'normal')]
    """
    from community_care.elderly import ElderlyAssessment  # elderly is above linkage

    check_instance(
        "needs_from_assessment", "assessment", assessment, ElderlyAssessment, "assess_elderly(...)"
    )
    check_date("needs_from_assessment", "on", on)
    if assessment.on > on:
        raise InvalidInputError.at(
            "$.on",
            f"expected a date on or after the assessment's date {assessment.on.isoformat()},"
            f" got {on.isoformat()}",
        )
    where = grid if grid is not None else assessment.grid
    if where is None:
        raise InvalidInputError.at(
            "$.grid",
            f"expected a grid for the needs of {assessment.resident_id!r}: record the"
            " resident's grid or pass grid='g1'",
        )
    return tuple(
        Need(
            id=f"{assessment.resident_id}:{item.code}",
            category=item.category,
            urgency=item.urgency,
            grid=where,
            needed_by=None,
            source=NeedSource.ASSESSMENT,
            beneficiary=assessment.resident_id,
        )
        for item in assessment.interventions
    )


def needs_from_plan(plan: PlanLike, *, grid: str | None = None) -> tuple[Need, ...]:
    """The needs of a child's support plan: one per action, due on the action's date.

    The committee's own duties (:data:`DUTY_ACTIONS`: the ``mandatory_report``)
    are not needs and are left out. Each other action becomes a need with id
    ``"{child_id}:{code}"``, the action's category (``caring_mother`` for the
    pairing) and urgency, ``needed_by`` its ``due_on``, source ``plan`` and the
    child as beneficiary.

    Args:
        plan: a :class:`~community_care.children.SupportPlan`, or any object with
            ``child_id`` and ``actions`` (see :class:`PlanLike`).
        grid: the grid to place the needs in (default: the plan's ``grid``, if it has one).

    Returns:
        The needs, in the order of the actions.

    Raises:
        InvalidInputError: no grid is given or recorded, or an action's urgency
            or date is not valid.
        InvalidArgumentError: ``plan`` has no ``child_id`` or no ``actions``.

    Examples:
        >>> from types import SimpleNamespace as NS
        >>> plan = NS(child_id="c1", grid="g2", actions=[
        ...     NS(code="caring_mother_pairing", category="caring_mother", urgency="normal",
        ...        due_on=date(2026, 4, 1))])
        >>> [(n.id, n.category, n.grid, n.needed_by) for n in needs_from_plan(plan)]
        [('c1:caring_mother_pairing', 'caring_mother', 'g2', datetime.date(2026, 4, 1))]
    """
    if not (hasattr(plan, "child_id") and hasattr(plan, "actions")):
        raise fail(
            "needs_from_plan",
            "plan",
            "a support plan such as plan_support(...), or an object with child_id and actions",
            plan,
        )
    where = grid if grid is not None else getattr(plan, "grid", None)
    if where is None:
        raise InvalidInputError.at(
            "$.grid",
            f"expected a grid for the needs of {plan.child_id!r}: record the child's grid"
            " or pass grid='g1'",
        )
    needs: list[Need] = []
    for a, action in enumerate(plan.actions):
        if action.code in DUTY_ACTIONS:
            continue
        try:
            urgency = Urgency(action.urgency)
        except ValueError:
            raise InvalidInputError.at(
                f"$.actions[{a}].urgency",
                f"expected one of {', '.join(repr(u.value) for u in Urgency)},"
                f" got {action.urgency!r}",
            ) from None
        needs.append(
            Need(
                id=f"{plan.child_id}:{action.code}",
                category=action.category,
                urgency=urgency,
                grid=where,
                needed_by=action.due_on,
                source=NeedSource.PLAN,
                beneficiary=plan.child_id,
            )
        )
    return tuple(needs)
