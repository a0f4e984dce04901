"""Adapters for documents behind small Protocols: Word merge (docx-mailmerge2) and PDF
rendering (LibreOffice headless).

``DocumentMerger`` is what services need of Word: the merge fields of a template and one record
merged into it (``DocxMerger``). ``PdfRenderer`` turns merged letters into PDFs
(``LibreOfficeRenderer``). Both are built at the one wiring point (``rapport.wiring``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from rapport.merge._docx import DocxMerger, MergeRecord
from rapport.merge._formats import FieldValue, date_pattern, locale_for, number_text, plain_text
from rapport.merge._names import field_key
from rapport.merge._package import word_problem
from rapport.merge._parallel import merge_many
from rapport.merge._pdf import LibreOfficeRenderer, Rendered


class DocumentMerger(Protocol):
    """Reads a template's merge fields and merges one record into it."""

    def fields(self, template: bytes) -> list[str]:
        """The merge-field names of a template, each once."""
        ...

    def merge(self, template: bytes, record: MergeRecord) -> bytes:
        """The template merged with one record."""
        ...


class PdfRenderer(Protocol):
    """Renders .docx letters to PDF."""

    @property
    def available(self) -> bool:
        """Whether PDFs can be made here."""
        ...

    def why_unavailable(self) -> str:
        """Why letters stay .docx files (blank when PDFs can be made)."""
        ...

    def render(self, documents: Sequence[bytes], *, target: str = "pdf",
               progress: Callable[[int], None] | None = None) -> list[Rendered]:
        """Each document as a PDF (or ``target`` export), in order, or the reason it failed;
        ``progress`` (when given) hears how many documents are done so far."""
        ...


__all__ = [
    "date_pattern",
    "DocumentMerger",
    "DocxMerger",
    "field_key",
    "LibreOfficeRenderer",
    "FieldValue",
    "locale_for",
    "merge_many",
    "MergeRecord",
    "number_text",
    "PdfRenderer",
    "plain_text",
    "Rendered",
    "word_problem",
]
