"""Case records (spec §5): one case's rolling follow-up, its visits, due dates and escalation."""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from datetime import date, timedelta

import attrs

from community_care._kernel.checks import (
    check_calendar,
    check_date,
    check_instance,
    check_iterable,
    check_policy,
)
from community_care._kernel.fields import (
    bool_field,
    date_field,
    describe,
    enum_field,
    int_field,
    model_tuple_field,
    str_field,
)
from community_care.calendar import (
    WorkCalendar,
    official_calendar,
)
from community_care.errors import InputProblem, InvalidInputError
from community_care.followup._cadence import (
    CaseKind,
    Level,
    _check_level,
    _level_field,
    _level_problem,
    _next_visit,
    _plain,
    _rules,
    _terms,
    cadence_for,
)
from community_care.followup._visits import Finding, Visit
from community_care.policy import Policy, default_policy
from community_care.vocab import VisitMode

__all__ = [
    "DueVisit",
    "FollowUp",
    "FollowUpAction",
    "FollowUpEvent",
    "FollowUpStatus",
    "OverdueCase",
    "next_due",
    "open_followup",
    "overdue",
    "record_visit",
    "retier",
    "status",
    "visits_due",
]


class FollowUpStatus(enum.StrEnum):
    """Where a case stands against its next due visit on a date."""

    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"  # due within the policy's due_soon_days (3 by default)
    OVERDUE = "overdue"  # past the due date, within grace
    ESCALATED = "escalated"  # past due date + grace: the case goes to a supervisor


class FollowUpAction(enum.StrEnum):
    """What an event of a follow-up's history did."""

    OPENED = "opened"
    VISITED = "visited"
    RETIERED = "retiered"
    ATTEMPTED = "attempted"  # 探访未遇: a visit where the person was not met; moves nothing


# --- rolling follow-up ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FollowUpEvent:
    """One step of a follow-up's history, with the due date it left.

    ``level`` is the level after the event (``previous_level`` the one before, for a
    re-tiering); ``due`` and ``grace_days`` the next due visit after the event;
    ``provisional`` whether ``due`` was placed with provisional calendar data.

    Examples:
        >>> e = FollowUpEvent(on=date(2026, 3, 2), action="visited", level="red",
        ...                   due=date(2026, 3, 9), grace_days=1)
        >>> e.action.value, (e.due - e.on).days
        ('visited', 7)
    """

    on: date = date_field()
    action: FollowUpAction = enum_field(FollowUpAction)
    level: Level = _level_field()
    previous_level: Level | None = _level_field(optional=True)
    due: date = date_field()
    grace_days: int = int_field(minimum=0)
    provisional: bool = bool_field(default=False)


@attrs.frozen(kw_only=True)
class FollowUp:
    """One case's rolling follow-up record (spec §5): visits, next due date, history.

    Build it with :func:`open_followup`; :func:`record_visit` and :func:`retier`
    return new records. ``history`` is append-only: the opening, every visit and
    every re-tiering, each with the due date it left. ``grace_days`` is the grace of
    the pending due date (calendar days).

    Raises:
        InvalidInputError: The fields contradict each other (the history must start
            with the opening, hold one ``visited`` event per visit in order, and end
            with the current level, due date and grace).

    Examples:
        >>> fu = open_followup("e1", "elderly", "yellow", on=date(2026, 3, 2))
        >>> fu.next_due, fu.grace_days, len(fu.history)
        (datetime.date(2026, 3, 7), 5, 1)
    """

    case_id: str = str_field()
    kind: CaseKind = enum_field(CaseKind)
    level: Level = _level_field()
    opened_on: date = date_field()
    visits: tuple[Visit, ...] = model_tuple_field(Visit, default=())
    next_due: date = date_field()
    grace_days: int = int_field(minimum=0)
    history: tuple[FollowUpEvent, ...] = model_tuple_field(FollowUpEvent, min_items=1)

    def __attrs_post_init__(self) -> None:
        problems: list[InputProblem] = []
        level = _level_problem(self.kind, _plain(self.level))
        if level is not None:
            problems.append(InputProblem("$.level", level))
        for i, event in enumerate(self.history):
            for name in ("level", "previous_level"):
                value = _plain(getattr(event, name))
                if value is not None and _level_problem(self.kind, value) is not None:
                    problems.append(
                        InputProblem(
                            f"$.history[{i}].{name}", str(_level_problem(self.kind, value))
                        )
                    )
        first, last = self.history[0], self.history[-1]
        if first.action is not FollowUpAction.OPENED or first.on != self.opened_on:
            problems.append(
                InputProblem(
                    "$.history[0]", f"expected the 'opened' event on {self.opened_on.isoformat()}"
                )
            )
        if any(e.action is FollowUpAction.OPENED for e in self.history[1:]):
            problems.append(InputProblem("$.history", "expected a single 'opened' event, first"))
        visited = [
            (e.on, e.action is FollowUpAction.VISITED)
            for e in self.history
            if e.action in (FollowUpAction.VISITED, FollowUpAction.ATTEMPTED)
        ]
        if visited != [(v.on, v.met) for v in self.visits]:
            problems.append(
                InputProblem(
                    "$.visits",
                    "expected one history event per visit, on the same dates, in order:"
                    " 'visited' for a visit with met true, 'attempted' for one with met false",
                )
            )
        for i, (prior, event) in enumerate(itertools.pairwise(self.history), start=1):
            moved = (event.due, event.grace_days) != (prior.due, prior.grace_days)
            if event.action is FollowUpAction.ATTEMPTED and moved:
                problems.append(
                    InputProblem(
                        f"$.history[{i}]",
                        "expected an 'attempted' event to leave the due date and grace as they"
                        " were: an attempt moves no due date",
                    )
                )
        for i, (before, after) in enumerate(zip(self.visits, self.visits[1:], strict=False)):
            if after.on < before.on:
                problems.append(
                    InputProblem(f"$.visits[{i + 1}].on", "expected visits in date order")
                )
        if self.visits and self.visits[0].on < self.opened_on:
            problems.append(
                InputProblem("$.visits[0].on", "expected no visit before the case was opened")
            )
        if (last.level, last.due, last.grace_days) != (self.level, self.next_due, self.grace_days):
            problems.append(
                InputProblem(
                    "$.history",
                    "expected the last event to leave the record's level, next_due and grace_days",
                )
            )
        if problems:
            raise InvalidInputError(problems)

    @property
    def next_due_provisional(self) -> bool:
        """Whether the next due date was placed with provisional calendar data."""
        return self.history[-1].provisional


def _check_followup(func: str, value: object) -> FollowUp:
    return check_instance(
        func, "followup", value, FollowUp, "open_followup('e1', 'elderly', 'red', on=...)"
    )


def open_followup(
    case_id: str,
    kind: CaseKind | str,
    level: Level | str,
    *,
    on: date,
    policy: Policy | None = None,
) -> FollowUp:
    """Open a case's follow-up: the first visit is due ``first_visit_days`` after ``on``.

    The first-visit delay is in calendar days and is not moved off days off (spec §5:
    "first visit within").

    Args:
        case_id: The case's registry id (not a personal identifier).
        kind: ``"elderly"`` or ``"child"``.
        level: The tier or risk level (see :func:`cadence_for`).
        on: The day the case opens.
        policy: The policy; the default policy if ``None``.

    Returns:
        A new :class:`FollowUp` with no visits.

    Raises:
        InvalidInputError: At ``$.case_id``, ``$.kind`` or ``$.level``.
        InvalidArgumentError: ``on`` is not a date or ``policy`` not a policy.

    Examples:
        >>> fu = open_followup("c7", "child", "high", on=date(2026, 2, 16))
        >>> fu.next_due.isoformat(), fu.level
        ('2026-02-17', <ChildRisk.HIGH: 'high'>)
    """
    if not isinstance(case_id, str) or not case_id:
        raise InvalidInputError.at(
            "$.case_id", f"expected a non-empty case id such as 'e-0001', got {describe(case_id)}"
        )
    check_date("open_followup", "on", on)
    check_policy("open_followup", policy)
    terms = cadence_for(kind, level, on=on, policy=policy)
    due = on + timedelta(days=terms.first_visit_days)
    event = FollowUpEvent(
        on=on,
        action=FollowUpAction.OPENED,
        level=terms.level,
        due=due,
        grace_days=terms.grace_days,
    )
    return FollowUp(
        case_id=case_id,
        kind=terms.kind,
        level=terms.level,
        opened_on=on,
        next_due=due,
        grace_days=terms.grace_days,
        history=(event,),
    )


def record_visit(
    followup: FollowUp,
    on: date,
    by: str,
    note: str = "",
    *,
    mode: VisitMode | str = VisitMode.HOME,
    met: bool = True,
    findings: Iterable[Finding] = (),
    calendar: WorkCalendar | None = None,
    policy: Policy | None = None,
) -> FollowUp:
    """Record a visit on ``on``; the next one is due on the adjusted ``on + interval``.

    The next due date is the first date of ``forecast(cadence, anchor=on,
    until=on + interval)`` with the cadence of the current level (after a lowering,
    this is where the new cadence starts), capped when the cadence covers every
    month (no later than the last, working, day of the month after ``on``'s). Its
    grace is the current level's.

    A visit with ``met`` false is an attempt (探访未遇): it is recorded, with an
    ``attempted`` event, but moves nothing: the due date, its grace and the anchor of
    the next forecast stay as they were, and it counts in no KPI.

    Args:
        followup: The case's record.
        on: The day of the visit; not before the last visit or the opening (a
            second visit on the same day as the last is recorded).
        by: Who visited (a staff or volunteer id).
        note: What was found (free text; not shown in ``repr``).
        mode: How: ``"home"`` (上门入户, the default), ``"phone"`` or ``"video"``;
            every mode counts as a visit when the person was met.
        met: Whether the person was reached (false: an attempt).
        findings: What the visit found, by block (see :class:`Finding`).
        calendar: The working-day calendar; the official calendar if ``None``.
        policy: The policy; the default policy if ``None``.

    Returns:
        A new record with the visit and a ``visited`` (or ``attempted``) event appended.

    Raises:
        InvalidInputError: At ``$.on`` for a visit before the last visit or before
            the opening; at ``$.by``, ``$.note``, ``$.mode``, ``$.met`` or
            ``$.findings`` for a bad value.
        CalendarRangeError: The next due date needs a year the calendar does not cover.

    Examples:
        >>> fu = open_followup("e1", "elderly", "yellow", on=date(2026, 1, 10))
        >>> fu = record_visit(fu, date(2026, 1, 16), "w01")
        >>> fu.next_due.isoformat()  # 2026-02-16 is in the Spring Festival holiday
        '2026-02-14'
        >>> tried = record_visit(fu, date(2026, 2, 10), "w01", mode="phone", met=False)
        >>> tried.next_due.isoformat(), tried.history[-1].action.value
        ('2026-02-14', 'attempted')
    """
    record = _check_followup("record_visit", followup)
    day = check_date("record_visit", "on", on)
    policy = check_policy("record_visit", policy) or default_policy()
    cal = check_calendar("record_visit", calendar) or official_calendar()
    floor = record.visits[-1].on if record.visits else record.opened_on
    if day < floor:
        what = "the last visit" if record.visits else "the opening of the case"
        raise InvalidInputError.at(
            "$.on",
            f"{day.isoformat()} is before {what} ({floor.isoformat()}); visits are "
            "recorded in date order and history is never rewritten",
        )
    found = tuple(check_iterable("record_visit", "findings", findings, "[Finding(...)]"))
    visit = Visit(on=day, by=by, note=note, mode=mode, met=met, findings=found)  # type: ignore[arg-type]  # a mode's string is converted
    if not visit.met:
        # An attempt is history, not a visit: the pending due date stands.
        attempt = FollowUpEvent(
            on=day,
            action=FollowUpAction.ATTEMPTED,
            level=record.level,
            due=record.next_due,
            grace_days=record.grace_days,
            provisional=record.next_due_provisional,
        )
        return attrs.evolve(
            record, visits=(*record.visits, visit), history=(*record.history, attempt)
        )
    terms = _terms(_rules(policy, day), record.kind, record.level)
    due, provisional = _next_visit(
        terms.cadence, day, cal if terms.cadence.working_days_only else None
    )
    event = FollowUpEvent(
        on=day,
        action=FollowUpAction.VISITED,
        level=record.level,
        due=due,
        grace_days=terms.grace_days,
        provisional=provisional,
    )
    return attrs.evolve(
        record,
        visits=(*record.visits, visit),
        next_due=due,
        grace_days=terms.grace_days,
        history=(*record.history, event),
    )


def next_due(followup: FollowUp) -> date:
    """The date the case's next visit is due.

    Args:
        followup: The case's record.

    Returns:
        ``followup.next_due``.

    Raises:
        InvalidInputError: ``followup`` is not a :class:`FollowUp`.

    Examples:
        >>> next_due(open_followup("e1", "elderly", "green", on=date(2026, 3, 2)))
        datetime.date(2026, 3, 12)
    """
    return _check_followup("next_due", followup).next_due


def _status(record: FollowUp, on: date, due_soon_days: int) -> FollowUpStatus:
    if (on - record.next_due).days > record.grace_days:  # no date overflow for a huge grace
        return FollowUpStatus.ESCALATED
    if on > record.next_due:
        return FollowUpStatus.OVERDUE
    if (record.next_due - on).days <= due_soon_days:
        return FollowUpStatus.DUE_SOON
    return FollowUpStatus.ON_TRACK


def status(followup: FollowUp, on: date, *, policy: Policy | None = None) -> FollowUpStatus:
    """Where the case stands on ``on`` against its next due date.

    ``escalated`` when ``on > due + grace``; ``overdue`` when ``on > due``;
    ``due_soon`` when ``0 ≤ due − on ≤ due_soon_days`` (3 by default); ``on_track``
    otherwise.

    Args:
        followup: The case's record.
        on: The day to judge.
        policy: The policy (for ``due_soon_days`` on ``on``); default if ``None``.

    Returns:
        The :class:`FollowUpStatus`.

    Raises:
        InvalidArgumentError: ``followup`` is not a FollowUp, ``on`` not a date or
            ``policy`` not a policy.

    Examples:
        >>> fu = open_followup("e1", "elderly", "red", on=date(2026, 3, 2))  # due 03-03
        >>> [status(fu, date(2026, 3, d)).value for d in (2, 3, 4, 5)]
        ['due_soon', 'due_soon', 'overdue', 'escalated']
    """
    record = _check_followup("status", followup)
    day = check_date("status", "on", on)
    rules = _rules(check_policy("status", policy) or default_policy(), day)
    return _status(record, day, rules.due_soon_days)


def retier(
    followup: FollowUp, new_level: Level | str, on: date, *, policy: Policy | None = None
) -> FollowUp:
    """Apply a re-assessment's new tier or risk level on ``on``.

    Raising the level (red > yellow > green; high > medium > low): the next due date
    becomes the earlier of the current one and ``on`` + the new level's first-visit
    delay, and the grace the smaller of the two. Lowering it: the current due date
    and grace stand, and the new cadence applies after the next visit. The same level
    again is recorded and changes nothing. Either way an event is appended; no visit
    is touched.

    Args:
        followup: The case's record.
        new_level: The new tier or risk level of the same kind.
        on: The day of the re-assessment; not before the last visit.
        policy: The policy; the default policy if ``None``.

    Returns:
        A new record with a ``retiered`` event appended.

    Raises:
        InvalidInputError: At ``$.level`` for a level of another kind; at ``$.on``
            for a date before the last visit or the opening.
        InvalidArgumentError: ``followup``, ``on`` or ``policy`` is of the wrong type.

    Examples:
        >>> fu = open_followup("e1", "elderly", "green", on=date(2026, 3, 2))
        >>> up = retier(fu, "red", date(2026, 3, 4))
        >>> up.next_due.isoformat(), up.grace_days, up.level
        ('2026-03-05', 1, <RiskTier.RED: 'red'>)
        >>> retier(up, "green", date(2026, 3, 4)).next_due.isoformat()
        '2026-03-05'
    """
    record = _check_followup("retier", followup)
    level = _check_level(record.kind, new_level)
    day = check_date("retier", "on", on)
    policy = check_policy("retier", policy) or default_policy()
    floor = record.visits[-1].on if record.visits else record.opened_on
    if day < floor:
        raise InvalidInputError.at(
            "$.on",
            f"{day.isoformat()} is before the last visit or opening ({floor.isoformat()}); "
            "re-assessments are recorded in date order",
        )
    due, grace, provisional = record.next_due, record.grace_days, record.next_due_provisional
    if level.rank > record.level.rank:
        terms = _terms(_rules(policy, day), record.kind, level)
        sooner = day + timedelta(days=terms.first_visit_days)
        if sooner < due:
            due, provisional = sooner, False  # calendar days: no calendar data used
        grace = min(grace, terms.grace_days)
    event = FollowUpEvent(
        on=day,
        action=FollowUpAction.RETIERED,
        level=level,
        previous_level=record.level,
        due=due,
        grace_days=grace,
        provisional=provisional,
    )
    return attrs.evolve(
        record, level=level, next_due=due, grace_days=grace, history=(*record.history, event)
    )


@attrs.frozen(kw_only=True)
class OverdueCase:
    """A case past its due date on a day: how late, and whether it is escalated.

    Examples:
        >>> OverdueCase(case_id="e1", kind="elderly", level="red", due=date(2026, 3, 3),
        ...             grace_days=1, days_late=2, status="escalated").status.value
        'escalated'
    """

    case_id: str = str_field()
    kind: CaseKind = enum_field(CaseKind)
    level: Level = _level_field()
    due: date = date_field()
    grace_days: int = int_field(minimum=0)
    days_late: int = int_field(minimum=1)
    status: FollowUpStatus = enum_field(FollowUpStatus)


def _check_followups(func: str, values: object) -> list[FollowUp]:
    records = list(check_iterable(func, "followups", values, "[open_followup(...)]"))
    for i, value in enumerate(records):
        if not isinstance(value, FollowUp):
            raise InvalidInputError.at(
                f"$.followups[{i}]",
                f"expected a FollowUp (see open_followup), got {describe(value)}",
            )
    return records


def overdue(
    followups: Iterable[FollowUp], on: date, *, policy: Policy | None = None
) -> tuple[OverdueCase, ...]:
    """The overdue and escalated cases on ``on``, most days late first (ties by case id).

    Args:
        followups: The cases' records.
        on: The day to judge.
        policy: The policy; the default policy if ``None``.

    Returns:
        One :class:`OverdueCase` per late case.

    Raises:
        InvalidInputError: At ``$.followups[i]`` for an item that is not a FollowUp.
        InvalidArgumentError: ``followups`` is not an iterable, ``on`` not a date or
            ``policy`` not a policy.

    Examples:
        >>> a = open_followup("a", "elderly", "red", on=date(2026, 3, 2))   # due 03-03
        >>> b = open_followup("b", "child", "low", on=date(2026, 2, 20))    # due 02-25
        >>> [(c.case_id, c.days_late, c.status.value) for c in overdue([a, b], date(2026, 3, 4))]
        [('b', 7, 'escalated'), ('a', 1, 'overdue')]
    """
    records = _check_followups("overdue", followups)
    day = check_date("overdue", "on", on)
    soon = _rules(check_policy("overdue", policy) or default_policy(), day).due_soon_days
    late = []
    for record in records:
        state = _status(record, day, soon)
        if state in (FollowUpStatus.OVERDUE, FollowUpStatus.ESCALATED):
            late.append(
                OverdueCase(
                    case_id=record.case_id,
                    kind=record.kind,
                    level=record.level,
                    due=record.next_due,
                    grace_days=record.grace_days,
                    days_late=(day - record.next_due).days,
                    status=state,
                )
            )
    late.sort(key=lambda c: (-c.days_late, c.case_id))
    return tuple(late)


@attrs.frozen(kw_only=True)
class DueVisit:
    """A follow-up visit that fell due: the input of the KPI ``visit_on_time_rate``.

    :func:`visits_due` turns follow-up records into these; anything else that knows
    due dates may build them directly (``community_care.ledger.VisitDue`` is the same
    class under its former name). ``done_on`` is the first visit after the due date
    was set (``None`` while none has been recorded); ``grace_days`` are calendar days
    (spec §5).

    Examples:
        >>> d = DueVisit(case_id="e1", due_on=date(2026, 3, 7), grace_days=5,
        ...              done_on=date(2026, 3, 12))
        >>> d.key, d.on_time
        ('e1@2026-03-07', True)
    """

    case_id: str = str_field()
    due_on: date = date_field()
    grace_days: int = int_field(default=0, minimum=0)
    done_on: date | None = date_field(default=None, optional=True)

    @property
    def key(self) -> str:
        """The visit's id in a KPI: the case id and the due date (``case@YYYY-MM-DD``)."""
        return f"{self.case_id}@{self.due_on.isoformat()}"

    @property
    def on_time(self) -> bool:
        """Done by ``due_on + grace_days`` (an early visit is on time).

        Counted in days between the dates, so a huge grace never overflows a date.
        """
        return self.done_on is not None and (self.done_on - self.due_on).days <= self.grace_days


def _due_visits(record: FollowUp) -> list[DueVisit]:
    dues: list[DueVisit] = []
    pending: FollowUpEvent | None = None
    for event in record.history:
        if event.action is FollowUpAction.ATTEMPTED:
            continue  # an attempt answers no due date and sets none
        if event.action is FollowUpAction.VISITED and pending is not None:
            dues.append(
                DueVisit(
                    case_id=record.case_id,
                    due_on=pending.due,
                    grace_days=pending.grace_days,
                    done_on=event.on,
                )
            )
        # Every event leaves the due date in force; a re-tiering replaces the pending
        # due date (it is the same visit, sooner or not), a visit answers it.
        pending = event
    assert pending is not None  # history has at least the opening
    dues.append(
        DueVisit(
            case_id=record.case_id,
            due_on=pending.due,
            grace_days=pending.grace_days,
            done_on=None,
        )
    )
    return dues


def visits_due(followups: Iterable[FollowUp], *, start: date, end: date) -> tuple[DueVisit, ...]:
    """The visits that fell due in ``[start, end]``, each with when it was done.

    The due dates come from each record's history, where each was stored when it was
    set: the first is ``opened_on + first_visit_days``, each later one was computed
    from the previous visit, and a re-tiering may have brought the pending one
    forward. A visit answers the due date pending when it took place (early, on time
    or late); the last due date is pending (``done_on`` is ``None``). No policy or
    calendar is needed: the history already holds what they gave at the time.

    Args:
        followups: The cases' records.
        start: The first day of the period.
        end: The last day of the period, inclusive.

    Returns:
        The :class:`DueVisit` records with ``start ≤ due_on ≤ end``, by due date
        then case id.

    Raises:
        InvalidInputError: At ``$.followups[i]``, or at ``$.end`` when ``end`` is
            before ``start``.
        InvalidArgumentError: ``followups`` is not an iterable, or ``start`` or ``end``
            not a date.

    Examples:
        >>> fu = open_followup("e1", "elderly", "yellow", on=date(2026, 1, 2))  # due 01-07
        >>> fu = record_visit(fu, date(2026, 1, 9), "w01")                      # due 02-09
        >>> [(d.due_on.isoformat(), d.done_on, d.on_time) for d in visits_due(
        ...     [fu], start=date(2026, 1, 1), end=date(2026, 2, 28))]
        [('2026-01-07', datetime.date(2026, 1, 9), True), ('2026-02-09', None, False)]
    """
    records = _check_followups("visits_due", followups)
    first = check_date("visits_due", "start", start)
    last = check_date("visits_due", "end", end)
    if last < first:
        raise InvalidInputError.at(
            "$.end",
            f"expected a date on or after start {first.isoformat()}, got {last.isoformat()}",
        )
    dues = [d for r in records for d in _due_visits(r) if first <= d.due_on <= last]
    dues.sort(key=lambda d: (d.due_on, d.case_id))
    return tuple(dues)
