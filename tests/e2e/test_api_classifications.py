"""Contact classifications, saved criteria and campaign entries over HTTP."""

from __future__ import annotations

from tests.e2e.api_support import NEWS, Api, problem


def test_give_and_take_a_contacts_mailing_group(api: Api) -> None:
    assert api.get("/contacts/P11/classifications/mailing-group", role="viewer").json() == [
        "NEWS"]
    assert api.get("/contacts/P12/classifications/job-responsibility").json() == ["PURCH"]
    added = api.post("/contacts/P12/classifications/mailing-group", json={"code": "news"})
    assert added.status_code == 201 and added.json() == ["NEWS"]
    problem(api.post("/contacts/P12/classifications/mailing-group", json={"code": "NEWS"}), 409)
    problem(api.post("/contacts/P12/classifications/industry-group", json={"code": "RETAIL"}),
            422)  # persons have no industry group
    problem(api.post("/contacts/P12/classifications/mailing-group", json={"code": "NOPE"}), 404)
    problem(api.post("/contacts/P12/classifications/colour", json={"code": "NEWS"}), 422)
    assert api.delete("/contacts/P12/classifications/mailing-group/NEWS").status_code == 204
    problem(api.delete("/contacts/P12/classifications/mailing-group/NEWS"), 404)
    problem(api.post("/contacts/P12/classifications/mailing-group", role="viewer",
                     json={"code": "NEWS"}), 403)


def test_saved_criteria_are_listed_read_and_deleted(api: Api) -> None:
    no = api.post("/segments", json={"description": "S"}).json()["no"]
    api.post(f"/segments/{no}/add-contacts", json={"filters": NEWS})
    api.post(f"/segments/{no}/save-criteria", json={"code": "NEWS", "description": "News"})
    assert api.get("/saved-criteria", role="viewer").json() == [
        {"code": "NEWS", "description": "News", "user_id": "MKT", "no_of_actions": 1}]
    detail = api.get("/saved-criteria/news").json()
    assert detail["steps"][0]["action"] == "Add Contacts"
    assert api.delete("/saved-criteria/NEWS").status_code == 204
    problem(api.get("/saved-criteria/NEWS"), 404)


def test_campaign_entries_are_listed_and_canceled(api: Api) -> None:
    campaign = api.post("/campaigns", json={"description": "Spring"}).json()["no"]
    no = api.post("/segments", json={"description": "S", "campaign_no": campaign,
                                     "interaction_template_code": "T-CALL"}).json()["no"]
    api.post(f"/segments/{no}/add-contacts", json={"filters": NEWS})
    assert api.post(f"/segments/{no}/log", json={"send": False}).json()["campaign_entries"] == 1
    page = api.get("/campaign-entries", role="viewer", params={"campaign_no": campaign}).json()
    assert page["total"] == 1 and page["items"][0]["no_of_interactions"] == 2
    entry_no = page["items"][0]["entry_no"]
    canceled = api.post(f"/campaign-entries/{entry_no}/cancel").json()
    assert canceled == {"canceled": True, "campaign_entries": 1, "entries": 2}
    assert api.post(f"/campaign-entries/{entry_no}/uncancel").json()["canceled"] is False
    problem(api.post("/campaign-entries/9999/cancel"), 404)
