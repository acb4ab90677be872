"""``python -m benchmarks [--quick] [--district N] [--only NAMES]``: every benchmark, one table.

Figures, in order: (a) assessment, (b) loading, (c) matching (``bench_flow.run``),
(d) follow-up (``bench_followup.run``), (e) the whole plan, then (f) how the cost of
each grows from x1 to x16 of a base size, then the district of 1,000,000 residents
(``--quick``: one community only).

``ratio`` is always our time / the baseline's (above 1: ours is slower), whatever
convention a benchmark prints when run alone.

Every figure with a baseline checks that ours and the baseline gave the same answer on
the same work. If any disagree, the runner says which on stderr, still prints the other
benchmarks' figures, and exits with status 1 (``--quick`` included: CI fails).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

from benchmarks import (
    bench_assess,
    bench_district,
    bench_flow,
    bench_followup,
    bench_load,
    bench_memory,
    bench_plan,
    bench_scale,
)
from benchmarks._common import GC_NOTE, DisagreementError, row


def _adopted(prefix: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A standalone benchmark's rows in this table's terms (its keys, ratio = ours / base)."""

    def value(r: dict[str, Any], stem: str) -> float | None:
        for key, v in r.items():
            if key.startswith(stem) and isinstance(v, int | float):
                return float(v)
        return None

    return [
        row(f"{prefix}: {r['figure']}", value(r, "ours"), value(r, "base"), str(r.get("size", "")))
        for r in rows
    ]


BENCHMARKS: dict[str, Callable[[bool], list[dict[str, Any]]]] = {
    "assess": bench_assess.run,
    "load": bench_load.run,
    "match": lambda quick: _adopted("matching", bench_flow.run(quick)),
    "followup": lambda quick: _adopted("follow-up", bench_followup.run(quick)),
    "memory": bench_memory.run,
    "plan": bench_plan.run,
    "scale": bench_scale.run,
}


def _cell(value: Any, text: str | None) -> str:
    if text is not None:
        return text
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def print_table(rows: list[dict[str, Any]]) -> None:
    """Print rows as one Markdown table (so a run pastes into the docs as it is)."""
    lines = [["figure", "ours (s)", "baseline (s)", "ratio", "size of the work"]]
    for r in rows:
        ratio = r["ratio"]
        lines.append(
            [
                r["figure"],
                _cell(r["ours"], r.get("ours_text")),
                _cell(r["baseline"], r.get("baseline_text")),
                f"{ratio:.2f}x" if isinstance(ratio, float) else _cell(ratio, None),
                r["size"],
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    for k, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(line[1:4], widths[1:], strict=True)
        ]
        print("| " + " | ".join([*cells, line[4]]) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|---|")


def machine() -> str:
    """One line describing where the run happened."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"
        f" on {platform.system()}{load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test (CI)")
    parser.add_argument(
        "--district",
        type=int,
        default=None,
        metavar="N",
        help=f"communities in the district run (default {bench_district.DEFAULT_PART},"
        f" extrapolated to {bench_district.DISTRICT}; --quick: 1)",
    )
    parser.add_argument(
        "--only",
        default=None,
        help="comma-separated subset of: " + ", ".join([*BENCHMARKS, "district"]),
    )
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else [*BENCHMARKS, "district"]
    unknown = set(chosen) - {*BENCHMARKS, "district"}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    print(f"# community-care benchmarks{' (--quick)' if args.quick else ''}: {machine()}")
    start = time.perf_counter()
    rows: list[dict[str, Any]] = []
    failed: list[str] = []
    for name in chosen:
        try:
            if name == "district":
                rows.extend(bench_district.run(args.quick, args.district))
            else:
                rows.extend(BENCHMARKS[name](args.quick))
        except DisagreementError as error:
            # The benchmark's figures are void; the others still run and print.
            failed.append(name)
            print(f"  {name} FAILED: {error}", file=sys.stderr)
            continue
        print(f"  {name} done ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    order = sorted(rows, key=lambda r: (r["figure"].startswith(("growth", "district")), 0))
    print_table(order)
    print(
        f"\nratio = our time / the baseline's (above 1: ours is slower). Assessment and"
        f" loading: {GC_NOTE}; growth: times at x1 / x4 / x16 and the exponent"
        f" log(t16/t1)/log(16). Total {time.perf_counter() - start:.0f} s."
    )
    if failed:
        print(
            f"FAILED: ours and the baseline disagree in {', '.join(failed)}"
            " (their figures are left out)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
