"""Words shared by several parts of the library: economic status, urgency, party kinds."""

from __future__ import annotations

import enum

__all__ = ["EconomicStatus", "PartyKind", "Urgency"]


class EconomicStatus(enum.StrEnum):
    """A household's economic assistance status."""

    NONE = "none"
    LOW_INCOME = "low_income"  # 低保
    EXTREME_POVERTY = "extreme_poverty"  # 特困


class Urgency(enum.StrEnum):
    """How urgent a need is; matching serves urgency strictly first."""

    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class PartyKind(enum.StrEnum):
    """The kinds of party in five-party linkage (五社联动).

    The reported scheme uses the first five; the official national wording
    (社区、社会组织、社会工作者、社区志愿者、社会慈善资源) adds ``social_worker``
    and ``charity_resource``.
    """

    COMMUNITY_COMMITTEE = "community_committee"  # 社区党委/居委会
    MEMBER_UNIT = "member_unit"  # 大党委成员单位
    SOCIAL_ORGANIZATION = "social_organization"  # 社会组织
    VOLUNTEER = "volunteer"  # 志愿者
    RESIDENT = "resident"  # 居民
    SOCIAL_WORKER = "social_worker"  # 社会工作者
    CHARITY_RESOURCE = "charity_resource"  # 社会慈善资源
