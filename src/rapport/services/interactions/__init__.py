"""Interactions: single interactions and drafts, postponed ones, the log, statistics."""

from rapport.services.interactions._checks import (
    check_first_step,
)
from rapport.services.interactions._drafts import (
    DraftAttachment,
    InteractionDraft,
    apply_template,
    interaction_time,
    start_from_contact,
    start_from_entry,
    start_from_salesperson,
)
from rapport.services.interactions._entries import (
    CancelResult,
    CommentInput,
    EntryFilter,
    EntryItem,
    add_comment,
    delete_canceled,
    delete_entries,
    evaluate,
    list_comments,
    list_entries,
    set_canceled,
    switch_canceled,
)
from rapport.services.interactions._interactions import (
    MANUAL_CAMPAIGN_ENTRY,
    finish,
    postpone,
    resume,
)
from rapport.services.interactions._postponed import (
    PostponedFilter,
    delete_postponed,
    list_postponed,
)
from rapport.services.interactions._statistics import (
    Dimension,
    campaign_statistics,
    interaction_statistics,
)
from rapport.services.interactions._stored_drafts import (
    KeptDraft,
    cancel_draft,
    change_draft,
    finish_draft,
    get_draft,
    list_drafts,
    open_draft,
    postpone_draft,
    resume_draft,
)
from rapport.services.interactions._wizard import (
    DraftChanges,
    RecordedInteraction,
    apply_changes,
    complete_postponed,
    create_interaction,
)

__all__ = [
    "add_comment",
    "apply_changes",
    "apply_template",
    "campaign_statistics",
    "cancel_draft",
    "CancelResult",
    "change_draft",
    "check_first_step",
    "CommentInput",
    "complete_postponed",
    "create_interaction",
    "delete_canceled",
    "delete_entries",
    "delete_postponed",
    "Dimension",
    "DraftAttachment",
    "DraftChanges",
    "EntryFilter",
    "EntryItem",
    "evaluate",
    "finish",
    "finish_draft",
    "get_draft",
    "interaction_statistics",
    "interaction_time",
    "InteractionDraft",
    "KeptDraft",
    "list_comments",
    "list_drafts",
    "list_entries",
    "list_postponed",
    "MANUAL_CAMPAIGN_ENTRY",
    "open_draft",
    "postpone",
    "postpone_draft",
    "PostponedFilter",
    "RecordedInteraction",
    "resume",
    "resume_draft",
    "set_canceled",
    "start_from_contact",
    "start_from_entry",
    "start_from_salesperson",
    "switch_canceled",
]
