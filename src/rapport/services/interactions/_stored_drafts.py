"""Interaction drafts kept between requests (API): the Create Interaction wizard over several
calls. A draft is stored for the account that started it (table ``interaction_draft``) and is
invisible to everyone else: another account's draft number is "not found", never "forbidden".

Each call is one use case. Opening and changing a draft apply the wizard's steps (starting point,
contact, template, language, fields) exactly as ``create_interaction`` does; finishing and
postponing run the same ``finish`` / ``postpone`` as the CLI wizard (every check, E25, E38, E08 …)
and delete the draft in the same transaction, so a draft is either still there or written.
Resuming a postponed interaction makes a draft of it (``entry_no`` set): finishing that draft
updates the same entry (SPEC §3.18).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from rapport.db.models import StoredDraft
from rapport.errors import NotFoundError
from rapport.services.context import Ctx
from rapport.services.interactions import _interactions as interactions
from rapport.services.interactions._drafts import DraftAttachment, InteractionDraft
from rapport.services.interactions._wizard import (
    DraftChanges,
    RecordedInteraction,
    apply_changes,
    recorded_interaction,
    start_draft,
)


@dataclass(frozen=True)
class KeptDraft:
    """A stored draft as the edges show it (the upload by its file name only)."""

    id: int
    draft: InteractionDraft
    upload_file_name: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


def _kept(row: StoredDraft, draft: InteractionDraft) -> KeptDraft:
    return KeptDraft(id=row.id, draft=draft, upload_file_name=row.upload_file_name,
                     created_at=row.created_at, updated_at=row.updated_at)


def _draft_of(row: StoredDraft) -> InteractionDraft:
    upload = None
    if row.upload_file_name is not None:
        upload = DraftAttachment(file_name=row.upload_file_name,
                                 content=row.upload_content or b"")
    data: dict[str, Any] = {**row.data, "upload": upload}
    return InteractionDraft.model_validate(data)


def _store(ctx: Ctx, row: StoredDraft, draft: InteractionDraft) -> KeptDraft:
    row.data = draft.model_dump(mode="json", exclude={"upload"})
    row.upload_file_name = draft.upload.file_name if draft.upload is not None else None
    row.upload_content = draft.upload.content if draft.upload is not None else None
    row.updated_at = ctx.now()
    ctx.session.flush()
    return _kept(row, draft)


def _own(ctx: Ctx, draft_id: int, *, lock: bool) -> StoredDraft:
    """The acting account's draft (locked for a change); anyone else's is not found."""
    stmt = select(StoredDraft).where(StoredDraft.id == draft_id,
                                     StoredDraft.user_id == ctx.user_id)
    if lock:
        stmt = stmt.with_for_update()
    row = ctx.session.scalars(stmt.execution_options(populate_existing=lock)).first()
    if row is None:
        raise NotFoundError(f"You have no interaction draft {draft_id}",
                            record="Interaction Draft", field="draft_id",
                            reason="does not exist")
    return row


def open_draft(ctx: Ctx, changes: DraftChanges, *, contact_no: str | None = None,
               salesperson_code: str | None = None, from_entry: int | None = None,
               tz: dt.tzinfo | None = None) -> KeptDraft:
    """Start the wizard from one starting point, apply the changes, and keep the draft."""
    draft = apply_changes(ctx, start_draft(ctx, contact_no, salesperson_code, from_entry, tz),
                          changes)
    row = StoredDraft(user_id=ctx.user_id, data={}, created_at=ctx.now())
    ctx.session.add(row)
    return _store(ctx, row, draft)


def resume_draft(ctx: Ctx, entry_no: int) -> KeptDraft:
    """Load a postponed interaction into a new draft (finishing it updates that entry)."""
    draft = interactions.resume(ctx, entry_no)
    row = StoredDraft(user_id=ctx.user_id, data={}, created_at=ctx.now())
    ctx.session.add(row)
    return _store(ctx, row, draft)


def list_drafts(ctx: Ctx) -> list[KeptDraft]:
    """The acting account's drafts, oldest first (one query)."""
    rows = ctx.session.scalars(select(StoredDraft).where(StoredDraft.user_id == ctx.user_id)
                               .order_by(StoredDraft.id)).all()
    return [_kept(row, _draft_of(row)) for row in rows]


def get_draft(ctx: Ctx, draft_id: int) -> KeptDraft:
    """One of the acting account's drafts."""
    row = _own(ctx, draft_id, lock=False)
    return _kept(row, _draft_of(row))


def change_draft(ctx: Ctx, draft_id: int, changes: DraftChanges) -> KeptDraft:
    """Apply the wizard's changes to a draft (contact, then template, then the fields)."""
    row = _own(ctx, draft_id, lock=True)
    return _store(ctx, row, apply_changes(ctx, _draft_of(row), changes))


def _written(ctx: Ctx, row: StoredDraft, entry_no: int) -> RecordedInteraction:
    ctx.session.delete(row)
    ctx.session.flush()
    return recorded_interaction(ctx, entry_no)


def finish_draft(ctx: Ctx, draft_id: int, *, deliver: bool = True) -> RecordedInteraction:
    """Record the draft's interaction (the wizard's Finish, every check) and drop the draft."""
    row = _own(ctx, draft_id, lock=True)
    return _written(ctx, row, interactions.finish(ctx, _draft_of(row), deliver=deliver))


def postpone_draft(ctx: Ctx, draft_id: int) -> RecordedInteraction:
    """Keep the draft as a postponed interaction (K16, Q09 = yes) and drop the draft."""
    row = _own(ctx, draft_id, lock=True)
    return _written(ctx, row, interactions.postpone(ctx, _draft_of(row)))


def cancel_draft(ctx: Ctx, draft_id: int) -> None:
    """Throw the draft away (Q09 = no): nothing is written; a resumed entry stays postponed."""
    row = _own(ctx, draft_id, lock=True)
    ctx.session.delete(row)
    ctx.session.flush()
