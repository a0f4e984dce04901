"""Word's field switches done with Babel, in the letter's language (SPEC A4, §3.12).

docx-mailmerge2 formats ``\\@`` and ``\\#`` with the process locale (``strftime``) and gets the
percent picture wrong (``\\# "0.00%"`` prints ``1250%`` for 12.5 where Word prints ``12.50%``).
rapport therefore formats dates and numbers itself, per field instance, in the contact's
language, and hands the library finished strings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

#: What a merge record may hold for one field.
FieldValue = str | int | float | Decimal | dt.date | dt.datetime | None

#: Windows three-letter language codes (the reference's Language Code) → CLDR locales.
_WINDOWS_CODES = {
    "ENU": "en_US", "ENG": "en_GB", "ENA": "en_AU", "ENC": "en_CA", "ENZ": "en_NZ",
    "DEU": "de_DE", "DES": "de_CH", "DEA": "de_AT", "NOR": "nb_NO", "NON": "nn_NO",
    "DAN": "da_DK", "SVE": "sv_SE", "FIN": "fi_FI", "ISL": "is_IS", "FRA": "fr_FR",
    "FRB": "fr_BE", "FRC": "fr_CA", "FRS": "fr_CH", "NLD": "nl_NL", "NLB": "nl_BE",
    "ESP": "es_ES", "ESM": "es_MX", "ITA": "it_IT", "PTG": "pt_PT", "PTB": "pt_BR",
    "PLK": "pl_PL", "CSY": "cs_CZ", "HUN": "hu_HU", "RUS": "ru_RU", "ETI": "et_EE",
    "LVI": "lv_LV", "LTH": "lt_LT", "JPN": "ja_JP", "CHS": "zh_CN",
}  # fmt: skip
DEFAULT_LOCALE = "en_US"


def locale_for(language_code: str | None, default: str = DEFAULT_LOCALE) -> str:
    """The CLDR locale of a rapport language code (``NOR`` → ``nb_NO``, ``de-AT`` → ``de_AT``)."""
    code = (language_code or "").strip()
    if not code:
        return default
    if code.upper() in _WINDOWS_CODES:
        return _WINDOWS_CODES[code.upper()]
    try:
        return str(Locale.parse(code.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return default


def plain_text(value: FieldValue, locale: str) -> str:
    """A value without a switch: dates long (``1. desember 2026``), amounts with two decimals."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_datetime(value, "medium", locale=locale)
    if isinstance(value, dt.date):
        return format_date(value, "long", locale=locale)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal | float):
        return format_decimal(value, "#,##0.00", locale=locale)
    return str(value)


def with_picture(value: FieldValue, flag: str, picture: str, locale: str) -> str:
    """A value under a ``\\@`` (date) or ``\\#`` (number) picture; other values as they are."""
    if flag == "\\@" and isinstance(value, dt.date):
        return format_datetime(value, date_pattern(picture), locale=locale) if isinstance(
            value, dt.datetime) else format_date(value, date_pattern(picture), locale=locale)
    if flag == "\\#":
        number = _number(value)
        if number is not None:
            return number_text(number, picture, locale)
    return plain_text(value, locale)


_WORD_DATE = re.compile(r"'[^']*'|d{1,4}|D{1,4}|M{1,4}|y{1,4}|Y{1,4}|h{1,2}|H{1,2}|m{1,2}|"
                        r"s{1,2}|am/pm|AM/PM")


def date_pattern(picture: str) -> str:
    """A Word date picture as a CLDR pattern (``dddd`` → ``EEEE``, ``am/pm`` → ``a``)."""

    def convert(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("'"):
            return token
        if token.lower() == "am/pm":
            return "a"
        if token[0] in "dD":
            return {3: "EEE", 4: "EEEE"}.get(len(token), token.lower())
        if token[0] in "yY":
            return "yy" if len(token) <= 2 else "yyyy"
        return token

    return _WORD_DATE.sub(convert, picture)


_PICTURE = re.compile(r"^(?P<prefix>[^#0.,]*)(?P<core>[#0.,\s]*[#0])(?P<suffix>.*)$")


def number_text(number: Decimal, picture: str, locale: str) -> str:
    """A number under a Word ``\\#`` picture; ``%`` is a literal sign, as in Word."""
    sections = picture.split(";")
    chosen = sections[1] if number < 0 and len(sections) > 1 else sections[0]
    if number < 0 and len(sections) > 1:
        number = -number
    match = _PICTURE.match(chosen.replace("\u00a0", " "))
    if match is None:
        return format_decimal(number, "#,##0.##", locale=locale)
    core = match.group("core").replace(" ", ",")
    text = format_decimal(number, core, locale=locale, decimal_quantization=True)
    return f"{match.group('prefix')}{text}{match.group('suffix')}"


def _number(value: FieldValue) -> Decimal | None:
    if isinstance(value, bool) or value is None or isinstance(value, dt.date):
        return None
    if isinstance(value, Decimal | int):
        return Decimal(value)
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def split_switches(tokens: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The tokens a field keeps (name, ``\\*``, ``\\b`` …) and its ``\\@``/``\\#`` pictures."""
    kept = list(tokens[:2])
    pictures: list[tuple[str, str]] = []
    rest = list(tokens[2:])
    while rest:
        token = rest.pop(0)
        flag, inline = token[:2], token[2:]
        option = inline if inline else (rest.pop(0) if rest and flag.startswith("\\") else "")
        if flag in ("\\@", "\\#"):
            pictures.append((flag, option))
        elif flag.startswith("\\"):
            kept += [flag, option] if option else [flag]
        else:
            kept.append(token)
    return kept, pictures
