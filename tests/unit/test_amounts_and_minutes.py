"""Amounts and durations have the same range and precision wherever they are typed.

An amount is ≥ 0 with at most 16 digits before the decimal point and 2 after it (the columns
are Numeric(18, 2)); more decimals are refused, never rounded away. A duration is whole minutes
from 0 to 2,147,483,647 (32-bit INTEGER columns). The domain checks (``field_values``), the
service input models (``Amount``, ``Minutes``) and the CLI's option parsers all say so.
"""

from __future__ import annotations

from decimal import Decimal

import pydantic
import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.cli.options import amount_option, minutes_option
from rapport.domain.field_values import (
    MAX_MINUTES,
    amount_value,
    check_amount,
    check_minutes,
    minutes_value,
)
from rapport.errors import ValidationError
from rapport.services.interactions import DraftChanges
from rapport.services.segments import LineChanges, SegmentChanges
from rapport.services.templates import TemplateChanges, TemplateInput

TOO_LARGE = ["1e23", "10000000000000000", "99999999999999999999.5", "1E+999999999"]
TOO_PRECISE = ["2.505", "0.001", "1e-7", "0.1000001"]
NOT_AMOUNTS = ["-1", "-0.01", "abc", "", "NaN", "Infinity", "-Infinity", "1,5", "0x10"]


@pytest.mark.parametrize(("text", "amount"), [
    ("0", "0.00"), ("2.5", "2.50"), ("2.50", "2.50"), (" 7 ", "7.00"), ("1e2", "100.00"),
    ("-0", "0.00"), ("9999999999999999.99", "9999999999999999.99"), ("1.230", "1.23"),
])  # fmt: skip
def test_amounts_within_the_column_are_taken_to_the_cent(text: str, amount: str) -> None:
    assert str(amount_value(text)) == amount


@pytest.mark.parametrize("text", TOO_LARGE)
def test_amounts_with_more_than_16_digits_before_the_point_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="at most 16 digits before the decimal point"):
        amount_value(text)


@pytest.mark.parametrize("text", TOO_PRECISE)
def test_amounts_with_more_than_2_decimals_are_refused_not_rounded(text: str) -> None:
    with pytest.raises(ValueError, match="at most 2 decimals"):
        amount_value(text)


@pytest.mark.parametrize("value", [*NOT_AMOUNTS, True, None])
def test_negative_or_non_numbers_are_not_amounts(value: object) -> None:
    with pytest.raises(ValueError, match="^an amount ≥ 0$"):
        amount_value(value)


@pytest.mark.parametrize(("text", "minutes"), [
    ("0", 0), ("15", 15), ("15.0", 15), (str(MAX_MINUTES), 2147483647), ("-0", 0), ("1e3", 1000),
])  # fmt: skip
def test_whole_minutes_within_32_bits_are_durations(text: str, minutes: int) -> None:
    assert minutes_value(text) == minutes


@pytest.mark.parametrize("text", ["2147483648", "99999999999999999999", "1e30"])
def test_durations_beyond_32_bits_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="whole minutes from 0 to 2147483647"):
        minutes_value(text)


@pytest.mark.parametrize("value", ["-1", "1.5", "abc", "", "NaN", "Infinity", True, 2.5])
def test_negative_partial_or_non_numbers_are_not_durations(value: object) -> None:
    with pytest.raises(ValueError, match="^whole minutes ≥ 0$"):
        minutes_value(value)


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_an_accepted_amount_fits_numeric_18_2_exactly(value: Decimal) -> None:
    try:
        amount = amount_value(value)
    except ValueError:
        return  # refused: what is refused is covered above
    assert amount == value and 0 <= amount < 10**16 and amount.as_tuple().exponent == -2


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(), st.text(max_size=12)))
def test_an_accepted_duration_fits_a_32_bit_integer(value: int | str) -> None:
    try:
        minutes = minutes_value(value)
    except ValueError:
        return
    assert 0 <= minutes <= 2**31 - 1 and minutes == Decimal(str(value).strip())


def test_the_field_checks_name_the_field_the_record_and_the_value_as_typed() -> None:
    with pytest.raises(ValidationError) as err:
        check_amount(Decimal("2.505"), field="cost", record="Segment Line 10000",
                     caption="Cost (LCY)")
    assert err.value.message == ("Cost (LCY) of Segment Line 10000 must be an amount ≥ 0 with "
                                 "at most 2 decimals, not 2.505")
    assert (err.value.field, err.value.record) == ("cost", "Segment Line 10000")
    with pytest.raises(ValidationError, match="whole minutes from 0 to 2147483647, not 2147483648"):
        check_minutes(2**31, field="duration", record="Segment Line 10000")
    assert check_amount(None, field="cost", record="X") == Decimal("0.00")
    assert check_minutes(None, field="duration", record="X") == 0


AMOUNT_FIELDS: list[tuple[type[pydantic.BaseModel], dict[str, object], str]] = [
    (TemplateInput, {"code": "T1", "interaction_group_code": "G"}, "unit_cost"),
    (TemplateChanges, {}, "unit_cost"),
    (SegmentChanges, {}, "unit_cost"),
    (LineChanges, {}, "cost"),
    (DraftChanges, {}, "cost"),
]
MINUTE_FIELDS: list[tuple[type[pydantic.BaseModel], dict[str, object], str]] = [
    (TemplateInput, {"code": "T1", "interaction_group_code": "G"}, "unit_duration"),
    (TemplateChanges, {}, "unit_duration"),
    (SegmentChanges, {}, "unit_duration"),
    (LineChanges, {}, "duration"),
    (DraftChanges, {}, "duration"),
]


@pytest.mark.parametrize(("model", "base", "field"), AMOUNT_FIELDS)
@pytest.mark.parametrize("value", ["1e23", "2.505", "-1", Decimal("1E+23")])
def test_every_service_input_refuses_an_amount_out_of_range(
    model: type[pydantic.BaseModel], base: dict[str, object], field: str, value: object
) -> None:
    with pytest.raises(ValidationError, match=f"^{field} of .* must be an amount ≥ 0") as err:
        model.model_validate({**base, field: value})
    assert err.value.field == field and "Decimal(" not in err.value.message


@pytest.mark.parametrize(("model", "base", "field"), MINUTE_FIELDS)
@pytest.mark.parametrize("value", ["99999999999999999999", 2**31, -5, "1.5"])
def test_every_service_input_refuses_a_duration_out_of_range(
    model: type[pydantic.BaseModel], base: dict[str, object], field: str, value: object
) -> None:
    with pytest.raises(ValidationError, match=f"^{field} of .* must be whole minutes") as err:
        model.model_validate({**base, field: value})
    assert err.value.field == field


@pytest.mark.parametrize(("model", "base", "field"), AMOUNT_FIELDS)
def test_every_service_input_takes_the_largest_amount(
    model: type[pydantic.BaseModel], base: dict[str, object], field: str
) -> None:
    data = model.model_validate({**base, field: "9999999999999999.99"})
    assert getattr(data, field) == Decimal("9999999999999999.99")


def test_the_option_parsers_name_the_option_and_say_what_it_must_be() -> None:
    assert amount_option("2.5", "--cost") == Decimal("2.50") and amount_option(None, "-") is None
    assert minutes_option("15", "--duration") == 15 and minutes_option(None, "-") is None
    with pytest.raises(typer.BadParameter) as err:
        amount_option("1e23", "--unit-cost")
    assert err.value.param_hint == "--unit-cost"
    assert str(err.value) == ("'1e23' is not an amount ≥ 0 with at most 16 digits before the "
                              "decimal point")
    with pytest.raises(typer.BadParameter, match="'99999999999999999999' is not whole minutes "
                                                 "from 0 to 2147483647"):
        minutes_option("99999999999999999999", "--unit-duration")
