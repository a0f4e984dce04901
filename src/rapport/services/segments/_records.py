"""A segment as the other segment modules meet it: its name in messages, loading it, its basic
fields."""

from __future__ import annotations

from rapport.db import models as m
from rapport.domain.codes import require_code
from rapport.errors import RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.records import get_or_raise
from rapport.services.setup import ensure_exists

DESCRIPTION_LENGTH = 100


def record_name(no: str) -> str:
    """How messages name a segment."""
    return f"Segment {no}"


def require_segment(ctx: Ctx, no: str, *, lock: bool = True) -> m.SegmentHeader:
    """The segment header (locked for update by default); NotFoundError when it does not exist."""
    key = require_code(no, field="segment_no", record="Segment")
    return get_or_raise(ctx, m.SegmentHeader, key, what="Segment", field="segment_no", lock=lock)


def check_description(value: str, *, record: str, field: str = "description") -> str:
    """A Text[100] description, trimmed."""
    text = (value or "").strip()
    if len(text) > DESCRIPTION_LENGTH:
        raise ValidationError(
            f"{field} of {record} is longer than {DESCRIPTION_LENGTH} characters",
            record=record, field=field, reason="too long",
        )
    return text


def check_salesperson(ctx: Ctx, code: str | None, *, record: str) -> str | None:
    """A salesperson that exists and is not blocked (blank allowed)."""
    key = ensure_exists(ctx, m.Salesperson, code, field="salesperson_code", record=record)
    if key is not None:
        person = ctx.session.get(m.Salesperson, key)
        if person is not None and person.blocked:
            raise RuleViolationError(
                f"Salesperson {key} is blocked and cannot be used on {record}",
                code="BLOCKED_SALESPERSON", record=record, field="salesperson_code",
                reason="salesperson blocked",
            )
    return key


