"""Logged segments, campaign entries and interaction log entries with their comment lines."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from rapport.db.models.base import (
    CODE,
    Base,
    code_plain,
    created_at,
    date_col,
    enum_col,
    flag,
    minutes,
    money,
    text_col,
)


class LoggedSegment(Base):
    """A logged segment (SPEC §2.15). One per segment number (E03)."""

    __tablename__ = "logged_segment"
    entry_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    segment_no: Mapped[str] = mapped_column(String(CODE), nullable=False, unique=True)
    description: Mapped[str] = text_col(100)
    creation_date: Mapped[dt.date | None] = date_col()
    user_id: Mapped[str] = text_col(50)
    canceled: Mapped[bool] = flag()
    created_at: Mapped[dt.datetime] = created_at()
    __table_args__ = {"sqlite_autoincrement": True}


class CampaignEntry(Base):
    """Groups the interactions of one campaign per segment (SPEC §2.17)."""

    __tablename__ = "campaign_entry"
    entry_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    campaign_no: Mapped[str] = mapped_column(
        String(CODE), ForeignKey("campaign.no", ondelete="CASCADE"), nullable=False
    )
    description: Mapped[str] = text_col(100)
    date: Mapped[dt.date | None] = date_col()
    user_id: Mapped[str] = text_col(50)
    segment_no: Mapped[str] = text_col(CODE)
    canceled: Mapped[bool] = flag()
    salesperson_code: Mapped[str | None] = code_plain()
    register_no: Mapped[int | None] = mapped_column(
        ForeignKey("logged_segment.entry_no"), nullable=True, index=True
    )
    document_type: Mapped[str] = enum_col()
    created_at: Mapped[dt.datetime] = created_at()
    __table_args__ = (
        Index("ix_campaign_entry_lookup", "campaign_no", "segment_no", "document_type"),
        {"sqlite_autoincrement": True},
    )


class InteractionLogEntry(Base):
    """A recorded interaction with a contact (SPEC §2.16).

    Its references (contact, attachment, group, template, campaign entry, logged segment,
    salesperson) are set-based keys (migration 0004): checked once per statement, not once per
    row, with the parent's deletion refused while an entry refers to it — logging writes
    300,000 entries in one statement. The indexes are those the pages, the criteria and the
    deletion checks use (migration 0005 dropped the company and segment ones).
    """

    __tablename__ = "interaction_log_entry"
    entry_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    contact_no: Mapped[str | None] = code_plain()
    contact_company_no: Mapped[str | None] = code_plain()
    date: Mapped[dt.date | None] = date_col()
    time_of_interaction: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    description: Mapped[str] = text_col(100)
    subject: Mapped[str] = text_col(100)
    information_flow: Mapped[str] = enum_col()
    initiated_by: Mapped[str] = enum_col()
    attachment_no: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    cost: Mapped[Decimal] = money()
    duration: Mapped[int] = minutes()
    user_id: Mapped[str] = text_col(50)
    interaction_group_code: Mapped[str | None] = code_plain()
    interaction_template_code: Mapped[str | None] = code_plain()
    interaction_language_code: Mapped[str] = text_col(CODE)
    # No foreign key: like segment_no, the campaign stays on the history after deletion.
    campaign_no: Mapped[str | None] = code_plain(index=True)
    campaign_entry_no: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    campaign_response: Mapped[bool] = flag()
    campaign_target: Mapped[bool] = flag()
    segment_no: Mapped[str] = text_col(CODE)
    logged_segment_entry_no: Mapped[int | None] = mapped_column(
        Integer, nullable=True, index=True
    )
    evaluation: Mapped[str] = enum_col()
    attempt_failed: Mapped[bool] = flag()
    todo_no: Mapped[str] = text_col(CODE)
    opportunity_no: Mapped[str] = text_col(CODE)
    salesperson_code: Mapped[str | None] = code_plain()
    delivery_status: Mapped[str] = enum_col()
    delivery_error: Mapped[str] = text_col(500)
    canceled: Mapped[bool] = flag()
    postponed: Mapped[bool] = flag()
    correspondence_type: Mapped[str] = enum_col()
    contact_alt_address_code: Mapped[str | None] = code_plain()
    contact_via: Mapped[str] = text_col(80)
    send_word_docs_as_attmt: Mapped[bool] = flag()
    document_type: Mapped[str] = enum_col()
    document_no: Mapped[str] = text_col(CODE)
    version_no: Mapped[int] = minutes()
    doc_no_occurrence: Mapped[int] = minutes()
    email_logged: Mapped[bool] = flag()
    word_template_code: Mapped[str | None] = code_plain()
    merged: Mapped[bool] = flag()
    modified_word_template: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = created_at()
    __table_args__ = (
        Index("ix_ile_contact_date", "contact_no", "date"),
        Index("ix_ile_template_date", "interaction_template_code", "date"),
        Index("ix_ile_group_date", "interaction_group_code", "date"),
        Index("ix_ile_salesperson_date", "salesperson_code", "date"),
        {"sqlite_autoincrement": True},
    )


class InterLogEntryCommentLine(Base):
    """A comment line of an interaction log entry; deleted with the entry."""

    __tablename__ = "inter_log_entry_comment_line"
    entry_no: Mapped[int] = mapped_column(
        ForeignKey("interaction_log_entry.entry_no", ondelete="CASCADE"), primary_key=True
    )
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    date: Mapped[dt.date | None] = date_col()
    comment: Mapped[str] = text_col(250)
