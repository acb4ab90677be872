"""The same snapshot gives the same bytes: across hash seeds and whatever the record order.

``community-care plan FILE --on DATE --json`` runs in fresh interpreters with different
``PYTHONHASHSEED`` values (so set and dict orders that hang on string hashes change), on
the snapshot as written and with every record list, every object's keys and the grids
shuffled. Four runs, all byte-identical, and equal to the plan computed in this process.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests import strategies

from community_care import plan_community, to_json
from community_care.samples import DEMO_DATE

ON = DEMO_DATE


def small_snapshot() -> dict[str, Any]:
    """The demo community cut down to 40 older residents, 10 children and their records."""
    return strategies.small_snapshot(40, 10, 30)


def shuffled_records(doc: dict[str, Any], seed: int) -> dict[str, Any]:
    """The snapshot with its record lists, its grids and its keys shuffled (records intact)."""
    rng = random.Random(seed)
    keys = list(doc)
    rng.shuffle(keys)
    out: dict[str, Any] = {}
    for key in keys:
        value = doc[key]
        if isinstance(value, list):
            value = [_shuffled_keys(v, rng) for v in value]
            rng.shuffle(value)
        out[key] = value
    return out


def _shuffled_keys(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled_keys(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [_shuffled_keys(v, rng) for v in value]
    return value


def test_plan_json_is_byte_identical_across_hash_seeds_and_record_order(tmp_path: Path) -> None:
    doc = small_snapshot()
    files = {
        "as written": doc,
        "shuffled 1": shuffled_records(doc, 1),
        "shuffled 2": shuffled_records(doc, 2),
    }
    paths = {}
    for name, content in files.items():
        path = tmp_path / f"{name.replace(' ', '-')}.json"
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        paths[name] = path
    assert files["shuffled 1"]["elderly"] != doc["elderly"]  # the order did change
    runs = [
        ("as written", "0"),
        ("as written", "1"),
        ("shuffled 1", "12345"),
        ("shuffled 2", "random"),
    ]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "community_care",
                "plan",
                str(paths[name]),
                "--on",
                ON.isoformat(),
                "--json",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"},
        )
        for name, seed in runs
    ]
    outputs = []
    for (name, seed), process in zip(runs, processes, strict=True):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, (name, seed, err.decode("utf-8", "replace")[-2000:])
        outputs.append(out)
    expected = (to_json(plan_community(doc, on=ON)) + "\n").encode("utf-8")
    for (name, seed), out in zip(runs, outputs, strict=True):
        assert out == expected, (
            f"the plan of the snapshot {name} with PYTHONHASHSEED={seed} differs"
        )
    assert json.loads(expected)["elderly"]  # a plan with content, not an empty one
