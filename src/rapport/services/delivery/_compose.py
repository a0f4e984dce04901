"""What a message is made of: the facts of its entry, and the composer that writes its content.

The worker reads the facts of a claimed batch in one query (recipient per §3.13: the e-mail of
the entry's alternate address when it has one, else the contact's) and asks a ``Composer`` for
each message's content: the entry's merged document as an HTML body with a text part, or as a
.docx attachment (``send_word_docs_as_attmt``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import and_, func, select

from rapport.services.context import Ctx
from rapport.services.tables import ALT_ADDRESS as ALT
from rapport.services.tables import CONTACT, ILE


@dataclass(frozen=True)
class Outgoing:
    """One message to compose and send: its outbox row and the facts of its entry."""

    outbox_id: int
    entry_no: int
    generation: int
    attempts: int
    contact_no: str
    contact_name: str
    recipient: str
    subject: str
    language_code: str
    attachment_no: int | None
    word_template_code: str | None
    as_attachment: bool
    logged_segment_entry_no: int | None


@dataclass(frozen=True)
class FileAttachment:
    """A file sent with a message."""

    file_name: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Content:
    """A message's content: a text part, an optional HTML alternative, optional files."""

    text: str
    html: str | None = None
    attachments: tuple[FileAttachment, ...] = ()


class Composer(Protocol):
    """Writes the content of a message from its entry (the merged document).

    Raises a ``RapportError`` (e.g. E10: no attachment for the entry) when it cannot: the
    message then fails with that reason and its entry shows Error.
    """

    def prepare(self, ctx: Ctx, messages: Sequence[Outgoing]) -> None:
        """Read ahead what composing a batch needs (called once per batch, may do nothing)."""
        ...

    def compose(self, ctx: Ctx, message: Outgoing) -> Content:
        """The content of ``message``."""
        ...


def outgoing(ctx: Ctx, claimed: Sequence[tuple[int, int, int, int]]) -> list[Outgoing]:
    """The facts of the claimed (outbox id, entry no, generation, attempts) messages, in order."""
    if not claimed:
        return []
    by_entry = {entry: (oid, gen, att) for oid, entry, gen, att in claimed}
    alt_email = func.coalesce(func.nullif(ALT.c.email, ""), CONTACT.c.email)
    stmt = (
        select(ILE.c.entry_no, ILE.c.contact_no, CONTACT.c.name,
               func.coalesce(alt_email, ""), ILE.c.subject, ILE.c.description,
               ILE.c.interaction_language_code, ILE.c.attachment_no, ILE.c.word_template_code,
               ILE.c.send_word_docs_as_attmt, ILE.c.logged_segment_entry_no)
        .select_from(ILE)
        .outerjoin(CONTACT, CONTACT.c.no == ILE.c.contact_no)
        .outerjoin(ALT, and_(ALT.c.contact_no == ILE.c.contact_no,
                             ALT.c.code == ILE.c.contact_alt_address_code))
        .where(ILE.c.entry_no.in_(list(by_entry)))
    )
    found = []
    for row in ctx.session.execute(stmt):
        oid, gen, att = by_entry[row[0]]
        found.append(Outgoing(
            outbox_id=oid, entry_no=row[0], generation=gen, attempts=att,
            contact_no=row[1] or "", contact_name=row[2] or "", recipient=row[3].strip(),
            subject=row[4] or row[5], language_code=row[6], attachment_no=row[7],
            word_template_code=row[8], as_attachment=bool(row[9]),
            logged_segment_entry_no=row[10]))
    return sorted(found, key=lambda o: o.outbox_id)

