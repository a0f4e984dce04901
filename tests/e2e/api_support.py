"""What the API tests share: an application on the ``rapport`` fixture's database (both
engines) with the SPEC §5.1 data and one account per role, and a client that signs requests.

``api.get(path, role="viewer")`` sends the role's Bearer token; ``role=None`` sends none.
Paths are relative to ``/api/v1``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from rapport.api.app import create_app
from rapport.services import users
from rapport.services.users import AccountInput
from rapport.wiring import Rapport
from tests.builders import spec_fixture

PREFIX = "/api/v1"
ROLES = {"admin": "ADM", "marketer": "MKT", "viewer": "VIE"}
PASSWORD = "a long test password"


@dataclass
class Api:
    client: TestClient
    rapport: Rapport
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
        found = {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}
        return {**found, **(extra or {})}

    def call(self, method: str, path: str, role: str | None = "marketer",
             headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        url = path if path.startswith("/health") else PREFIX + path
        return self.client.request(method, url, headers=self.headers(role, headers), **kw)

    def get(self, path: str, role: str | None = "marketer", **kw: Any) -> httpx.Response:
        return self.call("GET", path, role, **kw)

    def post(self, path: str, role: str | None = "marketer", **kw: Any) -> httpx.Response:
        return self.call("POST", path, role, **kw)

    def patch(self, path: str, role: str | None = "marketer", **kw: Any) -> httpx.Response:
        return self.call("PATCH", path, role, **kw)

    def delete(self, path: str, role: str | None = "marketer", **kw: Any) -> httpx.Response:
        return self.call("DELETE", path, role, **kw)


def make_accounts(rapport: Rapport, *, password_for: str | None = None) -> dict[str, str]:
    """One account per role (tokens only, no slow password hash unless asked), their tokens."""
    tokens = {}
    with rapport.use_case() as ctx:
        for role, user in ROLES.items():
            users.create_user(ctx, AccountInput(
                user_id=user, role=role, password=PASSWORD if user == password_for else None))
            tokens[role] = users.issue_token(ctx, user, name="tests").token
    return tokens


@pytest.fixture
def api(rapport: Rapport) -> Iterator[Api]:
    """The API on the §5.1 fixture with an admin, a marketer and a viewer."""
    with rapport.factory.begin() as session:
        spec_fixture(session)
    tokens = make_accounts(rapport)
    with TestClient(create_app(rapport=rapport), raise_server_exceptions=False) as client:
        yield Api(client, rapport, tokens)


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The problem+json body of an error answer, after checking its status and code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    if code is not None:
        assert body["code"] == code, body
    return body


NEWS = [{"section": "Mailing Group", "field": "code", "expression": "NEWS"}]
