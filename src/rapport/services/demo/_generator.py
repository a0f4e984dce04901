"""A large generated contact base (``rapport demo --contacts N``), written set-based.

Contacts are produced by ``INSERT … SELECT`` over a recursive number sequence, in batches of
100,000, joined to two small temporary tables of invented company and person profiles; nothing
is looped over in Python. Numbers come as one block from the "Contact Nos." series.

Distribution, by the contact's position p in the generated block (p = 0 … N-1; the number is
the block's p-th number):

* p % 4 = 0 is a company, the next three are its persons (1 company per 3 persons); persons
  carry their company's salesperson, territory, country, language, address and phone;
* names: companies take the company profiles in name order, spread evenly over the block; the
  three persons of a company take one profile from each third of the person profiles, also in
  name order (see _keys);
* mailing group NEWS when p % 10 < 3 (30 % of the contacts), EVENTS when p % 10 = 5 (10 %);
* correspondence type Email when p % 10 < 7 (so every NEWS contact is an Email contact),
  Hard Copy for 7 and 8, blank for 9;
* every company one industry group (the 7 codes about equally often, so RETAIL|WHOLESALE is
  ~2/7 of the companies) and one business relation (CUST for two companies in three, PROSP for
  the third); the first person of each company (p % 4 = 1) one job responsibility (6 codes);
* exclude from segment when p % 50 = 49 (2 %); privacy blocked when p % 1000 = 999 (0.1 %).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    Subquery,
    Table,
    Text,
    case,
    cast,
    func,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.db.bulk import bulk_connection
from rapport.errors import ConflictError, ValidationError
from rapport.services.contacts import NumberBlock, contact_series, draw_block
from rapport.services.context import Ctx, transaction
from rapport.services.demo import _data as data
from rapport.services.demo._contacts import _ascii
from rapport.services.demo._seed import SEED, contact_count, ensure_setup

BATCH = 100_000
PERSON_PROFILES = 1200
# One company profile per company word, trade and country, in name order.
_INDUSTRY_TRADES = [(i, t) for i, trades in data.COMPANY_TRADES.items() for t in trades]
COMPANY_PROFILES = len(data.COMPANY_WORDS) * len(_INDUSTRY_TRADES) * len(data.COUNTRY_FACTS)

_meta = MetaData()
_company_columns = ("name", "search_name", "address", "post_code", "city", "county",
                    "country_region_code", "territory_code", "language_code",
                    "salesperson_code", "phone_no", "domain", "industry_code")
_person_columns = ("first_name", "surname", "name", "search_name", "job_title", "local",
                   "mobile_phone_no", "job_code")
company_profile = Table("tmp_gen_company", _meta,
                        Column("k", Integer, primary_key=True, autoincrement=False),
                        *(Column(c, Text) for c in _company_columns), prefixes=["TEMPORARY"])
person_profile = Table("tmp_gen_person", _meta,
                       Column("k", Integer, primary_key=True, autoincrement=False),
                       *(Column(c, Text) for c in _person_columns), prefixes=["TEMPORARY"])
offsets = Table("tmp_gen_offset", _meta, Column("d", Integer, primary_key=True,
                                                autoincrement=False), prefixes=["TEMPORARY"])


@dataclass(frozen=True)
class GeneratedContacts:
    """What the generator made (nothing, with ``existing_contacts`` set, when skipped)."""

    count: int
    companies: int
    persons: int
    first_no: str
    last_no: str
    existing_contacts: int = 0


def generate(factory: sessionmaker[Session], count: int, *, user_id: str,
             if_empty: bool = False,
             progress: Callable[[int, int], None] | None = None) -> GeneratedContacts:
    """``generate_contacts`` as one use case on a bulk connection (see rapport.db.bulk).

    On SQLite the contacts are written once, through the rollback journal, when nothing else has
    the file open, and without per-row foreign-key checks. That is safe because every reference
    the generator writes is a code that ``ensure_setup`` makes sure of in the same transaction,
    the series it draws from, or a company of the same batch.
    """
    with bulk_connection(factory.kw["bind"]) as conn:
        on_connection = sessionmaker(**{**factory.kw, "bind": conn})
        with transaction(on_connection, user_id=user_id) as ctx:
            return generate_contacts(ctx, count, if_empty=if_empty, progress=progress)


def generate_contacts(ctx: Ctx, count: int, *, if_empty: bool = False,
                      progress: Callable[[int, int], None] | None = None) -> GeneratedContacts:
    """Add ``count`` generated contacts (with classifications) to the database, set-based;
    with ``if_empty`` only when it has no contacts yet."""
    if count < 1:
        raise ValidationError("The number of contacts to generate must be at least 1",
                              record="Demo", field="contacts", reason="not positive")
    if if_empty and (existing := contact_count(ctx)):
        return GeneratedContacts(0, 0, 0, "", "", existing_contacts=existing)
    ensure_setup(ctx)
    series = contact_series(ctx) or "CONT"
    block = draw_block(ctx, series, count)
    _refuse_taken(ctx, block)
    conn = ctx.session.connection()
    now = ctx.now()
    companies = (count + 3) // 4
    with _work_tables(conn, min(count, BATCH)):
        for low in range(0, count, BATCH):
            high = min(low + BATCH, count) - 1
            sequence = _sequence(low, high)
            conn.execute(_contacts(sequence, block, companies, series, now))
            for statement in _classifications(sequence, block, companies):
                conn.execute(statement)
            if progress:
                progress(high + 1, count)
    return GeneratedContacts(count, companies, count - companies, block.no(0), block.last_no)


def _refuse_taken(ctx: Ctx, block: NumberBlock) -> None:
    first, last = block.no(0), block.last_no
    taken = ctx.session.scalar(select(func.min(m.Contact.no)).where(
        m.Contact.no.between(first, last), func.length(m.Contact.no) == len(first)))
    if taken is not None:
        raise ConflictError(f"Contact {taken} already exists inside the block {first}…{last} "
                            "that the Contact Nos. series hands out", record=f"Contact {taken}",
                            field="no", reason="number taken")


@contextmanager
def _work_tables(conn: Connection, size: int) -> Iterator[None]:
    """Temporary tables the generator draws from: the invented company and person profiles,
    numbered in name order (see _keys), and the offsets 0 … size-1 that every batch reads once
    per statement (a table scan costs a fraction of re-running a recursive sequence)."""
    tables = (company_profile, person_profile, offsets)
    for table in tables:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")  # a constant name
        table.create(conn)
    conn.execute(insert(company_profile), _company_profiles())
    conn.execute(insert(person_profile), _person_profiles())
    start = select(literal(0, Integer).label("d")).cte("offset", recursive=True)
    upto = start.union_all(select(start.c.d + 1).where(start.c.d < size - 1))
    conn.execute(insert(offsets).from_select(["d"], select(upto.c.d)))
    yield
    for table in tables:
        table.drop(conn)


def _company_profiles() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    salespeople = [s[0] for s in data.SALESPEOPLE if not s[5]]
    profiles = []
    for word in data.COMPANY_WORDS:
        for industry, trade in _INDUSTRY_TRADES:
            for country, (territory, language, legal, prefix) in data.COUNTRY_FACTS.items():
                city, post_code, county, _ = rng.choice([c for c in data.CITIES
                                                         if c[3] == country])
                name = f"{word} {trade} {legal}"
                profiles.append(dict(
                    name=name, search_name=name.upper(), post_code=post_code, city=city,
                    county=county, country_region_code=country, territory_code=territory,
                    language_code=language, salesperson_code=rng.choice(salespeople),
                    address=f"{rng.choice(data.STREETS)} {rng.randint(1, 150)}",
                    phone_no=f"{prefix} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    domain=f"{_ascii(word)}-{_ascii(trade)}.example", industry_code=industry))
    profiles.sort(key=lambda p: str(p["name"]))
    return [dict(p, k=k) for k, p in enumerate(profiles)]


def _person_profiles() -> list[dict[str, Any]]:
    rng = random.Random(SEED + 1)
    people = []
    for k in range(PERSON_PROFILES):
        first, surname = rng.choice(data.FIRST_NAMES), rng.choice(data.SURNAMES)
        job = data.JOB_RESPONSIBILITIES[k % len(data.JOB_RESPONSIBILITIES)][0]
        people.append(dict(first_name=first, surname=surname, name=f"{first} {surname}",
                           search_name=f"{first} {surname}".upper(),
                           job_title=data.JOB_TITLES[job],
                           local=f"{_ascii(first)}.{_ascii(surname)}",
                           mobile_phone_no=f"+47 9{rng.randint(1000000, 9999999)}",
                           job_code=job))
    people.sort(key=lambda p: p["name"])
    return [dict(p, k=k) for k, p in enumerate(people)]


def _sequence(low: int, high: int) -> Subquery:
    """Positions low … high (high - low below the offsets table's size)."""
    return select((offsets.c.d + low).label("p")).where(offsets.c.d <= high - low).subquery("seq")


def _keys(seq: Subquery, companies: int) -> tuple[Any, Any]:
    """Which company and person profile position p takes.

    Companies spread evenly over the company profiles in name order. The three persons of a
    company come from the three thirds of the person profiles (in name order), each third spread
    evenly over the companies. So the name indexes receive a few ascending streams of keys
    instead of inserts all over them, which keeps the bulk insert fast (bench/bench_contacts.py).
    """
    p = seq.c.p
    position = cast(p // 4, BigInteger)
    company = position * COMPANY_PROFILES // companies
    third = PERSON_PROFILES // 3
    person = (p + 3) % 4 % 3 * third + position * third // companies
    return company, person


def _profiled(seq: Subquery, companies: int) -> Any:
    company, person = _keys(seq, companies)
    return (seq.join(company_profile, company_profile.c.k == company)
            .join(person_profile, person_profile.c.k == person))


def _contacts(seq: Subquery, block: NumberBlock, companies: int, series: str,
              now: dt.datetime) -> Any:
    p = seq.c.p
    company, person = company_profile.c, person_profile.c
    is_company = p % 4 == 0

    def pick(for_company: Any, for_person: Any) -> Any:
        return case((is_company, for_company), else_=for_person)

    email = pick("info@" + company.domain, person.local + "@" + company.domain)
    values = dict(
        no=block.sql_no(p), type=pick("Company", "Person"), name=pick(company.name, person.name),
        search_name=pick(company.search_name, person.search_name),
        company_no=block.sql_no(p - p % 4), company_name=company.name,
        first_name=pick("", person.first_name), surname=pick("", person.surname),
        job_title=pick("", person.job_title), address=company.address,
        post_code=company.post_code, city=company.city, county=company.county,
        country_region_code=company.country_region_code, territory_code=company.territory_code,
        salesperson_code=company.salesperson_code, language_code=company.language_code,
        correspondence_type=case((p % 10 < 7, "Email"), (p % 10 < 9, "Hard Copy"), else_=""),
        email=email, phone_no=company.phone_no,
        mobile_phone_no=pick("", person.mobile_phone_no),
        home_page=pick("www." + company.domain, ""),
        exclude_from_segment=p % 50 == 49, privacy_blocked=p % 1000 == 999,
        no_series=literal(series), created_at=literal(now),
    )
    source = select(*(v.label(k) for k, v in values.items())).select_from(
        _profiled(seq, companies))
    return insert(m.Contact).from_select(list(values), source)


def _classifications(seq: Subquery, block: NumberBlock, companies: int) -> list[Any]:
    p, no = seq.c.p, block.sql_no(seq.c.p)
    mailing = union_all(
        select(no, literal("NEWS")).where(p % 10 < 3),
        select(no, literal("EVENTS")).where(p % 10 == 5))
    industry = select(no, company_profile.c.industry_code).select_from(
        _profiled(seq, companies)).where(p % 4 == 0)
    relation = select(no, case(((p // 4) % 3 < 2, "CUST"), else_="PROSP")).where(p % 4 == 0)
    job = select(no, person_profile.c.job_code).select_from(
        _profiled(seq, companies)).where(p % 4 == 1)
    return [
        insert(m.ContactMailingGroup).from_select(
            ["contact_no", "mailing_group_code"], mailing),
        insert(m.ContactIndustryGroup).from_select(
            ["contact_no", "industry_group_code"], industry),
        insert(m.ContactBusinessRelation).from_select(
            ["contact_no", "business_relation_code"], relation),
        insert(m.ContactJobResponsibility).from_select(
            ["contact_no", "job_responsibility_code"], job),
    ]
