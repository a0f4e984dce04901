"""Letters on both engines: the merge fields of one entry, upload checks, attachment stores,
header attachments inherited by lines, merge previews (SPEC A4, §2.8, §2.11, §3.11, §3.12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import NotFoundError, RuleViolationError, ValidationError
from rapport.services.context import transaction
from rapport.services.documents import (
    AttachmentUpload,
    attachment_file,
    entry_source,
    records,
    store_attachment,
)
from rapport.services.segments import (
    header_attachment,
    merge_preview,
    remove_header_attachment,
    set_header_attachment,
)
from rapport.services.templates import set_template_attachment, template_preview
from tests.builders_documents import WORD_TEMPLATES, field_codes_left, visible_text, word_letter
from tests.builders_interactions import make_entry
from tests.builders_logging import QueryCounter, add_line, make_segment
from tests.conftest import TxFactory

DECEMBER = dt.date(2026, 12, 1)
LETTER = word_letter(
    [["{ MERGEFIELD Contact_Mail_Address }"], ["{ MERGEFIELD Document_Date }"],
     ["[ MERGEFIELD Formal_Salutation ]", ","],
     ["{ MERGEFIELD \"Salesperson/Purchaser Name\" }"], ["{ MERGEFIELD CONTA_City }"]],
    header=["{ MERGEFIELD Company_Information_Name }"],
    footer=["{ MERGEFIELD FaxMailTo }"])


def _norwegian_person(session: Session) -> str:
    session.add_all([m.Language(code="NOR", name="Norwegian"),
                     m.CountryRegion(code="NO", name="Norway"),
                     m.Salutation(code="FORMAL", description="Formal")])
    session.flush()
    session.add_all([
        m.SalutationFormula(salutation_code="FORMAL", language_code="NOR",
                            salutation_type="Formal", salutation="Kjære {first_name} {surname}"),
        m.SalutationFormula(salutation_code="FORMAL", language_code="",
                            salutation_type="Formal", salutation="Dear {surname}"),
        m.CompanyInformation(id=1, name="Rapport AS", city="Oslo", country_region_code="NO"),
        m.Contact(no="N1", type="Person", name="Kari Nordmann", first_name="Kari",
                  surname="Nordmann", company_name="Fjord AS", language_code="NOR",
                  salutation_code="FORMAL", address="Home Road 1", post_code="0150",
                  city="Oslo", country_region_code="NO", email="kari@fjord.test"),
    ])
    session.flush()
    session.add(m.ContactAltAddress(contact_no="N1", code="WORK", company_name="Fjord AS",
                                    address="Quay 7", post_code="5003", city="Bergen",
                                    country_region_code="NO", email="kari@work.test"))
    session.flush()
    return "N1"


def test_an_entrys_record_holds_contact_alternate_address_salutation_and_company(
        fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        contact = _norwegian_person(s)
        entry = make_entry(s, contact_no=contact, contact_company_no=None, date=DECEMBER,
                           contact_alt_address_code="WORK", interaction_language_code="NOR",
                           correspondence_type="Email", salesperson_code="SP1").entry_no
    with tx() as ctx:
        record = records(ctx, entry_source([entry]))[entry]
        merged = ctx.merger.merge(LETTER, record)
    assert record.locale == "nb_NO"
    values = record.values
    assert values["contact_address"] == "Quay 7" and values["contact_city"] == "Bergen"
    assert values["contact_mail_address"] == "Fjord AS\nKari Nordmann\nQuay 7\n5003 Bergen\nNorway"
    assert values["formal_salutation"] == "Kjære Kari Nordmann"
    assert values["faxmailto"] == "kari@work.test"
    assert values["entry_no"] == entry
    text = visible_text(merged)
    assert field_codes_left(merged) == []
    for shown in ("1. desember 2026", "Kjære Kari Nordmann,", "Sam Seller", "Bergen",
                  "Rapport AS", "kari@work.test", "Quay 7", "5003 Bergen"):
        assert shown in text


def test_records_for_many_entries_take_a_fixed_number_of_statements(
        fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        _norwegian_person(s)
        few = [make_entry(s, contact_no="N1").entry_no for _ in range(2)]
        many = [make_entry(s, contact_no=c).entry_no for c in ("P11", "P12", "P3", "C1") * 10]
    counts = []
    for entries in (few, many):
        with tx() as ctx, QueryCounter(fixture_db.kw["bind"]) as counter:
            assert len(records(ctx, entry_source(entries))) == len(entries)
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 6  # the transaction's own statements included


@pytest.mark.parametrize("name", sorted(p.name for p in WORD_TEMPLATES.glob("*.docx")
                                        if "merged_by_word" not in p.name))
def test_a_real_word_template_is_refused_naming_its_unknown_fields(
        fixture_db: sessionmaker[Session], tx: TxFactory, name: str) -> None:
    content = (WORD_TEMPLATES / name).read_bytes()
    before = _attachments(fixture_db)
    with pytest.raises(ValidationError) as caught, tx() as ctx:
        set_template_attachment(ctx, "T-LET", "", AttachmentUpload(name, content))
    assert caught.value.reason == "unknown merge fields"
    assert name in str(caught.value)
    with tx() as ctx:
        for field in ctx.merger.fields(content):
            assert field in str(caught.value)
    assert _attachments(fixture_db) == before


def test_captions_and_reference_prefixes_are_known_fields(
        fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    with tx() as ctx:
        no = set_template_attachment(ctx, "T-LET", "", AttachmentUpload("letter.docx", LETTER))
    with tx() as ctx:
        assert attachment_file(ctx, no).content == LETTER


def _attachments(factory: sessionmaker[Session]) -> int:
    with factory() as s:
        return s.scalar(select(func.count()).select_from(m.Attachment)) or 0


def test_a_directory_store_keeps_files_out_of_the_database(
        fixture_db: sessionmaker[Session], tmp_path: Path) -> None:
    store = tmp_path / "attachments"
    with transaction(fixture_db, user_id="U1", attachment_dir=str(store)) as ctx:
        no = store_attachment(ctx, AttachmentUpload("letter.docx", LETTER))
        first = set_template_attachment(ctx, "T-LET", "", AttachmentUpload("a.docx", LETTER))
    with fixture_db() as s:
        att = s.get(m.Attachment, no)
        assert att is not None and att.content is None and att.storage_type == "Disk File"
        assert (store / att.storage_pointer).read_bytes() == LETTER
        pointer = s.get(m.Attachment, first).storage_pointer  # type: ignore[union-attr]
    with transaction(fixture_db, user_id="U1", attachment_dir=str(store)) as ctx:
        assert attachment_file(ctx, no).content == LETTER
        set_template_attachment(ctx, "T-LET", "", AttachmentUpload("b.docx", LETTER))
        assert (store / pointer).exists()  # removed only after the commit
    assert not (store / pointer).exists()
    with pytest.raises(ValidationError) as caught, transaction(fixture_db, user_id="U1") as ctx:
        attachment_file(ctx, no)
    assert caught.value.code == "E11"


def _lettered_segment(factory: sessionmaker[Session]) -> int:
    with factory.begin() as s:
        _norwegian_person(s)
        header = make_segment(s, template_code="T-LET", date=DECEMBER)
        old = m.Attachment(file_name="old.docx", file_extension="docx",
                           content=word_letter([["Old ", "{ MERGEFIELD Contact_Name }"]]))
        s.add(old)
        s.flush()
        s.add(m.SegmentInteractionLanguage(segment_no=header.no, segment_line_no=0,
                                           language_code="", description="Letter",
                                           attachment_no=old.no))
        s.flush()
        line = add_line(s, header, "N1", language_code="", attachment_no=old.no)
        return line.line_no


def test_a_header_attachment_is_inherited_and_merged_for_the_lines_contact(
        fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    line_no = _lettered_segment(fixture_db)
    with tx() as ctx:
        set_header_attachment(ctx, "SEG0001", "", AttachmentUpload("new.docx", LETTER))
    with tx() as ctx:
        document = merge_preview(ctx, "SEG0001", line_no)
        assert header_attachment(ctx, "SEG0001", "").file_name == "new.docx"
    assert document.file_name == "Fjord AS - Kari Nordmann.docx"
    text = visible_text(document.content)
    assert "1. desember 2026" in text and "Old" not in text
    assert _attachments(fixture_db) == 4  # the fixture's three and the new letter


def test_removing_the_header_attachment_leaves_the_line_without_a_letter_e10(
        fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    line_no = _lettered_segment(fixture_db)
    with tx() as ctx:
        remove_header_attachment(ctx, "SEG0001", "")
    with pytest.raises(NotFoundError) as caught, tx() as ctx:
        merge_preview(ctx, "SEG0001", line_no)
    assert caught.value.code == "E10"


def test_header_attachment_with_a_word_template_is_refused_e22(
        fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    _lettered_segment(fixture_db)
    with fixture_db.begin() as s:
        s.add(m.WordTemplate(code="WT", name="Word template"))
        s.flush()
        header = s.get(m.SegmentHeader, "SEG0001")
        assert header is not None
        header.word_template_code = "WT"
    with pytest.raises(RuleViolationError) as caught, tx() as ctx:
        set_header_attachment(ctx, "SEG0001", "", AttachmentUpload("x.docx", LETTER))
    assert caught.value.code == "E22"


def test_a_template_preview_merges_for_one_contact(
        fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        _norwegian_person(s)
    with tx() as ctx:
        set_template_attachment(ctx, "T-LET", "", AttachmentUpload("letter.docx", LETTER))
    with tx(work_date=DECEMBER) as ctx:
        document = template_preview(ctx, "T-LET", "", "N1")
    text = visible_text(document.content)
    assert "Kjære Kari Nordmann," in text and "Home Road 1" in text
    assert "1. desember 2026" in text
