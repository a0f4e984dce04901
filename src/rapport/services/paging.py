"""One page of a list, the same shape for every list verb (contacts, campaign entries, logged
segments, interaction log entries …): the items, the total over all pages, and the paging
parameters that chose the page. The API maps it onto one generic page schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """``items`` are rows ``offset`` … ``offset + limit - 1`` of the ``total`` rows."""

    items: list[T]
    total: int
    limit: int
    offset: int
