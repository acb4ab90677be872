"""Run the code blocks of a documentation page and compare what they print with the page.

One rule for every page: a ```` ```python ```` block runs, and what it prints must be
shown right after it, in a text block titled "Output" (```` ```text title="Output" ````,
rendered with that title). The comparison is exact, line by line, except for spaces at
the ends of lines and blank lines at the end. A block with no Output block after it must
print nothing, so no printed value goes unchecked. An Output block that follows no
Python block, and a doctest prompt (``>>>``) inside a Python block, are errors: one
mechanism, not two.

The blocks of one page share a namespace, in order, as a reader who types them one after
another would. A block preceded by ``<!-- no-run: why -->`` is not run (a fragment that
needs a framework or a cluster the library does not depend on). The ``community-care``
lines of ```` ```bash ```` blocks run through the command's ``main``; each must exit 0
and print something (or write a file with ``-o``).

The same code serves two callers: ``tests/test_docs.py`` (every page and the README),
and the documentation build, as a MkDocs hook (``hooks:`` in ``mkdocs.yml``), so that
``mkdocs build --strict`` fails on a page whose text no longer matches the library.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w+-]*)(?P<attrs>[^`]*)$")
NO_RUN = re.compile(r"^\s*<!--\s*no-run(?::\s*(?P<why>.*?))?\s*-->\s*$")
OUTPUT_ATTRS = 'title="Output"'

# Modules of optional extras: a page that imports one is reported as skipped (not
# failed) where that extra is not installed.
OPTIONAL = {"pandas": "examples", "matplotlib": "examples", "openpyxl": "examples"}


@dataclass(frozen=True)
class Block:
    """One fenced block of a page."""

    page: str
    line: int  # the line of the first line of code, 1-based
    lang: str
    code: str
    no_run: str | None  # the reason given, when marked not runnable
    output: bool  # a ```text title="Output"``` block


class BlockError(AssertionError):
    """A block failed, or printed something other than its Output block shows."""


class MissingExtraError(Exception):
    """A block needs an optional extra that is not installed."""

    def __init__(self, block: Block, module: str) -> None:
        extra = OPTIONAL[module]
        super().__init__(
            f"{block.page}:{block.line} needs {module}, which is not installed"
            f" (pip install 'community-care[{extra}]')"
        )


def blocks(path: Path, name: str | None = None) -> Iterator[Block]:
    """The fenced blocks of a page that have a language, with their markers."""
    page = name or path.as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
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
        output = lang == "text" and m["attrs"].strip() == OUTPUT_ATTRS
        yield Block(page, start + 1, lang, code, no_run, output)
        i = end + 1


def _normal(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").splitlines()] if text.strip() else []


def _diff(expected: str, got: str) -> str:
    import difflib

    lines = difflib.unified_diff(_normal(expected), _normal(got), "shown", "printed", lineterm="")
    return "\n".join(lines)


def run_python(block: Block, namespace: dict[str, Any]) -> str:
    """Run one block in the page's namespace and return what it printed."""
    if any(line.lstrip().startswith(">>>") for line in block.code.splitlines()):
        raise BlockError(
            f"{block.page}:{block.line}: a doctest prompt; write the code plainly and show"
            f" what it prints in a ```text {OUTPUT_ATTRS} block after it"
        )
    # Pad so that a traceback's line numbers are the page's own.
    source = "\n" * (block.line - 1) + block.code
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(source, str(ROOT / block.page), "exec"), namespace)
    except ModuleNotFoundError as exc:
        if exc.name in OPTIONAL:
            raise MissingExtraError(block, exc.name) from exc
        raise
    return printed.getvalue()


def run_command(block: Block) -> None:
    """Run the ``community-care`` lines of a bash block through the command's ``main``."""
    from community_care.cli import main

    for number, raw in enumerate(block.code.splitlines(), start=block.line):
        argv = shlex.split(raw, comments=True)
        if not argv or argv[0] != "community-care":
            continue
        if {"|", ">", "&&", ";"} & set(argv):
            raise BlockError(f"{block.page}:{number}: keep it one command")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = main(argv[1:])
        out = printed.getvalue()
        if code != 0:
            raise BlockError(f"{block.page}:{number}: exit {code}\n{out}")
        if not out.strip() and "-o" not in argv:
            raise BlockError(f"{block.page}:{number}: printed nothing")


def check_page(path: Path, name: str | None = None, workdir: Path | None = None) -> int:
    """Run every block of a page and compare what each prints with its Output block.

    Args:
        path: The Markdown file.
        name: The page's name in messages (default: the path).
        workdir: Where files the page writes land (default: a fresh temporary directory).

    Returns:
        How many Python blocks ran, each with its printed output compared.

    Raises:
        BlockError: A block printed something other than its Output block shows, printed
            without an Output block, or is written as a doctest; a command failed.
        MissingExtraError: A block needs an optional extra that is not installed.
    """
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        here = Path.cwd()
        os.chdir(workdir)
        stack.callback(os.chdir, here)
        namespace: dict[str, Any] = {"__name__": f"docs:{name or path.name}"}
        return _check(list(blocks(path, name)), namespace)


def _check(page: list[Block], namespace: dict[str, Any]) -> int:
    ran = 0
    for i, block in enumerate(page):
        after = page[i + 1] if i + 1 < len(page) else None
        shown = after if after is not None and after.output else None
        if block.output:
            before = page[i - 1] if i else None
            if before is None or before.lang != "python" or before.no_run is not None:
                raise BlockError(
                    f"{block.page}:{block.line}: an Output block after no Python block"
                )
            continue
        if block.no_run is not None:
            continue
        if block.lang == "python":
            printed = run_python(block, namespace)
            ran += 1
            if shown is None and printed.strip():
                raise BlockError(
                    f"{block.page}:{block.line}: printed text that the page does not show;"
                    f" add a ```text {OUTPUT_ATTRS} block after it:\n{printed}"
                )
            if shown is not None and _normal(printed) != _normal(shown.code):
                raise BlockError(
                    f"{block.page}:{block.line}: printed text differs from the Output block"
                    f" at line {shown.line}:\n{_diff(shown.code, printed)}"
                )
        elif block.lang == "bash":
            run_command(block)
    return ran


# The MkDocs hook: ``mkdocs build`` runs every page's blocks as it reads the page.


def on_config(config: Any) -> Any:
    """Import the library from this source tree, the one the pages describe."""
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Fail the build when a block of the page fails or prints what the page does not show."""
    import logging

    from mkdocs.exceptions import PluginError

    path = Path(page.file.abs_src_path)
    try:
        ran = check_page(path, name=Path(page.file.src_uri).as_posix())
    except MissingExtraError as exc:
        # Not a failure: the CI build installs every extra, a local build may not.
        logging.getLogger("mkdocs.hooks.docs_blocks").info("not checked: %s", exc)
    except BlockError as exc:
        raise PluginError(f"docs/{exc}") from None
    except Exception as exc:  # a block raised: name the page, keep the cause
        raise PluginError(f"docs/{page.file.src_uri}: a block raised {exc!r}") from exc
    else:
        if ran:
            logging.getLogger("mkdocs.hooks.docs_blocks").debug("%s: %d blocks", path, ran)
    return markdown
