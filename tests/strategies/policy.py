"""Hypothesis strategies for policy documents: amendments of the numeric parameters.

:func:`number_parameters` lists every parameter that is one integer (a field of a rule
group, a cell of a table keyed by an enum or a string) by the dotted name an amendment
uses; :func:`number_documents` amends some of them, in one or more periods, to values
near each kind of limit (days, months, ages, points), small ones, and ones up to the
JSON integer range.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import attrs
from hypothesis import strategies as st

from community_care.policy import PolicyValues

LARGEST_INT = 2**53 - 1
# The limits of check_values and the values either side of each.
LIMITS = (36_500, 1_200, 150, 1_000_000)
NEAR_LIMITS = sorted({n + d for n in LIMITS for d in (-1, 0, 1)})


def _numbers(node: object, path: str) -> Iterator[str]:
    if attrs.has(type(node)):
        for a in attrs.fields(type(node)):
            yield from _numbers(getattr(node, a.name), f"{path}.{a.name}" if path else a.name)
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from _numbers(value, f"{path}.{key}")
    elif isinstance(node, int) and not isinstance(node, bool):
        yield path


def number_parameters() -> list[str]:
    """The dotted name of every parameter that is one integer (tuples left out).

    A follow-up cadence's ``every`` (bounded by its unit) and the suitability cells
    (0-10) have limits of their own and are left out too.
    """
    return [
        name
        for name in _numbers(PolicyValues(), "")
        if not name.endswith(".every") and not name.startswith("linkage.suitability.")
    ]


numbers = st.one_of(
    st.sampled_from(NEAR_LIMITS),
    st.integers(0, 200),
    st.integers(0, 2_000_000),
    st.integers(0, LARGEST_INT),
)


@st.composite
def number_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A policy document amending 1-4 numeric parameters in each of 1-3 periods."""
    names = st.sampled_from(number_parameters())
    starts = draw(
        st.lists(
            st.dates(date(2020, 1, 1), date(2030, 12, 31)), min_size=1, max_size=3, unique=True
        )
    )
    amendments = [
        {
            "effective_from": start.isoformat(),
            "changes": draw(st.dictionaries(names, numbers, min_size=1, max_size=4)),
        }
        for start in starts
    ]
    return {"version": "bounds", "amendments": amendments}
