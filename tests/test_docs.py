"""Every ```python block of the docs and the README runs, and prints what the page shows.

The rule and the runner live in ``scripts/docs_blocks.py``, which the documentation build
also runs as a MkDocs hook: a Python block's printed text must equal the
```` ```text title="Output" ```` block after it (exactly, but for spaces at line ends), a
block without one must print nothing, and doctest prompts are refused (one mechanism on
every page). The blocks of one page share a namespace; the ``community-care`` lines of
```` ```bash ```` blocks run through the CLI's ``main``, in a fresh temporary directory
per page. A block preceded by ``<!-- no-run: why -->`` is not run.

A page whose code needs an optional extra (pandas for the examples) is skipped, with
the reason, only when that extra is not installed.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parent.parent


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "docs_blocks", ROOT / "scripts" / "docs_blocks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("docs_blocks", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


docs_blocks = _load_checker()

PAGES = sorted(
    p.relative_to(ROOT).as_posix() for p in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
)


def blocks(page: str) -> list[object]:
    return list(docs_blocks.blocks(ROOT / page, page))


@pytest.mark.parametrize("page", PAGES)
def test_page_code_runs_and_prints_what_it_shows(page: str, tmp_path: Path) -> None:
    try:
        docs_blocks.check_page(ROOT / page, name=page, workdir=tmp_path)
    except docs_blocks.MissingExtraError as exc:
        pytest.skip(str(exc))


def test_pages_have_code() -> None:
    """The extraction itself works: the pages this test relies on have runnable blocks."""
    runnable = [b for p in PAGES for b in blocks(p) if b.lang == "python" and b.no_run is None]
    pages = {b.page for b in runnable}
    assert {"README.md", "docs/tutorial.md", "docs/howto/policy.md"} <= pages


def test_every_printing_block_shows_its_output() -> None:
    """Output blocks are found, and most Python blocks of the docs have one."""
    every = [b for p in PAGES for b in blocks(p)]
    shown = [b for b in every if b.output]
    python = [b for b in every if b.lang == "python" and b.no_run is None]
    assert len(shown) >= 35, len(shown)
    assert len(shown) <= len(python)


def test_no_run_blocks_are_few_and_explained() -> None:
    """Blocks left out of the run are rare, and each says why."""
    skipped = [b for p in PAGES for b in blocks(p) if b.no_run is not None]
    for block in skipped:
        assert block.no_run != "not runnable", (
            f"{block.page}:{block.line}: say why, as <!-- no-run: reason -->"
        )
    assert len(skipped) <= 5, [f"{b.page}:{b.line}" for b in skipped]


def test_mkdocs_build_runs_the_checker() -> None:
    """The documentation build runs the same checker, as a hook."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks:\n  - scripts/docs_blocks.py" in config


# The checker on small planted pages: each way a page can stop telling the truth fails.

GOOD = """\
# A page

```python
x = 6 * 7
print(str(x) + "  ")  # spaces at the end of a line are not compared
```

```text title="Output"
42
```

```python
y = x + 1
```
"""


def _check(tmp_path: Path, text: str) -> int:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    count: int = docs_blocks.check_page(page, name="page.md", workdir=tmp_path)
    return count


def test_checker_passes_a_true_page(tmp_path: Path) -> None:
    assert _check(tmp_path, GOOD) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # A wrong expected output.
        (GOOD.replace("\n42\n", "\n43\n"), "differs from the Output block"),
        # An output shown for a block that prints more.
        (GOOD.replace("x = 6 * 7", "x = 6 * 7\nprint(x)"), "differs from the Output block"),
        # A printed value the page does not show.
        (GOOD.replace("y = x + 1", "print(x + 1)"), "does not show"),
        # An Output block after no Python block.
        (GOOD + '\n```text\n1\n```\n\n```text title="Output"\n1\n```\n', "after no Python"),
        # The other mechanism.
        ("```python\n>>> 1 + 1\n2\n```\n", "doctest prompt"),
        # An empty Output block for a block that prints.
        (GOOD.replace("\n42\n", "\n"), "differs from the Output block"),
    ],
    ids=["wrong", "more", "unshown", "orphan", "doctest", "empty"],
)
def test_checker_fails_a_page_that_is_not_true(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(docs_blocks.BlockError, match=message):
        _check(tmp_path, text)


def test_checker_runs_commands_and_fails_on_their_errors(tmp_path: Path) -> None:
    page = "```bash\ncommunity-care validate missing.json\n```\n"
    with pytest.raises(docs_blocks.BlockError, match="exit 2"):
        _check(tmp_path, page)
    assert _check(tmp_path, "```bash\ncommunity-care schema Offer\n```\n") == 0


def test_checker_skips_what_needs_a_missing_extra(tmp_path: Path) -> None:
    # A module of an optional extra that is missing: reported as such, not as a failure.
    sys.modules["pandas_missing_for_the_test"] = None  # type: ignore[assignment]
    try:
        docs_blocks.OPTIONAL["pandas_missing_for_the_test"] = "examples"
        with pytest.raises(docs_blocks.MissingExtraError, match="not installed"):
            _check(tmp_path, "```python\nimport pandas_missing_for_the_test\n```\n")
    finally:
        del sys.modules["pandas_missing_for_the_test"]
        del docs_blocks.OPTIONAL["pandas_missing_for_the_test"]


# The reference pages list everything the code can give, so a new code cannot be forgotten.


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def rejection_codes() -> set[str]:
    """Every ``code`` a ``Rejection(...)`` of the library can carry, read from the source.

    A literal code counts directly; a code held in a variable counts every string assigned
    to that variable in the same function (``code = "a" if ... else "b"``).
    """
    codes: set[str] = set()
    for path in (ROOT / "src" / "community_care").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [tree, *ast.walk(tree)]:
            if not isinstance(function, (ast.Module, ast.FunctionDef)):
                continue
            assigned: dict[str, set[str]] = {}
            for node in ast.walk(function):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            assigned.setdefault(target.id, set()).update(_strings(node.value))
            for node in ast.walk(function):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Rejection"):
                    continue
                for keyword in node.keywords:
                    if keyword.arg != "code":
                        continue
                    if isinstance(keyword.value, ast.Name):
                        codes |= assigned.get(keyword.value.id, set())
                    else:
                        codes |= _strings(keyword.value)
    return codes


def test_the_errors_page_lists_every_rejection_code() -> None:
    codes = rejection_codes()
    # The scan itself works: the codes the plan gives today are found.
    assert {"invalid_input", "duplicate_id", "not_eligible", "calendar_range"} <= codes
    page = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(\w+)` \|", page, flags=re.M))
    missing = codes - listed
    assert not missing, f"docs/errors.md does not list the rejection code(s) {sorted(missing)}"


def test_the_errors_page_lists_every_error_type_and_unmatched_reason() -> None:
    from community_care import errors
    from community_care.linkage import UNMATCHED_REASONS

    page = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(\w+)` \|", page, flags=re.M))
    types = {
        name
        for name in errors.__all__
        if isinstance(getattr(errors, name), type)
        and issubclass(getattr(errors, name), errors.CommunityCareError)
        and name != "CommunityCareError"
    }
    assert types and not types - listed, sorted(types - listed)
    assert not set(UNMATCHED_REASONS) - listed, sorted(set(UNMATCHED_REASONS) - listed)
    for code in ("0", "1", "2"):
        assert re.search(rf"^\| {code} \| ", page, flags=re.M), f"exit code {code}"


def test_the_install_page_lists_every_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = set(project["project"]["optional-dependencies"])
    page = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([\w-]+)` \|", page, flags=re.M))
    assert "fast" in extras
    assert not extras - listed, f"docs/install.md does not describe {sorted(extras - listed)}"


def test_the_spreadsheet_mapping_gives_every_field_a_column() -> None:
    """Each field of the records a sheet holds has its column on the mapping page."""
    import attrs

    from community_care import ChildProfile, ElderlyProfile, HomeSafety, Need, Offer
    from community_care.children import Parent

    page = (ROOT / "docs" / "howto" / "spreadsheet-mapping.md").read_text(encoding="utf-8")
    columns = set(re.findall(r"`([\w.\[\]<>]+)`", page))
    wanted = {
        *(f.name for f in attrs.fields(ElderlyProfile) if f.name not in ("home", "ability_items")),
        *(f"home.{f.name}" for f in attrs.fields(HomeSafety)),
        "ability_items.<item>",
        *(f.name for f in attrs.fields(ChildProfile) if f.name != "parents"),
        *(f"parents[{i}].{f.name}" for i in (0, 1) for f in attrs.fields(Parent)),
        *(f.name for f in attrs.fields(Offer)),
        *(f.name for f in attrs.fields(Need)),
    }
    assert not wanted - columns, sorted(wanted - columns)
    from community_care import AbilityItems

    items = {f.name for f in attrs.fields(AbilityItems)}
    assert not items - columns, sorted(items - columns)


def test_the_build_hook_fails_a_page_that_is_not_true(tmp_path: Path) -> None:
    """What ``mkdocs build`` calls for each page: a wrong output stops the build."""
    exceptions = pytest.importorskip("mkdocs.exceptions")
    page = tmp_path / "page.md"

    class File:
        abs_src_path = str(page)
        src_uri = "page.md"

    class Page:
        file = File()

    page.write_text(GOOD, encoding="utf-8")
    assert docs_blocks.on_page_markdown(GOOD, Page(), None, None) == GOOD
    page.write_text(GOOD.replace("\n42\n", "\n43\n"), encoding="utf-8")
    with pytest.raises(exceptions.PluginError, match="differs from the Output block"):
        docs_blocks.on_page_markdown("", Page(), None, None)
    page.write_text("```python\n1 / 0\n```\n", encoding="utf-8")
    with pytest.raises(exceptions.PluginError, match="ZeroDivisionError"):
        docs_blocks.on_page_markdown("", Page(), None, None)
