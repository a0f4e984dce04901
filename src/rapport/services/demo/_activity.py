"""The demo's activity: segments built by criteria, logged segments, single interactions.

Everything goes through the real verbs (create segment, Add/Reduce/Refine, log, Create
Interaction), so the demo shows what those verbs write, and a newcomer's first ``logged-segments
list``, ``campaign-entries list`` or ``interactions stats`` has something to show. The content is
fixed; the dates count back from the work date (like the campaigns), each step running on its
own work date through a copy of the use case's context (same session, same transaction).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from rapport.services.context import Ctx
from rapport.services.criteria import add_contacts, filter_texts, reduce_contacts, refine_contacts
from rapport.services.interactions import (
    DraftChanges,
    EntryFilter,
    create_interaction,
    evaluate,
    list_entries,
)
from rapport.services.log import log_segment
from rapport.services.segments import (
    HeaderFieldChanges,
    SegmentInput,
    create_segment,
    update_header,
)


@dataclass(frozen=True)
class DemoSegment:
    """A segment of the demo: its header, its criteria steps, and when (if ever) it is logged."""

    description: str
    salesperson: str
    template: str
    campaign: str | None
    steps: tuple[tuple[str, tuple[str, ...], bool], ...]  # verb, filters, whole companies
    logged_days_ago: int | None = None
    campaign_target: bool = False


SEGMENTS = (
    # SEG00001, SEG00002: working segments, built today and not logged.
    DemoSegment("Autumn trade fair invitations", "MK", "EMAILLOG", "CP0002", (
        ("add", ("Mailing Group.code=EVENTS",), False),
        ("refine", ("Contact.territory_code=NORDIC|DACH",), False))),
    DemoSegment("Nordic customers, welcome pack", "SR", "WELCOME", None, (
        ("add", ("Business Relation.code=CUST", "Contact.type=Company",
                 "Contact.territory_code=NORDIC"), True),
        ("reduce", ("Contact.correspondence_type=''",), False))),
    # SEG00003 … SEG00005: logged on earlier days.
    DemoSegment("Winter newsletter", "TB", "NEWSLETTER", "CP0003", (
        ("add", ("Mailing Group.code=NEWS",), False),), logged_days_ago=180),
    DemoSegment("Spring launch letters to purchasers", "JL", "WELCOME", "CP0001", (
        ("add", ("Job Responsibility.code=PURCH",), False),), logged_days_ago=20,
        campaign_target=True),
    DemoSegment("Customer check-in calls", "MK", "CALL", None, (
        ("add", ("Business Relation.code=CUST", "Contact.type=Company",
                 "Contact.salesperson_code=MK"), False),), logged_days_ago=7),
)


@dataclass(frozen=True)
class DemoInteraction:
    """A single interaction recorded through Create Interaction (or postponed)."""

    contact: str
    days_ago: int
    changes: DraftChanges
    postpone: bool = False


def _interaction(contact: str, days_ago: int, template: str, salesperson: str, hour: int,
                 **fields: object) -> DemoInteraction:
    postpone = bool(fields.pop("postpone", False))
    changes = DraftChanges.model_validate(dict(
        template_code=template, salesperson_code=salesperson,
        time_of_interaction=dt.time(hour, 0), **fields))
    return DemoInteraction(contact, days_ago, changes, postpone)


INTERACTIONS = (
    _interaction("CT0000190", 14, "MEETING", "SR", 10, campaign_no="CP0001",
                 description="Spring launch demo at Amberfield Supply",
                 campaign_response=True, evaluation="Very Positive",
                 add_comments=["Wants a quote for 40 licences"]),
    _interaction("CT0000191", 5, "INCALL", "SR", 14, evaluation="Positive",
                 add_comments=["Asked for the spring price list"]),
    _interaction("CT0000274", 2, "CALL", "MK", 9, evaluation="Neutral",
                 interaction_successful=False, add_comments=["No answer, try again Friday"]),
    _interaction("CT0000068", 0, "CALL", "TB", 15, campaign_no="CP0001",
                 description="Call back about the spring offer", postpone=True),
)
#: How the first check-in calls (the last logged segment) went, evaluated after logging.
EVALUATIONS = ("Positive", "Very Positive", "Negative")


@dataclass(frozen=True)
class ActivitySummary:
    """How much activity the demo recorded."""

    segments: int
    logged_segments: int
    interactions: int
    postponed: int


def _on(ctx: Ctx, days_ago: int) -> Ctx:
    """The same use case (session, user, after-commit work) on an earlier work date."""
    return dataclasses.replace(ctx, work_date=ctx.work_date - dt.timedelta(days=days_ago))


def _build(ctx: Ctx, segment: DemoSegment) -> str:
    day = _on(ctx, segment.logged_days_ago or 0)
    no = create_segment(day, SegmentInput(
        description=segment.description, salesperson_code=segment.salesperson,
        campaign_no=segment.campaign, interaction_template_code=segment.template)).no
    if segment.campaign_target:
        update_header(day, no, HeaderFieldChanges(campaign_target=True))
    for verb, filters, whole in segment.steps:
        texts = filter_texts(filters)
        if verb == "add":
            add_contacts(day, no, texts, expand_companies=whole)
        elif verb == "reduce":
            reduce_contacts(day, no, texts, entire_companies=whole)
        else:
            refine_contacts(day, no, texts, entire_companies=whole)
    return no


def record_activity(ctx: Ctx) -> ActivitySummary:
    """Build the demo segments, log the older ones, and record the single interactions."""
    built = [(segment, _build(ctx, segment)) for segment in SEGMENTS]
    logged = [log_segment(_on(ctx, segment.logged_days_ago), no, send=False)
              for segment, no in built if segment.logged_days_ago is not None]
    _evaluate_calls(ctx, logged[-1].logged_segment_entry_no)
    for item in INTERACTIONS:
        create_interaction(_on(ctx, item.days_ago), item.changes, contact_no=item.contact,
                           postpone=item.postpone)
    postponed = sum(1 for item in INTERACTIONS if item.postpone)
    return ActivitySummary(len(built) - len(logged), len(logged),
                           sum(r.entries for r in logged) + len(INTERACTIONS) - postponed,
                           postponed)


def _evaluate_calls(ctx: Ctx, logged_segment: int) -> None:
    """The first check-in calls, evaluated after the calls were made."""
    page = list_entries(ctx, EntryFilter(logged_segment_entry_no=logged_segment), limit=100)
    entries = sorted(item.entry.entry_no for item in page.items)
    for entry_no, evaluation in zip(entries, EVALUATIONS, strict=False):
        evaluate(ctx, [entry_no], evaluation)
