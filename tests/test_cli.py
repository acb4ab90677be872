import json
from pathlib import Path

import pytest

from community_care.cli import main


def test_demo_prints_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "tiers: red" in out
    assert "王秀英" not in out


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
