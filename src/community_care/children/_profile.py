"""A child's record (spec §3): parents and their situations, guardian, school, health."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from community_care._kernel.fields import (
    bool_field,
    check_birth_date_matches_id,
    date_field,
    enum_field,
    int_field,
    model_tuple_field,
    name_field,
    phone_field,
    resident_id_field,
    str_field,
)
from community_care.errors import InvalidInputError
from community_care.identity import PhoneNumber, ResidentId
from community_care.vocab import EconomicStatus

__all__ = ["ChildProfile", "Guardian", "Parent", "ParentStatus", "SchoolStatus"]


class ParentStatus(enum.StrEnum):
    """A parent's situation, as legally determined (taken as given)."""

    PRESENT = "present"
    WORKING_AWAY = "working_away"
    DECEASED = "deceased"
    DECLARED_MISSING = "declared_missing"  # declared missing by a court
    UNKNOWN = "unknown"  # never identified
    # The eight "unable" situations of the 2019 rules:
    SEVERELY_DISABLED = "severely_disabled"
    SERIOUSLY_ILL = "seriously_ill"
    IMPRISONED = "imprisoned"
    COMPULSORY_REHAB = "compulsory_rehab"
    RESTRICTED_LIBERTY = "restricted_liberty"
    LOST_CONTACT = "lost_contact"  # 6 months or more
    GUARDIANSHIP_REVOKED = "guardianship_revoked"
    DEPORTED = "deported"


class Guardian(enum.StrEnum):
    """Who is recorded as the child's guardian (监护人)."""

    PARENTS = "parents"
    GRANDPARENTS = "grandparents"
    OTHER_RELATIVE = "other_relative"
    INSTITUTION = "institution"
    NONE = "none"


class SchoolStatus(enum.StrEnum):
    """A child's schooling."""

    ENROLLED = "enrolled"
    PRESCHOOL = "preschool"
    NOT_ENROLLED = "not_enrolled"
    DROPPED_OUT = "dropped_out"


@attrs.frozen(kw_only=True)
class Parent:
    """One of a child's two parents.

    Examples:
        >>> Parent(status="working_away")
        Parent(status=<ParentStatus.WORKING_AWAY: 'working_away'>)
    """

    status: ParentStatus = enum_field(ParentStatus)


@attrs.frozen(kw_only=True)
class ChildProfile:
    """A child as recorded in the registry (spec §3).

    ``parents`` holds exactly two parents. ``name``, ``resident_id`` and
    ``phone`` (a guardian's) are optional and shown masked in ``repr``.
    ``grid`` (optional) is where the child lives, used to place the plan's needs.
    ``concern_found_on`` (when the concern of abuse or neglect was found) and
    ``reported_on`` (when the mandatory report, 强制报告, was made) may be set only
    with ``abuse_or_neglect_concern``, and a report is not made before the concern
    was found; that neither is after the date of an assessment is checked by
    :func:`~community_care.children.assess_child`.

    Examples:
        >>> c = ChildProfile(id="c1", birth_date=date(2015, 3, 2), guardian="grandparents",
        ...                  parents=[Parent(status="working_away"), Parent(status="present")])
        >>> [p.status.value for p in c.parents]
        ['working_away', 'present']
    """

    id: str = str_field()
    birth_date: date = date_field()
    parents: tuple[Parent, ...] = model_tuple_field(Parent, min_items=2, max_items=2)
    guardian: Guardian = enum_field(Guardian)
    family_economic_status: EconomicStatus = enum_field(EconomicStatus, default=EconomicStatus.NONE)
    disability_grade: int | None = int_field(default=None, minimum=1, maximum=4, optional=True)
    serious_illness: bool = bool_field(default=False)
    school_status: SchoolStatus = enum_field(SchoolStatus, default=SchoolStatus.ENROLLED)
    abuse_or_neglect_concern: bool = bool_field(default=False)
    concern_found_on: date | None = date_field(default=None, optional=True)
    reported_on: date | None = date_field(default=None, optional=True)
    mental_health_flags: int = int_field(default=0, minimum=0)
    months_since_parent_contact: int | None = int_field(default=None, minimum=0, optional=True)
    name: str | None = name_field()
    resident_id: ResidentId | None = resident_id_field()
    phone: PhoneNumber | None = phone_field()
    grid: str | None = str_field(default=None, optional=True)

    def __attrs_post_init__(self) -> None:
        check_birth_date_matches_id(self.birth_date, self.resident_id)
        if not self.abuse_or_neglect_concern:
            for name in ("concern_found_on", "reported_on"):
                value = getattr(self, name)
                if value is not None:
                    raise InvalidInputError.at(
                        f"$.{name}",
                        f"expected null when abuse_or_neglect_concern is false, got"
                        f" {value.isoformat()}; record the concern or clear the date",
                    )
        found, reported = self.concern_found_on, self.reported_on
        if found is not None and reported is not None and reported < found:
            raise InvalidInputError.at(
                "$.reported_on",
                f"expected a date on or after concern_found_on {found.isoformat()},"
                f" got {reported.isoformat()}",
            )
