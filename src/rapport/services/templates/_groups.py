"""Interaction groups (SPEC §2.4); a group used by interactions cannot be deleted (K14)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import func, select

from rapport.db import models as m
from rapport.domain.codes import require_code
from rapport.errors import ConflictError, RuleViolationError
from rapport.services.context import Ctx
from rapport.services.inputs import Input
from rapport.services.records import get_or_raise


class GroupInput(Input):
    """A new interaction group."""

    record: ClassVar[str] = "Interaction Group"

    code: str
    description: str = ""


class GroupChanges(Input):
    """Changes to an interaction group: its description."""

    record: ClassVar[str] = "Interaction Group"

    description: str | None = None


def create_interaction_group(ctx: Ctx, data: GroupInput) -> m.InteractionGroup:
    """Create an interaction group."""
    key = require_code(data.code, field="code", max_length=10, record="Interaction Group")
    if ctx.session.get(m.InteractionGroup, key) is not None:
        raise ConflictError(f"Interaction group {key} already exists",
                            record=f"Interaction Group {key}", field="code", reason="duplicate")
    group = m.InteractionGroup(code=key, description=data.description.strip())
    ctx.session.add(group)
    ctx.session.flush()
    return group


def update_interaction_group(ctx: Ctx, code: str, changes: GroupChanges) -> m.InteractionGroup:
    """Change an interaction group's description."""
    group = _group(ctx, code)
    if "description" in changes.model_fields_set:
        group.description = (changes.description or "").strip()
    ctx.session.flush()
    return group


def delete_interaction_group(ctx: Ctx, code: str) -> None:
    """Delete a group no interaction, template or unlogged segment uses (K14)."""
    group = _group(ctx, code)
    record = f"Interaction group {group.code}"
    refuse_if_logged(ctx, m.InteractionLogEntry.interaction_group_code, group.code, record)
    refuse_if_used(ctx, record, [
        (m.InteractionTemplate.interaction_group_code, "interaction template(s)"),
        (m.SegmentHeader.interaction_group_code, "segment header(s)"),
        (m.SegmentLineData.interaction_group_code, "segment line(s)"),
    ], group.code)
    ctx.session.delete(group)
    ctx.session.flush()


def list_interaction_groups(ctx: Ctx) -> Sequence[m.InteractionGroup]:
    """Interaction groups by code."""
    return ctx.session.scalars(select(m.InteractionGroup).order_by(m.InteractionGroup.code)).all()


def _group(ctx: Ctx, code: str) -> m.InteractionGroup:
    key = require_code(code, field="interaction_group_code", max_length=10,
                       record="Interaction Group")
    return get_or_raise(ctx, m.InteractionGroup, key, what="Interaction group",
                        field="interaction_group_code")


def refuse_if_logged(ctx: Ctx, column: Any, code: str, record: str) -> None:
    """K14: a group or template that interactions were logged with cannot be deleted."""
    count = ctx.session.scalar(select(func.count()).where(column == code))
    if count:
        raise RuleViolationError(
            f"{record} cannot be deleted because {count} interaction log entr(ies) use it",
            code="K14", record=record, field="code", reason="used by interaction log entries")


def refuse_if_used(ctx: Ctx, record: str, uses: list[tuple[Any, str]], code: str) -> None:
    """Refuse deleting ``code`` while any of the (column, what) ``uses`` refers to it."""
    for column, what in uses:
        count = ctx.session.scalar(select(func.count()).where(column == code))
        if count:
            raise ConflictError(f"{record} cannot be deleted because {count} {what} use it",
                                record=record, field="code", reason=f"used by {what}")
