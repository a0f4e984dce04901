"""A segment's number of lines, kept on its header (``segment_header.no_of_lines``, 0010).

Every statement that adds or removes a segment's lines is followed, in the same transaction
and under the header's lock that every writer of lines holds, by ``lines_changed`` with the
number of rows it inserted (positive) or deleted (negative): ``insert_lines`` and
``delete_lines`` (every criteria action, lines by hand, reuse of criteria or of a logged
segment), Go Back, and the blank lines added or removed by hand. Deleting or logging a segment
deletes the header with its lines. The number is then exact (a test compares it with a count
after every test of the suite) and a page of lines reads its total with the header.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from rapport.db import models as m


def lines_changed(session: Session, segment_no: str, delta: int) -> None:
    """Add ``delta`` (rows inserted, or minus rows deleted) to the segment's number of lines;
    a header the session holds sees the new number."""
    if delta:
        header = m.SegmentHeader
        session.execute(update(header).where(header.no == segment_no)
                        .values(no_of_lines=header.no_of_lines + delta)
                        .execution_options(synchronize_session="evaluate"))
