"""KPIs for a period (spec §6), each figure auditable back to the records it counts."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from typing import Any, Final

import attrs

from community_care._kernel.checks import (
    check_date,
    check_instance,
    check_policy,
)
from community_care._kernel.fields import (
    date_field,
    describe,
    model_field,
    model_tuple_field,
    str_field,
    str_tuple_field,
)
from community_care.errors import InputProblem, InvalidInputError
from community_care.followup import DueVisit
from community_care.ledger._hazards import Hazard
from community_care.ledger._problems import _PROACTIVE_SOURCES, Problem, _union
from community_care.ledger._records import Event, R, ServiceActivity
from community_care.ledger._statuses import HazardStatus, ProblemStatus
from community_care.policy import Policy, default_policy
from community_care.vocab import PartyKind

__all__ = [
    "KPI_NAMES",
    "Figure",
    "Kpi",
    "KpiChange",
    "KpiComparison",
    "KpiReport",
    "VisitDue",
    "compare",
    "kpis",
]


# --- follow-up visits, as the KPIs need them --------------------------------------------

#: Deprecated: the former name of :class:`~community_care.followup.DueVisit` (the same class).
VisitDue = DueVisit


# --- KPIs -------------------------------------------------------------------------------

#: The KPI names of spec §6, in the spec's order.
KPI_NAMES: Final[tuple[str, ...]] = (
    "activities",
    "person_times",
    "unique_beneficiaries",
    "problems_resolved",
    "median_days_to_resolve",
    "hazards_found",
    "hazards_rectified_on_time",
    "proactive_share",
    "multi_party_share",
    "visit_on_time_rate",
)

Figure = int | float | None


def _figure_field() -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
            raise InvalidInputError.at(
                f"$.{attribute.name}", f"expected a number or null, got {describe(value)}"
            )

    return attrs.field(
        default=None,
        validator=check,
        metadata={"schema": {"anyOf": [{"type": "number"}, {"type": "null"}]}},
    )


def _kpi_name_field() -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or value not in KPI_NAMES:
            raise InvalidInputError.at(
                f"$.{attribute.name}",
                f"expected a KPI name such as 'proactive_share', got {describe(value)}",
            )

    return attrs.field(
        validator=check, metadata={"schema": {"type": "string", "enum": list(KPI_NAMES)}}
    )


@attrs.frozen(kw_only=True)
class Kpi:
    """One figure of a report, with the ids it was computed from, so it can be audited.

    ``ids`` are the records the figure counts or divides by (sorted): activity ids,
    problem ids, hazard ids, participant ids for ``unique_beneficiaries``, visit keys
    (``case@due``) for ``visit_on_time_rate``. For a share, ``ids`` is the denominator
    and ``numerator_ids`` the part of it counted above the line; other figures leave
    ``numerator_ids`` empty.

    Examples:
        >>> k = Kpi(name="proactive_share", value=0.5, ids=("p1", "p2"), numerator_ids=("p2",))
        >>> f"{len(k.numerator_ids)}/{len(k.ids)} = {k.value}"
        '1/2 = 0.5'
    """

    name: str = _kpi_name_field()
    value: Figure = _figure_field()
    ids: tuple[str, ...] = str_tuple_field(default=())
    numerator_ids: tuple[str, ...] = str_tuple_field(default=())


@attrs.frozen(kw_only=True)
class KpiReport:
    """The KPIs of spec §6 for the period [``start``, ``end``], both days included.

    Each KPI is an attribute of the same name holding a :class:`Kpi`.

    Examples:
        >>> r = kpis([], [], [], start=date(2026, 1, 1), end=date(2026, 3, 31))
        >>> r.as_dict()["activities"], r.as_dict()["proactive_share"]
        (0, None)
    """

    start: date = date_field()
    end: date = date_field()
    policy_version: str = str_field()
    activities: Kpi = model_field(Kpi)
    person_times: Kpi = model_field(Kpi)
    unique_beneficiaries: Kpi = model_field(Kpi)
    problems_resolved: Kpi = model_field(Kpi)
    median_days_to_resolve: Kpi = model_field(Kpi)
    hazards_found: Kpi = model_field(Kpi)
    hazards_rectified_on_time: Kpi = model_field(Kpi)
    proactive_share: Kpi = model_field(Kpi)
    multi_party_share: Kpi = model_field(Kpi)
    visit_on_time_rate: Kpi = model_field(Kpi)

    def __attrs_post_init__(self) -> None:
        if self.start > self.end:
            raise InvalidInputError.at(
                "$.end",
                f"expected a date on or after start {self.start.isoformat()},"
                f" got {self.end.isoformat()}",
            )
        problems = [
            InputProblem(f"$.{name}.name", f"expected {name!r}, got {kpi.name!r}")
            for name, kpi in zip(KPI_NAMES, self.figures, strict=True)
            if kpi.name != name
        ]
        if problems:
            raise InvalidInputError(problems)

    @property
    def figures(self) -> tuple[Kpi, ...]:
        """Every KPI, in the order of :data:`KPI_NAMES`."""
        return tuple(getattr(self, name) for name in KPI_NAMES)

    def as_dict(self, *, with_ids: bool = False) -> dict[str, Any]:
        """The figures keyed by KPI name.

        Args:
            with_ids: give ``{"value", "ids", "numerator_ids"}`` for each KPI
                instead of the bare value.

        Returns:
            A new dict in the order of :data:`KPI_NAMES`.
        """
        if with_ids:
            return {
                k.name: {
                    "value": k.value,
                    "ids": list(k.ids),
                    "numerator_ids": list(k.numerator_ids),
                }
                for k in self.figures
            }
        return {k.name: k.value for k in self.figures}


def _unique(records: Iterable[R], key: Callable[[R], Hashable], kind: str) -> list[R]:
    """The records, each key once; identical repeats are dropped, conflicting ones refused.

    Raises:
        InvalidInputError: listing every key used by two different records.
    """
    seen: dict[Hashable, tuple[int, R]] = {}
    problems: list[InputProblem] = []
    for i, record in enumerate(records):
        k = key(record)
        if k not in seen:
            seen[k] = (i, record)
        elif seen[k][1] != record:
            problems.append(
                InputProblem(
                    f"{kind}[{i}]",
                    f"id {k!r} is also used by {kind}[{seen[k][0]}] for a different record;"
                    " correct the registry so that each id names one record",
                )
            )
    if problems:
        raise InvalidInputError(problems)
    return [record for _, record in seen.values()]


def _in(day: date, start: date, end: date) -> bool:
    return start <= day <= end


def _share(numerator: Iterable[str], denominator: Iterable[str], name: str) -> Kpi:
    ids = tuple(sorted(denominator))
    num = tuple(sorted(numerator))
    # A share of nothing is unknown, not zero: 0 would read as "none of them".
    value = len(num) / len(ids) if ids else None
    return Kpi(name=name, value=value, ids=ids, numerator_ids=num)


def _count(ids: Iterable[str], name: str, value: int | None = None) -> Kpi:
    """A figure over ``ids``: their number, unless ``value`` says otherwise."""
    ordered = tuple(sorted(ids))
    return Kpi(name=name, value=len(ordered) if value is None else value, ids=ordered)


def _counted_resolution(problem: Problem, start: date, end: date) -> tuple[int, Event] | None:
    """The resolution that counts for the period: the last ``resolved`` event in it."""
    found: tuple[int, Event] | None = None
    for i, event in enumerate(problem.history):
        if event.status == ProblemStatus.RESOLVED and _in(event.on, start, end):
            found = (i, event)
    return found


def kpis(
    activities: Iterable[ServiceActivity],
    problems: Iterable[Problem],
    hazards: Iterable[Hazard],
    followups: Iterable[DueVisit] = (),
    *,
    start: date,
    end: date,
    policy: Policy | None = None,
) -> KpiReport:
    """The KPIs of spec §6 for the period [``start``, ``end``] (both days included).

    Definitions (the choices where the spec is silent are in ``docs/ledger.md``):

    * ``activities``: activities dated in the period; ``person_times``: the sum of their
      headcounts; ``unique_beneficiaries``: distinct participant ids among them.
    * ``problems_resolved``: problems with a ``resolved`` event dated in the period,
      each counted once; ``median_days_to_resolve``: the median, over them, of days from
      ``reported_on`` to the last such event (``None`` when none).
    * ``hazards_found``: hazards found in the period; ``hazards_rectified_on_time``:
      hazards whose latest rectification, not undone by a failed re-inspection, is in the
      period and on or before the deadline.
    * ``proactive_share``: problems reported in the period from ``outreach`` or
      ``inspection`` ÷ all problems reported in the period.
    * ``multi_party_share``: of the problems resolved in the period, those whose parties
      (as recorded up to the counted resolution) include one other than
      ``community_committee`` ÷ all of them.
    * ``visit_on_time_rate``: visits due in the period and done by due + grace ÷ visits
      due in the period. A visit not done yet counts as not on time.

    Shares are ``None``, not 0, when their denominator is 0. The order of the records
    does not matter; a record given twice (identical) counts once.

    Args:
        activities: service activities (any period; those outside are ignored).
        problems: problems with their histories.
        hazards: hazards with their histories.
        followups: visits that fell due (see :class:`~community_care.followup.DueVisit`).
        start: the first day of the period.
        end: the last day of the period.
        policy: the policy for the hazards' deadlines (the default one when ``None``).

    Returns:
        The report, each figure with the ids it was computed from.

    Raises:
        InvalidInputError: ``start`` is after ``end``; two different records share an
            id (or a case has two different visits due on one day).
        InvalidArgumentError: ``start``/``end`` are not dates or ``policy`` is not a
            policy.
    """
    check_date("kpis", "start", start)
    check_date("kpis", "end", end)
    check_policy("kpis", policy)
    if start > end:
        raise InvalidInputError.at(
            "end",
            f"expected a date on or after start {start.isoformat()}, got {end.isoformat()}",
        )
    policy = policy or default_policy()
    acts = [a for a in _unique(activities, lambda a: a.id, "activities") if _in(a.date, start, end)]
    probs = _unique(problems, lambda p: p.id, "problems")
    hzs = _unique(hazards, lambda h: h.id, "hazards")
    visits = [
        v for v in _unique(followups, lambda v: v.key, "followups") if _in(v.due_on, start, end)
    ]

    reported = [p for p in probs if _in(p.reported_on, start, end)]
    resolved: dict[str, int] = {}  # problem id -> days to the counted resolution
    multi: list[str] = []
    for p in probs:
        counted = _counted_resolution(p, start, end)
        if counted is None:
            continue
        index, event = counted
        resolved[p.id] = (event.on - p.reported_on).days
        parties = _union(*(e.parties for e in p.history[: index + 1]))
        if any(party is not PartyKind.COMMUNITY_COMMITTEE for party in parties):
            multi.append(p.id)
    days = list(resolved.values())

    on_time_hazards = [
        h.id
        for h in hzs
        if h.status in (HazardStatus.RECTIFIED, HazardStatus.VERIFIED)
        and (rectified := h.rectified_on) is not None
        and _in(rectified, start, end)
        and rectified <= h.rectification_deadline(policy)
    ]

    return KpiReport(
        start=start,
        end=end,
        policy_version=policy.version,
        activities=_count((a.id for a in acts), "activities"),
        person_times=_count(
            (a.id for a in acts), "person_times", value=sum(a.headcount for a in acts)
        ),
        unique_beneficiaries=_count(
            {pid for a in acts for pid in a.participants}, "unique_beneficiaries"
        ),
        problems_resolved=_count(resolved, "problems_resolved"),
        median_days_to_resolve=Kpi(
            name="median_days_to_resolve",
            value=float(statistics.median(days)) if days else None,
            ids=tuple(sorted(resolved)),
        ),
        hazards_found=_count((h.id for h in hzs if _in(h.found_on, start, end)), "hazards_found"),
        hazards_rectified_on_time=_count(on_time_hazards, "hazards_rectified_on_time"),
        proactive_share=_share(
            (p.id for p in reported if p.source in _PROACTIVE_SOURCES),
            (p.id for p in reported),
            "proactive_share",
        ),
        multi_party_share=_share(multi, resolved, "multi_party_share"),
        visit_on_time_rate=_share(
            (v.key for v in visits if v.on_time), (v.key for v in visits), "visit_on_time_rate"
        ),
    )


# --- period over period -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class KpiChange:
    """How one KPI changed from one report to the next.

    ``absolute`` is ``after - before`` (``None`` when either is ``None``);
    ``relative`` is ``absolute / before`` (``None`` when that is undefined: a
    missing figure or ``before == 0``).

    Examples:
        >>> KpiChange(name="activities", before=20, after=25, absolute=5, relative=0.25).relative
        0.25
    """

    name: str = _kpi_name_field()
    before: Figure = _figure_field()
    after: Figure = _figure_field()
    absolute: Figure = _figure_field()
    relative: float | None = _figure_field()


@attrs.frozen(kw_only=True)
class KpiComparison:
    """Two reports side by side: the change of every KPI from ``before`` to ``after``.

    Examples:
        >>> q1 = kpis([], [], [], start=date(2026, 1, 1), end=date(2026, 3, 31))
        >>> q2 = kpis([], [], [], start=date(2026, 4, 1), end=date(2026, 6, 30))
        >>> compare(q1, q2).change("activities").absolute
        0
    """

    before_start: date = date_field()
    before_end: date = date_field()
    after_start: date = date_field()
    after_end: date = date_field()
    changes: tuple[KpiChange, ...] = model_tuple_field(KpiChange, default=())

    def change(self, name: str) -> KpiChange:
        """The change of the KPI called ``name``.

        Raises:
            InvalidInputError: ``name`` is not a KPI of this comparison.
        """
        for change in self.changes:
            if change.name == name:
                return change
        raise InvalidInputError.at(
            "name", f"expected a KPI name such as 'proactive_share', got {describe(name)}"
        )

    def as_dict(self) -> dict[str, dict[str, Figure]]:
        """``{name: {"before", "after", "absolute", "relative"}}`` in the order of the KPIs."""
        return {
            c.name: {
                "before": c.before,
                "after": c.after,
                "absolute": c.absolute,
                "relative": c.relative,
            }
            for c in self.changes
        }


def compare(report_a: KpiReport, report_b: KpiReport) -> KpiComparison:
    """The period-over-period change of every KPI, from ``report_a`` to ``report_b``.

    Args:
        report_a: the earlier (base) report.
        report_b: the later report.

    Returns:
        A :class:`KpiComparison`: for each KPI the two values, ``b - a`` and
        ``(b - a) / a`` where defined.
    """
    check_instance("compare", "report_a", report_a, KpiReport, "kpis(...)")
    check_instance("compare", "report_b", report_b, KpiReport, "kpis(...)")
    changes = []
    for a, b in zip(report_a.figures, report_b.figures, strict=True):
        absolute: Figure = None
        relative: float | None = None
        if a.value is not None and b.value is not None:
            absolute = b.value - a.value
            if a.value != 0:
                relative = absolute / a.value
        changes.append(
            KpiChange(
                name=a.name, before=a.value, after=b.value, absolute=absolute, relative=relative
            )
        )
    return KpiComparison(
        before_start=report_a.start,
        before_end=report_a.end,
        after_start=report_b.start,
        after_end=report_b.end,
        changes=tuple(changes),
    )
