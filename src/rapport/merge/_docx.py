"""Word merge of .docx letters with docx-mailmerge2 (SPEC A4, §3.12).

The library finds Word's fields wherever Word put them (codes split over runs, ``w:fldSimple``,
headers, footers, footnotes, table cells, IF fields with nested MERGEFIELDs) and replaces them.
rapport works around three things it gets wrong for one letter per contact:

* every MERGEFIELD instance gets its own finished string, formatted with Babel in the contact's
  language (``_formats``), so ``\\@``/``\\#`` never reach the library's ``strftime``/percent code;
* NEXT, NEXTIF and SKIPIF fields (several data records on one page) are removed: a plain merge
  of one record would otherwise stop with "merge not yet started";
* the template author's data-source links (``w:mailMerge``, ``recipientData.xml``, linked file
  paths, the attached template's path) are stripped from the merged letter.

The library's field map (``merge_data._merge_field_map``) is a private attribute; the version is
pinned in pyproject.toml and the tests merge real Word files, so a change shows at once.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from mailmerge import MailMerge, MailMergeOptions
from mailmerge.field import MergeField, NextField

from rapport.errors import ValidationError
from rapport.merge._formats import (
    DEFAULT_LOCALE,
    FieldValue,
    plain_text,
    split_switches,
    with_picture,
)
from rapport.merge._names import field_key

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
#: Relationship types that point at the author's data source or template on their machine.
_LINK_TYPES = ("/mailMergeSource", "/mailMergeHeaderSource", "/recipientData", "/attachedTemplate")
_RECORD_FIELDS = ("NEXT", "NEXTIF", "SKIPIF")


@dataclass(frozen=True)
class MergeRecord:
    """One letter's data: values by field key (``field_key``) and the letter's CLDR locale."""

    values: Mapping[str, FieldValue] = field(default_factory=dict)
    locale: str = DEFAULT_LOCALE


class DocxMerger:
    """Merges Word .docx templates with docx-mailmerge2 (IF fields merged)."""

    def fields(self, template: bytes) -> list[str]:
        """The MERGEFIELD names of a template (in and around IF fields), each once."""
        with _open(template) as mm:
            names = [obj.name for obj in _merge_fields(mm)]
        return list(dict.fromkeys(n for n in names if n))

    def merge(self, template: bytes, record: MergeRecord) -> bytes:
        """The template merged with one record, as a .docx without field codes."""
        with _open(template) as mm:
            row = _fill(mm, record)
            _drop_record_fields(mm)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the library warns on formats we replaced
                mm.merge(**row)
            _strip_data_source(mm)
            return _write(mm)


def _write(mm: Any) -> bytes:
    """The merged package, written as ``MailMerge.write`` does for one merged record, but
    compressed at zlib level 1: the letter's size hardly grows and writing, which is most of a
    merge's time at the library's default level, takes a third as long."""
    leftover = mm.get_merge_fields()
    if leftover:  # fields without a value merge as empty text, never as «placeholders»
        mm.merge(**dict.fromkeys(leftover, ""))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        mm.docx.write(package, mm.new_parts)
    return out.getvalue()


def _open(template: bytes) -> Any:
    """The library's document, or E11 when the bytes are not a Word .docx."""
    try:
        return MailMerge(io.BytesIO(template), MailMergeOptions(merge_if_fields=True))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise ValidationError(
            "The attachment must be a Word .docx file; its content could not be read "
            f"({type(exc).__name__})", code="E11", record="Attachment", field="content",
            reason="not a .docx") from exc


def _field_map(mm: Any) -> dict[str, Any]:
    result: dict[str, Any] = mm.merge_data._merge_field_map
    return result


def _merge_fields(mm: Any) -> Iterator[Any]:
    """The MERGEFIELD objects (not IF or NEXT fields) of the document."""
    for obj in _field_map(mm).values():
        if isinstance(obj, MergeField) and not isinstance(obj, NextField) and \
                obj.instr_tokens[:1] == ["MERGEFIELD"]:
            yield obj


def _fill(mm: Any, record: MergeRecord) -> dict[str, str]:
    """Give every MERGEFIELD instance a private name and its finished text (see module doc)."""
    row: dict[str, str] = {}
    for obj in _merge_fields(mm):
        value = record.values.get(field_key(obj.name)) if obj.name else None
        kept, pictures = split_switches(obj.instr_tokens)
        text = plain_text(value, record.locale)
        for flag, picture in pictures:
            text = with_picture(value, flag, picture, record.locale)
        obj.instr_tokens = obj.current_instr_tokens = kept
        obj.name = f"rapport:{obj.key}"
        row[obj.name] = text
    return row


def _drop_record_fields(mm: Any) -> None:
    """Remove NEXT/NEXTIF/SKIPIF: a letter is one record."""
    keys = {key for key, obj in _field_map(mm).items()
            if obj.instr_tokens[:1] and obj.instr_tokens[0].upper() in _RECORD_FIELDS}
    if not keys:
        return
    for part in mm.docx.get_parts():
        for element in part["part"].getroot().iter("MergeField"):
            if element.get("merge_key") in keys:
                element.getparent().remove(element)


def _strip_data_source(mm: Any) -> None:
    """Remove the author's mail-merge data source and linked paths from the package."""
    settings = mm.get_settings().getroot()
    for tag in ("mailMerge", "attachedTemplate"):
        for element in settings.findall(f"{{{_W}}}{tag}"):
            settings.remove(element)
    docx = mm.docx
    dropped: set[str] = set()
    for info in list(docx.zip.filelist):
        if not info.filename.endswith(".rels"):
            continue
        rels = docx.parts.get(info, {}).get("part")
        if rels is None:
            rels = etree.parse(docx.zip.open(info), parser=None)
        links = [rel for rel in rels.getroot() if rel.get("Type", "").endswith(_LINK_TYPES)]
        if not links:
            continue
        base = info.filename.rsplit("_rels/", 1)[0]
        for rel in links:
            if rel.get("TargetMode") != "External":
                dropped.add(base + rel.get("Target", "").lstrip("/"))
            rels.getroot().remove(rel)
        docx.parts[info] = {"zi": info, "part": rels}
    if dropped:
        docx.zip.filelist[:] = [i for i in docx.zip.filelist if i.filename not in dropped]
        types = mm.get_content_types().getroot()
        for override in types.findall(f"{{{_CT}}}Override"):
            if override.get("PartName", "").lstrip("/") in dropped:
                types.remove(override)
