"""Hypothesis strategies for every model: valid ones, and deliberately invalid documents."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from tests import strategies_ledger as ledger_strategies

from community_care import (
    Cadence,
    ChildProfile,
    ElderlyProfile,
    Event,
    Hazard,
    HomeSafety,
    Need,
    Offer,
    Parent,
    Problem,
    ServiceActivity,
    unstructure,
)
from community_care.children import Guardian, ParentStatus, SchoolStatus
from community_care.elderly import LivingArrangement
from community_care.followup import CadenceUnit
from community_care.linkage import NeedSource
from community_care.vocab import EconomicStatus, PartyKind, Urgency

REGION_PREFIXES = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 81, 82, 83,
]  # fmt: skip

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def independent_check(first17: str) -> str:
    """The check character computed independently of the library (ISO 7064 MOD 11-2)."""
    remainder = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11
    return {0: "1", 1: "0", 2: "X"}.get(remainder, str(12 - remainder))


ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)
grids = st.sampled_from(["g1", "g2", "g3", "g4", "g5", "g6"])
dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2028, 12, 31))
names = st.text(
    alphabet=st.characters(codec="utf-8", categories=["Lo", "Lu", "Ll"]), min_size=1, max_size=4
)


@st.composite
def resident_id_text(draw: st.DrawFn, born: date | None = None) -> str:
    """A valid 18-character resident ID number (optionally for a given birth date)."""
    prefix = draw(st.sampled_from(REGION_PREFIXES))
    rest = draw(st.integers(0, 9999))
    if born is None:
        born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 29)))
    seq = draw(st.integers(0, 999))
    first17 = f"{prefix:02d}{rest:04d}{born:%Y%m%d}{seq:03d}"
    return first17 + independent_check(first17)


phones = st.builds(
    lambda second, rest: f"1{second}{rest:09d}", st.integers(3, 9), st.integers(0, 10**9 - 1)
)

home_safety = st.builds(
    HomeSafety,
    smoke_alarm=st.booleans(),
    safe_wiring=st.booleans(),
    grab_bars=st.booleans(),
    floor=st.integers(0, 30),
    elevator=st.booleans(),
)


@st.composite
def elderly_profiles(
    draw: st.DrawFn, on: date = date(2026, 11, 29), with_identity: bool = True
) -> ElderlyProfile:
    """A valid older resident aged 55-105 on ``on`` (some under 60 on purpose)."""
    age_days = draw(st.integers(55 * 365, 105 * 365))
    born = on - timedelta(days=age_days)
    identity: dict[str, Any] = {}
    if with_identity and draw(st.booleans()):
        identity = {
            "name": draw(names),
            "resident_id": draw(resident_id_text(born)),
            "phone": draw(phones),
        }
    return ElderlyProfile(
        id=draw(ids),
        birth_date=born,
        living_arrangement=draw(st.sampled_from(LivingArrangement)),
        left_behind=draw(st.booleans()),
        ability_level=draw(st.none() | st.integers(0, 4)),
        dementia=draw(st.booleans()),
        severe_disability=draw(st.booleans()),
        chronic_conditions=draw(st.integers(0, 6)),
        falls_last_12_months=draw(st.integers(0, 4)),
        special_family=draw(st.booleans()),
        economic_status=draw(st.sampled_from(EconomicStatus)),
        has_emergency_contact=draw(st.booleans()),
        home=draw(home_safety),
        grid=draw(st.none() | grids),
        **identity,
    )


parents = st.builds(Parent, status=st.sampled_from(ParentStatus))


@st.composite
def child_profiles(draw: st.DrawFn, on: date = date(2026, 11, 29)) -> ChildProfile:
    """A valid child aged 0-19 on ``on`` (some 18+ on purpose)."""
    born = on - timedelta(days=draw(st.integers(0, 19 * 365)))
    identity: dict[str, Any] = {}
    if draw(st.booleans()):
        identity = {"name": draw(names), "resident_id": draw(resident_id_text(born))}
    return ChildProfile(
        id=draw(ids),
        birth_date=born,
        parents=(draw(parents), draw(parents)),
        guardian=draw(st.sampled_from(Guardian)),
        family_economic_status=draw(st.sampled_from(EconomicStatus)),
        disability_grade=draw(st.none() | st.integers(1, 4)),
        serious_illness=draw(st.booleans()),
        school_status=draw(st.sampled_from(SchoolStatus)),
        abuse_or_neglect_concern=draw(st.booleans()),
        mental_health_flags=draw(st.integers(0, 5)),
        months_since_parent_contact=draw(st.none() | st.integers(0, 30)),
        grid=draw(st.none() | grids),
        **identity,
    )


categories = st.sampled_from(
    ["rewiring", "companionship", "tutoring", "micro_wish", "sewing", "caring_mother", "cleanup"]
)

needs = st.builds(
    Need,
    id=ids,
    category=categories,
    urgency=st.sampled_from(Urgency),
    grid=grids,
    needed_by=st.none() | dates,
    source=st.sampled_from(NeedSource),
    beneficiary=st.none() | ids,
)


@st.composite
def offers(draw: st.DrawFn) -> Offer:
    """A valid offer (available_from never after available_until)."""
    start = draw(st.none() | dates)
    end = draw(st.none() | dates)
    if start is not None and end is not None and start > end:
        start, end = end, start
    return Offer(
        id=draw(ids),
        party=draw(st.sampled_from(PartyKind)),
        name=draw(st.text(max_size=10)),
        capabilities=tuple(draw(st.lists(categories, max_size=3, unique=True))),
        capacity=draw(st.integers(0, 5)),
        grids=tuple(draw(st.lists(grids, max_size=3, unique=True))),
        home_grid=draw(st.none() | grids),
        available_from=start,
        available_until=end,
    )


cadences = st.builds(
    Cadence,
    every=st.integers(1, 12),
    unit=st.sampled_from(CadenceUnit),
    working_days_only=st.booleans(),
    max_shift_days=st.integers(0, 7),
)


@st.composite
def activities(draw: st.DrawFn) -> ServiceActivity:
    """A valid service activity (headcount at least the named participants)."""
    people = tuple(draw(st.lists(ids, max_size=5, unique=True)))
    return ServiceActivity(
        id=draw(ids),
        date=draw(dates),
        category=draw(categories),
        organizer=draw(st.sampled_from(PartyKind)),
        grid=draw(grids),
        participants=people,
        headcount=len(people) + draw(st.integers(0, 50)),
    )


# Lifecycle records only with histories their methods could produce: the ledger's own
# strategies (tests/strategies_ledger.py) build them move by move.
events = ledger_strategies.events
problems = ledger_strategies.problems()
hazards = ledger_strategies.hazards()

# Every model with a strategy for its valid values.
MODELS: dict[type, st.SearchStrategy[Any]] = {
    HomeSafety: home_safety,
    ElderlyProfile: elderly_profiles(),
    Parent: parents,
    ChildProfile: child_profiles(),
    Need: needs,
    Offer: offers(),
    Cadence: cadences,
    ServiceActivity: activities(),
    Event: events,
    Problem: problems,
    Hazard: hazards,
}

# Values that are wrong for every field type of the models.
wrong_values = st.sampled_from(
    [None, "three", -1, 10**6, 3.5, True, [], {}, "2026-13-45", "not-an-enum", "１２３"]
)


@st.composite
def invalid_documents(draw: st.DrawFn, model: type) -> tuple[dict[str, Any], str]:
    """A document of ``model`` with one field made wrong, or one unknown key added.

    Returns the document and the JSON path of the problem.
    """
    doc = unstructure(draw(MODELS[model]))
    if draw(st.booleans()) or not doc:
        key = draw(st.sampled_from(["unknown", "Id", "birthdate", "extra_field"]))
        doc[key] = 1
        return doc, f"$.{key}"
    key = draw(st.sampled_from(sorted(doc)))
    bad = draw(wrong_values.filter(lambda v: v != doc[key]))
    doc[key] = bad
    return doc, f"$.{key}"


def small_snapshot(elderly: int, children: int, activities: int) -> dict[str, Any]:
    """The demo community cut down to its first residents and what goes with them."""
    from community_care.samples import demo_community

    doc = demo_community()
    kept_elderly = doc["elderly"][:elderly]
    kept_children = doc["children"][:children]
    kept = {p["id"] for p in [*kept_elderly, *kept_children]}
    return {
        **doc,
        "elderly": kept_elderly,
        "children": kept_children,
        "micro_wishes": [w for w in doc["micro_wishes"] if w["child_id"] in kept],
        "followups": [f for f in doc["followups"] if f["case_id"] in kept],
        "activities": doc["activities"][:activities],
    }
