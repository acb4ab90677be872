"""Recorded visits (spec §5): when, by whom, how (mode), whether the person was met, findings."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from community_care._kernel.fields import (
    bool_field,
    date_field,
    enum_field,
    model_tuple_field,
    str_field,
)
from community_care.vocab import FindingBlock, VisitMode

__all__ = ["Finding", "Visit"]


def _hide(note: str) -> str:
    # Notes are free text that may name the resident: never shown in a repr.
    return f"<{len(note)} chars>"


def _note_field() -> Any:
    field = str_field(default="", non_empty=False)
    field.repr = _hide
    return field


@attrs.frozen(kw_only=True)
class Finding:
    """One thing a visit found, in one of the five blocks of a visit record (探访内容).

    ``category`` is a code: a need category (``chronic_care``, ``basic_living_allowance``,
    ...) for most blocks, a hazard kind (``blocked_fire_escape``, ...) for a safety
    finding about the home or building. ``note`` is free text, personal data: it is
    never shown in ``repr`` or in a message. :func:`community_care.ledger.findings_to_records`
    turns findings into problems and hazards.

    Examples:
        >>> Finding(block="safety", category="flying_lead_charging", note="楼道飞线充电")
        Finding(block=<FindingBlock.SAFETY: 'safety'>, category='flying_lead_charging', note=<6 chars>)
    """  # noqa: E501

    block: FindingBlock = enum_field(FindingBlock)
    category: str = str_field()
    note: str = _note_field()


@attrs.frozen(kw_only=True)
class Visit:
    """A recorded visit: the day, who visited (a staff or volunteer id), a note, how, and more.

    ``mode`` is how the person was reached (``home`` 上门入户, ``phone`` 电话, ``video``
    视频); ``met`` is false for an attempt (探访未遇: nobody was reached), which stays in
    the history but is not a visit for any rule: it moves no anchor or due date and
    counts in no KPI. ``findings`` are what the visit found, by block. The note and
    the findings' notes are free text and are not shown in ``repr``.

    Examples:
        >>> Visit(on=date(2026, 3, 2), by="w01", note="家中安全")
        Visit(on=datetime.date(2026, 3, 2), by='w01', note=<4 chars>, mode=<VisitMode.HOME: 'home'>, met=True, findings=())
        >>> Visit(on=date(2026, 3, 2), by="w01", mode="phone", met=False).met
        False
    """  # noqa: E501

    on: date = date_field()
    by: str = str_field()
    note: str = _note_field()
    mode: VisitMode = enum_field(VisitMode, default=VisitMode.HOME)
    met: bool = bool_field(default=True)
    findings: tuple[Finding, ...] = model_tuple_field(Finding, default=())
