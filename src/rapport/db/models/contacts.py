"""Contacts (companies and persons), alternate addresses and classification assignments."""

import datetime as dt

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, Integer, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from rapport.db.models.base import (
    CODE,
    Base,
    code_pk,
    code_ref,
    created_at,
    date_col,
    enum_col,
    flag,
    text_col,
)


def contact_fk(*, primary_key: bool = False) -> Mapped[str]:
    """The owning contact of a classification row; deleting the contact deletes its rows."""
    return mapped_column(
        String(CODE), ForeignKey("contact.no", ondelete="CASCADE"), primary_key=primary_key
    )


class Contact(Base):
    """A company or a person (SPEC §2.2). A company's company_no is its own number."""

    __tablename__ = "contact"
    no: Mapped[str] = code_pk()
    type: Mapped[str] = enum_col("Company")
    name: Mapped[str] = text_col(100)
    name_2: Mapped[str] = text_col(50)
    search_name: Mapped[str] = text_col(100)
    company_no: Mapped[str | None] = code_ref("contact.no", index=True)
    company_name: Mapped[str] = text_col(100)
    first_name: Mapped[str] = text_col(30)
    surname: Mapped[str] = text_col(30)
    job_title: Mapped[str] = text_col(30)
    address: Mapped[str] = text_col(100)
    address_2: Mapped[str] = text_col(50)
    post_code: Mapped[str] = text_col(20)
    city: Mapped[str] = text_col(30)
    county: Mapped[str] = text_col(30)
    country_region_code: Mapped[str | None] = code_ref("country_region.code")
    territory_code: Mapped[str | None] = code_ref("territory.code")
    salesperson_code: Mapped[str | None] = code_ref("salesperson.code")
    language_code: Mapped[str | None] = code_ref("language.code")
    salutation_code: Mapped[str | None] = code_ref("salutation.code")
    correspondence_type: Mapped[str] = enum_col()
    email: Mapped[str] = text_col(80)
    phone_no: Mapped[str] = text_col(30)
    mobile_phone_no: Mapped[str] = text_col(30)
    fax_no: Mapped[str] = text_col(30)
    home_page: Mapped[str] = text_col(80)
    vat_registration_no: Mapped[str] = text_col(20)
    exclude_from_segment: Mapped[bool] = flag()
    privacy_blocked: Mapped[bool] = flag()
    no_series: Mapped[str | None] = code_ref("number_series.code")
    created_at: Mapped[dt.datetime] = created_at()
    __table_args__ = (
        # The order in which Add Contacts numbers new lines (§3.4).
        Index("ix_contact_line_order", "company_name", "company_no", "type", "name"),
        Index("ix_contact_salesperson_code", "salesperson_code"),
        Index("ix_contact_post_code", "post_code"),
        Index("ix_contact_search_name", "search_name"),
        # Suspected duplicates of a new contact: the same e-mail ignoring case (migration 0003).
        Index("ix_contact_email_lower", func.lower(text("email")),
              sqlite_where=text("email <> ''"), postgresql_where=text("email <> ''")),
        Index("ix_contact_country_territory", "country_region_code", "territory_code"),
        # Few contacts are privacy-blocked: Add Contacts counts the ones it leaves out (K10).
        Index(
            "ix_contact_privacy_blocked",
            "no",
            sqlite_where=text("privacy_blocked = 1"),
            postgresql_where=text("privacy_blocked"),
        ),
        # Few contacts lack an e-mail: Log Segment's e-mail rule looks them up (migration 0009).
        Index("ix_contact_without_email", "no", sqlite_where=text("email = ''"),
              postgresql_where=text("email = ''")),
    )


class ContactAltAddress(Base):
    """An alternate address of a contact, used on the dates of its date ranges."""

    __tablename__ = "contact_alt_address"
    contact_no: Mapped[str] = contact_fk(primary_key=True)
    code: Mapped[str] = code_pk()
    company_name: Mapped[str] = text_col(100)
    address: Mapped[str] = text_col(100)
    address_2: Mapped[str] = text_col(50)
    post_code: Mapped[str] = text_col(20)
    city: Mapped[str] = text_col(30)
    county: Mapped[str] = text_col(30)
    country_region_code: Mapped[str | None] = code_ref("country_region.code")
    email: Mapped[str] = text_col(80)
    phone_no: Mapped[str] = text_col(30)
    mobile_phone_no: Mapped[str] = text_col(30)


class ContactAltAddrDateRange(Base):
    """When an alternate address is active (inclusive dates; open ending = no end)."""

    __tablename__ = "contact_alt_addr_date_range"
    contact_no: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    starting_date: Mapped[dt.date] = mapped_column(primary_key=True)
    contact_alt_address_code: Mapped[str] = mapped_column(String(CODE), nullable=False)
    ending_date: Mapped[dt.date | None] = date_col()
    __table_args__ = (
        ForeignKeyConstraint(
            ["contact_no", "contact_alt_address_code"],
            ["contact_alt_address.contact_no", "contact_alt_address.code"],
            ondelete="CASCADE",
        ),
    )


class ContactMailingGroup(Base):
    __tablename__ = "contact_mailing_group"
    contact_no: Mapped[str] = contact_fk(primary_key=True)
    mailing_group_code: Mapped[str] = mapped_column(
        String(CODE), ForeignKey("mailing_group.code"), primary_key=True, index=True
    )


class ContactIndustryGroup(Base):
    """Companies only; persons inherit through their company in segment filters."""

    __tablename__ = "contact_industry_group"
    contact_no: Mapped[str] = contact_fk(primary_key=True)
    industry_group_code: Mapped[str] = mapped_column(
        String(CODE), ForeignKey("industry_group.code"), primary_key=True, index=True
    )


class ContactJobResponsibility(Base):
    """Persons only."""

    __tablename__ = "contact_job_responsibility"
    contact_no: Mapped[str] = contact_fk(primary_key=True)
    job_responsibility_code: Mapped[str] = mapped_column(
        String(CODE), ForeignKey("job_responsibility.code"), primary_key=True, index=True
    )


class ContactBusinessRelation(Base):
    """Companies only; persons inherit through their company in segment filters."""

    __tablename__ = "contact_business_relation"
    contact_no: Mapped[str] = contact_fk(primary_key=True)
    business_relation_code: Mapped[str] = mapped_column(
        String(CODE), ForeignKey("business_relation.code"), primary_key=True, index=True
    )
    link_to_table: Mapped[str] = enum_col()
    link_no: Mapped[str] = text_col(20)


class ContactProfileAnswer(Base):
    """A contact's answer: one answer line of a profile questionnaire."""

    __tablename__ = "contact_profile_answer"
    contact_no: Mapped[str] = contact_fk(primary_key=True)
    profile_questionnaire_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_date_updated: Mapped[dt.date | None] = date_col()
    __table_args__ = (
        ForeignKeyConstraint(
            ["profile_questionnaire_code", "line_no"],
            [
                "profile_questionnaire_line.profile_questionnaire_code",
                "profile_questionnaire_line.line_no",
            ],
            ondelete="CASCADE",
        ),
        Index("ix_contact_profile_answer_line", "profile_questionnaire_code", "line_no"),
    )
