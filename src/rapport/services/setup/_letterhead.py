"""What letters say about the sender and how they greet (SPEC §3.12 B): the company
information (one row) and the salutation formulas (per salutation code, language and type).

A formula is text with the contact's name parts as placeholders — ``{first_name}``,
``{surname}``, ``{name}``, ``{job_title}``, ``{company_name}`` — filled per contact by the
merge (``services.documents``); a formula with any other placeholder is refused, named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import String, select

from rapport.db import models as m
from rapport.domain.codes import require_code
from rapport.errors import NotFoundError, ValidationError
from rapport.services.context import Ctx
from rapport.services.inputs import Input
from rapport.services.setup._codes import ensure_exists

COMPANY_TEXT_FIELDS = (
    "name", "name_2", "address", "address_2", "post_code", "city", "county",
    "vat_registration_no", "registration_no", "phone_no", "fax_no", "bank_branch_no",
    "bank_name", "bank_account_no", "giro_no")
SALUTATION_TYPES = ("Formal", "Informal")
PLACEHOLDERS = ("first_name", "surname", "name", "job_title", "company_name")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_COMPANY = "Company Information"


class CompanyInformationChanges(Input):
    """Changes to the company information; only the fields set are applied (None: blank)."""

    record: ClassVar[str] = _COMPANY

    name: str | None = None
    name_2: str | None = None
    address: str | None = None
    address_2: str | None = None
    post_code: str | None = None
    city: str | None = None
    county: str | None = None
    country_region_code: str | None = None
    vat_registration_no: str | None = None
    registration_no: str | None = None
    phone_no: str | None = None
    fax_no: str | None = None
    bank_branch_no: str | None = None
    bank_name: str | None = None
    bank_account_no: str | None = None
    giro_no: str | None = None


class SalutationFormulaInput(Input):
    """One formula: the salutation code, the language (blank: any language without its own),
    Formal or Informal, and the text."""

    record: ClassVar[str] = "Salutation Formula"

    salutation_code: str
    language_code: str = ""
    salutation_type: str
    salutation: str


def get_company_information(ctx: Ctx) -> m.CompanyInformation:
    """The company information (blank when it was never set)."""
    found = ctx.session.get(m.CompanyInformation, 1)
    if found is not None:
        return found
    return m.CompanyInformation(id=1, country_region_code=None,
                                **dict.fromkeys(COMPANY_TEXT_FIELDS, ""))


def update_company_information(ctx: Ctx, changes: CompanyInformationChanges
                               ) -> m.CompanyInformation:
    """Change company information fields (the row is made on its first change)."""
    given = changes.given()
    info = ctx.session.get(m.CompanyInformation, 1)
    if info is None:
        info = get_company_information(ctx)
        ctx.session.add(info)
    if "country_region_code" in given:
        info.country_region_code = ensure_exists(
            ctx, m.CountryRegion, given.pop("country_region_code"),
            field="country_region_code", record=_COMPANY)
    for name, value in given.items():
        setattr(info, name, _text(value, name, _COMPANY, _length(m.CompanyInformation, name)))
    ctx.session.flush()
    return info


def list_salutation_formulas(ctx: Ctx, salutation_code: str | None = None
                             ) -> Sequence[m.SalutationFormula]:
    """Salutation formulas by code, language and type (one salutation code's, when given)."""
    f = m.SalutationFormula
    stmt = select(f).order_by(f.salutation_code, f.language_code, f.salutation_type)
    if salutation_code is not None:
        code = _salutation(ctx, salutation_code, "Salutation Formula")
        stmt = stmt.where(f.salutation_code == code)
    return ctx.session.scalars(stmt).all()


def set_salutation_formula(ctx: Ctx, data: SalutationFormulaInput) -> m.SalutationFormula:
    """Create or replace the formula of a salutation code, language and type."""
    record = "Salutation Formula"
    code = _salutation(ctx, data.salutation_code, record)
    kind = _kind(data.salutation_type, record)
    language = ensure_exists(ctx, m.Language, data.language_code or None,
                             field="language_code", record=f"{record} {code}") or ""
    record = f"{record} {code} {language or '(blank)'} {kind}"
    text = _text(data.salutation, "salutation", record, _length(m.SalutationFormula,
                                                                "salutation"))
    unknown = [p for p in _PLACEHOLDER.findall(text) if p not in PLACEHOLDERS]
    if unknown:
        raise ValidationError(
            f"salutation of {record} uses unknown placeholder(s) "
            f"{', '.join('{' + p + '}' for p in unknown)}; known: "
            f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)}",
            record=record, field="salutation", reason="unknown placeholder")
    formula = ctx.session.get(m.SalutationFormula, (code, language, kind))
    if formula is None:
        formula = m.SalutationFormula(salutation_code=code, language_code=language,
                                      salutation_type=kind)
        ctx.session.add(formula)
    formula.salutation = text
    ctx.session.flush()
    return formula


def delete_salutation_formula(ctx: Ctx, salutation_code: str, salutation_type: str,
                              language_code: str = "") -> None:
    """Delete one formula."""
    code = require_code(salutation_code, field="salutation_code", record="Salutation Formula")
    kind = _kind(salutation_type, "Salutation Formula")
    language = (language_code or "").strip().upper()
    record = f"Salutation Formula {code} {language or '(blank)'} {kind}"
    formula = ctx.session.get(m.SalutationFormula, (code, language, kind))
    if formula is None:
        raise NotFoundError(f"{record} does not exist", record=record,
                            field="salutation_type", reason="does not exist")
    ctx.session.delete(formula)
    ctx.session.flush()


def _salutation(ctx: Ctx, value: str, record: str) -> str:
    code = require_code(value, field="salutation_code", record=record)
    ensure_exists(ctx, m.Salutation, code, field="salutation_code", record=record)
    return code


def _kind(value: str, record: str) -> str:
    for kind in SALUTATION_TYPES:
        if (value or "").strip().casefold() == kind.casefold():
            return kind
    raise ValidationError(f"salutation_type of {record} must be Formal or Informal, not "
                          f"{value!r}", record=record, field="salutation_type",
                          reason="not an option")


def _length(model: type[m.Base], name: str) -> int:
    column_type = model.__table__.c[name].type
    return column_type.length or 0 if isinstance(column_type, String) else 0


def _text(value: str | None, name: str, record: str, limit: int) -> str:
    text = (value or "").strip()
    if limit and len(text) > limit:
        raise ValidationError(f"{name} of {record} is longer than {limit} characters",
                              record=record, field=name, reason="too long")
    return text
