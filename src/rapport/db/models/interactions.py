"""Interaction groups and templates, their language rows, attachments and Word templates."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from rapport.db.models.base import (
    CODE,
    Base,
    code_pk,
    code_ref,
    created_at,
    enum_col,
    flag,
    minutes,
    money,
    text_col,
)


class Attachment(Base):
    """A stored file (SPEC §2.8); embedded in the database unless a disk store is configured."""

    __tablename__ = "attachment"
    no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_name: Mapped[str] = text_col(250)
    file_extension: Mapped[str] = text_col(20)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    storage_type: Mapped[str] = enum_col("Embedded")
    storage_pointer: Mapped[str] = text_col(250)
    read_only: Mapped[bool] = flag()
    last_modified_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    created_at: Mapped[dt.datetime] = created_at()
    __table_args__ = {"sqlite_autoincrement": True}


class InteractionGroup(Base):
    __tablename__ = "interaction_group"
    code: Mapped[str] = code_pk()
    description: Mapped[str] = text_col(100)


class WordTemplate(Base):
    """A Word template on "Interaction Merge Data", in one language."""

    __tablename__ = "word_template"
    code: Mapped[str] = code_pk()
    name: Mapped[str] = text_col(250)
    language_code: Mapped[str | None] = code_ref("language.code")
    attachment_no: Mapped[int | None] = mapped_column(ForeignKey("attachment.no"), nullable=True)


class InteractionTemplate(Base):
    """An interaction template (SPEC §2.5): the defaults of an interaction."""

    __tablename__ = "interaction_template"
    code: Mapped[str] = code_pk()
    interaction_group_code: Mapped[str] = mapped_column(
        String(CODE), ForeignKey("interaction_group.code"), nullable=False, index=True
    )
    description: Mapped[str] = text_col(100)
    unit_cost: Mapped[Decimal] = money()
    unit_duration: Mapped[int] = minutes()
    information_flow: Mapped[str] = enum_col()
    initiated_by: Mapped[str] = enum_col()
    campaign_no: Mapped[str | None] = code_ref("campaign.no")
    campaign_target: Mapped[bool] = flag()
    campaign_response: Mapped[bool] = flag()
    correspondence_type_default: Mapped[str] = enum_col("Email")
    ignore_contact_corres_type: Mapped[bool] = flag()
    # Blank language is a valid language row, so the default is stored as text, not a reference.
    language_code_default: Mapped[str] = text_col(CODE)
    wizard_action: Mapped[str] = enum_col()
    word_template_code: Mapped[str | None] = code_ref("word_template.code")


class InteractionTmplLanguage(Base):
    """Attachment of a template per language (SPEC §2.6); language '' is the blank language."""

    __tablename__ = "interaction_tmpl_language"
    interaction_template_code: Mapped[str] = mapped_column(
        String(CODE), ForeignKey("interaction_template.code", ondelete="CASCADE"), primary_key=True
    )
    language_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    description: Mapped[str] = text_col(100)
    attachment_no: Mapped[int | None] = mapped_column(ForeignKey("attachment.no"), nullable=True)
    custom_layout_code: Mapped[str] = text_col(CODE)
    report_layout_name: Mapped[str] = text_col(250)
    word_template_code: Mapped[str | None] = code_ref("word_template.code")


class InteractionTemplateSetup(Base):
    """Templates used for automatic logging (SPEC §2.7); a singleton with id 1."""

    __tablename__ = "interaction_template_setup"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    e_mails: Mapped[str | None] = code_ref("interaction_template.code")
    outg_calls: Mapped[str | None] = code_ref("interaction_template.code")
    cover_sheets: Mapped[str | None] = code_ref("interaction_template.code")
    meeting_invitation: Mapped[str | None] = code_ref("interaction_template.code")
    email_draft: Mapped[str | None] = code_ref("interaction_template.code")
