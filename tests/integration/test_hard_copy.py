"""Hard copy delivery on both engines: letters merged per entry, rendered to PDF by LibreOffice
(or delivered as .docx without it), one ZIP named after the segment, one file per contact
(SPEC A4, §3.13). CI installs LibreOffice: there a missing soffice fails instead of skipping."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.merge import LibreOfficeRenderer
from rapport.services.context import Ctx, transaction
from rapport.services.documents import deliver_hard_copy
from rapport.services.log import log_segment
from tests.builders_documents import word_letter
from tests.builders_logging import segment_with_lines
from tests.conftest import TxFactory

LETTER = word_letter([["Dear ", "{ MERGEFIELD Contact_Name }", ","],
                      ["{ MERGEFIELD Document_Date \\@ \"d MMMM yyyy\" }"]])


@pytest.fixture(scope="module")
def renderer() -> Iterator[LibreOfficeRenderer]:
    made = LibreOfficeRenderer(workers=2, batch_size=2)
    if not made.available:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) must be installed under CI: see .ci/run")
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-writer-nogui)")
    yield made
    made.close()


def _logged(factory: sessionmaker[Session], tx: TxFactory, *, letter: bytes = LETTER,
            name: str = "letter.docx") -> None:
    with factory.begin() as s:
        row = s.get(m.InteractionTmplLanguage, ("T-LET", ""))
        assert row is not None and row.attachment_no is not None
        att = s.get(m.Attachment, row.attachment_no)
        assert att is not None
        att.content, att.file_name = letter, name
        segment_with_lines(s, ["C2", "P21", "P3"], template_code="T-LET")
    with tx() as ctx:
        log_segment(ctx, "SEG0001", send=True)


def _use_case(factory: sessionmaker[Session]
              ) -> Callable[..., AbstractContextManager[Ctx]]:
    def open_case(*, readonly: bool = False) -> AbstractContextManager[Ctx]:
        return transaction(factory, user_id="U1", readonly=readonly)
    return open_case


def _entries(factory: sessionmaker[Session]) -> list[m.InteractionLogEntry]:
    with factory() as s:
        return list(s.scalars(select(m.InteractionLogEntry)
                              .order_by(m.InteractionLogEntry.entry_no)).all())


def test_hard_copies_become_one_zip_of_pdfs_stored_on_their_entries(
        fixture_db: sessionmaker[Session], tx: TxFactory,
        renderer: LibreOfficeRenderer) -> None:
    _logged(fixture_db, tx)
    result = deliver_hard_copy(_use_case(fixture_db), renderer, "seg0001")
    assert result.zip_name == "Segment SEG0001.zip" and result.note == ""
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        names = sorted(archive.namelist())
        pdfs = [archive.read(n) for n in names]
    assert names == ["Beta Inc - Carl Cole.pdf", "Beta Inc.pdf"]
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)
    entries = _entries(fixture_db)
    printed = [e for e in entries if e.correspondence_type == "Hard Copy"]
    assert len(printed) == 2 and all(e.delivery_status == "" for e in printed)
    with fixture_db() as s:
        for entry in printed:
            att = s.get(m.Attachment, entry.attachment_no)
            assert att is not None and att.read_only and att.file_extension == "pdf"
            assert (att.content or b"").startswith(b"%PDF")
    email = [e for e in entries if e.correspondence_type == "Email"]
    assert [e.delivery_status for e in email] == ["In Progress"]  # left to e-mail delivery
    again = deliver_hard_copy(_use_case(fixture_db), renderer, "SEG0001")
    assert again.delivered == []  # nothing is printed twice


def test_without_libreoffice_the_docx_letters_are_bundled_and_the_user_told_why(
        fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    _logged(fixture_db, tx)
    absent = LibreOfficeRenderer()
    absent.soffice = None
    result = deliver_hard_copy(_use_case(fixture_db), absent, "SEG0001")
    absent.close()
    assert "LibreOffice is not installed" in result.note
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        assert sorted(archive.namelist()) == ["Beta Inc - Carl Cole.docx", "Beta Inc.docx"]
        assert b"Carl Cole" in zipfile.ZipFile(
            io.BytesIO(archive.read("Beta Inc - Carl Cole.docx"))).read("word/document.xml")


def test_a_non_word_attachment_cannot_be_printed_and_its_entries_are_in_error(
        fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    _logged(fixture_db, tx, letter=b"plain text", name="note.txt")
    absent = LibreOfficeRenderer()
    absent.soffice = None
    result = deliver_hard_copy(_use_case(fixture_db), absent, "SEG0001")
    absent.close()
    assert result.delivered == [] and len(result.errors) == 2
    printed = [e for e in _entries(fixture_db) if e.correspondence_type == "Hard Copy"]
    assert {e.delivery_status for e in printed} == {"Error"}
    assert all("not a Word document" in e.delivery_error for e in printed)
