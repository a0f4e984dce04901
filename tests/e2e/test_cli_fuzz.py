"""Random text in any option that parses user input never ends in a traceback.

Hypothesis types random text — and text that looks almost right: huge and negative numbers,
exponents, dates, filter syntax, rich markup — into every kind of option and argument a user
types (filters, dates, times, amounts, minutes, codes, option captions, numbers, table and field
names) across the commands that take them, and checks that each command either works (0) or is
refused in one ``error [CODE] …`` line (1): never an internal error (2), never a traceback.

It runs on both engines because a value that passes the parsers travels on to the database
(a long code, a huge number), where PostgreSQL refuses more than SQLite. Commands run in this
process through ``main()`` (about 30 ms each), on one database per engine for all examples:
a command that works may change it, and later examples run on the changed data.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import TxFactory
from tests.e2e.cli_outcome_support import prepare, run

X = "{}"  # where the random text goes

#: Each command line with one user-typed value replaced by the random text.
COMMANDS: list[tuple[str, ...]] = [
    ("--work-date", X, "segments", "list"),
    ("--user", X, "segments", "show", "SEG0002"),
    ("segments", "add", "SEG0002", "-f", X),
    ("segments", "add", "SEG0002", "-f", "Contact.name=" + X),
    ("segments", "reduce", "SEG0002", "-f", "Interaction.date=" + X),
    ("segments", "refine", "SEG0002", "-f", "Interaction.cost=" + X),
    ("segments", "preview", "SEG0002", "--action", X, "-f", "contact.no=P11"),
    ("segments", "set", "SEG0002", "--date", X),
    ("segments", "set", "SEG0002", "--unit-cost", X),
    ("segments", "set", "SEG0002", "--unit-duration", X),
    ("segments", "set", "SEG0002", "--information-flow", X),
    ("segments", "set", "SEG0002", "--initiated-by", X),
    ("segments", "set", "SEG0002", "--ignore-contact-corres-type", "--correspondence-type", X),
    ("segments", "set", "SEG0002", "--salesperson", X),
    ("segments", "set", "SEG0002", "--campaign", X),
    ("segments", "set", "SEG0002", "--template", X),
    ("segments", "set", "SEG0002", "--language", X),
    ("segments", "set", "SEG0002", "--description", X),
    ("segments", "line-set", "SEG0002", "10000", "--cost", X),
    ("segments", "line-set", "SEG0002", "10000", "--duration", X),
    ("segments", "line-set", "SEG0002", "20000", "--evaluation", X),
    ("segments", "line-set", "SEG0002", "20000", "--correspondence-type", X),
    ("segments", "line-set", "SEG0002", X, "--description", "x"),
    ("segments", "line-add", "SEG0002", X),
    ("segments", "show", X),
    ("segments", "show", "SEG0002", "--lines", X),
    ("segments", "list", "--limit", X),
    ("segments", "list", "--search", X),
    ("segments", "create", "--no", X),
    ("segments", "reuse-logged", "SEG0002", X),
    ("segments", "save-criteria", "SEG0002", X),
    ("segments", "apply-mailing-group", "SEG0002", X),
    ("interactions", "create", "--contact", "P11", "--template", "T-CALL", "--cost", X),
    ("interactions", "create", "--contact", "P11", "--template", "T-CALL", "--duration", X),
    ("interactions", "create", "--contact", "P11", "--template", "T-CALL", "--date", X),
    ("interactions", "create", "--contact", "P11", "--template", "T-CALL", "--time", X),
    ("interactions", "create", "--contact", "P11", "--template", "T-CALL", "--evaluation", X),
    ("interactions", "create", "--contact", "P11", "--template", "T-CALL", "--type", X),
    ("interactions", "create", "--contact", X, "--template", "T-CALL"),
    ("interactions", "postpone", "--contact", "P11", "--template", X),
    ("interactions", "list", "--from", X),
    ("interactions", "list", "--evaluation", X),
    ("interactions", "list", "--offset", X),
    ("interactions", "list", "--contact", X),
    ("interactions", "stats", "--by", X),
    ("interactions", "stats", "--campaign", X),
    ("interactions", "evaluate", "1", "-e", X),
    ("interactions", "comment", X),
    ("interactions", "comment", "1", X),
    ("interactions", "cancel", X),
    ("interactions", "resume", X),
    ("setup", "template", "add", "T-FZ", "-g", "LETTER", "--cost", X),
    ("setup", "template", "add", "T-FZ", "-g", "LETTER", "--duration", X),
    ("setup", "template", "add", "T-FZ", "-g", "LETTER", "--flow", X),
    ("setup", "template", "add", "T-FZ", "-g", "LETTER", "--wizard-action", X),
    ("setup", "template", "add", X, "-g", "LETTER"),
    ("setup", "campaign", "add", "--start", X),
    ("setup", "set", X),
    ("setup", "set", "mergefield_language_id=" + X),
    ("setup", "code", "list", X),
    ("setup", "code", "add", "mailing-group", X),
    ("setup", "series", "add", "FZ", "--start", X),
    ("setup", "series", "add", "FZ2", "--start", "F1", "--increment", X),
    ("contacts", "list", "--type", X),
    ("contacts", "list", "--company", X),
    ("contacts", "list", "--search", X),
    ("contacts", "list", "--limit", X),
    ("contacts", "show", X),
    ("filter-fields", X),
    ("logged-segments", "list", "--segment", X),
    ("logged-segments", "cancel", X),
    ("campaign-entries", "list", "--campaign", X),
]

#: Text that is almost what an option wants.
NEAR_MISSES = st.sampled_from([
    "", " ", "-1", "0", "1e23", "1e-7", "99999999999999999999", "2147483648", "9999999999999999.99",
    "1.234", "NaN", "Infinity", "-0", "0x10", "1_000", "2025-02-30", "2025-13-01", "t", "-30D..t",
    "-C", "99999Y", "..", "|", "&", "''", "'", "@", "*", "<>", ">=", "(", "[red]", "[/]", "[bold",
    "Hard Copy", "hard-copy", "none", "very positive", "10000", "SEG0002", "P11", "LETTER",
    "contact.no=P11", "Contact.=", "=x", "a" * 300, "Ä" * 30, "Ω≈ç√", "\t", "\n", "12:60", "25:00",
    "10:00+01:00", "%s", "{0}", "\\", "--help", "-f",
])  # fmt: skip
NUMBERS = st.one_of(st.integers().map(str), st.decimals(allow_nan=True).map(str),
                    st.floats().map(str))
FREE_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"),
                    max_size=40)  # what argv can hold: no NUL, no lone surrogates
TEXT = st.one_of(NEAR_MISSES, NUMBERS, st.dates().map(str), FREE_TEXT)


def _command(template: tuple[str, ...], text: str) -> list[str]:
    return [text if part == X else part.replace(X, text) for part in template]


@pytest.fixture
def env(fixture_db: sessionmaker[Session], tx: TxFactory, engine: Engine,
        tmp_path: Path) -> dict[str, str]:
    """The database every example of a test runs on (a fixture runs once per test, not once per
    example: hence the health check suppressed below)."""
    url = engine.url.render_as_string(hide_password=False)
    return prepare(fixture_db, tx, url, tmp_path / "rapport.log")


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(template=st.sampled_from(COMMANDS), text=TEXT)
def test_random_text_in_any_option_is_refused_in_one_line_or_works(
    env: dict[str, str], template: tuple[str, ...], text: str
) -> None:
    done = run(env, *_command(template, text))
    shown = done.stdout + done.stderr
    assert done.returncode in (0, 1) and "Traceback" not in shown, shown
    if done.returncode == 1:
        assert done.stderr.startswith("error ["), done.stderr


def test_every_command_of_the_fuzz_test_exists() -> None:
    """Each command and option of the fuzz test exists, so the random text reaches a parser
    (``--help`` answers before any work, and after refusing an unknown option or command)."""
    for template in COMMANDS:
        done = run({}, *_command(template, "2025-03-10"), "--help")
        assert done.returncode == 0 and "Usage:" in done.stdout, (template, done.stderr)
