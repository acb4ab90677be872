"""The elderly risk assessment in bulk, against a hand-written tier-and-score function.

Ours: ``assess_many`` on 100,000 records given as dicts (each structured strictly, then
assessed with every reason and intervention), and on the same records already loaded
as ``ElderlyProfile`` objects. Baseline: a plain function a developer would write for
the spec's default values, computing only the tier and the score from the dicts (no
validation, no reasons, no interventions). Both must agree on every tier and score, at
every size (``python -m benchmarks`` fails otherwise); the reasons and interventions
have no counterpart in the baseline and are not compared.

Run alone: ``python -m benchmarks.bench_assess [--quick]``.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from benchmarks._common import (
    GROWTH,
    ON,
    DisagreementError,
    agree,
    best_of,
    elderly_records,
    growth_row,
    row,
)
from community_care import ElderlyAssessment, ElderlyProfile, assess_many, structure

SIZE = 100_000
QUICK_SIZE = 1_600
_TIERS = ("green", "yellow", "red")


def tier_and_score(records: list[dict[str, Any]], on: date) -> list[tuple[str, int]]:
    """The baseline: the spec's default rules, hand-written, tier and score only."""
    out = []
    for r in records:
        born = date.fromisoformat(r["birth_date"])
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        arrangement = r["living_arrangement"]
        alone = arrangement == "alone"
        spouse = arrangement == "with_spouse_only"
        institution = arrangement == "institution"
        left_behind = r.get("left_behind", False) and not institution
        ability = r.get("ability_level") or 0
        falls = r.get("falls_last_12_months", 0)
        chronic = r.get("chronic_conditions", 0)
        dementia = r.get("dementia", False)
        disabled = r.get("severe_disability", False)
        special = r.get("special_family", False)
        economic = r.get("economic_status", "none")
        score = (0, 1, 3, 5, 6)[ability] + 3 * dementia + 2 * disabled
        score += 2 if chronic >= 4 else 1 if chronic >= 2 else 0
        score += 3 if falls >= 2 else 1 if falls >= 1 else 0
        score += 3 * alone + spouse + left_behind + 2 * special
        score += 2 * (not r.get("has_emergency_contact", True))
        score += 1 if economic == "low_income" else 2 if economic == "extreme_poverty" else 0
        score += 2 if age >= 90 else 1 if age >= 80 else 0
        if not institution:
            home = r.get("home", {})
            hazards = (
                (not home.get("smoke_alarm", True))
                + 2 * (not home.get("safe_wiring", True))
                + (not home.get("grab_bars", True))
                + (home.get("floor", 1) >= 4 and not home.get("elevator", False) and ability >= 1)
            )
            score += min(hazards, 3)
        tier = 2 if score >= 8 else 1 if score >= 4 else 0
        limited = alone or spouse or left_behind
        if (age >= 80 and limited) or (dementia and alone) or (falls >= 2 and alone):
            tier = 2
        elif limited or ability >= 2 or disabled or special or economic == "extreme_poverty":
            tier = max(tier, 1)
        out.append((_TIERS[tier], score))
    return out


def _assessed(results: list[Any]) -> list[tuple[str, int]]:
    if not all(isinstance(a, ElderlyAssessment) for a in results):
        raise DisagreementError("assessment: a record was rejected (the baseline assessed it)")
    return [(a.tier.value, a.score) for a in results]


def run(quick: bool) -> list[dict[str, Any]]:
    """Ours vs the baseline at 100,000 records, and the growth over x1, x4, x16."""
    n = QUICK_SIZE if quick else SIZE
    repeats = 2 if quick else 3
    records = elderly_records(n)
    sizes = [n * k // GROWTH[-1] for k in GROWTH]
    ours_times, base_times = [], []
    for size in sizes:
        part = records[:size]
        ours, results = best_of(repeats, lambda part=part: list(assess_many(part, on=ON)))
        base, expected = best_of(repeats, lambda part=part: tier_and_score(part, ON))
        agree(f"assessment of {size:,} dicts", _assessed(results), expected)
        ours_times.append(ours)
        base_times.append(base)
    profiles = structure(records, list[ElderlyProfile])
    loaded, results = best_of(repeats, lambda: list(assess_many(profiles, on=ON)))
    agree(f"assessment of {n:,} loaded profiles", _assessed(results), expected)
    reasons = sum(len(a.reasons) for a in results)
    return [
        row(
            "assessment: assess_many(dicts) vs hand-written tier+score",
            ours_times[-1],
            base_times[-1],
            f"{n:,} records (structured strictly; {reasons:,} reasons)",
        ),
        row(
            "assessment: assess_many(loaded profiles) vs the same",
            loaded,
            base_times[-1],
            f"{n:,} ElderlyProfile objects",
        ),
        growth_row("assess_many(dicts)", sizes, "records", ours_times, base_times),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a tiny batch, for smoke runs")
    from benchmarks.__main__ import print_table

    print_table(run(parser.parse_args().quick))


if __name__ == "__main__":
    main()
