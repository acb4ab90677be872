"""Cadences and forecasts (spec §5): how often a case is visited, and the dates that gives."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import attrs

from community_care._kernel.checks import (
    check_calendar,
    check_date,
    check_instance,
    check_policy,
)
from community_care._kernel.fields import (
    bool_field,
    date_field,
    describe,
    enum_field,
    int_field,
    model_field,
    str_field,
)
from community_care.calendar import (
    WorkCalendar,
    first_working_day_on_or_after,
    last_working_day_on_or_before,
    official_calendar,
)
from community_care.errors import InvalidInputError
from community_care.policy import CaseFollowup, FollowupRules, Policy, default_policy
from community_care.vocab import CadenceUnit, CaseKind, ChildRisk, RiskTier

__all__ = [
    "Cadence",
    "CaseCadence",
    "CaseKind",
    "Level",
    "PlannedVisit",
    "cadence_for",
    "forecast",
    "forecast_visits",
]


@attrs.frozen(kw_only=True)
class Cadence:
    """How often a case is visited: ``every`` × ``unit``.

    With ``working_days_only`` a visit falling on a day off moves to a working
    day (at most ``max_shift_days`` later, else earlier; spec §5). With
    ``cover_every_month`` no visit falls after the calendar month that follows the
    previous visit's month (月探访: a visit in every calendar month; see
    :func:`forecast`).

    Examples:
        >>> c = Cadence(every=1, unit="month", working_days_only=True)
        >>> c.unit, c.max_shift_days, c.cover_every_month
        (<CadenceUnit.MONTH: 'month'>, 3, False)
    """

    every: int = int_field(minimum=1)
    unit: CadenceUnit = enum_field(CadenceUnit)
    working_days_only: bool = bool_field(default=False)
    max_shift_days: int = int_field(default=3, minimum=0)
    cover_every_month: bool = bool_field(default=False)


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
            cover_every_month=case.cover_every_month,
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


def _end_of_next_month(day: date) -> date | None:
    """The last day of the calendar month after ``day``'s (``None`` past year 9999)."""
    year, month0 = divmod(day.year * 12 + day.month, 12)  # the next month, 0-based
    if year > date.max.year:
        return None
    return date(year, month0 + 1, _days_in_month(year, month0 + 1))


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
    cover = cadence.cover_every_month
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
        # The days from the cap's date to the month's end, when the cap asked about them.
        capped: tuple[date, date] | None = None
        if cover and (end := _end_of_next_month(prev)) is not None and on > end:
            # 月探访: the month after the previous visit's month must not go without a
            # visit, so a later date is pulled back to that month's last (working) day.
            # Only now is the calendar asked about that month's end (spec §5).
            cap = end
            if cal is not None:
                cap = last_working_day_on_or_before(cal, end)
                capped = (cap, end)
            # A month with no working day after the previous visit cannot be covered;
            # the visit then stays where the cadence put it, never before the previous.
            if cap > prev:
                on = cap
        if on == prev:
            # An earlier nominal date already moved here (a long closure): one visit.
            continue
        visits.append(on)
        nominals.append(d)
        if is_provisional is not None:
            # Every day the calendar was asked about decided this visit, so the visit
            # is provisional if any of them is (not only the day it lands on).
            asked = any(
                is_provisional(low + timedelta(days=i)) for i in range((high - low).days + 1)
            )
            if capped is not None and not asked:
                # The cap also asked about the days from its date to the month's end.
                first, month_end = capped
                asked = any(
                    is_provisional(first + timedelta(days=i))
                    for i in range((month_end - first).days + 1)
                )
            provisional.append(asked)
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
    for the first), else ``f``. With ``cover_every_month`` each date ``x`` found so
    is then capped: if it falls after M, the calendar month after the previous
    visit's month (the anchor's for the first), the visit is the last day of M (with
    ``working_days_only``, the last working day of M; the calendar is asked about it
    only then). Should M have no working day after the previous visit, ``x`` stands.
    Nominal dates are not re-anchored by the cap. A date equal to the previous visit
    is dropped. The forecast stops at the first nominal date after ``until``; a
    visit whose nominal date is within ``until`` is kept even when the shift moves
    it past ``until``.

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
        >>> covering = Cadence(every=1, unit="month", working_days_only=True,
        ...                    cover_every_month=True)
        >>> forecast(covering, anchor=date(2020, 1, 30), until=date(2020, 2, 29))
        (datetime.date(2020, 2, 28),)
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
