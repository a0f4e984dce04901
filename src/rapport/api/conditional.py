"""``ETag`` / ``If-Match`` on records two people may edit at once (contacts, segment headers,
segment lines): the ETag is a digest of the record as the API shows it, so any change to what
a client saw changes it. A change without ``If-Match`` is refused with 428, one whose ETag is
stale with 412 — nobody overwrites another's change without having seen it.
"""

from __future__ import annotations

import hashlib

from fastapi import Response
from pydantic import BaseModel

from rapport.errors import PreconditionError


def etag_of(model: BaseModel) -> str:
    """The strong ETag of a record as shown."""
    digest = hashlib.sha256(model.model_dump_json().encode("utf-8")).hexdigest()[:32]
    return f'"{digest}"'


def tagged(response: Response, model: BaseModel) -> None:
    """Send ``model``'s ETag with the response."""
    response.headers["ETag"] = etag_of(model)


def created(response: Response, model: BaseModel, location: str) -> None:
    """Send a new record's ETag and its address (``Location``, under /api/v1)."""
    tagged(response, model)
    response.headers["Location"] = f"/api/v1{location}"


def check_if_match(if_match: str | None, current: BaseModel, record: str) -> None:
    """Refuse a change without If-Match (428) or with an ETag other than the current (412)."""
    if if_match is None or not if_match.strip():
        raise PreconditionError(f"Changing {record} needs an If-Match header with its ETag "
                                "(read it first)", record=record, missing=True)
    wanted = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in wanted and etag_of(current) not in wanted:
        raise PreconditionError(f"{record} was changed since it was read (ETag is stale); "
                                "read it again", record=record, missing=False)
