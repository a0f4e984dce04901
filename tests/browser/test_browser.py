"""A marketer and a viewer in a real browser (Chromium via Playwright) against a real server:
sign-in, contact history, the whole segment workflow with the live preview, Go Back, saved
criteria, logging with a follow-up, validation errors, roles, CSRF, accessibility and
screenshots at laptop and phone width."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LAPTOP, PHONE, ROOT, SHOTS, sign_in

AXE = ROOT / "src" / "rapport" / "web" / "static" / "vendor" / "axe.min.js"


def _count(page: Page) -> int:
    return int(page.get_by_test_id("preview-count").locator("strong").inner_text())


def _lines(page: Page) -> list[str]:
    """Line no. and contact no. of the rows shown in the lines table."""
    rows = page.locator("#lines tbody tr[id^=line-]")
    return [f"{r.get_attribute('id')}:{r.locator('td').nth(1).inner_text()}"
            for r in rows.all()]


def _new_segment(page: Page, description: str) -> str:
    page.goto("/segments/new")
    page.get_by_label("Description").fill(description)
    page.get_by_label("Interaction Template Code").fill("CALL")
    page.get_by_role("button", name="Create segment").click()
    expect(page.locator(".flash.ok")).to_contain_text("created")
    return page.url.rsplit("/", 1)[1]


def test_a_marketer_signs_in_and_reads_a_contacts_history(page: Page) -> None:
    sign_in(page, "MARKETER")
    expect(page.get_by_test_id("current-user")).to_have_text("Marketer")
    expect(page.get_by_test_id("current-role")).to_have_text("marketer")
    page.goto("/logged-segments/1")
    page.locator("#entries tbody a").first.click()
    expect(page.get_by_role("heading", name=re.compile("Interaction history"))).to_be_visible()
    assert page.get_by_test_id("history-row").count() >= 1


def test_a_marketer_builds_a_segment_and_logs_it_with_a_follow_up(page: Page) -> None:
    sign_in(page, "MARKETER")
    no = _new_segment(page, "Browser spring call")
    page.get_by_role("link", name="Add Contacts").click()
    page.locator("#picked-0").select_option(label="Contact › Type")
    page.locator("#expression-0").fill("Person")
    expect(page.get_by_test_id("preview-count")).to_be_visible()
    persons = _count(page)
    page.locator("#picked-1").select_option(label="Mailing Group › Mailing Group Code")
    page.locator("#expression-1").fill("NEWS")
    expect(page.get_by_test_id("preview-count").locator("strong")).not_to_have_text(str(persons))
    added = _count(page)
    assert 0 < added < persons
    page.get_by_role("button", name="OK").click()
    expect(page.locator(".flash.ok")).to_have_text(f"Add Contacts: {added} lines added.")
    expect(page.get_by_test_id("criteria-step")).to_contain_text(
        "Contact › Type = Person, Mailing Group › Mailing Group Code = NEWS")
    before = _lines(page)
    assert before

    page.get_by_role("link", name="Refine Contacts").click()
    page.locator("#picked-0").select_option(label="Contact › City")
    page.locator("#expression-0").fill("A*|B*|C*|D*|E*|F*|G*|H*|I*|J*|K*|L*|M*")
    expect(page.get_by_test_id("preview-count")).to_be_visible()
    page.get_by_role("button", name="OK").click()
    expect(page.locator(".flash.ok")).to_contain_text("Refine Contacts:")
    expect(page.get_by_test_id("criteria-step")).to_have_count(2)
    page.get_by_role("button", name="Go Back").click()
    expect(page.locator(".flash.ok")).to_contain_text("undone")
    assert _lines(page) == before

    page.get_by_text("Save Criteria", exact=True).first.click()
    page.get_by_label("Criteria code").fill("BROWSER")
    page.get_by_role("button", name="Save Criteria").click()
    expect(page.locator(".flash.ok")).to_have_text("Criteria saved as BROWSER (1 steps).")

    other = _new_segment(page, "Browser reuse")
    page.get_by_role("link", name="Reuse Criteria").click()
    page.get_by_label("Saved criteria").select_option("BROWSER")
    page.get_by_role("button", name="Reuse Criteria").click()
    expect(page.locator(".flash.ok")).to_contain_text(f"{added} lines added")
    assert [line.split(":")[1] for line in _lines(page)] == \
        [line.split(":")[1] for line in before]

    page.goto(f"/segments/{no}/log")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Create a follow-up segment").check()
    page.get_by_role("button", name="Log").click()
    expect(page.locator("#messages .flash.ok")).to_contain_text(f"Segment {no} logged: {added}")
    expect(page.get_by_test_id("logged-interactions")).to_have_text(str(added))
    assert page.locator("#entries tbody tr").count() == min(added, 50)
    page.locator("#follow-up a").click()
    expect(page.locator("h1")).to_contain_text("Segment")
    assert len(_lines(page)) == min(added, 50)
    assert other != no


def test_a_bad_filter_and_a_bad_field_show_their_errors_where_they_are(page: Page) -> None:
    sign_in(page, "MARKETER")
    no = _new_segment(page, "Browser errors")
    page.goto(f"/segments/{no}/criteria?action=add")
    page.locator("#picked-0").select_option(label="Contact › No.")
    page.locator("#expression-0").fill("A..B..C")
    error = page.get_by_test_id("preview-error")
    expect(error).to_contain_text("position 4")
    expect(page.locator("pre.caret")).to_have_text("A..B..C\n    ^")
    page.goto("/contacts/new")
    page.get_by_label("Type", exact=True).select_option("Person")
    page.get_by_label("Name", exact=True).fill("Browser Person")
    page.get_by_label("Email", exact=True).fill("not-an-address")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#f-email-error")).to_be_visible()
    expect(page.get_by_label("Email", exact=True)).to_have_attribute("aria-invalid", "true")


def test_a_viewer_sees_no_write_buttons_and_a_forged_post_is_refused(page: Page) -> None:
    sign_in(page, "VIEWER")
    page.goto("/segments")
    expect(page.get_by_role("link", name="New segment")).to_have_count(0)
    page.locator("table a").first.click()
    for name in ("Add Contacts", "Reduce Contacts", "Log"):
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Save header")).to_have_count(0)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    forged = page.request.post("/segments", form={"description": "forged",
                                                   "csrftoken": token},
                               max_redirects=0)
    assert forged.status == 403
    assert "needs the role marketer" in forged.text()


def test_a_post_without_the_csrf_token_is_refused(page: Page) -> None:
    sign_in(page, "MARKETER")
    refused = page.request.post("/segments", form={"description": "no token"},
                                max_redirects=0)
    assert refused.status == 403
    assert "CSRF" in refused.text()


PAGES = ["/home", "/contacts", "/contacts/{contact}", "/segments", "/segments/{segment}",
         "/segments/{segment}/criteria?action=add", "/segments/{segment}/log",
         "/logged-segments", "/logged-segments/1", "/contacts/new"]


def _name(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_the_main_pages_pass_axe_and_are_photographed(context: BrowserContext, width: str,
                                                      page: Page) -> None:
    page.set_viewport_size(LAPTOP if width == "laptop" else PHONE)
    page.goto("/sign-in")
    _photograph_and_check(page, "sign-in", width)
    sign_in(page, "MARKETER")
    page.goto("/logged-segments/1")
    contact = page.locator("#entries tbody a").first.inner_text()
    page.goto("/segments")
    segment = page.locator("table tbody a").first.inner_text()
    for path in PAGES:
        page.goto(path.format(contact=contact, segment=segment))
        _photograph_and_check(page, _name(path.format(contact="contact", segment="segment")),
                              width)


def _photograph_and_check(page: Page, name: str, width: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=False)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]
           if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{name} at {width} width: {bad}"
    assert Path(SHOTS / f"{name}-{width}.png").stat().st_size > 0
