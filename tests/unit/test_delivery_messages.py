"""Building e-mail messages: headers, MIME parts, header injection, DKIM; pacing."""

from __future__ import annotations

import base64
import datetime as dt
import email
import subprocess
from email import policy
from pathlib import Path

import dkim
import pytest

from rapport.mail import DkimSigner
from rapport.services.delivery import (
    Content,
    FileAttachment,
    Letterhead,
    Outgoing,
    Pacer,
    UnsubscribeLinks,
    build_message,
)

LINKS = UnsubscribeLinks("https://crm.example.test", b"s" * 32)
NOW = dt.datetime(2025, 3, 10, 9, 30, tzinfo=dt.UTC)


def _outgoing(**kw: object) -> Outgoing:
    values: dict[str, object] = dict(
        outbox_id=1, entry_no=42, generation=0, attempts=0, contact_no="CT1",
        contact_name="Åse Ødegård", recipient="ase@example.test", subject="Vårens tilbud",
        language_code="NOR", attachment_no=None, word_template_code=None, as_attachment=False,
        logged_segment_entry_no=3)
    values.update(kw)
    return Outgoing(**values)  # type: ignore[arg-type]


def test_a_message_reads_back_with_its_headers_and_parts() -> None:
    content = Content(text="Hei Åse,\n.a line with a leading dot\n" + "x" * 300,
                      html="<p>Hei Åse</p>",
                      attachments=(FileAttachment("Tilbud å.docx", b"\x00\xff" * 50),))
    data = build_message(_outgoing(), content, Letterhead("Salg <salg@example.test>", LINKS),
                         NOW)
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF line ends only
    mail = email.message_from_bytes(data, policy=policy.default)
    assert (mail["From"], mail["To"], mail["Subject"]) == (
        "Salg <salg@example.test>", "Åse Ødegård <ase@example.test>", "Vårens tilbud")
    assert mail["Message-ID"] == "<ile-42.0@example.test>"
    assert mail["List-Unsubscribe"] == f"<{LINKS.url('CT1')}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    # CRLF on the wire, as the standard library's own SMTP policy writes and reads it back
    assert text is not None
    assert text.get_content().replace("\r\n", "\n").startswith("Hei Åse,\n.a line")
    assert html is not None and html.get_content().strip() == "<p>Hei Åse</p>"
    [doc] = list(mail.iter_attachments())
    assert (doc.get_filename(), doc.get_content()) == ("Tilbud å.docx", b"\x00\xff" * 50)


def test_line_breaks_in_a_subject_cannot_add_headers() -> None:
    data = build_message(_outgoing(subject="Offer\r\nBcc: all@example.test", contact_name="A\nB"),
                         Content(text="x"), Letterhead("s@example.test", LINKS), NOW)
    mail = email.message_from_bytes(data, policy=policy.default)
    assert mail["Bcc"] is None and mail["Subject"] == "Offer Bcc: all@example.test"


def test_the_unsubscribe_token_names_its_contact_and_is_signed() -> None:
    token = LINKS.token("CT-Ø1")
    assert LINKS.contact_of(token) == "CT-Ø1"
    other = UnsubscribeLinks("https://crm.example.test", b"t" * 32)
    with pytest.raises(Exception, match="not valid"):
        other.contact_of(token)


def test_dkim_signature_verifies(tmp_path: Path) -> None:
    key = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True,
                   capture_output=True)
    public = subprocess.run(["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"],
                            check=True, capture_output=True).stdout
    signer = DkimSigner.from_file(domain="example.test", selector="rapport",
                                  key_file=str(key))
    data = build_message(_outgoing(), Content(text="Hello"),
                         Letterhead("s@example.test", LINKS, signer), NOW)
    assert data.startswith(b"DKIM-Signature:")
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"rapport._domainkey.example.test."
        return record

    assert dkim.verify(data, dnsfunc=dns)


def test_the_pacer_spaces_messages_overall_and_per_domain() -> None:
    clock = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        clock[0] += seconds

    pacer = Pacer(rate=10, domain_rate=2, sleep=sleep, clock=lambda: clock[0])
    for domain in ("a.test", "b.test", "a.test", "b.test"):
        pacer.wait(domain)
    # 10/s overall (0.1 s apart), 2/s per domain (0.5 s apart for a.test and b.test)
    assert slept == [0.1, 0.4, 0.1]
