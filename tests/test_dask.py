"""community_care.dask: a district planned on a local Dask cluster equals plan_many, exactly.

The plans come back pickled from worker processes, so they must equal the local ones
and give the same JSON text.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from community_care import CommunityPlan, InvalidArgumentError, plan_many, to_json
from community_care.samples import DEMO_DATE, demo_community

# Slow: run in CI (`.ci/run`), not in the quick test command of the README.
pytestmark = pytest.mark.slow


def _district() -> list[dict[str, Any]]:
    docs = [demo_community(seed) for seed in range(4)]
    # One community with a record to reject, so rejections must travel unchanged too.
    docs[3]["elderly"].append({"id": "bad", "birth_date": "1950-02-30", "living_arrangement": "x"})
    return docs


@pytest.fixture(scope="module")
def district() -> tuple[list[dict[str, Any]], list[CommunityPlan]]:
    docs = _district()
    return docs, list(plan_many(docs, on=DEMO_DATE))


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    import dask

    # Worker processes start slowly on a busy two-core machine (a full test run here timed
    # out at the default 30 s once): give them time rather than fail on load.
    timeouts = {
        "distributed.comm.timeouts.connect": "180s",
        "distributed.comm.timeouts.tcp": "180s",
    }
    with (
        dask.config.set(timeouts),
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            timeout="180s",
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client


def test_plan_district_equals_plan_many(
    client: Any, district: tuple[list[dict[str, Any]], list[CommunityPlan]]
) -> None:
    from community_care.dask import plan_district

    docs, expected = district
    got = plan_district(docs, on=DEMO_DATE, client=client)
    assert all(isinstance(plan, CommunityPlan) for plan in got)
    assert got == expected
    assert [to_json(plan) for plan in got] == [to_json(plan) for plan in expected]
    assert [r.code for r in got[3].rejections] == ["invalid_input"]


def test_grouped_partitions_and_a_bag_give_the_same_plans(
    client: Any, district: tuple[list[dict[str, Any]], list[CommunityPlan]]
) -> None:
    import dask.bag

    from community_care.dask import plan_district

    docs, expected = district
    assert plan_district(docs, on=DEMO_DATE, npartitions=3, client=client) == expected
    bag = dask.bag.from_sequence(docs, npartitions=2)
    assert plan_district(bag, on=DEMO_DATE, client=client) == expected


def test_without_a_client_the_local_process_scheduler_carries_plans() -> None:
    pytest.importorskip("dask.bag")
    from community_care.dask import plan_district

    # Dask's default scheduler for bags runs partitions in worker processes: the plans
    # come back pickled.
    docs = [demo_community(0)]
    assert plan_district(docs, on=DEMO_DATE) == list(plan_many(docs, on=DEMO_DATE))


def test_no_snapshots_and_bad_npartitions() -> None:
    pytest.importorskip("dask.bag")
    from community_care.dask import plan_district

    assert plan_district([], on=DEMO_DATE) == []
    # A count of partitions below 1 is misuse of the call (no longer a ValueError).
    for bad in (0, -1, True, 2.0):
        with pytest.raises(InvalidArgumentError, match=r"^plan_district\(npartitions=\.\.\.\): "):
            plan_district([demo_community(0)], on=DEMO_DATE, npartitions=bad)  # type: ignore[arg-type]  # misuse
    with pytest.raises(InvalidArgumentError, match=r"^plan_district\(on=\.\.\.\): "):
        plan_district([demo_community(0)], on="2026-11-30")  # type: ignore[arg-type]  # misuse
    with pytest.raises(InvalidArgumentError, match=r"^plan_district\(policy=\.\.\.\): "):
        plan_district([demo_community(0)], on=DEMO_DATE, policy="default")  # type: ignore[arg-type]  # misuse


def test_without_dask_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from community_care.dask import plan_district

    monkeypatch.setitem(sys.modules, "dask.bag", None)
    with pytest.raises(ImportError, match=r"community-care\[dask\]"):
        plan_district([], on=DEMO_DATE)
