"""Hypothesis strategies for the linkage: needs and offers, and instances of the matching.

``needs`` and ``offers`` give single valid values over the full vocabularies. The
instances (``need_lists``, ``offer_lists``) keep the vocabularies small on purpose (a few
categories, grids and dates around ``ON``), so that random instances are dense with
conflicts: needs competing for the same offers, offers just outside the area or the
dates, capacity-0 offers.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st
from tests.strategies import grids, ids, service_dates

from community_care import Need, Offer, PartyKind, Urgency
from community_care.linkage import NeedSource

# The categories needs ask for and offers are capable of (interventions, support
# actions, micro-projects).
service_categories = st.sampled_from(
    ["rewiring", "companionship", "tutoring", "micro_wish", "sewing", "caring_mother", "cleanup"]
)


@st.composite
def availability(
    draw: st.DrawFn, dates: st.SearchStrategy[date]
) -> tuple[date | None, date | None]:
    """An offer's available_from and available_until, the first never after the second."""
    start = draw(st.none() | dates)
    end = draw(st.none() | dates)
    if start is not None and end is not None and start > end:
        start, end = end, start
    return start, end


needs = st.builds(
    Need,
    id=ids,
    category=service_categories,
    urgency=st.sampled_from(Urgency),
    grid=grids,
    needed_by=st.none() | service_dates,
    source=st.sampled_from(NeedSource),
    beneficiary=st.none() | ids,
)


@st.composite
def offers(draw: st.DrawFn) -> Offer:
    """A valid offer (available_from never after available_until)."""
    start, end = draw(availability(service_dates))
    return Offer(
        id=draw(ids),
        party=draw(st.sampled_from(PartyKind)),
        name=draw(st.text(max_size=10)),
        capabilities=tuple(draw(st.lists(service_categories, max_size=3, unique=True))),
        capacity=draw(st.integers(0, 5)),
        grids=tuple(draw(st.lists(grids, max_size=3, unique=True))),
        home_grid=draw(st.none() | grids),
        available_from=start,
        available_until=end,
        vetted_on=draw(st.none() | service_dates),
    )


# --- dense instances of the matching ---------------------------------------------------

ON = date(2026, 3, 2)

DENSE_CATEGORIES = ("rewiring", "companionship", "caring_mother", "micro_wish")
DENSE_GRIDS = ("g1", "g2", "g3")

# Dates from 10 days before ON to 100 days after: past-due needs, offers that ended
# yesterday, and starts on either side of every undated deadline (1, 7, 30, 90 days).
day_offsets = st.sampled_from((-10, -1, 0, 1, 2, 6, 7, 8, 29, 30, 31, 89, 90, 91, 100))
days_around_on = day_offsets.map(lambda k: ON + timedelta(days=k))

# Vetting dates on either side of each end of the 365-day window (spec §4), or none.
vetting_dates = st.none() | st.sampled_from((-366, -365, -364, -30, 0, 1)).map(
    lambda k: ON + timedelta(days=k)
)


@st.composite
def need_lists(draw: st.DrawFn, min_size: int = 0, max_size: int = 5) -> list[Need]:
    """Needs with unique ids (``n0``, ``n1``, ... in a shuffled order)."""
    size = draw(st.integers(min_size, max_size))
    need_ids = draw(st.permutations([f"n{k}" for k in range(size)]))
    return [
        Need(
            id=need_id,
            category=draw(st.sampled_from(DENSE_CATEGORIES)),
            urgency=draw(st.sampled_from(Urgency)),
            grid=draw(st.sampled_from(DENSE_GRIDS)),
            needed_by=draw(st.none() | days_around_on),
        )
        for need_id in need_ids
    ]


@st.composite
def offer_lists(
    draw: st.DrawFn, min_size: int = 0, max_size: int = 3, max_capacity: int = 2
) -> list[Offer]:
    """Offers with unique ids; any party, 1-2 capabilities, grids, home grid and dates."""
    size = draw(st.integers(min_size, max_size))
    offer_ids = draw(st.permutations([f"o{k}" for k in range(size)]))
    out = []
    for offer_id in offer_ids:
        start, end = draw(availability(days_around_on))
        out.append(
            Offer(
                id=offer_id,
                party=draw(st.sampled_from(PartyKind)),
                capabilities=tuple(
                    draw(
                        st.lists(
                            st.sampled_from(DENSE_CATEGORIES), min_size=1, max_size=2, unique=True
                        )
                    )
                ),
                capacity=draw(st.integers(0, max_capacity)),
                grids=tuple(draw(st.lists(st.sampled_from(DENSE_GRIDS), max_size=2, unique=True))),
                home_grid=draw(st.none() | st.sampled_from(DENSE_GRIDS)),
                available_from=start,
                available_until=end,
                vetted_on=draw(vetting_dates),
            )
        )
    return out


small_instances = st.tuples(need_lists(max_size=5), offer_lists(max_size=3))
medium_instances = st.tuples(
    need_lists(min_size=15, max_size=40), offer_lists(min_size=5, max_size=12, max_capacity=4)
)
