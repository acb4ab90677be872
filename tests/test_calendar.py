from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

import attrs
import chinese_calendar
import lunardate
import pytest
from hypothesis import given
from hypothesis import strategies as st

from community_care.calendar import (
    OfficialCalendar,
    WeekendCalendar,
    WorkCalendar,
    YearArrangement,
    first_working_day_on_or_after,
    last_working_day_on_or_before,
    official_calendar,
    statutory_holidays,
)
from community_care.errors import CalendarRangeError, InvalidArgumentError, InvalidInputError

ONE_DAY = timedelta(days=1)


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def paths(err: pytest.ExceptionInfo[InvalidInputError]) -> list[str]:
    return [p.path for p in err.value.problems]


# A plausible 2027 arrangement (the real notice is not out yet): New Year on its own,
# Spring Festival 2027-02-05..11 with Saturday 2027-02-13 worked, National Day week.
ARRANGEMENT_2027 = YearArrangement(
    2027,
    holidays=(
        date(2027, 1, 1),
        *days(date(2027, 2, 5), date(2027, 2, 11)),
        *days(date(2027, 10, 1), date(2027, 10, 7)),
    ),
    makeup_workdays=(date(2027, 2, 13), date(2027, 10, 9)),
)


# --- the official calendar on the packaged years --------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 14), True),  # Saturday, make-up day for the Spring Festival
        *((d, False) for d in days(date(2026, 2, 15), date(2026, 2, 23))),
        (date(2026, 2, 24), True),
        *((d, False) for d in days(date(2026, 10, 1), date(2026, 10, 7))),
        (date(2026, 9, 20), True),  # Sunday make-up day
        (date(2026, 3, 7), False),  # a plain Saturday
        (date(2026, 3, 8), False),  # a plain Sunday
        (date(2026, 3, 9), True),  # a plain Monday
        (date(2004, 1, 1), False),
        (date(2026, 12, 31), True),
    ],
)
def test_official_spot_days(day: date, working: bool) -> None:
    assert official_calendar().is_working_day(day) is working


@pytest.mark.parametrize("day", [date(2027, 1, 5), date(2003, 12, 31), date(2100, 1, 1)])
def test_outside_known_years_raises(day: date) -> None:
    cal = official_calendar()
    assert not cal.covers(day)
    assert not cal.is_provisional(day)
    with pytest.raises(CalendarRangeError, match="2004-2026") as err:
        cal.is_working_day(day)
    message = str(err.value)
    assert day.isoformat() in message
    assert "with_year(YearArrangement(" in message
    assert isinstance(err.value, ValueError)


def test_range_error_says_how_to_go_beyond() -> None:
    cal = official_calendar()
    with pytest.raises(CalendarRangeError) as err:
        cal.is_working_day(date(2027, 1, 5))
    assert "YearArrangement(2027," in str(err.value)
    assert ".with_provisional(until_year=2027)" in str(err.value)

    with pytest.raises(CalendarRangeError) as err:
        cal.is_working_day(date(2003, 12, 31))
    assert "YearArrangement(2003," in str(err.value)
    assert "with_provisional" not in str(err.value)  # provisional mode only goes forward

    with pytest.raises(CalendarRangeError) as err:
        cal.is_working_day(date(2100, 1, 1))
    assert "with_provisional" not in str(err.value)  # past the lunar tables

    provisional = cal.with_provisional()
    with pytest.raises(CalendarRangeError) as err:
        provisional.is_working_day(date(2035, 1, 5))
    assert "2004-2031, of which 2027-2031 provisional" in str(err.value)
    assert "YearArrangement(2027," in str(err.value)
    assert ".with_provisional(until_year=2035)" in str(err.value)


def test_agrees_with_chinese_calendar_on_every_known_day() -> None:
    cal = official_calendar()
    for year in cal.known_years:
        for day in days(date(year, 1, 1), date(year, 12, 31)):
            assert cal.is_working_day(day) is chinese_calendar.is_workday(day), day
            assert not cal.is_provisional(day)


def test_known_years_are_the_packaged_years() -> None:
    cal = official_calendar()
    assert cal.known_years == range(2004, 2027)
    assert cal.covered_years == cal.known_years
    assert cal.provisional_years == range(2027, 2027)
    assert not cal.provisional_years
    assert official_calendar() is cal
    assert cal == OfficialCalendar()
    assert hash(cal) == hash(OfficialCalendar())
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 5))


def test_repr_is_a_summary() -> None:
    cal = official_calendar().with_provisional(2028).with_closures([date(2026, 3, 2)])
    assert repr(cal) == (
        "OfficialCalendar(known_years=2004-2026, provisional_years=2027-2028, closures=1)"
    )
    one_year = official_calendar().with_provisional(2027)
    assert "provisional_years=2027," in repr(one_year)
    assert "provisional_years=none" in repr(official_calendar())


def test_calendars_satisfy_the_protocol() -> None:
    assert isinstance(official_calendar(), WorkCalendar)
    assert isinstance(official_calendar().with_closures([date(2026, 3, 2)]), WorkCalendar)
    assert isinstance(WeekendCalendar(), WorkCalendar)
    assert not isinstance(object(), WorkCalendar)


def test_calendar_is_frozen() -> None:
    cal = official_calendar()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        cal.provisional_until = 2030  # type: ignore[misc]  # checking it is refused


# --- statutory holidays and provisional mode --------------------------------------------


def test_statutory_holidays_2027() -> None:
    lunar_new_year = lunardate.LunarDate(2027, 1, 1).to_solar_date()
    assert lunar_new_year == date(2027, 2, 6)
    assert statutory_holidays(2027) == {
        date(2027, 1, 1),
        date(2027, 2, 5),  # 除夕
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),
        date(2027, 4, 5),  # 清明
        date(2027, 5, 1),
        date(2027, 5, 2),
        date(2027, 6, 9),  # 端午
        date(2027, 9, 15),  # 中秋
        date(2027, 10, 1),
        date(2027, 10, 2),
        date(2027, 10, 3),
    }


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_holidays_are_official_holidays_since_the_2024_revision(year: int) -> None:
    cal = official_calendar()
    for day in statutory_holidays(year):
        assert not cal.is_working_day(day), day
        assert chinese_calendar.is_holiday(day), day


@pytest.mark.parametrize("year", range(1901, 2100, 7))
def test_spring_festival_eve_is_the_last_day_of_the_twelfth_month(year: int) -> None:
    new_year = lunardate.LunarDate(year, 1, 1).to_solar_date()
    eve = new_year - ONE_DAY
    lunar_eve = lunardate.LunarDate.from_solar_date(eve.year, eve.month, eve.day)
    assert (lunar_eve.year, lunar_eve.month, lunar_eve.is_leap_month) == (year - 1, 12, False)
    assert lunar_eve.day in (29, 30)
    assert eve in statutory_holidays(year)


def test_spring_festival_eve_in_a_short_twelfth_month() -> None:
    # Lunar 2026/12 has 29 days: the eve is 12/29, not 12/30.
    lunar_eve = lunardate.LunarDate.from_solar_date(2027, 2, 5)
    assert (lunar_eve.year, lunar_eve.month, lunar_eve.day) == (2026, 12, 29)
    assert date(2027, 2, 5) in statutory_holidays(2027)


@pytest.mark.parametrize("year", [1899, 2100, True, "2027", 2027.0])
def test_statutory_holidays_outside_the_lunar_tables(year: object) -> None:
    with pytest.raises(InvalidInputError, match="1900 to 2099") as err:
        statutory_holidays(year)  # type: ignore[arg-type]  # checking bad input
    assert paths(err) == ["$.year"]


def test_provisional_spring_festival_and_qingming_2027() -> None:
    cal = official_calendar().with_provisional()
    assert cal.provisional_years == range(2027, 2032)
    assert cal.covered_years == range(2004, 2032)
    for day in days(date(2027, 2, 5), date(2027, 2, 8)):  # eve and days 1-3
        assert not cal.is_working_day(day), day
        assert cal.is_provisional(day)
    assert cal.is_working_day(date(2027, 2, 4))  # Thursday before the eve
    assert cal.is_working_day(date(2027, 2, 9))  # Tuesday after day 3
    assert not cal.is_working_day(date(2027, 4, 5))  # Qingming, a Monday
    assert cal.is_working_day(date(2027, 4, 6))
    assert not cal.is_working_day(date(2027, 2, 13))  # no make-up days provisionally
    assert cal.is_working_day(date(2031, 12, 31))
    assert not cal.is_provisional(date(2026, 12, 31))
    assert cal.is_provisional(date(2027, 1, 1))
    assert cal.is_provisional(date(2031, 12, 31))
    assert not cal.is_provisional(date(2032, 1, 1))
    assert not cal.covers(date(2032, 1, 1))
    with pytest.raises(CalendarRangeError):
        cal.is_working_day(date(2032, 1, 1))


def test_provisional_until_a_year() -> None:
    cal = official_calendar().with_provisional(until_year=2027)
    assert cal.provisional_years == range(2027, 2028)
    assert cal.provisional_until == 2027
    assert cal.with_provisional(2099).covers(date(2099, 12, 31))


@pytest.mark.parametrize("until", [2026, 2004, 2100, True, "2030"])
def test_provisional_until_must_be_after_known_years(until: object) -> None:
    with pytest.raises(InvalidArgumentError, match="after the last known year 2026") as err:
        official_calendar().with_provisional(until)  # type: ignore[arg-type]  # bad input
    assert str(err.value).startswith("OfficialCalendar.with_provisional(until_year=...): ")


@pytest.mark.parametrize("until", [2100, "2030", False])
def test_provisional_until_field_is_validated(until: object) -> None:
    with pytest.raises(InvalidInputError) as err:
        OfficialCalendar(provisional_until=until)  # type: ignore[arg-type]  # bad input
    assert paths(err) == ["$.provisional_until"]


def test_provisional_until_at_or_before_known_years_is_no_provisional_mode() -> None:
    cal = OfficialCalendar(provisional_until=2020)
    assert not cal.provisional_years
    assert not cal.covers(date(2027, 1, 1))


# --- adding a year from the State Council notice ----------------------------------------


def test_with_year_adds_a_known_year() -> None:
    cal = official_calendar().with_year(ARRANGEMENT_2027)
    assert cal.known_years == range(2004, 2028)
    assert cal.added == (ARRANGEMENT_2027,)
    assert not cal.is_working_day(date(2027, 2, 5))
    assert not cal.is_working_day(date(2027, 2, 11))
    assert cal.is_working_day(date(2027, 2, 13))  # make-up Saturday
    assert cal.is_working_day(date(2027, 10, 9))
    assert not cal.is_working_day(date(2027, 2, 20))  # plain Saturday
    assert not cal.is_provisional(date(2027, 2, 13))
    assert not cal.covers(date(2028, 1, 1))
    # The packaged years are untouched.
    assert cal.is_working_day(date(2026, 2, 14))


def test_with_year_then_provisional_and_provisional_then_with_year() -> None:
    one = official_calendar().with_year(ARRANGEMENT_2027).with_provisional()
    two = official_calendar().with_provisional(2032).with_year(ARRANGEMENT_2027)
    for cal in (one, two):
        assert cal.provisional_years == range(2028, 2033)
        assert not cal.is_provisional(date(2027, 6, 1))
        assert cal.is_provisional(date(2028, 1, 1))
        assert cal.is_working_day(date(2027, 2, 13))  # the added make-up day
        assert cal.is_working_day(date(2027, 4, 5))  # provisionally off, not in the notice
        assert not cal.is_working_day(date(2028, 1, 1))
    assert one == two


def test_with_year_can_go_back_one_year() -> None:
    arr = YearArrangement(2003, holidays=(date(2003, 1, 1),), makeup_workdays=())
    cal = official_calendar().with_year(arr)
    assert cal.known_years == range(2003, 2027)
    assert not cal.is_working_day(date(2003, 1, 1))
    assert cal.is_working_day(date(2003, 12, 31))


def test_with_year_replacing_the_only_provisional_year() -> None:
    cal = official_calendar().with_provisional(2027).with_year(ARRANGEMENT_2027)
    assert cal.covered_years == range(2004, 2028)
    assert not cal.provisional_years
    assert not cal.is_provisional(date(2027, 1, 1))


def test_makeup_day_on_a_weekday_is_refused() -> None:
    with pytest.raises(InvalidInputError) as err:
        YearArrangement(
            2027,
            holidays=(date(2027, 1, 1),),
            makeup_workdays=(date(2027, 2, 13), date(2027, 2, 15)),
        )
    assert paths(err) == ["$.makeup_workdays[1]"]
    message = err.value.problems[0].message
    assert "2027-02-15 is a Monday" in message
    assert "Saturday or Sunday, e.g. 2027-02-20" in message


def test_day_both_holiday_and_makeup_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="also listed as a holiday") as err:
        YearArrangement(
            2027,
            holidays=(date(2027, 1, 1), date(2027, 1, 2)),
            makeup_workdays=(date(2027, 1, 2),),
        )
    assert paths(err) == ["$.makeup_workdays[0]"]


def test_dates_outside_the_year_are_refused() -> None:
    with pytest.raises(InvalidInputError) as err:
        YearArrangement(
            2027,
            holidays=(date(2027, 1, 1), date(2026, 12, 31)),
            makeup_workdays=(date(2028, 1, 8),),
        )
    assert paths(err) == ["$.holidays[1]", "$.makeup_workdays[0]"]
    assert "2026-12-31 is not in 2027" in err.value.problems[0].message
    assert "e.g. 2027-01-01" in err.value.problems[0].message


def test_dates_listed_twice_and_not_dates_are_refused() -> None:
    with pytest.raises(InvalidInputError) as err:
        YearArrangement(
            2027,
            holidays=(date(2027, 1, 1), "2027-01-02", date(2027, 1, 1)),  # type: ignore[arg-type]
            makeup_workdays=(datetime(2027, 2, 13, 9, 0),),  # a datetime is not a date
        )
    assert paths(err) == ["$.holidays[1]", "$.holidays[2]", "$.makeup_workdays[0]"]
    assert "expected a date (e.g. date(2027, 1, 1)), got '2027-01-02'" in str(err.value)
    assert "listed twice (first at $.holidays[0])" in str(err.value)


def test_bad_year_is_refused() -> None:
    with pytest.raises(InvalidInputError) as err:
        YearArrangement("2027", holidays=(date(2027, 1, 1),), makeup_workdays=())  # type: ignore[arg-type]
    assert paths(err) == ["$.year"]
    assert "expected a year as an int (e.g. 2027), got '2027'" in str(err.value)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidInputError) as err:
        YearArrangement(
            2027,
            holidays=(date(2027, 1, 4),),
            makeup_workdays=(date(2027, 1, 4), date(2026, 1, 10)),
        )
    assert paths(err) == ["$.makeup_workdays[1]", "$.makeup_workdays[0]", "$.makeup_workdays[0]"]
    assert str(err.value).startswith("invalid input (3 problems):")


@pytest.mark.parametrize("year", [2026, 2004, 2015])
def test_with_year_refuses_a_packaged_year(year: int) -> None:
    arr = YearArrangement(year, holidays=(date(year, 1, 1),), makeup_workdays=())
    with pytest.raises(InvalidInputError, match="already known from the packaged") as err:
        official_calendar().with_year(arr)
    assert paths(err) == ["$.year"]


def test_with_year_refuses_a_year_added_twice() -> None:
    cal = official_calendar().with_year(ARRANGEMENT_2027)
    with pytest.raises(InvalidInputError, match="2027 was already added") as err:
        cal.with_year(ARRANGEMENT_2027)
    assert paths(err) == ["$.year"]


@pytest.mark.parametrize("year", [2028, 2002])
def test_with_year_refuses_a_gap(year: int) -> None:
    arr = YearArrangement(year, holidays=(date(year, 1, 1),), makeup_workdays=())
    with pytest.raises(InvalidInputError, match="not adjacent") as err:
        official_calendar().with_year(arr)
    assert paths(err) == ["$.year"]
    assert "add 2027 first" in str(err.value)


def test_added_field_is_validated_on_direct_construction() -> None:
    arr_2028 = YearArrangement(2028, holidays=(date(2028, 1, 1),), makeup_workdays=())
    with pytest.raises(InvalidInputError) as err:
        OfficialCalendar(added=(arr_2028, "2027"))  # type: ignore[arg-type]  # bad input
    assert paths(err) == ["$.added[0].year", "$.added[1]"]
    cal = OfficialCalendar(added=(ARRANGEMENT_2027, arr_2028))
    assert cal.known_years == range(2004, 2029)


# --- closures ---------------------------------------------------------------------------


def test_with_closures() -> None:
    base = official_calendar().with_provisional(2027)
    cal = base.with_closures([date(2026, 3, 2), date(2026, 2, 14)]).with_closures(
        iter([date(2027, 3, 1)])
    )
    assert cal.closures == {date(2026, 3, 2), date(2026, 2, 14), date(2027, 3, 1)}
    assert not cal.is_working_day(date(2026, 3, 2))
    assert not cal.is_working_day(date(2026, 2, 14))  # a closure beats a make-up day
    assert not cal.is_working_day(date(2027, 3, 1))  # closures in provisional years too
    assert cal.is_working_day(date(2026, 3, 3))
    assert base.is_working_day(date(2026, 3, 2))  # the original is unchanged
    assert cal != base


def test_closure_outside_coverage_is_refused() -> None:
    cal = official_calendar()
    with pytest.raises(InvalidInputError) as err:
        cal.with_closures([date(2026, 3, 2), date(2027, 3, 1), datetime(2026, 3, 3, 8, 0)])
    assert paths(err) == ["$.closures[1]", "$.closures[2]"]
    assert "closure 2027-03-01 is outside the years the calendar covers (2004-2026)" in str(
        err.value
    )
    assert "expected a date" in err.value.problems[1].message


def test_closures_field_is_validated_on_direct_construction() -> None:
    with pytest.raises(InvalidInputError) as err:
        OfficialCalendar(closures=frozenset({date(2030, 1, 2)}))
    assert paths(err) == ["$.closures[0]"]
    cal = official_calendar().with_provisional(2030).with_closures([date(2030, 1, 2)])
    with pytest.raises(InvalidInputError):
        cal.with_provisional(2029)  # would drop the closure's year


# --- the weekend calendar ---------------------------------------------------------------


def test_weekend_calendar() -> None:
    cal = WeekendCalendar()
    assert cal.covers(date.min)
    assert cal.covers(date.max)
    assert not cal.is_provisional(date(2026, 1, 1))
    assert cal.is_working_day(date(2026, 2, 16))  # a holiday, but not here
    assert not cal.is_working_day(date(2026, 2, 14))
    closed = cal.with_closures([date(2026, 2, 16)])
    assert not closed.is_working_day(date(2026, 2, 16))
    assert closed == WeekendCalendar(frozenset({date(2026, 2, 16)}))
    with pytest.raises(InvalidInputError) as err:
        cal.with_closures([date(2026, 2, 16), "2026-02-17"])  # type: ignore[list-item]
    assert paths(err) == ["$.closures[1]"]


# --- searching for working days ---------------------------------------------------------


def test_search_spot_days() -> None:
    cal = official_calendar()
    assert first_working_day_on_or_after(cal, date(2026, 2, 15)) == date(2026, 2, 24)
    assert last_working_day_on_or_before(cal, date(2026, 2, 23)) == date(2026, 2, 14)
    assert first_working_day_on_or_after(cal, date(2026, 3, 9)) == date(2026, 3, 9)
    assert last_working_day_on_or_before(cal, date(2026, 3, 9)) == date(2026, 3, 9)


def test_search_walking_out_of_coverage_raises() -> None:
    cal = official_calendar().with_closures([date(2026, 12, 31)])
    with pytest.raises(CalendarRangeError, match="2027-01-01"):
        first_working_day_on_or_after(cal, date(2026, 12, 31))
    with pytest.raises(CalendarRangeError, match="2003-12-31"):
        last_working_day_on_or_before(cal, date(2004, 1, 1))


@attrs.frozen
class NeverWorking:
    def covers(self, d: date) -> bool:
        return True

    def is_provisional(self, d: date) -> bool:
        return False

    def is_working_day(self, d: date) -> bool:
        return False


def test_search_gives_up_on_a_calendar_with_no_working_day() -> None:
    with pytest.raises(InvalidInputError, match="no working day within 366 days on or after"):
        first_working_day_on_or_after(NeverWorking(), date(2026, 1, 1))
    with pytest.raises(InvalidInputError, match="no working day within 366 days on or before"):
        last_working_day_on_or_before(NeverWorking(), date(2026, 1, 1))


def test_search_past_the_representable_dates() -> None:
    cal = WeekendCalendar(frozenset({date.max, date.min}))
    with pytest.raises(CalendarRangeError, match="ran past the dates Python can represent"):
        first_working_day_on_or_after(cal, date.max)
    with pytest.raises(CalendarRangeError, match="ran past the dates Python can represent"):
        last_working_day_on_or_before(cal, date.min)


# --- packaged data ----------------------------------------------------------------------


def test_packaged_years_must_be_contiguous() -> None:
    from community_care.calendar import _contiguous_years

    assert _contiguous_years([date(2004, 1, 1), date(2005, 5, 1)]) == range(2004, 2006)
    with pytest.raises(RuntimeError, match=r"no data for \[2005\]"):
        _contiguous_years([date(2004, 1, 1), date(2006, 5, 1)])
    with pytest.raises(RuntimeError, match="no holiday data"):
        _contiguous_years([])


# --- properties -------------------------------------------------------------------------

# Far enough inside the packaged years that no search walks out of them.
known_dates = st.dates(date(2004, 2, 1), date(2026, 11, 30))
provisional = official_calendar().with_provisional()


def assert_first_working_day(cal: WorkCalendar, d: date) -> None:
    found = first_working_day_on_or_after(cal, d)
    assert found >= d
    assert cal.is_working_day(found)
    assert not any(cal.is_working_day(x) for x in days(d, found - ONE_DAY))


def assert_last_working_day(cal: WorkCalendar, d: date) -> None:
    found = last_working_day_on_or_before(cal, d)
    assert found <= d
    assert cal.is_working_day(found)
    assert not any(cal.is_working_day(x) for x in days(found + ONE_DAY, d))


@given(known_dates)
def test_first_working_day_property(d: date) -> None:
    assert_first_working_day(official_calendar(), d)


@given(known_dates)
def test_last_working_day_property(d: date) -> None:
    assert_last_working_day(official_calendar(), d)


@given(st.dates(date(2027, 2, 1), date(2031, 11, 30)))
def test_search_properties_on_provisional_years(d: date) -> None:
    assert_first_working_day(provisional, d)
    assert_last_working_day(provisional, d)


@given(
    st.dates(date(1000, 1, 1), date(9000, 1, 1)),
    st.lists(st.integers(-20, 20), max_size=15),
)
def test_search_properties_with_closures(d: date, offsets: Iterable[int]) -> None:
    cal = WeekendCalendar().with_closures(d + timedelta(days=k) for k in offsets)
    assert_first_working_day(cal, d)
    assert_last_working_day(cal, d)


@given(known_dates)
def test_provisional_agrees_with_official_on_known_years(d: date) -> None:
    assert provisional.is_working_day(d) is official_calendar().is_working_day(d)
    assert not provisional.is_provisional(d)


@given(st.dates(date(2027, 1, 1), date(2031, 12, 31)))
def test_provisional_days_are_weekends_and_statutory_holidays(d: date) -> None:
    off = d.weekday() >= 5 or d in statutory_holidays(d.year)
    assert provisional.is_working_day(d) is not off
    assert provisional.is_provisional(d)


@st.composite
def arrangements(draw: st.DrawFn) -> YearArrangement:
    year_days = st.dates(date(2027, 1, 1), date(2027, 12, 31))
    holidays = draw(st.lists(year_days, unique=True, max_size=30))
    weekends = year_days.filter(lambda d: d.weekday() >= 5 and d not in holidays)
    makeups = draw(st.lists(weekends, unique=True, max_size=8))
    return YearArrangement(2027, holidays=holidays, makeup_workdays=makeups)


@given(arrangements(), st.dates(date(2027, 1, 1), date(2027, 12, 31)))
def test_added_year_follows_its_arrangement(arr: YearArrangement, d: date) -> None:
    cal = official_calendar().with_year(arr)
    if d in arr.holidays:
        expected = False
    elif d in arr.makeup_workdays:
        expected = True
    else:
        expected = d.weekday() < 5
    assert cal.is_working_day(d) is expected
    assert not cal.is_provisional(d)
