"""Manual overrides (spec §7): a caseworker's judgement set over a computed tier or risk.

PIPL Art. 24 gives a person the right to refuse a decision made solely by automated
means, and a social worker who sees what the data does not must be able to set the
tier of an older resident (or the risk level of a child) with a reason that is kept.
An :class:`Override` is that decision. :func:`override` applies one to an assessment:
the assessment keeps its computed tier or risk and every reason of it, and gains the
override and a reason with code ``manual_override``. What follows the level (the
follow-up cadence and visits, the reports) uses the overridden level; what follows
the facts (needs, interventions, support plans, the mandatory report) does not change.

``by`` is the name or staff id of the caseworker who decided, kept as they sign a
case file (as a visit's ``by`` is); the free-text ``reason`` is the caller's record:
it is kept whole in the JSON form and in the ``manual_override`` reason, and is never
shown in an error message or a ``repr``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar, overload

import attrs

from community_care._kernel.checks import check_date, fail
from community_care._kernel.fields import date_field, describe, enum_field, str_field
from community_care._kernel.text import word
from community_care.errors import InvalidInputError
from community_care.reasons import Reason
from community_care.vocab import CaseKind, ChildRisk, RiskTier

if TYPE_CHECKING:
    from community_care.children import ChildAssessment
    from community_care.elderly import ElderlyAssessment

__all__ = ["MANUAL_OVERRIDE", "Override", "latest_overrides", "override"]

#: The code of the reason an override adds to an assessment.
MANUAL_OVERRIDE = "manual_override"

_LEVELS: dict[str, RiskTier | ChildRisk] = {
    **RiskTier._value2member_map_,  # type: ignore[dict-item]  # the map holds the members
    **ChildRisk._value2member_map_,  # type: ignore[dict-item]
}


def _to_level(value: object) -> object:
    # "red" becomes RiskTier.RED and "high" ChildRisk.HIGH (the two enums share no
    # value); anything else is left for the check to refuse with the value as it came.
    return _LEVELS.get(value, value) if isinstance(value, str) else value


def _reason_repr(value: Any) -> str:
    # Free text may name the resident or their family: never shown in a repr.
    return f"<{len(value)} characters>" if isinstance(value, str) else "<not a string>"


def _check_reason(_inst: object, _attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        # The value is not shown: a reason is free text about a person.
        raise InvalidInputError.at(
            "$.reason", "expected a non-empty reason (free text saying why the level is set)"
        )


@attrs.frozen(kw_only=True)
class Override:
    """A caseworker's override of a case's level (spec §7), as recorded in a snapshot.

    ``level`` is a tier (``red`` / ``yellow`` / ``green``) for ``kind`` ``elderly``
    and a risk level (``high`` / ``medium`` / ``low``) for ``kind`` ``child``;
    ``reason`` must not be empty; ``on`` is the day it was decided (not after the
    date of the plan that applies it).

    Examples:
        >>> o = Override(case_id="e1", kind="elderly", level="red", by="caseworker 07",
        ...              reason="lives alone since last week", on=date(2026, 3, 1))
        >>> o.level
        <RiskTier.RED: 'red'>
        >>> o
        Override(case_id='e1', kind=<CaseKind.ELDERLY: 'elderly'>, level=<RiskTier.RED: 'red'>, \
by='caseworker 07', reason=<27 characters>, on=datetime.date(2026, 3, 1))
    """

    case_id: str = str_field()
    kind: CaseKind = enum_field(CaseKind)
    level: RiskTier | ChildRisk = attrs.field(
        converter=_to_level, metadata={"schema": {"type": "string", "minLength": 1}}
    )
    by: str = str_field()
    # Free text may name the resident or their family: its repr is its length only.
    reason: str = attrs.field(
        validator=_check_reason,
        repr=_reason_repr,
        metadata={"schema": {"type": "string", "minLength": 1}},
    )
    on: date = date_field()

    def __attrs_post_init__(self) -> None:
        levels = self.kind.levels
        if not isinstance(self.level, levels):
            choices = ", ".join(repr(m.value) for m in sorted(levels, key=lambda m: m.rank))
            raise InvalidInputError.at(
                "$.level",
                f"expected {'a tier' if self.kind is CaseKind.ELDERLY else 'a risk level'}"
                f" for a {self.kind.value} case, one of {choices}, got"
                f" {describe(getattr(self.level, 'value', self.level))}",
            )


def _override_reason(item: Override, computed: str) -> Reason:
    """The ``manual_override`` reason: who set which level over the computed one, and why."""
    level = item.level
    was = word(_LEVELS[computed], "zh") if computed in _LEVELS else word("risk.none", "zh")
    return Reason(
        code=MANUAL_OVERRIDE,
        dimension="override",
        effect=level.value,
        zh=f"人工调整：{item.by}于{item.on.isoformat()}将等级由{was}"
        f"调整为{word(level, 'zh')}，理由：{item.reason}",
        en=f"manual override: {item.by} set the level to {level.value} (computed"
        f" {computed}) on {item.on.isoformat()}, because: {item.reason}",
    )


_A = TypeVar("_A")


@overload
def override(
    assessment: ElderlyAssessment, *, level: RiskTier | str, by: str, reason: str, on: date
) -> ElderlyAssessment: ...
@overload
def override(
    assessment: ChildAssessment, *, level: ChildRisk | str, by: str, reason: str, on: date
) -> ChildAssessment: ...
def override(assessment: Any, *, level: Any, by: str, reason: str, on: date) -> Any:
    """An assessment with a caseworker's level set over the computed one (spec §7).

    The new assessment keeps the computed ``tier`` (or ``risk``) and all its
    reasons, records the override in ``override`` and adds a reason with code
    ``manual_override`` naming who decided and why. Its ``effective_tier`` (or
    ``effective_risk``) is the overridden level: follow-up and reports use that.
    An assessment already overridden is overridden again (the new one replaces it).

    Args:
        assessment: an :class:`~community_care.elderly.ElderlyAssessment` or a
            :class:`~community_care.children.ChildAssessment`.
        level: a tier for an older resident, a risk level for a child.
        by: who decided (a caseworker's name or staff id).
        reason: why (non-empty free text, kept in the case file).
        on: the day it was decided; not after the assessment's date.

    Returns:
        The new assessment (the one given is unchanged).

    Raises:
        InvalidInputError: ``level`` is not a level of the case's kind (``$.level``),
            ``by`` or ``reason`` is empty, or ``on`` is after the assessment's date
            (``$.on``). The reason's text is never shown.
        InvalidArgumentError: ``assessment`` is neither kind of assessment, or ``on``
            is not a date.

    Examples:
        >>> from community_care import ElderlyProfile, assess_elderly
        >>> a = assess_elderly(ElderlyProfile(id="e1", birth_date=date(1950, 3, 1),
        ...                                   living_arrangement="with_family"),
        ...                    on=date(2026, 3, 2))
        >>> b = override(a, level="yellow", by="Wang", reason="recent bereavement",
        ...              on=date(2026, 3, 2))
        >>> b.tier.value, b.effective_tier.value, b.reasons[-1].code
        ('green', 'yellow', 'manual_override')
    """
    from community_care.children import ChildAssessment
    from community_care.elderly import ElderlyAssessment

    check_date("override", "on", on)
    if isinstance(assessment, ElderlyAssessment):
        kind, case_id = CaseKind.ELDERLY, assessment.resident_id
    elif isinstance(assessment, ChildAssessment):
        kind, case_id = CaseKind.CHILD, assessment.child_id
    else:
        raise fail(
            "override", "assessment", "an ElderlyAssessment or a ChildAssessment", assessment
        )
    item = Override(case_id=case_id, kind=kind, level=level, by=by, reason=reason, on=on)
    return apply_override(assessment, item)


def apply_override(assessment: _A, item: Override) -> _A:
    """``assessment`` with ``item`` applied (its case and kind are taken as matching).

    Raises:
        InvalidInputError: ``item.on`` is after the assessment's date (``$.on``).
    """
    a: Any = assessment
    if item.on > a.on:
        raise InvalidInputError.at(
            "$.on",
            f"expected a date on or before the assessment's date {a.on.isoformat()},"
            f" got {item.on.isoformat()}",
        )
    computed = a.tier if item.kind is CaseKind.ELDERLY else a.risk
    shown = computed.value if computed is not None else "none"
    kept = tuple(r for r in a.reasons if r.code != MANUAL_OVERRIDE)
    result: _A = attrs.evolve(a, override=item, reasons=(*kept, _override_reason(item, shown)))
    return result


def latest_overrides(items: list[tuple[int, Override]]) -> dict[tuple[CaseKind, str], int]:
    """For each (kind, case id), the index of the override that wins (spec §7).

    The latest ``on`` wins; for the same ``on``, the later in the list.
    """
    best: dict[tuple[CaseKind, str], tuple[date, int]] = {}
    for index, item in items:
        key = (item.kind, item.case_id)
        if key not in best or (item.on, index) >= best[key]:
            best[key] = (item.on, index)
    return {key: index for key, (_, index) in best.items()}
