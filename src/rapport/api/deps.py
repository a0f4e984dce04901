"""Dependencies of the API's routes, as ``Annotated`` aliases (``SettingsDep``, ``CtxDep`` …).

A route declares what it needs by type: ``def route(ctx: CtxDep) -> …`` receives one use case's
context, committed when the route returns and rolled back when it raises; a route that only
reads takes ``ReadCtxDep``. Everything comes from
the wiring point the application was built with (``app.state.rapport``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from rapport.config import Settings
from rapport.services.context import Ctx
from rapport.wiring import Rapport


def get_rapport(request: Request) -> Rapport:
    """The wiring point of the running application."""
    rapport: Rapport = request.app.state.rapport
    return rapport


RapportDep = Annotated[Rapport, Depends(get_rapport)]


def get_settings(rapport: RapportDep) -> Settings:
    """The settings the application was built with."""
    return rapport.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_ctx(rapport: RapportDep) -> Iterator[Ctx]:
    """One use case's context: committed after the route, rolled back if it raises."""
    with rapport.use_case() as ctx:
        yield ctx


CtxDep = Annotated[Ctx, Depends(get_ctx)]


def get_read_ctx(rapport: RapportDep) -> Iterator[Ctx]:
    """A reading use case's context: never waits for a writer, refused any write."""
    with rapport.use_case(readonly=True) as ctx:
        yield ctx


ReadCtxDep = Annotated[Ctx, Depends(get_read_ctx)]
