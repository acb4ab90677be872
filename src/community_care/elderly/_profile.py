"""An older resident's record (spec §2): living arrangement, health, family, home."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from community_care._kernel.fields import (
    bool_field,
    check_birth_date_matches_id,
    date_field,
    enum_field,
    int_field,
    model_field,
    name_field,
    phone_field,
    resident_id_field,
    str_field,
)
from community_care.elderly._ability import AbilityItems
from community_care.identity import PhoneNumber, ResidentId
from community_care.vocab import EconomicStatus

__all__ = ["ElderlyProfile", "HomeSafety", "LivingArrangement"]


class LivingArrangement(enum.StrEnum):
    """Who an older resident lives with."""

    ALONE = "alone"  # 独居
    WITH_SPOUSE_ONLY = "with_spouse_only"  # 空巢
    WITH_FAMILY = "with_family"
    INSTITUTION = "institution"  # 机构


@attrs.frozen(kw_only=True)
class HomeSafety:
    """The safety of an older resident's home; every default is the safe answer.

    Examples:
        >>> HomeSafety()
        HomeSafety(smoke_alarm=True, safe_wiring=True, grab_bars=True, floor=1, elevator=False)
    """

    smoke_alarm: bool = bool_field(default=True)
    safe_wiring: bool = bool_field(default=True)
    grab_bars: bool = bool_field(default=True)
    floor: int = int_field(default=1, minimum=0)
    elevator: bool = bool_field(default=False)


@attrs.frozen(kw_only=True)
class ElderlyProfile:
    """An older resident as recorded in the registry (spec §2).

    ``name``, ``resident_id`` and ``phone`` are optional and shown masked in
    ``repr``. A ``resident_id`` whose encoded birth date differs from
    ``birth_date`` is invalid. ``grid`` (optional) is the grid the resident
    lives in, used to place the needs of the assessment.

    ``ability_items`` (the 26 GB/T 42195-2022 scores, spec §2.1), when given, decide
    the ability level (with ``dementia``, ``psychiatric_disorder`` and
    ``care_risk_events_30_days``); a recorded ``ability_level`` must then be null or
    that level, which the assessment checks (the thresholds are dated policy).

    Examples:
        >>> p = ElderlyProfile(id="e1", birth_date=date(1940, 5, 1), living_arrangement="alone",
        ...                    name="王秀英")
        >>> p.living_arrangement
        <LivingArrangement.ALONE: 'alone'>
        >>> "秀英" in repr(p)
        False
    """

    id: str = str_field()
    birth_date: date = date_field()
    living_arrangement: LivingArrangement = enum_field(LivingArrangement)
    left_behind: bool = bool_field(default=False)
    ability_level: int | None = int_field(default=None, minimum=0, maximum=4, optional=True)
    ability_items: AbilityItems | None = model_field(AbilityItems, optional=True)
    dementia: bool = bool_field(default=False)
    psychiatric_disorder: bool = bool_field(default=False)
    care_risk_events_30_days: int = int_field(default=0, minimum=0)
    severe_disability: bool = bool_field(default=False)
    chronic_conditions: int = int_field(default=0, minimum=0)
    falls_last_12_months: int = int_field(default=0, minimum=0)
    special_family: bool = bool_field(default=False)
    economic_status: EconomicStatus = enum_field(EconomicStatus, default=EconomicStatus.NONE)
    has_emergency_contact: bool = bool_field(default=True)
    home: HomeSafety = model_field(HomeSafety, factory=HomeSafety)
    name: str | None = name_field()
    resident_id: ResidentId | None = resident_id_field()
    phone: PhoneNumber | None = phone_field()
    grid: str | None = str_field(default=None, optional=True)

    def __attrs_post_init__(self) -> None:
        check_birth_date_matches_id(self.birth_date, self.resident_id)
