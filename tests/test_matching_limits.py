"""The matching's memory bound: pairs counted before they are built, ``max_pairs`` refused.

Properties stated here:

* the count of eligible pairs (made without building them) is the number of pairs
  the eligibility rule admits, pair by pair;
* a matching with exactly ``max_pairs`` pairs is solved, one with more is refused with
  :class:`MatchingTooLargeError` naming the counts and the limit, before anything is
  built or solved;
* the compact entry of the solver gives the answer of :func:`solve` on the same pairs.
"""

from __future__ import annotations

import inspect
import pickle
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies.linkage import ON, need_lists, offer_lists, small_instances

from community_care import (
    CommunityCareError,
    InvalidArgumentError,
    MatchingTooLargeError,
    Need,
    Offer,
    default_policy,
    match,
    pair_caring_mothers,
)
from community_care.linkage import _matching, _solver

DOCS = Path(__file__).resolve().parents[1] / "docs"


def eligible_pairs(needs: list[Need], offers: list[Offer], on: date) -> int:
    """The eligible pairs counted one by one, with the rule's own predicates."""
    rules = default_policy().at(on).linkage
    return sum(
        1
        for need in needs
        for offer in offers
        if need.category in offer.capabilities
        and _matching._in_area(need, offer)
        and _matching._vetted(need, offer, on, rules)
        and _matching._in_time(offer, on, _matching._deadline(need, on, rules))
    )


def count(needs: list[Need], offers: list[Offer], on: date = ON) -> int:
    rules = default_policy().at(on).linkage
    capable: dict[str, list[int]] = {}
    for j, offer in enumerate(offers):
        for category in dict.fromkeys(offer.capabilities):
            capable.setdefault(category, []).append(j)
    return _matching._count_pairs(needs, offers, capable, on, rules)


def dense(n: int, m: int) -> tuple[list[Need], list[Offer]]:
    """``n`` needs and ``m`` offers, every pair eligible."""
    needs = [Need(id=f"n{i}", category="sewing", urgency="low", grid="g1") for i in range(n)]
    offers = [
        Offer(id=f"o{j}", party="volunteer", capabilities=["sewing"], capacity=1) for j in range(m)
    ]
    return needs, offers


@settings(max_examples=200, deadline=None)
@given(need_lists(max_size=8), offer_lists(max_size=5))
def test_count_is_the_pairs_the_rule_admits(needs: list[Need], offers: list[Offer]) -> None:
    assert count(needs, offers) == eligible_pairs(needs, offers, ON)


@settings(max_examples=100, deadline=None)
@given(small_instances)
def test_exactly_max_pairs_is_solved_one_more_is_refused(
    instance: tuple[list[Need], list[Offer]],
) -> None:
    needs, offers = instance
    pairs = eligible_pairs(needs, offers, ON)
    assert match(needs, offers, on=ON, max_pairs=pairs) == match(needs, offers, on=ON)
    if pairs:
        with pytest.raises(MatchingTooLargeError) as caught:
            match(needs, offers, on=ON, max_pairs=pairs - 1)
        assert (caught.value.pairs, caught.value.limit) == (pairs, pairs - 1)


def test_refusal_names_the_counts_and_the_limit_and_builds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    needs, offers = dense(40, 30)

    def no_solving(*args: object, **kwargs: object) -> None:
        raise AssertionError("the solver was reached")

    # Nothing half-done: the refusal comes before any row is built or anything solved.
    monkeypatch.setattr(_solver, "solve_rows", no_solving)
    monkeypatch.setattr(_solver, "compact_ints", no_solving)
    with pytest.raises(MatchingTooLargeError) as caught:
        match(needs, offers, on=ON, max_pairs=1_199)
    error = caught.value
    assert isinstance(error, CommunityCareError) and isinstance(error, ValueError)
    assert (error.pairs, error.limit, error.needs, error.offers) == (1_200, 1_199, 40, 30)
    assert str(error).startswith(
        "the matching has 1,200 eligible pairs (40 needs x 30 offers), more than"
        " max_pairs=1,199; refused before building them."
    )
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is MatchingTooLargeError and str(clone) == str(error)


def test_caring_mothers_take_the_limit_too() -> None:
    kids = [Need(id=f"c{k}", category="caring_mother", urgency="normal", grid="g1") for k in (1, 2)]
    moms = [
        Offer(
            id=f"m{k}",
            party="community_committee",
            capabilities=["caring_mother"],
            capacity=k,  # m0 has capacity 0: its pairs count, and are never used
        )
        for k in range(3)
    ]
    full = pair_caring_mothers(kids, moms, on=ON)
    assert dict(full.assignments) == {"c1": "m1", "c2": "m2"}
    assert pair_caring_mothers(kids, moms, on=ON, max_pairs=6) == full
    with pytest.raises(MatchingTooLargeError, match=r"6 eligible pairs \(2 needs x 3 offers\)"):
        pair_caring_mothers(kids, moms, on=ON, max_pairs=5)


@pytest.mark.parametrize("bad", [-1, True, 1.5, "10", None])
@pytest.mark.parametrize("func", [match, pair_caring_mothers])
def test_a_bad_max_pairs_is_the_callers_error(func: object, bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match=r"\(max_pairs=\.\.\.\): expected an int >= 0"):
        func([], [], on=ON, max_pairs=bad)  # type: ignore[operator]


def test_the_default_limit_is_documented() -> None:
    assert _matching.MAX_PAIRS == 20_000_000
    for func in (match, pair_caring_mothers):
        assert inspect.signature(func).parameters["max_pairs"].default == _matching.MAX_PAIRS
    page = (DOCS / "matching.md").read_text(encoding="utf-8")
    assert "max_pairs" in page and "20,000,000" in page and "MatchingTooLargeError" in page


# --- the solver's compact entry ---------------------------------------------------------

edge_lists = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(0, 10)),
    max_size=20,
    unique_by=lambda e: (e[0], e[1]),
)


@settings(max_examples=200, deadline=None)
@given(
    edge_lists,
    st.lists(st.integers(0, 3), min_size=6, max_size=6),
    st.lists(st.integers(0, 2), min_size=4, max_size=4),
    st.sampled_from([1, 2**40, 2**70]),
    st.sampled_from(_solver.METHODS),
)
def test_rows_give_the_answer_of_the_edges(
    edges: list[tuple[int, int, int]],
    level_of: list[int],
    caps: list[int],
    scale: int,
    method: _solver.Method,
) -> None:
    """Fits of 4, 8 and more bytes, capacity-0 offers: rows and edges agree."""
    if method == "scipy":
        pytest.importorskip("scipy")
    edges = sorted((i, j, fit * scale) for i, j, fit in edges)
    rows = [_solver.compact_ints([j for i, j, _ in edges if i == row]) for row in range(6)]
    fits = [_solver.compact_ints([f for i, _, f in edges if i == row]) for row in range(6)]
    with_levels = [(i, j, level_of[i], f) for i, j, f in edges]
    expected = _solver.solve(6, caps, with_levels, method=method)
    assert _solver.solve_rows(caps, rows, fits, level_of, method=method) == expected


def test_rows_are_as_compact_as_their_values() -> None:
    assert _solver.compact_ints([]).typecode == "i"  # type: ignore[union-attr]
    assert _solver.compact_ints([0, 2**31 - 1]).typecode == "i"  # type: ignore[union-attr]
    assert _solver.compact_ints([-(2**31), 2**31]).typecode == "q"  # type: ignore[union-attr]
    assert _solver.compact_ints([2**63]) == [2**63]
    row = _solver._Row(100, _solver.compact_ints([1, 5]))
    assert (len(row), row[1], list(row), row.max()) == (2, 105, [101, 105], 105)
