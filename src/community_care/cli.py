"""The ``community-care`` command: the only module that reads files, the clock or the terminal.

Exit codes: 0 done, 1 invalid input (every problem listed with its JSON path), 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from community_care import (
    ChildProfile,
    ElderlyProfile,
    Hazard,
    HomeSafety,
    InvalidInputError,
    Need,
    Offer,
    Problem,
    ServiceActivity,
    from_json,
    json_schema,
)
from community_care.elderly import ElderlyAssessment, assess_many
from community_care.followup import Cadence
from community_care.reasons import Rejection

__all__ = ["main"]

MODELS: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        ElderlyProfile,
        HomeSafety,
        ChildProfile,
        Need,
        Offer,
        Cadence,
        ServiceActivity,
        Problem,
        Hazard,
    )
}

# The fixed date the demo is planned for, so that its output never changes.
DEMO_DATE = date(2026, 11, 30)

_DEMO_ELDERLY: list[dict[str, object]] = [
    {"id": "e01", "birth_date": "1938-04-12", "living_arrangement": "alone",
     "falls_last_12_months": 2, "ability_level": 2, "name": "王秀英"},
    {"id": "e02", "birth_date": "1950-09-01", "living_arrangement": "with_spouse_only",
     "chronic_conditions": 3, "home": {"smoke_alarm": False, "safe_wiring": False}},
    {"id": "e03", "birth_date": "1958-01-20", "living_arrangement": "with_family"},
    {"id": "e04", "birth_date": "1944-07-07", "living_arrangement": "with_family",
     "dementia": True, "ability_level": 3, "home": {"floor": 5, "grab_bars": False}},
    {"id": "e05", "birth_date": "1970-05-05", "living_arrangement": "alone"},
]  # fmt: skip


def _demo(_args: argparse.Namespace) -> int:
    results = list(assess_many(_DEMO_ELDERLY, on=DEMO_DATE))
    assessed = [r for r in results if isinstance(r, ElderlyAssessment)]
    rejected = [r for r in results if isinstance(r, Rejection)]
    tiers = Counter(a.tier.value for a in assessed)
    print(f"community-care demo: a small sample community on {DEMO_DATE.isoformat()}")
    print(f"older residents assessed: {len(assessed)}, not assessed: {len(rejected)}")
    print("tiers: " + ", ".join(f"{t} {tiers.get(t, 0)}" for t in ("red", "yellow", "green")))
    for a in sorted(assessed, key=lambda a: (-a.score, a.resident_id)):
        codes = ", ".join(i.code for i in a.interventions) or "-"
        print(f"  {a.resident_id}  {a.tier.value:<6} score {a.score:>2}  interventions: {codes}")
    for r in rejected:
        print(f"  {r.id}  not assessed: {r.message}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    model = MODELS[args.model]
    try:
        text = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"community-care: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        from_json(text, model)
    except InvalidInputError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) in {args.file}", file=sys.stderr)
        return 1
    print(f"{args.file}: a valid {args.model}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(MODELS[args.model]), ensure_ascii=False, indent=2))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="community-care",
        description="Risk tiers, support plans, matching and follow-up for community care.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the pipeline on the built-in sample community")
    demo.set_defaults(run=_demo)
    validate = sub.add_parser("validate", help="check a JSON document against a model")
    validate.add_argument("file")
    validate.add_argument("--as", dest="model", choices=sorted(MODELS), required=True)
    validate.set_defaults(run=_validate)
    schema = sub.add_parser("schema", help="print the JSON Schema of a model")
    schema.add_argument("model", choices=sorted(MODELS))
    schema.set_defaults(run=_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
