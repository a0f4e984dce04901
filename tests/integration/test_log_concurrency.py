"""Logging the same segment twice at once (SPEC §3.14 step 1, E03): exactly one wins.

Two threads, each on its own connection and transaction. The first holds the segment while it
logs; the second waits on the header lock (PostgreSQL ``FOR UPDATE``, SQLite's write lock) and,
once the first has committed, is told clearly that the segment was logged by another user.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ConflictError
from rapport.services.context import Ctx
from rapport.services.log import _log as log_service
from tests.builders_logging import segment_with_lines
from tests.conftest import TxFactory

SF = sessionmaker[Session]


def _log_in_thread(tx: TxFactory, name: str, results: dict[str, Any]) -> threading.Thread:
    def work() -> None:
        try:
            with tx() as ctx:
                results[name] = log_service.log_segment(ctx, "SEG0001", send=False)
        except Exception as exc:  # the test inspects whatever was raised
            results[name] = exc

    return threading.Thread(target=work, name=name)


def _assert_logged_once(factory: SF, results: dict[str, Any]) -> None:
    winners = [r for r in results.values() if isinstance(r, log_service.LogResult)]
    losers = [r for r in results.values() if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], ConflictError), repr(losers[0])
    assert "SEG0001" in losers[0].message and "logged" in losers[0].message
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(m.LoggedSegment)) == 1
        assert s.scalar(select(func.count()).select_from(m.InteractionLogEntry)) == 3
        assert s.scalar(select(func.count()).select_from(m.CampaignEntry)) == 1
        assert s.get(m.SegmentHeader, "SEG0001") is None


def test_second_logger_waits_and_is_told_the_segment_was_logged(
    fixture_db: SF, tx: TxFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11", "P3", "P12"], template_code="T-CALL", campaign_no="CP1")
    first_inside = threading.Event()

    def hold(_ctx: Ctx) -> None:
        if threading.current_thread().name == "first":
            first_inside.set()
            time.sleep(1.0)  # the second logger starts meanwhile and must wait for the lock

    monkeypatch.setattr(log_service, "AFTER_ENTRIES_HOOK", hold)
    results: dict[str, Any] = {}
    first, second = _log_in_thread(tx, "first", results), _log_in_thread(tx, "second", results)
    first.start()
    assert first_inside.wait(30)
    second.start()
    first.join(60)
    second.join(60)
    assert isinstance(results["first"], log_service.LogResult)
    assert isinstance(results["second"], ConflictError) and results["second"].code == "E03"
    _assert_logged_once(fixture_db, results)


def test_two_loggers_started_together_log_once(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11", "P3", "P12"], template_code="T-CALL", campaign_no="CP1")
    results: dict[str, Any] = {}
    barrier = threading.Barrier(2)
    threads = []
    for name in ("a", "b"):
        inner = _log_in_thread(tx, name, results)
        threads.append(
            threading.Thread(target=lambda t=inner: (barrier.wait(), t.run()), name=name)
        )
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    _assert_logged_once(fixture_db, results)
