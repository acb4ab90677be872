"""The community's ledger (台账): service activities, problems, hazards and their KPIs.

Spec §6. A :class:`Problem` (急难愁盼) and a :class:`Hazard` (fire and safety) each
carry an append-only ``history`` of :class:`Event` s; every lifecycle move is a method
that returns a new object with one more event, so the record is its own audit trail.
:func:`kpis` turns a period's records into a :class:`KpiReport` whose every figure
keeps the ids it was computed from; :func:`compare` sets two reports side by side;
:class:`Ledger` keeps a community's records together, one per id.

Lifecycles (``→`` is a method; anything else raises :class:`InvalidTransitionError`)::

    Problem: reported → accepted → in_progress → resolved → verified
             resolved → reopened, verified → reopened, reopened → in_progress
    Hazard:  open → rectified → verified
             rectified → reopened (re-inspection failed), reopened → rectified

Where the specification is silent, the choices are written down in ``docs/ledger.md``.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any, Final, TypeVar

import attrs

from community_care._kernel.checks import (
    check_date,
    check_instance,
    check_iterable,
    check_policy,
    fail,
)
from community_care._kernel.fields import (
    date_field,
    describe,
    enum_field,
    int_field,
    model_field,
    model_tuple_field,
    str_field,
    str_tuple_field,
    tuple_field,
)
from community_care._kernel.lifecycle import Lifecycle
from community_care.errors import InputProblem, InvalidInputError
from community_care.followup import DueVisit
from community_care.policy import Policy, default_policy
from community_care.vocab import PartyKind

__all__ = [
    "HAZARD_TRANSITIONS",
    "KPI_NAMES",
    "PROBLEM_TRANSITIONS",
    "Event",
    "Hazard",
    "HazardKind",
    "HazardStatus",
    "Kpi",
    "KpiChange",
    "KpiComparison",
    "KpiReport",
    "Ledger",
    "Problem",
    "ProblemSource",
    "ProblemStatus",
    "ServiceActivity",
    "VisitDue",
    "compare",
    "hazards_overdue",
    "kpis",
]

S = TypeVar("S", bound=enum.StrEnum)
R = TypeVar("R")


def _is_party(value: object) -> bool:
    return isinstance(value, PartyKind)


def _parties(value: object) -> object:
    """Accept party kinds given as their string values."""
    if isinstance(value, list | tuple):
        return tuple(
            PartyKind(v) if isinstance(v, str) and v in PartyKind._value2member_map_ else v
            for v in value
        )
    return value


def parties_field() -> Any:
    """A tuple of party kinds (a list of their values in JSON)."""
    field = tuple_field(
        _is_party,
        "a party kind such as 'volunteer'",
        {"type": "string", "enum": [k.value for k in PartyKind]},
        default=(),
    )
    field.converter = _parties
    return field


@attrs.frozen(kw_only=True)
class ServiceActivity:
    """A service activity held for residents (spec §6).

    ``participants`` are the ids of residents known by name; ``headcount`` counts
    everyone who came, so it is at least ``len(participants)``.

    Examples:
        >>> a = ServiceActivity(id="a1", date=date(2026, 3, 7), category="health_check",
        ...                     organizer="member_unit", grid="g1", participants=["e1", "e2"],
        ...                     headcount=40)
        >>> a.headcount - len(a.participants)
        38
    """

    id: str = str_field()
    date: date = date_field()
    category: str = str_field()
    organizer: PartyKind = enum_field(PartyKind)
    grid: str = str_field()
    participants: tuple[str, ...] = str_tuple_field(default=(), unique=True)
    headcount: int = int_field(minimum=0)

    def __attrs_post_init__(self) -> None:
        if self.headcount < len(self.participants):
            raise InvalidInputError.at(
                "$.headcount",
                f"expected at least the {len(self.participants)} named participants,"
                f" got {self.headcount}",
            )


def _status(value: object) -> object:
    """A status given as its string value, as the member of the lifecycle that has it.

    The event alone cannot tell a problem's ``verified`` from a hazard's: the record
    holding it settles that (see :func:`_history_field`). A string that is no status
    is kept, so that the record reports it with its path and the statuses it knows.
    """
    if isinstance(value, ProblemStatus | HazardStatus) or not isinstance(value, str):
        return value
    for states in (ProblemStatus, HazardStatus):
        if value in states._value2member_map_:
            return states(value)
    return value


def _status_field() -> Any:
    """An event's status: a member of a lifecycle's status enum (its value in JSON)."""
    field = str_field()
    field.converter = _status
    return field


@attrs.frozen(kw_only=True)
class Event:
    """One recorded step of a lifecycle: the new status, when, by whom, with whom, and why.

    ``status`` is a :class:`ProblemStatus` in a problem's history and a
    :class:`HazardStatus` in a hazard's; its string value is accepted.
    ``parties`` are recorded only where a lifecycle asks for them: on a problem's
    ``resolved`` event (required) and a hazard's ``rectified`` event (optional).

    Examples:
        >>> e = Event(on=date(2026, 3, 9), status="resolved", parties=["member_unit"])
        >>> e.status, e.parties
        (<ProblemStatus.RESOLVED: 'resolved'>, (<PartyKind.MEMBER_UNIT: 'member_unit'>,))
    """

    on: date = date_field()
    status: ProblemStatus | HazardStatus = _status_field()
    actor: str = str_field(default="", non_empty=False)
    note: str = str_field(default="", non_empty=False)
    parties: tuple[PartyKind, ...] = parties_field()


def _history_field(states: type[ProblemStatus] | type[HazardStatus]) -> Any:
    """A record's history: its events, each status a member of the record's ``states``."""
    field = model_tuple_field(Event, default=())
    as_tuple = field.converter

    def bind(event: object) -> object:
        if (
            isinstance(event, Event)
            and not isinstance(event.status, states)
            and event.status in states._value2member_map_
        ):
            return attrs.evolve(event, status=states(event.status))
        return event

    def convert(value: object) -> object:
        value = as_tuple(value)
        return tuple(bind(e) for e in value) if isinstance(value, tuple) else value

    field.converter = convert
    return field


# --- lifecycles: the ledger's words for a bad history, and its moves ------------------


def _allowed_text(moves: tuple[enum.StrEnum, ...]) -> str:
    return ", ".join(repr(m.value) for m in moves) if moves else "none (it is final)"


def _history_problems(
    lifecycle: Lifecycle[S],
    history: tuple[Event, ...],
    status: S,
    *,
    start: date,
    start_name: str,
    parties_on: S,
    parties_required: bool,
) -> list[InputProblem]:
    """Everything that makes ``history`` not a legal path from the start to ``status``.

    A record read from a registry must be one the methods could have produced: a
    history that skips a step, runs backwards in time or ends elsewhere than the
    recorded status cannot be audited, so it is refused rather than guessed at.
    """
    problems: list[InputProblem] = []
    state = lifecycle.initial
    for step in lifecycle.replay(((e.on, e.status) for e in history), start):
        event = history[step.index]
        where = f"$.history[{step.index}]"
        if step.early:
            floor = start_name if step.floor_index is None else f"history[{step.floor_index}].on"
            problems.append(
                InputProblem(
                    f"{where}.on",
                    f"expected a date on or after {floor} {step.floor.isoformat()},"
                    f" got {step.on.isoformat()}",
                )
            )
        new = step.after
        if new is None:
            problems.append(
                InputProblem(
                    f"{where}.status",
                    f"expected one of {_allowed_text(tuple(lifecycle.states))},"
                    f" got {describe(event.status)}",
                )
            )
            # The path cannot be followed past an unknown status.
            return problems
        if not step.allowed:
            problems.append(
                InputProblem(
                    f"{where}.status",
                    f"cannot move from {step.before.value!r} to {new.value!r};"
                    f" allowed: {_allowed_text(lifecycle.targets(step.before))}",
                )
            )
        if new is parties_on:
            if parties_required and not event.parties:
                problems.append(
                    InputProblem(
                        f"{where}.parties",
                        f"expected at least one party kind on a {new.value!r} event,"
                        " such as ['community_committee']",
                    )
                )
        elif event.parties:
            problems.append(
                InputProblem(
                    f"{where}.parties",
                    f"expected no parties: they are recorded on {parties_on.value!r} events only",
                )
            )
        state = new
    if status is not state:
        problems.append(
            InputProblem(
                "$.status",
                f"expected {state.value!r}, the status its history ends in, got {status.value!r}",
            )
        )
    return problems


def _next_event(
    lifecycle: Lifecycle[S],
    *,
    record_id: str,
    status: S,
    history: tuple[Event, ...],
    to: object,
    on: date,
    actor: str,
    note: str,
    parties: Iterable[PartyKind | str],
    start: date,
    start_name: str,
    parties_on: S,
    parties_required: bool,
) -> tuple[S, Event]:
    """The target status and the validated event of one lifecycle move.

    Raises:
        InvalidInputError: ``to`` is not a status, or the event's fields are bad
            (a date that is not a date or runs backwards, misplaced or missing parties).
        InvalidTransitionError: the move is not allowed from ``status``.
    """
    target = lifecycle.parse(to)
    if target is None:
        raise InvalidInputError.at(
            "to", f"expected one of {_allowed_text(tuple(lifecycle.states))}, got {describe(to)}"
        )
    lifecycle.check(record_id, status, lifecycle.move_to(status, target))
    if isinstance(parties, str):
        # list("volunteer") would be nine one-letter "parties".
        raise InvalidInputError.at(
            "parties", f"expected a list of party kinds such as ['volunteer'], got {parties!r}"
        )
    # The field's converter turns party values into PartyKind and its validator reports
    # the rest with their index, so the raw items go in as they came.
    given: Any = list(parties)
    # The ledger's lifecycles are of ProblemStatus and HazardStatus, which mypy cannot
    # tell from the engine's type variable.
    status_of_event: Any = target
    try:
        event = Event(on=on, status=status_of_event, actor=actor, note=note, parties=given)
    except InvalidInputError as exc:
        # The event's paths ($.on, $.parties[1]) name the method's arguments.
        raise InvalidInputError(
            InputProblem(p.path.removeprefix("$."), p.message) for p in exc.problems
        ) from None
    # A party named twice took part once.
    event = attrs.evolve(event, parties=tuple(dict.fromkeys(event.parties)))
    if target is parties_on:
        if parties_required and not event.parties:
            raise InvalidInputError.at(
                "parties",
                f"expected at least one party kind when moving to {target.value!r},"
                " such as ['community_committee']",
            )
    elif event.parties:
        raise InvalidInputError.at(
            "parties",
            f"expected no parties when moving to {target.value!r};"
            f" they are recorded on {parties_on.value!r} only",
        )
    last, last_name = (history[-1].on, "the last event") if history else (start, start_name)
    if event.on < last:
        raise InvalidInputError.at(
            "on",
            f"expected a date on or after {last_name} ({last.isoformat()}),"
            f" got {event.on.isoformat()}; the history of {lifecycle.kind} {record_id!r}"
            " cannot run backwards",
        )
    return target, event


def _status_on(
    history: tuple[Event, ...], day: date, start: date, lifecycle: Lifecycle[S]
) -> S | None:
    return lifecycle.status_on(((e.on, e.status) for e in history), start, day)


# --- problems (急难愁盼) --------------------------------------------------------------


class ProblemSource(enum.StrEnum):
    """How a problem came to the committee's attention."""

    RESIDENT_REPORT = "resident_report"
    OUTREACH = "outreach"  # found by home visits (proactive)
    INSPECTION = "inspection"  # found by inspections (proactive)
    HOTLINE = "hotline"  # 12345 and similar


class ProblemStatus(enum.StrEnum):
    """Where a problem stands."""

    REPORTED = "reported"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    VERIFIED = "verified"
    REOPENED = "reopened"


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


# --- hazards ----------------------------------------------------------------------------


class HazardKind(enum.StrEnum):
    """Kinds of fire and safety hazard found on inspection."""

    TANGLED_WIRING = "tangled_wiring"
    FLYING_LEAD_CHARGING = "flying_lead_charging"  # 飞线充电
    BLOCKED_FIRE_ESCAPE = "blocked_fire_escape"
    STAIRWELL_CLUTTER = "stairwell_clutter"
    GAS = "gas"
    OTHER = "other"


class HazardStatus(enum.StrEnum):
    """Where a hazard stands."""

    OPEN = "open"
    RECTIFIED = "rectified"
    VERIFIED = "verified"
    REOPENED = "reopened"


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
    hazards = check_iterable("hazards_overdue", "hazards", hazards, "ledger.hazards")
    check_date("hazards_overdue", "on", on)
    check_policy("hazards_overdue", policy)
    overdue = [h for h in hazards if h.is_overdue(on, policy)]
    return tuple(sorted(overdue, key=lambda h: (h.rectification_deadline(policy), h.id)))


# --- follow-up visits, as the KPIs need them --------------------------------------------

#: Deprecated: the former name of :class:`~community_care.followup.DueVisit` (the same class).
VisitDue = DueVisit


# --- KPIs -------------------------------------------------------------------------------

#: The KPI names of spec §6, in the spec's order.
KPI_NAMES: Final[tuple[str, ...]] = (
    "activities",
    "person_times",
    "unique_beneficiaries",
    "problems_resolved",
    "median_days_to_resolve",
    "hazards_found",
    "hazards_rectified_on_time",
    "proactive_share",
    "multi_party_share",
    "visit_on_time_rate",
)

Figure = int | float | None


def _figure_field() -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
            raise InvalidInputError.at(
                f"$.{attribute.name}", f"expected a number or null, got {describe(value)}"
            )

    return attrs.field(
        default=None,
        validator=check,
        metadata={"schema": {"anyOf": [{"type": "number"}, {"type": "null"}]}},
    )


def _kpi_name_field() -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or value not in KPI_NAMES:
            raise InvalidInputError.at(
                f"$.{attribute.name}",
                f"expected a KPI name such as 'proactive_share', got {describe(value)}",
            )

    return attrs.field(
        validator=check, metadata={"schema": {"type": "string", "enum": list(KPI_NAMES)}}
    )


@attrs.frozen(kw_only=True)
class Kpi:
    """One figure of a report, with the ids it was computed from, so it can be audited.

    ``ids`` are the records the figure counts or divides by (sorted): activity ids,
    problem ids, hazard ids, participant ids for ``unique_beneficiaries``, visit keys
    (``case@due``) for ``visit_on_time_rate``. For a share, ``ids`` is the denominator
    and ``numerator_ids`` the part of it counted above the line; other figures leave
    ``numerator_ids`` empty.

    Examples:
        >>> k = Kpi(name="proactive_share", value=0.5, ids=("p1", "p2"), numerator_ids=("p2",))
        >>> f"{len(k.numerator_ids)}/{len(k.ids)} = {k.value}"
        '1/2 = 0.5'
    """

    name: str = _kpi_name_field()
    value: Figure = _figure_field()
    ids: tuple[str, ...] = str_tuple_field(default=())
    numerator_ids: tuple[str, ...] = str_tuple_field(default=())


@attrs.frozen(kw_only=True)
class KpiReport:
    """The KPIs of spec §6 for the period [``start``, ``end``], both days included.

    Each KPI is an attribute of the same name holding a :class:`Kpi`.

    Examples:
        >>> r = kpis([], [], [], start=date(2026, 1, 1), end=date(2026, 3, 31))
        >>> r.as_dict()["activities"], r.as_dict()["proactive_share"]
        (0, None)
    """

    start: date = date_field()
    end: date = date_field()
    policy_version: str = str_field()
    activities: Kpi = model_field(Kpi)
    person_times: Kpi = model_field(Kpi)
    unique_beneficiaries: Kpi = model_field(Kpi)
    problems_resolved: Kpi = model_field(Kpi)
    median_days_to_resolve: Kpi = model_field(Kpi)
    hazards_found: Kpi = model_field(Kpi)
    hazards_rectified_on_time: Kpi = model_field(Kpi)
    proactive_share: Kpi = model_field(Kpi)
    multi_party_share: Kpi = model_field(Kpi)
    visit_on_time_rate: Kpi = model_field(Kpi)

    def __attrs_post_init__(self) -> None:
        if self.start > self.end:
            raise InvalidInputError.at(
                "$.end",
                f"expected a date on or after start {self.start.isoformat()},"
                f" got {self.end.isoformat()}",
            )
        problems = [
            InputProblem(f"$.{name}.name", f"expected {name!r}, got {kpi.name!r}")
            for name, kpi in zip(KPI_NAMES, self.figures, strict=True)
            if kpi.name != name
        ]
        if problems:
            raise InvalidInputError(problems)

    @property
    def figures(self) -> tuple[Kpi, ...]:
        """Every KPI, in the order of :data:`KPI_NAMES`."""
        return tuple(getattr(self, name) for name in KPI_NAMES)

    def as_dict(self, *, with_ids: bool = False) -> dict[str, Any]:
        """The figures keyed by KPI name.

        Args:
            with_ids: give ``{"value", "ids", "numerator_ids"}`` for each KPI
                instead of the bare value.

        Returns:
            A new dict in the order of :data:`KPI_NAMES`.
        """
        if with_ids:
            return {
                k.name: {
                    "value": k.value,
                    "ids": list(k.ids),
                    "numerator_ids": list(k.numerator_ids),
                }
                for k in self.figures
            }
        return {k.name: k.value for k in self.figures}


def _unique(records: Iterable[R], key: Callable[[R], Hashable], kind: str) -> list[R]:
    """The records, each key once; identical repeats are dropped, conflicting ones refused.

    Raises:
        InvalidInputError: listing every key used by two different records.
    """
    seen: dict[Hashable, tuple[int, R]] = {}
    problems: list[InputProblem] = []
    for i, record in enumerate(records):
        k = key(record)
        if k not in seen:
            seen[k] = (i, record)
        elif seen[k][1] != record:
            problems.append(
                InputProblem(
                    f"{kind}[{i}]",
                    f"id {k!r} is also used by {kind}[{seen[k][0]}] for a different record;"
                    " correct the registry so that each id names one record",
                )
            )
    if problems:
        raise InvalidInputError(problems)
    return [record for _, record in seen.values()]


def _in(day: date, start: date, end: date) -> bool:
    return start <= day <= end


def _share(numerator: Iterable[str], denominator: Iterable[str], name: str) -> Kpi:
    ids = tuple(sorted(denominator))
    num = tuple(sorted(numerator))
    # A share of nothing is unknown, not zero: 0 would read as "none of them".
    value = len(num) / len(ids) if ids else None
    return Kpi(name=name, value=value, ids=ids, numerator_ids=num)


def _count(ids: Iterable[str], name: str, value: int | None = None) -> Kpi:
    """A figure over ``ids``: their number, unless ``value`` says otherwise."""
    ordered = tuple(sorted(ids))
    return Kpi(name=name, value=len(ordered) if value is None else value, ids=ordered)


def _counted_resolution(problem: Problem, start: date, end: date) -> tuple[int, Event] | None:
    """The resolution that counts for the period: the last ``resolved`` event in it."""
    found: tuple[int, Event] | None = None
    for i, event in enumerate(problem.history):
        if event.status == ProblemStatus.RESOLVED and _in(event.on, start, end):
            found = (i, event)
    return found


def kpis(
    activities: Iterable[ServiceActivity],
    problems: Iterable[Problem],
    hazards: Iterable[Hazard],
    followups: Iterable[DueVisit] = (),
    *,
    start: date,
    end: date,
    policy: Policy | None = None,
) -> KpiReport:
    """The KPIs of spec §6 for the period [``start``, ``end``] (both days included).

    Definitions (the choices where the spec is silent are in ``docs/ledger.md``):

    * ``activities``: activities dated in the period; ``person_times``: the sum of their
      headcounts; ``unique_beneficiaries``: distinct participant ids among them.
    * ``problems_resolved``: problems with a ``resolved`` event dated in the period,
      each counted once; ``median_days_to_resolve``: the median, over them, of days from
      ``reported_on`` to the last such event (``None`` when none).
    * ``hazards_found``: hazards found in the period; ``hazards_rectified_on_time``:
      hazards whose latest rectification, not undone by a failed re-inspection, is in the
      period and on or before the deadline.
    * ``proactive_share``: problems reported in the period from ``outreach`` or
      ``inspection`` ÷ all problems reported in the period.
    * ``multi_party_share``: of the problems resolved in the period, those whose parties
      (as recorded up to the counted resolution) include one other than
      ``community_committee`` ÷ all of them.
    * ``visit_on_time_rate``: visits due in the period and done by due + grace ÷ visits
      due in the period. A visit not done yet counts as not on time.

    Shares are ``None``, not 0, when their denominator is 0. The order of the records
    does not matter; a record given twice (identical) counts once.

    Args:
        activities: service activities (any period; those outside are ignored).
        problems: problems with their histories.
        hazards: hazards with their histories.
        followups: visits that fell due (see :class:`~community_care.followup.DueVisit`).
        start: the first day of the period.
        end: the last day of the period.
        policy: the policy for the hazards' deadlines (the default one when ``None``).

    Returns:
        The report, each figure with the ids it was computed from.

    Raises:
        InvalidInputError: ``start`` is after ``end``; two different records share an
            id (or a case has two different visits due on one day).
        InvalidArgumentError: ``start``/``end`` are not dates or ``policy`` is not a
            policy.
    """
    check_date("kpis", "start", start)
    check_date("kpis", "end", end)
    check_policy("kpis", policy)
    if start > end:
        raise InvalidInputError.at(
            "end",
            f"expected a date on or after start {start.isoformat()}, got {end.isoformat()}",
        )
    policy = policy or default_policy()
    acts = [a for a in _unique(activities, lambda a: a.id, "activities") if _in(a.date, start, end)]
    probs = _unique(problems, lambda p: p.id, "problems")
    hzs = _unique(hazards, lambda h: h.id, "hazards")
    visits = [
        v for v in _unique(followups, lambda v: v.key, "followups") if _in(v.due_on, start, end)
    ]

    reported = [p for p in probs if _in(p.reported_on, start, end)]
    resolved: dict[str, int] = {}  # problem id -> days to the counted resolution
    multi: list[str] = []
    for p in probs:
        counted = _counted_resolution(p, start, end)
        if counted is None:
            continue
        index, event = counted
        resolved[p.id] = (event.on - p.reported_on).days
        parties = _union(*(e.parties for e in p.history[: index + 1]))
        if any(party is not PartyKind.COMMUNITY_COMMITTEE for party in parties):
            multi.append(p.id)
    days = list(resolved.values())

    on_time_hazards = [
        h.id
        for h in hzs
        if h.status in (HazardStatus.RECTIFIED, HazardStatus.VERIFIED)
        and (rectified := h.rectified_on) is not None
        and _in(rectified, start, end)
        and rectified <= h.rectification_deadline(policy)
    ]

    return KpiReport(
        start=start,
        end=end,
        policy_version=policy.version,
        activities=_count((a.id for a in acts), "activities"),
        person_times=_count(
            (a.id for a in acts), "person_times", value=sum(a.headcount for a in acts)
        ),
        unique_beneficiaries=_count(
            {pid for a in acts for pid in a.participants}, "unique_beneficiaries"
        ),
        problems_resolved=_count(resolved, "problems_resolved"),
        median_days_to_resolve=Kpi(
            name="median_days_to_resolve",
            value=float(statistics.median(days)) if days else None,
            ids=tuple(sorted(resolved)),
        ),
        hazards_found=_count((h.id for h in hzs if _in(h.found_on, start, end)), "hazards_found"),
        hazards_rectified_on_time=_count(on_time_hazards, "hazards_rectified_on_time"),
        proactive_share=_share(
            (p.id for p in reported if p.source in _PROACTIVE_SOURCES),
            (p.id for p in reported),
            "proactive_share",
        ),
        multi_party_share=_share(multi, resolved, "multi_party_share"),
        visit_on_time_rate=_share(
            (v.key for v in visits if v.on_time), (v.key for v in visits), "visit_on_time_rate"
        ),
    )


# --- period over period -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class KpiChange:
    """How one KPI changed from one report to the next.

    ``absolute`` is ``after - before`` (``None`` when either is ``None``);
    ``relative`` is ``absolute / before`` (``None`` when that is undefined: a
    missing figure or ``before == 0``).

    Examples:
        >>> KpiChange(name="activities", before=20, after=25, absolute=5, relative=0.25).relative
        0.25
    """

    name: str = _kpi_name_field()
    before: Figure = _figure_field()
    after: Figure = _figure_field()
    absolute: Figure = _figure_field()
    relative: float | None = _figure_field()


@attrs.frozen(kw_only=True)
class KpiComparison:
    """Two reports side by side: the change of every KPI from ``before`` to ``after``.

    Examples:
        >>> q1 = kpis([], [], [], start=date(2026, 1, 1), end=date(2026, 3, 31))
        >>> q2 = kpis([], [], [], start=date(2026, 4, 1), end=date(2026, 6, 30))
        >>> compare(q1, q2).change("activities").absolute
        0
    """

    before_start: date = date_field()
    before_end: date = date_field()
    after_start: date = date_field()
    after_end: date = date_field()
    changes: tuple[KpiChange, ...] = model_tuple_field(KpiChange, default=())

    def change(self, name: str) -> KpiChange:
        """The change of the KPI called ``name``.

        Raises:
            InvalidInputError: ``name`` is not a KPI of this comparison.
        """
        for change in self.changes:
            if change.name == name:
                return change
        raise InvalidInputError.at(
            "name", f"expected a KPI name such as 'proactive_share', got {describe(name)}"
        )

    def as_dict(self) -> dict[str, dict[str, Figure]]:
        """``{name: {"before", "after", "absolute", "relative"}}`` in the order of the KPIs."""
        return {
            c.name: {
                "before": c.before,
                "after": c.after,
                "absolute": c.absolute,
                "relative": c.relative,
            }
            for c in self.changes
        }


def compare(report_a: KpiReport, report_b: KpiReport) -> KpiComparison:
    """The period-over-period change of every KPI, from ``report_a`` to ``report_b``.

    Args:
        report_a: the earlier (base) report.
        report_b: the later report.

    Returns:
        A :class:`KpiComparison`: for each KPI the two values, ``b - a`` and
        ``(b - a) / a`` where defined.
    """
    check_instance("compare", "report_a", report_a, KpiReport, "kpis(...)")
    check_instance("compare", "report_b", report_b, KpiReport, "kpis(...)")
    changes = []
    for a, b in zip(report_a.figures, report_b.figures, strict=True):
        absolute: Figure = None
        relative: float | None = None
        if a.value is not None and b.value is not None:
            absolute = b.value - a.value
            if a.value != 0:
                relative = absolute / a.value
        changes.append(
            KpiChange(
                name=a.name, before=a.value, after=b.value, absolute=absolute, relative=relative
            )
        )
    return KpiComparison(
        before_start=report_a.start,
        before_end=report_a.end,
        after_start=report_b.start,
        after_end=report_b.end,
        changes=tuple(changes),
    )


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
    ) -> KpiReport:
        """The KPIs of this ledger's records for [``start``, ``end``]; see :func:`kpis`."""
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
        )
