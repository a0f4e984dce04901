"""Code fields (A6): upper-cased on input, compared case-insensitively, limited in length."""

from __future__ import annotations

from rapport.errors import ValidationError


def normalize_code(
    value: str | None, *, field: str, max_length: int = 20, record: str | None = None
) -> str | None:
    """Upper-case and trim a code; blank becomes None; too long is refused."""
    if value is None:
        return None
    code = value.strip().upper()
    if not code:
        return None
    if len(code) > max_length:
        raise ValidationError(
            f"{field} {code!r} is longer than {max_length} characters",
            field=field,
            record=record,
            reason=f"at most {max_length} characters",
        )
    return code


def require_code(
    value: str | None, *, field: str, max_length: int = 20, record: str | None = None
) -> str:
    """Like ``normalize_code`` but a blank value is refused."""
    code = normalize_code(value, field=field, max_length=max_length, record=record)
    if code is None:
        raise ValidationError(
            f"{field} must have a value", field=field, record=record, reason="blank"
        )
    return code
