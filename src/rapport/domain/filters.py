"""Filter expressions on one field (SPEC A5): a typed tree, its evaluation and its canonical text.

``parse_filter`` reads the reference's filter syntax (see ``filter_parse`` for the grammar) and
gives every value the Python type of its field. ``evaluate`` is the plain-Python meaning of a tree
and ``rapport.services.filter_sql.compile_filter`` produces SQL with exactly the same meaning:

* A missing value (None) matches only the empty filter ``''``; for text, code and blank options
  ``''`` also matches the empty string. ``<>''`` is the exact opposite of ``''``.
* Text is ordered by code point (the same in Python, SQLite and PostgreSQL ``COLLATE "C"``).
* Code values are upper-cased (SPEC A6: codes are stored upper-cased), then compared exactly.
* ``@`` ignores case by folding both sides with ``fold_case``: A-Z and the Latin-1 capitals
  À-Þ (Nordic, German, French letters). Wider folding cannot be made identical on both engines
  without database extensions, so other scripts stay case-sensitive under ``@``. ``@`` works
  with ``=``, ``<>`` and wildcards; ranges and ``<``/``>`` ignoring case are refused (SQLite
  cannot fold a column for ordering without an extension).
* Options are stored as their captions; ordering operators and ranges follow declaration order.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from rapport.domain.filter_parse import (
    PatternPart,
    RawGroup,
    RawNode,
    RawTerm,
    RawValue,
    SyntaxProblem,
    Wildcard,
    parse_syntax,
    render_text,
)
from rapport.errors import FilterExpressionError

ORDERING = frozenset({"<", "<=", ">", ">="})
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "<>": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip
# fold_case: A-Z and À-Þ (without ×) to lower case; the SQL compiler renders the same table.
CASE_PAIRS = tuple(
    (chr(c), chr(c + 32)) for c in [*range(0x41, 0x5B), *range(0xC0, 0xDF)] if c != 0xD7
)
_FOLD_TABLE = str.maketrans(dict(CASE_PAIRS))


class FieldType(StrEnum):
    """The kinds of field a filter can apply to."""

    CODE = "code"
    TEXT = "text"
    DATE = "date"
    DECIMAL = "decimal"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    OPTION = "option"


_TEXTUAL = (FieldType.TEXT, FieldType.CODE)


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


def parse_filter(expression: str, spec: FieldSpec) -> FilterNode:
    """Read a filter expression for one field, or refuse it naming the position of the error."""
    try:
        return _typed(parse_syntax(expression), spec)
    except SyntaxProblem as problem:
        raise FilterExpressionError(
            problem.message, field=spec.name, expression=expression, position=problem.position
        ) from None


def fold_case(text: str) -> str:
    """Lower-case A-Z and À-Þ only: the case folding ``@`` uses in Python and in SQL."""
    return text.translate(_FOLD_TABLE)


def option_members(node: Compare | Range) -> tuple[str, ...]:
    """The options an option ordering or range admits, in declaration order."""
    order = node.order
    if isinstance(node, Range):
        low = 0 if node.low is None else order.index(str(node.low))
        high = len(order) if node.high is None else order.index(str(node.high)) + 1
        return order[low:high]
    at = order.index(str(node.value))
    slices = {"<": order[:at], "<=": order[: at + 1], ">": order[at + 1 :], ">=": order[at:]}
    return slices[node.op]


def evaluate(node: FilterNode, value: object) -> bool:
    """Whether one stored value passes the filter: the same answer the compiled SQL gives."""
    if isinstance(node, Or):
        return any(evaluate(child, value) for child in node.children)
    if isinstance(node, And):
        return all(evaluate(child, value) for child in node.children)
    if isinstance(node, Empty):
        return (value is None or (node.blank and value == "")) != node.negated
    if value is None:
        return blank_equivalent(node)
    if isinstance(node, Pattern):
        text = fold_case(str(value)) if node.case_insensitive else str(value)
        matched = pattern_regex(node.parts, node.case_insensitive).fullmatch(text) is not None
        return matched != node.negated
    if node.order and (isinstance(node, Range) or node.op in ORDERING):
        return value in option_members(node)
    if isinstance(node, Compare):
        return _OPERATORS[node.op](_side(value, node), _side(node.value, node))
    at_most = _OPERATORS["<="]
    return (node.low is None or at_most(node.low, value)) and (
        node.high is None or at_most(value, node.high)
    )


def blank_equivalent(node: FilterNode) -> bool:
    """Whether a missing (NULL) value passes a leaf: it stands for the blank text ``''``."""
    if isinstance(node, Pattern):
        return evaluate(node, "")
    if isinstance(node, Compare):
        return isinstance(node.value, str) and evaluate(node, "")
    if isinstance(node, Range):
        bounds = [b for b in (node.low, node.high) if b is not None]
        return bool(bounds) and all(isinstance(b, str) for b in bounds) and evaluate(node, "")
    return False


@lru_cache(maxsize=512)
def pattern_regex(parts: tuple[PatternPart, ...], case_insensitive: bool) -> re.Pattern[str]:
    """The regular expression of a pattern (literals folded when ignoring case)."""
    pieces = {Wildcard.ANY: ".*", Wildcard.ONE: "."}
    fold: Callable[[str], str] = fold_case if case_insensitive else str
    text = "".join(pieces[p] if isinstance(p, Wildcard) else re.escape(fold(p)) for p in parts)
    return re.compile(text, re.DOTALL)


def format_filter(node: FilterNode) -> str:
    """The canonical text of a filter; parsing it for the same field gives an equal tree."""
    if isinstance(node, Or):
        return "|".join(_grouped(child, (Or,)) for child in node.children)
    if isinstance(node, And):
        return "&".join(_grouped(child, (Or, And)) for child in node.children)
    if isinstance(node, Empty):
        return "<>''" if node.negated else "''"
    if isinstance(node, Range):
        low = "" if node.low is None else _render(node.low)
        return f"{low}..{'' if node.high is None else _render(node.high)}"
    at = "@" if node.case_insensitive else ""
    if isinstance(node, Pattern):
        text = "".join(p.value if isinstance(p, Wildcard) else render_text(p) for p in node.parts)
        return f"{'<>' if node.negated else ''}{at}{text}"
    return f"{'' if node.op == '=' else node.op}{at}{_render(node.value)}"


def _grouped(node: FilterNode, needs_parentheses: tuple[type, ...]) -> str:
    text = format_filter(node)
    return f"({text})" if isinstance(node, needs_parentheses) else text


def _render(value: Value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return render_text(value)
    return str(value) if isinstance(value, int) else value.isoformat()


def _side(value: object, node: Compare) -> Any:
    return fold_case(value) if node.case_insensitive and isinstance(value, str) else value


# --- typing the syntax tree -------------------------------------------------------------------


def _typed(raw: RawNode, spec: FieldSpec) -> FilterNode:
    if isinstance(raw, RawGroup):
        children = tuple(_typed(child, spec) for child in raw.children)
        return Or(children) if raw.kind == "|" else And(children)
    if spec.type is FieldType.BOOLEAN and (raw.is_range or raw.op in ORDERING):
        raise SyntaxProblem("a Yes/No field can only be compared with = or <>", raw.start)
    case_insensitive = _case_insensitive(raw, spec)
    if raw.is_range:
        order = spec.options if spec.type is FieldType.OPTION else ()
        return Range(_bound(raw.low, spec), _bound(raw.high, spec), order)
    assert raw.low is not None  # a term that is not a range always has its value
    op = raw.op or "="
    if raw.low.wildcard_position is not None:
        return _pattern(raw.low, op, case_insensitive, spec)
    if raw.low.is_blank and op in ("=", "<>"):
        return _empty(op, spec)
    value = _convert(raw.low, spec)
    if value == "" and op in ("=", "<>"):  # the blank option, typed by its position
        return _empty(op, spec)
    order = spec.options if spec.type is FieldType.OPTION and op in ORDERING else ()
    return Compare(op, value, case_insensitive, order)


def _empty(op: str, spec: FieldSpec) -> Empty:
    blank = spec.type in _TEXTUAL or "" in spec.options
    return Empty(negated=op == "<>", blank=blank)


def _case_insensitive(raw: RawTerm, spec: FieldSpec) -> bool:
    if raw.case_position is None or spec.type is FieldType.CODE:
        return False  # codes are upper-cased already, so '@' changes nothing for them
    if spec.type is not FieldType.TEXT:
        raise SyntaxProblem(
            "'@' (ignore case) applies only to text and code fields", raw.case_position
        )
    if raw.is_range or raw.op in ORDERING:
        raise SyntaxProblem(
            "'@' (ignore case) works with =, <> and wildcards, not with ranges, < or >",
            raw.case_position,
        )
    return True


def _pattern(raw: RawValue, op: str, case_insensitive: bool, spec: FieldSpec) -> Pattern:
    position = raw.wildcard_position
    assert position is not None
    if spec.type not in _TEXTUAL:
        raise SyntaxProblem(f"wildcards apply only to text and code, not {spec.type}", position)
    if op not in ("=", "<>"):
        raise SyntaxProblem(f"wildcards cannot be combined with '{op}'", position)
    parts = raw.pattern_parts()
    if spec.type is FieldType.CODE:
        parts = tuple(p if isinstance(p, Wildcard) else p.upper() for p in parts)
    return Pattern(parts, case_insensitive, negated=op == "<>")


def _bound(raw: RawValue | None, spec: FieldSpec) -> Value | None:
    if raw is None:
        return None
    if raw.wildcard_position is not None:
        raise SyntaxProblem("wildcards cannot be used in a range", raw.wildcard_position)
    return _convert(raw, spec)


def _convert(raw: RawValue, spec: FieldSpec) -> Value:
    try:
        return _CONVERTERS[spec.type](raw.text, spec)
    except ValueError as problem:
        raise SyntaxProblem(str(problem), raw.start) from None


def _to_date(text: str, spec: FieldSpec) -> datetime.date:
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD)")


def _to_decimal(text: str, spec: FieldSpec) -> Decimal:
    if re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):
        return Decimal(text)
    raise ValueError(f"{text!r} is not a number")


def _to_integer(text: str, spec: FieldSpec) -> int:
    if re.fullmatch(r"[+-]?[0-9]+", text):
        return int(text)
    raise ValueError(f"{text!r} is not a whole number")


_BOOLEANS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def _to_boolean(text: str, spec: FieldSpec) -> bool:
    if text.lower() in _BOOLEANS:
        return _BOOLEANS[text.lower()]
    raise ValueError(f"{text!r} is not Yes or No")


def _to_option(text: str, spec: FieldSpec) -> str:
    wanted = text.casefold()
    match = next((o for o in spec.options if o.casefold() == wanted), None)
    if match is not None:
        return match
    if re.fullmatch(r"[0-9]+", text) and int(text) < len(spec.options):
        return spec.options[int(text)]
    allowed = ", ".join(repr(o) for o in spec.options)
    raise ValueError(f"{text!r} is not one of the options {allowed}")


_CONVERTERS: dict[FieldType, Callable[[str, FieldSpec], Value]] = {
    FieldType.TEXT: lambda text, spec: text,
    FieldType.CODE: lambda text, spec: text.upper(),
    FieldType.DATE: _to_date,
    FieldType.DECIMAL: _to_decimal,
    FieldType.INTEGER: _to_integer,
    FieldType.BOOLEAN: _to_boolean,
    FieldType.OPTION: _to_option,
}
