"""Helpers of the web page tests: a demo database with one account per role, and a browser-like
client that signs in and sends the CSRF token the way the pages do."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from rapport.api.app import create_app
from rapport.services.demo import seed_demo
from rapport.services.users import AccountChanges, AccountInput, create_user, update_user
from rapport.wiring import Rapport
from tests.conftest import WORK_DATE

PASSWORD = "a-long-enough-password"
#: The demo's admin, and one account per other role.
ACCOUNTS = {"ADMIN": "admin", "MARKETER": "marketer", "VIEWER": "viewer"}


def seed_web_demo(rapport: Rapport) -> None:
    """The demo data set, and ADMIN, MARKETER and VIEWER signing in with PASSWORD."""
    with rapport.use_case(user_id="ADMIN", work_date=WORK_DATE) as ctx:
        seed_demo(ctx)
        update_user(ctx, "ADMIN", AccountChanges(password=PASSWORD))
        for user, role in ACCOUNTS.items():
            if user != "ADMIN":
                create_user(ctx, AccountInput(user_id=user, role=role, password=PASSWORD,
                                              full_name=user.title()))


class Browser:
    """A TestClient that keeps cookies and posts forms with the page's CSRF token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    @property
    def csrf(self) -> str:
        if "csrftoken" not in self.client.cookies:
            self.client.get("/sign-in")
        return str(self.client.cookies.get("csrftoken"))

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True,
             htmx: bool = False, follow: bool = False) -> Any:
        form = dict(data or {})
        if csrf:
            form["csrftoken"] = self.csrf
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.post(path, data=form, headers=headers, follow_redirects=follow)

    def sign_in(self, user: str, password: str = PASSWORD) -> Any:
        return self.post("/sign-in", {"user_id": user, "password": password})


def browser(rapport: Rapport, user: str | None = None) -> Browser:
    """A client of the application on ``rapport``, signed in as ``user`` when given."""
    app = create_app(rapport=rapport)
    found = Browser(TestClient(app))
    if user:
        assert found.sign_in(user).status_code == 303
    return found


def links(html: str, prefix: str) -> list[str]:
    """The keys of the links ``href="{prefix}KEY"`` of a page, in order."""
    return re.findall(rf'href="{re.escape(prefix)}([A-Z0-9][A-Z0-9-]*)"', html)


@contextmanager
def counted(rapport: Rapport) -> Iterator[list[str]]:
    """The SQL statements run while the block runs."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(rapport.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(rapport.engine, "before_cursor_execute", record)
