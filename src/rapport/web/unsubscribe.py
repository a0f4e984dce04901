"""One-click unsubscribe (RFC 8058): the page behind every e-mail's List-Unsubscribe link.

GET shows a confirmation page and changes nothing (mail scanners follow links); POST — the
recipient's button, or the mail client's one-click ``List-Unsubscribe=One-Click`` request —
records the opt-out. The link's signature is the authority, so the POST needs no session.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from rapport.api.deps import RapportDep
from rapport.errors import RapportError
from rapport.services.delivery import OptOut, opt_out_state, unsubscribe

router = APIRouter(include_in_schema=False)
_pages = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                     autoescape=select_autoescape(["html"]))


def _page(name: str, status: int = 200, **values: object) -> HTMLResponse:
    body = _pages.get_template(f"unsubscribe/{name}.html").render(**values)
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


@router.get("/unsubscribe/{token}", response_class=HTMLResponse)
def confirm_page(token: str, request: Request, rapport: RapportDep) -> HTMLResponse:
    """The confirmation page: who is about to unsubscribe, and the button."""
    try:
        contact_no = rapport.unsubscribe_links().contact_of(token)
        with rapport.use_case(readonly=True) as ctx:
            state = opt_out_state(ctx, contact_no)
    except RapportError as exc:
        return _page("invalid", 404, message=exc.message)
    return _page("confirm", opt_out=state, action=str(request.url.path))


@router.post("/unsubscribe/{token}", response_class=HTMLResponse)
def one_click(token: str, rapport: RapportDep) -> HTMLResponse:
    """Record the opt-out (RFC 8058 one-click POST, or the confirmation page's button)."""
    try:
        contact_no = rapport.unsubscribe_links().contact_of(token)
        with rapport.use_case() as ctx:
            state: OptOut = unsubscribe(ctx, contact_no)
    except RapportError as exc:
        return _page("invalid", 404, message=exc.message)
    return _page("confirm", opt_out=state, action="")
