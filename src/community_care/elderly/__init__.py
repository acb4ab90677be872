"""Older residents: the profile a residents' committee records (银龄守护).

The risk assessment of spec §2 builds on these models; the GB/T 42195-2022 ability
assessment (spec §2.1) gives the ability level it uses when item scores are recorded.
"""

from __future__ import annotations

from community_care.elderly._ability import (
    ABILITY_DIMENSIONS,
    ABILITY_ITEM_MAXIMA,
    AbilityAssessment,
    AbilityItems,
    assess_ability,
)
from community_care.elderly._assessment import (
    ElderlyAssessment,
    Intervention,
    assess_elderly,
    assess_many,
    explain,
)
from community_care.elderly._profile import ElderlyProfile, HomeSafety, LivingArrangement
from community_care.vocab import RiskTier

__all__ = [
    "ABILITY_DIMENSIONS",
    "ABILITY_ITEM_MAXIMA",
    "AbilityAssessment",
    "AbilityItems",
    "ElderlyAssessment",
    "ElderlyProfile",
    "HomeSafety",
    "Intervention",
    "LivingArrangement",
    "RiskTier",
    "assess_ability",
    "assess_elderly",
    "assess_many",
    "explain",
]
