"""The e-mail outbox (one row per message to send) and the contacts' e-mail opt-outs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from rapport.db.models.base import CODE, Base, created_at, minutes, text_col


class DeliveryOutbox(Base):
    """One e-mail message of an interaction log entry, written in the logging transaction.

    ``generation`` counts the deliveries of one entry: 0 for the one logging queued, 1, 2 … for
    each Resend. ``status`` is the message's state (services.delivery: pending → claimed →
    sending → sent | failed | unknown | blocked).
    """

    __tablename__ = "delivery_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_no: Mapped[int] = mapped_column(
        ForeignKey("interaction_log_entry.entry_no", ondelete="CASCADE"), nullable=False
    )
    generation: Mapped[int] = minutes()
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    attempts: Mapped[int] = minutes()
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    claimed_by: Mapped[str] = text_col(100)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    recipient: Mapped[str] = text_col(80)
    error: Mapped[str] = text_col(500)
    created_at: Mapped[dt.datetime] = created_at()
    __table_args__ = (
        UniqueConstraint("entry_no", "generation"),
        # The claim: due pending messages in order; and a status report by status.
        Index("ix_delivery_outbox_due", "status", "next_attempt_at", "id"),
        {"sqlite_autoincrement": True},
    )


class EmailOptOut(Base):
    """A contact who asked to receive no more marketing e-mail (one-click unsubscribe)."""

    __tablename__ = "email_opt_out"
    contact_no: Mapped[str] = mapped_column(
        String(CODE), ForeignKey("contact.no", ondelete="CASCADE"), primary_key=True
    )
    opted_out_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    via: Mapped[str] = text_col(30)
