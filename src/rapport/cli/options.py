"""Option values typed on the command line, parsed the same way by every command.

Each kind of value has a metavar that says what to type (``DATE`` is ``YYYY-MM-DD``); options
are typed as text and parsed here, before the command opens its transaction, so a bad value is
refused in one line naming the option (``Invalid value for '--cost': …``) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar, overload

import typer

from rapport.domain.field_values import amount_value, minutes_value

BLANK_WORDS = {"", "none", "blank"}
E = TypeVar("E", bound=StrEnum)

# What to type, as help pages show it.
DATE = "YYYY-MM-DD"
TIME = "HH:MM"
AMOUNT = "AMOUNT"
MINUTES = "MINUTES"
CODE = "CODE"
TEXT = "TEXT"
FILE = "FILE"
NUMBER = "NUMBER"
#: Entry numbers (and counts) are 32-bit integers, as in their columns; segment line numbers
#: are 64-bit (a segment of 300,000 lines numbered 10000, 20000 … passes 2**31).
MAX_NUMBER = 2**31 - 1
MAX_LINE_NO = 2**63 - 1


def blank_or(text: str) -> str:
    """A code or caption where 'none' or 'blank' (or '') stands for the blank value."""
    return "" if text.strip().lower() in BLANK_WORDS else text


def captions(kind: type[StrEnum], *, blank: bool = True) -> str:
    """An option field's values as typed: "Hard Copy, Email or none" (the blank one last, when
    ``blank`` and the field has one)."""
    names = [member.value for member in kind if member.value]
    if blank and any(member.value == "" for member in kind):
        names.append("none")
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


@overload
def choice(kind: type[E], text: str, option: str) -> E: ...
@overload
def choice(kind: type[E], text: None, option: str) -> None: ...
@overload
def choice(kind: type[E], text: str | None, option: str) -> E | None: ...
def choice(kind: type[E], text: str | None, option: str) -> E | None:
    """An option field by its caption, case-insensitive ('hard-copy' = 'Hard Copy');
    'none' or 'blank' is the blank value. None when the option was not given."""
    if text is None:
        return None
    wanted = text.strip().lower().replace("-", " ").replace("_", " ")
    for member in kind:
        if member.value.lower() == wanted or (member.value == "" and wanted in BLANK_WORDS):
            return member
    raise typer.BadParameter(f"{text!r} is not one of: {captions(kind)}", param_hint=option)


def date_option(text: str | None, option: str = "--date") -> dt.date | None:
    """A date YYYY-MM-DD; None when the option was not given."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD", param_hint=option) from None


def time_option(text: str | None, option: str = "--time") -> dt.time | None:
    """A time of day HH:MM (or HH:MM:SS); None when the option was not given."""
    if text is None:
        return None
    try:
        time = dt.time.fromisoformat(text.strip())
    except ValueError:
        time = None
    if time is None or time.tzinfo is not None:  # a time of day, in no zone
        raise typer.BadParameter(f"{text!r} is not a time HH:MM", param_hint=option)
    return time


@overload
def amount_option(text: str, option: str) -> Decimal: ...
@overload
def amount_option(text: str | None, option: str) -> Decimal | None: ...
def amount_option(text: str | None, option: str) -> Decimal | None:
    """An amount ≥ 0 with at most 16 digits before the decimal point and 2 after it (never
    rounded); None when the option was not given."""
    if text is None:
        return None
    try:
        return amount_value(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not {exc}", param_hint=option) from None


@overload
def minutes_option(text: str, option: str) -> int: ...
@overload
def minutes_option(text: str | None, option: str) -> int | None: ...
def minutes_option(text: str | None, option: str) -> int | None:
    """A duration in whole minutes from 0 to 2,147,483,647; None when not given."""
    if text is None:
        return None
    try:
        return minutes_value(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not {exc}", param_hint=option) from None
