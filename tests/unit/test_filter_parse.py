"""Filter expressions (SPEC A5): reading, typing, evaluating and formatting one field's filter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.domain.filters import (
    And,
    Compare,
    Empty,
    FieldSpec,
    FieldType,
    FilterNode,
    Or,
    Pattern,
    Range,
    Wildcard,
    evaluate,
    fold_case,
    format_filter,
    option_members,
    parse_filter,
)
from rapport.errors import FilterExpressionError

ANY, ONE = Wildcard.ANY, Wildcard.ONE
NAME = FieldSpec("Name", FieldType.TEXT)
NO = FieldSpec("No.", FieldType.CODE)
DATE = FieldSpec("Date", FieldType.DATE)
AMOUNT = FieldSpec("Amount", FieldType.DECIMAL)
LINE = FieldSpec("Line No.", FieldType.INTEGER)
FLAG = FieldSpec("Exclude from Segment", FieldType.BOOLEAN)
KIND = FieldSpec("Type", FieldType.OPTION, ("Company", "Person"))
CORR = FieldSpec("Correspondence Type", FieldType.OPTION, ("", "Hard Copy", "Email"))
ALL_SPECS = [NAME, NO, DATE, AMOUNT, LINE, FLAG, KIND, CORR]


def eq(value: object, **kw: object) -> Compare:
    return Compare("=", value, **kw)  # type: ignore[arg-type]


# --- syntax ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "tree"),
    [
        ("a", eq("a")),
        ("=a", eq("a")),
        ("a|b", Or((eq("a"), eq("b")))),
        ("a|b|c", Or((eq("a"), eq("b"), eq("c")))),
        ("a&b", And((eq("a"), eq("b")))),
        ("a|b&c", Or((eq("a"), And((eq("b"), eq("c")))))),
        ("a&b|c", Or((And((eq("a"), eq("b"))), eq("c")))),
        ("(a|b)&c", And((Or((eq("a"), eq("b"))), eq("c")))),
        ("(a|b)|c", Or((Or((eq("a"), eq("b"))), eq("c")))),
        ("((a))", eq("a")),
        ("a..b", Range("a", "b")),
        ("..b", Range(None, "b")),
        ("a..", Range("a", None)),
        ("<>a", Compare("<>", "a")),
        ("<a", Compare("<", "a")),
        ("<=a", Compare("<=", "a")),
        (">a", Compare(">", "a")),
        (">=a", Compare(">=", "a")),
        ("''", Empty(blank=True)),
        ("=''", Empty(blank=True)),
        ("<>''", Empty(negated=True, blank=True)),
        (">''", Compare(">", "")),
        ("''..b", Range("", "b")),
        ("a*", Pattern(("a", ANY))),
        ("*a?b*", Pattern((ANY, "a", ONE, "b", ANY))),
        ("<>*a*", Pattern((ANY, "a", ANY), negated=True)),
        ("@a", eq("a", case_insensitive=True)),
        ("<>@a", Compare("<>", "a", case_insensitive=True)),
        ("@<>a", Compare("<>", "a", case_insensitive=True)),
        ("@*ø*", Pattern((ANY, "ø", ANY), case_insensitive=True)),
        ("'a|b'", eq("a|b")),
        ("''''", eq("'")),
        ("'O''Brien'", eq("O'Brien")),
        ("'a*'", eq("a*")),
        ("'a*'*", Pattern(("a*", ANY))),
        ("*'?'", Pattern((ANY, "?"))),
        ("'@home'", eq("@home")),
        ("@@home", eq("@home", case_insensitive=True)),
        ("*@example.com", Pattern((ANY, "@example.com"))),
        ("'(x)'..'<y>'", Range("(x)", "<y>")),
        ("' a '", eq(" a ")),
        ("100%_off", eq("100%_off")),
        ("1.5..2", Range("1.5", "2")),
    ],
)
def test_each_syntax_element_reads_into_its_tree(expression: str, tree: FilterNode) -> None:
    assert parse_filter(expression, NAME) == tree


@pytest.mark.parametrize(
    ("expression", "tree"),
    [
        ("  a b  ", eq("a b")),
        (" a | b ", Or((eq("a"), eq("b")))),
        (" a & ( b | c ) ", And((eq("a"), Or((eq("b"), eq("c")))))),
        ("a b .. c d", Range("a b", "c d")),
        (" .. b", Range(None, "b")),
        ("a .. ", Range("a", None)),
        ("<> a", Compare("<>", "a")),
        ("@ a", eq("a", case_insensitive=True)),
        ("' a ' | b", Or((eq(" a "), eq("b")))),
        ("'a' b", eq("a b")),
    ],
)
def test_whitespace_around_operators_is_ignored_but_kept_inside_values(
    expression: str, tree: FilterNode
) -> None:
    assert parse_filter(expression, NAME) == tree


# --- types -----------------------------------------------------------------------------------


def test_code_values_and_patterns_are_upper_cased() -> None:
    assert parse_filter("c1|p1*|straße", NO) == Or(
        (eq("C1"), Pattern(("P1", ANY)), eq("STRASSE"))
    )
    assert parse_filter("a..m", NO) == Range("A", "M")


def test_ignore_case_changes_nothing_for_codes() -> None:
    assert parse_filter("@c1", NO) == eq("C1")
    assert parse_filter("@c..", NO) == Range("C", None)


def test_empty_on_text_and_code_also_means_the_empty_string() -> None:
    assert parse_filter("''", NO) == Empty(blank=True)
    assert parse_filter("''", DATE) == Empty(blank=False)


def test_dates_are_iso() -> None:
    assert parse_filter("2025-03-10", DATE) == eq(dt.date(2025, 3, 10))
    assert parse_filter("2025-01-01..2025-12-31|''", DATE) == Or(
        (Range(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), Empty())
    )
    assert parse_filter("<2025-03-10", DATE) == Compare("<", dt.date(2025, 3, 10))


def test_decimals_keep_their_digits() -> None:
    assert parse_filter("-1.25..3", AMOUNT) == Range(Decimal("-1.25"), Decimal(3))
    assert parse_filter(">=.5", AMOUNT) == Compare(">=", Decimal("0.5"))
    assert parse_filter("+7.", AMOUNT) == eq(Decimal(7))
    assert parse_filter("'12.50'", AMOUNT) == eq(Decimal("12.5"))


def test_integers() -> None:
    assert parse_filter("10000|<>-3|5..", LINE) == Or(
        (eq(10000), Compare("<>", -3), Range(5, None))
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("Yes", True), ("yes", True), ("TRUE", True), ("1", True),
     ("No", False), ("no", False), ("False", False), ("0", False)],
)  # fmt: skip
def test_booleans_accept_yes_no_true_false_one_zero(text: str, value: bool) -> None:
    node = parse_filter(text, FLAG)
    assert isinstance(node, Compare) and node.value is value
    assert parse_filter(f"<>{text}", FLAG) == Compare("<>", value)


def test_options_by_caption_in_any_case_or_by_position() -> None:
    assert parse_filter("person", KIND) == eq("Person")
    assert parse_filter("0|1", KIND) == Or((eq("Company"), eq("Person")))
    assert parse_filter("hard copy|EMAIL", CORR) == Or((eq("Hard Copy"), eq("Email")))


def test_option_ranges_and_orderings_follow_declaration_order() -> None:
    order = CORR.options
    assert parse_filter("''..hard copy", CORR) == Range("", "Hard Copy", order)
    assert option_members(Range("", "Hard Copy", order)) == ("", "Hard Copy")
    assert option_members(Range("Hard Copy", None, order)) == ("Hard Copy", "Email")
    assert option_members(Range("Email", "Hard Copy", order)) == ()
    node = parse_filter(">''", CORR)
    assert node == Compare(">", "", order=order)
    assert isinstance(node, Compare)
    assert option_members(node) == ("Hard Copy", "Email")
    assert option_members(Compare("<", "Email", order=order)) == ("", "Hard Copy")
    assert option_members(Compare("<=", "", order=order)) == ("",)
    assert option_members(Compare(">=", "Email", order=order)) == ("Email",)
    assert parse_filter("<>Email", CORR) == Compare("<>", "Email")


def test_blank_option_counts_as_empty() -> None:
    assert parse_filter("''", CORR) == Empty(blank=True)
    assert parse_filter("''", KIND) == Empty(blank=False)
    assert evaluate(parse_filter("''", CORR), "")
    assert not evaluate(parse_filter("''", KIND), "Company")


def test_a_range_with_low_above_high_is_allowed_and_matches_nothing() -> None:
    node = parse_filter("z..a", NAME)
    assert node == Range("z", "a")
    assert not any(evaluate(node, v) for v in ["a", "m", "z"])
    assert not evaluate(parse_filter("5..1", LINE), 3)


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expression", "position", "reason"),
    [
        (NAME, "", 0, "empty"),
        (NAME, "   ", 0, "empty"),
        (NAME, "a|", 2, "missing"),
        (NAME, "|a", 0, "missing"),
        (NAME, "a||b", 2, "missing"),
        (NAME, "a&", 2, "missing"),
        (NAME, "<>", 2, "missing"),
        (NAME, "@", 1, "missing"),
        (NAME, "..", 2, "missing"),
        (NAME, "a..@", 4, "missing"),
        (NAME, "(a", 0, "never closed"),
        (NAME, "x|(a|(b)", 2, "never closed"),
        (NAME, "a)", 1, "unexpected ')'"),
        (NAME, "()", 1, "missing"),
        (NAME, "(a)b", 3, "unexpected 'b'"),
        (NAME, "(" * 33 + "a" + ")" * 33, 32, "more than 32 nested parentheses"),
        (NAME, "'abc", 0, "quote is never closed"),
        (NAME, "a|'b''", 2, "quote is never closed"),
        (NAME, "O''Brien", 1, "stray quotes"),
        (NAME, "''x", 0, "stray quotes"),
        (NAME, "a<b", 1, "must be quoted"),
        (NAME, "a=b", 1, "must be quoted"),
        (NAME, "< > x", 2, "'>' inside a value must be quoted"),
        (NAME, "f(x)", 1, "must be quoted"),
        (NAME, "<..b", 1, "range cannot be combined"),
        (NAME, ">=a..b", 3, "range cannot be combined"),
        (NAME, "<a*", 2, "wildcards cannot be combined with '<'"),
        (NAME, "a*..b", 1, "wildcards cannot be used in a range"),
        (NAME, "a..?", 3, "wildcards cannot be used in a range"),
        (NAME, "@a..b", 0, "not with ranges"),
        (NAME, "a..@b", 3, "not with ranges"),
        (NAME, "<@a", 1, "not with ranges, < or >"),
        (DATE, "2025-13-01", 0, "not a date"),
        (DATE, "10.03.2025", 0, "not a date"),
        (DATE, "2025-3-1", 0, "not a date"),
        (DATE, "2025-01-01..x", 12, "not a date"),
        (DATE, "2025-*", 5, "wildcards apply only to text and code"),
        (DATE, "@2025-01-01", 0, "'@'"),
        (DATE, "<''", 1, "not a date"),
        (AMOUNT, "1,5", 0, "not a number"),
        (AMOUNT, "1e3", 0, "not a number"),
        (AMOUNT, "NaN", 0, "not a number"),
        (AMOUNT, "  abc", 2, "not a number"),
        (LINE, "1.5", 0, "not a whole number"),
        (LINE, "1?", 1, "wildcards apply only to text and code"),
        (FLAG, "maybe", 0, "not Yes or No"),
        (FLAG, "<Yes", 0, "only be compared with = or <>"),
        (FLAG, "No..Yes", 0, "only be compared with = or <>"),
        (KIND, "Robot", 0, "not one of the options 'Company', 'Person'"),
        (KIND, "2", 0, "not one of the options"),
        (KIND, "Comp*", 4, "wildcards apply only to text and code"),
        (KIND, "@person", 0, "'@'"),
        (KIND, "<''", 1, "not one of the options"),
    ],
)
def test_invalid_expressions_are_refused_with_field_expression_and_position(
    spec: FieldSpec, expression: str, position: int, reason: str
) -> None:
    with pytest.raises(FilterExpressionError) as caught:
        parse_filter(expression, spec)
    error = caught.value
    assert (error.field, error.expression, error.position) == (spec.name, expression, position)
    assert reason in str(error.reason)
    assert error.code == "FILTER"
    assert spec.name in error.message and f"position {position}" in error.message


# --- evaluation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "matching", "not_matching"),
    [
        ("''", [None, ""], ["a", " "]),
        ("<>''", ["a", " "], [None, ""]),
        ("<>a", ["b", "", None], ["a"]),
        ("a*", ["a", "abc"], ["A", "ba", None]),
        ("@a*", ["a", "Abc"], ["ba", None]),
        ("<>*x*", ["abc", "", None], ["x", "axb"]),
        ("?", ["a", "ø"], ["", "ab", None]),
        ("@ØST*", ["østfold", "Østfold", "ØSTFOLD"], ["ostfold", None]),
        ("@σ", ["σ"], ["Σ"]),
        ("@ß", ["ß"], ["SS", "ẞ"]),
        ("a..c", ["a", "b", "bzzz", "c"], ["A", "c0", "Ø", None]),
        (">Z", ["a", "Ø", "é"], ["A", "Z", None]),
        ("a|b&<>b", ["a"], ["b", None]),
        ("'a%'", ["a%"], ["ab", "a"]),
        ("*%*", ["100%"], ["100"]),
        ("a_c", ["a_c"], ["abc"]),
        ("@abc", ["ABC", "aBc"], ["abd"]),
        ("<>@abc", ["abd", "", None], ["ABC"]),
    ],
)
def test_evaluate_text(
    expression: str, matching: list[str | None], not_matching: list[str | None]
) -> None:
    node = parse_filter(expression, NAME)
    assert [evaluate(node, v) for v in matching] == [True] * len(matching)
    assert [evaluate(node, v) for v in not_matching] == [False] * len(not_matching)


def test_nesting_up_to_the_limit_is_read() -> None:
    assert parse_filter("(" * 32 + "a" + ")" * 32, NAME) == eq("a")


def test_evaluate_other_types() -> None:
    assert evaluate(parse_filter("2025-01-01..2025-01-31", DATE), dt.date(2025, 1, 31))
    assert not evaluate(parse_filter("2025-01-01..2025-01-31", DATE), None)
    assert evaluate(parse_filter("''", DATE), None)
    assert evaluate(parse_filter("<>''", DATE), dt.date(2025, 1, 1))
    assert evaluate(parse_filter("1.5", AMOUNT), Decimal("1.50"))
    assert evaluate(parse_filter("<0", AMOUNT), Decimal("-0.01"))
    assert evaluate(parse_filter("<>3", LINE), 4)
    assert not evaluate(parse_filter("<>3", LINE), None)
    assert evaluate(parse_filter("No", FLAG), False)
    assert not evaluate(parse_filter("No", FLAG), None)
    assert evaluate(parse_filter("<Email", CORR), "")
    assert evaluate(parse_filter("<Email", CORR), None)  # NULL is the blank option ''
    assert not evaluate(parse_filter(">''", CORR), None)
    assert evaluate(parse_filter("Person", KIND), "Person")


def test_fold_case_folds_ascii_and_latin1_capitals_only() -> None:
    assert fold_case("ABC ÆØÅ ÄÖÜ É Þ × ẞ Σ İ") == "abc æøå äöü é þ × ẞ Σ İ"


# --- canonical text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expression", "canonical"),
    [
        (NAME, " a | b & c ", "a|b&c"),
        (NAME, "(a|b)&(c&d)", "(a|b)&(c&d)"),
        (NAME, "(a|b)|c", "(a|b)|c"),
        (NAME, "=a", "a"),
        (NAME, "'plain'", "plain"),
        (NAME, "'a|b'", "'a|b'"),
        (NAME, "'O''Brien'", "'O''Brien'"),
        (NAME, "' padded '", "' padded '"),
        (NAME, "'a*'*", "'a*'*"),
        (NAME, "@<>x?", "<>@x?"),
        (NAME, "'@x'", "'@x'"),
        (NAME, "'a.'..b", "'a.'..b"),
        (NAME, "'a..b'|'..'", "'a..b'|'..'"),
        (NAME, "'x..'*", "'x..'*"),
        (NAME, "=''", "''"),
        (NO, "@ab*", "AB*"),
        (DATE, "2025-03-10..", "2025-03-10.."),
        (AMOUNT, "1.50|-.5", "1.50|-0.5"),
        (FLAG, "true|<>0", "Yes|<>No"),
        (KIND, "1", "Person"),
        (CORR, "0..hard copy", "''..Hard Copy"),
    ],
)
def test_format_filter_gives_canonical_text(
    spec: FieldSpec, expression: str, canonical: str
) -> None:
    node = parse_filter(expression, spec)
    assert format_filter(node) == canonical
    assert parse_filter(canonical, spec) == node


_TOKENS = st.sampled_from([*"aAzZ 09.-|&()'<>=*?@%_\\[]ØøéÉß\t", "..", "''", "<>", "2025-03-10"])


@settings(max_examples=300, deadline=None, database=None)
@given(expression=st.lists(_TOKENS, max_size=10).map("".join), spec=st.sampled_from(ALL_SPECS))
def test_any_text_either_parses_to_a_canonical_tree_or_is_refused_with_a_position(
    expression: str, spec: FieldSpec
) -> None:
    try:
        node = parse_filter(expression, spec)
    except FilterExpressionError as error:
        assert 0 <= error.position <= len(expression)
        assert (error.field, error.expression) == (spec.name, expression)
        return
    canonical = format_filter(node)
    assert parse_filter(canonical, spec) == node
    assert format_filter(parse_filter(canonical, spec)) == canonical
