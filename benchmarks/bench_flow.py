"""Benchmark the exact matching solver against named baselines, in one run.

    python benchmarks/bench_flow.py [--quick]

Figures (ours vs baseline, on the same deterministic instance):

* ``pure``: our pure-Python solver (validation, encoding, solving, canonical
  tie-breaking) vs networkx solving the same lexicographic objective its own way
  (:func:`networkx_lexicographic`, network construction included).
* ``scipy``: our SciPy path (the same pipeline, plus the exact certificate) vs a
  bare ``scipy.optimize.linear_sum_assignment`` on a capacity-expanded matrix
  (building only its matrix from the encoded weights).
* ``match``: the whole ``linkage.match`` on ``Need``/``Offer`` objects (validation,
  deadlines, eligibility, scores, solving, breakdowns and unmatched reasons) vs the
  same eligible pairs and scores built by ``linkage``'s own code, then solved by
  :func:`networkx_lexicographic`: the ratio includes building the scores on both sides.
* ``ties``: the same two, on instances where almost every fit is equal, so that there
  are very many optimal matchings and the canonical tie-breaking does most of the
  work: ``_solver.solve`` (pure) with one fit for every pair vs networkx as in ``pure``,
  and ``match()`` with categories outside the suitability table (every fit is 20 or
  40) vs networkx as in ``match``.

**The answers are checked.** Every figure compares what ours and the baseline found:
the number of needs met at each urgency level and the total fit (:func:`summary`,
which also checks that each answer is a feasible matching). It does not compare the
matchings themselves: an instance has many optimal matchings, and only ours picks the
canonical one. The networkx baseline never sees our weight encoding (``BIG[level] +
fit``): it finds the counts level by level, as the ranks of a transversal matroid
(maximum flows), then the best total fit with those counts fixed (a min-cost flow), so
a wrong encoding would make the two disagree. The bare ``linear_sum_assignment`` is
given the encoded weights (that is the work the SciPy path hands it) and is checked
the same way.

Best of N repeats with ``time.perf_counter`` (networkx, the slow side, runs once); no
assertions about time.
``run(quick)`` returns the rows for a combined benchmark runner.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from benchmarks._common import DisagreementError, agree
from community_care import Need, Offer, default_policy
from community_care.linkage import _matching as linkage
from community_care.linkage import _solver
from community_care.policy import LinkageRules

Edge = tuple[int, int, int, int]

FULL = {"n": 2000, "m": 500, "repeats": 3}
QUICK = {"n": 200, "m": 50, "repeats": 2}
ON = date(2026, 3, 2)
# The categories of the spec's suitability table, so that fits vary as in real use.
CATEGORIES = sorted(
    {c for row in default_policy().at(ON).linkage.suitability.values() for c in row}
)
# As many categories that no party has in the table: every fit is then 2 x 10, + 20
# nearby, so almost every pair ties with many others (the "ties" figures).
UNLISTED = [f"unlisted_{k:02d}" for k in range(len(CATEGORIES))]
GRIDS = [f"g{k}" for k in range(8)]
PARTIES = ["community_committee", "member_unit", "social_organization", "volunteer", "resident"]


def instance(
    n: int, m: int, seed: int = 20240601, *, ties: bool = False
) -> tuple[list[int], list[Edge]]:
    """A deterministic instance: capacities 1-5, 10-40 eligible offers per need.

    With ``ties`` every pair has the same fit (the urgency levels still differ).
    """
    rng = random.Random(seed)
    caps = [rng.randint(1, 5) for _ in range(m)]
    edges: list[Edge] = []
    for i in range(n):
        level = rng.choices(range(4), weights=(1, 2, 4, 3))[0]
        for j in rng.sample(range(m), min(m, rng.randint(10, 40))):
            # Fits as the linkage computes them: 10 x suitability (+20 nearby).
            fit = 10 * rng.randint(0, 10) + rng.choice((0, 20))
            edges.append((i, j, level, 20 if ties else fit))
    return caps, edges


def best_of(repeats: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """The best wall time of ``repeats`` calls, and the last result."""
    best = float("inf")
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def encoded(n: int, caps: list[int], edges: list[Edge]) -> list[tuple[int, int, int]]:
    """(need, offer, weight) with the solver's own exact weight encoding."""
    _caps, adj_j, adj_w = _solver._prepare(n, caps, edges, 4)
    return [(i, j, w) for i in range(n) for j, w in zip(adj_j[i], adj_w[i], strict=True)]


def networkx_lexicographic(
    n: int, caps: list[int], edges: list[Edge], levels: int = 4
) -> list[int | None]:
    """The lexicographic optimum by networkx, without any weight encoding.

    The needs a b-matching can serve together form a transversal matroid, so the
    greedy rule is exact: the most needs of levels ``0..k`` served together is the
    maximum flow over those needs alone (their matroid rank), and the count at level
    ``k`` is that rank minus the rank of levels ``0..k-1``. With the counts fixed as
    the supplies of one node per level, a min-cost flow with cost ``-fit`` then finds
    the best total fit. Returns, for each need, its offer or ``None``.
    """
    import networkx as nx
    from networkx.algorithms.flow import shortest_augmenting_path

    level_of = {i: level for i, _, level, _ in edges}
    ranks = [0]
    for top in range(levels):
        graph = nx.DiGraph()
        graph.add_nodes_from(["s", "t"])
        for i, j, level, _ in edges:
            if level <= top:
                graph.add_edge("s", ("need", i), capacity=1)
                graph.add_edge(("need", i), ("offer", j), capacity=1)
        for j, cap in enumerate(caps):
            graph.add_edge(("offer", j), "t", capacity=cap)
        # The fastest of networkx's max-flow methods on these graphs (unit capacities).
        flow_value = nx.maximum_flow_value(graph, "s", "t", flow_func=shortest_augmenting_path)
        ranks.append(int(flow_value))
    counts = [ranks[k + 1] - ranks[k] for k in range(levels)]

    graph = nx.DiGraph()
    graph.add_node("t", demand=sum(counts))
    for level, count in enumerate(counts):
        graph.add_node(("level", level), demand=-count)
    for i, level in level_of.items():
        graph.add_edge(("level", level), ("need", i), capacity=1, weight=0)
    for i, j, _, fit in edges:
        graph.add_edge(("need", i), ("offer", j), capacity=1, weight=-fit)
    for j, cap in enumerate(caps):
        graph.add_edge(("offer", j), "t", capacity=cap, weight=0)
    flow = nx.min_cost_flow(graph)
    result: list[int | None] = [None] * n
    for i in level_of:
        for (_, j), units in flow[("need", i)].items():
            if units:
                result[i] = j
    return result


def bare_lsa(n: int, caps: list[int], weighted: list[tuple[int, int, int]]) -> list[int | None]:
    """Max total weight by a bare linear_sum_assignment on a capacity-expanded matrix.

    Returns, for each need, its offer or ``None`` (a need given a zero cell, that is no
    eligible offer, is unmatched).
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    start = np.concatenate(([0], np.cumsum(caps)[:-1])).astype(np.int64)
    owner = np.repeat(np.arange(len(caps)), caps)
    matrix = np.zeros((n, sum(caps)))
    for i, j, w in weighted:
        matrix[i, start[j] : start[j] + caps[j]] = w
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    result: list[int | None] = [None] * n
    for i, c in zip(rows.tolist(), cols.tolist(), strict=True):
        if matrix[i, c] > 0:
            result[i] = int(owner[c])
    return result


def summary(
    result: list[int | None], caps: list[int], edges: list[Edge], levels: int = 4
) -> tuple[tuple[int, ...], int]:
    """The needs met per urgency level and the total fit of a matching, once it is checked.

    Raises:
        DisagreementError: the matching uses a pair that is not eligible or an offer beyond
            its capacity (it is then no answer to the problem at all).
    """
    by_pair = {(i, j): (level, fit) for i, j, level, fit in edges}
    counts = [0] * levels
    load = [0] * len(caps)
    total = 0
    for i, j in enumerate(result):
        if j is None:
            continue
        if (i, j) not in by_pair:
            raise DisagreementError(f"need {i} matched to offer {j}, which is not eligible")
        level, fit = by_pair[i, j]
        counts[level] += 1
        total += fit
        load[j] += 1
    if any(used > cap for used, cap in zip(load, caps, strict=True)):
        raise DisagreementError("an offer is matched beyond its capacity")
    return tuple(counts), total


def linkage_instance(
    n: int, m: int, seed: int = 20240602, *, categories: list[str] = CATEGORIES
) -> tuple[list[Need], list[Offer]]:
    """Needs and offers like a large district's: 28 categories, 8 grids, some dates."""
    rng = random.Random(seed)
    urgencies = ["critical", "high", "normal", "low"]
    needs = [
        Need(
            id=f"n{i:05d}",
            category=rng.choice(categories),
            urgency=rng.choices(urgencies, weights=(1, 2, 4, 3))[0],
            grid=rng.choice(GRIDS),
            needed_by=rng.choice([None, ON + timedelta(days=rng.randint(-10, 60))]),
        )
        for i in range(n)
    ]
    offers = []
    for j in range(m):
        start = rng.choice([None, None, ON + timedelta(days=rng.randint(0, 40))])
        offers.append(
            Offer(
                id=f"o{j:04d}",
                party=rng.choice(PARTIES),
                capabilities=tuple(rng.sample(categories, rng.randint(2, 5))),
                capacity=rng.randint(1, 5),
                grids=tuple(rng.sample(GRIDS, rng.randint(0, 4))),
                home_grid=rng.choice([None, *GRIDS]),
                available_from=start,
            )
        )
    return needs, offers


def _vetting_allows(need: Need, offer: Offer, rules: LinkageRules) -> bool:
    """Spec §4's vetting rule, written from the spec: individuals meet children one to one
    only when vetted on or before the day, at most ``vetting_valid_days`` before it."""
    if offer.party.value not in ("volunteer", "resident"):
        return True
    if need.category not in rules.child_contact_categories:
        return True
    vetted = offer.vetted_on
    return vetted is not None and vetted <= ON and (ON - vetted).days <= rules.vetting_valid_days


def linkage_edges(needs: list[Need], offers: list[Offer]) -> tuple[list[int], list[Edge]]:
    """Capacities and eligible (need, offer, level, fit) edges, by linkage's own rules."""
    rules = default_policy().at(ON).linkage
    level = {"critical": 0, "high": 1, "normal": 2, "low": 3}
    capable: dict[str, list[int]] = {}
    for j, offer in enumerate(offers):
        for category in offer.capabilities:
            capable.setdefault(category, []).append(j)
    edges: list[Edge] = []
    for i, need in enumerate(needs):
        deadline = linkage._deadline(need, ON, rules)
        for j in capable.get(need.category, ()):
            offer = offers[j]
            if (
                linkage._in_area(need, offer)
                and _vetting_allows(need, offer, rules)
                and linkage._in_time(offer, ON, deadline)
            ):
                fit = sum(linkage._fit_parts(need, offer, rules))
                edges.append((i, j, level[need.urgency.value], fit))
    return [o.capacity for o in offers], edges


def linkage_networkx(needs: list[Need], offers: list[Offer]) -> list[int | None]:
    """Linkage's eligibility and fits, solved by :func:`networkx_lexicographic`."""
    caps, edges = linkage_edges(needs, offers)
    return networkx_lexicographic(len(needs), caps, edges)


def run(quick: bool) -> list[dict[str, Any]]:
    """Time ours vs the baselines, checking their answers agree; one dict per figure."""
    cfg = QUICK if quick else FULL
    n, m, repeats = cfg["n"], cfg["m"], cfg["repeats"]
    caps, edges = instance(n, m)
    size = f"{n}x{m}, {len(edges)} edges"
    rows: list[dict[str, Any]] = []

    figure = "pure vs networkx, level by level"
    ours, pure = best_of(repeats, lambda: _solver.solve(n, caps, edges, method="pure"))
    base, by_nx = best_of(1, lambda: networkx_lexicographic(n, caps, edges))
    agree(figure, summary(pure, caps, edges), summary(by_nx, caps, edges))
    rows.append(
        {"figure": figure, "ours": ours, "baseline": base, "ratio": base / ours, "size": size}
    )

    try:
        import scipy  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the environment
        return rows
    figure = "scipy path vs bare linear_sum_assignment"
    weighted = encoded(n, caps, edges)
    ours, fast = best_of(repeats, lambda: _solver.solve(n, caps, edges, method="scipy"))
    agree("the scipy and pure paths", fast, pure)
    base, by_lsa = best_of(repeats, lambda: bare_lsa(n, caps, weighted))
    agree(figure, summary(fast, caps, edges), summary(by_lsa, caps, edges))
    rows.append(
        {"figure": figure, "ours": ours, "baseline": base, "ratio": base / ours, "size": size}
    )
    rows.append(match_row(quick, repeats))
    rows.append(ties_row(quick, repeats))
    rows.append(match_row(quick, repeats, ties=True))
    return rows


def ties_row(quick: bool, repeats: int) -> dict[str, Any]:
    """The pure solver vs networkx when every pair has the same fit."""
    cfg = QUICK if quick else FULL
    n, m = cfg["n"], cfg["m"]
    caps, edges = instance(n, m, ties=True)
    figure = "ties: pure vs networkx, level by level"
    ours, pure = best_of(repeats, lambda: _solver.solve(n, caps, edges, method="pure"))
    base, by_nx = best_of(1, lambda: networkx_lexicographic(n, caps, edges))
    agree(figure, summary(pure, caps, edges), summary(by_nx, caps, edges))
    return {
        "figure": figure,
        "ours": ours,
        "baseline": base,
        "ratio": base / ours,
        "size": f"{n}x{m}, {len(edges)} edges, one fit",
    }


def match_row(quick: bool, repeats: int, *, ties: bool = False) -> dict[str, Any]:
    """``linkage.match`` end to end vs linkage's edges solved by networkx.

    With ``ties`` the categories are outside the suitability table: fits 20 or 40.
    """
    cfg = QUICK if quick else FULL
    needs, offers = linkage_instance(
        cfg["n"], cfg["m"], categories=UNLISTED if ties else CATEGORIES
    )
    figure = ("ties: " if ties else "") + "match() vs linkage edges + networkx"
    ours, result = best_of(repeats, lambda: linkage.match(needs, offers, on=ON))
    base, by_nx = best_of(1, lambda: linkage_networkx(needs, offers))
    caps, edges = linkage_edges(needs, offers)
    index = {o.id: j for j, o in enumerate(offers)}
    vector = [
        index[result.assignments[n.id]] if n.id in result.assignments else None for n in needs
    ]
    agree(figure, summary(vector, caps, edges), summary(by_nx, caps, edges))
    fits = "fits 20/40" if ties else "varied fits"
    return {
        "figure": figure,
        "ours": ours,
        "baseline": base,
        "ratio": base / ours,
        "size": f"{len(needs)}x{len(offers)}, {len(edges)} eligible pairs, {fits}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small instance, for CI smoke runs")
    args = parser.parse_args()
    rows = run(args.quick)
    print(f"{'figure':<49} {'ours (s)':>9} {'baseline (s)':>13} {'ratio':>7}  size")
    for row in rows:
        print(
            f"{row['figure']:<49} {row['ours']:>9.3f} {row['baseline']:>13.3f} "
            f"{row['ratio']:>6.1f}x  {row['size']}"
        )
    print("ratio = baseline time / our time (above 1: ours is faster)")


if __name__ == "__main__":
    main()
