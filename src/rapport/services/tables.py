"""Table handles for set-based statements, declared once, and the set-based keys between them.

Services write their many-row statements (``INSERT … SELECT``, ``UPDATE … WHERE``, ``DELETE …
WHERE EXISTS``) in SQLAlchemy Core against these handles; the ORM classes in ``rapport.db.models``
serve single-record reads and writes.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from rapport.db import models as m

CONTACT = m.table(m.Contact)
ALT_ADDRESS = m.table(m.ContactAltAddress)
ALT_ADDRESS_RANGE = m.table(m.ContactAltAddrDateRange)
MAILING_GROUP_MEMBER = m.table(m.ContactMailingGroup)
ATTACHMENT = m.table(m.Attachment)
HEADER = m.table(m.SegmentHeader)
LINE = m.table(m.SegmentLine)
LINE_DATA = m.table(m.SegmentLineData)
LANG = m.table(m.SegmentInteractionLanguage)
CRITERIA = m.table(m.SegmentCriteriaLine)
HISTORY = m.table(m.SegmentHistory)
HISTORY_DATA = m.table(m.SegmentHistoryData)
LANG_HISTORY = m.table(m.SegmentLanguageHistory)
SAVED = m.table(m.SavedSegmentCriteria)
SAVED_LINE = m.table(m.SavedSegmentCriteriaLine)
ILE = m.table(m.InteractionLogEntry)
OUTBOX = m.table(m.DeliveryOutbox)
OPT_OUT = m.table(m.EmailOptOut)

#: What a line is (segment_line's columns besides its key), shared by the undo journal.
MEMBERSHIP = [c.name for c in LINE.columns if c.name not in ("segment_no", "line_no")]
#: A line's personalised data (segment_line_data's columns besides its key), shared by the
#: journal; a line without such a row shows its header's values (services.segments._resolved).
LINE_FIELDS = [c.name for c in LINE_DATA.columns if c.name not in ("segment_no", "line_no")]
#: The per-language data columns shared by segment_interaction_language and its journal.
LANG_DATA = ["language_code", "description", "attachment_no", "subject", "word_template_code"]

#: The set-based keys (migrations 0002, 0004): (child table, column) → parent table.
PARENTS = {
    ("segment_line", "contact_no"): "contact",
    ("interaction_log_entry", "contact_no"): "contact",
    ("interaction_log_entry", "attachment_no"): "attachment",
    ("interaction_log_entry", "interaction_group_code"): "interaction_group",
    ("interaction_log_entry", "interaction_template_code"): "interaction_template",
    ("interaction_log_entry", "campaign_entry_no"): "campaign_entry",
    ("interaction_log_entry", "logged_segment_entry_no"): "logged_segment",
    ("interaction_log_entry", "salesperson_code"): "salesperson",
}
ENTRY_KEYS = [key for key in PARENTS if key[0] == "interaction_log_entry"]


@contextmanager
def vouched(session: Session, keys: list[tuple[str, str]]) -> Iterator[None]:
    """The statements of the block read, after it starts, every parent their rows refer to
    through ``keys``: on PostgreSQL the parents' advisory locks are taken now, before those
    reads, and the keys' checks after each statement are skipped (migration 0005 says why that
    keeps the guarantee). SQLite checks nothing per statement: one writer runs at a time.

    On an error the transaction rolls back, and the transaction-local setting with it."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    lock = text("SELECT pg_advisory_xact_lock_shared(hashtextextended('rapport parent ' || :p, 0))")
    for parent in sorted({PARENTS[key] for key in keys}):
        session.execute(lock, {"p": parent})
    vouch = text("SELECT set_config('rapport.vouched', :keys, true)")
    session.execute(vouch, {"keys": ",".join(f"{t}.{c}" for t, c in keys)})
    yield
    session.execute(vouch, {"keys": ""})


def contact_key_epoch(session: Session, *, locked: bool = False) -> int | None:
    """PostgreSQL: how many statements have deleted or renumbered contacts (migration 0009),
    with ``locked`` after taking the contacts' shared advisory lock (a running deletion is
    waited for, a later one waits); None on SQLite."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    if locked:
        session.execute(text("SELECT pg_advisory_xact_lock_shared("
                             "hashtextextended('rapport parent contact', 0))"))
    epoch = session.execute(text(
        "SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM contact_key_epoch"))
    return int(epoch.scalar_one())
