"""API misuse: every public function refuses a wrong argument with one error and one wording.

The walk below finds every public function and method reachable from
``community_care.__all__`` that takes a date, a policy, a calendar or a language, and
calls each with a ``datetime`` and a string where a date is due, and with a wrong-typed
policy, calendar or language. Each must raise :class:`InvalidArgumentError` (a
``TypeError`` and a ``CommunityCareError``) whose message names the function and the
argument, says what was expected with an example, and shows what came.
"""

from __future__ import annotations

import inspect
import pickle
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import community_care as cc
from community_care._kernel import checks, fields
from community_care.errors import CommunityCareError, InvalidArgumentError, InvalidInputError

ON = date(2026, 11, 30)
# The one message shape: ``function(argument=...): expected <what, with an example>, got <value>``.
SHAPE = re.compile(
    r"(?P<func>[A-Za-z_][\w.]*)\((?P<arg>[\w\[\]]+)=\.\.\.\):"
    r" expected (?P<what>.+), got (?P<got>.+)",
    re.S,
)

# --- a valid call of every public callable that takes such an argument -----------------


def _elderly() -> cc.ElderlyProfile:
    return cc.ElderlyProfile(
        id="e1", birth_date=date(1940, 3, 1), living_arrangement="alone", grid="g1"
    )


def _child() -> cc.ChildProfile:
    return cc.ChildProfile(
        id="c1",
        birth_date=date(2014, 5, 4),
        guardian="grandparents",
        parents=[cc.Parent(status="working_away"), cc.Parent(status="working_away")],
        grid="g1",
    )


def _problem() -> cc.Problem:
    return cc.Problem(
        id="p1", category="pump_repair", reported_on=date(2026, 3, 2), source="hotline"
    )


def _resolved() -> cc.Problem:
    return _problem().accept(ON).start_work(ON).resolve(ON, parties=["volunteer"])


def _hazard() -> cc.Hazard:
    return cc.Hazard(id="h1", kind="gas", building="b1", grid="g1", found_on=date(2026, 3, 2))


def _rectified() -> cc.Hazard:
    return _hazard().rectify(date(2026, 3, 3))


def _wish(status: str = "collected") -> cc.MicroWish:
    w = cc.MicroWish(id="w1", child_id="c1", item="书包", collected_on=date(2026, 3, 1), grid="g1")
    if status in ("published", "adopted", "fulfilled"):
        w = w.publish(date(2026, 3, 2), "g")
    if status in ("adopted", "fulfilled"):
        w = w.adopt(date(2026, 3, 3), "unit-7")
    if status == "fulfilled":
        w = w.fulfil(date(2026, 3, 4), "unit-7")
    return w


def _followup() -> cc.FollowUp:
    return cc.open_followup("e1", "elderly", "red", on=date(2026, 3, 2))


def _snapshot() -> cc.CommunitySnapshot:
    return cc.CommunitySnapshot(
        community=cc.Community(id="k1", name="Demo"), grids=["g1"], elderly=[_elderly()]
    )


def _plan() -> cc.CommunityPlan:
    return cc.plan_community(_snapshot(), on=ON)


WEEKLY = cc.Cadence(every=1, unit="week")
PROGRAMME = cc.Programme(id="p1", name="drill", rrule="FREQ=WEEKLY", start=date(2026, 3, 1))

# name -> (the bound callable, valid keyword arguments). The name is the one the
# message gives; a convenience method names the method that checks its arguments.
Call = tuple[Callable[..., Any], dict[str, Any]]
VALID: dict[str, Callable[[], Call]] = {
    "assess_child": lambda: (cc.assess_child, {"profile": _child(), "on": ON, "policy": None}),
    "assess_ability": lambda: (
        cc.assess_ability,
        {"items": cc.AbilityItems.full(), "policy": None, "on": ON},
    ),
    "assess_elderly": lambda: (
        cc.assess_elderly,
        {"profile": _elderly(), "on": ON, "policy": None},
    ),
    "assess_many": lambda: (cc.assess_many, {"profiles": [_elderly()], "on": ON, "policy": None}),
    "cadence_for": lambda: (
        cc.cadence_for,
        {"kind": "elderly", "level": "red", "on": ON, "policy": None},
    ),
    "override": lambda: (
        cc.override,
        {
            "assessment": cc.assess_elderly(_elderly(), on=ON),
            "level": "red",
            "by": "Li",
            "reason": "seen at home",
            "on": ON,
        },
    ),
    "explain": lambda: (
        cc.explain,
        {"assessment": cc.assess_elderly(_elderly(), on=ON), "lang": "en"},
    ),
    "forecast": lambda: (
        cc.forecast,
        {"cadence": WEEKLY, "anchor": ON, "until": date(2026, 12, 31), "calendar": None},
    ),
    "forecast_visits": lambda: (
        cc.forecast_visits,
        {"cadence": WEEKLY, "anchor": ON, "until": date(2026, 12, 31), "calendar": None},
    ),
    "hazards_overdue": lambda: (
        cc.hazards_overdue,
        {"hazards": [_hazard()], "on": ON, "policy": None},
    ),
    "kpis": lambda: (
        cc.kpis,
        {
            "activities": [],
            "problems": [_problem()],
            "hazards": [],
            "start": date(2026, 1, 1),
            "end": ON,
            "policy": None,
        },
    ),
    "match": lambda: (cc.match, {"needs": [], "offers": [], "on": ON, "policy": None}),
    "needs_from_assessment": lambda: (
        cc.needs_from_assessment,
        {"assessment": cc.assess_elderly(_elderly(), on=ON), "on": ON},
    ),
    "occurrences": lambda: (
        cc.occurrences,
        {"programme": PROGRAMME, "start": ON, "end": date(2026, 12, 31)},
    ),
    "open_followup": lambda: (
        cc.open_followup,
        {"case_id": "e1", "kind": "elderly", "level": "red", "on": ON, "policy": None},
    ),
    "overdue": lambda: (cc.overdue, {"followups": [_followup()], "on": ON, "policy": None}),
    "pair_caring_mothers": lambda: (
        cc.pair_caring_mothers,
        {"plans_or_needs": [], "offers": [], "on": ON, "policy": None},
    ),
    "plan_community": lambda: (
        cc.plan_community,
        {"snapshot": _snapshot(), "on": ON, "policy": None, "calendar": None},
    ),
    "plan_many": lambda: (
        cc.plan_many,
        {"snapshots": [_snapshot()], "on": ON, "policy": None, "calendar": None},
    ),
    "plan_support": lambda: (
        cc.plan_support,
        {"assessment": cc.assess_child(_child(), on=ON), "on": ON, "policy": None},
    ),
    "pseudonymise": lambda: (
        cc.pseudonymise,
        {"snapshot": _snapshot(), "plan": _plan(), "key": b"k" * 16, "policy": None},
    ),
    "record_visit": lambda: (
        cc.record_visit,
        {"followup": _followup(), "on": ON, "by": "w1", "calendar": None, "policy": None},
    ),
    "render_html": lambda: (cc.render_html, {"plan": _plan(), "lang": "en"}),
    "retier": lambda: (
        cc.retier,
        {"followup": _followup(), "new_level": "green", "on": ON, "policy": None},
    ),
    "status": lambda: (cc.status, {"followup": _followup(), "on": ON, "policy": None}),
    "visits_due": lambda: (
        cc.visits_due,
        {"followups": [_followup()], "start": date(2026, 1, 1), "end": ON},
    ),
    "Hazard.is_overdue": lambda: (_hazard().is_overdue, {"on": ON, "policy": None}),
    "Hazard.rectification_deadline": lambda: (_hazard().rectification_deadline, {"policy": None}),
    "Hazard.reinspection_on": lambda: (_rectified().reinspection_on, {"policy": None}),
    "Hazard.status_on": lambda: (_hazard().status_on, {"on": ON}),
    "Hazard.transition": lambda: (_hazard().transition, {"to": "rectified", "on": ON}),
    "Hazard.rectify": lambda: (_hazard().rectify, {"on": ON}),
    "Hazard.verify": lambda: (_rectified().verify, {"on": ON}),
    "Hazard.reopen": lambda: (_rectified().reopen, {"on": ON}),
    "Intervention.message": lambda: (
        cc.assess_elderly(_elderly(), on=ON).interventions[0].message,
        {"lang": "en"},
    ),
    "Ledger.kpis": lambda: (
        cc.Ledger().kpis,
        {"start": date(2026, 1, 1), "end": ON, "policy": None},
    ),
    "MicroWish.publish": lambda: (_wish().publish, {"on": ON, "actor": "g"}),
    "MicroWish.withdraw": lambda: (_wish().withdraw, {"on": ON, "actor": "g"}),
    "MicroWish.adopt": lambda: (_wish("published").adopt, {"on": ON, "adopter": "unit-7"}),
    "MicroWish.cancel_adoption": lambda: (
        _wish("adopted").cancel_adoption,
        {"on": ON, "actor": "unit-7"},
    ),
    "MicroWish.fulfil": lambda: (_wish("adopted").fulfil, {"on": ON, "actor": "unit-7"}),
    "MicroWish.confirm": lambda: (_wish("fulfilled").confirm, {"on": ON, "actor": "g"}),
    "OfficialCalendar.covers": lambda: (cc.official_calendar().covers, {"d": ON}),
    "OfficialCalendar.is_provisional": lambda: (cc.official_calendar().is_provisional, {"d": ON}),
    "OfficialCalendar.is_working_day": lambda: (cc.official_calendar().is_working_day, {"d": ON}),
    "Policy.at": lambda: (cc.default_policy().at, {"on": ON}),
    "Policy.amend": lambda: (
        cc.default_policy().amend,
        {"effective_from": ON, "changes": {"elderly.red_min": 6}, "version": "local-2"},
    ),
    "Problem.status_on": lambda: (_problem().status_on, {"on": ON}),
    "Problem.transition": lambda: (_problem().transition, {"to": "accepted", "on": ON}),
    "Problem.accept": lambda: (_problem().accept, {"on": ON}),
    "Problem.start_work": lambda: (_problem().accept(ON).start_work, {"on": ON}),
    "Problem.resolve": lambda: (
        _problem().accept(ON).start_work(ON).resolve,
        {"on": ON, "parties": ["volunteer"]},
    ),
    "Problem.verify": lambda: (
        _resolved().verify,
        {"on": ON},
    ),
    "Problem.reopen": lambda: (
        _resolved().reopen,
        {"on": ON},
    ),
    "Reason.message": lambda: (
        cc.Reason(code="x", dimension="y", zh="甲", en="a").message,
        {"lang": "en"},
    ),
    "ResidentId.parse": lambda: (
        cc.ResidentId.parse,
        {"text": cc.ResidentId.parse("11010519491231002X").value, "on": ON},
    ),
    "WeekendCalendar.covers": lambda: (cc.WeekendCalendar().covers, {"d": ON}),
    "WeekendCalendar.is_provisional": lambda: (cc.WeekendCalendar().is_provisional, {"d": ON}),
    "WeekendCalendar.is_working_day": lambda: (cc.WeekendCalendar().is_working_day, {"d": ON}),
}

# Convenience methods that hand their arguments to the method that checks them.
CHECKED_BY = {
    **{f"Problem.{m}": "Problem.transition" for m in ("accept", "start_work", "resolve")},
    **{f"Problem.{m}": "Problem.transition" for m in ("verify", "reopen")},
    **{f"Hazard.{m}": "Hazard.transition" for m in ("rectify", "verify", "reopen")},
}

# --- the walk ------------------------------------------------------------------------------


def _kind(annotation: object) -> str | None:
    """Which checked kind of argument an annotation (a string, postponed) declares."""
    text = str(annotation)
    if text in ("date", "date | None"):
        return "date"
    if text == "Policy | None":
        return "policy"
    if text == "WorkCalendar | None":
        return "calendar"
    if text == "Lang":
        return "lang"
    return None


def public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every public function and method reachable from ``community_care.__all__``."""
    for name in cc.__all__:
        obj = getattr(cc, name)
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj) and not issubclass(obj, BaseException):
            if getattr(obj, "_is_protocol", False):
                continue  # WorkCalendar: an interface; its implementations are walked
            for attr, member in vars(obj).items():
                # "xǁClassǁmethod__mutmut_1": the copies mutation testing adds to a class
                # (scripts/mutation.py), not part of the API.
                if attr.startswith("_") or "ǁ" in attr:
                    continue
                func = member.__func__ if isinstance(member, classmethod | staticmethod) else member
                if inspect.isfunction(func):
                    yield f"{name}.{attr}", func


def checked_arguments(func: Callable[..., Any]) -> dict[str, str]:
    return {
        p.name: kind
        for p in inspect.signature(func).parameters.values()
        if (kind := _kind(p.annotation)) is not None
    }


WALKED = {name: checked_arguments(f) for name, f in public_callables()}
TAKING = sorted(name for name, args in WALKED.items() if args)


def test_the_walk_finds_what_it_should() -> None:
    # A walk that found nothing would pass every test below vacuously.
    assert {"plan_community", "Ledger.kpis", "Reason.message", "Policy.at"} <= set(TAKING)
    assert WALKED["plan_community"] == {"on": "date", "policy": "policy", "calendar": "calendar"}
    assert "WorkCalendar.covers" not in WALKED


def test_every_public_callable_taking_such_an_argument_has_a_valid_call() -> None:
    missing = [name for name in TAKING if name not in VALID]
    assert not missing, f"add a valid call to VALID for: {missing}"
    assert not sorted(set(VALID) - set(TAKING)), "VALID names a callable the walk does not find"


def _bad_values(kind: str) -> list[object]:
    if kind == "date":
        return [datetime(2026, 11, 30, 9, 0), "2026-11-30", 20261130]
    if kind == "policy":
        return ["default", {"version": "x"}]
    if kind == "calendar":
        return ["official", 2026]
    return ["fr", None, "ZH"]


CASES = [
    pytest.param(name, arg, bad, id=f"{name}-{arg}-{type(bad).__name__}")
    for name in TAKING
    for arg, kind in WALKED[name].items()
    for bad in _bad_values(kind)
]


@pytest.mark.parametrize("name", TAKING)
def test_the_valid_call_is_valid(name: str) -> None:
    target, kwargs = VALID[name]()
    result = target(**kwargs)
    if inspect.isgenerator(result) or isinstance(result, Iterator):
        list(result)


@pytest.mark.parametrize(("name", "arg", "bad"), CASES)
def test_a_wrong_argument_is_refused_with_the_one_message_shape(
    name: str, arg: str, bad: object
) -> None:
    target, kwargs = VALID[name]()
    kwargs[arg] = bad
    with pytest.raises(InvalidArgumentError) as err:
        target(**kwargs)  # refused at the call, even by a function returning an iterator
    assert isinstance(err.value, TypeError)
    assert isinstance(err.value, CommunityCareError)
    assert not isinstance(err.value, InvalidInputError)
    shape = SHAPE.fullmatch(str(err.value))
    assert shape is not None, str(err.value)
    assert shape["func"] == CHECKED_BY.get(name, name)
    assert shape["arg"] == arg
    assert " like " in shape["what"] or " such as " in shape["what"] or "'zh'" in shape["what"]
    assert shape["got"] == checks.shown(bad)


# --- other misuse --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["add", "replace"])
@pytest.mark.parametrize("record", ["x", 3, None, {"id": "p1"}])
def test_a_ledger_takes_records_only(method: str, record: object) -> None:
    with pytest.raises(InvalidArgumentError) as err:
        getattr(cc.Ledger(), method)(_problem(), record)
    assert str(err.value) == (
        f"Ledger.{method}(records[1]=...): expected a ServiceActivity, Problem or Hazard"
        f" such as Problem(...), got {checks.shown(record)}"
    )


def test_a_ledger_merges_with_a_ledger_only() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^Ledger\.merge\(other=\.\.\.\): "):
        cc.Ledger().merge([_problem()])  # type: ignore[arg-type]  # the misuse under test


def test_compare_takes_reports() -> None:
    report = cc.kpis([], [], [], start=date(2026, 1, 1), end=ON)
    with pytest.raises(InvalidArgumentError, match=r"^compare\(report_b=\.\.\.\): "):
        cc.compare(report, "2026")  # type: ignore[arg-type]  # the misuse under test


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (lambda: cc.assess_elderly({"id": "e1"}, on=ON), "assess_elderly(profile=...)"),
        (lambda: cc.assess_child(_elderly(), on=ON), "assess_child(profile=...)"),
        (lambda: cc.plan_support(_child(), on=ON), "plan_support(assessment=...)"),
        (lambda: cc.explain(_elderly()), "explain(assessment=...)"),
        (
            lambda: cc.needs_from_assessment(_child(), on=ON),
            "needs_from_assessment(assessment=...)",
        ),
        (lambda: cc.render_html(_snapshot()), "render_html(plan=...)"),
        (
            lambda: cc.pseudonymise(_snapshot(), _snapshot(), key=b"k" * 16),
            "pseudonymise(plan=...)",
        ),
        (lambda: cc.pseudonymise(_snapshot(), _plan(), key=16), "pseudonymise(key=...)"),
        (lambda: cc.next_due("e1"), "next_due(followup=...)"),
        (lambda: cc.assess_many("e1", on=ON), "assess_many(profiles=...)"),
        (lambda: cc.plan_many(_snapshot(), on=ON), "plan_many(snapshots=...)"),
        (lambda: cc.hazards_overdue(_hazard(), ON), "hazards_overdue(hazards=...)"),
        (lambda: cc.match([], [], on=ON, method="fast"), "match(method=...)"),
        (
            lambda: cc.default_policy().amend(ON, [("a", 1)], version="v"),
            "Policy.amend(changes=...)",
        ),
        (
            lambda: cc.official_calendar().with_year(2027),
            "OfficialCalendar.with_year(arrangement=...)",
        ),
        (lambda: cc.plan_community(_snapshot(), on=date(1, 1, 1)), "plan_community(on=...)"),
    ],
)
def test_a_wrong_record_or_value_is_refused(call: Callable[[], object], where: str) -> None:
    with pytest.raises(InvalidArgumentError) as err:
        call()
    assert str(err.value).startswith(f"{where}: expected ")


def test_a_reason_speaks_two_languages_only() -> None:
    reason = cc.Reason(code="x", dimension="y", zh="甲", en="a")
    with pytest.raises(InvalidArgumentError) as err:
        reason.message("fr")  # type: ignore[arg-type]  # the misuse under test
    assert str(err.value) == "Reason.message(lang=...): expected 'zh' or 'en', got 'fr'"


# --- json_schema of a result ----------------------------------------------------------------

RESULTS = sorted(
    (
        getattr(cc, name)
        for name in cc.__all__
        if inspect.isclass(getattr(cc, name))
        and attrs.has(getattr(cc, name))
        and not cc.serialization._is_input_model(getattr(cc, name))
    ),
    key=lambda cls: cls.__name__,
)


def test_the_results_are_the_computed_models() -> None:
    names = {cls.__name__ for cls in RESULTS}
    assert {"ElderlyAssessment", "ChildAssessment", "CommunityPlan", "SupportPlan"} <= names
    assert not names & {"ElderlyProfile", "ChildProfile", "CommunitySnapshot", "Need", "Offer"}


@pytest.mark.parametrize("cls", RESULTS, ids=lambda cls: cls.__name__)
def test_json_schema_of_a_result_says_it_has_none(cls: type) -> None:
    with pytest.raises(InvalidArgumentError) as err:
        cc.json_schema(cls)
    message = str(err.value)
    assert message.startswith(
        "json_schema(cls=...): expected an input model such as ElderlyProfile"
    )
    assert "a computed result has no input schema" in message
    assert "ElderlyProfile, " in message and "CommunitySnapshot, " in message
    assert message.endswith(f"got the class {cls.__qualname__}")


@pytest.mark.parametrize("value", [int, dict, "ElderlyProfile", None, cc.ElderlyProfile.__init__])
def test_json_schema_of_something_else_is_refused(value: object) -> None:
    with pytest.raises(
        InvalidArgumentError, match=r"^json_schema\(cls=\.\.\.\): expected an input"
    ):
        cc.json_schema(value)  # type: ignore[arg-type]  # the misuse under test


def test_every_model_a_document_is_read_into_has_a_schema() -> None:
    from community_care.cli import MODELS

    for model in [*MODELS.values(), cc.Programme]:
        assert cc.json_schema(model)["title"] == model.__name__


# --- the error itself ----------------------------------------------------------------------


def test_the_error_pickles() -> None:
    err = InvalidArgumentError("f(on=...): expected a date like date(2026, 11, 30), got 1")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is InvalidArgumentError
    assert str(back) == str(err)
    assert back.args == err.args


@given(st.text(max_size=60))
def test_a_text_value_is_shown_masked_when_it_may_be_personal(text: str) -> None:
    message = str(checks.fail("f", "on", "a date like date(2026, 11, 30)", text))
    if re.search(r"\d{11}|[^\x00-\x7f]", text):
        assert message.endswith(f"got a str of {len(text)} characters (masked)")
    else:
        assert message.endswith("got " + fields.describe(text))


@pytest.mark.parametrize(
    "personal",
    ["11010519491231002X", "13800138000", "张三", "Tel 138 0013 8000 / 13800138000"],
)
def test_a_personal_value_never_appears(personal: str) -> None:
    for value in (personal, [personal], {"name": personal}, (personal,)):
        with pytest.raises(InvalidArgumentError) as err:
            cc.plan_community(_snapshot(), on=value)  # type: ignore[arg-type]  # misuse
        assert personal not in str(err.value)
    masked = cc.ResidentId.parse("11010519491231002X")
    with pytest.raises(InvalidArgumentError) as err:
        cc.plan_community(_snapshot(), on=masked)  # type: ignore[arg-type]  # misuse
    assert "11010519491231002X" not in str(err.value)


def test_a_date_range_is_named_when_the_function_has_one() -> None:
    with pytest.raises(InvalidArgumentError) as err:
        cc.plan_community(_snapshot(), on=date(9999, 1, 1))
    assert str(err.value) == (
        "plan_community(on=...): expected a date from 1900-01-01 to 9998-12-31 like"
        " date(2026, 11, 30), got datetime.date(9999, 1, 1)"
    )


def test_a_model_nesting_a_result_has_no_input_schema_either() -> None:
    from community_care._kernel.fields import model_field

    @attrs.frozen
    class Holder:
        assessment: cc.ElderlyAssessment = model_field(cc.ElderlyAssessment)

    with pytest.raises(InvalidArgumentError, match=r"got the class .*Holder$"):
        cc.json_schema(Holder)
