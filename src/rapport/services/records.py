"""Loading one record by its key, the same way everywhere: the record or a NotFoundError that
names the record, the field the key came in, and why."""

from __future__ import annotations

from typing import Any, TypeVar

from rapport.errors import NotFoundError
from rapport.services.context import Ctx

T = TypeVar("T")


def get_or_raise(
    ctx: Ctx, model: type[T], key: Any, *, what: str, field: str, lock: bool = False
) -> T:
    """The ``model`` row with primary key ``key`` (locked for update when ``lock``).

    ``what`` names the kind of record as messages do ("Segment", "Contact"); ``field`` is the
    input field that carried the key ("segment_no").
    """
    found = ctx.session.get(model, key, with_for_update=lock)
    if found is None:
        label = f"{what} {key}"
        raise NotFoundError(
            f"{label} does not exist", record=label, field=field, reason="does not exist"
        )
    return found
