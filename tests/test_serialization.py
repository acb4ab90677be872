import json
from datetime import date
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import MODELS, invalid_documents

import community_care as cc
from community_care import (
    ElderlyProfile,
    HomeSafety,
    InvalidArgumentError,
    InvalidInputError,
    Need,
    default_policy,
    from_json,
    json_schema,
    structure,
    to_json,
    unstructure,
)
from community_care.policy import Band

# Rules a JSON Schema cannot express; structure() still enforces them.
CROSS_FIELD = {"$.resident_id", "$.available_from", "$.headcount"}


def schema_accepts(model: type, doc: Any) -> bool:
    validator = jsonschema.Draft202012Validator(
        json_schema(model), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return validator.is_valid(doc)


@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
@given(data=st.data())
def test_every_model_round_trips(model: type, data: st.DataObject) -> None:
    obj = data.draw(MODELS[model])
    assert from_json(to_json(obj), model) == obj
    assert structure(unstructure(obj), model) == obj
    assert to_json(from_json(to_json(obj), model)) == to_json(obj)  # same bytes
    assert schema_accepts(model, json.loads(to_json(obj)))


@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
@given(data=st.data())
def test_invalid_documents_are_rejected_by_structure_and_schema(
    model: type, data: st.DataObject
) -> None:
    doc, path = data.draw(invalid_documents(model))
    try:
        structure(doc, model)
    except InvalidInputError as exc:
        paths = [p.path for p in exc.problems]
        assert any(p == path or p.startswith(path + ".") or p.startswith(path + "[") for p in paths)
        if not schema_accepts(model, doc):
            return
        # The schema accepted it: only a rule the schema cannot express may have fired.
        assert set(paths) <= CROSS_FIELD, paths
    else:
        assert schema_accepts(model, doc)  # both accept a mutation that happened to be valid


def test_every_problem_is_reported_at_once_with_paths() -> None:
    doc = {
        "id": "e1",
        "birth_date": "1950-02-30",
        "living_arrangement": "alone",
        "home": {"floor": "three", "elevator": "no"},
        "chronic_conditions": -1,
        "typo_field": 1,
    }
    with pytest.raises(InvalidInputError) as info:
        structure(doc, ElderlyProfile)
    problems = {p.path: p.message for p in info.value.problems}
    assert problems == {
        "$.typo_field": problems["$.typo_field"],
        "$.birth_date": "expected a real date like 2026-01-31, got '1950-02-30'",
        "$.home.floor": "expected an integer, got 'three'",
        "$.home.elevator": "expected true or false, got 'no'",
        "$.chronic_conditions": "expected an integer >= 0, got -1",
    }
    assert "unknown field 'typo_field'" in problems["$.typo_field"]
    assert isinstance(info.value, ValueError)
    assert "$.home.floor: expected an integer, got 'three'" in str(info.value)


def test_missing_required_fields_and_non_objects() -> None:
    with pytest.raises(InvalidInputError, match=r"\$\.living_arrangement: required field"):
        structure({"id": "e1", "birth_date": "1950-01-01"}, ElderlyProfile)
    with pytest.raises(InvalidInputError, match=r"\$: expected an object"):
        structure([1, 2], HomeSafety)
    with pytest.raises(InvalidInputError, match=r"\$\[1\]\.urgency"):
        structure(
            [
                {"id": "n1", "category": "x", "urgency": "low", "grid": "g"},
                {"id": "n2", "category": "x", "urgency": "urgent", "grid": "g"},
            ],
            list[Need],
        )
    with pytest.raises(InvalidInputError, match="expected an array"):
        structure({"id": "n1"}, list[Need])


def test_strict_types() -> None:
    for bad in ({"floor": "3"}, {"floor": True}, {"floor": 3.0}, {"elevator": 1}):
        with pytest.raises(InvalidInputError):
            structure(bad, HomeSafety)
    profile = {"id": "e", "birth_date": date(1950, 1, 1), "living_arrangement": "alone"}
    assert structure(profile, ElderlyProfile).birth_date == date(1950, 1, 1)
    for bad_date in ("19500101", "1950-1-1", 19500101, "1950-01-01T00:00"):
        with pytest.raises(InvalidInputError, match=r"\$\.birth_date"):
            structure({**profile, "birth_date": bad_date}, ElderlyProfile)


def test_personal_values_never_echoed() -> None:
    doc = {
        "id": "e",
        "birth_date": "1949-12-31",
        "living_arrangement": "alone",
        "resident_id": "110105194912310021",  # wrong check character
        "phone": "23812345678",
        "name": 4401,
    }
    with pytest.raises(InvalidInputError) as info:
        structure(doc, ElderlyProfile)
    text = str(info.value)
    assert "110105194912310021" not in text and "23812345678" not in text and "4401" not in text
    assert {p.path for p in info.value.problems} == {"$.resident_id", "$.phone", "$.name"}


def test_resident_id_must_match_birth_date() -> None:
    doc = {
        "id": "e",
        "birth_date": "1949-12-30",
        "living_arrangement": "alone",
        "resident_id": "11010519491231002X",
    }
    with pytest.raises(InvalidInputError, match=r"\$\.resident_id: .*other than birth_date"):
        structure(doc, ElderlyProfile)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{", "expected JSON text"),
        ('{"floor": 1, "floor": 2}', "duplicate key"),
        ('{"floor": NaN}', "NaN is not valid JSON"),
        (b'{"floor": 2}', None),
    ],
)
def test_from_json_errors(text: str | bytes, fragment: str | None) -> None:
    if fragment is None:
        assert from_json(text, HomeSafety).floor == 2
        return
    with pytest.raises(InvalidInputError, match=fragment):
        from_json(text, HomeSafety)


def test_unsupported_type_is_an_argument_error() -> None:
    with pytest.raises(InvalidArgumentError) as err:
        structure({}, complex)
    assert isinstance(err.value, TypeError)
    assert str(err.value) == (
        "structure(cls=...): expected a model class such as ElderlyProfile or list[Need],"
        " got the class complex"
    )


def test_schema_shape() -> None:
    schema = json_schema(ElderlyProfile)
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["id", "birth_date", "living_arrangement"]
    assert schema["properties"]["home"] == {"$ref": "#/$defs/HomeSafety"}
    assert schema["$defs"]["HomeSafety"]["properties"]["floor"] == {"type": "integer", "minimum": 0}


def test_to_json_indent_and_unicode() -> None:
    text = to_json(HomeSafety(), indent=2)
    assert text.startswith("{\n  ")
    assert json.loads(text) == unstructure(HomeSafety())


def test_mappings_and_kinds_in_messages() -> None:
    assert structure({"a": 1}, dict[str, int]) == {"a": 1}
    with pytest.raises(InvalidInputError) as info:
        structure({"a": "x", 3: 1}, dict[str, int])
    assert {p.path for p in info.value.problems} == {"$.a", "$"}
    with pytest.raises(InvalidInputError, match="expected an object, got an array"):
        structure([1], dict[str, int])
    for value, kind in [([1], "an array"), ({"a": 1}, "an object"), (None, "None"), (1.5, "1.5")]:
        with pytest.raises(InvalidInputError, match=f"got {kind}"):
            structure(value, int)
    with pytest.raises(InvalidInputError, match="got an object"):
        structure({"id": "e", "birth_date": "1950-01-01", "living_arrangement": "alone",
                   "resident_id": {"x": 1}}, ElderlyProfile)  # fmt: skip


def test_problem_paths_join() -> None:
    err = InvalidInputError.at("$[2].id", "bad").under("$.elderly")
    assert err.problems[0].path == "$.elderly[2].id"
    assert InvalidInputError.at("$", "bad").under("$.x").problems[0].path == "$.x"
    assert InvalidInputError.at("id", "bad").under("$.x").problems[0].path == "$.x.id"
    assert "2 problems" in str(InvalidInputError([*err.problems, *err.problems]))


def test_reason_language_is_checked() -> None:
    from community_care import Reason

    with pytest.raises(InvalidArgumentError, match="'zh' or 'en'"):
        Reason(code="x", dimension="y", zh="甲", en="a").message("fr")  # type: ignore[arg-type]  # the wrong value is the test


def test_a_built_model_is_taken_as_it_is_wherever_it_stands() -> None:
    """A model built in Python was checked when it was built: structure keeps it."""
    home = HomeSafety(floor=5, elevator=False)
    assert structure(home, HomeSafety) is home
    (first,) = structure([home], list[HomeSafety])
    assert first is home
    # A policy change reads its values the same way: built bands are kept.
    bands = (Band(minimum=2, points=1), Band(minimum=5, points=4))
    policy = default_policy().amend(date(2027, 1, 1), {"elderly.chronic_bands": bands}, version="x")
    assert policy.at(date(2027, 1, 1)).elderly.chronic_bands == bands
    # Anything else that is not an object is still refused, naming the model.
    with pytest.raises(InvalidInputError, match=r"expected an object \(HomeSafety\)"):
        structure(Band(minimum=1, points=1), HomeSafety)


INPUT_MODELS = sorted(
    (
        getattr(cc, name)
        for name in cc.__all__
        if isinstance(getattr(cc, name), type)
        and attrs.has(getattr(cc, name))
        and cc.serialization._is_input_model(getattr(cc, name))
    ),
    key=lambda cls: cls.__name__,
)


@pytest.mark.parametrize("model", INPUT_MODELS, ids=lambda cls: cls.__name__)
def test_every_model_with_a_schema_can_be_read(model: type) -> None:
    # A schema promises that documents of the model are read: the converter has a hook
    # for it and for every field type inside it (a KPI report's figures are int | float).
    assert cc.json_schema(model)["title"] == model.__name__
    cc.serialization._converter.get_structure_hook(model)


def test_a_kpi_report_and_a_comparison_are_read_back() -> None:
    from community_care.samples import DEMO_DATE, demo_community

    snapshot = cc.load_snapshot(demo_community()).snapshot
    report = cc.kpis(snapshot.activities, snapshot.problems, snapshot.hazards,
                     start=date(2025, 12, 1), end=DEMO_DATE)  # fmt: skip
    assert from_json(to_json(report), cc.KpiReport) == report
    comparison = cc.compare(report, report)
    assert from_json(to_json(comparison), type(comparison)) == comparison
    doc = unstructure(report)
    for bad, shown in ((True, "True"), ("0.5", "'0.5'"), ([0.5], "an array")):
        doc["proactive_share"]["value"] = bad
        with pytest.raises(InvalidInputError) as err:
            structure(doc, cc.KpiReport)
        assert str(err.value) == (
            f"invalid input: $.proactive_share.value: expected a number, got {shown}"
        )
