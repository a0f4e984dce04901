"""Letters: the merge fields (SPEC §3.12 B), attachment storage, one contact's record, and the
merge of one letter. Built on ``rapport.merge`` (the Word adapter on ``ctx.merger``)."""

from rapport.services.documents._attachments import (
    WORD_EXTENSIONS,
    AttachmentUpload,
    attachment_file,
    check_letter,
    drop_attachments,
    store_attachment,
)
from rapport.services.documents._entry_documents import (
    EntryDocument,
    entry_documents,
    merge_html,
)
from rapport.services.documents._fields import (
    MERGE_FIELDS,
    MergeFieldInfo,
    canonical_key,
    unknown_fields,
)
from rapport.services.documents._hard_copy import (
    HardCopy,
    bundle,
    deliver_hard_copy,
    hard_copy_letters,
    record_hard_copy,
)
from rapport.services.documents._letters import (
    MergedDocument,
    contact_source,
    document_attachment,
    letter_file_name,
    letter_stem,
    merge_attachment,
    one_record,
)
from rapport.services.documents._records import entry_source, line_source, records

__all__ = [
    "attachment_file",
    "AttachmentUpload",
    "bundle",
    "canonical_key",
    "check_letter",
    "contact_source",
    "deliver_hard_copy",
    "document_attachment",
    "drop_attachments",
    "entry_documents",
    "entry_source",
    "EntryDocument",
    "hard_copy_letters",
    "HardCopy",
    "letter_file_name",
    "letter_stem",
    "line_source",
    "merge_attachment",
    "MERGE_FIELDS",
    "merge_html",
    "MergedDocument",
    "MergeFieldInfo",
    "one_record",
    "record_hard_copy",
    "records",
    "store_attachment",
    "unknown_fields",
    "WORD_EXTENSIONS",
]
