"""Loading one record by its key, the same way everywhere: the record or a NotFoundError that
names the record, the field the key came in, and why."""

from __future__ import annotations

from typing import Any, TypeVar

from rapport.errors import NotFoundError
from rapport.services.context import Ctx

T = TypeVar("T")


def not_found(
    what: str, key: Any, *, field: str, label: str | None = None, code: str | None = None
) -> NotFoundError:
    """The error for a record that does not exist (for loaders that cannot use ``get_or_raise``).

    The record is named "``what`` ``key``" unless ``label`` names it (composite keys).
    """
    record = label or f"{what} {key}"
    return NotFoundError(f"{record} does not exist", code=code, record=record, field=field,
                         reason="does not exist")


def get_or_raise(
    ctx: Ctx, model: type[T], key: Any, *, what: str, field: str, lock: bool = False,
    label: str | None = None, code: str | None = None,
) -> T:
    """The ``model`` row with primary key ``key``, or a NotFoundError (see ``not_found``).

    ``what`` names the kind of record as messages do ("Segment", "Contact"); ``field`` is the
    input field that carried the key ("segment_no"); ``code`` is the reference's error id where
    it has one (E07). With ``lock`` the row is locked for update and read afresh, so a
    transaction that waited for the lock sees what the other one committed.
    """
    found = ctx.session.get(model, key, with_for_update=lock, populate_existing=lock)
    if found is None:
        raise not_found(what, key, field=field, label=label, code=code)
    return found
