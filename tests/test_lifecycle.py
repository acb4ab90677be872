"""The lifecycle engine (private ``_kernel.lifecycle``) and the records that run on it."""

from __future__ import annotations

import enum
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies.children import micro_wishes
from tests.strategies.ledger import hazards, problems

from community_care import (
    Event,
    Hazard,
    HazardStatus,
    InvalidInputError,
    InvalidTransitionError,
    MicroWish,
    Problem,
    ProblemStatus,
    WishStatus,
    structure,
    unstructure,
)
from community_care._kernel.lifecycle import Lifecycle, Step
from community_care.children._wishes import _WISH_LIFECYCLE
from community_care.ledger._hazards import _HAZARD_LIFECYCLE
from community_care.ledger._problems import _PROBLEM_LIFECYCLE

LIFECYCLES: tuple[Lifecycle[Any], ...] = (_PROBLEM_LIFECYCLE, _HAZARD_LIFECYCLE, _WISH_LIFECYCLE)
START = date(2026, 1, 1)
gaps = st.integers(min_value=0, max_value=9)


@st.composite
def walks(draw: st.DrawFn) -> tuple[Lifecycle[Any], list[tuple[date, Any]]]:
    """A lifecycle and a history of allowed moves, dates never running backwards."""
    lifecycle = draw(st.sampled_from(LIFECYCLES))
    status, day, events = lifecycle.initial, START, []
    for _ in range(draw(st.integers(min_value=0, max_value=12))):
        moves = lifecycle.moves[status]
        if not moves:
            break
        status = lifecycle.check("r1", status, draw(st.sampled_from(sorted(moves))))
        day += timedelta(days=draw(gaps))
        events.append((day, status))
    return lifecycle, events


# --- the engine -------------------------------------------------------------------------


@given(walks())
def test_allowed_moves_replay_as_a_valid_history_ending_where_they_led(
    walk: tuple[Lifecycle[Any], list[tuple[date, Any]]],
) -> None:
    lifecycle, events = walk
    steps = list(lifecycle.replay(events, START))
    assert len(steps) == len(events)
    assert all(s.allowed and not s.early and s.after is not None for s in steps)
    # Each step starts where the previous one ended; the last ends in the status reached.
    befores = [s.before for s in steps]
    assert befores == [lifecycle.initial, *(status for _, status in events)][: len(events)]
    end = events[-1][0] if events else START
    assert lifecycle.status_on(events, START, end) == (
        events[-1][1] if events else lifecycle.initial
    )
    # Replaying the values read from JSON (strings) gives the same steps.
    assert list(lifecycle.replay([(d, s.value) for d, s in events], START)) == steps


@given(st.sampled_from(LIFECYCLES), st.data())
def test_a_refused_move_raises_and_names_the_allowed_ones(
    lifecycle: Lifecycle[Any], data: st.DataObject
) -> None:
    status = data.draw(st.sampled_from(list(lifecycle.states)))
    names = {name for out in lifecycle.moves.values() for name in out}
    refused = sorted(names - set(lifecycle.moves[status]))
    if not refused:
        return
    move = data.draw(st.sampled_from(refused))
    table = dict(lifecycle.moves)
    with pytest.raises(InvalidTransitionError) as err:
        lifecycle.check("r1", status, move)
    assert str(err.value) == (
        f"{lifecycle.kind} 'r1' is {status.value!r}; cannot {move};"
        f" allowed: {lifecycle.allowed_text(status)}"
    )
    assert dict(lifecycle.moves) == table


@given(walks(), st.integers(min_value=-3, max_value=120))
def test_status_on_a_date_is_that_of_the_last_event_on_or_before_it(
    walk: tuple[Lifecycle[Any], list[tuple[date, Any]]], offset: int
) -> None:
    lifecycle, events = walk
    on = START + timedelta(days=offset)
    expected = None if on < START else lifecycle.initial
    for day, status in events:
        if day <= on:
            expected = status
    assert lifecycle.status_on(events, START, on) == expected


def test_a_history_out_of_order_or_off_the_table_is_replayed_step_by_step() -> None:
    lc = _PROBLEM_LIFECYCLE
    events = [
        (date(2026, 1, 5), "accepted"),
        (date(2026, 1, 3), "resolved"),  # early, and a skipped step
        (date(2026, 1, 4), "verified"),  # early still: the floor is the 5th
        (date(2026, 1, 6), "done"),  # no status: the replay stops
        (date(2026, 1, 7), "reopened"),
    ]
    steps = list(lc.replay(events, date(2026, 1, 1)))
    assert [(s.before, s.after, s.allowed, s.early) for s in steps] == [
        (ProblemStatus.REPORTED, ProblemStatus.ACCEPTED, True, False),
        (ProblemStatus.ACCEPTED, ProblemStatus.RESOLVED, False, True),
        (ProblemStatus.RESOLVED, ProblemStatus.VERIFIED, True, True),
        (ProblemStatus.VERIFIED, None, False, False),
    ]
    assert [(s.floor, s.floor_index) for s in steps] == [
        (date(2026, 1, 1), None),
        (date(2026, 1, 5), 0),
        (date(2026, 1, 5), 0),
        (date(2026, 1, 5), 0),
    ]
    assert isinstance(steps[0], Step)
    # The status on a date stops at a status it cannot read, and is None before the start.
    assert lc.status_on(events[3:], date(2026, 1, 1), date(2026, 1, 9)) is ProblemStatus.REPORTED
    assert lc.status_on(events, date(2026, 1, 2), date(2026, 1, 1)) is None


def test_a_move_given_by_its_target_is_named_by_the_method_that_makes_it() -> None:
    lc = _WISH_LIFECYCLE
    assert lc.move_to(WishStatus.ADOPTED, WishStatus.PUBLISHED) == "cancel_adoption"
    assert lc.move_to(WishStatus.COLLECTED, WishStatus.PUBLISHED) == "publish"
    assert lc.move_to(WishStatus.CONFIRMED, WishStatus.ADOPTED) == "adopt"
    assert lc.move_to(WishStatus.PUBLISHED, WishStatus.COLLECTED) == "move to 'collected'"
    assert lc.parse("adopted") is WishStatus.ADOPTED
    assert lc.parse(WishStatus.ADOPTED) is WishStatus.ADOPTED
    assert lc.parse("reported") is None
    assert lc.parse(3) is None


def test_the_tables_are_read_only_and_keep_their_order() -> None:
    class Door(enum.StrEnum):
        SHUT = "shut"
        OPEN = "open"

    moves = {Door.SHUT: {"open": Door.OPEN, "prop": Door.OPEN}, Door.OPEN: {"close": Door.SHUT}}
    door = Lifecycle("door", Door.SHUT, moves)
    moves[Door.OPEN]["slam"] = Door.SHUT  # the lifecycle keeps its own copy
    assert dict(door.moves[Door.OPEN]) == {"close": Door.SHUT}
    assert door.targets(Door.SHUT) == (Door.OPEN,)
    assert dict(door.transitions()) == {Door.SHUT: (Door.OPEN,), Door.OPEN: (Door.SHUT,)}
    assert door.allowed_text(Door.SHUT) == "open (→ open), prop (→ open)"
    with pytest.raises(TypeError):
        door.moves[Door.SHUT]["slam"] = Door.SHUT  # type: ignore[index]  # the check under test


# --- the records on the engine ----------------------------------------------------------


@given(problems())
def test_a_problem_replays_to_its_status(problem: Problem) -> None:
    assert structure(unstructure(problem), Problem) == problem
    assert all(type(e.status) is ProblemStatus for e in problem.history)
    last = problem.history[-1].on if problem.history else problem.reported_on
    assert problem.status_on(last) is problem.status


@given(hazards())
def test_a_hazard_replays_to_its_status_and_its_events_hold_hazard_statuses(
    hazard: Hazard,
) -> None:
    again = structure(unstructure(hazard), Hazard)
    assert again == hazard
    assert all(type(e.status) is HazardStatus for e in again.history)
    last = hazard.history[-1].on if hazard.history else hazard.found_on
    assert hazard.status_on(last) is hazard.status


@given(micro_wishes())
def test_a_micro_wish_replays_to_its_status(wish: MicroWish) -> None:
    assert structure(unstructure(wish), MicroWish) == wish


@given(micro_wishes(), st.sampled_from(["publish", "adopt", "cancel_adoption", "fulfil",
                                        "confirm", "withdraw"]))  # fmt: skip
def test_a_refused_wish_move_changes_nothing(wish: MicroWish, move: str) -> None:
    if move in wish.allowed_moves:
        return
    before = unstructure(wish)
    with pytest.raises(InvalidTransitionError, match=f"^micro-wish {wish.id!r} is "):
        getattr(wish, move)(wish.last_date, "unit-7")
    assert unstructure(wish) == before


@given(problems(), st.sampled_from(ProblemStatus))
def test_a_refused_problem_move_changes_nothing(problem: Problem, to: ProblemStatus) -> None:
    if to in problem.allowed_moves:
        return
    before = unstructure(problem)
    with pytest.raises(InvalidTransitionError, match=f"^problem {problem.id!r} is "):
        problem.transition(to, date(2027, 6, 1), parties=["volunteer"])
    assert unstructure(problem) == before


def test_an_event_status_is_the_enum_of_its_record() -> None:
    assert Event(on=START, status="open").status is HazardStatus.OPEN
    assert Event(on=START, status="verified").status is ProblemStatus.VERIFIED
    assert Event(on=START, status=HazardStatus.VERIFIED).status is HazardStatus.VERIFIED
    # A status of no lifecycle is kept for the record to report with its path.
    assert Event(on=START, status="fixed").status == "fixed"
    with pytest.raises(InvalidInputError, match=r"\$\.status: expected a non-empty string"):
        Event(on=START, status=3)  # type: ignore[arg-type]  # the check under test
    h = Hazard(
        id="h1",
        kind="gas",
        building="b1",
        grid="g1",
        found_on=START,
        status="verified",
        history=[Event(on=START, status="rectified"), Event(on=START, status="verified")],
    )
    assert [type(e.status) for e in h.history] == [HazardStatus, HazardStatus]
    assert attrs.evolve(h).history == h.history
