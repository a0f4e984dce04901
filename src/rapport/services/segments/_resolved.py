"""A segment line as it is shown, exported and logged (SPEC §2.10, §3.2, §3.11).

A line is stored narrowly (issue 11): ``segment_line`` holds what the line *is* — its contact
and what §3.2 took from the contact (company, alternate address, exclusion flag, salesperson,
correspondence type, language) — and ``segment_line_data`` holds the line's own interaction data
only where a user or a rule set it (a *personalised* line). Every other line shows what its
header gives, resolved here in SQL: description, campaign, template, group, cost, duration,
date, flags, flow and initiator from the header; attachment, subject and Word template from the
header-level language row of the line's language (§3.2: the header's Word template when the row
has none); the rest blank.

The invariant that makes this exact: a line without data always shows what the header gives. So
every header change that would make a line show something else than the old rules (which wrote
the values onto every line) first *personalises* the lines concerned (``personalise``: their
resolved values are written to ``segment_line_data``), and the undo journal, whose lines must
come back exactly as they were, is personalised before any header change (``freeze_journal``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    FromClause,
    Row,
    Select,
    Subquery,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    select,
)

from rapport.db import models as m
from rapport.services.context import Ctx, run
from rapport.services.tables import (
    HEADER,
    HISTORY,
    HISTORY_DATA,
    LANG,
    LINE,
    LINE_DATA,
    LINE_FIELDS,
    MEMBERSHIP,
)

#: A resolved line: every column of the old wide line, by name (a SQLAlchemy Row).
LineView = Row[Any]


#: Line field → the header field a line without data shows (§3.2 step 1).
FROM_HEADER = {
    "description": "description", "campaign_no": "campaign_no",
    "interaction_template_code": "interaction_template_code",
    "interaction_group_code": "interaction_group_code", "cost": "unit_cost",
    "duration": "unit_duration", "date": "date", "campaign_target": "campaign_target",
    "campaign_response": "campaign_response", "information_flow": "information_flow",
    "initiated_by": "initiated_by", "send_word_doc_as_attmt": "send_word_docs_as_attmt",
}
#: Line fields a line without data shows blank (they are set on a line by hand or by logging).
BLANK = {
    "time_of_interaction": None, "evaluation": "", "attempt_failed": False, "todo_no": "",
    "opportunity_no": "", "document_type": "", "document_no": "", "version_no": 0,
    "doc_no_occurrence": 0, "contact_via": "", "campaign_entry_no": None, "merged": False,
}


def _value(name: str, value: Any) -> ColumnElement[Any]:
    return literal(value, LINE_DATA.c[name].type)


def _header_defaults(header: FromClause, row: FromClause) -> dict[str, ColumnElement[Any]]:
    """What a line without its own data shows, field by field (§3.2 step 1, §3.11): the
    header's fields, and the attachment, subject and Word template of the header's language
    row ``row`` (the header's Word template when the row has none)."""
    return {
        **{name: header.c[source] for name, source in FROM_HEADER.items()},
        **{name: _value(name, value) for name, value in BLANK.items()},
        "word_template_code": func.coalesce(row.c.word_template_code,
                                            header.c.word_template_code),
        "subject": func.coalesce(row.c.subject, _value("subject", "")),
        "attachment_no": row.c.attachment_no,
    }


def resolved_fields(data: FromClause, header: FromClause,
                    row: FromClause) -> dict[str, ColumnElement[Any]]:
    """Each personalisable field: the line's own value when it has data, else the header's."""
    own = data.c.line_no.is_not(None)
    defaults = _header_defaults(header, row)
    return {name: case((own, data.c[name]), else_=defaults[name]).label(name)
            for name in LINE_FIELDS}


def _joined(narrow: FromClause, data: FromClause, keys: list[str]) -> tuple[Any, FromClause,
                                                                            FromClause]:
    header, row = HEADER.alias("line_header"), LANG.alias("line_language")
    joined = (
        narrow.outerjoin(data, and_(*[data.c[k] == narrow.c[k] for k in keys]))
        .join(header, header.c.no == narrow.c.segment_no)
        .outerjoin(row, and_(row.c.segment_no == narrow.c.segment_no,
                             row.c.segment_line_no == 0,
                             row.c.language_code == narrow.c.language_code))
    )
    return joined, header, row


def resolved_lines(narrow: FromClause = LINE, data: FromClause = LINE_DATA) -> Select[Any]:
    """SELECT of every line with all its fields resolved (filter it by ``narrow.c.segment_no``).

    ``narrow`` may be an alias of segment_line (then pass the matching ``data`` alias)."""
    joined, header, row = _joined(narrow, data, ["segment_no", "line_no"])
    return select(
        narrow.c.segment_no, narrow.c.line_no, *[narrow.c[n] for n in MEMBERSHIP],
        *resolved_fields(data, header, row).values(),
        data.c.line_no.is_not(None).label("personalised"),
    ).select_from(joined)


def resolved_history() -> Select[Any]:
    """SELECT of every journaled line with all its fields resolved (what Go Back restores)."""
    keys = ["segment_no", "segment_action_no", "line_no"]
    joined, header, row = _joined(HISTORY, HISTORY_DATA, keys)
    return select(
        *[HISTORY.c[k] for k in keys], *[HISTORY.c[n] for n in MEMBERSHIP],
        *resolved_fields(HISTORY_DATA, header, row).values(),
    ).select_from(joined)


def line_view(ctx: Ctx, segment_no: str, line_no: int) -> LineView:
    """One line, resolved."""
    ctx.session.flush()
    stmt = resolved_lines().where(LINE.c.segment_no == segment_no, LINE.c.line_no == line_no)
    return ctx.session.execute(stmt).one()


def has_data(segment_no: str) -> ColumnElement[bool]:
    """SQL: some line of the segment is personalised."""
    return exists().where(LINE_DATA.c.segment_no == segment_no)


def personalised() -> ColumnElement[bool]:
    """Over segment_line: the line has its own data."""
    return exists().where(LINE_DATA.c.segment_no == LINE.c.segment_no,
                          LINE_DATA.c.line_no == LINE.c.line_no)


def personalise(ctx: Ctx, segment_no: str, condition: ColumnElement[bool] | None = None, *,
                values: dict[str, ColumnElement[Any]] | None = None,
                joined_with: tuple[FromClause, ColumnElement[bool]] | None = None) -> int:
    """Give the segment's lines matching ``condition`` (over segment_line) that have no data
    of their own a data row with what they show now — or with ``values`` for some fields,
    taken from ``joined_with`` (a FROM joined on a condition); returns how many."""
    joined, header, row = _joined(LINE, LINE_DATA, ["segment_no", "line_no"])
    if joined_with is not None:
        joined = joined.join(*joined_with)
    fields = {**resolved_fields(LINE_DATA, header, row), **(values or {})}
    where = [LINE.c.segment_no == segment_no, LINE_DATA.c.line_no.is_(None)]
    if condition is not None:
        where.append(condition)
    source = select(LINE.c.segment_no, LINE.c.line_no, *fields.values()).select_from(
        joined).where(*where)
    return run(ctx, insert(LINE_DATA).from_select(["segment_no", "line_no", *fields], source))


def freeze_journal(ctx: Ctx, segment_no: str) -> int:
    """Personalise the segment's journaled lines, so a header change does not reach them: a
    line Go Back restores comes back exactly as it was deleted (K1)."""
    keys = ["segment_no", "segment_action_no", "line_no"]
    joined, header, row = _joined(HISTORY, HISTORY_DATA, keys)
    fields = resolved_fields(HISTORY_DATA, header, row)
    source = select(*[HISTORY.c[k] for k in keys], *fields.values()).select_from(joined).where(
        HISTORY.c.segment_no == segment_no, HISTORY_DATA.c.line_no.is_(None))
    return run(ctx, insert(HISTORY_DATA).from_select([*keys, *fields], source))


def resolved_segment(ctx: Ctx, segment_no: str, name: str = "line") -> Subquery:
    """One segment's lines, resolved, as a subquery ``name`` with the columns of
    ``resolved_lines``, specialised for the segment as it is now: what its header gives is
    written into the statement as values (attachment, subject and Word template by the line's
    language, from the header's few language rows), and the data of personalised lines is
    joined only when the segment has any — so reading 300,000 lines costs a scan of
    segment_line and no join per line."""
    header = ctx.session.get(m.SegmentHeader, segment_no)
    if header is None:  # a segment that does not exist has no lines
        return resolved_lines().where(LINE.c.segment_no == segment_no).subquery(name)
    rows = ctx.session.execute(
        select(LANG.c.language_code, LANG.c.attachment_no, LANG.c.subject,
               LANG.c.word_template_code)
        .where(LANG.c.segment_no == segment_no, LANG.c.segment_line_no == 0)
    ).all()
    defaults = _bound_defaults(header, rows)
    if ctx.session.execute(select(has_data(segment_no))).scalar():
        own = LINE_DATA.c.line_no.is_not(None)
        fields: dict[str, ColumnElement[Any]] = {
            n: case((own, LINE_DATA.c[n]), else_=defaults[n]) for n in LINE_FIELDS}
        source: FromClause = LINE.outerjoin(LINE_DATA, and_(
            LINE_DATA.c.segment_no == LINE.c.segment_no, LINE_DATA.c.line_no == LINE.c.line_no))
        flag: ColumnElement[bool] = own
    else:
        fields, source, flag = defaults, LINE, literal(False, Boolean)
    return (
        select(LINE.c.segment_no, LINE.c.line_no, *[LINE.c[n] for n in MEMBERSHIP],
               *[fields[n].label(n) for n in LINE_FIELDS], flag.label("personalised"))
        .select_from(source)
        .where(LINE.c.segment_no == segment_no)
        .subquery(name)
    )


def _bound_defaults(header: m.SegmentHeader, rows: Sequence[Row[Any]]
                    ) -> dict[str, ColumnElement[Any]]:
    """``_header_defaults`` with the header's values bound into the statement; the language
    row's by a CASE over the header's few rows."""
    def by_language(name: str, of_row: Any, otherwise: Any) -> ColumnElement[Any]:
        if not rows:
            return _value(name, otherwise)
        return case({r.language_code: _value(name, of_row(r)) for r in rows},
                    value=LINE.c.language_code, else_=_value(name, otherwise))

    return {
        **{name: _value(name, getattr(header, source)) for name, source in FROM_HEADER.items()},
        **{name: _value(name, value) for name, value in BLANK.items()},
        "attachment_no": by_language("attachment_no", lambda r: r.attachment_no, None),
        "subject": by_language("subject", lambda r: r.subject or "", ""),
        "word_template_code": by_language(
            "word_template_code", lambda r: r.word_template_code or header.word_template_code,
            header.word_template_code),
    }


def before_header_change(ctx: Ctx, segment_no: str, *, update_lines: bool) -> None:
    """What a line shows from the header must not change behind its back: the journal never
    follows the header (K1), and without ``update_lines`` neither do the lines."""
    freeze_journal(ctx, segment_no)
    if not update_lines:
        personalise(ctx, segment_no)
