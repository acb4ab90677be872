"""The HTML report of a community plan: one self-contained page, in Chinese or English.

:func:`render_html` turns a :class:`~community_care.community.CommunityPlan` (and the
snapshot it was made from, for masked names) into one HTML document that opens
offline: no script, no font or style sheet fetched, every chart an inline SVG. It
shows the KPI tiles, the older residents' tiers and the children's risk levels, the
visits of the next 90 days per week (weeks with provisional dates marked), the needs
met and unmet by urgency, party and category, the resources used, the overdue cases
and the hazards past their deadline.

The chart geometry is computed here, in Python, and the markup is written only by the
Jinja2 templates in ``community_care/templates`` (autoescaped, so a name such as
``<script>`` shows as text). Names are masked with
:func:`~community_care.identity.mask_name`; ID numbers and phones never appear.
Jinja2 is the optional ``html`` extra: ``pip install 'community-care[html]'``.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import attrs

from community_care.children import ChildProfile
from community_care.community import CommunityPlan, CommunitySnapshot
from community_care.elderly import ElderlyProfile
from community_care.errors import InvalidInputError
from community_care.identity import mask_name
from community_care.linkage import UNMATCHED_REASONS
from community_care.reasons import Lang
from community_care.vocab import PartyKind, Urgency

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_html"]

INSTALL_HINT = "pip install 'community-care[html]'"

# Every word of the page, (zh, en). Values in braces are filled in by _Words.
LABELS: dict[str, tuple[str, str]] = {
    "title": ("社区关爱计划", "Community care plan"),
    "subtitle": ("{name} · {on} · 政策版本 {v}", "{name} · {on} · policy {v}"),
    "privacy": ("姓名已脱敏，报告不含身份证号和电话。",
                "Names are masked; no ID numbers or phone numbers appear in this report."),
    "glance": ("概览", "At a glance"),
    "elderly_assessed": ("已评估老年人", "Older residents assessed"),
    "red_tier": ("红色（高风险）", "Red tier (high risk)"),
    "children_recorded": ("在册儿童", "Children recorded"),
    "children_in_difficulty": ("困境儿童", "Children in difficulty"),
    "needs_met": ("需求已对接", "Needs met"),
    "of_total": ("共 {n} 项", "of {n}"),
    "visits_90": ("未来 90 天探访", "Visits, next 90 days"),
    "overdue_cases": ("逾期个案", "Overdue cases"),
    "escalated_note": ("其中升级督办 {n}", "{n} escalated"),
    "hazards_late": ("超期未整改隐患", "Hazards past deadline"),
    "kpis": ("近 12 个月指标", "KPIs of the last 12 months"),
    "kpi_period": ("{a} 至 {b}", "{a} to {b}"),
    "distributions": ("风险分布", "Risk distribution"),
    "tiers": ("老年人风险分级", "Older residents by tier"),
    "risks": ("儿童风险等级", "Children by risk level"),
    "visits": ("未来 90 天每周探访", "Visits per week, next 90 days"),
    "visits_note": ("每周从 {on} 起算；逾期未访的个案计入第一周。",
                    "Weeks start on {on}; visits already overdue count in the first week."),
    "week_of": ("{a} 至 {b}", "{a} to {b}"),
    "overdue_visits": ("已逾期", "overdue"),
    "confirmed_visits": ("按官方日历", "on the official calendar"),
    "provisional_visits": ("按临时日历（*）", "provisional calendar (*)"),
    "provisional_note": ("* 该周含按临时工作日日历推算的日期，节假日安排公布后可能调整。",
                         "* The week has dates from the provisional working-day calendar;"
                         " they may move once the holiday notice is out."),
    "linkage": ("五社联动需求对接", "Five-party linkage: needs met and unmet"),
    "linkage_note": ("共 {n} 项需求（含爱心妈妈结对 {c} 项），已对接 {m} 项。",
                     "{n} needs ({c} caring-mother pairings among them), {m} met."),
    "by_urgency": ("按紧急程度", "By urgency"),
    "by_party": ("已对接需求（按参与方）", "Needs met, by party"),
    "by_category": ("按需求类别", "By category"),
    "met": ("已对接", "met"),
    "unmet": ("未对接", "unmet"),
    "unmet_row": ("未对接", "not met"),
    "unmet_reasons": ("未对接原因", "Why needs are unmet"),
    "reason": ("原因", "Reason"),
    "count": ("数量", "Count"),
    "resources": ("资源使用", "Resources used"),
    "resource": ("资源方", "Resource"),
    "party": ("参与方", "Party"),
    "used_of": ("已分配 / 名额", "Given / capacity"),
    "no_snapshot": ("未提供台账，无法显示资源名称。",
                    "The registry was not given, so resource names cannot be shown."),
    "overdue": ("逾期与升级个案", "Overdue and escalated cases"),
    "overdue_note": ("逾期 {o} 个，升级督办 {e} 个，按逾期天数排列。",
                     "{o} overdue, {e} escalated, most days late first."),
    "case": ("个案", "Case"),
    "name": ("姓名", "Name"),
    "kind": ("类别", "Kind"),
    "level": ("等级", "Level"),
    "due": ("应访日期", "Due"),
    "days_late": ("逾期天数", "Days late"),
    "status": ("状态", "Status"),
    "hazards": ("超期未整改隐患", "Hazards past their deadline"),
    "hazard": ("隐患", "Hazard"),
    "building": ("楼栋", "Building"),
    "grid": ("网格", "Grid"),
    "found_on": ("发现日期", "Found on"),
    "days_open": ("已过天数", "Days since found"),
    "rejections": ("未能使用的记录", "Records not used"),
    "path": ("位置", "Where"),
    "record": ("记录", "Record"),
    "code": ("原因代码", "Code"),
    "none": ("无", "None"),
    "more": ("……另有 {n} 项", "... and {n} more"),
    "footer": ("由 community-care 根据 {on} 的台账生成。",
               "Made by community-care from the registry of {on}."),
    "visits_chart": ("每周探访次数", "Visits per week"),
    "days": ("{n} 天", "{n} days"),
}  # fmt: skip

KPI_LABELS: dict[str, tuple[str, str]] = {
    "activities": ("服务活动", "Service activities"),
    "person_times": ("服务人次", "Person-times served"),
    "unique_beneficiaries": ("受益居民（去重）", "Residents served (unique)"),
    "problems_resolved": ("解决急难愁盼问题", "Urgent problems solved"),
    "median_days_to_resolve": ("解决用时中位数", "Median days to solve"),
    "hazards_found": ("发现隐患", "Hazards found"),
    "hazards_rectified_on_time": ("按时整改隐患", "Hazards fixed on time"),
    "proactive_share": ("主动发现占比", "Found proactively"),
    "multi_party_share": ("多方参与占比", "With several parties"),
    "visit_on_time_rate": ("按时探访率", "Visits on time"),
}

TIER_LABELS: dict[str, tuple[str, str]] = {
    "red": ("红色（高风险）", "red (high risk)"),
    "yellow": ("黄色（重点关注）", "yellow (watch)"),
    "green": ("绿色（一般）", "green (general)"),
}

RISK_LABELS: dict[str, tuple[str, str]] = {
    "high": ("高", "high"),
    "medium": ("中", "medium"),
    "low": ("低", "low"),
    "none": ("非困境", "not in difficulty"),
}

KIND_LABELS: dict[str, tuple[str, str]] = {
    "elderly": ("老年人", "older resident"),
    "child": ("儿童", "child"),
}

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "on_track": ("正常", "on track"),
    "due_soon": ("即将到期", "due soon"),
    "overdue": ("逾期", "overdue"),
    "escalated": ("升级督办", "escalated"),
}

URGENCY_LABELS: dict[str, tuple[str, str]] = {
    "critical": ("紧急", "critical"),
    "high": ("高", "high"),
    "normal": ("一般", "normal"),
    "low": ("低", "low"),
}

PARTY_LABELS: dict[str, tuple[str, str]] = {
    "community_committee": ("社区党委/居委会", "community committee"),
    "member_unit": ("大党委成员单位", "member units"),
    "social_organization": ("社会组织", "social organisations"),
    "volunteer": ("志愿者", "volunteers"),
    "resident": ("居民", "residents"),
    "social_worker": ("社会工作者", "social workers"),
    "charity_resource": ("社会慈善资源", "charity resources"),
}

REASON_LABELS: dict[str, tuple[str, str]] = {
    "no_capable_offer": ("没有提供该服务的资源", "no offer provides the service"),
    "outside_service_area": ("不在资源服务范围内", "outside every offer's area"),
    "not_available_in_time": ("资源无法及时提供", "no offer is available in time"),
    "capacity_taken": ("名额已分配给更紧急的需求", "capacity went to other needs"),
}

HAZARD_LABELS: dict[str, tuple[str, str]] = {
    "tangled_wiring": ("私拉乱接电线", "tangled wiring"),
    "flying_lead_charging": ("飞线充电", "flying-lead charging"),
    "blocked_fire_escape": ("消防通道堵塞", "blocked fire escape"),
    "stairwell_clutter": ("楼道堆物", "stairwell clutter"),
    "gas": ("燃气隐患", "gas"),
    "other": ("其他", "other"),
}

# The need categories of the default catalogues; another category shows as its code.
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "health_check": ("免费体检", "health check"),
    "chronic_care": ("慢病管理", "chronic disease care"),
    "smoke_alarm_install": ("安装烟感", "smoke alarm"),
    "grab_bar_install": ("安装扶手", "grab bars"),
    "rewiring": ("电线改造", "rewiring"),
    "emergency_call_device": ("紧急呼叫设备", "emergency call device"),
    "companionship": ("陪伴探访", "companionship"),
    "micro_wish": ("微心愿", "micro-wish"),
    "material_aid": ("物资帮扶", "material aid"),
    "basic_living_allowance": ("基本生活保障", "basic living allowance"),
    "caring_mother": ("爱心妈妈结对", "caring-mother pairing"),
    "counseling": ("心理辅导", "counselling"),
    "tutoring": ("学业辅导", "tutoring"),
    "education_aid": ("教育资助", "education aid"),
    "early_education": ("早期教育", "early education"),
    "school_reenrolment": ("复学", "school re-enrolment"),
    "vocational_guidance": ("职业指导", "vocational guidance"),
    "practice_education": ("实践教育", "practice education"),
    "guardianship_assessment": ("监护评估", "guardianship assessment"),
    "rehabilitation": ("康复", "rehabilitation"),
    "medical_aid": ("医疗救助", "medical aid"),
    "fire_safety": ("消防安全", "fire safety"),
    "emergency_training": ("应急演练", "emergency drills"),
    "handrail_install": ("楼道扶手", "stairwell handrails"),
    "stairwell_lighting": ("楼道照明", "stairwell lighting"),
    "tree_trimming": ("树木修剪", "tree trimming"),
    "pump_repair": ("水泵维修", "water-pump repair"),
    "ev_charging": ("充电桩", "EV charging"),
    "cleanup": ("环境清理", "clean-up"),
    "sewing": ("缝补", "sewing"),
}

# How many rows the long tables show before "... and N more".
TABLE_LIMIT = 60
RESOURCE_LIMIT = 12
REJECTION_LIMIT = 20


def render_html(
    plan: CommunityPlan, snapshot: CommunitySnapshot | None = None, *, lang: Lang = "zh"
) -> str:
    """The plan as one self-contained HTML page (no script, no network), names masked.

    Pure: the same plan gives the same text; it reads nothing but its packaged template.

    Args:
        plan: the plan, from :func:`~community_care.community.plan_community`.
        snapshot: the snapshot the plan was made from, for the masked names of people and
            the names of the resources; without it those columns stay empty.
        lang: ``"zh"`` (Chinese) or ``"en"`` (English): every label of the page.

    Returns:
        The HTML document.

    Raises:
        ImportError: Jinja2 is not installed (``pip install 'community-care[html]'``).
        InvalidInputError: ``lang`` is not ``"zh"`` or ``"en"``.
    """
    try:
        import jinja2  # noqa: F401  (checked here so the error names the extra)
    except ImportError as exc:
        raise ImportError(
            f"render_html needs Jinja2, an optional dependency: {INSTALL_HINT}"
        ) from exc
    if lang not in ("zh", "en"):
        raise InvalidInputError.at("lang", f"expected 'zh' or 'en', got {lang!r}")
    template = _environment().get_template("report.html.j2")
    return template.render(_context(plan, snapshot, lang))


@functools.cache
def _environment() -> jinja2.Environment:
    """The Jinja2 environment, autoescaping everything, templates read from the package."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("community_care", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class _Words:
    """The labels of one language: ``words("key", n=3)`` or ``words.pick(table, code)``."""

    def __init__(self, lang: Lang) -> None:
        self.index = 0 if lang == "zh" else 1

    def __call__(self, key: str, **values: object) -> str:
        return LABELS[key][self.index].format(**values)

    def pick(self, table: Mapping[str, tuple[str, str]], code: str) -> str:
        pair = table.get(code)
        return code if pair is None else pair[self.index]


# ----------------------------------------------------------------------------------------
# Chart geometry. Coordinates are SVG user units; the templates only place them.


@attrs.frozen(kw_only=True)
class Segment:
    """A rectangle of a bar: where it is, its colour class and its tooltip."""

    x: float
    y: float
    width: float
    height: float
    css: str
    title: str
    hatched: bool = False


@attrs.frozen(kw_only=True)
class BarRow:
    """One row of a horizontal bar chart: its label, its segments and its value text."""

    label: str
    text_y: float
    segments: tuple[Segment, ...]
    value: str
    value_x: float


@attrs.frozen(kw_only=True)
class LegendItem:
    """A swatch of a chart's legend."""

    label: str
    css: str
    hatched: bool = False


@attrs.frozen(kw_only=True)
class BarChart:
    """A horizontal bar chart (rows of stacked segments)."""

    id: str
    title: str
    width: int
    height: int
    label_x: float
    axis_x: float
    rows: tuple[BarRow, ...]
    legend: tuple[LegendItem, ...] = ()

    @property
    def hatched(self) -> bool:
        """Whether a segment is hatched (the chart then defines the hatch pattern)."""
        return any(s.hatched for row in self.rows for s in row.segments)


@attrs.frozen(kw_only=True)
class Column:
    """One column of a column chart: its label, stacked segments and total above it."""

    label: str
    label_x: float
    segments: tuple[Segment, ...]
    total: str
    total_y: float
    marked: bool


@attrs.frozen(kw_only=True)
class Tick:
    """A horizontal grid line of a column chart and its value."""

    y: float
    label: str


@attrs.frozen(kw_only=True)
class ColumnChart:
    """A vertical (column) bar chart with a y axis."""

    id: str
    title: str
    width: int
    height: int
    left: float
    tick_x: float
    right: float
    baseline: float
    label_y: float
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[LegendItem, ...]

    @property
    def hatched(self) -> bool:
        """Whether a segment is hatched (the chart then defines the hatch pattern)."""
        return any(s.hatched for column in self.columns for s in column.segments)


@attrs.frozen(kw_only=True)
class Part:
    """A value of a bar: how much, its colour class, its legend label, whether hatched."""

    value: int
    css: str
    label: str
    hatched: bool = False


def _text_width(text: str, size: float = 12.0) -> float:
    """A rough width of text: wide (CJK) characters a full em, others about half."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.56 for ch in text)


def _num(value: float) -> float:
    """A coordinate rounded to 0.1 unit, so that the markup is short and stable."""
    return round(value, 1)


def bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[Part], str]],
    *,
    width: int = 520,
    legend: Sequence[LegendItem] = (),
) -> BarChart:
    """The geometry of a horizontal bar chart, one row per ``(label, parts, value text)``.

    Bars share one scale: the longest total spans the bar area.

    Args:
        chart_id: the chart's id (unique on the page).
        title: its accessible title.
        rows: each row's label, its stacked parts (left to right) and the text after it.
        width: the chart's width in SVG units.
        legend: the legend under the chart.

    Returns:
        The :class:`BarChart`.
    """
    row_h, bar_h, pad = 24.0, 15.0, 4.0
    label_w = min(max([_text_width(label) for label, _, _ in rows] + [24.0]) + 10, width * 0.45)
    value_w = max([_text_width(text, 11.0) for _, _, text in rows] + [24.0]) + 10
    area = max(width - label_w - value_w, 40.0)
    peak = max([sum(p.value for p in parts) for _, parts, _ in rows] + [1])
    out: list[BarRow] = []
    for i, (label, parts, text) in enumerate(rows):
        top = pad + i * row_h + (row_h - bar_h) / 2
        x = label_w
        segments: list[Segment] = []
        for part in parts:
            w = area * part.value / peak
            if part.value:
                segments.append(
                    Segment(
                        x=_num(x),
                        y=_num(top),
                        width=_num(w),
                        height=bar_h,
                        css=part.css,
                        title=f"{label} · {part.label}: {part.value}"
                        if part.label
                        else f"{label}: {part.value}",
                        hatched=part.hatched,
                    )
                )
            x += w
        out.append(
            BarRow(
                label=label,
                text_y=_num(top + bar_h / 2),
                segments=tuple(segments),
                value=text,
                value_x=_num(x + 6),
            )
        )
    return BarChart(
        id=chart_id,
        title=title,
        width=width,
        height=int(pad * 2 + row_h * len(rows)),
        label_x=_num(label_w - 8),
        axis_x=_num(label_w),
        rows=tuple(out),
        legend=tuple(legend),
    )


def nice_step(peak: int, count: int = 4) -> int:
    """The step of an axis from 0 to ``peak`` in about ``count`` steps: 1, 2 or 5 × 10ⁿ.

    Examples:
        >>> nice_step(0), nice_step(7), nice_step(152), nice_step(1000)
        (1, 2, 50, 250)
    """
    base = 1
    while True:
        for m in (1, 2, 2.5, 5):
            step = int(m * base)
            if step == m * base and step * count >= peak:
                return step
        base *= 10


def column_chart(
    chart_id: str,
    title: str,
    columns: Sequence[tuple[str, Sequence[Part], bool, str]],
    *,
    width: int = 1000,
    height: int = 280,
    legend: Sequence[LegendItem] = (),
) -> ColumnChart:
    """The geometry of a column chart, one column per ``(label, parts, marked, tooltip)``.

    Args:
        chart_id: the chart's id (unique on the page).
        title: its accessible title.
        columns: each column's label, stacked parts (bottom to top), whether it is marked
            (its label gets a ``*``) and the tooltip of its segments.
        width: the chart's width in SVG units.
        height: its height.
        legend: the legend under the chart.

    Returns:
        The :class:`ColumnChart`.
    """
    top, bottom, right = 24.0, 44.0, 8.0
    peak = max([sum(p.value for p in parts) for _, parts, _, _ in columns] + [0])
    step = nice_step(peak)
    axis_top = max(step * -(-peak // step), step)
    left = _text_width(str(axis_top), 11.0) + 14
    plot_h = height - top - bottom
    baseline = top + plot_h
    slot = (width - left - right) / max(len(columns), 1)
    bar_w = slot * 0.64
    out: list[Column] = []
    for i, (label, parts, marked, tip) in enumerate(columns):
        x = left + i * slot + (slot - bar_w) / 2
        y = baseline
        segments: list[Segment] = []
        for part in parts:
            h = plot_h * part.value / axis_top
            y -= h
            if part.value:
                segments.append(
                    Segment(
                        x=_num(x),
                        y=_num(y),
                        width=_num(bar_w),
                        height=_num(h),
                        css=part.css,
                        title=f"{tip} · {part.label}: {part.value}",
                        hatched=part.hatched,
                    )
                )
        total = sum(p.value for p in parts)
        out.append(
            Column(
                label=label + ("*" if marked else ""),
                label_x=_num(left + i * slot + slot / 2),
                segments=tuple(segments),
                total=str(total),
                total_y=_num(y - 5),
                marked=marked,
            )
        )
    ticks = tuple(
        Tick(y=_num(baseline - plot_h * v / axis_top), label=str(v))
        for v in range(0, axis_top + 1, step)
    )
    return ColumnChart(
        id=chart_id,
        title=title,
        width=width,
        height=height,
        left=_num(left),
        tick_x=_num(left - 6),
        right=_num(width - right),
        baseline=_num(baseline),
        label_y=_num(baseline + 18),
        columns=tuple(out),
        ticks=ticks,
        legend=tuple(legend),
    )


# ----------------------------------------------------------------------------------------
# The page's content.


def _figure(name: str, value: object, words: _Words) -> str:
    """A KPI value as shown on its tile."""
    if value is None:
        return "—"
    if name == "median_days_to_resolve":
        return words("days", n=f"{float(value):g}" if isinstance(value, float) else value)
    if isinstance(value, float):
        return f"{value:.1%}"
    return str(value)


def _share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else str(part)


def _names(snapshot: CommunitySnapshot | None) -> dict[str, str]:
    """Masked names by registry id (never the name itself, an ID number or a phone)."""
    if snapshot is None:
        return {}
    people: list[ElderlyProfile | ChildProfile] = [*snapshot.elderly, *snapshot.children]
    return {p.id: mask_name(p.name) for p in people if p.name}


def _tiles(plan: CommunityPlan, words: _Words) -> list[dict[str, str]]:
    """The tiles of the "at a glance" row."""
    tiers = Counter(a.tier.value for a in plan.elderly)
    in_difficulty = sum(c.plan is not None for c in plan.children)
    needs = len(plan.needs) + len(plan.caring_mothers.assignments)
    needs += len(plan.caring_mothers.unmatched)
    met = len(plan.matching.assignments) + len(plan.caring_mothers.assignments)
    escalated = sum(c.status.value == "escalated" for c in plan.overdue)
    ahead = sum(v.on >= plan.on for v in plan.visits)
    return [
        {"label": words("elderly_assessed"), "value": str(len(plan.elderly)),
         "note": f"{words.pick(TIER_LABELS, 'red')} {tiers.get('red', 0)}", "css": ""},
        {"label": words("children_in_difficulty"), "value": str(in_difficulty),
         "note": f"{words('children_recorded')} {len(plan.children)}", "css": ""},
        {"label": words("needs_met"), "value": str(met), "note": words("of_total", n=needs),
         "css": ""},
        {"label": words("visits_90"), "value": str(ahead), "note": "", "css": ""},
        {"label": words("overdue_cases"), "value": str(len(plan.overdue)),
         "note": words("escalated_note", n=escalated),
         "css": "alert" if plan.overdue else ""},
        {"label": words("hazards_late"), "value": str(len(plan.hazards_overdue)), "note": "",
         "css": "alert" if plan.hazards_overdue else ""},
    ]  # fmt: skip


def _distributions(plan: CommunityPlan, words: _Words) -> list[BarChart]:
    """The tier chart of older residents and the risk chart of children."""
    tiers = Counter(a.tier.value for a in plan.elderly)
    total = len(plan.elderly)
    tier_rows = [
        (words.pick(TIER_LABELS, t), [Part(value=tiers[t], css=t, label="")],
         _share(tiers[t], total))
        for t in ("red", "yellow", "green")
    ]  # fmt: skip
    risks = Counter(c.assessment.risk.value if c.assessment.risk else "none" for c in plan.children)
    kids = len(plan.children)
    risk_css = {"high": "red", "medium": "orange", "low": "yellow", "none": "grey"}
    risk_rows = [
        (words.pick(RISK_LABELS, r), [Part(value=risks[r], css=risk_css[r], label="")],
         _share(risks[r], kids))
        for r in ("high", "medium", "low", "none")
    ]  # fmt: skip
    return [
        bar_chart("tiers", words("tiers"), tier_rows, width=440),
        bar_chart("risks", words("risks"), risk_rows, width=440),
    ]


def _visits(plan: CommunityPlan, words: _Words) -> ColumnChart:
    """Visits per week from the plan's date; overdue due visits count in the first week."""
    weeks = 13
    for visit in plan.visits:
        weeks = max(weeks, (visit.on - plan.on).days // 7 + 1)
    late = [0] * weeks
    firm = [0] * weeks
    provisional = [0] * weeks
    for visit in plan.visits:
        week = max((visit.on - plan.on).days // 7, 0)
        if visit.on < plan.on:
            late[week] += 1
        elif visit.provisional:
            provisional[week] += 1
        else:
            firm[week] += 1
    late_label, firm_label = words("overdue_visits"), words("confirmed_visits")
    prov_label = words("provisional_visits")
    columns = []
    for week in range(weeks):
        start = plan.on + timedelta(days=7 * week)
        tip = words("week_of", a=start.isoformat(), b=(start + timedelta(days=6)).isoformat())
        parts = [
            Part(value=late[week], css="red", label=late_label),
            Part(value=firm[week], css="blue", label=firm_label),
            Part(value=provisional[week], css="blue", label=prov_label, hatched=True),
        ]
        columns.append((f"{start:%m-%d}", parts, provisional[week] > 0, tip))
    legend = [
        LegendItem(label=firm_label, css="blue"),
        LegendItem(label=prov_label, css="blue", hatched=True),
        LegendItem(label=late_label, css="red"),
    ]
    return column_chart("visits", words("visits_chart"), columns, legend=legend)


def _linkage(plan: CommunityPlan, words: _Words) -> dict[str, Any]:
    """Needs met and unmet by urgency, party and category; why needs are unmet."""
    matchings = (plan.matching, plan.caring_mothers)
    pairs = [p for m in matchings for p in m.pairs]
    unmatched = {k: r for m in matchings for k, r in m.unmatched.items()}
    category = {n.id: n.category for n in plan.needs}
    urgency = {n.id: n.urgency.value for n in plan.needs}
    met_label, unmet_label = words("met"), words("unmet")
    legend = [LegendItem(label=met_label, css="green"), LegendItem(label=unmet_label, css="grey")]

    met_u = Counter(p.urgency.value for p in pairs)
    # A caring-mother need is not among the plan's needs: it is always high.
    unmet_u = Counter(urgency.get(k, Urgency.HIGH.value) for k in unmatched)
    urgency_rows = [
        (words.pick(URGENCY_LABELS, u.value),
         [Part(value=met_u[u.value], css="green", label=met_label),
          Part(value=unmet_u[u.value], css="grey", label=unmet_label)],
         f"{met_u[u.value]} / {met_u[u.value] + unmet_u[u.value]}")
        for u in Urgency
    ]  # fmt: skip

    parties = Counter(p.party.value for p in pairs)
    party_rows = [
        (words.pick(PARTY_LABELS, k.value), [Part(value=parties[k.value], css="teal",
                                                  label=met_label)], str(parties[k.value]))
        for k in PartyKind
    ]  # fmt: skip
    party_rows.append(
        (words("unmet_row"), [Part(value=len(unmatched), css="grey", label=unmet_label)],
         str(len(unmatched)))
    )  # fmt: skip

    met_c = Counter(p.category for p in pairs)
    unmet_c = Counter(category.get(k, "caring_mother") for k in unmatched)
    categories = sorted(set(met_c) | set(unmet_c), key=lambda c: (-met_c[c] - unmet_c[c], c))
    category_rows = [
        (words.pick(CATEGORY_LABELS, c),
         [Part(value=met_c[c], css="green", label=met_label),
          Part(value=unmet_c[c], css="grey", label=unmet_label)],
         f"{met_c[c]} / {met_c[c] + unmet_c[c]}")
        for c in categories
    ]  # fmt: skip

    reasons = Counter(r.code for r in unmatched.values())
    order = {code: i for i, code in enumerate(UNMATCHED_REASONS)}
    return {
        "note": words("linkage_note", n=len(pairs) + len(unmatched), m=len(pairs),
                      c=len(plan.caring_mothers.pairs) + len(plan.caring_mothers.unmatched)),
        "urgency": bar_chart("urgency", words("by_urgency"), urgency_rows, legend=legend),
        "party": bar_chart("party", words("by_party"), party_rows),
        "category": bar_chart("category", words("by_category"), category_rows,
                              width=1000, legend=legend),
        "reasons": [
            {"label": words.pick(REASON_LABELS, code), "count": n}
            for code, n in sorted(reasons.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
        ],
    }  # fmt: skip


def _resources(
    plan: CommunityPlan, snapshot: CommunitySnapshot | None, words: _Words
) -> dict[str, Any]:
    """The offers given the most needs, with their party and capacity."""
    load: Counter[str] = Counter()
    for m in (plan.matching, plan.caring_mothers):
        load.update(m.assignments.values())
    if snapshot is None:
        return {"rows": [], "more": "", "known": False}
    used = sorted((o for o in snapshot.offers if load[o.id]), key=lambda o: (-load[o.id], o.id))
    rows = [
        {"name": o.name or o.id, "party": words.pick(PARTY_LABELS, o.party.value),
         "used": f"{load[o.id]} / {o.capacity}"}
        for o in used[:RESOURCE_LIMIT]
    ]  # fmt: skip
    more = words("more", n=len(used) - RESOURCE_LIMIT) if len(used) > RESOURCE_LIMIT else ""
    return {"rows": rows, "more": more, "known": True}


def _overdue(plan: CommunityPlan, names: Mapping[str, str], words: _Words) -> dict[str, Any]:
    """The overdue cases, most days late first, with masked names."""
    escalated = sum(c.status.value == "escalated" for c in plan.overdue)
    level_css = {"red": "red", "yellow": "yellow", "green": "green", "high": "red",
                 "medium": "orange", "low": "yellow"}  # fmt: skip
    rows = [
        {
            "case": c.case_id,
            "name": names.get(c.case_id, "—"),
            "kind": words.pick(KIND_LABELS, c.kind.value),
            "level": words.pick(TIER_LABELS if c.kind.value == "elderly" else RISK_LABELS,
                                c.level),
            "level_css": level_css.get(c.level, "grey"),
            "due": c.due.isoformat(),
            "days_late": c.days_late,
            "status": words.pick(STATUS_LABELS, c.status.value),
            "status_css": c.status.value,
        }
        for c in plan.overdue[:TABLE_LIMIT]
    ]  # fmt: skip
    more = len(plan.overdue) - TABLE_LIMIT
    return {
        "note": words("overdue_note", o=len(plan.overdue) - escalated, e=escalated),
        "rows": rows,
        "more": words("more", n=more) if more > 0 else "",
    }


def _hazards(plan: CommunityPlan, words: _Words) -> list[dict[str, Any]]:
    """The hazards past their rectification deadline, oldest first."""
    return [
        {
            "id": h.id,
            "kind": words.pick(HAZARD_LABELS, h.kind.value),
            "building": h.building,
            "grid": h.grid,
            "found_on": h.found_on.isoformat(),
            "days_open": (plan.on - h.found_on).days,
        }
        for h in sorted(plan.hazards_overdue, key=lambda h: (h.found_on, h.id))
    ]


def _context(plan: CommunityPlan, snapshot: CommunitySnapshot | None, lang: Lang) -> dict[str, Any]:
    """Everything the template shows, as plain values (all text already in ``lang``)."""
    words = _Words(lang)
    names = _names(snapshot)
    k = plan.kpis
    return {
        "lang": "zh-CN" if lang == "zh" else "en",
        "t": {key: words(key) for key, (zh, _) in LABELS.items() if "{" not in zh},
        "subtitle": words("subtitle", name=plan.community.name, on=plan.on.isoformat(),
                          v=plan.policy_version),
        "community": plan.community.name,
        "tiles": _tiles(plan, words),
        "kpi_period": words("kpi_period", a=k.start.isoformat(), b=k.end.isoformat()),
        "kpis": [{"label": words.pick(KPI_LABELS, name), "value": _figure(name, value, words)}
                 for name, value in k.as_dict().items()],
        "distributions": _distributions(plan, words),
        "visits": _visits(plan, words),
        "visits_note": words("visits_note", on=plan.on.isoformat()),
        "linkage": _linkage(plan, words),
        "resources": _resources(plan, snapshot, words),
        "overdue": _overdue(plan, names, words),
        "hazards": _hazards(plan, words),
        "rejections": [{"path": r.path, "id": r.id or "", "code": r.code}
                       for r in plan.rejections[:REJECTION_LIMIT]],
        "rejections_more": words("more", n=len(plan.rejections) - REJECTION_LIMIT)
        if len(plan.rejections) > REJECTION_LIMIT else "",
        "footer": words("footer", on=plan.on.isoformat()),
    }  # fmt: skip
