"""Whether this rapport can reach its database: the health check of every edge."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from rapport import __version__
from rapport.services.context import Ctx


@dataclass(frozen=True)
class Health:
    """The answer of a health check."""

    status: str
    version: str
    database: str


def check_health(ctx: Ctx) -> Health:
    """Reach the database with the cheapest query; an unreachable database raises."""
    ctx.session.execute(select(1)).scalar_one()
    return Health(status="ok", version=__version__, database=ctx.session.get_bind().dialect.name)
