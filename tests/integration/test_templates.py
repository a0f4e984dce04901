"""Interaction groups, templates, language rows and attachments (SPEC §2.4–§2.8, K14, A2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ConflictError, NotFoundError, RuleViolationError, ValidationError
from rapport.services import templates
from rapport.services.templates import (
    AttachmentUpload,
    GroupChanges,
    GroupInput,
    TemplateChanges,
    TemplateInput,
    TemplateLanguageChanges,
    TemplateLanguageInput,
)
from tests.builders_documents import word_letter
from tests.builders_setup import assert_refused, log_interaction, put_on_segment
from tests.conftest import TxFactory

SF = sessionmaker[Session]
DOCX = AttachmentUpload("Letter.DOCX", word_letter([["Letter"]]))


@pytest.fixture
def world(factory: SF) -> SF:
    """Groups LETTER/EMAIL, language DEU, Word templates W-EN (blank language) and W-DE (DEU)."""
    with factory.begin() as s:
        s.add_all(
            [
                m.InteractionGroup(code="LETTER"),
                m.InteractionGroup(code="EMAIL"),
                m.Language(code="DEU", name="German"),
                m.Campaign(no="CP1"),
            ]
        )
        s.flush()
        s.add_all(
            [
                m.WordTemplate(code="W-EN", name="English"),
                m.WordTemplate(code="W-DE", name="German", language_code="DEU"),
            ]
        )
    return factory


def _template(tx: TxFactory, code: str = "T1", **kw: Any) -> None:
    with tx() as ctx:
        templates.create_interaction_template(
            ctx, TemplateInput(**{"code": code, "interaction_group_code": "LETTER", **kw})
        )


def _with_attachment(tx: TxFactory, code: str = "T1", language: str = "") -> int:
    with tx() as ctx:
        row = templates.add_template_language(
            ctx, code, TemplateLanguageInput(language_code=language), attachment=DOCX
        )
        return row.attachment_no or 0


def _attachments(factory: SF) -> int:
    with factory() as s:
        return s.scalar(select(func.count()).select_from(m.Attachment)) or 0


# --- Groups --------------------------------------------------------------------------------


def test_group_create_update_list_delete(tx: TxFactory, factory: SF) -> None:
    with tx() as ctx:
        templates.create_interaction_group(ctx, GroupInput(code="meet", description="Meetings"))
        templates.update_interaction_group(ctx, "MEET", GroupChanges(description="All meetings"))
        assert [(g.code, g.description) for g in templates.list_interaction_groups(ctx)] == [
            ("MEET", "All meetings")
        ]
    assert_refused(
        tx,
        factory,
        lambda ctx: templates.create_interaction_group(ctx, GroupInput(code="MEET")),
        ConflictError,
        match="already exists",
    )
    with tx() as ctx:
        templates.delete_interaction_group(ctx, "meet")
        assert templates.list_interaction_groups(ctx) == []


def test_group_used_by_interactions_cannot_be_deleted_k14(tx: TxFactory, world: SF) -> None:
    with world.begin() as s:
        log_interaction(s, None, interaction_group_code="EMAIL")
    err = assert_refused(
        tx,
        world,
        lambda ctx: templates.delete_interaction_group(ctx, "EMAIL"),
        RuleViolationError,
        code="K14",
    )
    assert "1 interaction log entr" in err.message


def test_group_used_by_templates_or_segments_cannot_be_deleted(tx: TxFactory, world: SF) -> None:
    _template(tx)
    assert_refused(
        tx,
        world,
        lambda ctx: templates.delete_interaction_group(ctx, "LETTER"),
        ConflictError,
        match="1 interaction template",
    )
    with world.begin() as s:
        s.add(m.SegmentHeader(no="S1", interaction_group_code="EMAIL"))
    assert_refused(
        tx,
        world,
        lambda ctx: templates.delete_interaction_group(ctx, "EMAIL"),
        ConflictError,
        match="1 segment header",
    )


# --- Template fields -----------------------------------------------------------------------


def test_template_defaults_and_normalisation(tx: TxFactory, world: SF) -> None:
    _template(
        tx,
        "t1",
        description="Letter",
        unit_cost=Decimal("2.5"),
        unit_duration=5,
        information_flow="Outbound",
        initiated_by="Us",
        campaign_no="cp1",
    )
    with world() as s:
        tmpl = s.get(m.InteractionTemplate, "T1")
        assert tmpl is not None
        assert tmpl.correspondence_type_default == "Email"
        assert (tmpl.unit_cost, tmpl.unit_duration) == (Decimal("2.50"), 5)
        assert (tmpl.campaign_no, tmpl.language_code_default, tmpl.wizard_action) == ("CP1", "", "")
        # a blank default language needs no language row until one is used
        assert s.scalar(select(func.count()).select_from(m.InteractionTmplLanguage)) == 0


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"interaction_group_code": ""}, ValidationError, "interaction_group_code"),
        ({"interaction_group_code": "NOPE"}, NotFoundError, "interaction_group_code"),
        ({"unit_cost": Decimal("-0.01")}, ValidationError, "unit_cost"),
        ({"unit_cost": "abc"}, ValidationError, "unit_cost"),
        ({"unit_duration": -1}, ValidationError, "unit_duration"),
        ({"unit_duration": 2.5}, ValidationError, "unit_duration"),
        ({"information_flow": "Sideways"}, ValidationError, "information_flow"),
        ({"correspondence_type_default": "Fax"}, ValidationError, "correspondence_type_default"),
        ({"campaign_no": "CP9"}, NotFoundError, "campaign_no"),
        ({"language_code_default": "FRA"}, NotFoundError, "language_code"),
        ({"wizard_action": "Dance"}, ValidationError, "wizard_action"),
    ],
)
def test_invalid_template_fields_are_refused(
    tx: TxFactory, world: SF, fields: dict, error: type, field: str
) -> None:
    values = {"code": "T1", "interaction_group_code": "LETTER", **fields}
    err = assert_refused(
        tx,
        world,
        lambda ctx: templates.create_interaction_template(
            ctx, TemplateInput.model_validate(values)
        ),
        error,
    )
    assert err.field == field


def test_update_template_changes_fields_and_refuses_bad_ones(tx: TxFactory, world: SF) -> None:
    _template(tx)
    with tx() as ctx:
        templates.update_interaction_template(
            ctx,
            "T1",
            TemplateChanges(
                unit_duration=10,
                interaction_group_code="email",
                ignore_contact_corres_type=True,
            ),
        )
    with world() as s:
        tmpl = s.get(m.InteractionTemplate, "T1")
        assert tmpl is not None
        assert (tmpl.unit_duration, tmpl.interaction_group_code) == (10, "EMAIL")
        assert tmpl.ignore_contact_corres_type is True
    assert_refused(
        tx,
        world,
        lambda ctx: templates.update_interaction_template(
            ctx, "T1", TemplateChanges.model_validate({"code": "X"})
        ),
        ValidationError,
        match="no editable field",
    )
    assert_refused(
        tx,
        world,
        lambda ctx: templates.create_interaction_template(
            ctx, TemplateInput(code="T1", interaction_group_code="LETTER")
        ),
        ConflictError,
        match="already exists",
    )
    assert_refused(
        tx,
        world,
        lambda ctx: templates.update_interaction_template(ctx, "T9", TemplateChanges()),
        NotFoundError,
    )


# --- Default language (Q04 / E27) ----------------------------------------------------------


def test_default_language_creates_its_row(tx: TxFactory, world: SF) -> None:
    _template(tx, language_code_default="deu", description="Brief")
    with tx() as ctx:
        rows = [
            (r.language_code, r.description) for r in templates.list_template_languages(ctx, "T1")
        ]
        assert rows == [("DEU", "Brief")]
        assert templates.get_template(ctx, "T1").language_code_default == "DEU"


def test_default_language_without_row_is_refused_when_not_created_e27(
    tx: TxFactory, world: SF
) -> None:
    _template(tx)
    err = assert_refused(
        tx,
        world,
        lambda ctx: templates.update_interaction_template(
            ctx, "T1", TemplateChanges(language_code_default="DEU"), create_language_row=False
        ),
        RuleViolationError,
        code="E27",
    )
    assert "has no language row DEU" in err.message
    _with_attachment(tx, "T1", "DEU")
    with tx() as ctx:
        templates.update_interaction_template(
            ctx, "T1", TemplateChanges(language_code_default="DEU"), create_language_row=False
        )
        assert templates.get_template(ctx, "T1").language_code_default == "DEU"


def test_changing_default_language_rederives_wizard_action_and_word_template(
    tx: TxFactory, world: SF
) -> None:
    _template(tx)
    with tx() as ctx:
        templates.add_template_language(
            ctx, "T1", TemplateLanguageInput(custom_layout_code="html-body")
        )
        templates.add_template_language(
            ctx, "T1", TemplateLanguageInput(language_code="DEU", word_template_code="W-DE")
        )
        templates.update_interaction_template(ctx, "T1", TemplateChanges(wizard_action="Merge"))
    with tx() as ctx:
        templates.update_interaction_template(
            ctx, "T1", TemplateChanges(language_code_default="DEU")
        )
        tmpl = templates.get_template(ctx, "T1")
        assert (tmpl.word_template_code, tmpl.wizard_action) == ("W-DE", "Merge")
    with tx() as ctx:
        templates.update_interaction_template(ctx, "T1", TemplateChanges(language_code_default=""))
        tmpl = templates.get_template(ctx, "T1")
        assert (tmpl.word_template_code, tmpl.wizard_action) == (None, "Merge")


# --- Wizard action (E26) -------------------------------------------------------------------


def test_wizard_action_without_language_rows_is_accepted(tx: TxFactory, world: SF) -> None:
    _template(tx, wizard_action="Merge")
    with world() as s:
        assert s.get(m.InteractionTemplate, "T1").wizard_action == "Merge"  # type: ignore[union-attr]


def test_merge_without_attachment_layout_or_word_template_is_refused_e26(
    tx: TxFactory, world: SF
) -> None:
    _template(tx, language_code_default="DEU")
    err = assert_refused(
        tx,
        world,
        lambda ctx: templates.update_interaction_template(
            ctx, "T1", TemplateChanges(wizard_action="Merge")
        ),
        RuleViolationError,
        code="E26",
    )
    assert err.message.startswith(
        "Wizard Action = Merge cannot be specified for interaction template T1"
    )


def test_import_with_word_template_is_refused_e26(tx: TxFactory, world: SF) -> None:
    _template(tx, word_template_code="W-EN")
    err = assert_refused(
        tx,
        world,
        lambda ctx: templates.update_interaction_template(
            ctx, "T1", TemplateChanges(wizard_action="Import")
        ),
        RuleViolationError,
        code="E26",
    )
    assert "Word Template Code cannot be set when Wizard Action is Import" in err.message


def test_body_layout_requires_merge_e26(tx: TxFactory, world: SF) -> None:
    _template(tx)
    with tx() as ctx:
        templates.add_template_language(
            ctx, "T1", TemplateLanguageInput(report_layout_name="Email body")
        )
        assert templates.get_template(ctx, "T1").wizard_action == "Merge"  # the layout forces Merge
    assert_refused(
        tx,
        world,
        lambda ctx: templates.update_interaction_template(
            ctx, "T1", TemplateChanges(wizard_action="Open")
        ),
        RuleViolationError,
        code="E26",
    )


def test_merge_and_open_with_attachment_are_accepted(tx: TxFactory, world: SF) -> None:
    _template(tx)
    _with_attachment(tx)
    with tx() as ctx:
        templates.update_interaction_template(ctx, "T1", TemplateChanges(wizard_action="Merge"))
        templates.update_interaction_template(ctx, "T1", TemplateChanges(wizard_action="Open"))
        assert templates.get_template(ctx, "T1").wizard_action == "Open"


# --- Word template vs attachment (Q14 / E22) -----------------------------------------------


def test_word_template_replaces_the_attachment_by_default(tx: TxFactory, world: SF) -> None:
    _template(tx)
    _with_attachment(tx)
    assert _attachments(world) == 1
    with tx() as ctx:
        templates.update_interaction_template(ctx, "T1", TemplateChanges(word_template_code="w-en"))
    with world() as s:
        row = s.get(m.InteractionTmplLanguage, ("T1", ""))
        assert row is not None and (row.attachment_no, row.word_template_code) == (None, "W-EN")
        assert s.get(m.InteractionTemplate, "T1").word_template_code == "W-EN"  # type: ignore[union-attr]
    assert _attachments(world) == 0


def test_word_template_kept_out_when_attachment_must_stay(tx: TxFactory, world: SF) -> None:
    _template(tx)
    _with_attachment(tx)
    assert_refused(
        tx,
        world,
        lambda ctx: templates.update_interaction_template(
            ctx, "T1", TemplateChanges(word_template_code="W-EN"), replace_attachment=False
        ),
        ConflictError,
        match="replace_attachment",
    )


def test_word_template_creates_default_row_and_must_match_language(
    tx: TxFactory, world: SF
) -> None:
    _template(tx, word_template_code="W-EN")
    with tx() as ctx:
        assert [r.word_template_code for r in templates.list_template_languages(ctx, "T1")] == [
            "W-EN"
        ]
    assert_refused(
        tx,
        world,
        lambda ctx: templates.update_interaction_template(
            ctx, "T1", TemplateChanges(word_template_code="W-DE")
        ),
        ValidationError,
        match="language mismatch|is for language DEU",
    )
    assert_refused(
        tx,
        world,
        lambda ctx: templates.update_interaction_template(
            ctx, "T1", TemplateChanges(word_template_code="W-XX")
        ),
        NotFoundError,
    )
    with tx() as ctx:
        templates.update_interaction_template(ctx, "T1", TemplateChanges(word_template_code=None))
        assert templates.get_template(ctx, "T1").word_template_code is None


@pytest.mark.parametrize(
    "action",
    [
        lambda ctx: templates.set_template_attachment(ctx, "T1", "", DOCX),
        lambda ctx: templates.remove_template_attachment(ctx, "T1", ""),
        lambda ctx: templates.export_template_attachment(ctx, "T1", ""),
        lambda ctx: templates.add_template_language(
            ctx, "T1", TemplateLanguageInput(language_code="DEU"), attachment=DOCX
        ),
    ],
)
def test_classic_attachment_actions_are_refused_with_word_template_e22(
    tx: TxFactory, world: SF, action: Any
) -> None:
    _template(tx, word_template_code="W-EN")
    err = assert_refused(tx, world, action, RuleViolationError, code="E22")
    assert "Word template has been specified" in err.message


# --- Language rows and attachments ---------------------------------------------------------


def test_attachment_is_stored_exported_replaced_and_removed(tx: TxFactory, world: SF) -> None:
    _template(tx)
    first = _with_attachment(tx)
    with world() as s:
        att = s.get(m.Attachment, first)
        assert att is not None
        assert (att.file_name, att.file_extension, att.content) == (
            "Letter.DOCX",
            "docx",
            DOCX.content,
        )
        assert att.storage_type == "Embedded"
    with tx() as ctx:
        assert templates.export_template_attachment(ctx, "T1", "") == DOCX
        second = templates.set_template_attachment(
            ctx, "T1", None, AttachmentUpload("b.html", b"<p>")
        )
    assert second != first and _attachments(world) == 1
    with tx() as ctx:
        templates.remove_template_attachment(ctx, "T1", "")
    assert _attachments(world) == 0
    assert_refused(
        tx,
        world,
        lambda ctx: templates.export_template_attachment(ctx, "T1", ""),
        NotFoundError,
        match="has no attachment",
    )
    assert_refused(
        tx,
        world,
        lambda ctx: templates.set_template_attachment(ctx, "T1", "", AttachmentUpload("  ", b"x")),
        ValidationError,
        match="file name",
    )


def test_shared_attachment_survives_removal_from_one_row(tx: TxFactory, world: SF) -> None:
    _template(tx)
    no = _with_attachment(tx)
    with world.begin() as s:
        log_interaction(s, None, attachment_no=no)
    with tx() as ctx:
        templates.remove_template_attachment(ctx, "T1", "")
    assert _attachments(world) == 1  # still used by the logged interaction


def test_language_row_rules(tx: TxFactory, world: SF) -> None:
    _template(tx)
    with tx() as ctx:
        templates.add_template_language(
            ctx,
            "T1",
            TemplateLanguageInput(
                language_code="DEU", description="Deutsch", report_layout_name="Body"
            ),
        )
        row = templates.update_template_language(
            ctx, "T1", "deu", TemplateLanguageChanges(custom_layout_code="mine")
        )
        assert (row.custom_layout_code, row.report_layout_name) == ("MINE", "")
    assert_refused(
        tx,
        world,
        lambda ctx: templates.add_template_language(
            ctx, "T1", TemplateLanguageInput(language_code="DEU")
        ),
        ConflictError,
        match="already has language row DEU",
    )
    assert_refused(
        tx,
        world,
        lambda ctx: templates.add_template_language(
            ctx, "T1", TemplateLanguageInput(language_code="FRA")
        ),
        NotFoundError,
        match="Language FRA",
    )
    assert_refused(
        tx,
        world,
        lambda ctx: templates.update_template_language(
            ctx, "T1", "DEU", TemplateLanguageChanges(word_template_code="W-EN")
        ),
        ValidationError,
    )
    assert_refused(
        tx,
        world,
        lambda ctx: templates.update_template_language(
            ctx, "T1", "DEU", TemplateLanguageChanges.model_validate({"colour": 1})
        ),
        ValidationError,
        match="no editable field",
    )
    assert_refused(tx, world, lambda ctx: templates.get_row(ctx, "T1", "XX"), NotFoundError)


def test_default_language_row_cannot_be_deleted_but_others_can(tx: TxFactory, world: SF) -> None:
    _template(tx, language_code_default="DEU")
    _with_attachment(tx, "T1", "")
    assert_refused(
        tx,
        world,
        lambda ctx: templates.delete_template_language(ctx, "T1", "DEU"),
        ConflictError,
        match="default language",
    )
    with tx() as ctx:
        templates.delete_template_language(ctx, "T1", "")
        assert [r.language_code for r in templates.list_template_languages(ctx, "T1")] == ["DEU"]
    assert _attachments(world) == 0


# --- Deleting templates (K14) --------------------------------------------------------------


def test_delete_template_removes_language_rows_and_attachments(tx: TxFactory, world: SF) -> None:
    _template(tx, language_code_default="DEU")
    _with_attachment(tx, "T1", "")
    with tx() as ctx:
        templates.delete_interaction_template(ctx, "T1")
    with world() as s:
        assert s.get(m.InteractionTemplate, "T1") is None
        assert s.scalar(select(func.count()).select_from(m.InteractionTmplLanguage)) == 0
    assert _attachments(world) == 0


def test_template_used_by_interactions_cannot_be_deleted_k14(tx: TxFactory, world: SF) -> None:
    _template(tx)
    _with_attachment(tx)
    with world.begin() as s:
        log_interaction(s, None, interaction_template_code="T1")
    err = assert_refused(
        tx,
        world,
        lambda ctx: templates.delete_interaction_template(ctx, "T1"),
        RuleViolationError,
        code="K14",
    )
    assert err.message == (
        "Interaction template T1 cannot be deleted because 1 interaction log entr(ies) use it"
    )


def test_template_used_by_segments_or_setup_cannot_be_deleted(tx: TxFactory, world: SF) -> None:
    _template(tx)
    _template(tx, "T2")
    with world.begin() as s:
        s.add(m.Contact(no="C1", type="Company", company_no=None))
        s.flush()
        put_on_segment(s, "C1", "S1")
        s.add(m.SegmentLineData(segment_no="S1", line_no=10000, interaction_template_code="T1"))
        s.add(m.InteractionTemplateSetup(id=1, outg_calls="T2"))
    assert_refused(
        tx,
        world,
        lambda ctx: templates.delete_interaction_template(ctx, "T1"),
        ConflictError,
        match="1 segment line",
    )
    assert_refused(
        tx,
        world,
        lambda ctx: templates.delete_interaction_template(ctx, "T2"),
        ConflictError,
        match="interaction template setup",
    )


def test_list_templates_by_group(tx: TxFactory, world: SF) -> None:
    _template(tx, "T1")
    _template(tx, "T2", interaction_group_code="EMAIL")
    with tx() as ctx:
        assert [x.code for x in templates.list_interaction_templates(ctx)] == ["T1", "T2"]
        assert [x.code for x in templates.list_interaction_templates(ctx, group="email")] == ["T2"]
