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
import json
import typing
from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs
import cattrs

from community_care._kernel.checks import fail
from community_care._kernel.convert import T
from community_care._kernel.convert import converter as _converter
from community_care._kernel.fields import describe
from community_care._kernel.pii import pii_tags
from community_care.errors import InvalidInputError
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


def _structure_policy(value: object, _: type) -> Policy:
    # The policy document's own reader: a policy read any way is checked the same way
    # (every period's values, overlapping amendments), and its problems carry its paths.
    return Policy.from_document(value)


_converter.register_structure_hook(Policy, _structure_policy)


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
        InvalidArgumentError: ``cls`` is not a class (or a list or tuple of one) that
            community-care reads.

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
    return _structure("structure", data, cls)


_MODEL_EXAMPLE = "a model class such as ElderlyProfile or list[Need]"


def _structure(func: str, data: object, cls: type[T]) -> T:
    """:func:`structure`, with argument errors naming ``func``."""
    if not isinstance(cls, type) and typing.get_origin(cls) is None:
        raise fail(func, "cls", _MODEL_EXAMPLE, cls)
    try:
        return _converter.structure(data, cls)
    except cattrs.errors.StructureHandlerNotFoundError:
        raise fail(func, "cls", _MODEL_EXAMPLE, cls) from None


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
    if indent is not None and (type(indent) is not int or indent < 0):
        raise fail("to_json", "indent", "an integer >= 0 such as 2, or None", indent)
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
    return _structure("from_json", parse_json(text), cls)


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
