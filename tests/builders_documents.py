"""Word letters built the way Word stores them: MERGEFIELD codes split over several runs
(``w:fldChar`` begin/separate/end with ``w:instrText`` pieces), ``w:fldSimple`` fields, fields in
headers, footers and table cells, and a stale «placeholder» result that the merge must replace."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

#: The eleven real Word templates, in ``../shared/word-templates/`` from the project root.
WORD_TEMPLATES = Path(__file__).resolve().parents[2] / "shared" / "word-templates"


def _run(paragraph: Paragraph, child: Any) -> None:
    run = OxmlElement("w:r")
    run.append(child)
    paragraph._p.append(run)


def _char(kind: str) -> Any:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _instr(text: str) -> Any:
    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element


def _text(text: str) -> Any:
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element


def complex_field(paragraph: Paragraph, instruction: str, pieces: int = 3) -> None:
    """A field as Word saves it after editing: the code split over ``pieces`` runs."""
    _run(paragraph, _char("begin"))
    size = max(1, len(instruction) // pieces + 1)
    for start in range(0, len(instruction), size):
        _run(paragraph, _instr(instruction[start:start + size]))
    _run(paragraph, _char("separate"))
    name = instruction.split()[1] if len(instruction.split()) > 1 else "x"
    _run(paragraph, _text(f"«{name}»"))
    _run(paragraph, _char("end"))


def if_field(paragraph: Paragraph, name: str, equals: str, then: str, otherwise: str) -> None:
    """``IF { MERGEFIELD name } = "equals" "then" "otherwise"`` with the nested field split."""
    _run(paragraph, _char("begin"))
    _run(paragraph, _instr(" IF "))
    complex_field(paragraph, f" MERGEFIELD {name} ", pieces=2)
    _run(paragraph, _instr(f' = "{equals}" '))
    _run(paragraph, _instr(f'"{then}" "{otherwise}"'))
    _run(paragraph, _char("separate"))
    _run(paragraph, _text(otherwise))
    _run(paragraph, _char("end"))


def simple_field(paragraph: Paragraph, instruction: str) -> None:
    """A ``w:fldSimple`` field, as Insert Merge Field writes one."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    run.append(_text("«stale»"))
    field.append(run)
    paragraph._p.append(field)


def line(paragraph: Paragraph, *parts: str) -> Paragraph:
    """Text and fields: ``{ MERGEFIELD X }`` is a complex field, ``[ MERGEFIELD X ]`` simple,
    ``<IF name|equals|then|otherwise>`` an IF field around a MERGEFIELD."""
    for part in parts:
        if part.startswith("<IF "):
            if_field(paragraph, *part[4:-1].split("|"))
        elif part.startswith("{"):
            complex_field(paragraph, part[1:-1])
        elif part.startswith("["):
            simple_field(paragraph, part[1:-1])
        else:
            paragraph.add_run(part)
    return paragraph


def word_letter(body: Sequence[Sequence[str]], *, header: Sequence[str] = (),
                footer: Sequence[str] = (), table: Sequence[Sequence[str]] = ()) -> bytes:
    """A .docx whose paragraphs, header, footer and one table row hold the given parts."""
    document = Document()
    for parts in body:
        line(document.add_paragraph(), *parts)
    section = document.sections[0]
    if header:
        line(section.header.paragraphs[0], *header)
    if footer:
        line(section.footer.paragraphs[0], *footer)
    if table:
        grid = document.add_table(rows=1, cols=len(table))
        for cell, parts in zip(grid.rows[0].cells, table, strict=True):
            line(cell.paragraphs[0], *parts)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def parts_xml(docx: bytes) -> dict[str, str]:
    """The XML of every word/*.xml part of a .docx."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return {name: package.read(name).decode("utf-8") for name in package.namelist()
                if name.startswith("word/") and name.endswith(".xml")}


def visible_text(docx: bytes) -> str:
    """The w:t text of body, headers, footers and notes, one paragraph per line."""
    return "\n".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph))
                     for _, xml in sorted(parts_xml(docx).items())
                     for paragraph in xml.split("</w:p>"))


def field_codes_left(docx: bytes) -> list[str]:
    """Parts that still carry a field code or a «placeholder»."""
    return [name for name, xml in parts_xml(docx).items()
            if "w:instrText" in xml or "w:fldSimple" in xml or "w:fldChar" in xml or "«" in xml]
