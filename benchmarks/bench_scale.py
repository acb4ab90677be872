"""How the cost of matching and of follow-up forecasts grows with the size of the work.

Each is timed at x1, x4 and x16 of a base size and the growth exponent
``log(t16 / t1) / log(16)`` is printed: about 1 is linear, 2 quadratic.

* matching: ``linkage.match`` on a district that grows by whole blocks of 8 grids
  (250 needs and 60 offers each; an offer serves 1-3 grids of its own block), so the
  eligible pairs grow linearly and the exponent is the solver's own.
* follow-up: one year of ``forecast`` for n cases of the six cadences of spec §5,
  with the official calendar in provisional mode.

These rows time ours only, but their answers are checked at every size, against the
baselines of the matching and follow-up figures: each block of the district is matched
by ``bench_flow.networkx_lexicographic`` on its own (offers never leave their block, so
the district's optimum is the union of the blocks' optima), and the needs met per
urgency level and the total fit must be the same; every forecast must give the same
dates as ``bench_followup.baseline_forecast``. ``python -m benchmarks`` fails otherwise.

Run alone: ``python -m benchmarks.bench_scale [--quick]``.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from benchmarks import bench_flow, bench_followup
from benchmarks._common import GROWTH, agree, best_of, growth_row
from community_care import Need, Offer, default_policy, match
from community_care.calendar import official_calendar
from community_care.followup import cadence_for, forecast

ON = date(2026, 3, 2)
CATEGORIES = sorted(
    {c for row in default_policy().at(ON).linkage.suitability.values() for c in row}
)
PARTIES = ["community_committee", "member_unit", "social_organization", "volunteer", "resident"]
URGENCIES = ["critical", "high", "normal", "low"]
NEEDS_PER_BLOCK, OFFERS_PER_BLOCK, GRIDS_PER_BLOCK = 250, 60, 8
CASES, QUICK_CASES = 1_000, 60  # follow-up cases at x1


def district(blocks: int, seed: int = 20260302) -> tuple[list[Need], list[Offer]]:
    """Needs and offers of ``blocks`` blocks of 8 grids; offers stay within their block."""
    rng = random.Random(seed)
    needs: list[Need] = []
    offers: list[Offer] = []
    for b in range(blocks):
        grids = [f"b{b}g{k}" for k in range(GRIDS_PER_BLOCK)]
        for i in range(NEEDS_PER_BLOCK):
            needs.append(
                Need(
                    id=f"n{b:03d}-{i:03d}",
                    category=rng.choice(CATEGORIES),
                    urgency=rng.choices(URGENCIES, weights=(1, 2, 4, 3))[0],
                    grid=rng.choice(grids),
                    needed_by=rng.choice([None, ON + timedelta(days=rng.randint(-10, 60))]),
                )
            )
        for j in range(OFFERS_PER_BLOCK):
            start = rng.choice([None, None, ON + timedelta(days=rng.randint(0, 40))])
            offers.append(
                Offer(
                    id=f"o{b:03d}-{j:02d}",
                    party=rng.choice(PARTIES),
                    capabilities=tuple(rng.sample(CATEGORIES, rng.randint(2, 5))),
                    capacity=rng.randint(1, 5),
                    grids=tuple(rng.sample(grids, rng.randint(1, 3))),
                    home_grid=rng.choice(grids),
                    available_from=start,
                )
            )
    return needs, offers


def check_matching(
    blocks: int,
    needs: list[Need],
    offers: list[Offer],
    assignments: Mapping[str, str],
    solved: dict[Any, tuple[tuple[int, ...], int]],
) -> None:
    """Raise ``DisagreementError`` unless ``match``'s answer is as good as networkx's.

    ``solved`` keeps each block's answer by its needs and offers: the districts of the
    growth steps share their first blocks, which networkx then solves once.
    """
    index = {o.id: j for j, o in enumerate(offers)}
    vector = [index[assignments[n.id]] if n.id in assignments else None for n in needs]
    caps, edges = bench_flow.linkage_edges(needs, offers)
    ours = bench_flow.summary(vector, caps, edges)
    counts = [0] * len(URGENCIES)
    total = 0
    for b in range(blocks):
        block_needs = needs[b * NEEDS_PER_BLOCK : (b + 1) * NEEDS_PER_BLOCK]
        block_offers = offers[b * OFFERS_PER_BLOCK : (b + 1) * OFFERS_PER_BLOCK]
        key = (tuple(block_needs), tuple(block_offers))
        if key not in solved:
            caps, edges = bench_flow.linkage_edges(block_needs, block_offers)
            by_nx = bench_flow.networkx_lexicographic(len(block_needs), caps, edges)
            solved[key] = bench_flow.summary(by_nx, caps, edges)
        met, fit = solved[key]
        counts = [x + y for x, y in zip(counts, met, strict=True)]
        total += fit
    agree(f"growth: match(), {len(needs):,} needs vs networkx", ours, (tuple(counts), total))


def matching_growth(quick: bool) -> dict[str, Any]:
    base = 1 if quick else 2  # blocks at x1
    times, sizes = [], []
    solved: dict[Any, tuple[tuple[int, ...], int]] = {}
    for k in GROWTH:
        needs, offers = district(base * k)
        t, result = best_of(
            1 if k == GROWTH[-1] else 2,
            lambda needs=needs, offers=offers: match(needs, offers, on=ON),
        )
        check_matching(base * k, needs, offers, result.assignments, solved)
        times.append(t)
        sizes.append(len(needs))
    return growth_row(
        f"match() (needs; offers = needs x {OFFERS_PER_BLOCK}/{NEEDS_PER_BLOCK})",
        sizes,
        "needs",
        times,
    )


def followup_growth(quick: bool) -> dict[str, Any]:
    base = QUICK_CASES if quick else CASES  # cases at x1
    calendar = official_calendar().with_provisional(2028)
    kinds = [("elderly", lvl) for lvl in ("red", "yellow", "green")] + [
        ("child", lvl) for lvl in ("high", "medium", "low")
    ]
    cadences = [cadence_for(k, lvl, on=date(2026, 1, 1)).cadence for k, lvl in kinds]
    times, sizes = [], []
    for k in GROWTH:
        n = base * k
        cases = [
            (cadences[i % 6], date(2026, 1, 1) + timedelta(days=(i * 37) % 365)) for i in range(n)
        ]

        def run_all(cases: list[Any] = cases) -> list[tuple[date, ...]]:
            return [
                forecast(c, anchor=a, until=a + timedelta(days=365), calendar=calendar)
                for c, a in cases
            ]

        t, got = best_of(2, run_all, gc_off=False)
        bench_followup.check(
            f"growth: forecast, {n:,} cases vs dateutil + the shift",
            got,
            [(c, a, a + timedelta(days=365)) for c, a in cases],
            calendar,
        )
        times.append(t)
        sizes.append(n)
    return growth_row("forecast (one year per case)", sizes, "cases", times)


def run(quick: bool) -> list[dict[str, Any]]:
    """The growth rows of matching and follow-up."""
    return [matching_growth(quick), followup_growth(quick)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for smoke runs")
    from benchmarks.__main__ import print_table

    print_table(run(parser.parse_args().quick))


if __name__ == "__main__":
    main()
