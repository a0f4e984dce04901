"""Alternate addresses of a contact and their date ranges over HTTP."""

from __future__ import annotations

from tests.e2e.api_support import Api, problem

HOME = {"code": "home", "address": "Fjordveien 2", "city": "Bergen", "email": "p3@home.test"}


def test_create_read_change_delete_an_alternate_address(api: Api) -> None:
    made = api.post("/contacts/p3/alt-addresses", json=HOME)
    assert made.status_code == 201, made.text
    assert made.json()["code"] == "HOME" and made.json()["contact_no"] == "P3"
    assert made.headers["location"] == "/api/v1/contacts/P3/alt-addresses/HOME"
    api.post("/contacts/P3/alt-addresses", json={"code": "CABIN", "city": "Geilo"})
    listed = api.get("/contacts/P3/alt-addresses", role="viewer").json()
    assert [(a["code"], a["city"]) for a in listed] == [("CABIN", "Geilo"), ("HOME", "Bergen")]
    read = api.get("/contacts/P3/alt-addresses/home", role="viewer")
    assert read.json() == made.json() and read.headers["etag"] == made.headers["etag"]
    etag = read.headers["etag"]
    changed = api.patch("/contacts/P3/alt-addresses/HOME", json={"city": "Voss"},
                        headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.json()["city"] == "Voss"
    assert changed.json()["address"] == "Fjordveien 2" and changed.headers["etag"] != etag
    problem(api.patch("/contacts/P3/alt-addresses/HOME", json={"city": "Oslo"},
                      headers={"If-Match": etag}), 412, "PRECONDITION")
    problem(api.patch("/contacts/P3/alt-addresses/HOME", json={"city": "Oslo"}), 428)
    problem(api.delete("/contacts/P3/alt-addresses/HOME"), 428, "PRECONDITION")
    deleted = api.delete("/contacts/P3/alt-addresses/HOME",
                         headers={"If-Match": changed.headers["etag"]})
    assert deleted.status_code == 204
    problem(api.get("/contacts/P3/alt-addresses/HOME"), 404, "NOT_FOUND")
    assert [a["code"] for a in api.get("/contacts/P3/alt-addresses").json()] == ["CABIN"]


def test_date_ranges_say_when_an_address_is_used(api: Api) -> None:
    api.post("/contacts/P3/alt-addresses", json=HOME)
    api.post("/contacts/P3/alt-addresses", json={"code": "CABIN"})
    ranges = "/contacts/P3/alt-addresses/HOME/date-ranges"
    made = api.post(ranges, json={"starting_date": "2025-06-01", "ending_date": "2025-08-31"})
    assert made.status_code == 201, made.text
    assert made.json() == {"starting_date": "2025-06-01", "ending_date": "2025-08-31"}
    api.post(ranges, json={"starting_date": "2026-01-01"})
    assert [r["starting_date"] for r in api.get(ranges, role="viewer").json()] == [
        "2025-06-01", "2026-01-01"]
    # One range per contact and starting date, whichever address it is for.
    taken = problem(api.post("/contacts/P3/alt-addresses/CABIN/date-ranges",
                             json={"starting_date": "2025-06-01"}), 409, "CONFLICT")
    assert "HOME" in taken["detail"]
    backwards = problem(api.post(ranges, json={"starting_date": "2025-09-01",
                                               "ending_date": "2025-08-01"}), 422)
    assert backwards["field"] == "ending_date"
    changed = api.patch(f"{ranges}/2026-01-01", json={"ending_date": "2026-03-31"})
    assert changed.status_code == 200 and changed.json()["ending_date"] == "2026-03-31"
    problem(api.patch(f"{ranges}/2026-01-01", json={"ending_date": "2025-12-31"}), 422)
    problem(api.patch("/contacts/P3/alt-addresses/CABIN/date-ranges/2026-01-01",
                      json={"ending_date": None}), 404, "NOT_FOUND")
    assert api.delete(f"{ranges}/2026-01-01").status_code == 204
    problem(api.delete(f"{ranges}/2026-01-01"), 404)
    etag = api.get("/contacts/P3/alt-addresses/HOME").headers["etag"]
    api.delete("/contacts/P3/alt-addresses/HOME", headers={"If-Match": etag})
    again = api.post("/contacts/P3/alt-addresses/CABIN/date-ranges",
                     json={"starting_date": "2025-06-01"})
    assert again.status_code == 201  # the deleted address's ranges went with it


def test_an_active_alternate_address_goes_on_new_segment_lines(api: Api) -> None:
    api.post("/contacts/P3/alt-addresses", json=HOME)
    api.post("/contacts/P3/alt-addresses/HOME/date-ranges", json={"starting_date": "2000-01-01"})
    no = api.post("/segments", json={"description": "Alt"}).json()["no"]
    line = api.post(f"/segments/{no}/lines", json={"contact_no": "P3"})
    assert line.status_code == 201, line.text
    assert line.json()["contact_alt_address_code"] == "HOME"


def test_bad_alternate_addresses_are_refused(api: Api) -> None:
    problem(api.get("/contacts/NOBODY/alt-addresses"), 404, "NOT_FOUND")
    problem(api.post("/contacts/NOBODY/alt-addresses", json=HOME), 404)
    api.post("/contacts/P3/alt-addresses", json=HOME)
    problem(api.post("/contacts/P3/alt-addresses", json=HOME), 409, "CONFLICT")
    body = problem(api.post("/contacts/P3/alt-addresses", json={"code": "X", "email": "nope"}),
                   422)
    assert body["field"] == "email"
    body = problem(api.post("/contacts/P3/alt-addresses",
                            json={"code": "X", "country_region_code": "ZZ"}), 404)
    assert body["field"] == "country_region_code"
    body = problem(api.post("/contacts/P3/alt-addresses", json={"code": "X", "colour": "red"}),
                   422)
    assert body["field"] == "colour"
    problem(api.post("/contacts/P3/alt-addresses", json={"city": "Oslo"}), 422, "VALIDATION")
    problem(api.post("/contacts/P3/alt-addresses/HOME/date-ranges",
                     json={"starting_date": "someday"}), 422)
    problem(api.get("/contacts/P3/alt-addresses/HOME/date-ranges", role=None), 401, "AUTH")
    problem(api.post("/contacts/P3/alt-addresses", role="viewer", json={"code": "V"}), 403,
            "FORBIDDEN")
    etag = api.get("/contacts/P3/alt-addresses/HOME").headers["etag"]
    problem(api.delete("/contacts/P3/alt-addresses/HOME", role="viewer",
                       headers={"If-Match": etag}), 403)
    problem(api.post("/contacts/P3/alt-addresses/HOME/date-ranges", role="viewer",
                     json={"starting_date": "2025-01-01"}), 403)
