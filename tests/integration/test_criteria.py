"""The compiled criteria predicate: sections, relation rules (§3.4), K9, the field catalogue."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.domain.criteria import SectionFilter
from rapport.domain.enums import CriteriaSection
from rapport.domain.filters import FieldType
from rapport.errors import FilterExpressionError, ValidationError
from rapport.services.criteria import (
    contact_predicate,
    filters_from_options,
    parse_criteria,
    resolve_field,
    resolve_section,
    section_fields,
)
from rapport.services.tables import CONTACT
from tests.builders_segments import make_ile, make_logged_segment, make_profile, section


def matching(factory: sessionmaker[Session], *filters: SectionFilter) -> set[str]:
    """The contacts that pass the compiled criteria."""
    contact = CONTACT.alias("c")
    stmt = select(contact.c.no).where(contact_predicate(parse_criteria(filters), contact))
    with factory() as s:
        return set(s.scalars(stmt))


ALL = {"C1", "P11", "P12", "C2", "P21", "P3", "X1", "X11"}


def test_no_filters_match_every_contact(fixture_db: sessionmaker[Session]) -> None:
    assert matching(fixture_db) == ALL


def test_contact_section_filters_any_contact_column(fixture_db: sessionmaker[Session]) -> None:
    assert matching(fixture_db, section("Contact", type="Company")) == {"C1", "C2", "X1"}
    assert matching(fixture_db, section("Contact", **{"Company No.": "C1"})) == {
        "C1",
        "P11",
        "P12",
    }
    assert matching(fixture_db, section("Contact", name="@*a*", type="Person")) == {
        "P11",
        "P12",
        "P21",
        "P3",
        "X11",
    }
    assert matching(fixture_db, section("Contact", exclude_from_segment="Yes")) == {"X1"}
    assert matching(fixture_db, section("Contact", correspondence_type="''")) == {
        "P12",
        "P21",
        "X1",
        "X11",
    }
    assert matching(fixture_db, section("Contact", company_no="''")) == {"P3"}


def test_own_rows_sections(fixture_db: sessionmaker[Session]) -> None:
    assert matching(fixture_db, section("Mailing Group", code="NEWS")) == {"P11", "P3", "X1"}
    assert matching(fixture_db, section("Job Responsibility", code="purch")) == {"P12"}


def test_company_rows_sections_are_inherited_by_persons(fixture_db: sessionmaker[Session]) -> None:
    assert matching(fixture_db, section("Business Relation", code="CUST")) == {
        "C1",
        "P11",
        "P12",
        "C2",
        "P21",
    }
    linked = section("Business Relation", link_to_table="Customer", link_no="CU1")
    assert matching(fixture_db, linked) == {"C1", "P11", "P12"}
    assert matching(fixture_db, section("Industry Group", code="RETAIL")) == {"C2", "P21"}


def test_sections_are_and_ed(fixture_db: sessionmaker[Session]) -> None:
    both = [section("Mailing Group", code="NEWS"), section("Business Relation", code="CUST")]
    assert matching(fixture_db, *both) == {"P11"}
    with_contact = [*both, section("Contact", type="Company")]
    assert matching(fixture_db, *with_contact) == set()


def test_profile_fields_must_hold_on_the_same_answer(fixture_db: sessionmaker[Session]) -> None:
    make_profile(fixture_db, "SIZE", {"C1": [10000], "C2": [20000], "P3": [10000, 30000]})
    assert matching(fixture_db, section("Profile", code="SIZE")) == {"C1", "C2", "P3"}
    one_answer = section("Profile", **{"Profile Questionnaire Code": "SIZE", "Line No.": "10000"})
    assert matching(fixture_db, one_answer) == {"C1", "P3"}
    assert matching(fixture_db, section("Profile", line_no="20000..30000")) == {"C2", "P3"}
    make_profile(fixture_db, "OTHER", {"C1": [20000]})
    same_row = section("Profile", profile_questionnaire_code="SIZE", line_no="20000")
    assert matching(fixture_db, same_row) == {"C2"}  # C1 answered 20000 only for OTHER


def test_interaction_on_a_person_does_not_qualify_its_company(
    fixture_db: sessionmaker[Session],
) -> None:
    make_ile(fixture_db, "P11", interaction_template_code="T-CALL", campaign_no="CP1")
    make_ile(fixture_db, "C2", interaction_template_code="T-LET")
    assert matching(fixture_db, section("Interaction", campaign_no="CP1")) == {"P11"}
    assert matching(fixture_db, section("Interaction", interaction_template_code="T-*")) == {
        "P11",
        "C2",
    }


def test_interaction_entry_of_another_company_does_not_count(
    fixture_db: sessionmaker[Session],
) -> None:
    """An entry logged while P21 belonged to C1 does not count for P21 at C2."""
    make_ile(fixture_db, "P21", contact_company_no="C1", segment_no="SEG0009")
    make_ile(fixture_db, "P3", segment_no="SEG0009")  # standalone: NULL company on both sides
    assert matching(fixture_db, section("Interaction", segment_no="seg0009")) == {"P3"}


def test_canceled_and_postponed_entries_count_only_when_asked(
    fixture_db: sessionmaker[Session],
) -> None:
    """K9."""
    logged = make_logged_segment(fixture_db)
    make_ile(fixture_db, "P11", logged_segment_entry_no=logged, canceled=True)
    make_ile(fixture_db, "P3", logged_segment_entry_no=logged)
    make_ile(fixture_db, "P12", postponed=True, evaluation="Positive")
    by_logged = {"logged_segment_entry_no": str(logged)}
    assert matching(fixture_db, section("Interaction", **by_logged)) == {"P3"}
    assert matching(fixture_db, section("Interaction", **by_logged, include_canceled="Yes")) == {
        "P11",
        "P3",
    }
    assert matching(fixture_db, section("Interaction", **by_logged, canceled="Yes")) == {"P11"}
    assert matching(fixture_db, section("Interaction", evaluation="Positive")) == set()
    postponed = section("Interaction", evaluation="Positive", **{"Include Postponed": "yes"})
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
        parse_criteria([section("Industry Group", colour="RED")])
    by_name = SectionFilter("mailing_group", {"code": "NEWS"})  # type: ignore[arg-type]
    assert parse_criteria([by_name]).sections[0].section is CriteriaSection.MAILING_GROUP
    with pytest.raises(ValidationError, match="Unknown filter section 'Value Entry'"):
        parse_criteria([SectionFilter("Value Entry", {"item_no": "X"})])  # type: ignore[arg-type]


def test_expression_errors_name_field_expression_and_position() -> None:
    with pytest.raises(FilterExpressionError) as err:
        parse_criteria([section("Contact", type="Company|Robot")])
    assert (err.value.field, err.value.expression, err.value.position) == (
        "Contact.type",
        "Company|Robot",
        8,
    )
    with pytest.raises(FilterExpressionError, match="Profile.line_no"):
        parse_criteria([section("Profile", line_no="ten")])


def test_filter_options_are_read_and_grouped_by_section() -> None:
    filters = filters_from_options(
        ["Mailing Group.code=NEWS", "contact.type=Company", "contact.No.=C1|C2"]
    )
    assert filters == [
        SectionFilter(CriteriaSection.CONTACT, {"type": "Company", "no": "C1|C2"}),
        SectionFilter(CriteriaSection.MAILING_GROUP, {"mailing_group_code": "NEWS"}),
    ]
    assert filters_from_options(["interaction.date=>=2025-01-01"])[0].fields == {
        "date": ">=2025-01-01"
    }
    for bad in ["contact=C1", "Mailing Group.code", "contact.=C1"]:
        with pytest.raises(ValidationError, match="SECTION.FIELD=EXPRESSION"):
            filters_from_options([bad])
    with pytest.raises(ValidationError, match="given twice"):
        filters_from_options(["contact.no=C1", "Contact.No.=C2"])
