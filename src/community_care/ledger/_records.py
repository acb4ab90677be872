"""The ledger's records (spec §6): service activities, and the events of lifecycles."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

import attrs

from community_care._kernel.fields import (
    date_field,
    describe,
    enum_field,
    int_field,
    model_tuple_field,
    str_field,
    str_tuple_field,
    tuple_field,
)
from community_care._kernel.lifecycle import Lifecycle
from community_care.errors import InputProblem, InvalidInputError
from community_care.ledger._statuses import HazardStatus, ProblemStatus
from community_care.vocab import PartyKind

__all__ = ["Event", "ServiceActivity", "parties_field"]

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
    if isinstance(parties, str | bytes | Mapping) or not isinstance(parties, Iterable):
        # list("volunteer") would be nine one-letter "parties".
        raise InvalidInputError.at(
            "parties",
            f"expected a list of party kinds such as ['volunteer'], got {describe(parties)}",
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
