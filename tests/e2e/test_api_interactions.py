"""Single interactions over HTTP: record, postpone and finish later, delete a postponed one;
cancel, un-cancel and evaluate log entries."""

from __future__ import annotations

from tests.e2e.api_support import Api, problem


def test_record_an_interaction_from_a_contact(api: Api) -> None:
    made = api.post("/interactions", json={"from_contact": "P3", "template_code": "T-CALL",
                                           "description": "Follow-up call", "duration": 15,
                                           "add_comments": ["Wants a quote"]})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["postponed"] is False and body["contact_no"] == "P3"
    assert body["duration"] == 15 and body["comment_lines"] == 1 and body["cost"] == "1.00"
    entry = api.get(f"/interaction-log-entries/{body['entry_no']}").json()
    assert entry["user_id"] == "MKT" and entry["interaction_template_code"] == "T-CALL"
    problem(api.post("/interactions", json={"from_contact": "NOBODY"}), 404, "E07")
    problem(api.post("/interactions", json={"template_code": "T-CALL"}), 422)
    problem(api.post("/interactions", role="viewer", json={"from_contact": "P3"}), 403)


def test_postpone_then_finish_or_delete(api: Api) -> None:
    draft = api.post("/interactions", json={"from_contact": "P11", "postpone": True})
    assert draft.status_code == 201 and draft.json()["postponed"] is True
    entry_no = draft.json()["entry_no"]
    listed = api.get("/interactions/postponed", role="viewer").json()
    assert [p["entry_no"] for p in listed] == [entry_no]
    problem(api.get(f"/interaction-log-entries/{entry_no}"), 404)  # a draft, not in the log
    finished = api.post(f"/interactions/postponed/{entry_no}/finish",
                        json={"template_code": "T-CALL"})
    assert finished.status_code == 200, finished.text
    assert finished.json()["postponed"] is False
    assert api.get("/interactions/postponed").json() == []
    second = api.post("/interactions", json={"from_contact": "P11", "postpone": True}).json()
    deleted = api.delete(f"/interactions/postponed/{second['entry_no']}")
    assert deleted.json()["entries"] == 1
    problem(api.delete(f"/interactions/postponed/{second['entry_no']}"), 404)


def test_cancel_uncancel_and_evaluate_an_entry(api: Api) -> None:
    entry_no = api.post("/interactions", json={"from_contact": "P3", "template_code": "T-CALL"}
                        ).json()["entry_no"]
    canceled = api.post(f"/interaction-log-entries/{entry_no}/cancel", json={})
    assert canceled.json() == {"canceled": True, "entries": 1, "attachments_removed": 0}
    assert api.get(f"/interaction-log-entries/{entry_no}").json()["canceled"] is True
    assert api.post(f"/interaction-log-entries/{entry_no}/uncancel").json()["canceled"] is False
    rated = api.post(f"/interaction-log-entries/{entry_no}/evaluate",
                     json={"evaluation": "positive"})
    assert rated.json()["entries"] == 1
    assert api.get(f"/interaction-log-entries/{entry_no}").json()["evaluation"] == "Positive"
    problem(api.post(f"/interaction-log-entries/{entry_no}/evaluate",
                     json={"evaluation": "great"}), 422)
    problem(api.post("/interaction-log-entries/99999/cancel", json={}), 404)
