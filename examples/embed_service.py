"""A JSON-in/JSON-out planning endpoint, of the kind a government case system calls.

``handle(request_text)`` takes the request body (JSON text) and returns ``(status,
response_text)``: the plan's summary with status 200, or a problem document (RFC 9457
``application/problem+json``) listing every problem with its JSON path, with status 400
(the body is not a JSON object) or 422 (it is, but the data is invalid). Records that
cannot be used do not fail the request: they come back as ``rejections`` in a 200.

No web framework is needed here: put ``handle`` behind whatever the system already runs
(see docs/howto/web-service.md). Run this file to see a good and a bad request.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

from community_care import (
    CommunityCareError,
    InputProblem,
    InvalidInputError,
    Policy,
    load_snapshot,
    plan_community,
)
from community_care.samples import DEMO_DATE, demo_community

REQUEST_KEYS = ("on", "snapshot", "policy")


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object without repeated keys (a repeated key is a silent overwrite)."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _problem(status: int, title: str, problems: list[InputProblem]) -> tuple[int, str]:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "errors": [{"path": p.path, "message": p.message} for p in problems],
    }
    return status, json.dumps(body, ensure_ascii=False)


def _read_request(request: dict[str, Any]) -> tuple[date, Any, Policy | None]:
    """The date, snapshot document and policy of a request; InvalidInputError otherwise."""
    problems = [
        InputProblem(f"$.{key}", f"unknown field; expected one of: {', '.join(REQUEST_KEYS)}")
        for key in request
        if key not in REQUEST_KEYS
    ]
    on = request.get("on")
    try:
        when = date.fromisoformat(on) if isinstance(on, str) else None
    except ValueError:
        when = None
    if "on" not in request:
        problems.append(InputProblem("$.on", "missing: the date of the plan, like 2026-11-30"))
    elif when is None:
        problems.append(InputProblem("$.on", f"expected a date like 2026-11-30, got {on!r}"))
    if "snapshot" not in request:
        problems.append(InputProblem("$.snapshot", "missing: the community snapshot"))
    else:
        # The snapshot's frame (its keys, community and grids) must be right; bad records
        # inside it do not fail the request: the plan lists them as rejections.
        try:
            load_snapshot(request["snapshot"])
        except InvalidInputError as exc:
            problems.extend(exc.under("$.snapshot").problems)
    policy = None
    if "policy" in request:
        try:
            policy = Policy.from_document(request["policy"])
        except InvalidInputError as exc:
            problems.extend(exc.under("$.policy").problems)
    if problems:
        raise InvalidInputError(problems)
    assert when is not None  # a missing or bad date was reported above
    return when, request["snapshot"], policy


def handle(request_text: str | bytes) -> tuple[int, str]:
    """Plan a community from a JSON request; return an HTTP-like status and JSON text.

    Request: ``{"on": "2026-11-30", "snapshot": {...}, "policy": {...}}`` (policy
    optional). Response 200: the plan's summary with its rejections; 400: the body is
    not JSON, or not a JSON object; 422: it is, but the request or the snapshot's frame
    is invalid (every problem listed with its path).
    """
    try:
        request = json.loads(
            request_text, object_pairs_hook=_strict_object, parse_constant=_reject_constant
        )
    except ValueError as exc:  # not UTF-8, not JSON, a repeated key, NaN
        return _problem(400, "the body is not JSON", [InputProblem("$", str(exc))])
    if not isinstance(request, dict):
        what = type(request).__name__
        return _problem(400, "the body is not a JSON object", [InputProblem("$", what)])
    try:
        on, snapshot, policy = _read_request(request)
    except InvalidInputError as exc:
        return _problem(422, "invalid request", list(exc.problems))
    try:
        plan = plan_community(snapshot, on=on, policy=policy)
    except CommunityCareError as exc:  # e.g. a date the calendar does not cover
        return _problem(422, "cannot plan", [InputProblem("$", str(exc))])
    tiers = Counter(a.tier.value for a in plan.elderly)
    summary = {
        "on": plan.on.isoformat(),
        "policy_version": plan.policy_version,
        "community": plan.community.id,
        "elderly": {tier: tiers.get(tier, 0) for tier in ("red", "yellow", "green")},
        "children_in_difficulty": sum(1 for c in plan.children if c.plan is not None),
        "needs": len(plan.needs),
        "needs_met": len(plan.matching.assignments),
        "escalated": [o.case_id for o in plan.overdue if o.status.value == "escalated"],
        "kpis": plan.kpis.as_dict(),
        "rejections": [
            {"id": r.id, "path": r.path, "code": r.code, "message": r.message}
            for r in plan.rejections
        ],
    }
    return 200, json.dumps(summary, ensure_ascii=False)


if __name__ == "__main__":
    good = demo_community()
    good["elderly"][0]["living_arrangement"] = "solo"  # one bad record: a rejection, still 200
    status, body = handle(json.dumps({"on": DEMO_DATE.isoformat(), "snapshot": good}))
    response = json.loads(body)
    print(status, {k: response[k] for k in ("policy_version", "elderly", "needs", "needs_met")})
    print("  rejections:", [(r["path"], r["code"]) for r in response["rejections"]])
    print("  proactive share:", response["kpis"]["proactive_share"])

    bad = {"on": "2026-11-31", "snapshot": {"community": {"id": "c1"}, "grids": "g1"}}
    status, body = handle(json.dumps(bad))
    print(status, json.loads(body)["title"])
    for error in json.loads(body)["errors"]:
        print(f"  {error['path']}: {error['message']}")

    status, body = handle("{not json")
    print(status, json.loads(body)["errors"][0]["message"])
