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
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from tests import test_misuse as misuse
from tests.pinned import load, pinned

import community_care as cc
from community_care import children, linkage
from community_care.errors import CommunityCareError

ON = misuse.ON
MESSAGES = "messages.json"

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
    "kpis": lambda: (
        cc.kpis,
        {
            "activities": [],
            "problems": [misuse._problem()],
            "hazards": [misuse._hazard()],
            "followups": [],
            "start": date(2026, 1, 1),
            "end": ON,
            "policy": None,
            "cases": [misuse._followup()],
        },
    ),
    "OfficialCalendar.with_year": lambda: (
        cc.official_calendar().with_year,
        {"arrangement": cc.YearArrangement(2027, holidays=(date(2027, 1, 1),), makeup_workdays=())},
    ),
}

# Public callables the walk leaves out, and why.
NOT_WALKED = {
    "Ledger.add": "records come as *records: test_misuse.test_a_ledger_takes_records_only",
    "Ledger.replace": "records come as *records: test_misuse.test_a_ledger_takes_records_only",
    "KpiComparison.as_dict": "no argument",
    "Policy.to_document": "no argument",
    "PseudonymisedExport.to_frames": "no argument",
    "default_policy": "no argument",
    "unstructure": "takes any value: what it cannot read, it gives back as it is",
}


def calls() -> dict[str, Callable[[], Call]]:
    return {**misuse.VALID, **MORE}


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

    def as_given() -> object:
        target, kwargs = make()
        return target(**kwargs)

    out = {f"{name}()": _outcome(as_given)}
    for arg in valid:
        for wrong in WRONG:

            def one(arg: str = arg, wrong: object = wrong) -> object:
                target, kwargs = make()
                return target(**{**kwargs, arg: wrong})

            out[f"{name}({arg}={wrong!r})"] = _outcome(one)
    return out


NAMES = sorted(calls())


@pytest.mark.parametrize("name", NAMES)
def test_the_messages_are_those_of_the_catalogue(name: str) -> None:
    entries = catalogue(name)
    assert entries == pinned(MESSAGES, name, entries), (
        f"{name}: run with UPDATE_GOLDEN=1 after a rewording"
    )


def test_the_catalogue_names_no_callable_that_is_gone() -> None:
    assert sorted(load(MESSAGES)) == NAMES


def test_every_public_callable_is_walked_or_said_why_not() -> None:
    public = {name for name, _ in misuse.public_callables()}
    for module in (children, linkage):
        public |= {n for n in module.__all__ if inspect.isfunction(getattr(module, n))}
    assert sorted(public - set(NAMES)) == sorted(NOT_WALKED)


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


# --- the moves of the lifecycles ------------------------------------------------------------

MOVES = "moves.json"


def _states(
    start: Any, moves: Callable[[Any], dict[str, Callable[[Any, date], Any]]]
) -> dict[str, Any]:
    """A record in each status it can reach, by the shortest path from ``start``."""
    found = {str(start.status.value): start}
    queue = [start]
    day = date(2026, 3, 2)
    while queue:
        record = queue.pop(0)
        for move in moves(record).values():
            day += timedelta(days=1)
            try:
                new = move(record, day)
            except CommunityCareError:
                continue
            if new.status.value not in found:
                found[new.status.value] = new
                queue.append(new)
    return found


def _problem_moves(record: Any) -> dict[str, Callable[[Any, date], Any]]:
    return {
        to.value: (
            lambda r, on, to=to: r.transition(
                to, on, parties=["volunteer"] if to is cc.ProblemStatus.RESOLVED else ()
            )
        )
        for to in cc.ProblemStatus
    }


def _hazard_moves(record: Any) -> dict[str, Callable[[Any, date], Any]]:
    return {to.value: (lambda r, on, to=to: r.transition(to, on)) for to in cc.HazardStatus}


def _wish_moves(record: Any) -> dict[str, Callable[[Any, date], Any]]:
    return {
        "publish": lambda w, on: w.publish(on, "g"),
        "adopt": lambda w, on: w.adopt(on, "unit-7"),
        "cancel_adoption": lambda w, on: w.cancel_adoption(on, "unit-7"),
        "fulfil": lambda w, on: w.fulfil(on, "unit-7"),
        "confirm": lambda w, on: w.confirm(on, "g"),
        "withdraw": lambda w, on: w.withdraw(on, "g"),
    }


LIFECYCLES: dict[
    str, tuple[Callable[[], Any], Callable[[Any], dict[str, Callable[[Any, date], Any]]]]
] = {
    "Problem": (misuse._problem, _problem_moves),
    "Hazard": (misuse._hazard, _hazard_moves),
    "MicroWish": (misuse._wish, _wish_moves),
}


def moves(kind: str) -> dict[str, str]:
    """Every move from every status: the status it leads to, or the refusal's words; and
    every move dated before the record's last event."""
    make, table = LIFECYCLES[kind]
    out: dict[str, str] = {}
    for status, record in _states(make(), table).items():
        for name, move in table(record).items():
            for when, on in (("later", date(2027, 1, 4)), ("earlier", date(2026, 1, 2))):
                key = f"{kind} {status} -> {name} ({when})"
                try:
                    out[key] = f"-> {move(record, on).status.value}"
                except CommunityCareError as err:
                    out[key] = f"{type(err).__name__}: {err}"
    return out


@pytest.mark.parametrize("kind", sorted(LIFECYCLES))
def test_every_move_of_every_lifecycle_is_as_pinned(kind: str) -> None:
    got = moves(kind)
    assert got == pinned(MOVES, kind, got), f"{kind}: run with UPDATE_GOLDEN=1 after a rewording"
