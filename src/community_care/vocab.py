"""Words shared by several parts of the library: levels, urgency, party kinds, cadence units.

The enums whose members are levels (:class:`RiskTier`, :class:`ChildRisk`,
:class:`Urgency`) are declared most severe first, and that declaration is their one
order: ``rank`` is derived from it (1 for the mildest, higher is more severe), so
no other table of ranks exists anywhere in the library.
"""

from __future__ import annotations

import enum

__all__ = [
    "CadenceUnit",
    "CaseKind",
    "ChildRisk",
    "EconomicStatus",
    "FindingBlock",
    "PartyKind",
    "RiskTier",
    "Urgency",
    "VisitMode",
]


def _rank(member: enum.Enum) -> int:
    """The rank of a level: members are declared most severe first, the last ranks 1."""
    names = type(member)._member_names_
    return len(names) - names.index(member.name)


class EconomicStatus(enum.StrEnum):
    """A household's economic assistance status."""

    NONE = "none"
    LOW_INCOME = "low_income"  # 低保
    EXTREME_POVERTY = "extreme_poverty"  # 特困


class Urgency(enum.StrEnum):
    """How urgent a need is; matching serves urgency strictly first.

    Examples:
        >>> Urgency.CRITICAL.rank > Urgency.HIGH.rank > Urgency.NORMAL.rank > Urgency.LOW.rank
        True
    """

    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def rank(self) -> int:
        """1 for low up to 4 for critical: higher is more urgent."""
        return _rank(self)


class RiskTier(enum.StrEnum):
    """An older resident's risk tier; ``rank`` orders them (green 1 < yellow 2 < red 3).

    Examples:
        >>> sorted(RiskTier, key=lambda t: t.rank)
        [<RiskTier.GREEN: 'green'>, <RiskTier.YELLOW: 'yellow'>, <RiskTier.RED: 'red'>]
    """

    RED = "red"  # 高风险
    YELLOW = "yellow"  # 重点关注
    GREEN = "green"  # 一般

    @property
    def rank(self) -> int:
        """1 for green, 2 for yellow, 3 for red: higher is more at risk."""
        return _rank(self)


class ChildRisk(enum.StrEnum):
    """A child's risk level; ``rank`` orders them (low 1 < medium 2 < high 3).

    Examples:
        >>> sorted(ChildRisk, key=lambda r: r.rank)
        [<ChildRisk.LOW: 'low'>, <ChildRisk.MEDIUM: 'medium'>, <ChildRisk.HIGH: 'high'>]
    """

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """1 for low, 2 for medium, 3 for high: higher is more at risk."""
        return _rank(self)


class CadenceUnit(enum.StrEnum):
    """The unit of a follow-up cadence's interval."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class VisitMode(enum.StrEnum):
    """How a follow-up visit was made (spec §5); every mode counts when the person was met."""

    HOME = "home"  # 上门入户
    PHONE = "phone"  # 电话
    VIDEO = "video"  # 视频


class FindingBlock(enum.StrEnum):
    """The five blocks of what a visit records (探访内容): health, money, family, safety, needs."""

    HEALTH = "health"  # 健康状况
    ECONOMIC = "economic"  # 经济状况
    FAMILY = "family"  # 家庭关系
    SAFETY = "safety"  # 居住安全
    NEEDS = "needs"  # 服务需求


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


class CaseKind(enum.StrEnum):
    """The two kinds of case followed up: older residents and children in difficulty."""

    ELDERLY = "elderly"  # 银龄守护: level is the risk tier red / yellow / green
    CHILD = "child"  # 幼苗成长: level is the risk level high / medium / low

    @property
    def levels(self) -> type[RiskTier] | type[ChildRisk]:
        """The enum of this kind's levels: :class:`RiskTier` or :class:`ChildRisk`."""
        return RiskTier if self is CaseKind.ELDERLY else ChildRisk
