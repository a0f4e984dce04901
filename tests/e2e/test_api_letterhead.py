"""Company information and salutation formulas over HTTP, on both engines: any role reads,
admins write; unknown codes are 404, bad values 422."""

from __future__ import annotations

from rapport.db import models as m
from tests.e2e.api_support import Api, problem


def _codes(api: Api) -> None:
    with api.rapport.factory.begin() as s:
        s.add_all([m.Salutation(code="FORMAL", description="Formal"),
                   m.CountryRegion(code="NO", name="Norway")])


def test_company_information_is_read_by_all_and_changed_by_admins(api: Api) -> None:
    _codes(api)
    blank = api.get("/company-information", role="viewer")
    assert blank.status_code == 200 and blank.json()["name"] == ""
    changed = api.patch("/company-information", role="admin",
                        json={"name": " Nordlys AS ", "city": "Oslo",
                              "country_region_code": "no"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["country_region_code"]) == ("Nordlys AS",
                                                                               "NO")
    again = api.patch("/company-information", role="admin", json={"city": None}).json()
    assert (again["name"], again["city"]) == ("Nordlys AS", "")
    assert api.get("/company-information", role="viewer").json() == again
    problem(api.patch("/company-information", role="marketer", json={"city": "X"}), 403)
    problem(api.patch("/company-information", role=None, json={"city": "X"}), 401)
    missing = problem(api.patch("/company-information", role="admin",
                                json={"country_region_code": "XX"}), 404)
    assert missing["field"] == "country_region_code"
    long = problem(api.patch("/company-information", role="admin", json={"city": "x" * 31}),
                   422)
    assert long["field"] == "city"
    problem(api.patch("/company-information", role="admin", json={"colour": "red"}), 422)


def test_salutation_formulas_are_set_listed_and_deleted_by_admins(api: Api) -> None:
    _codes(api)
    path = "/salutation-formulas/formal/Formal"
    made = api.call("PUT", path, role="admin", json={"salutation": "Dear {first_name}"})
    assert made.status_code == 200, made.text
    assert made.json() == {"salutation_code": "FORMAL", "language_code": "",
                           "salutation_type": "Formal", "salutation": "Dear {first_name}"}
    german = api.call("PUT", path, role="admin", params={"language_code": "deu"},
                      json={"salutation": "Sehr geehrte(r) {surname}"})
    assert german.json()["language_code"] == "DEU"
    listed = api.get("/salutation-formulas", role="viewer",
                     params={"salutation_code": "FORMAL"}).json()
    assert [(f["language_code"], f["salutation"]) for f in listed] == [
        ("", "Dear {first_name}"), ("DEU", "Sehr geehrte(r) {surname}")]
    problem(api.call("PUT", path, role="marketer", json={"salutation": "Hi"}), 403)
    problem(api.call("PUT", path, role=None, json={"salutation": "Hi"}), 401)
    problem(api.call("PUT", "/salutation-formulas/NOPE/Formal", role="admin",
                     json={"salutation": "Hi"}), 404)
    problem(api.call("PUT", path, role="admin", params={"language_code": "XYZ"},
                     json={"salutation": "Hi"}), 404)
    problem(api.call("PUT", "/salutation-formulas/FORMAL/Casual", role="admin",
                     json={"salutation": "Hi"}), 422)
    unknown = problem(api.call("PUT", path, role="admin", json={"salutation": "Hi {nick}"}),
                      422)
    assert "{nick}" in unknown["detail"] and unknown["field"] == "salutation"
    problem(api.get("/salutation-formulas", params={"salutation_code": "NOPE"}), 404)
    problem(api.delete(path, role="viewer", params={"language_code": "DEU"}), 403)
    assert api.delete(path, role="admin", params={"language_code": "DEU"}).status_code == 204
    problem(api.delete(path, role="admin", params={"language_code": "DEU"}), 404)
    assert len(api.get("/salutation-formulas").json()) == 1
