"""The home page after sign-in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from rapport.services import overview
from rapport.web.session import SignedIn
from rapport.web.templating import render

router = APIRouter()


@router.get("/home", include_in_schema=False)
def home_page(request: Request, visitor: SignedIn) -> HTMLResponse:
    """The user's open segments, the last logged segments and the counts."""
    with visitor.reading() as ctx:
        home = overview.home(ctx)
    return render(request, "home.html", home=home)
