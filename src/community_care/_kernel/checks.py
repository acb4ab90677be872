"""The checks of a public function's arguments: API misuse, one error, one wording.

A public function checks each argument the caller controls (a date, a policy, a
calendar, a language, a record of some class) with one of these, and a wrong one
raises :class:`~community_care.errors.InvalidArgumentError` with one message shape::

    plan_community(on=...): expected a date like date(2026, 11, 30), got '2026-11-30'

that is: the function and the argument, what was expected with an example, and what
came, rendered safely (personal values masked, long values cut).

Bad *data* (a field of a record, an item of a list that a batch turns into a
rejection) is not checked here: it keeps :class:`~community_care.errors.InvalidInputError`
and its JSON paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from community_care._kernel.fields import describe
from community_care.errors import InvalidArgumentError

if TYPE_CHECKING:  # the policy and calendar modules use these checks themselves
    from community_care.calendar import WorkCalendar
    from community_care.policy import Policy

__all__ = [
    "check_calendar",
    "check_choice",
    "check_date",
    "check_instance",
    "check_iterable",
    "check_lang",
    "check_policy",
    "check_records",
    "check_text",
    "fail",
    "shown",
]

T = TypeVar("T")

# A run of 11 or more digits may be a phone number or a resident ID number; a
# non-ASCII letter may be part of a name. Such text is never shown.
_MAYBE_PERSONAL = re.compile(r"\d{11}|[^\x00-\x7f]")

_CONTAINERS = (list, tuple, dict, set, frozenset)


def shown(value: object) -> str:
    """A safe rendering of an argument's value for a message: masked when it may be personal.

    Examples:
        >>> shown("2026-11-30"), shown("13800138000"), shown(["张三"]), shown(None)
        ("'2026-11-30'", 'a str of 11 characters (masked)', 'a list of 1 items', 'None')
    """
    if isinstance(value, type):
        return f"the class {value.__qualname__}"
    if isinstance(value, str) and _MAYBE_PERSONAL.search(value):
        return f"a str of {len(value)} characters (masked)"
    if type(value) in _CONTAINERS:
        # A list or mapping may hold records with names; only its size is shown.
        return f"a {type(value).__name__} of {len(value)} items"  # type: ignore[arg-type]  # every container type has a len
    return describe(value)


def fail(func: str, name: str, expected: str, value: object) -> InvalidArgumentError:
    """The error for argument ``name`` of ``func``: ``expected`` (with an example), ``value`` came.

    Examples:
        >>> str(fail("explain", "lang", "'zh' or 'en'", "fr"))
        "explain(lang=...): expected 'zh' or 'en', got 'fr'"
    """
    return InvalidArgumentError(f"{func}({name}=...): expected {expected}, got {shown(value)}")


def check_date(
    func: str,
    name: str,
    value: object,
    *,
    earliest: date | None = None,
    latest: date | None = None,
) -> date:
    """``value`` if it is a calendar date (in [``earliest``, ``latest``] when given).

    A ``datetime`` is a ``date`` subclass that never equals a date: it would silently
    miss every comparison with calendar data, so it is refused, as is a string.

    Raises:
        InvalidArgumentError: ``value`` is not a ``date`` (or is outside the range).

    Examples:
        >>> check_date("f", "on", date(2026, 11, 30))
        datetime.date(2026, 11, 30)
        >>> from datetime import datetime
        >>> check_date("f", "on", datetime(2026, 11, 30, 9))
        Traceback (most recent call last):
        ...
        community_care.errors.InvalidArgumentError: f(on=...): expected a date like date(2026, 11, 30), got datetime.datetime(2026, 11, 30, 9, 0)
    """  # noqa: E501
    if (
        type(value) is date
        and (earliest is None or earliest <= value)
        and (latest is None or value <= latest)
    ):
        return value
    span = ""
    if earliest is not None and latest is not None:
        span = f" from {earliest.isoformat()} to {latest.isoformat()}"
    raise fail(func, name, f"a date{span} like date(2026, 11, 30)", value)


def check_instance(func: str, name: str, value: object, cls: type[T], example: str) -> T:
    """``value`` if it is an instance of ``cls``; ``example`` shows one (``"Cadence(every=1, unit='month')"``).

    Raises:
        InvalidArgumentError: ``value`` is of another type.
    """  # noqa: E501
    if isinstance(value, cls):
        return value
    raise fail(func, name, f"a {cls.__name__} such as {example}", value)


def check_policy(func: str, value: object, name: str = "policy") -> Policy | None:
    """``value`` if it is ``None`` (the default policy) or a :class:`Policy`.

    Raises:
        InvalidArgumentError: ``value`` is anything else (a version string, a document).
    """
    from community_care.policy import Policy  # policy.py imports this module

    if value is None or isinstance(value, Policy):
        return value
    raise fail(func, name, "a Policy such as default_policy(), or None", value)


def check_calendar(func: str, value: object, name: str = "calendar") -> WorkCalendar | None:
    """``value`` if it is ``None`` (the function's default calendar) or a :class:`WorkCalendar`.

    Raises:
        InvalidArgumentError: ``value`` is anything else.
    """
    from community_care.calendar import WorkCalendar  # calendar.py imports this module

    if value is None or isinstance(value, WorkCalendar):
        return value
    raise fail(func, name, "a WorkCalendar such as official_calendar(), or None", value)


def check_lang(func: str, value: object, name: str = "lang") -> Literal["zh", "en"]:
    """``value`` if it is ``"zh"`` or ``"en"``.

    Raises:
        InvalidArgumentError: ``value`` is another language or not a string.
    """
    if value == "zh" and isinstance(value, str):
        return "zh"
    if value == "en" and isinstance(value, str):
        return "en"
    raise fail(func, name, "'zh' or 'en'", value)


def check_choice(func: str, name: str, value: object, choices: Iterable[str]) -> str:
    """``value`` if it is one of the strings ``choices`` (a string enum member counts).

    Raises:
        InvalidArgumentError: ``value`` is not one of them.
    """
    options = tuple(choices)
    if isinstance(value, str) and value in options:
        return str(value)
    raise fail(func, name, "one of " + ", ".join(map(repr, options)), value)


def check_iterable(func: str, name: str, value: object, example: str) -> Iterable[Any]:
    """``value`` if it is an iterable of records: not a string, a mapping or a single record.

    A string or a mapping would iterate over characters or keys, and a lone record
    is a call that forgot the brackets; all three are refused. The items themselves
    are data: the caller checks them and reports each at its path.

    Raises:
        InvalidArgumentError: ``value`` is not such an iterable.
    """
    if (
        isinstance(value, Iterable)
        and not isinstance(value, str | bytes | Mapping)
        and not attrs.has(type(value))
    ):
        return value
    raise fail(func, name, f"an iterable such as {example}", value)


def check_records(func: str, name: str, value: object, cls: type[T], example: str) -> tuple[T, ...]:
    """The items of ``value`` if it is an iterable (see :func:`check_iterable`) of ``cls``.

    ``example`` shows one item (``"Problem(...)"``); a wrong item is named by its
    position, ``name[i]``.

    Raises:
        InvalidArgumentError: ``value`` is not such an iterable, or an item is of another
            type.
    """
    items = tuple(check_iterable(func, name, value, f"[{example}]"))
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            raise fail(func, f"{name}[{i}]", f"a {cls.__name__} such as {example}", item)
    return items


def check_text(func: str, name: str, value: object, example: str) -> str:
    """``value`` if it is a string; ``example`` shows one (``"'张三'"``).

    Raises:
        InvalidArgumentError: ``value`` is not a string.
    """
    if isinstance(value, str):
        return value
    raise fail(func, name, f"a string such as {example}", value)
