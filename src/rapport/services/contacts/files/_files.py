"""Importing contacts: one CSV or XLSX file with companies and persons together.

An import is validated as a whole before anything is written: the file is read once into
staging tables, every cell is checked (on its own, then in SQL against the code tables and the
stored contacts), and every bad cell is reported at once (``ImportValidationError``). With
``skip_invalid`` the good rows are imported and the bad ones (and persons of a rejected company)
are written to a rejected-rows file after the commit. Re-importing a file updates the contacts
by number. A file that cannot be read (encoding, damaged workbook) is refused as a whole with a
``ValidationError`` saying where and why; nothing is written then either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from rapport.errors import ImportValidationError, RowProblem, ValidationError
from rapport.services.contacts._duplicates import DuplicateReport
from rapport.services.contacts._numbers import contact_series, draw_block
from rapport.services.contacts.files._csvread import DELIMITERS
from rapport.services.contacts.files._duplicates import suspected_duplicates
from rapport.services.contacts.files._format import (
    ALL_COLUMNS,
    ERROR_COLUMN,
    Header,
    RowParser,
    parse_header,
)
from rapport.services.contacts.files._io import RowSource, file_format, open_rows, open_writer
from rapport.services.contacts.files._resolve import SetupDefaults
from rapport.services.contacts.files._safety import how_to_screen, unguard
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
from rapport.services.contacts.files._writes import WriteCounts, number_rows, write_contacts
from rapport.services.context import Ctx

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows read; contacts inserted, updated and found unchanged (by
    number); rows rejected and why; new contacts that may duplicate others (not refused)."""

    rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected_rows: int
    problems: list[RowProblem]
    rejected_path: Path | None
    duplicates: DuplicateReport = DuplicateReport()


class _Tracker:
    """Progress in bytes of the file (read once, so its length is the only total known up
    front): reading it is the first half of the work, writing the contacts the second."""

    def __init__(self, progress: Progress | None, size: int) -> None:
        self.progress = progress
        self.total = 2 * max(size, 1)
        self.done = 0

    def to(self, done: int) -> None:
        if self.progress and done > self.done:
            self.done = min(done, self.total)
            self.progress(self.done, self.total)

    def finish(self) -> None:
        self.to(self.total)


@dataclass
class _Loaded:
    header: Header
    parser: RowParser
    rows: int
    problems: list[RowProblem]


def import_contacts(
    ctx: Ctx,
    path: str | Path,
    *,
    encoding: str = "utf-8",
    delimiter: str | None = None,
    skip_invalid: bool = False,
    rejected_path: str | Path | None = None,
    write_rejected_file: bool = True,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a contact file; all or nothing unless ``skip_invalid`` (see the module doc).
    A CSV file is read in ``encoding`` (a UTF-8 byte order mark is accepted); its delimiter
    is ``delimiter``, or sniffed from the header (comma, semicolon or tab). Without
    ``write_rejected_file`` the rejected rows are only reported (``problems``), not written.
    A ``dry_run`` checks and reports everything, writes the contacts and undoes them (a
    savepoint): what the import would do, with nothing changed and no file written."""
    source = _existing(Path(path))
    rows_in = open_rows(source, encoding=encoding, delimiter=delimiter)
    keep = skip_invalid and write_rejected_file and not dry_run
    target = _rejected_target(source, rejected_path) if keep else source
    tracker = _Tracker(progress, source.stat().st_size)
    series = contact_series(ctx)
    with staging_tables(ctx) as conn:
        loaded = _load(conn, rows_in, tracker)
        analyze(conn)
        problems = loaded.parser.without_follow_ups(
            loaded.problems + database_problems(conn, has_series=series is not None))
        if problems and not skip_invalid:
            raise ImportValidationError(_ordered(problems))
        if problems:  # only with skip_invalid: drop the bad rows, then go on without them
            problems += reject_rows(conn, {p.row for p in problems})
            drop_rejected(conn)
        savepoint = ctx.session.begin_nested() if dry_run else None
        duplicates, counts = _write(ctx, conn, loaded, series, tracker)
        if savepoint is not None:
            savepoint.rollback()
    ctx.session.expire_all()
    tracker.finish()
    problems = _ordered(problems)
    rejected = len({p.row for p in problems})
    if rejected and keep:
        written_as = (encoding, rows_in.delimiter or ",")
        ctx.after_commit(lambda: write_rejected(source, target, problems, *written_as))
    return ImportResult(loaded.rows, counts.inserted, counts.updated, counts.unchanged,
                        rejected, problems, target if rejected and keep else None, duplicates)


def _write(ctx: Ctx, conn: Connection, loaded: _Loaded, series: str | None,
           tracker: _Tracker) -> tuple[DuplicateReport, WriteCounts]:
    """Number the new rows, find suspected duplicates, write the contacts."""
    _draw_numbers(ctx, conn, series)
    duplicates = suspected_duplicates(conn)
    step = tracker.total // 4
    counts = write_contacts(conn, present=loaded.header.position.keys(),
                            setup=SetupDefaults.load(ctx), series=series, now=ctx.now(),
                            step=lambda: tracker.to(tracker.done + step))
    return duplicates, counts


def _existing(source: Path) -> Path:
    if not source.is_file():
        raise ValidationError(f"Contact file {source} does not exist or is not a file",
                              record=str(source), field="path", reason="no such file")
    return source


def _rejected_target(source: Path, rejected_path: str | Path | None) -> Path:
    """Where the rejected rows go: checked before the import, as the file is written after it."""
    target = Path(rejected_path) if rejected_path else source.with_name(
        f"{source.stem}.rejected{source.suffix}")
    file_format(target)
    if not target.parent.is_dir():
        raise ValidationError(f"The rejected rows cannot be written to {target}: there is no "
                              f"folder {target.parent}", record=str(target),
                              field="rejected_path", reason="no such folder")
    if target.resolve() == source.resolve():
        raise ValidationError(f"The rejected rows cannot be written over the imported file "
                              f"{source.name}", record=str(target), field="rejected_path",
                              reason="same file")
    return target


def _ordered(problems: list[RowProblem]) -> list[RowProblem]:
    order = {c: i for i, c in enumerate(ALL_COLUMNS)}
    return sorted(problems, key=lambda p: (p.row, order.get(p.column, len(order)), p.reason))


def _load(conn: Connection, rows_in: RowSource, tracker: _Tracker) -> _Loaded:
    """Stage every data row in batches; the header, the parser, the row count and the problems
    of single cells."""
    lines = iter(rows_in)
    header, problems = parse_header(next(lines, []))
    if problems:
        raise ImportValidationError(_one_column_hint(header, rows_in) or problems)
    parser = RowParser(header)
    rows = 0
    for batch, classes, batch_problems in _batches(parser, lines):
        bulk_insert(conn, stage.name, STAGE_COLUMNS, batch)
        bulk_insert(conn, stage_class.name, CLASS_STAGE_COLUMNS, classes)
        problems += batch_problems
        rows += len(batch)
        tracker.to(rows_in.bytes_read)
    return _Loaded(header, parser, rows, problems)


def _one_column_hint(header: Header, rows_in: RowSource) -> list[RowProblem]:
    """A header that is one unknown column holding a delimiter: say which one it is."""
    names = header.names
    found = [d for d in DELIMITERS if len(names) == 1 and d in names[0]]
    if not found:
        return []
    how = (f"not {rows_in.delimiter!r}: import it with --delimiter {found[0]!r}"
           if rows_in.delimiter else "split it into columns")
    return [RowProblem(0, names[0][:40], f"unknown column: the header is one column holding "
                       f"{found[0]!r}, so the file is separated by {found[0]!r}, {how}")]


Batch = tuple[list[list[Any]], list[tuple[int, str, str]], list[RowProblem]]


def _batches(parser: RowParser, lines: Iterator[list[str]]) -> Iterator[Batch]:
    batch: Batch = ([], [], [])
    for row_no, cells in enumerate(lines, start=1):
        joined = "".join(cells)
        if not joined.strip():
            continue  # a blank row (still counted)
        batch[0].append(parser.parse(row_no, cells, batch[1], batch[2],
                                     screening=how_to_screen(joined)))
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


def write_rejected(source: Path, target: Path, problems: list[RowProblem],
                   encoding: str = "utf-8", delimiter: str = ",") -> None:
    """Write the rejected rows of ``source`` to ``target`` with an extra ``error`` column: the
    same cells, in the source's encoding and delimiter when ``target`` is CSV."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for problem in problems:
        reasons[problem.row].append(f"{problem.column}: {problem.reason}")
    lines = iter(open_rows(source, encoding=encoding, delimiter=delimiter))
    header = next(lines, [])
    keep = [i for i, name in enumerate(header) if name.strip().lower() != ERROR_COLUMN]
    with open_writer(target, file_format(target), encoding=encoding,
                     delimiter=delimiter) as write:
        write([header[i] for i in keep] + [ERROR_COLUMN])
        for row_no, cells in enumerate(lines, start=1):
            if row_no in reasons:
                padded = cells + [""] * (len(header) - len(cells))
                # The values the cells stand for: the writer neutralises formulas again.
                write([unguard(padded[i]) for i in keep] + ["; ".join(reasons[row_no])])
