"""What a filter may not hold (SPEC A5): numbers the column cannot store, near-miss syntax that
would silently select nothing, characters no database compares, and lists too long for one
statement. Each is refused naming the field, the reason and the position."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rapport.domain.filter_parse import MAX_VALUES
from rapport.domain.filters import (
    Compare,
    FieldSpec,
    FieldType,
    FilterNode,
    Or,
    Range,
    parse_filter,
)
from rapport.errors import FilterExpressionError

ENTRY_NO = FieldSpec("Interaction.entry_no", FieldType.INTEGER)  # SQL INTEGER: 32 bits
LINE_NO = FieldSpec("Segment Line.line_no", FieldType.INTEGER, bits=64)  # BIGINT
COST = FieldSpec("Interaction.cost", FieldType.DECIMAL)  # NUMERIC(18, 2)
QUANTITY = FieldSpec("Quantity", FieldType.DECIMAL, precision=5, scale=0)
RATIO = FieldSpec("Ratio", FieldType.DECIMAL, precision=None, scale=None)
NAME = FieldSpec("Contact.name", FieldType.TEXT)


def refusal(spec: FieldSpec, expression: str) -> FilterExpressionError:
    with pytest.raises(FilterExpressionError) as caught:
        parse_filter(expression, spec)
    error = caught.value
    assert (error.field, error.expression, error.code) == (spec.name, expression, "FILTER")
    assert spec.name in error.message and f"position {error.position}" in error.message
    assert len(error.message) < 400  # a list of 5,000 values is not echoed whole
    return error


@pytest.mark.parametrize(
    ("spec", "expression", "tree"),
    [
        (ENTRY_NO, "2147483647", Compare("=", 2147483647)),
        (ENTRY_NO, "-2147483648..0", Range(-2147483648, 0)),
        (ENTRY_NO, "+007", Compare("=", 7)),
        (LINE_NO, "9223372036854775807", Compare("=", 9223372036854775807)),
        (LINE_NO, "-9223372036854775808", Compare("=", -9223372036854775808)),
        (COST, "9999999999999999.99", Compare("=", Decimal("9999999999999999.99"))),
        (COST, "1.250", Compare("=", Decimal("1.250"))),
        (QUANTITY, "99999|-5.000", Or((Compare("=", Decimal(99999)), Compare("=", Decimal(-5))))),
        (RATIO, "1.23456789|" + "9" * 40, Or((
            Compare("=", Decimal("1.23456789")), Compare("=", Decimal("9" * 40))))),
    ],
)  # fmt: skip
def test_numbers_the_column_holds_are_read(spec: FieldSpec, expression: str, tree: object) -> None:
    assert parse_filter(expression, spec) == tree


@pytest.mark.parametrize(
    ("spec", "expression", "position", "reason"),
    [
        (ENTRY_NO, "9999999999", 0,
         "'9999999999' is out of range: the field holds whole numbers from -2147483648 to "
         "2147483647"),
        (ENTRY_NO, "2147483648", 0, "out of range"),
        (ENTRY_NO, "-2147483649", 0, "out of range"),
        (ENTRY_NO, "1..9999999999", 3, "out of range"),
        (ENTRY_NO, "<>9223372036854775808", 2, "out of range"),
        (LINE_NO, "9223372036854775808", 0, "from -9223372036854775808 to 9223372036854775807"),
        (LINE_NO, "-9223372036854775809", 0, "out of range"),
        (LINE_NO, "5|" + "9" * 5000, 2, "(5000 characters) is out of range"),
        (COST, "1.234", 0, "'1.234' has 3 decimals, and the field stores 2 decimals"),
        (COST, "0..0.005", 3, "has 3 decimals"),
        (COST, "10000000000000000", 0,
         "out of range: the field holds at most 16 digits before the decimal point"),
        (COST, "-12345678901234567890.123", 0, "out of range"),
        (QUANTITY, "1.5", 0, "'1.5' has 1 decimal, and the field stores whole numbers"),
        (QUANTITY, "100000", 0, "at most 5 digits"),
    ],
)  # fmt: skip
def test_numbers_beyond_the_column_are_refused(
    spec: FieldSpec, expression: str, position: int, reason: str
) -> None:
    error = refusal(spec, expression)
    assert error.position == position
    assert reason in str(error.reason)


@pytest.mark.parametrize(
    ("spec", "expression", "position", "reason"),
    [
        (ENTRY_NO, "1000...2000", 4, "three dots: a range is written with two (1000..2000)"),
        (COST, "1000...2000", 4, "three dots"),  # would be the range 1000..0.2
        (NAME, "a...z", 1, "three dots"),  # would be the range 'a'..'.z'
        (NAME, "...z", 0, "three dots"),
        (NAME, "a...", 1, "three dots"),
        (NAME, "a ... z", 2, "three dots"),
        (NAME, "....", 0, "three dots"),
        (ENTRY_NO, "1000..2000..3000", 10, "a range has one '..': join several ranges with |"),
        (ENTRY_NO, "..5..", 3, "a range has one '..'"),
        (ENTRY_NO, "1..2 ..3", 5, "a range has one '..'"),
        (ENTRY_NO, "1.. ..3", 4, "a range has one '..'"),
        (NAME, "a..b..", 4, "a range has one '..'"),
    ],
)
def test_near_miss_ranges_are_refused_rather_than_selecting_nothing(
    spec: FieldSpec, expression: str, position: int, reason: str
) -> None:
    error = refusal(spec, expression)
    assert error.position == position
    assert reason in str(error.reason)


def test_dots_inside_quotes_and_single_dots_stay_literal() -> None:
    quoted = Or((Compare("=", "a...z"), Compare("=", "1..2..3")))
    assert parse_filter("'a...z'|'1..2..3'", NAME) == quoted
    assert parse_filter("a.b..c.d", NAME) == Range("a.b", "c.d")
    assert parse_filter("1.5..2.", COST) == Range(Decimal("1.5"), Decimal(2))


@pytest.mark.parametrize(
    ("expression", "position", "reason"),
    [
        ("Ã\udcb8stfold", 1, "character U+DCB8 is not valid Unicode (a lone surrogate"),
        ("a|b\ud800", 3, "U+D800 is not valid Unicode"),
        ("'x\udfff'", 2, "U+DFFF"),
        ("a\x00b", 1, "the NUL character cannot be used in a filter"),
    ],
)
def test_characters_no_database_can_compare_are_refused(
    expression: str, position: int, reason: str
) -> None:
    error = refusal(NAME, expression)
    assert error.position == position
    assert reason in str(error.reason)
    error.message.encode("utf-8")  # the message itself can be printed and logged


def test_characters_beyond_the_basic_plane_are_ordinary_text() -> None:
    assert parse_filter("😀*|𝔘", NAME) == Or((parse_filter("😀*", NAME), Compare("=", "𝔘")))


def alternatives(count: int) -> str:
    return "|".join(str(i) for i in range(count))


def test_a_filter_holds_up_to_the_value_limit() -> None:
    node = parse_filter(alternatives(MAX_VALUES), ENTRY_NO)
    assert isinstance(node, Or) and len(node.children) == MAX_VALUES
    pairs = "|".join(f"{i}..{i}" for i in range(MAX_VALUES // 2))
    ranges: FilterNode = parse_filter(pairs, ENTRY_NO)
    assert isinstance(ranges, Or) and len(ranges.children) == MAX_VALUES // 2


def test_a_filter_with_more_values_than_the_limit_is_refused_at_the_first_one_too_many() -> None:
    expression = alternatives(MAX_VALUES + 1)
    error = refusal(ENTRY_NO, expression)
    assert error.position == expression.rindex("|") + 1
    assert f"more than {MAX_VALUES} values in one filter" in str(error.reason)
    assert f"({len(expression)} characters)" in error.message
    ranges = "|".join(f"{i}..{i}" for i in range(MAX_VALUES // 2)) + "|1"
    assert refusal(ENTRY_NO, ranges).position == len(ranges) - 1
