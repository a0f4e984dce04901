"""Every list endpoint issues a fixed number of SQL statements, whatever the page size (no N+1):
the statements of a one-item page and of a page with every item are counted and compared."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from tests.builders_delivery import worker
from tests.builders_logging import bulk_segment
from tests.e2e.api_support import NEWS, Api
from tests.smtp_server import SmtpServer

EVERYONE = [{"section": "Contact", "field": "no", "expression": "C*|P*|X*"}]


@contextmanager
def counted(api: Api) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(api.rapport.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(api.rapport.engine, "before_cursor_execute", count)


def _statements(api: Api, path: str, params: dict[str, Any]) -> tuple[int, int]:
    """(items, statements) of one page (as the admin, who may read every list)."""
    with counted(api) as statements:
        response = api.get(path, role="admin", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    return len(items), len(statements)


def _data(api: Api) -> dict[str, Any]:
    """Segments with lines, two logged segments with entries and a comment."""
    made: dict[str, Any] = {}
    campaign = api.post("/campaigns", json={"description": "Counted"}).json()["no"]
    for n in range(2):
        no = api.post("/segments", json={"description": f"Logged {n}", "campaign_no": campaign,
                                         "interaction_template_code": "T-CALL"}).json()["no"]
        api.post(f"/segments/{no}/add-contacts", json={"filters": NEWS})
        made["entry"] = api.post(f"/segments/{no}/log", json={"send": False}).json()
    for n in range(3):
        made["segment"] = api.post("/segments", json={"description": f"Open {n}"}).json()["no"]
    api.post(f"/segments/{made['segment']}/add-contacts", json={"filters": EVERYONE})
    api.post(f"/segments/{made['segment']}/reduce-contacts", json={"filters": NEWS})
    entries = api.get("/interaction-log-entries").json()["items"]
    made["entry_no"] = entries[0]["entry_no"]
    for text in ("one", "two", "three"):
        api.post(f"/interaction-log-entries/{made['entry_no']}/comments", json={"comment": text})
    api.post("/tokens", role="admin", json={"name": "extra"})
    return made


def test_list_endpoints_cost_the_same_for_any_page_size(api: Api) -> None:
    made = _data(api)
    segment, entry_no = made["segment"], made["entry_no"]
    lists: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("/contacts", {"limit": 1}, {"limit": 500}),
        ("/segments", {"limit": 1}, {"limit": 500}),
        (f"/segments/{segment}/lines", {"limit": 1}, {"limit": 500}),
        ("/logged-segments", {"limit": 1}, {"limit": 500}),
        ("/interaction-log-entries", {"limit": 1}, {"limit": 500}),
        ("/interaction-log-entries", {"limit": 1, "after": 999999},
         {"limit": 500, "after": 999999}),
        ("/campaign-entries", {"limit": 1}, {"limit": 500}),
    ]
    api.get("/contacts", role="admin")  # the connection's set-up statements are not the list's
    for path, small, large in lists:
        few, small_count = _statements(api, path, small)
        many, large_count = _statements(api, path, large)
        assert few == 1 and many >= 2, (path, few, many)
        assert small_count == large_count, (path, small_count, large_count)
    # Lists without paging: one more item each, and the same statements.
    unpaged = ("/users", "/tokens", f"/segments/{segment}/criteria",
               f"/interaction-log-entries/{entry_no}/comments", "/salespeople", "/campaigns",
               "/interaction-groups", "/interaction-templates", "/saved-criteria",
               "/interactions/postponed", "/contacts/P3/classifications/mailing-group",
               "/code-tables/mailing-group", "/interaction-drafts",
               "/contacts/P3/alt-addresses", "/contacts/P3/alt-addresses/HOME/date-ranges")
    api.post(f"/segments/{segment}/save-criteria", json={"code": "FIRST"})
    api.post("/contacts/P3/alt-addresses", json={"code": "HOME"})
    api.post("/contacts/P3/alt-addresses/HOME/date-ranges", json={"starting_date": "2025-01-01"})
    api.post("/interactions", json={"from_contact": "P3", "postpone": True})
    api.post("/contacts/P3/classifications/mailing-group", json={"code": "NEWS"})
    api.post("/interaction-drafts", role="admin", json={"from_contact": "P3"})
    before = [_statements(api, path, {}) for path in unpaged]
    api.post("/users", role="admin", json={"user_id": "MORE"})
    api.post("/tokens", role="admin", json={"name": "more"})
    api.post(f"/segments/{segment}/refine-contacts", json={"filters": EVERYONE})
    api.post(f"/interaction-log-entries/{entry_no}/comments", json={"comment": "more"})
    api.post("/salespeople", role="admin", json={"code": "MORE"})
    api.post("/campaigns", json={"description": "More"})
    api.post("/interaction-groups", role="admin", json={"code": "MORE"})
    api.post("/interaction-templates", role="admin",
             json={"code": "MORE", "interaction_group_code": "MORE",
                   "correspondence_type_default": ""})
    api.post(f"/segments/{segment}/save-criteria", json={"code": "MORE"})
    api.post("/interactions", json={"from_contact": "P11", "postpone": True})
    api.post("/code-tables/mailing-group", role="admin", json={"code": "MORE"})
    api.post("/contacts/P3/classifications/mailing-group", json={"code": "MORE"})
    api.post("/interaction-drafts", role="admin", json={"from_salesperson": "SP1"})
    api.post("/contacts/P3/alt-addresses", json={"code": "MORE"})
    api.post("/contacts/P3/alt-addresses/HOME/date-ranges", json={"starting_date": "2025-07-01"})
    after = [_statements(api, path, {}) for path in unpaged]
    for path, (items, statements), (more, now) in zip(unpaged, before, after, strict=True):
        assert more == items + 1 and now == statements, (path, items, more, statements, now)


def test_the_messages_of_an_entry_cost_the_same_however_many(api: Api) -> None:
    with api.rapport.factory.begin() as session:
        bulk_segment(session, "SEG0001", 2)
    ls = api.post("/segments/SEG0001/log", json={"send": True}).json()["logged_segment_entry_no"]
    entry = api.get("/interaction-log-entries", params={"limit": 1}).json()["items"][0]
    path = f"/interaction-log-entries/{entry['entry_no']}/messages"
    api.get("/contacts", role="admin")  # the connection's set-up statements are not the list's
    counts = []
    for _ in range(2):
        with SmtpServer() as server:
            worker(api.rapport, server.port).run()
        counts.append(_statements(api, path, {}))
        api.post(f"/logged-segments/{ls}/resend", json={"entry_nos": [entry["entry_no"]]})
    (one, first), (two, second) = counts
    assert (one, two) == (1, 2) and first == second, counts
