"""Number series: drawing, manual numbers (E02), maintenance, and drawing under concurrency."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ConflictError, NotFoundError, RuleViolationError, ValidationError
from rapport.services import setup as ns
from rapport.services.setup import SeriesChanges, SeriesInput
from tests.concurrency import run_at_once
from tests.conftest import WORK_DATE, TxFactory

SF = sessionmaker[Session]


def _series(tx: TxFactory, code: str = "SEG", **kw: object) -> None:
    with tx() as ctx:
        data = SeriesInput.model_validate(
            {"code": code, "description": "Segments", "starting_no": "SEG0001", **kw}
        )
        ns.create_number_series(ctx, data)


def _state(factory: sessionmaker[Session], code: str = "SEG") -> tuple[str | None, object]:
    with factory() as s:
        series = s.get(m.NumberSeries, code)
        assert series is not None
        return series.last_no_used, series.last_date_used


def test_draw_next_starts_at_starting_no_then_increments(tx: TxFactory, factory: SF) -> None:
    _series(tx)
    with tx() as ctx:
        assert ns.draw_next(ctx, "seg") == "SEG0001"
        assert ns.draw_next(ctx, "SEG") == "SEG0002"
    with tx() as ctx:
        assert ns.draw_next(ctx, "SEG") == "SEG0003"
    assert _state(factory) == ("SEG0003", WORK_DATE)


def test_draw_next_uses_increment_by(tx: TxFactory) -> None:
    _series(tx, increment_by=5)
    with tx() as ctx:
        assert [ns.draw_next(ctx, "SEG") for _ in range(3)] == ["SEG0001", "SEG0006", "SEG0011"]


def test_draw_next_refuses_beyond_ending_no(tx: TxFactory, factory: SF) -> None:
    _series(tx, ending_no="SEG0002")
    with tx() as ctx:
        ns.draw_next(ctx, "SEG")
        ns.draw_next(ctx, "SEG")
    exceeded = "SEG0003 would exceed the ending number SEG0002"
    with pytest.raises(RuleViolationError, match=exceeded), tx() as ctx:
        ns.draw_next(ctx, "SEG")
    assert _state(factory) == ("SEG0002", WORK_DATE)


def test_draw_next_from_unknown_series_is_not_found(tx: TxFactory) -> None:
    with pytest.raises(NotFoundError, match="Number series NOPE does not exist"), tx() as ctx:
        ns.draw_next(ctx, "NOPE")


def test_check_manual_no_refuses_when_series_forbids_manual_numbers(tx: TxFactory) -> None:
    _series(tx)
    with pytest.raises(RuleViolationError) as err, tx() as ctx:
        ns.check_manual_no(ctx, "SEG", record="Segment S-1")
    assert err.value.code == "E02"
    assert "Manual numbers are not allowed for number series SEG" in err.value.message


def test_check_manual_no_accepts_manual_series_or_no_series(tx: TxFactory) -> None:
    _series(tx, manual_nos=True)
    with tx() as ctx:
        ns.check_manual_no(ctx, "SEG", record="Segment S-1")
        ns.check_manual_no(ctx, None, record="Segment S-1")
        ns.check_manual_no(ctx, "", record="Segment S-1")
    with pytest.raises(NotFoundError), tx() as ctx:
        ns.check_manual_no(ctx, "NOPE", record="Segment S-1")


def test_create_duplicate_series_is_refused_and_changes_nothing(tx: TxFactory, factory: SF) -> None:
    _series(tx)
    with pytest.raises(ConflictError, match="SEG already exists"):
        _series(tx, description="Other")
    with factory() as s:
        series = s.get(m.NumberSeries, "SEG")
        assert series is not None and series.description == "Segments"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"starting_no": ""}, "starting_no"),
        ({"starting_no": "ABC"}, "starting_no"),
        ({"increment_by": 0}, "increment_by"),
        ({"ending_no": "SEG0000"}, "ending_no"),
    ],
)
def test_invalid_series_is_refused(tx: TxFactory, factory: SF, fields: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        _series(tx, **fields)
    assert err.value.field == field
    with factory() as s:
        assert s.get(m.NumberSeries, "SEG") is None


def test_update_and_list_series(tx: TxFactory, factory: SF) -> None:
    _series(tx)
    _series(tx, "CONT", starting_no="CT001")
    with tx() as ctx:
        ns.draw_next(ctx, "SEG")
        ns.update_number_series(
            ctx,
            "seg",
            SeriesChanges(
                description="Segs", starting_no="SEG0001", ending_no="SEG9999", manual_nos=True
            ),
        )
    with tx() as ctx:
        listed = [
            (s.code, s.description, s.manual_nos, s.last_no_used)
            for s in ns.list_number_series(ctx)
        ]
    assert listed == [("CONT", "Segments", False, None), ("SEG", "Segs", True, "SEG0001")]
    with pytest.raises(NotFoundError), tx() as ctx:
        ns.update_number_series(ctx, "NOPE", SeriesChanges(starting_no="A1"))


def test_update_applies_only_the_fields_given(tx: TxFactory, factory: SF) -> None:
    _series(tx, increment_by=5, ending_no="SEG0900", manual_nos=True)
    with tx() as ctx:
        ns.update_number_series(ctx, "SEG", SeriesChanges(description="Renamed"))
    with factory() as s:
        series = s.get(m.NumberSeries, "SEG")
        assert series is not None
        assert (series.description, series.starting_no, series.ending_no) == (
            "Renamed",
            "SEG0001",
            "SEG0900",
        )
        assert (series.increment_by, series.manual_nos) == (5, True)
    with tx() as ctx:
        ns.update_number_series(ctx, "SEG", SeriesChanges(ending_no=None))
    with factory() as s:
        series = s.get(m.NumberSeries, "SEG")
        assert series is not None and series.ending_no is None and series.increment_by == 5
    with pytest.raises(ValidationError) as err, tx() as ctx:
        reversed_range = SeriesChanges(starting_no="SEG0002", ending_no="SEG0001")
        ns.update_number_series(ctx, "SEG", reversed_range)
    assert err.value.field == "ending_no"


def test_concurrent_draws_never_share_a_number(tx: TxFactory, factory: SF) -> None:
    """Two transactions on two connections: the second waits for the first and gets the next no."""
    _series(tx)
    drawn: dict[str, str] = {}
    times: dict[str, float] = {}
    first_drew = threading.Event()

    def first() -> None:
        try:
            with tx() as ctx:
                drawn["first"] = ns.draw_next(ctx, "SEG")
                first_drew.set()
                time.sleep(0.8)  # hold the lock while the second transaction tries to draw
                times["first_commit"] = time.monotonic()
        finally:
            first_drew.set()

    def second() -> None:
        first_drew.wait(10)
        with tx() as ctx:
            times["second_start"] = time.monotonic()
            drawn["second"] = ns.draw_next(ctx, "SEG")
            times["second_drew"] = time.monotonic()

    errors = run_at_once(first, second)
    assert errors == []
    assert sorted(drawn.values()) == ["SEG0001", "SEG0002"]
    assert drawn["first"] == "SEG0001"
    # the second draw returned only after the first transaction committed: it was blocked
    assert times["second_drew"] >= times["first_commit"]
    assert times["second_drew"] - times["second_start"] > 0.3
    assert _state(factory)[0] == "SEG0002"
