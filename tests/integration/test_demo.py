"""Demo data: the seeded data set, its Word letters, idempotence, and the bulk generator."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from mailmerge import MailMerge
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ConflictError
from rapport.services.contacts import NumberBlock
from rapport.services.demo import (
    LETTER_FIELDS,
    DemoContactBuilder,
    generate,
    generate_contacts,
    seed_demo,
)
from rapport.services.interactions import campaign_statistics, interaction_statistics
from tests.builders_contact_files import count, snapshot
from tests.conftest import WORK_DATE, TxFactory


def _seed(tx: TxFactory, **options: bool) -> object:
    with tx() as ctx:
        return seed_demo(ctx, **options)


def test_demo_seeds_a_realistic_data_set(factory: sessionmaker[Session], tx: TxFactory) -> None:
    summary = _seed(tx)
    size = DemoContactBuilder.size(20250310)
    assert summary.seeded and summary.companies == 60  # type: ignore[attr-defined]
    assert count(factory, m.Contact) == size
    assert count(factory, m.Contact, m.Contact.type == "Person") == size - 60
    for model in (m.ContactMailingGroup, m.ContactIndustryGroup, m.ContactBusinessRelation,
                  m.ContactJobResponsibility, m.ContactProfileAnswer):
        assert count(factory, model) > 50
    assert count(factory, m.Campaign, m.Campaign.status_code.is_not(None)) == 3
    with factory() as session:
        admin = session.get(m.AppUser, "ADMIN")
        assert admin is not None and admin.salesperson_code == "JL"
        setup = session.get(m.MarketingSetup, 1)
        assert setup is not None and (setup.segment_nos, setup.contact_nos) == ("SEG", "CONT")
        series = session.get(m.NumberSeries, "CONT")
        assert series is not None and series.last_no_used == f"CT{size:07d}"


def test_demo_persons_inherit_from_their_company(factory: sessionmaker[Session],
                                                 tx: TxFactory) -> None:
    _seed(tx)
    person, company = m.Contact, m.Contact.__table__.alias("company")
    with factory() as session:
        differing = session.scalar(select(func.count()).select_from(person).join(
            company, company.c.no == person.company_no).where(
            person.type == "Person",
            (person.city != company.c.city) | (person.company_name != company.c.name)
            | (person.salesperson_code != company.c.salesperson_code)))
    assert differing == 0


def test_demo_letters_are_word_documents_with_merge_fields(factory: sessionmaker[Session],
                                                           tx: TxFactory,
                                                           tmp_path: Path) -> None:
    _seed(tx)
    with factory() as session:
        rows = session.execute(
            select(m.InteractionTmplLanguage.language_code, m.Attachment.file_extension,
                   m.Attachment.content)
            .join(m.Attachment, m.Attachment.no == m.InteractionTmplLanguage.attachment_no)
            .where(m.InteractionTmplLanguage.interaction_template_code == "WELCOME")).all()
        body = session.scalar(
            select(m.Attachment.content).join(
                m.InteractionTmplLanguage,
                m.Attachment.no == m.InteractionTmplLanguage.attachment_no)
            .where(m.InteractionTmplLanguage.interaction_template_code == "NEWSLETTER"))
    assert {(language, ext) for language, ext, _ in rows} == {("", "docx"), ("DEU", "docx"),
                                                               ("NOR", "docx")}
    for _, _, content in rows:
        fields = MailMerge(io.BytesIO(content)).get_merge_fields()
        assert {"Contact_Name", "Contact_Address", "Salesperson_Name"} <= fields
        assert fields == set(LETTER_FIELDS)
    assert body is not None and b"{{Contact_Name}}" in body


def test_demo_records_segments_logged_segments_and_interactions_through_the_verbs(
        factory: sessionmaker[Session], tx: TxFactory) -> None:
    summary = _seed(tx)
    assert (summary.segments, summary.logged_segments,  # type: ignore[attr-defined]
            summary.interactions, summary.postponed) == (2, 3, 137, 1)  # type: ignore[attr-defined]
    with factory() as session:
        working = session.execute(select(m.SegmentHeader.no, m.SegmentHeader.date).order_by(
            m.SegmentHeader.no)).all()
        logged = session.execute(select(
            m.LoggedSegment.segment_no, m.LoggedSegment.creation_date,
            select(func.count()).where(
                m.InteractionLogEntry.logged_segment_entry_no == m.LoggedSegment.entry_no)
            .scalar_subquery()).order_by(m.LoggedSegment.entry_no)).all()
        by_segment = dict(session.execute(
            select(m.SegmentLine.segment_no, func.count()).group_by(m.SegmentLine.segment_no)
        ).tuples().all())
        actions = session.scalar(select(func.count()).select_from(m.SegmentCriteriaLine).where(
            m.SegmentCriteriaLine.type == "Action"))
    assert working == [("SEG00001", WORK_DATE), ("SEG00002", WORK_DATE)]
    assert set(by_segment) == {"SEG00001", "SEG00002"} and min(by_segment.values()) > 10
    assert actions == 4  # two criteria steps each, undoable with `segments undo`
    assert logged == [("SEG00003", WORK_DATE - dt.timedelta(days=180), 96),
                      ("SEG00004", WORK_DATE - dt.timedelta(days=20), 31),
                      ("SEG00005", WORK_DATE - dt.timedelta(days=7), 7)]
    assert count(factory, m.CampaignEntry) == 3  # two logged segments, one manual "Interactions"
    assert count(factory, m.InteractionLogEntry, m.InteractionLogEntry.postponed) == 1
    assert count(factory, m.InteractionLogEntry, m.InteractionLogEntry.evaluation != "") == 6
    assert count(factory, m.InterLogEntryCommentLine) == 3
    with tx() as ctx:
        groups = interaction_statistics(ctx, "group")
        spring = campaign_statistics(ctx, "CP0001")
    assert [(g.key, g.no_of_interactions) for g in groups] == [
        ("EMAIL", 96), ("LETTER", 31), ("MEETING", 1), ("PHONE", 9)]
    assert (spring.no_of_interactions, spring.target_contacts_contacted,
            spring.contacts_responded) == (32, 31, 1)


def test_demo_refuses_a_database_with_contacts_unless_if_empty(
        factory: sessionmaker[Session], tx: TxFactory) -> None:
    _seed(tx)
    before = snapshot(factory)
    with pytest.raises(ConflictError) as caught:
        _seed(tx)
    assert "already has" in caught.value.message
    activity = [count(factory, model) for model in (m.SegmentLine, m.LoggedSegment,
                                                     m.InteractionLogEntry, m.CampaignEntry)]
    summary = _seed(tx, if_empty=True)
    assert not summary.seeded and summary.existing_contacts > 0  # type: ignore[attr-defined]
    assert snapshot(factory) == before
    assert [count(factory, model) for model in (m.SegmentLine, m.LoggedSegment,
                                                m.InteractionLogEntry, m.CampaignEntry)] == activity


def test_demo_data_is_deterministic() -> None:
    def build() -> list[tuple[str, str]]:
        builder = DemoContactBuilder(7, dt.date(2025, 1, 1), dt.datetime(2025, 1, 1))
        block = NumberBlock("CONT", "CT", 1, 1, 7, "", DemoContactBuilder.size(7))
        return [(r["no"], r["name"]) for r in builder.build(block, "CONT").contacts]

    assert build() == build()


def test_generator_makes_n_contacts_with_the_documented_distribution(
        factory: sessionmaker[Session], tx: TxFactory) -> None:
    seen: list[int] = []
    with tx() as ctx:
        result = generate_contacts(ctx, 200, progress=lambda done, _: seen.append(done))
    assert (result.count, result.companies, result.persons) == (200, 50, 150)
    assert (result.first_no, result.last_no, seen[-1]) == ("CT0000001", "CT0000200", 200)
    assert count(factory, m.Contact) == 200
    news = m.ContactMailingGroup.mailing_group_code == "NEWS"
    assert count(factory, m.ContactMailingGroup, news) == 60  # 30 %
    assert count(factory, m.ContactIndustryGroup) == 50
    assert count(factory, m.ContactBusinessRelation) == 50
    assert count(factory, m.ContactJobResponsibility) == 50  # the first person of each company
    assert count(factory, m.Contact, m.Contact.exclude_from_segment) == 4
    person = m.Contact
    with factory() as session:
        p6 = session.get(person, "CT0000006")
        assert p6 is not None and (p6.type, p6.company_no) == ("Person", "CT0000005")
        company = session.get(person, "CT0000005")
        assert company is not None and p6.city == company.city


def test_generator_continues_after_seeded_data(factory: sessionmaker[Session],
                                              tx: TxFactory) -> None:
    _seed(tx)
    seeded = count(factory, m.Contact)
    with tx() as ctx:
        result = generate_contacts(ctx, 10)
    assert result.first_no == f"CT{seeded + 1:07d}"
    assert count(factory, m.Contact) == seeded + 10


def test_generator_refuses_numbers_that_are_taken(factory: sessionmaker[Session],
                                                 tx: TxFactory) -> None:
    with tx() as ctx:
        generate_contacts(ctx, 4)
    with factory.begin() as session:
        session.get(m.NumberSeries, "CONT").last_no_used = None  # type: ignore[union-attr]
    before = snapshot(factory)
    with pytest.raises(ConflictError) as caught, tx() as ctx:
        generate_contacts(ctx, 4)
    assert "CT0000001" in caught.value.message
    assert snapshot(factory) == before
    with pytest.raises(ConflictError):
        generate(factory, 4, user_id="U1")  # the bulk use case: all or nothing as well
    assert snapshot(factory) == before


def test_generate_as_one_bulk_use_case_writes_only_valid_references(
        factory: sessionmaker[Session], engine: Engine) -> None:
    result = generate(factory, 400, user_id="U1")
    assert (result.count, result.companies, result.last_no) == (400, 100, "CT0000400")
    assert count(factory, m.Contact) == 400
    assert count(factory, m.ContactMailingGroup) == 160  # NEWS 30 % and EVENTS 10 %
    with factory() as session:
        persons = session.execute(select(m.Contact.company_no, m.Contact.name).where(
            m.Contact.type == "Person").order_by(m.Contact.no)).all()
    names: dict[str | None, set[str]] = {}
    for company_no, name in persons:
        names.setdefault(company_no, set()).add(name)
    assert len(names) == 100 and all(len(n) == 3 for n in names.values())
    with engine.connect() as conn:  # PostgreSQL enforced every reference while inserting
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
