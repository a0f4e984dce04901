"""Numbers handed out by a number series, such as SEG0001 (SPEC §2.1).

A number is a prefix, a group of digits and a suffix: the rightmost group of digits is the
counter, which grows and keeps its width (the reference's IncStr), so CT000099 is followed by
CT000100. The series services and the bulk number blocks both read numbers through this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapport.errors import ValidationError

MAX_NO_LENGTH = 20
_LAST_DIGITS = re.compile(r"(\d+)(?!.*\d)")


@dataclass(frozen=True)
class NoParts:
    """A number split at its rightmost group of digits: prefix, counter value, width, suffix."""

    prefix: str
    value: int
    width: int
    suffix: str


def split_no(no: str) -> NoParts | None:
    """The parts of ``no``, or None when it has no digits to count with."""
    match = _LAST_DIGITS.search(no)
    if match is None:
        return None
    digits = match.group(1)
    return NoParts(no[: match.start(1)], int(digits), len(digits), no[match.end(1):])


def increment_no(no: str, by: int = 1) -> str:
    """The number after ``no``: its rightmost digits plus ``by``, zero-padded to their width."""
    parts = split_no(no)
    if parts is None:
        raise ValidationError(
            f"Number {no!r} contains no digits to increment",
            field="no", reason="no digits",
        )
    return f"{parts.prefix}{parts.value + by:0{parts.width}d}{parts.suffix}"


def no_key(no: str) -> tuple[str, int, str]:
    """Sort key comparing numbers of one series by their digits, not as plain text."""
    parts = split_no(no)
    if parts is None:
        return (no, -1, "")
    return (parts.prefix, parts.value, parts.suffix)


def is_valid_no(no: str) -> bool:
    """A number a series can start or end with: it has digits and fits the number fields."""
    return split_no(no) is not None and len(no) <= MAX_NO_LENGTH
