"""Marketing setup, number series, users, salespeople and the classification code tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from rapport.db.models.base import (
    CODE,
    Base,
    code_pk,
    code_ref,
    date_col,
    enum_col,
    flag,
    text_col,
)


class NumberSeries(Base):
    """A number series (SPEC §2.1): SEG0001, SEG0002 … drawn under a row lock."""

    __tablename__ = "number_series"
    code: Mapped[str] = code_pk()
    description: Mapped[str] = text_col()
    starting_no: Mapped[str] = mapped_column(String(CODE), nullable=False)
    ending_no: Mapped[str | None] = mapped_column(String(CODE), nullable=True)
    last_no_used: Mapped[str | None] = mapped_column(String(CODE), nullable=True)
    last_date_used: Mapped[dt.date | None] = date_col()
    increment_by: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))
    manual_nos: Mapped[bool] = flag()
    __table_args__ = (CheckConstraint("increment_by > 0", name="increment_positive"),)


class MarketingSetup(Base):
    """The marketing setup singleton (SPEC §2.1); its one row has id 1."""

    __tablename__ = "marketing_setup"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    contact_nos: Mapped[str | None] = code_ref("number_series.code")
    campaign_nos: Mapped[str | None] = code_ref("number_series.code")
    segment_nos: Mapped[str | None] = code_ref("number_series.code")
    todo_nos: Mapped[str | None] = code_ref("number_series.code")
    opportunity_nos: Mapped[str | None] = code_ref("number_series.code")
    default_salesperson_code: Mapped[str | None] = code_ref("salesperson.code")
    default_territory_code: Mapped[str | None] = code_ref("territory.code")
    default_country_region_code: Mapped[str | None] = code_ref("country_region.code")
    default_language_code: Mapped[str | None] = code_ref("language.code")
    default_format_region: Mapped[str] = text_col(80)
    default_correspondence_type: Mapped[str] = enum_col()
    def_company_salutation_code: Mapped[str | None] = code_ref("salutation.code")
    default_person_salutation_code: Mapped[str | None] = code_ref("salutation.code")
    inherit_salesperson: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    inherit_territory: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    inherit_country_region: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    inherit_language: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    inherit_address: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    inherit_communication: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    inherit_format_region: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    bus_rel_code_for_customers: Mapped[str | None] = code_ref("business_relation.code")
    bus_rel_code_for_vendors: Mapped[str | None] = code_ref("business_relation.code")
    bus_rel_code_for_bank_accs: Mapped[str | None] = code_ref("business_relation.code")
    bus_rel_code_for_employees: Mapped[str | None] = code_ref("business_relation.code")
    attachment_storage_type: Mapped[str] = enum_col("Embedded")
    attachment_storage_location: Mapped[str] = text_col(250)
    mergefield_language_id: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    __table_args__ = (CheckConstraint("id = 1", name="singleton"),)


class Salesperson(Base):
    """Salesperson/Purchaser (SPEC §2.3)."""

    __tablename__ = "salesperson"
    code: Mapped[str] = code_pk()
    name: Mapped[str] = text_col(50)
    job_title: Mapped[str] = text_col(30)
    phone_no: Mapped[str] = text_col(30)
    email: Mapped[str] = text_col(80)
    blocked: Mapped[bool] = flag()


class AppUser(Base):
    """A user of rapport and its User Setup salesperson link (A6)."""

    __tablename__ = "app_user"
    user_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    full_name: Mapped[str] = text_col(80)
    authentication_email: Mapped[str] = text_col(250)
    salesperson_code: Mapped[str | None] = code_ref("salesperson.code")


class Territory(Base):
    __tablename__ = "territory"
    code: Mapped[str] = code_pk()
    name: Mapped[str] = text_col(50)


class Language(Base):
    __tablename__ = "language"
    code: Mapped[str] = code_pk()
    name: Mapped[str] = text_col(50)


class CountryRegion(Base):
    __tablename__ = "country_region"
    code: Mapped[str] = code_pk()
    name: Mapped[str] = text_col(50)


class Salutation(Base):
    __tablename__ = "salutation"
    code: Mapped[str] = code_pk()
    description: Mapped[str] = text_col(50)


class MailingGroup(Base):
    __tablename__ = "mailing_group"
    code: Mapped[str] = code_pk()
    description: Mapped[str] = text_col(100)


class IndustryGroup(Base):
    __tablename__ = "industry_group"
    code: Mapped[str] = code_pk()
    description: Mapped[str] = text_col(100)


class BusinessRelation(Base):
    __tablename__ = "business_relation"
    code: Mapped[str] = code_pk()
    description: Mapped[str] = text_col(100)


class JobResponsibility(Base):
    __tablename__ = "job_responsibility"
    code: Mapped[str] = code_pk()
    description: Mapped[str] = text_col(100)


class ProfileQuestionnaire(Base):
    """Profile Questionnaire Header: a set of questions with answer lines."""

    __tablename__ = "profile_questionnaire"
    code: Mapped[str] = code_pk()
    description: Mapped[str] = text_col(250)
    contact_type: Mapped[str] = enum_col()
    priority: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class ProfileQuestionnaireLine(Base):
    """A question or an answer of a questionnaire, keyed by line number."""

    __tablename__ = "profile_questionnaire_line"
    profile_questionnaire_code: Mapped[str] = mapped_column(
        String(CODE),
        ForeignKey("profile_questionnaire.code", ondelete="CASCADE"),
        primary_key=True,
    )
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    type: Mapped[str] = enum_col("Question")
    description: Mapped[str] = text_col(250)


class CampaignStatus(Base):
    __tablename__ = "campaign_status"
    code: Mapped[str] = code_pk()
    description: Mapped[str] = text_col(100)


class Campaign(Base):
    """A campaign (SPEC §2.17): dates, status, salesperson; statistics are computed."""

    __tablename__ = "campaign"
    no: Mapped[str] = code_pk()
    description: Mapped[str] = text_col(100)
    starting_date: Mapped[dt.date | None] = date_col()
    ending_date: Mapped[dt.date | None] = date_col()
    salesperson_code: Mapped[str | None] = code_ref("salesperson.code")
    status_code: Mapped[str | None] = code_ref("campaign_status.code")
    activated: Mapped[bool] = flag()
    no_series: Mapped[str | None] = code_ref("number_series.code")
    __table_args__ = (
        CheckConstraint(
            "starting_date IS NULL OR ending_date IS NULL OR starting_date <= ending_date",
            name="dates_ordered",
        ),
    )


class CompanyInformation(Base):
    """The company writing the letters (SPEC §3.12 B "Company Information"); one row, id 1."""

    __tablename__ = "company_information"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    name: Mapped[str] = text_col(100)
    name_2: Mapped[str] = text_col(50)
    address: Mapped[str] = text_col(100)
    address_2: Mapped[str] = text_col(50)
    post_code: Mapped[str] = text_col(20)
    city: Mapped[str] = text_col(30)
    county: Mapped[str] = text_col(30)
    country_region_code: Mapped[str | None] = code_ref("country_region.code")
    vat_registration_no: Mapped[str] = text_col(20)
    registration_no: Mapped[str] = text_col(50)
    phone_no: Mapped[str] = text_col(30)
    fax_no: Mapped[str] = text_col(30)
    bank_branch_no: Mapped[str] = text_col(20)
    bank_name: Mapped[str] = text_col(100)
    bank_account_no: Mapped[str] = text_col(30)
    giro_no: Mapped[str] = text_col(20)


class SalutationFormula(Base):
    """How a salutation reads in a language (formal or informal), e.g. ``Dear {first_name}``;
    the placeholders are the contact's name parts (SPEC §3.12 B "Salutations")."""

    __tablename__ = "salutation_formula"
    salutation_code: Mapped[str] = mapped_column(
        String(CODE), ForeignKey("salutation.code", ondelete="CASCADE"), primary_key=True)
    language_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    salutation_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    salutation: Mapped[str] = text_col(100)
