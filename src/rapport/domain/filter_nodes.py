"""The typed tree of a filter expression (SPEC A5): the field it applies to and its nodes.

``rapport.domain.filters`` reads, evaluates and writes these trees; ``filter_typing`` builds them
from the syntax tree of ``filter_parse``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from rapport.domain.filter_parse import PatternPart

ORDERING = frozenset({"<", "<=", ">", ">="})


class FieldType(StrEnum):
    """The kinds of field a filter can apply to."""

    CODE = "code"
    TEXT = "text"
    DATE = "date"
    DECIMAL = "decimal"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    OPTION = "option"


TEXTUAL = (FieldType.TEXT, FieldType.CODE)


@dataclass(frozen=True)
class FieldSpec:
    """A filterable field: its name, type and, for options, the stored captions in order.

    ``bits`` (integers) and ``precision``/``scale`` (decimals, None: unlimited) are what the
    column can hold; a filter value beyond them is refused rather than sent to a database that
    would overflow or never match it. The defaults are the reference's Integer (32-bit, SQL
    ``INTEGER``) and amount (18 digits, 2 decimals), the types of every catalogue field;
    ``services.criteria._sql.spec_for_column`` reads them from any column.
    """

    name: str
    type: FieldType
    options: tuple[str, ...] = ()
    bits: int = 32
    precision: int | None = 18
    scale: int | None = 2


Value = str | datetime.date | Decimal | int | bool


@dataclass(frozen=True)
class Or:
    """At least one child holds (``A|B``)."""

    children: tuple[FilterNode, ...]


@dataclass(frozen=True)
class And:
    """Every child holds (``A&B``)."""

    children: tuple[FilterNode, ...]


@dataclass(frozen=True)
class Compare:
    """``op value`` (``=`` if none typed); ``@`` only with = and <>; ``order``: option ordering."""

    op: str
    value: Value
    case_insensitive: bool = False
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class Range:
    """``low..high``, both inclusive, either open; ``order`` is set for option ranges."""

    low: Value | None
    high: Value | None
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pattern:
    """Text with ``*``/``?`` wildcards matching the whole value; ``<>`` negates it."""

    parts: tuple[PatternPart, ...]
    case_insensitive: bool = False
    negated: bool = False


@dataclass(frozen=True)
class Empty:
    """``''`` (``<>''`` when negated); ``blank``: the empty string also counts as empty."""

    negated: bool = False
    blank: bool = False


FilterNode = Or | And | Compare | Range | Pattern | Empty
