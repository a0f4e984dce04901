"""Filters → criteria → one SQL predicate: parsing once (A5), sections and relation rules (§3.4),
K9, the field catalogue."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.domain.criteria import FilterText, SectionFilter, filter_texts
from rapport.domain.enums import CriteriaSection
from rapport.domain.filters import FieldType
from rapport.errors import FilterExpressionError, MultipleErrors, ValidationError
from rapport.services.criteria import (
    contact_predicate,
    parse_filters,
    resolve_field,
    resolve_section,
    section_fields,
)
from rapport.services.tables import CONTACT
from tests.builders_segments import filters, make_ile, make_logged_segment, make_profile


def matching(factory: sessionmaker[Session], given: Iterable[FilterText] = ()) -> set[str]:
    """The contacts that pass the compiled criteria."""
    contact = CONTACT.alias("c")
    stmt = select(contact.c.no).where(contact_predicate(parse_filters(given), contact))
    with factory() as s:
        return set(s.scalars(stmt))


ALL = {"C1", "P11", "P12", "C2", "P21", "P3", "X1", "X11"}


def test_no_filters_match_every_contact(fixture_db: sessionmaker[Session]) -> None:
    assert matching(fixture_db) == ALL


def test_contact_section_filters_any_contact_column(fixture_db: sessionmaker[Session]) -> None:
    assert matching(fixture_db, filters("Contact.type=Company")) == {"C1", "C2", "X1"}
    assert matching(fixture_db, filters("Contact.Company No.=C1")) == {
        "C1",
        "P11",
        "P12",
    }
    assert matching(fixture_db, filters("Contact.name=@*a*", "Contact.type=Person")) == {
        "P11",
        "P12",
        "P21",
        "P3",
        "X11",
    }
    assert matching(fixture_db, filters("Contact.exclude_from_segment=Yes")) == {"X1"}
    assert matching(fixture_db, filters("Contact.correspondence_type=''")) == {
        "P12",
        "P21",
        "X1",
        "X11",
    }
    assert matching(fixture_db, filters("Contact.company_no=''")) == {"P3"}


def test_own_rows_sections(fixture_db: sessionmaker[Session]) -> None:
    assert matching(fixture_db, filters("Mailing Group.code=NEWS")) == {"P11", "P3", "X1"}
    assert matching(fixture_db, filters("Job Responsibility.code=purch")) == {"P12"}


def test_company_rows_sections_are_inherited_by_persons(fixture_db: sessionmaker[Session]) -> None:
    assert matching(fixture_db, filters("Business Relation.code=CUST")) == {
        "C1",
        "P11",
        "P12",
        "C2",
        "P21",
    }
    linked = filters("Business Relation.link_to_table=Customer", "Business Relation.link_no=CU1")
    assert matching(fixture_db, linked) == {"C1", "P11", "P12"}
    assert matching(fixture_db, filters("Industry Group.code=RETAIL")) == {"C2", "P21"}


def test_sections_are_and_ed(fixture_db: sessionmaker[Session]) -> None:
    both = filters("Mailing Group.code=NEWS", "Business Relation.code=CUST")
    assert matching(fixture_db, both) == {"P11"}
    with_contact = [*both, *filters("Contact.type=Company")]
    assert matching(fixture_db, with_contact) == set()


def test_profile_fields_must_hold_on_the_same_answer(fixture_db: sessionmaker[Session]) -> None:
    make_profile(fixture_db, "SIZE", {"C1": [10000], "C2": [20000], "P3": [10000, 30000]})
    assert matching(fixture_db, filters("Profile.code=SIZE")) == {"C1", "C2", "P3"}
    one_answer = filters("Profile.Profile Questionnaire Code=SIZE", "Profile.Line No.=10000")
    assert matching(fixture_db, one_answer) == {"C1", "P3"}
    assert matching(fixture_db, filters("Profile.line_no=20000..30000")) == {"C2", "P3"}
    make_profile(fixture_db, "OTHER", {"C1": [20000]})
    same_row = filters("Profile.profile_questionnaire_code=SIZE", "Profile.line_no=20000")
    assert matching(fixture_db, same_row) == {"C2"}  # C1 answered 20000 only for OTHER


def test_interaction_on_a_person_does_not_qualify_its_company(
    fixture_db: sessionmaker[Session],
) -> None:
    make_ile(fixture_db, "P11", interaction_template_code="T-CALL", campaign_no="CP1")
    make_ile(fixture_db, "C2", interaction_template_code="T-LET")
    assert matching(fixture_db, filters("Interaction.campaign_no=CP1")) == {"P11"}
    assert matching(fixture_db, filters("Interaction.interaction_template_code=T-*")) == {
        "P11",
        "C2",
    }


def test_interaction_entry_of_another_company_does_not_count(
    fixture_db: sessionmaker[Session],
) -> None:
    """An entry logged while P21 belonged to C1 does not count for P21 at C2."""
    make_ile(fixture_db, "P21", contact_company_no="C1", segment_no="SEG0009")
    make_ile(fixture_db, "P3", segment_no="SEG0009")  # standalone: NULL company on both sides
    assert matching(fixture_db, filters("Interaction.segment_no=seg0009")) == {"P3"}


def test_canceled_and_postponed_entries_count_only_when_asked(
    fixture_db: sessionmaker[Session],
) -> None:
    """K9."""
    logged = make_logged_segment(fixture_db)
    make_ile(fixture_db, "P11", logged_segment_entry_no=logged, canceled=True)
    make_ile(fixture_db, "P3", logged_segment_entry_no=logged)
    make_ile(fixture_db, "P12", postponed=True, evaluation="Positive")
    by_logged = f"Interaction.logged_segment_entry_no={logged}"
    assert matching(fixture_db, filters(by_logged)) == {"P3"}
    with_canceled = filters(by_logged, "Interaction.include_canceled=Yes")
    assert matching(fixture_db, with_canceled) == {"P11", "P3"}
    assert matching(fixture_db, filters(by_logged, "Interaction.canceled=Yes")) == {"P11"}
    assert matching(fixture_db, filters("Interaction.evaluation=Positive")) == set()
    postponed = filters("Interaction.evaluation=Positive", "Interaction.Include Postponed=yes")
    assert matching(fixture_db, postponed) == {"P12"}


def test_field_names_are_accepted_as_keys_or_captions_in_any_case() -> None:
    contact = CriteriaSection.CONTACT
    assert resolve_field(contact, "No.").key == "no"
    assert resolve_field(contact, "Country/Region Code").key == "country_region_code"
    assert resolve_field(contact, "SEARCH_NAME").key == "search_name"
    assert resolve_field(contact, "E-Mail").key == "email"
    group = resolve_field(CriteriaSection.MAILING_GROUP, "Mailing Group Code")
    assert group.key == "mailing_group_code" and group.spec.type is FieldType.CODE
    assert resolve_field(CriteriaSection.INTERACTION, "Cost (LCY)").spec.type is FieldType.DECIMAL
    assert resolve_field(contact, "type").spec.options == ("Company", "Person")
    assert resolve_section("mailing_group") is CriteriaSection.MAILING_GROUP
    assert resolve_section("JOB RESPONSIBILITY") is CriteriaSection.JOB_RESPONSIBILITY
    assert {f.key for f in section_fields(CriteriaSection.INTERACTION)} >= {
        "include_canceled",
        "include_postponed",
        "logged_segment_entry_no",
    }


def test_unknown_section_and_field_are_named() -> None:
    with pytest.raises(ValidationError, match="Unknown filter section 'Opportunity'"):
        resolve_section("Opportunity")
    with pytest.raises(ValidationError, match="Industry Group has no filter field 'colour'"):
        parse_filters(filters("Industry Group.colour=RED"))
    by_name = parse_filters(filters("mailing_group.code=NEWS"))
    assert by_name.sections[0].section is CriteriaSection.MAILING_GROUP
    with pytest.raises(ValidationError) as err:
        parse_filters(filters("Value Entry.item_no=X"))
    assert "Unknown filter section 'Value Entry' in filter Value Entry.item_no" in err.value.message
    assert (err.value.record, err.value.field) == ("Value Entry", "item_no")


def test_expression_errors_name_field_expression_and_position() -> None:
    with pytest.raises(FilterExpressionError) as err:
        parse_filters(filters("Contact.type=Company|Robot"))
    assert (err.value.field, err.value.expression, err.value.position) == (
        "Contact.type",
        "Company|Robot",
        8,
    )
    with pytest.raises(FilterExpressionError, match="Profile.line_no"):
        parse_filters(filters("Profile.line_no=ten"))


def test_filter_options_are_split_without_resolving_names() -> None:
    assert filter_texts(["Mailing Group.code=NEWS", " contact . No. = C1|C2 "]) == [
        FilterText("Mailing Group", "code", "NEWS"),
        FilterText("contact", "No.", "C1|C2"),
    ]
    assert filter_texts(["interaction.date=>=2025-01-01"]) == [
        FilterText("interaction", "date", ">=2025-01-01")
    ]
    assert filter_texts(["Opportunity.colour=red"]) == [FilterText("Opportunity", "colour", "red")]
    for bad in ["contact=C1", "Mailing Group.code", "contact.=C1", ".no=C1"]:
        with pytest.raises(ValidationError, match="SECTION.FIELD=EXPRESSION"):
            filter_texts([bad])
    with pytest.raises(MultipleErrors) as several:
        filter_texts(["contact=C1", "contact.no=C1", "Mailing Group.code"])
    assert [e.record for e in several.value.errors] == ["contact=C1", "Mailing Group.code"]


def test_parsed_filters_keep_canonical_keys_by_section() -> None:
    criteria = parse_filters(
        filters("Mailing Group.code=NEWS", "contact.type=Company", "Contact.No.=C1|C2")
    )
    assert criteria.section_filters() == [
        SectionFilter(CriteriaSection.CONTACT, {"type": "Company", "no": "C1|C2"}),
        SectionFilter(CriteriaSection.MAILING_GROUP, {"mailing_group_code": "NEWS"}),
    ]


def test_stored_filters_replay_through_the_same_parser() -> None:
    """The criteria log's form (canonical keys) read back as texts parses to the same criteria."""
    criteria = parse_filters(filters("Interaction.Cost (LCY)=>10", "Contact.E-Mail=@*@x.test"))
    stored = criteria.section_filters()
    replayed = parse_filters(text for item in stored for text in item.texts())
    assert replayed == criteria
    assert replayed.section_filters() == stored


def test_several_bad_filters_are_refused_in_one_error_listing_each() -> None:
    with pytest.raises(MultipleErrors) as err:
        parse_filters(
            filters(
                "Opportunity.code=X",
                "contact.colour=red",
                "Contact.type=Company|Robot",
                "contact.no=C1",
                "Interaction.date=2025-13-01..",
                "Contact.No.=C2",
            )
        )
    problems = err.value.errors
    assert [(p.code, p.record, p.field) for p in problems] == [
        ("VALIDATION", "Opportunity", "code"),
        ("VALIDATION", "Contact", "colour"),
        ("FILTER", None, "Contact.type"),
        ("FILTER", None, "Interaction.date"),
        ("VALIDATION", "Contact", "no"),
    ]
    expressions = [p for p in problems if isinstance(p, FilterExpressionError)]
    assert [(p.expression, p.position) for p in expressions] == [
        ("Company|Robot", 8),
        ("2025-13-01..", 0),
    ]
    assert err.value.code == "MULTIPLE" and err.value.message.startswith("5 filters refused: ")
    for problem in problems:
        assert problem.message in err.value.message


def test_a_field_is_resolved_once_so_its_caption_and_key_are_one_field() -> None:
    with pytest.raises(ValidationError) as err:
        parse_filters(filters("Contact.no=C1", "contact.No.=C2"))
    assert not isinstance(err.value, MultipleErrors)
    assert (err.value.record, err.value.field, err.value.reason) == (
        "Contact",
        "no",
        "duplicate filter",
    )
    assert "given twice (as 'no' and 'No.')" in err.value.message
    same = FilterText("Contact", "type", "Person")
    with pytest.raises(ValidationError, match="Contact.type is given twice"):
        parse_filters([same, same])
    with pytest.raises(ValidationError, match="Mailing Group.mailing_group_code is given twice"):
        parse_filters(filters("Mailing Group.code=NEWS", "mailing_group.Mailing Group Code=X"))
    with pytest.raises(MultipleErrors) as both:  # named twice even when the first one is bad
        parse_filters(filters("Contact.type=Robot", "Contact.Type=Person"))
    assert [p.reason for p in both.value.errors][1] == "duplicate filter"
