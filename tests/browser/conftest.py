"""Browser tests: Playwright drives Debian's Chromium against a real uvicorn server on loopback,
serving a SQLite demo database seeded once per test session (accounts ADMIN, MARKETER, VIEWER).

Chromium comes from the Debian package ``chromium`` (``.ci/run`` installs it; Playwright's own
download cannot run here). Without it the tests are skipped, except under CI=true, where they
fail. Screenshots go to ``test-output/screenshots/`` (git-ignored)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from rapport.wiring import for_url
from tests.web_support import PASSWORD, seed_web_demo

CHROMIUM = os.environ.get("RAPPORT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
LAPTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a `rapport serve` process on a seeded demo database."""
    path = tmp_path_factory.mktemp("browser") / "demo.db"
    shutil.copyfile(sqlite_template, path)
    with for_url(f"sqlite:///{path}") as wired:
        seed_web_demo(wired)
    port = _free_port()
    env = {**os.environ, "RAPPORT_DATABASE_URL": f"sqlite:///{path}",
           "RAPPORT_SECRET_KEY": "browser-test-key", "RAPPORT_WORK_DATE": "2025-03-10"}
    cli = [sys.executable, "-c", "from rapport.cli.main import main; main()"]
    proc = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited early with {proc.returncode}")
        try:
            httpx.get(f"{base}/health", timeout=2.0)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                proc.terminate()
                raise AssertionError("the server did not answer within 30 s") from None
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM} and CI=true")
        pytest.skip(f"Chromium is missing at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(chromium: Browser, server: str) -> Iterator[BrowserContext]:
    ctx = chromium.new_context(base_url=server, viewport=LAPTOP)
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def sign_in(page: Page, user: str) -> None:
    """Sign in through the form and land on the home page."""
    page.goto("/")
    page.get_by_label("User ID").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home")
