"""The dated policy: a version, and amendments that change named parameters from a date on."""

from __future__ import annotations

import enum
import functools
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import attrs

from community_care._kernel.checks import check_date, fail
from community_care._kernel.convert import structure_at
from community_care._kernel.fields import describe
from community_care.errors import InputProblem, InvalidInputError
from community_care.policy._checks import check_values
from community_care.policy._values import (
    SPEC_VERSION,
    PolicyValues,
    _freeze,
    _specification_values,
)


@attrs.frozen(kw_only=True)
class Amendment:
    """Changes to named parameters, in force from ``effective_from`` on (until the next one).

    However it is built (directly, by :meth:`Policy.from_document`, by ``structure``),
    it is checked as a document's amendment is and its changes are typed and frozen:
    ``[[2, 1]]`` becomes bands, ``"high"`` an urgency, a table a read-only mapping.

    Raises:
        InvalidInputError: ``effective_from`` is not a date, or ``changes`` is not a
            non-empty mapping of parameter names to values of their types (every
            problem with its path, such as ``$.changes['elderly.red_min']``).

    Examples:
        >>> from datetime import date
        >>> a = Amendment(
        ...     effective_from=date(2027, 1, 1), changes={"elderly.chronic_bands": [[2, 1]]}
        ... )
        >>> a.changes["elderly.chronic_bands"]
        (Band(minimum=2, points=1),)
    """

    effective_from: date
    changes: Mapping[str, Any]

    def __attrs_post_init__(self) -> None:
        problems: list[InputProblem] = []
        start = self.effective_from
        if not isinstance(start, date) or isinstance(start, datetime):
            problems.append(
                InputProblem(
                    "$.effective_from",
                    f"expected a datetime.date such as date(2027, 7, 1), got {describe(start)}",
                )
            )
        typed = _typed_changes(self.changes, "$", problems)
        if problems:
            raise InvalidInputError(problems)
        # Frozen all the way down: a caller's dict (or a list in it) may change later.
        object.__setattr__(self, "changes", _freeze(typed))


def _in_date_order(amendments: Sequence[Amendment]) -> tuple[Amendment, ...]:
    """The amendments as a tuple in date order (what :meth:`Policy.at` relies on)."""
    if isinstance(amendments, list | tuple) and all(isinstance(a, Amendment) for a in amendments):
        return tuple(sorted(amendments, key=lambda a: a.effective_from))
    return amendments  # type: ignore[return-value]  # reported by Policy.__attrs_post_init__


@attrs.frozen(kw_only=True)
class Policy:
    """A versioned policy: the specification's values changed by dated amendments.

    Build one with :func:`default_policy`, :meth:`from_document`, ``structure(doc,
    Policy)`` or directly: every way validates the values in force in every period
    (built directly, the amendments are put in date order).

    Raises:
        InvalidInputError: the version is empty, two amendments take effect on the
            same date, or the values in force in some period are invalid.
    """

    version: str = SPEC_VERSION
    amendments: tuple[Amendment, ...] = attrs.field(default=(), converter=_in_date_order)
    # The values in force depend only on which amendments are in force, so they are built
    # once per such set (at most one more than there are amendments) and kept with the
    # policy: a plan asks for them hundreds of times on one date. Not part of the value.
    _values: dict[tuple[int, ...], PolicyValues] = attrs.field(
        factory=dict, init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        problems: list[InputProblem] = []
        if not isinstance(self.version, str) or not self.version:
            problems.append(_BAD_VERSION)
        if not isinstance(self.amendments, tuple):
            problems.append(InputProblem("$.amendments", "expected a tuple of Amendment"))
            raise InvalidInputError(problems)
        for i, a in enumerate(self.amendments):
            if not isinstance(a, Amendment):
                problems.append(
                    InputProblem(f"$.amendments[{i}]", f"expected an Amendment, got {describe(a)}")
                )
        if problems:
            raise InvalidInputError(problems)
        dated = [(i, a.effective_from, a.changes) for i, a in enumerate(self.amendments)]
        if not dated:
            return  # the specification's values: checked by the tests, built when asked
        kept = _without_overlaps(dated, problems)
        values = _periods([(start, changes) for _, start, changes in kept], problems)
        if problems:
            raise InvalidInputError(problems)
        # Every period's values are built and checked already: keep them for at().
        self._values.update(values)

    def at(self, on: date) -> PolicyValues:
        """The parameter values in force on ``on`` (immutable: tables are read-only mappings).

        Raises:
            InvalidArgumentError: ``on`` is not a date.
        """
        check_date("Policy.at", "on", on)
        key = tuple(i for i, a in enumerate(self.amendments) if a.effective_from <= on)
        values = self._values.get(key)
        if values is None:
            # Before any amendment (a policy builds and checks its other periods when it
            # is built): the specification's values, which every policy shares.
            values = _specification_values()
        return values

    def amend(self, effective_from: date, changes: Mapping[str, Any], *, version: str) -> Policy:
        """A new policy with one more amendment (validated), under a new version string.

        Raises:
            InvalidArgumentError: ``effective_from`` is not a date or ``changes`` not a mapping.
            InvalidInputError: the amended policy is invalid (every problem with its path).
        """
        check_date("Policy.amend", "effective_from", effective_from)
        if not isinstance(changes, Mapping):
            raise fail(
                "Policy.amend", "changes", "a mapping such as {'elderly.points.falls': 3}", changes
            )
        doc = self.to_document()
        doc["version"] = version
        doc["amendments"].append(
            {"effective_from": effective_from.isoformat(), "changes": dict(changes)}
        )
        return Policy.from_document(doc)

    def to_document(self) -> dict[str, Any]:
        """The plain-data form of the policy (what :meth:`from_document` reads)."""
        return {
            "version": self.version,
            "amendments": [
                {
                    "effective_from": a.effective_from.isoformat(),
                    "changes": {k: _plain(v) for k, v in a.changes.items()},
                }
                for a in self.amendments
            ],
        }

    @classmethod
    def from_document(cls, doc: object) -> Policy:
        """Read and validate a policy document.

        The document is ``{"version": str, "amendments": [{"effective_from":
        "YYYY-MM-DD", "changes": {"dotted.name": value, ...}}, ...]}``.
        Every problem is reported at once: unknown parameter names, values of the
        wrong type, negative points, thresholds out of order, two amendments from
        the same date (overlapping periods).

        Raises:
            InvalidInputError: listing every problem with its path.
        """
        problems: list[InputProblem] = []
        if not isinstance(doc, Mapping):
            raise InvalidInputError.at("$", "expected a policy document (an object)")
        for key in doc:
            if key not in ("version", "amendments"):
                problems.append(
                    InputProblem(f"$.{key}", "unknown field; expected version, amendments")
                )
        version = doc.get("version")
        if not isinstance(version, str) or not version:
            problems.append(_BAD_VERSION)
        raw_amendments = doc.get("amendments", [])
        if not isinstance(raw_amendments, list):
            problems.append(InputProblem("$.amendments", "expected an array of amendments"))
            raw_amendments = []
        dated: list[tuple[int, date, Mapping[str, Any]]] = []
        for i, raw in enumerate(raw_amendments):
            read = _read_amendment(raw, f"$.amendments[{i}]", problems)
            if read is not None:
                dated.append((i, *read))
        kept = _without_overlaps(dated, problems)
        if problems:
            # Check the values in force in every period too, with the changes that are
            # valid, so that every problem of the document is reported at once.
            if kept:
                _periods([(start, changes) for _, start, changes in kept], problems)
            raise InvalidInputError(problems)
        # The one validating path: the amendments and the policy check themselves.
        return cls(
            version=typing.cast(str, version),
            amendments=tuple(
                Amendment(effective_from=start, changes=changes) for _, start, changes in kept
            ),
        )


_BAD_VERSION = InputProblem("$.version", "expected a non-empty version string")

_Dated = TypeVar("_Dated", bound=tuple[int, date, Mapping[str, Any]])


def _without_overlaps(dated: list[_Dated], problems: list[InputProblem]) -> list[_Dated]:
    """The amendments in date order, each after the first of its date reported and left out."""
    seen: dict[date, int] = {}
    kept: list[_Dated] = []
    for entry in dated:
        i, start = entry[0], entry[1]
        if start in seen:
            problems.append(
                InputProblem(
                    f"$.amendments[{i}].effective_from",
                    f"overlaps amendment {seen[start]}, which takes"
                    f" effect on the same date {start}; merge them",
                )
            )
            continue
        seen[start] = i
        kept.append(entry)
    return sorted(kept, key=lambda entry: entry[1])


def _periods(
    amendments: list[tuple[date, Mapping[str, Any]]], problems: list[InputProblem]
) -> dict[tuple[int, ...], PolicyValues]:
    """The values in force in each period (keyed as :meth:`Policy.at` keys them), checked.

    Checks the values of every period, not just each change alone: thresholds can be
    out of order only once a later amendment moves one of them.
    """
    values = _specification_values()
    periods: dict[tuple[int, ...], PolicyValues] = {(): values}
    starts: list[date | None] = [None]
    for k, (start, changes) in enumerate(amendments):
        for name, value in changes.items():
            values = _set(values, name.split("."), value)
        periods[tuple(range(k + 1))] = values
        starts.append(start)
    for first, period in zip(starts, periods.values(), strict=True):
        where = f"from {first}" if first else "before any amendment"
        for problem in check_values(period):
            problems.append(InputProblem(problem.path, f"{problem.message} ({where})"))
    return periods


def default_policy() -> Policy:
    """The policy of the product specification (v2), with no amendments.

    Examples:
        >>> from datetime import date
        >>> default_policy().at(date(2026, 1, 1)).elderly.red_min
        8
    """
    return Policy()


# --- applying and validating named changes ---


def _plain(value: Any) -> Any:
    if attrs.has(type(value)):
        return {a.name: _plain(getattr(value, a.name)) for a in attrs.fields(type(value))}
    if isinstance(value, Mapping):
        # A table keyed by an enum writes its keys as the plain strings a document uses.
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _set(node: Any, path: list[str], value: Any) -> Any:
    head, rest = path[0], path[1:]
    if attrs.has(type(node)):
        new = _set(getattr(node, head), rest, value) if rest else value
        return attrs.evolve(node, **{head: new})
    copy = dict(node)
    # The dotted name is a plain string: the table keeps its own key (an enum member of
    # a table keyed by an enum), which compares and hashes like the string.
    copy[head] = _set(copy[head], rest, value) if rest else value
    return copy


def _typed_changes(changes: object, where: str, problems: list[InputProblem]) -> dict[str, Any]:
    """The changes that are valid, typed; a problem (under ``where``) for each other one."""
    typed: dict[str, Any] = {}
    if not isinstance(changes, Mapping) or not changes:
        problems.append(InputProblem(f"{where}.changes", "expected a non-empty object of changes"))
        return typed
    for name, value in changes.items():
        try:
            typed[name] = _typed_value(name, value)
        except InvalidInputError as exc:
            problems.extend(exc.under(f"{where}.changes").problems)
    return typed


def _read_amendment(
    raw: object, where: str, problems: list[InputProblem]
) -> tuple[date, dict[str, Any]] | None:
    if not isinstance(raw, Mapping):
        problems.append(InputProblem(where, "expected an object with effective_from and changes"))
        return None
    for key in raw:
        if key not in ("effective_from", "changes"):
            problems.append(
                InputProblem(f"{where}.{key}", "unknown field; expected effective_from, changes")
            )
    on: date | None = None
    try:
        on = structure_at(raw.get("effective_from"), date, f"{where}.effective_from")
    except InvalidInputError as exc:
        problems.extend(exc.problems)
    typed = _typed_changes(raw.get("changes"), where, problems)
    if on is None:
        return None
    # The changes that are valid are kept, so that the values of every period are still
    # checked and every problem of the document is reported at once.
    return on, typed


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """The types of an attrs class's fields, in field order (resolved once per class)."""
    types = typing.get_type_hints(cls)
    return {a.name: types[a.name] for a in attrs.fields(cls)}


def _typed_value(name: object, value: object) -> Any:
    """Check that ``name`` is a parameter and ``value`` fits its type; return the typed value.

    The name is resolved here (a dotted path through the rule groups and their tables);
    the value is read by the library's one converter, as every input is.
    """
    label = f"$[{describe(name, 200)}]"
    if not isinstance(name, str) or not name:
        raise InvalidInputError.at(label, "expected a dotted parameter name")
    tp: Any = PolicyValues
    for part in name.split("."):
        if isinstance(tp, type) and attrs.has(tp):
            hints = _hints(tp)
            if part not in hints:
                raise InvalidInputError.at(
                    label,
                    f"unknown parameter; expected one of {', '.join(hints)} at {describe(part)}",
                )
            tp = hints[part]
        elif typing.get_origin(tp) is Mapping:
            key_tp, value_tp = typing.get_args(tp)
            if isinstance(key_tp, type) and issubclass(key_tp, enum.Enum):
                # A table keyed by an enum has a row for each member and no other: a
                # name through another key would change a row that nothing reads.
                members = [m.value for m in key_tp]
                if part not in members:
                    raise InvalidInputError.at(
                        label,
                        f"unknown parameter; expected one of {', '.join(members)}"
                        f" at {describe(part)}",
                    )
            tp = value_tp
        else:
            raise InvalidInputError.at(label, f"unknown parameter: {describe(part)} has no parts")
    return structure_at(value, tp, label)
