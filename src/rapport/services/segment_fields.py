"""Checking the values of segment header and line fields (SPEC §2.9, §2.10).

Codes must exist (a salesperson also must not be blocked), options must be one of their
captions, amounts are ≥ 0 with two decimals, durations whole minutes ≥ 0, texts fit their length.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from rapport.db import models as m
from rapport.domain.enums import CorrespondenceType, Evaluation, InformationFlow, InitiatedBy
from rapport.errors import ValidationError
from rapport.services.codes import ensure_exists
from rapport.services.context import Ctx
from rapport.services.segments import check_description, check_salesperson

_OPTIONS: dict[str, frozenset[str]] = {
    "information_flow": frozenset(v.value for v in InformationFlow),
    "initiated_by": frozenset(v.value for v in InitiatedBy),
    "correspondence_type_default": frozenset(v.value for v in CorrespondenceType),
    "correspondence_type": frozenset(v.value for v in CorrespondenceType),
    "evaluation": frozenset(v.value for v in Evaluation),
}
_AMOUNTS = frozenset({"unit_cost", "cost"})
_MINUTES = frozenset({"unit_duration", "duration"})
_TEXTS = {"description": 100, "subject": 100, "opportunity_no": 20, "todo_no": 20,
          "contact_via": 80}


def check_value(ctx: Ctx, name: str, value: Any, *, record: str) -> Any:
    """One header or line field value, normalised and checked (codes exist, options valid …)."""
    if name == "campaign_no":
        return ensure_exists(ctx, m.Campaign, value, field=name, record=record)
    if name == "salesperson_code":
        return check_salesperson(ctx, value, record=record)
    if name in _AMOUNTS:
        return _amount(name, value, record)
    if name in _MINUTES:
        return _minutes(name, value, record)
    if name in _OPTIONS:
        text = value or ""
        if text not in _OPTIONS[name]:
            allowed = ", ".join(repr(v) for v in sorted(_OPTIONS[name]))
            raise ValidationError(f"{name} {text!r} of {record} must be one of {allowed}",
                                  record=record, field=name, reason="invalid option")
        return text
    if name == "date":
        if value is not None and not isinstance(value, dt.date):
            raise ValidationError(f"date of {record} must be a date, not {value!r}",
                                  record=record, field=name, reason="not a date")
        return value
    if name in _TEXTS:
        if name == "description":
            return check_description(value, record=record)
        text = (value or "").strip()
        if len(text) > _TEXTS[name]:
            raise ValidationError(f"{name} of {record} is longer than {_TEXTS[name]} characters",
                                  record=record, field=name, reason="too long")
        return text
    if not isinstance(value, bool):
        raise ValidationError(f"{name} of {record} must be true or false, not {value!r}",
                              record=record, field=name, reason="not a boolean")
    return value


def _amount(name: str, value: Any, record: str) -> Decimal:
    try:
        amount = Decimal(str(value if value is not None else 0))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"{name} of {record} must be an amount ≥ 0, not {value!r}",
                              record=record, field=name, reason="negative or invalid")
    return amount.quantize(Decimal("0.01"))


def _minutes(name: str, value: Any, record: str) -> int:
    try:
        minutes = Decimal(str(value if value is not None else 0))
    except InvalidOperation:
        minutes = Decimal("NaN")
    if isinstance(value, bool) or not minutes.is_finite() or minutes < 0 or (
        minutes != minutes.to_integral_value()
    ):
        raise ValidationError(f"{name} of {record} must be whole minutes ≥ 0, not {value!r}",
                              record=record, field=name, reason="negative or not whole")
    return int(minutes)
