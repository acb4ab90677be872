"""Data in and out: one private cattrs converter, JSON text, and JSON Schema.

* :func:`structure` turns plain data (dicts, lists, strings, numbers) into the
  library's frozen models, strictly: ``"3"`` is not an integer, ``"false"`` is
  not a boolean, dates are ISO strings (``2026-01-31``), enums are their string
  values, and unknown keys are errors. Every problem in a document is reported
  at once, each with its JSON path (``$.home.floor: expected an integer, got
  'three'``), in one :class:`~community_care.errors.InvalidInputError`.
* :func:`unstructure` and :func:`to_json` give the plain form back, keys in
  field order, so the same object always gives the same bytes.
* :func:`json_schema` describes each input model for systems that validate
  before they call the library.
"""

from __future__ import annotations

import enum
import functools
import json
import operator
import re
import typing
from collections.abc import Callable, Mapping
from datetime import date
from types import NoneType, UnionType
from typing import Any, TypeVar

import attrs
import cattrs

from community_care._kernel.checks import fail
from community_care._kernel.fields import HIDDEN_FIELDS, LARGEST_INT, describe, member
from community_care._kernel.pii import pii_tags
from community_care.errors import InputProblem, InvalidInputError
from community_care.identity import PhoneNumber, ResidentId
from community_care.policy import Policy

__all__ = [
    "from_json",
    "json_schema",
    "parse_json",
    "structure",
    "to_json",
    "unstructure",
]

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

    ``_converter.structure`` dispatches on every call; a batch of 100,000 records would
    pay that for each field. (A StrEnum's hook is its own, not ``str``'s.) Hooks resolve
    their inner hooks on first use, not when they are built, as a model may contain
    a model whose hook is still being built.
    """
    hook: _Hook = _converter.get_structure_hook(tp)
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
                out[key] = _converter.structure(item, value_type)
            except InvalidInputError as exc:
                problems.extend(exc.under("$" + member(key)).problems)
        if problems:
            raise InvalidInputError(problems)
        return out

    return hook


def _structure_policy(value: object, _: type) -> Policy:
    # The policy document's own reader: a policy read any way is checked the same way
    # (every period's values, overlapping amendments), and its problems carry its paths.
    return Policy.from_document(value)


_ABSENT = object()  # a field missing from a record (``None`` is a value)


def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _class_hook(cls: type[T]) -> Callable[[object, type], T]:
    fields = attrs.fields(cls)  # type: ignore[arg-type]  # the factory's predicate is attrs.has
    names = {a.name for a in fields}
    types = _field_types(cls)
    allowed = ", ".join(a.name for a in fields)
    plan: list[tuple[attrs.Attribute[Any], _Hook, Any]] | None = None

    def hook(data: object, _: type) -> T:
        nonlocal plan
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


_converter = cattrs.Converter()
for _tp, _fn in (
    (str, _structure_str),
    (int, _structure_int),
    (bool, _structure_bool),
    (date, _structure_date),
    (ResidentId, _structure_resident_id),
    (PhoneNumber, _structure_phone),
    (Policy, _structure_policy),
):
    _converter.register_structure_hook(_tp, _fn)
_converter.register_structure_hook_factory(_is_optional, _optional_hook)
_converter.register_structure_hook_factory(_is_enum_union, _enum_union_hook)
_converter.register_structure_hook_factory(_is_sequence, _sequence_hook)
_converter.register_structure_hook_factory(_is_str_mapping, _mapping_hook)
_converter.register_structure_hook_factory(attrs.has, _class_hook)


# --- unstructuring: plain JSON data, keys in field order ---


def _unstructure_class(obj: Any) -> dict[str, object]:
    return {a.name: _converter.unstructure(getattr(obj, a.name)) for a in attrs.fields(type(obj))}


_converter.register_unstructure_hook(date, lambda d: d.isoformat())
# cattrs dispatches on the MRO first, so the StrEnum models arrive at the ``str`` hook.
_converter.register_unstructure_hook(str, lambda s: s.value if isinstance(s, enum.Enum) else s)
_converter.register_unstructure_hook(ResidentId, lambda r: r.value)
_converter.register_unstructure_hook(PhoneNumber, lambda p: p.value)
# A policy's plain form is its document (what ``structure`` reads), without its cache.
_converter.register_unstructure_hook(Policy, Policy.to_document)
_converter.register_unstructure_hook_func(
    lambda tp: isinstance(tp, type) and issubclass(tp, enum.Enum), lambda e: e.value
)
_converter.register_unstructure_hook_func(
    lambda tp: isinstance(tp, type) and issubclass(tp, tuple | list) and not attrs.has(tp),
    lambda seq: [_converter.unstructure(x) for x in seq],
)
_converter.register_unstructure_hook_func(
    lambda tp: isinstance(tp, type) and issubclass(tp, frozenset | set),
    lambda s: sorted(_converter.unstructure(x) for x in s),
)
_converter.register_unstructure_hook_func(
    lambda tp: isinstance(tp, type) and issubclass(tp, Mapping),
    lambda m: {str(k): _converter.unstructure(v) for k, v in m.items()},
)
_converter.register_unstructure_hook_func(attrs.has, _unstructure_class)


def structure(data: object, cls: type[T]) -> T:
    """Build a model (or a list/tuple of models) from plain data, strictly.

    Args:
        data: parsed JSON (dicts, lists, strings, numbers, booleans, null);
            ``datetime.date`` values are accepted where a date is expected.
        cls: the model class, e.g. ``ElderlyProfile`` or ``list[Need]``.

    Returns:
        The model.

    Raises:
        InvalidInputError: listing every problem with its JSON path.

    Examples:
        >>> from community_care import HomeSafety
        >>> structure({"floor": 5, "elevator": False}, HomeSafety).floor
        5
        >>> structure({"floor": "three"}, HomeSafety)
        Traceback (most recent call last):
        ...
        community_care.errors.InvalidInputError: invalid input: $.floor: expected an integer, \
got 'three'
    """
    try:
        return _converter.structure(data, cls)
    except InvalidInputError:
        raise
    except cattrs.errors.StructureHandlerNotFoundError:
        raise TypeError(f"community-care cannot structure {cls!r}") from None


def unstructure(obj: object) -> Any:
    """The plain-data form of a model (what :func:`to_json` writes).

    Examples:
        >>> from community_care import Cadence
        >>> unstructure(Cadence(every=2, unit="week"))
        {'every': 2, 'unit': 'week', 'working_days_only': False, 'max_shift_days': 3, \
'cover_every_month': False}
    """
    return _converter.unstructure(obj)


def to_json(obj: object, *, indent: int | None = None) -> str:
    """JSON text of a model; the same object always gives the same text.

    Examples:
        >>> from community_care import Cadence
        >>> to_json(Cadence(every=1, unit="month", working_days_only=True))
        '{"every":1,"unit":"month","working_days_only":true,"max_shift_days":3,\
"cover_every_month":false}'
    """
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(
        unstructure(obj), ensure_ascii=False, allow_nan=False, indent=indent, separators=separators
    )


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    fast = dict(pairs)  # built in C; only an object with a repeated key has fewer entries
    if len(fast) == len(pairs):
        return fast
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {describe(key)}")
        out[key] = value
    return out


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Parse JSON text (or UTF-8 bytes) and :func:`structure` it.

    Duplicate keys, ``NaN`` and ``Infinity`` are rejected (JSON has none of them,
    and silently keeping one of two values would lose data).

    Raises:
        InvalidInputError: for text that is not JSON, and for every problem in the document.

    Examples:
        >>> from community_care import HomeSafety
        >>> from_json('{"floor": 6, "elevator": true}', HomeSafety).elevator
        True
    """
    return structure(parse_json(text), cls)


def parse_json(text: str | bytes) -> Any:
    """Parse JSON text strictly, without structuring it (what :func:`from_json` reads).

    Raises:
        InvalidInputError: for text that is not JSON, duplicate keys, ``NaN`` or ``Infinity``.

    Examples:
        >>> parse_json('{"a": [1, 2]}')
        {'a': [1, 2]}
    """
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_pairs)
    except (ValueError, TypeError, RecursionError) as exc:
        # The decoder's message says where, never quoting the document itself.
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        where = (
            f" at line {exc.lineno} column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise InvalidInputError.at("$", f"expected JSON text: {message}{where}") from None


# --- JSON Schema ---


def json_schema(cls: type) -> dict[str, Any]:
    """A JSON Schema (2020-12) for the plain form of a model.

    The schema checks types, ranges, enum values, required and unknown fields.
    Rules it cannot express (a resident ID's check character, the cross-field
    rules) are still enforced by :func:`structure`. Personal fields carry
    ``"x-pii": "identifier"`` (a name, an ID number, a phone) or ``"x-pii":
    "sensitive"`` (health, disability, economic and family circumstances), spec §8;
    ``docs/privacy.md`` lists them.

    Examples:
        >>> from community_care import HomeSafety
        >>> json_schema(HomeSafety)["properties"]["floor"]
        {'type': 'integer', 'minimum': 0}
        >>> from community_care import ElderlyProfile
        >>> props = json_schema(ElderlyProfile)["properties"]
        >>> props["phone"]["x-pii"], props["dementia"]["x-pii"], "x-pii" in props["grid"]
        ('identifier', 'sensitive', False)

    Raises:
        InvalidArgumentError: ``cls`` is not an input model: a result model (such as
            :class:`~community_care.elderly.ElderlyAssessment`, which the library
            computes and never reads, so it has no input schema), another class, or
            not a class. The message lists the input models.
    """
    if not _is_input_model(cls):
        raise fail(
            "json_schema",
            "cls",
            "an input model such as ElderlyProfile (a computed result has no input"
            f" schema; the models with one are {', '.join(_input_models())})",
            cls,
        )
    defs: dict[str, Any] = {}
    root = _object_schema(cls, defs)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": cls.__name__,
        **root,
    }
    if defs:
        schema["$defs"] = defs
    return schema


def _is_input_model(cls: object) -> bool:
    """Whether ``cls`` is an input model: one the library reads, so it has a JSON Schema.

    An input model declares every field, and every field of the models nested in it,
    through the field builders of :mod:`community_care._kernel.fields`, which give each field
    its schema and its check (so :func:`structure` reads its documents). That includes
    the records the library reads back (a follow-up, a matching, a KPI report). A
    result model such as an assessment or a plan holds fields the library computes,
    declared without a schema: it is never read, so it has none.

    Examples:
        >>> from community_care import ElderlyAssessment, ElderlyProfile
        >>> _is_input_model(ElderlyProfile), _is_input_model(ElderlyAssessment)
        (True, False)
    """
    return _declares_schema(cls, set())


def _declares_schema(cls: object, seen: set[type]) -> bool:
    if not isinstance(cls, type) or not attrs.has(cls):
        return False
    if cls in seen:
        return True
    seen.add(cls)
    for a in attrs.fields(cls):
        meta = a.metadata
        nested = meta.get("model", meta.get("model_items"))
        if nested is not None:
            if not _declares_schema(nested, seen):
                return False
        elif "schema" not in meta:
            return False
    return True


def _input_models() -> list[str]:
    """The names of the public input models, sorted: those :func:`json_schema` describes.

    Examples:
        >>> "ElderlyProfile" in _input_models(), "ElderlyAssessment" in _input_models()
        (True, False)
    """
    import community_care  # the package imports this module first

    public = (getattr(community_care, name) for name in community_care.__all__)
    return sorted(cls.__name__ for cls in public if _is_input_model(cls))


def _ref(model: type, defs: dict[str, Any]) -> dict[str, Any]:
    if model.__name__ not in defs:
        defs[model.__name__] = {}  # placeholder against recursion
        defs[model.__name__] = _object_schema(model, defs)
    return {"$ref": f"#/$defs/{model.__name__}"}


def _object_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required = []
    tags = pii_tags(cls)
    for a in attrs.fields(cls):
        meta = a.metadata
        if "model" in meta:
            props[a.name] = _ref(meta["model"], defs)
            if meta.get("optional"):
                props[a.name] = {"anyOf": [props[a.name], {"type": "null"}]}
        elif "model_items" in meta:
            props[a.name] = {**meta["schema"], "items": _ref(meta["model_items"], defs)}
        else:
            props[a.name] = dict(meta["schema"])
        if a.name in tags:
            # Spec §8: the personal fields are marked for the systems that store them.
            props[a.name]["x-pii"] = tags[a.name]
        if a.default is attrs.NOTHING:
            required.append(a.name)
    out: dict[str, Any] = {
        "type": "object",
        "properties": props,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    doc = (cls.__doc__ or "").strip().splitlines()
    if doc:
        out["description"] = doc[0]
    return out
