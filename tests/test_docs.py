"""Every ```python block of the docs and the README runs, in order, page by page.

The blocks of one page share a namespace, as a reader who types them one after another
would. A block written as a doctest (its first line starts with ``>>>``) is checked with
doctest in that namespace, so its printed results must match too. A block preceded by a
``<!-- no-run: why -->`` comment is not run (for fragments that cannot run on their own,
such as a web-framework adapter); the test below keeps that list short and explained.

The ``community-care`` command lines of ```bash blocks run too, through the CLI's
``main``, in the page's working directory (a fresh temporary directory per page).

A page whose code needs an optional extra (pandas for the examples) is skipped, with
the reason, only when that extra is not installed.
"""

from __future__ import annotations

import doctest
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from community_care.cli import main

ROOT = Path(__file__).parent.parent
PAGES = sorted(
    p.relative_to(ROOT).as_posix() for p in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
)

# Modules of optional extras: a page that imports one is skipped when it is missing.
OPTIONAL = {"pandas": "examples", "matplotlib": "examples", "openpyxl": "examples"}

FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w+-]*)\s*$")
NO_RUN = re.compile(r"^\s*<!--\s*no-run(?::\s*(?P<why>.*?))?\s*-->\s*$")


@attrs.frozen
class Block:
    page: str
    line: int  # the line of the first line of code, 1-based
    lang: str
    code: str
    no_run: str | None  # the reason given, when marked not runnable


def blocks(page: str) -> Iterator[Block]:
    """The fenced code blocks of a page, with the no-run marker that precedes each."""
    lines = (ROOT / page).read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or not m["lang"]:
            i += 1
            continue
        indent, lang, start = len(m["indent"]), m["lang"], i + 1
        end = start
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        code = "\n".join(line[indent:] for line in lines[start:end]) + "\n"
        before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        marker = NO_RUN.match(before)
        no_run = (marker["why"] or "not runnable") if marker else None
        yield Block(page=page, line=start + 1, lang=lang, code=code, no_run=no_run)
        i = end + 1


def run_python(block: Block, namespace: dict[str, Any]) -> None:
    if block.code.lstrip().startswith(">>>"):
        test = doctest.DocTestParser().get_doctest(
            block.code, namespace, block.page, block.page, block.line - 1
        )
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, clear_globs=False)
        # Names the doctest defined stay for the page's later blocks.
        namespace.update(test.globs)
        assert runner.failures == 0, f"{block.page}:{block.line}: doctest failed (output above)"
        return
    # Pad so that a traceback's line numbers are the page's own.
    source = "\n" * (block.line - 1) + block.code
    exec(compile(source, str(ROOT / block.page), "exec"), namespace)


def run_command(block: Block, capsys: pytest.CaptureFixture[str]) -> None:
    for number, raw in enumerate(block.code.splitlines(), start=block.line):
        argv = shlex.split(raw, comments=True)
        if not argv or argv[0] != "community-care":
            continue
        assert not {"|", ">", "&&", ";"} & set(argv), f"{block.page}:{number}: keep it one command"
        code = main(argv[1:])
        out = capsys.readouterr().out
        assert code == 0, f"{block.page}:{number}: exit {code}\n{out}"
        assert out.strip() or "-o" in argv, f"{block.page}:{number}: printed nothing"


@pytest.mark.parametrize("page", PAGES)
def test_page_code_runs(
    page: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Files a page writes (sample.json, a calendar, a plot) land in a scratch directory.
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": f"docs:{page}"}
    for block in blocks(page):
        if block.no_run is not None:
            continue
        if block.lang == "python":
            try:
                run_python(block, namespace)
            except ModuleNotFoundError as exc:
                if exc.name not in OPTIONAL:
                    raise
                pytest.skip(
                    f"{page}:{block.line} needs {exc.name}, which is not installed"
                    f" (pip install 'community-care[{OPTIONAL[exc.name]}]')"
                )
        elif block.lang == "bash":
            run_command(block, capsys)


def test_pages_have_code() -> None:
    """The extraction itself works: the pages this test relies on have runnable blocks."""
    runnable = [b for p in PAGES for b in blocks(p) if b.lang == "python" and b.no_run is None]
    pages = {b.page for b in runnable}
    assert {"README.md", "docs/tutorial.md", "docs/howto/policy.md"} <= pages


def test_no_run_blocks_are_few_and_explained() -> None:
    """Blocks left out of the run are rare, and each says why."""
    skipped = [b for p in PAGES for b in blocks(p) if b.no_run is not None]
    for block in skipped:
        assert block.no_run != "not runnable", (
            f"{block.page}:{block.line}: say why, as <!-- no-run: reason -->"
        )
    assert len(skipped) <= 5, [f"{b.page}:{b.line}" for b in skipped]
