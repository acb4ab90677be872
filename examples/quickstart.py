"""Assess three older residents and print the caseworker's explanation of each."""

from datetime import date

from community_care import (
    ElderlyProfile,
    HomeSafety,
    InvalidInputError,
    assess_elderly,
    explain,
    from_json,
)

ON = date(2026, 11, 30)

residents = [
    ElderlyProfile(
        id="e-017",
        birth_date=date(1941, 5, 3),
        living_arrangement="alone",
        falls_last_12_months=2,
        home=HomeSafety(smoke_alarm=False),
        name="王秀英",
    ),
    ElderlyProfile(id="e-018", birth_date=date(1955, 8, 9), living_arrangement="with_family"),
    from_json(
        '{"id": "e-019", "birth_date": "1948-02-29", "living_arrangement": "with_spouse_only",'
        ' "chronic_conditions": 2, "home": {"safe_wiring": false}}',
        ElderlyProfile,
    ),
]

for resident in residents:
    print(explain(assess_elderly(resident, on=ON), lang="en"))
    print()

try:
    from_json(
        '{"id": "e-020", "birth_date": "1950-02-30", "living_arrangement": "solo"}', ElderlyProfile
    )
except InvalidInputError as exc:
    print(exc)
