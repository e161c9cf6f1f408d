"""Browser test harness: the real demo server, Debian's chromium through Playwright, axe-core.

The server is started exactly as `make demo` starts it (the `demo` command: migrate, seed,
demo logins, serve), on a free port, with its SQLite database in a temporary folder, once per
session. Chromium is Debian's (`make test` installs it when missing); no browser is downloaded.

Data isolation (see README.md beside this file): a test never uses the seeded population and
never what another test left behind. It asks the `scenario` fixture for pathways of its own,
made on the spot in the server's database by `ettervern demo_scenario`, and goes straight to
them. Tests wait for conditions (Playwright's auto-waiting and `expect`), never for time.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.e2e.demo_server import DemoServer, running_demo_server

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
# How long a condition may take to hold. Generous, because a loaded machine is slow (a
# sign-in hashes the password); a test that passes never waits this long.
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    var_dir = tmp_path_factory.mktemp("demo-var")
    with running_demo_server(var_dir) as server:
        output = (var_dir / "server.log").read_text()
        for username in ("koordinator", "behandler", "kommune", "nav", "fastlege", "pasient",
                         "parorende", "admin"):
            assert username in output, f"demo did not print the login {username!r}"
        yield server


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
def new_page(browser, demo_server):  # type: ignore[no-untyped-def]
    """Pages in fresh browser contexts (no shared cookies), closed after the test."""
    contexts = []

    def make(**context_options):  # type: ignore[no-untyped-def]
        context = browser.new_context(base_url=demo_server.base_url, locale="nb-NO",
                                      **context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):  # type: ignore[no-untyped-def]
    return new_page()


@pytest.fixture(scope="session")
def axe():  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


# A phone-sized screen: every page for patients and next of kin must fit it.
PHONE = {"width": 390, "height": 844}


def fits_and_is_accessible(page, axe) -> None:  # type: ignore[no-untyped-def]
    """The page does not scroll sideways at its width, and axe finds no violations."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def assert_accessible(axe):  # type: ignore[no-untyped-def]
    def check(page) -> None:  # type: ignore[no-untyped-def]
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, (
            f"axe found violations on {page.url}:\n{results.generate_report()}"
        )

    return check


# --- data of the test's own -------------------------------------------------------------------

@dataclass(frozen=True)
class Patient:
    id: str
    name: str
    given_name: str
    family_name: str
    national_id: str


@dataclass(frozen=True)
class Stay:
    id: str
    unit: str
    status: str


@dataclass(frozen=True)
class Scenario:
    """A new patient's pathway in a known state (ettervern.demo.scenarios)."""

    name: str
    phase: str
    pathway: str  # public id
    url: str  # the pathway page, /forlop/<id>/
    patient: Patient
    stays: list[Stay]
    # Usernames with a role on the pathway: coordinator, gp, municipal_contact, nav_contact,
    # treating_unit and specialist_contact (behandler, once there is a stay), and with
    # logins=True patient and next_of_kin (new users with the demo password).
    logins: dict[str, str]

    @classmethod
    def from_json(cls, data: dict) -> Scenario:  # type: ignore[type-arg]
        return cls(name=data["scenario"], phase=data["phase"], pathway=data["pathway"],
                   url=data["url"], patient=Patient(**data["patient"]),
                   stays=[Stay(**stay) for stay in data["stays"]], logins=data["logins"])


class Scenarios:
    """`scenario("contact")` gives a new pathway in that phase; `scenario.many([...])` several,
    in one call (starting the command is the slow part)."""

    def __init__(self, server: DemoServer) -> None:
        self.server = server

    def __call__(self, phase: str, *, logins: bool = False) -> Scenario:
        return self.many([phase], logins=logins)[0]

    def many(self, phases: Iterable[str], *, logins: bool = False) -> list[Scenario]:
        args = ["demo_scenario", *phases] + (["--logins"] if logins else [])
        return [Scenario.from_json(item) for item in json.loads(self.server.command(*args))]


@pytest.fixture
def scenario(demo_server) -> Scenarios:  # type: ignore[no-untyped-def]
    return Scenarios(demo_server)


# --- signing in and out -----------------------------------------------------------------------

def submit_login(page, username: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Sign in and wait until signed in (the sign-out button is there): a navigation right
    after the click would otherwise cancel the sign-in."""
    submit_login(page, username, password)
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()


def logout(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Logg ut").click()
    expect(page).to_have_url(re.compile(r"/logg-inn/"))
    expect(page.get_by_role("button", name="Logg inn")).to_be_visible()
