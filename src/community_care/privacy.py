"""Pseudonymised exports for analysts (spec §8, PIPL Art. 73): flat tables, keyed tokens.

:func:`pseudonymise` turns a plan and the snapshot it was made from into flat tables
that an analyst or a notebook can work with, without the data that identifies
anyone: every person's id becomes the token

    ``"p" + HMAC-SHA256(key, id as UTF-8).hexdigest()[:24]``

under a key of at least 16 bytes that the caller keeps apart from the export (the
key is never written into it). The same id gives the same token under the same key,
so the tables of two months still join; another key gives unlinkable tokens. An
unkeyed hash would not do: an ID number's space (region × birth date × sequence, about
10^11) is small enough to enumerate.

Left out: names, ID numbers, phones, every registry id (people, needs, offers,
follow-up cases), exact dates and every free-text field (notes, who did what, wish
items, names of offers). Birth dates become birth years, ages 5-year bands. Counts in
the ``aggregates`` table from 1 to k − 1 (k = ``privacy.min_cell_count`` of the
policy, 5 by default) are shown as null, so that a cell cannot single out a household.

The tables are *de-identified* personal information, not anonymous data: whoever
holds the key (and the registry) can tell who a row is about. ``docs/privacy.md``
says what stays the caller's duty.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Final

import attrs

from community_care._kernel.checks import check_instance, check_policy
from community_care._kernel.frozen import FrozenMapping
from community_care.community import (
    UNASSIGNED_GRID,
    CommunityPlan,
    CommunitySnapshot,
    load_snapshot,
)
from community_care.elderly import ElderlyProfile
from community_care.errors import InvalidArgumentError, InvalidInputError
from community_care.followup import FollowUp, FollowUpAction
from community_care.followup._cases import _due_visits
from community_care.linkage import CARING_MOTHER, UNMATCHED_REASONS, Matching, Need
from community_care.linkage import needs_from_plan as _needs_from_plan
from community_care.policy import Policy, default_policy
from community_care.vocab import ChildRisk, RiskTier

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MIN_KEY_BYTES",
    "TABLE_COLUMNS",
    "PseudonymisedExport",
    "age_band",
    "pseudonym",
    "pseudonymise",
]

#: The shortest key accepted, in bytes (spec §8).
MIN_KEY_BYTES: Final = 16

#: The tables of an export and their columns, in order.
TABLE_COLUMNS: Mapping[str, tuple[str, ...]] = FrozenMapping(
    {
        "elderly": (
            "token",
            "birth_year",
            "age_band",
            "sex",
            "grid",
            "tier",
            "score_tier",
            "score",
            "reasons",
            "interventions",
        ),
        "children": ("token", "age_band", "grid", "categories", "risk", "actions"),
        "needs": (
            "need",
            "source",
            "category",
            "urgency",
            "grid",
            "beneficiary",
            "party",
            "met",
            "unmet_reason",
        ),
        # The recorded visits and attempts (spec v2 §5): how the person was reached,
        # whether they were met; an attempt answers no due date (on_time is null).
        "visits": ("case", "kind", "level", "month", "mode", "met", "on_time"),
        "aggregates": ("grid", "measure", "category", "count"),
    }
)

# The aggregate measures and the categories each counts, in the order they are listed.
_MEASURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("elderly_tier", tuple(t.value for t in sorted(RiskTier, key=lambda t: -t.rank))),
    ("child_risk", tuple(r.value for r in sorted(ChildRisk, key=lambda r: -r.rank))),
    ("unmet_reason", UNMATCHED_REASONS),
)

_INSTALL_HINT = "python -m pip install 'community-care[examples]'"

Row = dict[str, Any]


@attrs.frozen(kw_only=True, repr=False)
class PseudonymisedExport:
    """A plan as flat, pseudonymised tables (去标识化, spec §8): what an analyst may hold.

    ``tables`` maps each table name (``elderly``, ``children``, ``needs``, ``visits``,
    ``aggregates``; their columns are :data:`TABLE_COLUMNS`) to its rows, each a plain,
    JSON-ready ``dict`` (treat it as read-only) with the columns in order. Person
    tables are in token order, which says nothing about the registry's order.
    ``min_cell_count`` is the k the ``aggregates`` table was suppressed with. The key
    is not kept: it is neither in the tables nor in the ``repr``.

    Build one with :func:`pseudonymise`.
    """

    on: date
    policy_version: str
    min_cell_count: int
    tables: Mapping[str, tuple[Row, ...]]

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}: {len(rows)} rows" for name, rows in self.tables.items())
        return (
            f"PseudonymisedExport(on={self.on.isoformat()}, policy_version="
            f"{self.policy_version!r}, min_cell_count={self.min_cell_count}, tables={{{sizes}}})"
        )

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """The tables as pandas DataFrames, one per table, columns in order.

        List cells (reason codes, categories, actions) stay lists; ``explode`` them to count.

        Returns:
            Table name → DataFrame.

        Raises:
            ImportError: pandas is not installed (it comes with the ``examples`` extra:
                ``python -m pip install 'community-care[examples]'``).
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError(
                f"PseudonymisedExport.to_frames needs pandas, an optional dependency:"
                f" {_INSTALL_HINT}"
            ) from exc
        return {
            name: pd.DataFrame(list(rows), columns=list(TABLE_COLUMNS[name]))
            for name, rows in self.tables.items()
        }


def _key_bytes(func: str, key: object) -> bytes:
    """The key as bytes; a str is read as UTF-8. The key's value is never put in a message."""
    if isinstance(key, str):
        raw = key.encode("utf-8", "surrogatepass")
    elif isinstance(key, bytes | bytearray):
        raw = bytes(key)
    else:
        raise InvalidArgumentError(
            f"{func}(key=...): expected bytes (or a str, read as UTF-8) of at least"
            f" {MIN_KEY_BYTES} bytes, such as secrets.token_bytes(32), got"
            f" {type(key).__name__}"
        )
    if len(raw) < MIN_KEY_BYTES:
        raise InvalidInputError.at(
            "$.key",
            f"expected a key of at least {MIN_KEY_BYTES} bytes, such as"
            f" secrets.token_bytes(32), got {len(raw)} bytes",
        )
    return raw


def _token(key: bytes, identifier: str) -> str:
    digest = hmac.new(key, identifier.encode("utf-8", "surrogatepass"), hashlib.sha256)
    return "p" + digest.hexdigest()[:24]


def pseudonym(identifier: str, *, key: bytes | str) -> str:
    """The token that replaces ``identifier`` in an export made with ``key`` (spec §8).

    What a caseworker holding the key uses to find one person's rows.

    Args:
        identifier: a registry id (a profile's ``id``, a follow-up's ``case_id``, a need's id).
        key: the export's key: bytes, or a str read as UTF-8; at least 16 bytes.

    Returns:
        ``"p"`` followed by the first 24 hex digits of HMAC-SHA256(key, identifier as UTF-8).

    Raises:
        InvalidArgumentError: ``identifier`` is not a str, or ``key`` not bytes or a str.
        InvalidInputError: ``key`` is shorter than 16 bytes.

    Examples:
        >>> pseudonym("e1", key=b"0123456789abcdef")
        'p216a22b9c0a1c58f01554917'
    """
    if not isinstance(identifier, str):
        raise InvalidArgumentError(
            f"pseudonym(identifier=...): expected a registry id such as 'e1', got"
            f" {type(identifier).__name__}"
        )
    return _token(_key_bytes("pseudonym", key), identifier)


def age_band(age: int, *, child: bool = False) -> str:
    """The 5-year band of an age: ``60-64`` … ``95+``; a child's ``0-4`` … ``15-17``.

    Examples:
        >>> age_band(64), age_band(95), age_band(101), age_band(15, child=True)
        ('60-64', '95+', '95+', '15-17')
    """
    if child and age >= 15:
        return "15-17"
    if not child and age >= 95:
        return "95+"
    low = age - age % 5
    return f"{low}-{low + 4}"


def pseudonymise(
    snapshot: CommunitySnapshot | Mapping[str, Any],
    plan: CommunityPlan,
    *,
    key: bytes | str,
    policy: Policy | None = None,
) -> PseudonymisedExport:
    """The plan and its snapshot as pseudonymised tables for analysts (spec §8).

    Tables (columns in :data:`TABLE_COLUMNS`):

    * ``elderly``: one row per assessed older resident: token, birth year, age band,
      sex (from the resident ID number, else null), grid, tier, the tier of the score
      alone, score, reason codes, intervention codes.
    * ``children``: one row per assessed child: token, age band, grid, categories,
      risk (null when not in difficulty), the codes of the support plan's actions.
      No birth year or sex: a child's data is kept to the minimum.
    * ``needs``: one row per need of the matching and of the caring-mother pairing:
      the need's token, source, category, urgency, grid, the beneficiary's token,
      the party of the offer it went to, whether it was met, or why not.
    * ``visits``: one row per recorded follow-up visit: the case's token, kind, level,
      the month (``YYYY-MM``) and whether it was on time.
    * ``aggregates``: by grid, the number of older residents of each tier, of children
      of each risk level and of unmet needs of each reason; a count from 1 to k − 1 is
      null (k is the policy's ``privacy.min_cell_count`` on the plan's date).

    Args:
        snapshot: the snapshot the plan was made from (a :class:`CommunitySnapshot` or
            its JSON document), for the birth years and the sex of older residents.
        plan: the plan, from :func:`~community_care.community.plan_community`.
        key: the secret key: bytes, or a str read as UTF-8; at least 16 bytes. Keep it
            apart from the export: with it the tokens can be linked back to the registry.
        policy: the policy whose ``privacy.min_cell_count`` applies (default: the spec's).

    Returns:
        The :class:`PseudonymisedExport`.

    Raises:
        InvalidArgumentError: ``plan`` is not a plan, ``key`` not bytes or a str, or
            ``policy`` not a policy.
        InvalidInputError: ``key`` is shorter than 16 bytes, or the snapshot
            document's frame is wrong.

    Examples:
        >>> from community_care import plan_community
        >>> from community_care.samples import DEMO_DATE, demo_community
        >>> doc = demo_community()
        >>> export = pseudonymise(doc, plan_community(doc, on=DEMO_DATE), key=b"k" * 32)
        >>> sorted(export.tables)
        ['aggregates', 'children', 'elderly', 'needs', 'visits']
        >>> row = export.tables["elderly"][0]
        >>> row["token"][:1], len(row["token"]), row["age_band"]
        ('p', 25, '70-74')
    """
    check_instance("pseudonymise", "plan", plan, CommunityPlan, "plan_community(...)")
    secret = _key_bytes("pseudonymise", key)
    policy = check_policy("pseudonymise", policy) or default_policy()
    snap = snapshot if isinstance(snapshot, CommunitySnapshot) else load_snapshot(snapshot).snapshot
    k = policy.at(plan.on).privacy.min_cell_count
    tokens: dict[str, str] = {}

    def token(identifier: str) -> str:
        # Many rows name the same person: each id is hashed once.
        found = tokens.get(identifier)
        if found is None:
            found = tokens[identifier] = _token(secret, identifier)
        return found

    needs = _needs(plan)
    tables: dict[str, tuple[Row, ...]] = {
        "elderly": _elderly(plan, snap.elderly, token),
        "children": _children(plan, token),
        "needs": _need_rows(needs, plan, token),
        "visits": _visits(plan.followups, token),
        "aggregates": _aggregates(plan, snap.grids, needs, k),
    }
    return PseudonymisedExport(
        on=plan.on,
        policy_version=plan.policy_version,
        min_cell_count=k,
        tables=FrozenMapping.adopt(tables),
    )


_Token = Callable[[str], str]


def _by_token(rows: Iterable[Row], column: str) -> tuple[Row, ...]:
    # Sorted by token (stable): the order says nothing about the registry's.
    return tuple(sorted(rows, key=lambda r: r[column]))


def _elderly(
    plan: CommunityPlan, profiles: Iterable[ElderlyProfile], token: _Token
) -> tuple[Row, ...]:
    by_id = {p.id: p for p in profiles}
    rows = []
    for a in plan.elderly:
        profile = by_id.get(a.resident_id)
        rid = profile.resident_id if profile is not None else None
        rows.append(
            {
                "token": token(a.resident_id),
                "birth_year": profile.birth_date.year if profile is not None else None,
                "age_band": age_band(a.age),
                "sex": rid.sex.value if rid is not None else None,
                "grid": a.grid,
                "tier": a.tier.value,
                "score_tier": a.score_tier.value,
                "score": a.score,
                "reasons": [r.code for r in a.reasons],
                "interventions": [i.code for i in a.interventions],
            }
        )
    return _by_token(rows, "token")


def _children(plan: CommunityPlan, token: _Token) -> tuple[Row, ...]:
    rows = [
        {
            "token": token(case.assessment.child_id),
            "age_band": age_band(case.assessment.age, child=True),
            "grid": case.assessment.profile.grid,
            "categories": sorted(c.value for c in case.assessment.categories),
            "risk": case.assessment.risk.value if case.assessment.risk is not None else None,
            "actions": [a.code for a in case.plan.actions] if case.plan is not None else [],
        }
        for case in plan.children
    ]
    return _by_token(rows, "token")


def _needs(plan: CommunityPlan) -> list[tuple[Need, Matching]]:
    """Every need of the plan with the matching it was in: the needs, then caring mothers."""
    out = [(n, plan.matching) for n in plan.needs]
    paired = {*plan.caring_mothers.assignments, *plan.caring_mothers.unmatched}
    for case in plan.children:
        # The plan pairs the children whose grid is known (their plan's needs are placed).
        if case.plan is not None and case.plan.grid is not None:
            out.extend(
                (n, plan.caring_mothers)
                for n in _needs_from_plan(case.plan)
                if n.category == CARING_MOTHER and n.id in paired
            )
    return out


def _need_rows(
    needs: list[tuple[Need, Matching]], plan: CommunityPlan, token: _Token
) -> tuple[Row, ...]:
    parties = {
        id(m): {p.need_id: p.party.value for p in m.pairs}
        for m in (plan.matching, plan.caring_mothers)
    }
    rows = []
    for need, matching in needs:
        reason = matching.unmatched.get(need.id)
        rows.append(
            {
                "need": token(need.id),
                "source": need.source.value,
                "category": need.category,
                "urgency": need.urgency.value,
                "grid": need.grid,
                "beneficiary": token(need.beneficiary) if need.beneficiary is not None else None,
                "party": parties[id(matching)].get(need.id),
                "met": need.id in matching.assignments,
                "unmet_reason": reason.code if reason is not None else None,
            }
        )
    return _by_token(rows, "need")


def _visits(followups: Iterable[FollowUp], token: _Token) -> tuple[Row, ...]:
    rows = []
    recorded = (FollowUpAction.VISITED, FollowUpAction.ATTEMPTED)
    for record in followups:
        case = token(record.case_id)
        events = [e for e in record.history if e.action in recorded]
        # Each visit answered the due date pending when it took place (one per visit);
        # an attempt answers none.
        answered = iter([d for d in _due_visits(record) if d.done_on is not None])
        for visit, event in zip(record.visits, events, strict=True):
            rows.append(
                {
                    "case": case,
                    "kind": record.kind.value,
                    "level": event.level.value,
                    "month": f"{visit.on.year:04d}-{visit.on.month:02d}",
                    "mode": visit.mode.value,
                    "met": visit.met,
                    "on_time": next(answered).on_time if visit.met else None,
                }
            )
    return _by_token(rows, "case")


def _aggregates(
    plan: CommunityPlan,
    grids: Iterable[str],
    needs: list[tuple[Need, Matching]],
    k: int,
) -> tuple[Row, ...]:
    counts: dict[tuple[str, str, str], int] = {}

    def add(grid: str | None, measure: str, category: str) -> None:
        cell = (grid or UNASSIGNED_GRID, measure, category)
        counts[cell] = counts.get(cell, 0) + 1

    for a in plan.elderly:
        add(a.grid, "elderly_tier", a.tier.value)
    for case in plan.children:
        if case.assessment.risk is not None:
            add(case.assessment.profile.grid, "child_risk", case.assessment.risk.value)
    for need, matching in needs:
        reason = matching.unmatched.get(need.id)
        if reason is not None:
            add(need.grid, "unmet_reason", reason.code)
    known = list(grids)
    seen = {grid for grid, _, _ in counts}
    order = known + sorted(seen.difference(known))
    rows = []
    for grid in order:
        for measure, categories in _MEASURES:
            for category in categories:
                n = counts.get((grid, measure, category), 0)
                rows.append(
                    {
                        "grid": grid,
                        "measure": measure,
                        "category": category,
                        # Spec §8: a count from 1 to k - 1 could single out a household.
                        "count": None if 0 < n < k else n,
                    }
                )
    return tuple(rows)
