"""The SMTP mailer (smtplib): plain, STARTTLS or implicit TLS, with optional login.

The DATA phase is driven here rather than by ``smtplib.SMTP.sendmail`` to know *when* a
broken connection broke: before the message's final dot was written the server cannot have
accepted it (the worker may send it again); after it, the server may have accepted it and the
worker must not send it blindly again (``ConnectionLost.maybe_accepted``).
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from rapport.mail._errors import ConnectionLost, MailServerUnavailable, Refused

_LEADING_DOT = re.compile(rb"(?m)^\.")


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to reach the SMTP server."""

    host: str
    port: int = 587
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    #: Verify the server's certificate (tests on loopback may give their own context).
    tls_context: ssl.SSLContext | None = None


class SmtpConnection:
    """One SMTP session; ``send`` runs one mail transaction (MAIL, RCPT, DATA)."""

    def __init__(self, client: smtplib.SMTP) -> None:
        self._client = client

    def send(self, message: bytes, *, sender: str, recipient: str) -> None:
        """Send ``message`` to ``recipient``; ``Refused`` or ``ConnectionLost`` when it fails."""
        try:
            self._command(self._client.mail(sender, self._size_option(message)))
            self._command(self._client.rcpt(recipient))
            self._command(self._client.docmd("DATA"), expected=354)
            payload = _LEADING_DOT.sub(b"..", message)
            if not payload.endswith(b"\r\n"):
                payload += b"\r\n"
            self._client.send(payload + b".\r\n")
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise ConnectionLost(_reason(exc), maybe_accepted=False) from exc
        try:
            code, reply = self._client.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise ConnectionLost(_reason(exc), maybe_accepted=True) from exc
        self._command((code, reply))

    def _size_option(self, message: bytes) -> list[str]:
        self._client.ehlo_or_helo_if_needed()
        return [f"SIZE={len(message)}"] if self._client.has_extn("size") else []

    def _command(self, answer: tuple[int, bytes], expected: int | None = None) -> None:
        code, reply = answer
        if (expected is None and code in (250, 251)) or code == expected:
            return
        text = reply.decode("utf-8", "replace").replace("\n", " ").strip()
        if code == 421 or code == -1:  # the server is closing the connection
            raise ConnectionLost(f"{code} {text}".strip(), maybe_accepted=False)
        if code < 400:  # an unexpected positive reply is a protocol error: refuse for good
            code = 554
        self._reset()
        raise Refused(code, text)

    def _reset(self) -> None:
        try:
            self._client.rset()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise ConnectionLost(_reason(exc), maybe_accepted=False) from exc


class SmtpMailer:
    """A ``Mailer`` on an SMTP server."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    @contextmanager
    def connect(self) -> Iterator[SmtpConnection]:
        """One SMTP session for a batch; QUIT at the end."""
        client = self._open()
        try:
            yield SmtpConnection(client)
        finally:
            _quit(client)

    def _open(self) -> smtplib.SMTP:
        cfg = self.config
        where = f"{cfg.host}:{cfg.port}"
        context = cfg.tls_context or ssl.create_default_context()
        try:
            if cfg.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    cfg.host, cfg.port, timeout=cfg.timeout, context=context)
            else:
                client = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
            if cfg.security == "starttls":
                client.starttls(context=context)
            if cfg.username:
                client.login(cfg.username, cfg.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise MailServerUnavailable(f"SMTP server {where} refused the login of "
                                        f"{cfg.username}: {_reason(exc)}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise MailServerUnavailable(f"SMTP server {where} cannot be used: "
                                        f"{_reason(exc)}") from exc
        return client


def _quit(client: smtplib.SMTP) -> None:
    """Say QUIT; a connection the server already dropped only needs closing."""
    try:
        client.quit()
    except (smtplib.SMTPServerDisconnected, OSError):
        client.close()  # nothing was pending: every message's outcome is already known


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, socket.timeout):
        return "timed out"
    return str(exc) or type(exc).__name__
