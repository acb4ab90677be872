"""The catalogue of user-facing words, and reports that speak one language."""

import enum
import importlib
import pkgutil
import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

import community_care
from community_care._kernel.text import WORDS, key_of, keys, word, word_or
from community_care.children import ACTION_CATALOGUE
from community_care.community import CommunityPlan, CommunitySnapshot, load_snapshot, plan_community
from community_care.html import render_html
from community_care.identity import mask_name
from community_care.linkage import UNMATCHED_REASONS
from community_care.report import render_text
from community_care.samples import DEMO_DATE, demo_community

CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")
CODE = re.compile(r"[a-z]+_[a-z_]+")


def _public_enums() -> list[type[enum.Enum]]:
    """Every public enum of the package, found by walking its modules."""
    found: dict[str, type[enum.Enum]] = {}
    for info in pkgutil.walk_packages(community_care.__path__, "community_care."):
        if info.name.rsplit(".", 1)[-1].startswith("_") or info.name.endswith(".dask"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                isinstance(obj, type)
                and issubclass(obj, enum.Enum)
                and obj.__module__.startswith("community_care")
                and not name.startswith("_")
            ):
                found[obj.__name__] = obj
    return sorted(found.values(), key=lambda e: e.__name__)


ENUMS = _public_enums()
MEMBERS = [m for e in ENUMS for m in e]
ENUM_VALUES = {str(m.value) for m in MEMBERS}


def test_the_walk_finds_the_enums_the_reports_show() -> None:
    names = {e.__name__ for e in ENUMS}
    assert {"RiskTier", "ChildRisk", "ChildCategory", "Urgency", "PartyKind", "HazardKind"} <= names
    assert {"FollowUpStatus", "CaseKind", "ProblemStatus", "HazardStatus", "WishStatus"} <= names


@given(st.sampled_from(MEMBERS))
def test_every_enum_member_has_a_chinese_and_an_english_word(member: enum.Enum) -> None:
    zh, en = word(member, "zh"), word(member, "en")
    assert CJK.search(zh), (member, zh)
    assert en.strip() and not CJK.search(en), (member, en)
    assert not CODE.search(en), (member, en)


def test_every_enum_word_belongs_to_a_member() -> None:
    by_name = {e.__name__: e for e in ENUMS}
    for key in WORDS:
        family, _, value = key.partition(".")
        if family[:1].isupper():
            assert family in by_name, key
            assert value in {m.value for m in by_name[family]}, key


def test_no_two_members_of_an_enum_share_a_word() -> None:
    for family in ENUMS:
        for lang in ("zh", "en"):
            words = [word(m, lang) for m in family]
            assert len(set(words)) == len(words), (family.__name__, lang, words)


def test_no_two_categories_share_a_word_except_a_pairing_and_its_action() -> None:
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key in keys("category."):
        for lang in ("zh", "en"):
            seen[(lang, word(key, lang))].append(key)
    shared = {tuple(v) for v in seen.values() if len(v) > 1}
    assert shared == {("category.caring_mother", "category.caring_mother_pairing")}


def test_every_word_has_the_same_placeholders_in_both_languages() -> None:
    for key, (zh, en) in WORDS.items():
        assert zh.strip() and en.strip(), key
        zh_values, en_values = set(re.findall(r"{(\w*)}", zh)), set(re.findall(r"{(\w*)}", en))
        # The one exception: error messages are English only, so zh leaves them out.
        extra = {"message"} if key == "report.rejection_row" else set()
        assert zh_values | extra == en_values, key
        # Chinese words carry no English word (the product's name aside).
        letters = re.sub(r"{\w*}|community-care", "", zh)
        assert not re.search(r"[A-Za-z]{2,}", letters), key
        # English words are English, except reason fragments whose wording is fixed.
        assert key.startswith("reason.") or not CJK.search(en), key


def test_every_code_the_reports_show_has_a_word(
    sample: tuple[CommunityPlan, CommunitySnapshot],
) -> None:
    plan, _ = sample
    assert keys("kpi.") == tuple(f"kpi.{name}" for name in plan.kpis.as_dict())
    for code in (*UNMATCHED_REASONS, "invalid_input", "duplicate_id", "not_eligible"):
        prefix = "unmatched." if code in UNMATCHED_REASONS else "rejection."
        assert word(prefix + code, "en")
    word("rejection.calendar_range", "zh")
    for code in ACTION_CATALOGUE:
        word(f"category.{code}", "zh")


def test_every_reason_dimension_of_the_demo_plan_has_a_word(
    sample: tuple[CommunityPlan, CommunitySnapshot],
) -> None:
    plan, _ = sample
    dimensions = {r.dimension for a in plan.elderly for r in a.reasons}
    dimensions |= {
        i.message("zh") and "intervention" for a in plan.elderly for i in a.interventions
    }
    for case in plan.children:
        dimensions |= {r.dimension for r in case.assessment.reasons}
        if case.plan is not None:
            dimensions |= {r.dimension for a in case.plan.actions for r in a.reasons}
    dimensions |= {r.dimension for r in plan.matching.unmatched.values()}
    assert {"health", "social", "floor", "category", "risk", "linkage"} <= dimensions
    for dimension in dimensions:
        assert word(f"dimension.{dimension}", "zh") and word(f"dimension.{dimension}", "en")


def test_a_word_fills_its_placeholders() -> None:
    assert word("report.more", "zh", n=3) == "……另有 3 项"
    assert word("report.more", "en", n=3) == "... and 3 more"
    assert word(community_care.RiskTier.RED, "en") == "red (high risk)"
    assert key_of(community_care.Urgency.HIGH) == "Urgency.high"


def test_an_unknown_key_or_language_is_a_clear_error() -> None:
    with pytest.raises(LookupError, match=r"no word for 'kpi\.nope' in the catalogue"):
        word("kpi.nope", "zh")
    with pytest.raises(ValueError, match=r"unknown language 'fr': expected 'zh' or 'en'"):
        word("kpi.activities", "fr")
    with pytest.raises(ValueError, match="unknown language"):
        word_or("kpi.nope", "fr", "x")
    assert word_or("category.sewing", "zh", "sewing") == "缝补"
    assert word_or("category.knitting", "zh", "knitting") == "knitting"


# The reports speak one language.


@pytest.fixture(scope="module")
def sample() -> tuple[CommunityPlan, CommunitySnapshot]:
    loaded = load_snapshot(demo_community())
    return plan_community(loaded.snapshot, on=DEMO_DATE), loaded.snapshot


def _without_data(text: str, plan: CommunityPlan, snapshot: CommunitySnapshot) -> str:
    """The text without names and ids: masked names, offers, the community, need ids."""
    data = {plan.community.name}
    for person in (*snapshot.elderly, *snapshot.children):
        if person.name:
            data |= {person.name, mask_name(person.name)}
    data |= {o.name for o in snapshot.offers if o.name}
    data |= {n.id for n in plan.needs}
    for item in sorted(data, key=len, reverse=True):
        text = text.replace(item, " ")
    return text


def _chinese_only(text: str) -> None:
    assert not CODE.search(text), CODE.findall(text)[:5]
    leftovers = set(re.findall(r"[a-z]+", text)) & ENUM_VALUES
    assert not leftovers, leftovers


def _english_only(text: str) -> None:
    assert not CJK.search(text), CJK.findall(text)[:5]
    assert not CODE.search(text), CODE.findall(text)[:5]


class _Visible(HTMLParser):
    """The text a reader sees: every text node except the style sheet."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.parts.append(data)


def _visible(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return "\n".join(parser.parts)


def test_the_chinese_text_report_shows_chinese_words_only(
    sample: tuple[CommunityPlan, CommunitySnapshot],
) -> None:
    plan, snapshot = sample
    text = render_text(plan, snapshot, lang="zh", limit=10_000)
    _chinese_only(_without_data(text, plan, snapshot))
    for expected in ("大党委成员单位 576", "留守儿童", "爱心妈妈结对", "升级督办", "飞线充电"):
        assert expected in text


def test_the_english_text_report_shows_english_words_only(
    sample: tuple[CommunityPlan, CommunitySnapshot],
) -> None:
    plan, snapshot = sample
    text = render_text(plan, snapshot, lang="en", limit=10_000)
    _english_only(_without_data(text, plan, snapshot))
    for expected in ("member units 576", "left behind", "caring-mother pairing", "escalated"):
        assert expected in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_html_report_speaks_one_language(
    sample: tuple[CommunityPlan, CommunitySnapshot], lang: str
) -> None:
    plan, snapshot = sample
    visible = _without_data(_visible(render_html(plan, snapshot, lang=lang)), plan, snapshot)
    # The product's name in the footer is a name.
    visible = visible.replace("community-care", " ")
    if lang == "zh":
        _chinese_only(visible)
        assert "大党委成员单位" in visible and "升级督办" in visible
    else:
        _english_only(visible)
        assert "member units" in visible and "escalated" in visible


def test_rejected_records_are_told_in_the_report_language() -> None:
    snapshot = demo_community()
    snapshot["elderly"][0]["birth_date"] = "1990-01-01"  # too young: not eligible
    snapshot["elderly"][0].pop("resident_id", None)  # (its birth date would disagree)
    snapshot["elderly"][1]["birth_date"] = "nope"  # invalid
    messy = plan_community(snapshot, on=DEMO_DATE)
    codes = {r.code for r in messy.rejections}
    assert {"invalid_input", "not_eligible"} <= codes
    zh = render_text(messy, lang="zh")
    assert "不符合评估条件" in zh and "数据有误" in zh and "not_eligible" not in zh
    en = render_text(messy, lang="en")
    assert "(not eligible): " in en and "(invalid data): invalid input" in en
    page = render_html(messy, lang="zh")
    assert "不符合评估条件" in page and "<td>not_eligible</td>" not in page
