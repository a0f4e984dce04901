"""Cell safety: neutralising spreadsheet formulas on export, undoing exactly that on import, and
the cells an import refuses outright (control characters, oversized cells).

A spreadsheet program evaluates a cell that starts with ``=``, ``+``, ``-`` or ``@`` (some also
one that starts with a tab or a carriage return) as a formula, so a contact named
``=HYPERLINK(…)`` would become a live link in whoever opens an export (CSV injection, OWASP).
Exports therefore write such text as text: in CSV with one ``'`` in front, as OWASP advises; in
XLSX as a string cell, never a formula. The import removes exactly that one ``'``, so an export
re-imports to the same values. To keep that exact, a value that itself starts with ``'`` and
then such a character gets one more ``'`` (in both formats), and only a ``'`` followed by
further ``'`` and then such a character is ever removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapport.errors import RowProblem

TRIGGERS = frozenset("=+-@\t\r")
FIRST = TRIGGERS | {"'"}  #: the first characters of a cell worth a closer look
# Control characters (C0, DEL, C1): no contact field holds them; PostgreSQL refuses NUL.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
#: Longer cells are refused before they are staged (no contact field is near this long).
LONG_CELL = 2_000
_SHOWN = 60


def _guarded(value: str) -> bool:
    """Whether an export writes ``value`` with one more ``'`` in front (CSV)."""
    return value.lstrip("'")[:1] in TRIGGERS


def csv_text(value: str) -> str:
    """A text value as a CSV export writes it: formula-like text gets a leading ``'``."""
    return "'" + value if value[:1] in FIRST and _guarded(value) else value


def xlsx_text(value: str) -> tuple[str, bool]:
    """A text value as an XLSX export writes it, and whether the cell must be forced to a
    string cell (openpyxl makes a formula of any text that starts with ``=``)."""
    if value[:1] not in FIRST or not _guarded(value):
        return value, False
    return ("'" + value if value[0] == "'" else value), True


def unguard(value: str) -> str:
    """The value an exported cell stood for: the inverse of ``csv_text`` (and ``xlsx_text``)."""
    return value[1:] if value[:1] == "'" and _guarded(value) else value


def _shown(value: str) -> str:
    """A cell as a problem report shows it: control characters visible, long ones cut."""
    visible = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    if len(visible) <= _SHOWN:
        return visible
    return f"{visible[:_SHOWN]}… ({len(value):,} characters)"


#: What ``screen`` has to do for a row (``how_to_screen``).
PLAIN, QUOTED, SCREEN = "plain", "quoted", "screen"


def how_to_screen(joined: str) -> str:
    """What a row, its cells joined, needs before its cells are checked: nothing (``PLAIN``,
    nearly every row), only an export's ``'`` removed (``QUOTED``: an exported phone number
    ``'+46 …``, so every row of an export of contacts with phone numbers), or the whole of
    ``screen`` (``SCREEN``: a control character — other unprintable ones merely take this
    longer way — or a cell that could be too long)."""
    if len(joined) > LONG_CELL or not joined.isprintable():
        return SCREEN
    return QUOTED if "'" in joined else PLAIN


def unquote(cells: list[str], known: Sequence[tuple[int, str, int]]) -> None:
    """``screen`` for a ``QUOTED`` row: remove an export's ``'`` from the cells of the known
    columns that hold one (in place; the other cells are stripped later, as in ``screen``)."""
    for position, _, _ in known:
        value = cells[position]
        if "'" in value:
            cells[position] = unguard(value.strip())


def screen(row: int, cells: list[str], known: Sequence[tuple[int, str, int]],
           problems: list[RowProblem]) -> list[RowProblem]:
    """Prepare the cells of the file's known columns in place: strip them, remove an export's
    ``'``, and blank the ones refused outright (a control character, longer than
    ``LONG_CELL``), which are reported; ``known`` lists (position, column, length limit).
    Returns the problems found here (they are also appended to ``problems``)."""
    found = []
    for position, column, limit in known:
        value = unguard(cells[position].strip())
        if len(value) > LONG_CELL:
            found.append(RowProblem(row, column, f"longer than {limit} characters",
                                    _shown(value)))
            value = ""
        elif (control := _CONTROL.search(value)) is not None:
            found.append(RowProblem(row, column, "contains the control character "
                                    f"U+{ord(control.group()):04X}", _shown(value)))
            value = ""
        cells[position] = value
    problems += found
    return found
