"""Tests of the exact matching solver (community_care.linkage._solver)."""

from __future__ import annotations

import itertools
import random
import sys
from collections.abc import Sequence

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from community_care.linkage import _solver
from community_care.linkage._solver import solve

Edge = tuple[int, int, int, int]
Instance = tuple[int, list[int], list[Edge]]
LEVELS = 4


# --- helpers -------------------------------------------------------------------------


def objective(n: int, edges: Sequence[Edge], result: Sequence[int | None]) -> tuple[int, ...]:
    """(matched at level 0, ..., matched at level 3, total fit): bigger is better."""
    by_pair = {(i, j): (level, fit) for i, j, level, fit in edges}
    counts = [0] * LEVELS
    total_fit = 0
    for i, j in enumerate(result):
        if j is not None:
            level, fit = by_pair[i, j]
            counts[level] += 1
            total_fit += fit
    return (*counts, total_fit)


def assert_feasible(
    n: int, caps: Sequence[int], edges: Sequence[Edge], result: Sequence[int | None]
) -> None:
    assert len(result) == n
    pairs = {(i, j) for i, j, _level, _fit in edges}
    load = [0] * len(caps)
    for i, j in enumerate(result):
        if j is not None:
            assert (i, j) in pairs, f"need {i} got offer {j} without an edge"
            load[j] += 1
    for j, (used, cap) in enumerate(zip(load, caps, strict=True)):
        assert used <= cap, f"offer {j} over capacity: {used} > {cap}"


def brute_force(
    n: int, caps: Sequence[int], edges: Sequence[Edge]
) -> tuple[tuple[int, ...], list[int | None]]:
    """The optimal objective and the canonical optimum, by enumeration."""
    options: list[list[int | None]] = [[] for _ in range(n)]
    for i, j, _level, _fit in sorted(edges):
        options[i].append(j)
    for opts in options:
        opts.append(None)  # listed last: the canonical order puts unmatched last
    best: tuple[int, ...] | None = None
    canonical: list[int | None] = []
    # itertools.product walks the choices in canonical (lexicographic) order,
    # so the first optimum met is the canonical one.
    for combo in itertools.product(*options):
        load = [0] * len(caps)
        for chosen in combo:
            if chosen is not None:
                load[chosen] += 1
        if any(used > cap for used, cap in zip(load, caps, strict=True)):
            continue
        value = objective(n, edges, combo)
        if best is None or value > best:
            best, canonical = value, list(combo)
    assert best is not None
    return best, canonical


def networkx_objective(n: int, caps: Sequence[int], edges: Sequence[Edge]) -> tuple[int, ...]:
    """The optimum by networkx min-cost flow, with its own (loose) weight encoding."""
    nx = pytest.importorskip("networkx")
    max_fit = max((fit for *_, fit in edges), default=0)
    big = [0] * LEVELS
    big[-1] = n * max_fit + 1  # more than any difference in total fit
    for level in range(LEVELS - 2, -1, -1):
        big[level] = big[level + 1] * (n + 1)  # more than all less urgent needs together
    graph = nx.DiGraph()
    graph.add_node("s", demand=-n)
    graph.add_node("t", demand=n)
    for i in range(n):
        graph.add_edge("s", ("need", i), capacity=1, weight=0)
        graph.add_edge(("need", i), "t", capacity=1, weight=0)  # stays unmatched
    for j, cap in enumerate(caps):
        graph.add_edge(("offer", j), "t", capacity=cap, weight=0)
    for i, j, level, fit in edges:
        graph.add_edge(("need", i), ("offer", j), capacity=1, weight=-(big[level] + fit))
    flow = nx.min_cost_flow(graph)
    result: list[int | None] = [None] * n
    for i in range(n):
        for node, units in flow[("need", i)].items():
            if units and node != "t":
                result[i] = node[1]
    assert_feasible(n, caps, edges, result)
    return objective(n, edges, result)


@st.composite
def instances(
    draw: st.DrawFn, max_needs: int = 7, max_offers: int = 4, max_cap: int = 2
) -> Instance:
    n = draw(st.integers(0, max_needs))
    caps = draw(st.lists(st.integers(0, max_cap), max_size=max_offers))
    levels = draw(st.lists(st.integers(0, LEVELS - 1), min_size=n, max_size=n))
    # Few distinct fits on purpose: ties are where determinism is at risk.
    fits = st.sampled_from([0, 10, 20, 30, 40])
    edges: list[Edge] = []
    for i in range(n):
        for j in range(len(caps)):
            if draw(st.booleans()):
                edges.append((i, j, levels[i], draw(fits)))
    return n, caps, edges


def random_instance(seed: int, n: int, m: int, degree: int, max_cap: int = 3) -> Instance:
    rng = random.Random(seed)
    caps = [rng.randint(0, max_cap) for _ in range(m)]
    edges: list[Edge] = []
    for i in range(n):
        level = rng.randrange(LEVELS)
        for j in rng.sample(range(m), min(m, rng.randint(1, degree))):
            edges.append((i, j, level, 10 * rng.randint(0, 4)))
    return n, caps, edges


def has_scipy() -> bool:
    try:
        import scipy.optimize  # noqa: F401
    except ImportError:  # pragma: no cover - scipy is in the test environment
        return False
    return True


METHODS = ["pure", pytest.param("scipy", marks=pytest.mark.skipif(not has_scipy(), reason="scipy"))]


# --- properties on small instances ----------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(instances())
@example((3, [1], [(0, 0, 3, 40), (1, 0, 1, 0), (2, 0, 1, 0)]))
@example((2, [0, 1], [(0, 0, 0, 10), (1, 1, 2, 10)]))
def test_pure_is_feasible_optimal_and_canonical(instance: Instance) -> None:
    n, caps, edges = instance
    result = solve(n, caps, edges, method="pure")
    assert_feasible(n, caps, edges, result)
    best, canonical = brute_force(n, caps, edges)
    assert objective(n, edges, result) == best
    assert result == canonical


@settings(max_examples=100, deadline=None)
@given(instances())
def test_scipy_is_the_same_canonical_optimum(instance: Instance) -> None:
    pytest.importorskip("scipy")
    n, caps, edges = instance
    assert solve(n, caps, edges, method="scipy") == brute_force(n, caps, edges)[1]


@settings(max_examples=100, deadline=None)
@given(instances(max_needs=10, max_offers=5, max_cap=3), st.randoms(use_true_random=False))
def test_edge_order_does_not_matter(instance: Instance, rnd: random.Random) -> None:
    n, caps, edges = instance
    shuffled = list(edges)
    rnd.shuffle(shuffled)
    assert solve(n, caps, shuffled) == solve(n, caps, edges)


@settings(max_examples=100, deadline=None)
@given(instances(max_needs=8, max_offers=3), st.integers(0, 3), st.data())
def test_adding_an_offer_never_makes_it_worse(
    instance: Instance, cap: int, data: st.DataObject
) -> None:
    n, caps, edges = instance
    before = objective(n, edges, solve(n, caps, edges))
    level_of = {i: level for i, _j, level, _fit in edges}
    new = len(caps)
    extra = [
        (i, new, level_of.get(i, 0), data.draw(st.sampled_from([0, 10, 20])))
        for i in range(n)
        if i in level_of and data.draw(st.booleans())
    ]
    after_edges = edges + extra
    after = objective(n, after_edges, solve(n, [*caps, cap], after_edges))
    assert after >= before


@st.composite
def trade_offs(draw: st.DrawFn) -> Instance:
    """Instances where fit pulls against urgency along an augmenting path.

    Plain random instances almost never make large fits compete with one more need met;
    these do by construction: a chain of needs each holding an offer at a large fit, with
    a zero-fit way to the next offer, and one more need that can only be met if the whole
    chain steps down. Random needs and edges are added around it and the offers relabelled,
    so a weight encoding that lets the total fit outweigh one more (or a more urgent) need
    met is caught.
    """
    length = draw(st.integers(1, 3))
    big_fit = draw(st.sampled_from([1, 1000]))
    top = draw(st.integers(0, LEVELS - 2))
    level = st.sampled_from([top, top + 1, LEVELS - 1])
    m = length + 1 + draw(st.integers(0, 1))
    order = draw(st.permutations(range(m)))
    edges: list[Edge] = []
    for i in range(length):
        lv = draw(level)
        edges += [(i, order[i], lv, big_fit), (i, order[i + 1], lv, 0)]
    edges.append((length, order[0], draw(level), 0))
    n = length + 1 + draw(st.integers(0, 2))
    for i in range(length + 1, n):
        lv = draw(level)
        for j in draw(st.lists(st.integers(0, m - 1), min_size=1, max_size=2, unique=True)):
            edges.append((i, j, lv, draw(st.sampled_from([0, big_fit]))))
    caps = [1] * m
    return n, caps, edges


CHAIN_END = (2, 0, 3, 0)


@settings(max_examples=300, deadline=None)
@given(trade_offs())
# One more need met along an augmenting path that costs two large fits.
@example((3, [1, 1, 1], [(0, 0, 3, 1000), (0, 1, 3, 0), (1, 1, 3, 1000), (1, 2, 3, 0), CHAIN_END]))
@example(
    (3, [1, 1, 1], [(0, 0, 2, 1000), (0, 1, 2, 0), (1, 1, 2, 1000), (1, 2, 2, 0), (2, 0, 1, 0)])
)
def test_more_urgent_needs_met_are_never_traded_for_fit(instance: Instance) -> None:
    n, caps, edges = instance
    best, canonical = brute_force(n, caps, edges)
    for method in ("pure", "scipy") if has_scipy() else ("pure",):
        result = solve(n, caps, edges, method=method)  # type: ignore[arg-type]
        assert_feasible(n, caps, edges, result)
        assert objective(n, edges, result) == best, method
        assert result == canonical, method


@settings(max_examples=300, deadline=None)
@given(instances(max_needs=12, max_offers=5, max_cap=3), st.sampled_from([0, 1, 7, 10**6]))
def test_level_weights_outweigh_everything_less_urgent(instance: Instance, scale: int) -> None:
    """The encoding's bound, stated directly: one more need met at a level is worth more
    than every less urgent need met and every difference in total fit together."""
    n, _caps, edges = instance
    usable = sorted((i, j, fit * scale) for i, j, _level, fit in edges)
    level_of = [-1] * n
    for i, _j, level, _fit in edges:
        level_of[i] = level
    big = _solver._level_weights(LEVELS, usable, level_of)
    best: dict[int, int] = {}
    for i, _j, fit in usable:
        best[i] = max(best.get(i, 0), fit)
    counts = [sum(1 for i in best if level_of[i] == level) for level in range(LEVELS)]
    fit_span = sum(best.values())  # two matchings differ by at most this much in fit
    for level in range(LEVELS):
        rest = sum(big[k] * counts[k] for k in range(level + 1, LEVELS))
        assert big[level] > rest + fit_span
        # ... and no more than the bound needs (the docstring's formula), which keeps
        # the weights within float64's exact range for SciPy.
        assert big[level] == rest + fit_span + 1
    # The rows' version (solve_rows) gives the same weights from the same pairs.
    rows = [[fit for i2, _j, fit in usable if i2 == i] for i in range(n)]
    levels = [max(level, 0) for level in level_of]
    assert _solver._row_weights(LEVELS, rows, levels) == big


def _residual_arcs(
    n: int, caps: list[int], adj_j: Sequence[Sequence[int]], adj_w: Sequence[_solver._Row],
    state: _solver._State,
) -> list[tuple[int, int, int]]:  # fmt: skip
    """Every arc of the matching's residual network as (tail, head, cost), cost = -weight."""
    m, t = len(caps), n + len(caps)
    arcs: list[tuple[int, int, int]] = []
    for i in range(n):
        cur = state.assign[i]
        arcs += [(i, n + j, -w) for j, w in zip(adj_j[i], adj_w[i], strict=True) if j != cur]
        if cur >= 0:
            arcs.append((i, t, 0))  # leave the offer
        elif adj_j[i]:
            arcs.append((t, i, 0))  # enter from the sink
    for j in range(m):
        arcs += [(n + j, u, state.aw[u]) for u in state.members[j]]
        if len(state.members[j]) < caps[j]:
            arcs.append((n + j, t, 0))
        if state.members[j]:
            arcs.append((t, n + j, 0))
    return arcs


@settings(max_examples=300, deadline=None)
@given(instances(max_needs=10, max_offers=5, max_cap=3))
@example((3, [1], [(0, 0, 3, 40), (1, 0, 1, 0), (2, 0, 1, 0)]))
def test_the_pure_solvers_potentials_certify_its_matching(instance: Instance) -> None:
    """The dual the pure solver hands on: every residual arc's reduced cost is >= 0.

    Before :func:`_complete_potentials` that holds on every arc but those out of the
    sink; after it, on all of them (what the canonical step relies on).
    """
    n, caps, edges = instance
    caps, adj_j, adj_w = _solver._prepare(n, caps, edges, LEVELS)
    state = _solver._solve_pure(n, caps, adj_j, adj_w, _solver._heaviest_first(adj_w))
    pot, t = state.pot, n + len(caps)
    arcs = _residual_arcs(n, caps, adj_j, adj_w, state)
    assert all(c + pot[u] - pot[v] >= 0 for u, v, c in arcs if u != t)
    _solver._complete_potentials(n, len(caps), adj_j, adj_w, state)
    pot = state.pot
    assert all(c + pot[u] - pot[v] >= 0 for u, v, c in arcs)


# --- agreement with other solvers on medium instances ---------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_pure_scipy_and_networkx_agree(seed: int) -> None:
    n, caps, edges = random_instance(seed, n=60, m=20, degree=8)
    pure = solve(n, caps, edges, method="pure")
    assert_feasible(n, caps, edges, pure)
    assert objective(n, edges, pure) == networkx_objective(n, caps, edges)
    if has_scipy():
        assert solve(n, caps, edges, method="scipy") == pure


@pytest.mark.parametrize("seed", range(3))
def test_large_ties_are_canonical_across_methods(seed: int) -> None:
    pytest.importorskip("scipy")
    # One fit for every pair: a sea of ties, all settled by the canonical order.
    n, caps, edges = random_instance(100 + seed, n=300, m=60, degree=12, max_cap=4)
    edges = [(i, j, level, 10) for i, j, level, _fit in edges]
    pure = solve(n, caps, edges, method="pure")
    assert solve(n, caps, edges, method="scipy") == pure
    assert solve(n, caps, list(reversed(edges)), method="pure") == pure


# --- the canonical tie-breaking against its first version ------------------------------
#
# ``_solver._canonicalize`` was rewritten for speed on tie-heavy instances; it must give
# exactly what the first version gave, from the same optimal matching and potentials.


def old_canonicalize(
    n: int,
    m: int,
    caps: list[int],
    adj_j: list[list[int]],
    adj_w: list[list[int]],
    st: _solver._State,
) -> None:
    """The first ``_solver._canonicalize``, kept verbatim as an oracle (slow on ties).

    It runs one full breadth-first search per candidate right vertex of each left
    vertex, sharing nothing between them.

    The potentials are an optimal dual, so the optimal matchings are those using
    only tight arcs (reduced cost 0), and any two differ by tight alternating
    cycles. Left vertex ``i`` (in index order) is moved to the lowest-index right
    vertex ``j`` with a tight arc ``i -> j`` that lies on a tight residual cycle
    avoiding the vertices already frozen; then ``i`` is frozen.
    """
    t = n + m
    pot, assign, aw, members = st.pot, st.assign, st.aw, st.members
    pt = pot[t]
    frozen = [False] * n
    sink_right = [pot[n + j] == pt for j in range(m)]
    sink_left = [pot[i] == pt for i in range(n)]
    from_sink_right = [j for j in range(m) if sink_right[j]]
    from_sink_left = [i for i in range(n) if sink_left[i] and adj_j[i]]
    tight: list[list[tuple[int, int]]] = [
        [(j, w) for j, w in zip(adj_j[i], adj_w[i], strict=True) if pot[i] - w - pot[n + j] == 0]
        for i in range(n)
    ]

    def find_cycle(i: int, j0: int) -> dict[int, tuple[int, int]] | None:
        """Breadth-first search for a tight residual path from right ``j0`` back to ``i``."""
        prev: dict[int, tuple[int, int]] = {n + j0: (i, 0)}
        frontier = [n + j0]
        while frontier:
            nxt: list[int] = []
            for v in frontier:
                if v < n:
                    cur = assign[v]
                    for j, w in tight[v]:
                        if j != cur and n + j not in prev:
                            prev[n + j] = (v, w)
                            nxt.append(n + j)
                    if cur >= 0 and sink_left[v] and t not in prev:
                        prev[t] = (v, 0)
                        nxt.append(t)
                elif v < t:
                    j = v - n
                    pv = pot[v]
                    for u in members[j]:
                        if u not in prev and pv + aw[u] == pot[u]:
                            if u == i:
                                prev[u] = (v, 0)
                                return prev
                            if not frozen[u]:
                                prev[u] = (v, 0)
                                nxt.append(u)
                    if sink_right[j] and len(members[j]) < caps[j] and t not in prev:
                        prev[t] = (v, 0)
                        nxt.append(t)
                else:
                    for j in from_sink_right:
                        if members[j] and n + j not in prev:
                            prev[n + j] = (v, 0)
                            nxt.append(n + j)
                    for u in from_sink_left:
                        if assign[u] < 0 and u not in prev:
                            if u == i:
                                prev[u] = (v, 0)
                                return prev
                            if not frozen[u]:
                                prev[u] = (v, 0)
                                nxt.append(u)
            frontier = nxt
        return None

    for i in range(n):
        cur = assign[i]
        for j0, w0 in tight[i]:
            if 0 <= cur <= j0:
                break
            prev = find_cycle(i, j0)
            if prev is None:
                continue
            # Walk the cycle backwards from i; each left vertex on it takes the
            # head of its outgoing arc (a right vertex, or the sink = unmatched).
            moves: list[tuple[int, int, int]] = []
            v = i
            while v != n + j0:
                u, w = prev[v]
                if u < n:  # forward arc u -> v: u moves to v (or to the sink)
                    moves.append((u, v - n if v < t else -1, w))
                elif u < t and v < n:  # reverse arc: v leaves right u
                    members[u - n].remove(v)
                v = u
            moves.append((i, j0, w0))
            for u, j, w in moves:
                assign[u] = j
                aw[u] = w
                if j >= 0:
                    members[j].append(u)
            break
        frozen[i] = True


def copy_state(state: _solver._State) -> _solver._State:
    n, m = len(state.assign), len(state.members)
    clone = _solver._State(n, m)
    clone.assign[:] = state.assign
    clone.aw[:] = state.aw
    clone.members[:] = [list(mems) for mems in state.members]
    clone.pot[:] = state.pot
    return clone


def assert_consistent(
    adj_j: list[list[int]], adj_w: list[list[int]], caps: list[int], state: _solver._State
) -> None:
    """``members`` and ``aw`` agree with ``assign``, and no capacity is exceeded."""
    for j, mems in enumerate(state.members):
        assert sorted(mems) == [i for i, a in enumerate(state.assign) if a == j]
        assert len(mems) <= caps[j]
    for i, j in enumerate(state.assign):
        if j >= 0:
            assert state.aw[i] == adj_w[i][adj_j[i].index(j)]


DUALS = ["pure", "scipy", "certified"]


def old_and_new(
    n: int, caps: list[int], edges: list[Edge], dual: str
) -> tuple[list[int], list[int]]:
    """Both canonicalisations of one optimal matching with one optimal dual.

    ``dual``: the pure solver's matching and potentials, SciPy's (certified), or
    the pure solver's matching with the certificate's own potentials.
    """
    caps, adj_j, adj_w = _solver._prepare(n, caps, edges, LEVELS)
    m = len(caps)
    state: _solver._State | None
    if dual == "scipy":
        state = _solver._solve_scipy(n, caps, adj_j, adj_w)
    else:
        state = _solver._solve_pure(n, caps, adj_j, adj_w, _solver._heaviest_first(adj_w))
        _solver._complete_potentials(n, m, adj_j, adj_w, state)
        if dual == "certified":
            state.pot[:] = [0] * len(state.pot)
            assert _solver._certify(n, m, caps, adj_j, adj_w, state)
    assert state is not None
    old = copy_state(state)
    old_canonicalize(n, m, caps, adj_j, adj_w, old)
    _solver._canonicalize(n, m, caps, adj_j, adj_w, state)
    assert_consistent(adj_j, adj_w, caps, state)
    return old.assign, state.assign


@settings(max_examples=300, deadline=None)
@given(instances(max_needs=12, max_offers=6, max_cap=3), st.sampled_from(DUALS))
def test_canonicalize_matches_the_first_version(instance: Instance, dual: str) -> None:
    if dual == "scipy":
        pytest.importorskip("scipy")
    old, new = old_and_new(*instance, dual)
    assert new == old


@pytest.mark.parametrize("dual", DUALS)
@pytest.mark.parametrize("fits", ["one", "two", "varied"])
@pytest.mark.parametrize("seed", range(12))
def test_canonicalize_matches_the_first_version_on_larger_instances(
    seed: int, fits: str, dual: str
) -> None:
    if dual == "scipy":
        pytest.importorskip("scipy")
    rng = random.Random(1000 + seed)
    n, m = rng.choice([(40, 10), (80, 30), (150, 40), (250, 50)])
    n, caps, edges = random_instance(seed, n=n, m=m, degree=rng.choice([3, 8, 15]), max_cap=4)
    if fits == "one":
        edges = [(i, j, level, 20) for i, j, level, _fit in edges]
    elif fits == "two":  # as linkage gives outside the suitability table: 20, or 40 nearby
        edges = [(i, j, level, 20 + 20 * ((i + j) % 3 == 0)) for i, j, level, _fit in edges]
    old, new = old_and_new(n, caps, edges, dual)
    assert new == old


# --- hand examples ---------------------------------------------------------------------


def test_exact_beats_greedy_on_critical_needs() -> None:
    # Greedy (most urgent first, best fit first) gives need 0 offer 0 (fit 90),
    # and need 1, also critical, can only use offer 0: it would go unmet.
    edges = [(0, 0, 0, 90), (0, 1, 0, 10), (1, 0, 0, 0)]
    assert solve(2, [1, 1], edges) == [1, 0]


def test_urgency_comes_before_fit_and_count() -> None:
    # Two low needs with great fits lose their only offer to one critical need.
    edges = [(0, 0, 3, 100), (1, 0, 3, 100), (2, 0, 0, 0)]
    assert solve(3, [2], edges) == [0, None, 0]
    assert solve(3, [1], edges) == [None, None, 0]
    # Among equally urgent needs the fit decides.
    assert solve(2, [1], [(0, 0, 2, 10), (1, 0, 2, 30)]) == [None, 0]


def test_ties_prefer_lower_needs_then_lower_offers() -> None:
    edges = [(i, j, 1, 10) for i in range(3) for j in range(3)]
    assert solve(3, [1, 1, 0], edges) == [0, 1, None]
    assert solve(3, [0, 1, 1], edges) == [1, 2, None]
    assert solve(2, [2], [(1, 0, 0, 0), (0, 0, 0, 0)]) == [0, 0]


@pytest.mark.parametrize("method", METHODS)
def test_edge_cases(method: _solver.Method) -> None:
    assert solve(0, [], [], method=method) == []
    assert solve(0, [3, 1], [], method=method) == []
    assert solve(3, [], [], method=method) == [None, None, None]
    # Capacity 0 everywhere, or the only edge into a capacity-0 offer.
    assert solve(2, [0, 0], [(0, 0, 0, 5), (1, 1, 1, 5)], method=method) == [None, None]
    assert solve(2, [1, 0], [(1, 1, 0, 5)], method=method) == [None, None]
    assert solve(1, [1], [(0, 0, 0, 0)], method=method) == [0]
    # More columns than pairs: SciPy pads with non-edges, which must be dropped.
    edges = [(0, 0, 0, 5), (1, 0, 0, 5), (2, 1, 0, 5), (2, 2, 0, 5)]
    assert solve(3, [1, 1, 1], edges, method=method) == [0, None, 1]


def test_levels_parameter() -> None:
    edges = [(0, 0, 1, 0), (1, 0, 0, 0)]
    assert solve(2, [1], edges, levels=2) == [None, 0]
    assert solve(1, [1], [(0, 0, 0, 7)], levels=1) == [0]


def test_huge_fits_stay_exact() -> None:
    # Fits far beyond float64's exact range, where big + 1 and big are one float:
    # the SciPy path falls back to exact integers and the answer stays exact.
    big = 2**70
    edges = [(0, 0, 3, big + 1), (1, 0, 3, big), (1, 1, 3, 0), (2, 1, 3, 1)]
    assert brute_force(3, [1, 1], edges)[1] == [0, None, 1]
    assert solve(3, [1, 1], edges, method="pure") == [0, None, 1]
    if has_scipy():
        assert solve(3, [1, 1], edges, method="scipy") == [0, None, 1]


@pytest.mark.parametrize(("weight", "exact"), [(2**53 - 1, True), (2**53, False)])
def test_scipy_takes_weights_below_two_to_the_53_only(weight: int, exact: bool) -> None:
    # One level, two needs of fits f1 >= f2 into one offer of room 2: the heavier pair
    # weighs 2 * f1 + f2 + 1 (its fit and the level's weight, the fit span + 1). From
    # 2**53 on a float may not hold a weight exactly, and the SciPy path says so (None)
    # rather than guess (its docstring: "a weight at or above 2**53").
    pytest.importorskip("scipy")
    f1 = -(-(weight - 1) // 3)
    f2 = weight - 1 - 2 * f1
    assert 0 <= f2 <= f1
    caps, adj_j, adj_w = _solver._prepare(2, [2], [(0, 0, 0, f1), (1, 0, 0, f2)], 1)
    assert max(row.max() for row in adj_w) == weight
    state = _solver._solve_scipy(2, caps, adj_j, adj_w)
    assert (state is not None) is exact
    if state is not None:
        assert state.assign == [0, 0]


# --- the SciPy switch -------------------------------------------------------------------


def test_scipy_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    with pytest.raises(ImportError) as err:
        solve(1, [1], [(0, 0, 0, 1)], method="scipy")
    assert str(err.value) == (
        "method='scipy' needs SciPy: pip install 'community-care[fast]' (or use method='pure')"
    )
    # "auto" quietly solves without it, even where it would have chosen SciPy.
    monkeypatch.setattr(_solver, "SCIPY_MIN_EDGES", 0)
    assert solve(1, [1], [(0, 0, 0, 1)], method="auto") == [0]


def test_auto_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    n, caps, edges = random_instance(7, n=40, m=10, degree=5)
    pure = solve(n, caps, edges, method="pure")
    assert not _solver._scipy_pays(*_solver._prepare(n, caps, edges, LEVELS)[:2])
    monkeypatch.setattr(_solver, "SCIPY_MIN_EDGES", 0)
    assert _solver._scipy_pays(*_solver._prepare(n, caps, edges, LEVELS)[:2])
    assert solve(n, caps, edges, method="auto") == pure
    monkeypatch.setattr(_solver, "SCIPY_MAX_CELLS", 0)
    assert not _solver._scipy_pays(*_solver._prepare(n, caps, edges, LEVELS)[:2])


@pytest.mark.parametrize("method", ["pure", "scipy", "auto"])
def test_rows_are_solved_by_the_method_asked_for(
    method: _solver.Method, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("scipy")
    used: list[str] = []
    scipy = _solver._solve_scipy

    def recorded(*args: object) -> object:
        used.append("scipy")
        return scipy(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(_solver, "_solve_scipy", recorded)
    rows = [_solver.compact_ints([0]), _solver.compact_ints([0, 1])]
    fits = [_solver.compact_ints([5]), _solver.compact_ints([1, 2])]
    assert _solver.solve_rows([1, 1], rows, fits, [0, 1], method=method) == [0, 1]
    # "auto" takes SciPy only for large instances (test_auto_threshold).
    assert used == (["scipy"] if method == "scipy" else [])


def test_certificate_rejects_a_suboptimal_matching() -> None:
    # Need 0 sits on offer 0 while need 1 (more urgent, only offer 0) is unmet:
    # the certificate must find the improving exchange (a negative cycle).
    caps, adj_j, adj_w = _solver._prepare(2, [1], [(0, 0, 1, 0), (1, 0, 0, 0)], LEVELS)
    state = _solver._State(2, 1)
    state.assign[0] = 0
    state.aw[0] = adj_w[0][0]
    state.members[0].append(0)
    assert not _solver._certify(2, 1, caps, adj_j, adj_w, state)


def test_scipy_result_that_fails_the_certificate_falls_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("scipy")
    monkeypatch.setattr(_solver, "_certify", lambda *args: False)
    edges = [(0, 0, 0, 90), (0, 1, 0, 10), (1, 0, 0, 0)]
    assert solve(2, [1, 1], edges, method="scipy") == [1, 0]


# --- validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "caps", "edges", "kwargs", "match"),
    [
        (-1, [], [], {}, r"\$\.n_left"),
        (True, [], [], {}, r"\$\.n_left"),
        (1, [], [], {"levels": 0}, r"\$\.levels"),
        (1, [-1], [], {}, r"\$\.capacities\[0\]: expected an int >= 0, got -1"),
        (1, [1, 1.5], [], {}, r"\$\.capacities\[1\]"),
        (1, [1], [(0, 0, 0)], {}, r"\$\.edges\[0\]: expected \(left, right, level, fit\)"),
        (1, [1], [(1, 0, 0, 0)], {}, r"\$\.edges\[0\]\[0\]: expected 0 <= left < 1, got 1"),
        (1, [1], [(0, 1, 0, 0)], {}, r"\$\.edges\[0\]\[1\]"),
        (1, [1], [(0, -1, 0, 0)], {}, r"\$\.edges\[0\]\[1\]"),
        (1, [1], [(0, 0.0, 0, 0)], {}, r"\$\.edges\[0\]\[1\]"),
        (1, [1], [(0, 0, 4, 0)], {}, r"\$\.edges\[0\]\[2\]: expected 0 <= level < 4"),
        (1, [1], [(0, 0, 0, -5)], {}, r"\$\.edges\[0\]\[3\]"),
        (1, [1], [(0, 0, 0, 2.5)], {}, r"\$\.edges\[0\]\[3\]"),
        (1, [1], [(0, 0, 0, 1), (0, 0, 0, 2)], {}, r"\$\.edges\[1\]: duplicate pair"),
        (1, [1, 1], [(0, 0, 0, 1), (0, 1, 2, 1)], {}, r"left 0 has edges of level 0 and 2"),
    ],
)
def test_invalid_input(
    n: int, caps: list[int], edges: list[Edge], kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        solve(n, caps, edges, **kwargs)  # type: ignore[arg-type]  # deliberately wrong


def test_an_unknown_method_is_misuse() -> None:
    # The method is an argument, not data: the one argument error, naming the solver.
    from community_care.errors import InvalidArgumentError

    with pytest.raises(InvalidArgumentError) as err:
        solve(1, [1], [], method="fast")  # type: ignore[arg-type]  # deliberately wrong
    assert (
        str(err.value) == "solve(method=...): expected one of 'auto', 'pure', 'scipy', got 'fast'"
    )
