"""Filters as given → typed criteria, in one pass (SPEC A5, §3.4).

``parse_filters`` is the only place where a filter's section and field names are resolved
against the catalogue and its expression is parsed for the field's type. Every verb (Add,
Reduce, Refine, preview) and every replay of stored criteria (Reuse Criteria) goes through it.
It checks every filter before refusing, so one error names every bad filter: an unknown section,
an unknown field, a field given twice (under any of its names: ``no`` and ``No.`` are one
field), an expression that does not parse or fit its field (with the position). Relative dates
(``t``, ``-30D..t``) count from the work date the caller passes: a verb passes its own, so a
stored expression means the dates of the day it runs or is replayed on.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from rapport.domain.criteria import FilterText, SectionFilter
from rapport.domain.enums import CriteriaSection
from rapport.domain.filters import FilterNode, evaluate, parse_filter
from rapport.errors import MultipleErrors, ValidationError
from rapport.services.criteria._catalogue import CatalogueField, resolve_field, resolve_section


@dataclass(frozen=True)
class FieldFilter:
    """One parsed field filter: the catalogue field, the expression as given, its tree."""

    field: CatalogueField
    expression: str
    node: FilterNode


@dataclass(frozen=True)
class SectionCriteria:
    """The parsed filters of one section (all must hold on the same related row)."""

    section: CriteriaSection
    filters: tuple[FieldFilter, ...]

    def option(self, key: str) -> bool:
        """A Yes/No pseudo-field of the section (K9 options): true when its filter admits Yes."""
        return any(f.field.key == key and evaluate(f.node, True) for f in self.filters)

    def names(self, key: str) -> bool:
        return any(f.field.key == key for f in self.filters)


@dataclass(frozen=True)
class Criteria:
    """The parsed filters of a criteria action, one entry per section that has filters."""

    sections: tuple[SectionCriteria, ...]

    def section_filters(self) -> list[SectionFilter]:
        """The filters with canonical field names, in section order (as the criteria log keeps)."""
        return [
            SectionFilter(s.section, {f.field.key: f.expression for f in s.filters})
            for s in self.sections
        ]


#: What the verbs accept: filters as given, or criteria an internal caller parsed already.
Filters = Criteria | Iterable[FilterText]


def criteria_of(filters: Filters, work_date: datetime.date | None = None) -> Criteria:
    """The typed criteria of ``filters``, parsing them unless they are parsed already."""
    return filters if isinstance(filters, Criteria) else parse_filters(filters, work_date=work_date)


def parse_filters(
    texts: Iterable[FilterText], *, work_date: datetime.date | None = None
) -> Criteria:
    """Resolve and parse every filter once; refuse them all in one error if any is bad.

    ``work_date`` is what relative dates count from; without it they are refused.
    """
    parsed: dict[CriteriaSection, dict[str, FieldFilter]] = {}
    named: dict[tuple[CriteriaSection, str], FilterText] = {}
    problems: list[ValidationError] = []
    for text in texts:
        try:
            field = _field(text, named)
            node = parse_filter(text.expression, field.spec, work_date=work_date)
        except ValidationError as problem:  # collected, and raised below with the others
            problems.append(problem)
            continue
        parsed.setdefault(field.section, {})[field.key] = FieldFilter(field, text.expression, node)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise MultipleErrors(problems, summary=f"{len(problems)} filters refused")
    sections = (
        SectionCriteria(s, tuple(parsed[s].values())) for s in CriteriaSection if s in parsed
    )
    return Criteria(tuple(sections))


def _field(
    text: FilterText, named: dict[tuple[CriteriaSection, str], FilterText]
) -> CatalogueField:
    """The catalogue field a filter names; refused when an earlier filter named it already."""
    field = resolve_field(resolve_section(text.section, field=text.field), text.field)
    first = named.get((field.section, field.key))
    if first is not None:
        raise ValidationError(
            f"Filter {field.section.value}.{field.key} is given twice "
            f"(as {first.field!r} and {text.field!r}); combine the values with | or &",
            field=field.key,
            record=field.section.value,
            reason="duplicate filter",
        )
    named[field.section, field.key] = text
    return field
