"""Interaction groups and interaction templates (SPEC §2.4, §2.5; A2 Q04/Q14; A3 K14).

A template's attachment lives on its default-language row (see ``template_languages``). Setting a
Word template replaces that attachment (``replace_attachment``); choosing a default language that
has no row creates it (``create_language_row``). A template or group that interactions were
logged with cannot be deleted (K14), nor one that unlogged segments use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import delete, select

from rapport.db import models as m
from rapport.domain.codes import require_code
from rapport.domain.enums import CorrespondenceType, InformationFlow, InitiatedBy, WizardAction
from rapport.domain.field_values import check_amount, check_minutes, check_option
from rapport.errors import ConflictError, RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.documents import drop_attachments
from rapport.services.inputs import Amount, Input, Minutes
from rapport.services.setup import ensure_exists
from rapport.services.templates import _languages as tl
from rapport.services.templates._groups import (  # re-exported: groups belong with templates
    create_interaction_group,
    delete_interaction_group,
    list_interaction_groups,
    refuse_if_logged,
    refuse_if_used,
    update_interaction_group,
)

_OPTIONS: dict[str, frozenset[str]] = {
    "information_flow": frozenset(v.value for v in InformationFlow),
    "initiated_by": frozenset(v.value for v in InitiatedBy),
    "correspondence_type_default": frozenset(v.value for v in CorrespondenceType),
    "wizard_action": frozenset(v.value for v in WizardAction),
}
_FLAGS = frozenset({"campaign_target", "campaign_response", "ignore_contact_corres_type"})


class TemplateInput(Input):
    """A new interaction template (defaults as in the reference)."""

    record: ClassVar[str] = "Interaction Template"

    code: str
    interaction_group_code: str
    description: str = ""
    unit_cost: Amount = Decimal("0")
    unit_duration: Minutes = 0
    information_flow: str = ""
    initiated_by: str = ""
    campaign_no: str | None = None
    campaign_target: bool = False
    campaign_response: bool = False
    correspondence_type_default: str = CorrespondenceType.EMAIL.value
    ignore_contact_corres_type: bool = False
    language_code_default: str = ""
    wizard_action: str = ""
    word_template_code: str | None = None


class TemplateChanges(Input):
    """Changes to an interaction template; only the fields set are applied (None = blank)."""

    record: ClassVar[str] = "Interaction Template"

    interaction_group_code: str | None = None
    description: str | None = None
    unit_cost: Amount | None = None
    unit_duration: Minutes | None = None
    information_flow: str | None = None
    initiated_by: str | None = None
    campaign_no: str | None = None
    campaign_target: bool | None = None
    campaign_response: bool | None = None
    correspondence_type_default: str | None = None
    ignore_contact_corres_type: bool | None = None
    language_code_default: str | None = None
    wizard_action: str | None = None
    word_template_code: str | None = None


__all__ = [
    "TemplateChanges", "TemplateInput", "check_wizard_action", "create_interaction_group",
    "create_interaction_template", "delete_interaction_group", "delete_interaction_template",
    "list_interaction_groups", "list_interaction_templates", "update_interaction_group",
    "update_interaction_template",
]


# --- Interaction templates ------------------------------------------------------------------


def create_interaction_template(
    ctx: Ctx, data: TemplateInput, *, create_language_row: bool = True,
    replace_attachment: bool = True,
) -> m.InteractionTemplate:
    """Create an interaction template with the rules of SPEC §2.5."""
    key = require_code(data.code, field="code", max_length=10, record="Interaction Template")
    if ctx.session.get(m.InteractionTemplate, key) is not None:
        raise ConflictError(f"Interaction template {key} already exists",
                            record=f"Interaction Template {key}", field="code",
                            reason="duplicate")
    template = m.InteractionTemplate(code=key, language_code_default="", wizard_action="")
    _apply(ctx, template, data.model_dump(exclude={"code"}), create_language_row,
           replace_attachment, new=True)
    return template


def update_interaction_template(
    ctx: Ctx, code: str, changes: TemplateChanges, *, create_language_row: bool = True,
    replace_attachment: bool = True,
) -> m.InteractionTemplate:
    """Change fields of an interaction template with the rules of SPEC §2.5."""
    template = tl.get_template(ctx, code)
    _apply(ctx, template, changes.given(), create_language_row, replace_attachment, new=False)
    return template


def _apply(ctx: Ctx, template: m.InteractionTemplate, changes: Mapping[str, Any],
           create_language_row: bool, replace_attachment: bool, *, new: bool) -> None:
    record = f"Interaction Template {template.code}"
    for name, value in changes.items():
        if name not in {"language_code_default", "wizard_action", "word_template_code"}:
            setattr(template, name, _checked(ctx, name, value, record))
    if new:
        ctx.session.add(template)
        ctx.session.flush()
    if "language_code_default" in changes:
        lang = tl.language_key(ctx, changes["language_code_default"], record=record)
        if new or lang != template.language_code_default:
            _change_default_language(ctx, template, lang, create_language_row)
    if "word_template_code" in changes:
        _set_word_template(ctx, template, changes["word_template_code"], replace_attachment)
    if "wizard_action" in changes:
        template.wizard_action = _checked(ctx, "wizard_action", changes["wizard_action"], record)
    if new or changes.keys() & {"language_code_default", "word_template_code", "wizard_action"}:
        check_wizard_action(ctx, template)
    ctx.session.flush()


def _checked(ctx: Ctx, name: str, value: Any, record: str) -> Any:
    if name == "interaction_group_code":
        code = ensure_exists(ctx, m.InteractionGroup, value, field=name, record=record)
        if code is None:
            raise ValidationError(f"Interaction Group Code must have a value on {record}",
                                  record=record, field=name, reason="blank")
        return code
    if name == "campaign_no":
        return ensure_exists(ctx, m.Campaign, value, field=name, record=record)
    if name == "unit_cost":
        return check_amount(value, field=name, record=record, caption="Unit Cost (LCY)")
    if name == "unit_duration":
        return check_minutes(value, field=name, record=record, caption="Unit Duration (Min.)")
    if name in _OPTIONS:
        return check_option(value, _OPTIONS[name], field=name, record=record)
    if name in _FLAGS:
        return bool(value)
    text = (value or "").strip()
    if len(text) > 100:
        raise ValidationError(f"{name} of {record} is longer than 100 characters",
                              record=record, field=name, reason="too long")
    return text


def _change_default_language(ctx: Ctx, template: m.InteractionTemplate, lang: str,
                             create_language_row: bool) -> None:
    """Q04/E27: the default language must have a row; its layout and Word template follow."""
    row = tl.find_row(ctx, template.code, lang)
    if row is None and lang == "" and template.language_code_default == "":
        template.language_code_default = lang  # a blank default needs no row until one is used
        return
    if row is None:
        if not create_language_row:
            raise RuleViolationError(
                f"Interaction template {template.code} has no language row "
                f"{lang or '(blank)'}; create it or choose another default language",
                code="E27", record=f"Interaction Template {template.code}",
                field="language_code_default", reason="language row missing")
        row = tl.add_template_language(
            ctx, template.code, tl.TemplateLanguageInput(language_code=lang))
    template.language_code_default = lang
    template.word_template_code = row.word_template_code
    tl.rederive_wizard_action(template, row)


def _set_word_template(ctx: Ctx, template: m.InteractionTemplate, value: str | None,
                       replace_attachment: bool) -> None:
    """Q14: a Word template replaces the attachment of the default-language row."""
    record = f"Interaction Template {template.code}"
    lang = template.language_code_default
    word = tl.check_word_template(ctx, value, lang, record=record)
    row = tl.find_row(ctx, template.code, lang)
    if word is None:
        template.word_template_code = None
        if row is not None:
            row.word_template_code = None
        return
    if row is None:
        row = tl.add_template_language(
            ctx, template.code, tl.TemplateLanguageInput(language_code=lang))
    if row.attachment_no is not None:
        if not replace_attachment:
            raise ConflictError(
                f"{record} has an attachment for language {lang or '(blank)'}; it must be "
                "removed to use a Word template (replace_attachment)",
                record=record, field="word_template_code", reason="attachment exists")
        old, row.attachment_no = row.attachment_no, None
        drop_attachments(ctx, [old])
    row.word_template_code = word
    template.word_template_code = word


def check_wizard_action(ctx: Ctx, template: m.InteractionTemplate) -> None:
    """E26: the wizard action must fit the default-language row (checked only when it exists)."""
    action = template.wizard_action
    record = f"Interaction Template {template.code}"
    if action == WizardAction.IMPORT and template.word_template_code:
        raise RuleViolationError(
            f"Word Template Code cannot be set when Wizard Action is Import ({record})",
            code="E26", record=record, field="word_template_code", reason="Import")
    row = tl.find_row(ctx, template.code, template.language_code_default)
    if row is None:
        return
    layout = bool(row.custom_layout_code or row.report_layout_name)
    word = bool(template.word_template_code or row.word_template_code)
    merge_ok = layout or word or row.attachment_no is not None
    if (action == WizardAction.MERGE and not merge_ok) or (
            layout and not word and action != WizardAction.MERGE):
        raise RuleViolationError(
            f"Wizard Action = {action or '(blank)'} cannot be specified for interaction "
            f"template {template.code}", code="E26", record=record, field="wizard_action",
            reason="does not fit the default-language attachment")


def delete_interaction_template(ctx: Ctx, code: str) -> None:
    """Delete a template nothing uses, with its language rows and their attachments (K14)."""
    template = tl.get_template(ctx, code)
    record = f"Interaction template {template.code}"
    refuse_if_logged(ctx, m.InteractionLogEntry.interaction_template_code, template.code, record)
    setup_columns = [m.InteractionTemplateSetup.e_mails, m.InteractionTemplateSetup.outg_calls,
                     m.InteractionTemplateSetup.cover_sheets,
                     m.InteractionTemplateSetup.meeting_invitation,
                     m.InteractionTemplateSetup.email_draft]
    refuse_if_used(ctx, record, [
        (m.SegmentHeader.interaction_template_code, "segment header(s)"),
        (m.SegmentLineData.interaction_template_code, "segment line(s)"),
        *[(c, "interaction template setup field(s)") for c in setup_columns],
    ], template.code)
    rows = m.InteractionTmplLanguage
    attachments = ctx.session.scalars(select(rows.attachment_no).where(
        rows.interaction_template_code == template.code)).all()
    ctx.session.execute(delete(rows).where(rows.interaction_template_code == template.code)
                        .execution_options(synchronize_session="fetch"))
    ctx.session.delete(template)
    drop_attachments(ctx, attachments)
    ctx.session.flush()


def list_interaction_templates(ctx: Ctx, *, group: str | None = None
                               ) -> Sequence[m.InteractionTemplate]:
    """Interaction templates by code, optionally of one group."""
    stmt = select(m.InteractionTemplate).order_by(m.InteractionTemplate.code)
    if group:
        stmt = stmt.where(m.InteractionTemplate.interaction_group_code == group.strip().upper())
    return ctx.session.scalars(stmt).all()
