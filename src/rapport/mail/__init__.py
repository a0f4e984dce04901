"""The mail adapter: SMTP behind a small Protocol, built by the wiring point from settings.

Services send through ``Mailer``/``MailConnection`` and handle the ``MailError`` tree; tests give
a mailer on a loopback aiosmtpd server (``SmtpMailer``) or one of their own.
"""

from rapport.mail._dkim import DkimSigner
from rapport.mail._errors import ConnectionLost, MailError, MailServerUnavailable, Refused
from rapport.mail._protocol import MailConnection, Mailer
from rapport.mail._smtp import SmtpConfig, SmtpConnection, SmtpMailer

__all__ = [
    "ConnectionLost",
    "DkimSigner",
    "MailConnection",
    "MailError",
    "Mailer",
    "MailServerUnavailable",
    "Refused",
    "SmtpConfig",
    "SmtpConnection",
    "SmtpMailer",
]
