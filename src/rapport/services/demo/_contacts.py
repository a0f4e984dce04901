"""The demo's few hundred contacts: companies across industries, their persons, standalone
persons, and their classifications and profile answers — deterministic for a given seed.

Persons inherit from their company as the marketing setup says (salesperson, territory, country,
language, address, phone); every name, address and e-mail address is invented (``.example``).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rapport.services.contacts import NumberBlock
from rapport.services.demo import _data as data

COMPANIES = 60
STANDALONE_PERSONS = 20
_ACTIVE_SALESPEOPLE = [s[0] for s in data.SALESPEOPLE if not s[5]]
_INHERITED = ("salesperson_code", "territory_code", "country_region_code", "language_code",
              "address", "address_2", "post_code", "city", "county", "phone_no", "fax_no")


@dataclass
class DemoContacts:
    """Rows to insert, as dicts per table."""

    contacts: list[dict[str, Any]] = field(default_factory=list)
    mailing_groups: list[dict[str, Any]] = field(default_factory=list)
    industry_groups: list[dict[str, Any]] = field(default_factory=list)
    business_relations: list[dict[str, Any]] = field(default_factory=list)
    job_responsibilities: list[dict[str, Any]] = field(default_factory=list)
    profile_answers: list[dict[str, Any]] = field(default_factory=list)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _blank_contact() -> dict[str, Any]:
    texts = ("name_2", "first_name", "surname", "job_title", "address", "address_2",
             "post_code", "city", "county", "correspondence_type", "email", "phone_no",
             "mobile_phone_no", "fax_no", "home_page", "vat_registration_no", "company_name")
    codes = ("company_no", "country_region_code", "territory_code", "salesperson_code",
             "language_code", "salutation_code")
    row: dict[str, Any] = dict.fromkeys(texts, "")
    row.update(dict.fromkeys(codes))
    row.update(exclude_from_segment=False, privacy_blocked=False)
    return row


class DemoContactBuilder:
    """Builds the demo contacts with numbers from a block drawn for exactly ``size`` contacts."""

    def __init__(self, seed: int, work_date: dt.date, now: dt.datetime) -> None:
        self.rng = random.Random(seed)
        self.work_date, self.now = work_date, now
        self.out = DemoContacts()
        self._names: set[tuple[str, str]] = set()

    @staticmethod
    def size(seed: int) -> int:
        """How many contacts a builder with this seed makes (companies + persons)."""
        rng = random.Random(seed)
        return COMPANIES + STANDALONE_PERSONS + sum(rng.randint(2, 5) for _ in range(COMPANIES))

    def build(self, block: NumberBlock, series: str) -> DemoContacts:
        sizes = [self.rng.randint(2, 5) for _ in range(COMPANIES)]
        numbers = iter(block.no(k) for k in range(block.count))
        for index, persons in enumerate(sizes):
            company = self._company(index, next(numbers))
            for person in range(persons):
                self._person(next(numbers), company, privacy=(index, person) == (11, 0))
        for _ in range(STANDALONE_PERSONS):
            self._person(next(numbers), None, privacy=False)
        for row in self.out.contacts:
            row.pop("_domain", None)
            row.update(no_series=series, created_at=self.now,
                       search_name=row["name"].upper())
        return self.out

    def _place(self) -> dict[str, Any]:
        city, post_code, county, country = self.rng.choice(data.CITIES)
        territory, language, _, prefix = data.COUNTRY_FACTS[country]
        street = f"{self.rng.choice(data.STREETS)} {self.rng.randint(1, 120)}"
        phone = f"{prefix} {self.rng.randint(100, 999)} {self.rng.randint(1000, 9999)}"
        return dict(city=city, post_code=post_code, county=county, country_region_code=country,
                    territory_code=territory, language_code=language, address=street,
                    phone_no=phone, salesperson_code=self.rng.choice(_ACTIVE_SALESPEOPLE))

    def _company_name(self, index: int, country: str) -> tuple[str, str]:
        industry = data.INDUSTRY_GROUPS[index % len(data.INDUSTRY_GROUPS)][0]
        while True:
            word = self.rng.choice(data.COMPANY_WORDS)
            trade = self.rng.choice(data.COMPANY_TRADES[industry])
            if (word, trade) not in self._names:
                self._names.add((word, trade))
                return f"{word} {trade} {data.COUNTRY_FACTS[country][2]}", f"{word}-{trade}"

    def _company(self, index: int, no: str) -> dict[str, Any]:
        row = _blank_contact() | self._place()
        name, slug = self._company_name(index, row["country_region_code"])
        domain = f"{_ascii(slug)}.example"
        row.update(no=no, type="Company", name=name, company_no=no, company_name=name,
                   email=f"info@{domain}", home_page=f"www.{domain}", salutation_code="COMPANY",
                   vat_registration_no=f"{row['country_region_code']}"
                                       f"{self.rng.randint(10**8, 10**9 - 1)}",
                   correspondence_type=self._correspondence(), exclude_from_segment=index == 7)
        row["_domain"] = domain
        self.out.contacts.append(row)
        self._company_classes(index, no)
        return row

    def _company_classes(self, index: int, no: str) -> None:
        rng, out = self.rng, self.out
        industry = data.INDUSTRY_GROUPS[index % len(data.INDUSTRY_GROUPS)][0]
        out.industry_groups.append(dict(contact_no=no, industry_group_code=industry))
        relation = rng.choices(["CUST", "PROSP", "VEND", "PARTNER"], [6, 3, 1, 1])[0]
        link = ("Customer", f"CU{index + 1:04d}") if relation == "CUST" else ("", "")
        out.business_relations.append(dict(contact_no=no, business_relation_code=relation,
                                           link_to_table=link[0], link_no=link[1]))
        self._mailing(no, {"NEWS": 0.4, "PRODUCT": 0.3, "XMAS": 0.3})
        self._answer(no, "COMPSIZE")

    def _person(self, no: str, company: dict[str, Any] | None, *, privacy: bool) -> None:
        rng = self.rng
        first, surname = rng.choice(data.FIRST_NAMES), rng.choice(data.SURNAMES)
        job = rng.choice(data.JOB_RESPONSIBILITIES)[0]
        row = _blank_contact()
        if company is not None:
            row.update({k: company[k] for k in _INHERITED})
            row.update(company_no=company["no"], company_name=company["name"])
            email = f"{_ascii(first)}.{_ascii(surname)}@{company['_domain']}"
        else:
            row.update(self._place())
            email = f"{_ascii(first)}.{_ascii(surname)}{rng.randint(1, 99)}@mail.example"
        row.update(no=no, type="Person", name=f"{first} {surname}", first_name=first,
                   surname=surname, job_title=data.JOB_TITLES[job], email=email,
                   mobile_phone_no=f"+47 9{rng.randint(1000000, 9999999)}",
                   salutation_code="FORMAL", correspondence_type=self._correspondence(),
                   privacy_blocked=privacy)
        self.out.contacts.append(row)
        self.out.job_responsibilities.append(dict(contact_no=no, job_responsibility_code=job))
        self._mailing(no, {"NEWS": 0.35, "EVENTS": 0.25, "XMAS": 0.15})
        self._answer(no, "CHANNEL")

    def _correspondence(self) -> str:
        return self.rng.choices(["Email", "Hard Copy", ""], [6, 3, 1])[0]

    def _mailing(self, no: str, chances: dict[str, float]) -> None:
        for code, chance in chances.items():
            if self.rng.random() < chance:
                self.out.mailing_groups.append(dict(contact_no=no, mailing_group_code=code))

    def _answer(self, no: str, questionnaire: str) -> None:
        line = 20000 + 10000 * self.rng.randrange(3)
        self.out.profile_answers.append(dict(
            contact_no=no, profile_questionnaire_code=questionnaire, line_no=line,
            last_date_updated=self.work_date))
