"""KPIs for a period (spec §6), each figure auditable back to the records it counts."""

from __future__ import annotations

import statistics
from calendar import monthrange
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from typing import Any, Final

import attrs

from community_care._kernel.checks import (
    check_date,
    check_instance,
    check_policy,
    check_records,
    fail,
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
from community_care.followup import CaseKind, DueVisit, FollowUp
from community_care.ledger._hazards import Hazard
from community_care.ledger._problems import _PROACTIVE_SOURCES, Problem, _union
from community_care.ledger._records import Event, R, ServiceActivity
from community_care.ledger._statuses import HazardStatus, ProblemStatus
from community_care.policy import Policy, default_policy
from community_care.vocab import PartyKind, RiskTier

__all__ = [
    "KPI_NAMES",
    "CoverageKpi",
    "Figure",
    "Kpi",
    "KpiChange",
    "KpiComparison",
    "KpiReport",
    "MonthCoverage",
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
    "monthly_visit_coverage",
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
    (``case@due``) for ``visit_on_time_rate``, (case, month) pairs (``case@YYYY-MM``,
    by case id then month) for ``monthly_visit_coverage``. For a share, ``ids`` is the denominator
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
class MonthCoverage:
    """One calendar month of ``monthly_visit_coverage`` (月探访率): its pairs and its share.

    ``month`` is ``YYYY-MM``; ``cases`` the cases of its pairs and ``covered`` those
    with a visit in the month (both sorted); ``value`` is ``len(covered) / len(cases)``,
    ``None`` when the month has no pair.

    Examples:
        >>> m = MonthCoverage(month="2026-02", value=0.5, cases=("e1", "e2"), covered=("e1",))
        >>> m.missed
        ('e2',)
    """

    month: str = str_field()
    value: float | None = _figure_field()
    cases: tuple[str, ...] = str_tuple_field(default=())
    covered: tuple[str, ...] = str_tuple_field(default=())

    @property
    def missed(self) -> tuple[str, ...]:
        """The cases of the month that had no visit in it."""
        done = set(self.covered)
        return tuple(c for c in self.cases if c not in done)


@attrs.frozen(kw_only=True)
class CoverageKpi(Kpi):
    """``monthly_visit_coverage``: a :class:`Kpi` whose ids are (case, month) pairs, by month.

    ``ids`` are the pairs as ``case@YYYY-MM`` ordered by case id, then month;
    ``numerator_ids`` the covered ones; ``by_month`` every calendar month wholly inside
    the period, in order, with its own share.

    Examples:
        >>> k = CoverageKpi(name="monthly_visit_coverage", value=1.0, ids=("e1@2026-02",),
        ...                 numerator_ids=("e1@2026-02",))
        >>> k.by_month
        ()
    """

    by_month: tuple[MonthCoverage, ...] = model_tuple_field(MonthCoverage, default=())


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
    monthly_visit_coverage: CoverageKpi = model_field(CoverageKpi)

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

        Raises:
            InvalidArgumentError: ``with_ids`` is not ``True`` or ``False``.
        """
        if type(with_ids) is not bool:
            raise fail("KpiReport.as_dict", "with_ids", "True or False", with_ids)
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


_COVERED_TIERS: Final = frozenset({RiskTier.RED, RiskTier.YELLOW})


def _months_inside(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months wholly inside [start, end]: (first day, last day) each."""
    months = []
    index = start.year * 12 + start.month - 1 + (start.day != 1)  # the first whole month
    while index // 12 <= end.year:
        year, month = divmod(index, 12)
        last = date(year, month + 1, monthrange(year, month + 1)[1])
        if last > end:
            break
        months.append((date(year, month + 1, 1), last))
        index += 1
    return months


def _level_on(case: FollowUp, day: date) -> object:
    """The case's level on ``day`` as its history gives it (``None`` before it opened)."""
    level: object = None
    for event in case.history:
        if event.on > day:
            break
        level = event.level
    return level


def _coverage(cases: Iterable[FollowUp], start: date, end: date) -> CoverageKpi:
    """``monthly_visit_coverage`` (spec §6) with its pairs and its months."""
    records = _unique(cases, lambda c: c.case_id, "cases")
    elderly = sorted((c for c in records if c.kind is CaseKind.ELDERLY), key=lambda c: c.case_id)
    pairs: list[tuple[str, str]] = []
    covered: list[tuple[str, str]] = []
    months: list[MonthCoverage] = []
    for first, last in _months_inside(start, end):
        label = f"{first.year:04d}-{first.month:02d}"
        in_month: list[str] = []
        met: list[str] = []
        for case in elderly:
            if case.opened_on > first or _level_on(case, first) not in _COVERED_TIERS:
                continue
            in_month.append(case.case_id)
            if any(v.met and first <= v.on <= last for v in case.visits):
                met.append(case.case_id)
        pairs.extend((c, label) for c in in_month)
        covered.extend((c, label) for c in met)
        months.append(
            MonthCoverage(
                month=label,
                value=len(met) / len(in_month) if in_month else None,
                cases=tuple(in_month),
                covered=tuple(met),
            )
        )
    pairs.sort()
    covered.sort()
    return CoverageKpi(
        name="monthly_visit_coverage",
        # No pair is no figure, not 0 % (as for every share).
        value=len(covered) / len(pairs) if pairs else None,
        ids=tuple(f"{c}@{m}" for c, m in pairs),
        numerator_ids=tuple(f"{c}@{m}" for c, m in covered),
        by_month=tuple(months),
    )


def kpis(
    activities: Iterable[ServiceActivity],
    problems: Iterable[Problem],
    hazards: Iterable[Hazard],
    followups: Iterable[DueVisit] = (),
    *,
    start: date,
    end: date,
    policy: Policy | None = None,
    cases: Iterable[FollowUp] = (),
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
    * ``monthly_visit_coverage`` (月探访率): over every calendar month M wholly inside
      the period, the pairs (case, M) of the elderly ``cases`` opened on or before M's
      first day whose level on that day (the last event of the history dated on or
      before it) is red or yellow; a pair is covered when the case has a visit with
      ``met`` true dated in M. Covered pairs ÷ pairs (``None`` with no pair); the
      figure also gives each month's own share (``by_month``).

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
        cases: the follow-up records, for ``monthly_visit_coverage`` (children's
            cases are ignored).

    Returns:
        The report, each figure with the ids it was computed from.

    Raises:
        InvalidInputError: ``start`` is after ``end``; two different records share an
            id (or a case has two different visits due on one day, or two different
            follow-up records one case id).
        InvalidArgumentError: ``start``/``end`` are not dates or ``policy`` is not a
            policy.
    """
    check_date("kpis", "start", start)
    check_date("kpis", "end", end)
    check_policy("kpis", policy)
    activities = check_records(
        "kpis", "activities", activities, ServiceActivity, "ServiceActivity(...)"
    )
    problems = check_records("kpis", "problems", problems, Problem, "Problem(...)")
    hazards = check_records("kpis", "hazards", hazards, Hazard, "Hazard(...)")
    followups = check_records("kpis", "followups", followups, DueVisit, "DueVisit(...)")
    cases = check_records("kpis", "cases", cases, FollowUp, "open_followup(...)")
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
        monthly_visit_coverage=_coverage(cases, start, end),
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
