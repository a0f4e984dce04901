"""``rapport filter-fields [SECTION]``: what a ``--filter SECTION.FIELD=EXPRESSION`` can name.

The root registers this command (and ``segments`` once more, as ``segments filter-fields``), so
every ``rapport`` process imports this module: the criteria catalogue, which reads the database
models, and the table are imported inside the command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rapport.cli.common import console

if TYPE_CHECKING:
    from rapport.domain.filters import FieldSpec

#: An expression that fits each type of field (`FieldType` values).
EXAMPLES = {"code": "ABC|DEF", "text": "@*oslo*", "date": "-30D..t", "decimal": "100..500",
            "integer": ">=1000", "boolean": "Yes"}
TYPE_NAMES = {"code": "Code", "text": "Text", "date": "Date", "decimal": "Decimal number",
              "integer": "Whole number", "boolean": "Yes/No", "option": "Option"}
SYNTAX = ("A|B either · A&B both · A..B range · <>A <A <=A >A >=A · * and ? wildcards · "
          "@A ignore case · '' empty · dates: YYYY-MM-DD, t (the work date), -30D..t, -CM..CM "
          "(this month) — see the README, section Filters.")


def register(app: typer.Typer) -> None:
    """Attach ``filter-fields`` to ``app``."""
    app.command("filter-fields")(filter_fields)


def filter_fields(
    section: Annotated[str | None, typer.Argument(
        help="Only this section, e.g. 'Mailing Group' (default: every section).")] = None,
) -> None:
    """List the sections and fields a --filter can name, with their types and an example."""
    from rich.table import Table

    from rapport.domain.enums import CriteriaSection
    from rapport.services.criteria import resolve_section, section_fields

    sections = [resolve_section(section)] if section else list(CriteriaSection)
    table = Table("Section", "Field", "Caption", "Type", "Example --filter")
    for sec in sections:
        for field in section_fields(sec):
            table.add_row(sec.value, field.key, field.caption, type_text(field.spec),
                          f"{sec.value}.{field.key}={example(field.spec)}")
    console.print(table, markup=False)
    console.print(SYNTAX, highlight=False, markup=False)


def type_text(spec: FieldSpec) -> str:
    """The field's type in words; an option field with its captions ('' is blank)."""
    name = TYPE_NAMES[spec.type.value]
    if not spec.options:
        return name
    return f"{name}: " + ", ".join(option or "'' (blank)" for option in spec.options)


def example(spec: FieldSpec) -> str:
    """A filter expression that fits the field: for an option field, its first caption."""
    if spec.options:
        return next(option for option in spec.options if option)
    return EXAMPLES[spec.type.value]
