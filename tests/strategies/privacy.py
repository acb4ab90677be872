"""Hypothesis strategies for the pseudonymised export: snapshots full of what must not leak.

Every value that must stay out of an export is made findable: registry ids, names and
free texts carry ``MARK``, a character that no token (hex), code, grid or month of an
export holds, so a value found in an export can only have been copied there.
"""

from __future__ import annotations

import copy
import functools
from datetime import date
from typing import Any

import attrs
from hypothesis import strategies as st
from tests.strategies import ids, names, phones, resident_id_text, small_snapshot

MARK = "~"

# The free-text fields of a snapshot's records (a visit's or an event's note, who did
# it, a wish's item and adopter) and, for offers and the community, their names.
FREE_TEXT = ("note", "by", "actor", "item", "adopter")


@attrs.frozen
class Secrets:
    """What an export of a snapshot must not contain, by kind."""

    names: tuple[str, ...]
    resident_ids: tuple[str, ...]
    phones: tuple[str, ...]
    birth_dates: tuple[date, ...]
    registry_ids: tuple[str, ...]
    free_texts: tuple[str, ...]

    def texts(self) -> dict[str, tuple[str, ...]]:
        """Each kind of secret with every rendering of it that must not appear."""
        return {
            "name": self.names,
            "resident ID number": self.resident_ids,
            "phone": self.phones,
            "birth date": tuple(r for d in self.birth_dates for r in date_renderings(d)),
            "registry id": self.registry_ids,
            "free text": self.free_texts,
        }


def date_renderings(day: date) -> tuple[str, ...]:
    """A date as people write it: ISO, compact, with slashes or dots, in Chinese."""
    return (
        day.isoformat(),
        f"{day:%Y%m%d}",
        f"{day:%Y/%m/%d}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day:%Y.%m.%d}",
        f"{day:%d/%m/%Y}",
        f"{day.year}年{day.month}月{day.day}日",
    )


@functools.cache
def _base() -> dict[str, Any]:
    return small_snapshot(12, 6, 10)


def _record_ids(doc: dict[str, Any]) -> list[str]:
    """Every registry id of a snapshot document: records, cases, participants, buildings."""
    found: list[str] = [doc["community"]["id"]]
    for key, records in doc.items():
        if not isinstance(records, list) or key == "grids":
            continue
        for record in records:
            for field in ("id", "case_id", "child_id", "beneficiary"):
                if isinstance(record.get(field), str):
                    found.append(record[field])
            found.extend(record.get("participants", []))
    return list(dict.fromkeys(found))


def _replace(value: Any, mapping: dict[str, str]) -> Any:
    """``value`` with every string equal to a key of ``mapping`` replaced (values, not keys)."""
    if isinstance(value, dict):
        return {k: _replace(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, mapping) for v in value]
    if isinstance(value, str):
        return mapping.get(value, value)
    return value


@st.composite
def snapshots_with_secrets(draw: st.DrawFn) -> tuple[dict[str, Any], Secrets]:
    """A small snapshot with new ids, identities and free texts on everything, and its secrets."""
    doc = copy.deepcopy(_base())
    # New registry ids, each unique (its index) and marked.
    old = _record_ids(doc)
    mapping = {o: f"{draw(ids)}{MARK}{i}" for i, o in enumerate(old)}
    doc = _replace(doc, mapping)
    # Identities on every person; the wish keeps its child's name.
    people_names: list[str] = []
    rids: list[str] = []
    mobiles: list[str] = []
    births: list[date] = []
    for key in ("elderly", "children"):
        for record in doc[key]:
            born = date.fromisoformat(record["birth_date"])
            record["name"] = draw(names) + MARK
            record["resident_id"] = draw(resident_id_text(born))
            record["phone"] = draw(phones)
            people_names.append(record["name"])
            rids.append(record["resident_id"])
            mobiles.append(record["phone"])
            births.append(born)
    by_child = {c["id"]: c["name"] for c in doc["children"]}
    for wish in doc["micro_wishes"]:
        wish["child_name"] = by_child.get(wish["child_id"])
    # Free texts everywhere they are held.
    texts: list[str] = []
    words = st.text(alphabet="抄送备注xyz ", min_size=1, max_size=6)

    def fill(value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k in FREE_TEXT and isinstance(v, str):
                    value[k] = f"{MARK}{draw(words)}{len(texts)}"
                    texts.append(value[k])
                else:
                    fill(v)
        elif isinstance(value, list):
            for v in value:
                fill(v)

    fill(doc)
    for offer in doc["offers"]:
        offer["name"] = f"{MARK}{draw(words)}{len(texts)}"
        texts.append(offer["name"])
    doc["community"]["name"] = f"{MARK}社区{len(texts)}"
    texts.append(doc["community"]["name"])
    return doc, Secrets(
        names=tuple(people_names),
        resident_ids=tuple(rids),
        phones=tuple(mobiles),
        birth_dates=tuple(births),
        registry_ids=tuple(mapping.values()),
        free_texts=tuple(texts),
    )
