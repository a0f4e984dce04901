"""The delivery worker: claim a batch, compose it, send it over one connection, record it.

The guarantee (README, "E-mail delivery"): a message is handed to the mail server at most once
by rapport's own decision. Before messages are handed over, the worker commits them as
"sending" (``in_flight`` at a time, one commit); once the server answered, it commits the
answers ("sent", "failed" with the server's reason, or pending again for a later attempt after
a 4xx reply) with the next window's "sending". A worker that dies leaves at most its current
window in "sending"; the next claim turns those into "unknown" for a person to decide — never
sent again by themselves — and gives its untouched claimed messages back.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from email.errors import MessageError
from itertools import count

from rapport.errors import RapportError
from rapport.mail import ConnectionLost, MailConnection, Mailer, MailServerUnavailable, Refused
from rapport.services.context import Ctx
from rapport.services.delivery._compose import Composer, Outgoing, outgoing
from rapport.services.delivery._message import Letterhead, build_message
from rapport.services.delivery._outbox import Claimed, claim, new_worker_id
from rapport.services.delivery._outcomes import Outcome, Policy, Result, mark_sending, record

UseCases = Callable[..., AbstractContextManager[Ctx]]
_TAGS = count(1)


@dataclass(frozen=True)
class DeliveryOptions:
    """How a worker works (from settings)."""

    batch_size: int = 100
    rate_limit: float = 0.0  # messages per second in all (0: no limit)
    domain_rate_limit: float = 0.0  # messages per second to one recipient domain
    max_attempts: int = 5
    retry_seconds: float = 60.0
    lease_seconds: float = 900.0
    #: Messages marked "sending" by one commit: the most a dying worker leaves in doubt.
    in_flight: int = 10


@dataclass
class DeliveryReport:
    """What one run of a worker did."""

    sent: int = 0
    failed: int = 0
    retrying: int = 0
    unknown: int = 0
    blocked: int = 0
    stopped: str | None = None  # why the run stopped early (the server cannot be reached …)
    problems: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        """Messages this run settled or deferred."""
        return self.sent + self.failed + self.retrying + self.unknown + self.blocked

    def add(self, outcome: Outcome, max_attempts: int) -> None:
        """Count one outcome."""
        if outcome.result is Result.SENT:
            self.sent += 1
        elif outcome.result is Result.RETRY and outcome.attempts < max_attempts:
            self.retrying += 1
        elif outcome.result in (Result.FAILED, Result.RETRY):
            self.failed += 1
            self.problems.append(f"entry {outcome.entry_no}: {outcome.reason}")
        elif outcome.result is Result.UNKNOWN:
            self.unknown += 1
            self.problems.append(f"entry {outcome.entry_no}: {outcome.reason}")


class Pacer:
    """Spaces messages out: at most ``rate`` per second, and ``domain_rate`` per domain."""

    def __init__(self, rate: float, domain_rate: float,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._gap = 1 / rate if rate > 0 else 0.0
        self._domain_gap = 1 / domain_rate if domain_rate > 0 else 0.0
        self._sleep, self._clock = sleep, clock
        self._next = 0.0
        self._next_by_domain: dict[str, float] = {}

    def wait(self, domain: str) -> None:
        """Sleep until a message to ``domain`` may go."""
        now = self._clock()
        due = max(self._next, self._next_by_domain.get(domain, 0.0))
        if due > now:
            self._sleep(due - now)
            now = due
        self._next = now + self._gap
        if self._domain_gap:
            self._next_by_domain[domain] = now + self._domain_gap


Progress = Callable[[DeliveryReport], None]


class Worker:
    """Sends the outbox's due messages; several may run at once, in one or more processes."""

    def __init__(self, use_cases: UseCases, mailer: Mailer, composer: Composer,
                 letterhead: Letterhead, options: DeliveryOptions, *,
                 now: Callable[[], dt.datetime] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.use_cases, self.mailer, self.composer = use_cases, mailer, composer
        self.letterhead, self.options = letterhead, options
        self.worker_id = new_worker_id(f"w{next(_TAGS)}")
        self.policy = Policy(options.max_attempts, options.retry_seconds)
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._pacer = Pacer(options.rate_limit, options.domain_rate_limit, sleep)

    def run(self, *, logged_segment: int | None = None, limit: int | None = None,
            progress: Progress | None = None) -> DeliveryReport:
        """Send due messages (of one logged segment, or all) until none is left, ``limit``
        messages were handled, or the server cannot be used (``report.stopped``)."""
        report = DeliveryReport()
        while limit is None or report.handled < limit:
            size = self.options.batch_size if limit is None else min(
                self.options.batch_size, limit - report.handled)
            with self.use_cases() as ctx:
                claimed, blocked = claim(
                    ctx, self.worker_id, limit=size, logged_segment=logged_segment,
                    lease=dt.timedelta(seconds=self.options.lease_seconds))
            report.blocked += blocked
            if not claimed and not blocked:
                break
            if claimed and not self._send_batch(claimed, report, progress):
                break
        return report

    def _compose(self, claimed: Sequence[Claimed]) -> tuple[list[tuple[Outgoing, bytes]],
                                                             list[Outcome]]:
        """Each claimed message built, or failed with the reason it cannot be."""
        built: list[tuple[Outgoing, bytes]] = []
        failed: list[Outcome] = []
        with self.use_cases(readonly=True) as ctx:
            facts = outgoing(ctx, [(c.outbox_id, c.entry_no, c.generation, c.attempts)
                                   for c in claimed])
            self.composer.prepare(ctx, facts)
            for message in facts:
                try:
                    if not message.recipient:
                        raise RapportError(f"contact {message.contact_no} has no e-mail "
                                           "address (nor its alternate address)", code="E08")
                    content = self.composer.compose(ctx, message)
                    built.append((message, build_message(message, content, self.letterhead,
                                                         self._now())))
                except (RapportError, ValueError, MessageError) as exc:
                    failed.append(Outcome(message.outbox_id, message.entry_no,
                                          message.attempts, Result.FAILED, f"not sent: {exc}"))
        return built, failed

    def _send_batch(self, claimed: Sequence[Claimed], report: DeliveryReport,
                    progress: Progress | None) -> bool:
        """Send one claimed batch over one connection; False when the run must stop.

        Messages go in windows of ``in_flight``: one commit records the previous window's
        outcomes and marks the next window "sending"; then its messages are handed over."""
        built, done = self._compose(claimed)
        if not built:  # nothing could be composed: no connection needed
            with self.use_cases() as ctx:
                record(ctx, self.worker_id, done, self.policy)
            self._count(done, report, progress)
            return True
        queue = list(built)
        window: list[tuple[Outgoing, bytes]] = []
        in_flight: Outgoing | None = None
        try:
            with self.mailer.connect() as connection:
                while queue or window:
                    if not window:
                        size = self.options.in_flight
                        window, queue = queue[:size], queue[size:]
                        with self.use_cases() as ctx:  # what is known, then "sending"
                            record(ctx, self.worker_id, done, self.policy)
                            mark_sending(ctx, self.worker_id,
                                         [(m.outbox_id, m.recipient) for m, _ in window])
                        self._count(done, report, progress)
                        done = []
                    message, data = window.pop(0)
                    in_flight = message
                    outcome, broken = self._hand_over(connection, message, data)
                    done.append(outcome)
                    in_flight = None
                    if broken:
                        report.stopped = f"the connection to the mail server broke: {broken}"
                        return False
            return True
        except MailServerUnavailable as exc:
            report.stopped = str(exc)
            return False
        finally:
            if in_flight is not None:  # interrupted while handing it over: it may have arrived
                done.append(Outcome(in_flight.outbox_id, in_flight.entry_no,
                                    in_flight.attempts + 1, Result.UNKNOWN,
                                    "outcome unknown: sending was interrupted; check, then "
                                    "mark sent or resend"))
            done += [Outcome(m.outbox_id, m.entry_no, m.attempts, Result.NOT_ATTEMPTED)
                     for m, _ in window + queue]
            with self.use_cases() as ctx:
                record(ctx, self.worker_id, done, self.policy)
            self._count(done, report, progress)

    def _hand_over(self, connection: MailConnection, message: Outgoing,
                   data: bytes) -> tuple[Outcome, str]:
        """Send one message: its outcome, and why the connection broke ('' if it did not)."""
        attempts = message.attempts + 1
        self._pacer.wait(message.recipient.rpartition("@")[2].lower())
        key = (message.outbox_id, message.entry_no, attempts)
        try:
            connection.send(data, sender=self.letterhead.envelope_sender,
                            recipient=message.recipient)
        except Refused as exc:
            result = Result.RETRY if exc.temporary else Result.FAILED
            return Outcome(*key, result, f"{exc.code} {exc.reason}"), ""
        except ConnectionLost as exc:
            if exc.maybe_accepted:
                return Outcome(*key, Result.UNKNOWN, (
                    f"outcome unknown: the connection broke after the message was handed "
                    f"over ({exc.reason}); check, then mark sent or resend")), exc.reason
            # Not handed over: the server cannot have it; it goes back to the queue as it was.
            return Outcome(*key, Result.NOT_ATTEMPTED), exc.reason
        return Outcome(*key, Result.SENT), ""

    def _count(self, outcomes: Sequence[Outcome], report: DeliveryReport,
               progress: Progress | None) -> None:
        for outcome in outcomes:
            if outcome.result is not Result.NOT_ATTEMPTED:
                report.add(outcome, self.options.max_attempts)
        if progress is not None and outcomes:
            progress(report)

