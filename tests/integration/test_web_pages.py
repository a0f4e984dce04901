"""The web pages through the application (no browser), on SQLite and PostgreSQL: sign-in and
the session, CSRF, roles, and the segment workflow of a marketer."""

from __future__ import annotations

import re

from rapport.wiring import Rapport
from tests.web_support import Browser, browser, links


def _count(html: str) -> int:
    found = re.search(r'data-testid="preview-count"><strong>(\d+)</strong>', html)
    assert found, html
    return int(found.group(1))


def _lines(b: Browser, no: str) -> list[str]:
    """The segment's lines as shown: line no. and contact no. of every row (all pages)."""
    shown, after = [], None
    while True:
        html = b.get(f"/segments/{no}" + (f"?after={after}" if after else "")).text
        shown += re.findall(r'<tr id="line-(\d+)"[^>]*>\s*<td class="num">\d+</td>\s*<td>'
                            r'(?:<a href="/contacts/([A-Z0-9]+)">)?', html)
        more = re.search(r'href="/segments/[A-Z0-9]+\?after=(\d+)"\s', html)
        if not more:
            return [f"{line}:{contact}" for line, contact in shown]
        after = more.group(1)


def test_the_front_door_sends_strangers_to_sign_in_and_members_home(demo: Rapport) -> None:
    b = browser(demo)
    assert b.get("/", follow_redirects=False).headers["location"] == "/sign-in"
    assert b.get("/segments", follow_redirects=False).headers["location"] == \
        "/sign-in?next=/segments"
    answer = b.sign_in("marketer")
    assert answer.status_code == 303 and answer.headers["location"] == "/home"
    cookie = answer.headers["set-cookie"]
    assert "rapport_session=" in cookie and "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert b.get("/", follow_redirects=False).headers["location"] == "/home"
    home = b.get("/home").text
    assert 'data-testid="current-user">Marketer<' in home
    assert 'data-testid="current-role">marketer<' in home


def test_a_wrong_password_is_refused_on_the_form(demo: Rapport) -> None:
    b = browser(demo)
    answer = b.sign_in("marketer", "wrong password")
    assert answer.status_code == 401
    assert "Unknown user or wrong password." in answer.text
    assert b.get("/home", follow_redirects=False).status_code == 303


def test_signing_out_revokes_the_session(demo: Rapport) -> None:
    b = browser(demo, "marketer")
    kept = dict(b.client.cookies)
    assert b.post("/sign-out").headers["location"] == "/sign-in"
    assert b.get("/home", follow_redirects=False).status_code == 303
    b.client.cookies.update(kept)  # the old cookie replayed: its token is revoked
    assert b.get("/home", follow_redirects=False).headers["location"] == "/sign-in?next=/home"


def test_a_post_without_the_csrf_token_is_refused(demo: Rapport) -> None:
    b = browser(demo, "marketer")
    before = b.get("/segments").text
    answer = b.post("/segments", {"description": "No token"}, csrf=False)
    assert answer.status_code == 403
    assert b.get("/segments").text.count("<tr>") == before.count("<tr>")
    forged = b.client.post("/segments", data={"description": "x", "csrftoken": "forged"},
                           follow_redirects=False)
    assert forged.status_code == 403


def test_a_viewer_sees_no_write_actions_and_is_refused_them(demo: Rapport) -> None:
    b = browser(demo, "viewer")
    segment = links(b.get("/segments").text, "/segments/")[0]
    page = b.get(f"/segments/{segment}").text
    for action in ("?action=add", "Go Back", "Save header", "Add line", "Delete segment",
                   "/log\"", "/edit\""):
        assert action not in page
    assert "New segment" not in b.get("/segments").text
    assert "New contact" not in b.get("/contacts").text
    refused = b.post("/segments", {"description": "Forged by a viewer"})
    assert refused.status_code == 403
    assert "needs the role marketer" in refused.text
    assert b.post(f"/segments/{segment}/delete").status_code == 403
    assert segment in b.get("/segments").text


def test_a_marketer_builds_refines_undoes_saves_reuses_and_logs_a_segment(
        demo: Rapport) -> None:
    b = browser(demo, "marketer")
    created = b.post("/segments", {"description": "Spring call",
                                   "interaction_template_code": "CALL"})
    no = created.headers["location"].rsplit("/", 1)[1]
    assert f"Segment {no} created." in b.get(f"/segments/{no}").text
    two_sections = {"action": "add", "picked": ["Contact|type", "Mailing Group|code"],
                    "expression": ["Person", "NEWS"]}
    preview = _count(b.post(f"/segments/{no}/preview", two_sections, htmx=True).text)
    one_section = _count(b.post(f"/segments/{no}/preview",
                                {"action": "add", "picked": ["Contact|type"],
                                 "expression": ["Person"]}, htmx=True).text)
    assert 0 < preview < one_section
    done = b.post(f"/segments/{no}/criteria", two_sections, follow=True).text
    assert f"Add Contacts: {preview} lines added." in done
    assert "Contact › Type = Person, Mailing Group › Mailing Group Code = NEWS" in done
    added = _lines(b, no)
    assert len(added) == preview
    refine = {"action": "refine", "picked": ["Contact|city"], "expression": ["<>''"]}
    kept = preview - _count(b.post(f"/segments/{no}/preview", refine, htmx=True).text)
    assert "lines removed" in b.post(f"/segments/{no}/criteria", refine, follow=True).text
    assert len(_lines(b, no)) == kept
    undone = b.post(f"/segments/{no}/go-back", follow=True).text
    assert "The last criteria step was undone; 1 steps left." in undone
    assert _lines(b, no) == added
    saved = b.post(f"/segments/{no}/save-criteria", {"code": "SPRING", "description": "x"},
                   follow=True).text
    assert "Criteria saved as SPRING (1 steps)." in saved
    other = b.post("/segments", {"description": "Reused", "interaction_template_code": "CALL"}
                   ).headers["location"].rsplit("/")[-1]
    assert "SPRING" in b.get(f"/segments/{other}/reuse-criteria").text
    reused = b.post(f"/segments/{other}/reuse-criteria", {"code": "SPRING"}, follow=True).text
    assert f"1 saved steps replayed: {preview} lines added, 0 removed." in reused
    assert [c.split(":")[1] for c in _lines(b, other)] == [c.split(":")[1] for c in added]
    logged = b.post(f"/segments/{no}/log", {"send": "no", "follow_up": "on"})
    assert logged.status_code == 303, logged.text
    target = logged.headers["location"]
    page = b.get(target).text
    assert f"Segment {no} logged: {preview} interactions." in page
    assert f'data-testid="logged-interactions">{preview}<' in page
    assert page.count("<tr><td class=\"num\">") == min(preview, 50)
    follow_up = re.search(r'id="follow-up">[^<]*<a href="/segments/([A-Z0-9]+)"', page)
    assert follow_up, page
    assert len(_lines(b, follow_up.group(1))) == preview
    assert b.get(f"/segments/{no}").status_code == 404


def test_a_bad_filter_shows_its_error_and_position_under_the_box(demo: Rapport) -> None:
    b = browser(demo, "marketer")
    no = links(b.get("/segments").text, "/segments/")[0]
    answer = b.post(f"/segments/{no}/preview", {"action": "add", "picked": ["Contact|no"],
                                                "expression": ["A..B..C"]}, htmx=True)
    assert "Filter 1: Filter on Contact.no" in answer.text
    assert "position 4" in answer.text and "A..B..C\n    ^</pre>" in answer.text
    run = b.post(f"/segments/{no}/criteria", {"action": "add", "picked": ["Contact|no"],
                                              "expression": ["A..B..C"]})
    assert run.status_code == 422
    assert 'id="expression-0-error"' in run.text


def test_logging_shows_every_problem_at_once_linked_to_its_line(demo: Rapport) -> None:
    b = browser(demo, "marketer")
    no = b.post("/segments", {"description": "No template"}).headers["location"].split("/")[-1]
    contacts = links(b.get("/contacts?type=Person").text, "/contacts/")[:2]
    for contact in contacts:
        b.post(f"/segments/{no}/lines", {"contact_no": contact})
    answer = b.post(f"/segments/{no}/log", {"send": "auto"})
    assert answer.status_code == 422
    problems = re.findall(r'<li><a href="/segments/[A-Z0-9]+\?after=\d+#line-(\d+)">', answer.text)
    assert len(problems) >= 2 and len(set(problems)) == 2
    assert b.get(f"/segments/{no}").status_code == 200


def test_the_header_asks_whether_the_lines_follow(demo: Rapport) -> None:
    b = browser(demo, "marketer")
    no = b.post("/segments", {"description": "Old"}).headers["location"].split("/")[-1]
    contact = links(b.get("/contacts?type=Person").text, "/contacts/")[0]
    b.post(f"/segments/{no}/lines", {"contact_no": contact})
    form = {"description": "New", "was_description": "Old"}
    assert "Update the segment lines?" in b.get(f"/segments/{no}").text
    b.post(f"/segments/{no}/header", {**form, "update_lines": "no"})
    page = b.get(f"/segments/{no}").text
    assert "Header saved (description)." in page
    assert re.search(r"<td>Old</td>", page)
    b.post(f"/segments/{no}/header", {"description": "Newer", "was_description": "New",
                                      "update_lines": "yes"})
    assert re.search(r"<td>Newer</td>", b.get(f"/segments/{no}").text)


def test_a_line_is_edited_in_place(demo: Rapport) -> None:
    b = browser(demo, "marketer")
    no = b.post("/segments", {"description": "Lines"}).headers["location"].split("/")[-1]
    contact = links(b.get("/contacts?type=Person").text, "/contacts/")[0]
    line = b.post(f"/segments/{no}/lines", {"contact_no": contact}).headers["location"]
    line_no = line.rsplit("-", 1)[1]
    form = b.get(f"/segments/{no}/lines/{line_no}/edit", headers={"HX-Request": "true"}).text
    assert f'hx-post="/segments/{no}/lines/{line_no}"' in form
    row = b.post(f"/segments/{no}/lines/{line_no}",
                 {"description": "Personal", "was_description": "Lines"}, htmx=True)
    assert row.status_code == 200 and "<td>Personal</td>" in row.text and "saved" in row.text


def test_a_contact_card_shows_history_and_a_bad_field_is_shown_next_to_it(
        demo: Rapport) -> None:
    b = browser(demo, "marketer")
    entry = b.get("/logged-segments/1").text
    contact = links(entry, "/contacts/")[0]
    card = b.get(f"/contacts/{contact}").text
    assert "Interaction history" in card and 'data-testid="history-row"' in card
    bad = b.post("/contacts", {"type": "Person", "name": "Ann Example",
                               "email": "not-an-address"})
    assert bad.status_code == 422
    assert re.search(r'id="f-email-error"[^>]*>[^<]*e-mail', bad.text, re.IGNORECASE), bad.text
    good = b.post("/contacts", {"type": "Person", "name": "Ann Example",
                                "email": "ann@example.com"})
    assert good.status_code == 303
    assert "Ann Example" in b.get(good.headers["location"]).text


def test_the_contact_search_finds_part_of_a_name_and_short_texts_their_start(
        demo: Rapport) -> None:
    b = browser(demo, "marketer")
    made = b.post("/contacts", {"type": "Company", "name": "Quizzical Quokka Ltd"})
    no = made.headers["location"].rsplit("/", 1)[1]
    found = b.get("/contacts?search=zzical quo").text
    assert f'href="/contacts/{no}"' in found and 'data-testid="prefix-search"' not in found
    assert 'data-testid="contact-total">1 contacts' in found
    short = b.get("/contacts?search=qu").text
    assert f'href="/contacts/{no}"' in short and 'data-testid="prefix-search"' in short
    assert f'href="/contacts/{no}"' not in b.get("/contacts?search=zz").text  # not a start


def test_logged_segments_are_canceled_and_restored(demo: Rapport) -> None:
    b = browser(demo, "marketer")
    entry = links(b.get("/logged-segments").text, "/logged-segments/")[0]
    page = b.post(f"/logged-segments/{entry}/cancel", follow=True).text
    assert f"Logged segment {entry} canceled" in page
    assert f'action="/logged-segments/{entry}/uncancel"' in page
    page = b.post(f"/logged-segments/{entry}/uncancel", follow=True).text
    assert f"Logged segment {entry} restored" in page


def test_the_home_page_shows_open_segments_logged_segments_and_counts(demo: Rapport) -> None:
    b = browser(demo, "marketer")
    b.post("/segments", {"description": "Mine"})
    home = b.get("/home").text
    assert "Mine" in home and "Last logged segments" in home
    assert re.search(r"<strong>\d+</strong> contacts", home)


def test_reuse_segment_mailing_group_and_export_from_the_segment_page(demo: Rapport) -> None:
    b = browser(demo, "marketer")
    no = b.post("/segments", {"description": "Tools"}).headers["location"].split("/")[-1]
    assert "Reuse Segment" in b.get(f"/segments/{no}/tools").text
    logged = b.get("/logged-segments/1").text
    figure = re.search(r'data-testid="logged-interactions">(\d+)<', logged)
    assert figure is not None
    shown = int(figure.group(1))
    done = b.post(f"/segments/{no}/reuse-logged", {"entry_no": "1"}, follow=True).text
    assert "Reuse Segment:" in done and "lines added from logged segment 1." in done
    assert len(_lines(b, no)) >= shown
    applied = b.post(f"/segments/{no}/apply-mailing-group", {"code": "news"}, follow=True).text
    assert "Mailing group NEWS applied:" in applied
    unknown = b.post(f"/segments/{no}/apply-mailing-group", {"code": "NOPE"})
    assert unknown.status_code in (404, 422) and 'id="tools-error"' in unknown.text
    csv = b.get(f"/segments/{no}/export?fmt=csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert f'segment-{no}.csv' in csv.headers["content-disposition"]
    assert len(csv.text.strip().splitlines()) == len(_lines(b, no)) + 1
    viewer = browser(demo, "viewer")
    assert "Apply Mailing Group" not in viewer.get(f"/segments/{no}/tools").text
    assert viewer.get(f"/segments/{no}/export?fmt=xlsx").status_code == 200
    assert viewer.post(f"/segments/{no}/apply-mailing-group", {"code": "NEWS"}).status_code \
        == 403


def test_a_contact_file_is_imported_with_every_bad_row_in_a_table_and_exported(
        demo: Rapport) -> None:
    b = browser(demo, "marketer")
    token = b.csrf
    bad = ("no,type,name,company_no,email\n"
           "WEBIMP1,Company,Web Import Ltd,,info@webimport.example\n"
           "WEBIMP2,Robot,Nobody,,\nWEBIMP3,Company,Bad Mail Ltd,,not-an-address\n")
    refused = b.client.post(f"/contacts/import?csrftoken={token}",
                            files={"upload": ("new.csv", bad.encode(), "text/csv")})
    assert refused.status_code == 422, refused.text
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td>(\w+)</td>', refused.text)
    assert ("2", "type") in rows and ("3", "email") in rows
    assert b.get("/contacts/WEBIMP1").status_code == 404  # all or nothing
    kept = b.client.post(f"/contacts/import?csrftoken={token}", data={"skip_invalid": "on"},
                         files={"upload": ("new.csv", bad.encode(), "text/csv")})
    assert kept.status_code == 200 and "1 contacts created" in kept.text
    assert "Web Import Ltd" in b.get("/contacts/WEBIMP1").text
    unsigned = b.client.post("/contacts/import",
                             files={"upload": ("new.csv", bad.encode(), "text/csv")})
    assert unsigned.status_code == 403
    exported = b.get("/contacts/export?fmt=csv&search=WEBIMP")
    assert exported.status_code == 200
    assert exported.text.splitlines()[1].startswith("WEBIMP1,")
    assert len(exported.text.strip().splitlines()) == 2
