"""Interaction drafts over HTTP: the Create Interaction wizard over several requests (start,
change, evaluate, finish, postpone, resume, cancel), kept per account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from rapport.db import models as m
from tests.e2e.api_support import Api, problem


def _entries(api: Api) -> int:
    total: int = api.get("/interaction-log-entries", params={"limit": 1}).json()["total"]
    return total


def _draft(api: Api, role: str = "marketer", **body: Any) -> dict[str, Any]:
    made = api.post("/interaction-drafts", role=role, json=body)
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    assert made.headers["location"] == f"/api/v1/interaction-drafts/{found['id']}"
    return found


def test_a_draft_is_built_over_several_requests_then_finished(api: Api) -> None:
    draft = _draft(api, from_contact="P3")
    assert draft["contact_no"] == "P3" and draft["locked"] == ["contact_no"]
    assert draft["salesperson_code"] == "SP2" and draft["interaction_template_code"] is None
    path = f"/interaction-drafts/{draft['id']}"
    changed = api.patch(path, json={"template_code": "T-CALL", "description": "Quote call",
                                    "add_comments": ["Wants a quote"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["cost"] == "1.00" and changed.json()["duration"] == 10
    assert changed.json()["comments"][0]["text"] == "Wants a quote"
    rated = api.post(f"{path}/evaluate", json={"evaluation": "Positive",
                                                "interaction_successful": False})
    assert rated.json()["evaluation"] == "Positive" and not rated.json()["interaction_successful"]
    assert [d["id"] for d in api.get("/interaction-drafts").json()] == [draft["id"]]
    assert api.get(path).json()["description"] == "Quote call"
    before = _entries(api)
    finished = api.post(f"{path}/finish", json={"deliver": False})
    assert finished.status_code == 200, finished.text
    entry = finished.json()
    assert entry["postponed"] is False and entry["subject"] == "Quote call"
    assert entry["evaluation"] == "Positive" and entry["attempt_failed"] is True
    assert entry["comment_lines"] == 1 and _entries(api) == before + 1
    assert api.get(f"/interaction-log-entries/{entry['entry_no']}").json()["user_id"] == "MKT"
    problem(api.get(path), 404)
    assert api.get("/interaction-drafts").json() == []


def test_finishing_runs_the_wizard_checks_and_changes_nothing(api: Api) -> None:
    draft = _draft(api, from_salesperson="SP1")
    path = f"/interaction-drafts/{draft['id']}"
    before = _entries(api)
    refused = problem(api.post(f"{path}/finish"), 422)
    assert {e["code"] for e in refused["errors"]} == {"E25"}
    assert {e["field"] for e in refused["errors"]} >= {"contact_no", "interaction_template_code"}
    assert _entries(api) == before and api.get(path).status_code == 200
    problem(api.patch(path, json={"template_code": "NOPE"}), 404, "E07")
    problem(api.patch(path, json={"cost": "-1"}), 422)
    problem(api.patch(path, json={"contact": "a"}), 422)  # several contacts: never a guess
    problem(api.post(f"{path}/evaluate", json={"evaluation": "great"}), 422)
    problem(api.post("/interaction-drafts", json={"from_contact": "NOBODY"}), 404, "E07")
    problem(api.post("/interaction-drafts", json={"template_code": "T-CALL"}), 422)
    fixed = api.patch(path, json={"contact": "Dora", "template_code": "T-CALL"})
    assert fixed.json()["contact_no"] == "P3"
    assert api.post(f"{path}/finish", json={"deliver": False}).status_code == 200
    assert _entries(api) == before + 1


def test_drafts_belong_to_the_account_that_started_them(api: Api) -> None:
    draft = _draft(api, role="admin", from_contact="P3", template_code="T-CALL")
    path = f"/interaction-drafts/{draft['id']}"
    assert api.get(path, role="admin").status_code == 200
    for response in (api.get(path), api.patch(path, json={"description": "Mine"}),
                     api.post(f"{path}/finish"), api.post(f"{path}/postpone"),
                     api.post(f"{path}/cancel"),
                     api.post(f"{path}/evaluate", json={"evaluation": "Neutral"})):
        problem(response, 404)
    assert api.get("/interaction-drafts").json() == []
    assert api.get("/interaction-drafts", role="viewer").json() == []
    problem(api.post("/interaction-drafts", role="viewer", json={"from_contact": "P3"}), 403)
    problem(api.patch(path, role="viewer", json={"description": "x"}), 403)
    problem(api.get("/interaction-drafts", role=None), 401, "AUTH")
    assert api.get(path, role="admin").json()["description"] == "Call"


def test_postpone_resume_cancel_and_finish_the_same_entry(api: Api) -> None:
    draft = _draft(api, from_contact="P11", template_code="T-CALL", description="First try")
    postponed = api.post(f"/interaction-drafts/{draft['id']}/postpone")
    assert postponed.status_code == 200 and postponed.json()["postponed"] is True
    entry_no = postponed.json()["entry_no"]
    assert [p["entry_no"] for p in api.get("/interactions/postponed").json()] == [entry_no]
    resumed = api.post(f"/interactions/postponed/{entry_no}/resume")
    assert resumed.status_code == 201, resumed.text
    assert resumed.json()["entry_no"] == entry_no
    assert resumed.json()["description"] == "First try"
    again = f"/interaction-drafts/{resumed.json()['id']}"
    api.patch(again, json={"description": "Changed, then dropped"})
    assert api.post(f"{again}/cancel").status_code == 204
    problem(api.get(again), 404)
    kept = api.get("/interactions/postponed").json()
    assert [(p["entry_no"], p["description"]) for p in kept] == [(entry_no, "First try")]
    one = api.post(f"/interactions/postponed/{entry_no}/resume").json()
    two = api.post(f"/interactions/postponed/{entry_no}/resume").json()
    done = api.post(f"/interaction-drafts/{one['id']}/finish", json={"deliver": False})
    assert done.json()["entry_no"] == entry_no and done.json()["postponed"] is False
    problem(api.post(f"/interaction-drafts/{two['id']}/finish"), 409, "NOT_POSTPONED")
    assert api.get(f"/interaction-drafts/{two['id']}").status_code == 200
    problem(api.post(f"/interactions/postponed/{entry_no}/resume"), 409, "NOT_POSTPONED")
    problem(api.post("/interactions/postponed/99999/resume"), 404)
    problem(api.post(f"/interactions/postponed/{entry_no}/resume", role="viewer"), 403)


def test_a_draft_from_a_log_entry_and_a_retried_finish(api: Api) -> None:
    first = api.post("/interactions", json={"from_contact": "P3", "template_code": "T-CALL",
                                            "campaign_no": "CP1"}).json()
    draft = _draft(api, from_entry=first["entry_no"], template_code="T-CALL")
    assert draft["contact_no"] == "P3" and draft["campaign_no"] == "CP1"
    assert "campaign_no" in draft["locked"]
    path = f"/interaction-drafts/{draft['id']}/finish"
    key = {"Idempotency-Key": "draft-finish-1"}
    once = api.post(path, headers=key, json={"deliver": False})
    twice = api.post(path, headers=key, json={"deliver": False})
    assert once.status_code == twice.status_code == 200
    assert twice.json() == once.json() and twice.headers["idempotent-replayed"] == "true"
    assert once.json()["campaign_entry_no"] == first["campaign_entry_no"]
    problem(api.post(path, json={"deliver": False}), 404)


def test_a_file_uploaded_into_a_draft_becomes_the_entrys_attachment(api: Api) -> None:
    draft = _draft(api, from_contact="P3", template_code="T-CALL")
    path = f"/interaction-drafts/{draft['id']}/attachment"
    content = bytes(range(256))  # not text: multipart keeps every byte
    put = api.call("PUT", path, files={"file": ("minutes.pdf", content, "application/pdf")})
    assert put.status_code == 200, put.text
    assert put.json()["upload_file_name"] == "minutes.pdf"
    problem(api.call("PUT", path, role="admin", files={"file": ("x.pdf", b"x")}), 404)
    problem(api.call("PUT", path, role="viewer", files={"file": ("x.pdf", b"x")}), 403)
    problem(api.call("PUT", path), 422, "VALIDATION")
    entry = api.post(f"/interaction-drafts/{draft['id']}/finish", json={"deliver": False}).json()
    with api.rapport.use_case(readonly=True) as ctx:
        stored = ctx.session.execute(
            select(m.Attachment.file_name, m.Attachment.content, m.Attachment.read_only)
            .join(m.InteractionLogEntry, m.InteractionLogEntry.attachment_no == m.Attachment.no)
            .where(m.InteractionLogEntry.entry_no == entry["entry_no"])).one()
    assert tuple(stored) == ("minutes.pdf", content, True)
