"""E-mail addresses of contacts and salespeople: syntax only, never a network lookup."""

from __future__ import annotations

from rapport.errors import ValidationError


def check_email(value: str | None, *, record: str, field: str = "email") -> str:
    """The trimmed address, or '' when blank; a malformed address is refused."""
    # Imported here: most commands load this module (through the setup and contact services)
    # but check no address, and email_validator (with idna) costs ~15 ms of their start-up.
    from email_validator import EmailNotValidError, validate_email

    address = (value or "").strip()
    if not address:
        return ""
    try:
        # Syntax only; test_environment admits the reserved ".test" domain that demo and test
        # data use (RFC 2606), which email_validator otherwise rejects as special-use.
        validate_email(address, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValidationError(
            f"{field} {address!r} of {record} is not a valid e-mail address: {exc}",
            record=record, field=field, reason=str(exc),
        ) from None
    return address
