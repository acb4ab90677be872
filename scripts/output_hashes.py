"""Hash the library's outputs on many generated inputs, to prove a refactoring changed none.

Usage::

    python scripts/output_hashes.py > before.txt      # on the old code
    python scripts/output_hashes.py > after.txt       # on the new code
    diff before.txt after.txt                         # no output: byte-identical
    python scripts/output_hashes.py --dump DIR        # also write every output, to diff

Only the public API (``community_care`` and ``community_care.samples``) is used, so the
script runs unchanged on both sides of a change of layout. Every input is generated from
fixed seeds. Each section prints the SHA-256 of its outputs and how many there were;
an error is an output too (its type and message are hashed).
"""

# The lambdas below are called at once, inside their loop, so they see the current values.
# ruff: noqa: B023

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import io
import json
import random
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import community_care as cc
from community_care.cli import main as cli_main
from community_care.samples import DEMO_DATE, demo_community, elderly_records

DATES = (DEMO_DATE, date(2026, 2, 16), date(2027, 1, 29), date(2025, 10, 8))


def _outcome(fn: Callable[[], object]) -> str:
    """The JSON of a result, or the type and message of the error it raised."""
    try:
        value = fn()
    except Exception as exc:  # every error is an output to compare
        return f"!{type(exc).__name__}: {exc}"
    if isinstance(value, str):
        return value
    if isinstance(value, Iterator):
        value = list(value)
    return cc.to_json(value)


def _local_policy() -> cc.Policy:
    return cc.Policy.from_document(
        {
            "version": "local-1",
            "amendments": [
                {
                    "effective_from": "2026-01-01",
                    "changes": {
                        "elderly.red_min": 6,
                        "elderly.living_alone_points": 4,
                        "elderly.home_cap": 2,
                        "followup.elderly.yellow.every": 2,
                        "linkage.suitability.volunteer.sewing": 3,
                    },
                }
            ],
        }
    )


def _cli(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli_main(list(argv))
    return f"{code}\n{out.getvalue()}"


def demo_json() -> Iterator[str]:
    yield _cli("demo", "--json")


def plans() -> Iterator[str]:
    policies = (None, _local_policy())
    for seed in range(4):
        doc = demo_community(seed)
        for on in DATES:
            for policy in policies:
                yield _outcome(lambda: cc.plan_community(doc, on=on, policy=policy))


def _corrupt(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A copy of a snapshot with a few records broken in plausible ways."""
    doc = copy.deepcopy(doc)
    junk: list[object] = [None, "", "x", -1, 10**6, 2.5, [], {}, True, "2026-13-01", "老"]
    for _ in range(12):
        key = rng.choice(["elderly", "children", "offers", "needs", "followups", "problems"])
        rows = doc[key]
        if not rows:
            continue
        row = rng.choice(rows)
        if not isinstance(row, dict) or not row:
            continue
        field = rng.choice(sorted(row))
        row[field] = rng.choice(junk)
    # Duplicate ids and an unknown field, as a messy export gives them.
    doc["elderly"].append(copy.deepcopy(doc["elderly"][0]))
    doc["children"][0]["nickname"] = "小明"
    return doc


def messy_plans() -> Iterator[str]:
    for seed in range(6):
        rng = random.Random(seed)
        doc = _corrupt(demo_community(seed % 2), rng)
        yield _outcome(lambda: cc.plan_community(doc, on=DEMO_DATE))


def assessments() -> Iterator[str]:
    policy = _local_policy()
    for seed in range(3):
        rows = elderly_records(3000, seed=seed)
        for on in (DEMO_DATE, date(2031, 5, 1)):
            yield _outcome(lambda: cc.assess_many(rows, on=on))
            yield _outcome(lambda: cc.assess_many(rows, on=on, policy=policy))
    for row in elderly_records(300, seed=9):
        profile = cc.structure(row, cc.ElderlyProfile)
        a = cc.assess_elderly(profile, on=DEMO_DATE)
        yield cc.to_json(a)
        yield cc.explain(a, lang="zh")
        yield cc.explain(a, lang="en")


def children() -> Iterator[str]:
    for seed in range(4):
        for row in demo_community(seed)["children"]:
            for on in (DEMO_DATE, date(2030, 9, 1)):

                def one(row: dict[str, Any] = row, on: date = on) -> object:
                    profile = cc.structure(row, cc.ChildProfile)
                    return (
                        cc.assess_child(profile, on=on),
                        cc.plan_support(cc.assess_child(profile, on=on), on=on),
                    )

                try:
                    a, p = one()  # type: ignore[misc]
                except Exception as exc:
                    yield f"!{type(exc).__name__}: {exc}"
                else:
                    yield cc.to_json(a) + cc.to_json(p)


def matchings() -> Iterator[str]:
    for seed in range(6):
        doc = demo_community(seed % 3)
        rng = random.Random(seed)
        needs = [cc.structure(n, cc.Need) for n in doc["needs"]]
        offers = [cc.structure(o, cc.Offer) for o in doc["offers"]]
        plan = cc.plan_community(doc, on=DEMO_DATE)
        needs += list(plan.needs)
        rng.shuffle(needs)
        rng.shuffle(offers)
        by_id = {n.id: n for n in needs}
        needs = list(by_id.values())
        for on in (DEMO_DATE, date(2027, 3, 1)):
            yield _outcome(lambda: cc.match(needs, offers, on=on))


def forecasts(n: int = 400) -> Iterator[str]:
    rng = random.Random(7)
    calendars = (cc.official_calendar().with_provisional(), cc.WeekendCalendar())
    for _ in range(n):
        cadence = cc.Cadence(
            every=rng.randint(1, 5),
            unit=rng.choice(["day", "week", "month"]),
            working_days_only=rng.random() < 0.6,
            max_shift_days=rng.randint(0, 4),
        )
        anchor = date(2024, 1, 1) + timedelta(days=rng.randint(0, 1400))
        until = anchor + timedelta(days=rng.randint(0, 200))
        cal = rng.choice(calendars)
        yield _outcome(lambda: cc.forecast(cadence, anchor=anchor, until=until, calendar=cal))
        yield _outcome(
            lambda: cc.forecast_visits(cadence, anchor=anchor, until=until, calendar=cal)
        )


def followups(n: int = 300) -> Iterator[str]:
    rng = random.Random(11)
    for i in range(n):
        kind = rng.choice(["elderly", "child"])
        levels = ["red", "yellow", "green"] if kind == "elderly" else ["high", "medium", "low"]
        opened = date(2025, 1, 1) + timedelta(days=rng.randint(0, 600))

        def run(i: int = i, kind: str = kind, levels: list[str] = levels) -> object:
            day = opened
            f = cc.open_followup(f"c{i}", kind, rng.choice(levels), on=day)
            out = [f]
            for _ in range(rng.randint(0, 6)):
                day += timedelta(days=rng.randint(1, 60))
                if rng.random() < 0.7:
                    f = cc.record_visit(f, day, by="社工", note="入户")
                else:
                    f = cc.retier(f, rng.choice(levels), on=day)
                out.append(f)
            return [
                *out,
                cc.next_due(f),
                cc.status(f, day + timedelta(days=rng.randint(0, 40))),
                cc.overdue([f], on=day + timedelta(days=40)),
                cc.visits_due([f], start=opened, end=day + timedelta(days=90)),
            ]

        yield _outcome(run)


def ledgers() -> Iterator[str]:
    for seed in range(3):
        doc = demo_community(seed)
        loaded = cc.load_snapshot(doc)
        snap = loaded.snapshot
        led = cc.Ledger(activities=snap.activities, problems=snap.problems, hazards=snap.hazards)
        due = cc.plan_community(doc, on=DEMO_DATE).followups
        visits = [
            cc.VisitDue(
                case_id=d.case_id, due_on=d.due_on, grace_days=d.grace_days, done_on=d.done_on
            )
            for d in cc.visits_due(due, start=date(2025, 6, 1), end=DEMO_DATE)
        ]
        for start, end in ((date(2025, 12, 1), DEMO_DATE), (date(2026, 6, 1), date(2026, 8, 31))):
            yield _outcome(lambda: led.kpis(start=start, end=end))
            yield _outcome(
                lambda: cc.kpis(
                    snap.activities, snap.problems, snap.hazards, visits, start=start, end=end
                )
            )
            yield _outcome(lambda: cc.hazards_overdue(snap.hazards, on=end))


def errors(n: int = 600) -> Iterator[str]:
    rng = random.Random(3)
    models = (cc.ElderlyProfile, cc.ChildProfile, cc.Need, cc.Offer, cc.ServiceActivity)
    junk: list[object] = [None, "", "x", -1, 2.5, [], {}, True, "1900-02-30", "13800138000"]
    for _ in range(n):
        model = rng.choice(models)
        doc: dict[str, object] = {}
        for field in rng.sample(sorted(cc.json_schema(model)["properties"]), 4):
            doc[field] = rng.choice(junk)
        yield _outcome(lambda: cc.structure(doc, model))
    for bad_on in ("2026-01-01", None, 20260101):
        yield _outcome(lambda: cc.plan_community(demo_community(), on=bad_on))  # type: ignore[arg-type]


def schemas() -> Iterator[str]:
    for model in (
        cc.ElderlyProfile,
        cc.ChildProfile,
        cc.Need,
        cc.Offer,
        cc.CommunitySnapshot,
        cc.ServiceActivity,
        cc.Problem,
        cc.Hazard,
        cc.FollowUp,
        cc.MicroWish,
        cc.Programme,
    ):
        yield json.dumps(cc.json_schema(model), sort_keys=True, ensure_ascii=False)


# Policy changes, each with a value of its parameter's type and values that are not.
_GOOD_CHANGES: tuple[tuple[str, object], ...] = (
    ("elderly.red_min", 9),
    ("elderly.yellow_min", 3),
    ("elderly.chronic_bands", [[2, 1], [5, 3]]),
    ("elderly.falls_bands", [{"minimum": 1, "points": 2}]),
    ("elderly.intervention_urgency.red", "high"),
    ("linkage.urgency_points", {"critical": 900, "high": 500, "normal": 90, "low": 1}),
    ("linkage.suitability.volunteer.sewing", 4),
    ("linkage.child_contact_categories", ["tutoring"]),
    (
        "followup.elderly.red",
        {
            "every": 2,
            "unit": "week",
            "working_days_only": True,
            "first_visit_days": 3,
            "grace_days": 1,
        },
    ),
    ("followup.child.high.unit", "month"),
    ("privacy.min_cell_count", 3),
)
_BAD_VALUES: tuple[object, ...] = (
    "9",
    2.5,
    True,
    None,
    [],
    {},
    [[1]],
    [[1, "x"]],
    {"every": 1},
    "asap",
    10**30,
    -4,
    {"critical": 1},
    {"minimum": 1},
    ["week"],
    {1: 2},
)


def policies() -> Iterator[str]:
    """Policy documents with good and bad changes: the values in force, or the error."""
    rng = random.Random(15)
    names = [name for name, _ in _GOOD_CHANGES] + ["elderly.nope", "linkage.urgency_points.asap"]
    for _ in range(400):
        changes: dict[str, object] = {}
        for name, good in rng.sample(_GOOD_CHANGES, rng.randint(1, 4)):
            changes[name] = copy.deepcopy(good)
        if rng.random() < 0.6:
            changes[rng.choice(names)] = copy.deepcopy(rng.choice(_BAD_VALUES))
        start = "2027-01-01" if rng.random() < 0.85 else rng.choice(["2027-13-01", 20270101])
        doc = {"version": "p", "amendments": [{"effective_from": start, "changes": changes}]}

        def values(doc: dict[str, Any] = doc) -> object:
            policy = cc.Policy.from_document(doc)
            return [policy.to_document(), *(policy.at(on) for on in DATES)]

        yield _outcome(values)


SECTIONS: dict[str, Callable[[], Iterator[str]]] = {
    "demo_json": demo_json,
    "plans": plans,
    "messy_plans": messy_plans,
    "assessments": assessments,
    "children": children,
    "matchings": matchings,
    "forecasts": forecasts,
    "followups": followups,
    "ledgers": ledgers,
    "errors": errors,
    "policies": policies,
    "schemas": schemas,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", choices=[*SECTIONS, []], default=[])
    parser.add_argument("--dump", type=Path, help="write every output into this folder")
    args = parser.parse_args()
    for name in args.sections or SECTIONS:
        digest = hashlib.sha256()
        count = 0
        dump = None
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            dump = (args.dump / f"{name}.txt").open("w", encoding="utf-8")
        for text in SECTIONS[name]():
            data = text.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
            count += 1
            if dump:
                dump.write(text + "\n")
        if dump:
            dump.close()
        print(f"{name:12} {count:6} {digest.hexdigest()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
