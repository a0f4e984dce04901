"""Blocks of contact numbers drawn at once from the "Contact Nos." series (import, generator).

A bulk operation that needs k new numbers draws them in one step: the series row is locked, its
last number used moves k steps forward, and the numbers themselves are computed in SQL from a
row's rank (``NumberBlock.sql_no``), so no per-row round trip is needed. The numbering follows the
reference's IncStr: the rightmost group of digits is incremented and keeps its width.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, ColumnElement, String, cast, func, literal, select

from rapport.db.models import MarketingSetup, NumberSeries
from rapport.domain.numbers import MAX_NO_LENGTH, NoParts, split_no
from rapport.errors import RuleViolationError, ValidationError
from rapport.services.context import Ctx


@dataclass(frozen=True)
class NumberBlock:
    """``count`` numbers prefix + zero-padded (first + k * step) + suffix, k = 0 … count-1."""

    series_code: str
    prefix: str
    first: int
    step: int
    width: int
    suffix: str
    count: int

    def no(self, k: int) -> str:
        """The k-th number of the block (0-based)."""
        return f"{self.prefix}{self.first + k * self.step:0{self.width}d}{self.suffix}"

    def sql_no(self, k: ColumnElement[int]) -> ColumnElement[str]:
        """SQL for the k-th number, k an integer expression (0-based); same on both engines.

        The digits are those of 10**width + value without the leading 1 (zero-padded); the block
        never outgrows its width (see draw_block).
        """
        value = literal(10**self.width + self.first, BigInteger) + (
            k if self.step == 1 else k * self.step)
        digits: ColumnElement[str] = func.substr(cast(value, String), 2)
        if self.suffix:
            digits = digits + literal(self.suffix, String)
        return literal(self.prefix, String) + digits

    @property
    def last_no(self) -> str:
        return self.no(self.count - 1)


def contact_series(ctx: Ctx) -> str | None:
    """The "Contact Nos." series of the marketing setup, or None."""
    return ctx.session.scalar(select(MarketingSetup.contact_nos).where(MarketingSetup.id == 1))


def _split(no: str, series: str) -> NoParts:
    parts = split_no(no)
    if parts is None:
        raise ValidationError(
            f"Number {no!r} of number series {series} contains no digits to increment",
            record=f"Number Series {series}", field="starting_no", reason="no digits",
        )
    return parts


def draw_block(ctx: Ctx, series_code: str, count: int) -> NumberBlock:
    """Draw ``count`` consecutive numbers from a series and record the last one as used."""
    stmt = select(NumberSeries).where(NumberSeries.code == series_code).with_for_update()
    series = ctx.session.scalars(stmt.execution_options(populate_existing=True)).one()
    if series.last_no_used:
        last = _split(series.last_no_used, series_code)
        start = NoParts(last.prefix, last.value + series.increment_by, last.width, last.suffix)
    else:
        start = _split(series.starting_no, series_code)
    block = NumberBlock(series_code, start.prefix, start.value, series.increment_by,
                        start.width, start.suffix, count)
    if count <= 0:
        return block
    _check_capacity(block, series)
    series.last_no_used = block.last_no
    series.last_date_used = ctx.work_date
    ctx.session.flush()
    return block


def _check_capacity(block: NumberBlock, series: NumberSeries) -> None:
    last_value = block.first + (block.count - 1) * block.step
    too_wide = len(str(last_value)) > block.width or len(block.last_no) > MAX_NO_LENGTH
    beyond_end = False
    if series.ending_no:
        end_value = _split(series.ending_no, series.code).value
        beyond_end = last_value > end_value
    if too_wide or beyond_end:
        limit = series.ending_no or "9" * block.width
        raise RuleViolationError(
            f"Number series {series.code} cannot supply {block.count} numbers starting at "
            f"{block.no(0)}: the last one would pass {limit}",
            code="NO_SERIES_EXHAUSTED", record=f"Number Series {series.code}",
            field="ending_no", reason="series exhausted",
        )
