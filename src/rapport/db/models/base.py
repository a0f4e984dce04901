"""Declarative base and the column shapes every table shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    func,
    text,
)
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CODE = 20  # every Code[n] column is 20 wide; services enforce the reference's narrower limits
Money = Numeric(18, 2)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table(model: type[Base]) -> Table:
    """The Core Table of a model, typed as such, for set-based statements."""
    return cast(Table, model.__table__)


def rowcount(result: Result[Any]) -> int:
    """Rows affected by an INSERT/UPDATE/DELETE (INSERT … SELECT needs preserve_rowcount)."""
    return int(cast(CursorResult[Any], result).rowcount or 0)


def code_pk() -> Mapped[str]:
    """A Code[20] primary key."""
    return mapped_column(String(CODE), primary_key=True)


def code_ref(
    target: str, *, index: bool = False, ondelete: str | None = None
) -> Mapped[str | None]:
    """A nullable reference to another table's code (NULL = blank, as FKs cannot point at '')."""
    return mapped_column(
        String(CODE), ForeignKey(target, ondelete=ondelete), nullable=True, index=index
    )


def code_plain(*, index: bool = False) -> Mapped[str | None]:
    """A code that refers to something without a foreign key (e.g. kept after deletion)."""
    return mapped_column(String(CODE), nullable=True, index=index)


def text_col(length: int = 100) -> Mapped[str]:
    """A Text[n] column: never NULL, blank is ''."""
    return mapped_column(String(length), nullable=False, default="", server_default="")


def enum_col(default: str = "") -> Mapped[str]:
    """An option field stored as its caption (see domain.enums)."""
    return mapped_column(String(30), nullable=False, default=default, server_default=default)


def flag() -> Mapped[bool]:
    """A boolean, false by default."""
    return mapped_column(Boolean, nullable=False, default=False, server_default=text("false"))


def money() -> Mapped[Decimal]:
    """An amount in local currency, 0 by default."""
    return mapped_column(Money, nullable=False, default=Decimal("0"), server_default=text("0"))


def minutes() -> Mapped[int]:
    """A duration in whole minutes, 0 by default."""
    return mapped_column(Integer, nullable=False, default=0, server_default=text("0"))


def date_col() -> Mapped[dt.date | None]:
    return mapped_column(Date, nullable=True)


def created_at() -> Mapped[dt.datetime]:
    """Creation timestamp, stored in UTC (K18)."""
    return mapped_column(
        DateTime(timezone=True),
        nullable=False,
        default=lambda: dt.datetime.now(dt.UTC),
        server_default=func.current_timestamp(),
    )
