"""API accounts (issue 13): personal API tokens and the stored answers of idempotent requests.

The users themselves are ``app_user`` (setup.py): the reference's User Setup row carries the
account's role and password hash, so the acting ``user_id`` of every write is the account.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rapport.db.models.base import Base, created_at, text_col


class ApiToken(Base):
    """A personal API token: only its SHA-256 is stored; shown once when made."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(
        String(50), ForeignKey("app_user.user_id", ondelete="CASCADE"), nullable=False,
        index=True)
    name: Mapped[str] = text_col(80)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    prefix: Mapped[str] = mapped_column(String(12), nullable=False)
    created_at: Mapped[dt.datetime] = created_at()
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                             nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class IdempotentRequest(Base):
    """The first answer to a request sent with an ``Idempotency-Key`` (per user and key)."""

    __tablename__ = "idempotent_request"
    user_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    status_code: Mapped[int] = mapped_column(Integer, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[dt.datetime] = created_at()
