"""Personal identifiers never leave the library unmasked, except in the JSON data (spec §1).

For random identities (resident ID numbers, mobile numbers, names, markup included) no
full identifier may appear in the repr or str of any result, in any exception message,
in any log record (logging is captured at DEBUG for the whole test), in the CLI's human
report or in the HTML report. The JSON form of the data keeps them whole.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests import strategies
from tests.strategies import names, phones, resident_id_text

from community_care import (
    ChildProfile,
    CommunityCareError,
    CommunitySnapshot,
    ElderlyProfile,
    MicroWish,
    Parent,
    PhoneNumber,
    ResidentId,
    assess_child,
    assess_elderly,
    assess_many,
    explain,
    match,
    needs_from_assessment,
    plan_community,
    plan_support,
    structure,
    to_json,
)
from community_care.cli import main
from community_care.community import load_snapshot
from community_care.followup import Visit
from community_care.overrides import Override
from community_care.report import render_text
from community_care.samples import DEMO_DATE, demo_community

try:
    from community_care.html import render_html
except ImportError:  # pragma: no cover - the HTML report is optional
    render_html = None

ON = DEMO_DATE

# The whole pipeline runs in each example: fewer examples than the profile's default.
PIPELINE = settings(
    settings(),
    max_examples=min(settings().max_examples, 40),
    suppress_health_check=[HealthCheck.too_slow],
)


# --- capturing every log record ---


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def all_logs() -> Iterator[list[logging.LogRecord]]:
    """Every log record of every logger while the block runs, at DEBUG and above."""
    handler = _Collect()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    # Loggers that do not propagate to the root are caught at their own level.
    own = [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in own:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        for logger in own:
            logger.removeHandler(handler)


def log_text(records: list[logging.LogRecord]) -> str:
    return "\n".join(
        f"{r.getMessage()} {r.args!r} {r.exc_text or ''} {getattr(r, '__dict__', {})!r}"
        for r in records
    )


# --- identities ---

# Names are made distinctive (at least two characters, from a strategy that also mixes in
# markup), so that finding one in a text means it leaked, not that it is a common word.
markup_names = st.one_of(
    names.filter(lambda n: len(n) >= 2),
    st.builds(lambda n: f"<b>{n}</b>", names),
    st.builds(lambda n: f"{n}<script>alert('{n}')</script>", names),
    st.builds(lambda n: f'{n}" onmouseover="x', names),
    st.builds(lambda n: f"{n} &amp; {n}", names),
)


def _distinct(name: str) -> str:
    # A tag nobody writes in a report: the name can only appear if it was copied.
    return f"{name}㐀䶵"


@st.composite
def identities(draw: st.DrawFn, born: date) -> dict[str, str]:
    """A name, a resident ID number for ``born`` and a mobile number."""
    return {
        "name": _distinct(draw(markup_names)),
        "resident_id": draw(resident_id_text(born)),
        "phone": draw(phones),
    }


def identifiers(identity: dict[str, str]) -> list[str]:
    return [v for v in identity.values() if v]


def assert_masked(text: str, found_in: str, people: list[dict[str, str]]) -> None:
    for identity in people:
        for value in identifiers(identity):
            assert value not in text, f"a full identifier appears in {found_in}"


# --- the snapshot ---


def small_snapshot() -> dict[str, Any]:
    """The demo community cut down to 12 older residents, 6 children and what goes with them."""
    return strategies.small_snapshot(12, 6, 10)


SMALL = small_snapshot()


@st.composite
def snapshots_with_identities(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The small snapshot with new identities on its people (and a broken record or two)."""
    doc = copy.deepcopy(SMALL)
    people: list[dict[str, str]] = []
    for key in ("elderly", "children"):
        for record in doc[key]:
            identity = draw(identities(date.fromisoformat(record["birth_date"])))
            record.update(identity)
            people.append(identity)
    for wish in doc["micro_wishes"]:
        child = next(c for c in doc["children"] if c["id"] == wish["child_id"])
        wish["child_name"] = child["name"]
    # Records that are rejected: a resident ID number of another birth date, a phone one
    # digit too long, a name of the wrong type, an ID number with a wrong check character.
    other = draw(identities(date(1944, 4, 4)))
    bad_id = other["resident_id"][:17] + ("0" if other["resident_id"][17] != "0" else "1")
    doc["elderly"] += [
        {**SMALL["elderly"][0], "id": "x1", "resident_id": other["resident_id"]},
        {**SMALL["elderly"][0], "id": "x2", "phone": other["phone"] + "1", "resident_id": None},
        {**SMALL["elderly"][0], "id": "x3", "name": [other["name"]], "resident_id": None},
        {**SMALL["elderly"][0], "id": "x4", "resident_id": bad_id, "phone": None},
    ]
    people.append({**other, "bad_id": bad_id, "long_phone": other["phone"] + "1"})
    # Free text and personal values in the wrong field: notes that name a person and hold
    # a phone, an ID number typed as a name, a phone typed as a number into a child's
    # name, a wish's item, a note or a grid. The valid ones are planned, the others
    # rejected; no output, message or log shows any of them.
    typed = draw(identities(date(1950, 5, 5)))
    marked = f"{typed['name']} {typed['phone']}"
    for case in doc["followups"]:
        for visit in case["visits"]:
            visit["note"] = marked
    doc["followups"][0]["visits"][0]["findings"] = [
        {"block": "safety", "category": "blocked_fire_escape", "note": marked}
    ]
    people[0]["name"] = doc["elderly"][0]["name"] = typed["resident_id"]
    digits = int(typed["phone"])
    doc["micro_wishes"] += [
        {**SMALL["micro_wishes"][0], "id": "x5", "child_name": digits},
        {**SMALL["micro_wishes"][0], "id": "x6", "item": digits},
    ]
    broken_case = copy.deepcopy(SMALL["followups"][1])
    broken_case["visits"][0]["note"] = [marked]
    doc["followups"].append(broken_case)
    doc["children"].append({**SMALL["children"][0], "id": "x7", "grid": digits})
    people.append({**typed, "marked": marked})
    return doc, people


def run_cli(argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        main(argv)
    return out.getvalue()


@PIPELINE
@given(case=snapshots_with_identities())
def test_no_identifier_leaks_from_the_pipeline(
    case: tuple[dict[str, Any], list[dict[str, str]]],
) -> None:
    doc, people = case
    with all_logs() as records:
        loaded = load_snapshot(doc)
        plan = plan_community(doc, on=ON)
        snapshot = loaded.snapshot
        texts = {
            "repr(plan)": repr(plan),
            "str(plan)": str(plan),
            "repr(snapshot)": repr(snapshot),
            "rejections": "\n".join(f"{r!r} {r.message}" for r in plan.rejections),
            "report zh": render_text(plan, snapshot, lang="zh"),
            "report en": render_text(plan, snapshot, lang="en"),
        }
        for assessment in plan.elderly:
            texts[f"explain {assessment.resident_id}"] = explain(assessment, "en")
        for wish in snapshot.micro_wishes:
            texts[f"repr(wish {wish.id})"] = repr(wish) + str(wish)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "snapshot.json"
            path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            texts["cli plan"] = run_cli(["plan", str(path), "--on", ON.isoformat()])
            texts["cli validate"] = run_cli(["validate", str(path)])
        if render_html is not None:
            texts["html"] = render_html(plan, snapshot, lang="zh")
    texts["logs"] = log_text(records)
    for where, text in texts.items():
        assert_masked(text, where, people)
    # The records were rejected, each for its identifier, and none of them says it.
    assert {r.id for r in plan.rejections} >= {"x1", "x2", "x3", "x4", "x5", "x6", "x7"}
    assert SMALL["followups"][1]["case_id"] in {r.id for r in plan.rejections}
    # The JSON form of the data keeps every identifier whole (the data is the caller's).
    data = json.loads(to_json(snapshot))
    kept = {(p.get("name"), p.get("resident_id"), p.get("phone")) for p in data["elderly"]}
    for identity in people[:12]:
        assert (identity["name"], identity["resident_id"], identity["phone"]) in kept
    assert json.loads(to_json(structure(data, CommunitySnapshot))) == data
    # The plan's JSON points to people by registry id; their identifiers stay in the
    # snapshot (a child's assessment used to carry the whole record).
    assert_masked(to_json(plan), "to_json(plan)", people)


def test_the_plan_json_carries_registry_ids_not_identifiers() -> None:
    # A child's assessment keeps the facts of the record (its plan needs them) without
    # the child's name, ID number and phone: the JSON and the repr of the plan carry the
    # registry id, and the snapshot the identifiers.
    plan = plan_community(SMALL, on=ON)
    text, shown = to_json(plan), repr(plan)
    assessed = {c.assessment.child_id for c in plan.children}
    children = [c for c in SMALL["children"] if c["id"] in assessed]
    assert children
    for child in children:
        assert json.dumps(child["id"]) in text
        for key in ("name", "resident_id"):
            assert child[key]
            assert child[key] not in text
            assert child[key] not in shown


@st.composite
def profiles_with_identities(
    draw: st.DrawFn,
) -> tuple[ElderlyProfile, ChildProfile, dict[str, dict[str, str]]]:
    elder_born = draw(st.dates(date(1920, 1, 1), date(1960, 12, 31)))
    child_born = draw(st.dates(date(2010, 1, 1), date(2025, 12, 31)))
    elder_identity = draw(identities(elder_born))
    child_identity = draw(identities(child_born))
    elder = ElderlyProfile(
        id="e1",
        birth_date=elder_born,
        living_arrangement=draw(st.sampled_from(["alone", "with_spouse_only", "with_family"])),
        ability_level=draw(st.integers(0, 4)),
        grid="g1",
        **elder_identity,
    )
    child = ChildProfile(
        id="c1",
        birth_date=child_born,
        parents=(
            Parent(status="deceased"),
            Parent(status=draw(st.sampled_from(["deceased", "imprisoned"]))),
        ),
        guardian="grandparents",
        grid="g1",
        **child_identity,
    )
    return elder, child, {"a": elder_identity, "b": child_identity}


@given(case=profiles_with_identities())
def test_no_identifier_leaks_from_results(
    case: tuple[ElderlyProfile, ChildProfile, dict[str, dict[str, str]]],
) -> None:
    elder, child, by_person = case
    people = list(by_person.values())
    with all_logs() as records:
        assessment = assess_elderly(elder, on=ON)
        child_assessment = assess_child(child, on=ON)
        plan = plan_support(child_assessment, on=ON)
        wish = MicroWish(
            id="w1", child_id="c1", item="书包", collected_on=ON, child_name=child.name
        ).publish(ON, "grid-1")
        needs = needs_from_assessment(assessment, on=ON, grid="g1")
        matching = match(needs, [], on=ON)
        texts = {
            "profiles": f"{elder!r} {elder} {child!r} {child}",
            "identifiers": " ".join(
                f"{v!r} {v}" for v in (elder.resident_id, elder.phone, child.resident_id)
            ),
            "assessment": f"{assessment!r} {assessment} {explain(assessment)}",
            "child": f"{child_assessment!r} {plan!r} {plan}",
            "wish": f"{wish!r} {wish} {wish.view_for('someone-else')}",
            "matching": f"{matching!r} {matching}",
        }
    texts["logs"] = log_text(records)
    for where, text in texts.items():
        assert_masked(text, where, people)
    # The data keeps them: the JSON form and ``.value``.
    assert elder.resident_id is not None and elder.phone is not None
    assert by_person["a"]["resident_id"] in to_json(elder)
    assert by_person["a"]["phone"] in to_json(elder)
    assert json.dumps(elder.name, ensure_ascii=False) in to_json(elder)
    assert elder.resident_id.value == by_person["a"]["resident_id"]


@st.composite
def bad_inputs(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    """An elderly record whose personal fields are invalid, and the values it holds."""
    born = draw(st.dates(date(1920, 1, 1), date(1960, 12, 31)))
    identity = draw(identities(born))
    rid, phone, name = identity["resident_id"], identity["phone"], identity["name"]
    other_id = draw(resident_id_text(draw(st.dates(date(1961, 1, 1), date(2000, 1, 1)))))
    field, value = draw(
        st.sampled_from(
            [
                ("resident_id", other_id),  # a valid number of another birth date
                ("resident_id", rid[:17] + ("1" if rid[17] == "0" else "0")),  # check char
                ("resident_id", rid + "0"),
                ("resident_id", rid[:-1]),
                ("resident_id", "１" + rid[1:]),  # a full-width digit
                ("resident_id", rid[:6] + "18991231" + rid[14:]),
                ("resident_id", "99" + rid[2:]),  # not a province
                ("phone", phone + "9"),
                ("phone", phone[:-1]),
                ("phone", "2" + phone[1:]),
                ("phone", phone.replace(phone[5], "５", 1)),
                ("name", [name]),
                ("name", {"name": name}),
                ("resident_id", [rid]),
                ("phone", {"phone": phone}),
                ("resident_id", int(rid[:17])),
                ("phone", int(phone)),
            ]
        )
    )
    doc = {
        "id": "e1",
        "birth_date": born.isoformat(),
        "living_arrangement": "alone",
        "name": name,
        "resident_id": rid,
        "phone": phone,
        field: value,
    }
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return doc, [rid, phone, name, other_id, shown.strip('[]{}"')]


@given(case=bad_inputs())
def test_no_identifier_leaks_from_error_messages(case: tuple[dict[str, Any], list[str]]) -> None:
    doc, secrets = case
    messages: list[str] = []
    with all_logs() as records:
        with pytest.raises(CommunityCareError) as info:
            structure(doc, ElderlyProfile)
        messages.append(f"{info.value} {info.value!r} {info.value.args!r}")
        (rejection,) = assess_many([doc], on=ON)
        messages.append(f"{rejection!r} {getattr(rejection, 'message', '')}")
        loaded = load_snapshot({**SMALL, "elderly": [doc]})
        messages.append(repr(loaded.rejections))
        kwargs = {k: v for k, v in doc.items() if k != "birth_date"}
        with pytest.raises(CommunityCareError) as direct:
            ElderlyProfile(birth_date=date.fromisoformat(doc["birth_date"]), **kwargs)
        messages.append(f"{direct.value} {direct.value!r}")
        for parse in (ResidentId.parse, PhoneNumber.parse):
            for secret in secrets:
                with contextlib.suppress(CommunityCareError):
                    parsed = parse(secret)
                    messages.append(f"{parsed!r} {parsed}")
                    continue
                with pytest.raises(CommunityCareError) as parsed_error:
                    parse(secret)
                messages.append(str(parsed_error.value))
    messages.append(log_text(records))
    text = "\n".join(messages)
    for secret in secrets:
        if len(secret) >= 6:  # a fragment shorter than that is not an identifier
            assert secret not in text, "an identifier appears in an error message"


def test_the_demo_report_shows_no_identifier() -> None:
    doc = demo_community()
    people = [
        {k: p[k] for k in ("name", "resident_id", "phone") if p.get(k)}
        for p in [*doc["elderly"], *doc["children"]]
    ]
    # Single-character names are common words; the demo's names are two or three.
    people = [{k: v for k, v in p.items() if len(v) >= 2} for p in people]
    with all_logs() as records:
        texts = {
            "demo zh": run_cli(["demo"]),
            "demo en": run_cli(["demo", "--lang", "en"]),
        }
        if render_html is not None:
            plan = plan_community(doc, on=DEMO_DATE)
            texts["html"] = render_html(plan, load_snapshot(doc).snapshot, lang="en")
    texts["logs"] = log_text(records)
    for where, text in texts.items():
        assert_masked(text, where, people)


@pytest.mark.skipif(
    render_html is None,
    reason="community_care.html.render_html is not there (yet): the HTML report is not checked",
)
def test_the_html_report_is_checked() -> None:
    # The two tests above check the HTML report whenever render_html exists.
    assert render_html is not None


# --- personal values in the wrong field: never echoed in a message ---

_CHILD = {
    "id": "c1",
    "birth_date": "2015-03-02",
    "guardian": "parents",
    "parents": [{"status": "present"}, {"status": "present"}],
}
_WISH = {"id": "w1", "child_id": "c1", "item": "书包", "collected_on": "2026-01-01"}
_VISIT = {"on": "2026-01-01", "by": "w01"}
_OVERRIDE = {
    "case_id": "e1",
    "kind": "elderly",
    "level": "red",
    "by": "caseworker 07",
    "reason": "lives alone",
    "on": "2026-01-01",
}
_EVENT = {"on": "2026-01-02", "from_status": "collected", "to_status": "published", "actor": "a"}

# (model, a valid document, the field a value is typed into): personal and free-text
# fields, and plain fields (an id, a grid, a date) into which an identifier was typed.
WRONG_PLACES: list[tuple[type, dict[str, Any], str]] = [
    (MicroWish, _WISH, "child_name"),
    (MicroWish, _WISH, "item"),
    (MicroWish, {**_WISH, "history": [_EVENT], "status": "published"}, "history.0.note"),
    (ChildProfile, _CHILD, "name"),
    (ChildProfile, _CHILD, "grid"),
    (ChildProfile, _CHILD, "id"),
    (ChildProfile, _CHILD, "birth_date"),
    (ElderlyProfile, SMALL["elderly"][0], "name"),
    (ElderlyProfile, SMALL["elderly"][0], "phone"),
    (ElderlyProfile, SMALL["elderly"][0], "resident_id"),
    (Visit, _VISIT, "note"),
    (Visit, {**_VISIT, "findings": [{"block": "safety", "category": "x"}]}, "findings.0.note"),
    (Override, _OVERRIDE, "reason"),
]


def _typed_into(doc: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    """``doc`` with ``value`` at the dotted ``path`` (list indexes as numbers)."""
    out = copy.deepcopy(doc)
    *steps, last = path.split(".")
    node: Any = out
    for step in steps:
        node = node[int(step)] if step.isdigit() else node[step]
    node[last] = value
    return out


@st.composite
def typed_values(draw: st.DrawFn) -> tuple[list[str], object]:
    """A phone, an ID number or a note, and how it was typed (text, number, list, object).

    Returns the texts that must not be shown (a note's name and phone as well as the
    note) and the value as typed.
    """
    phone = draw(phones)
    number = draw(resident_id_text(date(1980, 1, 1)))
    name = _distinct(draw(names.filter(lambda n: len(n) >= 2)))
    note = f"{name}说电话{phone}"
    secret, hidden = draw(
        st.sampled_from([(phone, [phone]), (number, [number]), (note, [note, name, phone])])
    )
    shapes: list[object] = [secret, [secret], {"text": secret}]
    if secret.isdigit():
        shapes.append(int(secret))
    return hidden, draw(st.sampled_from(shapes))


@given(place=st.sampled_from(WRONG_PLACES), typed=typed_values())
def test_a_value_in_the_wrong_field_is_never_echoed(
    place: tuple[type, dict[str, Any], str], typed: tuple[list[str], object]
) -> None:
    model, doc, path = place
    hidden, value = typed
    bad = _typed_into(doc, path, value)
    messages = []
    try:
        structure(bad, model)
    except CommunityCareError as err:
        messages.append(str(err))
    if "." not in path:
        # Built in Python, the same value meets the field's own check.
        good = structure(doc, model)
        try:
            attrs.evolve(good, **{path: value})
        except CommunityCareError as err:
            messages.append(str(err))
    for message in messages:
        for text in hidden:
            assert text not in message, message
