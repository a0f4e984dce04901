"""The one wiring point: what a rapport process is built from.

``Rapport(settings)`` owns the database engine and its session factory (and, as they arrive, the
mailer and the document renderer). Every edge gets its use cases from here: the CLI
(``cli/common.py``), the API (``api/app.py`` and ``api/deps.py``), the benchmarks and the tests.
Nothing else builds an engine; the edges import neither SQLAlchemy nor ``rapport.db``.

Only ``upgrade`` creates or migrates a database. Every other use case opens an existing SQLite
file without creating it, and the first one of the process checks that the database has the
schema this code needs; otherwise it is told which command to run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from rapport.config import Settings
from rapport.db.engine import make_engine
from rapport.db.schema import HEAD, revision_of
from rapport.db.session import session_factory
from rapport.errors import DatabaseUnavailableError, RapportError, SettingsError
from rapport.mail import DkimSigner, Mailer, SmtpConfig, SmtpMailer
from rapport.merge import DocumentMerger, DocxMerger, LibreOfficeRenderer, PdfRenderer
from rapport.services.context import Ctx, transaction, utc_now
from rapport.services.delivery import (
    Composer,
    DeliveryOptions,
    LetterComposer,
    Letterhead,
    MergedLetters,
    UnsubscribeLinks,
    Worker,
)
from rapport.services.documents import HardCopy, deliver_hard_copy

T = TypeVar("T")
log = logging.getLogger("rapport")


class Rapport:
    """The process's database (and later its mailer and renderer), built once from settings."""

    def __init__(self, settings: Settings, **engine_options: Any) -> None:
        self.settings = settings
        self._url = make_url(settings.database_url)
        self._engine = make_engine(
            settings.database_url, busy_timeout_ms=settings.busy_timeout_ms, **engine_options
        )
        self._factory = session_factory(self._engine)
        self._schema_checked = False
        self._merger: DocumentMerger = DocxMerger()
        self._renderer: LibreOfficeRenderer | None = None

    @property
    def merger(self) -> DocumentMerger:
        """The Word merge engine (docx-mailmerge2 with rapport's field formatting)."""
        return self._merger

    @property
    def renderer(self) -> PdfRenderer:
        """The PDF renderer (LibreOffice headless), built on first use."""
        if self._renderer is None:
            self._renderer = LibreOfficeRenderer(
                self.settings.soffice_path, workers=self.settings.pdf_workers,
                timeout_s=self.settings.pdf_timeout_s)
        return self._renderer

    @property
    def engine(self) -> Engine:
        """The engine (for migrations, benchmarks and test fixtures; services use a Ctx)."""
        return self._engine

    @property
    def factory(self) -> sessionmaker[Session]:
        """The session factory behind every use case."""
        return self._factory

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    @contextmanager
    def use_case(
        self,
        *,
        user_id: str | None = None,
        work_date: dt.date | None = None,
        now: Callable[[], dt.datetime] = utc_now,
        readonly: bool = False,
    ) -> Iterator[Ctx]:
        """One use case in one transaction, as ``user_id`` on ``work_date`` (settings' defaults).

        ``readonly`` use cases never wait for a writer (see services.context.transaction). The
        process's first use case first checks the schema, inside the use case's transaction:
        one connection, and a reader takes no write lock to check.
        """
        if not self._schema_checked:
            self._refuse_missing_file()
        with transaction(
            self._factory,
            user_id=user_id or self.settings.user_id,
            work_date=work_date or self.settings.today(),
            now=now,
            readonly=readonly,
            merger=self._merger,
            attachment_dir=self.settings.attachment_storage_dir,
        ) as ctx:
            if not self._schema_checked:
                self._check_revision(ctx.session.connection())
            yield ctx

    def check_schema(self) -> None:
        """Refuse a database that is missing, empty or behind the code (once per process)."""
        if not self._schema_checked:
            with self.use_case(readonly=True):
                pass

    def _refuse_missing_file(self) -> None:
        """A SQLite file that does not exist is refused before connecting would create it."""
        if _missing_file(self._url):
            where = self._url.render_as_string(hide_password=True)
            raise DatabaseUnavailableError(
                f"No rapport database at {where}; run `rapport db upgrade` to create it",
                reason="no database",
            )

    def _check_revision(self, conn: Connection) -> None:
        """Refuse a database without rapport's schema or behind the code."""
        where = self._url.render_as_string(hide_password=True)
        revision = revision_of(conn)
        if revision is None:
            raise DatabaseUnavailableError(
                f"No rapport database at {where}; run `rapport db upgrade` to create it",
                reason="no schema",
            )
        if revision != HEAD:
            raise DatabaseUnavailableError(
                f"The database at {where} is at schema revision {revision}, this rapport needs "
                f"{HEAD}; run `rapport db upgrade`",
                reason="schema behind",
            )
        self._schema_checked = True

    def upgrade(self, revision: str = "head") -> None:
        """Create or migrate the database to ``revision`` (``rapport db upgrade``, ``make run``)."""
        from rapport.db.migrate import upgrade  # alembic loads only for this command

        engine = make_engine(self._url.render_as_string(hide_password=False))
        try:
            upgrade(engine, revision)
        finally:
            engine.dispose()
        self._schema_checked = False

    def mailer(self) -> Mailer:
        """The SMTP mailer of the settings (RAPPORT_SMTP_*)."""
        cfg = self.settings
        host = _required(cfg.smtp_host, "RAPPORT_SMTP_HOST", "the SMTP server to send e-mail "
                         "through, e.g. smtp.example.com")
        password = cfg.smtp_password.get_secret_value() if cfg.smtp_password else None
        return SmtpMailer(SmtpConfig(host=host, port=cfg.smtp_port, security=cfg.smtp_security,
                                     username=cfg.smtp_username, password=password,
                                     timeout=cfg.smtp_timeout_seconds))

    def unsubscribe_links(self) -> UnsubscribeLinks:
        """The signed one-click unsubscribe links (RAPPORT_PUBLIC_BASE_URL, _UNSUBSCRIBE_SECRET)."""
        cfg = self.settings
        base = _required(cfg.public_base_url, "RAPPORT_PUBLIC_BASE_URL", "the https address "
                         "recipients reach rapport at, for the unsubscribe link")
        secret = _required(cfg.unsubscribe_secret, "RAPPORT_UNSUBSCRIBE_SECRET", "the key "
                           "that signs unsubscribe links (e.g. `openssl rand -hex 32`)")
        return UnsubscribeLinks(base, secret.get_secret_value().encode("utf-8"))

    def letterhead(self) -> Letterhead:
        """Sender, unsubscribe links and DKIM signer shared by every message."""
        cfg = self.settings
        sender = _required(cfg.mail_from, "RAPPORT_MAIL_FROM", "the sender of e-mail, e.g. "
                           "'Sales <sales@example.com>'")
        signer = None
        if cfg.dkim_domain and cfg.dkim_selector and cfg.dkim_private_key_file:
            try:
                signer = DkimSigner.from_file(domain=cfg.dkim_domain, selector=cfg.dkim_selector,
                                              key_file=cfg.dkim_private_key_file)
            except OSError as exc:
                raise SettingsError(f"Setting RAPPORT_DKIM_PRIVATE_KEY_FILE: cannot be read "
                                    f"({exc.strerror})", field="RAPPORT_DKIM_PRIVATE_KEY_FILE",
                                    reason="unreadable") from None
        return Letterhead(sender, self.unsubscribe_links(), signer)

    def delivery_options(self) -> DeliveryOptions:
        """How delivery workers work (RAPPORT_DELIVERY_*)."""
        cfg = self.settings
        return DeliveryOptions(
            batch_size=cfg.delivery_batch_size, rate_limit=cfg.delivery_rate_limit,
            domain_rate_limit=cfg.delivery_domain_rate_limit,
            max_attempts=cfg.delivery_max_attempts, retry_seconds=cfg.delivery_retry_seconds,
            lease_seconds=cfg.delivery_lease_seconds, in_flight=cfg.delivery_in_flight)

    def delivery_worker(self, *, mailer: Mailer | None = None,
                        composer: Composer | None = None) -> Worker:
        """A delivery worker on this database; a SettingsError names a missing setting."""
        mailer = mailer or self.mailer()
        return Worker(self.use_case, mailer, composer or self.composer(), self.letterhead(),
                      self.delivery_options())

    def composer(self) -> Composer:
        """What writes each e-mail: the entry's merged letter (HTML body or .docx attachment)."""
        return LetterComposer(MergedLetters())

    def hard_copy_after_commit(self, segment_no: str, *, user_id: str) -> HardCopy | None:
        """Deliver a just-logged segment's hard copies as ``user_id`` (the API's and the web
        pages' task after the log's commit); the delivered letters are stored on their entries
        (``stored_hard_copy`` bundles them). A failure is logged: the letters wait In Progress
        for ``rapport logged-segments hard-copy``."""
        def open_case(*, readonly: bool = False) -> AbstractContextManager[Ctx]:
            return self.use_case(user_id=user_id, readonly=readonly)

        try:
            return deliver_hard_copy(open_case, self.renderer, segment_no,
                                     workers=self.settings.pdf_workers)
        except RapportError as exc:
            log.warning("The hard copy of segment %s was not made: %s", segment_no,
                        exc.message)
            return None

    def close_renderer(self) -> None:
        """Remove the renderer's work folders (it makes new ones if used again)."""
        if self._renderer is not None:
            self._renderer.close()

    def dispose(self) -> None:
        """Close every pooled connection and remove the renderer's work folders."""
        self._engine.dispose()
        self.close_renderer()

    def __enter__(self) -> Rapport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.dispose()


def _required(value: T | None, name: str, what: str) -> T:
    """A setting delivery needs; a SettingsError saying what to set when it is missing."""
    if value is None or value == "":
        raise SettingsError(f"Setting {name} is not set: {what}", field=name,
                            reason="not set")
    return value


def _missing_file(url: URL) -> bool:
    """Whether ``url`` names a SQLite file that does not exist (connecting would create it)."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return False
    return not database.startswith("file:") and not Path(database).exists()


def for_url(url: str, *, busy_timeout_ms: int = 30_000, **engine_options: Any) -> Rapport:
    """A Rapport on ``url`` with otherwise default settings (tests and benchmarks)."""
    return Rapport(Settings(database_url=url, busy_timeout_ms=busy_timeout_ms), **engine_options)
