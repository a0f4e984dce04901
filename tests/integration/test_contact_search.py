"""The contact search on its index (migration 0012) finds exactly what the four-column
``LIKE '%…%'`` found; texts under three characters find the starts of names, numbers and
e-mail addresses; every writer of contacts keeps the SQLite FTS5 table current."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, func, or_, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.services import contacts
from rapport.services.contacts import ContactChanges, ContactFilter, ContactInput
from rapport.services.contacts.files import import_contacts
from tests.builders import make_contact
from tests.builders_contact_files import write_csv
from tests.conftest import TxFactory

HYPOTHESIS = settings(max_examples=40, deadline=None, database=None)
#: Letters whose case SQLite folds (ASCII) and does not (é, ß, İ), LIKE's wildcards and escape,
#: FTS5's quote, a space and an e-mail's punctuation.
ALPHABET = "aAbBsSéÉßİi%_/\"' @.-"
TEXTS = st.text(ALPHABET, max_size=8)
SEARCHED = ("search_name", "no", "email", "city")


def _old_search(term: str) -> Any:
    """The search as it was before the index: four ``LIKE '%…%'`` conditions."""
    return or_(m.Contact.search_name.contains(term.upper(), autoescape=True),
               m.Contact.no.contains(term.upper(), autoescape=True),
               func.lower(m.Contact.email).contains(term.lower(), autoescape=True),
               func.lower(m.Contact.city).contains(term.lower(), autoescape=True))


def _found(session: Session, condition: Any) -> set[str]:
    return set(session.scalars(select(m.Contact.no).where(condition)))


def _searched(session: Session, term: str) -> set[str]:
    return _found(session, *ContactFilter(search=term).clauses())


def _starts(session: Session, term: str) -> set[str]:
    """What a text under three characters finds: search names and numbers beginning with it
    upper-cased, e-mail addresses (as the engine lower-cases them) beginning with it
    lower-cased."""
    rows = session.execute(select(m.Contact.no, m.Contact.search_name, m.Contact.email,
                                  func.lower(m.Contact.email)))
    return {no for no, name, email, lower in rows
            if name.startswith(term.upper()) or no.startswith(term.upper())
            or (email != "" and lower.startswith(term.lower()))}


def _assert_index_current(session: Session) -> None:
    """SQLite: FTS5 compares its index with the contact table (an error when they differ)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO contact_search(contact_search, rank) "
                             "VALUES ('integrity-check', 1)"))


def _rows(texts: list[tuple[str, str, str, str]]) -> list[dict[str, str]]:
    return [dict(no=f"T{i}{no.upper()}"[:20], name=name or "x", search_name=search_name,
                 email=email, city=city)
            for i, (no, search_name, email, city) in enumerate(texts)
            for name in [search_name]]


def test_the_indexed_search_finds_what_like_found(factory: sessionmaker[Session]) -> None:
    stored = st.lists(st.tuples(TEXTS, TEXTS, TEXTS, TEXTS), max_size=8)

    @HYPOTHESIS
    @given(before=stored, after=stored, data=st.data())
    def check(before: list[tuple[str, str, str, str]], after: list[tuple[str, str, str, str]],
              data: st.DataObject) -> None:
        with factory.begin() as s:
            s.execute(delete(m.Contact))
            rows = _rows(before)
            for row in rows:
                make_contact(s, **row)
        with factory.begin() as s:  # changed and deleted: the triggers follow
            for row, new in zip(rows, _rows(after), strict=False):
                s.execute(update(m.Contact).where(m.Contact.no == row["no"]).values(
                    {k: v for k, v in new.items() if k != "no"}))
            s.execute(delete(m.Contact).where(m.Contact.no.in_(
                [r["no"] for r in rows[len(after):]])))
        with factory() as s:
            _assert_index_current(s)
            # In a fixed order: hypothesis replays its draws against the same list.
            values = [str(v) for row in s.execute(select(*(getattr(m.Contact, c)
                                                           for c in SEARCHED))
                                                  .order_by(m.Contact.no)) for v in row]
            pieces = st.sampled_from(values).flatmap(
                lambda v: st.integers(0, len(v)).flatmap(
                    lambda i: st.integers(i, len(v)).map(lambda j: v[i:j]))) if values \
                else TEXTS
            term = data.draw(pieces, label="piece").strip()
            if len(term) < 3:
                term = data.draw(st.text(ALPHABET.replace(" ", ""), min_size=3, max_size=6),
                                 label="term")
            assert _searched(s, term) == _found(s, _old_search(term)), term
            short = data.draw(st.text(ALPHABET.replace(" ", ""), min_size=1, max_size=2),
                              label="short")
            assert _searched(s, short) == _starts(s, short), short

    check()


@pytest.mark.parametrize(("term", "found"), [
    ("strasse", {"S1"}), ("STRAßE", {"S1", "S2"}), ("straße", {"S1", "S2"}), ("50%", {"P1"}),
    ("5_%", set()), ("a_b", {"U1"}), ("a/b", {"U2"}), ('x"y', {"Q1"}), ("LYON", {"L1"}),
    ("info@", {"L1"}), ("ÉCOLE", {"E1"}), ("école", {"E1"}), ("t-1", {"T-1"}),
])
def test_texts_of_three_characters_or_more_keep_their_meaning(
        factory: sessionmaker[Session], term: str, found: set[str]) -> None:
    with factory.begin() as s:
        make_contact(s, no="S1", name="Strasse 1")
        make_contact(s, no="S2", name="Other", city="Straße")
        make_contact(s, no="P1", name="Fifty 50% off")
        make_contact(s, no="U1", name="a_b"), make_contact(s, no="U2", name="a/b")
        make_contact(s, no="Q1", name='x"y'), make_contact(s, no="T-1", name="Tee")
        make_contact(s, no="L1", name="Bakery", city="Lyon", email="Info@bakery.test")
        make_contact(s, no="E1", name="École Normale")
    with factory() as s:
        assert _searched(s, term) == _found(s, _old_search(term)) == found


def test_texts_under_three_characters_find_the_starts_of_names_numbers_and_emails(
        factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        make_contact(s, no="AB1", name="Zed")
        make_contact(s, no="Z1", name="Abacus")
        make_contact(s, no="Z2", name="Crab")  # "AB" inside: not a start
        make_contact(s, no="Z3", name="Other", email="ab@x.test", city="Abbeville")
        make_contact(s, no="Z4", name="Other", email="", city="Abbeville")
    with factory() as s:
        assert _searched(s, "ab") == {"AB1", "Z1", "Z3"}
        assert _searched(s, "A") == {"AB1", "Z1", "Z3"}
        assert _searched(s, "Z") == {"Z1", "Z2", "Z3", "Z4", "AB1"}  # Zed, and numbers Z…
        assert ContactFilter(search="ab").clauses()
        assert contacts.is_prefix_search("ab") and not contacts.is_prefix_search("abc")


def test_every_writer_keeps_the_index_current(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    header = ["no", "type", "name", "company_no", "email", "city"]
    with tx() as ctx:
        import_contacts(ctx, write_csv(tmp_path / "c.csv", header, [
            ["IMP1", "Company", "Quokka Imports", "", "hello@quokka.test", "Perth"]]))
        new = contacts.create_contact(ctx, ContactInput(name="Wombat Works")).contact.no
    with fixture_db() as s:
        assert _searched(s, "quokka") == {"IMP1"} and _searched(s, "wombat") == {new}
    with tx() as ctx:
        contacts.update_contact(ctx, new, ContactChanges(name="Numbat Works"))
        import_contacts(ctx, write_csv(tmp_path / "c2.csv", header, [
            ["IMP1", "Company", "Quokka Imports", "", "hello@quokka.test", "Albany"]]))
    with fixture_db() as s:
        assert _searched(s, "wombat") == set() and _searched(s, "numbat") == {new}
        assert _searched(s, "perth") == set() and _searched(s, "albany") == {"IMP1"}
    with tx() as ctx:
        contacts.delete_contact(ctx, new)
    with fixture_db() as s:
        assert _searched(s, "numbat") == set()
        _assert_index_current(s)


def test_the_search_reads_an_index(engine: Engine, factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        for i in range(50):
            make_contact(s, no=f"IX{i}", name=f"Name {i}", email=f"n{i}@x.test")
    statement = select(m.Contact.no).where(*ContactFilter(search="name 1").clauses())
    with engine.connect() as conn:
        compiled = statement.compile(conn)
        if engine.dialect.name == "sqlite":
            params: Any = tuple(compiled.params[k] for k in compiled.positiontup or ())
            plan = " ".join(str(row) for row in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {compiled}", params))
            assert "contact_search VIRTUAL TABLE" in plan
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(str(row) for row in conn.exec_driver_sql(
                f"EXPLAIN {compiled}", compiled.params))
            assert "ix_contact_trgm_search_name" in plan and "ix_contact_trgm_city" in plan
