"""Export Contacts (SPEC §3.21): the segment's lines with their contact data, to CSV or XLSX.

Rows are streamed from the database straight into the file (CSV writer or openpyxl's write-only
workbook), so memory stays flat however large the segment is. The shared writer writes text that
a spreadsheet program would take for a formula (``=…``, ``+47 …``) as text: in CSV with a ``'``
in front, in XLSX as a string cell (see rapport.services.contacts.files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Select, select

from rapport.services.contacts.files import file_format, open_writer
from rapport.services.context import Ctx
from rapport.services.segments import require_segment
from rapport.services.tables import CONTACT, LINE

#: Column headings of the export, in order.
COLUMNS = (
    "Line No.", "Contact No.", "Type", "Name", "Company No.", "Company Name", "E-Mail",
    "Phone No.", "Mobile Phone No.", "Address", "Address 2", "Post Code", "City", "County",
    "Country/Region Code", "Salesperson Code", "Correspondence Type", "Language Code",
)
_BATCH = 1000


def _rows(segment_no: str) -> Select[Any]:
    c = CONTACT.alias("c")
    return (
        select(
            LINE.c.line_no, LINE.c.contact_no, c.c.type, c.c.name, c.c.company_no,
            c.c.company_name, c.c.email, c.c.phone_no, c.c.mobile_phone_no, c.c.address,
            c.c.address_2, c.c.post_code, c.c.city, c.c.county, c.c.country_region_code,
            LINE.c.salesperson_code, LINE.c.correspondence_type, LINE.c.language_code,
        )
        .select_from(LINE)
        .outerjoin(c, c.c.no == LINE.c.contact_no)
        .where(LINE.c.segment_no == segment_no)
        .order_by(LINE.c.line_no)
    )


def export_segment(ctx: Ctx, segment_no: str, path: Path, *, fmt: str | None = None) -> int:
    """Write the segment's lines with contact data to ``path``; returns the number of rows."""
    header = require_segment(ctx, segment_no, lock=False)
    chosen = file_format(path, fmt)
    written = 0
    result = ctx.session.execute(
        _rows(header.no).execution_options(stream_results=True, yield_per=_BATCH)
    )
    with open_writer(path, chosen) as write:
        write(COLUMNS)
        for row in result:
            write(["" if v is None else v for v in row])
            written += 1
    return written

