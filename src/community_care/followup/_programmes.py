"""Community programmes that recur by RFC 5545 rules (spec §5)."""

from __future__ import annotations

from datetime import date, datetime
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
