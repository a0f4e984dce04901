"""Importing and exporting contacts: one CSV or XLSX file with companies and persons together.

An import is validated as a whole before anything is written: the file is loaded into staging
tables, every cell is checked (on its own, then in SQL against the code tables and the stored
contacts), and every bad cell is reported at once (``ImportValidationError``). With
``skip_invalid`` the good rows are imported and the bad ones (and persons of a rejected company)
are written to a rejected-rows file after the commit. Re-importing a file updates the contacts
by number. An export writes the same format, so it re-imports to the same data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, func, select

from rapport.db.models import Base, Contact
from rapport.errors import ImportValidationError, RowProblem, ValidationError
from rapport.services.contacts._numbers import contact_series, draw_block
from rapport.services.contacts._queries import ContactFilter
from rapport.services.contacts.files._format import (
    ALL_COLUMNS,
    CLASS_COLUMNS,
    ERROR_COLUMN,
    FIELD_COLUMNS,
    Header,
    RowParser,
    parse_header,
)
from rapport.services.contacts.files._io import (
    count_data_rows,
    file_format,
    open_writer,
    read_rows,
)
from rapport.services.contacts.files._resolve import SetupDefaults
from rapport.services.contacts.files._staging import (
    BATCH_ROWS,
    CLASS_STAGE_COLUMNS,
    STAGE_COLUMNS,
    analyze,
    bulk_insert,
    stage,
    stage_class,
    staging_tables,
)
from rapport.services.contacts.files._validation import (
    database_problems,
    drop_rejected,
    reject_rows,
)
from rapport.services.contacts.files._writes import number_rows, write_contacts
from rapport.services.context import Ctx

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows read; contacts inserted, updated and found unchanged (by
    number); rows rejected and why."""

    rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected_rows: int
    problems: list[RowProblem]
    rejected_path: Path | None


class _Tracker:
    """Progress in work units: one per row loaded, then one per row written."""

    def __init__(self, progress: Progress | None, source: Path) -> None:
        self.progress = progress
        self.total = 2 * count_data_rows(source) if progress else 0
        self.done = 0

    def advance(self, units: int) -> None:
        if self.progress:
            self.done = min(self.done + units, self.total)
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.done < self.total:
            self.advance(self.total)


def import_contacts(
    ctx: Ctx,
    path: str | Path,
    *,
    skip_invalid: bool = False,
    rejected_path: str | Path | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a contact file; all or nothing unless ``skip_invalid`` (see the module doc)."""
    source = Path(path)
    file_format(source)
    target = _rejected_target(source, rejected_path) if skip_invalid else source
    tracker = _Tracker(progress, source)
    series = contact_series(ctx)
    with staging_tables(ctx) as conn:
        header, rows, problems = _load(conn, source, tracker)
        analyze(conn)
        problems += database_problems(conn, has_series=series is not None)
        if problems and not skip_invalid:
            raise ImportValidationError(_ordered(problems))
        problems += reject_rows(conn, {p.row for p in problems})
        drop_rejected(conn)
        _draw_numbers(ctx, conn, series)
        step = max(rows // 2, 1)
        counts = write_contacts(conn, present=header.position.keys(),
                                setup=SetupDefaults.load(ctx), series=series, now=ctx.now(),
                                step=lambda: tracker.advance(step))
    ctx.session.expire_all()
    tracker.finish()
    problems = _ordered(problems)
    rejected = len({p.row for p in problems})
    if rejected:
        ctx.after_commit(lambda: write_rejected(source, target, problems))
    return ImportResult(rows, counts.inserted, counts.updated, counts.unchanged, rejected,
                        problems, target if rejected else None)


def _rejected_target(source: Path, rejected_path: str | Path | None) -> Path:
    """Where the rejected rows go: checked before the import, as the file is written after it."""
    target = Path(rejected_path) if rejected_path else source.with_name(
        f"{source.stem}.rejected{source.suffix}")
    file_format(target)
    if target.resolve() == source.resolve():
        raise ValidationError(f"The rejected rows cannot be written over the imported file "
                              f"{source.name}", record=str(target), field="rejected_path",
                              reason="same file")
    return target


def _ordered(problems: list[RowProblem]) -> list[RowProblem]:
    order = {c: i for i, c in enumerate(ALL_COLUMNS)}
    return sorted(problems, key=lambda p: (p.row, order.get(p.column, len(order)), p.reason))


def _load(conn: Connection, source: Path,
          tracker: _Tracker) -> tuple[Header, int, list[RowProblem]]:
    """Stage every data row in batches; return the header, the row count and cell problems."""
    lines = read_rows(source)
    header, problems = parse_header(next(lines, []))
    if problems:
        raise ImportValidationError(problems)
    parser = RowParser(header)
    rows = 0
    for batch, classes, batch_problems in _batches(parser, lines):
        bulk_insert(conn, stage.name, STAGE_COLUMNS, batch)
        bulk_insert(conn, stage_class.name, CLASS_STAGE_COLUMNS, classes)
        problems += batch_problems
        rows += len(batch)
        tracker.advance(len(batch))
    return header, rows, problems


Batch = tuple[list[list[Any]], list[tuple[int, str, str]], list[RowProblem]]


def _batches(parser: RowParser, lines: Iterator[list[str]]) -> Iterator[Batch]:
    batch: Batch = ([], [], [])
    for row_no, cells in enumerate(lines, start=1):
        if not any(c.strip() for c in cells):
            continue
        batch[0].append(parser.parse(row_no, cells, batch[1], batch[2]))
        if len(batch[0]) >= BATCH_ROWS:
            yield batch
            batch = ([], [], [])
    if batch[0]:
        yield batch


def _draw_numbers(ctx: Ctx, conn: Connection, series: str | None) -> None:
    """Rows without a number get a block of numbers from the Contact Nos. series."""
    needed = conn.scalar(select(func.count()).where(stage.c.no.is_(None))) or 0
    if needed and series:
        number_rows(conn, draw_block(ctx, series, needed))


def write_rejected(source: Path, target: Path, problems: list[RowProblem]) -> None:
    """Write the rejected rows of ``source`` to ``target`` with an extra ``error`` column."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for problem in problems:
        reasons[problem.row].append(f"{problem.column}: {problem.reason}")
    lines = read_rows(source)
    header = next(lines, [])
    keep = [i for i, name in enumerate(header) if name.strip().lower() != ERROR_COLUMN]
    with open_writer(target, file_format(target)) as write:
        write([header[i] for i in keep] + [ERROR_COLUMN])
        for row_no, cells in enumerate(lines, start=1):
            if row_no in reasons:
                padded = cells + [""] * (len(header) - len(cells))
                write([padded[i] for i in keep] + ["; ".join(reasons[row_no])])


def export_contacts(ctx: Ctx, path: str | Path, *, fmt: str | None = None,
                    filt: ContactFilter | None = None) -> int:
    """Write the contacts that pass the filter to a file in the import format; return the count."""
    target = Path(path)
    kind = file_format(target, fmt)
    query = (filt or ContactFilter()).apply(_export_query()).order_by(Contact.no)
    count = 0
    with open_writer(target, kind) as write:
        write(list(ALL_COLUMNS))
        for row in ctx.session.execute(query.execution_options(yield_per=5000)):
            write(_export_cells(row, text_booleans=kind == "csv"))
            count += 1
    return count


def _export_query() -> Select[Any]:
    contact = Contact.__table__
    codes = []
    for table_name, code_column, _, _ in CLASS_COLUMNS.values():
        assigned = Base.metadata.tables[table_name]
        codes.append(select(func.aggregate_strings(assigned.c[code_column], ";"))
                     .where(assigned.c.contact_no == contact.c.no).scalar_subquery())
    return select(*(contact.c[c] for c in FIELD_COLUMNS), *codes)


def _export_cells(row: Any, *, text_booleans: bool) -> list[object]:
    cells: list[object] = []
    for index, value in enumerate(row):
        if index >= len(FIELD_COLUMNS):
            cells.append(";".join(sorted(value.split(";"))) if value else "")
        elif isinstance(value, bool) and text_booleans:
            cells.append("true" if value else "false")
        else:
            cells.append("" if value is None else value)
    return cells
