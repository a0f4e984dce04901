"""Filters at the engines' limits, on SQLite and PostgreSQL (SPEC A5): long lists of values run
as one statement and select what ``evaluate`` accepts; numbers a column cannot hold and text no
database can compare are refused with a FILTER error before any SQL runs; relative dates select
by the work date given."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Date,
    Engine,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    and_,
    delete,
    insert,
    not_,
    select,
)
from sqlalchemy.types import TypeEngine

from rapport.domain.enums import CriteriaSection
from rapport.domain.filter_parse import MAX_VALUES
from rapport.domain.filters import FieldSpec, FieldType, FilterNode, evaluate, parse_filter
from rapport.errors import FilterExpressionError
from rapport.services.criteria import compile_filter, section_fields
from rapport.services.criteria._catalogue import catalogue
from rapport.services.criteria._sql import spec_for_column

WORK_DATE = dt.date(2025, 3, 10)
TYPES: dict[str, tuple[FieldType, TypeEngine[Any]]] = {
    "n": (FieldType.INTEGER, Integer()),
    "big": (FieldType.INTEGER, BigInteger()),
    "amount": (FieldType.DECIMAL, Numeric(18, 2)),
    "name": (FieldType.TEXT, String(40)),
    "day": (FieldType.DATE, Date()),
}


@pytest.fixture
def table(engine: Engine) -> Iterator[Table]:
    metadata = MetaData()
    columns = [Column(name, type_, nullable=True) for name, (_, type_) in TYPES.items()]
    scratch = Table(f"filter_limits_{uuid.uuid4().hex[:10]}", metadata,
                    Column("id", Integer, primary_key=True), *columns)  # fmt: skip
    metadata.create_all(engine)
    yield scratch
    metadata.drop_all(engine)


def spec(table: Table, field: str) -> FieldSpec:
    """The field's spec with its column's limits, as the catalogue gives them."""
    return spec_for_column(FieldSpec(f"Scratch.{field}", TYPES[field][0]), table.c[field])


def run(engine: Engine, table: Table, rows: list[dict[str, Any]], where: Any) -> set[int]:
    """Load ``rows``, select the ids passing ``where``, roll back."""
    with engine.connect() as conn, conn.begin() as transaction:
        conn.execute(delete(table))
        conn.execute(insert(table), [{"id": i, **row} for i, row in enumerate(rows)])
        ids = set(conn.scalars(select(table.c.id).where(where)))
        transaction.rollback()
    return ids


def agrees(
    engine: Engine, table: Table, field: str, node: FilterNode, values: list[Any]
) -> set[int]:
    """The ids the compiled filter selects, checked against ``evaluate`` (and its negation)."""
    rows = [{field: v} for v in values]
    condition = compile_filter(node, table.c[field])
    expected = {i for i, v in enumerate(values) if evaluate(node, v)}
    assert run(engine, table, rows, condition) == expected
    assert run(engine, table, rows, not_(condition)) == set(range(len(values))) - expected
    return expected


def day(offset: int) -> dt.date:
    return dt.date(2000, 1, 1) + dt.timedelta(days=offset)


# kind → (field, expression of `count` alternatives, stored values, ids selected)
LISTS: dict[str, Callable[[int], tuple[str, str, list[Any], set[int]]]] = {
    "integer equalities": lambda n: (
        "n", "|".join(str(3 * i) for i in range(n)),
        [0, 1, 3, 3 * n - 3, 3 * n, -3, None], {0, 2, 3}),
    "text equalities": lambda n: (
        "name", "|".join(f"N{i}" for i in range(n)),
        ["N0", f"N{n - 1}", f"N{n}", "n1", "", None], {0, 1}),
    "ranges": lambda n: (
        "n", "|".join(f"{10 * i}..{10 * i + 2}" for i in range(n)),
        [0, 2, 3, 10 * n - 8, 10 * n, None], {0, 1, 3}),
    "wildcards": lambda n: (
        "name", "|".join(f"N{i}x*" for i in range(n)),
        ["N0x", f"N{n - 1}xyz", "N0", f"N{n}x", "", None], {0, 1}),
    "date ranges and days": lambda n: (
        "day", "|".join(f"{day(2 * i)}..{day(2 * i)}" if i % 2 else str(day(2 * i))
                        for i in range(n)),
        [day(0), day(1), day(2), day(2 * n - 2), day(2 * n), None], {0, 2, 3}),
    "exclusions": lambda n: (
        "n", "&".join(f"<>{i}" for i in range(n)),
        [0, n - 1, n, -1, None], {2, 3}),
    "mixed": lambda n: (
        "name", "|".join(("N{i}", "N{i}..N{i}a", "@n{i}z*", "<>''&N{i}y")[i % 4].format(i=i)
                         for i in range(n)),
        ["N0", "N1a", "N2ZZ", "N3y", "N4", "N5", "x", None], {0, 1, 2, 3, 4, 5}),
}  # fmt: skip


@pytest.mark.parametrize("count", [1000, 5000])
@pytest.mark.parametrize("kind", list(LISTS))
def test_long_lists_of_alternatives_run_as_one_statement(
    engine: Engine, table: Table, kind: str, count: int
) -> None:
    field, expression, values, selected = LISTS[kind](count)
    node = parse_filter(expression, spec(table, field))
    assert agrees(engine, table, field, node, values) == selected


def test_a_filter_at_the_value_limit_runs_even_twice_in_one_statement(
    engine: Engine, table: Table
) -> None:
    equalities = parse_filter("|".join(str(i) for i in range(MAX_VALUES)), spec(table, "n"))
    ranges = parse_filter(
        "|".join(f"{2 * i}..{2 * i}" for i in range(MAX_VALUES // 2)), spec(table, "big")
    )
    patterns = parse_filter("|".join(f"N{i}*" for i in range(MAX_VALUES)), spec(table, "name"))
    rows = [
        {"n": 5, "big": 4, "name": "N9999x"},
        {"n": MAX_VALUES, "big": 4, "name": "N1"},
        {"n": 1, "big": 3, "name": "N1"},
        {"n": 2, "big": 2, "name": "M1"},
    ]
    twice = [compile_filter(equalities, table.c.n), compile_filter(equalities, table.c.n)]
    twice += [compile_filter(ranges, table.c.big), compile_filter(ranges, table.c.big)]
    assert run(engine, table, rows, and_(*twice)) == {0, 3}  # n below the limit, big even
    assert run(engine, table, rows, compile_filter(patterns, table.c.name)) == {0, 1, 2}
    with pytest.raises(FilterExpressionError, match=f"more than {MAX_VALUES} values"):
        parse_filter("|".join(str(i) for i in range(MAX_VALUES + 1)), spec(table, "n"))


def refused(table: Table, field: str, expression: str) -> FilterExpressionError:
    with pytest.raises(FilterExpressionError) as caught:
        parse_filter(expression, spec(table, field))
    return caught.value


def test_numbers_at_the_columns_limits_compare_and_beyond_them_are_refused(
    engine: Engine, table: Table
) -> None:
    rows: list[dict[str, Any]] = [
        {"n": 2147483647, "big": 9223372036854775807, "amount": Decimal("12345.67")},
        {"n": -2147483648, "big": -9223372036854775808, "amount": Decimal("-0.01")},
    ]

    def ids(field: str, expression: str) -> set[int]:
        node = parse_filter(expression, spec(table, field))
        return run(engine, table, rows, compile_filter(node, table.c[field]))

    assert ids("n", "2147483647") == {0}
    assert ids("n", "..-2147483648") == {1}
    assert ids("big", "9223372036854775807|-9223372036854775808") == {0, 1}
    assert ids("amount", "12345.67|<0") == {0, 1}
    error = refused(table, "n", "1|9999999999")
    assert (error.position, error.field) == (2, "Scratch.n")
    assert "from -2147483648 to 2147483647" in error.message
    assert refused(table, "big", "9223372036854775808").position == 0
    assert "has 3 decimals" in refused(table, "amount", "12345.678").message
    assert "at most 16 digits" in refused(table, "amount", "..10000000000000000").message


def test_text_no_database_can_compare_is_refused_and_other_planes_compare(
    engine: Engine, table: Table
) -> None:
    rows = [{"name": "😀 smile"}, {"name": "𝔘nicode"}, {"name": "plain"}]
    node = parse_filter("😀*|𝔘nicode", spec(table, "name"))
    assert run(engine, table, rows, compile_filter(node, table.c.name)) == {0, 1}
    assert refused(table, "name", "Ã\udcb8stfold").position == 1
    assert refused(table, "name", "a|b\x00").position == 3


@pytest.mark.parametrize(
    ("field", "mistyped", "position", "meant", "selected"),
    [
        ("amount", "1000...2000", 4, "1000..2000", {1, 2}),
        ("name", "a...c", 1, "a..c", {0, 2, 3, 4}),
        ("n", "1000..2000..3000", 10, "1000..2000|2000..3000", {1, 2}),
        ("n", "1..2 ..3", 5, "1..3", {0}),
        ("n", "1000|9999999999", 5, "1000|999999999", {1}),
        ("amount", "1000.005", 0, "1000.01", set()),
        ("name", "b\udce6r", 1, "bær", {4}),
        ("name", "b\x00", 1, "b", {3}),
    ],
)
def test_mistyped_filters_are_refused_and_what_was_meant_runs(
    engine: Engine,
    table: Table,
    field: str,
    mistyped: str,
    position: int,
    meant: str,
    selected: set[int],
) -> None:
    error = refused(table, field, mistyped)
    assert (error.position, error.field, error.code) == (position, f"Scratch.{field}", "FILTER")
    values: dict[str, list[Any]] = {
        "amount": [Decimal("999.99"), Decimal(1000), Decimal("2000.00"), None, Decimal(1)],
        "name": ["a", ".c", "a...c", "b", "bær"],
        "n": [1, 1000, 2500, None, 3001],
    }
    node = parse_filter(meant, spec(table, field))
    assert agrees(engine, table, field, node, values[field]) == selected


@pytest.mark.parametrize(
    ("expression", "selected"),
    [
        ("-30D..t", {1, 2, 3}),  # 2025-02-08 .. 2025-03-10
        ("-CM..CM", {2, 3, 4}),  # March
        ("<-1M|''", {0, 1, 5}),  # before 2025-02-10, or no date
        ("-CW..CW", {3}),  # the week of Monday 2025-03-10
        ("-1Y-CY..-1Y+CY", {0}),  # last year
    ],
)
def test_relative_dates_select_by_the_work_date_given(
    engine: Engine, table: Table, expression: str, selected: set[int]
) -> None:
    days = [dt.date(2024, 12, 31), dt.date(2025, 2, 8), dt.date(2025, 3, 1),
            dt.date(2025, 3, 10), dt.date(2025, 3, 31), None]  # fmt: skip
    node = parse_filter(expression, spec(table, "day"), work_date=WORK_DATE)
    assert agrees(engine, table, "day", node, days) == selected


@pytest.mark.parametrize("section", list(CriteriaSection))
def test_every_catalogue_field_carries_the_limits_of_its_column(section: CriteriaSection) -> None:
    columns = catalogue(section).table.c
    for field in section_fields(section):
        if field.key in columns:
            assert spec_for_column(field.spec, columns[field.key]) == field.spec, field.key


def test_conditions_compile_to_bound_parameters_only(engine: Engine, table: Table) -> None:
    node = parse_filter("|".join(f"'x{i}'''" for i in range(200)), spec(table, "name"))
    condition: ColumnElement[bool] = compile_filter(node, table.c.name)
    sql = str(select(table.c.id).where(condition).compile(engine))
    assert "x1'" not in sql
    assert run(engine, table, [{"name": "x1'"}, {"name": "x1"}], condition) == {0}
