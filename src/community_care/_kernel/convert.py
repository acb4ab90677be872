"""The one converter: plain data (parsed JSON) into the library's models, strictly.

Every model is read through it: the input models by :func:`community_care.structure`,
a policy's changes by :mod:`community_care.policy` (which registers its ``Band``
shorthand), so a wrong value gets the same words wherever it comes from. Each hook
raises :class:`~community_care.errors.InvalidInputError` with paths relative to its
value (``$``, ``$.floor``, ``$[2]``); a caller puts its own path in front with
:meth:`~community_care.errors.InvalidInputError.under`.

``"3"`` is not an integer, ``"false"`` is not a boolean, dates are ISO strings
(``2026-01-31``), enums are their string values, and unknown keys are errors. A model's
problems are all reported at once, in field order.
"""

from __future__ import annotations

import enum
import functools
import math
import operator
import re
import typing
from collections.abc import Callable, Mapping
from datetime import date
from types import NoneType, UnionType
from typing import Any, TypeVar

import attrs
import cattrs

from community_care._kernel.fields import HIDDEN_FIELDS, LARGEST_INT, describe, member
from community_care.errors import InputProblem, InvalidInputError
from community_care.identity import PhoneNumber, ResidentId

T = TypeVar("T")

_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def _kind(value: object) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return type(value).__name__


def _got(value: object) -> str:
    """What came, shown safely: scalars by value (shortened), containers by kind."""
    if isinstance(value, str | int | float | bool) or value is None:
        return describe(value)
    return _kind(value)


def _expected(what: str, value: object) -> InvalidInputError:
    return InvalidInputError.at("$", f"expected {what}, got {_got(value)}")


# --- structuring hooks: each raises InvalidInputError with paths relative to its value ---


def _structure_str(value: object, tp: type) -> Any:
    if tp is not str:
        # cattrs dispatches on the MRO first, so the StrEnum models arrive here too.
        return _enum_hook(tp)(value, tp)
    if not isinstance(value, str):
        raise _expected("a string", value)
    if not value.isascii() and not _is_unicode(value):
        raise InvalidInputError.at(
            "$", "expected Unicode text, got a string with a lone surrogate (U+D800-U+DFFF)"
        )
    return value


def _is_unicode(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8: JSON's ``"\\ud800"`` escapes cannot."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _structure_int(value: object, _: type) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _expected("an integer", value)
    if abs(value) > LARGEST_INT:
        raise _expected(f"an integer of at most {LARGEST_INT} in size", value)
    return value


def _structure_number(value: object, _: type) -> int | float:
    """A number of a figure read back (``int | float``): finite, never a bool."""
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return _structure_int(value, int)
    raise _expected("a number", value)


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _expected("true or false", value)
    return value


def _structure_date(value: object, _: type) -> date:
    if type(value) is date:
        return value
    if isinstance(value, str) and _DATE_SHAPE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InvalidInputError.at(
                "$", f"expected a real date like 2026-01-31, got {describe(value)}"
            ) from None
    raise _expected("a date like 2026-01-31", value)


def _structure_resident_id(value: object, _: type) -> ResidentId:
    if isinstance(value, ResidentId):
        return value
    if not isinstance(value, str):
        raise InvalidInputError.at("$", f"expected a resident ID number string, got {_kind(value)}")
    return ResidentId.parse(value)


def _structure_phone(value: object, _: type) -> PhoneNumber:
    if isinstance(value, PhoneNumber):
        return value
    if not isinstance(value, str):
        raise InvalidInputError.at("$", f"expected a mobile number string, got {_kind(value)}")
    return PhoneNumber.parse(value)


@functools.cache
def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, type], enum.Enum]:
    members = {m.value: m for m in cls}
    expected = "one of " + ", ".join(repr(v) for v in members)

    def hook(value: object, _: type) -> enum.Enum:
        if isinstance(value, cls):
            return value
        if isinstance(value, str) and value in members:
            return members[value]
        raise _expected(expected, value)

    return hook


_Hook = Callable[[Any, Any], Any]


def _resolved_hook(tp: Any) -> _Hook:
    """The converter's hook for ``tp``, resolved once by the hooks that call it per value.

    ``converter.structure`` dispatches on every call; a batch of 100,000 records would
    pay that for each field. (A StrEnum's hook is its own, not ``str``'s.) Hooks resolve
    their inner hooks on first use, not when they are built, as a model may contain
    a model whose hook is still being built.
    """
    hook: _Hook = converter.get_structure_hook(tp)
    if hook is _structure_str and tp is not str:
        return _enum_hook(tp)
    return hook


def _is_optional(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, UnionType) and NoneType in typing.get_args(tp)


def _optional_hook(tp: Any) -> Callable[[object, type], object]:
    inner = [a for a in typing.get_args(tp) if a is not NoneType]
    # `X | None`, or `A | B | None` for a union of string enums (a follow-up level).
    target = functools.reduce(operator.or_, inner)
    structure_target: _Hook | None = None

    def hook(value: object, _: type) -> object:
        nonlocal structure_target
        if value is None:
            return None
        if structure_target is None:
            structure_target = _resolved_hook(target)
        return structure_target(value, target)

    return hook


def _is_enum_union(tp: Any) -> bool:
    """Whether ``tp`` is a union of string enums: a follow-up's level, an event's status."""
    args = typing.get_args(tp)
    return typing.get_origin(tp) in (typing.Union, UnionType) and all(
        isinstance(a, type) and issubclass(a, enum.StrEnum) for a in args
    )


def _enum_union_hook(_tp: Any) -> Callable[[object, type], object]:
    # Which enum applies depends on the record (a follow-up's kind; a problem's or a
    # hazard's `verified`), so the value is read as the string it is written as and the
    # model's own converter and validators turn it into the member, or refuse it.
    return lambda value, _: _structure_str(value, str)


def _is_sequence(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    if origin is tuple:
        args = typing.get_args(tp)
        return len(args) == 2 and args[1] is Ellipsis
    return origin in (list, frozenset)


def _sequence_hook(tp: Any) -> Callable[[object, type], object]:
    origin = typing.get_origin(tp)
    item_type = typing.get_args(tp)[0]
    structure_item: _Hook | None = None

    def hook(value: object, _: type) -> object:
        nonlocal structure_item
        if not isinstance(value, list | tuple):
            raise _expected("an array", value)
        if structure_item is None:
            structure_item = _resolved_hook(item_type)
        items = []
        problems: list[InputProblem] = []
        for i, item in enumerate(value):
            try:
                items.append(structure_item(item, item_type))
            except InvalidInputError as exc:
                problems.extend(exc.under(f"$[{i}]").problems)
        if problems:
            raise InvalidInputError(problems)
        return origin(items)

    return hook


def _is_str_mapping(tp: Any) -> bool:
    return typing.get_origin(tp) in (dict, Mapping) and typing.get_args(tp)[:1] == (str,)


def _mapping_hook(tp: Any) -> Callable[[object, type], object]:
    value_type = typing.get_args(tp)[1]

    def hook(value: object, _: type) -> object:
        if not isinstance(value, Mapping):
            raise _expected("an object", value)
        out: dict[str, object] = {}
        problems: list[InputProblem] = []
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(InputProblem("$", f"expected string keys, got {describe(key)}"))
                continue
            try:
                out[key] = converter.structure(item, value_type)
            except InvalidInputError as exc:
                problems.extend(exc.under("$" + member(key)).problems)
        if problems:
            raise InvalidInputError(problems)
        return out

    return hook


_ABSENT = object()  # a field missing from a record (``None`` is a value)


def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def class_hook(cls: type[T]) -> Callable[[object, type], T]:
    fields = attrs.fields(cls)  # type: ignore[arg-type]  # the factory's predicate is attrs.has
    names = {a.name for a in fields}
    types = _field_types(cls)
    allowed = ", ".join(a.name for a in fields)
    plan: list[tuple[attrs.Attribute[Any], _Hook, Any]] | None = None

    def hook(data: object, _: type) -> T:
        nonlocal plan
        if isinstance(data, cls):
            return data  # a model built in Python was checked when it was built
        if not isinstance(data, Mapping):
            raise _expected(f"an object ({cls.__name__})", data)
        if plan is None:
            plan = [(a, _resolved_hook(types[a.name]), types[a.name]) for a in fields]
        # The common case first: no unknown field, every field structures, and the class's
        # own validators (run by ``cls(...)``) accept the values. The first problem hands
        # over to ``account``, which lists every problem in field order, reusing the
        # values (and the error) found so far: a bad record is never structured twice.
        done: dict[str, object] = {}
        failed: dict[str, InvalidInputError] = {}
        if names.issuperset(data):
            for a, structure_field, tp in plan:
                raw = data.get(a.name, _ABSENT)
                if raw is _ABSENT:
                    if a.default is attrs.NOTHING:
                        break
                    continue
                try:
                    done[a.name] = structure_field(raw, tp)
                except InvalidInputError as exc:
                    failed[a.name] = exc
                    break
            else:
                try:
                    return cls(**done)
                except InvalidInputError:
                    pass
        return account(data, plan, done, failed)

    def account(
        data: Mapping[Any, Any],
        plan: list[tuple[attrs.Attribute[Any], _Hook, Any]],
        done: dict[str, object],
        failed: dict[str, InvalidInputError],
    ) -> T:
        problems: list[InputProblem] = [
            InputProblem(
                "$" + member(key),
                f"unknown field {describe(key)}; expected one of: {allowed}",
            )
            for key in data
            if key not in names
        ]
        kwargs: dict[str, object] = {}
        for a, structure_field, tp in plan:
            if a.name not in data:
                if a.default is attrs.NOTHING:
                    problems.append(InputProblem(f"$.{a.name}", "required field is missing"))
                continue
            raw = data[a.name]
            try:
                if a.name in failed:
                    raise failed[a.name]
                value = done[a.name] if a.name in done else structure_field(raw, tp)
            except InvalidInputError as exc:
                error = exc
                if a.name in HIDDEN_FIELDS and not isinstance(raw, str):
                    # Never echo what sits in a personal or free-text field, even of the
                    # wrong type: a phone typed as a number into a name, a note as a list.
                    expected = "a string or null" if a.default is None else "a string"
                    error = InvalidInputError.at("$", f"expected {expected}, got {_kind(raw)}")
                problems.extend(error.under(f"$.{a.name}").problems)
                continue
            if a.validator is not None:
                try:
                    a.validator(None, a, value)
                except InvalidInputError as exc:
                    problems.extend(exc.problems)  # validators name the field already
                    continue
            kwargs[a.name] = value
        if problems:
            raise InvalidInputError(problems)
        return cls(**kwargs)

    return hook


def _is_enum_mapping(tp: Any) -> bool:
    """Whether ``tp`` is a table keyed by an enum (the policy's urgency points, say)."""
    args = typing.get_args(tp)
    return (
        typing.get_origin(tp) in (dict, Mapping)
        and len(args) == 2
        and isinstance(args[0], type)
        and issubclass(args[0], enum.Enum)
    )


def _enum_mapping_hook(tp: Any) -> Callable[[object, type], object]:
    """A table keyed by an enum: its keys are the members' strings.

    A key that is no member stays a string rather than being refused: the policy's
    checks report a table whose keys must be exactly the members (the urgency points),
    and the other tables ignore what they are never asked for.
    """
    key_type, value_type = typing.get_args(tp)
    by_value = key_type._value2member_map_
    as_strings = _mapping_hook(Mapping[str, value_type])  # type: ignore[valid-type]

    def hook(value: object, _: type) -> object:
        table = typing.cast(dict[str, object], as_strings(value, tp))
        return {by_value.get(key, key): item for key, item in table.items()}

    return hook


converter = cattrs.Converter()
for _tp, _fn in (
    (str, _structure_str),
    (int, _structure_int),
    (int | float, _structure_number),
    (bool, _structure_bool),
    (date, _structure_date),
    (ResidentId, _structure_resident_id),
    (PhoneNumber, _structure_phone),
):
    converter.register_structure_hook(_tp, _fn)
converter.register_structure_hook_factory(_is_optional, _optional_hook)
converter.register_structure_hook_factory(_is_enum_union, _enum_union_hook)
converter.register_structure_hook_factory(_is_sequence, _sequence_hook)
converter.register_structure_hook_factory(_is_str_mapping, _mapping_hook)
converter.register_structure_hook_factory(_is_enum_mapping, _enum_mapping_hook)
converter.register_structure_hook_factory(attrs.has, class_hook)


def structure_at(data: object, tp: Any, path: str) -> Any:
    """``data`` read as a ``tp``; its problems, if any, under ``path`` (``$.changes.x``)."""
    try:
        return converter.structure(data, tp)
    except InvalidInputError as exc:
        raise exc.under(path) from None
