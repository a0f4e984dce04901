"""``rapport segments add|reduce|refine|preview|undo|…`` on the SPEC §5.1 fixture, both engines."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from rapport.cli import common
from rapport.cli.main import app
from rapport.domain.enums import CriteriaSection
from rapport.errors import MultipleErrors, RapportError
from rapport.services.criteria import _catalogue, section_fields
from tests.builders_segments import contacts, make_ile, make_logged_segment, make_segment, state
from tests.e2e.cli_support import reset_cli_caches as _reset_caches
from tests.e2e.cli_support import run_main

runner = CliRunner()
SF = sessionmaker[Session]


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def cli_db(engine: Engine, fixture_db: SF, monkeypatch: pytest.MonkeyPatch) -> Iterator[SF]:
    """The fixture database with segment S1; the CLI acts as U1 on it."""
    monkeypatch.setenv("RAPPORT_DATABASE_URL", _url(engine))
    monkeypatch.setenv("RAPPORT_USER_ID", "U1")
    monkeypatch.setattr(common.console, "_width", 200)
    _reset_caches()
    make_segment(fixture_db)
    yield fixture_db
    _reset_caches()


def run(*args: str) -> Result:
    return runner.invoke(app, ["--work-date", "2025-03-10", "segments", *args])


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def refused(*args: str, code: str) -> RapportError:
    result = run(*args)
    assert result.exit_code == 1
    assert isinstance(result.exception, RapportError), result.output
    assert result.exception.code == code
    return result.exception


NEWS = ["--filter", "Mailing Group.code=NEWS"]


def test_add_preview_refine_reduce_and_undo(cli_db: SF) -> None:
    out = ok("add", "s1", *NEWS, "--ignore-exclusion")
    assert "Added 3 line(s) to segment S1" in out and "No. of Criteria Actions: 1" in out
    assert contacts(cli_db) == ["P3", "P11", "X1"]
    out = ok("preview", "S1", "--action", "refine", "-f", "contact.No.=P11|P3")
    assert "Refine would remove 1 line(s)" in out
    assert contacts(cli_db) == ["P3", "P11", "X1"]
    out = ok("refine", "S1", "-f", "contact.No.=P11|P3")
    assert "Removed 1 line(s)" in out and "No. of Criteria Actions: 2" in out
    out = ok("reduce", "S1", "-f", "job_responsibility.code=PURCH", "--entire-companies")
    assert "Removed 1 line(s)" in out and contacts(cli_db) == ["P3"]
    out = ok("criteria", "S1")
    assert "3 criteria action(s)" in out and "Mailing Group: mailing_group_code=NEWS" in out
    assert "Remove Contacts (Reduce) (entire_companies)" in out
    out = ok("undo", "S1")
    assert "No. of Criteria Actions: 2" in out and contacts(cli_db) == ["P3", "P11"]
    ok("undo", "S1")
    assert contacts(cli_db) == ["P3", "P11", "X1"]
    out = ok("reset-criteria", "S1")
    assert "Reset 1 criteria action(s)" in out and contacts(cli_db) == ["P3", "P11", "X1"]


def test_add_with_expansion_options(cli_db: SF) -> None:
    out = ok("add", "S1", "-f", "contact.no=P21", "--allow-related-companies")
    assert "Added 2 line(s)" in out and contacts(cli_db) == ["C2", "P21"]
    out = ok("add", "S1", "-f", "contact.no=P11", "--expand-companies", "--allow-existing")
    assert contacts(cli_db) == ["C2", "P21", "C1", "P11", "P12"]
    out = ok("preview", "S1", "--action", "add", "-f", "contact.no=P11", "--allow-existing")
    assert "Add would add 1 line(s)" in out


def test_save_reuse_and_manage_saved_criteria(cli_db: SF) -> None:
    refused("save-criteria", "S1", "EMPTY", code="E14")
    ok("add", "S1", *NEWS)
    ok("reduce", "S1", "-f", "contact.no=P3")
    out = ok("save-criteria", "S1", "newsnop3", "--description", "News without Dora")
    assert "Saved 2 criteria action(s) of segment S1 as NEWSNOP3" in out
    refused("save-criteria", "S1", "NEWSNOP3", code="E15")
    make_segment(cli_db, "S2")
    out = ok("reuse-criteria", "S2", "NEWSNOP3")
    assert "Replayed 2 action(s): added 2, removed 1 line(s)" in out
    assert contacts(cli_db, "S2") == ["P11"]
    before = state(cli_db, "S2")
    err = refused("reuse-criteria", "S2", "NEWSNOP3", code="CONFLICT")
    assert "already contains 2 criteria action(s)" in err.message
    assert state(cli_db, "S2") == before
    ok("reuse-criteria", "S2", "NEWSNOP3", "--append")
    assert "NEWSNOP3" in ok("saved-criteria", "list")
    out = ok("saved-criteria", "show", "newsnop3")
    assert "News without Dora" in out and "Contact: no=P3" in out
    ok("saved-criteria", "delete", "NEWSNOP3")
    refused("saved-criteria", "show", "NEWSNOP3", code="NOT_FOUND")


def test_reuse_logged_segment(cli_db: SF) -> None:
    logged = make_logged_segment(cli_db, segment_no="SEG0001")
    make_ile(cli_db, "P11", logged_segment_entry_no=logged)
    make_ile(cli_db, "P3", logged_segment_entry_no=logged, campaign_no="CP1")
    out = ok("reuse-logged", "S1", str(logged))
    assert f"Added 2 line(s) from logged segment {logged} to S1" in out
    assert "No. of Criteria Actions: 1" in out and contacts(cli_db) == ["P11", "P3"]
    refused("reuse-logged", "S1", str(logged), code="CONFLICT")
    ok("reuse-logged", "S1", str(logged), "--append")
    assert contacts(cli_db) == ["P11", "P3", "P11", "P3"]


def test_bad_filters_are_refused_and_change_nothing(cli_db: SF) -> None:
    ok("add", "S1", *NEWS)
    before = state(cli_db)
    err = refused("add", "S1", "-f", "contact.type=Robot", code="FILTER")
    assert "Contact.type" in err.message and "'Robot'" in err.message
    refused("refine", "S1", "-f", "Opportunity.code=X", code="VALIDATION")
    refused("reduce", "S1", "-f", "contact.colour=red", code="VALIDATION")
    refused("add", "S1", "-f", "contact", code="VALIDATION")
    refused("undo", "S9", code="NOT_FOUND")
    assert state(cli_db) == before


def test_every_bad_filter_of_a_command_is_named_at_once(cli_db: SF) -> None:
    ok("add", "S1", *NEWS)
    before = state(cli_db)
    err = refused(
        "refine", "S1", "-f", "Opportunity.code=X", "-f", "contact.type=Robot",
        "-f", "contact.no=P3", "-f", "Contact.No.=P11", code="MULTIPLE",
    )  # fmt: skip
    assert isinstance(err, MultipleErrors)
    assert [(e.code, e.reason) for e in err.errors] == [
        ("VALIDATION", "unknown section"),
        ("FILTER", "'Robot' is not one of the options 'Company', 'Person'"),
        ("VALIDATION", "duplicate filter"),
    ]
    err = refused("preview", "S1", "--action", "add", "-f", "contact", "-f", "x=1", code="MULTIPLE")
    assert isinstance(err, MultipleErrors) and [e.record for e in err.errors] == ["contact", "x=1"]
    assert state(cli_db) == before


def test_each_filter_is_resolved_once_from_option_to_sql(
    cli_db: SF, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9: a --filter's field name is looked up in the catalogue once, not once per layer."""
    for section in CriteriaSection:
        section_fields(section)  # the catalogue itself is built once per process (cached)
    looked_up: list[str] = []
    normalize = _catalogue.normalize_name

    def counting(name: str) -> str:
        looked_up.append(name)
        return normalize(name)

    monkeypatch.setattr(_catalogue, "normalize_name", counting)
    ok("add", "S1", *NEWS, "-f", "contact.Search Name=@*a*", "--expand-companies")
    assert looked_up == ["code", "Search Name"]


def test_filter_fields_lists_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common.console, "_width", 200)
    out = ok("filter-fields", "Interaction")
    assert "include_canceled" in out and "logged_segment_entry_no" in out


@pytest.mark.parametrize(
    "path",
    [
        ["add"], ["reduce"], ["refine"], ["preview"], ["undo"], ["reset-criteria"],
        ["save-criteria"], ["reuse-criteria"], ["reuse-logged"], ["criteria"],
        ["filter-fields"], ["saved-criteria"], ["saved-criteria", "list"],
        ["saved-criteria", "show"], ["saved-criteria", "delete"],
    ],
)  # fmt: skip
def test_every_command_has_help(path: list[str]) -> None:
    result = runner.invoke(app, ["segments", *path, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def _real_command(engine: Engine, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RAPPORT_DATABASE_URL": _url(engine), "RAPPORT_USER_ID": "U1"}
    code = "from rapport.cli.main import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, "segments", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_real_command_prints_one_error_line_and_exits_1(cli_db: SF, engine: Engine) -> None:
    done = _real_command(engine, "add", "S1", "-f", "Mailing Group.code=NEWS|")
    assert done.returncode == 1
    assert "error [FILTER] Filter on Mailing Group.mailing_group_code" in done.stderr
    assert state(cli_db)["lines"] == []


def test_the_command_prints_one_line_per_bad_filter(cli_db: SF, engine: Engine) -> None:
    env = {"RAPPORT_DATABASE_URL": _url(engine), "RAPPORT_USER_ID": "U1"}
    done = run_main(
        env, "segments", "add", "S1", "-f", "contact.colour=red", "-f", "contact.type=[Robot]",
        "-f", "Mailing Group.code=NEWS", "-f", "Mailing Group.Mailing Group Code=EVENTS",
    )  # fmt: skip
    assert done.returncode == 1
    shown = done.stderr.splitlines()
    assert shown[0] == "error [MULTIPLE] 3 filters refused"
    assert shown[1].startswith("  [VALIDATION] Section Contact has no filter field 'colour'")
    assert shown[2].startswith("  [FILTER] Filter on Contact.type: ")
    assert "at position 0 in '[Robot]'" in shown[2]  # brackets printed as typed, not as markup
    assert shown[3].startswith(
        "  [VALIDATION] Filter Mailing Group.mailing_group_code is given twice "
        "(as 'code' and 'Mailing Group Code')"
    )
    assert len(shown) == 4 and state(cli_db)["lines"] == []
