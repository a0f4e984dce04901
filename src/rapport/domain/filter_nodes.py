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
    """A filterable field: its name, type and, for options, the stored captions in order."""

    name: str
    type: FieldType
    options: tuple[str, ...] = ()


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
