"""Reading and writing contact files as CSV (UTF-8, RFC 4180) or XLSX (first sheet), streamed."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from rapport.errors import ValidationError

Format = Literal["csv", "xlsx"]
RowSink = Callable[[Sequence[object]], None]


def file_format(path: Path, fmt: str | None = None) -> Format:
    """The file's format: the one asked for, else its extension (.csv or .xlsx)."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen == "csv":
        return "csv"
    if chosen == "xlsx":
        return "xlsx"
    raise ValidationError(
        f"Contact file {path.name}: format {chosen or '(none)'!r} is not csv or xlsx",
        record=str(path), field="format", reason="unknown format",
    )


def _text(value: object) -> str:
    """An XLSX cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def read_rows(path: Path) -> Iterator[list[str]]:
    """Every row of the file as a list of cell texts, the header row first (blank rows too,
    so that row numbers match the file's)."""
    if file_format(path) == "csv":
        yield from _read_csv(path)
    else:
        yield from _read_xlsx(path)


def _read_csv(path: Path) -> Iterator[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        yield from csv.reader(handle)


def _read_xlsx(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_text(v) for v in values]
    finally:
        book.close()


def count_data_rows(path: Path) -> int:
    """How many data rows the file has (for progress); cheap compared to importing it."""
    if file_format(path) == "csv":
        return max(sum(1 for _ in _read_csv(path)) - 1, 0)
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        rows = book.worksheets[0].max_row
    finally:
        book.close()
    if rows is None:
        return max(sum(1 for _ in _read_xlsx(path)) - 1, 0)
    return max(rows - 1, 0)


@contextmanager
def open_writer(path: Path, fmt: Format) -> Iterator[RowSink]:
    """A function that appends one row to the file; the file is complete when the block ends."""
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            yield writer.writerow
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Contacts")
    yield sheet.append
    book.save(path)
