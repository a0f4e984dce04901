"""Segments: header, lines (by hand, defaulted, per language), mailing groups (the export:
``rapport.services.segments.files``)."""

from rapport.services.segments._criteria_log import (
    ActionRef,
    CriteriaStep,
    action_count,
    record_action,
    segment_criteria,
    steps_of,
)
from rapport.services.segments._header import (
    change_header,
    set_language_default,
    set_subject_default,
    subject_default,
    update_header,
)
from rapport.services.segments._header_attachments import (
    header_attachment,
    remove_header_attachment,
    set_header_attachment,
)
from rapport.services.segments._header_template import set_header_template
from rapport.services.segments._inputs import (
    HeaderFieldChanges,
    LineChanges,
    LineFieldChanges,
    SegmentChanges,
    SegmentInput,
)
from rapport.services.segments._line_count import lines_changed
from rapport.services.segments._line_defaults import LineSource
from rapport.services.segments._line_languages import line_attachment
from rapport.services.segments._lines import delete_lines, insert_lines, large_step
from rapport.services.segments._mailing import (
    apply_mailing_group,
)
from rapport.services.segments._manual_lines import (
    add_blank_line,
    add_line,
    change_line,
    change_line_contact,
    contact_filter,
    list_lines,
    remove_line,
    remove_line_attachment,
    set_line_language,
    set_line_template,
    update_line,
    upload_line_attachment,
)
from rapport.services.segments._merge_preview import merge_preview
from rapport.services.segments._page_view import SegmentView, segment_view
from rapport.services.segments._records import record_name, require_segment
from rapport.services.segments._resolved import LineView, resolved_lines, resolved_segment
from rapport.services.segments._segments import (
    SegmentSummary,
    create_segment,
    delete_segment,
    get_segment,
    list_segments,
    segment_page,
)
from rapport.services.segments._views import (
    LineRow,
    SegmentDetail,
    line_page,
    line_row,
    segment_detail,
)

__all__ = [
    "action_count",
    "ActionRef",
    "add_blank_line",
    "add_line",
    "apply_mailing_group",
    "change_header",
    "change_line",
    "change_line_contact",
    "contact_filter",
    "create_segment",
    "CriteriaStep",
    "delete_lines",
    "delete_segment",
    "get_segment",
    "header_attachment",
    "HeaderFieldChanges",
    "insert_lines",
    "large_step",
    "line_attachment",
    "line_page",
    "line_row",
    "LineChanges",
    "LineFieldChanges",
    "LineRow",
    "lines_changed",
    "LineSource",
    "LineView",
    "list_lines",
    "list_segments",
    "merge_preview",
    "record_action",
    "record_name",
    "remove_header_attachment",
    "remove_line",
    "remove_line_attachment",
    "require_segment",
    "resolved_lines",
    "resolved_segment",
    "segment_criteria",
    "segment_detail",
    "segment_page",
    "segment_view",
    "SegmentChanges",
    "SegmentDetail",
    "SegmentInput",
    "SegmentSummary",
    "SegmentView",
    "set_header_attachment",
    "set_header_template",
    "set_language_default",
    "set_line_language",
    "set_line_template",
    "set_subject_default",
    "steps_of",
    "subject_default",
    "update_header",
    "update_line",
    "upload_line_attachment",
]
