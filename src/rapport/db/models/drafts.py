"""Interaction drafts kept between API requests (issue 13): the Create Interaction wizard's
state, owned by the account that started it, until it is finished, postponed or cancelled."""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from rapport.db.models.base import Base, created_at


class StoredDraft(Base):
    """One wizard draft: its fields as JSON, and the file uploaded into it (if any)."""

    __tablename__ = "interaction_draft"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(
        String(50), ForeignKey("app_user.user_id", ondelete="CASCADE"), nullable=False,
        index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    upload_file_name: Mapped[str | None] = mapped_column(String(250), nullable=True)
    upload_content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    __table_args__ = {"sqlite_autoincrement": True}
