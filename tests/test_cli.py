import json
import os
import subprocess
import sys
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


# --- outputs: never over an input, whole or not at all, one line when they fail ---------


def _tiny_snapshot(name: str = "东风社区") -> str:
    return json.dumps({"community": {"id": "c", "name": name}, "grids": ["g1"]})


def test_an_output_path_that_is_the_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = tmp_path / "registry.json"
    registry.write_text(_tiny_snapshot(), encoding="utf-8")
    before = registry.read_bytes()
    for spelling in (str(registry), str(tmp_path / "." / "registry.json")):
        assert main(["plan", spelling, "--on", "2026-11-30", "--html", str(registry)]) == 2
        err = capsys.readouterr().err
        assert "refusing to write over an input file" in err and "Traceback" not in err
    assert registry.read_bytes() == before
    link = tmp_path / "link.html"
    link.symlink_to(registry)
    assert main(["plan", str(registry), "--on", "2026-11-30", "--html", str(link)]) == 2
    assert registry.read_bytes() == before


def test_a_failed_write_leaves_the_old_report_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = tmp_path / "registry.json"
    registry.write_text(_tiny_snapshot(), encoding="utf-8")
    report = tmp_path / "report.html"
    report.write_text("the report of last week", encoding="utf-8")
    report.chmod(0o640)

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("community_care.cli.os.replace", disk_full)
    assert main(["plan", str(registry), "--on", "2026-11-30", "--html", str(report)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert report.read_text(encoding="utf-8") == "the report of last week"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registry.json", "report.html"]
    monkeypatch.undo()
    assert main(["plan", str(registry), "--on", "2026-11-30", "--html", str(report)]) == 0
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert report.stat().st_mode & 0o777 == 0o640  # the report keeps its mode


@pytest.mark.parametrize("where", ["missing-dir/out.html", "."])
def test_a_bad_output_path_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    registry = tmp_path / "registry.json"
    registry.write_text(_tiny_snapshot(), encoding="utf-8")
    target = str(tmp_path / where)
    assert main(["plan", str(registry), "--on", "2026-11-30", "--html", target]) == 2
    err = capsys.readouterr().err
    assert err.startswith("community-care: cannot write") and err.count("\n") == 1
    assert main(["sample", "-o", target]) == 2
    assert capsys.readouterr().err.startswith("community-care: cannot write")


def test_control_characters_in_data_are_escaped_on_the_terminal_and_dropped_in_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "东风\x1b]0;owned\x07社区\u202e\r假行"
    registry = tmp_path / "registry.json"
    registry.write_text(_tiny_snapshot(hostile), encoding="utf-8")
    for extra in ([], ["--json"], ["--lang", "en"]):
        assert main(["plan", str(registry), "--on", "2026-11-30", *extra]) == 0
        out = capsys.readouterr().out
        assert not any(ch in out for ch in "\x1b\x07\u202e\r"), extra
        assert "\\u001b]0;owned\\u0007" in out
    assert main(["plan", str(registry), "--on", "2026-11-30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["community"]["name"] == hostile  # still JSON
    page = tmp_path / "report.html"
    assert main(["plan", str(registry), "--on", "2026-11-30", "--html", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert not any(ch in html for ch in "\x1b\x07\u202e")
    assert "东风]0;owned社区" in html


class _ClosedPipe:
    """Standard output whose reader has gone away."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    assert main(["demo"]) == 2
    assert capsys.readouterr().err == (
        "community-care: standard output was closed before the output was written\n"
    )


def _run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    source = str(Path(__file__).resolve().parents[1] / "src")
    environment = {**os.environ, "PYTHONPATH": source, **(env or {})}
    code = "import sys; from community_care.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, env=environment, timeout=300
    )


def test_a_reader_that_stops_early_and_an_ascii_terminal_give_no_traceback() -> None:
    source = str(Path(__file__).resolve().parents[1] / "src")
    code = "import sys; from community_care.cli import main; sys.exit(main(sys.argv[1:]))"
    with subprocess.Popen(
        [sys.executable, "-c", code, "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": source},
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # like `community-care demo | head -1`
        err = process.stderr.read().decode()
        assert process.wait(timeout=300) in (0, 2)
    assert "Traceback" not in err
    ascii_run = _run_cli("demo", env={"PYTHONIOENCODING": "ascii"})
    assert ascii_run.returncode == 0, ascii_run.stderr
    assert b"Traceback" not in ascii_run.stderr
    assert b"\\u8001" in ascii_run.stdout  # 老, escaped rather than a UnicodeEncodeError
