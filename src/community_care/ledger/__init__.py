"""The community's ledger (台账): service activities, problems, hazards and their KPIs.

Spec §6. A :class:`Problem` (急难愁盼) and a :class:`Hazard` (fire and safety) each
carry an append-only ``history`` of :class:`Event` s; every lifecycle move is a method
that returns a new object with one more event, so the record is its own audit trail.
:func:`kpis` turns a period's records into a :class:`KpiReport` whose every figure
keeps the ids it was computed from; :func:`compare` sets two reports side by side;
:class:`Ledger` keeps a community's records together, one per id;
:func:`findings_to_records` turns what a follow-up visit found into new problems and
hazards (the "passive → proactive" shift), never repeating an open one.

Lifecycles (``→`` is a method; anything else raises :class:`InvalidTransitionError`)::

    Problem: reported → accepted → in_progress → resolved → verified
             resolved → reopened, verified → reopened, reopened → in_progress
    Hazard:  open → rectified → verified
             rectified → reopened (re-inspection failed), reopened → rectified

Where the specification is silent, the choices are written down in ``docs/ledger.md``.
"""

from __future__ import annotations

from community_care.ledger._findings import FindingRecords, findings_to_records
from community_care.ledger._hazards import HAZARD_TRANSITIONS, Hazard, hazards_overdue
from community_care.ledger._kpis import (
    KPI_NAMES,
    CoverageKpi,
    Kpi,
    KpiChange,
    KpiComparison,
    KpiReport,
    MonthCoverage,
    VisitDue,
    compare,
    kpis,
)
from community_care.ledger._kpis import Figure as Figure
from community_care.ledger._ledger import Ledger
from community_care.ledger._ledger import Record as Record
from community_care.ledger._problems import PROBLEM_TRANSITIONS, Problem
from community_care.ledger._records import Event, ServiceActivity
from community_care.ledger._records import parties_field as parties_field
from community_care.ledger._statuses import HazardKind, HazardStatus, ProblemSource, ProblemStatus

# Figure, Record and parties_field (imported `as` themselves) were public before the ledger
# became a package, though never in __all__: they stay importable from here.
__all__ = [
    "HAZARD_TRANSITIONS",
    "KPI_NAMES",
    "PROBLEM_TRANSITIONS",
    "CoverageKpi",
    "Event",
    "FindingRecords",
    "Hazard",
    "HazardKind",
    "HazardStatus",
    "Kpi",
    "KpiChange",
    "KpiComparison",
    "KpiReport",
    "Ledger",
    "MonthCoverage",
    "Problem",
    "ProblemSource",
    "ProblemStatus",
    "ServiceActivity",
    "VisitDue",
    "compare",
    "findings_to_records",
    "hazards_overdue",
    "kpis",
]
