"""Language rows of interaction templates and their attachments (SPEC §2.6, §2.8, A4).

Each row (template, language; '' = the blank language) may hold one attachment, stored in the
database, or a Word template of the same language, never both. Classic attachment maintenance on a
template that uses a Word template is refused (E22).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from sqlalchemy import exists, select

from rapport.db import models as m
from rapport.domain.codes import normalize_code, require_code
from rapport.domain.enums import WizardAction
from rapport.errors import ConflictError, NotFoundError, RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.documents import (
    AttachmentUpload,
    attachment_file,
    drop_attachments,
    store_attachment,
)
from rapport.services.inputs import Input
from rapport.services.records import get_or_raise

TemplateRow = m.InteractionTmplLanguage


class TemplateLanguageInput(Input):
    """A new language row of a template ('' or None = the blank language); its description
    defaults to the template's."""

    record: ClassVar[str] = "Interaction Template Language"

    language_code: str | None = None
    description: str = ""
    custom_layout_code: str = ""
    report_layout_name: str = ""
    word_template_code: str | None = None


class TemplateLanguageChanges(Input):
    """Changes to a language row: description, e-mail body layout, Word template (only the
    fields set are applied; None = blank)."""

    record: ClassVar[str] = "Interaction Template Language"

    description: str | None = None
    custom_layout_code: str | None = None
    report_layout_name: str | None = None
    word_template_code: str | None = None


def get_template(ctx: Ctx, code: str) -> m.InteractionTemplate:
    """An interaction template by code."""
    key = require_code(code, field="interaction_template_code", max_length=10,
                       record="Interaction Template")
    return get_or_raise(ctx, m.InteractionTemplate, key, what="Interaction template",
                        field="interaction_template_code")


def language_key(ctx: Ctx, language_code: str | None, *, record: str) -> str:
    """A language code for a language row: '' for the blank language, else an existing code."""
    code = normalize_code(language_code, field="language_code", max_length=10, record=record)
    if code is None:
        return ""
    if ctx.session.get(m.Language, code) is None:
        raise NotFoundError(f"Language {code} of {record} does not exist", record=record,
                            field="language_code", reason="does not exist")
    return code


def find_row(ctx: Ctx, template_code: str, language_code: str) -> TemplateRow | None:
    """The language row of a template, or None."""
    return ctx.session.get(TemplateRow, (template_code, language_code))


def get_row(ctx: Ctx, template_code: str, language_code: str | None) -> TemplateRow:
    """The language row of a template; missing is an error."""
    template = get_template(ctx, template_code)
    lang = (language_code or "").strip().upper()
    row = find_row(ctx, template.code, lang)
    if row is None:
        raise NotFoundError(
            f"Interaction template {template.code} has no language row {lang or '(blank)'}",
            record=f"Interaction Template {template.code}", field="language_code")
    return row


def check_word_template(ctx: Ctx, code: str | None, language_code: str, *, record: str
                        ) -> str | None:
    """A Word template code that exists and is made for ``language_code`` (§2.6)."""
    key = normalize_code(code, field="word_template_code", record=record)
    if key is None:
        return None
    word = ctx.session.get(m.WordTemplate, key)
    if word is None:
        raise NotFoundError(f"Word template {key} of {record} does not exist", record=record,
                            field="word_template_code", reason="does not exist")
    if (word.language_code or "") != language_code:
        raise ValidationError(
            f"Word template {key} is for language {word.language_code or '(blank)'}, "
            f"not {language_code or '(blank)'} ({record})",
            record=record, field="word_template_code", reason="language mismatch")
    return key


def refuse_if_word_template(template: m.InteractionTemplate, row: TemplateRow | None) -> None:
    """E22: classic attachment actions are refused while a Word template is used."""
    if template.word_template_code or (row is not None and row.word_template_code):
        raise RuleViolationError(
            f"An attachment cannot be used or changed on interaction template {template.code} "
            "because a Word template has been specified",
            code="E22", record=f"Interaction Template {template.code}",
            field="attachment_no", reason="Word template in use")


def add_template_language(
    ctx: Ctx, template_code: str, data: TemplateLanguageInput, *,
    attachment: AttachmentUpload | None = None,
) -> TemplateRow:
    """Add a language row to a template, optionally with its attachment."""
    template = get_template(ctx, template_code)
    record = f"Interaction Template {template.code}"
    lang = language_key(ctx, data.language_code, record=record)
    if find_row(ctx, template.code, lang) is not None:
        raise ConflictError(f"{record} already has language row {lang or '(blank)'}",
                            record=record, field="language_code", reason="duplicate")
    row = TemplateRow(interaction_template_code=template.code, language_code=lang,
                      description=data.description.strip() or template.description)
    ctx.session.add(row)
    _set_row_fields(ctx, template, row, {
        "custom_layout_code": data.custom_layout_code,
        "report_layout_name": data.report_layout_name,
        "word_template_code": data.word_template_code})
    if attachment is not None:
        refuse_if_word_template(template, row)
        row.attachment_no = store_attachment(ctx, attachment)
    ctx.session.flush()
    return row


def save_template_language(
    ctx: Ctx, template_code: str, language_code: str | None, changes: TemplateLanguageChanges,
    *, attachment: AttachmentUpload | None = None,
) -> TemplateRow:
    """Add the language row with ``changes``, or apply them to the existing row (a new
    attachment replaces the old)."""
    template = get_template(ctx, template_code)
    lang = (language_code or "").strip().upper()
    if find_row(ctx, template.code, lang) is None:
        given = {k: v for k, v in changes.given().items() if v is not None}
        return add_template_language(
            ctx, template.code, TemplateLanguageInput(language_code=lang, **given),
            attachment=attachment)
    row = update_template_language(ctx, template.code, lang, changes)
    if attachment is not None:
        set_template_attachment(ctx, template.code, lang, attachment)
    return row


def update_template_language(
    ctx: Ctx, template_code: str, language_code: str | None, data: TemplateLanguageChanges
) -> TemplateRow:
    """Change a language row's description, e-mail body layout or Word template."""
    row = get_row(ctx, template_code, language_code)
    template = get_template(ctx, template_code)
    changes = data.given()
    if "description" in changes:
        row.description = (changes["description"] or "").strip()
    _set_row_fields(ctx, template, row, {k: v for k, v in changes.items() if k != "description"})
    ctx.session.flush()
    return row


def _set_row_fields(ctx: Ctx, template: m.InteractionTemplate, row: TemplateRow,
                    values: Mapping[str, Any]) -> None:
    record = f"Interaction Template {template.code}, language {row.language_code or '(blank)'}"
    if "word_template_code" in values:
        word = check_word_template(ctx, values["word_template_code"], row.language_code,
                                   record=record)
        if word is not None and row.attachment_no is not None:
            raise ConflictError(f"{record} has an attachment; remove it before setting a "
                                "Word template", record=record, field="word_template_code",
                                reason="attachment exists")
        row.word_template_code = word
    if "report_layout_name" in values:
        row.report_layout_name = (values["report_layout_name"] or "").strip()
    if "custom_layout_code" in values:
        row.custom_layout_code = (values["custom_layout_code"] or "").strip().upper()
        if row.custom_layout_code:
            row.report_layout_name = ""  # choosing a custom layout clears the report layout
    if row.language_code == template.language_code_default:
        rederive_wizard_action(template, row)


def rederive_wizard_action(template: m.InteractionTemplate, row: TemplateRow) -> None:
    """A body layout forces Merge; a Merge without layout or Word template becomes blank."""
    layout = bool(row.custom_layout_code or row.report_layout_name)
    word = bool(template.word_template_code or row.word_template_code)
    if layout and not word:
        template.wizard_action = WizardAction.MERGE.value
    elif template.wizard_action == WizardAction.MERGE and not (layout or word
                                                               or row.attachment_no):
        template.wizard_action = WizardAction.BLANK.value


def delete_template_language(ctx: Ctx, template_code: str, language_code: str | None) -> None:
    """Delete a language row and its attachment (not the template's default-language row)."""
    row = get_row(ctx, template_code, language_code)
    template = get_template(ctx, template_code)
    others = ctx.session.scalar(select(exists().where(
        TemplateRow.interaction_template_code == template.code,
        TemplateRow.language_code != row.language_code)))
    if row.language_code == template.language_code_default and (
            row.language_code or others or template.word_template_code):
        raise ConflictError(
            f"Language row {row.language_code or '(blank)'} is the default language of "
            f"interaction template {template.code}; change Language Code (Default) first",
            record=f"Interaction Template {template.code}", field="language_code",
            reason="default language")
    attachment_no = row.attachment_no
    ctx.session.delete(row)
    if row.language_code == template.language_code_default and \
            template.wizard_action == WizardAction.MERGE:
        template.wizard_action = WizardAction.BLANK.value
    drop_attachments(ctx, [attachment_no])


def set_template_attachment(ctx: Ctx, template_code: str, language_code: str | None,
                            upload: AttachmentUpload) -> int:
    """Import a file as the attachment of a language row, replacing the previous one (E22)."""
    row = get_row(ctx, template_code, language_code)
    refuse_if_word_template(get_template(ctx, template_code), row)
    old = row.attachment_no
    row.attachment_no = store_attachment(ctx, upload)
    drop_attachments(ctx, [old])
    return row.attachment_no


def remove_template_attachment(ctx: Ctx, template_code: str, language_code: str | None) -> None:
    """Remove the attachment of a language row (E22)."""
    row = get_row(ctx, template_code, language_code)
    refuse_if_word_template(get_template(ctx, template_code), row)
    old, row.attachment_no = row.attachment_no, None
    drop_attachments(ctx, [old])


def export_template_attachment(ctx: Ctx, template_code: str, language_code: str | None
                               ) -> AttachmentUpload:
    """The file attached to a language row (E22)."""
    row = get_row(ctx, template_code, language_code)
    refuse_if_word_template(get_template(ctx, template_code), row)
    att = ctx.session.get(m.Attachment, row.attachment_no) if row.attachment_no else None
    if att is None:
        raise NotFoundError(
            f"Interaction template {row.interaction_template_code} has no attachment for "
            f"language {row.language_code or '(blank)'}",
            record=f"Interaction Template {row.interaction_template_code}",
            field="attachment_no")
    return attachment_file(ctx, att.no)


def list_template_languages(ctx: Ctx, template_code: str) -> Sequence[TemplateRow]:
    """The language rows of a template, by language."""
    template = get_template(ctx, template_code)
    return ctx.session.scalars(select(TemplateRow)
                               .where(TemplateRow.interaction_template_code == template.code)
                               .order_by(TemplateRow.language_code)).all()
