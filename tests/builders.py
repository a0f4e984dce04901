"""Test data builders. ``spec_fixture`` builds SPEC §5.1 ("the fixture") exactly.

Builders write rows directly (no business rules) so tests of one area do not depend on the
services of another; each ``make_*`` takes keyword overrides and fills unique values otherwise.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from rapport.db import models as m

_seq = itertools.count(1)


def unique(prefix: str) -> str:
    """A code that no other builder call returns."""
    return f"{prefix}{next(_seq):05d}"


def make_contact(session: Session, **kw: Any) -> m.Contact:
    """A contact; a person given ``company`` gets that company's number and name."""
    company: m.Contact | None = kw.pop("company", None)
    no = kw.pop("no", None) or unique("CT")
    ctype = kw.pop("type", "Person" if company is not None else "Company")
    name = kw.pop("name", f"Name {no}")
    values: dict[str, Any] = dict(no=no, type=ctype, name=name, search_name=name.upper())
    if ctype == "Company":
        values.update(company_no=no, company_name=name)
    elif company is not None:
        values.update(company_no=company.no, company_name=company.name)
    values.update(kw)
    contact = m.Contact(**values)
    session.add(contact)
    session.flush()
    return contact


def add_codes(session: Session, model: type[Any], *codes: str) -> None:
    """Create classification codes (mailing groups, industry groups …)."""
    for code in codes:
        session.add(model(code=code, description=code.title()))
    session.flush()


def spec_fixture(session: Session) -> None:
    """SPEC §5.1: salespeople, user U1, series SEG, templates T-LET/T-MAIL/T-CALL, contacts."""
    _setup(session)
    _templates(session)
    _contacts(session)
    session.flush()


def _setup(session: Session) -> None:
    session.add_all(
        [
            m.Salesperson(code="SP1", name="Sam Seller"),
            m.Salesperson(code="SP2", name="Sue Second"),
            m.Language(code="DEU", name="German"),
            m.NumberSeries(code="SEG", description="Segments", starting_no="SEG0001"),
            m.NumberSeries(code="CONT", description="Contacts", starting_no="CT000001"),
            m.NumberSeries(code="CAMP", description="Campaigns", starting_no="CP0001"),
        ]
    )
    session.flush()
    session.add(
        m.AppUser(
            user_id="U1",
            full_name="User One",
            authentication_email="u1@rapport.test",
            salesperson_code="SP1",
        )
    )
    session.add(
        m.MarketingSetup(
            id=1,
            segment_nos="SEG",
            contact_nos="CONT",
            campaign_nos="CAMP",
            default_correspondence_type="",
        )
    )
    session.add_all(
        [
            m.InteractionGroup(code="LETTER", description="Letters"),
            m.InteractionGroup(code="EMAIL", description="E-mails"),
        ]
    )
    session.add(m.Campaign(no="CP1", description="Spring campaign"))
    session.flush()


def _attachment(session: Session, name: str) -> int:
    att = m.Attachment(file_name=f"{name}.docx", file_extension="docx", content=name.encode())
    session.add(att)
    session.flush()
    return att.no


def _templates(session: Session) -> None:
    session.add_all(
        [
            m.InteractionTemplate(
                code="T-LET",
                interaction_group_code="LETTER",
                description="Letter",
                unit_cost=Decimal("2.50"),
                unit_duration=5,
                information_flow="Outbound",
                initiated_by="Us",
                correspondence_type_default="Hard Copy",
                ignore_contact_corres_type=False,
                language_code_default="",
            ),
            m.InteractionTemplate(
                code="T-MAIL",
                interaction_group_code="EMAIL",
                description="Mailing",
                unit_cost=Decimal("0.10"),
                unit_duration=1,
                information_flow="Outbound",
                initiated_by="Us",
                correspondence_type_default="Email",
                ignore_contact_corres_type=True,
                language_code_default="",
            ),
            m.InteractionTemplate(
                code="T-CALL",
                interaction_group_code="LETTER",
                description="Call",
                unit_cost=Decimal("1"),
                unit_duration=10,
                information_flow="Outbound",
                initiated_by="Us",
                correspondence_type_default="",
                language_code_default="",
            ),
        ]
    )
    session.flush()
    for template, language, attachment in [
        ("T-LET", "", "A-LET-EN"),
        ("T-LET", "DEU", "A-LET-DE"),
        ("T-MAIL", "", "A-MAIL"),
    ]:
        session.add(
            m.InteractionTmplLanguage(
                interaction_template_code=template,
                language_code=language,
                description=attachment,
                attachment_no=_attachment(session, attachment),
            )
        )
    session.flush()


def _contacts(session: Session) -> None:
    c1 = make_contact(
        session,
        no="C1",
        name="Alpha Ltd",
        salesperson_code="SP2",
        email="c1@alpha.test",
        correspondence_type="Email",
    )
    make_contact(
        session,
        no="P11",
        name="Anna Able",
        company=c1,
        correspondence_type="Email",
        email="anna@alpha.test",
        salesperson_code="SP2",
    )
    make_contact(
        session,
        no="P12",
        name="Bob Baker",
        company=c1,
        correspondence_type="",
        language_code="DEU",
        email="bob@alpha.test",
        salesperson_code="SP2",
    )
    c2 = make_contact(session, no="C2", name="Beta Inc", correspondence_type="Hard Copy")
    make_contact(session, no="P21", name="Carl Cole", company=c2, correspondence_type="")
    make_contact(
        session,
        no="P3",
        type="Person",
        name="Dora Dean",
        email="dora@dean.test",
        correspondence_type="Email",
        salesperson_code="SP2",
    )
    x1 = make_contact(session, no="X1", name="Xeno GmbH", exclude_from_segment=True)
    make_contact(session, no="X11", name="Xavier Xu", company=x1)
    add_codes(session, m.MailingGroup, "NEWS")
    add_codes(session, m.JobResponsibility, "PURCH")
    add_codes(session, m.BusinessRelation, "CUST")
    add_codes(session, m.IndustryGroup, "RETAIL")
    session.add_all(
        [
            m.ContactMailingGroup(contact_no=c, mailing_group_code="NEWS")
            for c in ("P11", "P3", "X1")
        ]
    )
    session.add(m.ContactJobResponsibility(contact_no="P12", job_responsibility_code="PURCH"))
    session.add_all(
        [
            m.ContactBusinessRelation(
                contact_no="C1",
                business_relation_code="CUST",
                link_to_table="Customer",
                link_no="CU1",
            ),
            m.ContactBusinessRelation(contact_no="C2", business_relation_code="CUST"),
        ]
    )
    session.add(m.ContactIndustryGroup(contact_no="C2", industry_group_code="RETAIL"))
