"""Interaction groups and templates, and the code tables, over HTTP (admin writes)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict

from rapport.api.deps import AdminCtx, ReadCtx
from rapport.api.problems import COMMON, problems
from rapport.api.types import Money
from rapport.services import setup, templates
from rapport.services.setup import CodeChanges, CodeInput
from rapport.services.templates import GroupInput, TemplateChanges, TemplateInput

router = APIRouter(tags=["setup"])
Code = Annotated[str, Path(min_length=1, max_length=20, description="Code.")]


class GroupRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    description: str


class GroupCreate(GroupInput):
    """A new interaction group."""


class TemplateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    interaction_group_code: str
    description: str
    unit_cost: Money
    unit_duration: int
    information_flow: str
    initiated_by: str
    campaign_no: str | None
    campaign_target: bool
    campaign_response: bool
    correspondence_type_default: str
    ignore_contact_corres_type: bool
    language_code_default: str
    wizard_action: str
    word_template_code: str | None


class TemplateCreate(TemplateInput):
    """A new interaction template; ``create_language_row`` (Q04) for its default language."""

    create_language_row: bool = True


class TemplateUpdate(TemplateChanges):
    """Changes to a template (only the fields sent); ``create_language_row`` (Q04)."""

    create_language_row: bool = True


@router.get("/interaction-groups", response_model=list[GroupRead],
            responses=problems(*COMMON))
def list_interaction_groups(ctx: ReadCtx) -> list[GroupRead]:
    """Interaction groups by code."""
    return [GroupRead.model_validate(g) for g in templates.list_interaction_groups(ctx)]


@router.post("/interaction-groups", status_code=201, response_model=GroupRead,
             responses=problems(*COMMON, 409))
def create_interaction_group(body: GroupCreate, ctx: AdminCtx) -> GroupRead:
    """Create an interaction group (admin)."""
    return GroupRead.model_validate(templates.create_interaction_group(ctx, body))


@router.get("/interaction-templates", response_model=list[TemplateRead],
            responses=problems(*COMMON))
def list_interaction_templates(
    ctx: ReadCtx, group: Annotated[str | None, Query(max_length=20)] = None,
) -> list[TemplateRead]:
    """Interaction templates by code (optionally of one group)."""
    found = templates.list_interaction_templates(ctx, group=group)
    return [TemplateRead.model_validate(t) for t in found]


@router.get("/interaction-templates/{code}", response_model=TemplateRead,
            responses=problems(*COMMON, 404))
def read_interaction_template(code: Code, ctx: ReadCtx) -> TemplateRead:
    """One interaction template."""
    return TemplateRead.model_validate(templates.get_template(ctx, code))


@router.post("/interaction-templates", status_code=201, response_model=TemplateRead,
             responses=problems(*COMMON, 404, 409))
def create_interaction_template(body: TemplateCreate, ctx: AdminCtx) -> TemplateRead:
    """Create an interaction template (admin)."""
    data = TemplateInput(**body.model_dump(exclude={"create_language_row"}, exclude_unset=True))
    return TemplateRead.model_validate(templates.create_interaction_template(
        ctx, data, create_language_row=body.create_language_row))


@router.patch("/interaction-templates/{code}", response_model=TemplateRead,
              responses=problems(*COMMON, 404, 409))
def update_interaction_template(code: Code, body: TemplateUpdate,
                                ctx: AdminCtx) -> TemplateRead:
    """Change an interaction template (admin)."""
    changes = TemplateChanges(**body.model_dump(
        include=body.model_fields_set - {"create_language_row"}))
    return TemplateRead.model_validate(templates.update_interaction_template(
        ctx, code, changes, create_language_row=body.create_language_row))


CodeTable = Annotated[Literal[
    "territory", "language", "country-region", "salutation", "mailing-group", "industry-group",
    "business-relation", "job-responsibility", "campaign-status", "profile-questionnaire"],
    Path(description="Which code table.")]


class CodeRead(BaseModel):
    code: str
    description: str


class CodeCreate(CodeInput):
    """A new code (``description``: the name where the table has names)."""


class CodeUpdate(CodeChanges):
    """A code's new description (or name)."""


def _code(row: tuple[str, str]) -> CodeRead:
    return CodeRead(code=row[0], description=row[1])


@router.get("/code-tables/{table}", response_model=list[CodeRead], responses=problems(*COMMON))
def list_codes(table: CodeTable, ctx: ReadCtx) -> list[CodeRead]:
    """Every code of a classification table, by code."""
    return [_code(row) for row in setup.list_codes(ctx, table)]


@router.post("/code-tables/{table}", status_code=201, response_model=CodeRead,
             responses=problems(*COMMON, 409))
def create_code(table: CodeTable, body: CodeCreate, ctx: AdminCtx) -> CodeRead:
    """Create a code (admin)."""
    setup.create_code(ctx, table, body)
    return next(_code(r) for r in setup.list_codes(ctx, table)
                if r[0] == body.code.strip().upper())


@router.delete("/code-tables/{table}/{code}", status_code=204,
               responses=problems(*COMMON, 404, 409))
def delete_code(table: CodeTable, code: Code, ctx: AdminCtx) -> Response:
    """Delete a code nothing refers to (admin); what uses it is named otherwise."""
    setup.delete_code(ctx, table, code)
    return Response(status_code=204)


@router.patch("/code-tables/{table}/{code}", response_model=CodeRead,
              responses=problems(*COMMON, 404))
def update_code(table: CodeTable, code: Code, body: CodeUpdate, ctx: AdminCtx) -> CodeRead:
    """Change a code's description (admin)."""
    setup.update_code(ctx, table, code, body)
    key = code.strip().upper()
    return next(_code(r) for r in setup.list_codes(ctx, table) if r[0] == key)
