"""Filter expressions on one field (SPEC A5): a typed tree, its evaluation and its canonical text.

``parse_filter`` reads the reference's filter syntax (see ``filter_parse`` for the grammar) and
gives every value the Python type of its field (``filter_typing``; the tree's nodes are in
``filter_nodes`` and re-exported here). ``evaluate`` is the plain-Python meaning of a tree
and ``rapport.services.criteria._sql.compile_filter`` produces SQL with exactly the same meaning:

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
* Relative dates (``t``, ``-30D..t``, ``-CM..CM``; ``filter_dates``) are resolved on the work date
  passed to ``parse_filter``: the tree holds plain dates, so ``evaluate`` and the SQL agree by
  construction, and a stored expression means the dates of the day it is replayed on.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rapport.domain.filter_nodes import (
    ORDERING,
    And,
    Compare,
    Empty,
    FieldSpec,
    FieldType,
    FilterNode,
    Or,
    Pattern,
    Range,
    Value,
)
from rapport.domain.filter_parse import (
    PatternPart,
    SyntaxProblem,
    Wildcard,
    parse_syntax,
    render_text,
)
from rapport.domain.filter_typing import typed
from rapport.errors import FilterExpressionError

__all__ = [
    "CASE_PAIRS", "ORDERING", "And", "Compare", "Empty", "FieldSpec", "FieldType", "FilterNode",
    "Or", "Pattern", "PatternPart", "Range", "Value", "Wildcard", "blank_equivalent", "evaluate",
    "fold_case", "format_filter", "option_members", "parse_filter", "pattern_regex",
]  # fmt: skip

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "<>": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip
# fold_case: A-Z and À-Þ (without ×) to lower case; the SQL compiler renders the same table.
CASE_PAIRS = tuple(
    (chr(c), chr(c + 32)) for c in [*range(0x41, 0x5B), *range(0xC0, 0xDF)] if c != 0xD7
)
_FOLD_TABLE = str.maketrans(dict(CASE_PAIRS))


def parse_filter(
    expression: str, spec: FieldSpec, *, work_date: datetime.date | None = None
) -> FilterNode:
    """Read a filter expression for one field, or refuse it naming the position of the error.

    ``work_date`` is the date ``t`` and date formulas count from; without it they are refused.
    """
    try:
        return typed(parse_syntax(expression), spec, work_date)
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
