"""Reading a CSV contact file once, in a chosen encoding, with its delimiter sniffed.

The file is read in chunks and decoded by an incremental decoder, so a byte the encoding cannot
decode is reported with the row it is in and its byte offset in the file, and the rows already
read are exactly the ones before it. How many bytes were read drives the import's progress.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from rapport.errors import ValidationError

CHUNK = 1 << 16
DELIMITERS = (",", ";", "\t")
#: The longest cell the CSV reader holds (16 MB): a longer one refuses the file, naming its row;
#: shorter cells too long for their column are refused per row and column like any bad value.
FIELD_LIMIT = 1 << 24
_ZIP_MAGIC = b"PK\x03\x04"
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}


class _Undecodable(Exception):
    """Raised inside the line reader; becomes a ValidationError naming the row."""

    def __init__(self, offset: int, byte: int | None, why: str = "") -> None:
        super().__init__(offset, byte, why)
        self.offset, self.byte, self.why = offset, byte, why


def text_codec(encoding: str, path: Path) -> str:
    """The codec's canonical name, refusing unknown encodings and non-text codecs."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise ValidationError(f"Contact file {path.name}: {encoding!r} is not a known text "
                              "encoding (e.g. utf-8, cp1252, latin-1)", record=str(path),
                              field="encoding", reason="unknown encoding")
    return info.name


def delimiter_char(delimiter: str | None, path: Path) -> str | None:
    """The delimiter asked for (``tab`` may be spelled out), or None to sniff it."""
    if delimiter is None:
        return None
    chosen = _DELIMITER_NAMES.get(delimiter.lower(), delimiter)
    if len(chosen) != 1 or chosen in "\"\r\n":
        raise ValidationError(f"Contact file {path.name}: delimiter {delimiter!r} is not one "
                              "character (e.g. ',', ';' or tab)", record=str(path),
                              field="delimiter", reason="not one character")
    return chosen


def sniff(header_line: str) -> str:
    """The delimiter of a file, from its header line: the most frequent of , ; and tab
    (header names never contain them), a comma when there is none."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


class CsvRows:
    """The rows of one CSV file, each a list of cell texts, header first, read once."""

    def __init__(self, path: Path, *, encoding: str = "utf-8",
                 delimiter: str | None = None) -> None:
        self.path = path
        codec = text_codec(encoding, path)
        self.codec = "utf-8" if codec == "utf-8-sig" else codec  # the BOM is handled here
        self.delimiter = delimiter_char(delimiter, path)
        self.bytes_read = 0
        # csv's limit is process-wide; raising it only lets longer cells through, to be
        # refused per row and column (see _safety.LONG_CELL) instead of ending the import.
        csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))

    def __iter__(self) -> Iterator[list[str]]:
        with self.path.open("rb") as handle:
            lines = self._lines(handle)
            try:
                first = next(lines, None)
            except _Undecodable as exc:
                raise self._undecodable(exc, 0) from None
            if first is None:
                return
            self.delimiter = self.delimiter or sniff(first)
            yield from self._records(first, lines)

    def _records(self, first: str, lines: Iterator[str]) -> Iterator[list[str]]:
        record = 0  # records read so far: 0 = the header
        reader = csv.reader(_chain(first, lines), delimiter=self.delimiter or ",")
        try:
            for cells in reader:
                yield cells
                record += 1
        except _Undecodable as exc:
            raise self._undecodable(exc, record) from None
        except csv.Error as exc:
            raise ValidationError(f"Contact file {self.path.name}: {_row(record)} cannot be read "
                                  f"as CSV: {exc}", record=str(self.path), field="file",
                                  reason="not CSV") from exc

    def _lines(self, handle: BinaryIO) -> Iterator[str]:
        """The file's lines, decoded, each with its line end (as ``open(newline="")`` reads)."""
        head = handle.read(len(_ZIP_MAGIC))
        if head == _ZIP_MAGIC:
            raise ValidationError(f"Contact file {self.path.name} is a zip archive (an XLSX "
                                  "workbook?), not CSV text: name it .xlsx or save it as CSV",
                                  record=str(self.path), field="format", reason="not CSV")
        codec = self.codec
        if codec == "utf-8" and head.startswith(codecs.BOM_UTF8):  # accepted, never required
            head = head[len(codecs.BOM_UTF8):]
            self.bytes_read = len(codecs.BOM_UTF8)
        decoder = codecs.getincrementaldecoder(codec)("strict")
        carry: list[str] = []  # the unfinished last line, in pieces
        chunk = head
        while True:
            chunk += handle.read(CHUNK)
            pending = len(decoder.getstate()[0])  # bytes kept back from the previous chunk
            try:
                text = decoder.decode(chunk, not chunk)
            except UnicodeDecodeError as exc:
                # Hand on the lines before the bad byte, so the rows read are those before it.
                before = _split("".join(carry) + bytes(exc.object[:exc.start]).decode(codec,
                                                                                      "replace"))
                if before and not before[-1].endswith(("\n", "\r")):
                    before.pop()  # the start of the line with the bad byte
                yield from before
                raise _Undecodable(self.bytes_read - pending + exc.start,
                                   exc.object[exc.start]) from exc
            except UnicodeError as exc:  # e.g. "UTF-16 stream does not start with BOM"
                raise _Undecodable(self.bytes_read, None, str(exc)) from exc
            self.bytes_read += len(chunk)
            yield from _cut(carry, text, more=bool(chunk))
            if not chunk:
                return
            chunk = b""

    def _undecodable(self, exc: _Undecodable, record: int) -> ValidationError:
        name = "UTF-8" if self.codec == "utf-8" else self.codec
        hint = ("; a file saved by Excel on Windows is usually Windows-1252: import it with "
                "--encoding cp1252" if self.codec == "utf-8"
                else "; import it with the --encoding it was saved in")
        where = (f"{_row(record)} has the byte 0x{exc.byte:02X} at byte offset {exc.offset}, "
                 f"which {name} cannot decode" if exc.byte is not None
                 else f"{_row(record)}: {exc.why}")
        return ValidationError(
            f"Contact file {self.path.name} is not {name} text: {where}{hint}",
            record=str(self.path), field="encoding", reason=f"not {name}")


def _row(record: int) -> str:
    return "the header row" if record == 0 else f"row {record}"


def _cut(carry: list[str], text: str, *, more: bool) -> list[str]:
    """The lines that ``text`` completes after the unfinished line ``carry`` (kept in pieces).

    While ``more`` text may follow, the last line stays in ``carry``: it may go on in the next
    chunk (also a "\\r" before its "\\n"). Text without a line end only lengthens that line and is
    not split again, so a line of many chunks is read in time linear in its length.
    """
    if more and "\n" not in text and "\r" not in text and not (carry and carry[-1].endswith("\r")):
        carry.append(text)
        return []
    lines = _split("".join(carry) + text)
    carry.clear()
    if more and lines and not lines[-1].endswith("\n"):
        carry.append(lines.pop())
    return lines


def _split(text: str) -> list[str]:
    """Lines with their ends, split where ``open(newline="")`` splits: \\n, \\r\\n and \\r."""
    return io.StringIO(text, newline="").readlines()


def _chain(first: str, lines: Iterator[str]) -> Iterator[str]:
    yield first
    yield from lines
