"""The exact solver behind :func:`community_care.linkage.match` (private).

It knows nothing of needs and offers: it matches *left* vertices (needs, by index)
to *right* vertices (offers, by index, each with a capacity) along the eligible
edges it is given, and it does so exactly, not greedily.

The objective is lexicographic: first the number of matched left vertices of
level 0 (the most urgent, "critical"), then of level 1, and so on up to the least
urgent level, and only then the total fit. Among the matchings that are optimal
for that objective it returns one canonical matching, so the answer depends only
on the problem, never on the order of the edges or on the method used.

How it works
------------

1. **Encoding.** Every edge gets one exact integer weight ``BIG[level] + fit``
   whose total over a matching orders matchings exactly as the lexicographic
   objective does (see :func:`_level_weights` for the proof).
2. **Solving** the max-weight b-matching, by one of two interchangeable methods:

   * ``"pure"``: successive shortest augmenting paths, one left vertex at a time
     (the Hungarian method generalised to capacities), with Dijkstra on reduced
     costs. Each left vertex may also stay unmatched at weight 0, so a search
     stops as soon as no augmenting path beats staying unmatched: the result is
     the maximum *weight*, not the maximum cardinality. Exact Python integers.
   * ``"scipy"``: :func:`scipy.optimize.linear_sum_assignment` on a
     capacity-expanded matrix, in float64. Floats are exact below 2**53 only, so
     the solution is then *certified* with exact integers (shortest-path
     potentials that prove no improving exchange exists); if the weights are
     too large or the certificate fails, the pure method answers instead.

3. **Canonical tie-breaking.** With the potentials (an optimal dual) fixed, the
   optimal matchings are exactly the feasible ones on the "tight" edges, and two
   optimal matchings differ by zero-cost alternating cycles. Walking the left
   vertices in index order, each is moved to the lowest-index right vertex it can
   have in *some* optimal matching that keeps the earlier choices, then frozen.
   The result is the lexicographically smallest assignment vector among all
   optimal matchings (unmatched counts as larger than every right index): lower
   left indices are served first, and with their lowest-index right vertex.
   Because that matching is unique, both methods return identical answers.
"""

from __future__ import annotations

import heapq
from array import array
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Literal, TypeAlias

from community_care._kernel.checks import check_choice
from community_care.errors import InvalidInputError

__all__ = ["solve", "solve_rows"]

Method = Literal["auto", "pure", "scipy"]
# The solvers a caller may pick; the public functions check ``method`` against these.
METHODS: tuple[Method, ...] = ("auto", "pure", "scipy")

# When "auto" uses SciPy (if importable). Measured on instances like those of
# benchmarks/bench_flow.py (10-40 edges per left vertex, capacities 1-5): SciPy was
# 1.2-1.6x faster from 10,000 edges up (e.g. 500x125, 2000x500) while the dense
# capacity-expanded matrix stayed within ~64 cells per edge, and slower on sparser
# instances (2000x500 with 3-8 edges each: 285 cells per edge, 1.5x slower) or on
# very large ones (4000x1000: 12M cells, no gain, 96 MiB). SciPy's work grows
# with the dense matrix, the pure solver's with the edges and the ties.
SCIPY_MIN_EDGES = 10_000
SCIPY_MAX_CELLS_PER_EDGE = 64
SCIPY_MAX_CELLS = 1 << 23  # 64 MiB of float64

# float64 represents every integer up to 2**53 exactly; beyond that SciPy could
# silently round two different weights to one.
_FLOAT_EXACT = 1 << 53

# Cells of SciPy's matrix filled per step (see _solve_scipy).
_FILL_CHUNK = 1 << 20

#: A row of small integers: an ``array`` of machine integers (4 or 8 bytes each), or
#: a list when a value is beyond 64 bits (a fit that large is the caller's choice).
Ints: TypeAlias = "array[int] | list[int]"

#: What the solver keeps per eligible pair in its own structures: the right vertex
#: (``array('i')``, 4 bytes) and the fit (``array('i')``, 4 bytes, or ``array('q')``
#: when a fit needs 8), plus at most two 4-byte entries for the pair while the
#: canonical tie-breaking runs (its "tight" pairs, from each side). Per left vertex
#: there are two arrays and a row object, about 200 bytes.
BYTES_PER_PAIR = 16


def compact_ints(values: list[int]) -> Ints:
    """``values`` as compactly as they fit: ``array('i')``, ``array('q')`` or the list."""
    if not values:
        return array("i")
    low, high = min(values), max(values)
    if low >= -(1 << 31) and high < 1 << 31:
        return array("i", values)
    if low >= -(1 << 63) and high < 1 << 63:
        return array("q", values)
    return values


class _Row:
    """The encoded weights of one left vertex's pairs: ``big + fits[k]``.

    Every pair of a left vertex has the same level, so its weights share one
    ``BIG[level]`` and only the fits are stored, compactly. It reads as a sequence
    of the weights; the hot loops use ``big`` and ``fits`` directly.
    """

    __slots__ = ("big", "fits")

    def __init__(self, big: int, fits: Ints) -> None:
        self.big = big
        self.fits = fits

    def __len__(self) -> int:
        return len(self.fits)

    def __getitem__(self, k: int) -> int:
        return self.big + self.fits[k]

    def __iter__(self) -> Iterator[int]:
        big = self.big
        return (big + f for f in self.fits)

    def max(self) -> int:
        """The heaviest weight (the row must not be empty)."""
        return self.big + max(self.fits)


def solve(
    n_left: int,
    capacities: Sequence[int],
    edges: Sequence[tuple[int, int, int, int]],
    *,
    levels: int = 4,
    method: Method = "auto",
) -> list[int | None]:
    """Match left vertices to right vertices, urgency first, exactly.

    Args:
        n_left: number of left vertices (needs), indexed ``0 .. n_left - 1``.
        capacities: for each right vertex (offer), how many left vertices it can
            take (``>= 0``).
        edges: the eligible pairs as ``(left, right, level, fit)``; ``level`` is
            the urgency of the left vertex, ``0`` the most urgent, ``levels - 1``
            the least; every edge of one left vertex carries the same level.
            ``fit >= 0``. Each pair at most once; the order does not matter.
        levels: how many urgency levels there are.
        method: ``"pure"`` (exact integers, no dependency), ``"scipy"``
            (SciPy's assignment solver, certified exactly; falls back to pure
            when it cannot be certified), or ``"auto"`` (SciPy for large
            instances when it is importable, else pure).

    Returns:
        For each left vertex, the right vertex it gets, or ``None``. The
        matching maximises the matched count of level 0, then level 1, ...,
        then the total fit; among such matchings it is the lexicographically
        smallest assignment vector (``None`` after every index).

    Raises:
        InvalidInputError: (a ``ValueError``) for a negative capacity, an index
            or level out of range, a negative fit, a duplicate pair, or a left
            vertex whose edges carry different levels.
        ImportError: ``method="scipy"`` and SciPy is not installed.

    Examples:
        >>> solve(2, [1], [(0, 0, 1, 50), (1, 0, 0, 0)])  # urgency beats fit
        [None, 0]
        >>> solve(3, [1, 1], [(0, 0, 0, 5), (1, 0, 0, 5), (2, 1, 0, 5)])
        [0, None, 1]
    """
    # The public functions check ``method`` first (naming themselves); this guards the
    # solver's own contract for its direct callers.
    check_choice("solve", "method", method, METHODS)
    caps, adj_j, adj_w = _prepare(n_left, capacities, edges, levels)
    return _solve_prepared(n_left, caps, adj_j, adj_w, method)


def solve_rows(
    capacities: Sequence[int],
    rows: Sequence[Ints],
    fits: Sequence[Ints],
    level_of: Sequence[int],
    *,
    levels: int = 4,
    method: Method = "auto",
) -> list[int | None]:
    """:func:`solve` on eligible pairs already held compactly, one row per left vertex.

    Left vertex ``i`` has the pairs ``(i, rows[i][k])`` with fit ``fits[i][k]``; its
    level is ``level_of[i]``. The caller guarantees what :func:`solve` checks: each
    row strictly ascending and within ``0 .. len(capacities) - 1``, fits ``>= 0``,
    levels within ``0 .. levels - 1``. The rows are used as they are (not copied)
    when every capacity is positive, so pairs held as ``array('i')`` rows and
    ``array('q')`` fits cost 12 bytes each here (see :data:`BYTES_PER_PAIR`).

    Returns:
        As :func:`solve`: for each left vertex, its right vertex or ``None``.
    """
    caps = list(capacities)
    if any(c == 0 for c in caps):  # a pair into a capacity-0 right vertex is never used
        kept = [[k for k, j in enumerate(js) if caps[j] > 0] for js in rows]
        rows = [compact_ints([js[k] for k in ks]) for js, ks in zip(rows, kept, strict=True)]
        fits = [compact_ints([fs[k] for k in ks]) for fs, ks in zip(fits, kept, strict=True)]
    big = _row_weights(levels, fits, level_of)
    adj_w = [_Row(big[level] if fs else 0, fs) for fs, level in zip(fits, level_of, strict=True)]
    return _solve_prepared(len(rows), caps, list(rows), adj_w, method)


def _solve_prepared(
    n: int, caps: list[int], adj_j: list[Ints], adj_w: list[_Row], method: Method
) -> list[int | None]:
    """Solve, then canonicalize, a prepared problem (see :func:`solve`)."""
    m = len(caps)
    state: _State | None = None
    if method == "scipy" or (method == "auto" and _scipy_pays(caps, adj_j)):
        try:
            state = _solve_scipy(n, caps, adj_j, adj_w)
        except ImportError:
            if method == "scipy":
                raise ImportError(
                    "method='scipy' needs SciPy: pip install 'community-care[fast]' "
                    "(or use method='pure')"
                ) from None
    if state is None:
        state = _solve_pure(n, caps, adj_j, adj_w, _heaviest_first(adj_w))
        _complete_potentials(n, m, adj_j, adj_w, state)
    _canonicalize(n, m, caps, adj_j, adj_w, state)
    return [None if j < 0 else j for j in state.assign]


def _scipy_pays(caps: list[int], adj_j: Sequence[Ints]) -> bool:
    """Whether SciPy is expected to beat the pure solver (thresholds measured)."""
    n_edges = sum(map(len, adj_j))
    if n_edges < SCIPY_MIN_EDGES:
        return False
    degree = [0] * len(caps)
    for js in adj_j:
        for j in js:
            degree[j] += 1
    rows = sum(1 for js in adj_j if js)
    cells = rows * sum(map(min, caps, degree))
    return cells <= min(SCIPY_MAX_CELLS, SCIPY_MAX_CELLS_PER_EDGE * n_edges)


class _State:
    """A b-matching with its potentials: the solver's working memory.

    Vertices of the flow network are numbered: left ``0 .. n-1``, right
    ``n .. n+m-1``, sink ``n+m``. Each left vertex sends one unit to the sink,
    through a right vertex (matched) or straight (unmatched, weight 0). ``pot``
    holds potentials under which every residual arc has a reduced cost
    ``cost + pot[tail] - pot[head] >= 0`` (cost = -weight on a left->right arc).
    """

    __slots__ = ("assign", "aw", "members", "pot")

    def __init__(self, n: int, m: int) -> None:
        self.assign = [-1] * n  # right index, or -1 when unmatched
        self.aw = [0] * n  # weight of the assigned edge
        self.members: list[list[int]] = [[] for _ in range(m)]  # left vertices per right
        self.pot = [0] * (n + m + 1)


def _prepare(
    n: int,
    capacities: Sequence[int],
    edges: Sequence[tuple[int, int, int, int]],
    levels: int,
) -> tuple[list[int], list[Ints], list[_Row]]:
    """Validate the input and build sorted adjacency rows of encoded weights."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InvalidInputError.at("$.n_left", f"expected an int >= 0, got {n!r}")
    if isinstance(levels, bool) or not isinstance(levels, int) or levels < 1:
        raise InvalidInputError.at("$.levels", f"expected an int >= 1, got {levels!r}")
    caps = list(capacities)
    for j, c in enumerate(caps):
        if isinstance(c, bool) or not isinstance(c, int) or c < 0:
            raise InvalidInputError.at(f"$.capacities[{j}]", f"expected an int >= 0, got {c!r}")
    m = len(caps)
    level_of = [-1] * n
    seen: set[tuple[int, int]] = set()
    usable: list[tuple[int, int, int]] = []
    for k, edge in enumerate(edges):
        if len(edge) != 4:
            raise InvalidInputError.at(
                f"$.edges[{k}]", f"expected (left, right, level, fit), got {edge!r}"
            )
        i, j, level, fit = edge
        if not (isinstance(i, int) and 0 <= i < n):
            raise InvalidInputError.at(f"$.edges[{k}][0]", f"expected 0 <= left < {n}, got {i!r}")
        if not (isinstance(j, int) and 0 <= j < m):
            raise InvalidInputError.at(f"$.edges[{k}][1]", f"expected 0 <= right < {m}, got {j!r}")
        if not (isinstance(level, int) and 0 <= level < levels):
            raise InvalidInputError.at(
                f"$.edges[{k}][2]", f"expected 0 <= level < {levels}, got {level!r}"
            )
        if isinstance(fit, bool) or not isinstance(fit, int) or fit < 0:
            raise InvalidInputError.at(f"$.edges[{k}][3]", f"expected an int >= 0, got {fit!r}")
        if (i, j) in seen:
            raise InvalidInputError.at(f"$.edges[{k}]", f"duplicate pair (left {i}, right {j})")
        seen.add((i, j))
        if level_of[i] == -1:
            level_of[i] = level
        elif level_of[i] != level:
            raise InvalidInputError.at(
                f"$.edges[{k}][2]",
                f"left {i} has edges of level {level_of[i]} and {level}; expected one level",
            )
        if caps[j] > 0:  # an edge into a full-from-the-start right vertex is never used
            usable.append((i, j, fit))
    usable.sort()  # internal order from the edge set alone, whatever the input order
    big = _level_weights(levels, usable, level_of)
    del seen
    js: list[list[int]] = [[] for _ in range(n)]
    fs: list[list[int]] = [[] for _ in range(n)]
    for i, j, fit in usable:
        js[i].append(j)
        fs[i].append(fit)
    del usable
    adj_j = [compact_ints(row) for row in js]
    adj_w = [_Row(big[level_of[i]] if row else 0, compact_ints(row)) for i, row in enumerate(fs)]
    return caps, adj_j, adj_w


def _level_weights(
    levels: int, usable: list[tuple[int, int, int]], level_of: list[int]
) -> list[int]:
    """Return ``BIG[level]`` so that total weight orders matchings lexicographically.

    Let ``F`` be the sum over left vertices of their best fit (so any two
    matchings differ by less than ``F + 1`` in total fit) and ``c[l]`` the number
    of left vertices of level ``l`` that have an edge. Set ``BIG[L-1] = F + 1`` and
    ``BIG[l] = BIG[l+1] * (c[l+1] + 1)``. By induction
    ``BIG[l] = sum(BIG[k] * c[k] for k > l) + F + 1``. If matching M has more
    level-``l`` vertices than M' and the same count at every more urgent level,
    then ``w(M) - w(M') >= BIG[l] - sum(BIG[k] * c[k] for k > l) - F = 1 > 0``:
    the less urgent levels and the fit together cannot make up for one more
    urgent vertex. With equal counts at every level the weights differ by the
    fit alone. The constants are as small as this argument allows, which keeps
    them within float64's exact range for SciPy on realistic sizes.
    """
    best_fit: dict[int, int] = {}
    for i, _j, fit in usable:
        if fit >= best_fit.get(i, 0):
            best_fit[i] = fit
    counts = [0] * levels
    for i in best_fit:
        counts[level_of[i]] += 1
    return _weights_from(sum(best_fit.values()), counts)


def _row_weights(levels: int, fits: Sequence[Ints], level_of: Sequence[int]) -> list[int]:
    """:func:`_level_weights` for pairs held in rows (``fits[i]``: left ``i``'s fits)."""
    counts = [0] * levels
    span = 0
    for fs, level in zip(fits, level_of, strict=True):
        if fs:
            counts[level] += 1
            span += max(fs)
    return _weights_from(span, counts)


def _weights_from(fit_span: int, counts: list[int]) -> list[int]:
    """``BIG[level]`` from the sum of best fits and the left vertices with pairs per level."""
    levels = len(counts)
    big = [0] * levels
    big[levels - 1] = fit_span + 1
    for level in range(levels - 2, -1, -1):
        big[level] = big[level + 1] * (counts[level + 1] + 1)
    return big


def _heaviest_first(adj_w: Sequence[_Row]) -> list[int]:
    """Left vertices with edges, by best edge weight, heaviest (most urgent) first.

    Placing the heavy ones first means fewer evictions later, and a light vertex
    that arrives when the prices have risen is rejected without any search.
    """
    return sorted((i for i, ws in enumerate(adj_w) if ws), key=lambda i: (-adj_w[i].max(), i))


def _solve_pure(
    n: int,
    caps: list[int],
    adj_j: Sequence[Ints],
    adj_w: Sequence[_Row],
    order: list[int],
) -> _State:
    """Max-weight b-matching by successive shortest paths, one left vertex at a time.

    ``order`` lists the left vertices that have edges (the others stay unmatched).

    After each left vertex is placed the flow is a min-cost flow for the
    vertices placed so far, and the potentials certify it on every residual arc
    except the sink's outgoing ones (no search ever leaves the sink);
    :func:`_complete_potentials` fixes those afterwards.
    """
    m = len(caps)
    t = n + m
    st = _State(n, m)
    pot, assign, aw, members = st.pot, st.assign, st.aw, st.members
    heappush, heappop = heapq.heappush, heapq.heappop
    # Each left vertex's arcs are its row of right indices and its fits (arrays, no
    # object per arc); every arc of left v weighs bigs[v] + fit.
    bigs = [row.big for row in adj_w]
    fits = [row.fits for row in adj_w]
    # Per-search scratch space, valid where mark[v] == the current search; no
    # per-search allocation or reset.
    mark = [-1] * (t + 1)
    dist = [0] * (t + 1)
    prev = [0] * (t + 1)
    prev_w = [0] * (t + 1)
    for k in order:
        # The new vertex's potential makes all its arcs' reduced costs >= 0.
        pt = pot[t]
        pk = max(pt, bigs[k] + max(pot[n + j] + f for j, f in zip(adj_j[k], fits[k], strict=True)))
        pot[k] = pk
        # Dijkstra from k to the sink; staying unmatched costs `best` at once,
        # so only paths cheaper than that are ever explored.
        best = pk - pt
        last = k  # the vertex whose arc into the sink ends the best path
        mark[k] = k
        dist[k] = 0
        settled: list[int] = []
        heap = [(0, k)]
        while heap:
            d, v = heappop(heap)
            if d >= best:
                break
            if d > dist[v]:
                continue
            settled.append(v)
            base = d + pot[v]
            if v < n:
                cur = assign[v]
                bv = bigs[v]
                reduced = base - bv  # base - weight = reduced - fit
                for j, f in zip(adj_j[v], fits[v], strict=True):
                    u = n + j
                    nd = reduced - f - pot[u]
                    if nd < best and (mark[u] != k or nd < dist[u]) and j != cur:
                        mark[u] = k
                        dist[u] = nd
                        prev[u] = v
                        prev_w[u] = bv + f
                        heappush(heap, (nd, u))
                if base - pt < best:  # leave v unmatched
                    best, last = base - pt, v
            else:
                mems = members[v - n]
                if len(mems) < caps[v - n] and base - pt < best:
                    best, last = base - pt, v
                for u in mems:
                    nd = base + aw[u] - pot[u]
                    if nd < best and (mark[u] != k or nd < dist[u]):
                        mark[u] = k
                        dist[u] = nd
                        prev[u] = v
                        heappush(heap, (nd, u))
        for v in settled:
            pot[v] += dist[v] - best
        # Augment along the path k -> r1 -> l1 -> r2 -> ... -> last -> sink.
        if last < n:
            if last == k:
                continue
            j = assign[last]
            members[j].remove(last)
            assign[last] = -1
            y = n + j
        else:
            y = last
        while True:
            z = prev[y]
            j = y - n
            old_j = assign[z]
            assign[z] = j
            aw[z] = prev_w[y]
            members[j].append(z)
            if z == k:
                break
            members[old_j].remove(z)
            y = n + old_j
    return st


def _complete_potentials(
    n: int, m: int, adj_j: Sequence[Ints], adj_w: Sequence[_Row], st: _State
) -> None:
    """Make the potentials valid on the sink's outgoing arcs too.

    Only those arcs may have negative reduced cost, and only at the start of a
    path, so one Dijkstra from the sink seeded with their costs is exact
    (a cheaper way back to the sink would be a negative cycle, and an optimal
    flow has none). Vertices it cannot reach get the largest distance, which
    keeps every arc from them non-negative.
    """
    t = n + m
    pot, assign, aw, members = st.pot, st.assign, st.aw, st.members
    pt = pot[t]
    dist: dict[int, int] = {t: 0}
    heap: list[tuple[int, int]] = []
    for j in range(m):
        if members[j]:
            dist[n + j] = pt - pot[n + j]
            heap.append((pt - pot[n + j], n + j))
    for i in range(n):
        if assign[i] < 0:
            dist[i] = pt - pot[i]
            heap.append((pt - pot[i], i))
    heapq.heapify(heap)
    done: set[int] = set()
    while heap:
        d, v = heapq.heappop(heap)
        if v in done:
            continue
        done.add(v)
        pv = pot[v]
        if v < n:
            cur = assign[v]
            reduced = d + pv - adj_w[v].big
            for j, f in zip(adj_j[v], adj_w[v].fits, strict=True):
                u = n + j
                nd = reduced - f - pot[u]
                if j != cur and nd < dist.get(u, nd + 1):
                    dist[u] = nd
                    heapq.heappush(heap, (nd, u))
        else:
            # A matched left vertex has no other way in: its first label is final.
            for u in members[v - n]:
                nd = d + pv + aw[u] - pot[u]
                dist[u] = nd
                heapq.heappush(heap, (nd, u))
    top = max(dist.values())
    for v in range(n + m + 1):
        pot[v] += dist.get(v, top)


def _solve_scipy(
    n: int, caps: list[int], adj_j: Sequence[Ints], adj_w: Sequence[_Row]
) -> _State | None:
    """Solve with SciPy on a capacity-expanded matrix, then certify exactly.

    Returns ``None`` when exactness cannot be had: a weight at or above 2**53,
    or a float result that the exact certificate rejects.

    Raises:
        ImportError: SciPy (or NumPy) is not installed.
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    m = len(caps)
    st = _State(n, m)
    rows = [i for i in range(n) if adj_j[i]]
    if not rows:
        _certify(n, m, caps, adj_j, adj_w, st)
        return st
    if max(adj_w[i].max() for i in rows) >= _FLOAT_EXACT:
        return None
    # A right vertex never needs more copies than it has edges.
    degree = [0] * m
    for js in adj_j:
        for j in js:
            degree[j] += 1
    slots = np.array([min(c, d) for c, d in zip(caps, degree, strict=True)], dtype=np.int64)
    start = np.concatenate(([0], np.cumsum(slots)[:-1]))
    col_right = np.repeat(np.arange(m, dtype=np.int64), slots)
    # The pairs straight from the rows' arrays, no Python object per pair. Every
    # weight is below 2**53 (checked above), so int64 holds it and float64 exactly.
    lengths = np.array([len(adj_j[i]) for i in rows], dtype=np.int64)
    e_row = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    e_right = np.concatenate([np.asarray(adj_j[i], dtype=np.int64) for i in rows])
    e_w = np.concatenate([np.asarray(adj_w[i].fits, dtype=np.int64) for i in rows])
    e_w += np.repeat(np.array([adj_w[i].big for i in rows], dtype=np.int64), lengths)
    e_w = e_w.astype(np.float64)
    # The matrix holds the weights negated, as costs: what linear_sum_assignment(...,
    # maximize=True) would hand its solver after negating a copy, without the copy.
    # It is filled in chunks of about a million cells, so that the index arrays (one
    # entry per cell) stay small beside it.
    matrix = np.zeros((len(rows), int(slots.sum())), dtype=np.float64)
    reps = slots[e_right]
    ends = np.cumsum(reps)
    a = 0
    while a < len(reps):
        b = max(a + 1, int(np.searchsorted(ends, ends[a] - reps[a] + _FILL_CHUNK, side="right")))
        r = reps[a:b]
        first = np.repeat(np.cumsum(r) - r, r)
        cols = np.repeat(start[e_right[a:b]], r) + (np.arange(int(r.sum())) - first)
        matrix[np.repeat(e_row[a:b], r), cols] = -np.repeat(e_w[a:b], r)
        a = b
    del e_row, e_right, e_w, reps, ends
    row_ind, col_ind = linear_sum_assignment(matrix)
    for r, c in zip(row_ind.tolist(), col_ind.tolist(), strict=True):
        if matrix[r, c] < 0:  # every real edge weighs >= 1; zeros are padding
            i, j = rows[r], int(col_right[c])
            st.assign[i] = j
            st.aw[i] = adj_w[i][adj_j[i].index(j)]
            st.members[j].append(i)
    return st if _certify(n, m, caps, adj_j, adj_w, st) else None


def _certify(
    n: int,
    m: int,
    caps: list[int],
    adj_j: Sequence[Ints],
    adj_w: Sequence[_Row],
    st: _State,
) -> bool:
    """Compute exact potentials for a given matching; ``False`` if it is not optimal.

    Bellman-Ford (queue-based) from a virtual root joined to every vertex: the
    distances are valid potentials exactly when the residual network has no
    negative cycle, which is exactly when the matching has maximum weight.
    """
    t = n + m
    size = t + 1
    assign, aw, members = st.assign, st.aw, st.members
    dist = [0] * size
    arcs_on_path = [0] * size
    queue = deque(range(size))
    in_queue = [True] * size
    while queue:
        v = queue.popleft()
        in_queue[v] = False
        d = dist[v]
        arcs: list[tuple[int, int]]
        if v < n:
            cur = assign[v]
            arcs = [(n + j, -w) for j, w in zip(adj_j[v], adj_w[v], strict=True) if j != cur]
            if cur >= 0:
                arcs.append((t, 0))
        elif v < t:
            arcs = [(u, aw[u]) for u in members[v - n]]
            if len(members[v - n]) < caps[v - n]:
                arcs.append((t, 0))
        else:
            arcs = [(n + j, 0) for j in range(m) if members[j]]
            arcs += [(i, 0) for i in range(n) if assign[i] < 0 and adj_j[i]]
        for u, c in arcs:
            if d + c < dist[u]:
                dist[u] = d + c
                arcs_on_path[u] = arcs_on_path[v] + 1
                if arcs_on_path[u] >= size:  # a simple path has fewer arcs: a cycle
                    return False
                if not in_queue[u]:
                    in_queue[u] = True
                    queue.append(u)
    st.pot[:] = dist
    return True


def _canonicalize(
    n: int,
    m: int,
    caps: list[int],
    adj_j: Sequence[Ints],
    adj_w: Sequence[_Row],
    st: _State,
) -> None:
    """Turn an optimal matching into the canonical one, in place.

    The potentials are an optimal dual, so the optimal matchings are those using
    only tight arcs (reduced cost 0), and any two differ by tight alternating
    cycles. Left vertex ``i`` (in index order) is moved to the lowest-index right
    vertex ``j`` with a tight arc ``i -> j`` that lies on a tight residual cycle
    avoiding the vertices already frozen; then ``i`` is frozen. Which cycle is
    used does not matter: the optimal matchings that keep the frozen choices are
    the same whichever it is, so the result is the unique canonical matching.

    For each ``i`` the question "can right ``j0`` get back to ``i``?" is settled
    by two searches that share their work: a backward search from ``i`` (every
    vertex it reaches can get to ``i``; kept for all of ``i``'s candidates) and a
    forward search from ``j0`` (when it runs dry, nothing it reached can get to
    ``i``: those vertices are skipped for ``i``'s later candidates). The two
    advance in turn, the one that has scanned fewer arcs first, and stop as soon
    as they meet or either runs dry. So a candidate costs about as much as the
    smaller of the two searches, and nothing is searched twice for one ``i``.
    """
    t = n + m
    pot, assign, aw, members = st.pot, st.assign, st.aw, st.members
    pt = pot[t]
    frozen = [False] * n
    # Arcs at the sink are tight only at these vertices: right j -> sink (spare
    # capacity) and sink -> right j (undo one of its members), left i -> sink
    # (matched i leaves) and sink -> left i (unmatched i enters).
    sink_right = [j for j in range(m) if pot[n + j] == pt]
    sink_left = [i for i in range(n) if pot[i] == pt and adj_j[i]]
    at_sink = [False] * (t + 1)
    for v in sink_right:
        at_sink[n + v] = True
    for v in sink_left:
        at_sink[v] = True
    # A tight arc i -> j weighs pot[i] - pot[n + j] (its reduced cost is 0), so only
    # its ends are kept: right indices per left, left indices per right (arrays).
    tight: list[Ints] = []
    for i in range(n):
        reduced = pot[i] - adj_w[i].big
        tight.append(
            compact_ints(
                [
                    j
                    for j, f in zip(adj_j[i], adj_w[i].fits, strict=True)
                    if reduced - f == pot[n + j]
                ]
            )
        )
    code = "i" if n <= 1 << 31 else "q"
    into = [array(code) for _ in range(m)]  # tight arcs into right j, by left index
    for i in range(n):
        for j in tight[i]:
            into[j].append(i)

    for i in range(n):
        cur = assign[i]
        # back[v] = (next vertex on a tight residual path from v to i, weight of
        # that arc when it runs left -> right); bq is its queue, bpos its head.
        back: dict[int, tuple[int, int]] = {i: (i, 0)}
        bq = [i]
        bpos = 0
        bwork = 0
        dead: set[int] = set()  # vertices that cannot get back to i
        fwork = 0
        for j0 in tight[i]:
            if 0 <= cur <= j0:
                break
            s = n + j0
            w0 = pot[i] - pot[s]
            # fwd[v] = (previous vertex on the path from s, weight as in back).
            fwd: dict[int, tuple[int, int]] = {s: (i, w0)}
            meet = s if s in back else -1
            if meet < 0 and (bpos == len(bq) or s in dead):
                continue
            fq = [s]
            fpos = 0
            while meet < 0:
                if fpos == len(fq):  # s cannot get back to i
                    dead.update(fq)
                    break
                if bpos == len(bq):  # back holds every vertex that can get to i
                    break
                if fwork <= bwork:
                    v = fq[fpos]
                    fpos += 1
                    found: list[tuple[int, int]] = []
                    if v < n:
                        vj = assign[v]
                        pv = pot[v]
                        found = [(n + j, pv - pot[n + j]) for j in tight[v] if j != vj]
                        if vj >= 0 and at_sink[v]:
                            found.append((t, 0))
                    elif v < t:
                        j = v - n
                        pv = pot[v]
                        mems = members[j]
                        found = [(u, 0) for u in mems if not frozen[u] and pv + aw[u] == pot[u]]
                        if at_sink[v] and len(mems) < caps[j]:
                            found.append((t, 0))
                    else:
                        found = [(n + j, 0) for j in sink_right if members[j]]
                        found += [(u, 0) for u in sink_left if assign[u] < 0 and not frozen[u]]
                    fwork += len(found) + 1
                    for y, w in found:
                        if y not in fwd and y not in dead:
                            fwd[y] = (v, w)
                            if y in back:
                                meet = y
                                break
                            fq.append(y)
                else:
                    x = bq[bpos]
                    bpos += 1
                    if x < n:
                        xj = assign[x]
                        if xj < 0:
                            found = [(t, 0)] if at_sink[x] else []
                        else:
                            found = [(n + xj, 0)] if pot[n + xj] + aw[x] == pot[x] else []
                    elif x < t:
                        j = x - n
                        px = pot[x]
                        found = [
                            (u, pot[u] - px) for u in into[j] if not frozen[u] and assign[u] != j
                        ]
                        if at_sink[x] and members[j]:
                            found.append((t, 0))
                    else:
                        found = [(n + j, 0) for j in sink_right if len(members[j]) < caps[j]]
                        found += [(u, 0) for u in sink_left if assign[u] >= 0 and not frozen[u]]
                    bwork += len(found) + 1
                    for y, w in found:
                        if y not in back:
                            back[y] = (x, w)
                            if y in fwd:
                                meet = y
                                break
                            bq.append(y)
            if meet < 0:
                continue
            # The cycle i -> s ~> meet ~> i. Along it each left vertex takes the head
            # of its outgoing arc (a right vertex, or the sink = unmatched), and
            # leaves the right vertex it came in from.
            arcs: list[tuple[int, int, int]] = [(i, s, w0)]
            y = meet
            while y != s:
                u, w = fwd[y]
                arcs.append((u, y, w))
                y = u
            y = meet
            while y != i:
                u, w = back[y]
                arcs.append((y, u, w))
                y = u
            for u, v, _w in arcs:
                if n <= u < t and v < n:
                    members[u - n].remove(v)
            for u, v, w in arcs:
                if u < n:
                    if v < t:
                        assign[u] = v - n
                        aw[u] = w
                        members[v - n].append(u)
                    else:
                        assign[u] = -1
                        aw[u] = w
            break
        frozen[i] = True
