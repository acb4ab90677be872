"""Hypothesis strategies for the children's models: profiles, their documents, micro-wishes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st
from tests.strategies import grids, ids, resident_id_text, sample_names

from community_care.children import (
    ChildProfile,
    Guardian,
    MicroWish,
    Parent,
    ParentStatus,
    SchoolStatus,
)
from community_care.serialization import unstructure
from community_care.vocab import EconomicStatus

# A fixed reference day keeps examples reproducible; it is a leap year's neighbour so that
# 29 February birthdays come up.
REFERENCE_DAY = date(2026, 3, 1)

# Who adopts a wish and moves it along (never empty: adopting names someone).
wish_actors = st.sampled_from(["grid-1 party group", "unit-7", "unit-8", "committee"])

parents = st.builds(Parent, status=st.sampled_from(ParentStatus))


def birth_dates(on: date = REFERENCE_DAY, age_below: int = 18) -> st.SearchStrategy[date]:
    """Birth dates of someone under ``age_below`` years on ``on`` (never after it)."""
    earliest = on - relativedelta(years=age_below) + timedelta(days=1)
    return st.dates(min_value=earliest, max_value=on)


def child_profiles(
    on: date = REFERENCE_DAY,
    *,
    age_below: int = 18,
    child_names: st.SearchStrategy[str] = sample_names,
    **overrides: Any,
) -> st.SearchStrategy[ChildProfile]:
    """Valid child profiles for a child under ``age_below`` years on ``on``.

    ``overrides`` fix fields. Names come from ``child_names`` (real-looking ones by
    default: random letters would turn up by chance in the texts of an assessment). Half
    the profiles carry a resident ID number, which always agrees with the birth date.
    """
    fields: dict[str, st.SearchStrategy[Any]] = {
        "id": ids,
        "birth_date": birth_dates(on, age_below),
        "parents": st.tuples(parents, parents),
        "guardian": st.sampled_from(Guardian),
        "family_economic_status": st.sampled_from(EconomicStatus),
        "disability_grade": st.none() | st.integers(1, 4),
        "serious_illness": st.booleans(),
        "school_status": st.sampled_from(SchoolStatus),
        "abuse_or_neglect_concern": st.booleans(),
        "mental_health_flags": st.integers(0, 6),
        "months_since_parent_contact": st.none() | st.integers(0, 30),
        "name": st.none() | child_names,
        "grid": st.none() | grids,
    }
    fields.update({k: st.just(v) for k, v in overrides.items()})

    @st.composite
    def build(draw: st.DrawFn) -> ChildProfile:
        values = {k: draw(s) for k, s in fields.items()}
        if values["abuse_or_neglect_concern"] and not {"concern_found_on", "reported_on"} & set(
            overrides
        ):
            # When the concern was found and when it was reported (spec §3): either may be
            # missing, neither after ``on``, the report not before the finding.
            found = draw(st.none() | st.dates(on - timedelta(days=60), on))
            values["concern_found_on"] = found
            values["reported_on"] = draw(st.none() | st.dates(found or on - timedelta(days=60), on))
        if "resident_id" not in overrides and draw(st.booleans()):
            values["resident_id"] = draw(resident_id_text(values["birth_date"]))
        return ChildProfile(**values)

    return build()


def child_documents(on: date = REFERENCE_DAY) -> st.SearchStrategy[dict[str, Any]]:
    """The plain JSON form of valid child profiles."""
    return child_profiles(on).map(unstructure)


@st.composite
def invalid_child_documents(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A child document with one deliberate mistake, and the JSON path it must be reported at."""
    doc = draw(child_documents())
    mistake = draw(
        st.sampled_from(
            ["unknown_field", "one_parent", "bad_status", "bad_grade", "flags_text", "bad_date"]
        )
    )
    if mistake == "unknown_field":
        doc["guardain"] = "parents"
        return doc, "$.guardain"
    if mistake == "one_parent":
        doc["parents"] = doc["parents"][:1]
        return doc, "$.parents"
    if mistake == "bad_status":
        doc["parents"][1] = {"status": "away"}
        return doc, "$.parents[1].status"
    if mistake == "bad_grade":
        doc["disability_grade"] = draw(st.sampled_from([0, 5]))
        return doc, "$.disability_grade"
    if mistake == "flags_text":
        doc["mental_health_flags"] = "3"
        return doc, "$.mental_health_flags"
    doc["birth_date"] = "2020-02-30"
    return doc, "$.birth_date"


@st.composite
def micro_wishes(draw: st.DrawFn, max_moves: int = 6) -> MicroWish:
    """A micro-wish after a random walk of legal moves on non-decreasing dates."""
    wish = MicroWish(
        id=draw(ids),
        child_id=draw(ids),
        item=draw(st.sampled_from(["书包", "文具", "冬衣", "台灯"])),
        collected_on=draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))),
        grid=draw(st.none() | grids),
        child_name=draw(st.none() | sample_names),
    )
    for _ in range(draw(st.integers(0, max_moves))):
        if not wish.allowed_moves:
            break
        move = draw(st.sampled_from(wish.allowed_moves))
        on = wish.last_date + timedelta(days=draw(st.integers(0, 20)))
        wish = getattr(wish, move)(on, draw(wish_actors), draw(st.sampled_from(["", "ok"])))
    return wish
