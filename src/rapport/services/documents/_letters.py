"""Merging one letter: the document to use and the record to merge into it (SPEC §3.11–§3.13)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from sqlalchemy import Select, literal, select

from rapport.db import models as m
from rapport.errors import NotFoundError, ValidationError
from rapport.merge import MergeRecord
from rapport.services.context import Ctx
from rapport.services.documents._attachments import WORD_EXTENSIONS, attachment_file
from rapport.services.documents._records import records

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class MergedDocument:
    """A merged letter: a file name and its .docx bytes."""

    file_name: str
    content: bytes


def document_attachment(ctx: Ctx, attachment_no: int | None, word_template_code: str | None,
                        *, record: str) -> int:
    """The attachment a letter is merged from: the line's own, else its Word template's (E10)."""
    if attachment_no is None and word_template_code:
        word = ctx.session.get(m.WordTemplate, word_template_code)
        attachment_no = word.attachment_no if word is not None else None
    if attachment_no is None:
        raise NotFoundError(
            f"{record}: the interaction template has no attachment for the selected language",
            code="E10", record=record, field="attachment_no", reason="no attachment")
    return attachment_no


def merge_attachment(ctx: Ctx, attachment_no: int, record: MergeRecord) -> bytes:
    """One record merged into a stored Word attachment (E11 if it is not a Word file)."""
    upload = attachment_file(ctx, attachment_no)
    if PurePath(upload.file_name).suffix.lstrip(".").lower() not in WORD_EXTENSIONS:
        raise ValidationError(
            f"Attachment {attachment_no} ({upload.file_name}) must be a Word .docx file to be "
            "merged", code="E11", record=f"Attachment {attachment_no}", field="file_name",
            reason="not a Word file")
    return ctx.merger.merge(upload.content, record)


def contact_source(contact_no: str, *, date: dt.date, language_code: str | None,
                   salesperson_code: str | None, description: str = "", subject: str = ""
                   ) -> Select[Any]:
    """One contact as a letter's source row (a template preview: no entry, no segment)."""
    return select(
        literal(contact_no).label("key"), literal(None).label("entry_no"),
        literal(contact_no).label("contact_no"), literal(None).label("alt_code"),
        literal(salesperson_code).label("salesperson_code"), literal(date).label("date"),
        literal(None).label("campaign_no"), literal("").label("segment_no"),
        literal(description).label("description"), literal(subject).label("subject"),
        literal(language_code or "").label("language_code"),
        literal("").label("correspondence_type"))


def one_record(ctx: Ctx, source: Select[Any], key: Any, *, record: str) -> MergeRecord:
    """The merge record of the one row of ``source``; a missing contact is an error."""
    found = records(ctx, source)
    if key not in found:
        raise NotFoundError(f"{record} has no contact to merge a letter for", code="E20",
                            record=record, field="contact_no", reason="no contact")
    return found[key]


def letter_file_name(company: str, person: str, extension: str) -> str:
    """§3.13: "<Company> - <Person>.pdf", or "<Name>.pdf" — safe for any file system."""
    parts = [p for p in (company, person) if p]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    stem = _UNSAFE.sub("_", " - ".join(parts)).strip(" .") or "letter"
    return f"{stem}.{extension}"
