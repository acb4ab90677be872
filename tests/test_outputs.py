"""What the rule packages produce, pinned: the SHA-256 of their outputs on fixed inputs.

Each section below computes, from fixed seeds, what a caller of one package reads: the
JSON of its results and the Chinese and English words of its explanations and reports,
or the type and message of the error an input meets. Its hash and count are compared
with ``tests/golden/outputs.json``. The property tests say what a result must satisfy;
this says that nothing else changed either: a reason that loses a word, a dimension
renamed, an explanation line dropped, a programme refused that was allowed.

A change of output made on purpose is written with::

    UPDATE_GOLDEN=1 python -m pytest tests/test_outputs.py

(without ``-n``); to see what changed, dump the outputs of both commits with
``python scripts/output_hashes.py --dump DIR`` and compare the folders.
"""

# The lambdas below are called at once, inside their loop, so they see the current values.
# ruff: noqa: B023

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.pinned import load, pinned

import community_care as cc
from community_care.children import explain_child, mandatory_reports
from community_care.linkage import pair_caring_mothers
from community_care.report import render_text
from community_care.samples import DEMO_DATE, demo_community

OUTPUTS = "outputs.json"
# About 12 s of CPU: run by CI and by the mutation runs, not by the README's quick command.
pytestmark = pytest.mark.slow
# The generators of the script that hashes outputs before and after a change.
_SCRIPT = Path(__file__).parents[1] / "scripts" / "output_hashes.py"
_spec = importlib.util.spec_from_file_location("output_hashes", _SCRIPT)
assert _spec is not None and _spec.loader is not None
output_hashes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(output_hashes)
# The JSON (or text) of a result, or "!" and the type and message of the error it raised.
_outcome = output_hashes._outcome
# The errors an output may be: the library's own, never a crash.
_OURS = tuple(
    f"!{name}: "
    for name, value in vars(cc.errors).items()
    if isinstance(value, type) and issubclass(value, cc.CommunityCareError)
)
LANGS = ("zh", "en")


@functools.cache
def _plan(seed: int = 0, on: date = DEMO_DATE) -> tuple[cc.CommunitySnapshot, cc.CommunityPlan]:
    snapshot = cc.load_snapshot(demo_community(seed)).snapshot
    return snapshot, cc.plan_community(snapshot, on=on)


def elderly() -> Iterator[str]:
    """Every older resident of the demo: the assessment, and its explanation in both
    languages; then hand-made cases of the ability rules' rarer grounds."""
    _, plan = _plan()
    for a in plan.elderly:
        yield cc.to_json(a)
        for lang in LANGS:
            yield cc.explain(a, lang=lang)
            yield from (i.message(lang) for i in a.interventions)
    full = cc.AbilityItems.full()
    names = [f.name for f in attrs.fields(cc.AbilityItems)]
    # Coma (level 4 at once), then the first k items scored 0: every band in turn.
    cases = [{"consciousness": 0}, *(dict.fromkeys(names[:k], 0) for k in (0, 3, 8, 14, 20))]
    for i, scores in enumerate(cases):
        items = cc.AbilityItems.full(**scores)
        for dementia, psychiatric, events in ((False, False, 0), (True, True, 3), (True, False, 2)):
            yield _outcome(
                lambda: cc.assess_ability(
                    items,
                    dementia=dementia,
                    psychiatric_disorder=psychiatric,
                    care_risk_events_30_days=events,
                    on=DEMO_DATE,
                )
            )
            profile = cc.ElderlyProfile(
                id=f"a{i}",
                birth_date=date(1938, 5, 1),
                living_arrangement="alone",
                grid="g1",
                ability_items=items,
                dementia=dementia,
                psychiatric_disorder=psychiatric,
                care_risk_events_30_days=events,
            )
            a = cc.assess_elderly(profile, on=DEMO_DATE)
            yield cc.to_json(a)
            for lang in LANGS:
                yield cc.explain(a, lang=lang)
    yield _outcome(lambda: cc.assess_ability(full, on=DEMO_DATE))
    yield _outcome(lambda: cc.assess_ability(cc.unstructure(full), on=DEMO_DATE))


def children() -> Iterator[str]:
    """The children of the demo community on two dates: assessments, plans, their
    explanations, the mandatory reports; and a reported and an unreported concern."""
    for seed in (0,):
        for on in (DEMO_DATE, date(2030, 9, 1)):
            _, plan = _plan(seed, on)
            plans = [case.plan for case in plan.children if case.plan is not None]
            for case in plan.children:
                for item in (case.assessment, case.plan):
                    if item is not None:
                        yield cc.to_json(item)
                        yield from (explain_child(item, lang) for lang in LANGS)
            yield _outcome(lambda: mandatory_reports(plans, on))
    for reported in (None, date(2026, 3, 4)):
        child = cc.ChildProfile(
            id="c9",
            birth_date=date(2015, 3, 2),
            guardian="parents",
            parents=[cc.Parent(status="present"), cc.Parent(status="present")],
            abuse_or_neglect_concern=True,
            concern_found_on=date(2026, 3, 1),
            reported_on=reported,
        )
        a = cc.assess_child(child, on=date(2026, 3, 9))
        p = cc.plan_support(a, on=date(2026, 3, 9))
        yield cc.to_json(p)
        for lang in LANGS:
            yield explain_child(a, lang)
            yield explain_child(p, lang)


def linkage() -> Iterator[str]:
    """The demo's needs and offers matched on two dates, shuffled; the caring mothers."""
    for seed in (0,):
        snapshot, plan = _plan(seed)
        rng = random.Random(seed)
        needs = list({n.id: n for n in (*snapshot.needs, *plan.needs)}.values())
        offers = list(snapshot.offers)
        rng.shuffle(needs)
        rng.shuffle(offers)
        for on in (DEMO_DATE, date(2027, 3, 1)):
            yield _outcome(lambda: cc.match(needs, offers, on=on))
        plans = [case.plan for case in plan.children if case.plan is not None]
        yield _outcome(lambda: pair_caring_mothers(plans, offers, on=DEMO_DATE))
        for p in plans:
            yield _outcome(lambda: cc.needs_from_plan(p))
        for a in plan.elderly[:60]:
            yield _outcome(lambda: cc.needs_from_assessment(a, on=DEMO_DATE))


def _rule(rng: random.Random) -> str:
    """An RRULE mixing BY parts freely: many are rare, some never occur."""
    parts = [f"FREQ={rng.choice(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'])}"]
    optional = {
        "INTERVAL": lambda: str(rng.choice([1, 2, 3, 4, 5, 7, 8, 12, 14, 21])),
        "BYMONTH": lambda: ",".join(str(rng.randint(1, 12)) for _ in range(rng.randint(1, 2))),
        "BYMONTHDAY": lambda: ",".join(
            str(rng.choice([1, 15, 28, 29, 30, 31, -1, -29, -30, -31]))
            for _ in range(rng.randint(1, 2))
        ),
        "BYDAY": lambda: ",".join(
            rng.choice(["", "1", "2", "-1", "5", "-5"])
            + rng.choice(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
            for _ in range(rng.randint(1, 2))
        ),
        "BYYEARDAY": lambda: str(rng.choice([1, 60, 365, 366, -1, -366])),
        "BYWEEKNO": lambda: str(rng.choice([1, 2, 52, 53, -1, -53])),
        "BYSETPOS": lambda: str(rng.choice([1, 2, -1, -2, 3, 8])),
    }
    for name, value in optional.items():
        if rng.random() < 0.4:
            parts.append(f"{name}={value()}")
    return ";".join(parts)


def followup() -> Iterator[str]:
    """Forecasts of random cadences on two calendars and random case histories (those of
    ``scripts/output_hashes.py``, fewer); programmes of random rules (their occurrences,
    their iCalendar, or why they are refused)."""
    yield from output_hashes.forecasts(150)
    yield from output_hashes.followups(120)
    rng = random.Random(7)
    programmes = []
    for i in range(300):
        rule = _rule(rng)
        start = date(2026, 1, 1) + timedelta(days=rng.randint(0, 400))
        try:
            programme = cc.Programme(id=f"p{i}", name="活动", rrule=rule, start=start)
        except cc.InvalidInputError as exc:
            yield f"{rule}: !{exc}"
            continue
        programmes.append(programme)
        yield _outcome(
            lambda: cc.occurrences(programme, start=start, end=start + timedelta(days=400))
        )
    yield cc.to_ical(programmes[:40])


def ledger() -> Iterator[str]:
    """The demo's ledger: KPIs of two periods and their comparison, overdue hazards, the
    records of visit findings; the text report of the plan in both languages."""
    for seed in (0, 1):
        snapshot, plan = _plan(seed)
        led = cc.Ledger(
            activities=snapshot.activities, problems=snapshot.problems, hazards=snapshot.hazards
        )
        due = cc.visits_due(plan.followups, start=date(2025, 6, 1), end=DEMO_DATE)
        reports = []
        for start, end in ((date(2025, 12, 1), DEMO_DATE), (date(2026, 6, 1), date(2026, 8, 31))):
            report = cc.kpis(
                snapshot.activities,
                snapshot.problems,
                snapshot.hazards,
                due,
                start=start,
                end=end,
                cases=plan.followups,
            )
            reports.append(report)
            yield cc.to_json(report)
            yield json.dumps(report.as_dict(with_ids=True), ensure_ascii=False, default=str)
            yield _outcome(lambda: led.kpis(start=start, end=end))
            yield _outcome(lambda: cc.hazards_overdue(snapshot.hazards, on=end))
        yield json.dumps(cc.compare(*reports).as_dict(), ensure_ascii=False, default=str)
        for case in plan.followups[:80]:
            if case.visits:
                yield _outcome(
                    lambda: cc.findings_to_records(
                        case,
                        case.visits[-1],
                        grid="g1",
                        building="b1",
                        open_problems=snapshot.problems,
                    )
                )
        for lang in LANGS:
            yield render_text(plan, snapshot, lang=lang)


_JUNK: tuple[object, ...] = (None, "", "x", -1, 7, 2.5, True, [], {}, "2026-01-01", "2030-06-30")


def _paths(doc: object, path: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    """Every place in a document: each member and item, nested ones too."""
    items = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    )
    for key, value in items:
        yield (*path, key)
        yield from _paths(value, (*path, key))


def _replaced(doc: Any, path: tuple[object, ...], value: object) -> Any:
    if not path:
        return value
    copy = list(doc) if isinstance(doc, list) else dict(doc)
    copy[path[0]] = _replaced(doc[path[0]], path[1:], value)  # type: ignore[index]
    return copy


def records() -> Iterator[str]:
    """Valid records of each kind read back with one place at a time made wrong: the
    record, or every problem found with its path (the ones of ``scripts/output_hashes.py``
    first, fewer)."""
    yield from output_hashes.errors(150)
    on = date(2026, 3, 9)
    problem = cc.Problem(id="p1", category="pump_repair", reported_on=date(2026, 3, 2),
                         source="hotline")  # fmt: skip
    visited = cc.record_visit(
        cc.open_followup("e1", "elderly", "red", on=date(2026, 3, 2)), date(2026, 3, 3), "w01",
        findings=[cc.Finding(block="health", category="chronic_care", note="n")],
    )  # fmt: skip
    wish = cc.MicroWish(id="w1", child_id="c1", item="书包", collected_on=date(2026, 3, 1),
                        grid="g1")  # fmt: skip
    valid: list[object] = [
        problem.accept(on).start_work(on).resolve(on, parties=["volunteer"]),
        cc.Hazard(id="h1", kind="gas", building="b1", grid="g1", found_on=date(2026, 3, 2))
        .rectify(date(2026, 3, 3))
        .reopen(on),
        wish.publish(date(2026, 3, 2), "g").adopt(date(2026, 3, 3), "unit-7"),
        visited,
        cc.ElderlyProfile(
            id="e1",
            birth_date=date(1940, 3, 1),
            living_arrangement="alone",
            ability_items=cc.AbilityItems.full(),
            grid="g1",
        ),
        cc.ChildProfile(
            id="c1",
            birth_date=date(2014, 5, 4),
            guardian="grandparents",
            parents=[cc.Parent(status="working_away")] * 2,
            grid="g1",
            abuse_or_neglect_concern=True,
            concern_found_on=date(2026, 3, 1),
            reported_on=date(2026, 3, 4),
        ),
        cc.kpis([], [problem], [], start=date(2026, 3, 1), end=date(2026, 3, 31)),
    ]
    for record in valid:
        doc = cc.unstructure(record)
        for path in _paths(doc):
            for value in _JUNK:
                wrong = _replaced(doc, path, value)
                yield f"{path} {value!r}: " + _outcome(lambda: cc.structure(wrong, type(record)))


def schemas() -> Iterator[str]:
    """The JSON Schema of every model the library reads (records read back included)."""
    for name in sorted(cc.__all__):
        model = getattr(cc, name)
        if isinstance(model, type) and attrs.has(model) and cc.serialization._is_input_model(model):
            yield json.dumps(cc.json_schema(model), sort_keys=True, ensure_ascii=False)


SECTIONS: dict[str, Callable[[], Iterator[str]]] = {
    "records": records,
    "schemas": schemas,
    "elderly": elderly,
    "children": children,
    "linkage": linkage,
    "followup": followup,
    "ledger": ledger,
}


def digest(section: str) -> dict[str, object]:
    h = hashlib.sha256()
    count = 0
    for text in SECTIONS[section]():
        assert not text.startswith("!") or text.startswith(_OURS), text[:200]
        data = text.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "big") + data)
        count += 1
    return {"count": count, "sha256": h.hexdigest()}


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_the_outputs_are_those_pinned(section: str) -> None:
    got = digest(section)
    assert got == pinned(OUTPUTS, section, got), (
        f"the outputs of {section} changed; if on purpose, run with UPDATE_GOLDEN=1"
    )


def test_the_golden_file_names_every_section() -> None:
    assert sorted(load(OUTPUTS)) == sorted(SECTIONS)
