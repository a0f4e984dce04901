"""Settings, read once from the environment (prefix ``RAPPORT_``) and passed down."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    #: A fixed work date for every command (training, reproducible examples); default: today.
    work_date: dt.date | None = None
    #: Where the CLI writes the details of an internal error (default: the user's state folder).
    log_file: str | None = None
    #: Signs the web pages' session and CSRF cookies; unset: a random key per process (every
    #: browser must sign in again after a restart).
    secret_key: str | None = None

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

    def today(self) -> dt.date:
        """The default work date (K18): RAPPORT_WORK_DATE, else today in the time zone."""
        return self.work_date or dt.datetime.now(ZoneInfo(self.time_zone)).date()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
