"""Attachments over HTTP: upload, download, replace and remove the file of a template's language
row, of a segment header's language row and of one segment line; Word letters with unknown merge
fields are refused; an attachment a logged interaction uses stays as it was."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from rapport.db import models as m
from tests.builders_documents import word_letter
from tests.e2e.api_support import NEWS, Api, problem

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LETTER = word_letter([["Dear ", "{ MERGEFIELD Contact_Name }"]])
OWN = word_letter([["Only for you, ", "[ MERGEFIELD \"Contact Name\" ]"]])
FOREIGN = word_letter([["{ MERGEFIELD OrderID }", "{ MERGEFIELD Contact_Name }"]])


def _file(name: str, content: bytes) -> dict[str, Any]:
    return {"file": (name, content, DOCX)}


def _used_by_an_entry(api: Api, attachment_no: int) -> int:
    """A logged interaction shares the attachment (as logging a segment leaves it, read-only);
    returns the entry's number."""
    entry_no: int = api.post("/interactions", json={"from_contact": "P3",
                                                    "template_code": "T-CALL"}).json()["entry_no"]
    with api.rapport.use_case() as ctx:
        ctx.session.execute(update(m.InteractionLogEntry)
                            .where(m.InteractionLogEntry.entry_no == entry_no)
                            .values(attachment_no=attachment_no))
        ctx.session.execute(update(m.Attachment).where(m.Attachment.no == attachment_no)
                            .values(read_only=True))
    return entry_no


def _entry_file(api: Api, entry_no: int) -> tuple[int | None, bytes | None, bool]:
    """The number, content and read-only mark of a log entry's attachment."""
    with api.rapport.use_case(readonly=True) as ctx:
        row = ctx.session.execute(
            select(m.Attachment.no, m.Attachment.content, m.Attachment.read_only)
            .join(m.InteractionLogEntry,
                  m.InteractionLogEntry.attachment_no == m.Attachment.no)
            .where(m.InteractionLogEntry.entry_no == entry_no)).one()
    return row[0], row[1], row[2]


def _template_attachment_no(api: Api, language: str) -> int:
    with api.rapport.use_case(readonly=True) as ctx:
        found = ctx.session.scalar(select(m.InteractionTmplLanguage.attachment_no).where(
            m.InteractionTmplLanguage.interaction_template_code == "T-LET",
            m.InteractionTmplLanguage.language_code == language))
    assert found is not None
    return found


def test_a_template_attachment_is_downloaded_replaced_and_removed(api: Api) -> None:
    path = "/interaction-templates/T-LET/attachment"
    got = api.get(path, role="viewer")
    assert got.status_code == 200 and got.content == b"A-LET-EN"
    assert got.headers["content-type"] == DOCX
    assert got.headers["content-disposition"].startswith('attachment; filename="A-LET-EN.docx"')
    assert api.get(path, role="viewer", params={"language": "deu"}).content == b"A-LET-DE"
    put = api.call("PUT", path, role="admin", files=_file("Welcome letter.docx", LETTER))
    assert put.status_code == 200, put.text
    assert put.json()["file_name"] == "Welcome letter.docx" and put.json()["size"] == len(LETTER)
    again = api.get(path)
    assert again.content == LETTER
    assert "filename*=UTF-8''Welcome%20letter.docx" in again.headers["content-disposition"]
    refused = problem(api.call("PUT", path, role="admin", files=_file("o.docx", FOREIGN)), 422)
    assert "OrderID" in refused["detail"] and refused["field"] == "merge_fields"
    assert api.get(path).content == LETTER
    removed = api.delete(path, role="admin")
    assert removed.status_code == 204
    problem(api.get(path), 404)
    assert api.get(path, params={"language": "DEU"}).content == b"A-LET-DE"


def test_template_attachments_refuse_roles_unknown_rows_and_read_only_files(api: Api) -> None:
    path = "/interaction-templates/T-LET/attachment"
    problem(api.call("PUT", path, files=_file("a.docx", LETTER)), 403)
    problem(api.delete(path, role="viewer"), 403)
    problem(api.get(path, role=None), 401, "AUTH")
    problem(api.get("/interaction-templates/NOPE/attachment"), 404)
    problem(api.call("PUT", path, role="admin", params={"language": "FRA"},
                     files=_file("a.docx", LETTER)), 404)
    problem(api.call("PUT", path, role="admin"), 422, "VALIDATION")
    problem(api.delete(path, role="admin", params={"language": "FRA"}), 404)


def test_replacing_a_template_letter_keeps_the_logged_entrys_file(api: Api) -> None:
    path, german = "/interaction-templates/T-LET/attachment", {"language": "DEU"}
    used = _template_attachment_no(api, "DEU")
    entry_no = _used_by_an_entry(api, used)
    put = api.call("PUT", path, role="admin", params=german, files=_file("neu.docx", LETTER))
    assert put.status_code == 200 and put.json()["attachment_no"] != used
    assert api.get(path, params=german).content == LETTER
    assert _entry_file(api, entry_no) == (used, b"A-LET-DE", True)
    assert api.delete(path, role="admin", params=german).status_code == 204
    assert _entry_file(api, entry_no) == (used, b"A-LET-DE", True)


def _segment(api: Api) -> tuple[str, int]:
    no = api.post("/segments", json={"description": "Letters",
                                     "interaction_template_code": "T-LET"}).json()["no"]
    api.post(f"/segments/{no}/add-contacts", json={"filters": NEWS})
    first = api.get(f"/segments/{no}/lines", params={"limit": 1}).json()["items"][0]
    return no, first["line_no"]


def test_a_segment_header_attachment_is_what_its_lines_inherit(api: Api) -> None:
    no, line_no = _segment(api)
    header, line = f"/segments/{no}/attachment", f"/segments/{no}/lines/{line_no}/attachment"
    assert api.get(header, role="viewer").content == b"A-LET-EN"
    put = api.call("PUT", header, files=_file("spring.docx", LETTER))
    assert put.status_code == 200, put.text
    assert api.get(header).content == LETTER
    got = api.get(line, role="viewer")
    assert got.content == LETTER and 'filename="spring.docx"' in got.headers[
        "content-disposition"]
    problem(api.call("PUT", header, files=_file("o.docx", FOREIGN)), 422)
    problem(api.call("PUT", header, role="viewer", files=_file("s.docx", LETTER)), 403)
    problem(api.get("/segments/NOPE/attachment"), 404)
    problem(api.get(header, params={"language": "FRA"}), 404)
    assert api.delete(header).status_code == 204
    problem(api.get(header), 404)
    problem(api.get(line), 404)


def test_a_line_gets_its_own_attachment_with_its_etag(api: Api) -> None:
    no, line_no = _segment(api)
    line_path = f"/segments/{no}/lines/{line_no}"
    path = f"{line_path}/attachment"
    etag = api.get(line_path).headers["etag"]
    problem(api.call("PUT", path, files=_file("own.docx", OWN)), 428, "PRECONDITION")
    problem(api.call("PUT", path, headers={"If-Match": '"stale"'},
                     files=_file("own.docx", OWN)), 412, "PRECONDITION")
    problem(api.call("PUT", path, role="viewer", headers={"If-Match": etag},
                     files=_file("own.docx", OWN)), 403)
    put = api.call("PUT", path, headers={"If-Match": etag}, files=_file("own.docx", OWN))
    assert put.status_code == 200, put.text
    shown = api.get(line_path)
    assert shown.json()["attachment"] == "Unique" and shown.headers["etag"] == put.headers["etag"]
    assert api.get(path).content == OWN
    assert api.get(f"/segments/{no}/attachment").content == b"A-LET-EN"
    problem(api.delete(path, headers={"If-Match": etag}), 412)
    removed = api.delete(path, headers={"If-Match": put.headers["etag"]})
    assert removed.status_code == 204
    assert api.get(line_path).json()["attachment"] == "Inherited"
    assert api.get(path).content == b"A-LET-EN"
    problem(api.delete(path, headers={"If-Match": removed.headers["etag"]}), 422)
    problem(api.get(f"/segments/{no}/lines/999999/attachment"), 404)


def test_replacing_a_segment_letter_keeps_the_logged_entrys_file(api: Api) -> None:
    no, line_no = _segment(api)
    line_path = f"/segments/{no}/lines/{line_no}"
    put = api.call("PUT", f"{line_path}/attachment", headers={
        "If-Match": api.get(line_path).headers["etag"]}, files=_file("own.docx", OWN))
    own = put.json()["attachment_no"]
    entry_no = _used_by_an_entry(api, own)
    replaced = api.call("PUT", f"{line_path}/attachment", headers={"If-Match": put.headers[
        "etag"]}, files=_file("new.docx", LETTER))
    assert replaced.status_code == 200 and replaced.json()["attachment_no"] != own
    assert api.get(f"{line_path}/attachment").content == LETTER
    assert _entry_file(api, entry_no) == (own, OWN, True)
    header = api.get(f"/segments/{no}/attachment").content
    with api.rapport.use_case(readonly=True) as ctx:
        header_no = ctx.session.scalar(select(m.SegmentInteractionLanguage.attachment_no).where(
            m.SegmentInteractionLanguage.segment_no == no,
            m.SegmentInteractionLanguage.segment_line_no == 0))
    assert header_no is not None
    second = _used_by_an_entry(api, header_no)
    assert api.delete(f"/segments/{no}/attachment").status_code == 204
    assert _entry_file(api, second) == (header_no, header, True)
