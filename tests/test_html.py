import importlib.resources
import json
import re
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from community_care import InvalidArgumentError
from community_care import html as report_html
from community_care._kernel.text import word
from community_care.children import ChildProfile
from community_care.cli import main
from community_care.community import (
    CommunityPlan,
    CommunitySnapshot,
    load_snapshot,
    plan_community,
)
from community_care.elderly import ElderlyProfile
from community_care.html import (
    Part,
    bar_chart,
    column_chart,
    nice_step,
    render_html,
)
from community_care.identity import mask_name
from community_care.reasons import Lang
from community_care.samples import DEMO_DATE, demo_community

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def sample() -> tuple[CommunityPlan, CommunitySnapshot]:
    loaded = load_snapshot(demo_community())
    return plan_community(loaded.snapshot, on=DEMO_DATE), loaded.snapshot


@pytest.fixture(scope="module")
def pages(sample: tuple[CommunityPlan, CommunitySnapshot]) -> dict[str, str]:
    plan, snapshot = sample
    return {lang: render_html(plan, snapshot, lang=lang) for lang in ("zh", "en")}


class _Structure(HTMLParser):
    """Checks that every element is closed, in order, and records every attribute."""

    VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.problems: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:]}")
        else:
            self.open.pop()


def _parse(page: str) -> _Structure:
    parser = _Structure()
    parser.feed(page)
    parser.close()
    return parser


SECTIONS = ("glance", "kpis", "distributions", "visits", "linkage", "overdue", "hazards")
HEADINGS = (
    *("title", "glance", "kpis", "tiers", "risks", "visits", "linkage", "by_urgency"),
    *("by_party", "by_category", "unmet_reasons", "resources", "overdue", "hazards"),
)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_section_is_there_in_both_languages(pages: dict[str, str], lang: str) -> None:
    page = pages[lang]
    assert page.startswith("<!DOCTYPE html>")
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    for section in SECTIONS:
        assert f'<section id="{section}"' in page
    for key in HEADINGS:
        assert word(f"html.{key}", lang) in page, key
    other = pages["en" if lang == "zh" else "zh"]
    assert word("html.overdue", "en" if lang == "zh" else "zh") not in page
    assert other != page
    # The sample's content: the tiers, a masked name, the overdue and hazard lists.
    assert ("红色（高风险）" if lang == "zh" else "red (high risk)") in page
    assert "e258" in page and "h14" in page
    assert "<svg" in page and page.count("<svg") == 7


def test_the_page_is_well_formed_and_self_contained(pages: dict[str, str]) -> None:
    for page in pages.values():
        parsed = _parse(page)
        assert parsed.problems == [] and parsed.open == []
        # Nothing to run and nothing to fetch: no script, link, image, frame or import.
        assert not {"script", "link", "img", "iframe", "object", "embed"} & set(parsed.tags)
        for tag, name, value in parsed.attributes:
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "href", "xlink:href", "action"):
                raise AssertionError(f"{tag} {name}={value!r}")
        assert "http://" not in page and "https://" not in page
        assert "@import" not in page
        assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", page))


def test_names_are_masked_and_no_id_number_or_phone_appears(
    pages: dict[str, str], sample: tuple[CommunityPlan, CommunitySnapshot]
) -> None:
    _, snapshot = sample
    people: list[ElderlyProfile | ChildProfile] = [*snapshot.elderly, *snapshot.children]
    secrets = [p.resident_id.value for p in people if p.resident_id is not None]
    secrets += [p.phone.value for p in snapshot.elderly if p.phone is not None]
    assert len(secrets) > 100
    named = {p.id: p.name for p in people if p.name}
    for page in pages.values():
        for secret in secrets:
            assert secret not in page
        for person_id, name in named.items():
            if len(name) > 1:
                assert f">{name}<" not in page, person_id
    overdue_with_name = next(c.case_id for c in sample[0].overdue if c.case_id in named)
    assert f"<td>{mask_name(named[overdue_with_name])}</td>" in pages["zh"]


def _hostile() -> dict[str, Any]:
    data = demo_community()
    data["community"]["name"] = "</title><script>alert('c')</script>"
    data["elderly"][257]["name"] = SCRIPT  # e258, an overdue case with a name
    data["children"][0]["name"] = IMG
    data["needs"].append(
        {"id": "<b>n</b>", "category": "<script>alert(3)</script>", "urgency": "high",
         "grid": "g1"}
    )  # fmt: skip
    for offer in data["offers"]:
        if offer["id"] == "o05":  # the offer given the most needs
            offer["name"] = "<img src=y onerror=alert(2)>"
    return data


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markup_in_names_is_escaped(lang: Lang) -> None:
    data = _hostile()
    assert data["elderly"][257]["id"] == "e258"
    loaded = load_snapshot(data)
    page = render_html(plan_community(loaded.snapshot, on=DEMO_DATE), loaded.snapshot, lang=lang)

    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>" not in page
    assert "&lt;/title&gt;&lt;script&gt;alert(&#39;c&#39;)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page  # an unknown category, as given
    assert "&lt;img src=y onerror=alert(2)&gt;" in page  # the resource's name
    assert f"<td>{mask_name(SCRIPT).replace('<', '&lt;')}</td>" in page
    parsed = _parse(page)
    assert parsed.problems == [] and "script" not in parsed.tags


def test_the_same_plan_gives_the_same_page(
    sample: tuple[CommunityPlan, CommunitySnapshot], pages: dict[str, str]
) -> None:
    plan, snapshot = sample
    assert render_html(plan, snapshot) == pages["zh"]
    again = load_snapshot(demo_community())
    assert render_html(plan_community(again.snapshot, on=DEMO_DATE), again.snapshot) == pages["zh"]


def test_without_the_snapshot_names_and_resources_stay_empty(
    sample: tuple[CommunityPlan, CommunitySnapshot],
) -> None:
    plan, _ = sample
    page = render_html(plan, lang="en")
    assert word("html.no_snapshot", "en") in page
    assert "<td>e258</td><td>—</td>" in page


def test_an_empty_community_renders_with_empty_lists() -> None:
    plan = plan_community({"community": {"id": "x", "name": "X"}, "grids": []}, on=date(2026, 3, 2))
    page = render_html(plan, CommunitySnapshot(community=plan.community, grids=()), lang="en")
    # Months without a visit, reasons, resources, overdue, hazards.
    assert page.count('<td class="empty"') == 5
    assert "—" in page  # the KPIs without a value
    assert page.count("<svg") == 7
    assert _parse(page).problems == []


def test_rejections_and_long_lists_are_cut_with_a_count(
    monkeypatch: pytest.MonkeyPatch, sample: tuple[CommunityPlan, CommunitySnapshot]
) -> None:
    data = demo_community()
    data["elderly"] += [{"id": f"bad{i}", "birth_date": "1950-13-01"} for i in range(3)]
    loaded = load_snapshot(data)
    plan = plan_community(data, on=DEMO_DATE)
    assert len(plan.rejections) == 3
    monkeypatch.setattr(report_html, "TABLE_LIMIT", 10)
    monkeypatch.setattr(report_html, "REJECTION_LIMIT", 2)
    page = render_html(plan, loaded.snapshot, lang="en")
    assert '<section id="rejections">' in page and "$.elderly[420]" in page
    assert "... and 1 more" in page
    assert f"... and {len(plan.overdue) - 10} more" in page
    assert '<section id="rejections">' not in render_html(*sample)


def test_a_wrong_language_is_refused(sample: tuple[CommunityPlan, CommunitySnapshot]) -> None:
    with pytest.raises(
        InvalidArgumentError, match=r"^render_html\(lang=\.\.\.\): expected 'zh' or 'en', got 'fr'$"
    ):
        render_html(sample[0], lang="fr")  # type: ignore[arg-type]  # the wrong value on purpose


def test_without_jinja2_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, sample: tuple[CommunityPlan, CommunitySnapshot]
) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(ImportError, match=re.escape("pip install 'community-care[html]'")):
        render_html(sample[0])


def test_the_templates_are_package_data() -> None:
    templates = importlib.resources.files("community_care") / "templates"
    assert (templates / "report.html.j2").is_file()
    assert (templates / "charts.html.j2").is_file()


# Geometry.


def test_bars_share_one_scale() -> None:
    chart = bar_chart(
        "c",
        "title",
        [
            ("a", [Part(value=10, css="green", label="met"), Part(value=5, css="grey", label="")],
             "10 / 15"),
            ("b", [Part(value=0, css="green", label="met")], "0"),
        ],
        width=400,
    )  # fmt: skip
    a, b = chart.rows
    assert [s.title for s in a.segments] == ["a · met: 10", "a: 5"]
    assert a.segments[0].x == chart.axis_x
    assert a.segments[0].width == pytest.approx(2 * a.segments[1].width, abs=0.1)
    assert a.segments[1].x == pytest.approx(a.segments[0].x + a.segments[0].width, abs=0.1)
    assert b.segments == ()  # a zero draws nothing
    assert a.value_x <= chart.width
    assert chart.height == 4 * 2 + 24 * 2
    assert not chart.hatched


def test_columns_stack_upwards_and_the_axis_covers_the_peak() -> None:
    chart = column_chart(
        "v",
        "visits",
        [
            ("w1", [Part(value=3, css="red", label="late"),
                    Part(value=7, css="blue", label="firm")], False, "week 1"),
            ("w2", [Part(value=4, css="blue", label="prov", hatched=True)], True, "week 2"),
        ],
    )  # fmt: skip
    w1, w2 = chart.columns
    late, firm = w1.segments
    assert late.y + late.height == chart.baseline and firm.y + firm.height == late.y
    assert firm.title == "week 1 · firm: 7"
    assert w2.label == "w2*" and w2.marked and chart.hatched
    assert [t.label for t in chart.ticks] == ["0", "5", "10"]
    assert chart.ticks[-1].y <= firm.y


@pytest.mark.parametrize(
    ("peak", "step"), [(0, 1), (1, 1), (4, 1), (5, 2), (9, 5), (21, 10), (288, 100), (1001, 500)]
)
def test_axis_steps_are_round(peak: int, step: int) -> None:
    assert nice_step(peak) == step
    assert step * 4 >= peak


# The command line.


def test_demo_writes_the_html_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["demo", "--html", str(out), "--lang", "en"]) == 0
    assert capsys.readouterr().out == f"HTML report written to {out}\n"
    page = out.read_text(encoding="utf-8")
    assert word("html.title", "en") in page and page.count("<svg") == 7


def test_plan_writes_html_next_to_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = tmp_path / "sample.json"
    assert main(["sample", "-o", str(sample)]) == 0
    out = tmp_path / "plan.html"
    assert main(["plan", str(sample), "--on", "2026-11-30", "--json", "--html", str(out)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["on"] == "2026-11-30"
    assert f"HTML report written to {out}" in captured.err
    assert word("html.title", "zh") in out.read_text(encoding="utf-8")


def test_html_that_cannot_be_written_or_rendered_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["demo", "--html", str(tmp_path / "missing" / "r.html")]) == 2
    assert "cannot write" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "jinja2", None)
    assert main(["demo", "--html", str(tmp_path / "r.html")]) == 2
    assert "pip install 'community-care[html]'" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()
