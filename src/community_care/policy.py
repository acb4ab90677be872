"""Policy: every number and table of the rules, versioned, with effective dates.

A locality changes the numbers without changing code. A :class:`Policy` has a
``version`` string and a list of :class:`Amendment` s, each changing named
parameters from a date on (as rules-as-code systems do). ``policy.at(on)``
gives the :class:`PolicyValues` in force on a date; :func:`default_policy` is
the product specification (v2) with no amendments.

Parameter names are dotted paths into :class:`PolicyValues`:
``elderly.red_min``, ``linkage.urgency_points.critical``,
``linkage.suitability.volunteer.sewing``, ``followup.elderly.red.grace_days``.

Examples:
    >>> from datetime import date
    >>> p = Policy.from_document({
    ...     "version": "gz-2027",
    ...     "amendments": [{"effective_from": "2027-07-01", "changes": {"elderly.red_min": 9}}],
    ... })
    >>> p.at(date(2027, 6, 30)).elderly.red_min, p.at(date(2027, 7, 1)).elderly.red_min
    (8, 9)
"""

from __future__ import annotations

import contextlib
import enum
import functools
import itertools
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import attrs

from community_care._kernel.checks import check_date, fail
from community_care._kernel.fields import LARGEST_INT, describe
from community_care._kernel.frozen import FrozenMapping
from community_care.errors import InputProblem, InvalidInputError
from community_care.vocab import CadenceUnit, ChildRisk, PartyKind, RiskTier, Urgency

__all__ = [
    "Amendment",
    "Band",
    "CaseFollowup",
    "ChildRules",
    "ElderlyRules",
    "FollowupRules",
    "LedgerRules",
    "LinkageRules",
    "Policy",
    "PolicyValues",
    "PrivacyRules",
    "default_policy",
]

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


@attrs.frozen(kw_only=True)
class Amendment:
    """Changes to named parameters, in force from ``effective_from`` on (until the next one).

    However it is built (directly, by :meth:`Policy.from_document`, by ``structure``),
    it is checked as a document's amendment is and its changes are typed and frozen:
    ``[[2, 1]]`` becomes bands, ``"high"`` an urgency, a table a read-only mapping.

    Raises:
        InvalidInputError: ``effective_from`` is not a date, or ``changes`` is not a
            non-empty mapping of parameter names to values of their types (every
            problem with its path, such as ``$.changes['elderly.red_min']``).

    Examples:
        >>> from datetime import date
        >>> a = Amendment(
        ...     effective_from=date(2027, 1, 1), changes={"elderly.chronic_bands": [[2, 1]]}
        ... )
        >>> a.changes["elderly.chronic_bands"]
        (Band(minimum=2, points=1),)
    """

    effective_from: date
    changes: Mapping[str, Any]

    def __attrs_post_init__(self) -> None:
        problems: list[InputProblem] = []
        start = self.effective_from
        if not isinstance(start, date) or isinstance(start, datetime):
            problems.append(
                InputProblem(
                    "$.effective_from",
                    f"expected a datetime.date such as date(2027, 7, 1), got {describe(start)}",
                )
            )
        typed = _typed_changes(self.changes, "$", problems)
        if problems:
            raise InvalidInputError(problems)
        # Frozen all the way down: a caller's dict (or a list in it) may change later.
        object.__setattr__(self, "changes", _freeze(typed))


def _in_date_order(amendments: Sequence[Amendment]) -> tuple[Amendment, ...]:
    """The amendments as a tuple in date order (what :meth:`Policy.at` relies on)."""
    if isinstance(amendments, list | tuple) and all(isinstance(a, Amendment) for a in amendments):
        return tuple(sorted(amendments, key=lambda a: a.effective_from))
    return amendments  # type: ignore[return-value]  # reported by Policy.__attrs_post_init__


@attrs.frozen(kw_only=True)
class Policy:
    """A versioned policy: the specification's values changed by dated amendments.

    Build one with :func:`default_policy`, :meth:`from_document`, ``structure(doc,
    Policy)`` or directly: every way validates the values in force in every period
    (built directly, the amendments are put in date order).

    Raises:
        InvalidInputError: the version is empty, two amendments take effect on the
            same date, or the values in force in some period are invalid.
    """

    version: str = SPEC_VERSION
    amendments: tuple[Amendment, ...] = attrs.field(default=(), converter=_in_date_order)
    # The values in force depend only on which amendments are in force, so they are built
    # once per such set (at most one more than there are amendments) and kept with the
    # policy: a plan asks for them hundreds of times on one date. Not part of the value.
    _values: dict[tuple[int, ...], PolicyValues] = attrs.field(
        factory=dict, init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        problems: list[InputProblem] = []
        if not isinstance(self.version, str) or not self.version:
            problems.append(_BAD_VERSION)
        if not isinstance(self.amendments, tuple):
            problems.append(InputProblem("$.amendments", "expected a tuple of Amendment"))
            raise InvalidInputError(problems)
        for i, a in enumerate(self.amendments):
            if not isinstance(a, Amendment):
                problems.append(
                    InputProblem(f"$.amendments[{i}]", f"expected an Amendment, got {describe(a)}")
                )
        if problems:
            raise InvalidInputError(problems)
        dated = [(i, a.effective_from, a.changes) for i, a in enumerate(self.amendments)]
        if not dated:
            return  # the specification's values: checked by the tests, built when asked
        kept = _without_overlaps(dated, problems)
        values = _periods([(start, changes) for _, start, changes in kept], problems)
        if problems:
            raise InvalidInputError(problems)
        # Every period's values are built and checked already: keep them for at().
        self._values.update(values)

    def at(self, on: date) -> PolicyValues:
        """The parameter values in force on ``on`` (immutable: tables are read-only mappings).

        Raises:
            InvalidArgumentError: ``on`` is not a date.
        """
        check_date("Policy.at", "on", on)
        key = tuple(i for i, a in enumerate(self.amendments) if a.effective_from <= on)
        values = self._values.get(key)
        if values is None:
            # Before any amendment (a policy builds and checks its other periods when it
            # is built): the specification's values, which every policy shares.
            values = _specification_values()
        return values

    def amend(self, effective_from: date, changes: Mapping[str, Any], *, version: str) -> Policy:
        """A new policy with one more amendment (validated), under a new version string.

        Raises:
            InvalidArgumentError: ``effective_from`` is not a date or ``changes`` not a mapping.
            InvalidInputError: the amended policy is invalid (every problem with its path).
        """
        check_date("Policy.amend", "effective_from", effective_from)
        if not isinstance(changes, Mapping):
            raise fail(
                "Policy.amend", "changes", "a mapping such as {'elderly.points.falls': 3}", changes
            )
        doc = self.to_document()
        doc["version"] = version
        doc["amendments"].append(
            {"effective_from": effective_from.isoformat(), "changes": dict(changes)}
        )
        return Policy.from_document(doc)

    def to_document(self) -> dict[str, Any]:
        """The plain-data form of the policy (what :meth:`from_document` reads)."""
        return {
            "version": self.version,
            "amendments": [
                {
                    "effective_from": a.effective_from.isoformat(),
                    "changes": {k: _plain(v) for k, v in a.changes.items()},
                }
                for a in self.amendments
            ],
        }

    @classmethod
    def from_document(cls, doc: object) -> Policy:
        """Read and validate a policy document.

        The document is ``{"version": str, "amendments": [{"effective_from":
        "YYYY-MM-DD", "changes": {"dotted.name": value, ...}}, ...]}``.
        Every problem is reported at once: unknown parameter names, values of the
        wrong type, negative points, thresholds out of order, two amendments from
        the same date (overlapping periods).

        Raises:
            InvalidInputError: listing every problem with its path.
        """
        problems: list[InputProblem] = []
        if not isinstance(doc, Mapping):
            raise InvalidInputError.at("$", "expected a policy document (an object)")
        for key in doc:
            if key not in ("version", "amendments"):
                problems.append(
                    InputProblem(f"$.{key}", "unknown field; expected version, amendments")
                )
        version = doc.get("version")
        if not isinstance(version, str) or not version:
            problems.append(_BAD_VERSION)
        raw_amendments = doc.get("amendments", [])
        if not isinstance(raw_amendments, list):
            problems.append(InputProblem("$.amendments", "expected an array of amendments"))
            raw_amendments = []
        dated: list[tuple[int, date, Mapping[str, Any]]] = []
        for i, raw in enumerate(raw_amendments):
            read = _read_amendment(raw, f"$.amendments[{i}]", problems)
            if read is not None:
                dated.append((i, *read))
        kept = _without_overlaps(dated, problems)
        if problems:
            # Check the values in force in every period too, with the changes that are
            # valid, so that every problem of the document is reported at once.
            if kept:
                _periods([(start, changes) for _, start, changes in kept], problems)
            raise InvalidInputError(problems)
        # The one validating path: the amendments and the policy check themselves.
        return cls(
            version=typing.cast(str, version),
            amendments=tuple(
                Amendment(effective_from=start, changes=changes) for _, start, changes in kept
            ),
        )


_BAD_VERSION = InputProblem("$.version", "expected a non-empty version string")

_Dated = TypeVar("_Dated", bound=tuple[int, date, Mapping[str, Any]])


def _without_overlaps(dated: list[_Dated], problems: list[InputProblem]) -> list[_Dated]:
    """The amendments in date order, each after the first of its date reported and left out."""
    seen: dict[date, int] = {}
    kept: list[_Dated] = []
    for entry in dated:
        i, start = entry[0], entry[1]
        if start in seen:
            problems.append(
                InputProblem(
                    f"$.amendments[{i}].effective_from",
                    f"overlaps amendment {seen[start]}, which takes"
                    f" effect on the same date {start}; merge them",
                )
            )
            continue
        seen[start] = i
        kept.append(entry)
    return sorted(kept, key=lambda entry: entry[1])


def _periods(
    amendments: list[tuple[date, Mapping[str, Any]]], problems: list[InputProblem]
) -> dict[tuple[int, ...], PolicyValues]:
    """The values in force in each period (keyed as :meth:`Policy.at` keys them), checked.

    Checks the values of every period, not just each change alone: thresholds can be
    out of order only once a later amendment moves one of them.
    """
    values = _specification_values()
    periods: dict[tuple[int, ...], PolicyValues] = {(): values}
    starts: list[date | None] = [None]
    for k, (start, changes) in enumerate(amendments):
        for name, value in changes.items():
            values = _set(values, name.split("."), value)
        periods[tuple(range(k + 1))] = values
        starts.append(start)
    for first, period in zip(starts, periods.values(), strict=True):
        where = f"from {first}" if first else "before any amendment"
        for problem in check_values(period):
            problems.append(InputProblem(problem.path, f"{problem.message} ({where})"))
    return periods


def default_policy() -> Policy:
    """The policy of the product specification (v2), with no amendments.

    Examples:
        >>> from datetime import date
        >>> default_policy().at(date(2026, 1, 1)).elderly.red_min
        8
    """
    return Policy()


# --- applying and validating named changes ---


def _plain(value: Any) -> Any:
    if attrs.has(type(value)):
        return {a.name: _plain(getattr(value, a.name)) for a in attrs.fields(type(value))}
    if isinstance(value, Mapping):
        # A table keyed by an enum writes its keys as the plain strings a document uses.
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _set(node: Any, path: list[str], value: Any) -> Any:
    head, rest = path[0], path[1:]
    if attrs.has(type(node)):
        new = _set(getattr(node, head), rest, value) if rest else value
        return attrs.evolve(node, **{head: new})
    copy = dict(node)
    # The dotted name is a plain string: the table keeps its own key (an enum member of
    # a table keyed by an enum), which compares and hashes like the string.
    copy[head] = _set(copy[head], rest, value) if rest else value
    return copy


def _start(value: object) -> date | None:
    """An amendment's start: a date (not a datetime, which cannot be compared with one)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(value)
    return None


def _typed_changes(changes: object, where: str, problems: list[InputProblem]) -> dict[str, Any]:
    """The changes that are valid, typed; a problem (under ``where``) for each other one."""
    typed: dict[str, Any] = {}
    if not isinstance(changes, Mapping) or not changes:
        problems.append(InputProblem(f"{where}.changes", "expected a non-empty object of changes"))
        return typed
    for name, value in changes.items():
        try:
            typed[name] = _typed_value(name, value)
        except InvalidInputError as exc:
            problems.extend(exc.under(f"{where}.changes").problems)
    return typed


def _read_amendment(
    raw: object, where: str, problems: list[InputProblem]
) -> tuple[date, dict[str, Any]] | None:
    if not isinstance(raw, Mapping):
        problems.append(InputProblem(where, "expected an object with effective_from and changes"))
        return None
    for key in raw:
        if key not in ("effective_from", "changes"):
            problems.append(
                InputProblem(f"{where}.{key}", "unknown field; expected effective_from, changes")
            )
    start = raw.get("effective_from")
    on = _start(start)
    if on is None:
        problems.append(
            InputProblem(
                f"{where}.effective_from", f"expected a date like 2027-07-01, got {describe(start)}"
            )
        )
    typed = _typed_changes(raw.get("changes"), where, problems)
    if on is None:
        return None
    # The changes that are valid are kept, so that the values of every period are still
    # checked and every problem of the document is reported at once.
    return on, typed


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """The types of an attrs class's fields, in field order (resolved once per class)."""
    types = typing.get_type_hints(cls)
    return {a.name: types[a.name] for a in attrs.fields(cls)}


def _typed_value(name: object, value: object) -> Any:
    """Check that ``name`` is a parameter and ``value`` fits its type; return the typed value."""
    label = f"$[{describe(name, 200)}]"
    if not isinstance(name, str) or not name:
        raise InvalidInputError.at(label, "expected a dotted parameter name")
    tp: Any = PolicyValues
    for part in name.split("."):
        if isinstance(tp, type) and attrs.has(tp):
            hints = _hints(tp)
            if part not in hints:
                raise InvalidInputError.at(
                    label,
                    f"unknown parameter; expected one of {', '.join(hints)} at {describe(part)}",
                )
            tp = hints[part]
        elif typing.get_origin(tp) is Mapping:
            key_tp, value_tp = typing.get_args(tp)
            if isinstance(key_tp, type) and issubclass(key_tp, enum.Enum):
                # A table keyed by an enum has a row for each member and no other: a
                # name through another key would change a row that nothing reads.
                members = [m.value for m in key_tp]
                if part not in members:
                    raise InvalidInputError.at(
                        label,
                        f"unknown parameter; expected one of {', '.join(members)}"
                        f" at {describe(part)}",
                    )
            tp = value_tp
        else:
            raise InvalidInputError.at(label, f"unknown parameter: {describe(part)} has no parts")
    return _coerce(value, tp, label)


def _coerce(value: object, tp: Any, label: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is int:
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) > LARGEST_INT:
            raise InvalidInputError.at(
                label,
                f"expected an integer of at most {LARGEST_INT} in size, got {describe(value)}",
            )
        return value
    if tp is str:
        if not isinstance(value, str):
            raise InvalidInputError.at(label, f"expected a string, got {describe(value)}")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise InvalidInputError.at(label, f"expected true or false, got {describe(value)}")
        return value
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        # Looked up by value, not ``tp(value)``: the enum's own error would repr the value,
        # which fails for a value nested too deep.
        members = {m.value: m for m in tp}
        if isinstance(value, str) and value in members:
            return members[value]
        raise InvalidInputError.at(label, f"expected one of {list(members)}, got {describe(value)}")
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise InvalidInputError.at(label, f"expected an array, got {describe(value)}")
        item_tp = typing.get_args(tp)[0]
        return tuple(_coerce(v, item_tp, f"{label}[{i}]") for i, v in enumerate(value))
    if origin is Mapping:
        if not isinstance(value, Mapping):
            raise InvalidInputError.at(label, f"expected an object, got {describe(value)}")
        key_tp, item_tp = typing.get_args(tp)
        bad_keys = [k for k in value if not isinstance(k, str)]
        if bad_keys:
            raise InvalidInputError.at(label, f"expected string keys, got {describe(bad_keys[0])}")
        return {_key(k, key_tp): _coerce(v, item_tp, f"{label}.{k}") for k, v in value.items()}
    if attrs.has(tp):
        if isinstance(value, tp):
            return value
        if isinstance(value, list | tuple) and tp is Band and len(value) == 2:
            return Band(_coerce(value[0], int, label), _coerce(value[1], int, label))
        if not isinstance(value, Mapping):
            raise InvalidInputError.at(label, f"expected an object, got {describe(value)}")
        hints = _hints(tp)
        names = set(hints)
        unknown = [describe(k) for k in value if k not in names]
        if unknown:
            raise InvalidInputError.at(
                label, f"unknown fields {', '.join(unknown)}; expected {sorted(names)}"
            )
        missing = [a.name for a in attrs.fields(tp) if a.default is attrs.NOTHING]
        missing = [name for name in missing if name not in value]
        if missing:
            raise InvalidInputError.at(label, f"missing fields {missing}; expected {sorted(names)}")
        return tp(**{k: _coerce(v, hints[k], f"{label}.{k}") for k, v in value.items()})
    raise InvalidInputError.at(label, f"cannot set a parameter of type {tp!r}")


def _key(key: str, tp: Any) -> Any:
    """A table's key as its enum member when the table is keyed by an enum.

    A key that is no member stays a string: :func:`check_values` reports a table whose
    keys must be exactly the members (the urgency points), and the other tables ignore
    what they are never asked for, as they always have.
    """
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp._value2member_map_.get(key, key)
    return key


def _limit(name: str, table: str) -> tuple[int, str]:
    """The largest value of a parameter, and what it counts (for the message).

    ``name`` is the field holding the number (``grace_days``, a table such as
    ``review_months``, ``minimum`` of a band) and ``table`` the field of the tuple a
    band sits in (``advanced_age_bands``: its minimums are ages).
    """
    if name in _POINT_NAMES or name.endswith("_points"):
        return MAX_POINTS, "points"
    if name.endswith("_days"):
        return MAX_DAYS, f"days ({MAX_DAYS // 365} years)"
    if "months" in name:
        return MAX_MONTHS, f"months ({MAX_MONTHS // 12} years)"
    if name.endswith("_age") or (name == "minimum" and table.endswith("_age_bands")):
        return MAX_AGE, "years of age"
    # Counts and thresholds (falls, conditions, a floor, a level) that no date or
    # total depends on: the JSON integer range.
    return LARGEST_INT, "(the JSON integer range)"


# How many of each unit of a follow-up cadence make up the day limit (100 years).
_MAX_EVERY = {
    CadenceUnit.DAY: MAX_DAYS,
    CadenceUnit.WEEK: MAX_DAYS // 7,
    CadenceUnit.MONTH: MAX_MONTHS,
}


def check_values(values: PolicyValues) -> list[InputProblem]:
    """Problems with a set of values: negative or out-of-range numbers, thresholds out of order.

    Every number has a limit, named in its message: days at most :data:`MAX_DAYS` (a date
    plus a deadline, window, horizon or cadence stays within what the calendar holds),
    months at most :data:`MAX_MONTHS`, ages at most :data:`MAX_AGE`, points at most
    :data:`MAX_POINTS`, a cadence's ``every`` at most 100 years in its unit, and other
    counts within the JSON integer range.
    """
    problems: list[InputProblem] = []

    def walk(node: Any, path: str, name: str, table: str) -> None:
        if attrs.has(type(node)):
            for a in attrs.fields(type(node)):
                # A band's minimum counts what its tuple counts (ages, falls).
                inner = table if type(node) is Band else a.name
                walk(getattr(node, a.name), f"{path}.{a.name}", a.name, inner)
        elif isinstance(node, Mapping):
            for k, v in node.items():
                walk(v, f"{path}.{k}", name, table)
        elif isinstance(node, tuple):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]", name, table)
        elif isinstance(node, int) and not isinstance(node, bool):
            if node < 0:
                problems.append(InputProblem(path, f"expected a number >= 0, got {describe(node)}"))
            elif name != "every":  # bounded by its unit, below
                limit, what = _limit(name, table)
                if node > limit:
                    problems.append(
                        InputProblem(path, f"expected at most {limit} {what}, got {describe(node)}")
                    )

    walk(values, "$", "", "")
    e = values.elderly
    if not e.yellow_min <= e.red_min:
        problems.append(
            InputProblem(
                "$.elderly.red_min", f"expected >= yellow_min ({e.yellow_min}), got {e.red_min}"
            )
        )
    if len(e.ability_points) != 5:
        problems.append(InputProblem("$.elderly.ability_points", "expected 5 values (levels 0-4)"))
    totals = list(e.ability_level_min_totals)
    if len(totals) != 4 or totals != sorted(set(totals), reverse=True) or min(totals) < 1:
        problems.append(
            InputProblem(
                "$.elderly.ability_level_min_totals",
                "expected the lowest totals of levels 0, 1, 2 and 3, decreasing, each from 1"
                f" to 90 (such as [90, 66, 46, 30]), got {totals}",
            )
        )
    elif totals[0] > 90:
        problems.append(
            InputProblem(
                "$.elderly.ability_level_min_totals",
                f"expected totals of at most 90 (the highest GB/T 42195-2022 total), got {totals}",
            )
        )
    if e.care_risk_events_raise_min < 1:
        problems.append(
            InputProblem(
                "$.elderly.care_risk_events_raise_min",
                f"expected >= 1, got {e.care_risk_events_raise_min}",
            )
        )
    for name in ("chronic_bands", "falls_bands", "advanced_age_bands"):
        bands = getattr(e, name)
        mins = [b.minimum for b in bands]
        if mins != sorted(set(mins)):
            problems.append(
                InputProblem(f"$.elderly.{name}", "expected bands with increasing minimums")
            )
    urg = values.linkage.urgency_points
    order = sorted(Urgency, key=lambda u: u.rank, reverse=True)
    if sorted(urg) != sorted(order):
        problems.append(
            InputProblem("$.linkage.urgency_points", f"expected the keys {[*map(str, order)]}")
        )
    elif any(urg[more] <= urg[less] for more, less in itertools.pairwise(order)):
        problems.append(InputProblem("$.linkage.urgency_points", f"expected {' > '.join(order)}"))
    for party, row in values.linkage.suitability.items():
        for category, suit in row.items():
            if not 0 <= suit <= 10:
                problems.append(
                    InputProblem(
                        f"$.linkage.suitability.{party}.{category}", f"expected 0-10, got {suit}"
                    )
                )
    if values.privacy.min_cell_count == 0:  # a negative one is reported above
        problems.append(
            InputProblem("$.privacy.min_cell_count", "expected >= 1 (1 suppresses nothing), got 0")
        )
    for k, category in enumerate(values.linkage.child_contact_categories):
        if not category:
            problems.append(
                InputProblem(
                    f"$.linkage.child_contact_categories[{k}]", "expected a non-empty category"
                )
            )
    for group in ("elderly", "child"):
        for key, fu in getattr(values.followup, group).items():
            limit = _MAX_EVERY[fu.unit]
            if fu.every < 1:
                problems.append(
                    InputProblem(
                        f"$.followup.{group}.{key}.every", f"expected >= 1, got {fu.every}"
                    )
                )
            elif fu.every > limit:
                problems.append(
                    InputProblem(
                        f"$.followup.{group}.{key}.every",
                        f"expected at most {limit} {fu.unit}s (100 years), got"
                        f" {describe(fu.every)}",
                    )
                )
    return problems
