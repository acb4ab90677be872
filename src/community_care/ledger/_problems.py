"""Problems (急难愁盼, spec §6): reported, accepted, in progress, resolved, verified, reopened."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Final

import attrs

from community_care._kernel.checks import (
    check_date,
)
from community_care._kernel.fields import (
    date_field,
    enum_field,
    str_field,
)
from community_care._kernel.lifecycle import Lifecycle
from community_care.errors import InputProblem, InvalidInputError
from community_care.ledger._records import (
    Event,
    _history_field,
    _history_problems,
    _next_event,
    _status_on,
    parties_field,
)
from community_care.ledger._statuses import ProblemSource, ProblemStatus
from community_care.vocab import PartyKind

__all__ = ["PROBLEM_TRANSITIONS", "Problem"]


# A problem's lifecycle: from each status, the moves (method names) allowed and where
# they lead. A reopened problem goes back to ``in_progress``: it was accepted once
# already, and accepting it again would add an event that says nothing.
_PROBLEM_LIFECYCLE: Final = Lifecycle(
    "problem",
    ProblemStatus.REPORTED,
    {
        ProblemStatus.REPORTED: {"accept": ProblemStatus.ACCEPTED},
        ProblemStatus.ACCEPTED: {"start_work": ProblemStatus.IN_PROGRESS},
        ProblemStatus.IN_PROGRESS: {"resolve": ProblemStatus.RESOLVED},
        ProblemStatus.RESOLVED: {
            "verify": ProblemStatus.VERIFIED,
            "reopen": ProblemStatus.REOPENED,
        },
        ProblemStatus.VERIFIED: {"reopen": ProblemStatus.REOPENED},
        ProblemStatus.REOPENED: {"start_work": ProblemStatus.IN_PROGRESS},
    },
)

#: Allowed moves of a problem, by current status.
PROBLEM_TRANSITIONS: Final[Mapping[ProblemStatus, tuple[ProblemStatus, ...]]] = (
    _PROBLEM_LIFECYCLE.transitions()
)

_PROACTIVE_SOURCES = frozenset({ProblemSource.OUTREACH, ProblemSource.INSPECTION})


def _union(*groups: Iterable[PartyKind]) -> tuple[PartyKind, ...]:
    """Party kinds of several groups, each once, in order of first appearance."""
    return tuple(dict.fromkeys(p for g in groups for p in g))


@attrs.frozen(kw_only=True)
class Problem:
    """An urgent problem of residents (急难愁盼) and its history (spec §6).

    A new problem is ``reported`` with an empty history; each move appends an
    :class:`Event`. ``parties`` are the party kinds that took part in resolving it:
    those recorded on every ``resolved`` event, each once, in order of first appearance.
    A problem read from data must have a history the methods could have produced.

    Examples:
        >>> p = Problem(id="p1", category="pump_repair", reported_on=date(2026, 3, 2),
        ...             source="outreach")
        >>> p = p.accept(date(2026, 3, 2)).start_work(date(2026, 3, 3))
        >>> p = p.resolve(date(2026, 3, 9), parties=["member_unit", "volunteer"])
        >>> p.status, p.resolved_on, [e.status.value for e in p.history]
        (<ProblemStatus.RESOLVED: 'resolved'>, datetime.date(2026, 3, 9), ['accepted', 'in_progress', 'resolved'])
        >>> p.accept(date(2026, 3, 10))
        Traceback (most recent call last):
        ...
        community_care.errors.InvalidTransitionError: problem 'p1' is 'resolved'; cannot accept; allowed: verify (→ verified), reopen (→ reopened)
    """  # noqa: E501

    id: str = str_field()
    category: str = str_field()
    reported_on: date = date_field()
    source: ProblemSource = enum_field(ProblemSource)
    grid: str | None = str_field(default=None, optional=True)
    status: ProblemStatus = enum_field(ProblemStatus, default=ProblemStatus.REPORTED)
    parties: tuple[PartyKind, ...] = parties_field()
    history: tuple[Event, ...] = _history_field(ProblemStatus)

    def __attrs_post_init__(self) -> None:
        problems = _history_problems(
            _PROBLEM_LIFECYCLE,
            self.history,
            self.status,
            start=self.reported_on,
            start_name="reported_on",
            parties_on=ProblemStatus.RESOLVED,
            parties_required=True,
        )
        recorded = _union(*(e.parties for e in self.history if e.status == ProblemStatus.RESOLVED))
        if len(set(self.parties)) != len(self.parties) or set(self.parties) != set(recorded):
            problems.append(
                InputProblem(
                    "$.parties",
                    "expected the party kinds recorded on the resolved events, each once"
                    f" ({[p.value for p in recorded]}), got {[p.value for p in self.parties]}",
                )
            )
        if problems:
            raise InvalidInputError(problems)

    @property
    def allowed_moves(self) -> tuple[ProblemStatus, ...]:
        """The statuses this problem may move to next."""
        return PROBLEM_TRANSITIONS[self.status]

    @property
    def resolved_on(self) -> date | None:
        """The date of the last move into ``resolved``, or ``None`` if it never was."""
        for event in reversed(self.history):
            if event.status == ProblemStatus.RESOLVED:
                return event.on
        return None

    def status_on(self, on: date) -> ProblemStatus | None:
        """The status at the end of day ``on`` (``None`` before it was reported).

        Raises:
            InvalidArgumentError: ``on`` is not a date.
        """
        on = check_date("Problem.status_on", "on", on)
        return _status_on(self.history, on, self.reported_on, _PROBLEM_LIFECYCLE)

    def transition(
        self,
        to: ProblemStatus | str,
        on: date,
        *,
        actor: str = "",
        note: str = "",
        parties: Iterable[PartyKind | str] = (),
    ) -> Problem:
        """The problem moved to ``to`` on ``on``, with the move appended to its history.

        Args:
            to: the new status.
            on: the date of the move: not before ``reported_on`` nor the last event.
            actor: who made the move (a role or staff id; never a resident's name).
            note: why, in the caseworker's words.
            parties: the party kinds that took part; required when resolving, and
                refused for every other move.

        Returns:
            A new :class:`Problem`; this one is unchanged.

        Raises:
            InvalidTransitionError: the move is not allowed from the current status.
            InvalidInputError: a bad date (or one that runs backwards), or parties missing
                or misplaced.
        """
        check_date("Problem.transition", "on", on)
        target, event = _next_event(
            _PROBLEM_LIFECYCLE,
            record_id=self.id,
            status=self.status,
            history=self.history,
            to=to,
            on=on,
            actor=actor,
            note=note,
            parties=parties,
            start=self.reported_on,
            start_name="reported_on",
            parties_on=ProblemStatus.RESOLVED,
            parties_required=True,
        )
        return attrs.evolve(
            self,
            status=target,
            parties=_union(self.parties, event.parties),
            history=(*self.history, event),
        )

    def accept(self, on: date, *, actor: str = "", note: str = "") -> Problem:
        """Accepted by the committee (受理). See :meth:`transition` for errors."""
        return self.transition(ProblemStatus.ACCEPTED, on, actor=actor, note=note)

    def start_work(self, on: date, *, actor: str = "", note: str = "") -> Problem:
        """Work on it has started (in progress), first or again after reopening.

        See :meth:`transition` for errors.
        """
        return self.transition(ProblemStatus.IN_PROGRESS, on, actor=actor, note=note)

    def resolve(
        self, on: date, *, parties: Iterable[PartyKind | str], actor: str = "", note: str = ""
    ) -> Problem:
        """Resolved, with the party kinds that took part (at least one).

        See :meth:`transition` for errors.
        """
        return self.transition(ProblemStatus.RESOLVED, on, actor=actor, note=note, parties=parties)

    def verify(self, on: date, *, actor: str = "", note: str = "") -> Problem:
        """The resolution was checked with the residents (回访) and holds.

        See :meth:`transition` for errors.
        """
        return self.transition(ProblemStatus.VERIFIED, on, actor=actor, note=note)

    def reopen(self, on: date, *, actor: str = "", note: str = "") -> Problem:
        """The problem came back after it was resolved or verified.

        See :meth:`transition` for errors.
        """
        return self.transition(ProblemStatus.REOPENED, on, actor=actor, note=note)
