"""Fire and safety hazards (spec §6): found, rectified by a deadline by kind, verified."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Final

import attrs

from community_care._kernel.checks import (
    check_date,
    check_policy,
    check_records,
)
from community_care._kernel.fields import (
    date_field,
    enum_field,
    str_field,
)
from community_care._kernel.lifecycle import Lifecycle
from community_care.errors import InvalidInputError
from community_care.ledger._records import (
    Event,
    _history_field,
    _history_problems,
    _next_event,
    _status_on,
)
from community_care.ledger._statuses import HazardKind, HazardStatus
from community_care.policy import Policy, default_policy
from community_care.vocab import PartyKind

__all__ = ["HAZARD_TRANSITIONS", "Hazard", "hazards_overdue"]


# A hazard's lifecycle: from each status, the moves (method names) allowed and where
# they lead. ``verified`` is final: a hazard that comes back after passing
# re-inspection is a new finding, recorded as a new hazard.
_HAZARD_LIFECYCLE: Final = Lifecycle(
    "hazard",
    HazardStatus.OPEN,
    {
        HazardStatus.OPEN: {"rectify": HazardStatus.RECTIFIED},
        HazardStatus.RECTIFIED: {"verify": HazardStatus.VERIFIED, "reopen": HazardStatus.REOPENED},
        HazardStatus.REOPENED: {"rectify": HazardStatus.RECTIFIED},
        HazardStatus.VERIFIED: {},
    },
)

#: Allowed moves of a hazard, by current status.
HAZARD_TRANSITIONS: Final[Mapping[HazardStatus, tuple[HazardStatus, ...]]] = (
    _HAZARD_LIFECYCLE.transitions()
)


@attrs.frozen(kw_only=True)
class Hazard:
    """A fire or safety hazard and its history (spec §6).

    A new hazard is ``open`` with an empty history. It must be rectified by its
    deadline (``found_on`` + days by kind, from the policy) and is re-inspected
    30 days after rectification: passing verifies it, failing reopens it.

    Examples:
        >>> h = Hazard(id="h1", kind="flying_lead_charging", building="b3", grid="g1",
        ...            found_on=date(2026, 4, 1))
        >>> h.rectification_deadline(), h.is_overdue(date(2026, 4, 3))
        (datetime.date(2026, 4, 2), True)
        >>> h = h.rectify(date(2026, 4, 2), parties=["member_unit"])
        >>> h.rectified_on, h.reinspection_on(), h.is_overdue(date(2026, 4, 3))
        (datetime.date(2026, 4, 2), datetime.date(2026, 5, 2), False)
    """

    id: str = str_field()
    kind: HazardKind = enum_field(HazardKind)
    building: str = str_field()
    grid: str = str_field()
    found_on: date = date_field()
    status: HazardStatus = enum_field(HazardStatus, default=HazardStatus.OPEN)
    history: tuple[Event, ...] = _history_field(HazardStatus)

    def __attrs_post_init__(self) -> None:
        problems = _history_problems(
            _HAZARD_LIFECYCLE,
            self.history,
            self.status,
            start=self.found_on,
            start_name="found_on",
            parties_on=HazardStatus.RECTIFIED,
            parties_required=False,
        )
        if problems:
            raise InvalidInputError(problems)

    @property
    def allowed_moves(self) -> tuple[HazardStatus, ...]:
        """The statuses this hazard may move to next."""
        return HAZARD_TRANSITIONS[self.status]

    @property
    def rectified_on(self) -> date | None:
        """The date of the latest rectification, or ``None`` if it never was rectified.

        After a failed re-inspection (``reopened``) this is still the date of the
        rectification that failed.
        """
        for event in reversed(self.history):
            if event.status == HazardStatus.RECTIFIED:
                return event.on
        return None

    def rectification_deadline(self, policy: Policy | None = None) -> date:
        """The last day to rectify: ``found_on`` + the days the policy gives its kind.

        The values in force on ``found_on`` apply (the rule the hazard was found under).
        A reopened hazard keeps this deadline: it was not rectified by it.

        Args:
            policy: the policy (the default one when ``None``).

        Returns:
            The deadline (rectifying on that day is on time).
        """
        policy = check_policy("Hazard.rectification_deadline", policy)
        rules = (policy or default_policy()).at(self.found_on).ledger
        days = rules.rectification_days.get(self.kind.value, rules.default_rectification_days)
        return self.found_on + timedelta(days=days)

    def reinspection_on(self, policy: Policy | None = None) -> date | None:
        """The date of the pending re-inspection: the latest rectification + 30 days.

        Args:
            policy: the policy (the default one when ``None``); the values in force on
                the rectification date apply.

        Returns:
            The date, or ``None`` when no re-inspection is pending (the hazard is not
            ``rectified``: still open, reopened, or verified already).
        """
        policy = check_policy("Hazard.reinspection_on", policy)
        rectified = self.rectified_on
        if self.status is not HazardStatus.RECTIFIED or rectified is None:
            return None
        rules = (policy or default_policy()).at(rectified).ledger
        return rectified + timedelta(days=rules.reinspection_days)

    def status_on(self, on: date) -> HazardStatus | None:
        """The status at the end of day ``on`` (``None`` before it was found).

        Raises:
            InvalidArgumentError: ``on`` is not a date.
        """
        on = check_date("Hazard.status_on", "on", on)
        return _status_on(self.history, on, self.found_on, _HAZARD_LIFECYCLE)

    def is_overdue(self, on: date, policy: Policy | None = None) -> bool:
        """Whether, at the end of day ``on``, the hazard is past its deadline and not rectified.

        Open and reopened hazards count; the status is read from the history as of ``on``.

        Raises:
            InvalidArgumentError: ``on`` is not a date.
        """
        check_date("Hazard.is_overdue", "on", on)
        check_policy("Hazard.is_overdue", policy)
        status = self.status_on(on)
        return status in (HazardStatus.OPEN, HazardStatus.REOPENED) and on > (
            self.rectification_deadline(policy)
        )

    def transition(
        self,
        to: HazardStatus | str,
        on: date,
        *,
        actor: str = "",
        note: str = "",
        parties: Iterable[PartyKind | str] = (),
    ) -> Hazard:
        """The hazard moved to ``to`` on ``on``, with the move appended to its history.

        Args:
            to: the new status.
            on: the date of the move: not before ``found_on`` nor the last event.
            actor: who made the move (a role or staff id; never a resident's name).
            note: what was done or found.
            parties: the party kinds that did the work; only when rectifying (optional).

        Returns:
            A new :class:`Hazard`; this one is unchanged.

        Raises:
            InvalidTransitionError: the move is not allowed from the current status.
            InvalidInputError: a bad date (or one that runs backwards), or misplaced parties.
        """
        check_date("Hazard.transition", "on", on)
        target, event = _next_event(
            _HAZARD_LIFECYCLE,
            record_id=self.id,
            status=self.status,
            history=self.history,
            to=to,
            on=on,
            actor=actor,
            note=note,
            parties=parties,
            start=self.found_on,
            start_name="found_on",
            parties_on=HazardStatus.RECTIFIED,
            parties_required=False,
        )
        return attrs.evolve(self, status=target, history=(*self.history, event))

    def rectify(
        self,
        on: date,
        *,
        actor: str = "",
        note: str = "",
        parties: Iterable[PartyKind | str] = (),
    ) -> Hazard:
        """Rectified (整改), first or again after a failed re-inspection.

        See :meth:`transition` for errors.
        """
        return self.transition(HazardStatus.RECTIFIED, on, actor=actor, note=note, parties=parties)

    def verify(self, on: date, *, actor: str = "", note: str = "") -> Hazard:
        """Re-inspection passed (复查合格). See :meth:`transition` for errors."""
        return self.transition(HazardStatus.VERIFIED, on, actor=actor, note=note)

    def reopen(self, on: date, *, actor: str = "", note: str = "") -> Hazard:
        """Re-inspection failed: the hazard is back. See :meth:`transition` for errors."""
        return self.transition(HazardStatus.REOPENED, on, actor=actor, note=note)


def hazards_overdue(
    hazards: Iterable[Hazard], on: date, *, policy: Policy | None = None
) -> tuple[Hazard, ...]:
    """The hazards overdue at the end of day ``on``, oldest deadline first (then by id).

    Raises:
        InvalidArgumentError: ``on`` is not a date (or ``policy`` not a policy).
    """
    hazards = check_records("hazards_overdue", "hazards", hazards, Hazard, "Hazard(...)")
    check_date("hazards_overdue", "on", on)
    check_policy("hazards_overdue", policy)
    overdue = [h for h in hazards if h.is_overdue(on, policy)]
    return tuple(sorted(overdue, key=lambda h: (h.rectification_deadline(policy), h.id)))
