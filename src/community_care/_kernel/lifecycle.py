"""States, allowed moves and append-only events: one engine for every lifecycle (private).

A :class:`Lifecycle` is a table of named moves (``publish``, ``resolve``, ...) by the
status they start from, and the status a new record starts in. It checks a move
(refusing it with :class:`~community_care.errors.InvalidTransitionError`, in one
wording for every lifecycle), replays a recorded history step by step for the record
that validates it, and reads the status on a date. Problems and hazards (the ledger)
and micro-wishes (children) run on it.

The records keep their own events (the ledger's records only the new status, a
micro-wish's the status it left as well) and their own words for a bad history in
data: those messages carry JSON paths that users and their logs already know. What
the engine decides for them is what is wrong: a step from a status the table does not
allow, a date before an earlier one, a status the history does not end in.

Examples:
    >>> import enum
    >>> class Door(enum.StrEnum):
    ...     SHUT = "shut"
    ...     OPEN = "open"
    >>> door = Lifecycle("door", Door.SHUT, {Door.SHUT: {"open": Door.OPEN}, Door.OPEN: {}})
    >>> door.check("d1", Door.SHUT, "open")
    <Door.OPEN: 'open'>
    >>> door.check("d1", Door.OPEN, "open")
    Traceback (most recent call last):
    ...
    community_care.errors.InvalidTransitionError: door 'd1' is 'open'; cannot open; \
allowed: none (open is final)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from types import MappingProxyType
from typing import Generic, TypeVar

import attrs

from community_care._kernel.frozen import FrozenMapping
from community_care.errors import InvalidTransitionError

__all__ = ["Lifecycle", "Step"]

S = TypeVar("S", bound=enum.StrEnum)


def _frozen_moves(moves: Mapping[S, Mapping[str, S]]) -> Mapping[S, Mapping[str, S]]:
    return FrozenMapping({status: FrozenMapping(dict(out)) for status, out in moves.items()})


@attrs.frozen
class Step(Generic[S]):
    """One event of a recorded history, as the engine replays it.

    Attributes:
        index: the event's position in the history.
        on: the event's date.
        before: the status the record stood in before the event.
        after: the status the event records, or ``None`` when it names no status of
            the lifecycle (the replay stops there: the path cannot be followed).
        allowed: whether the table allows a move from ``before`` to ``after``.
        floor: the date the event may not precede: the record's start, or the latest
            date of an earlier event.
        floor_index: the index of the event that set ``floor`` (``None``: the start).
    """

    index: int
    on: date
    before: S
    after: S | None
    allowed: bool
    floor: date
    floor_index: int | None

    @property
    def early(self) -> bool:
        """Whether the event is dated before an earlier one (or the start)."""
        return self.on < self.floor


@attrs.frozen
class Lifecycle(Generic[S]):
    """The statuses of one kind of record, the moves allowed between them, and its start.

    Args:
        kind: how messages name the record (``"problem"``, ``"micro-wish"``).
        initial: the status of a new record (its history empty).
        moves: by status, the moves allowed from it: move name → the status it leads to.
            Every status has an entry; a final status has no moves.
    """

    kind: str
    initial: S
    moves: Mapping[S, Mapping[str, S]] = attrs.field(converter=_frozen_moves)

    @property
    def states(self) -> type[S]:
        """The enum of the lifecycle's statuses."""
        return type(self.initial)

    def targets(self, status: S) -> tuple[S, ...]:
        """The statuses a record in ``status`` may move to next, in the table's order."""
        return tuple(dict.fromkeys(self.moves[status].values()))

    def transitions(self) -> Mapping[S, tuple[S, ...]]:
        """The table by target status: status → the statuses it may move to."""
        return MappingProxyType({status: self.targets(status) for status in self.moves})

    def allowed_text(self, status: S) -> str:
        """The moves allowed from ``status`` for a message: ``publish (→ published), ...``."""
        moves = self.moves[status]
        if not moves:
            return f"none ({status.value} is final)"
        return ", ".join(f"{move} (→ {target.value})" for move, target in moves.items())

    def move_to(self, status: S, target: S) -> str:
        """The name of the move from ``status`` into ``target``, for a move given by target.

        When ``status`` has no move into ``target``, the name of any move into it (the
        one refused), or ``move to 'target'`` when no move leads there at all.
        """
        for move, end in self.moves[status].items():
            if end is target:
                return move
        for out in self.moves.values():
            for move, end in out.items():
                if end is target:
                    return move
        return f"move to {target.value!r}"

    def check(self, record_id: str, status: S, move: str) -> S:
        """The status ``move`` leads to from ``status``.

        Raises:
            InvalidTransitionError: the move is not allowed from ``status``; the message
                names the record, its status, the move and the moves allowed.
        """
        target = self.moves[status].get(move)
        if target is None:
            raise InvalidTransitionError(
                f"{self.kind} {record_id!r} is {status.value!r}; cannot {move};"
                f" allowed: {self.allowed_text(status)}"
            )
        return target

    def parse(self, value: object) -> S | None:
        """The status ``value`` names (a member or its string value), or ``None``."""
        states = self.states
        if isinstance(value, states):
            return value
        if isinstance(value, str) and value in states._value2member_map_:
            return states(value)
        return None

    def replay(self, events: Iterable[tuple[date, object]], start: date) -> Iterator[Step[S]]:
        """Walk a recorded history from the start, one :class:`Step` per event.

        Args:
            events: each event's date and the status it records (a member or a string).
            start: the record's start date (no event may precede it).

        Yields:
            The steps, in order; after a step whose ``after`` is ``None`` there are none.
        """
        state = self.initial
        floor, floor_index = start, None
        for index, (on, recorded) in enumerate(events):
            after = self.parse(recorded)
            yield Step(
                index=index,
                on=on,
                before=state,
                after=after,
                allowed=after is not None and after in self.moves[state].values(),
                floor=floor,
                floor_index=floor_index,
            )
            if after is None:
                return
            if on >= floor:
                floor, floor_index = on, index
            state = after

    def status_on(self, events: Iterable[tuple[date, object]], start: date, on: date) -> S | None:
        """The status at the end of day ``on``: that of the last event on or before it.

        Returns:
            ``None`` before ``start``; ``initial`` before the first event.
        """
        if on < start:
            return None
        state = self.initial
        for day, recorded in events:
            if day > on:
                break
            after = self.parse(recorded)
            if after is None:
                break
            state = after
        return state
