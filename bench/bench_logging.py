"""Log Segment benchmark: logging a large segment against bare inserts of as many entries.

    python -m bench.bench_logging [--contacts 1000000] [--engines sqlite,postgresql]
                                  [--repeat 3] [--breakdown]

For each engine a fresh migrated database gets ``--contacts`` generated contacts
(``rapport.services.demo``) and a template T-MAIL (with an HTML attachment, type Email), a
campaign and a salesperson. Segment BENCH (template T-MAIL, campaign CP1) is filled with Add
Contacts, Contact.correspondence_type=Email + Mailing Group=NEWS (~30 % of the base: ~300,000
lines on 1,000,000 contacts). Then, best of ``--repeat``, each with its commit:

``log_segment`` — check every line, write the logged segment, the campaign entry and one
interaction log entry per line (send on: every entry is queued for delivery), mark the
attachments read-only, delete the segment — against two baselines of as many rows (untimed
cleanup and a fresh segment between runs):

* **same table** — a bare ``INSERT … SELECT`` of the entries into ``interaction_log_entry`` (the
  line's contact and company, the other columns constants): the ratio the README showed before
  issue 11;
* **narrow** — the physical baseline: a bare ``INSERT … SELECT`` of the log's essential columns
  (contact, company, date, description, template, group, salesperson, segment, logged segment,
  cost) into ``bench_narrow_log``, a table without key, index or constraint.

Target: ≤ 3 to the narrow baseline; on PostgreSQL ≤ 3 s for 300,000 lines. With
``--breakdown`` the logging runs once more, recorded and rolled back (bench.breakdown).
PostgreSQL: RAPPORT_BENCH_PG_URL (an admin URL; a private database is created and dropped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from decimal import Decimal

from sqlalchemy import Engine, delete, text
from sqlalchemy.orm import Session, sessionmaker

from bench.breakdown import Recorder, ablate
from bench.common import fresh_engine, machine_load, settle
from bench.rss import peak_rise
from rapport.db import models as m
from rapport.db.session import session_factory
from rapport.services.context import Ctx, transaction
from rapport.services.criteria import add_contacts, filter_texts
from rapport.services.demo import generate
from rapport.services.log import log_segment
from rapport.services.segments import set_header_template

WORK_DATE = dt.date(2025, 3, 10)
SEGMENT = "BENCH"
ADD = filter_texts(["Contact.correspondence_type=Email", "Mailing Group.mailing_group_code=NEWS"])
Factory = sessionmaker[Session]

NARROW = """CREATE TABLE bench_narrow_log (contact_no VARCHAR(20), contact_company_no VARCHAR(20),
    date DATE, description VARCHAR(100), interaction_template_code VARCHAR(20),
    interaction_group_code VARCHAR(20), salesperson_code VARCHAR(20), segment_no VARCHAR(20),
    logged_segment_entry_no INTEGER, cost NUMERIC(18, 2))"""
NARROW_LOG = """INSERT INTO bench_narrow_log SELECT l.contact_no, l.contact_company_no,
    '2025-03-10', 'Bench mailing', 'T-MAIL', 'EMAIL', 'SP1', 'BENCH', 0, 0.10
    FROM segment_line l WHERE l.segment_no = 'BENCH' AND l.contact_no IS NOT NULL"""
SAME_LOG = """INSERT INTO interaction_log_entry (contact_no, contact_company_no, date,
    description, subject, information_flow, initiated_by, attachment_no, cost, duration,
    user_id, interaction_group_code, interaction_template_code, interaction_language_code,
    campaign_no, segment_no, logged_segment_entry_no, salesperson_code, delivery_status,
    correspondence_type, created_at)
    SELECT l.contact_no, l.contact_company_no, '2025-03-10', 'Bench mailing', '', 'Outbound',
    'Us', NULL, 0.10, 1, 'U1', 'EMAIL', 'T-MAIL', '', 'CP1', 'BENCH', NULL, 'SP1',
    'In Progress', 'Email', CURRENT_TIMESTAMP
    FROM segment_line l WHERE l.segment_no = 'BENCH' AND l.contact_no IS NOT NULL"""


def setup_rows(factory: Factory) -> None:
    """Salesperson, user, group, template with an attachment, campaign."""
    with factory.begin() as session:
        session.add_all([m.Salesperson(code="SP1", name="Bench"),
                         m.InteractionGroup(code="EMAIL"),
                         m.Campaign(no="CP1", description="Bench campaign")])
        session.flush()
        session.add(m.AppUser(user_id="U1", salesperson_code="SP1"))
        attachment = m.Attachment(file_name="mail.html", file_extension="html",
                                  content=b"<p>Hi</p>")
        session.add(attachment)
        session.add(m.InteractionTemplate(
            code="T-MAIL", interaction_group_code="EMAIL", description="Mailing",
            unit_cost=Decimal("0.10"), unit_duration=1, information_flow="Outbound",
            initiated_by="Us", correspondence_type_default="Email"))
        session.flush()
        session.add(m.InteractionTmplLanguage(interaction_template_code="T-MAIL",
                                              language_code="", attachment_no=attachment.no))
        session.execute(text(NARROW))


def build_segment(factory: Factory) -> int:
    """Segment BENCH with template T-MAIL, filled by Add Contacts; the number of lines."""
    with transaction(factory, user_id="U1", work_date=WORK_DATE) as ctx:
        ctx.session.add(m.SegmentHeader(no=SEGMENT, description="Bench mailing",
                                        campaign_no="CP1", salesperson_code="SP1",
                                        date=WORK_DATE, user_id="U1"))
        ctx.session.flush()
        set_header_template(ctx, SEGMENT, "T-MAIL")
        return add_contacts(ctx, SEGMENT, ADD).added


def clear_log(factory: Factory) -> None:
    with factory.begin() as session:
        session.execute(delete(m.InteractionLogEntry))
        session.execute(delete(m.CampaignEntry))
        session.execute(delete(m.LoggedSegment))
        session.execute(text("DELETE FROM bench_narrow_log"))


def bare(factory: Factory, sql: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        settle()
        start = time.perf_counter()
        with factory.begin() as session:
            session.execute(text(sql))
        best = min(best, time.perf_counter() - start)
        clear_log(factory)
    return best


def log_once(factory: Factory) -> tuple[float, int, str]:
    settle()
    with peak_rise() as rise:
        start = time.perf_counter()
        with transaction(factory, user_id="U1", work_date=WORK_DATE) as ctx:
            entries = log_segment(ctx, SEGMENT).entries
        seconds = time.perf_counter() - start
    return seconds, entries, rise.megabytes


def breakdown(engine: Engine, factory: Factory) -> None:
    """Log once more, recorded and rolled back, and print where the time went."""
    recorder = Recorder(engine)
    session = factory()
    ctx = Ctx(session=session, user_id="U1", work_date=WORK_DATE)
    try:
        with recorder.recording(session) as recording:
            log_segment(ctx, SEGMENT)
    finally:
        session.rollback()
        session.close()
    print(f"    breakdown of log_segment: {recording.seconds:.3f} s in "
          f"{len(recording.statements)} statement(s)")
    for line in recording.lines(top=10):
        print(line)
    inserts = [s for s in recording.statements
               if s.sql.lstrip().upper().startswith("INSERT INTO INTERACTION_LOG_ENTRY")]
    if inserts:
        times = ablate(factory, inserts[0], m.table(m.InteractionLogEntry))
        print("      the interaction_log_entry INSERT again, rolled back: "
              + ", ".join(f"{k} {v:.3f} s" for k, v in times.items()), flush=True)


def run_engine(kind: str, contacts: int, repeat: int, with_breakdown: bool) -> None:
    with fresh_engine(kind, "logging") as engine:
        factory = session_factory(engine)
        start = time.perf_counter()
        generate(factory, contacts, user_id="BENCH")
        setup_rows(factory)
        lines = build_segment(factory)
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        print(f"[{kind}] {contacts:,} contacts, segment of {lines:,} lines built in "
              f"{time.perf_counter() - start:.1f} s; {machine_load()}", flush=True)
        same = bare(factory, SAME_LOG, repeat)
        narrow = bare(factory, NARROW_LOG, repeat)
        if with_breakdown:
            breakdown(engine, factory)
        runs = []
        for attempt in range(repeat):
            if attempt:
                build_segment(factory)
            runs.append(log_once(factory))
            clear_log(factory)
        seconds, entries, rise = min(runs)
        assert entries == lines, (entries, lines)
        verdict = "ok" if seconds / narrow <= 3 else "MISSES ≤ 3"
        print(f"[{kind}] log_segment {entries:,} lines {seconds:.3f} s | same table bare "
              f"{same:.3f} s ratio {seconds / same:.2f} | narrow {narrow:.3f} s ratio "
              f"{seconds / narrow:.2f} {verdict} | memory {rise}; {machine_load()}", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures, the ratios and the command."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_logging")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--breakdown", action="store_true")
    args = parser.parse_args(argv)
    given = argv if argv is not None else sys.argv[1:]
    print(f"$ python -m bench.bench_logging {' '.join(given)}".rstrip(), flush=True)
    for kind in args.engines.split(","):
        run_engine(kind.strip(), args.contacts, args.repeat, args.breakdown)


if __name__ == "__main__":
    main()
