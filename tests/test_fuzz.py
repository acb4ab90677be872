"""Hostile input against every public entry point: only a CommunityCareError may come out.

Documents start near-valid (generated from each model's JSON Schema, or from the valid
strategies of ``tests/strategies/``) and are then mutated: wrong types, huge numbers,
NaN and infinities, deep nesting, non-ASCII digits, 10 MB strings, unknown and
non-string keys, null everywhere, and, for text, raw tokens JSON forbids, duplicate keys
and invalid UTF-8. Each example runs under a time limit, so a hang fails the test too.

The ``ci`` profile runs a few hundred examples per entry point; run the long campaign
with ``HYPOTHESIS_PROFILE=fuzz pytest tests/test_fuzz.py --hypothesis-show-statistics``.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import signal
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.internal.conjecture import utils as conjecture_utils
from tests import strategies as model_strategies
from tests.strategies import messy_snapshots

from community_care import (
    CommunityCareError,
    CommunityPlan,
    InvalidInputError,
    Policy,
    default_policy,
    from_json,
    json_schema,
    plan_community,
    structure,
    to_json,
    unstructure,
)
from community_care.cli import MODELS as CLI_MODELS
from community_care.cli import main
from community_care.samples import DEMO_DATE, demo_community

# Every model a caller can structure: the CLI's and those with a strategy.
MODELS: dict[str, type] = {
    **{model.__name__: model for model in model_strategies.MODELS},
    **CLI_MODELS,
}
MODEL_NAMES = sorted(MODELS)

# Seconds one example may take before it counts as a hang (10 MB strings included).
TIME_LIMIT = 20.0

# The fuzz tests run at least this many examples even in the ``ci`` profile.
_PROFILE = settings()
FUZZ = settings(
    _PROFILE,
    max_examples=max(_PROFILE.max_examples, 200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Slow: run in CI (`.ci/run`), not in the quick test command of the README.
pytestmark = pytest.mark.slow


# --- the guard: only our errors, and no hang ---


class Hang(Exception):  # noqa: N818  # named for what happened, like TimeoutError
    """An example ran past the time limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread if the block runs longer than ``seconds``."""

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def only_library_errors(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call; return its result or the CommunityCareError it raised. Anything else fails.

    The error's message must render too (a message built lazily could still crash).
    """
    try:
        with time_limit(TIME_LIMIT):
            return call(*args, **kwargs)
    except CommunityCareError as exc:
        error = exc
    except Exception as exc:
        raise AssertionError(
            f"{getattr(call, '__name__', call)} raised {type(exc).__name__}: {exc!s:.300},"
            " not a CommunityCareError"
        ) from exc
    assert str(error)
    if isinstance(error, InvalidInputError):
        assert error.problems
    return error


# --- hostile values ---


def _deep(depth: int, wrap: Callable[[Any], Any], start: Any = None) -> Any:
    value: Any = start
    for _ in range(depth):
        value = wrap(value)
    return value


BIG_TEXT = "长" * 10_000_000  # 10 million characters, 30 MB of UTF-8
DEEP_LIST = _deep(10_000, lambda v: [v], [])
DEEP_OBJECT = _deep(10_000, lambda v: {"home": v}, {})
DEEP_TEXT = "[" * 10_000 + "]" * 10_000

# Values that are wrong, extreme or strange for some field; drawn by name so that a
# failing example is printed short (the deep ones cannot even be repr'd).
HOSTILE: dict[str, Any] = {
    "null": None,
    "true": True,
    "false": False,
    "zero": 0,
    "minus_one": -1,
    "int_10e30": 10**30,
    "int_minus_10e30": -(10**30),
    "int_5000_digits": 10**5000,
    "float": 3.5,
    "float_integral": 1.0,
    "minus_zero": -0.0,
    "nan": math.nan,
    "infinity": math.inf,
    "minus_infinity": -math.inf,
    "empty_string": "",
    "blank": " \u3000 ",
    "full_width_digits": "１２３",
    "arabic_indic_digits": "٣٤٥",
    "full_width_date": "２０２６-０１-３１",
    "arabic_indic_date": "٢٠٢٦-٠١-٣١",
    "full_width_resident_id": "１１０１０５１９４９１２３１００２Ｘ",
    "impossible_date": "2026-02-30",
    "first_date": "0001-01-01",
    "last_date": "9999-12-31",
    "datetime_text": "2026-01-31T08:00:00",
    "number_text": "3",
    "bool_text": "true",
    "enum_like": "RED",
    "lone_surrogate": "\ud800",
    "nul": "a\x00b",
    "markup": "<script>alert('x')</script>",
    "big_text": BIG_TEXT,
    "deep_list": DEEP_LIST,
    "deep_object": DEEP_OBJECT,
    "empty_list": [],
    "empty_object": {},
    "list_of_nulls": [None, None],
    "long_list": [0] * 100_000,
    "object_with_int_key": {1: "x"},
}
# Python values no JSON parser gives, for callers of structure() with plain data.
PYTHON_ONLY: dict[str, Any] = {
    "date": date(2026, 1, 31),
    "datetime": datetime(2026, 1, 31, 8, 0),
    "date_min": date.min,
    "date_max": date.max,
    "bytes": b"1949",
    "set": {1, 2},
    "frozenset": frozenset({"a"}),
    "tuple": ("a", "b"),
    "decimal": Decimal("1.5"),
    "complex": 1j,
    "object": object(),
    "type": int,
    "object_with_tuple_key": {("a",): 1},
    "object_with_none_key": {None: 1},
    "deep_tuple_key": {_deep(10_000, lambda v: (v,), ()): 1},
}
JSON_HOSTILE = sorted(HOSTILE)
ALL_HOSTILE = sorted({**HOSTILE, **PYTHON_ONLY})
UNKNOWN_KEYS = ["unknown", "Id", "ID", "birthdate", "__class__", "", " id", "id\u200b", "$ref"]


def hostile(name: str) -> Any:
    """The hostile value called ``name``."""
    return HOSTILE[name] if name in HOSTILE else PYTHON_ONLY[name]


# --- near-valid documents from the JSON Schema ---


def _schema_strategy(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Documents valid for the subset of JSON Schema that :func:`json_schema` writes."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return st.deferred(lambda: _schema_strategy(defs[name], defs))
    if "anyOf" in schema:
        return st.one_of([_schema_strategy(s, defs) for s in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        props = schema["properties"]
        required = schema.get("required", [])
        return st.fixed_dictionaries(
            {k: _schema_strategy(props[k], defs) for k in required},
            optional={k: _schema_strategy(v, defs) for k, v in props.items() if k not in required},
        )
    if kind == "array":
        low = schema.get("minItems", 0)
        return st.lists(
            _schema_strategy(schema.get("items", {}), defs),
            min_size=low,
            max_size=schema.get("maxItems", low + 3),
            unique_by=(lambda v: json.dumps(v, sort_keys=True))
            if schema.get("uniqueItems")
            else None,
        )
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates().map(date.isoformat)
        pattern = schema.get("pattern")
        if pattern is not None and "[0-9]{17}" in pattern:
            # A random match of the shape almost never has the right check character.
            return model_strategies.resident_id_text() | st.from_regex(pattern, fullmatch=True)
        if pattern is not None:
            return st.from_regex(pattern, fullmatch=True)
        return st.text(min_size=schema.get("minLength", 0), max_size=12)
    return st.none()


def _jsonschema_works() -> bool:
    # hypothesis-jsonschema 0.23.1 calls ``many.more()``, which Hypothesis has since
    # removed; its object schemas then fail with AttributeError on the first draw.
    return hasattr(conjecture_utils.many, "more")


def schema_documents(model: type) -> st.SearchStrategy[Any]:
    """Documents that the model's JSON Schema accepts."""
    schema = json_schema(model)
    if _jsonschema_works():  # pragma: no cover - depends on the installed versions
        from hypothesis_jsonschema import from_schema

        return from_schema(schema)
    return _schema_strategy(schema, schema.get("$defs", {}))


def near_valid_documents(model: type) -> st.SearchStrategy[Any]:
    """A document of the model that is valid by its schema or by its strategy."""
    sources = [schema_documents(model)]
    if model in model_strategies.MODELS:
        sources.append(model_strategies.MODELS[model].map(unstructure))
    return st.one_of(sources)


# --- mutations of plain documents ---


def _places(doc: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document: the root, each value in an object or array."""
    yield path
    if isinstance(doc, dict) and len(path) < 8:
        for key, value in doc.items():
            if value is not BIG_TEXT and value is not DEEP_LIST and value is not DEEP_OBJECT:
                yield from _places(value, (*path, key))
    elif isinstance(doc, list) and len(doc) < 1000 and len(path) < 8:
        for i, value in enumerate(doc):
            yield from _places(value, (*path, i))


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``doc`` with the value at ``path`` replaced (containers on the path copied)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy: Any = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[head] = _replace(doc[head], rest, value)
    return copy


def _nulls_everywhere(doc: Any, depth: int = 0) -> Any:
    if isinstance(doc, dict) and depth < 8:
        return {k: _nulls_everywhere(v, depth + 1) for k, v in doc.items()}
    if isinstance(doc, list) and depth < 8:
        return [_nulls_everywhere(v, depth + 1) for v in doc]
    return None


class Sample:
    """A drawn input whose repr tells how it was made: the value may be too big or deep to print."""

    def __init__(self, value: Any, story: str) -> None:
        self.value = value
        self.story = story

    def __repr__(self) -> str:
        return f"<{self.story}>"


def _short_repr(doc: Any) -> str:
    try:
        return repr(doc)[:300]
    except (ValueError, RecursionError):
        return "a document with hostile values"


def _where(path: tuple[Any, ...]) -> str:
    return "$" + "".join(
        f"[{step}]" if isinstance(step, int) else f".{_short_repr(step)[:40]}" for step in path
    )


@st.composite
def mutated(
    draw: st.DrawFn, documents: st.SearchStrategy[Any], values: list[str], max_mutations: int = 3
) -> Sample:
    """A document from ``documents`` with up to ``max_mutations`` hostile changes."""
    doc = draw(documents)
    story = [_short_repr(doc) if doc is not SMALL else "the small snapshot"]
    for _ in range(draw(st.integers(0, max_mutations))):
        places = list(_places(doc))
        path = draw(st.sampled_from(places))
        target = _get(doc, path)
        move = draw(
            st.sampled_from(
                [
                    *("replace", "replace", "replace", "delete", "unknown_key", "wrap"),
                    *("duplicate", "nulls", "stringify"),
                ]
            )
        )
        story.append(f"{move} {_where(path)}")
        if move == "replace":
            name = draw(st.sampled_from(values))
            story[-1] += f" with {name}"
            doc = _replace(doc, path, hostile(name))
        elif move == "delete" and path:
            parent = _get(doc, path[:-1])
            copy: Any = dict(parent) if isinstance(parent, dict) else list(parent)
            del copy[path[-1]]
            doc = _replace(doc, path[:-1], copy)
        elif move == "unknown_key" and isinstance(target, dict):
            key = draw(st.sampled_from(UNKNOWN_KEYS))
            doc = _replace(doc, path, {**target, key: hostile(draw(st.sampled_from(values)))})
        elif move == "wrap":
            doc = _replace(doc, path, [target])
        elif move == "duplicate" and isinstance(target, list) and target:
            doc = _replace(doc, path, [*target, target[draw(st.integers(0, len(target) - 1))]])
        elif move == "nulls":
            doc = _replace(doc, path, _nulls_everywhere(target))
        elif move == "stringify" and not isinstance(target, dict | list):
            with contextlib.suppress(ValueError):  # an int past 4300 digits has no str
                doc = _replace(doc, path, str(target))
    return Sample(doc, "; ".join(story))


# --- JSON text with raw hostile tokens ---

PLACEHOLDER = "\x1f@hostile@\x1f"
RAW_TOKENS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "1" * 5000,
    "0x10",
    "01",
    "1.0",
    "-0",
    "１２３",
    "٣",
    "tru",
    "nul",
    "'single'",
    '"\\ud800"',
    '"\\u0000"',
    '"unterminated',
    DEEP_TEXT,
    "{" * 10_000,
    '{"a": 1, "a": 2}',
    "[1,]",
    "",
]


@st.composite
def json_texts(draw: st.DrawFn, model: type) -> Sample:
    """JSON text of a near-valid or mutated document, sometimes with raw forbidden tokens."""
    sample = draw(mutated(near_valid_documents(model), JSON_HOSTILE, max_mutations=2))
    doc, story = sample.value, sample.story
    raw = draw(st.none() | st.sampled_from(range(len(RAW_TOKENS))))
    path = draw(st.sampled_from(list(_places(doc))))
    if raw is not None:
        doc = _replace(doc, path, PLACEHOLDER)
        story += f"; raw token {RAW_TOKENS[raw][:20]!r} at {_where(path)}"
    duplicate = isinstance(doc, dict) and doc and draw(st.booleans())
    with contextlib.suppress(RecursionError, ValueError):
        text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
        if raw is not None:
            text = text.replace(json.dumps(PLACEHOLDER), RAW_TOKENS[raw], 1)
        if duplicate:
            key = draw(st.sampled_from(sorted(doc)))
            # The same key again, with another value: the object must be rejected.
            text = text[:-1] + f", {json.dumps(key)}: null}}"
            story += f"; key {key!r} repeated"
        return Sample(text, story)
    return Sample(DEEP_TEXT, "a document nested too deep to write: " + story)


BAD_BYTES = [
    b"\xff",
    b"\xfe\xff",
    b"\xc3\x28",
    b"\xed\xa0\x80",  # an encoded surrogate
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"\xc0\xaf",  # an overlong slash
    b"\x00",
    b"\xef\xbb\xbf",  # a byte order mark
]


@st.composite
def json_bytes(draw: st.DrawFn, model: type) -> Sample:
    """UTF-8 (or not) bytes of JSON text, sometimes with invalid bytes inserted."""
    sample = draw(json_texts(model))
    text = sample.value
    data = text.encode("utf-8", "surrogatepass")
    move = draw(st.sampled_from(["keep", "insert", "truncate", "utf16", "latin1"]))
    if move == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(BAD_BYTES)) + data[at:]
    elif move == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif move == "utf16":
        data = text.encode("utf-16", "surrogatepass")
    elif move == "latin1":
        data = text.encode("latin-1", "replace")
    return Sample(data, f"{sample.story}; bytes: {move}")


# --- structure ---


@pytest.mark.parametrize("name", MODEL_NAMES)
@FUZZ
@given(data=st.data())
def test_structure_takes_hostile_documents(name: str, data: st.DataObject) -> None:
    model = MODELS[name]
    doc = data.draw(mutated(near_valid_documents(model), ALL_HOSTILE), label="document")
    result = only_library_errors(structure, doc.value, model)
    assert isinstance(result, model | InvalidInputError)


@FUZZ
@given(name=st.sampled_from(MODEL_NAMES), value=st.sampled_from(ALL_HOSTILE))
def test_structure_takes_any_value_as_a_whole_document(name: str, value: str) -> None:
    model = MODELS[name]
    result = only_library_errors(structure, hostile(value), model)
    # ``{}`` is a whole valid document of a model whose every field has a default.
    assert isinstance(result, InvalidInputError) or (value == "empty_object" and result == model())
    result = only_library_errors(structure, [hostile(value)], tuple[model, ...])  # type: ignore[valid-type]  # a runtime type
    assert isinstance(result, InvalidInputError | tuple)


# --- from_json ---


@FUZZ
@given(name=st.sampled_from(MODEL_NAMES), data=st.data())
def test_from_json_takes_hostile_text(name: str, data: st.DataObject) -> None:
    model = MODELS[name]
    text = data.draw(json_texts(model), label="text")
    result = only_library_errors(from_json, text.value, model)
    assert isinstance(result, model | InvalidInputError)


@FUZZ
@given(name=st.sampled_from(MODEL_NAMES), data=st.data())
def test_from_json_takes_hostile_bytes(name: str, data: st.DataObject) -> None:
    model = MODELS[name]
    raw = data.draw(json_bytes(model), label="bytes")
    result = only_library_errors(from_json, raw.value, model)
    assert isinstance(result, model | InvalidInputError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"floor": 1, "floor": 2}', "duplicate key 'floor'"),
        ('{"floor": NaN}', "NaN is not valid JSON"),
        ('{"floor": -Infinity}', "-Infinity is not valid JSON"),
        (DEEP_TEXT, "expected JSON text"),
        ("{" * 10_000, "expected JSON text"),
        (b'{"floor": 1}\xff', "expected JSON text"),
        ('{"floor": ' + "1" * 5000 + "}", "expected JSON text"),
        ('{"floor": 1e400}', "expected an integer, got inf"),
        ('{"floor": "３"}', "expected an integer, got '３'"),
    ],
    ids=lambda v: v[:20] if isinstance(v, str) else None,
)
def test_from_json_rejects_what_json_forbids(text: str | bytes, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        from_json(text, MODELS["HomeSafety"])
    assert message in str(info.value)


def test_deep_nesting_in_a_document_is_an_input_error() -> None:
    doc = {"id": "e1", "birth_date": "1950-01-01", "living_arrangement": "alone"}
    for field in ("id", "home", "living_arrangement"):
        with pytest.raises(InvalidInputError) as info:
            structure({**doc, field: DEEP_LIST}, MODELS["ElderlyProfile"])
        assert [p.path for p in info.value.problems] == [f"$.{field}"]


def test_huge_numbers_are_reported_shortly() -> None:
    with pytest.raises(InvalidInputError) as info:
        structure({"id": 10**5000, "capacity": 10**5000}, MODELS["Offer"])
    assert len(str(info.value)) < 2000
    assert "$.id" in [p.path for p in info.value.problems]


# --- plan_community ---


def small_snapshot() -> dict[str, Any]:
    """The demo community cut down to 20 older residents, and the records that go with them."""
    doc = demo_community()
    elderly = doc["elderly"][:20]
    children = doc["children"][:6]
    kept = {p["id"] for p in [*elderly, *children]}
    return {
        **doc,
        "elderly": elderly,
        "children": children,
        "offers": doc["offers"][:15],
        "needs": doc["needs"][:5],
        "micro_wishes": [w for w in doc["micro_wishes"] if w["child_id"] in kept],
        "followups": [f for f in doc["followups"] if f["case_id"] in kept],
        "activities": doc["activities"][:15],
        "problems": doc["problems"][:8],
        "hazards": doc["hazards"][:6],
    }


SMALL = small_snapshot()
SMALL_SNAPSHOTS = st.builds(lambda: SMALL)  # st.just would print the whole snapshot in errors
RECORD_MODELS = {
    "elderly": "ElderlyProfile",
    "children": "ChildProfile",
    "offers": "Offer",
    "needs": "Need",
    "micro_wishes": "MicroWish",
    "followups": "FollowUp",
    "activities": "ServiceActivity",
    "problems": "Problem",
    "hazards": "Hazard",
}
PLAN_DATES = st.one_of(
    st.just(DEMO_DATE),
    st.dates(date(2020, 1, 1), date(2035, 12, 31)),
    st.sampled_from([date.min, date.max, date(1900, 1, 1), date(9999, 9, 1)]),
)


def _check_plan(result: object, doc: object) -> None:
    assert isinstance(result, CommunityPlan | CommunityCareError)
    if isinstance(result, CommunityPlan) and isinstance(doc, dict):
        # The records in are the records used plus the rejections.
        for key in RECORD_MODELS:
            records = doc.get(key, [])
            used = len(result.used.get(key, ()))
            rejected = sum(1 for r in result.rejections if r.path.startswith(f"$.{key}["))
            assert used + rejected == len(records), key


@FUZZ
@given(doc=mutated(SMALL_SNAPSHOTS, JSON_HOSTILE), on=PLAN_DATES)
def test_plan_community_takes_mutated_snapshots(doc: Sample, on: date) -> None:
    result = only_library_errors(plan_community, doc.value, on=on)
    _check_plan(result, doc.value)


@st.composite
def snapshots_with_generated_records(draw: st.DrawFn) -> Sample:
    """The small snapshot with a few records drawn from their schema added to its lists."""
    doc = dict(SMALL)
    story = ["the small snapshot"]
    for key in draw(st.lists(st.sampled_from(sorted(RECORD_MODELS)), min_size=1, max_size=3)):
        model = MODELS[RECORD_MODELS[key]]
        records = draw(st.lists(near_valid_documents(model), min_size=1, max_size=3))
        doc[key] = [*doc[key], *records]
        story.append(f"{key} += {records!r}")
    return Sample(doc, "; ".join(story))


@FUZZ
@given(doc=snapshots_with_generated_records(), on=PLAN_DATES)
def test_plan_community_takes_generated_records(doc: Sample, on: date) -> None:
    result = only_library_errors(plan_community, doc.value, on=on)
    _check_plan(result, doc.value)


@st.composite
def old_and_messy(draw: st.DrawFn) -> Sample:
    """A messy registry (repeated records, ids that collide across lists, references to
    what it lacks) whose follow-up cases were opened decades ago, some of them."""
    doc = draw(messy_snapshots())
    story = ["a messy registry"]
    for case in doc["followups"]:
        if draw(st.booleans()):
            years = draw(st.integers(1, 80))
            text = json.dumps(case)
            for year in range(2020, 2032):
                text = text.replace(f'"{year}-', f'"{year - years}-')
            case.clear()
            case.update(json.loads(text))
            story.append(f"{case.get('case_id')!r} {years} years older")
    return Sample(doc, "; ".join(story))


FAR_DATES = st.one_of(
    PLAN_DATES, st.dates(date(2030, 1, 1), date(2032, 12, 31)), st.just(date(2099, 6, 1))
)


@FUZZ
@given(doc=old_and_messy(), on=FAR_DATES)
def test_plan_community_takes_old_and_messy_registries(doc: Sample, on: date) -> None:
    # Within the time limit whatever the dates: nothing unbounded; nothing lost either.
    result = only_library_errors(plan_community, doc.value, on=on)
    _check_plan(result, doc.value)
    if isinstance(result, CommunityPlan):
        horizon = on + timedelta(days=90)
        ahead = [v for v in result.visits if not v.due]
        assert all(on <= v.on <= horizon + timedelta(days=31) for v in ahead)
        assert len({(v.case_id, v.on) for v in result.visits if v.due}) == len(
            {v.case_id for v in result.visits if v.due}
        )  # a past due visit appears once


# --- the command line ---

_TMP = tempfile.TemporaryDirectory(prefix="community-care-fuzz-")


def run_cli(argv: list[str]) -> tuple[int, bytes]:
    """Run the CLI with strict UTF-8 standard streams; returns the exit code and the output."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
        out.flush()
    buffer = out.buffer
    assert isinstance(buffer, io.BytesIO)
    return code, buffer.getvalue()


def cli_answer(argv: list[str]) -> tuple[int, bytes]:
    """Run the CLI under the time limit: an exit code must come out, never an exception."""
    try:
        with time_limit(TIME_LIMIT):
            return run_cli(argv)
    except Exception as exc:
        raise AssertionError(
            f"community-care {argv[0]} raised {type(exc).__name__}: {exc!s:.300}"
        ) from exc


def _write(data: bytes) -> str:
    path = Path(_TMP.name) / "input.json"
    path.write_bytes(data)
    return str(path)


@st.composite
def snapshot_files(draw: st.DrawFn) -> Sample:
    """Bytes of a snapshot file: a mutated small snapshot, as text, sometimes broken."""
    sample = draw(mutated(SMALL_SNAPSHOTS, JSON_HOSTILE))
    with contextlib.suppress(RecursionError, ValueError):
        data = json.dumps(sample.value, ensure_ascii=False).encode("utf-8", "surrogatepass")
        if draw(st.integers(0, 4)) == 0:
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(
                st.sampled_from([*BAD_BYTES, *(t.encode() for t in RAW_TOKENS)])
            )
            return Sample(data, f"{sample.story}; cut at byte {at} and a bad tail added")
        return Sample(data, sample.story)
    return Sample(DEEP_TEXT.encode(), "a document nested too deep to write")


@FUZZ
@given(
    data=snapshot_files(),
    on=st.sampled_from(["2026-11-30", "2020-01-01", "2031-06-30"]),
    options=st.sampled_from([[], ["--json"], ["--lang", "en"]]),
)
def test_cli_plan_exits_0_or_1(data: Sample, on: str, options: list[str]) -> None:
    code, _ = cli_answer(["plan", _write(data.value), "--on", on, *options])
    assert code in (0, 1)


@FUZZ
@given(name=st.sampled_from(MODEL_NAMES), data=st.data())
def test_cli_validate_exits_0_or_1(name: str, data: st.DataObject) -> None:
    if name not in CLI_MODELS:
        name = "CommunitySnapshot"
    raw = data.draw(json_bytes(CLI_MODELS[name]), label="bytes")
    code, out = cli_answer(["validate", _write(raw.value), "--as", name])
    assert code in (0, 1)
    if code == 1:
        assert re.match(rb"\$", out) or not out


# --- policies from outside ---


def _parameter_names() -> list[str]:
    """Every dotted parameter name of the default policy, leaves and groups."""
    names: list[str] = []

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                name = f"{prefix}.{key}" if prefix else key
                names.append(name)
                walk(value, name)

    walk(_plain_values(), "")
    return names


def _plain_values() -> Any:
    """The default policy's values as plain data (objects and arrays)."""
    return json.loads(to_json(default_policy().at(DEMO_DATE)))


PARAMETERS = _parameter_names()


@st.composite
def policy_documents(draw: st.DrawFn) -> Sample:
    """A policy document whose amendments change real parameters to near-valid or hostile values."""
    plain = _plain_values()
    amendments = []
    for day in draw(st.lists(st.dates(date(2020, 1, 1), date(2030, 12, 31)), max_size=3)):
        changes = {}
        for name in draw(st.lists(st.sampled_from(PARAMETERS), min_size=1, max_size=3)):
            current = _get(plain, tuple(name.split(".")))
            changes[name] = (
                current if draw(st.booleans()) else hostile(draw(st.sampled_from(JSON_HOSTILE)))
            )
        amendments.append({"effective_from": day.isoformat(), "changes": changes})
    doc = {"version": "fuzz", "amendments": amendments}
    return draw(mutated(st.just(doc), JSON_HOSTILE, max_mutations=2))


@FUZZ
@given(doc=policy_documents())
def test_policy_from_document_takes_hostile_documents(doc: Sample) -> None:
    result = only_library_errors(Policy.from_document, doc.value)
    assert isinstance(result, Policy | InvalidInputError)
    if isinstance(result, Policy):
        assert Policy.from_document(result.to_document()) == result
