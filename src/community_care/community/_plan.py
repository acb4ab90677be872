"""The plan of a community on a date: every assessment, need, match, visit and KPI.

See :func:`plan_community`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from community_care._kernel.checks import check_calendar, check_date, check_iterable, check_policy
from community_care._kernel.frozen import FrozenMapping
from community_care.calendar import WorkCalendar, official_calendar
from community_care.children import (
    ChildAssessment,
    MandatoryReport,
    SupportPlan,
    WishStatus,
    assess_child,
    mandatory_reports,
    plan_support,
)
from community_care.community._snapshot import (
    RECORD_LISTS,
    UNASSIGNED_GRID,
    Community,
    CommunitySnapshot,
    _as_document,
    _document_order,
    _record_id,
    load_snapshot,
)
from community_care.elderly import ElderlyAssessment, assess_elderly
from community_care.errors import CalendarRangeError, CommunityCareError, InvalidInputError
from community_care.followup import (
    Cadence,
    CaseKind,
    FollowUp,
    Level,
    OverdueCase,
    cadence_for,
    forecast_visits,
    open_followup,
    overdue,
    retier,
    visits_due,
)
from community_care.ledger import Hazard, KpiReport, ProblemStatus, hazards_overdue, kpis
from community_care.linkage import (
    CARING_MOTHER,
    Matching,
    Need,
    NeedSource,
    match,
    needs_from_assessment,
    needs_from_plan,
    pair_caring_mothers,
)
from community_care.overrides import Override, apply_override, latest_overrides
from community_care.policy import Policy, default_policy
from community_care.reasons import Rejection
from community_care.vocab import Urgency


@attrs.frozen(kw_only=True)
class ChildCase:
    """A child's assessment and, for a child in difficulty, the support plan."""

    assessment: ChildAssessment
    plan: SupportPlan | None


@attrs.frozen(kw_only=True)
class PlannedCaseVisit:
    """One visit of the 90-day calendar.

    ``due`` is the visit the case is waiting for (``overdue`` if its date has passed);
    later visits are forecast from it with the case's cadence. ``provisional`` marks a
    date computed from the provisional working-day calendar.
    """

    case_id: str
    kind: CaseKind
    level: Level
    on: date
    nominal: date
    due: bool
    overdue: bool
    provisional: bool


@attrs.frozen(kw_only=True)
class CommunityPlan:
    """A community's care plan on one date (spec §7); :func:`plan_community` builds it.

    It points to people by registry id: the children's assessments carry no name, ID
    number or phone, and the follow-up cases no notes; the snapshot keeps them.
    """

    on: date
    policy_version: str
    community: Community
    elderly: tuple[ElderlyAssessment, ...]
    children: tuple[ChildCase, ...]
    needs: tuple[Need, ...]
    matching: Matching
    caring_mothers: Matching
    followups: tuple[FollowUp, ...]
    visits: tuple[PlannedCaseVisit, ...]
    overdue: tuple[OverdueCase, ...]
    hazards_overdue: tuple[Hazard, ...]
    kpis: KpiReport
    mandatory_reports: tuple[MandatoryReport, ...]
    rejections: tuple[Rejection, ...]
    used: Mapping[str, tuple[str, ...]]


def _without_notes(case: FollowUp) -> FollowUp:
    """The case with the notes of its visits and findings (free text) left out.

    A note may name the person or hold a phone number; the plan points to the case by
    its id and the snapshot keeps the notes.
    """
    if not any(v.note or any(f.note for f in v.findings) for v in case.visits):
        return case
    visits = tuple(
        attrs.evolve(v, note="", findings=tuple(attrs.evolve(f, note="") for f in v.findings))
        for v in case.visits
    )
    return attrs.evolve(case, visits=visits)


def plan_community(
    snapshot: CommunitySnapshot | Mapping[str, Any],
    *,
    on: date,
    policy: Policy | None = None,
    calendar: WorkCalendar | None = None,
) -> CommunityPlan:
    """Plan a community's care on ``on`` from its registry (pure: no I/O, no clock).

    Args:
        snapshot: a :class:`CommunitySnapshot`, or its JSON document (read with
            :func:`load_snapshot`, so bad records become rejections).
        on: the date of the plan.
        policy: the policy (default: the specification's).
        calendar: the working-day calendar; by default the official calendar with its
            provisional mode past the packaged years (such dates are flagged).

    Returns:
        The :class:`CommunityPlan`.

    Raises:
        InvalidInputError: the snapshot document's frame is wrong.
        InvalidArgumentError: ``on`` is not a date from 1900-01-01 to 9998-12-31, or
            ``policy`` or ``calendar`` is of the wrong type.
        CalendarRangeError: the calendar cannot place the visits after ``on``.
    """
    _check_plan_args("plan_community", on, policy, calendar)
    policy = policy or default_policy()
    values = policy.at(on)
    if calendar is None:
        calendar = official_calendar().with_provisional()
    horizon = _horizon(on, values.followup.horizon_days, calendar)
    # A snapshot built in Python is checked like a document: repeated ids, ids that
    # collide across lists and references to what the snapshot lacks become rejections.
    loaded = load_snapshot(
        _as_document(snapshot) if isinstance(snapshot, CommunitySnapshot) else snapshot
    )
    snap, rejections = loaded.snapshot, list(loaded.rejections)
    origins = dict(loaded.origins)
    used: dict[str, list[str]] = {key: [] for key in RECORD_LISTS}

    def reject(kind: str, index: int, record_id: str | None, exc: CommunityCareError) -> None:
        where = f"$.{kind}[{origins[kind][index] if kind in origins else index}]"
        code = (
            "invalid_input"
            if isinstance(exc, InvalidInputError)
            else "calendar_range"
            if isinstance(exc, CalendarRangeError)
            else "not_eligible"
        )
        if isinstance(exc, InvalidInputError):
            exc = exc.under(where)
        rejections.append(Rejection(id=record_id, path=where, code=code, message=str(exc)))

    # Assessments.
    elderly: list[ElderlyAssessment] = []
    for i, person in enumerate(snap.elderly):
        try:
            elderly.append(assess_elderly(person, on=on, policy=policy))
        except CommunityCareError as exc:
            reject("elderly", i, person.id, exc)
    children: list[ChildCase] = []
    for i, child in enumerate(snap.children):
        try:
            assessment = assess_child(child, on=on, policy=policy)
            plan = plan_support(assessment, on=on, policy=policy) if assessment.risk else None
            children.append(ChildCase(assessment=assessment, plan=plan))
        except CommunityCareError as exc:
            reject("children", i, child.id, exc)
    elderly, children = _apply_overrides(snap.overrides, elderly, children, on, reject)
    used["elderly"] = [a.resident_id for a in elderly]
    used["overrides"] = [o.case_id for o in snap.overrides]

    # Needs: interventions, plan actions, open micro-wishes, recorded needs, open problems.
    # Each need with the path of the record it comes from, and whether it was recorded
    # (a need of the snapshot's `needs`) or drawn up here.
    drawn: list[tuple[Need, str, bool]] = []
    where = {
        key: {
            _record_id(r): f"$.{key}[{origins[key][i]}]" for i, r in enumerate(getattr(snap, key))
        }
        for key in ("elderly", "children", "micro_wishes", "problems")
    }
    for a in elderly:
        drawn.extend(
            (n, where["elderly"][a.resident_id], False)
            for n in needs_from_assessment(a, on=on, grid=a.grid or UNASSIGNED_GRID)
        )
    plans = [c.plan for c in children if c.plan is not None]
    for plan in plans:
        drawn.extend(
            (n, where["children"][plan.child_id], False)
            for n in needs_from_plan(plan, grid=plan.grid or UNASSIGNED_GRID)
            if n.category != CARING_MOTHER
        )
    for wish in snap.micro_wishes:
        if wish.status in (WishStatus.COLLECTED, WishStatus.PUBLISHED):
            need = Need(
                id=f"wish:{wish.id}",
                category=wish.category,
                urgency=Urgency.NORMAL,
                grid=wish.grid or UNASSIGNED_GRID,
                source=NeedSource.MICRO_WISH,
                beneficiary=wish.child_id,
            )
            drawn.append((need, where["micro_wishes"][wish.id], False))
    drawn.extend((n, f"$.needs[{origins['needs'][i]}]", True) for i, n in enumerate(snap.needs))
    open_problems = (ProblemStatus.RESOLVED, ProblemStatus.VERIFIED)
    for problem in snap.problems:
        if problem.status not in open_problems:
            need = Need(
                id=f"problem:{problem.id}",
                category=problem.category,
                urgency=Urgency.HIGH,
                grid=problem.grid or UNASSIGNED_GRID,
                source=NeedSource.PROBLEM,
                beneficiary=None,
            )
            drawn.append((need, where["problems"][problem.id], False))
    needs = _unique_needs(drawn, rejections)

    matching = match(needs, snap.offers, on=on, policy=policy)
    caring = pair_caring_mothers(
        [p for p in plans if p.grid is not None], snap.offers, on=on, policy=policy
    )
    used["offers"] = [o.id for o in snap.offers]
    kept = {id(n) for n in needs}
    used["needs"] = [n.id for n in snap.needs if id(n) in kept]
    used["micro_wishes"] = [w.id for w in snap.micro_wishes]
    used["buildings"] = [b.id for b in snap.buildings]

    # Follow-up: the recorded cases, re-tiered where the level changed, and new cases.
    # The level a caseworker set stands over the computed one (spec §7).
    levels = {a.resident_id: ("elderly", a.effective_tier.value) for a in elderly}
    levels.update(
        {c.assessment.child_id: ("child", c.assessment.effective_risk.value) for c in children
         if c.assessment.effective_risk is not None}
    )  # fmt: skip
    cadences: dict[tuple[CaseKind, Level], Cadence] = {}
    followups: list[FollowUp] = []
    rows: list[PlannedCaseVisit] = []
    for i, case in enumerate(snap.followups):
        wanted = levels.pop(case.case_id, None)
        try:
            if wanted is not None and wanted[1] != case.level:
                case = retier(case, wanted[1], on, policy=policy)
            # A recorded case whose dates the calendar cannot place (a due date in 1900,
            # say) is rejected on its own; the rest of the community is still planned.
            rows.extend(_case_visits(case, on, horizon, calendar, policy, cadences))
        except CommunityCareError as exc:
            reject("followups", i, case.case_id, exc)
            continue
        followups.append(case)
    used["followups"] = [f.case_id for f in followups]
    for case_id, (kind, level) in sorted(levels.items()):
        case = open_followup(case_id, kind, level, on=on, policy=policy)
        rows.extend(_case_visits(case, on, horizon, calendar, policy, cadences))
        followups.append(case)
    rows.sort(key=lambda r: (r.on, r.case_id))
    visits = tuple(rows)

    start = on - relativedelta(months=values.ledger.kpi_window_months) + timedelta(days=1)
    due = visits_due(followups, start=start, end=on)
    report = kpis(
        snap.activities, snap.problems, snap.hazards, due, start=start, end=on, policy=policy,
        cases=followups,
    )  # fmt: skip
    used["activities"] = [a.id for a in snap.activities]
    used["problems"] = [p.id for p in snap.problems]
    used["hazards"] = [h.id for h in snap.hazards]
    used["children"] = [c.assessment.child_id for c in children]

    rejections.sort(key=_document_order)  # in the order of the document, list by list
    # Every list in id order: the plan does not depend on the order of the registry.
    return CommunityPlan(
        on=on,
        policy_version=policy.version,
        community=snap.community,
        elderly=tuple(sorted(elderly, key=lambda a: a.resident_id)),
        children=tuple(sorted(children, key=lambda c: c.assessment.child_id)),
        needs=tuple(sorted(needs, key=lambda n: n.id)),
        matching=matching,
        caring_mothers=caring,
        followups=tuple(sorted(map(_without_notes, followups), key=lambda f: f.case_id)),
        visits=visits,
        overdue=overdue(followups, on, policy=policy),
        hazards_overdue=hazards_overdue(snap.hazards, on, policy=policy),
        kpis=report,
        mandatory_reports=mandatory_reports(plans, on),
        rejections=tuple(rejections),
        used=FrozenMapping.adopt({key: tuple(sorted(ids)) for key, ids in used.items()}),
    )


# The dates a plan can be made for: from the first year a resident ID number can encode
# to a year before ``date.max`` (a plan looks back 12 months and forward 90 days).
EARLIEST_PLAN_DATE = date(1900, 1, 1)
LATEST_PLAN_DATE = date(9998, 12, 31)


def _check_plan_args(func: str, on: object, policy: object, calendar: object) -> None:
    # A date near date.min or date.max would overflow deep inside the pipeline.
    check_date(func, "on", on, earliest=EARLIEST_PLAN_DATE, latest=LATEST_PLAN_DATE)
    check_policy(func, policy)
    check_calendar(func, calendar)


def _apply_overrides(
    overrides: tuple[Override, ...],
    elderly: list[ElderlyAssessment],
    children: list[ChildCase],
    on: date,
    reject: Any,
) -> tuple[list[ElderlyAssessment], list[ChildCase]]:
    """The assessments with the winning override of each case applied (spec §7).

    An override dated after ``on``, or of a case not assessed in this plan (not in
    the snapshot, rejected, or of the other kind), is rejected at ``$.overrides[i]``;
    of the others, the latest ``on`` wins, and for the same ``on`` the later one.
    """
    old = {a.resident_id: k for k, a in enumerate(elderly)}
    young = {c.assessment.child_id: k for k, c in enumerate(children)}
    valid: list[tuple[int, Override]] = []
    for i, item in enumerate(overrides):
        known = old if item.kind is CaseKind.ELDERLY else young
        if item.on > on:
            reject(
                "overrides",
                i,
                item.case_id,
                InvalidInputError.at(
                    "$.on",
                    f"expected a date on or before the plan's date {on.isoformat()},"
                    f" got {item.on.isoformat()}",
                ),
            )
        elif item.case_id not in known:
            reject(
                "overrides",
                i,
                item.case_id,
                InvalidInputError.at(
                    "$.case_id",
                    f"expected the id of a {item.kind.value} case assessed in this plan,"
                    f" got {item.case_id!r} (not in the snapshot, or not assessed)",
                ),
            )
        else:
            valid.append((i, item))
    elderly, children = list(elderly), list(children)
    for (kind, case_id), i in latest_overrides(valid).items():
        if kind is CaseKind.ELDERLY:
            k = old[case_id]
            elderly[k] = apply_override(elderly[k], overrides[i])
        else:
            k = young[case_id]
            case = children[k]
            children[k] = attrs.evolve(
                case, assessment=apply_override(case.assessment, overrides[i])
            )
    return elderly, children


def _unique_needs(drawn: list[tuple[Need, str, bool]], rejections: list[Rejection]) -> list[Need]:
    """One need per id, in the order drawn; every other is rejected at its record's path.

    The needs drawn up from the registry (``{resident}:{intervention}``, ``wish:{id}``,
    ``problem:{id}``, ...) keep their ids: a recorded need that takes one of them is
    rejected, wherever it stands in the list. Among the rest, the first of an id is kept.
    """
    generated = {need.id for need, _path, recorded in drawn if not recorded}
    seen: set[str] = set()
    out: list[Need] = []
    for need, path, recorded in drawn:
        if need.id in seen or (recorded and need.id in generated):
            taken = "drawn up from the registry" if recorded else "already drawn up"
            rejections.append(
                Rejection(
                    id=need.id,
                    path=path,
                    code="duplicate_id",
                    message=f"{path}: a need with id {need.id!r} is {taken}; not matched twice",
                )
            )
            continue
        seen.add(need.id)
        out.append(need)
    return out


def _horizon(on: date, days: int, calendar: WorkCalendar) -> date:
    """The last day of the plan's calendar, checked before any work is done.

    A plan places visits on working days from ``on`` to the horizon, so a calendar that
    cannot answer for those dates fails the plan at once, with the calendar's own
    message, rather than after every record has been assessed.
    """
    try:
        horizon = on + timedelta(days=days)
    except OverflowError:
        raise CalendarRangeError(
            f"the plan's horizon, {days} days after {on.isoformat()}, is past the last date"
            f" a date can hold ({date.max.isoformat()})"
        ) from None
    calendar.is_working_day(on)
    calendar.is_working_day(horizon)
    return horizon


def _case_visits(
    case: FollowUp,
    on: date,
    horizon: date,
    calendar: WorkCalendar,
    policy: Policy,
    cadences: dict[tuple[CaseKind, Level], Cadence],
) -> list[PlannedCaseVisit]:
    """A case's due visit, then the visits forecast from it, from ``on`` up to the horizon.

    ``cadences`` keeps one cadence per (kind, level) for the plan: ``cadence_for`` reads
    the policy's values on each call, which cost a tenth of a plan when asked per case.
    """
    due = case.next_due
    if due > horizon:
        return []
    kind, level = case.kind, case.level
    rows = [
        PlannedCaseVisit(
            case_id=case.case_id,
            kind=kind,
            level=level,
            on=due,
            nominal=due,
            due=True,
            overdue=due < on,
            provisional=case.next_due_provisional,
        )
    ]
    cadence = cadences.get((kind, level))
    if cadence is None:
        cadence = cadences[kind, level] = cadence_for(kind, level, on=on, policy=policy).cadence
    rows.extend(
        PlannedCaseVisit(
            case_id=case.case_id,
            kind=kind,
            level=level,
            on=v.on,
            nominal=v.nominal,
            due=False,
            overdue=False,
            provisional=v.provisional,
        )
        for v in forecast_visits(cadence, anchor=due, until=horizon, calendar=calendar)
        # A case overdue since long ago is forecast from its due date, as every case is,
        # but the calendar shows what is ahead: the overdue visit once, then from `on` on.
        if v.on >= on
    )
    return rows


def plan_many(
    snapshots: Iterable[CommunitySnapshot | Mapping[str, Any]],
    *,
    on: date,
    policy: Policy | None = None,
    calendar: WorkCalendar | None = None,
) -> Iterator[CommunityPlan]:
    """Plan many communities one after another, lazily (a district, one community in memory).

    Examples:
        >>> from community_care.samples import demo_community
        >>> plans = plan_many([demo_community(0), demo_community(1)], on=date(2026, 11, 30))
        >>> [len(p.elderly) for p in plans]
        [420, 420]
    """
    # Checked here, not in the generator, so that misuse fails at the call.
    check_iterable("plan_many", "snapshots", snapshots, "[demo_community(0), {...}]")
    _check_plan_args("plan_many", on, policy, calendar)
    return _plan_each(
        snapshots,
        on,
        policy or default_policy(),
        calendar or official_calendar().with_provisional(),
    )


def _plan_each(
    snapshots: Iterable[CommunitySnapshot | Mapping[str, Any]],
    on: date,
    policy: Policy,
    calendar: WorkCalendar,
) -> Iterator[CommunityPlan]:
    for snapshot in snapshots:
        yield plan_community(snapshot, on=on, policy=policy, calendar=calendar)
