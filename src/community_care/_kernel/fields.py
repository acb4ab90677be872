"""Field builders for the frozen models: validation, conversion and schema hints in one place.

Every model field is declared through one of these builders so that

* direct construction (``HomeSafety(floor=-1)``) and :func:`community_care.structure`
  give the same :class:`~community_care.errors.InvalidInputError`, naming the field,
  the bad value (masked when personal) and what was expected;
* :func:`community_care.json_schema` reads the same constraints from the field's
  metadata (``metadata["schema"]``), so the schema and the validators cannot drift apart.
"""

from __future__ import annotations

import calendar
import enum
import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import attrs

from community_care.errors import InvalidInputError
from community_care.identity import PhoneNumber, ResidentId, mask_name

__all__ = [
    "HIDDEN_FIELDS",
    "LARGEST_INT",
    "PERSONAL_FIELDS",
    "age_on",
    "bool_field",
    "check_birth_date_matches_id",
    "date_field",
    "describe",
    "enum_field",
    "int_field",
    "member",
    "model_field",
    "model_tuple_field",
    "name_field",
    "phone_field",
    "resident_id_field",
    "shown",
    "str_field",
    "str_tuple_field",
    "tuple_field",
]

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

# Fields whose values are personal: their values never appear in messages or reprs.
PERSONAL_FIELDS = frozenset({"name", "resident_id", "phone", "child_name"})

# Fields whose values never appear in a message: the personal ones, and free text (a
# visit's or an event's note, an override's reason, a wish's item), which may name a
# person or hold a phone number typed into it.
HIDDEN_FIELDS = PERSONAL_FIELDS | frozenset({"note", "reason", "item"})

# What a resident ID number or a mobile number looks like inside any value: a bad value
# of this shape, in whatever field it was typed, is never echoed (describe).
_IDENTIFIER_LIKE = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])", re.ASCII)

_NOTHING: Any = attrs.NOTHING

# The largest integer a field takes (2**53 - 1): JSON carries integers up to it exactly
# in every parser (I-JSON, RFC 7493), and a larger one could not even be printed in a
# reason's message once past Python's 4300-digit limit.
LARGEST_INT = 2**53 - 1


def describe(value: object, limit: int = 40) -> str:
    """A short, safe rendering of a bad value for an error message.

    A value holding something shaped like a resident ID number or a mobile number
    (18 or 11 digits) is not shown, whatever field it came in.
    """
    if isinstance(value, ResidentId | PhoneNumber):
        return str(value)
    if isinstance(value, str) and len(value) > limit:
        value = value[:limit]  # repr of a 10 MB string would copy it all only to cut it
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        # An int past sys.get_int_max_str_digits(), or a value nested too deep to print.
        return f"a value too large to show ({type(value).__name__})"
    if _IDENTIFIER_LIKE.search(text):
        return "a value (masked)"
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def member(key: object) -> str:
    """The JSON path step of an object member: ``.floor``, or ``['odd key']`` quoted safely.

    Keys that are not plain names (non-strings, very long, or holding characters a
    terminal cannot print) are shown with :func:`describe`, so a path never carries a
    10 MB key or a lone surrogate into a message.

    Examples:
        >>> member("floor"), member("home.floor"), member(1), member("\\ud800")
        ('.floor', "['home.floor']", '[1]', "['\\\\ud800']")
    """
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key):
        return "." + key
    return f"[{describe(key)}]"


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}", re.ASCII)


def shown(field: str, value: object) -> str:
    """A bad value of ``field`` as a message shows it: masked in a hidden field, else described.

    ``None`` and the empty string say nothing about a person and are shown as such.
    """
    if field not in HIDDEN_FIELDS or value is None or (isinstance(value, str) and not value):
        return describe(value)
    return "a value (masked)"


def _fail(attribute: attrs.Attribute[Any], expected: str, value: object) -> InvalidInputError:
    shown_value = shown(attribute.name, value)
    return InvalidInputError.at(f"$.{attribute.name}", f"expected {expected}, got {shown_value}")


def _meta(schema: dict[str, Any]) -> dict[str, Any]:
    return {"schema": schema}


def str_field(*, default: Any = _NOTHING, non_empty: bool = True, optional: bool = False) -> Any:
    """A string field (non-empty unless told otherwise), or ``None`` when ``optional``."""
    expected = "a non-empty string" if non_empty else "a string"

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str) or (non_empty and not value):
            raise _fail(attribute, expected + (" or null" if optional else ""), value)

    schema: dict[str, Any] = {"type": "string"}
    if non_empty:
        schema["minLength"] = 1
    if optional:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return attrs.field(default=default, validator=check, metadata=_meta(schema))


def bool_field(*, default: Any = _NOTHING) -> Any:
    """A boolean field (``0``/``1`` and strings are not booleans)."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, bool):
            raise _fail(attribute, "true or false", value)

    return attrs.field(default=default, validator=check, metadata=_meta({"type": "boolean"}))


def int_field(
    *,
    default: Any = _NOTHING,
    minimum: int | None = None,
    maximum: int | None = None,
    optional: bool = False,
) -> Any:
    """An integer field within ``[minimum, maximum]``, or ``None`` when ``optional``."""
    parts = []
    if minimum is not None and maximum is not None:
        parts.append(f"an integer from {minimum} to {maximum}")
    elif minimum is not None:
        parts.append(f"an integer >= {minimum}")
    else:
        parts.append("an integer")
    expected = parts[0] + (" or null" if optional else "")

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or (minimum is not None and value < minimum)
            or (maximum is not None and value > maximum)
        ):
            raise _fail(attribute, expected, value)
        if abs(value) > LARGEST_INT:
            raise _fail(attribute, f"{expected} of at most {LARGEST_INT} in size", value)

    schema: dict[str, Any] = {"type": "integer"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    if optional:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return attrs.field(default=default, validator=check, metadata=_meta(schema))


def date_field(*, default: Any = _NOTHING, optional: bool = False) -> Any:
    """A calendar date (``datetime.date``, not a ``datetime``), or ``None`` when ``optional``."""
    expected = "a date like 2026-01-31" + (" or null" if optional else "")

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if type(value) is not date:
            raise _fail(attribute, expected, value)

    schema: dict[str, Any] = {"type": "string", "format": "date", "pattern": _DATE_PATTERN}
    if optional:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return attrs.field(default=default, validator=check, metadata=_meta(schema))


_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def enum_field(enum_type: type[E], *, default: Any = _NOTHING) -> Any:
    """A field holding a member of ``enum_type``; its string value is accepted and converted."""
    values = [m.value for m in enum_type]
    expected = "one of " + ", ".join(repr(v) for v in values)

    def convert(value: object) -> Any:
        # Never raises: a value that is not a member is left for the validator to report
        # with the field's path.
        if isinstance(value, enum_type) or not isinstance(value, str):
            return value
        try:
            return enum_type(value)
        except ValueError:
            return value

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, enum_type):
            raise _fail(attribute, expected, value)

    return attrs.field(
        default=default,
        converter=convert,
        validator=check,
        metadata=_meta({"type": "string", "enum": values}),
    )


def tuple_field(
    item_check: Callable[[object], bool],
    item_expected: str,
    item_schema: dict[str, Any],
    *,
    default: Any = _NOTHING,
    min_items: int | None = None,
    max_items: int | None = None,
    unique: bool = False,
) -> Any:
    """A tuple field (a list in JSON); a list given to the constructor becomes a tuple."""

    def convert(value: object) -> Any:
        if isinstance(value, list):
            return tuple(value)
        return value

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise _fail(attribute, "a list", value)
        problems = [
            InvalidInputError.at(
                f"$.{attribute.name}[{i}]",
                f"expected {item_expected}, got {shown(attribute.name, item)}",
            )
            for i, item in enumerate(value)
            if not item_check(item)
        ]
        if (min_items is not None and len(value) < min_items) or (
            max_items is not None and len(value) > max_items
        ):
            count = (
                f"exactly {min_items}"
                if min_items == max_items
                else f"at least {min_items}"
                if max_items is None
                else f"at most {max_items}"
            )
            problems.append(
                InvalidInputError.at(
                    f"$.{attribute.name}", f"expected {count} items, got {len(value)}"
                )
            )
        if unique and len(set(value)) != len(value):
            problems.append(
                InvalidInputError.at(f"$.{attribute.name}", "expected no repeated items")
            )
        if problems:
            raise InvalidInputError(p for e in problems for p in e.problems)

    schema: dict[str, Any] = {"type": "array", "items": item_schema}
    if min_items is not None:
        schema["minItems"] = min_items
    if max_items is not None:
        schema["maxItems"] = max_items
    if unique:
        schema["uniqueItems"] = True
    return attrs.field(default=default, converter=convert, validator=check, metadata=_meta(schema))


def _is_non_empty_str(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def str_tuple_field(*, default: Any = _NOTHING, unique: bool = False) -> Any:
    """A tuple of non-empty strings (a list of strings in JSON)."""
    return tuple_field(
        _is_non_empty_str,
        "a non-empty string",
        {"type": "string", "minLength": 1},
        default=default,
        unique=unique,
    )


def _parsed(parse: Callable[[str], T]) -> tuple[Callable[[object], Any], Any]:
    """A converter that parses strings when it can, and a validator reporting what it can't."""

    def convert(value: object) -> Any:
        if isinstance(value, str):
            try:
                return parse(value)
            except InvalidInputError:
                return value
        return value

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None or isinstance(value, ResidentId | PhoneNumber):
            return
        if isinstance(value, str):
            try:
                parse(value)
            except InvalidInputError as exc:
                raise exc.under(f"$.{attribute.name}") from None
        raise InvalidInputError.at(
            f"$.{attribute.name}", f"expected a string or null, got {type(value).__name__}"
        )

    return convert, check


def resident_id_field() -> Any:
    """An optional resident ID number: a string given to the constructor is parsed."""
    convert, check = _parsed(ResidentId.parse)
    return attrs.field(
        default=None,
        converter=convert,
        validator=check,
        metadata=_meta(
            {
                "anyOf": [
                    {"type": "string", "pattern": r"^\s*[0-9]{17}[0-9Xx]\s*$"},
                    {"type": "null"},
                ]
            }
        ),
        repr=_repr_masked,
    )


def phone_field() -> Any:
    """An optional mainland mobile number: a string given to the constructor is parsed."""
    convert, check = _parsed(PhoneNumber.parse)
    return attrs.field(
        default=None,
        converter=convert,
        validator=check,
        metadata=_meta(
            {"anyOf": [{"type": "string", "pattern": r"^\s*1[3-9][0-9]{9}\s*$"}, {"type": "null"}]}
        ),
        repr=_repr_masked,
    )


def name_field() -> Any:
    """An optional personal name, shown masked in ``repr``."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, str):
            raise _fail(attribute, "a string or null", value)

    return attrs.field(
        default=None,
        validator=check,
        metadata=_meta({"anyOf": [{"type": "string"}, {"type": "null"}]}),
        repr=_repr_name,
    )


def _repr_masked(value: object) -> str:
    return "None" if value is None else repr(str(value))


def _repr_name(value: object) -> str:
    return repr(mask_name(value)) if isinstance(value, str) else repr(value)


def model_field(
    model: type[T], *, factory: Callable[[], T] | None = None, optional: bool = False
) -> Any:
    """A nested model (a JSON object); ``factory`` gives its default when absent.

    An ``optional`` one may be null, and is null when absent.
    """

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, model):
            expected = f"a {model.__name__}" + (" or null" if optional else "")
            raise _fail(attribute, expected, value)

    default = attrs.Factory(factory) if factory is not None else None if optional else _NOTHING
    metadata: dict[str, Any] = {"model": model}
    if optional:
        metadata["optional"] = True
    return attrs.field(default=default, validator=check, metadata=metadata)


def model_tuple_field(
    model: type[T],
    *,
    default: Any = _NOTHING,
    min_items: int | None = None,
    max_items: int | None = None,
) -> Any:
    """A tuple of nested models (a JSON array of objects)."""
    field = tuple_field(
        lambda item: isinstance(item, model),
        f"a {model.__name__}",
        {},
        default=default,
        min_items=min_items,
        max_items=max_items,
    )
    field.metadata["model_items"] = model
    return field


def check_birth_date_matches_id(birth_date: date, resident_id: ResidentId | None) -> None:
    """The one cross-field rule of v1: an ID number's birth date must be the profile's."""
    if resident_id is not None and resident_id.birth_date != birth_date:
        raise InvalidInputError.at(
            "$.resident_id",
            f"resident ID number {resident_id.masked} encodes a birth date other than"
            f" birth_date {birth_date.isoformat()}; correct whichever is wrong in the registry",
        )


def age_on(birth_date: date, on: date) -> int:
    """Age in whole years on ``on``: ``relativedelta(on, birth_date).years`` (spec §1).

    As dateutil counts it, a 29 February birthday is reached on 28 February in a common
    year. Computed directly: ``relativedelta`` cost half of an elderly assessment.

    Raises:
        InvalidInputError: ``birth_date`` is after ``on`` (at ``$.birth_date``).
    """
    if birth_date > on:
        raise InvalidInputError.at(
            "$.birth_date",
            f"expected a birth date on or before {on.isoformat()}, got {birth_date.isoformat()}",
        )
    years = on.year - birth_date.year
    month, day = birth_date.month, birth_date.day
    if month == 2 and day == 29 and not calendar.isleap(on.year):
        day = 28
    if (on.month, on.day) < (month, day):
        years -= 1
    return years
