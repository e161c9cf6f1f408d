"""Browser test harness: the real demo server, Debian's chromium through Playwright, axe-core.

The server is started exactly as `make demo` starts it (the `demo` command: migrate, seed,
demo logins, serve), on a free port, with its SQLite database in a temporary folder.
Chromium is Debian's (`make test` installs it when missing); no browser is downloaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.e2e.demo_server import running_demo_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
DEMO_PASSWORD = "ettervern-demo"
# WCAG 2.1 A and AA: the legal duty in Norway (forskrift om universell utforming av IKT).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("demo-var")
    with running_demo_server(var_dir) as base_url:
        output = (var_dir / "server.log").read_text()
        for username in ("koordinator", "behandler", "kommune", "nav", "fastlege", "pasient",
                         "parorende", "admin"):
            assert username in output, f"demo did not print the login {username!r}"
        yield base_url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, demo_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=demo_server, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):  # type: ignore[no-untyped-def]
    def check(page) -> None:  # type: ignore[no-untyped-def]
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, (
            f"axe found violations on {page.url}:\n{results.generate_report()}"
        )

    return check


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
