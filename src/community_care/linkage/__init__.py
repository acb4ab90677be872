"""Five-party linkage (五社联动): needs, the parties' offers, and the exact matching.

:func:`match` gives needs to offers as spec §4 says: only eligible pairs, each
need at most once, each offer within its capacity, and urgency strictly first
(the most critical needs met, then high, normal, low, and only then the best
total fit), exactly rather than greedily. Every unmatched need gets the first
reason that applies, in the spec's order (:data:`UNMATCHED_REASONS`).

:func:`needs_from_assessment` and :func:`needs_from_plan` turn an elderly
assessment's interventions and a child's support plan into needs;
:func:`pair_caring_mothers` pairs caring mothers (爱心妈妈) one-to-one.
"""

from __future__ import annotations

from community_care.linkage._matching import (
    MAX_PAIRS,
    UNMATCHED_REASONS,
    Matching,
    MatchPair,
    match,
    pair_caring_mothers,
)
from community_care.linkage._needs import (
    CARING_MOTHER,
    DUTY_ACTIONS,
    ActionLike,
    Need,
    NeedSource,
    Offer,
    PlanLike,
    needs_from_assessment,
    needs_from_plan,
)

__all__ = [
    "CARING_MOTHER",
    "DUTY_ACTIONS",
    "MAX_PAIRS",
    "UNMATCHED_REASONS",
    "ActionLike",
    "MatchPair",
    "Matching",
    "Need",
    "NeedSource",
    "Offer",
    "PlanLike",
    "match",
    "needs_from_assessment",
    "needs_from_plan",
    "pair_caring_mothers",
]
