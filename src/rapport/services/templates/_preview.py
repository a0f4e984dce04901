"""A template's letter merged for one contact, before any segment uses it (§3.12)."""

from __future__ import annotations

from rapport.db import models as m
from rapport.services.context import Ctx
from rapport.services.documents import (
    MergedDocument,
    contact_source,
    document_attachment,
    letter_file_name,
    merge_attachment,
    one_record,
)
from rapport.services.records import get_or_raise
from rapport.services.templates._languages import get_row, get_template


def template_preview(ctx: Ctx, template_code: str, language_code: str | None,
                     contact_no: str) -> MergedDocument:
    """The template's letter in ``language_code`` merged for ``contact_no`` on the work date."""
    template = get_template(ctx, template_code)
    row = get_row(ctx, template.code, language_code)
    contact = get_or_raise(ctx, m.Contact, contact_no.strip().upper(), what="Contact",
                           field="contact_no")
    record = f"Interaction Template {template.code}, language {row.language_code or '(blank)'}"
    attachment_no = document_attachment(
        ctx, row.attachment_no, row.word_template_code or template.word_template_code,
        record=record)
    source = contact_source(contact.no, date=ctx.work_date, language_code=row.language_code,
                            salesperson_code=contact.salesperson_code,
                            description=row.description or template.description)
    data = one_record(ctx, source, contact.no, record=record)
    company, person = ((contact.company_name, contact.name) if contact.type == "Person"
                       else ("", contact.name))
    return MergedDocument(letter_file_name(company, person, "docx"),
                          merge_attachment(ctx, attachment_no, data))
