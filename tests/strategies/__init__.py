"""Hypothesis strategies of the test suite, one module per package of the library.

This package holds what every module shares (ids, grids, names, resident ID numbers,
phones, the check character computed independently of the library, the date windows) and
what spans all models (``MODELS``, ``invalid_documents``, ``small_snapshot``). The models'
own strategies live in ``elderly``, ``children``, ``linkage``, ``followup`` and ``ledger``.
"""

from __future__ import annotations

import copy
import functools
from datetime import date
from typing import Any

from hypothesis import strategies as st

from community_care import unstructure

REGION_PREFIXES = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 81, 82, 83,
]  # fmt: skip

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def independent_check(first17: str) -> str:
    """The check character computed independently of the library (ISO 7064 MOD 11-2)."""
    remainder = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11
    return {0: "1", 1: "0", 2: "X"}.get(remainder, str(12 - remainder))


ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)
grids = st.sampled_from(["g1", "g2", "g3", "g4", "g5", "g6"])
names = st.text(
    alphabet=st.characters(codec="utf-8", categories=["Lo", "Lu", "Ll"]), min_size=1, max_size=4
)
# Names as residents write them: one character, compound surnames, pinyin with a space.
sample_names = st.sampled_from(["王小明", "李华", "欧阳娜娜", "张", "Wang Xiaoming", "陈思思"])

# Two windows of days. Records of one draw fall in and around the same periods when they
# share the narrow one; the wide one is for single values whose date matters little.
days_in_2026 = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
service_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2028, 12, 31))


@st.composite
def resident_id_text(draw: st.DrawFn, born: date | None = None) -> str:
    """A valid 18-character resident ID number (optionally for a given birth date)."""
    prefix = draw(st.sampled_from(REGION_PREFIXES))
    rest = draw(st.integers(0, 9999))
    if born is None:
        born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 29)))
    seq = draw(st.integers(0, 999))
    first17 = f"{prefix:02d}{rest:04d}{born:%Y%m%d}{seq:03d}"
    return first17 + independent_check(first17)


phones = st.builds(
    lambda second, rest: f"1{second}{rest:09d}", st.integers(3, 9), st.integers(0, 10**9 - 1)
)


@functools.cache
def _demo_document() -> dict[str, Any]:
    from community_care.samples import demo_community

    return demo_community()


def small_snapshot(elderly: int, children: int, activities: int) -> dict[str, Any]:
    """The demo community cut down to its first residents and what goes with them."""
    # Built once (it takes seconds on a busy machine); each caller gets its own copy.
    doc = copy.deepcopy(_demo_document())
    kept_elderly = doc["elderly"][:elderly]
    kept_children = doc["children"][:children]
    kept = {p["id"] for p in [*kept_elderly, *kept_children]}
    return {
        **doc,
        "elderly": kept_elderly,
        "children": kept_children,
        "micro_wishes": [w for w in doc["micro_wishes"] if w["child_id"] in kept],
        "followups": [f for f in doc["followups"] if f["case_id"] in kept],
        "activities": doc["activities"][:activities],
    }


@st.composite
def messy_snapshots(draw: st.DrawFn) -> dict[str, Any]:
    """A cut-down demo community with what a messy registry holds: records repeated by an
    export, a child given an older resident's id, a recorded need that takes an id the
    plan draws up (``wish:w1``), and references to grids, children and cases it lacks."""
    doc = small_snapshot(draw(st.integers(2, 12)), draw(st.integers(1, 6)), 3)
    lists = [k for k in ("elderly", "children", "offers", "needs", "followups") if doc[k]]
    for _ in range(draw(st.integers(0, 6))):
        mess = draw(st.sampled_from(["repeat", "same_person", "drawn_id", "grid", "reference"]))
        if mess == "repeat":
            key = draw(st.sampled_from(lists))
            record = copy.deepcopy(draw(st.sampled_from(doc[key])))
            doc[key].insert(draw(st.integers(0, len(doc[key]))), record)
        elif mess == "same_person":
            draw(st.sampled_from(doc["children"]))["id"] = draw(st.sampled_from(doc["elderly"]))[
                "id"
            ]
        elif mess == "drawn_id" and doc["micro_wishes"]:
            wish = draw(st.sampled_from(doc["micro_wishes"]))
            need = copy.deepcopy(draw(st.sampled_from(doc["needs"]))) if doc["needs"] else None
            if need is not None:
                need["id"] = f"wish:{wish['id']}"
                doc["needs"].insert(draw(st.integers(0, len(doc["needs"]))), need)
        elif mess == "grid":
            key = draw(st.sampled_from(["elderly", "children", "needs", "hazards", "activities"]))
            if doc[key]:
                draw(st.sampled_from(doc[key]))["grid"] = "no-such-grid"
        elif mess == "reference":
            key = draw(st.sampled_from(["micro_wishes", "followups"]))
            if doc[key]:
                record = draw(st.sampled_from(doc[key]))
                record["child_id" if key == "micro_wishes" else "case_id"] = "nobody"
    return doc


# The models' modules build on the shared strategies above, so they are imported after them.
from tests.strategies import children, elderly, followup, ledger, linkage  # noqa: E402

from community_care import (  # noqa: E402
    Cadence,
    ChildProfile,
    ElderlyProfile,
    Event,
    Hazard,
    HomeSafety,
    Need,
    Offer,
    Parent,
    Problem,
    ServiceActivity,
)

# Every model with a strategy for its valid values.
MODELS: dict[type, st.SearchStrategy[Any]] = {
    HomeSafety: elderly.home_safety,
    ElderlyProfile: elderly.elderly_profiles(),
    Parent: children.parents,
    # Some 18 or over on purpose: the model holds them, the assessment refuses them.
    ChildProfile: children.child_profiles(age_below=19, child_names=names | sample_names),
    Need: linkage.needs,
    Offer: linkage.offers(),
    Cadence: followup.cadences(),
    ServiceActivity: ledger.activities(on=service_dates),
    Event: ledger.events,
    Problem: ledger.problems(),
    Hazard: ledger.hazards(),
}

# Values that are wrong for every field type of the models.
wrong_values = st.sampled_from(
    [None, "three", -1, 10**6, 3.5, True, [], {}, "2026-13-45", "not-an-enum", "１２３"]
)


@st.composite
def invalid_documents(draw: st.DrawFn, model: type) -> tuple[dict[str, Any], str]:
    """A document of ``model`` with one field made wrong, or one unknown key added.

    Returns the document and the JSON path of the problem.
    """
    doc = unstructure(draw(MODELS[model]))
    if draw(st.booleans()) or not doc:
        key = draw(st.sampled_from(["unknown", "Id", "birthdate", "extra_field"]))
        doc[key] = 1
        return doc, f"$.{key}"
    key = draw(st.sampled_from(sorted(doc)))
    bad = draw(wrong_values.filter(lambda v: v != doc[key]))
    doc[key] = bad
    return doc, f"$.{key}"
