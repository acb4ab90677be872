"""The ``community-care`` command: the only module that reads files, the clock or the terminal.

Commands: ``demo`` (the sample community's plan as a report), ``plan FILE``,
``validate FILE``, ``schema MODEL``, ``sample``, ``export FILE`` (a pseudonymised export
as CSV tables, spec §8); ``demo`` and ``plan`` write the HTML report with ``--html OUT``.
Exit codes: 0 done, 1 invalid input (every problem listed with its JSON path), 2 usage or
I/O (a file that cannot be read or written, an output path that is one of the inputs, a
key file that is refused, standard output closed early). Every failure is one line of
text, never a traceback.

What the command prints is safe for a terminal: control characters and bidirectional
overrides in the data are shown escaped (``\\u001b``), so a data file cannot retitle a
terminal or fake a line. Files are written whole or not at all (a temporary file beside
the target, then a rename), so a failed write never leaves a truncated report.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import secrets
import stat
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from community_care import (
    Cadence,
    ChildProfile,
    CommunityCareError,
    ElderlyProfile,
    Hazard,
    HomeSafety,
    InvalidInputError,
    MicroWish,
    Need,
    Offer,
    Problem,
    ServiceActivity,
    from_json,
    json_schema,
    to_json,
)
from community_care._kernel.display import escape_controls
from community_care.community import (
    CommunityPlan,
    CommunitySnapshot,
    load_snapshot,
    plan_community,
)
from community_care.followup import FollowUp
from community_care.html import render_html
from community_care.privacy import (
    MIN_KEY_BYTES,
    TABLE_COLUMNS,
    PseudonymisedExport,
    pseudonymise,
)
from community_care.report import render_text
from community_care.samples import DEMO_DATE, demo_community
from community_care.serialization import parse_json

__all__ = ["main"]

MODELS: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        CommunitySnapshot,
        ElderlyProfile,
        HomeSafety,
        ChildProfile,
        MicroWish,
        Need,
        Offer,
        Cadence,
        FollowUp,
        ServiceActivity,
        Problem,
        Hazard,
    )
}


def _say(text: object = "", *, file: TextIO | None = None, end: str = "\n") -> None:
    """Print ``text`` with its control characters and direction overrides escaped."""
    print(escape_controls(str(text)), file=file or sys.stdout, end=end)


def _fail(message: str) -> int:
    """One line on standard error, ``community-care: ...``; the exit code of I/O and usage."""
    _say(f"community-care: {message}", file=sys.stderr)
    return 2


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:  # pragma: no cover - a path that cannot be resolved is not an input
        return False


def _write_text(
    path: str | Path, text: str, inputs: Sequence[str] = (), *, encoding: str = "utf-8"
) -> int:
    """Write ``text`` to ``path`` atomically; 0, or 2 with one line on standard error.

    The one way the command line writes a file (a report, a plan, each table of an
    export). The text goes to a temporary file in the target's directory, which then
    replaces the target in one rename: a failure leaves an existing file as it was. A
    path that names one of the command's input files is refused.
    """
    target = Path(path)
    if any(_same_file(target, Path(source)) for source in inputs):
        return _fail(f"refusing to write over an input file: {path}")
    if target.is_dir():
        return _fail(f"cannot write {path}: it is a directory")
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        # Created new (O_EXCL) with the mode a new file gets from the umask, like a plain
        # write; an existing target keeps its own mode.
        mode = target.stat().st_mode & 0o7777 if target.exists() else None
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror or exc}")
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as stream:
            stream.write(text)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return _fail(f"cannot write {path}: {exc.strerror or exc}")
    return 0


class _Progress:
    """Stage messages on standard error, only when it is a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.on = stream.isatty()

    def __call__(self, message: str) -> None:
        if self.on:
            self.stream.write(f"\r\x1b[2K{message}")
            self.stream.flush()

    def done(self) -> None:
        if self.on:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def _run_plan(data: Any, on: date, args: argparse.Namespace) -> int:
    progress = _Progress(sys.stderr)
    progress("reading the registry ...")
    try:
        loaded = load_snapshot(data)
    except InvalidInputError as exc:
        progress.done()
        for problem in exc.problems:
            _say(problem)
        _say(f"{len(exc.problems)} problem(s) in the snapshot", file=sys.stderr)
        return 1
    progress(f"planning {len(loaded.snapshot.elderly)} older residents and"
             f" {len(loaded.snapshot.children)} children ...")  # fmt: skip
    try:
        plan = plan_community(data, on=on)
    except CommunityCareError as exc:
        # A request the library cannot answer (a date outside the calendar's years, say).
        progress.done()
        lines = [str(p) for p in exc.problems] if isinstance(exc, InvalidInputError) else [str(exc)]
        _say("\n".join(lines))
        return 1
    progress.done()
    if args.json:
        _say(to_json(plan))
    elif not args.html:
        _say(render_text(plan, loaded.snapshot, lang=args.lang), end="")
    if args.html:
        return _write_html(plan, loaded.snapshot, args)
    return 0


def _write_html(plan: CommunityPlan, snapshot: CommunitySnapshot, args: argparse.Namespace) -> int:
    """Write the HTML report; say where on standard output (standard error after --json)."""
    try:
        text = render_html(plan, snapshot, lang=args.lang)
    except ImportError as exc:
        return _fail(str(exc))
    code = _write_text(args.html, text, _inputs(args))
    if code == 0:
        _say(f"HTML report written to {args.html}", file=sys.stderr if args.json else sys.stdout)
    return code


def _inputs(args: argparse.Namespace) -> list[str]:
    """The files a command reads: an output path may not be one of them."""
    return [args.file] if getattr(args, "file", None) else []


def _demo(args: argparse.Namespace) -> int:
    return _run_plan(demo_community(), DEMO_DATE, args)


def _read_json(path: str) -> tuple[Any, int]:
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        return None, _fail(f"cannot read {path}: {exc.strerror or exc}")
    try:
        # The same strict reading as validate: duplicate keys, NaN and Infinity are errors.
        return parse_json(text), 0
    except InvalidInputError as exc:
        for problem in exc.problems:
            _say(problem)
        return None, 1


def _plan(args: argparse.Namespace) -> int:
    data, code = _read_json(args.file)
    if code:
        return code
    return _run_plan(data, args.on or date.today(), args)


def _validate(args: argparse.Namespace) -> int:
    model = MODELS[args.model]
    try:
        text = Path(args.file).read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {args.file}: {exc.strerror or exc}")
    try:
        from_json(text, model)
    except InvalidInputError as exc:
        for problem in exc.problems:
            _say(problem)
        _say(f"{len(exc.problems)} problem(s) in {args.file}", file=sys.stderr)
        return 1
    _say(f"{args.file}: a valid {args.model}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(MODELS[args.model]), ensure_ascii=False, indent=2))
    return 0


def _sample(args: argparse.Namespace) -> int:
    text = json.dumps(demo_community(args.seed), ensure_ascii=False, indent=2) + "\n"
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    return _write_text(args.output, text)


# --- export: a pseudonymised export as CSV tables (spec §8) ---

# Whether the platform has POSIX permission bits. Elsewhere (Windows) a file's mode says
# nothing about who may read it, so the key file's access is left to the platform's ACLs.
_POSIX = os.name == "posix"

# A cell a spreadsheet would run as a formula (CSV injection), and the characters OWASP
# lists besides (a tab or a carriage return first).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _read_key(path: str) -> bytes | None:
    """The key file's bytes, exactly; ``None`` (after a one-line message) if refused."""
    try:
        with open(path, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            key = handle.read()
    except OSError as exc:
        _fail(f"cannot read the key file {path}: {exc.strerror or exc}")
        return None
    if _POSIX and mode & 0o077:
        _fail(
            f"the key file {path} is open to other users"
            f" (mode {stat.S_IMODE(mode):04o}); make it private: chmod 600 {path}"
        )
        return None
    if len(key) < MIN_KEY_BYTES:
        _fail(
            f"the key file {path} holds {len(key)} bytes; a key needs at"
            f' least {MIN_KEY_BYTES} (make one with: python -c "import secrets,sys;'
            f' sys.stdout.buffer.write(secrets.token_bytes(32))" > {path})'
        )
        return None
    return key


def _cell(value: object) -> str:
    """A table value as CSV text: lists joined by ``;``, text that looks like a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _write_csv(export: PseudonymisedExport, out: Path) -> int:
    """Each table as ``out/<table>.csv``: UTF-8 with a BOM (Excel reads Chinese), atomically."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fail(f"cannot write to {out}: {exc.strerror or exc}")
    for name, rows in export.tables.items():
        columns = TABLE_COLUMNS[name]
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(columns)
        writer.writerows([_cell(row[c]) for c in columns] for row in rows)
        # No table is an input: the command checks every target before it writes any.
        code = _write_text(out / f"{name}.csv", text.getvalue(), encoding="utf-8-sig")
        if code:
            return code
    return 0


def _export(args: argparse.Namespace) -> int:
    if (args.file is None) == (not args.sample):
        return _fail("export takes a SNAPSHOT file or --sample")
    key = _read_key(args.key_file)
    if key is None:
        return 2
    if args.sample:
        data: Any = demo_community()
        on = args.on or DEMO_DATE
    else:
        data, code = _read_json(args.file)
        if code:
            return code
        on = args.on or date.today()
    try:
        loaded = load_snapshot(data)
        plan = plan_community(data, on=on)
        export = pseudonymise(loaded.snapshot, plan, key=key)
    except CommunityCareError as exc:
        lines = [str(p) for p in exc.problems] if isinstance(exc, InvalidInputError) else [str(exc)]
        _say("\n".join(lines))
        return 1
    inputs = [args.key_file, *([args.file] if args.file else [])]
    targets = [Path(args.out) / f"{name}.csv" for name in export.tables]
    if any(_same_file(target, Path(source)) for target in targets for source in inputs):
        return _fail(f"refusing to write over an input file in {args.out}")
    code = _write_csv(export, Path(args.out))
    if code:
        return code
    sizes = ", ".join(f"{name}.csv ({len(rows)} rows)" for name, rows in export.tables.items())
    _say(f"pseudonymised export of {on.isoformat()} written to {args.out}: {sizes}")
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-30, got {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="community-care",
        description="Risk tiers, support plans, five-party matching and follow-up for"
        " community care.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def output_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print the plan as JSON")
        p.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language")
        p.add_argument(
            "--html",
            metavar="OUT",
            help="write the report as one self-contained HTML file (needs the html extra)",
        )

    demo = sub.add_parser("demo", help="plan the built-in sample community and print the report")
    output_options(demo)
    demo.set_defaults(run=_demo)
    plan = sub.add_parser("plan", help="plan a community snapshot (JSON file)")
    plan.add_argument("file")
    plan.add_argument("--on", type=_date, help="the date of the plan (default: today)")
    output_options(plan)
    plan.set_defaults(run=_plan)
    validate = sub.add_parser("validate", help="check a JSON document against a model")
    validate.add_argument("file")
    validate.add_argument("--as", dest="model", choices=sorted(MODELS), default="CommunitySnapshot")
    validate.set_defaults(run=_validate)
    schema = sub.add_parser("schema", help="print the JSON Schema of a model")
    schema.add_argument("model", choices=sorted(MODELS))
    schema.set_defaults(run=_schema)
    sample = sub.add_parser("sample", help="write the sample community's snapshot as JSON")
    sample.add_argument("-o", "--output", help="file to write (default: standard output)")
    sample.add_argument("--seed", type=int, default=0)
    sample.set_defaults(run=_sample)
    export = sub.add_parser(
        "export",
        help="write a pseudonymised export (CSV tables, no names or ids) for analysts",
    )
    export.add_argument("file", nargs="?", help="the snapshot (JSON); omit it with --sample")
    export.add_argument("--sample", action="store_true", help="export the built-in sample")
    export.add_argument(
        "--on", type=_date, help="the date of the plan (default: today; the sample's with --sample)"
    )
    export.add_argument(
        "--key-file",
        required=True,
        help=f"the secret key: the file's bytes, at least {MIN_KEY_BYTES}; on POSIX it must"
        " not be open to other users (chmod 600)",
    )
    export.add_argument("--out", required=True, help="the directory to write the tables to")
    export.set_defaults(run=_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe whose encoding cannot show Chinese (LANG=C, say) gets escapes
        # for what it cannot show, rather than a UnicodeEncodeError half way through.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``community-care demo | head``): nothing more can be
        # shown; point standard output at nothing so the interpreter's last flush is quiet.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        with contextlib.suppress(OSError):
            _fail("standard output was closed before the output was written")
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
