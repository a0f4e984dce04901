"""The contact file format: its columns, and how one row's cells become staged values.

One file holds companies and persons. Header names are the snake_case field names below; a
person names its company by number. Classification columns hold ``;``-separated codes. Cells are
checked here one by one (types, lengths, e-mail syntax, which classification a type may have);
everything that needs the database (codes, companies, duplicates) is checked in SQL afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from rapport.db.models import Contact
from rapport.domain.enums import ContactType, CorrespondenceType
from rapport.errors import RowProblem
from rapport.services.contacts.files._safety import (
    LONG_CELL,
    PLAIN,
    QUOTED,
    SCREEN,
    screen,
    unquote,
)

KEY_COLUMNS = ("no", "type", "name", "company_no")
# Field columns in file (and staging) order.
FIELD_COLUMNS: tuple[str, ...] = KEY_COLUMNS + (
    "name_2", "first_name", "surname", "job_title", "address", "address_2", "post_code", "city",
    "county", "country_region_code", "territory_code", "salesperson_code", "language_code",
    "salutation_code", "correspondence_type", "email", "phone_no", "mobile_phone_no", "fax_no",
    "home_page", "vat_registration_no", "exclude_from_segment", "privacy_blocked",
)
CODE_REFERENCES = {  # column → code table it must exist in
    "country_region_code": "country_region",
    "territory_code": "territory",
    "salesperson_code": "salesperson",
    "language_code": "language",
    "salutation_code": "salutation",
}
BOOL_COLUMNS = ("exclude_from_segment", "privacy_blocked")
CLASS_COLUMNS = {  # column → (assignment table, its code column, code table, allowed type)
    "mailing_groups": ("contact_mailing_group", "mailing_group_code", "mailing_group", None),
    "industry_groups": ("contact_industry_group", "industry_group_code", "industry_group",
                        ContactType.COMPANY.value),
    "business_relations": ("contact_business_relation", "business_relation_code",
                           "business_relation", ContactType.COMPANY.value),
    "job_responsibilities": ("contact_job_responsibility", "job_responsibility_code",
                             "job_responsibility", ContactType.PERSON.value),
}
ALL_COLUMNS: tuple[str, ...] = FIELD_COLUMNS + tuple(CLASS_COLUMNS)
# The column a rejected-rows file adds: accepted and ignored, so a corrected file re-imports.
ERROR_COLUMN = "error"
CODE_MAX = 20
_EMAIL_SYNTAX = re.compile(
    r"^[\w.!#$%&'*+/=?^`{|}~-]+@[\w](?:[\w-]*[\w])?(?:\.[\w](?:[\w-]*[\w])?)+$"
)
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0", ""}
_TYPES = {t.value.lower(): t.value for t in ContactType}
_CORRESPONDENCE = {t.value.lower(): t.value for t in CorrespondenceType}


def max_length(column: str) -> int:
    """The longest value a text column of the contact table accepts."""
    length = getattr(Contact.__table__.c[column].type, "length", None)
    return int(length or CODE_MAX)


def is_email(value: str) -> bool:
    """Syntax check of an e-mail address (no network lookup; reserved test domains allowed)."""
    local = value.split("@", 1)[0]
    return bool(_EMAIL_SYNTAX.match(value)) and ".." not in local and not local.startswith(".") \
        and not local.endswith(".")


@dataclass
class Header:
    """The columns of a file, in file order, with the positions of the known ones."""

    names: list[str]
    position: dict[str, int] = field(default_factory=dict)

    def has(self, column: str) -> bool:
        return column in self.position


def parse_header(cells: Sequence[str]) -> tuple[Header, list[RowProblem]]:
    """Check the header row: known, unique column names, the key columns present."""
    names = [c.strip().lower() for c in cells]
    while names and not names[-1]:
        names.pop()
    header, problems = Header(names), []
    for index, name in enumerate(names):
        if name == ERROR_COLUMN:
            continue
        if name not in ALL_COLUMNS:
            problems.append(RowProblem(0, name or f"#{index + 1}", "unknown column"))
        elif name in header.position:
            problems.append(RowProblem(0, name, "column appears twice"))
        else:
            header.position[name] = index
    for name in KEY_COLUMNS:
        if name not in header.position:
            problems.append(RowProblem(0, name, "required column missing"))
    return header, problems


def _kind(column: str) -> str:
    if column in BOOL_COLUMNS:
        return "bool"
    if column in ("type", "correspondence_type"):
        return column
    if column in ("no", "company_no") or column in CODE_REFERENCES:
        return "code"
    return "text"  # e-mail included: its syntax is checked on its own


_KINDS = [(i, c, _kind(c), max_length(c)) for i, c in enumerate(FIELD_COLUMNS)]
TEXT_LIMITS = {c: limit for _, c, kind, limit in _KINDS if kind == "text"}
_CODES = [(i, c) for i, c, kind, _ in _KINDS if kind == "code"]
_BOOLS = [(i, c) for i, c, kind, _ in _KINDS if kind == "bool"]
_BOOL_VALUES = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
_CELL_LIMITS = {**TEXT_LIMITS, **{c: CODE_MAX for _, c in _CODES}}
_NAME, _TYPE, _NO, _COMPANY, _EMAIL, _CORR, _FIRST, _SURNAME = (
    FIELD_COLUMNS.index(c) for c in ("name", "type", "no", "company_no", "email",
                                     "correspondence_type", "first_name", "surname"))
_SEARCH_MAX = max_length("search_name")
_PERSON, _COMPANY_TYPE = ContactType.PERSON.value, ContactType.COMPANY.value


class RowParser:
    """Turns the cells of one data row into staged values, checking each cell on its own."""

    def __init__(self, header: Header) -> None:
        self.header = header
        self._width = len(header.names)
        # A column the file lacks reads the blank cell appended after the row's last one.
        self._cells = itemgetter(*(header.position.get(c, self._width) for c in FIELD_COLUMNS))
        self._classes = [(c, header.position[c], CLASS_COLUMNS[c][3]) for c in CLASS_COLUMNS
                         if header.has(c)]
        self._known = [(position, column, _CELL_LIMITS.get(column, LONG_CELL))
                       for column, position in header.position.items()]
        #: Cells refused before any other check (see ``without_follow_ups``).
        self.screened: set[RowProblem] = set()

    def without_follow_ups(self, problems: list[RowProblem]) -> list[RowProblem]:
        """``problems`` without the ones that only follow from a cell refused and blanked
        before the other checks (e.g. "must have a value" after a control character)."""
        if not self.screened:
            return problems
        refused = {(p.row, p.column) for p in self.screened}
        return [p for p in problems if p in self.screened or (p.row, p.column) not in refused]

    def parse(self, row: int, cells: list[str], classes: list[tuple[int, str, str]],
              problems: list[RowProblem], *, screening: str = SCREEN) -> list[Any]:
        """The staged values of data row ``row`` (1 = first data row): row number, the field
        columns and the search name; its classification codes and problems are appended to
        ``classes`` and ``problems``. ``screening``: what the row needs before its cells are
        checked (``_safety.how_to_screen``; by default the whole screen)."""
        width = self._width
        if len(cells) != width:
            del cells[width:]
            cells.extend([""] * (width - len(cells)))
        cells.append("")
        if screening == QUOTED:
            unquote(cells, self._known)
        elif screening != PLAIN and (screened := screen(row, cells, self._known, problems)):
            self.screened.update(screened)
        values: list[Any] = list(map(str.strip, self._cells(cells)))
        self._check_cells(row, values, problems)
        ctype = values[_TYPE]
        if not values[_NAME] and ctype == _PERSON:
            values[_NAME] = f"{values[_FIRST]} {values[_SURNAME]}".strip()
        if not values[_NAME]:
            problems.append(RowProblem(row, "name", "must have a value"))
        if ctype == _COMPANY_TYPE and values[_COMPANY] not in (None, values[_NO]):
            problems.append(RowProblem(row, "company_no", "a company belongs to itself: "
                                       "leave blank or repeat its own number",
                                       str(values[_COMPANY])))
        if self._classes:
            self._parse_classes(row, cells, ctype, classes, problems)
        # Search Name = upper-cased name, by Python's rules (SQLite's upper() is ASCII only).
        values.append(values[_NAME].upper()[:_SEARCH_MAX])
        values.insert(0, row)
        return values

    @staticmethod
    def _check_cells(row: int, values: list[Any], problems: list[RowProblem]) -> None:
        # Text lengths are checked in SQL, over the whole file at once (see validation).
        for i, column in _CODES:
            if len(values[i]) > CODE_MAX:
                problems.append(RowProblem(row, column, f"longer than {CODE_MAX} characters",
                                           values[i]))
                values[i] = ""
            values[i] = values[i].upper() or None
        for i, column in _BOOLS:
            flag = _BOOL_VALUES.get(values[i].lower())
            if flag is None:
                problems.append(RowProblem(row, column, "not a boolean (true/false/yes/no/1/0)",
                                           values[i]))
            values[i] = bool(flag)
        if values[_EMAIL] and not is_email(values[_EMAIL]):
            problems.append(RowProblem(row, "email", "not a valid e-mail address",
                                       values[_EMAIL]))
        for i, column, options, expected in _OPTIONS:
            option = options.get(values[i].lower())
            if option is None:
                problems.append(RowProblem(row, column, expected, values[i]))
            values[i] = option or ""

    def _parse_classes(self, row: int, cells: list[str], ctype: object,
                       found: list[tuple[int, str, str]], problems: list[RowProblem]) -> None:
        for column, pos, allowed in self._classes:
            raw = cells[pos].strip()
            if not raw:
                continue
            codes = ({c.strip().upper() for c in raw.split(";")} - {""} if ";" in raw
                     else {raw.upper()})
            if codes and allowed is not None and ctype in _TYPES.values() and ctype != allowed:
                problems.append(RowProblem(row, column, f"only a {allowed.lower()} can have "
                                           f"{column.replace('_', ' ')}", raw))
                continue
            for code in sorted(codes):
                if len(code) > CODE_MAX:
                    problems.append(RowProblem(row, column, f"code longer than {CODE_MAX} "
                                               "characters", code))
                else:
                    found.append((row, column, code))


_OPTIONS = ((_TYPE, "type", _TYPES, "must be Company or Person"),
            (_CORR, "correspondence_type", _CORRESPONDENCE, "must be blank, Hard Copy or Email"))
