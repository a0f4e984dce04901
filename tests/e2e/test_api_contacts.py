"""Contacts over HTTP: keyset pages, create, read, change and delete with ETag/If-Match."""

from __future__ import annotations

from tests.e2e.api_support import Api, problem

ALL = ["C1", "C2", "P11", "P12", "P21", "P3", "X1", "X11"]


def test_contacts_are_listed_by_number_in_keyset_pages(api: Api) -> None:
    seen, after = [], None
    while True:
        params = {"limit": 3} if after is None else {"limit": 3, "after": after}
        page = api.get("/contacts", role="viewer", params=params).json()
        assert page["total"] == len(ALL) and page["limit"] == 3
        seen += [c["no"] for c in page["items"]]
        after = page["next_after"]
        if after is None:
            break
    assert seen == ALL
    company = api.get("/contacts", params={"company_no": "c1"}).json()
    assert [c["no"] for c in company["items"]] == ["C1", "P11", "P12"] and company["total"] == 3
    problem(api.get("/contacts", params={"type": "Robot"}), 422, "VALIDATION")
    problem(api.get("/contacts", params={"limit": 0}), 422, "VALIDATION")


def test_create_read_change_delete_a_contact(api: Api) -> None:
    made = api.post("/contacts", json={"name": "Nova AS", "city": "Oslo"})
    assert made.status_code == 201, made.text
    no = made.json()["no"]
    assert made.headers["location"] == f"/api/v1/contacts/{no}" and made.headers["etag"]
    read = api.get(f"/contacts/{no}", role="viewer")
    assert read.json()["name"] == "Nova AS" and read.headers["etag"] == made.headers["etag"]
    etag = read.headers["etag"]
    changed = api.patch(f"/contacts/{no}", json={"city": "Bergen"}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.json()["city"] == "Bergen"
    assert changed.headers["etag"] != etag
    stale = api.patch(f"/contacts/{no}", json={"city": "Tromsø"}, headers={"If-Match": etag})
    problem(stale, 412, "PRECONDITION")
    problem(api.patch(f"/contacts/{no}", json={"city": "Tromsø"}), 428, "PRECONDITION")
    assert api.get(f"/contacts/{no}").json()["city"] == "Bergen"
    problem(api.delete(f"/contacts/{no}", headers={"If-Match": etag}), 412)
    deleted = api.delete(f"/contacts/{no}", headers={"If-Match": changed.headers["etag"]})
    assert deleted.status_code == 200 and deleted.json()["no"] == no
    problem(api.get(f"/contacts/{no}"), 404, "NOT_FOUND")
    problem(api.get("/contacts/NOBODY"), 404, "NOT_FOUND")


def test_bad_contact_input_names_the_field(api: Api) -> None:
    body = problem(api.post("/contacts", json={"name": "X", "exclude_from_segment": "maybe"}),
                   422, "VALIDATION")
    assert body["field"] == "exclude_from_segment"
    body = problem(api.post("/contacts", json={"name": "X", "colour": "red"}), 422)
    assert body["field"] == "colour"
    body = problem(api.post("/contacts", json={"name": "X", "salesperson_code": "NOPE"}), 404)
    assert body["field"] == "salesperson_code"
    etag = api.get("/contacts/P11").headers["etag"]
    body = problem(api.patch("/contacts/P11", json={"type": "Wizard"},
                             headers={"If-Match": etag}), 422)
    assert body["field"] == "type"


def test_a_look_alike_contact_needs_allow_duplicate(api: Api) -> None:
    twin = {"name": "Alpha Ltd 2", "email": "c1@alpha.test"}
    refused = problem(api.post("/contacts", json=twin), 409)
    assert "C1" in refused["detail"]
    made = api.post("/contacts", json={**twin, "allow_duplicate": True})
    assert made.status_code == 201 and made.json()["no"].startswith("CT")


def test_a_contact_on_a_segment_line_cannot_be_deleted(api: Api) -> None:
    no = api.post("/segments", json={"description": "Hold"}).json()["no"]
    assert api.post(f"/segments/{no}/lines", json={"contact_no": "P3"}).status_code == 201
    etag = api.get("/contacts/P3").headers["etag"]
    body = api.delete("/contacts/P3", headers={"If-Match": etag})
    assert body.status_code in (409, 422) and "segment" in body.json()["detail"].lower()
    assert api.get("/contacts/P3").status_code == 200


def test_viewers_cannot_change_contacts(api: Api) -> None:
    problem(api.post("/contacts", role="viewer", json={"name": "V"}), 403, "FORBIDDEN")
    etag = api.get("/contacts/P3").headers["etag"]
    problem(api.patch("/contacts/P3", role="viewer", json={"city": "V"},
                      headers={"If-Match": etag}), 403)
