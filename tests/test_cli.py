import json
from pathlib import Path

import pytest

from community_care.cli import main


def test_demo_prints_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for heading in (
        "老年人风险分级",
        "红色名单",
        "困境儿童",
        "五社联动",
        "本周探访",
        "逾期",
        "隐患",
        "指标",
    ):
        assert heading in out


def test_validate_reports_every_problem_with_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"id": "e", "birth_date": "1950-01-01", "living_arrangement": "x", "q": 1})
    )
    assert main(["validate", str(bad), "--as", "ElderlyProfile"]) == 1
    out = capsys.readouterr().out
    assert "$.living_arrangement: expected one of" in out
    assert "$.q: unknown field" in out

    good = tmp_path / "good.json"
    good.write_text(json.dumps({"floor": 3}))
    assert main(["validate", str(good), "--as", "HomeSafety"]) == 0
    assert main(["validate", str(tmp_path / "missing.json"), "--as", "HomeSafety"]) == 2


def test_schema_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "Need"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Need"


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate", "x.json", "--as", "Nope"])
    assert info.value.code == 2


def test_plan_of_the_written_sample_equals_demo_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sample.json"
    assert main(["sample", "-o", str(path)]) == 0
    assert main(["plan", str(path), "--on", "2026-11-30", "--json"]) == 0
    planned = capsys.readouterr().out
    assert main(["demo", "--json"]) == 0
    assert capsys.readouterr().out == planned
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["demo", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "KPIs of the last 12 months" in out and "activities: 83" in out


def test_plan_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"community": {"id": "x"}, "grids": []}')
    assert main(["plan", str(bad), "--on", "2026-11-30"]) == 1
    assert "$.community.name" in capsys.readouterr().out
    bad.write_text("{")
    assert main(["plan", str(bad)]) == 1
    assert main(["plan", str(tmp_path / "none.json")]) == 2
    with pytest.raises(SystemExit) as info:
        main(["plan", str(bad), "--on", "30/11/2026"])
    assert info.value.code == 2


def test_sample_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", "--seed", "3"]) == 0
    assert json.loads(capsys.readouterr().out)["community"]["id"] == "demo"


def test_plan_reports_requests_the_library_cannot_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sample.json"
    assert main(["sample", "-o", str(path)]) == 0
    assert main(["plan", str(path), "--on", "2100-01-01"]) == 1  # beyond the calendar
    assert "outside the years" in capsys.readouterr().out
    assert main(["plan", str(path), "--on", "9999-12-31"]) == 1
    dup = tmp_path / "dup.json"
    dup.write_text('{"community": {"id": "a", "name": "b"}, "grids": [], "grids": []}')
    assert main(["plan", str(dup)]) == 1  # read as strictly as validate reads
    assert "duplicate key 'grids'" in capsys.readouterr().out
    dup.write_text('{"community": {"id": "a", "name": "b"}, "grids": [NaN]}')
    assert main(["plan", str(dup)]) == 1
