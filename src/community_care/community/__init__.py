"""The main job: a community's whole care plan, from one snapshot of its registry.

:func:`plan_community` is pure: from a :class:`CommunitySnapshot` (or its JSON
document) and a date it computes the elderly assessments, the children's
assessments and support plans, the needs (from interventions, plan actions,
micro-wishes, micro-projects and open problems), the five-party matching and the
caring-mother pairing, every case's follow-up with a 90-day visit calendar, the
overdue and escalated cases, the hazards past their deadline and the KPIs of the
trailing 12 months. A record that cannot be used is listed in ``rejections`` with
its JSON path and the reason, and everything else is still planned: the records in
are the records used plus the rejections, always.
"""

from community_care.community._plan import EARLIEST_PLAN_DATE as EARLIEST_PLAN_DATE
from community_care.community._plan import LATEST_PLAN_DATE as LATEST_PLAN_DATE
from community_care.community._plan import (
    ChildCase,
    CommunityPlan,
    PlannedCaseVisit,
    plan_community,
    plan_many,
)
from community_care.community._snapshot import RECORD_LISTS as RECORD_LISTS
from community_care.community._snapshot import UNASSIGNED_GRID as UNASSIGNED_GRID
from community_care.community._snapshot import (
    Building,
    Community,
    CommunitySnapshot,
    LoadedSnapshot,
    load_snapshot,
)

# The record lists of a snapshot, the grid of a need whose grid is not recorded and the
# range of plan dates (imported `as` themselves) are importable from here, though not in
# __all__.
__all__ = [
    "Building",
    "ChildCase",
    "Community",
    "CommunityPlan",
    "CommunitySnapshot",
    "LoadedSnapshot",
    "PlannedCaseVisit",
    "load_snapshot",
    "plan_community",
    "plan_many",
]
