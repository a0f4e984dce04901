"""Save Criteria / Reuse Criteria (SPEC §3.8; scenario 34; E14, E15, A2/Q05, K5)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.domain.enums import CriteriaAction, CriteriaSection
from rapport.errors import (
    ConflictError,
    MultipleErrors,
    NotFoundError,
    RuleViolationError,
    ValidationError,
)
from rapport.services.criteria import (
    add_contacts,
    delete_saved_criteria,
    go_back,
    list_saved_criteria,
    reduce_contacts,
    refine_contacts,
    reuse_criteria,
    save_criteria,
    show_saved_criteria,
)
from rapport.services.segments import action_count, segment_criteria
from tests.builders_segments import (
    contacts,
    criteria_rows,
    day,
    filters,
    make_ile,
    make_segment,
    state,
)
from tests.conftest import TxFactory

NEWS = "Mailing Group.code=NEWS"


def _s1_news_without_p3(factory: sessionmaker[Session], tx: TxFactory) -> None:
    make_segment(factory)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters(NEWS))
    with tx() as ctx:
        reduce_contacts(ctx, "S1", filters("Contact.no=P3"))


def _saved_count(factory: sessionmaker[Session]) -> tuple[int, int]:
    with factory() as s:
        return s.query(m.SavedSegmentCriteria).count(), s.query(m.SavedSegmentCriteriaLine).count()


def test_save_and_reuse(fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    """Scenario 34."""
    _s1_news_without_p3(fixture_db, tx)
    with tx() as ctx:
        assert save_criteria(ctx, "S1", "newsnop3", "News without Dora") == 2
    make_segment(fixture_db, "S2")
    with tx() as ctx:
        result = reuse_criteria(ctx, "S2", "NEWSNOP3")
    assert contacts(fixture_db, "S2") == ["P11"]
    assert (result.actions_replayed, result.lines_added, result.lines_removed) == (2, 2, 1)
    assert result.no_of_criteria_actions == 2


def test_saved_criteria_is_a_one_to_one_copy_with_the_user(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _s1_news_without_p3(fixture_db, tx)
    with tx(user_id="u2") as ctx:
        save_criteria(ctx, "S1", "COPY", "Copy")
    shared = ["line_no", "type", "action", "table_name", "table_view", "no_of_filters"]
    with fixture_db() as s:
        saved = s.get(m.SavedSegmentCriteria, "COPY")
        assert saved is not None and saved.user_id == "U2" and saved.description == "Copy"
        copy = s.scalars(select(m.SavedSegmentCriteriaLine).order_by("line_no")).all()
    original = criteria_rows(fixture_db)
    assert len(copy) == len(original) == 4
    for a, b in zip(copy, original, strict=True):
        assert [getattr(a, n) for n in shared] == [getattr(b, n) for n in shared]


def test_save_without_actions_is_refused(fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    """E14."""
    make_segment(fixture_db)
    with pytest.raises(RuleViolationError, match="No. of Criteria Actions") as err, tx() as ctx:
        save_criteria(ctx, "S1", "EMPTY", "")
    assert err.value.code == "E14"
    assert _saved_count(fixture_db) == (0, 0)


@pytest.mark.parametrize("code", ["", "   ", "NEWSNOP3", "newsnop3"])
def test_save_with_blank_or_existing_code_is_refused(
    fixture_db: sessionmaker[Session], tx: TxFactory, code: str
) -> None:
    """E15."""
    _s1_news_without_p3(fixture_db, tx)
    with tx() as ctx:
        save_criteria(ctx, "S1", "NEWSNOP3")
    with pytest.raises((ValidationError, ConflictError)) as err, tx() as ctx:
        save_criteria(ctx, "S1", code)
    assert err.value.code == "E15"
    assert ("already exists" in err.value.message) == bool(code.strip())
    assert _saved_count(fixture_db) == (1, 4)


def test_reuse_on_a_segment_with_criteria_needs_append(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """A2/Q05: refused naming the number of actions; with append the steps follow them."""
    _s1_news_without_p3(fixture_db, tx)
    with tx() as ctx:
        save_criteria(ctx, "S1", "NEWSNOP3")
    make_segment(fixture_db, "S2")
    with tx() as ctx:
        add_contacts(ctx, "S2", filters("Contact.no=C2"))
    before = state(fixture_db, "S2")
    conflict = pytest.raises(ConflictError, match="already contains 1 criteria action")
    with conflict as err, tx() as ctx:
        reuse_criteria(ctx, "S2", "NEWSNOP3")
    assert err.value.code == "CONFLICT"
    assert state(fixture_db, "S2") == before
    with tx() as ctx:
        assert reuse_criteria(ctx, "S2", "NEWSNOP3", append=True).no_of_criteria_actions == 3
    assert contacts(fixture_db, "S2") == ["C2", "P11"]


def test_each_replayed_action_can_be_undone_on_its_own(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _s1_news_without_p3(fixture_db, tx)
    with tx() as ctx:
        save_criteria(ctx, "S1", "NEWSNOP3")
    make_segment(fixture_db, "S2")
    with tx() as ctx:
        reuse_criteria(ctx, "S2", "NEWSNOP3")
    with tx() as ctx:
        assert go_back(ctx, "S2") == 1
    assert contacts(fixture_db, "S2") == ["P3", "P11"]


def test_replayed_refine_applies_its_entire_companies_flag(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """K5: without the flag the replay would keep only P3 and drop C1 and P12."""
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=C1|P12|P3"))
    with tx() as ctx:
        refine_contacts(ctx, "S1", filters(NEWS), entire_companies=True)
    original = contacts(fixture_db)
    assert original == ["P3", "C1", "P12"]
    with tx() as ctx:
        save_criteria(ctx, "S1", "K5")
    make_segment(fixture_db, "S2")
    with tx() as ctx:
        reuse_criteria(ctx, "S2", "K5")
    assert contacts(fixture_db, "S2") == original
    assert criteria_rows(fixture_db, "S2")[-2].entire_companies is True


def test_unknown_saved_criteria_is_refused(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    make_segment(fixture_db)
    with pytest.raises(NotFoundError, match="NOPE"), tx() as ctx:
        reuse_criteria(ctx, "S1", "nope")
    assert state(fixture_db) == {"lines": [], "criteria": [], "history": []}


def test_list_show_and_delete_saved_criteria(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _s1_news_without_p3(fixture_db, tx)
    with tx() as ctx:
        save_criteria(ctx, "S1", "B", "Second")
        save_criteria(ctx, "S1", "A", "First")
    with tx() as ctx:
        listed = [
            (i.code, i.description, i.user_id, i.no_of_actions) for i in list_saved_criteria(ctx)
        ]
        detail = show_saved_criteria(ctx, "a")
        log = segment_criteria(ctx, "S1")
    assert listed == [("A", "First", "U1", 2), ("B", "Second", "U1", 2)]
    assert [s.action for s in detail.steps] == [CriteriaAction.ADD, CriteriaAction.REDUCE]
    assert detail.steps[0].filters[0].section is CriteriaSection.MAILING_GROUP
    assert dict(detail.steps[0].filters[0].fields) == {"mailing_group_code": "NEWS"}
    assert detail.steps == log
    with tx() as ctx:
        delete_saved_criteria(ctx, "B")
    assert _saved_count(fixture_db) == (1, 4)
    with pytest.raises(NotFoundError), tx() as ctx:
        delete_saved_criteria(ctx, "B")
    with fixture_db() as s:
        assert action_count(s, "S1") == 2


def test_reuse_replays_saved_filters_through_the_one_parser(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """A saved filter is checked like a typed one: every bad one named, before any step runs."""
    _s1_news_without_p3(fixture_db, tx)
    with tx() as ctx:
        save_criteria(ctx, "S1", "NEWSNOP3")
    saved = m.SavedSegmentCriteriaLine
    with fixture_db.begin() as s:  # step 2's stored filter, edited by hand into two bad ones
        s.execute(
            update(saved)
            .where(saved.table_name == "Contact")
            .values(table_view='{"no": "P3|", "colour": "red"}')
        )
    make_segment(fixture_db, "S2")
    before = state(fixture_db, "S2")
    with pytest.raises(MultipleErrors) as err, tx() as ctx:
        reuse_criteria(ctx, "S2", "NEWSNOP3")
    assert [(e.code, e.field) for e in err.value.errors] == [
        ("FILTER", "Contact.no"),
        ("VALIDATION", "colour"),
    ]
    assert state(fixture_db, "S2") == before


def test_relative_dates_count_from_the_work_date_of_each_run(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """A stored ``-7D..t`` means the week before the day a step runs, or is replayed, on."""
    make_ile(fixture_db, "P11", date=day("2025-03-05"))
    make_ile(fixture_db, "P3", date=day("2025-03-15"))
    make_segment(fixture_db)
    with tx(work_date=day("2025-03-10")) as ctx:
        add_contacts(ctx, "S1", filters("Interaction.date=-7D..t"))
    assert contacts(fixture_db) == ["P11"]
    with tx() as ctx:
        save_criteria(ctx, "S1", "LASTWEEK")
        assert segment_criteria(ctx, "S1")[0].filters[0].fields == {"date": "-7D..t"}
    make_segment(fixture_db, "S2")
    with tx(work_date=day("2025-03-20")) as ctx:
        reuse_criteria(ctx, "S2", "LASTWEEK")
    assert contacts(fixture_db, "S2") == ["P3"]
