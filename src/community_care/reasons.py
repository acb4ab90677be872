"""Reasons: why a decision came out as it did, in words a caseworker can paste into a file.

Every decision of the library carries reasons. A :class:`Reason` has a stable
``code`` (snake_case), the ``dimension`` it belongs to, the ``points`` it added
(or ``None``), the ``effect`` it had when it is not points (a floor that set a
tier, a category, a cap), and a message in Chinese and English.
"""

from __future__ import annotations

import attrs

from community_care._kernel.checks import check_lang
from community_care._kernel.text import Lang

__all__ = ["Lang", "Reason", "Rejection"]


@attrs.frozen(kw_only=True)
class Reason:
    """One reason of a decision.

    Examples:
        >>> r = Reason(code="living_alone", dimension="social", points=3,
        ...            zh="独居", en="lives alone")
        >>> r.message("en"), r.message("zh")
        ('lives alone', '独居')
    """

    code: str
    dimension: str
    points: int | None = None
    effect: str | None = None
    zh: str
    en: str

    def message(self, lang: Lang = "zh") -> str:
        """The human message in ``zh`` (default) or ``en``."""
        return self.zh if check_lang("Reason.message", lang) == "zh" else self.en


@attrs.frozen(kw_only=True)
class Rejection:
    """A record a batch could not use, and why; batches go on with the other records.

    ``path`` is the record's JSON path in the batch or snapshot (``$.elderly[3]``),
    ``code`` is one of ``invalid_input``, ``duplicate_id``, ``not_eligible`` and
    ``calendar_range`` (the docs' "Errors and rejection codes" page says when each is
    given), ``message`` says what is wrong (personal values masked).
    """

    id: str | None
    path: str
    code: str
    message: str
