"""Demo data: a small, realistic, deterministic data set for trying rapport out.

``seed_demo`` fills an empty database (no contacts) with a marketing setup and number series,
salespeople and the user ADMIN, languages, countries, territories, classification codes,
profile questionnaires, interaction groups and templates (a Word welcome letter with merge
fields in English and German, an HTML newsletter), campaigns, a few hundred contacts, and some
activity (``_activity``): segments built by criteria, logged segments, single interactions.
``ensure_setup`` creates only the setup part (missing rows only); the bulk generator uses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from rapport.db import models as m
from rapport.errors import ConflictError
from rapport.services.contacts import draw_block
from rapport.services.context import Ctx
from rapport.services.demo import _data as data
from rapport.services.demo._activity import record_activity
from rapport.services.demo._contacts import DemoContactBuilder
from rapport.services.demo._documents import newsletter_html, welcome_letter
from rapport.services.setup import ensure_marketing_setup

SEED = 20250310
SERIES = (("CONT", "Contacts", "CT0000001", True), ("SEG", "Segments", "SEG00001", False),
          ("CAMP", "Campaigns", "CP0001", False))


@dataclass(frozen=True)
class DemoSummary:
    """What ``seed_demo`` did: whether it seeded, and how many rows of each kind it made."""

    seeded: bool
    existing_contacts: int = 0
    companies: int = 0
    persons: int = 0
    templates: int = 0
    campaigns: int = 0
    segments: int = 0
    logged_segments: int = 0
    interactions: int = 0
    postponed: int = 0


def ensure_rows(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> int:
    """Insert the rows whose primary key is not there yet (small code tables); return how many."""
    table = model.__table__
    keys = [c.name for c in table.primary_key.columns]
    existing = set(session.execute(select(*table.primary_key.columns)).tuples())
    missing = [r for r in rows if tuple(r[k] for k in keys) not in existing]
    if missing:
        session.execute(insert(table), missing)
    return len(missing)


def _codes(pairs: Sequence[tuple[str, str]], label: str = "description") -> list[dict[str, Any]]:
    return [{"code": code, label: text} for code, text in pairs]


def ensure_setup(ctx: Ctx) -> None:
    """The demo's setup and code tables, adding only what is missing."""
    s = ctx.session
    ensure_rows(s, m.NumberSeries, [dict(code=c, description=d, starting_no=n, manual_nos=man)
                                    for c, d, n, man in SERIES])
    ensure_rows(s, m.Salesperson, [dict(code=c, name=n, job_title=j, phone_no=p, email=e,
                                        blocked=b) for c, n, j, p, e, b in data.SALESPEOPLE])
    ensure_rows(s, m.Language, _codes(data.LANGUAGES, "name"))
    ensure_rows(s, m.CountryRegion, _codes(data.COUNTRIES, "name"))
    ensure_rows(s, m.Territory, _codes(data.TERRITORIES, "name"))
    for model, pairs in ((m.Salutation, data.SALUTATIONS), (m.MailingGroup, data.MAILING_GROUPS),
                         (m.IndustryGroup, data.INDUSTRY_GROUPS),
                         (m.BusinessRelation, data.BUSINESS_RELATIONS),
                         (m.JobResponsibility, data.JOB_RESPONSIBILITIES),
                         (m.CampaignStatus, data.CAMPAIGN_STATUSES)):
        ensure_rows(s, model, _codes(pairs))
    user, full_name, email, salesperson = data.ADMIN
    ensure_rows(s, m.AppUser, [dict(user_id=user, full_name=full_name,
                                    authentication_email=email, salesperson_code=salesperson)])
    _ensure_marketing_setup(s)
    _ensure_questionnaires(s)
    _ensure_letterhead(s)


def _ensure_letterhead(session: Session) -> None:
    """The company's details and the salutations the demo letters merge."""
    ensure_rows(session, m.CompanyInformation, [dict(id=1, **data.COMPANY)])
    ensure_rows(session, m.SalutationFormula, [
        dict(salutation_code=code, language_code=lang, salutation_type=kind, salutation=text)
        for code, lang, kind, text in data.SALUTATION_FORMULAS])


def _ensure_marketing_setup(session: Session) -> None:
    setup = ensure_marketing_setup(session, def_company_salutation_code="COMPANY",
                                   default_person_salutation_code="FORMAL")
    setup.contact_nos = setup.contact_nos or "CONT"
    setup.segment_nos = setup.segment_nos or "SEG"
    setup.campaign_nos = setup.campaign_nos or "CAMP"
    session.flush()


def _ensure_questionnaires(session: Session) -> None:
    heads, lines = [], []
    for code, description, contact_type, question, answers in data.QUESTIONNAIRES:
        heads.append(dict(code=code, description=description, contact_type=contact_type,
                          priority=0))
        lines.append(dict(profile_questionnaire_code=code, line_no=10000, type="Question",
                          description=question))
        lines += [dict(profile_questionnaire_code=code, line_no=20000 + 10000 * i,
                       type="Answer", description=answer) for i, answer in enumerate(answers)]
    ensure_rows(session, m.ProfileQuestionnaire, heads)
    ensure_rows(session, m.ProfileQuestionnaireLine, lines)


def contact_count(ctx: Ctx) -> int:
    """How many contacts the database holds."""
    return ctx.session.scalar(select(func.count()).select_from(m.Contact)) or 0


def seed_demo(ctx: Ctx, *, if_empty: bool = False) -> DemoSummary:
    """Seed the demo data set into a database without contacts.

    With contacts present it refuses (ConflictError), or with ``if_empty`` does nothing.
    """
    existing = contact_count(ctx)
    if existing:
        if if_empty:
            return DemoSummary(seeded=False, existing_contacts=existing)
        raise ConflictError(f"The database already has {existing} contacts: demo data is "
                            "only seeded into a database without contacts",
                            record="Contact", reason="not empty")
    ensure_setup(ctx)
    templates = _templates(ctx)
    campaigns = _campaigns(ctx)
    companies, persons = _contacts(ctx)
    activity = record_activity(ctx)
    return DemoSummary(True, 0, companies, persons, templates, campaigns, activity.segments,
                       activity.logged_segments, activity.interactions, activity.postponed)


def _attachment(ctx: Ctx, name: str, extension: str, content: bytes) -> int:
    row = m.Attachment(file_name=f"{name}.{extension}", file_extension=extension,
                       content=content, storage_type="Embedded", last_modified_at=ctx.now())
    ctx.session.add(row)
    ctx.session.flush()
    return row.no


_TEMPLATES = (  # code, group, description, cost, minutes, flow, initiator, type, ignore
    ("WELCOME", "LETTER", "Welcome letter", "1.20", 10, "Outbound", "Us", "Hard Copy", False),
    ("NEWSLETTER", "EMAIL", "Newsletter", "0.05", 1, "Outbound", "Us", "Email", True),
    ("EMAILLOG", "EMAIL", "E-mail", "0", 5, "Outbound", "Us", "Email", False),
    ("CALL", "PHONE", "Outgoing phone call", "0.50", 10, "Outbound", "Us", "", False),
    ("INCALL", "PHONE", "Incoming phone call", "0", 10, "Inbound", "Them", "", False),
    ("MEETING", "MEETING", "Customer meeting", "25.00", 60, "Outbound", "Us", "", False),
)


def _templates(ctx: Ctx) -> int:
    s = ctx.session
    ensure_rows(s, m.InteractionGroup, _codes((("LETTER", "Letters"), ("EMAIL", "E-mails"),
                                               ("PHONE", "Phone calls"),
                                               ("MEETING", "Meetings"))))
    rows = [dict(code=c, interaction_group_code=g, description=d, unit_cost=Decimal(cost),
                 unit_duration=mins, information_flow=flow, initiated_by=by,
                 correspondence_type_default=kind, ignore_contact_corres_type=ignore,
                 language_code_default="", wizard_action="Open" if c in ("WELCOME",
                                                                          "NEWSLETTER") else "")
            for c, g, d, cost, mins, flow, by, kind, ignore in _TEMPLATES]
    made = ensure_rows(s, m.InteractionTemplate, rows)
    languages = [("WELCOME", "", "Welcome letter", "docx", welcome_letter("")),
                 ("WELCOME", "DEU", "Willkommensbrief", "docx", welcome_letter("DEU")),
                 ("WELCOME", "NOR", "Velkomstbrev", "docx", welcome_letter("NOR")),
                 ("NEWSLETTER", "", "Newsletter", "html", newsletter_html())]
    for template, language, description, extension, content in languages:
        if s.get(m.InteractionTmplLanguage, (template, language)) is None:
            s.add(m.InteractionTmplLanguage(
                interaction_template_code=template, language_code=language,
                description=description,
                attachment_no=_attachment(ctx, description, extension, content)))
    ensure_rows(s, m.InteractionTemplateSetup, [dict(id=1, e_mails="EMAILLOG", outg_calls="CALL",
                                                     meeting_invitation="MEETING")])
    s.flush()
    return made


def _series(ctx: Ctx, field: str) -> str:
    setup = ctx.session.get(m.MarketingSetup, 1)
    return str(getattr(setup, field))


def _campaigns(ctx: Ctx) -> int:
    series = _series(ctx, "campaign_nos")
    block = draw_block(ctx, series, len(data.CAMPAIGNS))
    day = ctx.work_date
    rows = [dict(no=block.no(k), description=d, status_code=status,
                 starting_date=day + dt.timedelta(days=start),
                 ending_date=day + dt.timedelta(days=end), salesperson_code=sp, no_series=series)
            for k, (d, status, start, end, sp) in enumerate(data.CAMPAIGNS)]
    ctx.session.execute(insert(m.Campaign), rows)
    return len(rows)


def _contacts(ctx: Ctx) -> tuple[int, int]:
    builder = DemoContactBuilder(SEED, ctx.work_date, ctx.now())
    series = _series(ctx, "contact_nos")
    block = draw_block(ctx, series, DemoContactBuilder.size(SEED))
    out = builder.build(block, series)
    s = ctx.session
    s.execute(insert(m.Contact), out.contacts)
    for model, rows in ((m.ContactMailingGroup, out.mailing_groups),
                        (m.ContactIndustryGroup, out.industry_groups),
                        (m.ContactBusinessRelation, out.business_relations),
                        (m.ContactJobResponsibility, out.job_responsibilities),
                        (m.ContactProfileAnswer, out.profile_answers)):
        s.execute(insert(model), rows)
    companies = sum(1 for r in out.contacts if r["type"] == "Company")
    return companies, len(out.contacts) - companies
