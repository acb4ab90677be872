"""Community programmes that recur by RFC 5545 rules (spec §5)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import dateutil.rrule

from community_care._kernel.checks import (
    check_date,
    check_instance,
)
from community_care._kernel.fields import (
    date_field,
    describe,
    str_field,
)
from community_care.errors import InvalidInputError
from community_care.vocab import PartyKind

__all__ = ["Programme", "occurrences"]


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
        if _never(rule, self.start) or rule.after(_midnight(self.start), inc=True) is None:
            raise InvalidInputError.at(
                "$.rrule",
                f"the rule {describe(self.rrule)} has no occurrence on or after "
                f"{self.start.isoformat()}; check COUNT, UNTIL and the BY parts",
            )


# The Gregorian calendar repeats every 400 years: 146,097 days, which is 20,871 weeks
# (the weekdays repeat too) and 4,800 months. Whether a day passes a rule's BY parts
# depends only on the day's place in that cycle, so a rule whose periods come back to the
# same place of the cycle has no occurrence at all if it has none in one round of them.
_CYCLE_YEARS = 400
_CYCLE_DAYS = 146_097
_CYCLE_WEEKS = 20_871
_CYCLE_MONTHS = 4_800
_LAST_DAY = date(9999, 12, 31)  # dateutil looks no further than datetime.MAXYEAR


def _never(rule: dateutil.rrule.rrule, start: date) -> bool:
    """Whether ``rule`` (starting on ``start``) provably has no occurrence at all.

    dateutil finds an occurrence by stepping through periods (days, weeks, ...) up to
    the year 9999, even past UNTIL while nothing matches: an impossible rule such as
    ``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`` cost 14 s before it was refused. This decides
    the same question on 28 years that hold every kind of year when the rule's periods
    come to every place of the cycle, else within one round of the 400-year cycle, and
    never lets dateutil search beyond it: the search runs on a copy moved a whole
    number of cycles later, so that dateutil's own end (the year 9999) closes the
    window. ``False`` says only that the rule may have an occurrence (dateutil then
    finds the first one as before). BYEASTER (a dateutil extension; Easter does not
    repeat every 400 years) is left to dateutil.
    """
    parts: Any = rule  # the parsed parts of the rule (read-only)
    if parts._byeaster:
        return False
    if not _any_passing_day(rule):
        return True  # no day of any kind of year passes the BY parts (30 February)
    freq, interval = parts._freq, parts._interval
    if freq == dateutil.rrule.YEARLY:
        if math.gcd(interval, _CYCLE_YEARS) == 1:
            # The rule's years come to every year of the cycle, so to every kind of year.
            return _none_in_sample(rule, parts._bymonth)
        return _none_in_window(rule, start, _periods(_CYCLE_YEARS, interval) * interval * 12)
    if freq == dateutil.rrule.MONTHLY:
        step = math.gcd(interval, _CYCLE_MONTHS)
        if 12 % step == 0:
            # The rule's months come to every month of the cycle that is a multiple of
            # ``step`` months from the start's: those months of every kind of year.
            months = {m for m in range(1, 13) if (m - start.month) % step == 0}
            return _none_in_sample(rule, tuple(sorted(months & set(parts._bymonth or months))))
        return _none_in_window(rule, start, _periods(_CYCLE_MONTHS, interval) * interval)
    weekly = freq == dateutil.rrule.WEEKLY
    positions = set(parts._bysetpos or ())
    if not weekly and positions and not {1, -1} & positions:
        return True  # a day is a period of one date-time: only position 1 or -1 is there
    if weekly and positions and min(map(abs, positions)) > len(parts._byweekday or range(7)):
        return True  # a week has no more days than the weekdays the rule allows
    # Some day passes the BY parts; is one of them in a period of the rule (every
    # INTERVAL-th day or week from the first)? Period k and k + cycle sit on the same
    # place of the cycle, so every place is in some period when gcd(INTERVAL, cycle)
    # is 1.
    cycle = _CYCLE_WEEKS if weekly else _CYCLE_DAYS
    step = math.gcd(interval, cycle)
    if not weekly and step % 7 == 0:
        # Days 7k apart share a weekday: only days on the start's weekday are in a
        # period, and among those every place of the cycle is when step / 7 is 1.
        if not _any_passing_day(rule, start.weekday()):
            return True
        step //= 7
    if step == 1 and (not positions or positions & {1, -1}):
        return False  # and a week with a day in it has a first and a last
    if weekly and step == 1:
        # Every place of the cycle is in some week of the rule, so every kind of week is:
        # those of 56 years that hold every kind of year (and of the year after it).
        return _none_in_sample(rule, parts._bymonth, weekly=True)
    # Let dateutil step through the periods of the window itself (20,872 / 3 weeks, or
    # 146,098 / 3 days, at most).
    days = _periods(cycle, interval) * interval * (7 if weekly else 1)
    return _none_in_window(rule, start, days // 28 + 2)


def _by_days(
    rule: dateutil.rrule.rrule, start: date, weekday: int | None = None
) -> dateutil.rrule.rrule | None:
    """A yearly rule from ``start`` listing every day that could pass ``rule``'s BY parts.

    The same BY parts, with an ordinal weekday (``1SA``) taken as its weekday and
    BYSETPOS left out, so that it lists each day an occurrence could fall on (and
    perhaps more); BYMONTHDAY 1 to 31 when the rule has none, which lets every day
    pass and keeps dateutil from filling in the start's day. With ``weekday``, only
    the days on that weekday; ``None`` when the rule allows none of them.
    """
    parts: Any = rule  # the parsed parts of the rule (read-only)
    weekdays = parts._byweekday
    if weekdays is None and parts._bynweekday:
        weekdays = tuple(sorted({wd for wd, _ in parts._bynweekday}))
    if weekday is not None:
        if weekdays is not None and weekday not in weekdays:
            return None
        weekdays = (weekday,)
    monthdays = (*parts._bymonthday, *parts._bynmonthday) or tuple(range(1, 32))
    return dateutil.rrule.rrule(
        dateutil.rrule.YEARLY,
        dtstart=_midnight(start),
        wkst=parts._wkst,
        bymonth=parts._bymonth,
        bymonthday=monthdays,
        byyearday=parts._byyearday,
        byweekno=parts._byweekno,
        byweekday=weekdays,
    )


# 28 years with no century year in them hold every kind of year there is: leap or not,
# each weekday of 1 January, after a leap year or not (all that the BY parts can see).
_EVERY_KIND_OF_YEAR = date(_LAST_DAY.year - 27, 1, 1)


def _any_passing_day(rule: dateutil.rrule.rrule, weekday: int | None = None) -> bool:
    """Whether some day of some year could pass the rule's BY parts (28 yearly steps)."""
    days = _by_days(rule, _EVERY_KIND_OF_YEAR, weekday)
    return days is not None and days.after(_midnight(_EVERY_KIND_OF_YEAR), inc=True) is not None


def _none_in_sample(
    rule: dateutil.rrule.rrule, months: tuple[int, ...] | None, *, weekly: bool = False
) -> bool:
    """Whether the rule, every month, year or week of years that hold every kind, has none.

    Only the months ``months`` (``None``: all) are looked at. The day parts are given
    as the rule has them after dateutil filled in the start's day where none was given.
    Weeks start on the first WKST day of the sample and run through 56 years, so that
    the weeks that end a year of each kind are whole.
    """
    if months == ():
        return True
    parts: Any = rule  # the parsed parts of the rule (read-only)
    first = _EVERY_KIND_OF_YEAR
    extra: dict[str, Any] = {}
    if weekly:
        first = first.replace(year=first.year - 28)
        first += timedelta(days=(parts._wkst - first.weekday()) % 7)
        extra["byweekday"] = parts._byweekday
    sample = rule.replace(
        dtstart=_midnight(first),
        interval=1,
        count=None,
        until=None,
        bymonth=months,
        bymonthday=(*parts._bymonthday, *parts._bynmonthday) or None,
        **extra,
    )
    return sample.after(_midnight(first), inc=True) is None


def _periods(cycle: int, interval: int) -> int:
    """How many periods of the rule to look at: one round of the cycle, and one more.

    The first period may start part-way (days before ``start`` do not count); the one
    a round later sits on the same place of the cycle and counts whole.
    """
    return cycle // math.gcd(cycle, interval) + 1


def _moved(start: date, months: int) -> date | None:
    """``start`` moved whole cycles later so that ``months`` after it is still a date.

    ``None`` when it cannot move (dateutil's own search already ends soon enough).
    """
    room = (_LAST_DAY.year - start.year) * 12 - months - 12
    cycles = room // (12 * _CYCLE_YEARS)
    if cycles <= 0:
        return None
    return start.replace(year=start.year + cycles * _CYCLE_YEARS)


def _none_in_window(rule: dateutil.rrule.rrule, start: date, months: int) -> bool:
    """Whether the rule, without COUNT and UNTIL, has no occurrence in ``months`` from start."""
    moved = _moved(start, months)
    if moved is None:
        return False  # dateutil searches only a window's worth anyway
    copy = rule.replace(dtstart=_midnight(moved), count=None, until=None)
    return copy.after(_midnight(moved), inc=True) is None


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
