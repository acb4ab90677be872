"""iCalendar export of visits and programmes (RFC 5545)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from community_care._kernel.checks import check_iterable
from community_care._kernel.fields import (
    describe,
)
from community_care.errors import InvalidInputError
from community_care.followup._cadence import PlannedVisit
from community_care.followup._programmes import Programme, _midnight, _parse_rule

__all__ = ["to_ical"]


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
    # Zero-padded by hand: strftime("%Y") gives "5" for the year 5 on some platforms, and
    # RFC 5545 dates are always eight digits.
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


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
    programmes = check_iterable("to_ical", "programmes", programmes, "[Programme(...)]")
    visits = check_iterable("to_ical", "visits", visits, "[('e1', PlannedVisit(...))]")
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
