"""Hypothesis strategies for the children's models (to be merged into tests/strategies.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

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

NAMES = st.sampled_from(["王小明", "李华", "欧阳娜娜", "张", "Wang Xiaoming", "陈思思"])
IDS = st.text(alphabet="abc0123456789-", min_size=1, max_size=8)
ACTORS = st.sampled_from(["grid-1 party group", "unit-7", "unit-8", "committee"])


def parents() -> st.SearchStrategy[Parent]:
    """Any parent."""
    return st.builds(Parent, status=st.sampled_from(ParentStatus))


def birth_dates(on: date = REFERENCE_DAY) -> st.SearchStrategy[date]:
    """Birth dates of someone under 18 on ``on`` (never after it)."""
    earliest = on - relativedelta(years=18) + timedelta(days=1)
    return st.dates(min_value=earliest, max_value=on)


def child_profiles(on: date = REFERENCE_DAY, **overrides: Any) -> st.SearchStrategy[ChildProfile]:
    """Valid child profiles for a child under 18 on ``on``; ``overrides`` fix fields."""
    fields: dict[str, st.SearchStrategy[Any]] = {
        "id": IDS,
        "birth_date": birth_dates(on),
        "parents": st.lists(parents(), min_size=2, max_size=2),
        "guardian": st.sampled_from(Guardian),
        "family_economic_status": st.sampled_from(EconomicStatus),
        "disability_grade": st.none() | st.integers(1, 4),
        "serious_illness": st.booleans(),
        "school_status": st.sampled_from(SchoolStatus),
        "abuse_or_neglect_concern": st.booleans(),
        "mental_health_flags": st.integers(0, 6),
        "months_since_parent_contact": st.none() | st.integers(0, 30),
        "name": st.none() | NAMES,
        "grid": st.none() | st.sampled_from(["g1", "g2"]),
    }
    fields.update({k: st.just(v) for k, v in overrides.items()})
    return st.builds(ChildProfile, **fields)


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
        id=draw(IDS),
        child_id=draw(IDS),
        item=draw(st.sampled_from(["书包", "文具", "冬衣", "台灯"])),
        collected_on=draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))),
        grid=draw(st.none() | st.just("g1")),
        child_name=draw(st.none() | NAMES),
    )
    for _ in range(draw(st.integers(0, max_moves))):
        if not wish.allowed_moves:
            break
        move = draw(st.sampled_from(wish.allowed_moves))
        on = wish.last_date + timedelta(days=draw(st.integers(0, 20)))
        wish = getattr(wish, move)(on, draw(ACTORS), draw(st.sampled_from(["", "ok"])))
    return wish
