"""Hypothesis strategies for the linkage matching: small and medium instances of needs and offers.

The vocabularies are kept small on purpose (a few categories, grids and dates around
``ON``), so that random instances are dense with conflicts: needs competing for the same
offers, offers just outside the area or the dates, capacity-0 offers.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from community_care import Need, Offer, PartyKind, Urgency

ON = date(2026, 3, 2)

CATEGORIES = ("rewiring", "companionship", "caring_mother", "micro_wish")
GRIDS = ("g1", "g2", "g3")

# Dates from 10 days before ON to 100 days after: past-due needs, offers that ended
# yesterday, and starts on either side of every undated deadline (1, 7, 30, 90 days).
day_offsets = st.sampled_from((-10, -1, 0, 1, 2, 6, 7, 8, 29, 30, 31, 89, 90, 91, 100))
dates = day_offsets.map(lambda k: ON + timedelta(days=k))


@st.composite
def need_lists(draw: st.DrawFn, min_size: int = 0, max_size: int = 5) -> list[Need]:
    """Needs with unique ids (``n0``, ``n1``, ... in a shuffled order)."""
    size = draw(st.integers(min_size, max_size))
    ids = draw(st.permutations([f"n{k}" for k in range(size)]))
    return [
        Need(
            id=need_id,
            category=draw(st.sampled_from(CATEGORIES)),
            urgency=draw(st.sampled_from(Urgency)),
            grid=draw(st.sampled_from(GRIDS)),
            needed_by=draw(st.none() | dates),
        )
        for need_id in ids
    ]


@st.composite
def offer_lists(
    draw: st.DrawFn, min_size: int = 0, max_size: int = 3, max_capacity: int = 2
) -> list[Offer]:
    """Offers with unique ids; any party, 0-2 capabilities, grids, home grid and dates."""
    size = draw(st.integers(min_size, max_size))
    ids = draw(st.permutations([f"o{k}" for k in range(size)]))
    out = []
    for offer_id in ids:
        start = draw(st.none() | dates)
        end = draw(st.none() | dates)
        if start is not None and end is not None and start > end:
            start, end = end, start
        out.append(
            Offer(
                id=offer_id,
                party=draw(st.sampled_from(PartyKind)),
                capabilities=tuple(
                    draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True))
                ),
                capacity=draw(st.integers(0, max_capacity)),
                grids=tuple(draw(st.lists(st.sampled_from(GRIDS), max_size=2, unique=True))),
                home_grid=draw(st.none() | st.sampled_from(GRIDS)),
                available_from=start,
                available_until=end,
            )
        )
    return out


small_instances = st.tuples(need_lists(max_size=5), offer_lists(max_size=3))
medium_instances = st.tuples(
    need_lists(min_size=15, max_size=40), offer_lists(min_size=5, max_size=12, max_capacity=4)
)
