"""Setup over HTTP: salespeople, campaigns, interaction groups and templates, statistics."""

from __future__ import annotations

from tests.e2e.api_support import NEWS, Api, problem


def test_salespeople_are_read_by_all_and_changed_by_admins(api: Api) -> None:
    listed = api.get("/salespeople", role="viewer").json()
    assert [s["code"] for s in listed] == ["SP1", "SP2"]
    problem(api.post("/salespeople", json={"code": "SP3"}), 403, "FORBIDDEN")
    made = api.post("/salespeople", role="admin", json={"code": "sp3", "name": "Sia"})
    assert made.status_code == 201 and made.json()["code"] == "SP3"
    problem(api.post("/salespeople", role="admin", json={"code": "SP3"}), 409)
    blocked = api.patch("/salespeople/SP3", role="admin", json={"blocked": True})
    assert blocked.json()["blocked"] is True
    assert [s["code"] for s in api.get("/salespeople", params={"include_blocked": False})
            .json()] == ["SP1", "SP2"]
    problem(api.get("/salespeople/NOPE"), 404)
    problem(api.post("/salespeople", role="admin", json={"code": "X", "email": "not mail"}), 422)


def test_campaigns(api: Api) -> None:
    made = api.post("/campaigns", json={"description": "Spring", "starting_date": "2025-03-01",
                                        "ending_date": "2025-04-30"})
    assert made.status_code == 201, made.text
    no = made.json()["no"]
    assert api.get(f"/campaigns/{no}", role="viewer").json()["description"] == "Spring"
    body = problem(api.patch(f"/campaigns/{no}", json={"ending_date": "2025-01-01"}), 422)
    assert body["field"] in ("ending_date", "starting_date")
    assert api.patch(f"/campaigns/{no}", json={"activated": True}).json()["activated"] is True
    assert no in [c["no"] for c in api.get("/campaigns").json()]
    problem(api.post("/campaigns", role="viewer", json={"description": "V"}), 403)
    stats = api.get(f"/campaigns/{no}/statistics").json()
    assert stats["no_of_interactions"] == 0 and stats["cost"] == "0.00"
    problem(api.get("/campaigns/NOPE/statistics"), 404)


def test_interaction_groups_and_templates(api: Api) -> None:
    assert [g["code"] for g in api.get("/interaction-groups").json()] == ["EMAIL", "LETTER"]
    made = api.post("/interaction-groups", role="admin", json={"code": "visit"})
    assert made.status_code == 201 and made.json()["code"] == "VISIT"
    templates = api.get("/interaction-templates", params={"group": "LETTER"}).json()
    assert [t["code"] for t in templates] == ["T-CALL", "T-LET"]
    assert api.get("/interaction-templates/T-LET").json()["unit_cost"] == "2.50"
    new = api.post("/interaction-templates", role="admin",
                   json={"code": "T-VIS", "interaction_group_code": "VISIT", "unit_cost": "9.5",
                         "correspondence_type_default": ""})
    assert new.status_code == 201, new.text
    assert new.json()["unit_cost"] == "9.50"
    changed = api.patch("/interaction-templates/T-VIS", role="admin",
                        json={"description": "Site visit"})
    assert changed.json()["description"] == "Site visit"
    problem(api.post("/interaction-templates", role="admin",
                     json={"code": "T-X", "interaction_group_code": "NOPE"}), 404)
    problem(api.patch("/interaction-templates/T-VIS", json={"description": "M"}), 403)


def test_interaction_statistics_by_template(api: Api) -> None:
    no = api.post("/segments", json={"description": "Calls",
                                     "interaction_template_code": "T-CALL"}).json()["no"]
    api.post(f"/segments/{no}/add-contacts", json={"filters": NEWS})
    api.post(f"/segments/{no}/log", json={"send": False})
    rows = api.get("/statistics/interactions", role="viewer", params={"by": "template"}).json()
    assert rows == [{"key": "T-CALL", "no_of_interactions": 2, "cost": "2.00", "duration": 20,
                     "campaign_targets": 0, "campaign_responses": 0}]
    problem(api.get("/statistics/interactions", params={"by": "weather"}), 422)


def test_code_tables(api: Api) -> None:
    assert api.get("/code-tables/mailing-group", role="viewer").json() == [
        {"code": "NEWS", "description": "News"}]
    made = api.post("/code-tables/territory", role="admin",
                    json={"code": "nordic", "description": "Nordic countries"})
    assert made.status_code == 201 and made.json() == {"code": "NORDIC",
                                                       "description": "Nordic countries"}
    problem(api.post("/code-tables/territory", role="admin", json={"code": "NORDIC"}), 409)
    problem(api.post("/code-tables/territory", json={"code": "X"}), 403)
    changed = api.patch("/code-tables/territory/NORDIC", role="admin",
                        json={"description": "The North"})
    assert changed.json()["description"] == "The North"
    used = problem(api.delete("/code-tables/mailing-group/NEWS", role="admin"), 409)
    assert "used by" in used["detail"]
    assert api.delete("/code-tables/territory/NORDIC", role="admin").status_code == 204
    problem(api.delete("/code-tables/territory/NORDIC", role="admin"), 404)
    problem(api.get("/code-tables/planets"), 422)


def test_marketing_setup_and_number_series(api: Api) -> None:
    read = api.get("/marketing-setup", role="admin").json()
    assert read["segment_nos"] == "SEG" and read["inherit_salesperson"] is True
    problem(api.get("/marketing-setup", role="marketer"), 403)
    changed = api.patch("/marketing-setup", role="admin", json={"default_salesperson_code": "SP1"})
    assert changed.json()["default_salesperson_code"] == "SP1"
    problem(api.patch("/marketing-setup", role="admin", json={"segment_nos": "NOPE"}), 404)
    assert [s["code"] for s in api.get("/number-series", role="admin").json()] == [
        "CAMP", "CONT", "SEG"]
    made = api.post("/number-series", role="admin",
                    json={"code": "seg2", "starting_no": "S2-0001", "manual_nos": True})
    assert made.status_code == 201 and made.json()["code"] == "SEG2"
    problem(api.post("/number-series", role="admin", json={"code": "SEG2", "starting_no": "X1"}),
            409)
    assert api.patch("/number-series/SEG2", role="admin", json={"description": "Second"}
                     ).json()["description"] == "Second"
    problem(api.patch("/number-series/NOPE", role="admin", json={"description": "x"}), 404)
