"""Which fields of the input models hold personal information (spec §8, PIPL): one table.

:func:`community_care.json_schema` marks each field listed here with ``"x-pii"``:

* ``"identifier"``: the field names a person (a name, a resident ID number, a phone
  number), so that whoever holds the data can tell who it is about;
* ``"sensitive"``: the field holds sensitive personal information (PIPL Art. 28):
  health, disability, economic hardship, a special family, the circumstances of a
  child, the situations of a child's parents.

The table is keyed by the model's class name and the field's name, rather than by a
mark on each field's declaration, so that one place says what is personal and why
(``docs/privacy.md`` holds the same table, with the reasons; a test keeps the two,
and the models' fields, in step).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

from community_care._kernel.frozen import FrozenMapping

__all__ = ["IDENTIFIER", "PII_TAGS", "SENSITIVE", "PiiTag", "pii_tags"]

PiiTag = Literal["identifier", "sensitive"]

IDENTIFIER: Final[PiiTag] = "identifier"
SENSITIVE: Final[PiiTag] = "sensitive"

# Model class name -> field name -> tag.
_TAGS: dict[str, dict[str, PiiTag]] = {
    "ElderlyProfile": {
        "name": IDENTIFIER,
        "resident_id": IDENTIFIER,
        "phone": IDENTIFIER,
        "ability_level": SENSITIVE,
        "dementia": SENSITIVE,
        "severe_disability": SENSITIVE,
        "chronic_conditions": SENSITIVE,
        "falls_last_12_months": SENSITIVE,
        "ability_items": SENSITIVE,
        "psychiatric_disorder": SENSITIVE,
        "care_risk_events_30_days": SENSITIVE,
        "special_family": SENSITIVE,
        "economic_status": SENSITIVE,
    },
    "ChildProfile": {
        "name": IDENTIFIER,
        "resident_id": IDENTIFIER,
        "phone": IDENTIFIER,
        "parents": SENSITIVE,
        "family_economic_status": SENSITIVE,
        "disability_grade": SENSITIVE,
        "serious_illness": SENSITIVE,
        "abuse_or_neglect_concern": SENSITIVE,
        "mental_health_flags": SENSITIVE,
    },
    "Parent": {"status": SENSITIVE},
    "MicroWish": {"child_name": IDENTIFIER},
}

PII_TAGS: Mapping[str, Mapping[str, PiiTag]] = FrozenMapping(
    {model: FrozenMapping(fields) for model, fields in _TAGS.items()}
)

_NONE: Mapping[str, PiiTag] = FrozenMapping()


def pii_tags(model: type) -> Mapping[str, PiiTag]:
    """The tagged fields of ``model`` (field name -> tag); empty for a model with none.

    Examples:
        >>> from community_care import MicroWish
        >>> dict(pii_tags(MicroWish))
        {'child_name': 'identifier'}
    """
    if not model.__module__.startswith("community_care."):
        return _NONE  # a caller's class that happens to share a name is not ours
    return PII_TAGS.get(model.__name__, _NONE)
