"""The bare statements the segment steps are compared with, on the same data in the same run.

Two baselines per step (constants: no user input reaches this SQL):

* **same table** — the bare statement a person would write by hand for the same rows into the
  table the step writes (``segment_line``): the ratio the README showed before issue 11;
* **narrow** — the physical baseline: the narrowest bare statement that moves the same rows,
  ``(segment_no, line_no, contact_no)`` into ``bench_narrow``, a table without key, index or
  constraint. Add: ``INSERT … SELECT`` of the same contact numbers from the contact table by the
  same filters (numbered in key order). Reduce/Refine: ``DELETE`` of the same rows by the same
  filters from a narrow copy of the segment. Go Back of Reduce/Refine: ``INSERT … SELECT`` of
  the same rows, selected by the same filters, from that copy. Go Back of Add: ``DELETE`` of the
  added rows. Preview: ``SELECT count(*)`` with the same filters.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

Factory = sessionmaker[Session]

ADD_WHERE = """c.correspondence_type = 'Email' AND NOT c.privacy_blocked
    AND NOT c.exclude_from_segment AND EXISTS (SELECT 1 FROM contact_mailing_group g
    WHERE g.contact_no = c.no AND g.mailing_group_code = 'NEWS')"""
#: A line's contact (column ``{x}.contact_no``) is in the Refine match set.
REFINE_MATCH = """EXISTS (SELECT 1 FROM contact c JOIN contact_industry_group ig
    ON ig.contact_no = c.company_no WHERE c.no = {x}.contact_no
    AND ig.industry_group_code IN ('RETAIL', 'WHOLESALE'))"""
#: A line's contact is in the Reduce match set.
REDUCE_MATCH = """EXISTS (SELECT 1 FROM contact c JOIN contact_business_relation br
    ON br.contact_no = c.company_no WHERE c.no = {x}.contact_no
    AND br.business_relation_code = 'PROSP')"""
#: Which lines each step removes, over the alias ``{x}``.
REMOVED = {"refine": "NOT " + REFINE_MATCH, "reduce": REDUCE_MATCH}

CREATE = [
    "CREATE TABLE bench_narrow (segment_no VARCHAR(20), line_no BIGINT, contact_no VARCHAR(20))",
    "CREATE TABLE bench_narrow_src (segment_no VARCHAR(20), line_no BIGINT, "
    "contact_no VARCHAR(20))",
]

COUNT_ADD = f"SELECT count(*) FROM contact c WHERE {ADD_WHERE}"  # noqa: S608 (constants)


def count_removed(step: str) -> str:
    """The bare count of the lines ``step`` removes from segment BENCH."""
    where = REMOVED[step].format(x="l")
    return f"SELECT count(*) FROM segment_line l WHERE l.segment_no = 'BENCH' AND {where}"  # noqa: S608


def execute(factory: Factory, sql: str) -> int:
    """Run one statement in its own transaction (committed); the rows it touched."""
    with factory.begin() as session:
        return int(session.execute(text(sql)).rowcount)  # type: ignore[attr-defined]


def scalar(factory: Factory, sql: str) -> int:
    with factory() as session:
        return int(session.execute(text(sql)).scalar_one())


def create(factory: Factory) -> None:
    for sql in CREATE:
        execute(factory, sql)


# -- narrow (physical) --------------------------------------------------------------------

NARROW_ADD = f"""INSERT INTO bench_narrow (segment_no, line_no, contact_no)
    SELECT 'ADD', 10000 * row_number() OVER (ORDER BY c.no), c.no FROM contact c
    WHERE {ADD_WHERE}"""  # noqa: S608 (constants)
NARROW_ADD_BACK = "DELETE FROM bench_narrow WHERE segment_no = 'ADD'"
NARROW_CLEAR = "DELETE FROM bench_narrow"


def narrow_copy_segment(factory: Factory) -> None:
    """Keep a narrow copy of segment BENCH (for the Reduce/Refine baselines)."""
    execute(factory, "DELETE FROM bench_narrow_src")
    execute(factory, "INSERT INTO bench_narrow_src SELECT 'SRC', line_no, contact_no "
                     "FROM segment_line WHERE segment_no = 'BENCH'")


def narrow_fill(factory: Factory) -> None:
    execute(factory, NARROW_CLEAR)
    execute(factory, "INSERT INTO bench_narrow SELECT 'WORK', line_no, contact_no "
                     "FROM bench_narrow_src")


def narrow_remove(step: str) -> str:
    """Delete the lines ``step`` removes from the narrow work copy."""
    where = REMOVED[step].format(x="bench_narrow")
    return f"DELETE FROM bench_narrow WHERE segment_no = 'WORK' AND {where}"  # noqa: S608


def narrow_restore(step: str) -> str:
    """Insert the lines ``step`` removed, selected by its filters from the narrow copy."""
    where = REMOVED[step].format(x="s")
    return (f"INSERT INTO bench_narrow (segment_no, line_no, contact_no) SELECT 'BACK', "  # noqa: S608
            f"s.line_no, s.contact_no FROM bench_narrow_src s WHERE {where}")


# -- same table (segment_line, as the README measured before issue 11) -------------------

SAME_ADD = f"""INSERT INTO segment_line (segment_no, line_no, contact_no)
    SELECT 'BASE', 10000 * row_number() OVER (ORDER BY c.no), c.no FROM contact c
    WHERE {ADD_WHERE}"""  # noqa: S608 (constants)
SAME_ADD_BACK = "DELETE FROM segment_line WHERE segment_no = 'BASE'"


def same_fill(factory: Factory, columns: list[str]) -> None:
    """A copy of segment BENCH's lines as segment BASECOPY, every column."""
    listed = ", ".join(columns)
    execute(factory, "DELETE FROM segment_line WHERE segment_no = 'BASECOPY'")
    execute(factory, f"INSERT INTO segment_line (segment_no, line_no, {listed}) "  # noqa: S608
                     f"SELECT 'BASECOPY', line_no, {listed} FROM segment_line "
                     "WHERE segment_no = 'BENCH'")


def same_remove(step: str) -> str:
    where = REMOVED[step].format(x="segment_line")
    return f"DELETE FROM segment_line WHERE segment_no = 'BASECOPY' AND {where}"  # noqa: S608


def same_keep_removed(factory: Factory, step: str, columns: list[str]) -> None:
    """Hold the rows ``step`` removes from BASECOPY in bench_gone (for the restore baseline)."""
    listed = ", ".join(columns)
    where = REMOVED[step].format(x="segment_line")
    execute(factory, "DROP TABLE IF EXISTS bench_gone")
    execute(factory, f"CREATE TABLE bench_gone AS SELECT line_no, {listed} "  # noqa: S608
                     f"FROM segment_line WHERE segment_no = 'BASECOPY' AND {where}")


def same_restore(columns: list[str]) -> str:
    listed = ", ".join(columns)
    return (f"INSERT INTO segment_line (segment_no, line_no, {listed}) "  # noqa: S608
            f"SELECT 'BASECOPY', line_no, {listed} FROM bench_gone")
