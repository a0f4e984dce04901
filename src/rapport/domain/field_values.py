"""Checks of typed field values shared by every edge and service: amounts, minutes, options.

Amounts and durations have the reference's ranges and the columns' precision everywhere they
are typed — a command-line option, a service input model, a field changed by name:

- an **amount** (LCY) is ≥ 0 with at most 16 digits before the decimal point and 2 after it
  (the columns are ``Numeric(18, 2)``); more decimals are refused, not rounded away;
- a **duration** is whole minutes from 0 to 2,147,483,647 (a 32-bit ``INTEGER`` column).

``amount_value`` and ``minutes_value`` raise ``ValueError`` whose text says what the value must
be ("an amount ≥ 0 with at most 2 decimals"), so each edge words its own message around it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from rapport.errors import ValidationError

AMOUNT_DIGITS = 16  # before the decimal point: Numeric(18, 2)
CENT = Decimal("0.01")
MAX_MINUTES = 2**31 - 1  # INTEGER columns

AN_AMOUNT = "an amount ≥ 0"
WHOLE_MINUTES = "whole minutes ≥ 0"


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        return Decimal("NaN")
    try:
        return Decimal(value.strip() if isinstance(value, str) else str(value))
    except (InvalidOperation, ValueError):
        return Decimal("NaN")


def amount_value(value: Any) -> Decimal:
    """``value`` (text or number) as an amount in cents, or ValueError saying what it must be."""
    amount = _decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(AN_AMOUNT)
    if amount >= 10**AMOUNT_DIGITS:
        raise ValueError(f"{AN_AMOUNT} with at most {AMOUNT_DIGITS} digits before the decimal "
                         "point")
    cents = amount.quantize(CENT)
    if cents != amount:
        raise ValueError(f"{AN_AMOUNT} with at most 2 decimals")
    return cents.copy_abs()  # -0 is 0.00


def minutes_value(value: Any) -> int:
    """``value`` (text or number) as whole minutes, or ValueError saying what it must be."""
    minutes = _decimal(value)
    if not minutes.is_finite() or minutes < 0 or minutes != minutes.to_integral_value():
        raise ValueError(WHOLE_MINUTES)
    if minutes > MAX_MINUTES:
        raise ValueError(f"whole minutes from 0 to {MAX_MINUTES}")
    return int(minutes)


def shown(value: Any) -> str:
    """A value as a message quotes it: text in quotes, numbers as written (not Decimal('1'))."""
    return repr(value) if isinstance(value, str) else str(value)


def check_amount(value: Any, *, field: str, record: str, caption: str | None = None) -> Decimal:
    """An amount in LCY (see the module's docstring); blank is 0."""
    try:
        return amount_value(value if value is not None else 0)
    except ValueError as exc:
        raise ValidationError(
            f"{caption or field} of {record} must be {exc}, not {shown(value)}",
            record=record,
            field=field,
            reason=f"not {exc}",
        ) from None


def check_minutes(value: Any, *, field: str, record: str, caption: str | None = None) -> int:
    """A duration in whole minutes (see the module's docstring); blank is 0."""
    try:
        return minutes_value(value if value is not None else 0)
    except ValueError as exc:
        raise ValidationError(
            f"{caption or field} of {record} must be {exc}, not {shown(value)}",
            record=record,
            field=field,
            reason=f"not {exc}",
        ) from None


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
