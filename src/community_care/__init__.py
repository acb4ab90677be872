"""community-care: decisions a caseworker can trust and audit.

Elderly risk tiers, child support plans, five-party linkage matching and
long-term follow-up for community social services (一老一小) in Chinese cities.
The core is pure: no I/O, no clock (every function takes ``on``), immutable models.
"""

from community_care.calendar import (
    OfficialCalendar,
    WeekendCalendar,
    WorkCalendar,
    YearArrangement,
    official_calendar,
)
from community_care.children import (
    ChildAssessment,
    ChildCategory,
    ChildProfile,
    ChildRisk,
    Guardian,
    MicroWish,
    Parent,
    ParentStatus,
    SchoolStatus,
    SupportAction,
    SupportDimension,
    SupportPlan,
    WishEvent,
    WishStatus,
    assess_child,
    plan_support,
)
from community_care.elderly import (
    ElderlyAssessment,
    ElderlyProfile,
    HomeSafety,
    Intervention,
    LivingArrangement,
    RiskTier,
    assess_elderly,
    assess_many,
    explain,
)
from community_care.errors import (
    CalendarRangeError,
    CommunityCareError,
    InputProblem,
    InvalidInputError,
    InvalidTransitionError,
    NotEligibleError,
)
from community_care.followup import Cadence, CadenceUnit
from community_care.identity import PhoneNumber, ResidentId, Sex, mask_name
from community_care.ledger import (
    Event,
    Hazard,
    HazardKind,
    HazardStatus,
    Problem,
    ProblemSource,
    ProblemStatus,
    ServiceActivity,
)
from community_care.linkage import Need, NeedSource, Offer
from community_care.policy import Amendment, Policy, PolicyValues, default_policy
from community_care.reasons import Reason, Rejection
from community_care.serialization import from_json, json_schema, structure, to_json, unstructure
from community_care.vocab import EconomicStatus, PartyKind, Urgency

__all__ = [
    "Amendment",
    "Cadence",
    "CadenceUnit",
    "CalendarRangeError",
    "ChildAssessment",
    "ChildCategory",
    "ChildProfile",
    "ChildRisk",
    "CommunityCareError",
    "EconomicStatus",
    "ElderlyAssessment",
    "ElderlyProfile",
    "Event",
    "Guardian",
    "Hazard",
    "HazardKind",
    "HazardStatus",
    "HomeSafety",
    "InputProblem",
    "Intervention",
    "InvalidInputError",
    "InvalidTransitionError",
    "LivingArrangement",
    "MicroWish",
    "Need",
    "NeedSource",
    "NotEligibleError",
    "Offer",
    "OfficialCalendar",
    "Parent",
    "ParentStatus",
    "PartyKind",
    "PhoneNumber",
    "Policy",
    "PolicyValues",
    "Problem",
    "ProblemSource",
    "ProblemStatus",
    "Reason",
    "Rejection",
    "ResidentId",
    "RiskTier",
    "SchoolStatus",
    "ServiceActivity",
    "Sex",
    "SupportAction",
    "SupportDimension",
    "SupportPlan",
    "Urgency",
    "WeekendCalendar",
    "WishEvent",
    "WishStatus",
    "WorkCalendar",
    "YearArrangement",
    "assess_child",
    "assess_elderly",
    "assess_many",
    "default_policy",
    "explain",
    "from_json",
    "json_schema",
    "mask_name",
    "official_calendar",
    "plan_support",
    "structure",
    "to_json",
    "unstructure",
]
