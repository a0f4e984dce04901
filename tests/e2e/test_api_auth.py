"""The API's accounts: every operation but /health needs a token, roles, sign-in, tokens."""

from __future__ import annotations

import re

from sqlalchemy import select

from rapport.db import models as m
from rapport.services import users
from tests.e2e.api_support import PASSWORD, Api, problem


def _operations(api: Api) -> list[tuple[str, str]]:
    spec = api.client.get("/api/v1/openapi.json").json()
    return [(method.upper(), path) for path, ops in spec["paths"].items() for method in ops]


def test_every_operation_but_health_and_sign_in_needs_a_token(api: Api) -> None:
    operations = _operations(api)
    assert len(operations) > 30
    for method, path in operations:
        if path in ("/health", "/api/v1/auth/sign-in"):
            continue
        url = re.sub(r"\{[a-z_]+\}", "1", path)
        response = api.client.request(method, url, json={})
        body = problem(response, 401, "AUTH")
        assert response.headers["www-authenticate"].startswith("Bearer"), (method, path)
        assert body["field"] == "Authorization"
    assert api.get("/health", role=None).status_code == 200


def test_an_unknown_token_is_refused(api: Api) -> None:
    response = api.client.get("/api/v1/contacts", headers={"Authorization": "Bearer rpt_nope"})
    assert problem(response, 401, "AUTH")["reason"] == "unknown token"


def test_sign_in_gives_a_token_for_the_account(api: Api) -> None:
    with api.rapport.use_case() as ctx:
        users.update_user(ctx, "VIE", users.AccountChanges(password=PASSWORD))
    signed = api.post("/auth/sign-in", role=None, json={"user_id": "vie", "password": PASSWORD})
    assert signed.status_code == 201, signed.text
    token = signed.json()["token"]
    assert token.startswith("rpt_") and signed.json()["token_info"]["user_id"] == "VIE"
    me = api.client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["user_id"] == "VIE" and me.json()["role"] == "viewer"
    assert "password_hash" not in me.json()


def test_sign_in_is_throttled_after_repeated_failures(api: Api) -> None:
    with api.rapport.use_case() as ctx:
        users.update_user(ctx, "VIE", users.AccountChanges(password=PASSWORD))
    for _ in range(users.MAX_FAILURES):
        wrong = api.post("/auth/sign-in", role=None, json={"user_id": "VIE", "password": "x"})
        assert problem(wrong, 401, "AUTH")["detail"] == "Unknown user or wrong password"
    refused = api.post("/auth/sign-in", role=None, json={"user_id": "VIE", "password": PASSWORD})
    problem(refused, 429, "THROTTLED")
    assert 0 < int(refused.headers["retry-after"]) <= users.LOCK_SECONDS + 1
    nobody = api.post("/auth/sign-in", role=None, json={"user_id": "NOBODY", "password": "x"})
    problem(nobody, 401, "AUTH")
    problem(api.post("/auth/sign-in", role=None, json={"user_id": "VIE"}), 422, "VALIDATION")


def test_roles_decide_what_an_account_may_do(api: Api) -> None:
    assert api.get("/segments", role="viewer").status_code == 200
    body = problem(api.post("/segments", role="viewer", json={"description": "x"}), 403,
                   "FORBIDDEN")
    assert "needs the role marketer" in body["detail"]
    problem(api.get("/users", role="marketer"), 403, "FORBIDDEN")
    listed = api.get("/users", role="admin")
    assert [u["user_id"] for u in listed.json()] == ["ADM", "MKT", "U1", "VIE"]


def test_admin_manages_accounts(api: Api) -> None:
    made = api.post("/users", role="admin", json={"user_id": "new", "role": "marketer"})
    assert made.status_code == 201 and made.json()["user_id"] == "NEW"
    problem(api.post("/users", role="admin", json={"user_id": "NEW"}), 409, "CONFLICT")
    bad = problem(api.post("/users", role="admin", json={"user_id": "B", "role": "boss"}), 422)
    assert bad["field"] == "role"
    problem(api.post("/users", role="admin", json={"user_id": "B", "password": "short"}), 422)
    changed = api.patch("/users/NEW", role="admin", json={"role": "viewer"})
    assert changed.json()["role"] == "viewer"
    problem(api.get("/users/NOBODY", role="admin"), 404, "NOT_FOUND")
    issued = api.post("/users/NEW/tokens", role="admin", json={"name": "shop", "days": 7})
    assert issued.status_code == 201
    new = {"Authorization": f"Bearer {issued.json()['token']}"}
    assert api.client.get("/api/v1/users/me", headers=new).json()["user_id"] == "NEW"


def test_own_tokens_are_listed_made_and_revoked(api: Api) -> None:
    made = api.post("/tokens", role="viewer", json={"name": "laptop", "days": None})
    assert made.status_code == 201 and made.json()["token_info"]["expires_at"] is None
    token, token_id = made.json()["token"], made.json()["token_info"]["id"]
    listed = api.get("/tokens", role="viewer").json()
    assert [t["name"] for t in listed] == ["laptop", "tests"]
    assert all(token not in str(t) for t in listed)
    problem(api.delete(f"/tokens/{token_id}", role="marketer"), 404)  # not the marketer's
    assert api.delete(f"/tokens/{token_id}", role="viewer").json()["revoked"] is True
    gone = api.client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert problem(gone, 401)["reason"] == "revoked"
    with api.rapport.use_case(readonly=True) as ctx:
        used = ctx.session.scalar(select(m.ApiToken.last_used_at).where(m.ApiToken.name ==
                                                                         "tests",
                                                                         m.ApiToken.user_id ==
                                                                         "VIE"))
    assert used is not None
