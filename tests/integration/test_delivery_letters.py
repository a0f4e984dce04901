"""Each e-mail is its entry's merged Word letter: an HTML body with a text part, or a .docx."""

from __future__ import annotations

from email.message import Message

from rapport.db import models as m
from rapport.wiring import Rapport
from tests.builders_delivery import SF, entries, logged_emails, worker
from tests.builders_documents import visible_text, word_letter
from tests.conftest import TxFactory
from tests.smtp_server import SmtpServer

LETTER = word_letter([["Dear ", "{ MERGEFIELD Contact_Name }", ","],
                      ["Our spring fair opens soon."]])


def _letter_on_template(factory: SF) -> None:
    with factory.begin() as s:
        row = s.get(m.InteractionTmplLanguage, ("T-MAIL", ""))
        assert row is not None and row.attachment_no is not None
        att = s.get(m.Attachment, row.attachment_no)
        assert att is not None
        att.content, att.file_name, att.file_extension = LETTER, "letter.docx", "docx"


def _parts(mail: Message) -> dict[str, bytes]:
    return {p.get_content_type(): bytes(p.get_payload(decode=True))
            for p in mail.walk() if not p.is_multipart()}


def test_the_merged_letter_is_the_html_body_with_a_text_part(
        rapport: Rapport, fixture_db: SF, tx: TxFactory) -> None:
    _letter_on_template(fixture_db)
    logged_emails(fixture_db, tx, 2)
    with SmtpServer() as server:
        report = worker(rapport, server.port, composer=rapport.composer()).run()
    assert report.sent == 2, report.problems
    bodies = {r.recipients[0]: _parts(r.message) for r in server.received}
    html = bodies["bk1@bulk.test"]["text/html"].decode()
    assert "<p>Dear Bulk BK1,</p>" in html and "MERGEFIELD" not in html
    assert "Dear Bulk BK2," in bodies["bk2@bulk.test"]["text/plain"].decode()


def test_the_merged_letter_as_docx_attachment(rapport: Rapport, fixture_db: SF,
                                             tx: TxFactory) -> None:
    _letter_on_template(fixture_db)
    logged_emails(fixture_db, tx, 1, send_word_doc_as_attmt=True)
    with SmtpServer() as server:
        worker(rapport, server.port, composer=rapport.composer()).run()
    mail = server.received[0].message
    files = [p for p in mail.walk() if p.get_filename()]
    assert [f.get_filename() for f in files] == ["Spring offer.docx"]
    assert "Dear Bulk BK1," in visible_text(bytes(files[0].get_payload(decode=True)))


def test_an_entry_without_a_document_fails_with_e10(rapport: Rapport, fixture_db: SF,
                                                   tx: TxFactory) -> None:
    logged_emails(fixture_db, tx, 1)
    with fixture_db.begin() as s:
        for entry in s.query(m.InteractionLogEntry):
            entry.attachment_no = None
    with SmtpServer() as server:
        report = worker(rapport, server.port, composer=rapport.composer()).run()
    assert (report.sent, report.failed, server.received) == (0, 1, [])
    [(_, status, reason)] = entries(fixture_db).values()
    assert status == "Error" and "no attachment for the selected language" in reason
