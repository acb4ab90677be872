"""Long-term follow-up (长效机制): cadences, forecasts, rolling due dates and escalation.

Spec §5. A :class:`Cadence` says how often a case is visited; :func:`forecast` lists the
visit dates it gives from an anchor (the last visit), moving them off days off when the
cadence says working days only. A :class:`FollowUp` is one case's rolling record:
:func:`open_followup`, :func:`record_visit` and :func:`retier` return new records with
an append-only history, :func:`status` and :func:`overdue` say which cases are late, and
:func:`visits_due` turns the records into the visits due in a period for the KPIs.
Community programmes (:class:`Programme`) recur by RFC 5545 rules and, with the visits,
export to iCalendar text (:func:`to_ical`).

Nothing here reads the clock or holds global state: every date is an argument.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import dateutil.rrule

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
    model_field,
    model_tuple_field,
    str_field,
)
from community_care.calendar import (
    WorkCalendar,
    first_working_day_on_or_after,
    last_working_day_on_or_before,
    official_calendar,
)
from community_care.errors import InputProblem, InvalidInputError
from community_care.policy import CaseFollowup, FollowupRules, Policy, default_policy
from community_care.vocab import CadenceUnit, ChildRisk, PartyKind, RiskTier

__all__ = [
    "Cadence",
    "CadenceUnit",
    "CaseCadence",
    "CaseKind",
    "DueVisit",
    "FollowUp",
    "FollowUpAction",
    "FollowUpEvent",
    "FollowUpStatus",
    "OverdueCase",
    "PlannedVisit",
    "Programme",
    "Visit",
    "cadence_for",
    "forecast",
    "forecast_visits",
    "next_due",
    "occurrences",
    "open_followup",
    "overdue",
    "record_visit",
    "retier",
    "status",
    "to_ical",
    "visits_due",
]


@attrs.frozen(kw_only=True)
class Cadence:
    """How often a case is visited: ``every`` × ``unit``.

    With ``working_days_only`` a visit falling on a day off moves to a working
    day (at most ``max_shift_days`` later, else earlier; spec §5).

    Examples:
        >>> c = Cadence(every=1, unit="month", working_days_only=True)
        >>> c.unit, c.max_shift_days
        (<CadenceUnit.MONTH: 'month'>, 3)
    """

    every: int = int_field(minimum=1)
    unit: CadenceUnit = enum_field(CadenceUnit)
    working_days_only: bool = bool_field(default=False)
    max_shift_days: int = int_field(default=3, minimum=0)


class CaseKind(enum.StrEnum):
    """The two kinds of case followed up: older residents and children in difficulty."""

    ELDERLY = "elderly"  # 银龄守护: level is the risk tier red / yellow / green
    CHILD = "child"  # 幼苗成长: level is the risk level high / medium / low

    @property
    def levels(self) -> type[RiskTier] | type[ChildRisk]:
        """The enum of this kind's levels: :class:`RiskTier` or :class:`ChildRisk`."""
        return RiskTier if self is CaseKind.ELDERLY else ChildRisk


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


#: The level of a case: an elderly risk tier or a child risk level (their values differ).
Level = RiskTier | ChildRisk

_LEVEL_OF: dict[str, Level] = {**RiskTier._value2member_map_, **ChildRisk._value2member_map_}  # type: ignore[dict-item]  # the maps hold the members


def _to_level(value: object) -> object:
    # "red" becomes RiskTier.RED, "high" ChildRisk.HIGH (the two enums share no value),
    # so records compare and serialize the same whichever the caller passed. Anything
    # else is left for the validators to refuse with the value as it came.
    if isinstance(value, str):
        return _LEVEL_OF.get(value, value)
    return value


def _level_field(*, optional: bool = False) -> Any:
    # Shown in JSON Schema as the string it is written as (which kind's levels apply
    # depends on the record's ``kind``).
    field = str_field(default=None if optional else attrs.NOTHING, optional=optional)
    field.converter = _to_level
    return field


def _plain(level: object) -> object:
    """A level as it was written (a member's value), for a message."""
    return level.value if isinstance(level, RiskTier | ChildRisk) else level


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


# --- small checks shared by the functions ---------------------------------------------


def _check_kind(value: object) -> CaseKind:
    if isinstance(value, str) and value in CaseKind._value2member_map_:
        return CaseKind(value)
    raise InvalidInputError.at("$.kind", f"expected 'elderly' or 'child', got {describe(value)}")


def _level_problem(kind: CaseKind, level: object) -> str | None:
    levels = kind.levels
    if isinstance(level, str) and level in levels._value2member_map_:
        return None
    # Mildest first, as a caseworker reads a scale.
    choices = ", ".join(repr(m.value) for m in sorted(levels, key=lambda m: m.rank))
    article = "an" if kind.value[0] in "aeiou" else "a"
    return f"expected {article} {kind.value} level, one of {choices}, got {describe(level)}"


def _check_level(kind: CaseKind, level: object, path: str = "$.level") -> Level:
    problem = _level_problem(kind, level)
    if problem is not None:
        raise InvalidInputError.at(path, problem)
    return _LEVEL_OF[str(level)]


def _rules(policy: Policy, on: date) -> FollowupRules:
    return policy.at(on).followup


def _case_rules(rules: FollowupRules, kind: CaseKind, level: Level) -> CaseFollowup:
    table: Mapping[Any, CaseFollowup] = rules.elderly if kind is CaseKind.ELDERLY else rules.child
    return table[level]


# --- cadence by case --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CaseCadence:
    """The follow-up terms of a kind of case (spec §5 table): cadence, first visit, grace.

    ``first_visit_days`` and ``grace_days`` are calendar days.

    Examples:
        >>> terms = cadence_for("elderly", "yellow", on=date(2026, 1, 5))
        >>> terms.cadence.every, terms.cadence.unit.value, terms.cadence.working_days_only
        (1, 'month', True)
        >>> terms.first_visit_days, terms.grace_days
        (5, 5)
    """

    kind: CaseKind = enum_field(CaseKind)
    level: Level = _level_field()
    cadence: Cadence = model_field(Cadence)
    first_visit_days: int = int_field(minimum=0)
    grace_days: int = int_field(minimum=0)


def cadence_for(
    kind: CaseKind | str, level: Level | str, *, on: date, policy: Policy | None = None
) -> CaseCadence:
    """The cadence, first-visit delay and grace of a case, from the policy in force on ``on``.

    Args:
        kind: ``"elderly"`` or ``"child"`` (or a :class:`CaseKind`).
        level: The elderly risk tier (``"red"``, ``"yellow"``, ``"green"``) or the
            child risk level (``"high"``, ``"medium"``, ``"low"``); a string enum
            member such as the elderly ``RiskTier.RED`` is accepted.
        on: The date whose policy values apply.
        policy: The policy; :func:`~community_care.policy.default_policy` if ``None``.

    Returns:
        The case's :class:`CaseCadence`.

    Raises:
        InvalidInputError: At ``$.kind`` or ``$.level``.
        InvalidArgumentError: ``on`` is not a date or ``policy`` not a policy.

    Examples:
        >>> c = cadence_for("child", "medium", on=date(2026, 1, 5)).cadence
        >>> c.every, c.unit.value, c.working_days_only, c.max_shift_days
        (2, 'week', True, 3)
    """
    case_kind = _check_kind(kind)
    case_level = _check_level(case_kind, level)
    day = check_date("cadence_for", "on", on)
    return _terms(
        _rules(check_policy("cadence_for", policy) or default_policy(), day), case_kind, case_level
    )


def _terms(rules: FollowupRules, kind: CaseKind, level: Level) -> CaseCadence:
    # The one place where a row of the policy's table (CaseFollowup, whose fields are
    # the parameter names) becomes the terms of a case (CaseCadence, a result).
    case = _case_rules(rules, kind, level)
    return CaseCadence(
        kind=kind,
        level=level,
        cadence=Cadence(
            every=case.every,
            unit=case.unit,
            working_days_only=case.working_days_only,
            max_shift_days=case.max_shift_days,
        ),
        first_visit_days=case.first_visit_days,
        grace_days=case.grace_days,
    )


# --- forecast ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PlannedVisit:
    """A forecast visit: its date, the nominal date it came from, and a provisional flag.

    ``provisional`` is true when the calendar answered from provisional data for any
    day it was asked about for this visit (the visit may move once the State Council
    publishes that year's arrangement).

    Examples:
        >>> v = PlannedVisit(on=date(2026, 2, 14), nominal=date(2026, 2, 16))
        >>> (v.nominal - v.on).days, v.provisional
        (2, False)
    """

    on: date = date_field()
    nominal: date = date_field()
    provisional: bool = bool_field(default=False)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def _check_forecast_args(
    func: str, cadence: object, anchor: object, until: object, calendar: object
) -> tuple[Cadence, date, date, WorkCalendar | None]:
    cadence = check_instance(func, "cadence", cadence, Cadence, "Cadence(every=1, unit='month')")
    start = check_date(func, "anchor", anchor)
    end = check_date(func, "until", until)
    cal = check_calendar(func, calendar) or official_calendar()
    # The calendar is consulted only for a working-day cadence (spec §5).
    return cadence, start, end, cal if cadence.working_days_only else None


def _plan(
    cadence: Cadence,
    anchor: date,
    until: date,
    cal: WorkCalendar | None,
    *,
    flags: bool,
    limit: int = -1,
) -> tuple[list[date], list[date], list[bool]]:
    """The spec §5 forecast: visit dates, their nominal dates and (if asked) provisional flags.

    ``limit`` stops after that many visits (``-1``: no limit). This is the hot loop of
    the follow-up plans, so it works on ordinals and month counts rather than building
    a ``relativedelta`` per date; the result is the same (the tests check it against
    ``relativedelta``).
    """
    visits: list[date] = []
    nominals: list[date] = []
    provisional: list[bool] = []
    shift = cadence.max_shift_days
    is_working = cal.is_working_day if cal is not None else None
    is_provisional = cal.is_provisional if cal is not None and flags else None
    monthly = cadence.unit is CadenceUnit.MONTH
    every = cadence.every
    step = every * (7 if cadence.unit is CadenceUnit.WEEK else 1)
    origin = anchor.toordinal()
    last = until.toordinal()
    months0 = anchor.year * 12 + anchor.month - 1
    day0 = anchor.day
    prev = anchor
    k = 0
    while len(visits) != limit:
        k += 1
        # Nominal dates are counted from the anchor (d_k = A + k × interval), never
        # chained, so a month-end anchor keeps its day: Jan 31 -> Feb 28 -> Mar 31.
        if monthly:
            year, month0 = divmod(months0 + k * every, 12)
            if year > until.year:
                break
            day = day0 if day0 <= 28 else min(day0, _days_in_month(year, month0 + 1))
            d = date(year, month0 + 1, day)
            if d > until:
                break
        else:
            ordinal = origin + k * step
            if ordinal > last:
                break
            d = date.fromordinal(ordinal)
        low = high = d
        if is_working is None or is_working(d):
            on = d
        else:
            assert cal is not None  # is_working is cal's method
            f = first_working_day_on_or_after(cal, d)
            high = f
            if (f - d).days <= shift:
                on = f
            else:
                # Only now is the earlier working day looked up: asking for it when f
                # is taken could raise CalendarRangeError for a date that plays no part.
                p = last_working_day_on_or_before(cal, d)
                low = p
                on = p if p > prev else f
        if on == prev:
            # An earlier nominal date already moved here (a long closure): one visit.
            continue
        visits.append(on)
        nominals.append(d)
        if is_provisional is not None:
            # Every day the calendar was asked about decided this visit, so the visit
            # is provisional if any of them is (not only the day it lands on).
            provisional.append(
                any(is_provisional(low + timedelta(days=i)) for i in range((high - low).days + 1))
            )
        prev = on
    return visits, nominals, provisional


def forecast(
    cadence: Cadence, *, anchor: date, until: date, calendar: WorkCalendar | None = None
) -> tuple[date, ...]:
    """The visit dates of ``cadence`` after ``anchor`` up to ``until`` (spec §5).

    Nominal dates are ``d_k = anchor + k × interval`` for k = 1, 2, … (months by
    ``relativedelta``: Jan 31 + 1 month = Feb 28/29, + 2 months = Mar 31). Without
    ``working_days_only`` the visits are the nominal dates and the calendar is never
    consulted. With it, ``f`` is the first working day on or after ``d_k``: it is
    taken if ``f − d_k ≤ max_shift_days``; otherwise ``p``, the last working day on
    or before ``d_k``, is taken if it is later than the previous visit (the anchor
    for the first), else ``f``. A date equal to the previous visit is dropped. The
    forecast stops at the first nominal date after ``until``; a visit whose nominal
    date is within ``until`` is kept even when the shift moves it past ``until``.

    Args:
        cadence: The cadence.
        anchor: The last visit (or the case's first visit); not itself a result.
        until: The last nominal date considered, inclusive. If it is on or before
            ``anchor`` the forecast is empty.
        calendar: The working-day calendar; the official calendar (packaged years
            only) if ``None``.

    Returns:
        The visit dates, strictly increasing, all after ``anchor``.

    Raises:
        InvalidArgumentError: ``cadence``, ``anchor``, ``until`` or ``calendar`` is
            of the wrong type.
        CalendarRangeError: A working-day cadence reaches a date the calendar does
            not cover (use ``official_calendar().with_provisional()`` or add the
            year with ``with_year``).

    Examples:
        >>> from community_care.calendar import official_calendar
        >>> monthly = Cadence(every=1, unit="month", working_days_only=True)
        >>> forecast(monthly, anchor=date(2026, 1, 16), until=date(2026, 3, 31))
        (datetime.date(2026, 2, 14), datetime.date(2026, 3, 16))
        >>> forecast(Cadence(every=1, unit="month"), anchor=date(2026, 1, 31),
        ...          until=date(2026, 3, 31))
        (datetime.date(2026, 2, 28), datetime.date(2026, 3, 31))
    """
    checked, start, end, cal = _check_forecast_args("forecast", cadence, anchor, until, calendar)
    visits, _, _ = _plan(checked, start, end, cal, flags=False)
    return tuple(visits)


def forecast_visits(
    cadence: Cadence, *, anchor: date, until: date, calendar: WorkCalendar | None = None
) -> tuple[PlannedVisit, ...]:
    """:func:`forecast` with each visit's nominal date and provisional flag.

    A visit is ``provisional`` when the calendar answered from provisional data
    (``calendar.is_provisional``) for any day consulted to place it; a cadence
    without ``working_days_only`` never consults the calendar, so its visits are
    never provisional.

    Args:
        cadence: The cadence.
        anchor: The last visit (or the case's first visit).
        until: The last nominal date considered, inclusive (empty result if it is on
            or before ``anchor``).
        calendar: The working-day calendar; the official calendar if ``None``.

    Returns:
        The planned visits, in date order.

    Raises:
        InvalidInputError: For an argument of the wrong type (see :func:`forecast`).
        CalendarRangeError: A working-day cadence reaches a date the calendar does
            not cover.

    Examples:
        >>> from community_care.calendar import official_calendar
        >>> cal = official_calendar().with_provisional(2027)
        >>> monthly = Cadence(every=1, unit="month", working_days_only=True)
        >>> [(v.on.isoformat(), v.provisional) for v in forecast_visits(
        ...     monthly, anchor=date(2026, 12, 10), until=date(2027, 2, 10), calendar=cal)]
        [('2027-01-11', True), ('2027-02-10', True)]
    """
    checked, start, end, cal = _check_forecast_args(
        "forecast_visits", cadence, anchor, until, calendar
    )
    visits, nominals, flags = _plan(checked, start, end, cal, flags=True)
    if not flags:
        flags = [False] * len(visits)
    return tuple(
        PlannedVisit(on=on, nominal=nominal, provisional=flag)
        for on, nominal, flag in zip(visits, nominals, flags, strict=True)
    )


def _next_visit(cadence: Cadence, anchor: date, cal: WorkCalendar | None) -> tuple[date, bool]:
    """The adjusted ``anchor + interval`` and its provisional flag."""
    visits, _, flags = _plan(cadence, anchor, date.max, cal, flags=True, limit=1)
    if not visits:
        raise InvalidInputError.at(
            "$.on", f"{anchor.isoformat()} + one interval is past the last representable date"
        )
    return visits[0], bool(flags and flags[0])


# --- rolling follow-up ------------------------------------------------------------------


def _hide(note: str) -> str:
    # Notes are free text that may name the resident: never shown in a repr.
    return f"<{len(note)} chars>"


def _note_field() -> Any:
    field = str_field(default="", non_empty=False)
    field.repr = _hide
    return field


@attrs.frozen(kw_only=True)
class Visit:
    """A visit that took place: the day, who visited (a staff or volunteer id), a note.

    The note is free text and is not shown in ``repr``.

    Examples:
        >>> Visit(on=date(2026, 3, 2), by="w01", note="家中安全")
        Visit(on=datetime.date(2026, 3, 2), by='w01', note=<4 chars>)
    """

    on: date = date_field()
    by: str = str_field()
    note: str = _note_field()


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
        visited = [e.on for e in self.history if e.action is FollowUpAction.VISITED]
        if visited != [v.on for v in self.visits]:
            problems.append(
                InputProblem(
                    "$.visits",
                    "expected one 'visited' history event per visit, on the same dates, in order",
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
    calendar: WorkCalendar | None = None,
    policy: Policy | None = None,
) -> FollowUp:
    """Record a visit on ``on``; the next one is due on the adjusted ``on + interval``.

    The next due date is the first date of ``forecast(cadence, anchor=on,
    until=on + interval)`` with the cadence of the current level (after a lowering,
    this is where the new cadence starts). Its grace is the current level's.

    Args:
        followup: The case's record.
        on: The day of the visit; not before the last visit or the opening (a
            second visit on the same day as the last is recorded).
        by: Who visited (a staff or volunteer id).
        note: What was found (free text; not shown in ``repr``).
        calendar: The working-day calendar; the official calendar if ``None``.
        policy: The policy; the default policy if ``None``.

    Returns:
        A new record with the visit and a ``visited`` event appended.

    Raises:
        InvalidInputError: At ``$.on`` for a visit before the last visit or before
            the opening; at ``$.by`` or ``$.note`` for a bad value.
        CalendarRangeError: The next due date needs a year the calendar does not cover.

    Examples:
        >>> fu = open_followup("e1", "elderly", "yellow", on=date(2026, 1, 10))
        >>> fu = record_visit(fu, date(2026, 1, 16), "w01")
        >>> fu.next_due.isoformat()  # 2026-02-16 is in the Spring Festival holiday
        '2026-02-14'
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
    visit = Visit(on=day, by=by, note=note)
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


# --- community programmes and iCalendar ------------------------------------------------


def _party(value: object) -> object:
    if isinstance(value, str) and value in PartyKind._value2member_map_:
        return PartyKind(value)
    return value


def _optional_party_field() -> Any:
    values = [k.value for k in PartyKind]

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, PartyKind):
            raise InvalidInputError.at(
                f"$.{attribute.name}",
                f"expected one of {', '.join(map(repr, values))} or null, got {describe(value)}",
            )

    return attrs.field(
        default=None,
        converter=_party,
        validator=check,
        metadata={"schema": {"anyOf": [{"type": "string", "enum": values}, {"type": "null"}]}},
    )


# Occurrences are dates, so rules finer than a day make no sense for a programme.
_DAY_FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
_TIME_PARTS = frozenset({"BYHOUR", "BYMINUTE", "BYSECOND"})


def _parse_rule(text: str, start: date) -> dateutil.rrule.rrule:
    """Parse and check an RRULE value for a programme starting on ``start``."""
    if any(c in text for c in ":\r\n"):
        raise InvalidInputError.at(
            "$.rrule",
            "expected a single RRULE value without a property name or DTSTART, e.g. "
            f"'FREQ=WEEKLY;BYDAY=MO', got {describe(text)}",
        )
    try:
        rule = dateutil.rrule.rrulestr(text, dtstart=datetime(start.year, start.month, start.day))
    except (ValueError, TypeError) as err:
        raise InvalidInputError.at(
            "$.rrule",
            f"{err} (in {describe(text)}); expected an RFC 5545 rule such as "
            "'FREQ=MONTHLY;INTERVAL=3;BYDAY=1SA'",
        ) from None
    assert isinstance(
        rule, dateutil.rrule.rrule
    )  # a single line without EXDATE/RDATE gives one rule
    parts = dict(p.split("=", 1) for p in text.upper().split(";") if "=" in p)
    if parts.get("FREQ") not in _DAY_FREQUENCIES:
        raise InvalidInputError.at(
            "$.rrule",
            f"expected FREQ=DAILY, WEEKLY, MONTHLY or YEARLY (programmes happen on days), "
            f"got {describe(text)}",
        )
    timed = sorted(_TIME_PARTS & parts.keys())
    if timed:
        raise InvalidInputError.at(
            "$.rrule",
            f"expected no {', '.join(timed)}: programme occurrences are whole days, "
            f"got {describe(text)}",
        )
    until = parts.get("UNTIL")
    if until is not None and not (len(until) == 8 and until.isdigit()):
        # RFC 5545: UNTIL has the value type of DTSTART, which is a DATE here.
        raise InvalidInputError.at(
            "$.rrule",
            f"expected UNTIL as a date such as UNTIL=20261231, got {describe(until)}",
        )
    return rule


@attrs.frozen(kw_only=True)
class Programme:
    """A community programme that recurs by an RFC 5545 rule (a drill, a clean-up).

    ``rrule`` is the value of an RRULE line, e.g. ``FREQ=MONTHLY;INTERVAL=3;BYDAY=1SA``
    (a quarterly drill on the first Saturday) or ``FREQ=WEEKLY;BYDAY=MO`` (the weekly
    clean-up); occurrences start on ``start``. Occurrences are whole days: sub-daily
    frequencies, ``BYHOUR``/``BYMINUTE``/``BYSECOND`` and a date-time ``UNTIL`` are
    refused.

    Raises:
        InvalidInputError: At ``$.rrule`` with the parser's message, or when the
            rule has no occurrence on or after ``start``.

    Examples:
        >>> drill = Programme(id="p1", name="应急演练 emergency drill",
        ...                   rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=1SA", start=date(2026, 1, 1))
        >>> [d.isoformat() for d in occurrences(drill, date(2026, 1, 1), date(2026, 12, 31))]
        ['2026-01-03', '2026-04-04', '2026-07-04', '2026-10-03']
    """

    id: str = str_field()
    name: str = str_field()
    rrule: str = str_field()
    start: date = date_field()
    grid: str | None = str_field(default=None, optional=True)
    organizer: PartyKind | None = _optional_party_field()

    def __attrs_post_init__(self) -> None:
        rule = _parse_rule(self.rrule, self.start)
        if rule.after(_midnight(self.start), inc=True) is None:
            raise InvalidInputError.at(
                "$.rrule",
                f"the rule {describe(self.rrule)} has no occurrence on or after "
                f"{self.start.isoformat()}; check COUNT, UNTIL and the BY parts",
            )


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


def occurrences(programme: Programme, start: date, end: date) -> tuple[date, ...]:
    """The days in ``[start, end]`` on which ``programme`` takes place.

    Args:
        programme: The programme.
        start: The first day of the window.
        end: The last day, inclusive (an ``end`` before ``start`` gives ``()``).

    Returns:
        The dates, in order.

    Raises:
        InvalidArgumentError: ``programme`` is not a Programme, or ``start`` or ``end``
            not a date.

    Examples:
        >>> cleanup = Programme(id="p2", name="清洁 clean-up", rrule="FREQ=WEEKLY;BYDAY=MO",
        ...                     start=date(2026, 3, 1))
        >>> occurrences(cleanup, date(2026, 3, 1), date(2026, 3, 10))
        (datetime.date(2026, 3, 2), datetime.date(2026, 3, 9))
    """
    check_instance("occurrences", "programme", programme, Programme, "Programme(id='p1', ...)")
    first = check_date("occurrences", "start", start)
    last = check_date("occurrences", "end", end)
    if last < first:
        return ()
    rule = _parse_rule(programme.rrule, programme.start)
    found = rule.between(_midnight(first), _midnight(last), inc=True)
    return tuple(d.date() for d in found)


_PRODID = "-//community-care//follow-up and programmes//EN"
_UID_DOMAIN = "community-care"


# iCalendar text cannot hold control characters other than tab (RFC 5545 §3.3.11,
# TSAFE-CHAR); line breaks are escaped and the others are left out.
_CONTROLS = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x0D), *range(0x0E, 0x20), 0x7F])


def _escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    return text.translate(_CONTROLS)


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            chunks.append("".join(current))
            current, size = [], 1  # the continuation line starts with one space
        current.append(char)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def _ical_date(d: date) -> str:
    return d.strftime("%Y%m%d")


def _event(uid: str, stamp: date, start: date, summary: str, extra: list[str]) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{_escape(uid)}",
        # No clock is read: the stamp is derived from the data, so the same input
        # always gives the same text.
        f"DTSTAMP:{_ical_date(stamp)}T000000Z",
        f"DTSTART;VALUE=DATE:{_ical_date(start)}",
        *extra,
        f"SUMMARY:{_escape(summary)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _check_visit_pair(value: object, i: int) -> tuple[str, PlannedVisit]:
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and value[0]
        and isinstance(value[1], PlannedVisit)
    ):
        return value[0], value[1]
    raise InvalidInputError.at(
        f"$.visits[{i}]",
        "expected a (case_id, PlannedVisit) pair such as "
        f"('e-0001', PlannedVisit(on=..., nominal=...)), got {describe(value)}",
    )


def to_ical(
    programmes: Iterable[Programme] = (),
    visits: Iterable[tuple[str, PlannedVisit]] = (),
    *,
    calendar_name: str = "community-care",
) -> str:
    """Export programmes and planned visits as iCalendar text (RFC 5545).

    One VEVENT per programme (all-day ``DTSTART;VALUE=DATE`` at its first occurrence,
    so that DTSTART is synchronised with the ``RRULE`` as RFC 5545 asks) and one per
    planned visit. UIDs are derived from the ids (``programme-<id>@community-care``,
    ``visit-<case_id>-<yyyymmdd>@community-care``), and ``DTSTAMP`` from the data (the
    programme's start, the visit's date), so the same input always gives the same
    text. Events come sorted by id; repeated visits are written once. Visit summaries
    name the case id only, never a person. Lines end with CRLF and are folded at 75
    octets.

    Args:
        programmes: The programmes (ids must be unique).
        visits: ``(case_id, PlannedVisit)`` pairs, e.g. from :func:`forecast_visits`.
        calendar_name: The calendar's display name (``X-WR-CALNAME``).

    Returns:
        The iCalendar text.

    Raises:
        InvalidInputError: At ``$.programmes[i]``, ``$.visits[i]`` or
            ``$.calendar_name`` for a bad item, a repeated programme id or an empty
            name.

    Examples:
        >>> cleanup = Programme(id="p2", name="Clean-up", rrule="FREQ=WEEKLY;BYDAY=MO",
        ...                     start=date(2026, 3, 1))
        >>> text = to_ical([cleanup])
        >>> [line for line in text.split("\\r\\n") if line.startswith(("DTSTART", "RRULE"))]
        ['DTSTART;VALUE=DATE:20260302', 'RRULE:FREQ=WEEKLY;BYDAY=MO']
    """
    if not isinstance(calendar_name, str) or not calendar_name:
        raise InvalidInputError.at(
            "$.calendar_name", f"expected a non-empty name, got {describe(calendar_name)}"
        )
    progs: list[Programme] = []
    seen: dict[str, int] = {}
    for i, p in enumerate(programmes):
        if not isinstance(p, Programme):
            raise InvalidInputError.at(
                f"$.programmes[{i}]", f"expected a Programme, got {describe(p)}"
            )
        if p.id in seen:
            raise InvalidInputError.at(
                f"$.programmes[{i}].id",
                f"programme id {p.id!r} is repeated (first at $.programmes[{seen[p.id]}])",
            )
        seen[p.id] = i
        progs.append(p)
    planned: dict[tuple[str, date], PlannedVisit] = {}
    for i, v in enumerate(visits):
        case_id, visit = _check_visit_pair(v, i)
        known = planned.get((case_id, visit.on))
        if known is not None:
            # One event per case and day (its UID is derived from both): merge, keeping
            # the earliest nominal date and any provisional flag.
            visit = PlannedVisit(
                on=visit.on,
                nominal=min(known.nominal, visit.nominal),
                provisional=known.provisional or visit.provisional,
            )
        planned[case_id, visit.on] = visit

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(calendar_name)}",
    ]
    for p in sorted(progs, key=lambda p: p.id):
        first = _parse_rule(p.rrule, p.start).after(_midnight(p.start), inc=True)
        assert first is not None  # Programme refuses a rule without occurrences
        details = [
            f"grid {p.grid}" if p.grid else "",
            f"organizer {p.organizer}" if p.organizer else "",
        ]
        extra = [f"RRULE:{p.rrule}"]
        described = "; ".join(d for d in details if d)
        if described:
            extra.append(f"DESCRIPTION:{_escape(described)}")
        lines += _event(f"programme-{p.id}@{_UID_DOMAIN}", p.start, first.date(), p.name, extra)
    for (case_id, _), visit in sorted(planned.items()):
        summary = f"随访 follow-up visit: case {case_id}"
        description = f"nominal date {visit.nominal.isoformat()}"
        if visit.provisional:
            summary += " (provisional 暂定)"
            description += (
                "; placed with provisional calendar data, may move once the State Council "
                "notice for the year is out"
            )
        lines += _event(
            f"visit-{case_id}-{_ical_date(visit.on)}@{_UID_DOMAIN}",
            visit.on,
            visit.on,
            summary,
            [f"DESCRIPTION:{_escape(description)}"],
        )
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
