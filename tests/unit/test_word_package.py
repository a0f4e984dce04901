"""A file uploaded as a Word document is checked to be one: a ZIP package with
word/document.xml whose XML parts are well-formed (``rapport.merge.word_problem``)."""

from __future__ import annotations

import io
import zipfile

from rapport.merge import word_problem
from tests.builders_documents import word_letter


def _repacked(letter: bytes, *, drop: str = "", replace: dict[str, bytes] | None = None
              ) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(letter)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != drop:
                target.writestr(name, (replace or {}).get(name, source.read(name)))
    return out.getvalue()


LETTER = word_letter([["Dear ", "{ MERGEFIELD Contact_Name }"]], header=["Head"])


def test_a_word_letter_has_no_problem() -> None:
    assert word_problem(LETTER) == ""


def test_a_file_that_is_not_a_zip_package_is_named_as_such() -> None:
    assert word_problem(b"{\\rtf1 an RTF letter}").startswith(
        "it is not a ZIP package, as every Word document is")


def test_a_damaged_package_is_named_as_such() -> None:
    damaged = LETTER[:len(LETTER) // 2] + bytes(len(LETTER) - len(LETTER) // 2)
    assert word_problem(damaged).startswith(("it is not a ZIP package", "its ZIP package"))


def test_a_package_without_the_main_part_is_refused() -> None:
    assert word_problem(_repacked(LETTER, drop="word/document.xml")) == (
        "it has no word/document.xml, the main part of every Word document")


def test_a_part_that_is_not_well_formed_xml_is_named() -> None:
    broken = _repacked(LETTER, replace={"word/document.xml": b"<w:document><w:body>"})
    assert word_problem(broken).startswith("its part word/document.xml is not well-formed XML")
    with zipfile.ZipFile(io.BytesIO(LETTER)) as package:
        header = next(n for n in package.namelist() if n.startswith("word/header"))
    assert word_problem(_repacked(LETTER, replace={header: b"<w:hdr"})).startswith(
        f"its part {header} is not well-formed XML")
