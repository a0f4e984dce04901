"""What a criteria action is made of, as plain values: its options and its filters.

These are the words the criteria engine (``services/criteria``), the criteria log of a segment
(``services/segments``) and every edge share. A filter arrives as a ``FilterText`` — section,
field and expression exactly as typed — and is resolved against the field catalogue once, by
``services.criteria.parse_filters``; the edges never resolve names themselves. A
``SectionFilter`` is the stored form of a parsed action's filters: canonical field keys per
section, as the criteria log keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapport.domain.enums import CriteriaSection
from rapport.errors import MultipleErrors, ValidationError


@dataclass(frozen=True)
class ActionOptions:
    """The options of a criteria action, stored on its Action row (SPEC §2.12)."""

    allow_existing_contacts: bool = False
    expand_contact: bool = False
    allow_company_with_persons: bool = False
    ignore_exclusion: bool = False
    entire_companies: bool = False


@dataclass(frozen=True)
class FilterText:
    """One filter as given, not yet checked: section name, field name, expression (A5)."""

    section: str
    field: str
    expression: str

    @classmethod
    def from_option(cls, option: str) -> FilterText:
        """Split ``SECTION.FIELD=EXPRESSION`` (the CLI's ``--filter``) without resolving names."""
        target, equals, expression = option.partition("=")
        section, dot, name = target.partition(".")
        if not equals or not dot or not section.strip() or not name.strip():
            raise ValidationError(
                f"Filter {option!r} must look like SECTION.FIELD=EXPRESSION "
                '(e.g. "Mailing Group.code=NEWS")',
                field="filter",
                record=option,
                reason="malformed filter option",
            )
        return cls(section.strip(), name.strip(), expression.strip())


def filter_texts(options: Iterable[str]) -> list[FilterText]:
    """Split every ``SECTION.FIELD=EXPRESSION`` option; one error names every malformed one."""
    texts: list[FilterText] = []
    problems: list[ValidationError] = []
    for option in options:
        try:
            texts.append(FilterText.from_option(option))
        except ValidationError as problem:
            problems.append(problem)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise MultipleErrors(problems, summary=f"{len(problems)} malformed filters")
    return texts


@dataclass(frozen=True)
class SectionFilter:
    """The filters of one section of a criteria action: field name → filter expression (A5)."""

    section: CriteriaSection
    fields: Mapping[str, str] = field(default_factory=dict)

    def texts(self) -> list[FilterText]:
        """The filters as texts again, to replay a stored action through the one parser."""
        return [FilterText(self.section.value, key, text) for key, text in self.fields.items()]
