"""Every script in examples/ runs to the end.

An example that needs an optional extra (pandas, matplotlib) checks for it first and, when
it is missing, stops with ``SystemExit("skip: ...")``: the test reports a skip with that
message instead of a failure. Any other exit, and any error, fails the test.
"""

import runpy
import tempfile
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(
    path: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Whatever an example writes, in the working directory or a temporary directory,
    # lands in this test's scratch directory.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    try:
        runpy.run_path(str(path), run_name="__main__")
    except SystemExit as exc:
        if isinstance(exc.code, str) and exc.code.startswith("skip:"):
            pytest.skip(f"{path.name}: {exc.code.removeprefix('skip:').strip()}")
        raise
    assert capsys.readouterr().out.strip()
