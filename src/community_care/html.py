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

import enum
import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import attrs

from community_care._kernel.checks import check_instance, check_lang
from community_care._kernel.display import strip_controls
from community_care._kernel.text import WORDS, keys, word, word_or
from community_care.children import ChildProfile
from community_care.community import CommunityPlan, CommunitySnapshot
from community_care.elderly import ElderlyProfile, RiskTier
from community_care.followup import CaseKind
from community_care.identity import mask_name
from community_care.linkage import UNMATCHED_REASONS
from community_care.reasons import Lang
from community_care.vocab import PartyKind, Urgency

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_html"]

INSTALL_HINT = "pip install 'community-care[html]'"

# How many rows the long tables show before "... and N more".
TABLE_LIMIT = 60
RESOURCE_LIMIT = 12
REJECTION_LIMIT = 20
COVERAGE_LIMIT = 20


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
        InvalidArgumentError: ``plan`` is not a plan, or ``lang`` is not ``"zh"`` or ``"en"``.
    """
    try:
        import jinja2  # noqa: F401  (checked here so the error names the extra)
    except ImportError as exc:
        raise ImportError(
            f"render_html needs Jinja2, an optional dependency: {INSTALL_HINT}"
        ) from exc
    check_instance("render_html", "plan", plan, CommunityPlan, "plan_community(...)")
    check_lang("render_html", lang)
    template = _environment().get_template("report.html.j2")
    return template.render(_context(plan, snapshot, lang))


@functools.cache
def _environment() -> jinja2.Environment:
    """The Jinja2 environment, autoescaping everything, templates read from the package."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("community_care", "templates"),
        autoescape=True,
        finalize=_drop_controls,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _drop_controls(value: object) -> object:
    """Every value a template shows, without control characters or direction overrides.

    Applied before autoescaping; markup the templates build themselves passes untouched.
    """
    import markupsafe

    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return strip_controls(value)
    return value


class _Words:
    """The words of one language, all from the catalogue (``community_care._kernel.text``).

    ``words("key", n=3)`` gives a word of the page (``html.key``), ``words.of(member)``
    the word of an enum member or of another key, and ``words.code(prefix, code)`` the
    word of a code that data may define (a code the catalogue lacks shows as itself).
    """

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        return word(f"html.{key}", self.lang, **values)

    def of(self, key: enum.Enum | str) -> str:
        return word(key, self.lang)

    def code(self, prefix: str, code: str) -> str:
        return word_or(prefix + code, self.lang, code)


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
    tiers = Counter(a.effective_tier.value for a in plan.elderly)
    in_difficulty = sum(c.plan is not None for c in plan.children)
    needs = len(plan.needs) + len(plan.caring_mothers.assignments)
    needs += len(plan.caring_mothers.unmatched)
    met = len(plan.matching.assignments) + len(plan.caring_mothers.assignments)
    escalated = sum(c.status.value == "escalated" for c in plan.overdue)
    ahead = sum(v.on >= plan.on for v in plan.visits)
    computed = sum(a.ability is not None for a in plan.elderly)
    # Shown when some levels were computed from GB/T 42195-2022 item scores.
    ability = [
        {"label": words("ability_computed"), "value": str(computed),
         "note": words("ability_note", m=len(plan.elderly) - computed), "css": ""},
    ] if computed else []  # fmt: skip
    return [
        {"label": words("elderly_assessed"), "value": str(len(plan.elderly)),
         "note": f"{words.of(RiskTier.RED)} {tiers.get('red', 0)}", "css": ""},
        *ability,
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
    # The level a caseworker set stands over the computed one (spec §7).
    tiers = Counter(a.effective_tier.value for a in plan.elderly)
    total = len(plan.elderly)
    tier_rows = [
        (words.of(t), [Part(value=tiers[t.value], css=t.value, label="")],
         _share(tiers[t.value], total))
        for t in RiskTier
    ]  # fmt: skip
    risks = Counter(
        c.assessment.effective_risk.value if c.assessment.effective_risk else "none"
        for c in plan.children
    )
    kids = len(plan.children)
    risk_css = {"high": "red", "medium": "orange", "low": "yellow", "none": "grey"}
    # The three risk levels, then the children who are not in difficulty.
    risk_keys = {
        "high": "ChildRisk.high",
        "medium": "ChildRisk.medium",
        "low": "ChildRisk.low",
        "none": "risk.none",
    }
    risk_rows = [
        (words.of(key), [Part(value=risks[r], css=risk_css[r], label="")],
         _share(risks[r], kids))
        for r, key in risk_keys.items()
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
        (words.of(u),
         [Part(value=met_u[u.value], css="green", label=met_label),
          Part(value=unmet_u[u.value], css="grey", label=unmet_label)],
         f"{met_u[u.value]} / {met_u[u.value] + unmet_u[u.value]}")
        for u in Urgency
    ]  # fmt: skip

    parties = Counter(p.party.value for p in pairs)
    party_rows = [
        (words.of(k), [Part(value=parties[k.value], css="teal",
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
        (words.code("category.", c),
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
            {"label": words.code("unmatched.", code), "count": n}
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
        {"name": o.name or o.id, "party": words.of(o.party),
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
            "kind": words.of(c.kind),
            "level": words.code("RiskTier." if c.kind is CaseKind.ELDERLY else "ChildRisk.",
                                c.level),
            "level_css": level_css.get(c.level, "grey"),
            "due": c.due.isoformat(),
            "days_late": c.days_late,
            "status": words.of(c.status),
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
            "kind": words.of(h.kind),
            "building": h.building,
            "grid": h.grid,
            "found_on": h.found_on.isoformat(),
            "days_open": (plan.on - h.found_on).days,
        }
        for h in sorted(plan.hazards_overdue, key=lambda h: (h.found_on, h.id))
    ]


@attrs.frozen(kw_only=True)
class CoverageBar:
    """One month of the coverage chart: its bar (none without pairs) and its labels."""

    label: str
    label_x: float
    x: float
    y: float
    width: float
    height: float
    css: str
    value: str
    value_y: float
    inside: bool
    title: str


def _coverage(plan: CommunityPlan, names: Mapping[str, str], words: _Words) -> dict[str, Any]:
    """The monthly visit coverage of the last 12 months against the 100 % goal.

    Also the cases that had a month without a visit, names masked, most months first.
    """
    months = plan.kpis.monthly_visit_coverage.by_month[-12:]
    width, height, left, right, top, bottom = 1000, 220, 48.0, 8.0, 16.0, 40.0
    plot_h = height - top - bottom
    baseline = top + plot_h
    slot = (width - left - right) / max(len(months), 1)
    bar_w = slot * 0.6
    bars = []
    for i, m in enumerate(months):
        share = m.value or 0.0
        h = plot_h * share
        x = left + i * slot + (slot - bar_w) / 2
        bars.append(
            CoverageBar(
                label=m.month,
                label_x=_num(left + i * slot + slot / 2),
                x=_num(x),
                y=_num(baseline - h),
                width=_num(bar_w),
                height=_num(h),
                css="green" if m.value == 1 else "orange",
                value=_figure("monthly_visit_coverage", m.value, words),
                # Inside a tall bar, so that the figure never crosses the goal line.
                value_y=_num(baseline - h + 15 if h > 24 else baseline - h - 5),
                inside=h > 24,
                title=words("coverage_month", m=m.month, c=len(m.covered), n=len(m.cases)),
            )
        )
    missed: dict[str, list[str]] = {}
    for m in months:
        for case_id in m.missed:
            missed.setdefault(case_id, []).append(m.month)
    rows = [
        {"case": case_id, "name": names.get(case_id, "—"),
         "months": words.of("report.list_sep").join(ms)}
        for case_id, ms in sorted(missed.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]  # fmt: skip
    more = len(rows) - COVERAGE_LIMIT
    return {
        "value": _figure("monthly_visit_coverage", plan.kpis.monthly_visit_coverage.value, words),
        "width": width,
        "height": height,
        "left": _num(left),
        "right": _num(width - right),
        "baseline": _num(baseline),
        "goal_y": _num(top),
        "half_y": _num(top + plot_h / 2),
        "label_y": _num(baseline + 18),
        "bars": bars,
        "missed": rows[:COVERAGE_LIMIT],
        "more": words("more", n=more) if more > 0 else "",
    }


def _mandatory(plan: CommunityPlan, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """The mandatory reports not yet made: the first section of the report when any."""
    return [
        {
            "child": r.child_id,
            "name": names.get(r.child_id, "—"),
            "due": r.due_on.isoformat(),
            "days_overdue": r.days_overdue,
        }
        for r in plan.mandatory_reports
    ]


def _overridden(plan: CommunityPlan, words: _Words) -> str:
    """A note under the risk charts when caseworkers set levels (empty when none)."""
    n = sum(a.override is not None for a in plan.elderly)
    n += sum(c.assessment.override is not None for c in plan.children)
    return words("overrides_note", n=n) if n else ""


def _context(plan: CommunityPlan, snapshot: CommunitySnapshot | None, lang: Lang) -> dict[str, Any]:
    """Everything the template shows, as plain values (all text already in ``lang``)."""
    words = _Words(lang)
    names = _names(snapshot)
    k = plan.kpis
    return {
        "lang": "zh-CN" if lang == "zh" else "en",
        "t": {key[len("html."):]: words.of(key) for key in keys("html.")
              if "{" not in WORDS[key][0]},
        "subtitle": words("subtitle", name=plan.community.name, on=plan.on.isoformat(),
                          v=plan.policy_version),
        "community": plan.community.name,
        "tiles": _tiles(plan, words),
        "kpi_period": words("kpi_period", a=k.start.isoformat(), b=k.end.isoformat()),
        "kpis": [{"label": words.of(f"kpi.{name}"), "value": _figure(name, value, words)}
                 for name, value in k.as_dict().items()],
        "coverage": _coverage(plan, names, words),
        "mandatory": _mandatory(plan, names),
        "distributions": _distributions(plan, words),
        "overridden": _overridden(plan, words),
        "visits": _visits(plan, words),
        "visits_note": words("visits_note", on=plan.on.isoformat()),
        "linkage": _linkage(plan, words),
        "resources": _resources(plan, snapshot, words),
        "overdue": _overdue(plan, names, words),
        "hazards": _hazards(plan, words),
        "rejections": [{"path": r.path, "id": r.id or "",
                        "code": words.code("rejection.", r.code)}
                       for r in plan.rejections[:REJECTION_LIMIT]],
        "rejections_more": words("more", n=len(plan.rejections) - REJECTION_LIMIT)
        if len(plan.rejections) > REJECTION_LIMIT else "",
        "footer": words("footer", on=plan.on.isoformat()),
    }  # fmt: skip
