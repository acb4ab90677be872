"""Mutation testing of the rule modules with mutmut 3 (slow: not part of CI).

Usage::

    python scripts/mutation.py                 # all five rule modules
    python scripts/mutation.py elderly ledger  # some of them
    python scripts/mutation.py elderly --show  # and print the diff of every survivor
    python scripts/mutation.py ledger --workdir W --no-run   # recheck a finished run in W

mutmut's configuration is the ``[mutmut]`` section of ``setup.cfg`` (the modules it may
mutate, the tests it runs, a fork server). The run happens on a copy of the project in
a temporary directory, so mutmut's ``mutants/`` folder never lands in the working tree
and the sources can change while it runs. Tests run with the ``mutation`` hypothesis
profile: the reproducible ``ci`` profile's examples without shrinking, so a mutant is
killed or not exactly as under ``ci``, the same way every time, and sooner.

mutmut runs, for each mutant, only the tests that called the mutated function while
its statistics were gathered. A function called while a module is imported (the field
builders of the ``ledger`` package, say) is credited to whichever test happened to import
the module first, or to none, so its mutants can survive tests that would kill them, or
be left with "no tests". Each such mutant is therefore checked again: the package's
whole test files, with the misuse tests of every argument check
(``tests/test_misuse.py``), run against it (mutmut's ``MUTANT_UNDER_TEST`` switch in its
copy of the sources, so that several rechecks run at once without writing a file).
``--no-recheck`` skips this. A mutant with no test after the recheck counts as survived.

The score printed per module is killed / (killed + survived); a surviving mutant either
shows an assertion the tests lack (add a test) or is equivalent to the original (write
down why in the report). A mutant whose tests do not finish in time counts as killed,
as mutmut counts it: a mutated solver that loops (or grows its arrays) without end would
hold up the test run until CI stops it, so the tests do catch it. mutmut's time limit
is ``timeout_multiplier`` (``setup.cfg``) times the unmutated tests' time; the recheck's
is ``RECHECK_TIMEOUT``.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The rule packages; each package's modules are mutated and its test file run.
MODULES = ("elderly", "children", "linkage", "followup", "ledger")
ROOT = Path(__file__).resolve().parents[1]
# The tests every package shares: the misuse walk of every public function (the message
# shape), every message of a wrong argument word for word, and the pinned outputs.
SHARED_TESTS = ("tests/test_misuse.py", "tests/test_messages.py", "tests/test_outputs.py")
# A package's own test files: its tests/test_<package>.py, the tests of the rules spec v2
# added to it, and the probes that amend each policy parameter and check its effect. The
# matching solver (linkage/_solver.py) is checked by tests/test_flow.py against brute force.
PROBES = "tests/test_policy_parameters.py"
OWN_TESTS = {
    "elderly": ("tests/test_elderly.py", "tests/test_ability.py", PROBES),
    "children": (
        "tests/test_children.py",
        "tests/test_duties.py",
        "tests/test_lifecycle.py",
        PROBES,
    ),
    "linkage": (
        "tests/test_linkage.py",
        "tests/test_flow.py",
        "tests/test_matching_limits.py",
        "tests/test_duties.py",
        PROBES,
    ),
    "followup": ("tests/test_followup.py", "tests/test_visits.py", PROBES),
    "ledger": ("tests/test_ledger.py", "tests/test_visits.py", "tests/test_lifecycle.py", PROBES),
}


def tests_of(module: str) -> tuple[str, ...]:
    """The test files that check one rule package."""
    return OWN_TESTS[module]


# mutmut's statuses checked again (see the module's docstring).
RECHECKED = ("survived", "no tests")
RECHECK_TIMEOUT = 600  # seconds for one survivor's test files; beyond it, a timeout


def copy_project(work: Path, parts: tuple[str, ...] = ("src", "tests", "docs", "scripts")) -> None:
    """The parts of the project mutmut needs: sources, tests, docs and the config files."""
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    for name in parts:
        shutil.copytree(ROOT / name, work / name, ignore=ignore, dirs_exist_ok=True)
    for name in ("setup.cfg", "pyproject.toml"):
        shutil.copy2(ROOT / name, work / name)


def module_tests(root: Path, env: dict[str, str], module: str, mutant: str = "") -> int:
    """Run the module's test files (and the shared ones) in ``root`` against ``root/src``.

    ``root`` is the copy of the project, or mutmut's ``mutants`` folder in it; there,
    ``mutant`` names the mutant the trampolines switch on (none: the original code).
    """
    paths = os.pathsep.join([str(root / "src"), str(root)])
    pytest = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    return subprocess.run(
        [*pytest, *tests_of(module), *SHARED_TESTS],
        cwd=root,
        env={**env, "PYTHONPATH": paths, "MUTANT_UNDER_TEST": mutant},
        capture_output=True,
        timeout=RECHECK_TIMEOUT,
    ).returncode


def recheck(work: Path, env: dict[str, str], module: str, name: str) -> str:
    """``killed``, ``survived`` or ``timeout``: the module's tests run with the mutant on."""
    try:
        code = module_tests(work / "mutants", env, module, name)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if code == 0 else "killed"


def _mutmut_run(
    work: Path, env: dict[str, str], mutmut: str, children: int | None, names: list[str]
) -> None:
    command = [mutmut, "run", *(["--max-children", str(children)] if children else []), *names]
    shown = names if len(names) <= 5 else [*names[:5], f"... ({len(names)} names)"]
    print(f"mutmut in {work}: {' '.join([*command[1 : -len(names)], *shown])}", flush=True)
    subprocess.run(command, cwd=work, env=env, check=False, stdout=subprocess.DEVNULL)


def _listing(work: Path, env: dict[str, str], mutmut: str) -> dict[str, str]:
    """Every mutant of the run with its status (``killed``, ``not checked``, ...)."""
    text = subprocess.run(
        [mutmut, "results", "--all", "true"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pairs = (line.strip().rpartition(": ") for line in text.splitlines())
    return {name: status for name, _, status in pairs if name}


def _package(name: str) -> str:
    """``elderly`` of ``community_care.elderly._ability.x__item__mutmut_3``."""
    return name.split(".")[1] if name.count(".") >= 2 else ""


def sample(listing: dict[str, str], modules: list[str], args: argparse.Namespace) -> dict[str, str]:
    """A uniform random sample of ``args.sample`` mutants of each package, seeded.

    Drawn from every mutant of the package whatever its status, so that results a run
    already has are reused without biasing the sample.
    """
    rng = random.Random(args.seed)
    chosen: dict[str, str] = {}
    for module in modules:
        names = sorted(name for name in listing if _package(name) == module)
        for name in rng.sample(names, min(args.sample, len(names))):
            chosen[name] = listing[name]
    return chosen


def wilson(killed: int, tested: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % for ``z`` = 1.96)."""
    p = killed / tested
    centre = (p + z * z / (2 * tested)) / (1 + z * z / tested)
    half = z * math.sqrt(p * (1 - p) / tested + z * z / (4 * tested * tested))
    return centre - half / (1 + z * z / tested), centre + half / (1 + z * z / tested)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"some of {', '.join(MODULES)} (default: all)")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where to copy the project (kept); one that holds a run resumes it",
    )
    parser.add_argument("--show", action="store_true", help="print every survivor's diff")
    parser.add_argument("--max-children", type=int, help="mutmut's parallel workers")
    parser.add_argument(
        "--no-run",
        action="store_true",
        help="skip mutmut run: report (and recheck, with today's tests) a run in --workdir",
    )
    parser.add_argument("--no-recheck", action="store_true", help="trust mutmut's survivors")
    parser.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="test a uniform random sample of N mutants per package (the score then comes"
        " with its 95%% interval); results already in --workdir are reused",
    )
    parser.add_argument("--seed", type=int, default=21, help="the sample's seed (default 21)")
    args = parser.parse_args(argv)
    modules = args.modules or list(MODULES)
    unknown = sorted(set(modules) - set(MODULES))
    if unknown:
        parser.error(f"unknown modules {unknown}; expected some of {', '.join(MODULES)}")
    if args.no_run and not args.workdir:
        parser.error("--no-run needs the --workdir of a finished run")

    work = args.workdir or Path(tempfile.mkdtemp(prefix="community-care-mutmut-"))
    work.mkdir(parents=True, exist_ok=True)
    # The ci profile's examples, without shrinking a failure (see tests/conftest.py).
    env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation"}
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    if args.no_run:
        # Today's tests, in mutmut's copy; the mutants stay those of the run's sources.
        copy_project(work / "mutants", ("tests", "docs", "scripts"))
    else:
        if not (work / "mutants").exists():
            copy_project(work)  # a --workdir that holds a run resumes it, as it was started
        names = [f"community_care.{m}.*" for m in modules]
        if args.sample:
            # Mutants generated and statistics gathered, with the first mutant of each
            # function run (mutmut has no command that only generates; it refuses a name
            # that matches nothing); then the sample drawn from every mutant of each
            # package, whatever its status, so those results are reused without bias.
            firsts = [f"community_care.{m}.*__mutmut_1" for m in modules]
            _mutmut_run(work, env, mutmut, args.max_children, firsts)
            names = [
                name
                for name, status in sample(_listing(work, env, mutmut), modules, args).items()
                if status == "not checked"
            ]
        if names:
            _mutmut_run(work, env, mutmut, args.max_children, names)

    listing = _listing(work, env, mutmut)
    if args.sample:
        listing = sample(listing, modules, args)
    if not args.no_recheck:
        for module in modules:  # a recheck means something only if the tests pass unmutated
            if module_tests(work / "mutants", env, module) != 0:
                print(f"{', '.join(tests_of(module))} fail on the unmutated sources in {work}")
                return 1
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    survivors: dict[str, list[str]] = collections.defaultdict(list)
    statuses: dict[str, tuple[str, str]] = {}
    for name, status in listing.items():
        module = _package(name)
        if module in modules:
            statuses[name] = (module, status)
    again = [
        name
        for name, (_, status) in statuses.items()
        if status in RECHECKED and not args.no_recheck
    ]
    print(f"rechecking {len(again)} mutants", flush=True)
    with concurrent.futures.ThreadPoolExecutor(args.max_children or 1) as pool:
        rechecked = dict(
            zip(
                again,
                pool.map(lambda name: recheck(work, env, statuses[name][0], name), again),
                strict=True,
            )
        )
    for name, (module, status) in statuses.items():
        if name in rechecked:
            counts[module][f"{status}, then {rechecked[name]} on recheck"] += 1
            status = rechecked[name]
        elif status == "no tests":
            status = "survived"  # no test calls the mutated code: nothing would catch it
        if status == "timeout":
            # The tests did not finish in the time allowed (see the docstring): detected.
            counts[module]["of them timed out"] += 1
            status = "killed"
        counts[module][status] += 1
        if status == "survived":
            survivors[module].append(name)

    for module in modules:
        c = counts[module]
        tested = c["killed"] + c["survived"]
        score = f"{100 * c['killed'] / tested:.1f}%" if tested else "-"
        if args.sample and tested:
            low, high = wilson(c["killed"], tested)
            score += f" (95% interval {100 * low:.1f}-{100 * high:.1f}%, a sample of {tested})"
        others = "; ".join(
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
