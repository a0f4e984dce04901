"""Every list page runs a fixed number of SQL statements whatever its page size (STYLE 7)."""

from __future__ import annotations

import pytest

from rapport.web import contacts, logged_segments, segments
from rapport.wiring import Rapport
from tests.web_support import browser, counted, links

LISTS = [
    (contacts, "PAGE_SIZE", "/contacts"),
    (contacts, "PAGE_SIZE", "/contacts?search=a&type=Person"),
    (contacts, "PAGE_SIZE", "/contacts?search=example"),
    (segments, "PAGE_SIZE", "/segments"),
    (segments, "LINE_PAGE", "/segments/{segment}"),
    (logged_segments, "PAGE_SIZE", "/logged-segments"),
    (contacts, "HISTORY_SIZE", "/contacts/{contact}"),
    (logged_segments, "ENTRY_PAGE", "/logged-segments/1"),
]


@pytest.mark.parametrize(("module", "setting", "path"), LISTS)
def test_a_list_page_runs_the_same_statements_for_any_page_size(
        demo: Rapport, monkeypatch: pytest.MonkeyPatch, module: object, setting: str,
        path: str) -> None:
    b = browser(demo, "marketer")
    segment = links(b.get("/segments").text, "/segments/")[0]
    contact = links(b.get("/logged-segments/1").text, "/contacts/")[0]
    target = path.format(segment=segment, contact=contact)
    statements = {}
    for size in (2, 40):
        monkeypatch.setattr(module, setting, size)
        b.get(target)  # warm: the session's token was touched, the schema checked
        with counted(demo) as seen:
            shown = b.get(target)
        assert shown.status_code == 200
        statements[size] = len(seen)
    assert statements[2] == statements[40]
    assert statements[2] <= 20, statements  # the contact card: 10 reads of its own
