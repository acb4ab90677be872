"""The readable text report of a community plan, in Chinese or English (the ``demo`` output).

Pure: it takes a plan (and the snapshot, for masked names) and returns text.
Names are always masked; resident ID numbers and phones never appear.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import timedelta

from community_care.children import ChildProfile
from community_care.community import ChildCase, CommunityPlan, CommunitySnapshot
from community_care.elderly import ElderlyProfile
from community_care.identity import mask_name
from community_care.reasons import Lang

__all__ = ["render_text"]

_T: dict[str, tuple[str, str]] = {
    "title": ("社区关爱计划：{name}，{on}", "Community care plan: {name}, {on}"),
    "policy": ("政策版本 {v}", "policy {v}"),
    "elderly": ("一、老年人风险分级（{n} 人已评估）",
                "1. Older residents' risk tiers ({n} assessed)"),
    "tiers": ("红色 {red}，黄色 {yellow}，绿色 {green}",
              "red {red}, yellow {yellow}, green {green}"),
    "red_list": ("红色名单：", "Red list:"),
    "children": ("二、困境儿童（{n} 人在册，{k} 人处于困境）",
                 "2. Children ({n} recorded, {k} in difficulty)"),
    "review": ("复评 {d}", "review {d}"),
    "matching": ("三、五社联动需求对接（{n} 项需求，已对接 {m} 项）",
                 "3. Five-party linkage ({n} needs, {m} met)"),
    "met_by": ("按紧急程度已对接：", "Met by urgency: "),
    "by_party": ("按参与方：", "By party: "),
    "unmet": ("未对接需求（按原因）：", "Unmet needs by reason: "),
    "caring": ("爱心妈妈结对：{m} / {n}", "Caring-mother pairing: {m} of {n}"),
    "week": ("四、本周探访（{a} 至 {b}，共 {n} 次）",
             "4. This week's visits ({a} to {b}, {n} visits)"),
    "provisional": ("（含 {n} 次按临时日历推算，节假日安排公布后可能调整）",
                    "({n} computed on the provisional calendar; they may move once the"
                    " holiday notice is out)"),
    "overdue": ("五、逾期与升级（逾期 {o}，升级督办 {e}）",
                "5. Overdue and escalated ({o} overdue, {e} escalated)"),
    "late": ("逾期 {d} 天", "{d} days late"),
    "hazards": ("六、超期未整改隐患（{n} 处）", "6. Hazards past their deadline ({n})"),
    "kpis": ("七、近 12 个月指标（{a} 至 {b}）", "7. KPIs of the last 12 months ({a} to {b})"),
    "rejections": ("未能使用的记录（{n} 条）：", "Records not used ({n}):"),
    "more": ("……另有 {n} 项", "... and {n} more"),
}  # fmt: skip

_KPI_NAMES: dict[str, tuple[str, str]] = {
    "activities": ("服务活动", "activities"),
    "person_times": ("服务人次", "person-times"),
    "unique_beneficiaries": ("受益居民（去重）", "unique beneficiaries"),
    "problems_resolved": ("解决急难愁盼问题", "problems resolved"),
    "median_days_to_resolve": ("解决用时中位数（天）", "median days to resolve"),
    "hazards_found": ("发现隐患", "hazards found"),
    "hazards_rectified_on_time": ("按时整改隐患", "hazards rectified on time"),
    "proactive_share": ("主动发现占比", "proactive share"),
    "multi_party_share": ("多方参与占比", "multi-party share"),
    "visit_on_time_rate": ("按时探访率", "visits on time"),
}


def _t(key: str, lang: Lang, **values: object) -> str:
    zh, en = _T[key]
    return (zh if lang == "zh" else en).format(**values)


def _figure(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1%}" if value <= 1 else f"{value:.1f}"
    return str(value)


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
    """
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
    out.append(_t("title", lang, name=plan.community.name, on=on.isoformat()))
    out.append(_t("policy", lang, v=plan.policy_version))
    out.append("")

    tiers = Counter(a.tier.value for a in plan.elderly)
    out.append(_t("elderly", lang, n=len(plan.elderly)))
    out.append("  " + _t("tiers", lang, **{t: tiers.get(t, 0) for t in ("red", "yellow", "green")}))
    out.append("  " + _t("red_list", lang))
    reds = sorted((a for a in plan.elderly if a.tier.value == "red"),
                  key=lambda a: (-a.score, a.resident_id))  # fmt: skip
    rows(
        [
            f"{a.resident_id} {names.get(a.resident_id, '')} {a.age} "
            + (f"score {a.score}: " if lang == "en" else f"评分 {a.score}：")
            + ("、" if lang == "zh" else ", ").join(r.message(lang) for r in a.reasons[:3])
            for a in reds
        ]
    )
    out.append("")

    in_difficulty = [c for c in plan.children if c.plan is not None]
    out.append(_t("children", lang, n=len(plan.children), k=len(in_difficulty)))
    rows(
        [
            f"{c.assessment.child_id} {names.get(c.assessment.child_id, '')} "
            f"[{c.assessment.risk.value if c.assessment.risk else '-'}] "
            + ",".join(sorted(k.value for k in c.assessment.categories))
            + " → "
            + ",".join(a.code for a in c.plan.actions)
            + "; "
            + _t("review", lang, d=c.plan.review_on.isoformat())
            for c in sorted(in_difficulty, key=_child_order)
            if c.plan is not None
        ]
    )
    out.append("")

    m = plan.matching
    out.append(_t("matching", lang, n=len(plan.needs), m=len(m.assignments)))
    out.append("  " + _t("met_by", lang) + _counts(m.met_by_urgency))
    parties = Counter(p.party.value for p in m.pairs)
    out.append("  " + _t("by_party", lang) + _counts(parties))
    reasons = Counter(r.code for r in m.unmatched.values())
    out.append("  " + _t("unmet", lang) + _counts(reasons))
    urgent_unmet = [
        f"{need_id}: {reason.message(lang)}"
        for need_id, reason in m.unmatched.items()
        if _urgency(plan, need_id) in ("critical", "high")
    ]
    rows(urgent_unmet)
    caring_needs = len(plan.caring_mothers.assignments) + len(plan.caring_mothers.unmatched)
    out.append("  " + _t("caring", lang, m=len(plan.caring_mothers.assignments), n=caring_needs))
    out.append("")

    week_end = on + timedelta(days=6)
    week = [v for v in plan.visits if on <= v.on <= week_end]
    out.append(_t("week", lang, a=on.isoformat(), b=week_end.isoformat(), n=len(week)))
    rows([f"{v.on.isoformat()} {v.case_id} {names.get(v.case_id, '')} ({v.kind} {v.level})"
          + (" *" if v.provisional else "") for v in week])  # fmt: skip
    provisional = sum(v.provisional for v in plan.visits)
    if provisional:
        out.append("  " + _t("provisional", lang, n=provisional))
    out.append("")

    escalated = [c for c in plan.overdue if c.status.value == "escalated"]
    out.append(_t("overdue", lang, o=len(plan.overdue) - len(escalated), e=len(escalated)))
    rows([f"{c.case_id} {names.get(c.case_id, '')} ({c.kind.value} {c.level}) "
          f"{c.due.isoformat()} {_t('late', lang, d=c.days_late)} [{c.status.value}]"
          for c in plan.overdue])  # fmt: skip
    out.append("")

    out.append(_t("hazards", lang, n=len(plan.hazards_overdue)))
    rows([f"{h.id} {h.kind.value} {h.building} ({h.grid}) {h.found_on.isoformat()}"
          for h in plan.hazards_overdue])  # fmt: skip
    out.append("")

    k = plan.kpis
    out.append(_t("kpis", lang, a=k.start.isoformat(), b=k.end.isoformat()))
    for name, value in k.as_dict().items():
        zh, en = _KPI_NAMES[name]
        out.append(f"  {zh if lang == 'zh' else en}: {_figure(value)}")
    if plan.rejections:
        out.append("")
        out.append(_t("rejections", lang, n=len(plan.rejections)))
        rows([f"{r.path} ({r.code}): {r.message}" for r in plan.rejections])
    return "\n".join(out) + "\n"


def _child_order(case: object) -> tuple[int, str]:

    assert isinstance(case, ChildCase)
    rank = {"high": 0, "medium": 1, "low": 2}
    risk = case.assessment.risk
    return (rank.get(risk.value, 3) if risk else 3, case.assessment.child_id)


def _urgency(plan: CommunityPlan, need_id: str) -> str:
    for need in plan.needs:
        if need.id == need_id:
            return need.urgency.value
    return ""


def _counts(counter: Mapping[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items()))
