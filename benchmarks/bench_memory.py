"""The matching's memory: bytes per eligible pair, and the peak of a dense matching.

    python -m benchmarks.bench_memory [--quick]

The instance is dense: 4,000 needs that every one of 400 offers can serve (one
category, no service areas, no dates), so 1,600,000 eligible pairs (``--quick``:
400 x 40). Urgencies, parties (so the fits), home grids and capacities (1-5) are drawn
from a fixed seed.

Figures (ours vs baseline):

* ``stored``: the bytes our matching keeps per eligible pair, measured on the rows that
  ``match()`` hands the solver (each need's offer indices and fits as ``array``
  objects: their ``sys.getsizeof``, summed) vs the same pairs held in three NumPy
  ``int64`` arrays (need, offer, fit: 24 bytes a pair, ``nbytes``).
* ``peak``: the largest memory ``tracemalloc`` traces during one whole ``match()`` (with
  ``method="auto"``: the SciPy path where SciPy is installed), in a fresh subprocess so
  that nothing else is on the heap, vs the peak traced while the NumPy baseline builds
  its three arrays from the same needs and offers (in the same subprocess). Both are
  also given per eligible pair.

**The answers are checked:** the pairs our matching builds (need, offer, fit) must be
exactly the baseline's arrays, compared element by element; a difference raises
:class:`~benchmarks._common.DisagreementError`. The peak subprocess also reports the
needs met per urgency, which must match the in-process run.

``run(quick)`` returns the rows for the combined runner (``--only memory``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks._common import agree, row
from community_care import Need, Offer, default_policy, match
from community_care.linkage import _matching, _solver

FULL = (4000, 400)
QUICK = (400, 40)
ON = date(2026, 3, 2)
PARTIES = ("community_committee", "member_unit", "social_organization", "volunteer", "resident")
URGENCIES = ("critical", "high", "normal", "low")
GRIDS = tuple(f"g{k}" for k in range(8))


def instance(n: int, m: int, seed: int = 20260302) -> tuple[list[Need], list[Offer]]:
    """``n`` needs and ``m`` offers, every pair eligible (ids in sorted order)."""
    rng = random.Random(seed)
    needs = [
        Need(
            id=f"n{i:05d}",
            category="rewiring",
            urgency=rng.choice(URGENCIES),
            grid=rng.choice(GRIDS),
        )
        for i in range(n)
    ]
    offers = [
        Offer(
            id=f"o{j:05d}",
            party=rng.choice(PARTIES),
            capabilities=["rewiring"],
            capacity=rng.randint(1, 5),
            home_grid=rng.choice(GRIDS),
        )
        for j in range(m)
    ]
    return needs, offers


def numpy_pairs(needs: list[Need], offers: list[Offer]) -> tuple[Any, Any, Any]:
    """The baseline: the eligible pairs as NumPy ``int64`` arrays (need, offer, fit).

    Built with the linkage's own eligibility and fit, one column at a time, in the
    matching's order (needs and offers by id).
    """
    import numpy as np

    rules = default_policy().at(ON).linkage
    needs = sorted(needs, key=lambda x: x.id)
    offers = sorted(offers, key=lambda x: x.id)
    count = len(needs) * len(offers)
    need_col = np.empty(count, dtype=np.int64)
    offer_col = np.empty(count, dtype=np.int64)
    fit_col = np.empty(count, dtype=np.int64)
    k = 0
    for i, need in enumerate(needs):
        deadline = _matching._deadline(need, ON, rules)
        for j, offer in enumerate(offers):
            if (
                need.category in offer.capabilities
                and _matching._in_area(need, offer)
                and _matching._vetted(need, offer, ON, rules)
                and _matching._in_time(offer, ON, deadline)
            ):
                need_col[k], offer_col[k] = i, j
                fit_col[k] = sum(_matching._fit_parts(need, offer, rules))
                k += 1
    return need_col[:k].copy(), offer_col[:k].copy(), fit_col[:k].copy()


def our_pairs(needs: list[Need], offers: list[Offer]) -> tuple[list[Any], list[Any], Any]:
    """The rows ``match()`` hands the solver (captured on the way), and the matching."""
    captured: list[Any] = []
    real = _solver.solve_rows

    def capture(caps: Any, rows: Any, fits: Any, *args: Any, **kwargs: Any) -> Any:
        captured.extend((rows, fits))
        return real(caps, rows, fits, *args, **kwargs)

    _solver.solve_rows = capture  # type: ignore[assignment]  # a recorder with the same call
    try:
        result = match(needs, offers, on=ON)
    finally:
        _solver.solve_rows = real
    rows, fits = captured
    return rows, fits, result


def _child(n: int, m: int) -> dict[str, Any]:
    """In a fresh process: the traced peak of match(), then of the NumPy baseline."""
    import numpy  # noqa: F401  # imported before tracing: modules are not the matching's memory

    with contextlib.suppress(ImportError):  # without SciPy the pure solver runs
        import scipy.optimize  # noqa: F401
    needs, offers = instance(n, m)
    tracemalloc.start()
    result = match(needs, offers, on=ON)
    _, ours = tracemalloc.get_traced_memory()
    met = dict(result.met_by_urgency)
    result = None
    tracemalloc.reset_peak()
    base_start, _ = tracemalloc.get_traced_memory()
    arrays = numpy_pairs(needs, offers)
    _, base_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del arrays
    return {"ours": ours, "baseline": base_peak - base_start, "met": met}


def run(quick: bool) -> list[dict[str, Any]]:
    """Two rows: bytes stored per pair, and the peak of the dense matching."""
    n, m = QUICK if quick else FULL
    needs, offers = instance(n, m)
    rows, fits, result = our_pairs(needs, offers)
    need_col, offer_col, fit_col = numpy_pairs(needs, offers)
    pairs = len(need_col)
    figure = f"memory: the pairs match() builds vs NumPy, {n}x{m}"
    ours_pairs = [
        (i, j, f)
        for i, (r, fs) in enumerate(zip(rows, fits, strict=True))
        for j, f in zip(r, fs, strict=True)
    ]
    agree(
        figure,
        ours_pairs,
        list(zip(need_col.tolist(), offer_col.tolist(), fit_col.tolist(), strict=True)),
    )
    stored = sum(sys.getsizeof(r) + sys.getsizeof(fs) for r, fs in zip(rows, fits, strict=True))
    numpy_bytes = need_col.nbytes + offer_col.nbytes + fit_col.nbytes

    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), str(root)) if p)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_memory", "--child", str(n), str(m)],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env=env,
    )
    peak = json.loads(done.stdout)
    agree(f"memory: needs met in the traced run, {n}x{m}", peak["met"], dict(result.met_by_urgency))
    size = f"{n:,} needs x {m:,} offers, {pairs:,} eligible pairs (dense)"
    return [
        row(
            "memory: bytes stored per eligible pair vs NumPy int64 arrays",
            stored / pairs,
            numpy_bytes / pairs,
            size,
            ours_text=f"{stored / pairs:.1f} B",
            baseline_text=f"{numpy_bytes / pairs:.1f} B",
        ),
        row(
            "memory: peak of a dense match() vs the NumPy pairs' peak",
            peak["ours"] / pairs,
            peak["baseline"] / pairs,
            size + "; tracemalloc, fresh process, method='auto'",
            ours_text=_peak_text(peak["ours"], pairs),
            baseline_text=_peak_text(peak["baseline"], pairs),
        ),
    ]


def _peak_text(peak: int, pairs: int) -> str:
    return f"{peak / 2**20:.1f} MiB ({peak / pairs:.0f} B/pair)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_memory", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="400 x 40 instead of 4,000 x 400")
    parser.add_argument("--child", nargs=2, type=int, metavar=("N", "M"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(*args.child)))
        return 0
    from benchmarks.__main__ import print_table

    print_table(run(args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
