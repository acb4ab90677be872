"""The ledger's words: problem sources, hazard kinds, and the statuses of both lifecycles."""

from __future__ import annotations

import enum

__all__ = ["HazardKind", "HazardStatus", "ProblemSource", "ProblemStatus"]


# --- problems (急难愁盼) --------------------------------------------------------------


class ProblemSource(enum.StrEnum):
    """How a problem came to the committee's attention."""

    RESIDENT_REPORT = "resident_report"
    OUTREACH = "outreach"  # found by home visits (proactive)
    INSPECTION = "inspection"  # found by inspections (proactive)
    HOTLINE = "hotline"  # 12345 and similar


class ProblemStatus(enum.StrEnum):
    """Where a problem stands."""

    REPORTED = "reported"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    VERIFIED = "verified"
    REOPENED = "reopened"


# --- hazards ----------------------------------------------------------------------------


class HazardKind(enum.StrEnum):
    """Kinds of fire and safety hazard found on inspection."""

    TANGLED_WIRING = "tangled_wiring"
    FLYING_LEAD_CHARGING = "flying_lead_charging"  # 飞线充电
    BLOCKED_FIRE_ESCAPE = "blocked_fire_escape"
    STAIRWELL_CLUTTER = "stairwell_clutter"
    GAS = "gas"
    OTHER = "other"


class HazardStatus(enum.StrEnum):
    """Where a hazard stands."""

    OPEN = "open"
    RECTIFIED = "rectified"
    VERIFIED = "verified"
    REOPENED = "reopened"
