"""What the pages' forms share: blank-means-None text, checkboxes, and errors by field."""

from __future__ import annotations

from rapport.errors import RapportError
from rapport.web.errors import problems_of


def text(value: str | None) -> str | None:
    """A text input: trimmed, blank as None."""
    value = (value or "").strip()
    return value or None


def checked(value: str | None) -> bool:
    """A checkbox: sent ("on") or not."""
    return value not in (None, "", "0", "false", "off")


class FieldErrors(dict[str, str]):
    """The messages of an error by the form field they are about; the rest under ``""``."""

    @classmethod
    def of(cls, exc: RapportError, fields: set[str]) -> FieldErrors:
        found = cls()
        for problem in problems_of(exc):
            key = problem.field if problem.field in fields else ""
            found[key] = f"{found[key]} {problem.message}".strip() if key in found \
                else problem.message
        return found
