"""Legal duties and human judgement (spec v2 §3, §4, §6, §7).

The mandatory report of a concern of harm to a child, vetting of individuals who meet
children one to one, same-day rectification of blocked fire escapes, and caseworkers'
overrides of a case's level.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.strategies.children import child_profiles
from tests.strategies.elderly import elderly_profiles
from tests.strategies.linkage import ON, need_lists, offer_lists

from community_care import (
    ChildProfile,
    InvalidArgumentError,
    InvalidInputError,
    Need,
    Offer,
    Parent,
    assess_child,
    assess_elderly,
    explain,
    override,
    plan_community,
    plan_support,
)
from community_care.children import MANDATORY_REPORT, mandatory_reports
from community_care.html import render_html
from community_care.linkage import match, needs_from_plan, pair_caring_mothers
from community_care.overrides import Override
from community_care.policy import default_policy
from community_care.report import render_text
from community_care.samples import DEMO_DATE, demo_community

DAY = timedelta(days=1)


def kid(**kw: Any) -> ChildProfile:
    values: dict[str, Any] = {
        "id": "c1",
        "birth_date": date(2015, 3, 2),
        "guardian": "parents",
        "parents": [Parent(status="present"), Parent(status="present")],
    }
    values.update(kw)
    return ChildProfile(**values)


# --- the mandatory report (§3) ------------------------------------------------------------


@given(st.lists(child_profiles(date(2026, 3, 1)), max_size=6, unique_by=lambda c: c.id))
def test_outstanding_reports_are_exactly_the_unreported_concerns(
    profiles: list[ChildProfile],
) -> None:
    on = date(2026, 3, 1)
    plans = []
    for p in profiles:
        a = assess_child(p, on=on)
        if a.risk is not None:
            plans.append(plan_support(a, on=on))
    outstanding = {r.child_id: r for r in mandatory_reports(plans, on)}
    expected = {p.id for p in profiles if p.abuse_or_neglect_concern and p.reported_on is None}
    assert set(outstanding) == expected
    for p in profiles:
        if p.id in outstanding:
            due = p.concern_found_on or on
            assert outstanding[p.id].due_on == due
            assert outstanding[p.id].days_overdue == (on - due).days >= 0


@given(child_profiles(date(2026, 3, 1), abuse_or_neglect_concern=True))
def test_the_report_is_a_critical_safety_action_and_never_a_need(profile: ChildProfile) -> None:
    on = date(2026, 3, 1)
    plan = plan_support(assess_child(profile, on=on), on=on)
    (report,) = [a for a in plan.actions if a.code == MANDATORY_REPORT]
    assert report.dimension.value == "safety" and report.urgency.value == "critical"
    assert report.due_on == (profile.concern_found_on or on)
    assert report.done_on == profile.reported_on
    assert all(n.category != MANDATORY_REPORT for n in needs_from_plan(plan, grid="g1"))


def test_no_report_action_without_a_concern() -> None:
    on = date(2026, 3, 1)
    plan = plan_support(assess_child(kid(guardian="none"), on=on), on=on)
    assert MANDATORY_REPORT not in plan.codes
    assert mandatory_reports([plan], on) == ()


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"concern_found_on": date(2026, 2, 1)}, "$.concern_found_on"),
        ({"reported_on": date(2026, 2, 1)}, "$.reported_on"),
        (
            {
                "abuse_or_neglect_concern": True,
                "concern_found_on": date(2026, 2, 2),
                "reported_on": date(2026, 2, 1),
            },
            "$.reported_on",
        ),
    ],
)
def test_report_dates_that_cannot_be(fields: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        kid(**fields)
    assert info.value.problems[0].path == path


@pytest.mark.parametrize("name", ["concern_found_on", "reported_on"])
def test_report_dates_after_the_assessment_are_invalid(name: str) -> None:
    profile = kid(abuse_or_neglect_concern=True, **{name: date(2026, 3, 2)})
    with pytest.raises(InvalidInputError) as info:
        assess_child(profile, on=date(2026, 3, 1))
    assert info.value.problems[0].path == f"$.{name}"
    assess_child(profile, on=date(2026, 3, 2))  # the same day is fine


def test_a_report_made_stays_in_the_plan_marked_done() -> None:
    on = date(2026, 3, 5)
    profile = kid(
        abuse_or_neglect_concern=True,
        concern_found_on=date(2026, 3, 1),
        reported_on=date(2026, 3, 1),
    )
    plan = plan_support(assess_child(profile, on=on), on=on)
    (report,) = [a for a in plan.actions if a.code == MANDATORY_REPORT]
    assert (report.due_on, report.done_on) == (date(2026, 3, 1), date(2026, 3, 1))
    assert mandatory_reports([plan], on) == ()
    assert "made on 2026-03-01" in explain(plan, "en")
    assert "已于 2026-03-01 报告" in explain(plan, "zh")


def test_explain_names_the_outstanding_report() -> None:
    on = date(2026, 3, 3)
    a = assess_child(kid(abuse_or_neglect_concern=True, concern_found_on=date(2026, 3, 1)), on=on)
    assert "MANDATORY REPORT due 2026-03-01" in explain(a, "en")
    assert "110" in explain(a, "zh")
    assert "MANDATORY REPORT" in explain(plan_support(a, on=on), "en")
    assert "MANDATORY" not in explain(assess_child(kid(), on=on), "en")
    with pytest.raises(InvalidArgumentError):
        mandatory_reports([a], on)  # type: ignore[list-item]
    from community_care.children import explain_child

    with pytest.raises(InvalidArgumentError):
        explain_child("c1", "en")  # type: ignore[arg-type]
    plan = plan_support(a, on=on)
    assert (explain_child(a), explain_child(plan)) == (
        explain_child(a, "zh"),
        explain_child(plan, "zh"),
    )


# --- vetting (§4) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vetted_on", "ok"),
    [
        (None, False),
        (ON - timedelta(days=366), False),
        (ON - timedelta(days=365), True),
        (ON, True),
        (ON + DAY, False),  # vetted after the day of the matching: not yet
    ],
)
@pytest.mark.parametrize("party", ["volunteer", "resident"])
def test_the_365_day_window(vetted_on: date | None, ok: bool, party: str) -> None:
    need = Need(id="n", category="tutoring", urgency="normal", grid="g1")
    offer = Offer(id="o", party=party, capabilities=["tutoring"], vetted_on=vetted_on)
    m = match([need], [offer], on=ON)
    assert (m.assignments.get("n") == "o") is ok
    if not ok:
        assert m.unmatched["n"].code == "not_vetted"
        assert m.unmatched["n"].message("zh") and m.unmatched["n"].message("en")


def test_organisations_and_other_categories_need_no_vetting() -> None:
    needs = [
        Need(id="a", category="counseling", urgency="normal", grid="g1"),
        Need(id="b", category="sewing", urgency="normal", grid="g1"),
    ]
    offers = [
        Offer(id="org", party="social_organization", capabilities=["counseling"]),
        Offer(id="v", party="volunteer", capabilities=["sewing"]),
    ]
    assert dict(match(needs, offers, on=ON).assignments) == {"a": "org", "b": "v"}


def test_the_categories_and_window_are_policy() -> None:
    policy = default_policy().amend(
        date(2020, 1, 1),
        {"linkage.child_contact_categories": ["sewing"], "linkage.vetting_valid_days": 10},
        version="local",
    )
    sewing = Need(id="s", category="sewing", urgency="low", grid="g1")
    tutoring = Need(id="t", category="tutoring", urgency="low", grid="g1")
    offer = Offer(
        id="v", party="volunteer", capabilities=["sewing", "tutoring"], capacity=2,
        vetted_on=ON - timedelta(days=11),
    )  # fmt: skip
    m = match([sewing, tutoring], [offer], on=ON, policy=policy)
    assert dict(m.assignments) == {"t": "v"} and m.unmatched["s"].code == "not_vetted"
    with pytest.raises(InvalidInputError):
        default_policy().amend(
            date(2020, 1, 1), {"linkage.child_contact_categories": [""]}, version="bad"
        )


def test_caring_mothers_are_vetted_too() -> None:
    kids = [Need(id=f"c{k}", category="caring_mother", urgency="normal", grid="g1") for k in (1, 2)]
    moms = [
        Offer(id="m1", party="resident", capabilities=["caring_mother"]),
        Offer(id="m2", party="volunteer", capabilities=["caring_mother"], vetted_on=ON),
    ]
    m = pair_caring_mothers(kids, moms, on=ON)
    assert dict(m.assignments) == {"c1": "m2"}
    assert m.unmatched["c2"].code == "capacity_taken"
    alone = pair_caring_mothers(kids[:1], moms[:1], on=ON)
    assert alone.unmatched["c1"].code == "not_vetted"


CHILD_CONTACT = default_policy().at(ON).linkage.child_contact_categories


def unvetted(offer: Offer) -> bool:
    v = offer.vetted_on
    return v is None or v > ON or (ON - v).days > 365


@given(need_lists(max_size=5), offer_lists(max_size=4))
@settings(max_examples=60)
def test_no_child_contact_need_goes_to_an_unvetted_individual(
    needs: list[Need], offers: list[Offer]
) -> None:
    by_id = {o.id: o for o in offers}
    kinds = ("volunteer", "resident")
    for m in (match(needs, offers, on=ON), pair_caring_mothers(needs, offers, on=ON)):
        for pair in m.pairs:
            offer = by_id[pair.offer_id]
            if pair.category in CHILD_CONTACT and offer.party.value in kinds:
                assert not unvetted(offer)


@given(need_lists(max_size=5), offer_lists(min_size=1, max_size=4), st.data())
@settings(max_examples=60)
def test_vetting_someone_never_lowers_what_the_matching_achieves(
    needs: list[Need], offers: list[Offer], data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, len(offers) - 1))
    days = data.draw(st.integers(0, 365))
    better = list(offers)
    better[k] = attrs.evolve(offers[k], vetted_on=ON - timedelta(days=days))
    before = match(needs, offers, on=ON).objective[:4]
    after = match(needs, better, on=ON).objective[:4]
    assert after >= before


# --- overrides (§7) -----------------------------------------------------------------------


@given(
    elderly_profiles(date(2026, 3, 1)),
    st.sampled_from(["red", "yellow", "green"]),
)
def test_an_override_changes_the_level_and_nothing_of_the_facts(profile: Any, level: str) -> None:
    on = date(2026, 3, 1)
    assume(relativedelta(on, profile.birth_date).years >= 60)
    a = assess_elderly(profile, on=on)
    b = override(a, level=level, by="Wang", reason="seen at home", on=on)
    assert b.effective_tier.value == level
    assert (b.tier, b.score, b.interventions) == (a.tier, a.score, a.interventions)
    assert b.reasons[:-1] == a.reasons and b.reasons[-1].code == "manual_override"
    assert b.override is not None and b.override.by == "Wang"


@given(child_profiles(date(2026, 3, 1)), st.sampled_from(["high", "medium", "low"]))
def test_a_child_override_keeps_the_plan(profile: ChildProfile, level: str) -> None:
    on = date(2026, 3, 1)
    a = assess_child(profile, on=on)
    b = override(a, level=level, by="Li", reason="teacher's report", on=on)
    assert b.effective_risk is not None and b.effective_risk.value == level
    assert (b.risk, b.categories, b.reasons[:-1]) == (a.risk, a.categories, a.reasons)
    if a.risk is not None:
        assert plan_support(b, on=on) == plan_support(a, on=on)


def test_override_arguments_are_checked() -> None:
    on = date(2026, 3, 1)
    a = assess_child(kid(guardian="none"), on=on)
    with pytest.raises(InvalidInputError) as info:
        override(a, level="red", by="Li", reason="private words", on=on)
    assert info.value.problems[0].path == "$.level"
    with pytest.raises(InvalidInputError) as info:
        override(a, level="low", by="Li", reason="  ", on=on)
    assert info.value.problems[0].path == "$.reason"
    with pytest.raises(InvalidInputError) as info:
        override(a, level="low", by="Li", reason="private words", on=on + DAY)
    assert info.value.problems[0].path == "$.on"
    # The override's own repr never shows its free text (the reason's message does:
    # that is the case file's record of why).
    done = override(a, level="low", by="Li", reason="private words", on=on)
    assert "private words" not in repr(done.override)
    with pytest.raises(InvalidArgumentError):
        override("c1", level="low", by="Li", reason="x", on=on)  # type: ignore[call-overload]
    twice = override(override(a, level="low", by="Li", reason="x", on=on),
                     level="medium", by="Li", reason="y", on=on)  # fmt: skip
    assert [r.code for r in twice.reasons].count("manual_override") == 1


def plan_with(overrides: list[dict[str, Any]], **extra: Any) -> Any:
    doc = demo_community()
    doc["overrides"] = overrides
    doc.update(extra)
    return plan_community(doc, on=DEMO_DATE)


def ov(case_id: str, level: str, on: date, kind: str = "elderly", **kw: Any) -> dict[str, Any]:
    return {"case_id": case_id, "kind": kind, "level": level, "by": "社工李",
            "reason": "入户所见", "on": on.isoformat(), **kw}  # fmt: skip


def elderly_of(plan: Any, case_id: str) -> Any:
    return next(a for a in plan.elderly if a.resident_id == case_id)


def test_latest_override_wins_and_same_day_the_later_one() -> None:
    plan = plan_with([
        ov("e001", "green", DEMO_DATE),
        ov("e001", "red", DEMO_DATE - DAY),
        ov("e001", "yellow", DEMO_DATE),
    ])  # fmt: skip
    a = elderly_of(plan, "e001")
    assert a.effective_tier.value == "yellow"
    assert next(f for f in plan.followups if f.case_id == "e001").level.value == "yellow"
    assert plan.rejections == ()
    assert plan.used["overrides"] == ("e001", "e001", "e001")


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (ov("nobody", "red", DEMO_DATE), "case_id"),
        (ov("c01", "red", DEMO_DATE), "case_id"),  # a child, not an older resident
        (ov("e001", "red", DEMO_DATE + DAY), "on"),
        (ov("c01", "red", DEMO_DATE, kind="child"), "level"),
        (ov("c01", "high", DEMO_DATE, kind="child", reason=""), "reason"),
    ],
)
def test_overrides_that_cannot_apply_are_rejected(item: dict[str, Any], field: str) -> None:
    plan = plan_with([ov("e001", "red", DEMO_DATE), item])
    (rejection,) = plan.rejections
    assert rejection.path == "$.overrides[1]"
    assert f"$.overrides[1].{field}" in rejection.message
    assert "入户所见" not in rejection.message
    assert elderly_of(plan, "e001").effective_tier.value == "red"


def test_done_when_the_report_is_due_today_the_hazard_overdue_and_the_level_overridden() -> None:
    doc = demo_community()
    building = doc["buildings"][0]
    doc["hazards"].append({"id": "hx", "kind": "blocked_fire_escape", "building": building["id"],
                           "grid": building["grid"],
                           "found_on": (DEMO_DATE - DAY).isoformat()})  # fmt: skip
    child = next(c for c in doc["children"] if c["id"] == "c08")
    assert child["abuse_or_neglect_concern"]
    doc["overrides"] = [
        ov("e001", "red", DEMO_DATE),
        ov("c19", "high", DEMO_DATE, kind="child"),  # not in difficulty: followed up all the same
        ov("c01", "medium", DEMO_DATE, kind="child"),
    ]
    plan = plan_community(doc, on=DEMO_DATE)
    assert [(r.child_id, r.due_on, r.days_overdue) for r in plan.mandatory_reports] == [
        ("c08", DEMO_DATE, 0)
    ]
    assert "hx" in [h.id for h in plan.hazards_overdue]
    assert elderly_of(plan, "e001").effective_tier.value == "red"
    levels = {f.case_id: f.level.value for f in plan.followups}
    assert levels["e001"] == "red" and levels["c19"] == "high"
    from community_care.community import load_snapshot

    snap = load_snapshot(doc).snapshot
    text = render_text(plan, snap, lang="en")
    assert text.split("\n")[3].startswith("!! Mandatory reports outstanding (1 children)")
    assert "110" in text and "c08" in text.split("\n")[4]
    assert "overridden; computed high risk" in text and "set by a caseworker: 3" in text
    html = render_html(plan, snap, lang="zh")
    assert html.index('id="mandatory"') < html.index('id="glance"')
    zh = render_text(plan, snap, lang="zh")
    assert "强制报告" in zh and "人工调整" in zh
    name = snap.children[7].name
    assert name is not None and name not in zh and name not in html


def test_no_mandatory_section_when_none_is_outstanding() -> None:
    doc = demo_community()
    for c in doc["children"]:
        if c.get("abuse_or_neglect_concern"):
            c["reported_on"] = DEMO_DATE.isoformat()
    plan = plan_community(doc, on=DEMO_DATE)
    assert plan.mandatory_reports == ()
    assert 'id="mandatory"' not in render_html(plan)
    assert "Mandatory" not in render_text(plan, lang="en")


def test_override_model_repr_hides_the_reason() -> None:
    o = Override(case_id="e1", kind="elderly", level="red", by="Wang", reason="secret",
                 on=date(2026, 3, 1))  # fmt: skip
    assert "secret" not in repr(o)
    with pytest.raises(InvalidInputError):
        Override(case_id="e1", kind="elderly", level="high", by="Wang", reason="x",
                 on=date(2026, 3, 1))  # fmt: skip
