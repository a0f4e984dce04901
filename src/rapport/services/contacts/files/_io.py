"""Reading and writing contact files as CSV (RFC 4180) or XLSX (first sheet), streamed.

Reading yields each row's cells as the file holds them (an export's ``'`` in front of
formula-like text included: see ``_safety``); a file that cannot be read as what its name says
is refused with a ``ValidationError`` naming it and why. Writing neutralises formula-like text.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Literal, Protocol

from rapport.errors import ValidationError
from rapport.services.contacts.files._csvread import CsvRows
from rapport.services.contacts.files._safety import FIRST, csv_text, xlsx_text

Format = Literal["csv", "xlsx"]
RowSink = Callable[[Sequence[object]], None]
# What openpyxl raises on a damaged workbook, by layer: zip, deflate, XML (both parsers'
# errors are SyntaxErrors), missing parts, and values its descriptors refuse.
_BROKEN_XLSX = (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, KeyError, IndexError,
                ValueError, TypeError)


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


class RowSource(Protocol):
    """The rows of a file, read once; ``bytes_read`` tells how far the reading got."""

    delimiter: str | None

    @property
    def bytes_read(self) -> int: ...

    def __iter__(self) -> Iterator[list[str]]: ...


def open_rows(path: Path, *, encoding: str = "utf-8",
              delimiter: str | None = None) -> RowSource:
    """The rows of a CSV (in ``encoding``, ``delimiter`` sniffed when None) or XLSX file."""
    if file_format(path) == "csv":
        return CsvRows(path, encoding=encoding, delimiter=delimiter)
    return XlsxRows(path)


def read_rows(path: Path, *, encoding: str = "utf-8",
              delimiter: str | None = None) -> Iterator[list[str]]:
    """Every row of the file as a list of cell texts, the header row first (blank rows too,
    so that row numbers match the file's)."""
    return iter(open_rows(path, encoding=encoding, delimiter=delimiter))


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


class XlsxRows:
    """The rows of the first sheet of a workbook (openpyxl's read-only mode, streamed)."""

    delimiter: str | None = None

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: BinaryIO | None = None
        self._read = 0

    @property
    def bytes_read(self) -> int:
        handle = self._handle
        return handle.tell() if handle is not None and not handle.closed else self._read

    def __iter__(self) -> Iterator[list[str]]:
        from openpyxl import load_workbook

        with self.path.open("rb") as handle:
            self._handle = handle
            try:
                book = load_workbook(handle, read_only=True, data_only=True)
            except _BROKEN_XLSX as exc:
                raise self._broken(exc) from exc
            try:
                for values in book.worksheets[0].iter_rows(values_only=True):
                    yield [_text(v) for v in values]
            except _BROKEN_XLSX as exc:
                raise self._broken(exc) from exc
            finally:
                self._read = handle.tell()
                book.close()

    def _broken(self, exc: Exception) -> ValidationError:
        why = ("it is not a zip archive, as every XLSX workbook is (a CSV file named .xlsx?)"
               if isinstance(exc, zipfile.BadZipFile)
               else f"it is damaged ({type(exc).__name__}: {exc})")
        return ValidationError(f"Contact file {self.path.name} cannot be read as an XLSX "
                               f"workbook: {why}", record=str(self.path), field="format",
                               reason="not XLSX")


@contextmanager
def open_writer(path: Path, fmt: Format, *, encoding: str = "utf-8",
                delimiter: str = ",") -> Iterator[RowSink]:
    """A function that appends one row to the file; the file is complete when the block ends.
    Text that a spreadsheet program would take for a formula is written as text."""
    if fmt == "csv":
        with path.open("w", newline="", encoding=encoding) as handle:
            writerow = csv.writer(handle, delimiter=delimiter).writerow

            def write_csv(row: Sequence[object]) -> None:
                writerow([csv_text(v) if isinstance(v, str) and v[:1] in FIRST else v
                          for v in row])

            yield write_csv
        return
    with _xlsx_writer(path) as write_xlsx:
        yield write_xlsx


@contextmanager
def _xlsx_writer(path: Path) -> Iterator[RowSink]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Contacts")
    header: list[str] = []

    def cell(value: object) -> object:
        if not isinstance(value, str):
            return value
        text, as_string = xlsx_text(value)
        if not as_string:
            return text
        forced = WriteOnlyCell(sheet, value=text)
        forced.data_type = "s"  # never a formula, whatever the text starts with
        return forced

    def write_xlsx(row: Sequence[object]) -> None:
        if not header:
            header.extend(str(v) for v in row)
        try:
            sheet.append([cell(v) for v in row])
        except IllegalCharacterError as exc:
            raise _illegal(path, row, header) from exc

    yield write_xlsx
    book.save(path)


def _illegal(path: Path, row: Sequence[object], header: Sequence[str]) -> ValidationError:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    column = next((name for name, v in zip(header, row, strict=False)
                   if isinstance(v, str) and ILLEGAL_CHARACTERS_RE.search(v)), "?")
    return ValidationError(
        f"File {path.name}: the row of {row[0]} has a control character in {column}, which "
        "an XLSX file cannot hold: export to CSV instead", record=str(path), field=column,
        reason="control character")
