"""The whole plan of the sample community: absolute time and peak memory (informative only).

``plan_community`` on the sample community's snapshot document (``demo_community(0)``,
about 1,900 residents: reading the document, assessments, needs, matching, follow-up
calendars, KPIs). Time is the best of three; the peak is the largest memory traced by
``tracemalloc`` during one more plan (traced separately, as tracing slows the code).
There is no baseline: nothing else computes this plan.

Run alone: ``python -m benchmarks.bench_plan``.
"""

from __future__ import annotations

import tracemalloc
from typing import Any

from benchmarks._common import best_of, row
from community_care import plan_community
from community_care.samples import DEMO_DATE, demo_community


def run(quick: bool) -> list[dict[str, Any]]:
    """One row: the plan's time, with its peak traced memory in the size column."""
    document = demo_community(0)
    seconds, plan = best_of(1 if quick else 3, lambda: plan_community(document, on=DEMO_DATE))
    plan = None
    tracemalloc.start()
    try:
        plan = plan_community(document, on=DEMO_DATE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = (
        f"sample community: {len(plan.elderly)} elderly, {len(plan.needs)} needs,"
        f" {len(plan.visits)} visits; peak {peak / 2**20:.0f} MiB traced"
    )
    return [row("plan: plan_community (informative)", seconds, None, size, ratio="-")]


if __name__ == "__main__":
    from benchmarks.__main__ import print_table

    print_table(run(quick=False))
