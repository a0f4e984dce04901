"""Each logged entry's document, merged for its contact: what hard copy prints and what e-mail
delivery sends (SPEC §3.12, §3.13).

A Word letter (.docx) is merged with ``ctx.merger`` (on several processes for many entries); an
HTML e-mail body has its ``{{Field}}`` placeholders replaced by the same values, HTML-escaped;
any other file is delivered as it is. The records of all entries are read in one statement and
each attachment once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from sqlalchemy import select

from rapport.db import models as m
from rapport.errors import RapportError
from rapport.merge import DocxMerger, MergeRecord, merge_many, plain_text
from rapport.services.context import Ctx
from rapport.services.documents._attachments import WORD_EXTENSIONS, attachment_file
from rapport.services.documents._fields import canonical_key
from rapport.services.documents._letters import letter_stem
from rapport.services.documents._records import entry_source, records

ILE = m.InteractionLogEntry
HTML_EXTENSIONS = frozenset({"html", "htm"})
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


@dataclass(frozen=True)
class EntryDocument:
    """One entry's merged document: ``docx`` (Word letter), ``html`` (e-mail body, UTF-8) or
    ``file`` (delivered as it is); ``stem`` names the contact (§3.13), ``record`` holds the
    merged values (subject, recipient: ``document_subject``, ``faxmailto`` …)."""

    entry_no: int
    kind: Literal["docx", "html", "file"]
    stem: str
    file_name: str
    content: bytes
    record: MergeRecord


def merge_html(body: str, record: MergeRecord) -> str:
    """An HTML body with each ``{{Field}}`` replaced by its value (escaped); unknown stay."""

    def value(match: re.Match[str]) -> str:
        key = canonical_key(match.group(1))
        if key is None:
            return match.group(0)
        return html.escape(plain_text(record.values.get(key), record.locale))

    return _PLACEHOLDER.sub(value, body)


def entry_documents(ctx: Ctx, entry_nos: Sequence[int], *, workers: int = 1
                    ) -> tuple[dict[int, EntryDocument], dict[int, str]]:
    """The merged document of each entry, and the reason for each entry that has none."""
    rows = ctx.session.execute(
        select(ILE.entry_no, ILE.attachment_no, m.Contact.type, m.Contact.name,
               m.Contact.company_name)
        .join(m.Contact, m.Contact.no == ILE.contact_no)
        .where(ILE.entry_no.in_(list(entry_nos))).order_by(ILE.entry_no)).all()
    found = records(ctx, entry_source([r.entry_no for r in rows]))
    stems = {r.entry_no: letter_stem(r.type, r.name, r.company_name) for r in rows}
    errors = {no: "the entry or its contact does not exist" for no in entry_nos
              if no not in stems}
    by_attachment: dict[int, list[int]] = {}
    for row in rows:
        if row.attachment_no is None:
            errors[row.entry_no] = "the interaction template has no attachment for the " \
                                   "selected language (E10)"
        else:
            by_attachment.setdefault(row.attachment_no, []).append(row.entry_no)
    documents: dict[int, EntryDocument] = {}
    for attachment_no, entries in by_attachment.items():
        try:
            upload = attachment_file(ctx, attachment_no)
            extension = PurePath(upload.file_name).suffix.lstrip(".").lower()
            contents = _merged(ctx, upload.content, extension, [found[e] for e in entries],
                               workers)
        except RapportError as exc:
            errors.update({e: exc.message for e in entries})
            continue
        kind: Literal["docx", "html", "file"] = (
            "docx" if extension in WORD_EXTENSIONS else
            "html" if extension in HTML_EXTENSIONS else "file")
        suffix = "docx" if kind == "docx" else extension or "bin"
        for entry, content in zip(entries, contents, strict=True):
            documents[entry] = EntryDocument(entry, kind, stems[entry],
                                             f"{stems[entry]}.{suffix}", content, found[entry])
    return documents, errors


def _merged(ctx: Ctx, content: bytes, extension: str, merge_records: list[MergeRecord],
            workers: int) -> list[bytes]:
    if extension in WORD_EXTENSIONS:
        if workers > 1 and isinstance(ctx.merger, DocxMerger):
            return merge_many(content, merge_records, workers=workers)
        return [ctx.merger.merge(content, record) for record in merge_records]
    if extension in HTML_EXTENSIONS:
        body = content.decode("utf-8", errors="replace")
        return [merge_html(body, record).encode("utf-8") for record in merge_records]
    return [content for _ in merge_records]
