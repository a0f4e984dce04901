"""E-mail delivery over HTTP: the outbox's state per logged segment and per entry, Resend
(E33) with an Idempotency-Key, and marking an unknown message sent — against a real SMTP
server on loopback (the API queues; a worker sends)."""

from __future__ import annotations

from typing import Any

from tests.builders_delivery import worker
from tests.builders_logging import bulk_segment
from tests.e2e.api_support import Api, problem
from tests.smtp_server import Handler, SmtpServer


def _logged(api: Api, no: str = "SEG0001", count: int = 3, prefix: str = "BK") -> int:
    """A segment of ``count`` e-mail lines logged with sending on; its logged segment."""
    with api.rapport.factory.begin() as session:
        bulk_segment(session, no, count, prefix=prefix)
    done = api.post(f"/segments/{no}/log", json={"send": True})
    assert done.status_code == 200, done.text
    assert done.json()["queued_for_delivery"] == count
    return int(done.json()["logged_segment_entry_no"])


def _entries(api: Api, ls: int) -> list[int]:
    items = api.get("/interaction-log-entries", params={"limit": 500}).json()["items"]
    return sorted(e["entry_no"] for e in items if e["logged_segment_entry_no"] == ls)


def _send(api: Api, handler: Handler | None = None) -> list[Any]:
    with SmtpServer(handler or Handler()) as server:
        worker(api.rapport, server.port).run()
    return list(server.received)


def test_the_outbox_state_per_logged_segment_and_per_entry(api: Api) -> None:
    ls = _logged(api)
    first, second, third = _entries(api, ls)
    state = api.get(f"/logged-segments/{ls}/delivery", role="viewer").json()
    assert state["counts"]["pending"] == 3 and state["problems"] == []
    handler = Handler(refuse={"bk2@bulk.test": ["550 5.1.1 No such user"]},
                      drop_after_data={"bk3@bulk.test"})
    assert len(_send(api, handler)) == 1
    state = api.get(f"/logged-segments/{ls}/delivery", role="viewer").json()
    counts = state["counts"]
    assert (counts["sent"], counts["failed"], counts["unknown"], counts["pending"]) == (
        1, 1, 1, 0)
    problems = {(p["entry_no"], p["status"]) for p in state["problems"]}
    assert problems == {(second, "failed"), (third, "unknown")} and state["more_problems"] == 0
    assert "550 5.1.1" in next(p["reason"] for p in state["problems"] if p["entry_no"] == second)
    assert api.get("/delivery", role="viewer").json()["counts"] == counts
    messages = api.get(f"/interaction-log-entries/{first}/messages", role="viewer").json()
    assert [(m["generation"], m["status"]) for m in messages] == [(0, "sent")]
    assert messages[0]["recipient"].lower() == "bk1@bulk.test"
    assert messages[0]["sent_at"].endswith("Z")
    problem(api.get("/logged-segments/999/delivery"), 404, "NOT_FOUND")
    problem(api.get("/interaction-log-entries/999999/messages"), 404, "NOT_FOUND")
    problem(api.get("/delivery", role=None), 401, "AUTH")


def test_resend_queues_selected_entries_again_once_per_idempotency_key(api: Api) -> None:
    ls = _logged(api)
    first, _, _ = _entries(api, ls)
    busy = problem(api.post(f"/logged-segments/{ls}/resend", json={}), 409, "CONFLICT")
    assert "still wait to be sent" in busy["detail"]
    _send(api)
    key = {"Idempotency-Key": "resend-1"}
    body = {"entry_nos": [first]}
    done = api.post(f"/logged-segments/{ls}/resend", json=body, headers=key)
    assert done.status_code == 200, done.text
    assert done.json() == {"logged_segment_entry_no": ls, "queued": 1, "skipped": 0,
                           "new_entries": []}
    again = api.post(f"/logged-segments/{ls}/resend", json=body, headers=key)
    assert again.json() == done.json() and again.headers["idempotent-replayed"] == "true"
    assert api.get(f"/logged-segments/{ls}/delivery").json()["counts"]["pending"] == 1
    assert len(_send(api)) == 1
    messages = api.get(f"/interaction-log-entries/{first}/messages").json()
    assert [(m["generation"], m["status"]) for m in messages] == [(0, "sent"), (1, "sent")]
    fresh = api.post(f"/logged-segments/{ls}/resend", json={"update_merge_fields": True})
    assert fresh.status_code == 200 and len(fresh.json()["new_entries"]) == 3
    reused = {**body, "correspondence_type": "email"}  # the same key for another request
    problem(api.post(f"/logged-segments/{ls}/resend", json=reused, headers=key), 409)


def test_resend_refuses_entries_of_another_logged_segment(api: Api) -> None:
    ls = _logged(api)
    other = _logged(api, "SEG0002", 1, prefix="OT")
    _send(api)
    theirs = _entries(api, other)
    body = problem(api.post(f"/logged-segments/{ls}/resend", json={"entry_nos": theirs}),
                   422, "E33")
    assert body["field"] == "entry_nos" and "same logged segment" in body["detail"]
    problem(api.post(f"/logged-segments/{ls}/resend", json={"entry_nos": [999999]}), 404)
    problem(api.post("/logged-segments/999/resend", json={}), 404)
    problem(api.post(f"/logged-segments/{ls}/resend", json={"correspondence_type": "fax"}),
            422, "VALIDATION")
    problem(api.post(f"/logged-segments/{ls}/resend", role="viewer", json={}), 403,
            "FORBIDDEN")
    problem(api.post(f"/logged-segments/{ls}/resend", role=None, json={}), 401)


def test_an_unknown_message_is_marked_sent(api: Api) -> None:
    ls = _logged(api, count=2)
    first, second = _entries(api, ls)
    _send(api, Handler(drop_after_data={"bk2@bulk.test"}))
    problem(api.post(f"/interaction-log-entries/{first}/mark-sent"), 409, "CONFLICT")
    problem(api.post(f"/interaction-log-entries/{second}/mark-sent", role="viewer"), 403)
    problem(api.post("/interaction-log-entries/999999/mark-sent"), 404, "NOT_FOUND")
    done = api.post(f"/interaction-log-entries/{second}/mark-sent",
                    headers={"Idempotency-Key": "mark-1"})
    assert done.status_code == 200 and done.json() == {"entry_no": second, "marked": 1}
    again = api.post(f"/interaction-log-entries/{second}/mark-sent",
                     headers={"Idempotency-Key": "mark-1"})
    assert again.json() == done.json() and again.headers["idempotent-replayed"] == "true"
    problem(api.post(f"/interaction-log-entries/{second}/mark-sent"), 409)
    state = api.get(f"/logged-segments/{ls}/delivery").json()
    assert state["counts"]["sent"] == 2 and state["problems"] == []
    assert api.get(f"/interaction-log-entries/{second}").json()["delivery_status"] == ""
