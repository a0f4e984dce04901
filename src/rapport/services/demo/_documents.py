"""The demo's attachments: a Word letter with real MERGEFIELD fields and an HTML e-mail body.

The letter is built with python-docx; each field is a ``w:fldSimple`` element with the
instruction `` MERGEFIELD Contact_Name `` — what Word's *Insert Merge Field* produces — showing
``«Contact_Name»`` until it is merged. The HTML body marks the same fields as
``{{Contact_Name}}``.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

# python-docx (and lxml) load where a letter is built, not with the demo package: generating
# contacts (`rapport demo --contacts N`) builds no letter.

LETTER_FIELDS = (
    "Company_Information_Name", "Company_Information_Address", "Company_Information_Post_Code",
    "Company_Information_City", "Contact_Name", "Contact_Company_Name", "Contact_Address",
    "Contact_Post_Code", "Contact_City", "Document_Date", "Formal_Salutation",
    "Salesperson_Name", "Salesperson_Job_Title")
NEWSLETTER_FIELDS = ("Contact_Name", "Contact_Company_Name", "Salesperson_Name")

_TEXTS = {
    "": ("Welcome to Rapport Demo Trading",
         "Thank you for your interest in our products. We are glad to welcome {company} as a "
         "new business contact and look forward to working with you.",
         "Kind regards,"),
    "DEU": ("Willkommen bei Rapport Demo Trading",
            "vielen Dank für Ihr Interesse an unseren Produkten. Wir freuen uns, {company} als "
            "neuen Geschäftskontakt begrüßen zu dürfen.",
            "Mit freundlichen Grüßen"),
    "NOR": ("Velkommen til Rapport Demo Trading",
            "takk for interessen for produktene våre. Vi ønsker {company} velkommen som ny "
            "forretningsforbindelse og ser frem til samarbeidet.",
            "Med vennlig hilsen"),
}


def _field(paragraph: Paragraph, name: str) -> None:
    """Append a simple MERGEFIELD to the paragraph, as Word's Insert Merge Field does."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" MERGEFIELD {name} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = f"«{name}»"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _line(document: object, *parts: str) -> Paragraph:
    """A paragraph of literal text and fields; a part written ``{Name}`` is a field."""
    paragraph: Paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    for part in parts:
        if part.startswith("{") and part.endswith("}"):
            _field(paragraph, part[1:-1])
        else:
            paragraph.add_run(part)
    return paragraph


def welcome_letter(language: str = "") -> bytes:
    """A welcome letter (.docx) in English (''), German ('DEU') or Norwegian ('NOR')."""
    from docx import Document

    heading, body, closing = _TEXTS.get(language, _TEXTS[""])
    document = Document()
    _line(document, "{Company_Information_Name}", " · ", "{Company_Information_Address}", " · ",
          "{Company_Information_Post_Code}", " ", "{Company_Information_City}")
    _line(document, "{Contact_Company_Name}")
    _line(document, "{Contact_Name}")
    _line(document, "{Contact_Address}")
    _line(document, "{Contact_Post_Code}", " ", "{Contact_City}")
    _line(document, "{Document_Date}")
    document.add_heading(heading, level=1)
    _line(document, "{Formal_Salutation}", ",")
    before, after = body.split("{company}")
    _line(document, before, "{Contact_Company_Name}", after)
    _line(document, closing)
    _line(document, "{Salesperson_Name}")
    _line(document, "{Salesperson_Job_Title}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def newsletter_html() -> bytes:
    """The HTML body of the demo newsletter e-mail, with merge fields."""
    return (
        b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Newsletter</title></head>"
        b"<body>\n<h1>News from Rapport Demo Trading</h1>\n"
        b"<p>Dear {{Contact_Name}},</p>\n"
        b"<p>this season we bring new products to {{Contact_Company_Name}}: lighter packaging, "
        b"faster delivery and a spring discount for returning customers.</p>\n"
        b"<p>Best regards,<br>{{Salesperson_Name}}</p>\n</body></html>\n"
    )
