"""Contact files: CSV/XLSX import and export of contacts."""

from rapport.services.contacts.files._export import (
    export_contacts,
)
from rapport.services.contacts.files._files import (
    ImportResult,
    import_contacts,
)
from rapport.services.contacts.files._format import (
    ALL_COLUMNS,
)
from rapport.services.contacts.files._io import (
    file_format,
    open_writer,
    read_rows,
)

__all__ = [
    "ALL_COLUMNS",
    "export_contacts",
    "file_format",
    "import_contacts",
    "ImportResult",
    "open_writer",
    "read_rows",
]
