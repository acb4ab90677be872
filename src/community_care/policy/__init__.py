"""Policy: every number and table of the rules, versioned, with effective dates.

A locality changes the numbers without changing code. A :class:`Policy` has a
``version`` string and a list of :class:`Amendment` s, each changing named
parameters from a date on (as rules-as-code systems do). ``policy.at(on)``
gives the :class:`PolicyValues` in force on a date; :func:`default_policy` is
the product specification (v2) with no amendments.

Parameter names are dotted paths into :class:`PolicyValues`:
``elderly.red_min``, ``linkage.urgency_points.critical``,
``linkage.suitability.volunteer.sewing``, ``followup.elderly.red.grace_days``.

Examples:
    >>> from datetime import date
    >>> p = Policy.from_document({
    ...     "version": "gz-2027",
    ...     "amendments": [{"effective_from": "2027-07-01", "changes": {"elderly.red_min": 9}}],
    ... })
    >>> p.at(date(2027, 6, 30)).elderly.red_min, p.at(date(2027, 7, 1)).elderly.red_min
    (8, 9)

The package has one module per concept: the parameters and their specification values
(``_values``), the checks of a set of values (``_checks``), and the dated policy with
its amendments and documents (``_policy``).
"""

from community_care.policy._checks import check_values as check_values
from community_care.policy._policy import Amendment, Policy, default_policy
from community_care.policy._values import MAX_AGE as MAX_AGE
from community_care.policy._values import MAX_DAYS as MAX_DAYS
from community_care.policy._values import MAX_MONTHS as MAX_MONTHS
from community_care.policy._values import MAX_POINTS as MAX_POINTS
from community_care.policy._values import SPEC_VERSION as SPEC_VERSION
from community_care.policy._values import (
    Band,
    CaseFollowup,
    ChildRules,
    ElderlyRules,
    FollowupRules,
    LedgerRules,
    LinkageRules,
    PolicyValues,
    PrivacyRules,
)

# The specification's version, the limits of a parameter and the checks of a set of values
# (imported `as` themselves) are importable from here, though not in __all__.
__all__ = [
    "Amendment",
    "Band",
    "CaseFollowup",
    "ChildRules",
    "ElderlyRules",
    "FollowupRules",
    "LedgerRules",
    "LinkageRules",
    "Policy",
    "PolicyValues",
    "PrivacyRules",
    "default_policy",
]
