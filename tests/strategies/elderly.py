"""Hypothesis strategies for the elderly models: homes and older residents' profiles."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from tests.strategies import grids, ids, names, phones, resident_id_text

from community_care import AbilityItems, ElderlyProfile, HomeSafety, assess_ability
from community_care.elderly import ABILITY_ITEM_MAXIMA, LivingArrangement
from community_care.vocab import EconomicStatus

home_safety = st.builds(
    HomeSafety,
    smoke_alarm=st.booleans(),
    safe_wiring=st.booleans(),
    grab_bars=st.booleans(),
    floor=st.integers(0, 30),
    elevator=st.booleans(),
)


def _scores(coma: bool) -> dict[str, st.SearchStrategy[int | None]]:
    return {
        key: (
            st.just(0)
            if coma and key == "consciousness"
            else st.integers(1, maximum)
            if key == "consciousness"
            else st.none() | st.integers(0, maximum)
            if coma
            else st.integers(0, maximum)
        )
        for key, maximum in ABILITY_ITEM_MAXIMA.items()
    }


#: Valid GB/T 42195-2022 item scores: every item within its range; not in a coma.
scored_ability_items = st.builds(AbilityItems, **_scores(coma=False))

#: Valid item scores of a person in a coma (consciousness 0): the others may be null.
coma_ability_items = st.builds(AbilityItems, **_scores(coma=True))

#: Valid item scores, a coma now and then.
ability_items = st.one_of(scored_ability_items, scored_ability_items, coma_ability_items)


@st.composite
def invalid_ability_documents(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A plain item-score document with one thing wrong, and the path of the problem."""
    doc: dict[str, Any] = dict(ABILITY_ITEM_MAXIMA)
    key = draw(st.sampled_from(sorted(ABILITY_ITEM_MAXIMA)))
    fault = draw(st.sampled_from(["above", "negative", "bool", "missing", "unknown", "null"]))
    if fault == "above":
        doc[key] = ABILITY_ITEM_MAXIMA[key] + draw(st.integers(1, 100))
    elif fault == "negative":
        doc[key] = -draw(st.integers(1, 100))
    elif fault == "bool":
        doc[key] = draw(st.booleans())
    elif fault == "missing":
        del doc[key]
    elif fault == "unknown":
        key = key + "_score"
        doc[key] = 1
    else:
        doc[key] = None  # not in a coma, so no item may be null (consciousness included)
    return doc, f"$.{key}"


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
    dementia = draw(st.booleans())
    psychiatric_disorder = draw(st.booleans())
    care_risk_events = draw(st.integers(0, 4))
    # A third of the profiles carry GB/T 42195-2022 scores, with no level recorded or
    # the level they give (under the default policy) recorded as well.
    items = draw(st.none() | st.none() | ability_items)
    level = draw(st.none() | st.integers(0, 4))
    if items is not None:
        computed = assess_ability(
            items,
            dementia=dementia,
            psychiatric_disorder=psychiatric_disorder,
            care_risk_events_30_days=care_risk_events,
        )
        level = draw(st.sampled_from([None, computed.final_level]))
    return ElderlyProfile(
        id=draw(ids),
        birth_date=born,
        living_arrangement=draw(st.sampled_from(LivingArrangement)),
        left_behind=draw(st.booleans()),
        ability_level=level,
        ability_items=items,
        dementia=dementia,
        psychiatric_disorder=psychiatric_disorder,
        care_risk_events_30_days=care_risk_events,
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
