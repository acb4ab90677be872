"""Risk tiers of older residents (spec §2): points, floors, interventions and their reasons."""

from __future__ import annotations

import functools
import itertools
import typing
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TypeVar

import attrs

from community_care._kernel.checks import (
    check_date,
    check_instance,
    check_iterable,
    check_lang,
    check_policy,
)
from community_care._kernel.fields import (
    age_on,
)
from community_care._kernel.frozen import FrozenMapping
from community_care._kernel.text import word
from community_care.elderly._ability import AbilityAssessment, ability_of
from community_care.elderly._profile import ElderlyProfile, LivingArrangement
from community_care.errors import InvalidInputError, NotEligibleError
from community_care.overrides import Override
from community_care.policy import Band, ElderlyRules, Policy, default_policy
from community_care.reasons import Lang, Reason, Rejection
from community_care.serialization import structure
from community_care.vocab import EconomicStatus, RiskTier, Urgency

__all__ = ["ElderlyAssessment", "Intervention", "assess_elderly", "assess_many", "explain"]


@attrs.frozen(kw_only=True)
class Intervention:
    """A recommended intervention: a need (spec §4) with its category and urgency."""

    code: str
    category: str
    urgency: Urgency
    reason: str  # the code of the condition that calls for it

    def message(self, lang: Lang = "zh") -> str:
        """The intervention's name in ``zh`` or ``en``."""
        lang = check_lang("Intervention.message", lang)
        key = f"reason.intervention.{self.code}"
        zh, en = word(key, "zh"), word(key, "en")
        return Reason(code=self.code, dimension="intervention", zh=zh, en=en).message(lang)


@attrs.frozen(kw_only=True)
class ElderlyAssessment:
    """The risk tier of one older resident on one date, fully explained.

    ``score`` is the sum of the points of ``reasons``. The home dimension counts at
    most the policy's ``home_cap`` points (3 by default): every hazard found is still
    listed as a reason, each carrying the points that counted, so a hazard past the cap
    carries fewer points (0 once the cap is reached) and its ``effect`` says it was
    capped; there is no separate reason code for the cap, and the points still add up
    to the score (``dimension_scores["home"]`` is the capped total). Floors appear as
    reasons with ``effect`` set to the tier they guarantee.
    """

    resident_id: str  # the registry key (``ElderlyProfile.id``), not an ID number
    on: date
    age: int
    tier: RiskTier
    score_tier: RiskTier  # the tier from the score alone, before floors
    score: int
    dimension_scores: Mapping[str, int]
    reasons: tuple[Reason, ...]
    interventions: tuple[Intervention, ...]
    policy_version: str
    grid: str | None = None
    # The GB/T 42195-2022 assessment of the profile's ``ability_items`` (None without
    # items): where the effective ability level came from.
    ability: AbilityAssessment | None = None
    override: Override | None = None  # a caseworker's level set over ``tier`` (spec §7)

    @property
    def effective_tier(self) -> RiskTier:
        """The tier follow-up and reports use: the override's level, else ``tier``."""
        return self.tier if self.override is None else RiskTier(self.override.level)

    @property
    def floors(self) -> tuple[Reason, ...]:
        """The floors whose conditions hold."""
        return tuple(r for r in self.reasons if r.dimension == "floor")


# A batch builds 100,000 assessments, and attrs' frozen ``__init__`` (keyword arguments,
# one ``object.__setattr__`` per field) was a third of the time of each. _new_assessment
# fills the slots directly, in the order of ``attrs.fields(ElderlyAssessment)`` (a test
# holds the two equal); it is only given values _Assessor has just worked out.
_SET = tuple(getattr(ElderlyAssessment, f.name).__set__ for f in attrs.fields(ElderlyAssessment))


def _new_assessment(
    resident_id: str,
    on: date,
    age: int,
    tier: RiskTier,
    score_tier: RiskTier,
    score: int,
    dimension_scores: Mapping[str, int],
    reasons: tuple[Reason, ...],
    interventions: tuple[Intervention, ...],
    policy_version: str,
    grid: str | None,
    ability: AbilityAssessment | None,
    override: Override | None = None,
) -> ElderlyAssessment:
    """``ElderlyAssessment(...)`` with these values, built without its ``__init__``."""
    new = object.__new__(ElderlyAssessment)
    s = _SET
    s[0](new, resident_id)
    s[1](new, on)
    s[2](new, age)
    s[3](new, tier)
    s[4](new, score_tier)
    s[5](new, score)
    s[6](new, dimension_scores)
    s[7](new, reasons)
    s[8](new, interventions)
    s[9](new, policy_version)
    s[10](new, grid)
    s[11](new, ability)
    s[12](new, override)
    return new


# (zh, en) messages of every reason; ``{}`` takes the condition's detail.
_MESSAGES: dict[str, tuple[str, str]] = {
    "ability_level": (
        "能力等级 {}（GB/T 42195-2022，{}）",
        "ability level {} (GB/T 42195-2022, {})",
    ),
    "dementia": ("确诊认知障碍", "diagnosed dementia"),
    "severe_disability": ("重度残疾（一、二级）", "severe disability (grade 1-2)"),
    "chronic_conditions": ("患慢性病 {} 种", "{} chronic conditions"),
    "falls": ("近 12 个月跌倒 {} 次", "{} falls in the last 12 months"),
    "living_alone": ("独居", "lives alone"),
    "empty_nest": ("空巢（仅与配偶同住）", "empty nest (lives with spouse only)"),
    "left_behind": ("留守（子女在外地）", "left behind (children live in another city)"),
    "no_emergency_contact": ("无紧急联系人", "no emergency contact"),
    "special_family": ("计划生育特殊家庭", "family-planning special family"),
    "economic_hardship": ("经济困难：{}", "economic hardship: {}"),
    "advanced_age": ("高龄：{} 岁", "advanced age: {}"),
    "no_smoke_alarm": ("家中无烟感报警器", "no smoke alarm at home"),
    "unsafe_wiring": ("家中电线老化或不安全", "unsafe wiring at home"),
    "no_grab_bars": ("家中无扶手", "no grab bars at home"),
    "stairs_without_elevator": (
        "住 {} 楼、无电梯且行动能力受限",
        "lives on floor {} without an elevator and with limited ability",
    ),
    "very_old_limited_support": (
        "高龄（80 岁以上）独居、空巢或留守：至少红色",
        "aged 80+ living alone, as an empty nest or left behind: at least red",
    ),
    "dementia_alone": ("认知障碍且独居：至少红色", "dementia and living alone: at least red"),
    "repeated_falls_alone": (
        "反复跌倒且独居：至少红色",
        "repeated falls and living alone: at least red",
    ),
    "special_difficulty": (
        "特殊困难老年人（国家要求每月探访）：至少黄色",
        "older person in special difficulty (monthly visits are the national goal):"
        " at least yellow",
    ),
}

_CAP_NOTE = "capped: the home dimension counts at most {} points"

# The floors (spec §2): code -> the tier it guarantees. Listed whenever their condition
# holds; they only raise the tier.
_FLOORS = {
    "very_old_limited_support": "red",
    "dementia_alone": "red",
    "repeated_falls_alone": "red",
    "special_difficulty": "yellow",
}


# Reasons and interventions are immutable values drawn from a small set (a code, its points
# and a detail such as an age), so a batch shares them instead of building 100,000 copies
# of "lives alone (+3)". Bounded, so odd inputs cannot grow the caches without limit;
# ``typed`` keeps ``1`` and ``True`` apart.
@functools.lru_cache(maxsize=4096, typed=True)
def _reason(
    code: str,
    dimension: str,
    points: int | None,
    detail: object = "",
    effect: str | None = None,
) -> Reason:
    zh, en = _MESSAGES[code]
    if code == "ability_level":
        # ``detail`` is (level, source): source None for a recorded level, the total of
        # the items, or "coma" (a level computed from the items without a total).
        level, source = typing.cast("tuple[int, int | str | None]", detail)
        zh_source, en_source = (
            ("登记值", "recorded")
            if source is None
            else ("按评估项目计算：昏迷", "computed from the items: coma")
            if source == "coma"
            else (f"按评估项目计算，总分 {source}", f"computed from the items, total {source}")
        )
        return Reason(
            code=code,
            dimension=dimension,
            points=points,
            effect=effect,
            zh=zh.format(level, zh_source),
            en=en.format(level, en_source),
        )
    if code == "economic_hardship":
        economic = f"EconomicStatus.{detail}"
        zh_detail, en_detail = word(economic, "zh"), word(economic, "en")
        return Reason(
            code=code,
            dimension=dimension,
            points=points,
            effect=effect,
            zh=zh.format(zh_detail),
            en=en.format(en_detail),
        )
    return Reason(
        code=code,
        dimension=dimension,
        points=points,
        effect=effect,
        zh=zh.format(detail),
        en=en.format(detail),
    )


_FLOOR_REASONS = tuple(_reason(code, "floor", None, effect=tier) for code, tier in _FLOORS.items())


def _floors_holding(*holding: bool) -> tuple[tuple[Reason, ...], RiskTier | None]:
    """The floors whose conditions hold, and the highest tier they guarantee.

    ``holding`` has one answer per floor, in spec order; the tier is ``None`` when no
    floor holds.
    """
    reasons = tuple(r for r, holds in zip(_FLOOR_REASONS, holding, strict=True) if holds)
    guaranteed = (RiskTier(str(r.effect)) for r in reasons)
    return reasons, max(guaranteed, key=lambda t: t.rank, default=None)


# Every combination of answers, worked out once (four yes/no answers: 16 entries).
_FLOORS_HOLDING = {
    key: _floors_holding(*key) for key in itertools.product((False, True), repeat=len(_FLOORS))
}


def assess_elderly(
    profile: ElderlyProfile, *, on: date, policy: Policy | None = None
) -> ElderlyAssessment:
    """Assess an older resident's risk on ``on`` (spec §2).

    Args:
        profile: the resident's record.
        on: the date of the assessment (ages are taken on it).
        policy: the policy to apply; :func:`default_policy` when ``None``.

    Returns:
        The tier, score, reasons and recommended interventions.

    Raises:
        NotEligibleError: the resident is younger than the policy's minimum age (60).
        InvalidInputError: ``birth_date`` is after ``on``.

    Examples:
        >>> p = ElderlyProfile(id="e1", birth_date=date(1940, 3, 1), living_arrangement="alone",
        ...                    falls_last_12_months=2)
        >>> a = assess_elderly(p, on=date(2026, 11, 29))
        >>> a.tier.value, a.score, [r.code for r in a.reasons]
        ('red', 7, ['falls', 'living_alone', 'advanced_age', 'very_old_limited_support', \
'repeated_falls_alone', 'special_difficulty'])
    """
    check_instance(
        "assess_elderly", "profile", profile, ElderlyProfile, "ElderlyProfile(id='e1', ...)"
    )
    check_date("assess_elderly", "on", on)
    policy = check_policy("assess_elderly", policy) or default_policy()
    return _Assessor(policy.at(on).elderly, policy.version, on).assess(profile)


# The most outcomes one _Assessor keeps per dimension: a batch of any size holds at most
# this many, whatever its records look like.
_MEMO_LIMIT = 4096


class _Assessor:
    """Spec §2 under one set of rules on one date, for one call or one batch.

    Each dimension's outcome (its points and reasons) depends on a few fields only, and
    a batch repeats the same few combinations again and again: each outcome is worked
    out once, by the plain rules below, and kept (at most ``_MEMO_LIMIT`` per dimension,
    so memory stays bounded). Nothing is shared between calls.
    """

    __slots__ = (
        "ability",
        "health",
        "home",
        "interventions",
        "on",
        "rules",
        "social",
        "version",
    )

    def __init__(self, rules: ElderlyRules, version: str, on: date) -> None:
        self.rules = rules
        self.version = version
        self.on = on
        self.ability: dict[tuple[object, ...], AbilityAssessment] = {}
        self.health: dict[
            tuple[int, int | str | None, bool, bool, int, int], tuple[int, tuple[Reason, ...]]
        ] = {}
        self.social: dict[
            tuple[LivingArrangement, bool, bool, bool, EconomicStatus, int],
            tuple[int, tuple[Reason, ...]],
        ] = {}
        self.home: dict[tuple[object, ...], tuple[int, tuple[Reason, ...]]] = {}
        self.interventions: dict[tuple[object, ...], tuple[Intervention, ...]] = {}

    def assess(self, profile: ElderlyProfile) -> ElderlyAssessment:
        rules = self.rules
        age = age_on(profile.birth_date, self.on)
        if age < rules.min_age:
            raise NotEligibleError(
                f"elderly record {profile.id!r} is {age} on {self.on.isoformat()}; the risk"
                f" assessment applies from age {rules.min_age}"
            )
        ability_result = self._ability(profile)
        if ability_result is None:
            ability = profile.ability_level or 0
            source: int | str | None = None
        else:
            # The effective level (spec §2): computed from the items, which a recorded
            # level must agree with. Checked here, not in the profile: the thresholds
            # are the policy's, dated.
            ability = ability_result.final_level
            recorded = profile.ability_level
            if recorded is not None and recorded != ability:
                raise InvalidInputError.at(
                    "$.ability_level",
                    f"expected null or {ability}, the level computed from ability_items"
                    f" (GB/T 42195-2022) on {self.on.isoformat()}, got {recorded}",
                )
            # A coma gives level 4 whatever the total (which is null when items are).
            coma = any(r.code == "coma" for r in ability_result.reasons)
            source = "coma" if coma else ability_result.total
        arrangement = profile.living_arrangement
        alone = arrangement is LivingArrangement.ALONE
        institution = arrangement is LivingArrangement.INSTITUTION
        left_behind = profile.left_behind and not institution
        falls = profile.falls_last_12_months
        economic = profile.economic_status
        home = profile.home

        health_key = (
            ability,
            source,
            profile.dementia,
            profile.severe_disability,
            profile.chronic_conditions,
            falls,
        )
        health = self.health.get(health_key) or _remember(
            self.health, health_key, self._health(*health_key)
        )
        social_key = (
            arrangement,
            left_behind,
            profile.has_emergency_contact,
            profile.special_family,
            economic,
            age,
        )
        social = self.social.get(social_key) or _remember(
            self.social, social_key, self._social(*social_key)
        )
        key: tuple[object, ...]
        if institution:
            key = ()
        else:
            stairs = (
                home.floor >= rules.stairs_min_floor
                and not home.elevator
                and ability >= rules.stairs_min_ability
            )
            key = (
                home.smoke_alarm,
                home.safe_wiring,
                home.grab_bars,
                home.floor if stairs else None,
            )
        home_part = self.home.get(key) or _remember(self.home, key, self._home(*key))

        score = health[0] + social[0] + home_part[0]
        score_tier = (
            RiskTier.RED
            if score >= rules.red_min
            else RiskTier.YELLOW
            if score >= rules.yellow_min
            else RiskTier.GREEN
        )
        # Floors: listed whenever their condition holds; they only raise the tier.
        limited_support = alone or arrangement is LivingArrangement.WITH_SPOUSE_ONLY or left_behind
        floor_key = (
            age >= rules.very_old_age and limited_support,
            profile.dementia and alone,
            falls >= rules.repeated_falls_min and alone,
            limited_support
            or ability >= rules.special_difficulty_min_ability
            or profile.severe_disability
            or profile.special_family
            or economic is EconomicStatus.EXTREME_POVERTY,
        )
        floors, guaranteed = _FLOORS_HOLDING[floor_key]
        tier = (
            guaranteed
            if guaranteed is not None and guaranteed.rank > score_tier.rank
            else score_tier
        )

        at_home = not institution
        key = (
            tier,
            at_home and not home.smoke_alarm,
            at_home and not home.safe_wiring,
            at_home
            and not home.grab_bars
            and (ability >= rules.grab_bar_min_ability or falls >= rules.grab_bar_min_falls),
            alone
            and (
                ability >= rules.emergency_call_min_ability or age >= rules.emergency_call_min_age
            ),
            age >= rules.health_check_min_age,
            profile.chronic_conditions >= rules.chronic_care_min_conditions,
            tier is RiskTier.RED and alone,
        )
        interventions = self.interventions.get(key)
        if interventions is None:
            interventions = _remember(self.interventions, key, self._interventions(*key))
        return _new_assessment(
            profile.id,
            self.on,
            age,
            tier,
            score_tier,
            score,
            FrozenMapping.adopt({"health": health[0], "social": social[0], "home": home_part[0]}),
            health[1] + social[1] + home_part[1] + floors,
            interventions,
            self.version,
            profile.grid,
            ability_result,
        )

    def _ability(self, profile: ElderlyProfile) -> AbilityAssessment | None:
        """The GB/T 42195-2022 assessment of the profile's items (None without items)."""
        items = profile.ability_items
        if items is None:
            return None
        key = (
            items,
            profile.dementia,
            profile.psychiatric_disorder,
            profile.care_risk_events_30_days,
        )
        found = self.ability.get(key)
        if found is None:
            found = _remember(
                self.ability,
                key,
                ability_of(
                    items,
                    dementia=profile.dementia,
                    psychiatric_disorder=profile.psychiatric_disorder,
                    care_risk_events_30_days=profile.care_risk_events_30_days,
                    rules=self.rules,
                    policy_version=self.version,
                    on=self.on,
                ),
            )
        return found

    def _health(
        self,
        ability: int,
        source: int | str | None,
        dementia: bool,
        severe_disability: bool,
        chronic: int,
        falls: int,
    ) -> tuple[int, tuple[Reason, ...]]:
        rules = self.rules
        reasons: list[Reason] = []
        if ability:
            reasons.append(
                _reason("ability_level", "health", rules.ability_points[ability], (ability, source))
            )
        if dementia:
            reasons.append(_reason("dementia", "health", rules.dementia_points))
        if severe_disability:
            reasons.append(_reason("severe_disability", "health", rules.severe_disability_points))
        pts = Band.points_for(rules.chronic_bands, chronic)
        if pts:
            reasons.append(_reason("chronic_conditions", "health", pts, chronic))
        pts = Band.points_for(rules.falls_bands, falls)
        if pts:
            reasons.append(_reason("falls", "health", pts, falls))
        return _total(reasons)

    def _social(
        self,
        arrangement: LivingArrangement,
        left_behind: bool,
        has_emergency_contact: bool,
        special_family: bool,
        economic: EconomicStatus,
        age: int,
    ) -> tuple[int, tuple[Reason, ...]]:
        rules = self.rules
        reasons: list[Reason] = []
        if arrangement is LivingArrangement.ALONE:
            reasons.append(_reason("living_alone", "social", rules.living_alone_points))
        elif arrangement is LivingArrangement.WITH_SPOUSE_ONLY:
            reasons.append(_reason("empty_nest", "social", rules.empty_nest_points))
        if left_behind:
            reasons.append(_reason("left_behind", "social", rules.left_behind_points))
        if not has_emergency_contact:
            reasons.append(
                _reason("no_emergency_contact", "social", rules.no_emergency_contact_points)
            )
        if special_family:
            reasons.append(_reason("special_family", "social", rules.special_family_points))
        if economic is not EconomicStatus.NONE:
            pts = (
                rules.low_income_points
                if economic is EconomicStatus.LOW_INCOME
                else rules.extreme_poverty_points
            )
            reasons.append(_reason("economic_hardship", "social", pts, economic.value))
        pts = Band.points_for(rules.advanced_age_bands, age)
        if pts:
            reasons.append(_reason("advanced_age", "social", pts, age))
        return _total(reasons)

    def _home(self, *hazards: object) -> tuple[int, tuple[Reason, ...]]:
        """The home dimension: no hazards are counted in an institution (no ``hazards``).

        Every hazard is listed; the dimension counts at most ``home_cap`` points, so each
        reason carries the points that counted, and a capped one says so.
        """
        if not hazards:
            return 0, ()
        smoke_alarm, safe_wiring, grab_bars, stairs_floor = hazards
        rules = self.rules
        found: list[tuple[bool, str, int, object]] = [
            (not smoke_alarm, "no_smoke_alarm", rules.no_smoke_alarm_points, ""),
            (not safe_wiring, "unsafe_wiring", rules.unsafe_wiring_points, ""),
            (not grab_bars, "no_grab_bars", rules.no_grab_bars_points, ""),
            (
                stairs_floor is not None,
                "stairs_without_elevator",
                rules.stairs_without_elevator_points,
                stairs_floor,
            ),
        ]
        reasons: list[Reason] = []
        score = 0
        for holds, code, pts, detail in found:
            if holds:
                counted = min(pts, rules.home_cap - score)
                effect = _CAP_NOTE.format(rules.home_cap) if counted < pts else None
                reasons.append(_reason(code, "home", counted, detail, effect))
                score += counted
        return _total(reasons)

    def _interventions(self, tier: RiskTier, *wanted: bool) -> tuple[Intervention, ...]:
        level = self.rules.intervention_urgency[tier]
        return tuple(
            Intervention(code=code, category=code, urgency=level, reason=why)
            for (code, why), holds in zip(_INTERVENTION_RULES, wanted, strict=True)
            if holds
        )


_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(memo: dict[_K, _V], key: _K, value: _V) -> _V:
    """``value``, kept in ``memo`` under ``key`` while the memo is under its limit."""
    if len(memo) < _MEMO_LIMIT:
        memo[key] = value
    return value


def _total(reasons: list[Reason]) -> tuple[int, tuple[Reason, ...]]:
    return sum(r.points or 0 for r in reasons), tuple(reasons)


# (code, the condition that calls for it), in the order of spec §2.
_INTERVENTION_RULES = (
    ("smoke_alarm_install", "no_smoke_alarm"),
    ("rewiring", "unsafe_wiring"),
    ("grab_bar_install", "no_grab_bars"),
    ("emergency_call_device", "living_alone"),
    ("health_check", "age"),
    ("chronic_care", "chronic_conditions"),
    ("companionship", "red_living_alone"),
)


def assess_many(
    profiles: Iterable[ElderlyProfile | Mapping[str, object]],
    *,
    on: date,
    policy: Policy | None = None,
    path: str = "$",
) -> Iterator[ElderlyAssessment | Rejection]:
    """Assess many records lazily, yielding a result or a rejection for each, in order.

    Records may be :class:`ElderlyProfile` objects or plain dicts (structured
    on the way). A record that cannot be assessed (invalid, or under 60) is
    yielded as a :class:`~community_care.reasons.Rejection` with its path
    (``$[3]``) and the batch goes on. Nothing is held beyond the current record
    but a bounded memo of the outcomes already worked out, so a million profiles
    need no more memory than a thousand.

    Examples:
        >>> rows = [{"id": "a", "birth_date": "1950-01-01", "living_arrangement": "alone"},
        ...         {"id": "b", "birth_date": "1990-01-01", "living_arrangement": "alone"}]
        >>> [getattr(r, "tier", None) or r.code for r in assess_many(rows, on=date(2026, 1, 1))]
        [<RiskTier.YELLOW: 'yellow'>, 'not_eligible']
    """
    # Checked here, not in the generator, so that misuse fails at the call.
    records = check_iterable("assess_many", "profiles", profiles, "[ElderlyProfile(...), {...}]")
    check_date("assess_many", "on", on)
    policy = check_policy("assess_many", policy) or default_policy()
    return _assess_each(records, on, policy, path)


def _assess_each(
    profiles: Iterable[ElderlyProfile | Mapping[str, object]], on: date, policy: Policy, path: str
) -> Iterator[ElderlyAssessment | Rejection]:
    assess = _Assessor(policy.at(on).elderly, policy.version, on).assess
    for i, record in enumerate(profiles):
        try:
            yield assess(
                record if isinstance(record, ElderlyProfile) else structure(record, ElderlyProfile)
            )
        except InvalidInputError as exc:
            where = f"{path}[{i}]"
            yield Rejection(
                id=_raw_id(record),
                path=where,
                code="invalid_input",
                message=str(exc.under(where)),
            )
        except NotEligibleError as exc:
            yield Rejection(
                id=_raw_id(record), path=f"{path}[{i}]", code="not_eligible", message=str(exc)
            )


def _raw_id(record: object) -> str | None:
    if isinstance(record, ElderlyProfile):
        return record.id
    value = record.get("id") if isinstance(record, Mapping) else None
    return value if isinstance(value, str) else None


def explain(assessment: ElderlyAssessment, lang: Lang = "zh") -> str:
    """A short text a caseworker can paste into a case file.

    When the level was computed from GB/T 42195-2022 item scores, the text says so:
    the total, the dimension subtotals, the level and the reasons for it.

    Examples:
        >>> p = ElderlyProfile(id="e1", birth_date=date(1950, 3, 1), living_arrangement="alone")
        >>> print(explain(assess_elderly(p, on=date(2026, 11, 29)), "en"))
        e1, aged 76, on 2026-11-29: tier yellow (score 3; at least yellow by special_difficulty)
        - lives alone (+3)
        - older person in special difficulty (monthly visits are the national goal): at least yellow
        Recommended: free annual health check.
        Policy spec-v2.
    """
    a = check_instance(
        "explain", "assessment", assessment, ElderlyAssessment, "assess_elderly(...)"
    )
    lang = check_lang("explain", lang)
    floors = [r for r in a.reasons if r.dimension == "floor" and r.effect == a.tier.value]
    raised = a.tier is not a.score_tier and floors
    if lang == "zh":
        head = (
            f"{a.resident_id}，{a.age} 岁，{a.on.isoformat()}：{word(a.tier, 'zh')}（评分 {a.score}"
        )
        head += f"；由 {floors[0].code} 提升至{word(a.tier, 'zh')}）" if raised else "）"
    else:
        head = f"{a.resident_id}, aged {a.age}, on {a.on.isoformat()}: tier {a.tier.value}"
        head += f" (score {a.score}"
        head += f"; at least {a.tier.value} by {floors[0].code})" if raised else ")"
    lines = [head]
    if a.ability is not None:
        lines.extend(_ability_lines(a.ability, lang))
    for r in a.reasons:
        text = r.message(lang)
        if r.points is not None:
            text += f" (+{r.points})"
        if r.effect and r.dimension != "floor":
            text += f" [{r.effect}]"
        lines.append(f"- {text}")
    if a.interventions:
        names = ("、" if lang == "zh" else ", ").join(i.message(lang) for i in a.interventions)
        lines.append(
            ("建议：" if lang == "zh" else "Recommended: ")
            + names
            + ("。" if lang == "zh" else ".")
        )
    lines.append(
        ("政策版本 " if lang == "zh" else "Policy ")
        + a.policy_version
        + ("。" if lang == "zh" else ".")
    )
    return "\n".join(lines)


def _ability_lines(ability: AbilityAssessment, lang: Lang) -> list[str]:
    """Where the ability level came from: the GB/T 42195-2022 items, their total and why."""
    sep = "、" if lang == "zh" else ", "
    subtotals = sep.join(
        f"{word(f'ability.{d}', lang)} {'-' if v is None else v}"
        for d, v in ability.dimensions.items()
    )
    total = "-" if ability.total is None else ability.total
    if lang == "zh":
        head = (
            f"能力评估（GB/T 42195-2022）：总分 {total}（{subtotals}），"
            f"等级 {ability.final_level}，{word(f'ability.level.{ability.final_level}', lang)}"
        )
    else:
        head = (
            f"Ability assessment (GB/T 42195-2022): total {total} ({subtotals}),"
            f" level {ability.final_level}, {word(f'ability.level.{ability.final_level}', lang)}"
        )
    return [head, *(f"  · {r.message(lang)}" for r in ability.reasons)]
