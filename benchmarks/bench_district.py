"""A district of 1,000,000 residents planned on one machine, streaming.

The district is 527 sample communities (``demo_community(seed)`` for seeds 0..526, 1,900
residents each: 1,001,300 residents). A generator builds each community's snapshot
document only when ``plan_many`` asks for it, and only a small summary of each plan is
kept, so memory should stay bounded by a few communities, not grow with the district.
Whether it does is measured, not assumed: the rows print the peak RSS of the part run
next to that of one community alone, and only figures that were measured.

Each run is a fresh Python process (the peak RSS is a process's lifetime peak): one
community alone gives the reference peak, then the district (or a part of it). Time is
split into building the synthetic documents (``demo_community``, not part of planning)
and planning. When only part of the district is run, the full district's time is
extrapolated linearly (communities are planned one after another, independently) and
labelled so; its peak RSS is not extrapolated (run the full district to measure it).

There is no baseline (nothing else plans a district), so there is no answer to
compare; the figures are informative.

Run alone: ``python -m benchmarks.bench_district --communities 527``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from benchmarks._common import row
from community_care import plan_many
from community_care.samples import DEMO_DATE, demo_community

RESIDENTS = 1_000_000
PER_COMMUNITY = 1_900  # demo_community's population
DISTRICT = -(-RESIDENTS // PER_COMMUNITY)  # 527 communities
DEFAULT_PART = 53  # a tenth of the district: the default run, extrapolated
QUICK_PART = 1


def _snapshots(communities: int, clock: list[float]) -> Iterator[dict[str, Any]]:
    """The sample communities' documents, one at a time, adding their build time to clock."""
    for seed in range(communities):
        start = time.perf_counter()
        document = demo_community(seed)
        clock[0] += time.perf_counter() - start
        yield document


def peak_rss_mib() -> float:
    """This process's peak resident set size, in MiB.

    On Linux, ``VmHWM`` of ``/proc/self/status``: ``getrusage(RUSAGE_SELF).ru_maxrss`` is
    carried across fork and exec, so a process started by a big one (the benchmark
    runner) would report its parent's peak. Elsewhere, ``ru_maxrss``.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def plan_streaming(communities: int) -> dict[str, Any]:
    """Plan ``communities`` sample communities through ``plan_many``; keep summaries only."""
    clock = [0.0]
    summaries = []
    start = time.perf_counter()
    for plan in plan_many(_snapshots(communities, clock), on=DEMO_DATE):
        tiers = Counter(a.tier.value for a in plan.elderly)
        summaries.append(
            {
                "residents": plan.community.population or 0,
                "elderly": len(plan.elderly),
                "red": tiers["red"],
                "needs": len(plan.needs),
                "matched": len(plan.matching.assignments),
                "visits": len(plan.visits),
                "overdue": len(plan.overdue),
            }
        )
    total = time.perf_counter() - start
    totals = {key: sum(s[key] for s in summaries) for key in summaries[0]}
    return {
        "communities": communities,
        "seconds": total,
        "generate_seconds": clock[0],
        "plan_seconds": total - clock[0],
        "peak_rss_mib": peak_rss_mib(),
        **totals,
    }


def measure(communities: int) -> dict[str, Any]:
    """:func:`plan_streaming` in a fresh process, so that its peak RSS is its own."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_district", "--communities", str(communities)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.splitlines()[-1])
    return result


def run(quick: bool, communities: int | None = None) -> list[dict[str, Any]]:
    """The district rows: one community's peak, the part run, the full district's estimate."""
    part = communities or (QUICK_PART if quick else DEFAULT_PART)
    got = measure(part)
    one = got if part == 1 else measure(1)
    rows = [
        row(
            f"district: plan_many streaming, {part} communities",
            got["plan_seconds"],
            None,
            f"{got['residents']:,} residents, {got['elderly']:,} elderly,"
            f" {got['visits']:,} visits; peak RSS {got['peak_rss_mib']:.0f} MiB"
            f" (1 community: {one['peak_rss_mib']:.0f} MiB); +{got['generate_seconds']:.0f} s"
            " building the documents",
            ratio="-",
        )
    ]
    if part < DISTRICT:
        scale = DISTRICT / part
        measured = f"{one['peak_rss_mib']:.0f} MiB for 1 community"
        if part > 1:
            measured += f", {got['peak_rss_mib']:.0f} MiB for {part}"
        rows.append(
            row(
                f"district: 1,000,000 residents, EXTRAPOLATED x{scale:.1f} from {part}",
                got["plan_seconds"] * scale,
                None,
                f"{DISTRICT} communities, {DISTRICT * PER_COMMUNITY:,} residents; planning time"
                f" only (+~{got['generate_seconds'] * scale:.0f} s building documents);"
                f" peak RSS not extrapolated (measured: {measured})",
                ratio="-",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--communities", type=int, default=DISTRICT, help=f"how many (default {DISTRICT})"
    )
    result = plan_streaming(parser.parse_args().communities)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
