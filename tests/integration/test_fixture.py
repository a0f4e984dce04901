"""The shared SPEC §5.1 fixture loads on both engines."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m


def test_spec_fixture_has_the_contacts_of_section_5_1(fixture_db: sessionmaker[Session]) -> None:
    with fixture_db() as session:
        nos = set(session.scalars(select(m.Contact.no)))
        assert nos == {"C1", "P11", "P12", "C2", "P21", "P3", "X1", "X11"}
        p11 = session.get(m.Contact, "P11")
        assert p11 is not None and p11.company_no == "C1" and p11.company_name == "Alpha Ltd"
        news = session.scalar(select(func.count()).select_from(m.ContactMailingGroup))
        assert news == 3
