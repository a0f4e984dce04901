"""The one page type of every list: items, the total over all pages, and how to get the next.

Lists that can hold millions of rows (contacts, segment lines, interaction log entries) page by
key: the client passes the page's ``next_after`` back as ``after``, and a page deep inside the
list costs what the first one does. Shorter lists page by ``offset``.
"""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query, Response
from pydantic import BaseModel

T = TypeVar("T")

MAX_LIMIT = 500
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Items to skip.")]


class Page(BaseModel, Generic[T]):
    """One page: ``items``, the ``total`` over all pages, and the paging that chose it;
    ``next_after`` is the ``after`` of the next page (keyset lists; null on the last page)."""

    items: list[T]
    total: int
    limit: int
    offset: int | None = None
    next_after: str | None = None


def json_answer(model: BaseModel) -> Response:
    """``model`` as the JSON answer, serialised once. A route that returns a model has FastAPI
    validate it again against its ``response_model`` and serialise it, on another worker
    thread; a hot read (a page of segment lines) builds its validated model and answers it
    directly (its ``response_model`` still documents it)."""
    return Response(model.model_dump_json(), media_type="application/json")
