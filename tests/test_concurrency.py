"""Threads share nothing that changes: eight at once give exactly the serial results.

The library holds no global mutable state (spec §1): its caches (the converter's hooks,
the calendars, the policy values) must give the same answers when eight threads fill
them at once. Its models are frozen and the mappings in its results are read-only, so
a result handed to another thread cannot change under it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import MODELS as STRATEGIES

import community_care
from community_care import (
    ChildProfile,
    ElderlyProfile,
    Need,
    Offer,
    assess_child,
    assess_elderly,
    load_snapshot,
    match,
    plan_community,
    plan_support,
    structure,
    to_json,
)
from community_care.samples import DEMO_DATE, demo_community

# Slow: run in CI (`.ci/run`), not in the quick test command of the README.
pytestmark = pytest.mark.slow

ON = DEMO_DATE
THREADS = 8


def small_snapshot() -> dict[str, Any]:
    """The demo community cut down to 60 older residents and the records that go with them."""
    doc = demo_community()
    elderly = doc["elderly"][:60]
    kept = {p["id"] for p in [*elderly, *doc["children"]]}
    return {
        **doc,
        "elderly": elderly,
        "followups": [f for f in doc["followups"] if f["case_id"] in kept],
        "activities": doc["activities"][:30],
    }


SNAPSHOT = small_snapshot()


def _assess_elderly() -> str:
    people = structure(SNAPSHOT["elderly"], tuple[ElderlyProfile, ...])
    return "\n".join(to_json(assess_elderly(p, on=ON)) for p in people if p.birth_date.year < 1966)


def _assess_children() -> str:
    out = []
    for child in structure(SNAPSHOT["children"], tuple[ChildProfile, ...]):
        assessment = assess_child(child, on=ON)
        out.append(to_json(assessment))
        if assessment.risk is not None:
            out.append(to_json(plan_support(assessment, on=ON)))
    return "\n".join(out)


def _match() -> str:
    needs = structure(SNAPSHOT["needs"], tuple[Need, ...])
    offers = structure(SNAPSHOT["offers"], tuple[Offer, ...])
    return to_json(match(needs, offers, on=ON))


def _plan() -> str:
    return to_json(plan_community(SNAPSHOT, on=ON))


TASKS: dict[str, Callable[[], str]] = {
    "assess elderly": _assess_elderly,
    "assess children": _assess_children,
    "match": _match,
    "plan": _plan,
}


def test_eight_threads_give_the_serial_results() -> None:
    serial = {name: task() for name, task in TASKS.items()}
    # Each task four times, interleaved, so that every kind of work overlaps the others.
    jobs = [name for _ in range(4) for name in TASKS]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [(name, pool.submit(TASKS[name])) for name in jobs]
        results = [(name, future.result(timeout=600)) for name, future in futures]
    for name, result in results:
        assert result == serial[name], f"{name} in a thread differs from the serial result"
    assert len(results) == 16


def test_threads_starting_cold_agree() -> None:
    # Fresh policies and calendars in every thread: nothing shared is filled twice wrongly.
    from community_care import default_policy, official_calendar

    def plan_fresh(_: int) -> str:
        calendar = official_calendar().with_provisional()
        return to_json(plan_community(SNAPSHOT, on=ON, policy=default_policy(), calendar=calendar))

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(plan_fresh, range(THREADS)))
    assert len(set(results)) == 1
    assert results[0] == _plan()


# --- immutability ---


def model_classes() -> dict[str, type]:
    """Every attrs class the package defines, public or private."""
    found: dict[str, type] = {}
    for module_info in pkgutil.iter_modules(community_care.__path__):
        if module_info.name == "__main__":
            continue
        try:
            module = importlib.import_module(f"community_care.{module_info.name}")
        except ImportError:  # pragma: no cover - an optional extra that is not installed
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and attrs.has(value)
                and value.__module__.startswith("community_care")
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


MODEL_CLASSES = model_classes()


def test_the_public_models_are_all_found() -> None:
    public = {
        getattr(community_care, name)
        for name in community_care.__all__
        if isinstance(getattr(community_care, name), type)
        and attrs.has(getattr(community_care, name))
    }
    assert public <= set(MODEL_CLASSES.values())
    assert len(MODEL_CLASSES) > 40


@pytest.mark.parametrize("name", sorted(MODEL_CLASSES))
def test_every_model_class_is_frozen(name: str) -> None:
    cls = MODEL_CLASSES[name]
    # A frozen class refuses every assignment, even on an instance not yet initialised.
    instance = object.__new__(cls)
    for field in attrs.fields(cls):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(instance, field.name, None)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        instance.some_new_attribute = 1  # type: ignore[attr-defined]  # the point of the test


def walk(value: object, path: str = "$", depth: int = 0) -> Iterator[tuple[str, object]]:
    """Every attrs instance and mapping in a result, with its path."""
    if depth > 12:
        return
    if attrs.has(type(value)):
        yield path, value
        for field in attrs.fields(type(value)):
            yield from walk(getattr(value, field.name), f"{path}.{field.name}", depth + 1)
    elif isinstance(value, Mapping):
        yield path, value
        for key, item in list(value.items())[:5]:
            yield from walk(item, f"{path}[{key!r}]", depth + 1)
    elif isinstance(value, tuple | frozenset):
        for i, item in enumerate(list(value)[:5]):
            yield from walk(item, f"{path}[{i}]", depth + 1)
    else:
        assert not isinstance(value, list | set | dict | bytearray), f"{path} is mutable"


def results() -> Iterator[tuple[str, object]]:
    yield "plan", plan_community(SNAPSHOT, on=ON)
    yield "loaded", load_snapshot(SNAPSHOT)
    needs = structure(SNAPSHOT["needs"], tuple[Need, ...])
    offers = structure(SNAPSHOT["offers"], tuple[Offer, ...])
    yield "matching", match(needs, offers, on=ON)
    for profile in structure(SNAPSHOT["elderly"][:10], tuple[ElderlyProfile, ...]):
        yield f"assessment {profile.id}", assess_elderly(profile, on=ON)


def test_results_are_frozen_all_the_way_down() -> None:
    seen: set[type] = set()
    for name, result in results():
        for path, value in walk(result, name):
            if isinstance(value, Mapping):
                with pytest.raises(TypeError):
                    value["x"] = 1  # type: ignore[index]  # a read-only mapping refuses
                assert not isinstance(value, dict), f"{path} is a dict"
                continue
            seen.add(type(value))
            field = attrs.fields(type(value))[0].name
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                setattr(value, field, getattr(value, field))
    assert len(seen) > 15


@pytest.mark.parametrize("model", list(STRATEGIES), ids=lambda m: m.__name__)
@given(data=st.data())
def test_model_instances_refuse_changes(model: type, data: st.DataObject) -> None:
    instance = data.draw(STRATEGIES[model])
    for field in attrs.fields(model):
        before = to_json(instance)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(instance, field.name, getattr(instance, field.name))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            delattr(instance, field.name)
        assert to_json(instance) == before
