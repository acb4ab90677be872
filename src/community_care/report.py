"""The readable text report of a community plan, in Chinese or English (the ``demo`` output).

Pure: it takes a plan (and the snapshot, for masked names) and returns text.
Names are always masked; resident ID numbers and phones never appear. Every word comes
from the one catalogue (:mod:`community_care._kernel.text`): the Chinese report shows
Chinese words only and the English report English words only, apart from names, ids
and the community's name, which are data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import timedelta

from community_care._kernel.checks import check_instance, check_lang
from community_care._kernel.text import word, word_or
from community_care.children import ChildCategory, ChildProfile
from community_care.community import ChildCase, CommunityPlan, CommunitySnapshot
from community_care.elderly import ElderlyProfile, RiskTier
from community_care.followup import CaseKind, FollowUpStatus
from community_care.identity import mask_name
from community_care.linkage import UNMATCHED_REASONS
from community_care.reasons import Lang
from community_care.vocab import PartyKind, Urgency

__all__ = ["render_text"]


def _t(key: str, lang: Lang, **values: object) -> str:
    return word(f"report.{key}", lang, **values)


def _figure(name: str, value: object, lang: Lang) -> str:
    """A KPI value: a share as a percentage, the median as days, a count as it is."""
    if value is None:
        return "-"
    if name == "median_days_to_resolve":
        return _t("days", lang, n=f"{float(value):g}" if isinstance(value, float) else value)
    if isinstance(value, float):
        return f"{value:.1%}"
    return str(value)


def _level(kind: CaseKind | str, level: str, lang: Lang) -> str:
    """A case's level in words: a tier for an older resident, a risk for a child."""
    family = "RiskTier" if kind == CaseKind.ELDERLY else "ChildRisk"
    return word_or(f"{family}.{level}", lang, level)


def render_text(
    plan: CommunityPlan, snapshot: CommunitySnapshot | None = None, *, lang: Lang = "zh",
    limit: int = 12,
) -> str:  # fmt: skip
    """The plan as a readable report; names masked, never an ID number or a phone.

    Args:
        plan: the plan.
        snapshot: the snapshot it was made from, for the (masked) names of people.
        lang: ``"zh"`` or ``"en"``.
        limit: how many rows each list shows before "... and N more".

    Raises:
        InvalidArgumentError: ``plan`` is not a plan, or ``lang`` is not ``"zh"`` or ``"en"``.
    """
    check_instance("render_text", "plan", plan, CommunityPlan, "plan_community(...)")
    check_lang("render_text", lang)
    names: dict[str, str] = {}
    if snapshot is not None:
        people: list[ElderlyProfile | ChildProfile] = [*snapshot.elderly, *snapshot.children]
        for person in people:
            if person.name:
                names[person.id] = mask_name(person.name)
    out: list[str] = []

    def rows(items: list[str]) -> None:
        out.extend(f"  {row}" for row in items[:limit])
        if len(items) > limit:
            out.append("  " + _t("more", lang, n=len(items) - limit))

    on = plan.on
    sep, counts_sep = _t("list_sep", lang), _t("count_sep", lang)

    def counts(items: Mapping[str, int], prefix: str, order: Sequence[str]) -> str:
        # In the given order (an enum's, the spec's), unknown codes last.
        rank = {code: n for n, code in enumerate(order)}
        ordered = sorted(items.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))
        return counts_sep.join(f"{word_or(prefix + code, lang, code)} {n}" for code, n in ordered)

    out.append(_t("title", lang, name=plan.community.name, on=on.isoformat()))
    out.append(_t("policy", lang, v=plan.policy_version))
    out.append("")

    if plan.mandatory_reports:
        # The committee's legal duty comes first (未成年人保护法 Art. 11): whom to call, since when.
        out.append(_t("mandatory", lang, n=len(plan.mandatory_reports)))
        rows([_t("mandatory_row", lang, id=r.child_id, name=names.get(r.child_id, ""),
                 due=r.due_on.isoformat(), d=r.days_overdue)
              for r in plan.mandatory_reports])  # fmt: skip
        out.append("")

    # Reports use the level a caseworker set over the computed one (spec §7), marked.
    tiers = Counter(a.effective_tier.value for a in plan.elderly)
    out.append(_t("elderly", lang, n=len(plan.elderly)))
    out.append("  " + _t("tiers", lang, **{t.value: tiers.get(t.value, 0) for t in RiskTier}))
    computed = Counter(a.ability.final_level for a in plan.elderly if a.ability is not None)
    if computed:
        levels = sep.join(
            _t("ability_level", lang, level=k, n=computed[k]) for k in sorted(computed)
        )
        n = computed.total()
        out.append("  " + _t("ability", lang, n=n, levels=levels, m=len(plan.elderly) - n))
    out.append("  " + _t("red_list", lang))
    reds = sorted((a for a in plan.elderly if a.effective_tier is RiskTier.RED),
                  key=lambda a: (-a.score, a.resident_id))  # fmt: skip
    rows(
        [
            _t("red_row", lang, id=a.resident_id, name=names.get(a.resident_id, ""), age=a.age,
               score=a.score, reasons=sep.join(r.message(lang) for r in a.reasons[:3]))
            + (_t("overridden", lang, was=word(a.tier, lang)) if a.override else "")
            for a in reds
        ]
    )  # fmt: skip
    overridden = sum(a.override is not None for a in plan.elderly)
    overridden += sum(c.assessment.override is not None for c in plan.children)
    if overridden:
        out.append("  " + _t("overrides", lang, n=overridden))
    out.append("")

    in_difficulty = [c for c in plan.children if c.plan is not None]
    out.append(_t("children", lang, n=len(plan.children), k=len(in_difficulty)))
    rows(
        [
            _t("child_row", lang, id=c.assessment.child_id,
               name=names.get(c.assessment.child_id, ""),
               risk=_risk(c, lang),
               categories=sep.join(word(k, lang) for k in ChildCategory
                                   if k in c.assessment.categories),
               actions=sep.join(word_or(f"category.{a.code}", lang, a.code)
                                for a in c.plan.actions),
               review=c.plan.review_on.isoformat())
            for c in sorted(in_difficulty, key=_child_order)
            if c.plan is not None
        ]
    )  # fmt: skip
    out.append("")

    m = plan.matching
    out.append(_t("matching", lang, n=len(plan.needs), m=len(m.assignments)))
    urgencies = [u.value for u in Urgency]
    out.append("  " + _t("met_by", lang, counts=counts(m.met_by_urgency, "Urgency.", urgencies)))
    parties = Counter(p.party.value for p in m.pairs)
    out.append(
        "  "
        + _t("by_party", lang, counts=counts(parties, "PartyKind.", [k.value for k in PartyKind]))
    )
    reasons = Counter(r.code for r in m.unmatched.values())
    out.append("  " + _t("unmet", lang, counts=counts(reasons, "unmatched.", UNMATCHED_REASONS)))
    needs = {need.id: need for need in plan.needs}
    rows(
        [
            _t("unmet_row", lang, id=need_id,
               category=word_or(f"category.{needs[need_id].category}", lang,
                                needs[need_id].category),
               urgency=word(needs[need_id].urgency, lang), grid=needs[need_id].grid,
               reason=word_or(f"unmatched.{reason.code}", lang, reason.code))
            for need_id, reason in m.unmatched.items()
            if needs[need_id].urgency in (Urgency.CRITICAL, Urgency.HIGH)
        ]
    )  # fmt: skip
    caring_needs = len(plan.caring_mothers.assignments) + len(plan.caring_mothers.unmatched)
    out.append("  " + _t("caring", lang, m=len(plan.caring_mothers.assignments), n=caring_needs))
    out.append("")

    week_end = on + timedelta(days=6)
    week = [v for v in plan.visits if on <= v.on <= week_end]
    out.append(_t("week", lang, a=on.isoformat(), b=week_end.isoformat(), n=len(week)))
    rows([_t("visit_row", lang, on=v.on.isoformat(), id=v.case_id,
             name=names.get(v.case_id, ""), kind=word_or(f"CaseKind.{v.kind}", lang, v.kind),
             level=_level(v.kind, v.level, lang))
          + (" *" if v.provisional else "") for v in week])  # fmt: skip
    provisional = sum(v.provisional for v in plan.visits)
    if provisional:
        out.append("  " + _t("provisional", lang, n=provisional))
    out.append("")

    escalated = [c for c in plan.overdue if c.status is FollowUpStatus.ESCALATED]
    out.append(_t("overdue", lang, o=len(plan.overdue) - len(escalated), e=len(escalated)))
    rows([_t("overdue_row", lang, id=c.case_id, name=names.get(c.case_id, ""),
             kind=word(c.kind, lang), level=_level(c.kind, c.level, lang),
             due=c.due.isoformat(), d=c.days_late, status=word(c.status, lang))
          for c in plan.overdue])  # fmt: skip
    out.append("")

    out.append(_t("hazards", lang, n=len(plan.hazards_overdue)))
    rows([_t("hazard_row", lang, id=h.id, kind=word(h.kind, lang), building=h.building,
             grid=h.grid, found=h.found_on.isoformat())
          for h in plan.hazards_overdue])  # fmt: skip
    out.append("")

    k = plan.kpis
    out.append(_t("kpis", lang, a=k.start.isoformat(), b=k.end.isoformat()))
    for name, value in k.as_dict().items():
        out.append("  " + _t("kpi_row", lang, name=word(f"kpi.{name}", lang),
                             value=_figure(name, value, lang)))  # fmt: skip
    months = sep.join(
        f"{m.month} {_figure('monthly_visit_coverage', m.value, lang)}"
        for m in k.monthly_visit_coverage.by_month
    )
    out.append("  " + _t("coverage_months", lang, months=months or "-"))
    if plan.rejections:
        out.append("")
        out.append(_t("rejections", lang, n=len(plan.rejections)))
        rows([_t("rejection_row", lang, path=r.path,
                 code=word_or(f"rejection.{r.code}", lang, r.code), message=r.message)
              for r in plan.rejections])  # fmt: skip
    return "\n".join(out) + "\n"


def _risk(case: ChildCase, lang: Lang) -> str:
    """A child's risk level in words: the overridden one, marked, else the computed one."""
    a = case.assessment
    risk = a.effective_risk
    text = word(risk, lang) if risk else word("risk.none", lang)
    if a.override is not None:
        text += _t(
            "overridden", lang, was=word(a.risk, lang) if a.risk else word("risk.none", lang)
        )
    return text


def _child_order(case: ChildCase) -> tuple[int, str]:
    """Most at risk first (not in difficulty last), then by id."""
    risk = case.assessment.effective_risk
    return (-risk.rank if risk else 0, case.assessment.child_id)
