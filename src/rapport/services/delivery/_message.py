"""Building one finished e-mail message (bytes on the wire) from its entry and its content.

Every message carries a deterministic Message-ID (``<ile-ENTRY.GENERATION@domain>``: the same
entry's same delivery always has the same id, so a recipient's system can drop a duplicate) and
one-click unsubscribe headers (RFC 8058). It is DKIM-signed when a key is configured.

The MIME structure is written here rather than through ``email.message.EmailMessage``, whose
header objects cost about a millisecond per message — more than the rest of delivery. It is
small and fixed: a text part, optionally an HTML alternative, optionally attachments; text in
quoted-printable, files in base64, non-ASCII headers as RFC 2047 encoded words (RFC 2231 for
file names). The tests read every message back with the standard library's parser.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import secrets
from dataclasses import dataclass
from email.header import Header
from email.utils import encode_rfc2231, format_datetime, formataddr, parseaddr
from functools import cached_property

from rapport.mail import DkimSigner
from rapport.services.delivery._compose import Content, FileAttachment, Outgoing
from rapport.services.delivery._unsubscribe import UnsubscribeLinks

CRLF = b"\r\n"
Part = tuple[list[tuple[str, str]], bytes]


@dataclass(frozen=True)
class Letterhead:
    """What every message of this installation shares: sender, unsubscribe links, signer."""

    sender: str  # the From header, e.g. "Sales <sales@example.com>"
    links: UnsubscribeLinks
    signer: DkimSigner | None = None

    @cached_property
    def envelope_sender(self) -> str:
        """The bare address of the sender (SMTP MAIL FROM)."""
        return parseaddr(self.sender)[1]

    @cached_property
    def from_header(self) -> str:
        """The From header, encoded once."""
        return _address(*parseaddr(self.sender))

    @cached_property
    def domain(self) -> str:
        """The sender's domain, which Message-IDs are made in."""
        return self.envelope_sender.rpartition("@")[2] or "rapport.invalid"


def message_id(entry_no: int, generation: int, domain: str) -> str:
    """The Message-ID of an entry's delivery (0 = the one logging queued, n = nth resend)."""
    return f"<ile-{entry_no}.{generation}@{domain}>"


def _one_line(value: str) -> str:
    """A header value cannot carry line breaks (they would start headers of their own)."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def _header_text(value: str) -> str:
    """Unstructured header text: as is when ASCII, else RFC 2047 encoded words."""
    value = _one_line(value)
    return value if value.isascii() else Header(value, "utf-8").encode().replace("\n", "\r\n")


def _address(name: str, addr: str) -> str:
    return formataddr((_one_line(name), _one_line(addr)), charset="utf-8").replace("\n", "\r\n")


def _text_part(text: str, subtype: str) -> Part:
    data = text.replace("\r\n", "\n").encode("utf-8")
    encoded = binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)
    encoded = encoded.replace(b"\n", CRLF)  # soft and hard line breaks alike
    return ([("Content-Type", f'text/{subtype}; charset="utf-8"'),
             ("Content-Transfer-Encoding", "quoted-printable")], encoded)


def _file_part(attachment: FileAttachment) -> Part:
    name = _one_line(attachment.file_name)
    if name.isascii():
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        disposition = f'attachment; filename="{quoted}"'
    else:
        disposition = f"attachment; filename*={encode_rfc2231(name, 'utf-8')}"
    data = base64.encodebytes(attachment.content).replace(b"\n", CRLF)
    return ([("Content-Type", attachment.mime_type),
             ("Content-Transfer-Encoding", "base64"),
             ("Content-Disposition", disposition)], data)


def _multipart(subtype: str, parts: list[Part]) -> Part:
    boundary = f"=_rapport_{secrets.token_hex(12)}"
    out = [b"This is a multi-part message in MIME format.\r\n"]
    for headers, body in parts:
        out.append(f"--{boundary}\r\n".encode("ascii"))
        out.append(_headers(headers))
        out.append(body if body.endswith(CRLF) else body + CRLF)
    out.append(f"--{boundary}--\r\n".encode("ascii"))
    return ([("Content-Type", f'multipart/{subtype}; boundary="{boundary}"')], b"".join(out))


def _headers(headers: list[tuple[str, str]]) -> bytes:
    return "".join(f"{name}: {value}\r\n" for name, value in headers).encode("ascii") + CRLF


def _body(content: Content) -> Part:
    body = _text_part(content.text, "plain")
    if content.html is not None:
        body = _multipart("alternative", [body, _text_part(content.html, "html")])
    if content.attachments:
        body = _multipart("mixed", [body, *map(_file_part, content.attachments)])
    return body


def build_message(message: Outgoing, content: Content, letterhead: Letterhead,
                  now: dt.datetime) -> bytes:
    """The message as it goes over SMTP (CRLF line ends), signed when a signer is set."""
    part_headers, payload = _body(content)
    headers = [
        ("From", letterhead.from_header),
        ("To", _address(message.contact_name, message.recipient)),
        ("Subject", _header_text(message.subject)),
        ("Date", format_datetime(now)),
        ("Message-ID", message_id(message.entry_no, message.generation, letterhead.domain)),
        ("List-Unsubscribe", f"<{letterhead.links.url(message.contact_no)}>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("MIME-Version", "1.0"),
        *part_headers,
    ]
    data = _headers(headers) + payload
    return letterhead.signer.sign(data) if letterhead.signer else data
