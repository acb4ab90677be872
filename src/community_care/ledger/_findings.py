"""From what a visit finds to the ledger (主动发现): new problems and hazards, no duplicates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from community_care._kernel.checks import check_instance, check_iterable, check_records, fail
from community_care._kernel.fields import describe, model_tuple_field, str_tuple_field
from community_care.errors import InvalidInputError
from community_care.followup import FindingBlock, FollowUp, Visit
from community_care.ledger._hazards import Hazard
from community_care.ledger._problems import Problem
from community_care.ledger._statuses import HazardKind, HazardStatus, ProblemSource, ProblemStatus

__all__ = ["FindingRecords", "findings_to_records"]

# A problem still being dealt with; a resolved or verified one is done (as in the plan).
_OPEN_PROBLEM = frozenset(ProblemStatus) - {ProblemStatus.RESOLVED, ProblemStatus.VERIFIED}
# A hazard not yet rectified, or whose rectification failed re-inspection.
_OPEN_HAZARD = frozenset({HazardStatus.OPEN, HazardStatus.REOPENED})


@attrs.frozen(kw_only=True)
class FindingRecords:
    """What :func:`findings_to_records` made of a visit's findings (a result).

    ``problems`` and ``hazards`` are the new records, in the order of the findings;
    ``already_open`` the ids of the open records a finding repeated (no new record was
    made for it: an open record given, or one made from an earlier finding of the same
    visit), each once, in the order of the findings.

    Examples:
        >>> FindingRecords().problems
        ()
    """

    problems: tuple[Problem, ...] = model_tuple_field(Problem, default=())
    hazards: tuple[Hazard, ...] = model_tuple_field(Hazard, default=())
    already_open: tuple[str, ...] = str_tuple_field(default=())


def _default_id(case_id: str, visit: Visit, block: FindingBlock, n: int) -> str:
    return f"{case_id}:{visit.on.isoformat()}:{block.value}:{n}"


def findings_to_records(
    followup: FollowUp,
    visit: Visit,
    *,
    grid: str | None = None,
    building: str | None = None,
    ids: Sequence[str] | None = None,
    open_problems: Iterable[Problem] = (),
    open_hazards: Iterable[Hazard] = (),
) -> FindingRecords:
    """Turn a visit's findings into new problems and hazards (passive → proactive).

    Each finding becomes one record, dated the day of the visit:

    * a ``safety`` finding whose category is a hazard kind (``tangled_wiring``,
      ``flying_lead_charging``, ``blocked_fire_escape``, ``stairwell_clutter``, ``gas``,
      ``other``) becomes a :class:`Hazard` of that kind in ``building`` and ``grid``
      (and no problem: the hazard ledger follows it to rectification);
    * every other finding becomes a :class:`Problem` (急难愁盼) of the finding's
      category, ``source = outreach``, in ``grid``.

    No record repeats an open one of the same place: a finding is not recorded again
    when a record of the same category is open for the same case (a problem among
    ``open_problems``, which the caller gives as this case's problems: a problem
    record names no resident), or, for a hazard, when a hazard of the same kind is
    open in the same building (among ``open_hazards``, which may hold the whole
    community's). A problem is open until resolved; a hazard while ``open`` or
    ``reopened``. Two findings of one visit with the same category give one record.
    The finding's note is personal data: it is carried into no record and no message.

    Ids are ``ids`` when given: one per finding, in the order of ``visit.findings``
    (the id of a finding that repeats an open record is not used). Otherwise each id
    is derived as ``"{case_id}:{visit date}:{block}:{n}"``, ``n`` counting the
    findings of that block from 1 (``"e-0001:2026-03-02:safety:1"``): the same visit
    always gives the same ids; for two visits of one case on one day, give ``ids``.

    Args:
        followup: The case's record.
        visit: One of the case's visits (attempts included: a hazard seen at the door
            is still a hazard).
        grid: The grid of the case's home, for the new records.
        building: The building of the case's home; needed when a finding is a hazard.
        ids: The ids of the new records, one per finding; derived if ``None``.
        open_problems: The case's open problems (others are ignored by status).
        open_hazards: The community's hazards (the open ones of the building count).

    Returns:
        The new records and the ids of the open records that were repeated.

    Raises:
        InvalidInputError: The visit is not one of the case's (at ``$.visit``); a
            hazard finding without ``building`` or ``grid`` (at
            ``$.visit.findings[i]``); ``ids`` not one per finding, or a new id equal
            to an id of ``open_problems`` or ``open_hazards`` or to another new id
            (at ``$.ids``).
        InvalidArgumentError: An argument is of the wrong type.

    Examples:
        >>> from datetime import date
        >>> from community_care.followup import Finding, open_followup, record_visit
        >>> fu = open_followup("e1", "elderly", "red", on=date(2026, 3, 2))
        >>> fu = record_visit(fu, date(2026, 3, 3), "w01", findings=[
        ...     Finding(block="health", category="chronic_care", note="血压偏高"),
        ...     Finding(block="safety", category="flying_lead_charging", note="楼道飞线")])
        >>> out = findings_to_records(fu, fu.visits[-1], grid="g1", building="b3")
        >>> [(p.id, p.source.value) for p in out.problems], [h.id for h in out.hazards]
        ([('e1:2026-03-03:health:1', 'outreach')], ['e1:2026-03-03:safety:1'])
    """
    func = "findings_to_records"
    record = check_instance(func, "followup", followup, FollowUp, "open_followup(...)")
    seen = check_instance(func, "visit", visit, Visit, "followup.visits[-1]")
    for name, value in (("grid", grid), ("building", building)):
        if value is not None and (not isinstance(value, str) or not value):
            raise fail(func, name, "a non-empty string such as 'g1', or None", value)
    if seen not in record.visits:
        raise InvalidInputError.at(
            "$.visit", f"expected one of the visits of case {record.case_id!r}"
        )
    problems_in = check_records(func, "open_problems", open_problems, Problem, "Problem(...)")
    hazards_in = check_records(func, "open_hazards", open_hazards, Hazard, "Hazard(...)")
    findings = seen.findings
    given: list[str] | None = None
    if ids is not None:
        given = list(check_iterable(func, "ids", ids, "['p-101', 'h-17']"))
        if len(given) != len(findings) or not all(isinstance(x, str) and x for x in given):
            raise InvalidInputError.at(
                "$.ids",
                f"expected {len(findings)} non-empty id strings, one per finding in order,"
                f" got {describe(given)}",
            )

    open_categories = {p.category: p.id for p in problems_in if p.status in _OPEN_PROBLEM}
    open_kinds = {
        h.kind: h.id for h in hazards_in if h.status in _OPEN_HAZARD and h.building == building
    }
    taken = {p.id for p in problems_in} | {h.id for h in hazards_in}
    problems: list[Problem] = []
    hazards: list[Hazard] = []
    repeated: list[str] = []
    counts: dict[FindingBlock, int] = {}
    for i, finding in enumerate(findings):
        counts[finding.block] = n = counts.get(finding.block, 0) + 1
        derived = _default_id(record.case_id, seen, finding.block, n)
        new_id = given[i] if given is not None else derived
        is_hazard = (
            finding.block is FindingBlock.SAFETY
            and finding.category in HazardKind._value2member_map_
        )
        if is_hazard:
            kind = HazardKind(finding.category)
            if building is None or grid is None:
                raise InvalidInputError.at(
                    f"$.visit.findings[{i}]",
                    f"a {kind.value!r} finding becomes a hazard, which needs the building"
                    " and grid of the home: pass building= and grid=",
                )
            existing = open_kinds.get(kind)
        else:
            existing = open_categories.get(finding.category)
        if existing is not None:
            if existing not in repeated:
                repeated.append(existing)
            continue
        if new_id in taken:
            raise InvalidInputError.at(
                "$.ids",
                f"the id {new_id!r} of finding {i} is already used by another record;"
                " give ids= for two visits of one case on one day",
            )
        taken.add(new_id)
        if is_hazard:
            hazard = Hazard(
                id=new_id, kind=kind, building=str(building), grid=str(grid), found_on=seen.on
            )
            hazards.append(hazard)
            open_kinds[kind] = new_id
        else:
            problem = Problem(
                id=new_id,
                category=finding.category,
                reported_on=seen.on,
                source=ProblemSource.OUTREACH,
                grid=grid,
            )
            problems.append(problem)
            open_categories[finding.category] = new_id
    return FindingRecords(
        problems=tuple(problems), hazards=tuple(hazards), already_open=tuple(repeated)
    )
