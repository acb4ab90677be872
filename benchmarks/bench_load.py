"""Loading records from JSON: ``from_json`` against pydantic v2 with the same strictness.

Ours: ``from_json(text, list[ElderlyProfile])`` on a JSON array of 100,000 records.
Baseline: ``TypeAdapter(list[Profile]).validate_json(text)`` where ``Profile`` is the
equivalent pydantic v2 model: strict mode, unknown fields forbidden, the same ranges,
enums, optional fields and defaults, a nested ``Home`` model, and the same rules on
the resident ID number (its shape, its check character, a real birth date, and that
date equal to ``birth_date``) written as pydantic validators, calling our own
``check_character`` so that both sides pay the same for that arithmetic. A second
row times pydantic with types and ranges only (no ID number rules), for reference.

**The answers are checked** at every size: our profiles, unstructured to plain JSON
data (``unstructure``), must equal the pydantic models dumped the same way
(``model_dump(mode="json")``), record by record and field by field, nested home and
defaults included; ``python -m benchmarks`` fails otherwise. (The records are all valid,
so the types-only model gives the same answer too, and is checked the same way.)

Run alone: ``python -m benchmarks.bench_load [--quick]``.
"""

from __future__ import annotations

import argparse
import enum
import json
from datetime import date
from typing import Annotated, Any

from benchmarks._common import GROWTH, agree, best_of, elderly_records, growth_row, row
from community_care import ElderlyProfile, from_json, unstructure
from community_care.elderly import ABILITY_ITEM_MAXIMA
from community_care.identity import check_character

SIZE = 100_000
QUICK_SIZE = 1_600


def _models() -> tuple[Any, Any]:
    """The pydantic adapters (built here so that pydantic is needed only when run)."""
    from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, model_validator

    class Arrangement(enum.StrEnum):
        ALONE = "alone"
        WITH_SPOUSE_ONLY = "with_spouse_only"
        WITH_FAMILY = "with_family"
        INSTITUTION = "institution"

    class Economic(enum.StrEnum):
        NONE = "none"
        LOW_INCOME = "low_income"
        EXTREME_POVERTY = "extreme_poverty"

    def born_on(number: str) -> date:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))

    def valid_resident_id(value: str) -> str:
        number = value.strip().upper()
        if check_character(number[:17]) != number[17]:
            raise ValueError("wrong check character")
        born_on(number)  # a real date
        return number

    strict = ConfigDict(strict=True, extra="forbid", frozen=True)
    nonempty = Annotated[str, Field(min_length=1)]
    count = Annotated[int, Field(ge=0)]

    class Home(BaseModel):
        model_config = strict
        smoke_alarm: bool = True
        safe_wiring: bool = True
        grab_bars: bool = True
        floor: count = 1
        elevator: bool = False

    def coma_rule(self: BaseModel) -> BaseModel:
        scores = self.model_dump()
        if scores["consciousness"] != 0 and None in scores.values():
            raise ValueError("only a person in a coma may have items without a score")
        return self

    # The 26 GB/T 42195-2022 item scores, each 0..its maximum, null allowed only in a coma.
    items_fields: Any = {
        key: (Annotated[int, Field(ge=0, le=top)] | None, ...)
        for key, top in ABILITY_ITEM_MAXIMA.items()
    }
    Items = create_model(  # noqa: N806  (a class, named like one)
        "Items",
        __config__=strict,
        __validators__={"coma": model_validator(mode="after")(coma_rule)},
        **items_fields,
    )

    class Profile(BaseModel):
        model_config = strict
        id: nonempty
        birth_date: date
        living_arrangement: Arrangement
        left_behind: bool = False
        ability_level: Annotated[int, Field(ge=0, le=4)] | None = None
        ability_items: Items | None = None  # type: ignore[valid-type]
        dementia: bool = False
        psychiatric_disorder: bool = False
        care_risk_events_30_days: count = 0
        severe_disability: bool = False
        chronic_conditions: count = 0
        falls_last_12_months: count = 0
        special_family: bool = False
        economic_status: Economic = Economic.NONE
        has_emergency_contact: bool = True
        home: Home = Field(default_factory=Home)
        name: str | None = None
        resident_id: (
            Annotated[
                str, Field(pattern=r"^\s*[0-9]{17}[0-9Xx]\s*$"), AfterValidator(valid_resident_id)
            ]
            | None
        ) = None
        phone: Annotated[str, Field(pattern=r"^\s*1[3-9][0-9]{9}\s*$")] | None = None
        grid: nonempty | None = None

        @model_validator(mode="after")
        def _birth_date_matches_id(self) -> Profile:
            if self.resident_id is not None and born_on(self.resident_id) != self.birth_date:
                raise ValueError("the ID number encodes another birth date")
            return self

    class TypesOnly(BaseModel):
        model_config = strict
        id: nonempty
        birth_date: date
        living_arrangement: Arrangement
        left_behind: bool = False
        ability_level: Annotated[int, Field(ge=0, le=4)] | None = None
        ability_items: Items | None = None  # type: ignore[valid-type]
        dementia: bool = False
        psychiatric_disorder: bool = False
        care_risk_events_30_days: count = 0
        severe_disability: bool = False
        chronic_conditions: count = 0
        falls_last_12_months: count = 0
        special_family: bool = False
        economic_status: Economic = Economic.NONE
        has_emergency_contact: bool = True
        home: Home = Field(default_factory=Home)
        name: str | None = None
        resident_id: str | None = None
        phone: str | None = None
        grid: nonempty | None = None

    from pydantic import TypeAdapter

    return TypeAdapter(list[Profile]), TypeAdapter(list[TypesOnly])


def run(quick: bool) -> list[dict[str, Any]]:
    """Ours vs pydantic at 100,000 records, and the growth over x1, x4, x16."""
    try:
        same_rules, types_only = _models()
    except ImportError:  # pragma: no cover - pydantic is in the `bench` extra
        return [row("loading: skipped (pip install pydantic)", None, None, "-")]
    n = QUICK_SIZE if quick else SIZE
    repeats = 2 if quick else 3
    records = elderly_records(n)
    sizes = [n * k // GROWTH[-1] for k in GROWTH]
    ours_times, base_times = [], []
    for size in sizes:
        text = json.dumps(records[:size], ensure_ascii=False)
        ours, profiles = best_of(repeats, lambda text=text: from_json(text, list[ElderlyProfile]))
        base, models = best_of(repeats, lambda text=text: same_rules.validate_json(text))
        agree(
            f"loading {size:,} profiles: from_json vs pydantic (same rules)",
            unstructure(profiles),
            [m.model_dump(mode="json") for m in models],
        )
        ours_times.append(ours)
        base_times.append(base)
    plain, models = best_of(repeats, lambda: types_only.validate_json(text))
    agree(
        "loading: from_json vs pydantic (types and ranges only)",
        unstructure(profiles),
        [m.model_dump(mode="json") for m in models],
    )
    megabytes = len(text.encode()) / 1e6
    return [
        row(
            "loading: from_json vs pydantic TypeAdapter (same rules)",
            ours_times[-1],
            base_times[-1],
            f"{n:,} profiles, {megabytes:.0f} MB of JSON",
        ),
        row(
            "loading: from_json vs pydantic (types and ranges only)",
            ours_times[-1],
            plain,
            f"{n:,} profiles (baseline skips the ID number rules)",
        ),
        growth_row("from_json", sizes, "profiles", ours_times, base_times),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a tiny batch, for smoke runs")
    from benchmarks.__main__ import print_table

    print_table(run(parser.parse_args().quick))


if __name__ == "__main__":
    main()
