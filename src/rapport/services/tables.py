"""Table handles for set-based statements, declared once.

Services write their many-row statements (``INSERT … SELECT``, ``UPDATE … WHERE``, ``DELETE …
WHERE EXISTS``) in SQLAlchemy Core against these handles; the ORM classes in ``rapport.db.models``
serve single-record reads and writes.
"""

from rapport.db import models as m

CONTACT = m.table(m.Contact)
ALT_ADDRESS_RANGE = m.table(m.ContactAltAddrDateRange)
MAILING_GROUP_MEMBER = m.table(m.ContactMailingGroup)
ATTACHMENT = m.table(m.Attachment)
HEADER = m.table(m.SegmentHeader)
LINE = m.table(m.SegmentLine)
LINE_DATA = m.table(m.SegmentLineData)
LANG = m.table(m.SegmentInteractionLanguage)
CRITERIA = m.table(m.SegmentCriteriaLine)
HISTORY = m.table(m.SegmentHistory)
HISTORY_DATA = m.table(m.SegmentHistoryData)
LANG_HISTORY = m.table(m.SegmentLanguageHistory)
SAVED = m.table(m.SavedSegmentCriteria)
SAVED_LINE = m.table(m.SavedSegmentCriteriaLine)
ILE = m.table(m.InteractionLogEntry)

#: What a line is (segment_line's columns besides its key), shared by the undo journal.
MEMBERSHIP = [c.name for c in LINE.columns if c.name not in ("segment_no", "line_no")]
#: A line's personalised data (segment_line_data's columns besides its key), shared by the
#: journal; a line without such a row shows its header's values (services.segments._resolved).
LINE_FIELDS = [c.name for c in LINE_DATA.columns if c.name not in ("segment_no", "line_no")]
#: The per-language data columns shared by segment_interaction_language and its journal.
LANG_DATA = ["language_code", "description", "attachment_no", "subject", "word_template_code"]
