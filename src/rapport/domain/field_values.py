"""Checks of typed field values shared by every service: amounts, minutes, option captions."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from rapport.errors import ValidationError


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value if value is not None else 0))
    except InvalidOperation:
        return Decimal("NaN")


def check_amount(value: Any, *, field: str, record: str, caption: str | None = None) -> Decimal:
    """An amount in LCY ≥ 0, rounded to cents; blank is 0."""
    amount = _decimal(value)
    if isinstance(value, bool) or not amount.is_finite() or amount < 0:
        raise ValidationError(
            f"{caption or field} of {record} must be an amount ≥ 0, not {value!r}",
            record=record,
            field=field,
            reason="negative or invalid",
        )
    return amount.quantize(Decimal("0.01"))


def check_minutes(value: Any, *, field: str, record: str, caption: str | None = None) -> int:
    """A duration in whole minutes ≥ 0; blank is 0."""
    minutes = _decimal(value)
    if (
        isinstance(value, bool)
        or not minutes.is_finite()
        or minutes < 0
        or (minutes != minutes.to_integral_value())
    ):
        raise ValidationError(
            f"{caption or field} of {record} must be whole minutes ≥ 0, not {value!r}",
            record=record,
            field=field,
            reason="negative or not whole",
        )
    return int(minutes)


def check_option(value: Any, allowed: Iterable[str], *, field: str, record: str) -> str:
    """An option field's stored caption ('' = blank), refused when not one of ``allowed``."""
    text = value or ""
    values = sorted(allowed)
    if text not in values:
        listed = ", ".join(repr(v) for v in values)
        raise ValidationError(
            f"{field} {text!r} of {record} must be one of {listed}",
            record=record,
            field=field,
            reason="invalid option",
        )
    return str(text)
