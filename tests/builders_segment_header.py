"""Builders for the segment header/line tests: segments made through the services, and snapshots.

``snapshot`` reads every table of the database, so an error-path test can assert that a refused
operation left the database exactly as it was.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.services.segments import (
    LineView,
    SegmentInput,
    add_line,
    create_segment,
    resolved_lines,
)
from tests.conftest import TxFactory

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(factory: sessionmaker[Session]) -> Snapshot:
    """Every row of every table, sorted, for "database unchanged" assertions."""
    result: Snapshot = {}
    with factory() as session:
        for tbl in m.Base.metadata.sorted_tables:
            rows = session.execute(select(tbl)).all()
            result[tbl.name] = sorted((tuple(r) for r in rows), key=repr)
    return result


def make_segment(
    tx: TxFactory,
    *,
    template: str | None = None,
    description: str = "",
    contacts: tuple[str, ...] = (),
    **kw: Any,
) -> str:
    """A segment from Segment Nos., with an optional template and manual lines."""
    with tx() as ctx:
        header = create_segment(
            ctx,
            SegmentInput(description=description, interaction_template_code=template, **kw),
        )
        no = header.no
    for contact in contacts:
        with tx() as ctx:
            add_line(ctx, no, contact)
    return no


def lines(factory: sessionmaker[Session], segment_no: str) -> list[LineView]:
    """The segment's lines by line number, each with every field as it shows (resolved)."""
    with factory() as session:
        return list(session.execute(
            resolved_lines().where(m.SegmentLine.segment_no == segment_no)
            .order_by(m.SegmentLine.line_no)
        ).all())


def line_of(factory: sessionmaker[Session], segment_no: str, contact_no: str) -> LineView:
    """The (first) line of a contact in a segment."""
    found = [x for x in lines(factory, segment_no) if x.contact_no == contact_no]
    assert found, f"no line for {contact_no} in {segment_no}"
    return found[0]


def header_of(factory: sessionmaker[Session], segment_no: str) -> m.SegmentHeader:
    """The segment header (detached)."""
    with factory() as session:
        header = session.get(m.SegmentHeader, segment_no)
        assert header is not None
        session.expunge(header)
        return header


def header_languages(factory: sessionmaker[Session], segment_no: str, line_no: int = 0) -> dict[
    str, m.SegmentInteractionLanguage
]:
    """Language rows of the header (line 0) or of one line, by language code."""
    with factory() as session:
        rows = session.scalars(
            select(m.SegmentInteractionLanguage).where(
                m.SegmentInteractionLanguage.segment_no == segment_no,
                m.SegmentInteractionLanguage.segment_line_no == line_no,
            )
        ).all()
        session.expunge_all()
        return {r.language_code: r for r in rows}
