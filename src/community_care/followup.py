"""Long-term follow-up (长效机制): cadences of visits.

Forecasts, rolling due dates and escalation of spec §5 build on these models.
"""

from __future__ import annotations

import enum

import attrs

from community_care._fields import bool_field, enum_field, int_field

__all__ = ["Cadence", "CadenceUnit"]


class CadenceUnit(enum.StrEnum):
    """The unit of a cadence's interval."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@attrs.frozen(kw_only=True)
class Cadence:
    """How often a case is visited: ``every`` × ``unit``.

    With ``working_days_only`` a visit falling on a day off moves to a working
    day (at most ``max_shift_days`` later, else earlier; spec §5).

    Examples:
        >>> c = Cadence(every=1, unit="month", working_days_only=True)
        >>> c.unit, c.max_shift_days
        (<CadenceUnit.MONTH: 'month'>, 3)
    """

    every: int = int_field(minimum=1)
    unit: CadenceUnit = enum_field(CadenceUnit)
    working_days_only: bool = bool_field(default=False)
    max_shift_days: int = int_field(default=3, minimum=0)
