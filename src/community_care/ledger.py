"""The community's ledger (台账): service activities, problems and hazards.

Lifecycles and the KPIs of spec §6 build on these models.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import attrs

from community_care._fields import (
    date_field,
    enum_field,
    int_field,
    model_tuple_field,
    str_field,
    str_tuple_field,
    tuple_field,
)
from community_care.errors import InvalidInputError
from community_care.vocab import PartyKind

__all__ = [
    "Event",
    "Hazard",
    "HazardKind",
    "HazardStatus",
    "Problem",
    "ProblemSource",
    "ProblemStatus",
    "ServiceActivity",
]


def _is_party(value: object) -> bool:
    return isinstance(value, PartyKind)


def _parties(value: object) -> object:
    """Accept party kinds given as their string values."""
    if isinstance(value, list | tuple):
        return tuple(
            PartyKind(v) if isinstance(v, str) and v in PartyKind._value2member_map_ else v
            for v in value
        )
    return value


def parties_field() -> Any:
    """A tuple of party kinds (a list of their values in JSON)."""
    field = tuple_field(
        _is_party,
        "a party kind such as 'volunteer'",
        {"type": "string", "enum": [k.value for k in PartyKind]},
        default=(),
    )
    field.converter = _parties
    field.metadata["enum_items"] = PartyKind
    return field


@attrs.frozen(kw_only=True)
class ServiceActivity:
    """A service activity held for residents (spec §6).

    ``participants`` are the ids of residents known by name; ``headcount`` counts
    everyone who came, so it is at least ``len(participants)``.

    Examples:
        >>> a = ServiceActivity(id="a1", date=date(2026, 3, 7), category="health_check",
        ...                     organizer="member_unit", grid="g1", participants=["e1", "e2"],
        ...                     headcount=40)
        >>> a.headcount - len(a.participants)
        38
    """

    id: str = str_field()
    date: date = date_field()
    category: str = str_field()
    organizer: PartyKind = enum_field(PartyKind)
    grid: str = str_field()
    participants: tuple[str, ...] = str_tuple_field(default=(), unique=True)
    headcount: int = int_field(minimum=0)

    def __attrs_post_init__(self) -> None:
        if self.headcount < len(self.participants):
            raise InvalidInputError.at(
                "$.headcount",
                f"expected at least the {len(self.participants)} named participants,"
                f" got {self.headcount}",
            )


@attrs.frozen(kw_only=True)
class Event:
    """One recorded step of a lifecycle: the new status, when, by whom, with whom, and why."""

    on: date = date_field()
    status: str = str_field()
    actor: str = str_field(default="", non_empty=False)
    note: str = str_field(default="", non_empty=False)
    parties: tuple[PartyKind, ...] = parties_field()


class ProblemSource(enum.StrEnum):
    """How a problem came to the committee's attention."""

    RESIDENT_REPORT = "resident_report"
    OUTREACH = "outreach"  # found by home visits (proactive)
    INSPECTION = "inspection"  # found by inspections (proactive)
    HOTLINE = "hotline"  # 12345 and similar


class ProblemStatus(enum.StrEnum):
    """Where a problem stands."""

    REPORTED = "reported"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    VERIFIED = "verified"
    REOPENED = "reopened"


@attrs.frozen(kw_only=True)
class Problem:
    """An urgent problem of residents (急难愁盼) and its history (spec §6).

    ``parties`` are the party kinds that took part in resolving it.
    """

    id: str = str_field()
    category: str = str_field()
    reported_on: date = date_field()
    source: ProblemSource = enum_field(ProblemSource)
    grid: str | None = str_field(default=None, optional=True)
    status: ProblemStatus = enum_field(ProblemStatus, default=ProblemStatus.REPORTED)
    parties: tuple[PartyKind, ...] = parties_field()
    history: tuple[Event, ...] = model_tuple_field(Event, default=())


class HazardKind(enum.StrEnum):
    """Kinds of fire and safety hazard found on inspection."""

    TANGLED_WIRING = "tangled_wiring"
    FLYING_LEAD_CHARGING = "flying_lead_charging"  # 飞线充电
    BLOCKED_FIRE_ESCAPE = "blocked_fire_escape"
    STAIRWELL_CLUTTER = "stairwell_clutter"
    GAS = "gas"
    OTHER = "other"


class HazardStatus(enum.StrEnum):
    """Where a hazard stands."""

    OPEN = "open"
    RECTIFIED = "rectified"
    VERIFIED = "verified"
    REOPENED = "reopened"


@attrs.frozen(kw_only=True)
class Hazard:
    """A fire or safety hazard and its history (spec §6)."""

    id: str = str_field()
    kind: HazardKind = enum_field(HazardKind)
    building: str = str_field()
    grid: str = str_field()
    found_on: date = date_field()
    status: HazardStatus = enum_field(HazardStatus, default=HazardStatus.OPEN)
    history: tuple[Event, ...] = model_tuple_field(Event, default=())
