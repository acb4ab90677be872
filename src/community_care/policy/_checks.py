"""The checks of a set of parameter values: ranges, limits, thresholds in order."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import attrs

from community_care._kernel.fields import LARGEST_INT, describe
from community_care.errors import InputProblem
from community_care.policy._values import (
    _POINT_NAMES,
    MAX_AGE,
    MAX_DAYS,
    MAX_MONTHS,
    MAX_POINTS,
    Band,
    PolicyValues,
)
from community_care.vocab import CadenceUnit, Urgency


def _limit(name: str, table: str) -> tuple[int, str]:
    """The largest value of a parameter, and what it counts (for the message).

    ``name`` is the field holding the number (``grace_days``, a table such as
    ``review_months``, ``minimum`` of a band) and ``table`` the field of the tuple a
    band sits in (``advanced_age_bands``: its minimums are ages).
    """
    if name in _POINT_NAMES or name.endswith("_points"):
        return MAX_POINTS, "points"
    if name.endswith("_days"):
        return MAX_DAYS, f"days ({MAX_DAYS // 365} years)"
    if "months" in name:
        return MAX_MONTHS, f"months ({MAX_MONTHS // 12} years)"
    if name.endswith("_age") or (name == "minimum" and table.endswith("_age_bands")):
        return MAX_AGE, "years of age"
    # Counts and thresholds (falls, conditions, a floor, a level) that no date or
    # total depends on: the JSON integer range.
    return LARGEST_INT, "(the JSON integer range)"


# How many of each unit of a follow-up cadence make up the day limit (100 years).
_MAX_EVERY = {
    CadenceUnit.DAY: MAX_DAYS,
    CadenceUnit.WEEK: MAX_DAYS // 7,
    CadenceUnit.MONTH: MAX_MONTHS,
}


def check_values(values: PolicyValues) -> list[InputProblem]:
    """Problems with a set of values: negative or out-of-range numbers, thresholds out of order.

    Every number has a limit, named in its message: days at most :data:`MAX_DAYS` (a date
    plus a deadline, window, horizon or cadence stays within what the calendar holds),
    months at most :data:`MAX_MONTHS`, ages at most :data:`MAX_AGE`, points at most
    :data:`MAX_POINTS`, a cadence's ``every`` at most 100 years in its unit, and other
    counts within the JSON integer range.
    """
    problems: list[InputProblem] = []

    def walk(node: Any, path: str, name: str, table: str) -> None:
        if attrs.has(type(node)):
            for a in attrs.fields(type(node)):
                # A band's minimum counts what its tuple counts (ages, falls).
                inner = table if type(node) is Band else a.name
                walk(getattr(node, a.name), f"{path}.{a.name}", a.name, inner)
        elif isinstance(node, Mapping):
            for k, v in node.items():
                walk(v, f"{path}.{k}", name, table)
        elif isinstance(node, tuple):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]", name, table)
        elif isinstance(node, int) and not isinstance(node, bool):
            if node < 0:
                problems.append(InputProblem(path, f"expected a number >= 0, got {describe(node)}"))
            elif name != "every":  # bounded by its unit, below
                limit, what = _limit(name, table)
                if node > limit:
                    problems.append(
                        InputProblem(path, f"expected at most {limit} {what}, got {describe(node)}")
                    )

    walk(values, "$", "", "")
    e = values.elderly
    if not e.yellow_min <= e.red_min:
        problems.append(
            InputProblem(
                "$.elderly.red_min", f"expected >= yellow_min ({e.yellow_min}), got {e.red_min}"
            )
        )
    if len(e.ability_points) != 5:
        problems.append(InputProblem("$.elderly.ability_points", "expected 5 values (levels 0-4)"))
    totals = list(e.ability_level_min_totals)
    if len(totals) != 4 or totals != sorted(set(totals), reverse=True) or min(totals) < 1:
        problems.append(
            InputProblem(
                "$.elderly.ability_level_min_totals",
                "expected the lowest totals of levels 0, 1, 2 and 3, decreasing, each from 1"
                f" to 90 (such as [90, 66, 46, 30]), got {totals}",
            )
        )
    elif totals[0] > 90:
        problems.append(
            InputProblem(
                "$.elderly.ability_level_min_totals",
                f"expected totals of at most 90 (the highest GB/T 42195-2022 total), got {totals}",
            )
        )
    if e.care_risk_events_raise_min < 1:
        problems.append(
            InputProblem(
                "$.elderly.care_risk_events_raise_min",
                f"expected >= 1, got {e.care_risk_events_raise_min}",
            )
        )
    for name in ("chronic_bands", "falls_bands", "advanced_age_bands"):
        bands = getattr(e, name)
        mins = [b.minimum for b in bands]
        if mins != sorted(set(mins)):
            problems.append(
                InputProblem(f"$.elderly.{name}", "expected bands with increasing minimums")
            )
    urg = values.linkage.urgency_points
    order = sorted(Urgency, key=lambda u: u.rank, reverse=True)
    if sorted(urg) != sorted(order):
        problems.append(
            InputProblem("$.linkage.urgency_points", f"expected the keys {[*map(str, order)]}")
        )
    elif any(urg[more] <= urg[less] for more, less in itertools.pairwise(order)):
        problems.append(InputProblem("$.linkage.urgency_points", f"expected {' > '.join(order)}"))
    for party, row in values.linkage.suitability.items():
        for category, suit in row.items():
            if not 0 <= suit <= 10:
                problems.append(
                    InputProblem(
                        f"$.linkage.suitability.{party}.{category}", f"expected 0-10, got {suit}"
                    )
                )
    if values.privacy.min_cell_count == 0:  # a negative one is reported above
        problems.append(
            InputProblem("$.privacy.min_cell_count", "expected >= 1 (1 suppresses nothing), got 0")
        )
    for k, category in enumerate(values.linkage.child_contact_categories):
        if not category:
            problems.append(
                InputProblem(
                    f"$.linkage.child_contact_categories[{k}]", "expected a non-empty category"
                )
            )
    for group in ("elderly", "child"):
        for key, fu in getattr(values.followup, group).items():
            limit = _MAX_EVERY[fu.unit]
            if fu.every < 1:
                problems.append(
                    InputProblem(
                        f"$.followup.{group}.{key}.every", f"expected >= 1, got {fu.every}"
                    )
                )
            elif fu.every > limit:
                problems.append(
                    InputProblem(
                        f"$.followup.{group}.{key}.every",
                        f"expected at most {limit} {fu.unit}s (100 years), got"
                        f" {describe(fu.every)}",
                    )
                )
    return problems
