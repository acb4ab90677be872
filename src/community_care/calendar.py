"""Working-day calendars: the ``WorkCalendar`` protocol and the PRC official calendar.

A follow-up cadence with ``working_days_only`` moves visits off days off. Which days
are off follows the official calendar of the PRC State Council (国务院办公厅关于部分节假日
安排的通知): statutory holidays are off, make-up working days (调休, e.g. Saturday
2026-02-14) are on, other Saturdays and Sundays are off.

The packaged data (the ``chinese-calendar`` package) lags the State Council's November
notice, so :class:`OfficialCalendar` offers two explicit ways past its last known year:

* :meth:`OfficialCalendar.with_year` adds a year's arrangement read from the notice
  (a :class:`YearArrangement`), validated;
* :meth:`OfficialCalendar.with_provisional` answers later years from the national
  holiday regulations as revised in 2024 (weekends plus statutory holidays, no make-up
  days), and flags those dates through :meth:`~WorkCalendar.is_provisional`.

A date outside the years a calendar covers is a :class:`CalendarRangeError`, never a
silent guess. A locality layers its own closures on top with ``with_closures``.

Everything here is immutable and pure: no clock, no I/O.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol, TypeGuard, runtime_checkable

import attrs
import chinese_calendar
import chinese_calendar.constants
import lunardate

from community_care._kernel.checks import check_date, check_instance, check_iterable, fail
from community_care._kernel.fields import describe
from community_care.errors import CalendarRangeError, InputProblem, InvalidInputError

__all__ = [
    "OfficialCalendar",
    "WeekendCalendar",
    "WorkCalendar",
    "YearArrangement",
    "first_working_day_on_or_after",
    "last_working_day_on_or_before",
    "official_calendar",
    "statutory_holidays",
]

_ONE_DAY = timedelta(days=1)

# How far the working-day searches walk before deciding the calendar has no working
# day at all: a year, far longer than any holiday period (the longest is 9 days).
_MAX_SEARCH_DAYS = 366

# How many years past the last known year with_provisional() covers when not told.
_DEFAULT_PROVISIONAL_YEARS = 5

# lunardate's tables hold lunar years 1900-2099, and the Spring Festival of a
# Gregorian year needs lunar 1/1 of that same year.
_FIRST_LUNAR_YEAR = 1900
_LAST_PROVISIONAL_YEAR = 2099

_QINGMING = "清明"


@runtime_checkable
class WorkCalendar(Protocol):
    """Which days are working days, over the dates the calendar covers.

    ``is_working_day`` raises :class:`~community_care.errors.CalendarRangeError` for a
    date the calendar does not cover (check with ``covers``). ``is_provisional`` is
    true for a covered date answered from provisional data that may change once the
    year's official notice is out, and false otherwise (also for uncovered dates).
    """

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day; raises ``CalendarRangeError`` if not covered."""
        ...

    def covers(self, d: date) -> bool:
        """Whether the calendar can answer for ``d``."""
        ...

    def is_provisional(self, d: date) -> bool:
        """Whether the answer for ``d`` comes from provisional data."""
        ...


def _step(d: date, delta: timedelta) -> date:
    """``d + delta``, as a ``CalendarRangeError`` past the dates Python can represent."""
    try:
        return d + delta
    except OverflowError:
        raise CalendarRangeError(
            f"no working day found: the search from {d.isoformat()} ran past the "
            "dates Python can represent (0001-01-01..9999-12-31)"
        ) from None


def _search(cal: WorkCalendar, d: date, delta: timedelta, direction: str) -> date:
    day = d
    for _ in range(_MAX_SEARCH_DAYS):
        if cal.is_working_day(day):
            return day
        day = _step(day, delta)
    raise InvalidInputError.at(
        "$",
        f"no working day within {_MAX_SEARCH_DAYS} days {direction} {d.isoformat()}: "
        f"the calendar {cal!r} has every day off there; check its closures",
    )


def first_working_day_on_or_after(cal: WorkCalendar, d: date) -> date:
    """The first working day of ``cal`` on or after ``d``.

    Args:
        cal: The working-day calendar.
        d: The starting date (returned itself if it is a working day).

    Returns:
        The earliest working day ``>= d``.

    Raises:
        CalendarRangeError: The search reaches a date ``cal`` does not cover.
        InvalidInputError: ``cal`` has no working day within 366 days.

    Examples:
        >>> cal = official_calendar()
        >>> first_working_day_on_or_after(cal, date(2026, 10, 1))  # National Day week
        datetime.date(2026, 10, 8)
    """
    return _search(cal, d, _ONE_DAY, "on or after")


def last_working_day_on_or_before(cal: WorkCalendar, d: date) -> date:
    """The last working day of ``cal`` on or before ``d``.

    Args:
        cal: The working-day calendar.
        d: The starting date (returned itself if it is a working day).

    Returns:
        The latest working day ``<= d``.

    Raises:
        CalendarRangeError: The search reaches a date ``cal`` does not cover.
        InvalidInputError: ``cal`` has no working day within 366 days.

    Examples:
        >>> cal = official_calendar()
        >>> last_working_day_on_or_before(cal, date(2026, 2, 20))  # Spring Festival
        datetime.date(2026, 2, 14)
    """
    return _search(cal, d, -_ONE_DAY, "on or before")


def _is_plain_date(value: object) -> TypeGuard[date]:
    # A datetime is a date subclass but never equal to one: it would silently miss
    # every lookup, so it is refused.
    return isinstance(value, date) and not isinstance(value, datetime)


def _date_problems(
    path: str, values: Sequence[object], year: int | None, what: str
) -> list[InputProblem]:
    """Problems with a list of dates: wrong type, outside ``year``, listed twice."""
    problems: list[InputProblem] = []
    first_at: dict[date, int] = {}
    for i, value in enumerate(values):
        at = f"{path}[{i}]"
        if not _is_plain_date(value):
            problems.append(
                InputProblem(
                    at, f"expected a date (e.g. date({year or 2027}, 1, 1)), got {describe(value)}"
                )
            )
            continue
        if year is not None and value.year != year:
            problems.append(
                InputProblem(
                    at,
                    f"{value.isoformat()} is not in {year}: every {what} of the "
                    f"{year} arrangement must fall in {year} (e.g. {year}-01-01)",
                )
            )
        if value in first_at:
            problems.append(
                InputProblem(
                    at, f"{value.isoformat()} is listed twice (first at {path}[{first_at[value]}])"
                )
            )
        else:
            first_at[value] = i
    return problems


def _to_tuple(values: Iterable[date]) -> tuple[date, ...]:
    return tuple(values)


def _to_frozenset(values: Iterable[date]) -> frozenset[date]:
    return frozenset(values)


def _to_arrangements(values: Iterable[YearArrangement]) -> tuple[YearArrangement, ...]:
    return tuple(values)


@attrs.frozen
class YearArrangement:
    """One year's holiday arrangement, as read from the State Council notice.

    ``holidays`` are the days off of the holiday periods (weekend days inside a
    period may be listed or not: they are off either way); ``makeup_workdays`` are
    the Saturdays and Sundays worked in exchange (调休). Dates keep the order given,
    so an error's path (``$.makeup_workdays[0]``) points at the date as written.

    Raises:
        InvalidInputError: One problem per bad item: a date outside ``year``, a
            make-up day that is not a Saturday or Sunday, a day both a holiday and a
            make-up day, a date listed twice, or a value that is not a date.

    Examples:
        >>> arr = YearArrangement(
        ...     2027,
        ...     holidays=(date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)),
        ...     makeup_workdays=(),
        ... )
        >>> arr.year, len(arr.holidays)
        (2027, 3)
        >>> try:
        ...     YearArrangement(2027, holidays=(), makeup_workdays=(date(2027, 1, 4),))
        ... except InvalidInputError as err:
        ...     print(err.problems[0].path, err.problems[0].message[:23])
        $.makeup_workdays[0] 2027-01-04 is a Monday;
    """

    year: int
    holidays: tuple[date, ...] = attrs.field(converter=_to_tuple)
    makeup_workdays: tuple[date, ...] = attrs.field(converter=_to_tuple)

    def __attrs_post_init__(self) -> None:
        problems: list[InputProblem] = []
        year: int | None = self.year
        if not isinstance(self.year, int) or isinstance(self.year, bool):
            problems.append(
                InputProblem(
                    "$.year", f"expected a year as an int (e.g. 2027), got {describe(self.year)}"
                )
            )
            year = None
        problems += _date_problems("$.holidays", self.holidays, year, "holiday")
        problems += _date_problems("$.makeup_workdays", self.makeup_workdays, year, "make-up day")
        holidays = {d for d in self.holidays if _is_plain_date(d)}
        for i, d in enumerate(self.makeup_workdays):
            if not _is_plain_date(d):
                continue
            at = f"$.makeup_workdays[{i}]"
            if d.weekday() < 5:
                saturday = d + timedelta(days=5 - d.weekday())
                problems.append(
                    InputProblem(
                        at,
                        f"{d.isoformat()} is a {d.strftime('%A')}; a make-up working day "
                        f"(调休) must be a Saturday or Sunday, e.g. {saturday.isoformat()}",
                    )
                )
            if d in holidays:
                problems.append(
                    InputProblem(
                        at,
                        f"{d.isoformat()} is also listed as a holiday; a day is either a "
                        "holiday or a make-up working day, not both",
                    )
                )
        if problems:
            raise InvalidInputError(problems)


@attrs.frozen
class _Packaged:
    """The ``chinese-calendar`` data, read once."""

    holidays: frozenset[date]
    workdays: frozenset[date]
    years: range


def _contiguous_years(dates: Iterable[date]) -> range:
    """The years of ``dates`` as a range; raises if there is a gap."""
    years = {d.year for d in dates}
    if not years:
        raise RuntimeError("the chinese-calendar package holds no holiday data")
    span = range(min(years), max(years) + 1)
    missing = sorted(set(span) - years)
    if missing:
        raise RuntimeError(
            f"the chinese-calendar package has no data for {missing} inside "
            f"{span.start}-{span.stop - 1}; reinstall or upgrade it"
        )
    return span


@functools.cache
def _packaged() -> _Packaged:
    holidays = frozenset(chinese_calendar.constants.holidays)
    workdays = frozenset(chinese_calendar.constants.workdays)
    return _Packaged(holidays, workdays, _contiguous_years(holidays | workdays))


def _lunar(year: int, month: int, day: int) -> date:
    solar: date = lunardate.LunarDate(year, month, day).to_solar_date()
    return solar


def _qingming(year: int) -> date:
    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
    (day,) = (d for d, name in terms if name == _QINGMING)
    result: date = day
    return result


def statutory_holidays(year: int) -> frozenset[date]:
    """The statutory holidays of ``year`` under the national regulations as revised in 2024.

    The 《全国年节及纪念日放假办法》 (revised 2024, in force from 2025) gives 13 days:
    New Year's Day (1 Jan); Spring Festival eve (除夕) and the first three days of the
    lunar year (正月初一至初三); Qingming (the day of the 清明 solar term); 1 and 2 May;
    Dragon Boat (端午, lunar 5/5); Mid-Autumn (中秋, lunar 8/15); 1 to 3 October. These
    are the days themselves, before the State Council's yearly arrangement joins them
    to weekends and sets make-up days.

    Args:
        year: A Gregorian year, 1900 to 2099.

    Returns:
        The holiday dates of that year.

    Raises:
        InvalidInputError: ``year`` is outside 1900-2099 (the lunar tables' range).

    Examples:
        >>> sorted(d.isoformat() for d in statutory_holidays(2027) if d.month == 2)
        ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']
        >>> len(statutory_holidays(2027))
        13
    """
    if (
        isinstance(year, bool)
        or not isinstance(year, int)
        or not _FIRST_LUNAR_YEAR <= year <= _LAST_PROVISIONAL_YEAR
    ):
        raise InvalidInputError.at(
            "$.year",
            f"expected a year from {_FIRST_LUNAR_YEAR} to {_LAST_PROVISIONAL_YEAR} (e.g. 2027), "
            f"got {describe(year)}",
        )
    new_year = _lunar(year, 1, 1)
    return frozenset(
        {
            date(year, 1, 1),
            new_year - _ONE_DAY,  # 除夕: lunar month 12 has 29 or 30 days, so count back
            new_year,
            new_year + _ONE_DAY,
            new_year + 2 * _ONE_DAY,
            _qingming(year),
            date(year, 5, 1),
            date(year, 5, 2),
            _lunar(year, 5, 5),
            _lunar(year, 8, 15),
            date(year, 10, 1),
            date(year, 10, 2),
            date(year, 10, 3),
        }
    )


def _span(years: range) -> str:
    if not years:
        return "none"
    return f"{years.start}-{years.stop - 1}" if len(years) > 1 else str(years.start)


@attrs.frozen(repr=False)
class OfficialCalendar:
    """The PRC official working-day calendar (国务院节假日安排).

    Statutory holidays are off, make-up working days (调休) are on, other Saturdays and
    Sundays are off. It knows the years of the packaged ``chinese-calendar`` data
    (:attr:`known_years`, from 2004) plus the years added with :meth:`with_year`; with
    :meth:`with_provisional` it also covers later years provisionally; a date outside
    :attr:`covered_years` raises :class:`~community_care.errors.CalendarRangeError`.

    Build it with :func:`official_calendar` and the ``with_*`` methods, each of which
    returns a new calendar; the fields are the same choices as data:

    Attributes:
        added: Year arrangements beyond the packaged data, in the order added.
        provisional_until: The last year covered provisionally, or ``None`` for no
            provisional mode.
        closures: A locality's own days off, on top of the official calendar.

    Raises:
        InvalidInputError: An added year is not adjacent to the known years or is
            already known, ``provisional_until`` is past 2099, or a closure is not
            covered.

    Examples:
        >>> cal = official_calendar()
        >>> cal.is_working_day(date(2026, 2, 14))  # Saturday, make-up day for 春节
        True
        >>> cal.is_working_day(date(2026, 2, 16))  # Spring Festival
        False
        >>> cal.with_provisional(2028)
        OfficialCalendar(known_years=2004-2026, provisional_years=2027-2028, closures=0)
    """

    added: tuple[YearArrangement, ...] = attrs.field(default=(), converter=_to_arrangements)
    provisional_until: int | None = None
    closures: frozenset[date] = attrs.field(default=frozenset(), converter=_to_frozenset)

    # Derived once, so is_working_day is two comparisons, two set lookups and weekday().
    _start: date = attrs.field(init=False, eq=False)
    _end: date = attrs.field(init=False, eq=False)
    _provisional_from: date | None = attrs.field(init=False, eq=False)
    _off: frozenset[date] = attrs.field(init=False, eq=False)
    _on: frozenset[date] = attrs.field(init=False, eq=False)
    _known: range = attrs.field(init=False, eq=False)
    _provisional: range = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        packaged = _packaged()
        known = packaged.years
        off: set[date] = set(packaged.holidays)
        on: set[date] = set(packaged.workdays)
        problems: list[InputProblem] = []
        for i, arrangement in enumerate(self.added):
            if not isinstance(arrangement, YearArrangement):
                problems.append(
                    InputProblem(
                        f"$.added[{i}]",
                        f"expected a YearArrangement, got {describe(arrangement)}",
                    )
                )
                continue
            message = _new_year_problem(known, packaged.years, arrangement.year)
            if message is not None:
                problems.append(InputProblem(f"$.added[{i}].year", message))
                continue
            known = range(min(known.start, arrangement.year), max(known.stop, arrangement.year + 1))
            off.update(arrangement.holidays)
            on.update(arrangement.makeup_workdays)

        until = self.provisional_until
        provisional = range(known.stop, known.stop)
        if until is not None:
            if (
                isinstance(until, bool)
                or not isinstance(until, int)
                or until > _LAST_PROVISIONAL_YEAR
            ):
                problems.append(
                    InputProblem(
                        "$.provisional_until",
                        f"expected a year up to {_LAST_PROVISIONAL_YEAR} (the lunar tables' "
                        f"limit), e.g. {known.stop + _DEFAULT_PROVISIONAL_YEARS - 1}, "
                        f"got {describe(until)}",
                    )
                )
            else:
                provisional = range(known.stop, max(known.stop, until + 1))
        for year in provisional:
            off.update(statutory_holidays(year))

        start = date(known.start, 1, 1)
        end = date(provisional.stop - 1, 12, 31)
        for i, d in enumerate(sorted(self.closures)):
            if not _is_plain_date(d) or not start <= d <= end:
                problems.append(
                    InputProblem(
                        f"$.closures[{i}]",
                        _closure_message(d, known, provisional),
                    )
                )
        if problems:
            raise InvalidInputError(problems)

        off.update(self.closures)
        set_ = functools.partial(object.__setattr__, self)
        set_("_start", start)
        set_("_end", end)
        set_("_provisional_from", date(provisional.start, 1, 1) if provisional else None)
        set_("_off", frozenset(off))
        set_("_on", frozenset(on))  # closures win: _off is looked up first
        set_("_known", known)
        set_("_provisional", provisional)

    def __repr__(self) -> str:
        """A summary: the years known and provisional, and how many closures."""
        return (
            f"OfficialCalendar(known_years={_span(self._known)}, "
            f"provisional_years={_span(self._provisional)}, closures={len(self.closures)})"
        )

    @property
    def known_years(self) -> range:
        """The years answered from official data: packaged plus added."""
        return self._known

    @property
    def provisional_years(self) -> range:
        """The years answered provisionally (empty without provisional mode)."""
        return self._provisional

    @property
    def covered_years(self) -> range:
        """Every year the calendar answers for: known plus provisional."""
        return range(self._known.start, self._provisional.stop)

    def covers(self, d: date) -> bool:
        """Whether ``d`` falls in :attr:`covered_years`.

        Examples:
            >>> official_calendar().covers(date(2027, 1, 5))
            False
        """
        return self._start <= check_date("OfficialCalendar.covers", "d", d) <= self._end

    def is_provisional(self, d: date) -> bool:
        """Whether ``d`` is covered and answered from provisional data.

        Examples:
            >>> cal = official_calendar().with_provisional(2027)
            >>> cal.is_provisional(date(2026, 12, 31)), cal.is_provisional(date(2027, 1, 1))
            (False, True)
        """
        check_date("OfficialCalendar.is_provisional", "d", d)
        start = self._provisional_from
        return start is not None and start <= d <= self._end

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day.

        Args:
            d: A date in :attr:`covered_years`.

        Returns:
            False on holidays, closures and weekends that are not make-up days.

        Raises:
            CalendarRangeError: ``d`` is not covered; the message names the covered
                years and how to go beyond them.

        Examples:
            >>> official_calendar().is_working_day(date(2026, 9, 20))  # Sunday, 调休
            True
        """
        if not self._start <= check_date("OfficialCalendar.is_working_day", "d", d) <= self._end:
            raise self._range_error(d)
        if d in self._off:
            return False
        if d in self._on:
            return True
        return d.weekday() < 5

    def _range_error(self, d: date) -> CalendarRangeError:
        covered = _span(self.covered_years)
        if self._provisional:
            covered += f", of which {_span(self._provisional)} provisional"
        # Years are added next to the known ones, one at a time; provisional mode
        # only reaches forward, and only as far as the lunar tables go.
        year = self._known.start - 1 if d < self._start else self._known.stop
        provisional = (
            ", or use provisional mode (weekends plus statutory holidays, flagged "
            f"provisional) with .with_provisional(until_year={d.year})"
            if self._end < d and d.year <= _LAST_PROVISIONAL_YEAR
            else ""
        )
        return CalendarRangeError(
            f"{d.isoformat()} is outside the years this working-day calendar covers "
            f"({covered}). To go beyond, add each year's arrangement from the State "
            f"Council notice, one year at a time, starting with "
            f".with_year(YearArrangement({year}, holidays=..., makeup_workdays=...))"
            f"{provisional}"
        )

    def with_year(self, arrangement: YearArrangement) -> OfficialCalendar:
        """Return this calendar with one more year known, from the State Council notice.

        The year must be adjacent to the known years (the year after the last, or
        before the first) so that coverage stays one unbroken range; add several
        years one at a time. A provisional year it replaces stops being provisional.

        Args:
            arrangement: The year's holidays and make-up working days.

        Returns:
            A new calendar.

        Raises:
            InvalidInputError: At ``$.year``: the year is already known (packaged or
                added) or not adjacent to the known years.

        Examples:
            >>> arr = YearArrangement(2027, holidays=(date(2027, 1, 1),), makeup_workdays=())
            >>> cal = official_calendar().with_year(arr)
            >>> cal.known_years
            range(2004, 2028)
            >>> cal.is_working_day(date(2027, 1, 1)), cal.is_provisional(date(2027, 1, 1))
            (False, False)
        """
        check_instance(
            "OfficialCalendar.with_year",
            "arrangement",
            arrangement,
            YearArrangement,
            "YearArrangement(2027, holidays=..., makeup_workdays=...)",
        )
        message = _new_year_problem(self._known, _packaged().years, arrangement.year)
        if message is not None:
            raise InvalidInputError.at("$.year", message)
        return attrs.evolve(self, added=(*self.added, arrangement))

    def with_provisional(self, until_year: int | None = None) -> OfficialCalendar:
        """Return this calendar extended provisionally past its last known year.

        Years after :attr:`known_years` up to ``until_year`` are answered with weekends
        off plus :func:`statutory_holidays` (no make-up days); :meth:`is_provisional`
        is true for them. Years added later with :meth:`with_year` replace them.

        Args:
            until_year: The last year covered; by default the last known year + 5.

        Returns:
            A new calendar.

        Raises:
            InvalidArgumentError: ``until_year`` is not after the last known year, or
                past 2099.

        Examples:
            >>> cal = official_calendar().with_provisional()
            >>> cal.provisional_years
            range(2027, 2032)
            >>> cal.is_working_day(date(2027, 2, 5))  # Spring Festival eve, provisional
            False
        """
        last = self._known.stop - 1
        if until_year is None:
            until_year = last + _DEFAULT_PROVISIONAL_YEARS
        if (
            isinstance(until_year, bool)
            or not isinstance(until_year, int)
            or not last < until_year <= _LAST_PROVISIONAL_YEAR
        ):
            raise fail(
                "OfficialCalendar.with_provisional",
                "until_year",
                f"a year after the last known year {last} and up to "
                f"{_LAST_PROVISIONAL_YEAR} like {last + _DEFAULT_PROVISIONAL_YEARS}",
                until_year,
            )
        return attrs.evolve(self, provisional_until=until_year)

    def with_closures(self, dates: Iterable[date]) -> OfficialCalendar:
        """Return this calendar with a locality's own days off added.

        A closure makes the day off even if it is a make-up working day. Each date
        must be covered by this calendar.

        Args:
            dates: The closure dates.

        Returns:
            A new calendar.

        Raises:
            InvalidInputError: At ``$.closures[i]`` (``i`` the position in ``dates``):
                not a date, or not covered.

        Examples:
            >>> cal = official_calendar().with_closures([date(2026, 3, 2)])
            >>> cal.is_working_day(date(2026, 3, 2)), cal.is_working_day(date(2026, 3, 3))
            (False, True)
        """
        new = tuple(
            check_iterable("OfficialCalendar.with_closures", "dates", dates, "[date(2026, 3, 2)]")
        )
        problems = [
            InputProblem(f"$.closures[{i}]", _closure_message(d, self._known, self._provisional))
            for i, d in enumerate(new)
            if not _is_plain_date(d) or not self.covers(d)
        ]
        if problems:
            raise InvalidInputError(problems)
        return attrs.evolve(self, closures=self.closures | frozenset(new))


def _new_year_problem(known: range, packaged: range, year: int) -> str | None:
    """Why ``year`` cannot be added next to ``known``, or ``None`` if it can."""
    if year in packaged:
        return (
            f"{year} is already known from the packaged chinese-calendar data "
            f"({_span(packaged)}); add only years after {known.stop - 1}, e.g. {known.stop}"
        )
    if year in known:
        return f"{year} was already added; each year can be added once"
    if year not in (known.start - 1, known.stop):
        return (
            f"{year} is not adjacent to the known years {_span(known)}; add "
            f"{known.stop} first (or {known.start - 1}) so the covered years stay unbroken"
        )
    return None


def _closure_message(d: object, known: range, provisional: range) -> str:
    if not _is_plain_date(d):
        return f"expected a date (e.g. date({known.stop - 1}, 3, 2)), got {describe(d)}"
    covered = _span(range(known.start, provisional.stop))
    return (
        f"closure {d.isoformat()} is outside the years the calendar covers ({covered}); "
        "add that year (with_year or with_provisional) before its closures"
    )


@functools.cache
def official_calendar() -> OfficialCalendar:
    """The official calendar with the packaged years only (no additions, no provisional).

    Returns:
        The default :class:`OfficialCalendar` (shared: it is immutable).

    Examples:
        >>> official_calendar().known_years.start
        2004
    """
    return OfficialCalendar()


@attrs.frozen
class WeekendCalendar:
    """Saturdays and Sundays off, plus optional closures; covers every date.

    For tests, and for a locality that wants no holiday data. Never provisional.

    Examples:
        >>> cal = WeekendCalendar()
        >>> cal.is_working_day(date(2026, 2, 16)), cal.is_working_day(date(2026, 2, 14))
        (True, False)
        >>> WeekendCalendar().with_closures([date(2026, 2, 16)]).is_working_day(date(2026, 2, 16))
        False
    """

    closures: frozenset[date] = attrs.field(default=frozenset(), converter=_to_frozenset)

    def covers(self, d: date) -> bool:
        """Always true: every date is covered."""
        check_date("WeekendCalendar.covers", "d", d)
        return True

    def is_provisional(self, d: date) -> bool:
        """Always false: nothing is provisional."""
        check_date("WeekendCalendar.is_provisional", "d", d)
        return False

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday, unless ``d`` is a closure."""
        check_date("WeekendCalendar.is_working_day", "d", d)
        return d.weekday() < 5 and d not in self.closures

    def with_closures(self, dates: Iterable[date]) -> WeekendCalendar:
        """Return this calendar with more closures.

        Raises:
            InvalidInputError: At ``$.closures[i]``: an item is not a date.
        """
        new = tuple(
            check_iterable("WeekendCalendar.with_closures", "dates", dates, "[date(2026, 3, 2)]")
        )
        problems = [
            InputProblem(
                f"$.closures[{i}]", f"expected a date (e.g. date(2026, 3, 2)), got {describe(d)}"
            )
            for i, d in enumerate(new)
            if not _is_plain_date(d)
        ]
        if problems:
            raise InvalidInputError(problems)
        return WeekendCalendar(self.closures | frozenset(new))
