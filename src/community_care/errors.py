"""Errors raised by community-care.

Every error the library raises for bad data or a bad request is a
:class:`CommunityCareError`. The concrete errors also subclass the matching
built-in (``ValueError`` for bad data, ``TypeError`` for a misused function), so
callers that already catch those keep working.

Messages never contain a personal identifier unmasked: the code that raises
them masks resident ID numbers, phone numbers and names first.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "CalendarRangeError",
    "CommunityCareError",
    "InputProblem",
    "InvalidArgumentError",
    "InvalidInputError",
    "InvalidTransitionError",
    "MatchingTooLargeError",
    "NotEligibleError",
]


class CommunityCareError(Exception):
    """Base class of every error community-care raises on purpose."""


@attrs.frozen
class InputProblem:
    """One thing wrong with an input: where it is and what is wrong.

    ``path`` is a JSON path (``$.home.floor``), ``message`` says what was
    expected and what came (personal values masked).

    Examples:
        >>> str(InputProblem("$.home.floor", "expected int, got 'three'"))
        "$.home.floor: expected int, got 'three'"
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _join(parent: str, child: str) -> str:
    """Join a parent JSON path and a child path (relative or absolute)."""
    if child == "$":
        return parent
    if child.startswith("$"):
        child = child[1:]
    elif not child.startswith("["):
        child = "." + child
    return parent + child


class InvalidInputError(CommunityCareError, ValueError):
    """The input data is invalid; ``problems`` lists every problem found.

    Examples:
        >>> err = InvalidInputError([InputProblem("$.id", "expected a non-empty string, got ''")])
        >>> str(err)
        "invalid input: $.id: expected a non-empty string, got ''"
        >>> [p.path for p in err.problems]
        ['$.id']
    """

    problems: tuple[InputProblem, ...]

    def __init__(self, problems: Iterable[InputProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        if len(self.problems) == 1:
            return f"invalid input: {self.problems[0]}"
        lines = "\n".join(f"  {p}" for p in self.problems)
        return f"invalid input ({len(self.problems)} problems):\n{lines}"

    @classmethod
    def at(cls, path: str, message: str) -> InvalidInputError:
        """An error with a single problem at ``path``."""
        return cls([InputProblem(path, message)])

    def under(self, parent: str) -> InvalidInputError:
        """The same problems with their paths placed under ``parent``."""
        return InvalidInputError(
            InputProblem(_join(parent, p.path), p.message) for p in self.problems
        )

    def __reduce__(self) -> tuple[type[InvalidInputError], tuple[tuple[InputProblem, ...]]]:
        return (type(self), (self.problems,))


class InvalidArgumentError(CommunityCareError, TypeError):
    """A public function was called wrongly: an argument of the wrong type or value.

    This is API misuse, found in the calling code (a ``datetime`` or a string where
    a date is due, a policy that is not a :class:`~community_care.policy.Policy`, a
    record of the wrong kind), as opposed to :class:`InvalidInputError`, which reports
    bad *data* with the JSON path of each problem. The message has one shape: the
    function and the argument, what was expected with an example, and what came
    (personal values masked).

    Examples:
        >>> err = InvalidArgumentError("plan_community(on=...): expected a date like "
        ...                            "date(2026, 11, 30), got '2026-11-30'")
        >>> isinstance(err, TypeError), isinstance(err, CommunityCareError)
        (True, True)
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __reduce__(self) -> tuple[type[InvalidArgumentError], tuple[str]]:
        return (type(self), (str(self),))


class NotEligibleError(CommunityCareError, ValueError):
    """A valid record that the requested rule does not apply to.

    For example an elderly risk assessment for someone under 60 on the date,
    or a support plan for a child who is not in difficulty.
    """


class InvalidTransitionError(CommunityCareError, ValueError):
    """A lifecycle move that is not allowed from the current state."""


class CalendarRangeError(CommunityCareError, ValueError):
    """A date outside the years a working-day calendar knows."""


class MatchingTooLargeError(CommunityCareError, ValueError):
    """A matching with more eligible pairs than the caller's ``max_pairs`` allows.

    Raised by :func:`~community_care.linkage.match` (and the functions built on it)
    after counting the eligible pairs and before building any of them, so the
    refusal costs no memory. ``pairs``, ``limit``, ``needs`` and ``offers`` give the
    counts that the message names.

    Examples:
        >>> err = MatchingTooLargeError(pairs=12, limit=10, needs=4, offers=3)
        >>> err.pairs, isinstance(err, ValueError)
        (12, True)
    """

    def __init__(self, *, pairs: int, limit: int, needs: int, offers: int) -> None:
        self.pairs = pairs
        self.limit = limit
        self.needs = needs
        self.offers = offers
        super().__init__(
            f"the matching has {pairs:,} eligible pairs ({needs:,} needs x {offers:,} offers),"
            f" more than max_pairs={limit:,}; refused before building them. Raise max_pairs"
            " (the solver keeps about 16 bytes per pair, plus its search structures) or"
            " match the needs in parts (by grid or by category)"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (_too_large, (self.pairs, self.limit, self.needs, self.offers))


def _too_large(pairs: int, limit: int, needs: int, offers: int) -> MatchingTooLargeError:
    """Rebuild a pickled :class:`MatchingTooLargeError` (keyword-only constructor)."""
    return MatchingTooLargeError(pairs=pairs, limit=limit, needs=needs, offers=offers)
