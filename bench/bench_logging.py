"""Log Segment benchmark: logging a large segment against a bare ``INSERT … SELECT`` of its entries.

    python -m bench.bench_logging [--lines 300000] [--engines sqlite,postgresql] [--repeat 1]

For each engine a fresh migrated database gets ``--lines`` contacts (with e-mail) and one segment
with one line per contact (template T-MAIL with an attachment, campaign CP1), built set-based.
Then, timing the best of ``--repeat`` runs, each including its commit:

(a) the baseline: a bare ``INSERT INTO interaction_log_entry (…) SELECT … FROM segment_line`` of
    the same rows and columns the logging writes, copied straight from the lines (no checks,
    no joins), which is then deleted again untimed;
(b) ``log_segment``: checks every line, writes the logged segment, the campaign entry and the
    entries, marks attachments read-only, deletes the segment (send on: entries are queued).

It prints both times and the ratio (b)/(a); the target is ≤ 3. PostgreSQL: RAPPORT_BENCH_PG_URL
(an admin URL; a private database is created and dropped), default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Engine, Integer, String, cast, delete, insert, literal, select
from sqlalchemy.orm import Session, sessionmaker

from bench.common import fresh_engine
from rapport.db import models as m
from rapport.db.session import session_factory
from rapport.services.context import transaction
from rapport.services.log import log_segment

PG_ADMIN = os.environ.get(
    "RAPPORT_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
WORK_DATE = dt.date(2025, 3, 10)
SEGMENT = "BENCH"
Factory = sessionmaker[Session]


def database(engine_name: str) -> AbstractContextManager[Engine]:
    """A fresh migrated database of that engine, removed afterwards."""
    return fresh_engine(engine_name, "logging")


def setup_rows(session: Session) -> None:
    """Salesperson, user, group, template with an attachment, campaign."""
    session.add_all([m.Salesperson(code="SP1", name="Bench"), m.InteractionGroup(code="EMAIL"),
                     m.Campaign(no="CP1", description="Bench campaign")])
    session.flush()
    session.add(m.AppUser(user_id="U1", salesperson_code="SP1"))
    attachment = m.Attachment(file_name="mail.html", file_extension="html", content=b"<p>Hi</p>")
    session.add(attachment)
    session.add(m.InteractionTemplate(
        code="T-MAIL", interaction_group_code="EMAIL", description="Mailing",
        unit_cost=Decimal("0.10"), unit_duration=1, information_flow="Outbound",
        initiated_by="Us", correspondence_type_default="Email"))
    session.flush()
    session.add(m.InteractionTmplLanguage(interaction_template_code="T-MAIL", language_code="",
                                          attachment_no=attachment.no))
    session.add(m.SegmentHeader(no=SEGMENT, description="Bench mailing", campaign_no="CP1",
                                salesperson_code="SP1", date=WORK_DATE,
                                interaction_template_code="T-MAIL", user_id="U1"))
    session.flush()


def _numbers(count: int) -> Any:
    seq = select(literal(1, Integer).label("i")).cte("seq", recursive=True)
    return seq.union_all(select((seq.c.i + 1).label("i")).where(seq.c.i < count))


def line_step(lines: int) -> int:
    """10 000 like the reference (line numbers are 64-bit, so 300,000 lines fit)."""
    return 10_000


def build_segment(factory: Factory, lines: int, *, contacts: bool) -> None:
    """The segment's lines (and, the first time, the contacts), inserted set-based."""
    with factory.begin() as session:
        if contacts:
            setup_rows(session)
            seq = _numbers(lines)
            no = literal("B") + cast(seq.c.i, String)
            session.execute(insert(m.Contact).from_select(
                ["no", "type", "name", "search_name", "email", "correspondence_type"],
                select(no, literal("Person"), literal("Bench ") + no, no,
                       no + literal("@bench.test"), literal("Email"))))
        elif session.get(m.SegmentHeader, SEGMENT) is None:
            session.add(m.SegmentHeader(no=SEGMENT, description="Bench mailing",
                                        campaign_no="CP1", salesperson_code="SP1",
                                        date=WORK_DATE, interaction_template_code="T-MAIL",
                                        user_id="U1"))
            session.flush()
        attachment = session.scalar(select(m.InteractionTmplLanguage.attachment_no))
        seq = _numbers(lines)
        values: dict[str, Any] = {
            "segment_no": literal(SEGMENT), "line_no": cast(seq.c.i, BigInteger) * line_step(lines),
            "contact_no": literal("B") + cast(seq.c.i, String),
            "description": literal("Bench mailing"), "campaign_no": literal("CP1"),
            "salesperson_code": literal("SP1"), "correspondence_type": literal("Email"),
            "interaction_template_code": literal("T-MAIL"),
            "interaction_group_code": literal("EMAIL"), "cost": literal(Decimal("0.10")),
            "duration": literal(1), "date": literal(WORK_DATE),
            "information_flow": literal("Outbound"), "initiated_by": literal("Us"),
            "attachment_no": literal(attachment)}
        session.execute(insert(m.SegmentLine).from_select(list(values), select(*values.values())))


# The entry columns the baseline copies straight from the segment line (same as logging writes).
COPIED = ["contact_no", "contact_company_no", "date", "description", "subject",
          "information_flow", "initiated_by", "attachment_no", "cost", "duration",
          "interaction_group_code", "interaction_template_code", "campaign_no",
          "campaign_response", "campaign_target", "segment_no", "evaluation", "attempt_failed",
          "todo_no", "opportunity_no", "salesperson_code", "correspondence_type",
          "contact_alt_address_code", "contact_via", "document_type", "document_no",
          "version_no", "doc_no_occurrence", "word_template_code", "merged"]


def baseline(factory: Factory) -> float:
    """Time a bare INSERT … SELECT of the segment's entries (then delete them, untimed)."""
    line = m.SegmentLine
    start = time.perf_counter()
    with factory.begin() as session:
        placeholder = m.LoggedSegment(segment_no="BASELINE", description="baseline",
                                      user_id="U1")
        session.add(placeholder)
        session.flush()
        columns = [getattr(line, c) for c in COPIED]
        source = select(*columns, literal("U1"), literal(placeholder.entry_no),
                        literal("In Progress"), line.send_word_doc_as_attmt,
                        literal(dt.datetime.now(dt.UTC))).where(line.segment_no == SEGMENT)
        session.execute(insert(m.InteractionLogEntry).from_select(
            [*COPIED, "user_id", "logged_segment_entry_no", "delivery_status",
             "send_word_docs_as_attmt", "created_at"], source))
    elapsed = time.perf_counter() - start
    with factory.begin() as session:
        session.execute(delete(m.InteractionLogEntry))
        session.execute(delete(m.LoggedSegment))
    return elapsed


def logging_run(factory: Factory) -> tuple[float, int]:
    """Time log_segment with its commit; then clear its rows and rebuild nothing (untimed)."""
    start = time.perf_counter()
    with transaction(factory, user_id="U1", work_date=WORK_DATE) as ctx:
        result = log_segment(ctx, SEGMENT)
    elapsed = time.perf_counter() - start
    with factory.begin() as session:
        session.execute(delete(m.InteractionLogEntry))
        session.execute(delete(m.CampaignEntry))
        session.execute(delete(m.LoggedSegment))
    return elapsed, result.entries


def run_engine(engine_name: str, lines: int, repeat: int) -> tuple[float, float]:
    """Best baseline and best logging time on one engine."""
    with database(engine_name) as engine:
        factory = session_factory(engine)
        t0 = time.perf_counter()
        build_segment(factory, lines, contacts=True)
        print(f"[{engine_name}] built {lines:,} contacts and lines in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
        best_base = best_log = float("inf")
        for attempt in range(repeat):
            if attempt:
                build_segment(factory, lines, contacts=False)
            best_base = min(best_base, baseline(factory))
            elapsed, entries = logging_run(factory)
            assert entries == lines, entries
            best_log = min(best_log, elapsed)
        return best_base, best_log


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures, the ratio and the command that reproduces them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    command = "python -m bench.bench_logging " + " ".join(argv if argv is not None
                                                          else sys.argv[1:])
    print(f"$ {command.strip()}")
    for engine_name in args.engines.split(","):
        base, logged = run_engine(engine_name.strip(), args.lines, args.repeat)
        print(f"[{engine_name}] bare INSERT … SELECT of {args.lines:,} entries: {base:.2f} s; "
              f"log_segment: {logged:.2f} s; ratio {logged / base:.2f} (target ≤ 3)",
              flush=True)


if __name__ == "__main__":
    main()
