"""The Ledger: a community's records, one per id, and their KPIs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Final

import attrs

from community_care._kernel.checks import (
    check_date,
    check_instance,
    check_policy,
    fail,
)
from community_care._kernel.fields import (
    model_tuple_field,
)
from community_care.errors import InputProblem, InvalidInputError
from community_care.followup import DueVisit, FollowUp
from community_care.ledger._hazards import Hazard
from community_care.ledger._kpis import KpiReport, kpis
from community_care.ledger._problems import Problem
from community_care.ledger._records import ServiceActivity
from community_care.policy import Policy

__all__ = ["Ledger", "Record"]


# --- the ledger ---------------------------------------------------------------------------

Record = ServiceActivity | Problem | Hazard

_KINDS: Final[tuple[tuple[str, str, type], ...]] = (
    ("activities", "activity", ServiceActivity),
    ("problems", "problem", Problem),
    ("hazards", "hazard", Hazard),
)


def _kind_of(record: object, func: str, name: str) -> tuple[str, str]:
    for plural, singular, cls in _KINDS:
        if isinstance(record, cls):
            return plural, singular
    raise fail(func, name, "a ServiceActivity, Problem or Hazard such as Problem(...)", record)


def _differing_fields(a: Record, b: Record) -> list[str]:
    return [f.name for f in attrs.fields(type(a)) if getattr(a, f.name) != getattr(b, f.name)]


@attrs.frozen(kw_only=True)
class Ledger:
    """A community's ledger (台账): its activities, problems and hazards, one record per id.

    Ids are unique within each kind (an activity and a problem may share one). Every
    change returns a new ledger.

    Examples:
        >>> p = Problem(id="p1", category="pump_repair", reported_on=date(2026, 3, 2),
        ...             source="hotline")
        >>> ledger = Ledger().add(p)
        >>> ledger = ledger.replace(p.accept(date(2026, 3, 3)))
        >>> [q.status.value for q in ledger.problems]
        ['accepted']
        >>> ledger.add(p)
        Traceback (most recent call last):
        ...
        community_care.errors.InvalidInputError: invalid input: records[0].id: problem 'p1' is already in the ledger; use replace() to record its new state
    """  # noqa: E501

    activities: tuple[ServiceActivity, ...] = model_tuple_field(ServiceActivity, default=())
    problems: tuple[Problem, ...] = model_tuple_field(Problem, default=())
    hazards: tuple[Hazard, ...] = model_tuple_field(Hazard, default=())

    def __attrs_post_init__(self) -> None:
        problems: list[InputProblem] = []
        for plural, singular, _ in _KINDS:
            first: dict[str, int] = {}
            for i, record in enumerate(getattr(self, plural)):
                if record.id in first:
                    problems.append(
                        InputProblem(
                            f"$.{plural}[{i}].id",
                            f"{singular} {record.id!r} repeats $.{plural}[{first[record.id]}];"
                            " a ledger holds one record per id",
                        )
                    )
                else:
                    first[record.id] = i
        if problems:
            raise InvalidInputError(problems)

    def _with(self, records: tuple[Record, ...], *, replacing: bool) -> Ledger:
        lists: dict[str, list[Any]] = {p: list(getattr(self, p)) for p, _, _ in _KINDS}
        index = {p: {r.id: i for i, r in enumerate(lists[p])} for p in lists}
        problems: list[InputProblem] = []
        for i, record in enumerate(records):
            func = "Ledger.replace" if replacing else "Ledger.add"
            plural, singular = _kind_of(record, func, f"records[{i}]")
            where = index[plural].get(record.id)
            if replacing and where is None:
                problems.append(
                    InputProblem(
                        f"records[{i}].id",
                        f"{singular} {record.id!r} is not in the ledger; use add() for a new one",
                    )
                )
            elif replacing and where is not None:
                lists[plural][where] = record
            elif where is not None:
                problems.append(
                    InputProblem(
                        f"records[{i}].id",
                        f"{singular} {record.id!r} is already in the ledger;"
                        " use replace() to record its new state",
                    )
                )
            else:
                index[plural][record.id] = len(lists[plural])
                lists[plural].append(record)
        if problems:
            raise InvalidInputError(problems)
        return Ledger(**{p: tuple(v) for p, v in lists.items()})

    def add(self, *records: Record) -> Ledger:
        """A new ledger with ``records`` added.

        Raises:
            InvalidInputError: a record's id is already in the ledger (or given twice)
                for its kind; every such record is listed and nothing is added.
            InvalidArgumentError: a record is not an activity, problem or hazard.
        """
        return self._with(records, replacing=False)

    def replace(self, *records: Record) -> Ledger:
        """A new ledger where each of ``records`` takes the place of the record with its id.

        This is how a lifecycle move is recorded: ``ledger.replace(problem.accept(on))``.

        Raises:
            InvalidInputError: a record's id is not in the ledger; nothing is replaced.
            InvalidArgumentError: a record is not an activity, problem or hazard.
        """
        return self._with(records, replacing=True)

    def merge(self, other: Ledger) -> Ledger:
        """The union of two ledgers (this one's records first, then the other's new ones).

        A record present in both and identical is kept once. A record present in both
        with different contents (even one further along its lifecycle) is a conflict:
        merging never picks one silently.

        Raises:
            InvalidInputError: listing every conflicting record with the fields that differ.
            InvalidArgumentError: ``other`` is not a :class:`Ledger`.
        """
        check_instance("Ledger.merge", "other", other, Ledger, "Ledger().add(...)")
        lists: dict[str, list[Any]] = {p: list(getattr(self, p)) for p, _, _ in _KINDS}
        problems: list[InputProblem] = []
        for plural, singular, _ in _KINDS:
            mine = {r.id: r for r in lists[plural]}
            for i, record in enumerate(getattr(other, plural)):
                existing = mine.get(record.id)
                if existing is None:
                    lists[plural].append(record)
                elif existing != record:
                    differing = ", ".join(_differing_fields(existing, record))
                    problems.append(
                        InputProblem(
                            f"other.{plural}[{i}]",
                            f"{singular} {record.id!r} differs from the {singular} with the"
                            f" same id in this ledger (fields: {differing}); settle which is"
                            " right and replace() it before merging",
                        )
                    )
        if problems:
            raise InvalidInputError(problems)
        return Ledger(**{p: tuple(v) for p, v in lists.items()})

    def kpis(
        self,
        followups: Iterable[DueVisit] = (),
        *,
        start: date,
        end: date,
        policy: Policy | None = None,
        cases: Iterable[FollowUp] = (),
    ) -> KpiReport:
        """The KPIs of this ledger's records for [``start``, ``end``]; see :func:`kpis`.

        ``cases`` are the follow-up records ``monthly_visit_coverage`` is computed from.
        """
        check_date("Ledger.kpis", "start", start)
        check_date("Ledger.kpis", "end", end)
        check_policy("Ledger.kpis", policy)
        return kpis(
            self.activities,
            self.problems,
            self.hazards,
            followups,
            start=start,
            end=end,
            policy=policy,
            cases=cases,
        )
