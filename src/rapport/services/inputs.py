"""What service verbs that create or change records take: one input convention everywhere.

- **Creating** a record takes an ``XInput``: every field of the new record, its key included,
  with the reference's defaults — ``create_contact(ctx, ContactInput(name="Alpha Ltd"))``.
- **Changing** a record takes its key and an ``XChanges``: only the fields the caller set are
  applied (``Input.given()``, from pydantic's ``model_fields_set``), so a field left out keeps
  its value and a field set to ``None`` is cleared (blank; a field that cannot be blank refuses
  it) — ``update_contact(ctx, "C1", ContactChanges(city="Oslo"))``. Where one edit form changes
  a record and the things hanging off it (a segment header with its template and language), the
  wide model extends the narrow one (``SegmentChanges`` → ``HeaderFieldChanges``).
- Both are pydantic v2 models derived from ``Input``: frozen, unknown fields refused
  (``extra="forbid"``), typed as the API's ``XCreate`` / ``XUpdate`` schemas, so that those
  map onto them one to one (``ContactChanges(**body.model_dump(exclude_unset=True))``).
- The models check types only (``Amount`` and ``Minutes`` are the shared value types, and check
  what every amount and duration must be wherever it is typed: ≥ 0 and within its column, see
  ``rapport.domain.field_values``). Business rules (lengths, codes that must exist, options, the
  reference's E-codes) stay in the services, which raise ``RapportError`` subclasses naming the
  record, the field and the reason.
- pydantic's own ``ValidationError`` never leaves a model: a value it refuses — wherever the
  model is built, an edge, a test or a service — becomes rapport's ``ValidationError`` naming the
  record and the field (``invalid_input``, the one translation).
- Verbs that perform one action on records named by their keys (cancel, evaluate, block, assign a
  classification code, put a contact on a segment line, apply a mailing group, choose a line's
  template) take those keys as plain arguments; options that steer a verb rather than describe
  the record (``update_lines``, ``create_language_row``, an uploaded file) stay keyword arguments.
"""

from __future__ import annotations

from contextvars import ContextVar
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ModelWrapValidatorHandler,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from rapport.domain.field_values import amount_value, minutes_value
from rapport.domain.field_values import shown as written
from rapport.errors import ValidationError

# pydantic error type (prefix) → (what the value must be, reason), in rapport's words.
_PHRASES: list[tuple[str, str, str]] = [
    ("bool", "must be true or false", "not a boolean"),
    ("int", "must be a whole number", "not a whole number"),
    ("decimal", "must be an amount", "not an amount"),
    ("float", "must be a number", "not a number"),
    ("datetime", "must be a date and time", "not a date and time"),
    ("date", "must be a date YYYY-MM-DD", "not a date"),
    ("time", "must be a time HH:MM", "not a time"),
    ("string", "must be text", "not text"),
    ("bytes", "must be file content", "not file content"),
    ("missing", "must have a value", "blank"),
]


def _amount(value: Any) -> Any:
    if value is None:
        return value
    try:
        return amount_value(value)
    except ValueError as exc:
        raise PydanticCustomError("amount", f"must be {exc}") from None


def _minutes(value: Any) -> Any:
    if value is None:
        return value
    try:
        return minutes_value(value)
    except ValueError as exc:
        raise PydanticCustomError("minutes", f"must be {exc}") from None


#: An amount in LCY: ≥ 0, at most 16 digits before the decimal point and 2 after it.
Amount = Annotated[Decimal, BeforeValidator(_amount)]
#: A duration in whole minutes from 0 to 2,147,483,647.
Minutes = Annotated[int, BeforeValidator(_minutes)]


def _field(error: ErrorDetails) -> str:
    return ".".join(str(part) for part in error["loc"]) or "input"


def _problem(error: ErrorDetails, record: str) -> tuple[str, str, str]:
    """(field, message, reason) for one error pydantic reported."""
    field = _field(error)
    kind = error["type"]
    for prefix, must, reason in _PHRASES:
        if kind.startswith(prefix):
            shown = "" if kind == "missing" else f", not {error['input']!r}"
            return field, f"{field} of {record} {must}{shown}", reason
    if kind in ("amount", "minutes"):
        message = f"{field} of {record} {error['msg']}, not {written(error['input'])}"
        return field, message, error["msg"]
    detail = error["msg"][:1].lower() + error["msg"][1:]
    return field, f"{field} of {record}: {detail}", detail


def invalid_input(exc: PydanticValidationError, *, record: str) -> ValidationError:
    """Rapport's ValidationError for the values a model refused, naming the record and the
    (first) field; unknown fields are named as the services named them before models existed."""
    errors = exc.errors()
    unknown = sorted(_field(e) for e in errors if e["type"] == "extra_forbidden")
    if unknown:
        return ValidationError(f"{record} has no editable field(s) {', '.join(unknown)}",
                               record=record, field=unknown[0], reason="unknown field")
    problems = [_problem(e, record) for e in errors]
    field, _, reason = problems[0]
    return ValidationError("; ".join(message for _, message, _ in problems),
                           record=record, field=field, reason=reason)


# Set while an Input validates: a nested Input leaves its errors to the outermost one, which
# names the field by its whole path ("comments.1.text").
_VALIDATING: ContextVar[bool] = ContextVar("rapport_input_validating", default=False)


class Input(BaseModel):
    """Base of every ``XInput`` and ``XChanges`` (see the module's docstring)."""

    # defer_build: a model builds its validator when first used, not when its module is
    # imported; a command loads an area's models and uses one or none (README, Start-up).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    #: How messages name the record the model describes ("Contact", "Campaign").
    record: ClassVar[str] = "Input"

    @model_validator(mode="wrap")
    @classmethod
    def _rapport_errors(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        if _VALIDATING.get():
            return handler(data)
        token = _VALIDATING.set(True)
        try:
            return handler(data)
        except PydanticValidationError as exc:
            raise invalid_input(exc, record=cls.record) from None
        finally:
            _VALIDATING.reset(token)

    def given(self) -> dict[str, Any]:
        """The fields the caller set with their values, in the model's field order."""
        return {name: getattr(self, name) for name in type(self).model_fields
                if name in self.model_fields_set}
