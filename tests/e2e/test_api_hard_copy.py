"""The hard copy through the API, on both engines: logging a segment with sending renders its
Hard Copy letters to PDF after the commit (a background task) and ``GET /logged-segments/{n}/
hard-copy`` answers their ZIP, bundled from the documents stored on the entries."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from rapport.db import models as m
from rapport.merge import LibreOfficeRenderer
from tests.builders_documents import word_letter
from tests.builders_logging import segment_with_lines
from tests.e2e.api_support import Api, problem

LETTER = word_letter([["Dear ", "{ MERGEFIELD Contact_Name }", ","]])


@pytest.fixture(autouse=True)
def libreoffice() -> None:
    if not LibreOfficeRenderer().available:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) must be installed under CI: see .ci/run")
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-writer-nogui)")


def _letters_segment(api: Api, contacts: list[str]) -> None:
    with api.rapport.factory.begin() as s:
        row = s.get(m.InteractionTmplLanguage, ("T-LET", ""))
        assert row is not None and row.attachment_no is not None
        att = s.get(m.Attachment, row.attachment_no)
        assert att is not None
        att.content, att.file_name = LETTER, "letter.docx"
        segment_with_lines(s, contacts, template_code="T-LET")


def test_logging_with_send_renders_the_hard_copies_and_answers_their_zip(api: Api) -> None:
    _letters_segment(api, ["C2", "P21", "P3"])
    logged = api.post("/segments/SEG0001/log", json={"send": True})
    assert logged.status_code == 200, logged.text
    body = logged.json()
    entry_no = body["logged_segment_entry_no"]
    assert body["hard_copies_queued"] == 2 and body["queued_for_delivery"] == 3
    assert body["hard_copy_url"] == f"/api/v1/logged-segments/{entry_no}/hard-copy"
    answer = api.client.get(body["hard_copy_url"], headers=api.headers("viewer"))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/zip"
    assert 'filename="Segment SEG0001.zip"' in answer.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        assert sorted(archive.namelist()) == ["Beta Inc - Carl Cole.pdf", "Beta Inc.pdf"]
        assert all(archive.read(n).startswith(b"%PDF") for n in archive.namelist())
    entries = api.get("/interaction-log-entries", params={"segment_no": "SEG0001"}).json()
    assert {(e["correspondence_type"], e["delivery_status"]) for e in entries["items"]} == {
        ("Hard Copy", ""), ("Email", "In Progress")}


def test_the_hard_copy_zip_is_refused_without_a_token_or_a_hard_copy(api: Api) -> None:
    _letters_segment(api, ["P3"])  # e-mail only
    logged = api.post("/segments/SEG0001/log", json={"send": True}).json()
    assert logged["hard_copies_queued"] == 0 and logged["hard_copy_url"] is None
    path = f"/logged-segments/{logged['logged_segment_entry_no']}/hard-copy"
    problem(api.get(path, role=None), 401)
    assert problem(api.get(path), 404)["field"] == "correspondence_type"
    assert problem(api.get("/logged-segments/999/hard-copy"), 404)["field"] == "entry_no"
    problem(api.get("/logged-segments/0/hard-copy"), 422)


def test_hard_copies_not_rendered_yet_are_a_conflict(api: Api) -> None:
    _letters_segment(api, ["C2"])
    logged = api.post("/segments/SEG0001/log", json={"send": False}).json()
    with api.rapport.factory.begin() as s:  # as if the renderer had not run yet
        for entry in s.query(m.InteractionLogEntry).all():
            entry.delivery_status = "In Progress"
    path = f"/logged-segments/{logged['logged_segment_entry_no']}/hard-copy"
    assert "rapport logged-segments hard-copy SEG0001" in problem(api.get(path), 409)["detail"]
