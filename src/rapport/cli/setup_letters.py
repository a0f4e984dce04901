"""``rapport setup company show|set`` and ``rapport setup salutations list|set|delete``: what
letters say about the sender (company information) and how they greet (salutation formulas).

The setup area's third module (see ``cli/registry.py``): it adds its two groups to ``setup``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from rapport.cli.common import console, use_case
from rapport.cli.options import CODE
from rapport.cli.setup import app
from rapport.services import setup

company_app = typer.Typer(help="Company information: the sender of letters (merge fields "
                          "Company_Information_…).", no_args_is_help=True)
salutations_app = typer.Typer(help="Salutation formulas: Formal and Informal greetings per "
                              "salutation code and language.", no_args_is_help=True)
app.add_typer(company_app, name="company")
app.add_typer(salutations_app, name="salutations")

_COMPANY_FIELDS = (*setup.COMPANY_TEXT_FIELDS, "country_region_code")
SalutationCode = Annotated[str, typer.Argument(metavar="SALUTATION", help="Salutation code.")]
SalutationType = Annotated[str, typer.Argument(metavar="TYPE", help="Formal or Informal.")]
LanguageOpt = Annotated[str, typer.Option(
    "--language", "-l", metavar=CODE,
    help="Language code (default: blank, for every language without its own formula).")]


@company_app.command("show")
def company_show() -> None:
    """Show the company information."""
    with use_case(readonly=True) as ctx:
        info = setup.get_company_information(ctx)
        values = [(name, getattr(info, name) or "") for name in _COMPANY_FIELDS]
    table = Table("Field", "Value")
    for name, value in values:
        table.add_row(name, value)
    console.print(table)


@company_app.command("set")
def company_set(
    assignments: Annotated[list[str], typer.Argument(
        metavar="FIELD=VALUE", help="FIELD=VALUE pairs, e.g. name=\"Nordlys AS\" city=Oslo "
             "country_region_code=NO (empty value = blank). Fields: "
             + ", ".join(_COMPANY_FIELDS) + ".")],
) -> None:
    """Change company information fields."""
    changes: dict[str, str] = {}
    for item in assignments:
        field, sep, text = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r} is not FIELD=VALUE")
        changes[field.strip().lower().replace("-", "_")] = text
    data = setup.CompanyInformationChanges.model_validate(changes)
    with use_case() as ctx:
        setup.update_company_information(ctx, data)
    console.print(f"Company information updated: {', '.join(changes)}", highlight=False)


@salutations_app.command("list")
def salutations_list(
    code: Annotated[str | None, typer.Argument(
        metavar="SALUTATION", help="Only this salutation code's formulas.")] = None,
) -> None:
    """List salutation formulas by salutation code, language and type."""
    with use_case(readonly=True) as ctx:
        rows = [(f.salutation_code, f.language_code, f.salutation_type, f.salutation)
                for f in setup.list_salutation_formulas(ctx, code)]
    table = Table("Salutation", "Language", "Type", "Formula")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(f"{len(rows)} formula(s); placeholders: "
                  + ", ".join("{" + p + "}" for p in setup.PLACEHOLDERS), highlight=False)


@salutations_app.command("set")
def salutations_set(
    code: SalutationCode, kind: SalutationType,
    formula: Annotated[str, typer.Argument(
        metavar="FORMULA", help="The greeting, e.g. \"Dear {first_name} {surname}\".")],
    language: LanguageOpt = "",
) -> None:
    """Create or replace a salutation formula."""
    data = setup.SalutationFormulaInput(salutation_code=code, salutation_type=kind,
                                        language_code=language, salutation=formula)
    with use_case() as ctx:
        row = setup.set_salutation_formula(ctx, data)
        shown = (row.salutation_code, row.language_code or "(blank)", row.salutation_type)
    console.print("Salutation formula {} {} {} set".format(*shown), highlight=False)


@salutations_app.command("delete")
def salutations_delete(code: SalutationCode, kind: SalutationType,
                       language: LanguageOpt = "") -> None:
    """Delete a salutation formula."""
    with use_case() as ctx:
        setup.delete_salutation_formula(ctx, code, kind, language)
    console.print(f"Salutation formula {code.upper()} {language.upper() or '(blank)'} "
                  f"{kind.capitalize()} deleted", highlight=False)
