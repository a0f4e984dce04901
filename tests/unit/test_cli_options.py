"""Option values typed on the command line are parsed the same way by every command."""

from __future__ import annotations

import datetime as dt

import pytest
import typer

from rapport.cli.options import blank_or, choice, date_option
from rapport.domain.enums import CorrespondenceType, Evaluation, InformationFlow


@pytest.mark.parametrize("text", ["Hard Copy", "hard copy", "HARD-COPY", "hard_copy"])
def test_choice_accepts_the_caption_in_any_spelling(text: str) -> None:
    assert choice(CorrespondenceType, text, "--type") is CorrespondenceType.HARD_COPY


@pytest.mark.parametrize("text", ["none", "blank", "", "None"])
def test_choice_reads_none_and_blank_as_the_blank_value(text: str) -> None:
    assert choice(InformationFlow, text, "--flow") is InformationFlow.BLANK


def test_choice_of_an_option_not_given_is_none() -> None:
    assert choice(Evaluation, None, "--evaluation") is None


def test_choice_refuses_an_unknown_value_naming_the_option_and_the_values() -> None:
    with pytest.raises(typer.BadParameter, match="Outbound, Inbound") as info:
        choice(InformationFlow, "sideways", "--flow")
    assert info.value.param_hint == "--flow"


def test_blank_or_keeps_codes_and_blanks_none() -> None:
    assert (blank_or("DEU"), blank_or("none"), blank_or(" ")) == ("DEU", "", "")


def test_date_option_parses_iso_dates_and_refuses_others() -> None:
    assert date_option("2025-03-10") == dt.date(2025, 3, 10)
    assert date_option(None) is None
    with pytest.raises(typer.BadParameter, match="YYYY-MM-DD") as info:
        date_option("10.03.2025", "--work-date")
    assert info.value.param_hint == "--work-date"
