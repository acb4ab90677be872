"""Five-party linkage (五社联动): needs and the parties' offers.

The exact matching of spec §4 builds on these models.
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from community_care._fields import (
    date_field,
    enum_field,
    int_field,
    str_field,
    str_tuple_field,
)
from community_care.errors import InvalidInputError
from community_care.vocab import PartyKind, Urgency

__all__ = ["Need", "NeedSource", "Offer"]


class NeedSource(enum.StrEnum):
    """Where a need came from."""

    MICRO_WISH = "micro_wish"  # 微心愿
    MICRO_PROJECT = "micro_project"  # 微项目
    ASSESSMENT = "assessment"
    PROBLEM = "problem"  # 急难愁盼
    PLAN = "plan"


@attrs.frozen(kw_only=True)
class Need:
    """Something a resident or the community needs done (spec §4).

    ``needed_by`` is the date it is needed by, or ``None`` (then its urgency
    implies a deadline). ``source`` defaults to ``plan``.

    Examples:
        >>> Need(id="n1", category="rewiring", urgency="high", grid="g1").urgency
        <Urgency.HIGH: 'high'>
    """

    id: str = str_field()
    category: str = str_field()
    urgency: Urgency = enum_field(Urgency)
    grid: str = str_field()
    needed_by: date | None = date_field(default=None, optional=True)
    source: NeedSource = enum_field(NeedSource, default=NeedSource.PLAN)
    beneficiary: str | None = str_field(default=None, optional=True)


@attrs.frozen(kw_only=True)
class Offer:
    """What a party offers: the categories it can serve, how many needs, where and when.

    ``grids`` empty means every grid; ``home_grid`` only earns the proximity
    bonus. ``available_from`` after ``available_until`` is invalid.

    Examples:
        >>> o = Offer(id="o1", party="volunteer", name="Sewing team", capabilities=["sewing"],
        ...           capacity=5)
        >>> o.party, o.capabilities, o.grids
        (<PartyKind.VOLUNTEER: 'volunteer'>, ('sewing',), ())
    """

    id: str = str_field()
    party: PartyKind = enum_field(PartyKind)
    name: str = str_field(default="", non_empty=False)
    capabilities: tuple[str, ...] = str_tuple_field(default=())
    capacity: int = int_field(default=1, minimum=0)
    grids: tuple[str, ...] = str_tuple_field(default=())
    home_grid: str | None = str_field(default=None, optional=True)
    available_from: date | None = date_field(default=None, optional=True)
    available_until: date | None = date_field(default=None, optional=True)

    def __attrs_post_init__(self) -> None:
        if (
            self.available_from is not None
            and self.available_until is not None
            and self.available_from > self.available_until
        ):
            raise InvalidInputError.at(
                "$.available_from",
                f"expected a date on or before available_until {self.available_until},"
                f" got {self.available_from}",
            )
