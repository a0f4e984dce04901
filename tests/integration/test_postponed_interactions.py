"""Postponing, resuming and deleting postponed interactions (SPEC §3.17, §3.18; K16, K19)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ConflictError, MultipleErrors, NotFoundError, RapportError
from rapport.services.interactions import (
    DraftAttachment,
    DraftChanges,
    InteractionDraft,
    PostponedFilter,
    apply_template,
    complete_postponed,
    delete_postponed,
    finish,
    list_postponed,
    postpone,
    resume,
    start_from_contact,
    start_from_salesperson,
)
from tests.builders_interactions import (
    add_comment,
    build,
    comments_of,
    db_state,
    entries,
    make_attachment,
    make_entry,
    open_tx,
    update_row,
)

Factory = sessionmaker[Session]
LATER = dt.date(2025, 3, 12)


def _scenario_67(factory: Factory) -> int:
    """The wizard from P3 with T-CALL, description "Call back", campaign CP1, postponed."""
    with open_tx(factory) as ctx:
        draft = apply_template(ctx, start_from_contact(ctx, "P3"), "T-CALL")
        draft = draft.model_copy(update={"description": "Call back", "campaign_no": "CP1"})
        return postpone(ctx, draft)


def _non_postponed(factory: Factory) -> list[int]:
    with factory() as session:
        return list(
            session.scalars(
                select(m.InteractionLogEntry.entry_no).where(
                    m.InteractionLogEntry.postponed.is_(False)
                )
            )
        )


def _campaign_entries(factory: Factory) -> int:
    with factory() as session:
        return len(session.scalars(select(m.CampaignEntry.entry_no)).all())


def test_scenario_67_postpone(fixture_db: Factory) -> None:
    entry_no = _scenario_67(fixture_db)
    [entry] = entries(fixture_db)
    assert entry.entry_no == entry_no and entry.postponed is True
    assert (entry.contact_no, entry.description, entry.campaign_no) == ("P3", "Call back", "CP1")
    assert entry.campaign_entry_no is None and _campaign_entries(fixture_db) == 0
    assert entry.delivery_status == ""
    assert _non_postponed(fixture_db) == []
    with open_tx(fixture_db) as ctx:
        assert [row.entry_no for row in list_postponed(ctx)] == [entry_no]


def test_k16_a_draft_with_only_a_contact_can_be_postponed(fixture_db: Factory) -> None:
    with open_tx(fixture_db) as ctx:
        draft = start_from_contact(ctx, "P11").model_copy(
            update={"salesperson_code": None, "date": None}
        )
        entry_no = postpone(ctx, draft)
    [entry] = entries(fixture_db)
    assert entry.entry_no == entry_no and entry.postponed is True
    assert entry.interaction_template_code is None and entry.description == ""
    assert entry.salesperson_code is None and entry.date is None


def test_k16_finishing_the_incomplete_draft_checks_everything(fixture_db: Factory) -> None:
    with open_tx(fixture_db) as ctx:
        entry_no = postpone(ctx, start_from_contact(ctx, "P11"))
    before = db_state(fixture_db)
    with pytest.raises(MultipleErrors) as err, open_tx(fixture_db) as ctx:
        finish(ctx, resume(ctx, entry_no))
    assert [e.field for e in err.value.errors] == ["interaction_template_code", "description"]
    assert {e.code for e in err.value.errors} == {"E25"}
    assert db_state(fixture_db) == before


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"contact_no": None}, "E25"),
        ({"contact_no": "NOPE"}, "E07"),
        ({"interaction_template_code": "T-NONE"}, "E07"),
    ],
)
def test_postpone_refusals_change_nothing(
    fixture_db: Factory, change: dict[str, str | None], code: str
) -> None:
    with open_tx(fixture_db) as ctx:
        draft = start_from_contact(ctx, "P11").model_copy(update=change)
    before = db_state(fixture_db)
    with pytest.raises(RapportError) as err, open_tx(fixture_db) as ctx:
        postpone(ctx, draft)
    assert err.value.code == code
    assert db_state(fixture_db) == before


def test_postponing_for_a_privacy_blocked_contact_is_refused(fixture_db: Factory) -> None:
    with open_tx(fixture_db) as ctx:
        draft = start_from_contact(ctx, "P11")
    update_row(fixture_db, m.Contact, "P11", privacy_blocked=True)
    with pytest.raises(RapportError) as err, open_tx(fixture_db) as ctx:
        postpone(ctx, draft)
    assert err.value.code == "E38" and entries(fixture_db) == []


def test_scenario_70_resume_keeps_the_date(fixture_db: Factory) -> None:
    entry_no = _scenario_67(fixture_db)
    with open_tx(fixture_db, work_date=LATER) as ctx:
        draft = resume(ctx, entry_no)
        assert draft.entry_no == entry_no and draft.date == dt.date(2025, 3, 10)
        assert finish(ctx, draft) == entry_no
    [entry] = entries(fixture_db)
    assert entry.entry_no == entry_no and entry.postponed is False
    assert entry.date == dt.date(2025, 3, 10) and entry.campaign_entry_no is not None
    assert _non_postponed(fixture_db) == [entry_no]
    with open_tx(fixture_db) as ctx:
        assert list_postponed(ctx) == []


def test_scenario_70_an_explicit_date_changes_it(fixture_db: Factory) -> None:
    entry_no = _scenario_67(fixture_db)
    with open_tx(fixture_db, work_date=LATER) as ctx:
        recorded = complete_postponed(ctx, entry_no, DraftChanges(date=LATER))
    assert recorded.entry_no == entry_no and recorded.date == LATER
    [entry] = entries(fixture_db)
    assert entry.date == LATER and entry.postponed is False
    assert _campaign_entries(fixture_db) == 1


def test_resume_loads_comments_and_attachment_and_finish_replaces_them(fixture_db: Factory) -> None:
    with open_tx(fixture_db) as ctx:
        draft = apply_template(ctx, start_from_contact(ctx, "P3"), "T-MAIL")
        draft = InteractionDraft.model_validate({**draft.model_dump(), "comments": ["a", "b"]})
        entry_no = postpone(ctx, draft)
    [postponed] = entries(fixture_db)
    with open_tx(fixture_db) as ctx:
        draft = resume(ctx, entry_no)
        assert [c.text for c in draft.comments] == ["a", "b"]
        assert draft.attachment_no == postponed.attachment_no is not None
        changed = InteractionDraft.model_validate({**draft.model_dump(), "comments": ["c"]})
        finish(ctx, changed)
    [entry] = entries(fixture_db)
    assert entry.attachment_no == postponed.attachment_no
    assert entry.delivery_status == "In Progress" and entry.correspondence_type == "Email"
    assert comments_of(fixture_db, entry_no) == [(10000, "c")]
    with fixture_db() as session:
        attachment = session.get(m.Attachment, entry.attachment_no)
        assert attachment is not None and attachment.read_only is True


def test_resumed_upload_replaces_the_content_of_the_same_attachment(fixture_db: Factory) -> None:
    with open_tx(fixture_db) as ctx:
        entry_no = postpone(ctx, apply_template(ctx, start_from_contact(ctx, "P3"), "T-MAIL"))
    [postponed] = entries(fixture_db)
    upload = DraftAttachment(file_name="new.html", content=b"<p>hi</p>")
    with open_tx(fixture_db) as ctx:
        complete_postponed(ctx, entry_no, DraftChanges(upload=upload))
    [entry] = entries(fixture_db)
    assert entry.attachment_no == postponed.attachment_no
    with fixture_db() as session:
        attachment = session.get(m.Attachment, entry.attachment_no)
        assert attachment is not None and attachment.content == b"<p>hi</p>"


def test_postponing_a_resumed_draft_updates_the_same_entry(fixture_db: Factory) -> None:
    entry_no = _scenario_67(fixture_db)
    with open_tx(fixture_db) as ctx:
        recorded = complete_postponed(
            ctx,
            entry_no,
            DraftChanges(description="Call back later", add_comments=["no answer"]),
            postpone=True,
        )
    assert recorded.entry_no == entry_no and recorded.postponed is True
    [entry] = entries(fixture_db)
    assert entry.description == "Call back later" and entry.campaign_entry_no is None
    assert comments_of(fixture_db, entry_no) == [(10000, "no answer")]


def test_resuming_an_entry_that_is_not_postponed(fixture_db: Factory) -> None:
    entry = build(fixture_db, lambda s: make_entry(s))
    with pytest.raises(ConflictError) as err, open_tx(fixture_db) as ctx:
        resume(ctx, entry.entry_no)
    assert err.value.code == "NOT_POSTPONED" and str(entry.entry_no) in err.value.message
    with pytest.raises(NotFoundError), open_tx(fixture_db) as ctx:
        resume(ctx, 9999)


def test_finishing_a_resumed_draft_twice_is_refused(fixture_db: Factory) -> None:
    entry_no = _scenario_67(fixture_db)
    with open_tx(fixture_db) as ctx:
        draft = resume(ctx, entry_no)
    with open_tx(fixture_db) as ctx:
        finish(ctx, draft)
    before = db_state(fixture_db)
    with pytest.raises(ConflictError), open_tx(fixture_db) as ctx:
        finish(ctx, draft)
    assert db_state(fixture_db) == before


def test_list_postponed_filters(fixture_db: Factory) -> None:
    first = _scenario_67(fixture_db)
    with open_tx(fixture_db) as ctx:
        second = postpone(ctx, start_from_contact(ctx, "P11"))
        add_comment(ctx.session, second, 10000, "note")
        by_contact = list_postponed(ctx, PostponedFilter(contact_no="p11"))
        by_campaign = list_postponed(ctx, PostponedFilter(campaign_no="CP1"))
        by_date = list_postponed(ctx, PostponedFilter(date_from=LATER))
    assert [(r.entry_no, r.contact_name, r.comment_lines) for r in by_contact] == [
        (second, "Anna Able", 1)
    ]
    assert [r.entry_no for r in by_campaign] == [first] and by_date == []


def _postponed_with_attachments(session: Session) -> dict[str, int]:
    shared = make_attachment(session, "shared.docx")
    unique = make_attachment(session, "unique.docx")
    logged = make_entry(session, attachment_no=shared)
    one = make_entry(session, postponed=True, attachment_no=shared)
    two = make_entry(
        session, postponed=True, attachment_no=unique, contact_no="P3", contact_company_no=None
    )
    for entry in (one, two):
        add_comment(session, entry.entry_no, 10000, "comment")
    return {
        "shared": shared,
        "unique": unique,
        "logged": logged.entry_no,
        "one": one.entry_no,
        "two": two.entry_no,
    }


def test_delete_postponed_keeps_shared_attachments(fixture_db: Factory) -> None:
    made = build(fixture_db, _postponed_with_attachments)
    with open_tx(fixture_db) as ctx:
        result = delete_postponed(ctx, [made["one"], made["two"]])
    assert (result.entries, result.comment_lines, result.attachments) == (2, 2, 1)
    assert [e.entry_no for e in entries(fixture_db)] == [made["logged"]]
    with fixture_db() as session:
        remaining = set(session.scalars(select(m.Attachment.no)))
        assert made["shared"] in remaining and made["unique"] not in remaining
        assert session.scalars(select(m.InterLogEntryCommentLine)).all() == []


def test_delete_postponed_refuses_other_entries(fixture_db: Factory) -> None:
    made = build(fixture_db, _postponed_with_attachments)
    before = db_state(fixture_db)
    with pytest.raises(ConflictError) as err, open_tx(fixture_db) as ctx:
        delete_postponed(ctx, [made["one"], made["logged"]])
    assert str(made["logged"]) in err.value.message
    with pytest.raises(NotFoundError), open_tx(fixture_db) as ctx:
        delete_postponed(ctx, [made["two"], 9999])
    assert db_state(fixture_db) == before


def test_complete_postponed_from_a_salesperson_draft(fixture_db: Factory) -> None:
    with open_tx(fixture_db) as ctx:
        draft = start_from_salesperson(ctx, "SP2").model_copy(update={"contact_no": "P12"})
        entry_no = postpone(ctx, draft)
    with open_tx(fixture_db) as ctx:
        recorded = complete_postponed(ctx, entry_no, DraftChanges(template_code="T-LET"))
    assert (recorded.contact_name, recorded.salesperson_code) == ("Bob Baker", "SP2")
    assert (recorded.interaction_template_code, recorded.correspondence_type) == (
        "T-LET",
        "Hard Copy",
    )
    assert recorded.delivery_status == "In Progress" and recorded.postponed is False
