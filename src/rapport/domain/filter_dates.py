"""Dates in filters (SPEC A5, A3/K18): ISO dates, the work date, and date formulas relative to it.

A value on a date field is one of

* ``YYYY-MM-DD``;
* ``t``, ``today``, ``w`` or ``workdate`` (any case): the work date. rapport has one clock
  (K18), so the reference's *today* and *work date* are the same date here;
* a date formula as the reference's CALCDATE reads it, counted from the work date: terms
  applied left to right, each a signed number of units (``-30D``, ``+1W``, ``2M``) or ``C``
  and a unit for the current period (``CM``: the last day of the work date's month, ``-CM``
  its first day). Units: D day, W week (Monday to Sunday), M month, Q quarter, Y year. Adding
  months keeps the day of the month, or gives the month's last day when it is shorter
  (2025-01-31 + 1M = 2025-02-28). ``-1M+CM`` is the last day of the previous month,
  ``-CM-1M`` the first day of the previous month.

This module is pure: the work date is passed in, never read from a clock. Without one, a
relative date is refused.
"""

from __future__ import annotations

import calendar
import datetime
import re

from rapport.domain.filter_parse import shown

WORK_DATE_WORDS = frozenset({"t", "today", "w", "workdate"})
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TERM = re.compile(r"([+-]?)(?:([0-9]+)|(C))([DWMQY])", re.IGNORECASE)
_LOOKS_RELATIVE = re.compile(r"[+-]?(?:[0-9]+|C)[A-Z]", re.IGNORECASE)
_MONTHS = {"M": 1, "Q": 3, "Y": 12}
_EXAMPLES = "-30D, -1M+CM, -CM"


class DateProblem(ValueError):
    """A value that is not a date; ``offset`` is where in the value the problem starts."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


def read_date(text: str, work_date: datetime.date | None) -> datetime.date:
    """The date a filter value stands for, given the work date (None: relative dates refused)."""
    if _ISO.fullmatch(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass  # 2025-13-01: shaped like a date but none; refused below
    elif text.lower() in WORK_DATE_WORDS or _LOOKS_RELATIVE.match(text):
        if work_date is None:
            raise DateProblem(f"{shown(text)} is relative to the work date, and none was given")
        return work_date if text.lower() in WORK_DATE_WORDS else _formula(text, work_date)
    raise DateProblem(
        f"{shown(text)} is not a date (expected YYYY-MM-DD, t for the work date, "
        f"or a date formula such as {_EXAMPLES})"
    )


def _formula(text: str, base: datetime.date) -> datetime.date:
    result, pos = base, 0
    while pos < len(text):
        term = _TERM.match(text, pos)
        if term is None or (pos > 0 and not term.group(1)):
            what = f"{shown(text[pos:])} in the date formula {shown(text)}" if pos else shown(text)
            raise DateProblem(
                f"{what} cannot be read: a date formula is made of terms, each a signed number "
                f"or C followed by D, W, M, Q or Y, as in {_EXAMPLES}",
                pos,
            )
        sign, count, _current, unit = term.groups()
        unit = unit.upper()
        try:
            if count is None:
                result = _period_edge(result, unit, first=sign == "-")
            else:
                result = _shift(result, unit, -int(count) if sign == "-" else int(count))
        except (OverflowError, ValueError):  # beyond date's years, or a number of 4,300 digits
            raise DateProblem(f"the formula {shown(text)} leaves the years 1 to 9999") from None
        pos = term.end()
    return result


def _shift(day: datetime.date, unit: str, count: int) -> datetime.date:
    if unit in _MONTHS:
        return add_months(day, count * _MONTHS[unit])
    return day + datetime.timedelta(days=count * (7 if unit == "W" else 1))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months; the last day of the month when the target is shorter."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month0 + 1)[1] if 1 <= year <= 9999 else day.day
    return datetime.date(year, month0 + 1, min(day.day, last))


def _period_edge(day: datetime.date, unit: str, *, first: bool) -> datetime.date:
    """The first or last day of the day, week, month, quarter or year that holds ``day``."""
    if unit == "D":
        return day
    if unit == "W":
        monday = day - datetime.timedelta(days=day.weekday())
        return monday if first else monday + datetime.timedelta(days=6)
    months = _MONTHS[unit]
    start = datetime.date(day.year, (day.month - 1) // months * months + 1, 1)
    if first:
        return start
    end_month = start.month + months - 1
    return datetime.date(day.year, end_month, calendar.monthrange(day.year, end_month)[1])
