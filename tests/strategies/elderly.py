"""Hypothesis strategies for the elderly models: homes and older residents' profiles."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from tests.strategies import grids, ids, names, phones, resident_id_text

from community_care import ElderlyProfile, HomeSafety
from community_care.elderly import LivingArrangement
from community_care.vocab import EconomicStatus

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
