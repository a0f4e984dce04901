"""E-mail delivery after the commit: the outbox, the workers, resend and unsubscribe."""

from rapport.services.delivery._compose import (
    Composer,
    Content,
    FileAttachment,
    Outgoing,
)
from rapport.services.delivery._letters import (
    Documents,
    LetterComposer,
    MergedLetters,
    StoredDocuments,
)
from rapport.services.delivery._message import Letterhead, build_message, message_id
from rapport.services.delivery._outbox import queue_logged_entries
from rapport.services.delivery._resend import ResendResult, resend
from rapport.services.delivery._status import (
    Message,
    OutboxState,
    Problem,
    entry_messages,
    logged_segment_state,
    mark_sent,
    outbox_state,
)
from rapport.services.delivery._unsubscribe import (
    OptOut,
    UnsubscribeLinks,
    opt_out_state,
    unsubscribe,
)
from rapport.services.delivery._worker import (
    DeliveryOptions,
    DeliveryReport,
    Pacer,
    Worker,
)

__all__ = [
    "build_message",
    "Composer",
    "Content",
    "DeliveryOptions",
    "DeliveryReport",
    "Documents",
    "entry_messages",
    "FileAttachment",
    "LetterComposer",
    "Letterhead",
    "logged_segment_state",
    "mark_sent",
    "MergedLetters",
    "Message",
    "message_id",
    "opt_out_state",
    "OptOut",
    "outbox_state",
    "OutboxState",
    "Outgoing",
    "Pacer",
    "Problem",
    "queue_logged_entries",
    "resend",
    "ResendResult",
    "StoredDocuments",
    "unsubscribe",
    "UnsubscribeLinks",
    "Worker",
]
