"""Segments: header, lines, language rows, criteria log, saved criteria and the undo journal."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    Time,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from rapport.db.models.base import (
    CODE,
    Base,
    code_pk,
    code_plain,
    code_ref,
    created_at,
    date_col,
    enum_col,
    flag,
    minutes,
    money,
    text_col,
)


def segment_fk() -> Mapped[str]:
    """The owning segment; its rows go when the segment is deleted."""
    return mapped_column(
        String(CODE), ForeignKey("segment_header.no", ondelete="CASCADE"), primary_key=True
    )


class SegmentHeader(Base):
    """A segment (SPEC §2.9). Sums (cost, duration) and the criteria actions are computed; the
    number of lines is kept here by every statement that adds or removes lines (migration 0010,
    ``services.segments._line_count``), so that a page of lines tells its total for free."""

    __tablename__ = "segment_header"
    no: Mapped[str] = code_pk()
    description: Mapped[str] = text_col(100)
    campaign_no: Mapped[str | None] = code_ref("campaign.no")
    salesperson_code: Mapped[str | None] = code_ref("salesperson.code")
    date: Mapped[dt.date | None] = date_col()
    interaction_template_code: Mapped[str | None] = code_ref("interaction_template.code")
    interaction_group_code: Mapped[str | None] = code_ref("interaction_group.code")
    language_code_default: Mapped[str] = text_col(CODE)
    word_template_code: Mapped[str | None] = code_ref("word_template.code")
    modified_word_template: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.no"), nullable=True
    )
    ignore_contact_corres_type: Mapped[bool] = flag()
    correspondence_type_default: Mapped[str] = enum_col()
    information_flow: Mapped[str] = enum_col()
    initiated_by: Mapped[str] = enum_col()
    unit_cost: Mapped[Decimal] = money()
    unit_duration: Mapped[int] = minutes()
    campaign_target: Mapped[bool] = flag()
    campaign_response: Mapped[bool] = flag()
    send_word_docs_as_attmt: Mapped[bool] = flag()
    no_series: Mapped[str | None] = code_ref("number_series.code")
    user_id: Mapped[str] = text_col(50)
    created_at: Mapped[dt.datetime] = created_at()
    no_of_lines: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0,
                                             server_default=text("0"))


class LineMembership:
    """What a segment line *is*: its contact, with what the criteria and the §3.2 defaulting took
    from the contact when the line was made (company no., alternate address, exclusion flag,
    salesperson, correspondence type, language). Written by every step, shared by the undo
    journal; narrow on purpose (issue 11: a step writes only these)."""

    contact_no: Mapped[str | None] = code_plain()
    contact_company_no: Mapped[str | None] = code_plain()
    contact_alt_address_code: Mapped[str | None] = code_plain()
    contact_excluded: Mapped[bool] = flag()
    salesperson_code: Mapped[str | None] = code_plain()
    correspondence_type: Mapped[str] = enum_col()
    language_code: Mapped[str] = text_col(CODE)


class LineData:
    """A line's own interaction data (SPEC §2.10, §3.11), stored only for a line that a user or a
    rule personalised; every other line takes these values from its header (see
    ``services.segments._resolved``). Shared by the undo journal."""

    description: Mapped[str] = text_col(100)
    campaign_no: Mapped[str | None] = code_plain()
    interaction_template_code: Mapped[str | None] = code_plain()
    interaction_group_code: Mapped[str | None] = code_plain()
    cost: Mapped[Decimal] = money()
    duration: Mapped[int] = minutes()
    date: Mapped[dt.date | None] = date_col()
    time_of_interaction: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    campaign_target: Mapped[bool] = flag()
    campaign_response: Mapped[bool] = flag()
    information_flow: Mapped[str] = enum_col()
    initiated_by: Mapped[str] = enum_col()
    send_word_doc_as_attmt: Mapped[bool] = flag()
    word_template_code: Mapped[str | None] = code_plain()
    subject: Mapped[str] = text_col(100)
    attachment_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    evaluation: Mapped[str] = enum_col()
    attempt_failed: Mapped[bool] = flag()
    todo_no: Mapped[str] = text_col(CODE)
    opportunity_no: Mapped[str] = text_col(CODE)
    document_type: Mapped[str] = enum_col()
    document_no: Mapped[str] = text_col(CODE)
    version_no: Mapped[int] = minutes()
    doc_no_occurrence: Mapped[int] = minutes()
    contact_via: Mapped[str] = text_col(80)
    campaign_entry_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    merged: Mapped[bool] = flag()


# Lines and their journal are written hundreds of thousands at a time: on SQLite they are
# clustered on their key (WITHOUT ROWID), so a row costs one B-tree insert instead of two.
_CLUSTERED = {"sqlite_with_rowid": False}


class SegmentLine(LineMembership, Base):
    """One contact occurrence in a segment; line numbers step by 10 000 (64-bit: a segment of
    300,000 lines reaches 3·10⁹, past PostgreSQL's 32-bit integer).

    No foreign keys (issue 11): the segment's lines live and die under the lock of their header
    (every writer locks it first, and deleting a segment deletes its lines), and the contact
    reference is checked by a statement-level trigger on PostgreSQL and by the single writer on
    SQLite, with the contact's deletion refused while it is on a line (migration 0002).
    """

    __tablename__ = "segment_line"
    segment_no: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    line_no: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    __table_args__ = (
        # Contact deletion/company change checks (by contact) and Add's "already in the
        # segment" (by contact and segment) share one index.
        Index("ix_segment_line_contact", "contact_no", "segment_no"),
        _CLUSTERED,
    )


class SegmentLineData(LineData, Base):
    """The personalised data of one segment line (a row only where a user or a rule set it)."""

    __tablename__ = "segment_line_data"
    segment_no: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    line_no: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    __table_args__ = (
        ForeignKeyConstraint(["campaign_no"], ["campaign.no"]),
        ForeignKeyConstraint(["interaction_template_code"], ["interaction_template.code"]),
        _CLUSTERED,
    )


class SegmentHistory(LineMembership, Base):
    """The undo journal (SPEC §2.14, A3/K1): one row per line a criteria action deleted, keyed
    by the number of that action, so Go Back restores it exactly (data and line number); the
    line's personalised data goes to ``SegmentHistoryData``, its unique language rows to
    ``SegmentLanguageHistory``. Insertions are tracked by line-number range on the action row
    (see SegmentCriteriaLine)."""

    __tablename__ = "segment_history"
    segment_no: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    segment_action_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    line_no: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    __table_args__ = (_CLUSTERED,)


class SegmentHistoryData(LineData, Base):
    """The personalised data of a journaled line: what it had, or what it showed when the
    header changed after the line was deleted (journaled lines never follow the header)."""

    __tablename__ = "segment_history_data"
    segment_no: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    segment_action_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    line_no: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    __table_args__ = (_CLUSTERED,)


class SegmentInteractionLanguage(Base):
    """Attachment/subject per language: line 0 = header level (inherited), else unique to a line."""

    __tablename__ = "segment_interaction_language"
    segment_no: Mapped[str] = segment_fk()
    segment_line_no: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, autoincrement=False
    )
    language_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    description: Mapped[str] = text_col(100)
    attachment_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    subject: Mapped[str] = text_col(100)
    word_template_code: Mapped[str | None] = code_plain()


class SegmentLanguageHistory(Base):
    """Snapshots of line-level language rows removed with their line, for exact undo."""

    __tablename__ = "segment_language_history"
    segment_no: Mapped[str] = segment_fk()
    segment_action_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    segment_line_no: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, autoincrement=False
    )
    language_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    description: Mapped[str] = text_col(100)
    attachment_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    subject: Mapped[str] = text_col(100)
    word_template_code: Mapped[str | None] = code_plain()


class CriteriaLineData:
    """An Action row (with its options) or a Filter row (section + filters) of a criteria log."""

    type: Mapped[str] = enum_col("Action")
    action: Mapped[str] = enum_col()
    table_name: Mapped[str] = text_col(30)
    # Filter rows: JSON object {field: expression}, parameters only — never SQL.
    table_view: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    allow_existing_contacts: Mapped[bool] = flag()
    expand_contact: Mapped[bool] = flag()
    allow_company_with_persons: Mapped[bool] = flag()
    ignore_exclusion: Mapped[bool] = flag()
    entire_companies: Mapped[bool] = flag()
    no_of_filters: Mapped[int] = minutes()


class SegmentCriteriaLine(CriteriaLineData, Base):
    """The criteria log of a segment; line numbers are 1, 2, 3 …

    On Action rows, first/last_line_no bound the segment lines the action inserted: new lines are
    always numbered above every existing line and undo is last-in-first-out, so the range names
    exactly the lines Go Back must remove (K1), without a journal row per inserted line.
    """

    __tablename__ = "segment_criteria_line"
    segment_no: Mapped[str] = segment_fk()
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_line_no: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_line_no: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # PostgreSQL: the contact key epoch when the action journaled lines (migration 0009).
    contact_key_epoch: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class SavedSegmentCriteria(Base):
    """Saved Segment Criteria (SPEC §2.13); the number of actions is computed."""

    __tablename__ = "saved_segment_criteria"
    code: Mapped[str] = code_pk()
    description: Mapped[str] = text_col(100)
    user_id: Mapped[str] = text_col(50)
    created_at: Mapped[dt.datetime] = created_at()


class SavedSegmentCriteriaLine(CriteriaLineData, Base):
    __tablename__ = "saved_segment_criteria_line"
    segment_criteria_code: Mapped[str] = mapped_column(
        String(CODE),
        ForeignKey("saved_segment_criteria.code", ondelete="CASCADE"),
        primary_key=True,
    )
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
