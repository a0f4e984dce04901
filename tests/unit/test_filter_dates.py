"""Dates in filters (SPEC A5, K18): the work date and date formulas, typed for date fields only."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.domain.filter_dates import add_months, read_date
from rapport.domain.filters import (
    Compare,
    Empty,
    FieldSpec,
    FieldType,
    Or,
    Range,
    evaluate,
    format_filter,
    parse_filter,
)
from rapport.errors import FilterExpressionError

DATE = FieldSpec("Interaction.date", FieldType.DATE)
MONDAY = dt.date(2025, 3, 10)  # the fixture's work date (SPEC §5.1), a Monday


def day(month: int, day_: int, year: int = 2025) -> dt.date:
    return dt.date(year, month, day_)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("t", MONDAY), ("T", MONDAY), ("today", MONDAY), ("w", MONDAY), ("WorkDate", MONDAY),
        ("-30D", day(2, 8)), ("30D", day(4, 9)), ("+1W", day(3, 17)), ("-1W", day(3, 3)),
        ("-1M", day(2, 10)), ("+1Q", day(6, 10)), ("-1Y", day(3, 10, 2024)),
        ("CD", MONDAY), ("CW", day(3, 16)), ("-CW", MONDAY), ("CM", day(3, 31)),
        ("-CM", day(3, 1)), ("cm", day(3, 31)), ("CQ", day(3, 31)), ("-CQ", day(1, 1)),
        ("CY", day(12, 31)), ("-CY", day(1, 1)),
        ("-1M+CM", day(2, 28)), ("-CM-1M", day(2, 1)), ("CM+1D", day(4, 1)),
        ("-1Y-CY", day(1, 1, 2024)), ("+1Q+CQ", day(6, 30)),
    ],
)  # fmt: skip
def test_work_date_words_and_formulas_count_from_the_work_date(
    text: str, expected: dt.date
) -> None:
    assert read_date(text, MONDAY) == expected
    assert parse_filter(text, DATE, work_date=MONDAY) == Compare("=", expected)


def test_months_keep_the_day_or_give_the_shorter_months_last_day() -> None:
    assert read_date("+1M", day(1, 31)) == day(2, 28)
    assert read_date("+1M", day(1, 31, 2024)) == day(2, 29, 2024)
    assert read_date("+1Y", day(2, 29, 2024)) == day(2, 28)
    assert read_date("-1Q", day(5, 31)) == day(2, 28)
    assert read_date("+1M", day(2, 28)) == day(3, 28)


def test_weeks_run_monday_to_sunday() -> None:
    sunday = day(3, 16)
    assert (read_date("-CW", sunday), read_date("CW", sunday)) == (MONDAY, sunday)
    assert read_date("CW", day(12, 31, 2025)) == day(1, 4, 2026)


def test_relative_dates_work_in_ranges_comparisons_and_lists() -> None:
    def read(text: str) -> object:
        return parse_filter(text, DATE, work_date=MONDAY)

    assert read("-30D..t") == Range(day(2, 8), MONDAY)
    assert read("-1M..") == Range(day(2, 10), None)
    assert read("..t") == Range(None, MONDAY)
    assert read("-CM..CM|''") == Or((Range(day(3, 1), day(3, 31)), Empty()))
    assert read("<-1Y") == Compare("<", day(3, 10, 2024))
    assert read(" -30D .. t ") == Range(day(2, 8), MONDAY)
    assert read("'-30D'") == Compare("=", day(2, 8))


def test_a_relative_filter_means_the_dates_of_its_work_date() -> None:
    last_30_days = "-30D..t"
    march = parse_filter(last_30_days, DATE, work_date=MONDAY)
    april = parse_filter(last_30_days, DATE, work_date=day(4, 10))
    assert evaluate(march, day(3, 1)) and not evaluate(april, day(3, 1))
    assert format_filter(march) == "2025-02-08..2025-03-10"
    assert parse_filter(format_filter(march), DATE) == march  # canonical text is absolute


@pytest.mark.parametrize(
    ("spec", "text", "tree"),
    [
        (FieldSpec("Name", FieldType.TEXT), "t", Compare("=", "t")),
        (FieldSpec("No.", FieldType.CODE), "cm", Compare("=", "CM")),
        (FieldSpec("Name", FieldType.TEXT), "-30D..t", Range("-30D", "t")),
    ],
)
def test_only_date_fields_read_date_words(spec: FieldSpec, text: str, tree: object) -> None:
    assert parse_filter(text, spec, work_date=MONDAY) == tree


@pytest.mark.parametrize(
    ("spec", "expression", "position", "reason"),
    [
        (DATE, "t", 0, "'t' is relative to the work date, and none was given"),
        (DATE, "2025-01-01..t", 12, "relative to the work date"),
        (DATE, "-30D..t", 0, "'-30D' is relative to the work date"),
        (FieldSpec("Line No.", FieldType.INTEGER), "t", 0, "not a whole number"),
        (FieldSpec("Cost", FieldType.DECIMAL), "-30D", 0, "not a number"),
        (FieldSpec("Canceled", FieldType.BOOLEAN), "today", 0, "not Yes or No"),
    ],
)
def test_relative_dates_need_a_work_date_and_a_date_field(
    spec: FieldSpec, expression: str, position: int, reason: str
) -> None:
    with pytest.raises(FilterExpressionError) as caught:
        parse_filter(expression, spec)
    assert caught.value.position == position
    assert reason in str(caught.value.reason)
    assert f"position {position}" in caught.value.message


@pytest.mark.parametrize(
    ("expression", "position", "reason"),
    [
        ("-30X", 0, "'-30X' cannot be read: a date formula is made of terms"),
        ("+1Z", 0, "cannot be read"),
        ("-1M+3X", 3, "'+3X' in the date formula '-1M+3X' cannot be read"),
        ("CM1D", 2, "'1D' in the date formula 'CM1D' cannot be read"),
        ("2025-01-01..-1M+", 15, "'+' in the date formula '-1M+' cannot be read"),
        ("C1M", 0, "'C1M' is not a date (expected YYYY-MM-DD, t for the work date, or a date"),
        ("t-1D", 0, "not a date"),
        ("yesterday", 0, "not a date"),
        ("-99999Y", 0, "the formula '-99999Y' leaves the years 1 to 9999"),
        ("+" + "9" * 5000 + "D", 0, "leaves the years 1 to 9999"),
        ("'-1M+3X'", 0, "cannot be read"),  # quoted: the position is the value's
    ],
)
def test_bad_date_formulas_are_refused_where_they_go_wrong(
    expression: str, position: int, reason: str
) -> None:
    with pytest.raises(FilterExpressionError) as caught:
        parse_filter(expression, DATE, work_date=MONDAY)
    assert (caught.value.position, caught.value.field) == (position, DATE.name)
    assert reason in str(caught.value.reason)
    assert len(caught.value.message) < 400


_COUNTS = st.integers(0, 400) | st.just("C")
_TERMS = st.tuples(st.sampled_from("+-"), _COUNTS, st.sampled_from("DWMQY"))


@settings(max_examples=300, deadline=None, database=None)
@given(
    base=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    terms=st.lists(_TERMS, min_size=1, max_size=4),
)
def test_a_formula_applies_its_terms_left_to_right(
    base: dt.date, terms: list[tuple[str, int | str, str]]
) -> None:
    text = "".join(f"{sign}{count}{unit}" for sign, count, unit in terms)
    expected = base
    for sign, count, unit in terms:
        expected = read_date(f"{sign}{count}{unit}", expected)
    assert read_date(text, base) == expected


@settings(max_examples=300, deadline=None, database=None)
@given(base=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), months=st.integers(-50, 50))
def test_adding_months_never_overshoots_the_target_month(base: dt.date, months: int) -> None:
    moved = add_months(base, months)
    assert (moved.year * 12 + moved.month) - (base.year * 12 + base.month) == months
    assert moved.day == base.day or moved.day < base.day and (moved + dt.timedelta(1)).day == 1
    assert read_date(f"-CM+{months}M" if months >= 0 else f"-CM{months}M", base).day == 1
