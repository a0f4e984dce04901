"""Logging a segment, and the logged segments."""

from rapport.services.log._log import (
    LogResult,
    log_segment,
)
from rapport.services.log._logged_segments import (
    CancelResult,
    LoggedSegmentRow,
    cancel,
    delete_canceled,
    list_logged_segments,
    switch_canceled,
    uncancel,
)

__all__ = [
    "cancel",
    "CancelResult",
    "delete_canceled",
    "list_logged_segments",
    "log_segment",
    "LoggedSegmentRow",
    "LogResult",
    "switch_canceled",
    "uncancel",
]
