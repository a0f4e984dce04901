"""``rapport setup company show|set`` and ``rapport setup salutations list|set|delete`` on the
SPEC §5.1 fixture, on both engines; a merge preview shows what they set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from rapport.cli import common
from rapport.cli.main import app
from rapport.db import models as m
from tests.builders_documents import visible_text, word_letter
from tests.e2e.cli_support import reset_cli_caches

runner = CliRunner()
SF = sessionmaker[Session]
LETTER = word_letter([["{ MERGEFIELD Formal_Salutation }", ", from ",
                       "{ MERGEFIELD Company_Information_Name }"]])


@pytest.fixture
def cli_db(engine: Engine, fixture_db: SF, monkeypatch: pytest.MonkeyPatch,
           tmp_path: Path) -> Iterator[SF]:
    monkeypatch.setenv("RAPPORT_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RAPPORT_USER_ID", "U1")
    monkeypatch.setattr(common.console, "_width", 250)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "letter.docx").write_bytes(LETTER)
    with fixture_db.begin() as s:
        s.add_all([m.Salutation(code="FORMAL", description="Formal"),
                   m.CountryRegion(code="NO", name="Norway")])
        person = s.get(m.Contact, "P21")
        assert person is not None
        person.salutation_code, person.first_name, person.surname = "FORMAL", "Carl", "Cole"
    reset_cli_caches()
    yield fixture_db
    reset_cli_caches()


def run(*args: str) -> Result:
    return runner.invoke(app, ["--work-date", "2025-03-10", "setup", *args])


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def refused(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 1, result.output
    return str(result.exception)


def test_company_information_is_shown_and_set(cli_db: SF) -> None:
    assert "Company information updated: name, city, country_region_code" in ok(
        "company", "set", "name=Nordlys AS", "city=Oslo", "country_region_code=no")
    shown = ok("company", "show")
    assert "Nordlys AS" in shown and "Oslo" in shown and " NO " in shown
    ok("company", "set", "city=")
    assert "Oslo" not in ok("company", "show")
    assert "does not exist" in refused("company", "set", "country_region_code=XX")
    assert "longer than 30 characters" in refused("company", "set", "city=" + "x" * 31)
    assert "no editable field(s) colour" in refused("company", "set", "colour=red")
    with cli_db() as s:
        info = s.get(m.CompanyInformation, 1)
        assert info is not None and (info.name, info.city) == ("Nordlys AS", "")


def test_salutation_formulas_are_listed_set_deleted_and_merged(cli_db: SF, tmp_path: Path
                                                              ) -> None:
    assert "Salutation formula FORMAL (blank) Formal set" in ok(
        "salutations", "set", "formal", "formal", "Dear {first_name} {surname}")
    ok("salutations", "set", "FORMAL", "Informal", "Hallo {first_name}", "--language", "deu")
    ok("company", "set", "name=Nordlys AS")
    listed = ok("salutations", "list", "FORMAL")
    assert "Dear {first_name} {surname}" in listed and "DEU" in listed
    assert "2 formula(s)" in listed
    runner.invoke(app, ["templates", "attach", "T-LET", "letter.docx"])
    previewed = runner.invoke(app, ["templates", "preview", "T-LET", "--contact", "P21",
                                    "--out", "p21.docx"])
    assert previewed.exit_code == 0, previewed.output
    assert "Dear Carl Cole, from Nordlys AS" in visible_text(
        (tmp_path / "p21.docx").read_bytes())
    assert "{nick}" in refused("salutations", "set", "FORMAL", "Formal", "Hi {nick}")
    assert "Formal or Informal" in refused("salutations", "set", "FORMAL", "Casual", "Hi")
    assert "no salutation NOPE" in refused("salutations", "set", "NOPE", "Formal", "Hi")
    assert "Salutation formula FORMAL DEU Informal deleted" in ok(
        "salutations", "delete", "FORMAL", "informal", "-l", "DEU")
    assert "does not exist" in refused("salutations", "delete", "FORMAL", "Informal", "-l",
                                       "DEU")
    assert "1 formula(s)" in ok("salutations", "list")
