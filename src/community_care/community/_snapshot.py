"""A community's registry as one snapshot: its models, how a document is read, references.

:func:`load_snapshot` reads a snapshot document record by record: a record that cannot
be used is a rejection with its JSON path, and the rest is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from community_care._kernel.fields import (
    bool_field,
    int_field,
    member,
    model_field,
    model_tuple_field,
    str_field,
    str_tuple_field,
)
from community_care._kernel.frozen import FrozenMapping
from community_care.children import ChildProfile, MicroWish
from community_care.elderly import ElderlyProfile
from community_care.errors import InputProblem, InvalidInputError
from community_care.followup import FollowUp
from community_care.ledger import Hazard, Problem, ServiceActivity
from community_care.linkage import Need, Offer
from community_care.overrides import Override
from community_care.reasons import Rejection
from community_care.serialization import structure, unstructure

# The grid given to needs of a person whose grid is not recorded: offers serving every
# grid can still take them.
UNASSIGNED_GRID = "unassigned"


@attrs.frozen(kw_only=True)
class Community:
    """The community itself: its id, name and (optionally) how many people live there."""

    id: str = str_field()
    name: str = str_field()
    population: int | None = int_field(default=None, minimum=0, optional=True)


@attrs.frozen(kw_only=True)
class Building:
    """A residential building: its grid, floors and whether it has an elevator."""

    id: str = str_field()
    grid: str = str_field()
    floors: int = int_field(minimum=1)
    elevator: bool = bool_field(default=False)


@attrs.frozen(kw_only=True)
class CommunitySnapshot:
    """A community's registry as plain data (spec §7): the input of :func:`plan_community`."""

    community: Community = model_field(Community)
    grids: tuple[str, ...] = str_tuple_field(unique=True)
    buildings: tuple[Building, ...] = model_tuple_field(Building, default=())
    elderly: tuple[ElderlyProfile, ...] = model_tuple_field(ElderlyProfile, default=())
    children: tuple[ChildProfile, ...] = model_tuple_field(ChildProfile, default=())
    offers: tuple[Offer, ...] = model_tuple_field(Offer, default=())
    needs: tuple[Need, ...] = model_tuple_field(Need, default=())
    micro_wishes: tuple[MicroWish, ...] = model_tuple_field(MicroWish, default=())
    followups: tuple[FollowUp, ...] = model_tuple_field(FollowUp, default=())
    activities: tuple[ServiceActivity, ...] = model_tuple_field(ServiceActivity, default=())
    problems: tuple[Problem, ...] = model_tuple_field(Problem, default=())
    hazards: tuple[Hazard, ...] = model_tuple_field(Hazard, default=())
    # v2: caseworkers' overrides of a case's level (spec §7); several may name one case.
    overrides: tuple[Override, ...] = model_tuple_field(Override, default=())


# The record lists of a snapshot, each with its model.
RECORD_LISTS: dict[str, type] = {
    "buildings": Building,
    "elderly": ElderlyProfile,
    "children": ChildProfile,
    "offers": Offer,
    "needs": Need,
    "micro_wishes": MicroWish,
    "followups": FollowUp,
    "activities": ServiceActivity,
    "problems": Problem,
    "hazards": Hazard,
    "overrides": Override,
}

# Record lists in which several records may name the same case (no duplicate check).
_REPEATABLE = frozenset({"overrides"})


def _record_id(record: object) -> str | None:
    """The id of a record (``case_id`` for follow-ups), or ``None``."""
    for key in ("id", "case_id"):
        value = record.get(key) if isinstance(record, Mapping) else getattr(record, key, None)
        if isinstance(value, str):
            return value
    return None


@attrs.frozen(kw_only=True)
class LoadedSnapshot:
    """A snapshot read leniently: the records that are valid, and a rejection for each other."""

    snapshot: CommunitySnapshot
    rejections: tuple[Rejection, ...]
    # For each record list, the index in the document of each record kept, so that a
    # later rejection still names the record's place in the document.
    origins: Mapping[str, tuple[int, ...]]


def load_snapshot(data: object) -> LoadedSnapshot:
    """Read a snapshot document record by record, rejecting bad records instead of failing.

    The document's frame must be right (an object with the spec's keys, a valid
    ``community`` and ``grids``, arrays where arrays belong); otherwise the whole
    document is invalid. Each record is then structured on its own: a bad one, or
    one whose id repeats an earlier record's, becomes a
    :class:`~community_care.reasons.Rejection` with its path (``$.elderly[3]``).

    Raises:
        InvalidInputError: the document's frame is wrong (every problem listed).
    """
    if not isinstance(data, Mapping):
        raise InvalidInputError.at("$", "expected a community snapshot (a JSON object)")
    allowed = ("community", "grids", *RECORD_LISTS)
    problems = [
        InputProblem("$" + member(key), f"unknown field; expected one of: {', '.join(allowed)}")
        for key in data
        if key not in allowed
    ]
    frame: dict[str, Any] = {}
    try:
        head = structure({k: data[k] for k in ("community", "grids") if k in data}, _Head)
        frame["community"], frame["grids"] = head.community, head.grids
    except InvalidInputError as exc:
        problems.extend(exc.problems)
    for key in RECORD_LISTS:
        if key in data and not isinstance(data[key], list):
            problems.append(InputProblem(f"$.{key}", "expected an array of records"))
    if problems:
        raise InvalidInputError(problems)

    rejections: list[Rejection] = []
    origins: dict[str, tuple[int, ...]] = {}
    for key, model in RECORD_LISTS.items():
        kept: list[object] = []
        indexes: list[int] = []
        seen: set[str] = set()
        for i, raw in enumerate(data.get(key, [])):
            where = f"$.{key}[{i}]"
            record_id = _record_id(raw)
            try:
                record = raw if isinstance(raw, model) else structure(raw, model)
            except InvalidInputError as exc:
                rejections.append(
                    Rejection(
                        id=record_id,
                        path=where,
                        code="invalid_input",
                        message=str(exc.under(where)),
                    )
                )
                continue
            record_id = _record_id(record)
            if record_id is not None and record_id in seen and key not in _REPEATABLE:
                rejections.append(
                    Rejection(
                        id=record_id,
                        path=where,
                        code="duplicate_id",
                        message=f"{where}: the id {record_id!r} is already used by an earlier"
                        f" record of {key}; nothing is overwritten",
                    )
                )
                continue
            if record_id is not None:
                seen.add(record_id)
            kept.append(record)
            indexes.append(i)
        frame[key] = tuple(kept)
        origins[key] = tuple(indexes)
    # A person whose record is rejected is still in the registry: their follow-up and
    # wishes are kept (the rejection says what is wrong with the record itself).
    registered = {
        key: {i for i in map(_record_id, data.get(key, [])) if i is not None}
        for key in ("elderly", "children")
    }
    _check_references(frame, origins, rejections, registered)
    return LoadedSnapshot(
        snapshot=CommunitySnapshot(**frame),
        rejections=tuple(rejections),
        origins=FrozenMapping.adopt(origins),
    )


def _grids_of(record: object) -> tuple[str, ...]:
    """The grids a record names: its ``grid``, or an offer's ``grids`` and ``home_grid``."""
    named = [getattr(record, "grid", None), getattr(record, "home_grid", None)]
    named.extend(getattr(record, "grids", ()))
    return tuple(g for g in named if isinstance(g, str))


def _check_references(
    frame: dict[str, Any],
    origins: dict[str, tuple[int, ...]],
    rejections: list[Rejection],
    registered: Mapping[str, set[str]],
) -> None:
    """Reject, at its own index, each record that names what the snapshot does not hold.

    * a grid that is not in ``grids``;
    * a child whose id is an older resident's: follow-up cases are keyed by the person's
      id, so the two would share one case and one of them would silently get none;
    * a follow-up whose case is no older resident or child of the snapshot, or is one of
      the other kind;
    * a micro-wish for a child the snapshot does not hold.

    The first record keeps an id; nothing is overwritten, and every rejected record is
    listed with its path and the reason, so that ``used`` and ``rejections`` account for
    every record in.
    """
    grids = set(frame["grids"])
    elderly_ids = {p.id for p in frame["elderly"]}
    # The people of the registry, their records valid or not; a child's record that takes
    # an older resident's id is rejected below, so that id stays the older resident's.
    child_ids = registered["children"] - elderly_ids
    people = {"elderly": registered["elderly"], "child": child_ids}

    def problem(record: object, key: str) -> tuple[str, str] | None:
        unknown = [g for g in _grids_of(record) if g not in grids]
        if unknown:
            return "unknown_reference", f"names the grid {unknown[0]!r}, which is not in $.grids"
        if key == "children" and getattr(record, "id", None) in elderly_ids:
            return "duplicate_id", (
                "the id is already an older resident's; follow-up cases are keyed by the"
                " person's id, so one of them would get none"
            )
        if isinstance(record, FollowUp) and record.case_id not in people[record.kind.value]:
            other = "child" if record.kind.value == "elderly" else "elderly"
            if record.case_id in people[other]:
                return "unknown_reference", (
                    f"is a {record.kind.value} case, but its id is a {other} record's"
                )
            return "unknown_reference", "is the case of no older resident or child of the snapshot"
        if isinstance(record, MicroWish) and record.child_id not in child_ids:
            return "unknown_reference", "is for a child the snapshot does not hold"
        return None

    for key in RECORD_LISTS:
        kept: list[object] = []
        indexes: list[int] = []
        for record, index in zip(frame[key], origins[key], strict=True):
            found = problem(record, key)
            if found is None:
                kept.append(record)
                indexes.append(index)
                continue
            code, why = found
            where = f"$.{key}[{index}]"
            record_id = _record_id(record)
            rejections.append(
                Rejection(
                    id=record_id, path=where, code=code, message=f"{where} ({record_id!r}) {why}"
                )
            )
        frame[key], origins[key] = tuple(kept), tuple(indexes)
    rejections.sort(key=_document_order)


def _document_order(rejection: Rejection) -> tuple[int, int]:
    """Rejections in the order of the document: by list, then by index."""
    key, _, rest = rejection.path[2:].partition("[")
    lists = list(RECORD_LISTS)
    position = lists.index(key) if key in lists else len(lists)
    index = rest.split("]", 1)[0]
    return position, int(index) if index.isdigit() else -1


def _as_document(snapshot: CommunitySnapshot) -> dict[str, Any]:
    """A snapshot as the document :func:`load_snapshot` reads, its records kept as models."""
    return {
        "community": unstructure(snapshot.community),
        "grids": list(snapshot.grids),
        **{key: list(getattr(snapshot, key)) for key in RECORD_LISTS},
    }


@attrs.frozen(kw_only=True)
class _Head:
    community: Community = model_field(Community)
    grids: tuple[str, ...] = str_tuple_field(unique=True)
