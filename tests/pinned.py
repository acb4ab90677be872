"""The golden files of ``tests/golden/``: what a pinned test compares with.

With ``UPDATE_GOLDEN=1`` (and without ``-n``, so that one process writes), a test first
writes what it got under its key, and the change of the file is read in review.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
FOLDER = Path(__file__).with_name("golden")


def load(name: str) -> dict[str, Any]:
    """The entries of the golden file ``name`` (none if it is not there yet)."""
    path = FOLDER / name
    if not path.exists():
        return {}
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def pinned(name: str, key: str, got: object) -> object:
    """The entry ``key`` of the golden file ``name``; with ``UPDATE_GOLDEN=1``, ``got``
    is written there first."""
    if UPDATE:
        entries = {**load(name), key: got}
        FOLDER.mkdir(exist_ok=True)
        (FOLDER / name).write_text(
            json.dumps(dict(sorted(entries.items())), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
    return load(name).get(key)
