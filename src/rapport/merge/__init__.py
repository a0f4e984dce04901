"""Adapters for documents: Word merge (docx-mailmerge2) behind a small Protocol.

``DocumentMerger`` is what services need: the merge fields of a template and one record merged
into it. ``DocxMerger`` is the implementation, built at the one wiring point (``rapport.wiring``).
"""

from __future__ import annotations

from typing import Protocol

from rapport.merge._docx import DocxMerger, MergeRecord
from rapport.merge._formats import FieldValue, date_pattern, locale_for, number_text
from rapport.merge._names import field_key


class DocumentMerger(Protocol):
    """Reads a template's merge fields and merges one record into it."""

    def fields(self, template: bytes) -> list[str]:
        """The merge-field names of a template, each once."""
        ...

    def merge(self, template: bytes, record: MergeRecord) -> bytes:
        """The template merged with one record."""
        ...


__all__ = [
    "date_pattern",
    "DocumentMerger",
    "DocxMerger",
    "field_key",
    "FieldValue",
    "locale_for",
    "MergeRecord",
    "number_text",
]
