"""Personal data (spec §8): x-pii tags, the pseudonymised export, small cells, the CLI export.

The properties: no name, ID number, phone, exact birth date, registry id or free text of
the input appears anywhere in an export (its tables, its frames, its CSV files, its
repr); the same key gives the same tokens and another key none of them; the export is
deterministic; no aggregate cell holds a count from 1 to k - 1.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import hashlib
import hmac
import io
import json
import os
import re
import sys
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import independent_check, small_snapshot
from tests.strategies.privacy import MARK, Secrets, snapshots_with_secrets

import community_care as cc
from community_care import cli
from community_care._kernel.pii import IDENTIFIER, PII_TAGS, SENSITIVE, pii_tags
from community_care.cli import main
from community_care.privacy import TABLE_COLUMNS, age_band, pseudonym
from community_care.samples import DEMO_DATE, demo_community

ON = DEMO_DATE
KEY = b"0123456789abcdef-a-test-key"
RID_1940 = "11010519400501002" + independent_check("11010519400501002")
DOCS = Path(__file__).parent.parent / "docs" / "privacy.md"

PIPELINE = settings(
    settings(),
    max_examples=min(settings().max_examples, 30),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    deadline=None,
)


def independent_token(key: bytes, identifier: str) -> str:
    """Spec §8's token, computed here without the library."""
    return "p" + hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()[:24]


def export_of(doc: dict[str, Any], key: bytes | str = KEY, **kwargs: Any) -> cc.PseudonymisedExport:
    plan = cc.plan_community(doc, on=kwargs.pop("on", ON), policy=kwargs.get("policy"))
    return cc.pseudonymise(doc, plan, key=key, **kwargs)


# --- x-pii tags -------------------------------------------------------------------------------

PUBLIC_MODELS = {
    name: getattr(cc, name)
    for name in cc.__all__
    if isinstance(getattr(cc, name), type) and attrs.has(getattr(cc, name))
}


def _input_models() -> dict[str, type]:
    """Every input model, the nested ones included, by name."""
    found: dict[str, type] = {}

    def visit(cls: type) -> None:
        if cls.__name__ in found:
            return
        found[cls.__name__] = cls
        for a in attrs.fields(cls):
            nested = a.metadata.get("model", a.metadata.get("model_items"))
            if nested is not None:
                visit(nested)

    for cls in PUBLIC_MODELS.values():
        if cc.serialization._is_input_model(cls):
            visit(cls)
    return found


INPUT_MODELS = _input_models()


def test_every_tagged_name_is_a_field_of_an_input_model() -> None:
    # A typo in the table (a model or a field that does not exist) fails here.
    for model, tags in PII_TAGS.items():
        assert model in INPUT_MODELS, f"{model} is not an input model"
        fields = {a.name for a in attrs.fields(INPUT_MODELS[model])}
        assert set(tags) <= fields, f"{model}: no field {sorted(set(tags) - fields)}"
        assert set(tags.values()) <= {IDENTIFIER, SENSITIVE}


def test_every_identifier_field_is_tagged() -> None:
    # The fields that hold a person's name, ID number or phone are those the models mask
    # in their repr; each is tagged an identifier, wherever it occurs.
    masked = {
        (name, a.name)
        for name, cls in INPUT_MODELS.items()
        for a in attrs.fields(cls)
        if a.repr is not True
    }
    tagged = {(m, f) for m, tags in PII_TAGS.items() for f, t in tags.items() if t == IDENTIFIER}
    # Free text (a visit's note, an override's reason): hidden, but not an identifier.
    notes = {(m, f) for m, f in masked if f == "note" or (m, f) == ("Override", "reason")}
    assert masked - notes == tagged
    assert {("ElderlyProfile", "resident_id"), ("MicroWish", "child_name")} <= tagged


def test_the_spec_lists_fields_are_tagged() -> None:
    assert {f for f, t in PII_TAGS["ElderlyProfile"].items() if t == SENSITIVE} >= {
        "ability_level",
        "dementia",
        "severe_disability",
        "chronic_conditions",
        "falls_last_12_months",
        "special_family",
        "economic_status",
    }
    assert {f for f, t in PII_TAGS["ChildProfile"].items() if t == SENSITIVE} >= {
        "family_economic_status",
        "disability_grade",
        "serious_illness",
        "abuse_or_neglect_concern",
        "mental_health_flags",
    }
    assert PII_TAGS["Parent"] == {"status": SENSITIVE}


def _properties(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every object schema of a JSON Schema by title (the root) or $defs name."""
    found = {schema["title"]: schema["properties"]}
    found.update({name: d["properties"] for name, d in schema.get("$defs", {}).items()})
    return found


@pytest.mark.parametrize("model", sorted(n for n in PUBLIC_MODELS if n in INPUT_MODELS))
def test_every_schema_carries_the_tags_of_every_model_in_it(model: str) -> None:
    schema = cc.json_schema(PUBLIC_MODELS[model])
    for name, props in _properties(schema).items():
        tags = PII_TAGS.get(name, {})
        for field, prop in props.items():
            assert prop.get("x-pii") == tags.get(field), f"{name}.{field}"


def test_the_snapshot_schema_tags_the_nested_profiles() -> None:
    defs = cc.json_schema(cc.CommunitySnapshot)["$defs"]
    assert defs["ElderlyProfile"]["properties"]["resident_id"]["x-pii"] == "identifier"
    assert defs["ChildProfile"]["properties"]["mental_health_flags"]["x-pii"] == "sensitive"
    assert defs["Parent"]["properties"]["status"]["x-pii"] == "sensitive"
    assert defs["MicroWish"]["properties"]["child_name"]["x-pii"] == "identifier"
    assert "x-pii" not in defs["Community"]["properties"]["name"]  # a community's name


def test_the_schema_command_prints_the_tags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "ChildProfile"]) == 0
    props = json.loads(capsys.readouterr().out)["properties"]
    assert props["name"]["x-pii"] == "identifier"
    assert props["abuse_or_neglect_concern"]["x-pii"] == "sensitive"


def test_a_class_of_the_same_name_elsewhere_has_no_tags() -> None:
    @attrs.frozen
    class ElderlyProfile:
        name: str

    assert dict(pii_tags(ElderlyProfile)) == {}
    assert pii_tags(cc.ElderlyProfile)["name"] == IDENTIFIER


def test_the_docs_table_agrees_with_the_tags() -> None:
    row = re.compile(r"^\| `(\w+)` \| `(\w+)` \| (identifier|sensitive) \|", re.M)
    documented = {(m, f): t for m, f, t in row.findall(DOCS.read_text(encoding="utf-8"))}
    tagged = {(m, f): t for m, tags in PII_TAGS.items() for f, t in tags.items()}
    assert documented == tagged


# --- tokens and keys ----------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["e1", "c01", "e001:rewiring", "张三的档案", ""])
def test_the_token_is_the_keyed_hmac(identifier: str) -> None:
    assert pseudonym(identifier, key=KEY) == independent_token(KEY, identifier)
    assert pseudonym(identifier, key=KEY.decode()) == independent_token(KEY, identifier)
    assert re.fullmatch(r"p[0-9a-f]{24}", pseudonym(identifier, key=KEY))


def test_the_export_tokens_are_the_keyed_hmac_of_the_ids() -> None:
    doc = small_snapshot(12, 6, 10)
    plan = cc.plan_community(doc, on=ON)
    export = cc.pseudonymise(doc, plan, key=KEY)
    elderly = {r["token"] for r in export.tables["elderly"]}
    assert elderly == {independent_token(KEY, a.resident_id) for a in plan.elderly}
    children = {r["token"] for r in export.tables["children"]}
    assert children == {independent_token(KEY, c.assessment.child_id) for c in plan.children}
    cases = {r["case"] for r in export.tables["visits"]}
    assert cases == {independent_token(KEY, f.case_id) for f in plan.followups if f.visits}
    needs = {r["need"] for r in export.tables["needs"]}
    assert {independent_token(KEY, n.id) for n in plan.needs} <= needs
    beneficiaries = {r["beneficiary"] for r in export.tables["needs"]} - {None}
    assert beneficiaries <= elderly | children
    assert independent_token(KEY, "e001") in elderly


def test_a_str_key_is_its_utf8_bytes() -> None:
    doc = small_snapshot(5, 3, 0)
    key = "一把十六字节以上的钥匙"  # 11 characters, 33 bytes
    assert export_of(doc, key=key) == export_of(doc, key=key.encode("utf-8"))


@pytest.mark.parametrize(
    "key", [b"", b"short", b"0123456789abcde", "fifteen chars!!", bytearray(3)]
)
def test_a_key_shorter_than_16_bytes_is_invalid_input(key: bytes | str) -> None:
    plan = cc.plan_community(small_snapshot(1, 0, 0), on=ON)
    with pytest.raises(cc.InvalidInputError) as err:
        cc.pseudonymise(small_snapshot(1, 0, 0), plan, key=key)
    assert "at least 16 bytes" in str(err.value)
    assert f"got {len(key)} bytes" in str(err.value)
    if len(key) >= 4:
        assert str(key if isinstance(key, str) else key.decode()) not in str(err.value)
    with pytest.raises(cc.InvalidInputError):
        pseudonym("e1", key=key)


def test_a_key_of_16_bytes_is_enough() -> None:
    assert pseudonym("e1", key=b"0123456789abcdef") == independent_token(b"0123456789abcdef", "e1")
    assert pseudonym("e1", key=bytearray(b"0123456789abcdef")).startswith("p")


@pytest.mark.parametrize("key", [16, None, ["0123456789abcdef"], 3.5])
def test_a_key_of_another_type_is_refused_without_its_value(key: object) -> None:
    plan = cc.plan_community(small_snapshot(1, 0, 0), on=ON)
    with pytest.raises(cc.InvalidArgumentError) as err:
        cc.pseudonymise(small_snapshot(1, 0, 0), plan, key=key)  # type: ignore[arg-type]  # under test
    assert str(err.value).startswith("pseudonymise(key=...): expected bytes")
    assert str(err.value).endswith(f"got {type(key).__name__}")
    assert "0123456789abcdef" not in str(err.value)


def test_pseudonym_takes_a_string_id() -> None:
    with pytest.raises(cc.InvalidArgumentError, match=r"^pseudonym\(identifier=\.\.\.\)"):
        pseudonym(1, key=KEY)  # type: ignore[arg-type]  # the misuse under test


def test_the_key_is_nowhere_in_the_export(tmp_path: Path) -> None:
    key = "~the-secret-key-material~"
    doc = small_snapshot(12, 6, 10)
    export = export_of(doc, key=key)
    texts = [repr(export), str(export), cc.to_json(export), *_frame_texts(export)]
    texts.extend(_csv_texts(export, tmp_path))
    for text in texts:
        assert key not in text
        assert key.encode().hex() not in text
    assert "min_cell_count=5" in repr(export) and "elderly: 12 rows" in repr(export)


# --- what an export holds -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "child", "band"),
    [
        (55, False, "55-59"),
        (59, False, "55-59"),
        (60, False, "60-64"),
        (64, False, "60-64"),
        (65, False, "65-69"),
        (94, False, "90-94"),
        (95, False, "95+"),
        (107, False, "95+"),
        (0, True, "0-4"),
        (4, True, "0-4"),
        (5, True, "5-9"),
        (14, True, "10-14"),
        (15, True, "15-17"),
        (17, True, "15-17"),
    ],
)
def test_age_bands(age: int, child: bool, band: str) -> None:
    assert age_band(age, child=child) == band


def test_the_tables_and_their_columns() -> None:
    doc = demo_community()
    plan = cc.plan_community(doc, on=ON)
    export = cc.pseudonymise(doc, plan, key=KEY)
    assert list(export.tables) == ["elderly", "children", "needs", "visits", "aggregates"]
    for name, rows in export.tables.items():
        assert rows, name
        for row in rows:
            assert tuple(row) == TABLE_COLUMNS[name]
            assert json.loads(json.dumps(row)) == row  # JSON-ready
    assert len(export.tables["elderly"]) == len(plan.elderly)
    assert len(export.tables["children"]) == len(plan.children)
    assert export.on == ON and export.policy_version == plan.policy_version
    # Person tables are in token order: nothing of the registry's order is left.
    for name, column in (("elderly", "token"), ("children", "token"), ("needs", "need")):
        tokens = [r[column] for r in export.tables[name]]
        assert tokens == sorted(tokens)


def test_an_older_residents_row() -> None:
    profile = cc.ElderlyProfile(
        id="e1",
        birth_date=date(1940, 5, 1),
        living_arrangement="alone",
        resident_id=RID_1940,  # even 17th digit: female
        grid="g1",
        home=cc.HomeSafety(safe_wiring=False),
    )
    other = attrs.evolve(profile, id="e2", resident_id=None, grid=None)
    snap = cc.CommunitySnapshot(
        community=cc.Community(id="k", name="K"), grids=["g1"], elderly=[profile, other]
    )
    export = export_of(snap)
    rows = {r["token"]: r for r in export.tables["elderly"]}
    row = rows[independent_token(KEY, "e1")]
    assessment = cc.assess_elderly(profile, on=ON)
    assert row == {
        "token": independent_token(KEY, "e1"),
        "birth_year": 1940,
        "age_band": "85-89",
        "sex": "female",
        "grid": "g1",
        "tier": assessment.tier.value,
        "score_tier": assessment.score_tier.value,
        "score": assessment.score,
        "reasons": [r.code for r in assessment.reasons],
        "interventions": [i.code for i in assessment.interventions],
    }
    assert "rewiring" in row["interventions"]
    unknown = rows[independent_token(KEY, "e2")]
    assert unknown["sex"] is None and unknown["grid"] is None
    # The snapshot a plan came from may lack the person (a caller's mix-up): no birth year.
    plan = cc.plan_community(snap, on=ON)
    bare = cc.pseudonymise(attrs.evolve(snap, elderly=()), plan, key=KEY)
    assert {r["birth_year"] for r in bare.tables["elderly"]} == {None}


def test_a_childs_row_and_needs() -> None:
    doc = small_snapshot(0, 6, 0)
    plan = cc.plan_community(doc, on=ON)
    export = cc.pseudonymise(doc, plan, key=KEY)
    by_token = {r["token"]: r for r in export.tables["children"]}
    for case in plan.children:
        row = by_token[independent_token(KEY, case.assessment.child_id)]
        assert row["risk"] == (case.assessment.risk.value if case.assessment.risk else None)
        assert row["categories"] == sorted(c.value for c in case.assessment.categories)
        assert row["actions"] == ([a.code for a in case.plan.actions] if case.plan else [])
        assert row["age_band"] == age_band(case.assessment.age, child=True)
        assert "birth_year" not in row and "sex" not in row
    needs = export.tables["needs"]
    # The caring-mother pairing is listed with the other needs.
    caring = [r for r in needs if r["category"] == "caring_mother"]
    assert len(caring) == len(plan.caring_mothers.assignments) + len(plan.caring_mothers.unmatched)
    assert caring
    for row in needs:
        assert row["met"] == (row["party"] is not None) == (row["unmet_reason"] is None)
        assert row["unmet_reason"] in (None, *cc.linkage.UNMATCHED_REASONS)


def test_the_visits_table() -> None:
    case = cc.open_followup("e1", "elderly", "yellow", on=date(2026, 1, 2))  # due 01-07
    case = cc.record_visit(case, date(2026, 1, 9), "w01", note="~note~")  # on time (grace 5)
    case = cc.record_visit(case, date(2026, 2, 9), "w01", mode="phone", met=False)  # attempt
    case = cc.record_visit(case, date(2026, 3, 30), "w01", mode="video")  # due 02-09: late
    profile = cc.ElderlyProfile(
        id="e1", birth_date=date(1940, 5, 1), living_arrangement="with_family", grid="g1"
    )
    snap = cc.CommunitySnapshot(
        community=cc.Community(id="k", name="K"),
        grids=["g1"],
        elderly=[profile],
        followups=[case],
    )
    rows = export_of(snap, on=date(2026, 4, 1)).tables["visits"]
    token = independent_token(KEY, "e1")
    assert [
        (r["case"], r["kind"], r["month"], r["mode"], r["met"], r["on_time"]) for r in rows
    ] == [
        (token, "elderly", "2026-01", "home", True, True),
        (token, "elderly", "2026-02", "phone", False, None),  # an attempt answers no due date
        (token, "elderly", "2026-03", "video", True, False),
    ]


def test_tokens_join_across_months() -> None:
    doc = small_snapshot(12, 6, 10)
    now = export_of(doc)
    later = export_of(doc, on=ON + timedelta(days=31))
    assert {r["token"] for r in now.tables["elderly"]} == {
        r["token"] for r in later.tables["elderly"]
    }


# --- the properties -------------------------------------------------------------------------------


def _frame_texts(export: cc.PseudonymisedExport) -> list[str]:
    frames = export.to_frames()
    assert list(frames) == list(export.tables)
    for name, frame in frames.items():
        assert list(frame.columns) == list(TABLE_COLUMNS[name])
        assert len(frame) == len(export.tables[name])
    return [f.to_csv(index=False) + repr(f.to_dict("records")) for f in frames.values()]


def _csv_texts(export: cc.PseudonymisedExport, out: Path) -> list[str]:
    cli._write_csv(export, out)
    return [(out / f"{name}.csv").read_text(encoding="utf-8-sig") for name in export.tables]


def _tokens(export: cc.PseudonymisedExport) -> set[str]:
    columns = {"token", "need", "beneficiary", "case"}
    return {
        v
        for rows in export.tables.values()
        for row in rows
        for k, v in row.items()
        if k in columns and v is not None
    }


def leaks(export: cc.PseudonymisedExport, secrets: Secrets) -> list[str]:
    """Where a secret appears in an export: its tables, JSON, repr, frames and CSV files."""
    texts = {
        "tables": json.dumps({k: list(v) for k, v in export.tables.items()}, ensure_ascii=False),
        "json": cc.to_json(export),
        "repr": repr(export),
        "frames": "\n".join(_frame_texts(export)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        texts["csv"] = "\n".join(_csv_texts(export, Path(tmp)))
    found = [f"a marked value in the {where}" for where, text in texts.items() if MARK in text]
    for where, text in texts.items():
        for kind, values in secrets.texts().items():
            found.extend(f"a {kind} in the {where}" for value in values if value in text)
    return found


@PIPELINE
@given(case=snapshots_with_secrets())
def test_nothing_that_identifies_anyone_is_in_an_export(
    case: tuple[dict[str, Any], Secrets],
) -> None:
    doc, secrets = case
    export = export_of(doc)
    assert len(export.tables["elderly"]) == 12  # the secrets were really planned
    assert leaks(export, secrets) == []


@settings(max_examples=5, deadline=None)
@given(case=snapshots_with_secrets(), kind=st.sampled_from(["birth", "id", "text", "phone"]))
def test_a_planted_leak_is_found(case: tuple[dict[str, Any], Secrets], kind: str) -> None:
    # The property above can fail: a value copied into any cell is caught.
    doc, secrets = case
    export = export_of(doc)
    value = {
        "birth": f"{secrets.birth_dates[0].year}年{secrets.birth_dates[0].month}月"
        f"{secrets.birth_dates[0].day}日",
        "id": secrets.registry_ids[0].replace(MARK, ""),  # without the mark, found as itself
        "text": secrets.free_texts[-1],
        "phone": secrets.phones[0],
    }[kind]
    row = {**export.tables["visits"][0], "month": value}
    planted = attrs.evolve(export, tables={**export.tables, "visits": (row,)})
    assert leaks(planted, attrs.evolve(secrets, registry_ids=(value,)))


@settings(PIPELINE, max_examples=min(settings().max_examples, 15))
@given(case=snapshots_with_secrets(), shuffle=st.randoms(use_true_random=False))
def test_same_key_same_tokens_other_key_none(
    case: tuple[dict[str, Any], Secrets], shuffle: Any
) -> None:
    doc, _ = case
    first = export_of(doc)
    # Deterministic, and independent of the registry's order.
    shuffled = copy.deepcopy(doc)
    for key in ("elderly", "children", "needs", "offers", "followups", "micro_wishes"):
        shuffle.shuffle(shuffled[key])
    assert export_of(doc) == first
    assert export_of(shuffled).tables == first.tables
    other = export_of(doc, key=KEY + b"!")
    assert _tokens(first) and len(_tokens(first)) == len(_tokens(other))
    assert not _tokens(first) & _tokens(other)


@st.composite
def grid_mixes(draw: st.DrawFn) -> tuple[dict[str, Any], int]:
    """A cut of the sample with people moved between grids (or left without one), and a k."""
    doc = small_snapshot(draw(st.integers(0, 60)), draw(st.integers(0, 20)), 0)
    grids = st.sampled_from(["g1", "g2", "g3", "g7", None])
    for key in ("elderly", "children"):
        for record in doc[key]:
            record["grid"] = draw(grids)
    return doc, draw(st.integers(1, 9))


@PIPELINE
@given(case=grid_mixes())
def test_no_aggregate_cell_is_a_small_count(case: tuple[dict[str, Any], int]) -> None:
    doc, k = case
    policy = cc.default_policy().amend(date(2020, 1, 1), {"privacy.min_cell_count": k}, version="k")
    export = export_of(doc, policy=policy)
    assert export.min_cell_count == k
    tables = export.tables
    actual: Counter[tuple[str, str, str]] = Counter()
    for row in tables["elderly"]:
        actual[row["grid"] or "unassigned", "elderly_tier", row["tier"]] += 1
    for row in tables["children"]:
        if row["risk"] is not None:
            actual[row["grid"] or "unassigned", "child_risk", row["risk"]] += 1
    for row in tables["needs"]:
        if row["unmet_reason"] is not None:
            actual[row["grid"], "unmet_reason", row["unmet_reason"]] += 1
    cells = {(r["grid"], r["measure"], r["category"]): r["count"] for r in tables["aggregates"]}
    assert set(actual) <= set(cells)
    for cell, count in cells.items():
        assert count is None or count == 0 or count >= k
        n = actual[cell]
        assert count == (None if 0 < n < k else n), cell
    assert [g for g, _, _ in cells][:3] == ["g1"] * 3  # the snapshot's grids first


def test_the_default_k_is_5_and_a_policy_parameter() -> None:
    assert cc.default_policy().at(ON).privacy.min_cell_count == 5
    doc = demo_community()
    counts = [r["count"] for r in export_of(doc).tables["aggregates"]]
    assert None in counts and all(c is None or c == 0 or c >= 5 for c in counts)
    with pytest.raises(cc.InvalidInputError, match=r"privacy\.min_cell_count: expected >= 1"):
        cc.default_policy().amend(ON, {"privacy.min_cell_count": 0}, version="x")
    with pytest.raises(cc.InvalidInputError, match=r"privacy\.min_cell_count"):
        cc.default_policy().amend(ON, {"privacy.min_cell_count": -2}, version="x")
    with pytest.raises(cc.InvalidInputError, match="integer"):
        cc.default_policy().amend(ON, {"privacy.min_cell_count": "5"}, version="x")
    one = cc.default_policy().amend(ON, {"privacy.min_cell_count": 1}, version="k1")
    assert None not in [r["count"] for r in export_of(doc, policy=one).tables["aggregates"]]


# --- frames ---------------------------------------------------------------------------------------


def test_to_frames_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    export = export_of(small_snapshot(3, 1, 0))
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=re.escape("pip install 'community-care[examples]'")):
        export.to_frames()


def test_frames_hold_the_tables() -> None:
    export = export_of(small_snapshot(12, 6, 10))
    frames = export.to_frames()
    elderly = frames["elderly"]
    assert elderly["token"].tolist() == [r["token"] for r in export.tables["elderly"]]
    assert elderly["reasons"].iloc[0] == export.tables["elderly"][0]["reasons"]


# --- the command line ---------------------------------------------------------------------


def _key_file(tmp_path: Path, content: bytes = KEY, mode: int = 0o600) -> Path:
    path = tmp_path / "export.key"
    path.write_bytes(content)
    path.chmod(mode)
    return path


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_cli_export_writes_csv_that_excel_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = small_snapshot(12, 6, 10)
    # A caller's grid in Chinese, and categories that a spreadsheet would run as formulas.
    doc = json.loads(json.dumps(doc, ensure_ascii=False).replace('"g1"', '"一网格"'))
    formulas = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"]
    doc["needs"] += [
        {"id": f"f{i}", "category": c, "urgency": "low", "grid": "一网格"}
        for i, c in enumerate(formulas)
    ]
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    argv = ["export", str(snapshot), "--on", ON.isoformat(), "--key-file", str(_key_file(tmp_path))]
    assert main([*argv, "--out", str(out)]) == 0
    assert "written to" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLE_COLUMNS)
    export = export_of(doc)
    for name, rows in export.tables.items():
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
        back = _read_csv(out / f"{name}.csv")
        assert len(back) == len(rows)
        assert list(back[0]) == list(TABLE_COLUMNS[name])
        for row, read in zip(rows, back, strict=True):
            assert read == {k: cli._cell(v) for k, v in row.items()}
    aggregates = _read_csv(out / "aggregates.csv")
    assert "一网格" in {r["grid"] for r in aggregates}  # Chinese intact
    categories = {r["category"] for r in _read_csv(out / "needs.csv")}
    assert {"'" + f for f in formulas} <= categories
    assert not categories & set(formulas)
    elderly = _read_csv(out / "elderly.csv")
    assert elderly[0]["reasons"] == ";".join(export.tables["elderly"][0]["reasons"])
    # Run again: the files are replaced whole, and no temporary file is left behind.
    assert main([*argv, "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLE_COLUMNS)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (-3, "-3"),
        (["a", "b"], "a;b"),
        (["=x"], "'=x"),
        ("-1", "'-1"),
        ("\rcmd", "'\rcmd"),
        ("p0a", "p0a"),
    ],
)
def test_csv_cells(value: object, cell: str) -> None:
    assert cli._cell(value) == cell


def test_cli_export_of_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = _key_file(tmp_path)
    assert main(["export", "--sample", "--key-file", str(key), "--out", str(tmp_path / "o")]) == 0
    assert f"export of {DEMO_DATE.isoformat()}" in capsys.readouterr().out
    elderly = _read_csv(tmp_path / "o" / "elderly.csv")
    assert len(elderly) == 420
    assert independent_token(KEY, "e001") in {r["token"] for r in elderly}


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o700 | 0o004])
def test_cli_refuses_a_key_file_open_to_others(tmp_path: Path, mode: int) -> None:
    key = _key_file(tmp_path, mode=mode)
    code, out, err = _run(["export", "--sample", "--key-file", str(key), "--out", str(tmp_path)])
    assert code == 2 and not out
    assert err.count("\n") == 1 and "chmod 600" in err and "Traceback" not in err
    assert f"mode {mode:04o}" in err
    assert not list(tmp_path.glob("*.csv"))


def test_on_a_platform_without_permission_bits_the_mode_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_POSIX", False)
    key = _key_file(tmp_path, mode=0o644)
    code, _, err = _run(["export", "--sample", "--key-file", str(key), "--out", str(tmp_path)])
    assert code == 0, err


@pytest.mark.parametrize("content", [b"", b"k3y!Q", KEY[:15]])
def test_cli_refuses_a_short_key(tmp_path: Path, content: bytes) -> None:
    key = _key_file(tmp_path, content)
    code, out, err = _run(["export", "--sample", "--key-file", str(key), "--out", str(tmp_path)])
    assert code == 2 and not out
    assert err.count("\n") == 1 and f"holds {len(content)} bytes" in err
    assert "at least 16" in err and "Traceback" not in err
    if content:
        assert content.decode() not in err


def test_cli_export_errors(tmp_path: Path) -> None:
    key = str(_key_file(tmp_path))
    out = str(tmp_path / "out")
    # Neither a snapshot nor --sample, or both.
    code, _, err = _run(["export", "--key-file", key, "--out", out])
    assert code == 2 and "SNAPSHOT file or --sample" in err
    code, _, err = _run(["export", "x.json", "--sample", "--key-file", key, "--out", out])
    assert code == 2
    # A key file or a snapshot that cannot be read.
    code, _, err = _run(["export", "--sample", "--key-file", str(tmp_path / "no"), "--out", out])
    assert code == 2 and "cannot read the key file" in err
    code, _, err = _run(["export", str(tmp_path / "none.json"), "--key-file", key, "--out", out])
    assert code == 2 and "cannot read" in err
    # A snapshot whose frame is wrong, a date the calendar cannot plan: invalid input.
    bad = tmp_path / "bad.json"
    bad.write_text('{"community": 1, "grids": []}', encoding="utf-8")
    code, printed, _ = _run(["export", str(bad), "--key-file", key, "--out", out])
    assert code == 1 and "$.community" in printed
    small = tmp_path / "small.json"
    small.write_text(json.dumps(small_snapshot(3, 1, 0)), encoding="utf-8")
    code, printed, _ = _run(
        ["export", str(small), "--on", "9999-12-31", "--key-file", key, "--out", out]
    )
    assert code == 1 and "plan_community(on=...)" in printed
    # A directory that cannot be written (a file is in the way).
    blocked = tmp_path / "blocked"
    blocked.write_text("", encoding="utf-8")
    code, _, err = _run(["export", str(small), "--key-file", key, "--out", str(blocked)])
    assert code == 2 and "cannot write" in err and "Traceback" not in err


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: str, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cli.os, "replace", refuse)
    key = str(_key_file(tmp_path))
    out = tmp_path / "out"
    small = tmp_path / "small.json"
    small.write_text(json.dumps(small_snapshot(3, 1, 0)), encoding="utf-8")
    code, _, err = _run(["export", str(small), "--key-file", key, "--out", str(out)])
    assert code == 2 and "Permission denied" in err
    assert not list(out.iterdir())
