"""Reflow on a phone (WCAG 2.1 SC 1.4.10): every page of every demo role at 390×844.

On each page: no sideways scrolling (the document is no wider than the viewport), every
control in the main content can be reached without scrolling anything sideways (a wide table
may scroll inside its wrapper, its actions may not go off-screen), and axe finds no violation.

Pages are found by their roles and headings, not by their markup, so the checks hold while
the templates change.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from playwright.sync_api import expect

from ettervern.core import clock
from tests.e2e.conftest import AXE_OPTIONS, PHONE, Scenario, login, logout

PHASES = ["contact", "pre_admission", "residential", "aftercare", "closed"]
STAFF = ["koordinator", "behandler", "kommune", "nav", "fastlege"]

# Controls in the main content that are rendered (visually hidden text is 1 px and skipped) and
# not inside a closed <details>, whose box leaves the viewport or any ancestor that clips it.
_UNREACHABLE_CONTROLS = """() => {
  const width = window.innerWidth;
  const found = [];
  const controls = document.querySelectorAll(
    'main a[href], main button, main input:not([type=hidden]), main select, main textarea,' +
    ' main summary');
  for (const control of controls) {
    const box = control.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    let cut = box.left < -0.5 || box.right > width + 0.5;
    for (let parent = control.parentElement; parent && !cut; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX === 'visible') continue;
      const clip = parent.getBoundingClientRect();
      cut = box.left < clip.left - 0.5 || box.right > clip.right + 0.5;
    }
    if (cut) {
      const name = (control.innerText || control.getAttribute('aria-label') || control.name ||
                    control.tagName).trim().replace(/\\s+/g, ' ');
      found.push(`${name} (${Math.round(box.left)}–${Math.round(box.right)} px)`);
    }
  }
  return found;
}"""


@pytest.fixture
def phone(new_page):  # type: ignore[no-untyped-def]
    return new_page(viewport=PHONE)


@pytest.fixture
def assert_reflows(axe):  # type: ignore[no-untyped-def]
    def check(page, what: str) -> None:  # type: ignore[no-untyped-def]
        # Closed <details> hold forms too: open them, so those are checked as well.
        page.locator("main details:not([open])").evaluate_all(
            "elements => elements.forEach(element => { element.open = true; })")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (
            f"{what} ({page.url}) scrolls sideways: {widths[0]} px wide in {widths[1]} px")
        unreachable = page.evaluate(_UNREACHABLE_CONTROLS)
        assert unreachable == [], f"{what} ({page.url}): controls off-screen: {unreachable}"

        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, (
            f"axe found violations on {what} ({page.url}):\n{results.generate_report()}")

    return check


def _has_access(username: str, case: Scenario) -> bool:
    """Staff roles count on open pathways only, except that the coordinating clinic keeps
    reading its closed ones; the patient and next of kin always."""
    role = next((role for role, name in case.logins.items() if name == username), None)
    if role in ("patient", "next_of_kin", "coordinator"):
        return True
    return role is not None and case.phase != "closed"


def _visit_pathway(page, case: Scenario, username: str, check) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(case.url)
    assert response is not None
    if _has_access(username, case):
        assert response.status == 200, (username, case.phase, response.status)
        # The patient's own page says "Ditt forløp"; everyone else's names the patient.
        own = case.logins.get("patient") == username
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            "Ditt forløp" if own else case.patient.name)
        # Staff see the timeline; the patient and next of kin "what has happened".
        history = re.compile("^(Tidslinje|Hva som har skjedd)$")
        expect(page.get_by_role("region", name=history)).to_be_visible()
    else:
        assert response.status == 404, (username, case.phase, response.status)
        expect(page.get_by_role("heading", name="Ikke funnet")).to_be_visible()
    check(page, f"the {case.phase} pathway as {username}")


def _visit_common(page, username: str, check, *, opens: bool) -> None:  # type: ignore[no-untyped-def]
    """The worklist, the new-patient page (or its refusal: only outpatient staff open
    pathways) and the 404 page."""
    page.goto("/forlop/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check(page, f"the worklist of {username}")

    response = page.goto("/pasienter/ny/")
    assert response is not None
    if opens:
        expect(page.get_by_role("heading", name="Registrer en pasient og opprett et forløp")
               ).to_be_visible()
        check(page, f"the new patient page as {username}")
    else:
        assert response.status == 403
        expect(page.get_by_role("heading", name="Ikke tillatt")).to_be_visible()
        check(page, f"the 403 page as {username}")

    response = page.goto(f"/forlop/{uuid.uuid4()}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Ikke funnet")).to_be_visible()
    check(page, f"the 404 page as {username}")


def test_login_page_reflows(phone, assert_reflows):  # type: ignore[no-untyped-def]
    phone.goto("/logg-inn/")
    expect(phone.get_by_role("heading", name="Logg inn")).to_be_visible()
    assert_reflows(phone, "the login page")
    phone.get_by_label("Brukernavn").fill("ingen-slik-bruker-" + uuid.uuid4().hex[:8])
    phone.get_by_label("Passord").fill("feil")
    phone.get_by_role("button", name="Logg inn").click()
    expect(phone.get_by_role("alert")).to_be_visible()
    assert_reflows(phone, "the login page with a refusal")


@pytest.mark.parametrize("username", STAFF)
def test_staff_pages_reflow(phone, scenario, assert_reflows, username):  # type: ignore[no-untyped-def]
    cases = scenario.many(PHASES)
    login(phone, username)
    _visit_common(phone, username, assert_reflows, opens=username == "koordinator")
    for case in cases:
        _visit_pathway(phone, case, username, assert_reflows)


def test_pages_with_refused_forms_reflow(phone, scenario, assert_reflows):  # type: ignore[no-untyped-def]
    """Error summaries and messages on fields: the coordinator's phase change and the
    treating unit's admission, both dated tomorrow."""
    contact, pre_admission = scenario.many(["contact", "pre_admission"])
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    login(phone, "koordinator")
    phone.goto(contact.url)
    phone.get_by_label("Ny fase").select_option("pre_admission")
    phone.get_by_label("Gjelder fra").fill(tomorrow)
    phone.get_by_role("button", name="Endre fase").click()
    expect(phone.get_by_role("alert").first).to_be_visible()
    assert_reflows(phone, "a refused phase change")

    logout(phone)
    login(phone, "behandler")
    phone.goto(pre_admission.url)
    stays = phone.get_by_role("region", name="Døgnopphold")
    stays.get_by_label("Innleggelsesdato").fill(tomorrow)
    stays.get_by_role("button", name="Legg inn").click()
    expect(phone.get_by_role("alert").first).to_be_visible()
    assert_reflows(phone, "a refused admission")


@pytest.mark.parametrize("role", ["patient", "next_of_kin"])
def test_patient_and_next_of_kin_pages_reflow(new_page, scenario, assert_reflows, role):  # type: ignore[no-untyped-def]
    # Every phase is another patient, so another login (each in a browser of its own).
    for index, case in enumerate(scenario.many(PHASES, logins=True)):
        page = new_page(viewport=PHONE)
        username = case.logins[role]
        login(page, username)
        if index == 0:
            _visit_common(page, username, assert_reflows, opens=False)
        _visit_pathway(page, case, username, assert_reflows)


def test_admin_pages_reflow(phone, scenario, assert_reflows):  # type: ignore[no-untyped-def]
    case = scenario("residential")
    login(phone, "admin")
    _visit_common(phone, "admin", assert_reflows, opens=False)
    _visit_pathway(phone, case, "admin", assert_reflows)  # no patient data: 404
    phone.goto("/admin/")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert_reflows(phone, "the admin index")


def test_treating_unit_admits_and_discharges_on_a_phone(phone, scenario, assert_reflows):  # type: ignore[no-untyped-def]
    """The actions are on screen without sideways scrolling, before and after each step."""
    case = scenario("pre_admission")
    today = clock.today().isoformat()
    login(phone, "behandler")
    phone.goto(case.url)
    stays = phone.get_by_role("region", name="Døgnopphold")
    admit = stays.get_by_role("button", name="Legg inn")
    expect(admit).to_be_visible()
    assert_reflows(phone, "the stay before admission")

    stays.get_by_label("Innleggelsesdato").fill(today)
    admit.click()
    # The checklist is still open: the question names what, and lets the admission go ahead.
    confirm = phone.get_by_role("button", name="Ja, legg inn")
    expect(confirm).to_be_visible()
    assert_reflows(phone, "the admission question")
    confirm.click()
    expect(phone.get_by_role("status")).to_contain_text("Pasienten er lagt inn")
    discharge_page = stays.get_by_role("link", name=re.compile("Sjekkpunkter og utskriving"))
    expect(discharge_page).to_be_visible()
    assert_reflows(phone, "the ongoing stay")

    # The discharge page: the checkpoints, and the gate asking for the reason while they are
    # open.
    discharge_page.click()
    assert_reflows(phone, "the checkpoints before discharge")
    phone.get_by_label("Utskrivingsdato").fill(today)
    phone.get_by_label("Begrunnelse for utskriving med åpne sjekkpunkter").fill(
        "Pasienten ønsket å reise hjem.")
    phone.get_by_role("button", name="Skriv ut", exact=True).click()
    # A discharge cannot be undone: the question is a page of its own, on a phone too.
    confirm = phone.get_by_role("button", name="Ja, skriv ut")
    expect(confirm).to_be_visible()
    assert_reflows(phone, "the discharge question")
    confirm.click()
    expect(phone.get_by_role("status")).to_contain_text("Pasienten er skrevet ut")
    assert_reflows(phone, "the discharged stay")



def test_the_narrowest_width_with_long_words(new_page, scenario, assert_reflows):  # type: ignore[no-untyped-def]
    """WCAG's own width, 320 CSS px, with a note holding a long unbroken word (a pasted
    address): the coordinator's pages still fit."""
    contact, residential = scenario.many(["contact", "residential"])
    page = new_page(viewport={"width": 320, "height": 640})
    login(page, "koordinator")
    _visit_common(page, "koordinator", assert_reflows, opens=True)
    for case in (contact, residential):
        _visit_pathway(page, case, "koordinator", assert_reflows)

    page.goto(contact.url)
    overview = page.get_by_role("region", name="Oversikt")
    overview.get_by_text("Endre opplysninger om henvisning og kontakt").click()
    long_word = "https://ettervern.example/henvisninger/" + "x" * 120
    overview.get_by_label("Merknad").fill(long_word)
    overview.get_by_role("button", name="Lagre opplysningene").click()
    expect(page.get_by_role("status")).to_contain_text("Opplysningene om forløpet er lagret")
    expect(page.get_by_role("region", name="Oversikt")).to_contain_text(long_word)
    assert_reflows(page, "a pathway with a long note at 320 px")

@pytest.mark.parametrize("username", ["koordinator", "kommune"])
def test_tables_become_cards_on_a_phone(phone, scenario, assert_reflows, username):  # type: ignore[no-untyped-def]
    """The worklist's cells carry data-label, so on a phone each row is a card: no table
    scrolls sideways, and the pathway page has no table at all."""
    case = scenario("residential")
    login(phone, username)
    phone.goto("/forlop/")
    expect(phone.get_by_role("table").first).to_be_visible()
    assert_reflows(phone, f"the worklist as {username}")
    scrolling = phone.get_by_role("table").evaluate_all(
        "tables => tables.filter(t => t.parentElement.scrollWidth > "
        "t.parentElement.clientWidth + 0.5).length")
    assert scrolling == 0, f"{scrolling} table(s) still scroll on the worklist"
    phone.goto(case.url)
    expect(phone.get_by_role("heading", level=1)).to_contain_text(case.patient.name)
    expect(phone.get_by_role("table")).to_have_count(0)
