"""The Word merge engine on real Word files and on letters built with Word's field XML."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from decimal import Decimal

import docx
import pytest

from rapport.errors import ValidationError
from rapport.merge import DocxMerger, FieldValue, MergeRecord, date_pattern, field_key, locale_for
from tests.builders_documents import (
    WORD_TEMPLATES,
    field_codes_left,
    parts_xml,
    visible_text,
    word_letter,
)

MERGER = DocxMerger()
TEMPLATES = sorted(p.name for p in WORD_TEMPLATES.glob("*.docx")
                   if p.name != "word_reference_merged_by_word.docx")


def _template(name: str) -> bytes:
    return (WORD_TEMPLATES / name).read_bytes()


def test_the_ten_real_templates_are_there() -> None:
    assert len(TEMPLATES) == 10


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_real_word_template_merges_every_field_everywhere(name: str) -> None:
    data = _template(name)
    names = MERGER.fields(data)
    assert names
    values = {field_key(n): f"v{i}-{field_key(n)}" for i, n in enumerate(names)}
    merged = MERGER.merge(data, MergeRecord(values))
    assert field_codes_left(merged) == []
    text = visible_text(merged)
    shown = [n for n in names if values[field_key(n)] in text or n == "fieldname"]
    assert shown == names
    docx.Document(io.BytesIO(merged))  # still a valid Word document


def test_fields_in_headers_footers_and_footnotes_are_merged() -> None:
    data = _template("header_footer_footnote.docx")
    names = MERGER.fields(data)
    merged = MERGER.merge(data, MergeRecord({field_key(n): f"<{n}>" for n in names}))
    xml = parts_xml(merged)
    headers = " ".join(v for k, v in xml.items() if "header" in k)
    footers = " ".join(v for k, v in xml.items() if "footer" in k)
    assert "&lt;headerfirst&gt;" in headers and "&lt;headereven&gt;" in headers
    assert "&lt;footerfield&gt;" in footers and "&lt;footerfirst&gt;" in footers
    assert "&lt;fieldname&gt;" in xml["word/footnotes.xml"]


def test_a_stale_cached_result_does_not_survive() -> None:
    data = _template("split_instr_stale_result.docx")
    assert "«boo»" in visible_text(data)
    merged = MERGER.merge(data, MergeRecord({"foo": "F", "bar": "B", "gak": "G"}))
    text = visible_text(merged)
    assert "boo" not in text and "G" in text


@pytest.mark.parametrize(("value", "shown"), [("two", "two"), ("one", "- one -"),
                                              ("three", "more: three")])
def test_nested_if_fields_are_evaluated(value: str, shown: str) -> None:
    merged = MERGER.merge(_template("nested_if.docx"), MergeRecord({"fieldname": value}))
    assert visible_text(merged).split() == shown.split()
    assert field_codes_left(merged) == []


def test_next_fields_are_dropped_in_a_one_record_letter() -> None:
    """The library stops with 'merge not yet started' on NEXT in a plain merge."""
    merged = MERGER.merge(_template("next_record.docx"), MergeRecord({"field": "X"}))
    assert field_codes_left(merged) == []
    assert visible_text(merged).count("X") == 8


def test_the_library_alone_gets_next_and_percent_wrong() -> None:
    """Why rapport works around docx-mailmerge2: if this fails, the workarounds can go."""
    from mailmerge import MailMerge, MailMergeOptions

    with MailMerge(io.BytesIO(_template("next_record.docx")),
                   MailMergeOptions(merge_if_fields=True)) as bare, \
            pytest.raises(AssertionError, match="merge not yet started"):
        bare.merge(field="X")
    with MailMerge(io.BytesIO(_template("date_number_switches_tables.docx")),
                   MailMergeOptions(merge_if_fields=True)) as bare:
        out = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it also warns on the fields left without a value
            bare.merge(Discount=12.5)
            bare.write(out)
    assert "1250%" in visible_text(out.getvalue())


def test_word_reference_merge_equals_words_own_output() -> None:
    values = {"first_name": "test1", "last_name": "test2", "title": "test", "city": "test4",
              "company_name": "test3", "state": "test5"}
    merged = docx.Document(io.BytesIO(MERGER.merge(_template("word_reference_template.docx"),
                                                   MergeRecord(values))))
    word = docx.Document(str(WORD_TEMPLATES / "word_reference_merged_by_word.docx"))
    assert [p.text for p in merged.paragraphs if p.text] == \
           [p.text for p in word.paragraphs if p.text]
    assert [p.text for p in merged.sections[1].header.paragraphs] == \
           [p.text for p in word.sections[1].header.paragraphs]


def test_date_number_and_percent_pictures_in_the_contacts_language() -> None:
    values: dict[str, FieldValue] = {
        "orderdate": dt.date(2026, 12, 1), "unitprice": Decimal("1234.5"),
        "discount": Decimal("12.5"), "extendedprice": 7}
    merged = MERGER.merge(_template("date_number_switches_tables.docx"),
                          MergeRecord(values, locale="nb_NO"))
    text = visible_text(merged)
    assert "01-des.-2026" in text
    assert "$1\u00a0234,50" in text
    assert "12,50%" in text  # the library alone prints 1250%
    assert "$7,00" in text


def test_case_switches() -> None:
    merged = MERGER.merge(_template("case_switches.docx"),
                          MergeRecord({"entity_legal_name": "acme trading"}))
    text = visible_text(merged)
    assert "ACME TRADING" in text and "Acme Trading" in text and "Acme trading" in text


def test_quoted_field_names_with_spaces_match_their_key() -> None:
    merged = MERGER.merge(_template("quoted_names_with_spaces.docx"),
                          MergeRecord({"hello_world": "HW", "more_than_one_space": "M",
                                       "singleword": "S"}))
    assert visible_text(merged).split()[:3] == ["S", "HW", "M"]  # one paragraph each


def test_the_authors_data_source_is_stripped() -> None:
    data = _template("case_switches.docx")
    assert "recipientData" in str(zipfile.ZipFile(io.BytesIO(data)).namelist())
    merged = MERGER.merge(data, MergeRecord({"entity_legal_name": "x"}))
    with zipfile.ZipFile(io.BytesIO(merged)) as package:
        names = package.namelist()
        everything = "".join(package.read(n).decode("utf-8", "replace") for n in names)
    assert not any("recipientData" in n for n in names)
    assert "mailMerge" not in everything and "Offices" not in everything
    assert "recipientData" not in everything
    docx.Document(io.BytesIO(merged))


def test_a_linked_text_source_path_is_stripped() -> None:
    merged = MERGER.merge(_template("split_instr_stale_result.docx"), MergeRecord({}))
    xml = parts_xml(merged)
    assert "mailMerge" not in xml["word/settings.xml"]
    with zipfile.ZipFile(io.BytesIO(merged)) as package:
        assert "tobiaspatton" not in package.read("word/_rels/settings.xml.rels").decode()


NORWEGIAN = MergeRecord({"document_date": dt.date(2026, 12, 1), "amount": Decimal("1234.5"),
                         "contact_name": "Kari Nordmann"}, locale=locale_for("NOR"))


def _built_letter() -> bytes:
    return word_letter(
        [["Dato: ", "{ MERGEFIELD Document_Date }"],
         ["Dato 2: ", '{ MERGEFIELD Document_Date \\@ "d MMMM yyyy" \\* MERGEFORMAT }'],
         ["Beløp: ", '{ MERGEFIELD Amount \\# "#,##0.00" }'],
         ["Kjære ", "[ MERGEFIELD Contact_Name \\* Upper ]", ","],
         ["<IF Contact_Name|Kari Nordmann|Hei Kari|Hei>"]],
        header=["Til: ", "{ MERGEFIELD  \"Contact Name\" }"],
        footer=["[ MERGEFIELD Contact_Name ]"],
        table=[["{ MERGEFIELD Contact_Name }"], ["{ MERGEFIELD Amount \\# \"0.00\" }"]])


def test_a_word_built_letter_merges_in_norwegian_whatever_the_process_locale() -> None:
    merged = MERGER.merge(_built_letter(), NORWEGIAN)
    assert field_codes_left(merged) == []
    text = visible_text(merged)
    assert "Dato: 1. desember 2026" in text
    assert "Dato 2: 1 desember 2026" in text
    assert "Beløp: 1\u00a0234,50" in text
    assert "Kjære KARI NORDMANN," in text
    assert "Hei Kari" in text
    assert "Til: Kari Nordmann" in text
    assert "1234,50" in text  # the table cell's \# "0.00"


def test_the_same_letter_in_english() -> None:
    record = MergeRecord(NORWEGIAN.values, locale=locale_for("ENU"))
    text = visible_text(MERGER.merge(_built_letter(), record))
    assert "December 1, 2026" in text and "1,234.50" in text


def test_fields_lists_each_name_once() -> None:
    names = MERGER.fields(_built_letter())
    assert sorted(names) == ["Amount", "Contact Name", "Contact_Name", "Document_Date"]


def test_a_missing_value_merges_as_empty() -> None:
    merged = MERGER.merge(_built_letter(), MergeRecord({}))
    assert field_codes_left(merged) == []
    text = visible_text(merged)
    assert "Kjære ," in text and "\nHei\n" in text


def test_not_a_docx_is_refused_with_e11() -> None:
    with pytest.raises(ValidationError) as caught:
        MERGER.fields(b"%PDF-1.4 not a word file")
    assert caught.value.code == "E11"


@pytest.mark.parametrize(("code", "locale"), [("NOR", "nb_NO"), ("DEU", "de_DE"),
                                              ("", "en_US"), ("de-AT", "de_AT"),
                                              ("XXX", "en_US")])
def test_language_codes_become_locales(code: str, locale: str) -> None:
    assert locale_for(code) == locale


def test_word_date_pictures_become_cldr_patterns() -> None:
    assert date_pattern("dddd, d. MMMM yyyy HH:mm am/pm") == "EEEE, d. MMMM yyyy HH:mm a"
