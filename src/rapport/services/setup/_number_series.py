"""Number series (SPEC §2.1, §2.9): drawing the next number under a row lock, manual numbers (E02).

A series hands out SEG0001, SEG0002 … like the reference's IncStr: the rightmost group of digits
is incremented and keeps its width. Drawing locks the series row (``SELECT … FOR UPDATE`` on
PostgreSQL; on SQLite the transaction already holds the write lock), so two concurrent
transactions never receive the same number: the second waits until the first commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import select

from rapport.db.models import NumberSeries
from rapport.domain.codes import normalize_code, require_code
from rapport.domain.numbers import MAX_NO_LENGTH, increment_no, is_valid_no, no_key
from rapport.errors import ConflictError, RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.inputs import Input
from rapport.services.records import get_or_raise


def _exceeds(no: str, ending_no: str | None) -> bool:
    return bool(ending_no) and no_key(no) > no_key(ending_no or "")


def _series(ctx: Ctx, code: str, *, field: str, lock: bool = False) -> NumberSeries:
    return get_or_raise(ctx, NumberSeries, code, what="Number series", field=field, lock=lock)


def draw_next(ctx: Ctx, series_code: str) -> str:
    """Draw the next number of a series and record it as the last number used."""
    code = require_code(series_code, field="series_code", record="Number Series")
    series = _series(ctx, code, field="series_code", lock=True)
    if series.last_no_used:
        no = increment_no(series.last_no_used, series.increment_by)
    else:
        no = series.starting_no
    if _exceeds(no, series.ending_no) or len(no) > MAX_NO_LENGTH:
        raise RuleViolationError(
            f"You cannot assign new numbers from the number series {code}: "
            f"the next number {no} would exceed the ending number {series.ending_no}",
            code="NO_SERIES_EXHAUSTED", record=f"Number Series {code}", field="ending_no",
            reason="series exhausted",
        )
    series.last_no_used = no
    series.last_date_used = ctx.work_date
    ctx.session.flush()
    return no


def check_manual_no(ctx: Ctx, series_code: str | None, *, record: str) -> None:
    """Refuse a typed number (E02) when the record's number series does not allow manual numbers."""
    code = normalize_code(series_code, field="series_code", record=record)
    if code is None:
        return
    series = _series(ctx, code, field="series_code")
    if not series.manual_nos:
        raise RuleViolationError(
            f"Manual numbers are not allowed for number series {code} ({record})",
            code="E02", record=record, field="no", reason="manual numbers not allowed",
        )


class SeriesInput(Input):
    """A new number series."""

    record: ClassVar[str] = "Number Series"

    code: str
    description: str = ""
    starting_no: str = ""
    ending_no: str | None = None
    increment_by: int = 1
    manual_nos: bool = False


class SeriesChanges(Input):
    """Changes to a number series; only the fields set are applied (its last number used is
    kept)."""

    record: ClassVar[str] = "Number Series"

    description: str | None = None
    starting_no: str | None = None
    ending_no: str | None = None
    increment_by: int | None = None
    manual_nos: bool | None = None


def _validate(code: str, data: SeriesInput) -> None:
    record = f"Number Series {code}"
    if not data.starting_no:
        raise ValidationError(f"Starting No. must have a value on {record}",
                              record=record, field="starting_no", reason="blank")
    for name, value in (("starting_no", data.starting_no), ("ending_no", data.ending_no)):
        if value and not is_valid_no(value):
            raise ValidationError(
                f"{name} {value!r} of {record} must contain digits and have at most "
                f"{MAX_NO_LENGTH} characters", record=record, field=name, reason="invalid number")
    if data.increment_by < 1:
        raise ValidationError(f"Increment-by No. of {record} must be at least 1",
                              record=record, field="increment_by", reason="not positive")
    if _exceeds(data.starting_no, data.ending_no):
        raise ValidationError(
            f"Starting No. {data.starting_no} is after Ending No. {data.ending_no} on {record}",
            record=record, field="ending_no", reason="ending before starting")


def create_number_series(ctx: Ctx, data: SeriesInput) -> NumberSeries:
    """Create a number series."""
    key = require_code(data.code, field="code", record="Number Series")
    if ctx.session.get(NumberSeries, key) is not None:
        raise ConflictError(f"Number series {key} already exists",
                            record=f"Number Series {key}", field="code", reason="duplicate")
    data = _normalized(data)
    _validate(key, data)
    series = NumberSeries(code=key, description=data.description, starting_no=data.starting_no,
                          ending_no=data.ending_no or None, increment_by=data.increment_by,
                          manual_nos=data.manual_nos)
    ctx.session.add(series)
    ctx.session.flush()
    return series


def update_number_series(ctx: Ctx, code: str, changes: SeriesChanges) -> NumberSeries:
    """Change fields of a number series (its last number used is kept)."""
    key = require_code(code, field="code", record="Number Series")
    series = _series(ctx, key, field="code")
    current: dict[str, Any] = {
        "description": series.description, "starting_no": series.starting_no,
        "ending_no": series.ending_no, "increment_by": series.increment_by,
        "manual_nos": series.manual_nos}
    given = {name: "" if value is None and name in ("description", "starting_no") else value
             for name, value in changes.given().items()}
    data = _normalized(SeriesInput(code=key, **{**current, **given}))
    _validate(key, data)
    series.description = data.description
    series.starting_no = data.starting_no
    series.ending_no = data.ending_no or None
    series.increment_by = data.increment_by
    series.manual_nos = data.manual_nos
    ctx.session.flush()
    return series


def list_number_series(ctx: Ctx) -> Sequence[NumberSeries]:
    """All number series, by code."""
    return ctx.session.scalars(select(NumberSeries).order_by(NumberSeries.code)).all()


def _normalized(data: SeriesInput) -> SeriesInput:
    return SeriesInput(
        code=data.code,
        description=data.description.strip(),
        starting_no=data.starting_no.strip().upper(),
        ending_no=(data.ending_no or "").strip().upper() or None,
        increment_by=data.increment_by,
        manual_nos=data.manual_nos,
    )
