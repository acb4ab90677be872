"""The benchmarks check their answers: the runner fails when ours and a baseline disagree.

Each test shrinks a benchmark's ``--quick`` sizes further (the figures do not matter
here, only the checks), plants a wrong answer on one side, and runs the runner's
``main``: it must return 1, while the same run without the planted answer returns 0.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

pytest.importorskip("networkx")
pytest.importorskip("scipy")
pytest.importorskip("pydantic")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The ``benchmarks`` package, importable from the repository, at tiny sizes."""
    monkeypatch.syspath_prepend(str(ROOT))
    import benchmarks.__main__ as runner
    from benchmarks import (
        _common,
        bench_assess,
        bench_flow,
        bench_followup,
        bench_load,
        bench_scale,
    )

    # A full collection before each timed call costs a tenth of a second in a process
    # that has run other tests; the times do not matter here.
    monkeypatch.setattr(
        _common, "gc", SimpleNamespace(collect=lambda: 0, disable=gc.disable, enable=gc.enable)
    )
    monkeypatch.setattr(bench_assess, "QUICK_SIZE", 64)
    monkeypatch.setattr(bench_load, "QUICK_SIZE", 64)
    monkeypatch.setattr(bench_flow, "QUICK", {"n": 40, "m": 10, "repeats": 1})
    monkeypatch.setattr(bench_followup, "QUICK_CASES", 48)
    monkeypatch.setattr(bench_followup, "REPEATS", 1)
    monkeypatch.setattr(bench_scale, "NEEDS_PER_BLOCK", 12)
    monkeypatch.setattr(bench_scale, "OFFERS_PER_BLOCK", 4)
    monkeypatch.setattr(bench_scale, "QUICK_CASES", 6)
    yield runner
    sys.modules.pop("benchmarks.__main__", None)


def _run(runner: ModuleType, only: str) -> int:
    result: int = runner.main(["--quick", "--only", only])
    return result


@pytest.mark.parametrize("only", ["assess", "load", "match", "followup", "scale"])
def test_agreeing_answers_pass(bench: ModuleType, only: str) -> None:
    assert _run(bench, only) == 0


def _wrong_forecast(real: Callable[..., Any]) -> Callable[..., Any]:
    def forecast(cadence: Any, **kwargs: Any) -> tuple[date, ...]:
        dates = real(cadence, **kwargs)
        return (*dates[:-1], dates[-1] + timedelta(days=1)) if dates else dates

    return forecast


def test_matching_with_urgency_ignored_fails(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from community_care.linkage import _solver

    # A broken encoding: every level weighs the same, so fit beats urgency.
    monkeypatch.setattr(_solver, "_level_weights", lambda levels, usable, level_of: [0] * levels)
    assert _run(bench, "match") == 1
    assert "match FAILED" in capsys.readouterr().err


def test_scipy_baseline_answer_is_compared(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import bench_flow

    real = bench_flow.bare_lsa

    def one_fewer(*args: Any) -> list[int | None]:
        result: list[int | None] = real(*args)
        k = next(i for i, j in enumerate(result) if j is not None)
        return [*result[:k], None, *result[k + 1 :]]

    monkeypatch.setattr(bench_flow, "bare_lsa", one_fewer)
    assert _run(bench, "match") == 1


def test_followup_dates_are_compared(bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import bench_followup

    monkeypatch.setattr(bench_followup, "forecast", _wrong_forecast(bench_followup.forecast))
    assert _run(bench, "followup") == 1


def test_loading_compares_every_field(bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    import attrs
    from benchmarks import bench_load

    real = bench_load.from_json

    def last_grid_changed(text: str, target: Any) -> Any:
        profiles = real(text, target)
        return [*profiles[:-1], attrs.evolve(profiles[-1], grid="elsewhere")]

    monkeypatch.setattr(bench_load, "from_json", last_grid_changed)
    assert _run(bench, "load") == 1


def test_assessment_compares_every_score(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import bench_assess

    real = bench_assess.tier_and_score

    def one_score_off(records: list[dict[str, Any]], on: date) -> list[tuple[str, int]]:
        out = real(records, on)
        tier, score = out[-1]
        return [*out[:-1], (tier, score + 1)]

    monkeypatch.setattr(bench_assess, "tier_and_score", one_score_off)
    assert _run(bench, "assess") == 1


@pytest.mark.parametrize("side", ["matching", "forecast"])
def test_growth_rows_are_checked(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch, side: str
) -> None:
    from benchmarks import bench_flow, bench_scale

    if side == "matching":
        monkeypatch.setattr(
            bench_flow, "networkx_lexicographic", lambda n, caps, edges, levels=4: [None] * n
        )
    else:
        monkeypatch.setattr(bench_scale, "forecast", _wrong_forecast(bench_scale.forecast))
    assert _run(bench, "scale") == 1


def test_summary_rejects_infeasible_matchings(bench: ModuleType) -> None:
    from benchmarks import bench_flow
    from benchmarks._common import DisagreementError

    edges = [(0, 0, 0, 5), (1, 0, 1, 7)]
    assert bench_flow.summary([0, None], [1], edges) == ((1, 0, 0, 0), 5)
    with pytest.raises(DisagreementError, match="not eligible"):
        bench_flow.summary([None, None, 0], [1], edges)
    with pytest.raises(DisagreementError, match="capacity"):
        bench_flow.summary([0, 0], [1], edges)


def test_memory_pairs_are_compared(bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import bench_memory

    monkeypatch.setattr(bench_memory, "QUICK", (12, 4))
    assert _run(bench, "memory") == 0
    real = bench_memory.numpy_pairs

    def one_fit_off(needs: Any, offers: Any) -> Any:
        need_col, offer_col, fit_col = real(needs, offers)
        fit_col[-1] += 1
        return need_col, offer_col, fit_col

    monkeypatch.setattr(bench_memory, "numpy_pairs", one_fit_off)
    assert _run(bench, "memory") == 1
