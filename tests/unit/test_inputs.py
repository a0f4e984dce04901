"""The input convention of the service verbs (``rapport.services.inputs``): frozen models that
refuse unknown fields, apply only what was given, and never let pydantic's error out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pydantic
import pytest

from rapport.errors import ValidationError
from rapport.services.contacts import ContactChanges, ContactInput
from rapport.services.interactions import DraftChanges
from rapport.services.segments import (
    HeaderFieldChanges,
    LineChanges,
    LineFieldChanges,
    SegmentChanges,
)
from rapport.services.segments._header import HEADER_FIELDS
from rapport.services.setup import MarketingSetupChanges
from rapport.services.templates import TemplateInput


def test_changes_give_only_the_fields_set_in_field_order() -> None:
    changes = ContactChanges(city="Oslo", name="Alpha", territory_code=None)
    assert changes.given() == {"name": "Alpha", "city": "Oslo", "territory_code": None}
    assert ContactChanges().given() == {}


def test_an_input_keeps_the_reference_defaults() -> None:
    data = ContactInput(name="Alpha")
    assert (data.no, data.type, data.correspondence_type, data.privacy_blocked) == (
        None,
        "Company",
        "",
        False,
    )


def test_inputs_are_frozen() -> None:
    data = ContactInput(name="Alpha")
    with pytest.raises(pydantic.ValidationError):
        data.name = "Beta"
    assert data.model_copy(update={"name": "Beta"}).name == "Beta" and data.name == "Alpha"


def test_an_unknown_field_is_named_as_not_editable() -> None:
    with pytest.raises(ValidationError) as err:
        ContactChanges.model_validate({"no": "X", "colour": "red"})
    assert err.value.message == "Contact has no editable field(s) colour, no"
    assert (err.value.record, err.value.field, err.value.reason) == (
        "Contact",
        "colour",
        "unknown field",
    )


@pytest.mark.parametrize(
    ("model", "values", "field", "message"),
    [
        (
            MarketingSetupChanges,
            {"inherit_language": "yes"},
            "inherit_language",
            "inherit_language of Marketing Setup must be true or false, not 'yes'",
        ),
        (
            MarketingSetupChanges,
            {"mergefield_language_id": "many"},
            "mergefield_language_id",
            "mergefield_language_id of Marketing Setup must be a whole number, not 'many'",
        ),
        (
            HeaderFieldChanges,
            {"date": "tomorrow"},
            "date",
            "date of Segment must be a date YYYY-MM-DD, not 'tomorrow'",
        ),
        (
            HeaderFieldChanges,
            {"unit_duration": 1.5},
            "unit_duration",
            "unit_duration of Segment must be whole minutes ≥ 0, not 1.5",
        ),
        (
            TemplateInput,
            {"code": "T1", "interaction_group_code": "G", "unit_cost": "abc"},
            "unit_cost",
            "unit_cost of Interaction Template must be an amount ≥ 0, not 'abc'",
        ),
        (
            TemplateInput,
            {"code": "T1"},
            "interaction_group_code",
            "interaction_group_code of Interaction Template must have a value",
        ),
        (
            ContactChanges,
            {"name": 7},
            "name",
            "name of Contact must be text, not 7",
        ),
    ],
)
def test_a_refused_value_becomes_rapports_error_naming_record_and_field(
    model: type[pydantic.BaseModel], values: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as err:
        model.model_validate(values)
    assert (err.value.message, err.value.field) == (message, field)
    assert not isinstance(err.value, pydantic.ValidationError)


def test_constructing_with_keywords_translates_too() -> None:
    with pytest.raises(ValidationError, match="must be true or false") as err:
        LineChanges(campaign_target="maybe")  # type: ignore[arg-type]
    assert err.value.record == "Segment Line" and err.value.field == "campaign_target"


def test_nested_values_are_named_by_their_path() -> None:
    with pytest.raises(ValidationError) as err:
        DraftChanges.model_validate({"comments": [{"text": "ok"}, {"date": "2025-01-02"}]})
    assert err.value.field == "comments.1.text"
    assert err.value.message == "comments.1.text of Interaction must have a value"


def test_values_are_converted_to_their_types() -> None:
    changes = HeaderFieldChanges.model_validate(
        {"unit_cost": "2.50", "unit_duration": Decimal("10"), "date": "2025-04-01"}
    )
    assert (changes.unit_cost, changes.unit_duration, changes.date) == (
        Decimal("2.50"),
        10,
        dt.date(2025, 4, 1),
    )


def test_the_narrow_segment_models_hold_exactly_the_ordinary_fields() -> None:
    assert set(HeaderFieldChanges.model_fields) == HEADER_FIELDS
    wide = set(SegmentChanges.model_fields) - HEADER_FIELDS
    assert wide == {"interaction_template_code", "language_code_default", "subject_default"}
    extra = set(LineChanges.model_fields) - set(LineFieldChanges.model_fields)
    assert extra == {"contact_no", "interaction_template_code", "language_code"}
