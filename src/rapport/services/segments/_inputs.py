"""What the segment verbs that create or change records take (see ``services.inputs``).

The header and a line each have two change models: the ordinary fields that propagate or
override (``HeaderFieldChanges`` for ``update_header``, ``LineFieldChanges`` for
``update_line``), and everything an edit form changes at once — those fields plus the template,
the language and the subject or contact (``SegmentChanges`` for ``change_header``,
``LineChanges`` for ``change_line``).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import StrictBool

from rapport.services.inputs import Amount, Input, Minutes


class SegmentInput(Input):
    """A new segment; without ``no`` it is numbered from Segment Nos., without a salesperson it
    takes the user's."""

    record: ClassVar[str] = "Segment"

    no: str | None = None
    description: str = ""
    campaign_no: str | None = None
    salesperson_code: str | None = None
    interaction_template_code: str | None = None


class HeaderFieldChanges(Input):
    """Changes to a segment header's ordinary fields (None = blank); the affected lines follow."""

    record: ClassVar[str] = "Segment"

    description: str | None = None
    campaign_no: str | None = None
    salesperson_code: str | None = None
    date: dt.date | None = None
    unit_cost: Amount | None = None
    unit_duration: Minutes | None = None
    information_flow: str | None = None
    initiated_by: str | None = None
    campaign_target: StrictBool | None = None
    campaign_response: StrictBool | None = None
    send_word_docs_as_attmt: StrictBool | None = None
    correspondence_type_default: str | None = None
    ignore_contact_corres_type: StrictBool | None = None


class SegmentChanges(HeaderFieldChanges):
    """Changes to a segment header: its ordinary fields, its interaction template (None clears
    it), Language Code (Default) and Subject (Default)."""

    interaction_template_code: str | None = None
    language_code_default: str | None = None
    subject_default: str | None = None


class LineFieldChanges(Input):
    """Overrides of one segment line's fields (§3.11; None = blank)."""

    record: ClassVar[str] = "Segment Line"

    description: str | None = None
    subject: str | None = None
    cost: Amount | None = None
    duration: Minutes | None = None
    date: dt.date | None = None
    evaluation: str | None = None
    correspondence_type: str | None = None
    campaign_no: str | None = None
    salesperson_code: str | None = None
    campaign_target: StrictBool | None = None
    campaign_response: StrictBool | None = None
    information_flow: str | None = None
    initiated_by: str | None = None
    send_word_doc_as_attmt: StrictBool | None = None
    attempt_failed: StrictBool | None = None
    opportunity_no: str | None = None
    todo_no: str | None = None
    contact_via: str | None = None


class LineChanges(LineFieldChanges):
    """Changes to one segment line: its contact (Reduce + Add), its own interaction template
    (None clears it), its language, then its field overrides."""

    contact_no: str | None = None
    interaction_template_code: str | None = None
    language_code: str | None = None
