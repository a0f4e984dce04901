"""Compile filter trees (SPEC A5) to parameterised SQL that agrees with ``filters.evaluate``.

Every user value reaches the database as a bound parameter. Choices, and why:

* Case-sensitive wildcards: PostgreSQL ``LIKE`` is case-sensitive but SQLite ``LIKE`` ignores
  ASCII case (``PRAGMA case_sensitive_like`` would change it for the whole connection). So
  patterns compile to ``GLOB`` on SQLite (always case-sensitive, ``*``/``?`` per character) and
  to ``LIKE … ESCAPE '\\'`` elsewhere; each escapes its own special characters.
* ``@`` (ignore case; ``=``, ``<>`` and wildcards only) must mean ``fold_case`` on both sides
  (A-Z, À-Þ). PostgreSQL: ``translate()`` folds the column, then ``LIKE`` the folded pattern
  (``lower()`` is not used: it follows the database locale). SQLite has no ``translate()``,
  its ``lower()`` folds only ASCII, and 30 nested ``replace()`` calls overflow its parser; so
  there the column stays as stored and each foldable letter of the pattern becomes a GLOB
  class (``@øst*`` → ``[Øø][Ss][Tt]*``), which matches exactly the same values.
* Ordering (``<``, ``>``, ranges) on text is by code point: ``COLLATE "C"`` on PostgreSQL,
  ``BINARY`` on SQLite, as Python compares ``str``. Equality needs no collation (deterministic
  collations compare bytes) and so keeps indexes usable.
* Every leaf is two-valued (``col IS NULL OR …`` / ``col IS NOT NULL AND …``): a compiled filter
  can be negated (Refine keeps what does *not* match) without NULL turning "not matching" into
  "unknown". A NULL text, code or option value is the blank value ``''`` (blank codes are stored
  as NULL because foreign keys cannot point at ''), so ``<>DK`` matches a contact without a
  country, as in the reference.
* Long lists (``A|B|…``, up to ``MAX_VALUES`` values): SQLite parses ``x OR y OR z …`` into a
  tree as deep as the list is long and refuses one deeper than 1,000 ("Expression tree is too
  large"), however SQLAlchemy nests it. So the plain equalities of an ``|`` become one
  ``col IN (…)`` (the ``<>`` of an ``&`` one ``NOT IN``), with a bound parameter per value, and
  the other alternatives (ranges, wildcards) are parenthesised in groups of ``_GROUP``, which
  keeps the tree a few groups deep for any list the parser accepts.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeGuard

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Float,
    Integer,
    Numeric,
    SmallInteger,
    SQLColumnExpression,
    String,
    and_,
    false,
    not_,
    or_,
    true,
)
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from rapport.domain.filters import (
    CASE_PAIRS,
    ORDERING,
    And,
    Compare,
    Empty,
    FieldSpec,
    FilterNode,
    Or,
    Pattern,
    PatternPart,
    Range,
    Wildcard,
    blank_equivalent,
    fold_case,
    option_members,
)

Column = SQLColumnExpression[Any]
_ESCAPE = "\\"
_OPERATORS: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "=": operator.eq, "<>": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip
_GROUP = 50  # alternatives per parenthesised group: SQLite's tree grows by this much per level


def compile_filter(node: FilterNode, column: Column) -> ColumnElement[bool]:
    """The SQL condition under which the column's value passes the filter."""
    if isinstance(node, Or | And):
        return _junction(node, column)
    if isinstance(node, Empty):
        return _empty(node, column)
    return _blank_safe(blank_equivalent(node), column, _leaf(node, column))


def spec_for_column(spec: FieldSpec, column: ColumnElement[Any]) -> FieldSpec:
    """``spec`` with the limits of the column's SQL type: integer width, decimal digits."""
    kind = column.type
    if isinstance(kind, Integer):
        bits = 16 if isinstance(kind, SmallInteger) else 64 if isinstance(kind, BigInteger) else 32
        return replace(spec, bits=bits)
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        # NUMERIC(p) has scale 0 in SQL; a bare NUMERIC holds any digits.
        scale = 0 if kind.scale is None and kind.precision is not None else kind.scale
        return replace(spec, precision=kind.precision, scale=scale)
    return spec


def _junction(node: Or | And, column: Column) -> ColumnElement[bool]:
    """``|`` or ``&``: plain (in)equalities as one IN (NOT IN), the rest in small groups."""
    listed_op, join = ("=", or_) if isinstance(node, Or) else ("<>", and_)
    lists: dict[bool, list[Any]] = {}
    parts: list[ColumnElement[bool]] = []
    for child in node.children:
        if _listable(child, listed_op):
            lists.setdefault(blank_equivalent(child), []).append(child.value)
        else:
            parts.append(compile_filter(child, column))
    for blank, values in lists.items():
        if len(values) == 1:
            members = _OPERATORS[listed_op](column, values[0])
        else:
            members = column.in_(values) if listed_op == "=" else column.not_in(values)
        parts.append(_blank_safe(blank, column, members))
    return _grouped(join, parts)


def _listable(node: FilterNode, op: str) -> TypeGuard[Compare]:
    return isinstance(node, Compare) and node.op == op and not (node.case_insensitive or node.order)


def _grouped(
    join: Callable[..., ColumnElement[bool]], parts: Sequence[ColumnElement[bool]]
) -> ColumnElement[bool]:
    if len(parts) <= _GROUP:
        return join(*parts)
    groups = [_Parenthesized(join(*parts[i : i + _GROUP])) for i in range(0, len(parts), _GROUP)]
    return _grouped(join, groups)


def _leaf(node: FilterNode, column: Column) -> ColumnElement[bool]:
    """One comparison, pattern or range, for non-NULL values."""
    if isinstance(node, Pattern):
        return _match(node.parts, node.case_insensitive, node.negated, column)
    if isinstance(node, Compare | Range) and node.order and (
            isinstance(node, Range) or node.op in ORDERING):
        members = option_members(node)
        return column.in_(members) if members else false()
    if isinstance(node, Range):
        return and_(true(), *_range(node, column))
    assert isinstance(node, Compare)
    if node.case_insensitive:
        return _match((str(node.value),), True, node.op == "<>", column)
    subject: Any = _CodePointOrder(column) if node.op in ORDERING and _is_text(node) else column
    return _OPERATORS[node.op](subject, node.value)


def _blank_safe(blank: bool, column: Column, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """Two-valued, and NULL is the blank value: a NULL passes exactly when '' would (``blank``)."""
    if blank:
        return or_(column.is_(None), condition)
    return and_(column.is_not(None), condition)


def compile_filters(pairs: Iterable[tuple[Column, FilterNode]]) -> ColumnElement[bool]:
    """Several field filters AND-ed: a row passes when each column passes its own filter."""
    return and_(true(), *(compile_filter(node, column) for column, node in pairs))


def _empty(node: Empty, column: Column) -> ColumnElement[bool]:
    missing: ColumnElement[bool] = column.is_(None)
    if node.blank:
        missing = or_(missing, column == "")
    return not_(missing) if node.negated else missing


def _range(node: Range, column: Column) -> list[ColumnElement[bool]]:
    subject: Any = _CodePointOrder(column) if _is_text(node) else column
    low = [] if node.low is None else [subject >= node.low]
    return low + ([] if node.high is None else [subject <= node.high])


def _is_text(node: Compare | Range) -> bool:
    values = (node.value,) if isinstance(node, Compare) else (node.low, node.high)
    return any(isinstance(value, str) for value in values)


def _match(
    parts: tuple[PatternPart, ...], fold: bool, negated: bool, column: Column
) -> ColumnElement[bool]:
    """A NULL-safe whole-value wildcard match, ignoring case as ``fold_case`` does if ``fold``."""
    if fold:
        folded = [p if isinstance(p, Wildcard) else fold_case(p) for p in parts]
        like = _Fold(column).like(_like_pattern(folded), escape=_ESCAPE)
    else:
        like = column.like(_like_pattern(parts), escape=_ESCAPE)
    glob = column.op("GLOB", is_comparison=True)(_glob_pattern(parts, fold))
    match = _WildcardMatch(like, glob)
    return not_(match) if negated else match


def _like_pattern(parts: Iterable[PatternPart]) -> str:
    wildcards = {Wildcard.ANY: "%", Wildcard.ONE: "_"}
    escaped = {c: _ESCAPE + c for c in (_ESCAPE, "%", "_")}
    return "".join(
        wildcards[p] if isinstance(p, Wildcard) else "".join(escaped.get(c, c) for c in p)
        for p in parts
    )


def _glob_pattern(parts: Iterable[PatternPart], fold: bool) -> str:
    # GLOB has no escape character: a special character is matched by a one-letter class.
    return "".join(
        p.value if isinstance(p, Wildcard) else "".join(_glob_char(c, fold) for c in p)
        for p in parts
    )


def _glob_char(char: str, fold: bool) -> str:
    if fold and (cases := _CASES.get(fold_case(char))):
        return f"[{cases}]"
    return f"[{char}]" if char in "*?[" else char


_CASES = {lower: upper + lower for upper, lower in CASE_PAIRS}


# --- dialect-specific SQL constructs ---------------------------------------------------------


class _Fold(FunctionElement[str]):
    """``fold_case`` in SQL (engines with translate()): A-Z and À-Þ to lower case, nothing else."""

    type = String()
    inherit_cache = True
    name = "rapport_fold"


class _CodePointOrder(FunctionElement[str]):
    """Its argument, collated so that ``<`` and ``>`` compare code points."""

    type = String()
    inherit_cache = True
    name = "rapport_code_point_order"


class _WildcardMatch(FunctionElement[bool]):
    """A case-sensitive wildcard match; holds the LIKE and the GLOB form, one is rendered."""

    type = Boolean()
    inherit_cache = True
    name = "rapport_wildcard_match"
    _is_implicitly_boolean = True  # a predicate already: no "= 1" on engines without booleans


class _Parenthesized(FunctionElement[bool]):
    """Its one argument in parentheses, which SQLAlchemy would flatten into an enclosing list."""

    type = Boolean()
    inherit_cache = True
    name = "rapport_parenthesized"
    _is_implicitly_boolean = True


@compiles(_Parenthesized)
def _parenthesized(element: _Parenthesized, compiler: SQLCompiler, **kw: Any) -> str:
    (inner,) = element.clauses.clauses
    return f"({compiler.process(inner, **kw)})"


@compiles(_Fold)
def _fold_translate(element: _Fold, compiler: SQLCompiler, **kw: Any) -> str:
    upper = compiler.render_literal_value("".join(u for u, _ in CASE_PAIRS), String())
    lower = compiler.render_literal_value("".join(lo for _, lo in CASE_PAIRS), String())
    return f"translate({compiler.process(element.clauses, **kw)}, {upper}, {lower})"


@compiles(_Fold, "sqlite")
def _fold_sqlite(element: _Fold, compiler: SQLCompiler, **kw: Any) -> str:
    raise CompileError("case folding is compiled as GLOB classes on SQLite, never as a function")


@compiles(_CodePointOrder)
def _order_default(element: _CodePointOrder, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_CodePointOrder, "postgresql")
def _order_postgresql(element: _CodePointOrder, compiler: SQLCompiler, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'


@compiles(_CodePointOrder, "sqlite")
def _order_sqlite(element: _CodePointOrder, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)}) COLLATE BINARY"


@compiles(_WildcardMatch)
def _match_like(element: _WildcardMatch, compiler: SQLCompiler, **kw: Any) -> str:
    like, _glob = element.clauses.clauses
    return f"({compiler.process(like, **kw)})"


@compiles(_WildcardMatch, "sqlite")
def _match_glob(element: _WildcardMatch, compiler: SQLCompiler, **kw: Any) -> str:
    _like, glob = element.clauses.clauses
    return f"({compiler.process(glob, **kw)})"
