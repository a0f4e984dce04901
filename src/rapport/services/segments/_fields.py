"""Checking the values of segment header and line fields (SPEC §2.9, §2.10).

Codes must exist (a salesperson also must not be blocked), options must be one of their
captions, amounts are ≥ 0 with two decimals, durations whole minutes ≥ 0, texts fit their length.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rapport.db import models as m
from rapport.domain.enums import CorrespondenceType, Evaluation, InformationFlow, InitiatedBy
from rapport.domain.field_values import check_amount, check_minutes, check_option
from rapport.errors import ValidationError
from rapport.services.context import Ctx
from rapport.services.segments._records import check_description, check_salesperson
from rapport.services.setup import ensure_exists

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
        return check_amount(value, field=name, record=record)
    if name in _MINUTES:
        return check_minutes(value, field=name, record=record)
    if name in _OPTIONS:
        return check_option(value, _OPTIONS[name], field=name, record=record)
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


def campaign_flags(values: dict[str, Any], campaign_no: str | None, record: str) -> dict[str, Any]:
    """Campaign Target/Response need a campaign; clearing the campaign clears them (§2.9).

    ``campaign_no`` is the record's current campaign; ``values`` the checked changes.
    """
    if values.get("campaign_no", campaign_no) is not None:
        return values
    if values.get("campaign_target") or values.get("campaign_response"):
        raise ValidationError(
            f"Campaign Target and Campaign Response of {record} need a Campaign No.",
            record=record, field="campaign_no", reason="no campaign")
    if "campaign_no" in values:
        return {**values, "campaign_target": False, "campaign_response": False}
    return values
