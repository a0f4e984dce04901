"""Segments over HTTP: header and lines with ETag/If-Match, criteria actions, Log with an
Idempotency-Key, logged segments and the interaction log entries they made."""

from __future__ import annotations

from typing import Any

from tests.e2e.api_support import NEWS, Api, problem


def _segment(api: Api, **fields: Any) -> str:
    made = api.post("/segments", json={"description": "Spring mailing", **fields})
    assert made.status_code == 201, made.text
    return str(made.json()["no"])


def test_create_read_change_delete_a_segment(api: Api) -> None:
    made = api.post("/segments", json={"description": "Spring mailing"})
    no = made.json()["no"]
    assert no == "SEG0001" and made.json()["user_id"] == "MKT"  # the acting user
    assert made.headers["location"] == "/api/v1/segments/SEG0001"
    read = api.get(f"/segments/{no}", role="viewer")
    assert read.headers["etag"] == made.headers["etag"] and read.json()["no_of_lines"] == 0
    etag = read.headers["etag"]
    problem(api.patch(f"/segments/{no}", json={"description": "X"}), 428, "PRECONDITION")
    changed = api.patch(f"/segments/{no}", json={"interaction_template_code": "T-LET",
                                                 "update_lines": True},
                        headers={"If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["interaction_template_code"] == "T-LET"
    assert changed.json()["unit_cost"] == "2.50"
    problem(api.patch(f"/segments/{no}", json={"description": "Y"}, headers={"If-Match": etag}),
            412, "PRECONDITION")
    problem(api.patch(f"/segments/{no}", json={"interaction_template_code": "NOPE"},
                      headers={"If-Match": changed.headers["etag"]}), 404)
    problem(api.delete(f"/segments/{no}", headers={"If-Match": etag}), 412)
    assert api.delete(f"/segments/{no}", headers={"If-Match": changed.headers["etag"]}
                      ).status_code == 204
    problem(api.get(f"/segments/{no}"), 404, "NOT_FOUND")


def test_segments_are_listed_with_a_total(api: Api) -> None:
    for text in ("One", "Two", "Three"):
        _segment(api, description=text)
    page = api.get("/segments", role="viewer", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 3 and [s["description"] for s in page["items"]] == ["Two", "Three"]
    found = api.get("/segments", params={"search": "thr"}).json()
    assert found["total"] == 1


def test_add_preview_reduce_refine_and_go_back_by_criteria(api: Api) -> None:
    no = _segment(api)
    preview = api.post(f"/segments/{no}/preview", role="viewer", json={"filters": NEWS})
    assert preview.json() == {"action": "add", "count": 2}  # P11, P3 (X1 is excluded)
    added = api.post(f"/segments/{no}/add-contacts", json={"filters": NEWS})
    assert added.json() == {"added": 2, "skipped_privacy": 0, "no_of_criteria_actions": 1}
    salesperson = [{"section": "Contact", "field": "salesperson_code", "expression": "SP2"}]
    assert api.post(f"/segments/{no}/add-contacts",
                    json={"filters": salesperson}).json()["added"] == 2  # C1, P12
    lines = api.get(f"/segments/{no}/lines").json()
    assert sorted(line["contact_no"] for line in lines["items"]) == ["C1", "P11", "P12", "P3"]
    email = [{"section": "Contact", "field": "correspondence_type", "expression": "Email"}]
    assert api.post(f"/segments/{no}/preview", json={"action": "refine", "filters": email}
                    ).json()["count"] == 1  # P12 has no type
    assert api.post(f"/segments/{no}/refine-contacts", json={"filters": email}
                    ).json() == {"removed": 1}
    assert api.post(f"/segments/{no}/reduce-contacts", json={"filters": NEWS}
                    ).json() == {"removed": 2}
    steps = api.get(f"/segments/{no}/criteria", role="viewer").json()
    assert [s["action"] for s in steps] == ["Add Contacts", "Add Contacts",
                                            "Remove Contacts (Refine)",
                                            "Remove Contacts (Reduce)"]
    assert steps[0]["filters"] == [{"section": "Mailing Group", "field": "mailing_group_code",
                                    "expression": "NEWS"}]
    assert api.post(f"/segments/{no}/go-back").json() == {"no_of_criteria_actions": 3}
    assert api.get(f"/segments/{no}").json()["no_of_lines"] == 3


def test_every_bad_filter_is_named_at_once(api: Api) -> None:
    no = _segment(api)
    bad = [{"section": "Contact", "field": "colour", "expression": "red"},
           {"section": "Contact", "field": "date_of_last_interaction", "expression": "32.13"},
           {"section": "Nowhere", "field": "x", "expression": "1"}]
    body = problem(api.post(f"/segments/{no}/add-contacts", json={"filters": bad}), 422)
    assert len(body["errors"]) == 3 and body["errors"][0]["field"] == "colour"
    assert api.get(f"/segments/{no}").json()["no_of_criteria_actions"] == 0
    problem(api.post("/segments/NOPE/add-contacts", json={"filters": NEWS}), 404)
    problem(api.post(f"/segments/{no}/add-contacts", json={"filters": NEWS, "x": 1}), 422)
    problem(api.post(f"/segments/{no}/add-contacts", role="viewer", json={"filters": NEWS}), 403)


def test_save_and_reuse_criteria(api: Api) -> None:
    first = _segment(api)
    api.post(f"/segments/{first}/add-contacts", json={"filters": NEWS})
    saved = api.post(f"/segments/{first}/save-criteria", json={"code": "news", "description": "N"})
    assert saved.status_code == 201 and saved.json() == {"code": "NEWS", "actions_saved": 1}
    problem(api.post(f"/segments/{first}/save-criteria", json={"code": "NEWS"}), 409, "E15")
    problem(api.post(f"/segments/{first}/reuse-criteria", json={"code": "NEWS"}), 409)
    second = _segment(api)
    reused = api.post(f"/segments/{second}/reuse-criteria", json={"code": "NEWS"}).json()
    assert reused["actions_replayed"] == 1 and reused["lines_added"] == 2
    appended = api.post(f"/segments/{first}/reuse-criteria",
                        json={"code": "NEWS", "append": True})
    assert appended.json()["no_of_criteria_actions"] == 2


def test_lines_by_hand_with_etags_and_keyset_pages(api: Api) -> None:
    no = _segment(api, interaction_template_code="T-LET")
    for contact in ("P3", "P11", "C2", "P21"):
        made = api.post(f"/segments/{no}/lines", json={"contact_no": contact})
        assert made.status_code == 201, made.text
    blank = api.post(f"/segments/{no}/lines", json={})
    assert blank.json()["contact_no"] is None
    seen, after = [], None
    while True:
        params = {"limit": 2} | ({} if after is None else {"after": after})
        page = api.get(f"/segments/{no}/lines", role="viewer", params=params).json()
        assert page["total"] == 5
        seen += [line["line_no"] for line in page["items"]]
        if (after := page["next_after"]) is None:
            break
    assert seen == sorted(seen) and len(seen) == 5
    line = api.get(f"/segments/{no}/lines/{seen[0]}")
    assert line.json()["contact_no"] == "P3" and line.json()["description"] == "Spring mailing"
    etag = line.headers["etag"]
    problem(api.patch(f"/segments/{no}/lines/{seen[0]}", json={"subject": "Hi"}), 428)
    changed = api.patch(f"/segments/{no}/lines/{seen[0]}", json={"subject": "Hi", "cost": "3"},
                        headers={"If-Match": etag})
    assert changed.json()["subject"] == "Hi" and changed.json()["cost"] == "3.00"
    problem(api.patch(f"/segments/{no}/lines/{seen[0]}", json={"subject": "Ho"},
                      headers={"If-Match": etag}), 412)
    problem(api.patch(f"/segments/{no}/lines/{seen[0]}", json={"cost": "-1"},
                      headers={"If-Match": changed.headers["etag"]}), 422)
    problem(api.get(f"/segments/{no}/lines/999999"), 404)
    assert api.delete(f"/segments/{no}/lines/{seen[1]}",
                      headers={"If-Match": api.get(f"/segments/{no}/lines/{seen[1]}")
                               .headers["etag"]}).status_code == 204
    assert api.get(f"/segments/{no}").json()["no_of_lines"] == 4
    problem(api.post(f"/segments/{no}/lines", json={"contact_no": "NOBODY"}), 404)


def test_log_with_an_idempotency_key_logs_once(api: Api) -> None:
    no = _segment(api, interaction_template_code="T-CALL")
    api.post(f"/segments/{no}/add-contacts", json={"filters": NEWS})
    key = {"Idempotency-Key": "log-spring-1"}
    first = api.post(f"/segments/{no}/log", json={"send": False}, headers=key)
    assert first.status_code == 200, first.text
    logged = first.json()
    assert logged["entries"] == 2 and logged["segment_no"] == no
    again = api.post(f"/segments/{no}/log", json={"send": False}, headers=key)
    assert again.json() == logged and again.headers["idempotent-replayed"] == "true"
    other = api.post(f"/segments/{no}/log", json={"send": True}, headers=key)
    assert problem(other, 409)["field"] == "Idempotency-Key"
    problem(api.post(f"/segments/{no}/log", json={"send": False}), 409, "E03")  # logged
    entries = api.get("/interaction-log-entries", role="viewer",
                      params={"segment_no": no}).json()
    assert entries["total"] == 2
    assert {e["user_id"] for e in entries["items"]} == {"MKT"}
    listed = api.get("/logged-segments", params={"segment_no": no}).json()
    assert listed["total"] == 1 and listed["items"][0]["no_of_interactions"] == 2
    assert listed["items"][0]["user_id"] == "MKT"


def test_log_reports_every_bad_line(api: Api) -> None:
    no = _segment(api)  # no interaction template: every line is refused (E06)
    api.post(f"/segments/{no}/add-contacts", json={"filters": NEWS})
    body = problem(api.post(f"/segments/{no}/log", json={"send": False}), 422, "MULTIPLE")
    assert [e["code"] for e in body["errors"]] == ["E06", "E06"]
    assert all(e["field"] == "Interaction Template Code" for e in body["errors"])
    assert api.get(f"/segments/{no}").status_code == 200  # nothing logged


def test_cancel_a_logged_segment_and_read_its_entries(api: Api) -> None:
    no = _segment(api, interaction_template_code="T-CALL")
    api.post(f"/segments/{no}/add-contacts", json={"filters": NEWS})
    entry_no = api.post(f"/segments/{no}/log", json={"send": False}).json()[
        "logged_segment_entry_no"]
    canceled = api.post(f"/logged-segments/{entry_no}/cancel")
    assert canceled.json() == {"canceled": True, "logged_segments": 1, "entries": 2,
                               "campaign_entries": 0}
    assert api.get("/logged-segments", params={"canceled": True}).json()["total"] == 1
    assert api.post(f"/logged-segments/{entry_no}/uncancel").json()["canceled"] is False
    problem(api.post("/logged-segments/9999/cancel"), 404)
    problem(api.post(f"/logged-segments/{entry_no}/cancel", role="viewer"), 403)
    page = api.get("/interaction-log-entries", params={"limit": 1}).json()
    assert page["total"] == 2 and page["next_after"] is not None
    older = api.get("/interaction-log-entries",
                    params={"limit": 1, "after": page["next_after"]}).json()
    assert older["items"][0]["entry_no"] < page["items"][0]["entry_no"]
    assert older["next_after"] is not None
    entry = older["items"][0]["entry_no"]
    assert api.get(f"/interaction-log-entries/{entry}").json()["segment_no"] == no
    problem(api.get("/interaction-log-entries/99999"), 404)
    made = api.post(f"/interaction-log-entries/{entry}/comments", json={"comment": "Called"})
    assert made.status_code == 201 and made.json()["comment"] == "Called"
    assert [c["comment"] for c in api.get(f"/interaction-log-entries/{entry}/comments").json()
            ] == ["Called"]
    assert api.get(f"/interaction-log-entries/{entry}").json()["has_comments"] is True
    reuse = _segment(api)
    added = api.post(f"/segments/{reuse}/reuse-logged",
                     json={"logged_segment_entry_no": entry_no})
    assert added.json() == {"added": 2}
