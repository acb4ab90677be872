"""Older residents: the profile a residents' committee records (银龄守护).

The risk assessment of spec §2 builds on these models.
"""

from __future__ import annotations

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
    "ElderlyAssessment",
    "ElderlyProfile",
    "HomeSafety",
    "Intervention",
    "LivingArrangement",
    "RiskTier",
    "assess_elderly",
    "assess_many",
    "explain",
]
