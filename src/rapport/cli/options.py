"""Option values typed on the command line, parsed the same way by every command."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TypeVar, overload

import typer

BLANK_WORDS = {"", "none", "blank"}
E = TypeVar("E", bound=StrEnum)


def blank_or(text: str) -> str:
    """A code or caption where 'none' or 'blank' (or '') stands for the blank value."""
    return "" if text.strip().lower() in BLANK_WORDS else text


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
    names = ", ".join(m.value or "none" for m in kind)
    raise typer.BadParameter(f"{text!r} is not one of: {names}", param_hint=option)


def date_option(text: str | None, option: str = "--date") -> dt.date | None:
    """A date YYYY-MM-DD; None when the option was not given."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD", param_hint=option) from None
