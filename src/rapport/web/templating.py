"""Jinja2 templates (autoescaped, gettext installed) and the one render function of the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from rapport.errors import RapportError
from rapport.services.criteria import resolve_field, resolve_section
from rapport.services.segments import CriteriaStep
from rapport.web.i18n import TRANSLATIONS
from rapport.web.session import CSRF_COOKIE, pop_flashes, visitor_of

TEMPLATES = Path(__file__).parent / "templates"

env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
env.install_gettext_translations(TRANSLATIONS, newstyle=True)  # type: ignore[attr-defined]


def _shown(value: object) -> str:
    """A value as a page shows it: blank for None, ISO dates, amounts with two decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


env.filters["shown"] = _shown

_OPTION_CAPTIONS = {
    "allow_existing_contacts": "Allow Existing Contacts", "expand_contact": "Expand Companies",
    "allow_company_with_persons": "Allow Related Companies",
    "ignore_exclusion": "Ignore Exclusion", "entire_companies": "Entire Companies",
}


def _step_filters(step: CriteriaStep) -> list[str]:
    """A criteria step's filters, readably: ``Mailing Group › code = NEWS``."""
    return [f"{t.section} › {_caption(t.section, t.field)} = {t.expression}"
            for f in step.filters for t in f.texts()]


def _caption(section: str, name: str) -> str:
    """A catalogue field's caption ("Mailing Group Code"), else its name as stored."""
    try:
        return resolve_field(resolve_section(section), name).caption
    except RapportError:
        return name


def _step_options(step: CriteriaStep) -> list[str]:
    """The captions of the options a criteria step was run with."""
    return [TRANSLATIONS.gettext(caption) for key, caption in _OPTION_CAPTIONS.items()
            if getattr(step.options, key, False)]


env.filters["step_filters"] = _step_filters
env.filters["step_options"] = _step_options


def is_htmx(request: Request) -> bool:
    """Whether the request comes from htmx (and wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The template ``name`` rendered for the request's visitor, with the CSRF token and the
    messages waiting in the session."""
    context.setdefault("visitor", visitor_of(request))
    context.setdefault("flashes", pop_flashes(request))
    html = env.get_template(name).render(
        request=request, csrf_token=request.cookies.get(CSRF_COOKIE, ""), **context)
    return HTMLResponse(html, status_code=status_code)
