"""rapport's exception tree.

Every error a business operation raises is a ``RapportError``. Each carries a ``code`` (the
reference's error id such as ``"E01"`` where one exists, otherwise a rapport name) and the facts
that explain it (``record``, ``field``, ``reason``), so every edge (HTTP, CLI, web) can render one
specific message without knowing the operation.

    RapportError
    ├── ValidationError          bad input: which record, which field, why (HTTP 422, CLI exit 1)
    │   ├── FilterExpressionError   a criteria filter that does not parse or fit its field (A5)
    │   └── ImportValidationError   a contact file with bad rows (every row reported)
    ├── NotFoundError            a referenced record does not exist (E07 and friends, HTTP 404)
    ├── ConflictError            the operation conflicts with the current state (HTTP 409)
    │   ├── ConcurrencyError        another transaction got there first (e.g. logging twice)
    │   └── DuplicateContactError   a new contact like stored ones, named (services.contacts)
    ├── RuleViolationError       a business rule refuses the change (E30, E31, E32 … HTTP 422)
    ├── AuthenticationError      no valid credentials: unknown user, wrong password, missing,
    │   │                        expired or revoked token (HTTP 401)
    │   └── SignInThrottledError    too many failed sign-ins; ``retry_after`` seconds (HTTP 429)
    ├── PermissionDeniedError    the account's role does not allow the operation (HTTP 403)
    ├── PreconditionError        an HTTP precondition: If-Match missing (428) or stale (412)
    ├── DatabaseUnavailableError the database cannot serve the use case now: busy with another
    │                            change, unreachable, full, read-only, missing or behind the
    │                            code's schema (HTTP 503); names the database, never the SQL
    ├── SettingsError            a RAPPORT_* setting that cannot be used (CLI exit 1)
    └── MultipleErrors           several problems found at once (K11), each one a RapportError
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class RapportError(Exception):
    """Base of every business error; ``str(err)`` is the one-line human message."""

    code: str = "RAPPORT"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        record: str | None = None,
        field: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.record = record
        self.field = field
        self.reason = reason

    def facts(self) -> dict[str, str | None]:
        """The structured facts of the error, for API responses and logs."""
        return {
            "code": self.code,
            "message": self.message,
            "record": self.record,
            "field": self.field,
            "reason": self.reason,
        }


class ValidationError(RapportError):
    """Input that cannot be accepted as given."""

    code = "VALIDATION"


class FilterExpressionError(ValidationError):
    """A filter expression that does not parse, or does not fit the type of its field."""

    code = "FILTER"

    def __init__(self, message: str, *, field: str, expression: str, position: int) -> None:
        super().__init__(
            f"Filter on {field}: {message} at position {position} in "
            f"{_excerpt(expression, position)}",
            field=field,
            reason=message,
        )
        self.expression = expression
        self.position = position


def _excerpt(text: str, position: int, width: int = 60) -> str:
    """``text`` quoted; when long (a list of 5,000 values), only the part around ``position``."""
    if len(text) <= width:
        return repr(text)
    start = max(0, min(position - width // 2, len(text) - width))
    before = "…" if start else ""
    after = "…" if start + width < len(text) else ""
    return f"{before}{text[start : start + width]!r}{after} ({len(text)} characters)"


@dataclass(frozen=True)
class RowProblem:
    """One bad cell of an imported file: row number (1 = first data row), column and reason."""

    row: int
    column: str
    reason: str
    value: str = ""

    def __str__(self) -> str:
        shown = f" (value {self.value!r})" if self.value else ""
        return f"row {self.row}, column {self.column}: {self.reason}{shown}"


class ImportValidationError(ValidationError):
    """A contact file with bad rows; ``problems`` lists every one of them."""

    code = "IMPORT"

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        rows = len({p.row for p in self.problems})
        first = "; ".join(str(p) for p in self.problems[:5])
        more = f" … and {len(self.problems) - 5} more" if len(self.problems) > 5 else ""
        super().__init__(f"{rows} row(s) of the file are invalid, nothing imported: {first}{more}")


class NotFoundError(RapportError):
    """A record named by the caller does not exist."""

    code = "NOT_FOUND"


class ConflictError(RapportError):
    """The operation conflicts with the current state of the data."""

    code = "CONFLICT"


class ConcurrencyError(ConflictError):
    """Another transaction changed the same data first; retrying may succeed."""

    code = "CONCURRENCY"


class RuleViolationError(RapportError):
    """A business rule of the reference refuses the change."""

    code = "RULE"


class AuthenticationError(RapportError):
    """The caller could not be identified: no, unknown, expired or revoked credentials."""

    code = "AUTH"


class SignInThrottledError(AuthenticationError):
    """Too many failed sign-ins for one user: refused for ``retry_after`` seconds."""

    code = "THROTTLED"

    def __init__(self, message: str, *, record: str, retry_after: int) -> None:
        super().__init__(message, record=record, field="password", reason="throttled")
        self.retry_after = retry_after


class PermissionDeniedError(RapportError):
    """The acting account's role does not allow the operation."""

    code = "FORBIDDEN"


class PreconditionError(RapportError):
    """A conditional request that cannot be applied: ``missing`` If-Match (HTTP 428) or a
    stale one (HTTP 412: the record changed since the client read it)."""

    code = "PRECONDITION"

    def __init__(self, message: str, *, record: str, missing: bool) -> None:
        super().__init__(message, record=record, field="If-Match",
                         reason="missing" if missing else "stale")
        self.missing = missing


class DatabaseUnavailableError(RapportError):
    """The database cannot serve the use case now; ``retry`` when trying again may succeed."""

    code = "DATABASE"

    def __init__(self, message: str, *, reason: str, retry: bool = False) -> None:
        super().__init__(message, reason=reason)
        self.retry = retry


class SettingsError(RapportError):
    """A setting (RAPPORT_* or .env) that cannot be used: which one and why."""

    code = "SETTINGS"


class MultipleErrors(RapportError):
    """Several problems found in one pass (K11: logging reports every bad line at once)."""

    code = "MULTIPLE"

    def __init__(self, errors: Sequence[RapportError], *, summary: str | None = None) -> None:
        self.errors = list(errors)
        head = summary or f"{len(self.errors)} problem(s) found"
        lines = "; ".join(e.message for e in self.errors[:10])
        more = f" … and {len(self.errors) - 10} more" if len(self.errors) > 10 else ""
        super().__init__(f"{head}: {lines}{more}")
