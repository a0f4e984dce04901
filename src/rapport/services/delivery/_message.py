"""Building one finished e-mail message (bytes on the wire) from its entry and its content.

Every message carries a deterministic Message-ID (``<ile-ENTRY.GENERATION@domain>``: the same
entry's same delivery always has the same id, so a recipient's system can drop a duplicate) and
one-click unsubscribe headers (RFC 8058). It is DKIM-signed when a key is configured.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

from rapport.mail import DkimSigner
from rapport.services.delivery._compose import Content, Outgoing
from rapport.services.delivery._unsubscribe import UnsubscribeLinks

# Headers are not folded below SMTP's hard limit: a folded List-Unsubscribe is valid but some
# clients only read its first line.
POLICY = SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class Letterhead:
    """What every message of this installation shares: sender, unsubscribe links, signer."""

    sender: str  # the From header, e.g. "Sales <sales@example.com>"
    links: UnsubscribeLinks
    signer: DkimSigner | None = None

    @property
    def envelope_sender(self) -> str:
        """The bare address of the sender (SMTP MAIL FROM)."""
        return parseaddr(self.sender)[1]

    @property
    def domain(self) -> str:
        """The sender's domain, which Message-IDs are made in."""
        return self.envelope_sender.rpartition("@")[2] or "rapport.invalid"


def message_id(entry_no: int, generation: int, domain: str) -> str:
    """The Message-ID of an entry's delivery (0 = the one logging queued, n = nth resend)."""
    return f"<ile-{entry_no}.{generation}@{domain}>"


def build_message(message: Outgoing, content: Content, letterhead: Letterhead,
                  now: dt.datetime) -> bytes:
    """The message as it goes over SMTP (CRLF line ends), signed when a signer is set."""
    mail = EmailMessage(policy=POLICY)
    mail["From"] = letterhead.sender
    mail["To"] = Address(display_name=message.contact_name, addr_spec=message.recipient)
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = message_id(message.entry_no, message.generation, letterhead.domain)
    mail["List-Unsubscribe"] = f"<{letterhead.links.url(message.contact_no)}>"
    mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(content.text)
    if content.html is not None:
        mail.add_alternative(content.html, subtype="html")
    for attachment in content.attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        mail.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                            filename=attachment.file_name)
    data = mail.as_bytes()
    return letterhead.signer.sign(data) if letterhead.signer else data
