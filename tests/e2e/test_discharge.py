"""Discharge on a phone: the coordinator opens the stay's checkpoints from the pathway, ticks
the one the data cannot tell, is stopped by the gate while checkpoints are open, gives the
reason, confirms, and the pathway shows the discharge with what was open and why. The team
overview shows every service. Each page fits 390 px and axe finds no violations."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, fits_and_is_accessible, login, logout

REASON = "Pasienten ønsket å reise hjem før samarbeidsmøtet."


def test_discharge_through_the_gate(new_page, scenario, axe):  # type: ignore[no-untyped-def]
    case = scenario("residential", logins=True)
    page = new_page(viewport=PHONE)
    login(page, case.logins["coordinator"])
    page.goto(case.url)
    page.get_by_role("link", name=re.compile("Sjekkpunkter og utskriving")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sjekkpunkter før utskriving")
    fits_and_is_accessible(page, axe)

    # The GP being informed is the one checkpoint the data cannot tell: ticked with a note.
    gp = page.locator("#checkpoint-gp_informed")
    gp.get_by_label("Merknad").fill("Epikrise sendt fastlegen.")
    gp.get_by_role("button", name=re.compile("Kryss av som gjort")).click()
    expect(page.get_by_text("Sjekkpunktet er krysset av.")).to_be_visible()
    expect(page.locator("#checkpoint-gp_informed")).to_contain_text("Krysset av:")

    # Others are open: discharging without a reason is stopped, and says what is open.
    page.get_by_role("button", name="Skriv ut", exact=True).click()
    expect(page.locator("#id_reason-error")).to_contain_text("Disse sjekkpunktene er fortsatt åpne")
    fits_and_is_accessible(page, axe)

    # With the reason, the page asks first, naming the open checkpoints.
    page.get_by_label("Begrunnelse for utskriving med åpne sjekkpunkter").fill(REASON)
    page.get_by_role("button", name="Skriv ut", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Skrive ut")
    expect(page.get_by_text(re.compile("Åpne sjekkpunkter"))).to_be_visible()
    fits_and_is_accessible(page, axe)
    page.get_by_role("button", name="Ja, skriv ut").click()
    expect(page.get_by_text("Pasienten er skrevet ut.")).to_be_visible()
    override = page.locator("section", has=page.get_by_role(
        "heading", name=re.compile("med åpne sjekkpunkter")))
    expect(override).to_contain_text(REASON)
    fits_and_is_accessible(page, axe)

    # The team overview: every service, what it does now and next.
    page.get_by_role("link", name="Hvem gjør hva nå").click()
    for service in ("Poliklinikk", "Døgnavdeling", "Kommune", "NAV", "Fastlege"):
        expect(page.get_by_role("heading", name=re.compile(service))).to_be_visible()
    fits_and_is_accessible(page, axe)
    logout(page)
