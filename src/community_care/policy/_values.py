"""The parameters: every number and table of the rules, grouped by section of the spec.

:class:`PolicyValues` holds the parameters in force on one date; each group
(:class:`ElderlyRules`, :class:`ChildRules`, ...) defaults to the specification's
values. Every table is frozen, so a value handed out cannot be changed by a caller.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import attrs

from community_care._kernel.convert import class_hook, converter, structure_at
from community_care._kernel.frozen import FrozenMapping
from community_care.vocab import CadenceUnit, ChildRisk, PartyKind, RiskTier, Urgency

SPEC_VERSION = "spec-v2"

# The largest value of each kind of parameter (see check_values). A day count, added to
# a date, must stay within what the calendar and date arithmetic hold; a century is
# beyond any deadline, window or cadence a locality sets.
MAX_DAYS = 36_500
MAX_MONTHS = 1_200
MAX_AGE = 150
# Points are added up (a resident's score, a match's score, a matching's total fit);
# a million per parameter keeps every total exact within the JSON integer range
# and in the solver's floating-point matrix.
MAX_POINTS = 1_000_000
# The parameter names (leaves of the rule groups) that count points without saying so.
_POINT_NAMES = frozenset(
    {
        "points",
        "home_cap",
        "red_min",
        "yellow_min",
        "suitability_weight",
        "proximity_bonus",
        "default_suitability",
        "suitability",
    }
)

_K = TypeVar("_K")
_V = TypeVar("_V")


def _freeze(value: Any) -> Any:
    """``value`` with every mapping in it a FrozenMapping and every list a tuple."""
    if isinstance(value, Mapping):
        return FrozenMapping({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _frozen(table: Mapping[_K, _V]) -> Mapping[_K, _V]:
    """A rule table as a read-only mapping, its nested tables and lists frozen too.

    The converter of every table of the rule groups: building a group and
    ``attrs.evolve`` both freeze, so the values :meth:`Policy.at` hands out cannot be
    changed by a caller (and through it, the results of every later call).
    """
    frozen: Mapping[_K, _V] = _freeze(table)
    return frozen


def _tuple(items: Sequence[_V]) -> tuple[_V, ...]:
    """A list given for a tuple field, as a tuple (a caller could change a list)."""
    return tuple(items) if isinstance(items, list) else items  # type: ignore[return-value]


@attrs.frozen
class Band:
    """A step of a banded rule: from ``minimum`` on, ``points`` (the highest band reached counts).

    Examples:
        >>> Band.points_for((Band(2, 1), Band(4, 2)), 3)
        1
        >>> Band.points_for((Band(2, 1), Band(4, 2)), 1)
        0
    """

    minimum: int
    points: int

    @staticmethod
    def points_for(bands: tuple[Band, ...], value: int) -> int:
        """Points of the highest band whose minimum ``value`` reaches (0 below every band)."""
        points = 0
        for band in bands:
            if value >= band.minimum:
                points = band.points
        return points


def _bands(*pairs: tuple[int, int]) -> tuple[Band, ...]:
    return tuple(Band(m, p) for m, p in pairs)


@attrs.frozen(kw_only=True)
class ElderlyRules:
    """Spec §2: points, tier thresholds, floors and intervention limits for older residents."""

    min_age: int = 60
    # Points by GB/T 42195-2022 ability level 0..4.
    ability_points: tuple[int, ...] = attrs.field(default=(0, 1, 3, 5, 6), converter=_tuple)
    # GB/T 42195-2022 (spec §2.1): the lowest total (of 90) of ability levels 0, 1, 2
    # and 3 (a lower total is level 4), and the care-risk events in 30 days that raise
    # the level by one.
    ability_level_min_totals: tuple[int, ...] = attrs.field(
        default=(90, 66, 46, 30), converter=_tuple
    )
    care_risk_events_raise_min: int = 2
    dementia_points: int = 3
    severe_disability_points: int = 2
    chronic_bands: tuple[Band, ...] = attrs.field(default=_bands((2, 1), (4, 2)), converter=_tuple)
    falls_bands: tuple[Band, ...] = attrs.field(default=_bands((1, 1), (2, 3)), converter=_tuple)
    living_alone_points: int = 3
    empty_nest_points: int = 1
    left_behind_points: int = 1
    no_emergency_contact_points: int = 2
    special_family_points: int = 2
    low_income_points: int = 1
    extreme_poverty_points: int = 2
    advanced_age_bands: tuple[Band, ...] = attrs.field(
        default=_bands((80, 1), (90, 2)), converter=_tuple
    )
    no_smoke_alarm_points: int = 1
    unsafe_wiring_points: int = 2
    no_grab_bars_points: int = 1
    stairs_without_elevator_points: int = 1
    stairs_min_floor: int = 4
    stairs_min_ability: int = 1
    home_cap: int = 3
    red_min: int = 8
    yellow_min: int = 4
    # Floors.
    very_old_age: int = 80
    repeated_falls_min: int = 2
    special_difficulty_min_ability: int = 2
    # Interventions.
    grab_bar_min_ability: int = 1
    grab_bar_min_falls: int = 1
    emergency_call_min_ability: int = 1
    emergency_call_min_age: int = 80
    health_check_min_age: int = 65
    chronic_care_min_conditions: int = 1
    # Urgency of the recommended interventions, by final tier.
    intervention_urgency: Mapping[RiskTier, Urgency] = attrs.field(
        converter=_frozen,
        factory=lambda: {
            RiskTier.RED: Urgency.HIGH,
            RiskTier.YELLOW: Urgency.NORMAL,
            RiskTier.GREEN: Urgency.LOW,
        },
    )


@attrs.frozen(kw_only=True)
class ChildRules:
    """Spec §3: age limits, risk thresholds, the action catalogue and review months."""

    max_age: int = 18  # a child is under 18 on the date
    left_behind_max_age: int = 16
    compulsory_school_min_age: int = 6
    compulsory_school_max_age: int = 16  # exclusive
    practice_education_min_age: int = 8
    mental_health_high_min: int = 3
    mental_health_medium_min: int = 1
    contact_months_high_over: int = 12  # left behind and more than this many months
    contact_months_medium_min: int = 6
    disability_medium_max_grade: int = 2
    review_months: Mapping[ChildRisk, int] = attrs.field(
        converter=_frozen,
        factory=lambda: {ChildRisk.HIGH: 3, ChildRisk.MEDIUM: 6, ChildRisk.LOW: 6},
    )
    # Urgency and due date (days after the plan) of each action, by risk level.
    action_urgency: Mapping[ChildRisk, Urgency] = attrs.field(
        converter=_frozen,
        factory=lambda: {
            ChildRisk.HIGH: Urgency.HIGH,
            ChildRisk.MEDIUM: Urgency.NORMAL,
            ChildRisk.LOW: Urgency.LOW,
        },
    )
    action_due_days: Mapping[ChildRisk, int] = attrs.field(
        converter=_frozen,
        factory=lambda: {ChildRisk.HIGH: 7, ChildRisk.MEDIUM: 30, ChildRisk.LOW: 60},
    )
    # Action code -> need category used for matching (the code itself when absent).
    action_categories: Mapping[str, str] = attrs.field(
        converter=_frozen, factory=lambda: {"caring_mother_pairing": "caring_mother"}
    )


def _default_suitability() -> dict[PartyKind, dict[str, int]]:
    table = {
        "community_committee": {
            "basic_living_allowance": 10,
            "guardianship_assessment": 10,
            "school_reenrolment": 8,
            "fire_safety": 8,
            "emergency_training": 7,
            "health_check": 6,
        },
        "member_unit": {
            "rewiring": 10,
            "ev_charging": 10,
            "chronic_care": 10,
            "pump_repair": 9,
            "stairwell_lighting": 9,
            "health_check": 9,
            "tree_trimming": 8,
            "handrail_install": 8,
            "material_aid": 8,
            "micro_wish": 8,
            "education_aid": 8,
            "smoke_alarm_install": 7,
            "emergency_call_device": 7,
            "medical_aid": 6,
        },
        "social_organization": {
            "counseling": 10,
            "practice_education": 9,
            "rehabilitation": 8,
            "emergency_training": 8,
            "companionship": 7,
            "tutoring": 7,
            "chronic_care": 4,
        },
        "volunteer": {
            "sewing": 10,
            "companionship": 9,
            "caring_mother": 9,
            "tutoring": 8,
            "cleanup": 8,
            "micro_wish": 6,
            "grab_bar_install": 4,
        },
        "resident": {"caring_mother": 8, "sewing": 7, "cleanup": 7, "companionship": 6},
        "social_worker": {"counseling": 9, "guardianship_assessment": 8, "companionship": 7},
        "charity_resource": {
            "material_aid": 10,
            "micro_wish": 9,
            "medical_aid": 9,
            "education_aid": 9,
            "basic_living_allowance": 3,
        },
    }
    return {PartyKind(party): row for party, row in table.items()}


def _by_urgency(critical: int, high: int, normal: int, low: int) -> dict[Urgency, int]:
    return {
        Urgency.CRITICAL: critical,
        Urgency.HIGH: high,
        Urgency.NORMAL: normal,
        Urgency.LOW: low,
    }


@attrs.frozen(kw_only=True)
class LinkageRules:
    """Spec §4: urgency points, undated deadlines, fit weights and the suitability table."""

    urgency_points: Mapping[Urgency, int] = attrs.field(
        converter=_frozen, factory=lambda: _by_urgency(1000, 400, 200, 100)
    )
    undated_deadline_days: Mapping[Urgency, int] = attrs.field(
        converter=_frozen, factory=lambda: _by_urgency(1, 7, 30, 90)
    )
    suitability_weight: int = 10
    proximity_bonus: int = 20
    default_suitability: int = 2
    suitability: Mapping[PartyKind, Mapping[str, int]] = attrs.field(
        converter=_frozen, factory=_default_suitability
    )
    # Vetting (入职查询, 未成年人保护法 Art. 62): needs of these categories (one-to-one
    # contact with a child) go to an individual only if vetted within the window.
    child_contact_categories: tuple[str, ...] = attrs.field(
        default=("caring_mother", "tutoring", "counseling"), converter=_tuple
    )
    vetting_valid_days: int = 365

    def suit(self, party: PartyKind | str, category: str) -> int:
        """SUIT(party, category): the table's value, or the default where it has none."""
        # A plain string finds its member: a StrEnum key hashes and compares as its value.
        row = self.suitability.get(party, {})  # type: ignore[arg-type]
        return row.get(category, self.default_suitability)


@attrs.frozen(kw_only=True)
class CaseFollowup:
    """How a kind of case is followed up: cadence, first-visit delay and grace (calendar days).

    This is the row of the policy's table (its fields are the parameter names, such as
    ``followup.elderly.red.every``); :func:`community_care.followup.cadence_for` gives
    the same terms for one case as a :class:`~community_care.followup.CaseCadence`.
    """

    every: int
    unit: CadenceUnit = attrs.field(converter=CadenceUnit)
    working_days_only: bool
    first_visit_days: int
    grace_days: int
    max_shift_days: int = 3
    # 月探访: no calendar month after the previous visit's goes without a visit (spec §5).
    cover_every_month: bool = False


def _fu(
    every: int, unit: str, wdo: bool, first: int, grace: int, *, cover: bool = False
) -> CaseFollowup:
    return CaseFollowup(
        every=every,
        unit=CadenceUnit(unit),
        working_days_only=wdo,
        first_visit_days=first,
        grace_days=grace,
        cover_every_month=cover,
    )


@attrs.frozen(kw_only=True)
class FollowupRules:
    """Spec §5: follow-up by elderly tier and child risk level, and the due-soon window."""

    elderly: Mapping[RiskTier, CaseFollowup] = attrs.field(
        converter=_frozen,
        factory=lambda: {
            RiskTier.RED: _fu(1, "week", False, 1, 1, cover=True),
            RiskTier.YELLOW: _fu(1, "month", True, 5, 5, cover=True),
            RiskTier.GREEN: _fu(3, "month", True, 10, 10),
        },
    )
    child: Mapping[ChildRisk, CaseFollowup] = attrs.field(
        converter=_frozen,
        factory=lambda: {
            ChildRisk.HIGH: _fu(1, "week", False, 1, 1),
            ChildRisk.MEDIUM: _fu(2, "week", True, 5, 3),
            ChildRisk.LOW: _fu(1, "month", True, 5, 5),
        },
    )
    due_soon_days: int = 3
    horizon_days: int = 90


@attrs.frozen(kw_only=True)
class LedgerRules:
    """Spec §6: hazard rectification deadlines by kind and the re-inspection delay.

    A blocked or locked fire escape is corrected on the spot (当场改正): its deadline is
    the day it was found (0 days), so it is overdue from the next day.
    """

    rectification_days: Mapping[str, int] = attrs.field(
        converter=_frozen,
        factory=lambda: {"flying_lead_charging": 1, "blocked_fire_escape": 0, "gas": 1},
    )
    default_rectification_days: int = 7
    reinspection_days: int = 30
    kpi_window_months: int = 12


@attrs.frozen(kw_only=True)
class PrivacyRules:
    """Spec §8: small-cell suppression in the aggregate tables of a pseudonymised export.

    ``min_cell_count`` is k: every count from 1 to k − 1 is shown as null (0 and k or
    more are shown), so that a cell cannot single out a household. k = 1 suppresses nothing.
    """

    min_cell_count: int = 5


@attrs.frozen(kw_only=True)
class PolicyValues:
    """The parameters in force on one date, grouped by section of the specification."""

    elderly: ElderlyRules = attrs.field(factory=ElderlyRules)
    children: ChildRules = attrs.field(factory=ChildRules)
    linkage: LinkageRules = attrs.field(factory=LinkageRules)
    followup: FollowupRules = attrs.field(factory=FollowupRules)
    ledger: LedgerRules = attrs.field(factory=LedgerRules)
    privacy: PrivacyRules = attrs.field(factory=PrivacyRules)


@functools.cache
def _specification_values() -> PolicyValues:
    """The specification's values, built once: immutable, so every policy can share them."""
    return PolicyValues()


_band_object = class_hook(Band)


def _structure_band(value: object, tp: type) -> Band:
    """A band as a document writes it: ``[minimum, points]``, or an object of the two."""
    if isinstance(value, list | tuple) and len(value) == 2:
        minimum, points = (structure_at(v, int, f"$[{i}]") for i, v in enumerate(value))
        return Band(minimum, points)
    return _band_object(value, tp)


converter.register_structure_hook(Band, _structure_band)
