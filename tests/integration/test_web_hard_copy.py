"""The hard copy from the web pages, on both engines: logging the demo's welcome segment with
sending renders its Hard Copy letters to PDF after the commit, and the logged segment's page
offers their ZIP."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from rapport.merge import LibreOfficeRenderer
from rapport.wiring import Rapport
from tests.web_support import browser


def test_logging_with_send_offers_the_hard_copies_as_one_zip(demo: Rapport) -> None:
    if not LibreOfficeRenderer().available:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) must be installed under CI: see .ci/run")
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-writer-nogui)")
    b = browser(demo, "marketer")
    logged = b.post("/segments/SEG00002/log", {"send": "yes"})
    assert logged.status_code == 303, logged.text
    page = b.get(logged.headers["location"]).text
    assert "12 hard copies are being rendered to PDF: download the ZIP from this page." in page
    link = logged.headers["location"] + "/hard-copy.zip"
    assert f'href="{link}"' in page
    answer = b.get(link)
    assert answer.status_code == 200
    assert 'filename="Segment SEG00002.zip"' in answer.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        names = archive.namelist()
        assert len(names) == 12 and all(n.endswith(".pdf") for n in names)
        assert "Nordvik Clinics AS - Karl Ulrich.pdf" in names


def test_a_logged_segment_without_hard_copies_says_so(demo: Rapport) -> None:
    b = browser(demo, "marketer")
    back = b.get("/logged-segments/1/hard-copy.zip", follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == "/logged-segments/1"
    assert "Logged segment 1 has no delivered hard copy" in b.get("/logged-segments/1").text
    assert b.get("/logged-segments/999/hard-copy.zip").status_code == 404
