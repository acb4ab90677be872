"""Hypothesis strategies for the ledger: activities, problems and hazards with legal histories.

``problems`` and ``hazards`` build their histories by walking the lifecycle the way a
caseworker would (a legal move at a time, dates never running backwards), so every
value they give is one the library's methods could have produced. Their dates fall in
2026, so that the records of one draw fall in and around the same periods.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st
from tests.strategies import days_in_2026, grids, ids
from tests.strategies.linkage import service_categories

from community_care.ledger import (
    HAZARD_TRANSITIONS,
    PROBLEM_TRANSITIONS,
    Event,
    Hazard,
    HazardKind,
    HazardStatus,
    Ledger,
    Problem,
    ProblemSource,
    ProblemStatus,
    ServiceActivity,
    VisitDue,
)
from community_care.vocab import PartyKind

# What residents report (急难愁盼).
problem_categories = st.sampled_from(["pump_repair", "stairwell_lighting", "rewiring", "cleanup"])
# A small pool of residents, so that the same people come to several activities.
residents = st.sampled_from([f"r{i}" for i in range(12)])
actors = st.sampled_from(["", "grid_worker_1", "secretary", "fire_officer"])
notes = st.sampled_from(["", "fixed", "residents satisfied", "came back"])
party_lists = st.lists(st.sampled_from(PartyKind), min_size=1, max_size=3, unique=True)
steps = st.integers(min_value=0, max_value=20)  # days between two moves

events = st.builds(
    Event,
    on=days_in_2026,
    status=st.sampled_from(["accepted", "resolved", "rectified"]),
    actor=actors,
    note=notes,
    parties=st.lists(st.sampled_from(PartyKind), max_size=3, unique=True).map(tuple),
)


@st.composite
def activities(
    draw: st.DrawFn,
    id: st.SearchStrategy[str] = ids,
    on: st.SearchStrategy[date] = days_in_2026,
) -> ServiceActivity:
    """A valid service activity on a day of ``on`` (headcount at least the named participants).

    Participants come mostly from a small pool of residents (the same people at several
    activities), sometimes any id.
    """
    people = tuple(draw(st.lists(residents | ids, unique=True)))
    return ServiceActivity(
        id=draw(id),
        date=draw(on),
        category=draw(service_categories | problem_categories),
        organizer=draw(st.sampled_from(PartyKind)),
        grid=draw(grids),
        participants=people,
        headcount=len(people) + draw(st.integers(0, 50)),
    )


@st.composite
def problems(draw: st.DrawFn, id: st.SearchStrategy[str] = ids, max_moves: int = 7) -> Problem:
    """A problem with a legal history of up to ``max_moves`` moves."""
    problem = Problem(
        id=draw(id),
        category=draw(problem_categories),
        reported_on=draw(days_in_2026),
        source=draw(st.sampled_from(ProblemSource)),
        grid=draw(st.none() | grids),
    )
    on = problem.reported_on
    for _ in range(draw(st.integers(0, max_moves))):
        to = draw(st.sampled_from(PROBLEM_TRANSITIONS[problem.status]))
        on += timedelta(days=draw(steps))
        parties = draw(party_lists) if to is ProblemStatus.RESOLVED else []
        problem = problem.transition(to, on, actor=draw(actors), note=draw(notes), parties=parties)
    return problem


@st.composite
def hazards(draw: st.DrawFn, id: st.SearchStrategy[str] = ids, max_moves: int = 5) -> Hazard:
    """A hazard with a legal history of up to ``max_moves`` moves."""
    hazard = Hazard(
        id=draw(id),
        kind=draw(st.sampled_from(HazardKind)),
        building=draw(st.sampled_from(["b1", "b2", "b3"])),
        grid=draw(grids),
        found_on=draw(days_in_2026),
    )
    on = hazard.found_on
    for _ in range(draw(st.integers(0, max_moves))):
        allowed = HAZARD_TRANSITIONS[hazard.status]
        if not allowed:
            break
        to = draw(st.sampled_from(allowed))
        # Rectifications come soon after a finding, so that some are on time.
        on += timedelta(days=draw(st.integers(0, 4) if to is HazardStatus.RECTIFIED else steps))
        parties = (
            draw(st.lists(st.sampled_from(PartyKind), max_size=2, unique=True))
            if to is HazardStatus.RECTIFIED
            else []
        )
        hazard = hazard.transition(to, on, actor=draw(actors), parties=parties)
    return hazard


@st.composite
def visits(draw: st.DrawFn, case_id: st.SearchStrategy[str] = ids) -> VisitDue:
    """A visit that fell due: done early, on time, late, or not (yet) done."""
    due = draw(days_in_2026)
    done = draw(st.none() | st.integers(-3, 12).map(lambda d: due + timedelta(days=d)))
    return VisitDue(
        case_id=draw(case_id), due_on=due, grace_days=draw(st.integers(0, 10)), done_on=done
    )


def _numbered(prefix: str) -> st.SearchStrategy[str]:
    return st.integers(0, 10**6).map(lambda i: f"{prefix}{i}")


@st.composite
def records(
    draw: st.DrawFn, max_size: int = 8
) -> tuple[list[ServiceActivity], list[Problem], list[Hazard], list[VisitDue]]:
    """The records of one community: ids unique within each kind (visits by case and day)."""
    acts = draw(st.lists(activities(_numbered("a")), max_size=max_size, unique_by=lambda a: a.id))
    probs = draw(st.lists(problems(_numbered("p")), max_size=max_size, unique_by=lambda p: p.id))
    hzs = draw(st.lists(hazards(_numbered("h")), max_size=max_size, unique_by=lambda h: h.id))
    vis = draw(
        st.lists(
            visits(st.sampled_from(["e1", "e2", "c1", "c2"])),
            max_size=max_size,
            unique_by=lambda v: v.key,
        )
    )
    return acts, probs, hzs, vis


@st.composite
def ledgers(draw: st.DrawFn, max_size: int = 8) -> Ledger:
    """A ledger of unique records."""
    acts, probs, hzs, _ = draw(records(max_size))
    return Ledger(activities=tuple(acts), problems=tuple(probs), hazards=tuple(hzs))


@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date]:
    """A period [start, end] (both days included) starting in 2026."""
    start = draw(days_in_2026)
    end = start + timedelta(days=draw(st.integers(0, 200)))
    return start, end
