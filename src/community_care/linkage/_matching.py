"""Five-party matching (spec §4): eligibility, fit, the optimal matching, why a need is unmet."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

import attrs

from community_care._kernel.checks import (
    check_choice,
    check_date,
    check_iterable,
    check_policy,
    fail,
)
from community_care._kernel.fields import (
    date_field,
    enum_field,
    int_field,
    str_field,
)
from community_care._kernel.frozen import FrozenMapping
from community_care.errors import InputProblem, InvalidInputError, MatchingTooLargeError
from community_care.linkage import _solver
from community_care.linkage._needs import CARING_MOTHER, Need, Offer, PlanLike, needs_from_plan
from community_care.policy import LinkageRules, Policy, default_policy
from community_care.reasons import Reason
from community_care.serialization import structure
from community_care.vocab import PartyKind, Urgency

__all__ = [
    "MAX_PAIRS",
    "UNMATCHED_REASONS",
    "MatchPair",
    "Matching",
    "match",
    "pair_caring_mothers",
]

#: The default ``max_pairs`` of :func:`match` and :func:`pair_caring_mothers`: the most
#: eligible (need, offer) pairs a matching builds. The pairs themselves take about 16
#: bytes each in the solver (about 320 MB at this limit) and its searches more; a
#: dense 4,000 x 400 matching has 1,600,000. A larger matching is refused with
#: :class:`~community_care.errors.MatchingTooLargeError` before any pair is built.
MAX_PAIRS = 20_000_000


# --- the matching ---------------------------------------------------------------------

# The objective's order: more urgent levels first. Fixed by the spec, not by the points.
_LEVELS: tuple[Urgency, ...] = tuple(sorted(Urgency, key=lambda u: u.rank, reverse=True))
_LEVEL_OF: Mapping[Urgency, int] = {u: k for k, u in enumerate(_LEVELS)}

#: The unmatched reasons, in the order in which they are tried (spec §4).
UNMATCHED_REASONS: tuple[str, ...] = (
    "no_capable_offer",
    "outside_service_area",
    "not_vetted",
    "not_available_in_time",
    "capacity_taken",
)

_V = TypeVar("_V")


def _frozen_mapping(value: Mapping[str, _V]) -> Mapping[str, _V]:
    """A read-only copy, so a frozen result cannot be changed through its mappings."""
    return FrozenMapping(value)


def _mapping_field(value_schema: dict[str, Any]) -> Any:
    """A read-only ``str ->`` value mapping (a JSON object), with its schema."""
    return attrs.field(
        converter=_frozen_mapping,
        metadata={"schema": {"type": "object", "additionalProperties": value_schema}},
    )


def _pair_tuple(value: Iterable[MatchPair]) -> tuple[MatchPair, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class MatchPair:
    """One need given to one offer, with the score and its breakdown.

    ``score == urgency_points + suitability + proximity``: ``suitability`` is
    ``suitability_weight × SUIT(party, category)`` and ``proximity`` the bonus
    when the offer's ``home_grid`` is the need's grid (both from the policy);
    their sum is the pair's ``fit``.

    Examples:
        >>> p = MatchPair(need_id="n1", offer_id="o1", party="member_unit",
        ...               category="rewiring", urgency="critical", score=1120,
        ...               urgency_points=1000, suitability=100, proximity=20)
        >>> p.fit, p.urgency_points + p.fit == p.score
        (120, True)
    """

    need_id: str = str_field()
    offer_id: str = str_field()
    party: PartyKind = enum_field(PartyKind)
    category: str = str_field()
    urgency: Urgency = enum_field(Urgency)
    score: int = int_field()
    urgency_points: int = int_field()
    suitability: int = int_field(minimum=0)
    proximity: int = int_field(minimum=0)

    @property
    def fit(self) -> int:
        """The pair's fit: suitability plus proximity (what the objective adds last)."""
        return self.suitability + self.proximity


@attrs.frozen(kw_only=True)
class Matching:
    """The result of :func:`match`: who serves which need, why the others are unmet.

    * ``assignments``: need id → offer id, for the matched needs, in need-id order.
    * ``pairs``: the same pairs with their score breakdowns, in need-id order.
    * ``total_score``: the sum of the pairs' scores.
    * ``unmatched``: need id → the :class:`~community_care.reasons.Reason` it is
      unmet (its ``code`` is one of :data:`UNMATCHED_REASONS`), in need-id order.
    * ``load``: offer id → how many needs it was given, for every offer, in offer-id order.
    * ``met_by_urgency``: urgency → how many needs of it were met (all four listed).
    * ``policy_version`` and ``on``: what it was computed with and for.

    Examples:
        >>> m = match([Need(id="n1", category="sewing", urgency="low", grid="g1")],
        ...           [Offer(id="o1", party="volunteer", capabilities=["sewing"])],
        ...           on=date(2026, 3, 2))
        >>> dict(m.assignments), m.total_score, m.objective
        ({'n1': 'o1'}, 200, (0, 0, 0, 1, 100))
    """

    assignments: Mapping[str, str] = _mapping_field({"type": "string"})
    total_score: int = int_field()
    pairs: tuple[MatchPair, ...] = attrs.field(
        converter=_pair_tuple,
        metadata={"schema": {"type": "array"}, "model_items": MatchPair},
    )
    unmatched: Mapping[str, Reason] = _mapping_field({"type": "object"})
    load: Mapping[str, int] = _mapping_field({"type": "integer", "minimum": 0})
    met_by_urgency: Mapping[str, int] = _mapping_field({"type": "integer", "minimum": 0})
    policy_version: str = str_field()
    on: date = date_field()

    @property
    def total_fit(self) -> int:
        """The sum of the pairs' fits (the last term of the objective)."""
        return sum(p.fit for p in self.pairs)

    @property
    def objective(self) -> tuple[int, int, int, int, int]:
        """(critical met, high met, normal met, low met, total fit): compared left to right."""
        met = self.met_by_urgency
        return (
            met[Urgency.CRITICAL.value],
            met[Urgency.HIGH.value],
            met[Urgency.NORMAL.value],
            met[Urgency.LOW.value],
            self.total_fit,
        )


def match(
    needs: Iterable[Need | Mapping[str, Any]],
    offers: Iterable[Offer | Mapping[str, Any]],
    *,
    on: date,
    policy: Policy | None = None,
    method: _solver.Method = "auto",
    max_pairs: int = MAX_PAIRS,
) -> Matching:
    """Give needs to offers, urgency strictly first, exactly (spec §4).

    A pair is eligible when the offer lists the need's category, serves its grid
    (``grids`` empty = every grid), passes the vetting rule (a need of one-to-one
    contact with a child, ``child_contact_categories``, goes to a ``volunteer`` or
    ``resident`` only if vetted within ``vetting_valid_days`` days before ``on``),
    is still available on ``on``
    (``available_until``) and starts by the need's deadline (``available_from``).
    The deadline is ``max(needed_by, on)``, or for an undated need ``on`` plus the
    policy's days for its urgency. The matching maximises, in this order, the
    critical needs met, then high, normal and low, then the total fit
    (``suitability_weight × SUIT + proximity_bonus``). Among equally good
    matchings it takes the one that serves the smallest need ids first, each with
    the smallest offer id it can have, so the input order never matters.

    Args:
        needs: :class:`Need` objects, or their JSON objects (structured strictly).
        offers: :class:`Offer` objects, or their JSON objects.
        on: the date the matching is for.
        policy: the policy (default: :func:`~community_care.policy.default_policy`);
            its ``linkage`` values in force on ``on`` are used.
        method: the solver, ``"auto"``, ``"pure"`` or ``"scipy"``; every method
            gives the same matching (only the speed differs).
        max_pairs: the most eligible (need, offer) pairs to build (default
            :data:`MAX_PAIRS`, 20 million). The pairs are counted first, without
            building them; more than this is refused.

    Returns:
        The :class:`Matching`.

    Raises:
        InvalidInputError: for an item that is not a valid need or offer, or a
            need id or offer id given twice (every problem listed, each with
            its path, e.g. ``$.needs[3].id``); nothing is computed then.
        MatchingTooLargeError: more eligible pairs than ``max_pairs``; the
            message names the pairs, needs, offers and the limit. Nothing is
            built or solved then.
        InvalidArgumentError: ``max_pairs`` is not an int ``>= 0``.

    Examples:
        >>> needs = [Need(id="n1", category="rewiring", urgency="critical", grid="g1"),
        ...          Need(id="n2", category="rewiring", urgency="low", grid="g1"),
        ...          Need(id="n3", category="sewing", urgency="low", grid="g1")]
        >>> offers = [Offer(id="o1", party="member_unit", capabilities=["rewiring"],
        ...                 home_grid="g1")]
        >>> m = match(needs, offers, on=date(2026, 3, 2))
        >>> dict(m.assignments), m.total_score
        ({'n1': 'o1'}, 1120)
        >>> {n: r.code for n, r in m.unmatched.items()}
        {'n2': 'capacity_taken', 'n3': 'no_capable_offer'}
        >>> match(needs, offers + offers, on=date(2026, 3, 2))
        Traceback (most recent call last):
        ...
        community_care.errors.InvalidInputError: invalid input: $.offers[1].id: duplicate offer \
id 'o1' (first at $.offers[0])
    """
    _check_match_args("match", on, policy, method, max_pairs)
    needs = check_iterable("match", "needs", needs, "[Need(...)]")
    offers = check_iterable("match", "offers", offers, "[Offer(...)]")
    problems: list[InputProblem] = []
    need_items = _collect(needs, Need, "$.needs", problems)
    offer_items = _collect(offers, Offer, "$.offers", problems)
    _check_unique(need_items, "need", problems)
    _check_unique(offer_items, "offer", problems)
    if problems:
        raise InvalidInputError(problems)
    policy = policy if policy is not None else default_policy()
    return _match(
        [n for _, n in need_items],
        [o for _, o in offer_items],
        on=on,
        rules=policy.at(on).linkage,
        version=policy.version,
        method=method,
        max_pairs=max_pairs,
    )


def _check_match_args(
    func: str, on: object, policy: object, method: object, max_pairs: object
) -> None:
    check_date(func, "on", on)
    check_policy(func, policy)
    check_choice(func, "method", method, _solver.METHODS)
    if isinstance(max_pairs, bool) or not isinstance(max_pairs, int) or max_pairs < 0:
        raise fail(func, "max_pairs", "an int >= 0 like 20_000_000", max_pairs)


_M = TypeVar("_M", Need, Offer)


def _collect(
    items: Iterable[_M | Mapping[str, Any]],
    model: type[_M],
    root: str,
    problems: list[InputProblem],
) -> list[tuple[str, _M]]:
    """``(path, model)`` for each valid item; the problems of the others are appended."""
    out: list[tuple[str, _M]] = []
    for k, item in enumerate(items):
        path = f"{root}[{k}]"
        value = _one(item, model, path, problems)
        if value is not None:
            out.append((path, value))
    return out


def _one(item: object, model: type[_M], path: str, problems: list[InputProblem]) -> _M | None:
    """The item as a ``model``: itself, or its JSON object structured strictly."""
    if isinstance(item, model):
        return item
    if isinstance(item, Mapping):
        try:
            return structure(item, model)
        except InvalidInputError as exc:
            problems.extend(exc.under(path).problems)
            return None
    problems.append(
        InputProblem(
            path, f"expected a {model.__name__} or its JSON object, got {type(item).__name__}"
        )
    )
    return None


def _check_unique(
    items: Sequence[tuple[str, Need | Offer]], kind: str, problems: list[InputProblem]
) -> None:
    """Report every repeat of an id: the matching names needs and offers by id."""
    first: dict[str, str] = {}
    for path, item in items:
        if item.id in first:
            problems.append(
                InputProblem(
                    f"{path}.id", f"duplicate {kind} id {item.id!r} (first at {first[item.id]})"
                )
            )
        else:
            first[item.id] = path


def _deadline(need: Need, on: date, rules: LinkageRules) -> date:
    """A dated need is needed by its date, or now if that has passed; else urgency decides."""
    if need.needed_by is not None:
        return max(need.needed_by, on)
    return on + timedelta(days=rules.undated_deadline_days[need.urgency])


def _fit_parts(need: Need, offer: Offer, rules: LinkageRules) -> tuple[int, int]:
    """(suitability, proximity) of a pair, from the policy."""
    suitability = rules.suitability_weight * rules.suit(offer.party, need.category)
    near = offer.home_grid is not None and offer.home_grid == need.grid
    return suitability, rules.proximity_bonus if near else 0


def _match(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    *,
    on: date,
    rules: LinkageRules,
    version: str,
    method: _solver.Method,
    max_pairs: int = MAX_PAIRS,
    capacity: Mapping[str, int] | None = None,
) -> Matching:
    """Match validated needs and offers (ids unique); ``capacity`` overrides by offer id.

    The eligible pairs are counted first (:func:`_count_pairs`, no pair built) and
    refused above ``max_pairs``; then each need's pairs are built as two arrays (its
    offers' indices and the fits), with no object per pair.
    """
    # Sorted by id, so that the solver's canonical tie-breaking (smallest indices
    # first) is a rule about ids and the input order cannot change the answer.
    needs = sorted(needs, key=lambda n: n.id)
    offers = sorted(offers, key=lambda o: o.id)
    caps = [o.capacity if capacity is None else capacity[o.id] for o in offers]
    capable: dict[str, list[int]] = {}
    for j, offer in enumerate(offers):
        for category in dict.fromkeys(offer.capabilities):  # a repeated capability is one
            capable.setdefault(category, []).append(j)
    pairs_count = _count_pairs(needs, offers, capable, on, rules)
    if pairs_count > max_pairs:
        raise MatchingTooLargeError(
            pairs=pairs_count, limit=max_pairs, needs=len(needs), offers=len(offers)
        )
    rows: list[_solver.Ints] = []
    fits: list[_solver.Ints] = []
    for need in needs:
        deadline = _deadline(need, on, rules)
        row: list[int] = []
        row_fits: list[int] = []
        # `capable` lists ascend by offer index, so each row does too.
        for j in capable.get(need.category, ()):
            offer = offers[j]
            if (
                _in_area(need, offer)
                and _vetted(need, offer, on, rules)
                and _in_time(offer, on, deadline)
            ):
                row.append(j)
                row_fits.append(sum(_fit_parts(need, offer, rules)))
        rows.append(_solver.compact_ints(row))
        fits.append(_solver.compact_ints(row_fits))
    result = _solver.solve_rows(
        caps,
        rows,
        fits,
        [_LEVEL_OF[need.urgency] for need in needs],
        levels=len(_LEVELS),
        method=method,
    )
    del rows, fits

    urgency_points = rules.urgency_points
    pairs: list[MatchPair] = []
    unmatched: dict[str, Reason] = {}
    load = dict.fromkeys((o.id for o in offers), 0)
    met = dict.fromkeys((u.value for u in _LEVELS), 0)
    for need, given in zip(needs, result, strict=True):
        if given is None:
            unmatched[need.id] = _why_unmatched(need, offers, capable, on, rules)
            continue
        offer = offers[given]
        suitability, proximity = _fit_parts(need, offer, rules)
        points = urgency_points[need.urgency]
        pairs.append(
            MatchPair(
                need_id=need.id,
                offer_id=offer.id,
                party=offer.party,
                category=need.category,
                urgency=need.urgency,
                score=points + suitability + proximity,
                urgency_points=points,
                suitability=suitability,
                proximity=proximity,
            )
        )
        load[offer.id] += 1
        met[need.urgency.value] += 1
    return Matching(
        assignments={p.need_id: p.offer_id for p in pairs},
        total_score=sum(p.score for p in pairs),
        pairs=tuple(pairs),
        unmatched=unmatched,
        load=load,
        met_by_urgency=met,
        policy_version=version,
        on=on,
    )


def _count_pairs(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    capable: Mapping[str, list[int]],
    on: date,
    rules: LinkageRules,
) -> int:
    """How many eligible pairs :func:`_match` would build, without building them.

    Eligibility depends on the need only through its category and grid (capability,
    area, vetting) and its deadline (``available_from <= deadline``). So the needs
    are grouped by (category, grid); for each group the offers eligible but for the
    deadline are found once, their start dates sorted, and each need counts those
    starting by its deadline by bisection. Time about ``needs x log(offers)`` plus
    one pass over the capable offers per group; memory one group's offers.
    """
    groups: dict[tuple[str, str], list[Need]] = {}
    for need in needs:
        groups.setdefault((need.category, need.grid), []).append(need)
    total = 0
    for members in groups.values():
        first = members[0]
        starts = sorted(
            offer.available_from or date.min
            for offer in (offers[j] for j in capable.get(first.category, ()))
            if _in_area(first, offer)
            and _vetted(first, offer, on, rules)
            and (offer.available_until is None or offer.available_until >= on)
        )
        if starts:
            total += sum(bisect_right(starts, _deadline(n, on, rules)) for n in members)
    return total


def _in_area(need: Need, offer: Offer) -> bool:
    return not offer.grids or need.grid in offer.grids


# The party kinds that are individuals: vetted one by one (入职查询). Organisations answer
# for their own staff.
_INDIVIDUALS = frozenset({PartyKind.VOLUNTEER, PartyKind.RESIDENT})


def _vetted(need: Need, offer: Offer, on: date, rules: LinkageRules) -> bool:
    """Whether the vetting rule (spec §4) lets this offer take this need.

    A need of one-to-one contact with a child (``rules.child_contact_categories``) goes
    to an individual (``volunteer`` or ``resident``) only when the individual was
    vetted on or before ``on`` and at most ``rules.vetting_valid_days`` days before it.
    """
    if offer.party not in _INDIVIDUALS or need.category not in rules.child_contact_categories:
        return True
    vetted = offer.vetted_on
    return vetted is not None and vetted <= on and (on - vetted).days <= rules.vetting_valid_days


def _in_time(offer: Offer, on: date, deadline: date) -> bool:
    return (offer.available_until is None or offer.available_until >= on) and (
        offer.available_from is None or offer.available_from <= deadline
    )


def _why_unmatched(
    need: Need,
    offers: Sequence[Offer],
    capable: Mapping[str, list[int]],
    on: date,
    rules: LinkageRules,
) -> Reason:
    """The first reason of :data:`UNMATCHED_REASONS` that applies to an unmatched need."""
    category, grid = need.category, need.grid
    able = [offers[j] for j in capable.get(category, ())]
    if not able:
        return _unmatched(
            "no_capable_offer",
            f"没有资源方提供“{category}”服务",
            f"no offer lists the category {category!r}",
        )
    in_area = [o for o in able if _in_area(need, o)]
    if not in_area:
        return _unmatched(
            "outside_service_area",
            f"有 {len(able)} 项资源可提供“{category}”，但都不服务网格 {grid}",
            f"{len(able)} offer(s) can do {category!r}, none serves grid {grid!r}",
        )
    vetted = [o for o in in_area if _vetted(need, o, on, rules)]
    if not vetted:
        return _unmatched(
            "not_vetted",
            f"网格 {grid} 内有 {len(in_area)} 项个人资源可提供“{category}”，但都未在"
            f" {rules.vetting_valid_days} 天内完成入职查询（与儿童一对一接触须先查询）",
            f"{len(in_area)} offer(s) in grid {grid!r} can do {category!r}, none is an"
            f" individual vetted within {rules.vetting_valid_days} days (one-to-one contact"
            " with a child needs a vetting check)",
        )
    deadline = _deadline(need, on, rules)
    eligible = [o for o in vetted if _in_time(o, on, deadline)]
    if not eligible:
        return _unmatched(
            "not_available_in_time",
            f"网格 {grid} 内有 {len(vetted)} 项资源可提供“{category}”，"
            f"但都不能在 {on.isoformat()} 至截止日 {deadline.isoformat()} 之间提供",
            f"{len(vetted)} offer(s) in grid {grid!r} can do {category!r}, none is available"
            f" between {on.isoformat()} and the deadline {deadline.isoformat()}",
        )
    # The matching is optimal, so an eligible offer with room left would have taken
    # this need (one more need met is always better): every eligible offer is full.
    return _unmatched(
        "capacity_taken",
        f"有 {len(eligible)} 项可用资源，但在最优匹配中名额已分给其他需求",
        f"{len(eligible)} eligible offer(s), all their capacity went to other needs"
        " in the optimal matching",
    )


def _unmatched(code: str, zh: str, en: str) -> Reason:
    return Reason(code=code, dimension="linkage", effect="unmatched", zh=zh, en=en)


def pair_caring_mothers(
    plans_or_needs: Iterable[PlanLike | Need | Mapping[str, Any]],
    offers: Iterable[Offer | Mapping[str, Any]],
    *,
    on: date,
    policy: Policy | None = None,
    method: _solver.Method = "auto",
    max_pairs: int = MAX_PAIRS,
) -> Matching:
    """Pair children with caring mothers (爱心妈妈), one to one (spec §4).

    The same matching as :func:`match`, on the ``caring_mother`` needs only and
    the offers that list ``caring_mother``, each able to take one child at most
    (``min(capacity, 1)``: a capacity-0 offer stays at 0), an individual only when
    vetted (the vetting rule of :func:`match`). Other needs and
    offers are left out (``load`` lists the caring-mother offers only).

    Args:
        plans_or_needs: support plans (their ``caring_mother`` actions become needs,
            placed in the plan's grid) and/or needs (or their JSON objects).
        offers: offers (or their JSON objects).
        on: the date the pairing is for.
        policy: the policy (default: the spec's).
        method: the solver, as for :func:`match`.
        max_pairs: the most eligible pairs to build, as for :func:`match`.

    Returns:
        The :class:`Matching`.

    Raises:
        InvalidInputError: as :func:`match` (paths under ``$.plans_or_needs`` and
            ``$.offers``), and for a plan without a grid.
        MatchingTooLargeError: as :func:`match`.
        InvalidArgumentError: ``max_pairs`` is not an int ``>= 0``.

    Examples:
        >>> kids = [Need(id=f"c{k}", category="caring_mother", urgency="normal", grid="g1")
        ...         for k in (1, 2)]
        >>> moms = [Offer(id="m1", party="resident", capabilities=["caring_mother"],
        ...               capacity=3, home_grid="g1", vetted_on=date(2026, 1, 10))]
        >>> m = pair_caring_mothers(kids, moms, on=date(2026, 3, 2))
        >>> dict(m.assignments), m.unmatched["c2"].code, dict(m.load)
        ({'c1': 'm1'}, 'capacity_taken', {'m1': 1})
    """
    _check_match_args("pair_caring_mothers", on, policy, method, max_pairs)
    func = "pair_caring_mothers"
    plans_or_needs = check_iterable(func, "plans_or_needs", plans_or_needs, "[plan_support(...)]")
    offers = check_iterable(func, "offers", offers, "[Offer(...)]")
    problems: list[InputProblem] = []
    need_items: list[tuple[str, Need]] = []
    for k, item in enumerate(plans_or_needs):
        path = f"$.plans_or_needs[{k}]"
        if isinstance(item, Need | Mapping):
            need = _one(item, Need, path, problems)
            if need is not None:
                need_items.append((path, need))
        elif hasattr(item, "child_id") and hasattr(item, "actions"):
            try:
                derived = needs_from_plan(item)
            except InvalidInputError as exc:
                problems.extend(exc.under(path).problems)
                continue
            need_items.extend(
                (f"{path}.actions[{a}]", n)
                for a, n in enumerate(derived)
                if n.category == CARING_MOTHER
            )
        else:
            problems.append(
                InputProblem(
                    path,
                    f"expected a support plan, a Need or its JSON object, got"
                    f" {type(item).__name__}",
                )
            )
    offer_items = _collect(offers, Offer, "$.offers", problems)
    _check_unique(need_items, "need", problems)
    _check_unique(offer_items, "offer", problems)
    if problems:
        raise InvalidInputError(problems)
    policy = policy if policy is not None else default_policy()
    mothers = [o for _, o in offer_items if CARING_MOTHER in o.capabilities]
    return _match(
        [n for _, n in need_items if n.category == CARING_MOTHER],
        mothers,
        on=on,
        rules=policy.at(on).linkage,
        version=policy.version,
        method=method,
        max_pairs=max_pairs,
        capacity={o.id: min(o.capacity, 1) for o in mothers},
    )
