"""Contact files over HTTP: an uploaded CSV/XLSX import with its report, an export download."""

from __future__ import annotations

import csv
import io

import httpx2 as httpx
from openpyxl import load_workbook

from tests.e2e.api_support import Api, problem

HEADER = ["no", "type", "name", "company_no", "email", "mailing_groups"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in [HEADER, *rows]:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def _upload(api: Api, content: bytes, name: str = "contacts.csv", role: str = "marketer",
            **params: object) -> httpx.Response:
    return api.post("/contacts/import", role=role, params=params,
                    files={"file": (name, content, "text/csv")})


def test_an_uploaded_file_is_imported_with_its_report(api: Api) -> None:
    content = _csv([["K1", "Company", "Kite Co", "", "k@kite.test", "NEWS"],
                    ["K11", "Person", "Kim Kite", "K1", "", ""],
                    ["", "Company", "Alpha Twin", "", "c1@alpha.test", ""]])
    done = _upload(api, content)
    assert done.status_code == 200, done.text
    report = done.json()
    assert (report["rows"], report["inserted"], report["updated"], report["unchanged"]) == (
        3, 3, 0, 0)
    assert report["rejected_rows"] == 0 and report["problems"] == []
    assert report["duplicates"]["total"] == 1
    twin = report["duplicates"]["rows"][0]
    assert twin["row"] == 3 and [c["no"] for c in twin["contacts"]] == ["C1"]
    assert twin["contacts"][0]["reasons"] == ["same e-mail"]
    assert api.get("/contacts/K11").json()["company_name"] == "Kite Co"
    assert api.get("/contacts/K1/classifications/mailing-group").json() == ["NEWS"]
    again = _upload(api, _csv([["K1", "Company", "Kite Co", "", "k@kite.test", "NEWS"]]))
    assert again.json()["unchanged"] == 1


def test_a_dry_run_reports_what_the_import_would_do_and_changes_nothing(api: Api) -> None:
    content = _csv([["", "Company", "Dry Co", "", "", "NEWS"],
                    ["C1", "Company", "Alpha Renamed", "", "", ""]])
    before = api.post("/contacts", json={"name": "Before the dry run"}).json()["no"]
    tried = _upload(api, content, dry_run="true")
    assert tried.status_code == 200, tried.text
    report = tried.json()
    assert report["dry_run"] is True
    assert (report["rows"], report["inserted"], report["updated"]) == (2, 1, 1)
    assert api.get("/contacts", params={"search": "Dry Co"}).json()["total"] == 0
    assert api.get("/contacts/C1").json()["name"] != "Alpha Renamed"
    after = api.post("/contacts", json={"name": "After the dry run"}).json()["no"]
    assert int(after[-4:]) == int(before[-4:]) + 1  # the dry run drew no number
    done = _upload(api, content).json()
    assert done["dry_run"] is False and (done["inserted"], done["updated"]) == (1, 1)
    assert api.get("/contacts", params={"search": "Dry Co"}).json()["total"] == 1
    problem(_upload(api, _csv([["K1", "Company", "", "", "", ""]]), dry_run="true"), 422)


def test_a_file_with_bad_rows_is_refused_row_by_row(api: Api) -> None:
    content = _csv([["K1", "Company", "Kite Co", "", "not-mail", "NOPE"],
                    ["K11", "Person", "Kim Kite", "K9", "", ""],
                    ["K12", "Person", "Kai Kite", "K1", "", ""]])
    body = problem(_upload(api, content), 422, "IMPORT")
    assert "nothing imported" in body["detail"]
    rows = {(e["record"], e["field"]) for e in body["errors"]}
    assert rows == {("row 1", "email"), ("row 1", "mailing_groups"), ("row 2", "company_no")}
    problem(api.get("/contacts/K12"), 404)
    skipped = _upload(api, content, skip_invalid="true")
    report = skipped.json()
    assert skipped.status_code == 200, report
    # K12's company was rejected, so K12 goes too.
    assert (report["inserted"], report["rejected_rows"]) == (0, 3)
    assert {p["row"] for p in report["problems"]} == {1, 2, 3}
    assert {"row", "column", "value", "reason"} <= set(report["problems"][0])


def test_import_options_and_unreadable_files(api: Api) -> None:
    semicolons = _csv([["K1", "Company", "Kite Co", "", "", ""]], delimiter=";")
    done = _upload(api, semicolons, name="kite.txt", format="csv", delimiter=";")
    assert done.json()["inserted"] == 1, done.text
    latin = "no,type,name,company_no\nK2,Company,Kåre AS,\n".encode("cp1252")
    refused = problem(_upload(api, latin), 422)
    assert refused["field"] == "encoding" and refused["record"] == "contacts.csv"
    done = _upload(api, latin, encoding="cp1252")
    assert done.json()["inserted"] == 1
    assert api.get("/contacts/K2").json()["name"] == "Kåre AS"
    body = problem(_upload(api, semicolons, name="kite.xlsx"), 422)
    assert body["field"] == "format" and "/tmp" not in str(body)
    problem(_upload(api, semicolons, name="kite.pdf"), 422)
    problem(api.post("/contacts/import"), 422, "VALIDATION")


def test_a_retried_import_with_an_idempotency_key_is_answered_once(api: Api) -> None:
    content = _csv([["", "Company", "Numbered Co", "", "", ""]])
    key = {"Idempotency-Key": "import-1"}
    first = api.post("/contacts/import", headers=key, files={"file": ("c.csv", content)})
    second = api.post("/contacts/import", headers=key, files={"file": ("c.csv", content)})
    assert first.json() == second.json() and second.headers["idempotent-replayed"] == "true"
    assert api.get("/contacts", params={"search": "Numbered"}).json()["total"] == 1
    other = _csv([["", "Company", "Other Co", "", "", ""]])
    problem(api.post("/contacts/import", headers=key, files={"file": ("c.csv", other)}), 409)


def test_contacts_are_exported_as_csv_or_xlsx_with_filters(api: Api) -> None:
    exported = api.get("/contacts/export", role="viewer", params={"company_no": "C1"})
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.headers["x-contact-count"] == "3"
    assert "contacts.csv" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["no"] for r in rows] == ["C1", "P11", "P12"] and rows[0]["email"]
    workbook = api.get("/contacts/export", role="viewer",
                       params={"format": "xlsx", "type": "Person"})
    assert workbook.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(workbook.content), read_only=True).worksheets[0]
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == ["P11", "P12", "P21", "P3", "X11"]
    # The export re-imports to the same data.
    again = _upload(api, workbook.content, name="people.xlsx")
    assert again.json()["unchanged"] == 5
    problem(api.get("/contacts/export", params={"format": "pdf"}), 422, "VALIDATION")
    problem(api.get("/contacts/export", params={"type": "Robot"}), 422)


def test_contact_files_need_an_account_and_a_role(api: Api) -> None:
    content = _csv([["K1", "Company", "Kite Co", "", "", ""]])
    problem(_upload(api, content, role="viewer"), 403, "FORBIDDEN")
    problem(api.post("/contacts/import", role=None, files={"file": ("c.csv", content)}), 401)
    problem(api.get("/contacts/export", role=None), 401, "AUTH")
