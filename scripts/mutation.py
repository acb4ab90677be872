"""Mutation testing of the rule modules with mutmut 3 (slow: not part of CI).

Usage::

    python scripts/mutation.py                 # all five rule modules
    python scripts/mutation.py elderly ledger  # some of them
    python scripts/mutation.py elderly --show  # and print the diff of every survivor

mutmut's configuration is the ``[mutmut]`` section of ``setup.cfg`` (the modules it may
mutate, the tests it runs, a fork server). The run happens on a copy of the project in
a temporary directory, so mutmut's ``mutants/`` folder never lands in the working tree
and the sources can change while it runs. Tests run with the reproducible ``ci``
hypothesis profile, so a mutant is killed or not the same way every time.

The score printed per module is killed / (killed + survived); a surviving mutant either
shows an assertion the tests lack (add a test) or is equivalent to the original (write
down why in the report).
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MODULES = ("elderly", "children", "linkage", "followup", "ledger")
ROOT = Path(__file__).resolve().parents[1]


def copy_project(work: Path) -> None:
    """The parts of the project mutmut needs: sources, tests and the two config files."""
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    for name in ("src", "tests"):
        shutil.copytree(ROOT / name, work / name, ignore=ignore, dirs_exist_ok=True)
    for name in ("setup.cfg", "pyproject.toml"):
        shutil.copy2(ROOT / name, work / name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"some of {', '.join(MODULES)} (default: all)")
    parser.add_argument("--workdir", type=Path, help="where to copy the project (kept)")
    parser.add_argument("--show", action="store_true", help="print every survivor's diff")
    parser.add_argument("--max-children", type=int, help="mutmut's parallel workers")
    args = parser.parse_args(argv)
    modules = args.modules or list(MODULES)
    unknown = sorted(set(modules) - set(MODULES))
    if unknown:
        parser.error(f"unknown modules {unknown}; expected some of {', '.join(MODULES)}")

    work = args.workdir or Path(tempfile.mkdtemp(prefix="community-care-mutmut-"))
    work.mkdir(parents=True, exist_ok=True)
    copy_project(work)
    env = {**os.environ, "HYPOTHESIS_PROFILE": "ci"}
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    command = [mutmut, "run", *(f"community_care.{m}.*" for m in modules)]
    if args.max_children:
        command[2:2] = ["--max-children", str(args.max_children)]
    print(f"mutmut in {work}: {' '.join(command[1:])}", flush=True)
    subprocess.run(command, cwd=work, env=env, check=False, stdout=subprocess.DEVNULL)

    listing = subprocess.run(
        [mutmut, "results", "--all", "true"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    survivors: dict[str, list[str]] = collections.defaultdict(list)
    for line in listing.splitlines():
        name, _, status = line.strip().rpartition(": ")
        module = name.split(".")[1] if name.count(".") >= 2 else ""
        if module not in modules:
            continue
        counts[module][status] += 1
        if status == "survived":
            survivors[module].append(name)

    for module in modules:
        c = counts[module]
        tested = c["killed"] + c["survived"]
        score = f"{100 * c['killed'] / tested:.1f}%" if tested else "-"
        others = ", ".join(
            f"{k} {v}" for k, v in sorted(c.items()) if k not in ("killed", "survived")
        )
        rest = f"; {others}" if others else ""
        print(f"{module}: {score} ({c['killed']} killed, {c['survived']} survived{rest})")
    for module in modules:
        for name in survivors[module]:
            print(f"survived: {name}")
            if args.show:
                diff = subprocess.run(
                    [mutmut, "show", name], cwd=work, env=env, capture_output=True, text=True
                ).stdout
                print("\n".join(f"    {line}" for line in diff.splitlines() if line[:1] in "+-"))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
