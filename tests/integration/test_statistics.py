"""Statistics (SPEC §2.4, §2.5, §2.17, §3.23): canceled and postponed entries never count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rapport.errors import NotFoundError, ValidationError
from rapport.services.interactions import campaign_statistics, interaction_statistics
from tests.builders_logging import make_entry
from tests.conftest import TxFactory

SF = sessionmaker[Session]


@pytest.fixture
def entries(fixture_db: SF) -> None:
    """Counted: P3 call (SP1), P11 mail in CP1 (SP2, target), P12 call in CP1 (response).

    Not counted: a canceled and a postponed P3 call.
    """
    with fixture_db.begin() as s:
        make_entry(s, "P3", date=dt.date(2025, 3, 1))
        make_entry(
            s,
            "P11",
            contact_company_no="C1",
            salesperson_code="SP2",
            interaction_template_code="T-MAIL",
            interaction_group_code="EMAIL",
            cost=Decimal("0.10"),
            duration=1,
            campaign_no="CP1",
            campaign_target=True,
        )
        make_entry(s, "P12", contact_company_no="C1", campaign_no="CP1", campaign_response=True)
        make_entry(s, "P3", canceled=True, campaign_no="CP1", campaign_target=True)
        make_entry(s, "P3", postponed=True, campaign_no="CP1", campaign_response=True)


def _rows(tx: TxFactory, by: str, **kw: object) -> list[tuple[str, int, Decimal, int]]:
    with tx() as ctx:
        rows = interaction_statistics(ctx, by, **kw)  # type: ignore[arg-type]
    return [(r.key, r.no_of_interactions, r.cost, r.duration) for r in rows]


def test_per_group_and_template(entries: None, tx: TxFactory) -> None:
    assert _rows(tx, "group") == [
        ("EMAIL", 1, Decimal("0.10"), 1),
        ("LETTER", 2, Decimal("2.00"), 20),
    ]
    assert _rows(tx, "template") == [
        ("T-CALL", 2, Decimal("2.00"), 20),
        ("T-MAIL", 1, Decimal("0.10"), 1),
    ]


def test_per_contact_company_salesperson_and_campaign(entries: None, tx: TxFactory) -> None:
    assert _rows(tx, "contact") == [
        ("P11", 1, Decimal("0.10"), 1),
        ("P12", 1, Decimal("1.00"), 10),
        ("P3", 1, Decimal("1.00"), 10),
    ]
    assert _rows(tx, "company") == [("C1", 2, Decimal("1.10"), 11)]
    assert _rows(tx, "salesperson") == [
        ("SP1", 2, Decimal("2.00"), 20),
        ("SP2", 1, Decimal("0.10"), 1),
    ]
    assert _rows(tx, "campaign") == [("CP1", 2, Decimal("1.10"), 11)]


def test_date_filter_and_keys(entries: None, tx: TxFactory) -> None:
    assert _rows(tx, "contact", date_to=dt.date(2025, 3, 5)) == [("P3", 1, Decimal("1.00"), 10)]
    assert _rows(tx, "contact", date_from=dt.date(2025, 3, 5), keys=["p11"]) == [
        ("P11", 1, Decimal("0.10"), 1)
    ]


def test_campaign_statistics_count_targets_and_responses(entries: None, tx: TxFactory) -> None:
    with tx() as ctx:
        stats = campaign_statistics(ctx, "cp1")
        later = campaign_statistics(ctx, "CP1", date_from=dt.date(2025, 3, 11))
    assert (stats.no_of_interactions, stats.cost, stats.duration) == (2, Decimal("1.10"), 11)
    assert (stats.target_contacts_contacted, stats.contacts_responded) == (1, 1)
    assert later.no_of_interactions == 0 and later.cost == 0


def test_unknown_dimension_or_campaign_is_refused(entries: None, tx: TxFactory) -> None:
    with pytest.raises(ValidationError, match="choose one of"), tx() as ctx:
        interaction_statistics(ctx, "colour")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError, match="NOPE"), tx() as ctx:
        campaign_statistics(ctx, "NOPE")
