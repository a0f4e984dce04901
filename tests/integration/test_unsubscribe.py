"""One-click unsubscribe (RFC 8058): GET confirms and changes nothing, POST records."""

from __future__ import annotations

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from rapport.api.app import create_app
from rapport.config import Settings
from rapport.db import models as m
from rapport.wiring import Rapport
from tests.builders import make_contact
from tests.builders_delivery import SF

SECRET = "0123456789abcdef0123456789abcdef-test"


def _client(rapport: Rapport) -> tuple[TestClient, Rapport]:
    wired = Rapport(Settings(database_url=rapport.engine.url.render_as_string(
        hide_password=False), public_base_url="https://crm.rapport.test",
        unsubscribe_secret=SecretStr(SECRET)))
    return TestClient(create_app(rapport=wired)), wired


def _opted_out(factory: SF) -> list[str]:
    with factory() as s:
        return list(s.scalars(select(m.EmailOptOut.contact_no)))


def test_get_confirms_and_post_unsubscribes(rapport: Rapport, factory: SF) -> None:
    with factory.begin() as s:
        make_contact(s, no="CT9", name="Ada <Lovelace>")
    client, wired = _client(rapport)
    url = wired.unsubscribe_links().url("CT9")
    path = url.removeprefix("https://crm.rapport.test")
    with client:
        page = client.get(path)
        assert page.status_code == 200
        assert "Stop sending e-mail to Ada &lt;Lovelace&gt;" in page.text
        assert _opted_out(factory) == []  # a link scanner's GET changes nothing
        done = client.post(path, content=b"List-Unsubscribe=One-Click",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert done.status_code == 200 and "You are unsubscribed" in done.text
        assert client.post(path).status_code == 200  # twice is harmless
    assert _opted_out(factory) == ["CT9"]
    wired.dispose()


def test_a_forged_or_damaged_link_is_refused(rapport: Rapport, factory: SF) -> None:
    with factory.begin() as s:
        make_contact(s, no="CT9")
        make_contact(s, no="CT10")
    client, wired = _client(rapport)
    token = wired.unsubscribe_links().token("CT9")
    name, _, signature = token.partition(".")
    other = wired.unsubscribe_links().token("CT10").partition(".")[0]
    with client:
        for bad in (f"{other}.{signature}", name, f"{name}.x", "%%%"):
            response = client.post(f"/unsubscribe/{bad}")
            assert response.status_code == 404 and "not valid" in response.text
    assert _opted_out(factory) == []
    wired.dispose()


def test_placeholder_secrets_are_refused() -> None:
    import pytest
    from pydantic import ValidationError

    for bad in ("changeme", "secret", "short"):
        with pytest.raises(ValidationError):
            Settings(unsubscribe_secret=SecretStr(bad))
    with pytest.raises(ValidationError):
        Settings(smtp_password=SecretStr("change-me"))
    with pytest.raises(ValidationError, match="https"):
        Settings(public_base_url="http://crm.example.com")
