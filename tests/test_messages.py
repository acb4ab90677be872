"""Every refusal a caller can meet, word for word: the catalogue of error messages.

``tests/test_misuse.py`` checks that each message has the one shape (function, argument,
what was expected, what came). This file pins the words themselves: each public function
and method of the rule packages is called with one argument at a time replaced by each of
a few wrong values, and what happens (the error's class and message, or that the value
was taken) is compared with ``tests/golden/messages.json``. A message that changes by
accident (a wrong function or argument named, an example that no longer matches, a value
shown unmasked, a check dropped) fails here.

A message changed on purpose is written to the catalogue with::

    UPDATE_GOLDEN=1 python -m pytest tests/test_messages.py

and the change of ``tests/golden/messages.json`` is then read in review, as the
CHANGELOG's list of reworded messages.
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from tests import test_misuse as misuse

import community_care as cc
from community_care import children, linkage
from community_care.errors import CommunityCareError

ON = misuse.ON
GOLDEN = Path(__file__).with_name("golden") / "messages.json"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# The wrong values each argument is given in turn: a datetime, text, a negative number,
# nothing, a list of text, a mapping and a float.
WRONG: tuple[object, ...] = (
    datetime(2026, 11, 30, 9, 0),
    "x",
    -1,
    None,
    ["x"],
    {"x": 1},
    2.5,
)

Call = tuple[Callable[..., Any], dict[str, Any]]


def _visited() -> cc.FollowUp:
    return cc.record_visit(
        misuse._followup(),
        date(2026, 3, 3),
        "w01",
        findings=[
            cc.Finding(block="health", category="chronic_care", note="n"),
            cc.Finding(block="safety", category="blocked_fire_escape"),
        ],
    )


def _report() -> cc.KpiReport:
    return cc.kpis([], [misuse._problem()], [], start=date(2026, 1, 1), end=ON)


def _support() -> cc.SupportPlan:
    return cc.plan_support(cc.assess_child(misuse._child(), on=ON), on=ON)


def _need() -> cc.Need:
    return cc.Need(id="n1", category="companionship", urgency="high", grid="g1")


def _offer() -> cc.Offer:
    return cc.Offer(id="o1", party="volunteer", capabilities=["companionship"])


# Valid calls of the callables test_misuse.VALID lacks, and fuller calls of some it has:
# every argument a caller may pass is given, so that each is walked.
MORE: dict[str, Callable[[], Call]] = {
    "AbilityItems.full": lambda: (cc.AbilityItems.full, {"eating": 4}),
    "KpiComparison.change": lambda: (
        cc.compare(_report(), _report()).change,
        {"name": "proactive_share"},
    ),
    "KpiReport.as_dict": lambda: (_report().as_dict, {"with_ids": True}),
    "MicroWish.view_for": lambda: (misuse._wish("adopted").view_for, {"adopter_id": "unit-7"}),
    "OfficialCalendar.with_provisional": lambda: (
        cc.official_calendar().with_provisional,
        {"until_year": 2030},
    ),
    "OfficialCalendar.with_closures": lambda: (
        cc.official_calendar().with_closures,
        {"dates": [date(2026, 12, 1)]},
    ),
    "WeekendCalendar.with_closures": lambda: (
        cc.WeekendCalendar().with_closures,
        {"dates": [date(2026, 12, 1)]},
    ),
    "PhoneNumber.parse": lambda: (cc.PhoneNumber.parse, {"text": "13800138000"}),
    "Policy.from_document": lambda: (
        cc.Policy.from_document,
        {"doc": cc.default_policy().to_document()},
    ),
    "compare": lambda: (cc.compare, {"report_a": _report(), "report_b": _report()}),
    "findings_to_records": lambda: (
        cc.findings_to_records,
        {
            "followup": _visited(),
            "visit": _visited().visits[-1],
            "grid": "g1",
            "building": "b1",
            "ids": ["i1", "i2"],
            "open_problems": [misuse._problem()],
            "open_hazards": [misuse._hazard()],
        },
    ),
    "from_json": lambda: (
        cc.from_json,
        {"text": '{"id": "o1", "party": "volunteer"}', "cls": cc.Offer},
    ),
    "json_schema": lambda: (cc.json_schema, {"cls": cc.Offer}),
    "load_snapshot": lambda: (cc.load_snapshot, {"data": cc.unstructure(misuse._snapshot())}),
    "mask_name": lambda: (cc.mask_name, {"name": "张三"}),
    "needs_from_plan": lambda: (cc.needs_from_plan, {"plan": _support(), "grid": "g1"}),
    "next_due": lambda: (cc.next_due, {"followup": misuse._followup()}),
    "structure": lambda: (
        cc.structure,
        {"data": {"id": "o1", "party": "volunteer"}, "cls": cc.Offer},
    ),
    "to_ical": lambda: (
        cc.to_ical,
        {"programmes": [misuse.PROGRAMME], "visits": [], "calendar_name": "k1"},
    ),
    "to_json": lambda: (cc.to_json, {"obj": _need(), "indent": 2}),
    "explain_child": lambda: (children.explain_child, {"item": _support(), "lang": "en"}),
    "mandatory_reports": lambda: (children.mandatory_reports, {"plans": [_support()], "on": ON}),
    "given_name": lambda: (children.given_name, {"name": "王小明"}),
    "match": lambda: (
        cc.match,
        {"needs": [_need()], "offers": [_offer()], "on": ON, "policy": None, "method": "auto"},
    ),
    "pair_caring_mothers": lambda: (
        linkage.pair_caring_mothers,
        {"plans_or_needs": [_support()], "offers": [], "on": ON, "method": "auto"},
    ),
    "record_visit": lambda: (
        cc.record_visit,
        {
            "followup": misuse._followup(),
            "on": ON,
            "by": "w1",
            "note": "",
            "mode": "phone",
            "met": True,
            "findings": [cc.Finding(block="needs", category="companionship")],
            "calendar": None,
            "policy": None,
        },
    ),
    "explain": lambda: (
        cc.explain,
        {"assessment": cc.assess_elderly(misuse._elderly(), on=ON), "lang": "zh"},
    ),
    "assess_ability": lambda: (
        cc.assess_ability,
        {
            "items": cc.AbilityItems.full(),
            "dementia": False,
            "psychiatric_disorder": False,
            "care_risk_events_30_days": 0,
            "policy": None,
            "on": ON,
        },
    ),
    "Ledger.merge": lambda: (cc.Ledger().merge, {"other": cc.Ledger()}),
}


def calls() -> dict[str, Callable[[], Call]]:
    return {**misuse.VALID, **MORE}


def _shown(value: object) -> str:
    return repr(value)


def _outcome(call: Callable[[], object]) -> str:
    try:
        result = call()
        if inspect.isgenerator(result) or isinstance(result, Iterator):
            list(result)
    except CommunityCareError as err:
        return f"{type(err).__name__}: {err}"
    return "accepted"


def catalogue(name: str) -> dict[str, str]:
    """What each wrong value of each argument of ``name`` meets."""
    make = calls()[name]
    _, valid = make()
    out = {f"{name}()": _outcome(lambda: make()[0](**make()[1]))}
    for arg in valid:
        for wrong in WRONG:

            def one(arg: str = arg, wrong: object = wrong) -> object:
                target, kwargs = make()
                return target(**{**kwargs, arg: wrong})

            out[f"{name}({arg}={_shown(wrong)})"] = _outcome(one)
    return out


NAMES = sorted(calls())


def _golden() -> dict[str, dict[str, str]]:
    if not GOLDEN.exists():
        return {}
    loaded: dict[str, dict[str, str]] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return loaded


def _write(name: str, entries: dict[str, str]) -> None:
    golden = _golden()
    golden[name] = entries
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(
        json.dumps(dict(sorted(golden.items())), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("name", NAMES)
def test_the_messages_are_those_of_the_catalogue(name: str) -> None:
    entries = catalogue(name)
    if UPDATE:
        _write(name, entries)
    assert entries == _golden().get(name), f"{name}: run with UPDATE_GOLDEN=1 after a rewording"


def test_the_catalogue_names_no_callable_that_is_gone() -> None:
    assert sorted(_golden()) == NAMES


# Callables of which no argument is checked as misuse: every wrong value is data
# (InvalidInputError with its path) or is taken.
ACCEPTING_ANYTHING = frozenset(
    {
        "AbilityItems.full",  # item scores: fields of the record it builds
        "KpiComparison.change",  # a KPI name, looked up like a key
        "PhoneNumber.parse",  # the text parsed
        "Policy.from_document",  # a document
        "load_snapshot",  # a document
    }
)


@pytest.mark.parametrize("name", NAMES)
def test_an_argument_error_names_the_function_and_the_argument_given(name: str) -> None:
    # Each refusal of a wrong argument names the callable that was called (or the
    # method that checks for it) and the argument that was wrong, or an item of it.
    named = 0
    for case, outcome in catalogue(name).items():
        if not outcome.startswith("InvalidArgumentError: "):
            continue
        shape = misuse.SHAPE.fullmatch(outcome.removeprefix("InvalidArgumentError: "))
        assert shape is not None, outcome
        arg = case.removeprefix(f"{name}(").partition("=")[0]
        assert shape["func"] == misuse.CHECKED_BY.get(name, name), case
        assert shape["arg"] == arg or shape["arg"].startswith(f"{arg}["), case
        named += 1
    assert named or name in ACCEPTING_ANYTHING, f"{name}: no wrong argument is refused"
