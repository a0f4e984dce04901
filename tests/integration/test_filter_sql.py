"""Compiled filters select exactly the rows ``evaluate`` accepts, on SQLite and on PostgreSQL.

Property: for random rows and a random filter tree of each field type, ``format_filter`` reads
back to the same tree, and ``WHERE compile_filter(tree)`` (and its negation) returns exactly the
rows for which ``evaluate`` is true (or false); likewise for dates relative to a fixed work date.
Long lists and the limits are in ``test_filter_limits``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Engine,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    delete,
    insert,
    not_,
    select,
)
from sqlalchemy.types import TypeEngine

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
    format_filter,
    parse_filter,
)
from rapport.errors import FilterExpressionError
from rapport.services.criteria import compile_filter, compile_filters

CORR = ("", "Hard Copy", "Email")
FIELDS: dict[str, tuple[FieldSpec, TypeEngine[Any]]] = {
    "name": (FieldSpec("Name", FieldType.TEXT), String(40)),
    "code": (FieldSpec("No.", FieldType.CODE), String(40)),
    "day": (FieldSpec("Date", FieldType.DATE), Date()),
    "amount": (FieldSpec("Amount", FieldType.DECIMAL, precision=12, scale=2), Numeric(12, 2)),
    "line": (FieldSpec("Line No.", FieldType.INTEGER), Integer()),
    "flag": (FieldSpec("Exclude from Segment", FieldType.BOOLEAN), Boolean()),
    "corr": (FieldSpec("Correspondence Type", FieldType.OPTION, CORR), String(20)),
    "kind": (FieldSpec("Type", FieldType.OPTION, ("Company", "Person")), String(20)),
}
# Mixed case, spaces, LIKE/GLOB specials, quotes, filter syntax, Latin-1 and other scripts.
CHARS = list("aAbBzZ %_'\\*?[]|.@") + ["ø", "Ø", "é", "É", "ß", "Σ", "σ", "ı", "İ", "ÿ"]
TOKENS = [*CHARS, "..", "''", "<>", " a"]  # multi-character syntax, so it shows up in values
ORDERINGS = ["<", "<=", ">", ">="]
HYPOTHESIS = settings(max_examples=60, deadline=None, database=None)


@pytest.fixture
def scratch(engine: Engine) -> Iterator[Table]:
    """A private table with one column per field type, dropped after the test."""
    metadata = MetaData()
    columns = [Column(name, type_, nullable=True) for name, (_, type_) in FIELDS.items()]
    table = Table(f"filter_scratch_{uuid.uuid4().hex[:10]}", metadata,
                  Column("id", Integer, primary_key=True), *columns)  # fmt: skip
    metadata.create_all(engine)
    yield table
    metadata.drop_all(engine)


def select_ids(engine: Engine, table: Table, rows: list[dict[str, Any]], where: Any) -> set[int]:
    """Load ``rows`` in a transaction, select the ids passing ``where``, roll everything back."""
    with engine.connect() as conn, conn.begin() as transaction:
        conn.execute(delete(table))
        if rows:
            conn.execute(insert(table), [{"id": i, **row} for i, row in enumerate(rows)])
        ids = set(conn.scalars(select(table.c.id).where(where)))
        transaction.rollback()
    return ids


# --- strategies: values, leaves and trees per field type --------------------------------------


def text_values(field: str) -> st.SearchStrategy[str]:
    text = st.lists(st.sampled_from(TOKENS), max_size=4).map("".join)
    return text.map(str.upper) if field == "code" else text


def stored_values(field: str, *, nullable: bool = True) -> st.SearchStrategy[Any]:
    spec = FIELDS[field][0]
    by_type: dict[FieldType, st.SearchStrategy[Any]] = {
        FieldType.TEXT: text_values(field),
        FieldType.CODE: text_values(field),
        FieldType.DATE: st.dates(dt.date(2025, 1, 1), dt.date(2025, 1, 8)),
        FieldType.DECIMAL: st.decimals(-3, 3, places=2),
        FieldType.INTEGER: st.integers(-3, 3),
        FieldType.BOOLEAN: st.booleans(),
        FieldType.OPTION: st.sampled_from(spec.options),
    }
    return st.none() | by_type[spec.type] if nullable else by_type[spec.type]


def pattern_parts(values: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[Any, ...]]:
    """Literals and wildcards, at least one wildcard, adjacent literals merged (canonical)."""
    wildcard = st.sampled_from([Wildcard.ANY, Wildcard.ONE])
    piece = values.filter(bool) | wildcard
    pieces = st.tuples(st.lists(piece, max_size=2), wildcard, st.lists(piece, max_size=2))
    return pieces.map(lambda p: merge_literals([*p[0], p[1], *p[2]]))


def merge_literals(pieces: list[Any]) -> tuple[Any, ...]:
    parts: list[Any] = []
    for piece in pieces:
        if isinstance(piece, str) and parts and isinstance(parts[-1], str):
            parts[-1] += piece
        else:
            parts.append(piece)
    return tuple(parts)


def leaves(field: str, values: st.SearchStrategy[Any]) -> st.SearchStrategy[FilterNode]:
    """Canonical leaves: exactly the trees ``parse_filter`` can produce for the field."""
    spec = FIELDS[field][0]
    order = spec.options
    blank = spec.type in (FieldType.TEXT, FieldType.CODE) or "" in order
    present = values.filter(lambda v: v != "")  # '' with = or <> is read as Empty
    equality = st.builds(Compare, st.sampled_from(["=", "<>"]), present)
    empty = st.builds(Empty, st.booleans(), st.just(blank))
    if spec.type is FieldType.BOOLEAN:
        return equality | empty
    ranges = st.builds(Range, values, values | st.none(), st.just(order))
    ranges |= st.builds(Range, st.none(), values, st.just(order))
    ordered = st.builds(Compare, st.sampled_from(ORDERINGS), values, st.just(False), st.just(order))
    result: st.SearchStrategy[FilterNode] = equality | ordered | ranges | empty
    if spec.type is FieldType.TEXT:
        ignore_case = st.builds(Compare, st.sampled_from(["=", "<>"]), present, st.just(True))
        patterns = st.builds(Pattern, pattern_parts(values), st.booleans(), st.booleans())
        return result | ignore_case | patterns
    if spec.type is FieldType.CODE:
        return result | st.builds(Pattern, pattern_parts(values), st.just(False), st.booleans())
    return result


def trees(leaf: st.SearchStrategy[FilterNode]) -> st.SearchStrategy[FilterNode]:
    def branches(children: st.SearchStrategy[FilterNode]) -> st.SearchStrategy[FilterNode]:
        lists = st.lists(children, min_size=2, max_size=3).map(tuple)
        return lists.map(Or) | lists.map(And)

    return st.recursive(leaf, branches, max_leaves=6)


def filter_values(field: str, rows: list[dict[str, Any]]) -> st.SearchStrategy[Any]:
    """Values for the filter (never None): often stored ones, so that filters hit rows."""
    seen = [row[field] for row in rows if row[field] is not None]
    fresh = stored_values(field, nullable=False)
    return (st.sampled_from(seen) | fresh) if seen else fresh


# --- the property ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", list(FIELDS))
def test_compiled_filter_selects_exactly_the_rows_evaluate_accepts(
    engine: Engine, scratch: Table, field: str
) -> None:
    spec = FIELDS[field][0]
    row = st.fixed_dictionaries({name: stored_values(name) for name in FIELDS})

    @HYPOTHESIS
    @given(rows=st.lists(row, max_size=10), data=st.data())
    def check(rows: list[dict[str, Any]], data: st.DataObject) -> None:
        node = data.draw(trees(leaves(field, filter_values(field, rows))), label="filter")
        text = format_filter(node)
        assert parse_filter(text, spec) == node, text
        condition = compile_filter(node, scratch.c[field])
        expected = {i for i, r in enumerate(rows) if evaluate(node, r[field])}
        assert select_ids(engine, scratch, rows, condition) == expected, text
        rejected = set(range(len(rows))) - expected
        assert select_ids(engine, scratch, rows, not_(condition)) == rejected, text

    check()


@pytest.mark.parametrize("field", ["name", "code"])
def test_parsed_user_text_selects_the_same_rows_in_sql_and_python(
    engine: Engine, scratch: Table, field: str
) -> None:
    spec = FIELDS[field][0]
    typed = st.lists(st.sampled_from([*TOKENS, *"()&<>= "]), min_size=1, max_size=8).map("".join)

    @HYPOTHESIS
    @given(rows=st.lists(st.fixed_dictionaries({field: stored_values(field)}), max_size=8),
           expression=typed)  # fmt: skip
    def check(rows: list[dict[str, Any]], expression: str) -> None:
        try:
            node = parse_filter(expression, spec)
        except FilterExpressionError:
            return  # refused expressions are the unit tests' business
        expected = {i for i, r in enumerate(rows) if evaluate(node, r[field])}
        assert select_ids(engine, scratch, rows, compile_filter(node, scratch.c[field])) == expected

    check()


# Relative dates around a fixed work date, a Sunday, so that week, month and year edges fall
# among and around the stored dates (2025-01-01 … 2025-01-08).
RELATIVE_WORK_DATE = dt.date(2025, 1, 5)
RELATIVE_DATES = ["t", "W", "today", "-1D", "+2D", "-1W", "CW", "-CW", "+1W-CW", "CM", "-CM",
                  "-1M+CM", "CD", "-3D+1W", "CY", "-1Y", "2025-01-03"]  # fmt: skip


def test_relative_dates_select_the_same_rows_in_sql_and_python(
    engine: Engine, scratch: Table
) -> None:
    spec = FIELDS["day"][0]
    value = st.sampled_from(RELATIVE_DATES)
    term = st.one_of(
        value,
        st.builds("{}{}".format, st.sampled_from(["<", "<=", ">", ">=", "<>"]), value),
        st.builds("{}..{}".format, value | st.just(""), value),
        st.builds("{}..".format, value),
    )
    expression = st.builds(
        lambda terms, joiner: joiner.join(terms),
        st.lists(term, min_size=1, max_size=4),
        st.sampled_from(["|", "&"]),
    )

    @HYPOTHESIS
    @given(rows=st.lists(st.fixed_dictionaries({"day": stored_values("day")}), max_size=10),
           text=expression)  # fmt: skip
    def check(rows: list[dict[str, Any]], text: str) -> None:
        node = parse_filter(text, spec, work_date=RELATIVE_WORK_DATE)
        assert parse_filter(format_filter(node), spec) == node  # absolute dates from here on
        condition = compile_filter(node, scratch.c.day)
        expected = {i for i, r in enumerate(rows) if evaluate(node, r["day"])}
        assert select_ids(engine, scratch, rows, condition) == expected, text
        rejected = set(range(len(rows))) - expected
        assert select_ids(engine, scratch, rows, not_(condition)) == rejected, text

    check()


# --- behaviour worth naming --------------------------------------------------------------------

NAMES = ["Østfold AS", "østfold", "OSTFOLD", "abc", "ABC", "a%c", "a_c", "a\\c", "", None, "Zed",
         "éclair"]  # fmt: skip


def names(engine: Engine, table: Table, expression: str) -> list[str | None]:
    """The NAMES a filter on the Name field selects, in NAMES order."""
    condition = compile_filter(parse_filter(expression, FIELDS["name"][0]), table.c.name)
    ids = select_ids(engine, table, [{"name": n} for n in NAMES], condition)
    return [NAMES[i] for i in sorted(ids)]


def test_patterns_are_case_sensitive_on_every_engine(engine: Engine, scratch: Table) -> None:
    assert names(engine, scratch, "a*") == ["abc", "a%c", "a_c", "a\\c"]
    assert names(engine, scratch, "ø*") == ["østfold"]


def test_ignore_case_folds_ascii_and_nordic_letters(engine: Engine, scratch: Table) -> None:
    assert names(engine, scratch, "@østfold*") == ["Østfold AS", "østfold"]
    assert names(engine, scratch, "@abc") == ["abc", "ABC"]
    assert names(engine, scratch, "<>@abc") == [
        "Østfold AS", "østfold", "OSTFOLD", "a%c", "a_c", "a\\c", "", None, "Zed", "éclair"
    ]  # fmt: skip


def test_like_specials_in_values_are_literal(engine: Engine, scratch: Table) -> None:
    assert names(engine, scratch, "*%*") == ["a%c"]
    assert names(engine, scratch, "a_*") == ["a_c"]
    assert names(engine, scratch, "*\\*") == ["a\\c"]
    assert names(engine, scratch, "a?c") == ["abc", "a%c", "a_c", "a\\c"]


def test_text_ranges_follow_code_point_order(engine: Engine, scratch: Table) -> None:
    assert names(engine, scratch, "A..Zz") == ["OSTFOLD", "ABC", "Zed"]
    assert names(engine, scratch, ">z") == ["Østfold AS", "østfold", "éclair"]


def test_empty_matches_null_and_empty_text(engine: Engine, scratch: Table) -> None:
    assert names(engine, scratch, "''") == ["", None]
    # NULL is the blank value: it passes "<>abc" like '' does, and fails a non-blank pattern.
    assert None in names(engine, scratch, "<>abc")
    assert None not in names(engine, scratch, "<>''")
    assert None not in names(engine, scratch, "a*")


def test_values_travel_as_bound_parameters(engine: Engine, scratch: Table) -> None:
    hostile = "x'); DROP TABLE contact; --"
    quoted = "'" + hostile.replace("'", "''") + "'"
    node = parse_filter(f"{quoted}|@{quoted}*|>{quoted}", FIELDS["name"][0])
    condition = compile_filter(node, scratch.c.name)
    sql = str(select(scratch.c.id).where(condition).compile(engine))
    assert "DROP" not in sql
    assert select_ids(engine, scratch, [{"name": hostile}, {"name": "x"}], condition) == {0}


def test_compile_filters_requires_every_column_to_pass(engine: Engine, scratch: Table) -> None:
    rows: list[dict[str, Any]] = [
        {"name": "Alpha", "kind": "Company", "day": dt.date(2025, 1, 2)},
        {"name": "Alfred", "kind": "Person", "day": dt.date(2025, 1, 3)},
        {"name": "Beta", "kind": "Company", "day": None},
    ]
    pairs = [
        (scratch.c.name, parse_filter("@al*", FIELDS["name"][0])),
        (scratch.c.kind, parse_filter("company", FIELDS["kind"][0])),
        (scratch.c.day, parse_filter("2025-01-01..", FIELDS["day"][0])),
    ]
    assert select_ids(engine, scratch, rows, compile_filters(pairs)) == {0}
    assert select_ids(engine, scratch, rows, compile_filters([])) == {0, 1, 2}


def test_option_ranges_follow_declaration_order(engine: Engine, scratch: Table) -> None:
    spec = FIELDS["corr"][0]
    rows = [{"corr": c} for c in [*CORR, None]]

    def check(expression: str) -> set[int]:
        condition = compile_filter(parse_filter(expression, spec), scratch.c.corr)
        return select_ids(engine, scratch, rows, condition)

    assert check("''..hard copy") == {0, 1, 3}  # NULL (row 3) is the blank option ''
    assert check(">''") == {1, 2}
    assert check("Email..''") == set()
    assert check("''") == {0, 3}


def test_decimal_and_date_bounds_are_inclusive(engine: Engine, scratch: Table) -> None:
    values = [("1.00", 1), ("1.50", 2), ("2.00", 3)]
    rows = [{"amount": Decimal(v), "day": dt.date(2025, 1, d)} for v, d in values]
    amount = parse_filter("1.5..2", FIELDS["amount"][0])
    day = parse_filter("..2025-01-02", FIELDS["day"][0])
    assert select_ids(engine, scratch, rows, compile_filter(amount, scratch.c.amount)) == {1, 2}
    assert select_ids(engine, scratch, rows, compile_filter(day, scratch.c.day)) == {0, 1}
