"""``rapport templates attach|fields|preview``, ``rapport segments attach|merge-preview`` and
``rapport segments log`` with its hard copy and ``rapport logged-segments hard-copy`` on the
SPEC §5.1 fixture, on both engines."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from rapport.cli import common
from rapport.cli.main import app
from rapport.db import models as m
from tests.builders_documents import visible_text, word_letter
from tests.e2e.cli_support import reset_cli_caches

runner = CliRunner()
SF = sessionmaker[Session]
HEADER_LETTER = word_letter([["Header letter for ", "{ MERGEFIELD Contact_Name }"]])
LINE_LETTER = word_letter([["Own letter for ", "[ MERGEFIELD \"Contact Name\" ]"]])
FOREIGN = word_letter([["{ MERGEFIELD OrderID }", "{ MERGEFIELD Contact_Name }"]])


@pytest.fixture
def cli_db(engine: Engine, fixture_db: SF, monkeypatch: pytest.MonkeyPatch,
           tmp_path: Path) -> Iterator[SF]:
    monkeypatch.setenv("RAPPORT_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RAPPORT_USER_ID", "U1")
    monkeypatch.setattr(common.console, "_width", 250)
    monkeypatch.chdir(tmp_path)
    for name, content in (("header.docx", HEADER_LETTER), ("line.docx", LINE_LETTER),
                          ("orders.docx", FOREIGN)):
        (tmp_path / name).write_bytes(content)
    reset_cli_caches()
    yield fixture_db
    reset_cli_caches()


def run(*args: str) -> Result:
    return runner.invoke(app, ["--work-date", "2025-03-10", *args])


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_templates_fields_lists_the_merge_fields(cli_db: SF) -> None:
    out = ok("templates", "fields")
    for text in ("Contact_Mail_Address", "Salesperson/Purchaser Name", "FaxMailTo",
                 "Company_Information_Giro_No"):
        assert text in out


def test_templates_attach_export_preview_and_remove(cli_db: SF, tmp_path: Path) -> None:
    assert "Attached header.docx to T-LET (blank) as attachment" in ok(
        "templates", "attach", "T-LET", "header.docx")
    ok("templates", "attach", "T-LET", "--export", "back.docx")
    assert (tmp_path / "back.docx").read_bytes() == HEADER_LETTER
    assert "Merged T-LET for P21 into p21.docx" in ok(
        "templates", "preview", "T-LET", "--contact", "P21", "--out", "p21.docx")
    assert "Header letter for Carl Cole" in visible_text((tmp_path / "p21.docx").read_bytes())
    refused = run("templates", "attach", "T-LET", "orders.docx")
    assert refused.exit_code == 1 and "OrderID" in str(refused.exception)
    assert "Contact_Name" not in str(refused.exception)
    ok("templates", "attach", "T-LET", "--remove")
    with cli_db() as s:
        row = s.get(m.InteractionTmplLanguage, ("T-LET", ""))
        assert row is not None and row.attachment_no is None


def test_segments_attach_header_and_line_and_merge_preview(cli_db: SF, tmp_path: Path) -> None:
    ok("segments", "create", "--template", "T-LET", "--description", "Letters")
    ok("segments", "line-add", "SEG0001", "P21")
    ok("segments", "attach", "SEG0001", "header.docx")
    ok("segments", "merge-preview", "SEG0001", "10000")
    merged = tmp_path / "Beta Inc - Carl Cole.docx"
    assert "Header letter for Carl Cole" in visible_text(merged.read_bytes())
    ok("segments", "attach", "SEG0001", "line.docx", "--line", "10000")
    ok("segments", "merge-preview", "SEG0001", "10000", "--out", "own.docx")
    assert "Own letter for Carl Cole" in visible_text((tmp_path / "own.docx").read_bytes())
    ok("segments", "attach", "SEG0001", "--line", "10000", "--remove")
    ok("segments", "merge-preview", "SEG0001", "10000", "--out", "again.docx")
    assert "Header letter" in visible_text((tmp_path / "again.docx").read_bytes())
    ok("segments", "attach", "SEG0001", "--export", "header-back.docx")
    assert (tmp_path / "header-back.docx").read_bytes() == HEADER_LETTER


def _letters_segment() -> None:
    ok("segments", "create", "--template", "T-LET", "--description", "Letters")
    ok("segments", "line-add", "SEG0001", "P21")
    ok("segments", "line-add", "SEG0001", "C2")
    ok("segments", "attach", "SEG0001", "header.docx")


def _zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        return sorted(archive.namelist())


def test_logging_with_send_writes_the_hard_copy_zip(cli_db: SF, tmp_path: Path) -> None:
    _letters_segment()
    out = ok("segments", "log", "SEG0001", "--send", "--out", "letters")
    assert "Segment SEG0001 has been logged" in out
    assert "Wrote letters/Segment SEG0001.zip: 2 letter(s) as PDF, 0 error(s)" in out
    assert _zip_names(tmp_path / "letters" / "Segment SEG0001.zip") == [
        "Beta Inc - Carl Cole.pdf", "Beta Inc.pdf"]
    with cli_db() as s:
        entries = s.query(m.InteractionLogEntry).all()
        assert {(e.delivery_status, e.merged) for e in entries} == {("", True)}
        assert {s.get(m.Attachment, e.attachment_no).file_extension  # type: ignore[union-attr]
                for e in entries} == {"pdf"}
    assert "was waiting for delivery" in ok("logged-segments", "hard-copy", "SEG0001")


def test_without_libreoffice_logging_bundles_the_docx_letters_and_says_why(
        cli_db: SF, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-soffice"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # soffice is not found
    _letters_segment()
    out = ok("segments", "log", "SEG0001")
    assert "LibreOffice is not installed" in out
    assert "Wrote Segment SEG0001.zip: 2 letter(s) as .docx" in out
    assert _zip_names(tmp_path / "Segment SEG0001.zip") == [
        "Beta Inc - Carl Cole.docx", "Beta Inc.docx"]


def test_a_hard_copy_that_fails_after_the_commit_keeps_the_log_and_can_be_made_again(
        cli_db: SF, tmp_path: Path) -> None:
    _letters_segment()
    (tmp_path / "blocker").write_text("a file where the folder should be")
    failed = run("segments", "log", "SEG0001", "--out", "blocker/letters")
    assert failed.exit_code == 1
    assert "Segment SEG0001 has been logged" in failed.output
    assert "The hard copy of segment SEG0001 was not made" in failed.output
    assert "rapport logged-segments hard-copy SEG0001" in failed.output
    with cli_db() as s:
        statuses = [e.delivery_status for e in s.query(m.InteractionLogEntry).all()]
    assert statuses == ["In Progress", "In Progress"]
    out = ok("logged-segments", "hard-copy", "SEG0001", "--out", "letters")
    assert "Wrote letters/Segment SEG0001.zip: 2 letter(s)" in out
    assert len(_zip_names(tmp_path / "letters" / "Segment SEG0001.zip")) == 2
    assert "was waiting for delivery" in ok("logged-segments", "hard-copy", "SEG0001")


def test_a_file_that_is_not_a_word_document_is_refused_at_upload(cli_db: SF,
                                                                  tmp_path: Path) -> None:
    (tmp_path / "renamed.docx").write_bytes(b"{\\rtf1 not a docx}")
    (tmp_path / "empty.docx").write_bytes(_zip_of({"hello.txt": b"hi"}))
    (tmp_path / "broken.docx").write_bytes(_zip_of({"word/document.xml": b"<w:document>"}))
    ok("segments", "create", "--template", "T-LET", "--description", "Letters")
    ok("segments", "line-add", "SEG0001", "P21")
    with cli_db() as s:
        before = s.query(m.Attachment).count()
    for args, why in (
        (("templates", "attach", "T-LET", "renamed.docx"),
         "renamed.docx is not a valid Word document: it is not a ZIP package"),
        (("segments", "attach", "SEG0001", "empty.docx"),
         "empty.docx is not a valid Word document: it has no word/document.xml"),
        (("segments", "attach", "SEG0001", "broken.docx", "--line", "10000"),
         "broken.docx is not a valid Word document: its part word/document.xml is not "
         "well-formed XML"),
    ):
        refused = run(*args)
        assert refused.exit_code == 1 and why in str(refused.exception), refused.output
    with cli_db() as s:
        assert s.query(m.Attachment).count() == before


def _zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()
