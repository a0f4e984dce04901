"""The marketing setup as a list of fields, for the edges that show it."""

from __future__ import annotations

from typing import Any

from rapport.db import models as m
from rapport.services.context import Ctx
from rapport.services.setup._marketing import get_marketing_setup


def marketing_setup_fields(ctx: Ctx) -> list[tuple[str, Any]]:
    """Every field of the marketing setup with its value, in the table's order."""
    row = get_marketing_setup(ctx)
    columns = m.table(m.MarketingSetup).columns
    return [(c.key, getattr(row, c.key)) for c in columns if c.key != "id"]
