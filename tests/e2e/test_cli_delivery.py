"""``segments log`` delivering in-process, ``delivery run|status|mark-sent``, ``interactions
resend``, against a real SMTP server on loopback."""

from __future__ import annotations

from sqlalchemy import Engine

from rapport.db import models as m
from tests.builders_delivery import SF
from tests.builders_documents import word_letter
from tests.builders_logging import bulk_segment
from tests.e2e.cli_support import run_main, run_real
from tests.smtp_server import Handler, SmtpServer

SECRET = "0123456789abcdef0123456789abcdef-cli"


def _env(url: str, port: int | None = None) -> dict[str, str]:
    env = {"RAPPORT_DATABASE_URL": url, "RAPPORT_USER_ID": "U1",
           "RAPPORT_WORK_DATE": "2025-03-10", "RAPPORT_MAIL_FROM": "Sales <sales@cli.test>",
           "RAPPORT_PUBLIC_BASE_URL": "https://crm.cli.test",
           "RAPPORT_UNSUBSCRIBE_SECRET": SECRET, "RAPPORT_SMTP_SECURITY": "none"}
    if port is not None:
        env.update(RAPPORT_SMTP_HOST="127.0.0.1", RAPPORT_SMTP_PORT=str(port))
    return env


def _segment(factory: SF, count: int) -> None:
    """A segment of ``count`` e-mail lines whose template's attachment is a Word letter."""
    with factory.begin() as s:
        row = s.get(m.InteractionTmplLanguage, ("T-MAIL", ""))
        assert row is not None and row.attachment_no is not None
        att = s.get(m.Attachment, row.attachment_no)
        assert att is not None
        att.content = word_letter([["Dear ", "{ MERGEFIELD Contact_Name }", ","]])
        bulk_segment(s, "SEG0001", count)


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_log_sends_after_the_commit_and_resend_sends_again(fixture_db: SF,
                                                           engine: Engine) -> None:
    _segment(fixture_db, 3)
    handler = Handler(refuse={"bk2@bulk.test": ["550 5.1.1 No such user"]})
    with SmtpServer(handler) as server:
        env = _env(_url(engine), server.port)
        done = run_main(env, "segments", "log", "SEG0001")
        assert done.returncode == 0, done.stderr
        assert "E-mail: 2 sent, 1 failed" in done.stdout
        assert "550 5.1.1 No such user" in done.stdout
        status = run_main(env, "delivery", "status")
        assert "sent: 2" in status.stdout and "failed: 1" in status.stdout
        assert "BK2@bulk.test" in status.stdout
        again = run_real(env, "interactions", "resend", "1", "--logged-segment", "1")
        assert again.returncode == 0, again.stderr
        assert "1 entr(y/ies) of logged segment 1 queued for e-mail" in again.stdout
        assert "E-mail: 1 sent" in again.stdout
    assert len(server.received) == 3


def test_without_a_server_the_messages_wait_and_run_sends_them(fixture_db: SF,
                                                              engine: Engine) -> None:
    _segment(fixture_db, 2)
    logged = run_main(_env(_url(engine)), "segments", "log", "SEG0001")
    assert "2 e-mail message(s) wait in the outbox: Setting RAPPORT_SMTP_HOST" in logged.stdout
    refused = run_main(_env(_url(engine)), "delivery", "run")
    assert refused.returncode == 1 and "error [SETTINGS]" in refused.stderr
    with SmtpServer() as server:
        done = run_main(_env(_url(engine), server.port), "delivery", "run")
    assert done.returncode == 0 and "E-mail: 2 sent" in done.stdout
    assert len(server.received) == 2
    nothing = run_main(_env(_url(engine), server.port), "interactions", "resend")
    assert nothing.returncode == 1 and "[E33]" in nothing.stderr
