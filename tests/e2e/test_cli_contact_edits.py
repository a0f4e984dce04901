"""``rapport contacts create|set|delete`` and ``rapport setup campaign set|delete`` on the SPEC
§5.1 fixture, on SQLite and PostgreSQL: each command's success, its refusals, and that a refused
command changes nothing."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.cli import confirm
from rapport.db import models as m
from rapport.wiring import Rapport
from tests.builders_contact_files import write_csv
from tests.builders_setup import db_snapshot, log_interaction, put_on_segment
from tests.e2e.cli_support import run_main

SF = sessionmaker[Session]
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(rapport: Rapport, fixture_db: SF) -> Run:
    """``rapport --work-date 2025-03-10 ARGS`` as user U1 on the fixture database."""
    env = {"RAPPORT_DATABASE_URL": rapport.engine.url.render_as_string(hide_password=False),
           "RAPPORT_USER_ID": "U1"}

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_main(env, "--work-date", "2025-03-10", *args, input=input)

    return run


def ok(cli: Run, *args: str) -> str:
    done = cli(*args)
    assert done.returncode == 0, (done.stdout, done.stderr)
    return done.stdout


def refused(cli: Run, factory: SF, *args: str, code: str) -> str:
    """The command exits with 1 and ``error [code] …``, and the database is as before."""
    before = db_snapshot(factory)
    done = cli(*args)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert f"error [{code}]" in done.stderr, done.stderr
    assert db_snapshot(factory) == before
    return " ".join(done.stderr.split())


def contact(factory: SF, no: str) -> m.Contact | None:
    with factory() as s:
        found = s.get(m.Contact, no)
        if found is not None:
            s.expunge(found)
        return found


def test_create_prints_the_number_and_what_was_filled_in(cli: Run, fixture_db: SF) -> None:
    out = ok(cli, "contacts", "create", "--name", "Gamma AS", "--salesperson", "sp1",
             "--phone", "111", "--city", "Oslo", "--correspondence-type", "hard-copy")
    assert "Contact CT000001 created: company Gamma AS" in out
    out = ok(cli, "contacts", "create", "--type", "person", "--first-name", "Eva", "--surname",
             "Eklund", "--company", "ct000001", "--email", "eva@gamma.test", "--exclude-from-"
             "segment")
    assert "Contact CT000002 created: person Eva Eklund of CT000001 Gamma AS" in out
    assert "from company CT000001: city Oslo, salesperson_code SP1, phone_no 111" in out
    eva = contact(fixture_db, "CT000002")
    assert eva is not None
    assert (eva.company_no, eva.salesperson_code, eva.city, eva.email) == (
        "CT000001", "SP1", "Oslo", "eva@gamma.test")
    assert (eva.exclude_from_segment, eva.correspondence_type) == (True, "")
    gamma = contact(fixture_db, "CT000001")
    assert gamma is not None and gamma.correspondence_type == "Hard Copy"


def test_create_help_names_every_field_with_what_to_type(cli: Run) -> None:
    out = " ".join(ok(cli, "contacts", "create", "--help").split())
    for option, metavar in [("--company", "COMPANY"), ("--salesperson", "CODE"),
                            ("--email", "ADDRESS"), ("--type", "company|person"),
                            ("--correspondence-type", "hard-copy|email|none"),
                            ("--no", "CONTACT"), ("--vat-no", "TEXT")]:
        assert f"{option} {metavar}" in out, option
    for flag in ("--exclude-from-segment", "--privacy-blocked", "--allow-duplicate"):
        assert flag in out


def test_create_refuses_a_suspected_duplicate_unless_allowed(cli: Run, fixture_db: SF) -> None:
    told = refused(cli, fixture_db, "contacts", "create", "--type", "person", "--name",
                   "Annie Other", "--email", "ANNA@alpha.test", code="DUPLICATE")
    assert "New contact 'Annie Other' may already exist:" in told
    assert "P11 │ Anna Able │ C1 Alpha Ltd │ anna@alpha.test │ same e-mail" in told
    assert "Nothing was created. Create it anyway with --allow-duplicate." in told
    told = refused(cli, fixture_db, "contacts", "create", "--name", "alpha ltd",
                   code="DUPLICATE")
    assert "C1 │ Alpha Ltd │ (itself) │ c1@alpha.test │ same name and company" in told
    done = cli("contacts", "create", "--type", "person", "--name", "Annie Other", "--email",
               "ANNA@alpha.test", "--allow-duplicate")
    assert done.returncode == 0, done.stderr
    assert "Contact CT000001 created: person Annie Other" in done.stdout
    assert "warning: CT000001 may duplicate 1 contact(s):" in done.stderr
    assert contact(fixture_db, "CT000001") is not None


def test_create_refusals_change_nothing(cli: Run, fixture_db: SF) -> None:
    with fixture_db.begin() as s:
        s.get(m.Salesperson, "SP2").blocked = True  # type: ignore[union-attr]
    told = refused(cli, fixture_db, "contacts", "create", "--no", "X9", "--name", "X",
                   code="E02")
    assert "Manual numbers are not allowed" in told
    told = refused(cli, fixture_db, "contacts", "create", "--name", "X", "--salesperson",
                   "SP2", code="BLOCKED")
    assert "Salesperson SP2 is blocked" in told
    refused(cli, fixture_db, "contacts", "create", "--type", "person", "--name", "X",
            "--company", "P11", code="VALIDATION")
    refused(cli, fixture_db, "contacts", "create", "--name", "X", "--email", "x@@y",
            code="VALIDATION")
    refused(cli, fixture_db, "contacts", "create", "--name", "X", "--territory", "NOPE",
            code="NOT_FOUND")
    told = refused(cli, fixture_db, "contacts", "create", "--type", "robot", "--name", "X",
                   code="USAGE")
    assert "'robot' is not one of: Company or Person" in told


def test_set_applies_only_the_given_fields_and_shows_the_persons_that_followed(
        cli: Run, fixture_db: SF) -> None:
    out = ok(cli, "contacts", "set", "c1", "salesperson=SP1", "phone=+47 22", "city=",
             "name_2=Holding")
    assert out.splitlines() == [
        "Contact C1 changed:",
        "  name_2 (blank) → Holding",
        "  salesperson_code SP2 → SP1",
        "  phone_no (blank) → +47 22",
        "  followed by the company's persons: salesperson_code (2 persons), phone_no (2 "
        "persons)",
    ]
    anna = contact(fixture_db, "P11")
    assert anna is not None and (anna.salesperson_code, anna.phone_no) == ("SP1", "+47 22")
    c1 = contact(fixture_db, "C1")
    assert c1 is not None and (c1.email, c1.correspondence_type) == ("c1@alpha.test", "Email")
    out = ok(cli, "contacts", "set", "P21", "company_no=c1", "exclude_from_segment=yes")
    assert "company_no C2 → C1" in out and "company_name Beta Inc → Alpha Ltd" in out
    assert "exclude_from_segment False → True" in out
    assert ok(cli, "contacts", "set", "P21", "job-title=") == "Contact P21: nothing changed\n"


def test_set_refusals_change_nothing(cli: Run, fixture_db: SF) -> None:
    with fixture_db.begin() as s:
        put_on_segment(s, "P11")
        log_interaction(s, "C2")
        s.get(m.Salesperson, "SP1").blocked = True  # type: ignore[union-attr]
    told = refused(cli, fixture_db, "contacts", "set", "P11", "company=C2", code="E31")
    assert "Company No. cannot be changed because unlogged segments" in told
    told = refused(cli, fixture_db, "contacts", "set", "C2", "type=person", code="E32")
    assert "Type cannot be changed because interaction log entries" in told
    told = refused(cli, fixture_db, "contacts", "set", "P12", "colour=red", "no=X",
                   code="VALIDATION")
    assert "Contact has no editable field(s) colour, no" in told
    refused(cli, fixture_db, "contacts", "set", "P12", "salesperson=SP1", code="BLOCKED")
    refused(cli, fixture_db, "contacts", "set", "P12", "privacy_blocked=maybe", code="USAGE")
    told = refused(cli, fixture_db, "contacts", "set", "P12", "phone", code="USAGE")
    assert "'phone' is not FIELD=VALUE" in told
    refused(cli, fixture_db, "contacts", "set", "NOPE", "city=Oslo", code="NOT_FOUND")


def test_delete_on_a_segment_is_refused_e30(cli: Run, fixture_db: SF) -> None:
    with fixture_db.begin() as s:
        put_on_segment(s, "P12")
    told = refused(cli, fixture_db, "contacts", "delete", "C1", "--yes", code="E30")
    assert "assigned to one or more unlogged segments (Contact C1 or one of its persons)" in told
    refused(cli, fixture_db, "contacts", "delete", "P12", "--yes", code="E30")


def test_delete_without_a_terminal_needs_yes(cli: Run, fixture_db: SF) -> None:
    with fixture_db.begin() as s:
        entry = log_interaction(s, "P11")
        detached = [log_interaction(s, "P21"), log_interaction(s, "C2")]
    told = refused(cli, fixture_db, "contacts", "delete", "P11", code="CONFIRM")
    assert ("Delete person P11 Anna Able; 1 interaction log entry moves to company C1? The "
            "input is not a terminal, so rapport cannot ask: add --yes") in told
    out = ok(cli, "contacts", "delete", "P11", "--yes")
    assert out == ("Deleted person P11 Anna Able; 1 interaction log entry moves to company "
                   "C1.\n")
    with fixture_db() as s:
        assert s.get(m.InteractionLogEntry, entry).contact_no == "C1"  # type: ignore[union-attr]
    out = ok(cli, "contacts", "delete", "C2", "-y")
    assert out == ("Deleted company C2 Beta Inc and its 1 person; 2 interaction log entries "
                   "keep no contact.\n")
    assert contact(fixture_db, "C2") is None and contact(fixture_db, "P21") is None
    with fixture_db() as s:
        entries = [s.get(m.InteractionLogEntry, no) for no in detached]
        assert [(e.contact_no, e.contact_company_no) for e in entries if e] == [(None, None)] * 2


def test_delete_on_a_terminal_asks_first(cli: Run, fixture_db: SF,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(confirm, "stdin_is_terminal", lambda: True)
    before = db_snapshot(fixture_db)
    declined = cli("contacts", "delete", "C1", input="n\n")
    assert declined.returncode == 1
    assert "Delete company C1 Alpha Ltd and its 2 persons? [y/N]" in declined.stdout
    assert "Nothing was deleted." in declined.stdout
    assert db_snapshot(fixture_db) == before
    accepted = cli("contacts", "delete", "C1", input="y\n")
    assert accepted.returncode == 0, accepted.stderr
    assert "Deleted company C1 Alpha Ltd and its 2 persons." in accepted.stdout
    assert [contact(fixture_db, no) for no in ("C1", "P11", "P12")] == [None, None, None]


def test_import_lists_suspected_duplicates_after_the_summary(cli: Run, fixture_db: SF,
                                                             tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", ["no", "type", "name", "company_no", "email"], [
        ["N1", "Person", "Dora Dean", "", ""],
        ["N2", "Person", "New One", "", "new@x.test"],
        ["N3", "Person", "Other", "", "NEW@x.test"],
    ])
    out = ok(cli, "contacts", "import", str(path))
    lines = out.splitlines()
    assert lines[0] == "3 rows read: 3 contacts created, 0 updated, 0 unchanged."
    text = " ".join(out.split())
    assert "1 │ N1 │ Dora Dean │ │ │ P3 Dora Dean (no company, dora@dean.test, same name and " \
           "company)" in text
    assert "2 │ N2 │ New One │ │ new@x.test │ row 3 (same e-mail)" in text
    assert "3 imported row(s) may duplicate a contact or another row; they were imported." in text


# --- Campaigns -----------------------------------------------------------------------------------


def test_campaign_set_changes_only_the_given_fields(cli: Run, fixture_db: SF) -> None:
    out = ok(cli, "setup", "campaign", "set", "cp1", "--start", "2025-03-01", "--end",
             "2025-04-30", "--salesperson", "sp2", "--activated")
    assert out == ("Campaign CP1 changed: starting_date 2025-03-01, ending_date 2025-04-30, "
                   "salesperson_code SP2, activated yes\n")
    out = ok(cli, "setup", "campaign", "set", "CP1", "--end", "none", "-d", "Spring 2025")
    assert out == "Campaign CP1 changed: description Spring 2025, ending_date (blank)\n"
    with fixture_db() as s:
        campaign = s.get(m.Campaign, "CP1")
        assert campaign is not None
        assert (campaign.description, str(campaign.starting_date), campaign.ending_date,
                campaign.salesperson_code, campaign.activated) == (
            "Spring 2025", "2025-03-01", None, "SP2", True)


def test_campaign_set_refusals_change_nothing(cli: Run, fixture_db: SF) -> None:
    ok(cli, "setup", "campaign", "set", "CP1", "--start", "2025-03-01")
    with fixture_db.begin() as s:
        s.get(m.Salesperson, "SP2").blocked = True  # type: ignore[union-attr]
    told = refused(cli, fixture_db, "setup", "campaign", "set", "CP1", "--end", "2025-02-01",
                   code="E36")
    assert "Starting Date must not be later than Ending Date on Campaign CP1" in told
    refused(cli, fixture_db, "setup", "campaign", "set", "CP1", "--salesperson", "SP2",
            code="BLOCKED")
    refused(cli, fixture_db, "setup", "campaign", "set", "CP1", "--status", "NOPE",
            code="NOT_FOUND")
    refused(cli, fixture_db, "setup", "campaign", "set", "CP9", "-d", "x", code="NOT_FOUND")
    refused(cli, fixture_db, "setup", "campaign", "set", "CP1", "--end", "1.4.2025",
            code="USAGE")
    told = refused(cli, fixture_db, "setup", "campaign", "set", "CP1", code="USAGE")
    assert "give at least one field to change" in told


def test_campaign_delete_removes_its_entries_and_keeps_their_interactions(
        cli: Run, fixture_db: SF) -> None:
    with fixture_db.begin() as s:
        s.add(m.CampaignEntry(entry_no=1, campaign_no="CP1"))
        s.flush()
        entry = log_interaction(s, "P11", campaign_no="CP1", campaign_entry_no=1)
    told = refused(cli, fixture_db, "setup", "campaign", "delete", "CP1", code="CONFIRM")
    assert "Delete campaign CP1 Spring campaign and its campaign entries" in told
    out = ok(cli, "setup", "campaign", "delete", "cp1", "--yes")
    assert out == ("Deleted campaign CP1 Spring campaign and its campaign entries; their "
                   "interactions are kept.\n")
    with fixture_db() as s:
        assert s.get(m.Campaign, "CP1") is None
        assert s.scalars(select(m.CampaignEntry.entry_no)).all() == []
        kept = s.get(m.InteractionLogEntry, entry)
        assert kept is not None and (kept.campaign_no, kept.campaign_entry_no) == ("CP1", None)


def test_campaign_used_by_a_segment_or_a_template_is_not_deleted(cli: Run,
                                                                  fixture_db: SF) -> None:
    with fixture_db.begin() as s:
        s.add(m.SegmentHeader(no="S1", description="Spring", campaign_no="CP1"))
    told = refused(cli, fixture_db, "setup", "campaign", "delete", "CP1", "--yes",
                   code="CONFLICT")
    assert "Campaign CP1 cannot be deleted because 1 segment header(s) use it" in told
    with fixture_db.begin() as s:
        s.get(m.SegmentHeader, "S1").campaign_no = None  # type: ignore[union-attr]
        s.get(m.InteractionTemplate, "T-CALL").campaign_no = "CP1"  # type: ignore[union-attr]
    told = refused(cli, fixture_db, "setup", "campaign", "delete", "CP1", "-y", code="CONFLICT")
    assert "1 interaction template(s) use it" in told
