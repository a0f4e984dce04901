"""Typing a filter's syntax tree for one field (SPEC A5): every value gets the Python type of
its field, and what the field's type does not allow (wildcards on a date, ``@`` on a number,
ordering on Yes/No, a number the column cannot hold) is refused with the position of the
offending part. Relative dates (``t``, ``-30D``, ``CM``: see ``filter_dates``) become the dates
they stand for on the work date given, so the typed tree holds only plain values."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal

from rapport.domain.filter_dates import DateProblem, read_date
from rapport.domain.filter_nodes import (
    ORDERING,
    TEXTUAL,
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
    RawGroup,
    RawNode,
    RawTerm,
    RawValue,
    SyntaxProblem,
    Wildcard,
    shown,
)


def typed(raw: RawNode, spec: FieldSpec, work_date: datetime.date | None = None) -> FilterNode:
    """The typed tree of ``raw`` for the field ``spec``; SyntaxProblem when it does not fit.

    ``work_date`` is what relative dates on a date field count from; None refuses them.
    """
    if isinstance(raw, RawGroup):
        children = tuple(typed(child, spec, work_date) for child in raw.children)
        return Or(children) if raw.kind == "|" else And(children)
    if spec.type is FieldType.BOOLEAN and (raw.is_range or raw.op in ORDERING):
        raise SyntaxProblem("a Yes/No field can only be compared with = or <>", raw.start)
    case_insensitive = _case_insensitive(raw, spec)
    if raw.is_range:
        order = spec.options if spec.type is FieldType.OPTION else ()
        return Range(_bound(raw.low, spec, work_date), _bound(raw.high, spec, work_date), order)
    assert raw.low is not None  # a term that is not a range always has its value
    op = raw.op or "="
    if raw.low.wildcard_position is not None:
        return _pattern(raw.low, op, case_insensitive, spec)
    if raw.low.is_blank and op in ("=", "<>"):
        return _empty(op, spec)
    value = _convert(raw.low, spec, work_date)
    if value == "" and op in ("=", "<>"):  # the blank option, typed by its position
        return _empty(op, spec)
    order = spec.options if spec.type is FieldType.OPTION and op in ORDERING else ()
    return Compare(op, value, case_insensitive, order)


def _empty(op: str, spec: FieldSpec) -> Empty:
    blank = spec.type in TEXTUAL or "" in spec.options
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
    if spec.type not in TEXTUAL:
        raise SyntaxProblem(f"wildcards apply only to text and code, not {spec.type}", position)
    if op not in ("=", "<>"):
        raise SyntaxProblem(f"wildcards cannot be combined with '{op}'", position)
    parts = raw.pattern_parts()
    if spec.type is FieldType.CODE:
        parts = tuple(p if isinstance(p, Wildcard) else p.upper() for p in parts)
    return Pattern(parts, case_insensitive, negated=op == "<>")


def _bound(raw: RawValue | None, spec: FieldSpec, work_date: datetime.date | None) -> Value | None:
    if raw is None:
        return None
    if raw.wildcard_position is not None:
        raise SyntaxProblem("wildcards cannot be used in a range", raw.wildcard_position)
    return _convert(raw, spec, work_date)


def _convert(raw: RawValue, spec: FieldSpec, work_date: datetime.date | None) -> Value:
    try:
        if spec.type is FieldType.DATE:
            return read_date(raw.text, work_date)
        return _CONVERTERS[spec.type](raw.text, spec)
    except DateProblem as problem:
        plain = len(raw.segments) == 1 and not raw.segments[0].quoted
        raise SyntaxProblem(str(problem), raw.start + (problem.offset if plain else 0)) from None
    except ValueError as problem:
        raise SyntaxProblem(str(problem), raw.start) from None


def _to_decimal(text: str, spec: FieldSpec) -> Decimal:
    if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):
        raise ValueError(f"{shown(text)} is not a number")
    value = Decimal(text)
    if spec.precision is not None:
        digits = spec.precision - (spec.scale or 0)
        if abs(value) >= Decimal(10) ** digits:
            raise ValueError(
                f"{shown(text)} is out of range: the field holds at most {digits} digits before "
                "the decimal point"
            )
    places = len(text.partition(".")[2].rstrip("0"))  # 1.50 fits two decimals, and 1.500 too
    if spec.scale is not None and places > spec.scale:
        stored = f"{spec.scale} decimals" if spec.scale else "whole numbers"
        has = f"{places} decimal{'s' if places > 1 else ''}"
        raise ValueError(f"{shown(text)} has {has}, and the field stores {stored}")
    return value


def _to_integer(text: str, spec: FieldSpec) -> int:
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ValueError(f"{shown(text)} is not a whole number")
    limit = 2 ** (spec.bits - 1)
    # More digits than any limit has cannot fit (and int() refuses 4,300 digits and more).
    value = int(text) if len(text.lstrip("+-0")) <= len(str(limit)) else limit
    if not -limit <= value < limit:
        raise ValueError(
            f"{shown(text)} is out of range: the field holds whole numbers "
            f"from {-limit} to {limit - 1}"
        )
    return value


_BOOLEANS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def _to_boolean(text: str, spec: FieldSpec) -> bool:
    if text.lower() in _BOOLEANS:
        return _BOOLEANS[text.lower()]
    raise ValueError(f"{shown(text)} is not Yes or No")


def _to_option(text: str, spec: FieldSpec) -> str:
    wanted = text.casefold()
    match = next((o for o in spec.options if o.casefold() == wanted), None)
    if match is not None:
        return match
    if re.fullmatch(r"[0-9]+", text) and int(text) < len(spec.options):
        return spec.options[int(text)]
    allowed = ", ".join(repr(o) for o in spec.options)
    raise ValueError(f"{shown(text)} is not one of the options {allowed}")


_CONVERTERS: dict[FieldType, Callable[[str, FieldSpec], Value]] = {
    FieldType.TEXT: lambda text, spec: text,
    FieldType.CODE: lambda text, spec: text.upper(),
    FieldType.DECIMAL: _to_decimal,
    FieldType.INTEGER: _to_integer,
    FieldType.BOOLEAN: _to_boolean,
    FieldType.OPTION: _to_option,
}
