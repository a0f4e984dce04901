"""Typed field checks shared by the setup and segment services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rapport.domain.field_values import check_amount, check_minutes, check_option
from rapport.errors import ValidationError


def test_amounts_are_taken_to_the_cent_and_blank_is_zero() -> None:
    assert check_amount("2.5", field="cost", record="Line 1") == Decimal("2.50")
    assert check_amount(None, field="cost", record="Line 1") == Decimal("0.00")


def test_amounts_with_more_than_two_decimals_are_refused_not_rounded() -> None:
    with pytest.raises(ValidationError, match="at most 2 decimals, not '2.505'"):
        check_amount("2.505", field="cost", record="Line 1")


@pytest.mark.parametrize("value", ["-1", "abc", "NaN", True])
def test_negative_or_invalid_amounts_name_the_record_and_field(value: object) -> None:
    with pytest.raises(ValidationError, match="Unit Cost \\(LCY\\) of Template T") as info:
        check_amount(value, field="unit_cost", record="Template T", caption="Unit Cost (LCY)")
    assert (info.value.field, info.value.record) == ("unit_cost", "Template T")


@pytest.mark.parametrize("value", ["1.5", "-2", False, "x"])
def test_minutes_must_be_whole_and_not_negative(value: object) -> None:
    with pytest.raises(ValidationError, match="whole minutes"):
        check_minutes(value, field="duration", record="Line 1")


def test_minutes_accept_whole_numbers_given_as_text() -> None:
    assert check_minutes("10", field="duration", record="Line 1") == 10


def test_options_accept_their_captions_and_list_them_when_refusing() -> None:
    assert check_option(None, {"", "Us", "Them"}, field="initiated_by", record="S1") == ""
    with pytest.raises(ValidationError, match="must be one of '', 'Them', 'Us'"):
        check_option("Me", {"", "Us", "Them"}, field="initiated_by", record="S1")
