"""Settings, read once from the environment (prefix ``RAPPORT_``) and passed down."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_LENGTH = 32
PLACEHOLDERS = {"changeme", "change-me", "change_me", "changethis", "secret", "password",
                "example", "xxx", "todo", "replace-me", "your-secret", "none", "null"}


def is_placeholder(value: str) -> bool:
    """A secret that is a well-known placeholder (or blank) rather than a real one."""
    word = value.strip().lower()
    return not word or word in PLACEHOLDERS or word.startswith(("changeme", "change-me"))


class Settings(BaseSettings):
    """Configuration of one rapport process."""

    model_config = SettingsConfigDict(env_prefix="RAPPORT_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///rapport.db"
    time_zone: str = "UTC"
    user_id: str = "ADMIN"
    host: str = "127.0.0.1"
    port: int = 8000
    attachment_storage_dir: str | None = None
    busy_timeout_ms: int = 30_000
    #: LibreOffice for hard copies (default: ``soffice`` on the PATH; none = .docx letters).
    soffice_path: str | None = None
    #: LibreOffice converters run side by side, and the seconds one batch may take besides
    #: two seconds per letter before it is stopped.
    pdf_workers: int = 2
    pdf_timeout_s: float = 60.0
    #: A fixed work date for every command (training, reproducible examples); default: today.
    work_date: dt.date | None = None
    #: Where the CLI writes the details of an internal error (default: the user's state folder).
    log_file: str | None = None
    #: Signs the web pages' session and CSRF cookies; unset: a random key per process (every
    #: browser must sign in again after a restart).
    secret_key: str | None = None

    # E-mail delivery (services/delivery, mail/). Without smtp_host nothing is sent: logged
    # messages wait in the outbox until `rapport delivery run` finds a configured server.
    smtp_host: str | None = None
    smtp_port: int = 587
    #: starttls (upgrade a plain connection, port 587), tls (implicit TLS, port 465), none.
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = 30.0
    #: The sender of every e-mail, e.g. ``Sales <sales@example.com>``.
    mail_from: str | None = None
    #: Where recipients reach this rapport (https), for the one-click unsubscribe link.
    public_base_url: str | None = None
    #: The key that signs unsubscribe links (at least 32 characters, not a placeholder).
    unsubscribe_secret: SecretStr | None = None
    #: DKIM signing, when all three are set: the domain, the selector, the PEM private key file.
    dkim_domain: str | None = None
    dkim_selector: str | None = None
    dkim_private_key_file: str | None = None
    #: Messages a worker claims at a time (and sends over one SMTP connection).
    delivery_batch_size: int = 100
    #: Messages per second a worker sends at most, in all and to one recipient domain (0: no limit).
    delivery_rate_limit: float = 0.0
    delivery_domain_rate_limit: float = 0.0
    #: Attempts of a message that the server refuses for now (4xx) before it is an error.
    delivery_max_attempts: int = 5
    #: Wait before the first retry of a 4xx refusal; doubled at each further attempt.
    delivery_retry_seconds: float = 60.0
    #: A claim older than this is taken to belong to a worker that died (another host's worker).
    delivery_lease_seconds: float = 900.0
    #: Messages a worker marks "sending" in one commit: the most a worker that dies mid-batch
    #: leaves "unknown" (1: exactly the message it was handing over; more: faster).
    delivery_in_flight: int = 10

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):  # the first is a KeyError: not reported
            raise ValueError(f"{value!r} is not a known time zone, e.g. Europe/Oslo") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_engine(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("RAPPORT_DATABASE_URL must be sqlite:// or postgresql+psycopg://")
        return value

    @field_validator("smtp_password", "unsubscribe_secret")
    @classmethod
    def _no_placeholder(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and is_placeholder(value.get_secret_value()):
            raise ValueError("is a placeholder; set a real secret (e.g. `openssl rand -hex 32`)")
        return value

    @field_validator("unsubscribe_secret")
    @classmethod
    def _long_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_SECRET_LENGTH:
            raise ValueError(f"must be at least {MIN_SECRET_LENGTH} characters long")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError("must be an https:// URL, e.g. https://crm.example.com")
        return value.rstrip("/")

    @field_validator("delivery_batch_size", "delivery_max_attempts", "delivery_in_flight")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1")
        return value

    def today(self) -> dt.date:
        """The default work date (K18): RAPPORT_WORK_DATE, else today in the time zone."""
        return self.work_date or dt.datetime.now(ZoneInfo(self.time_zone)).date()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
