"""Whether bytes are a Word document at all (a .docx/.docm/.dotx package), checked when a file
is uploaded so that a broken letter is refused then, naming why, not first at merge time.

A Word document is a ZIP package whose main part is ``word/document.xml``; every XML part of it
(the document, headers, footers, footnotes, styles, relationships) must be well-formed, since
the merge reads them. Parsing resolves no entities and fetches nothing; a package that unpacks
to more than ``MAX_UNPACKED`` bytes is refused before it is read.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

MAIN_PART = "word/document.xml"
MAX_UNPACKED = 256 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def word_problem(content: bytes) -> str:
    """Why ``content`` is not a Word document ('' when it is one)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            return _package_problem(package)
    except zipfile.BadZipFile as exc:
        if not zipfile.is_zipfile(io.BytesIO(content)):
            return "it is not a ZIP package, as every Word document is (a .doc or another " \
                   "file renamed .docx?)"
        return f"its ZIP package is damaged ({exc})"
    except (zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        return f"its ZIP package cannot be unpacked ({exc})"


def _package_problem(package: zipfile.ZipFile) -> str:
    members = package.infolist()
    if sum(member.file_size for member in members) > MAX_UNPACKED:
        return f"it unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB"
    names = {member.filename for member in members}
    if MAIN_PART not in names:
        return f"it has no {MAIN_PART}, the main part of every Word document"
    for name in sorted(n for n in names if n.endswith((".xml", ".rels"))):
        try:
            etree.fromstring(package.read(name), _PARSER)
        except etree.XMLSyntaxError as exc:
            return f"its part {name} is not well-formed XML ({exc.msg})"
    return ""
