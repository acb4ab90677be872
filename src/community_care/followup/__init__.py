"""Long-term follow-up (长效机制): cadences, forecasts, rolling due dates and escalation.

Spec §5. A :class:`Cadence` says how often a case is visited; :func:`forecast` lists the
visit dates it gives from an anchor (the last visit), moving them off days off when the
cadence says working days only. A :class:`FollowUp` is one case's rolling record:
:func:`open_followup`, :func:`record_visit` and :func:`retier` return new records with
an append-only history, :func:`status` and :func:`overdue` say which cases are late, and
:func:`visits_due` turns the records into the visits due in a period for the KPIs.
A :class:`Visit` records how the person was reached (``mode``), whether they were met
(an attempt moves nothing) and what was found (:class:`Finding`, by block).
Community programmes (:class:`Programme`) recur by RFC 5545 rules and, with the visits,
export to iCalendar text (:func:`to_ical`).

The package is a facade over one module per concept: cadences and forecasts
(``_cadence``), recorded visits (``_visits``), case records (``_cases``), programmes
(``_programmes``) and the iCalendar export (``_ical``).

Nothing here reads the clock or holds global state: every date is an argument.
"""

from __future__ import annotations

from community_care.followup._cadence import (
    Cadence,
    CaseCadence,
    CaseKind,
    Level,
    PlannedVisit,
    cadence_for,
    forecast,
    forecast_visits,
)
from community_care.followup._cases import (
    DueVisit,
    FollowUp,
    FollowUpAction,
    FollowUpEvent,
    FollowUpStatus,
    OverdueCase,
    next_due,
    open_followup,
    overdue,
    record_visit,
    retier,
    status,
    visits_due,
)
from community_care.followup._ical import to_ical
from community_care.followup._programmes import Programme, occurrences
from community_care.followup._visits import Finding, Visit
from community_care.vocab import CadenceUnit, FindingBlock, VisitMode

__all__ = [
    "Cadence",
    "CadenceUnit",
    "CaseCadence",
    "CaseKind",
    "DueVisit",
    "Finding",
    "FindingBlock",
    "FollowUp",
    "FollowUpAction",
    "FollowUpEvent",
    "FollowUpStatus",
    "Level",
    "OverdueCase",
    "PlannedVisit",
    "Programme",
    "Visit",
    "VisitMode",
    "cadence_for",
    "forecast",
    "forecast_visits",
    "next_due",
    "occurrences",
    "open_followup",
    "overdue",
    "record_visit",
    "retier",
    "status",
    "to_ical",
    "visits_due",
]
