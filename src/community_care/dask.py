"""Planning a district on a Dask cluster: each community is planned where a worker is free.

Install the optional extra first: ``pip install 'community-care[dask]'`` (``dask[bag]``
and ``distributed``). Every worker needs ``community-care`` installed too, at the same
version as the client.

:func:`plan_district` puts the community snapshots in a ``dask.bag`` partitioned by
community (one partition per community unless ``npartitions`` groups them), plans each
partition with :func:`~community_care.community.plan_many` on the workers and gathers
the plans in the input order. Each plan comes back as the
:class:`~community_care.community.CommunityPlan` itself, pickled by Dask on the way
(a plan pickles smaller and faster than its JSON text); it equals the plan
:func:`~community_care.community.plan_many` gives on one machine, so ``to_json`` of it
is the same text whatever the worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING, Any

from community_care._kernel.checks import check_date, check_policy, fail
from community_care.community import CommunityPlan, CommunitySnapshot, plan_many
from community_care.policy import Policy

if TYPE_CHECKING:
    import dask.bag
    import distributed

__all__ = ["plan_district"]

Snapshot = CommunitySnapshot | Mapping[str, Any]


def _dask_bag() -> ModuleType:
    try:
        import dask.bag
    except ImportError as exc:
        raise ImportError(
            "community_care.dask needs Dask: pip install 'community-care[dask]'"
            " (dask[bag] and distributed)"
        ) from exc
    return dask.bag


def _plan_partition(
    snapshots: Iterable[Snapshot], on: date, policy: Policy | None
) -> list[CommunityPlan]:
    """Run on a worker: each community's plan, in order."""
    return list(plan_many(snapshots, on=on, policy=policy))


def plan_district(
    snapshots: Iterable[Snapshot] | dask.bag.Bag,
    *,
    on: date,
    policy: Policy | None = None,
    npartitions: int | None = None,
    client: distributed.Client | None = None,
) -> list[CommunityPlan]:
    """Plan every community of a district on a Dask cluster; the plans, in input order.

    Each plan equals the one :func:`~community_care.community.plan_many` gives for the
    same snapshot (and so has the same ``to_json`` text): the communities are planned
    independently, so where they are planned changes nothing.

    Args:
        snapshots: the communities' snapshots (:class:`CommunitySnapshot` objects or
            their JSON documents), or a ``dask.bag.Bag`` of them, for example one read on
            the workers from JSON Lines files (one document per line):
            ``dask.bag.read_text("s3://registry/*.jsonl").map(json.loads)``; a bag keeps
            its partitions unless ``npartitions`` is given.
        on: the date of the plans.
        policy: the policy (default: the specification's).
        npartitions: how many partitions (tasks); by default one per community.
        client: the ``distributed.Client`` of the cluster to use; by default the current
            default client if there is one, else Dask's local scheduler for bags.

    Returns:
        One plan per community, in the order of ``snapshots``; ``to_json(plan)`` is
        what a city system stores.

    Raises:
        ImportError: Dask is not installed.
        InvalidArgumentError: ``on`` is not a date, ``policy`` not a policy, or
            ``npartitions`` not a whole number from 1.
        InvalidInputError: a snapshot document's frame is wrong (raised from the worker).
    """
    bag_module = _dask_bag()
    check_date("plan_district", "on", on)
    check_policy("plan_district", policy)
    if npartitions is not None and (
        type(npartitions) is not int or npartitions < 1  # a bool is no count of partitions
    ):
        raise fail(
            "plan_district", "npartitions", "a whole number from 1 such as 8, or None", npartitions
        )
    if isinstance(snapshots, bag_module.Bag):
        bag = snapshots if npartitions is None else snapshots.repartition(npartitions)
    else:
        items = list(snapshots)
        if not items:
            return []
        bag = bag_module.from_sequence(
            items, npartitions=min(npartitions or len(items), len(items))
        )
    plans = bag.map_partitions(_plan_partition, on, policy)
    if client is not None:
        return list(client.compute(plans, sync=True))  # type: ignore[no-untyped-call]  # distributed leaves Client.compute untyped
    return list(plans.compute())
