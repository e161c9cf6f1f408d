"""The crisis plan on a phone: the coordinator writes it, the patient reaches it in one tap
from their first page, reads it at 390 px without sideways scrolling (axe: no violations),
keeps a copy for use without internet, and opens it offline."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, fits_and_is_accessible, login, logout


def test_the_patient_reads_and_keeps_the_crisis_plan_on_a_phone(new_page, scenario, axe):  # type: ignore[no-untyped-def]
    case = scenario("aftercare", logins=True)
    page = new_page(viewport=PHONE)

    # The coordinator writes the plan on the same phone-sized screen.
    login(page, case.logins["coordinator"])
    page.goto(case.url)
    page.get_by_role("link", name="Kriseplan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kriseplan for")
    page.get_by_label("Varseltegn").fill("Jeg sover dårlig og trekker meg unna.")
    page.get_by_label("Dette gjør pasienten").fill("Ringer kontaktpersonen.")
    page.locator("#id_contact-0-name").fill("Kontaktperson Eva Lund")
    page.locator("#id_contact-0-phone").fill("12")
    page.get_by_role("button", name="Lagre kriseplanen").click()
    expect(page.get_by_role("alert").filter(has_text="Noe må rettes")).to_be_visible()
    expect(page.get_by_text("Skriv et norsk telefonnummer").first).to_be_visible()
    fits_and_is_accessible(page, axe)
    page.locator("#id_contact-0-phone").fill("412 34 567")
    page.locator("#id_contact-0-when").fill("Hverdager 8–16")
    page.get_by_role("button", name="Lagre kriseplanen").click()
    expect(page.get_by_role("status")).to_contain_text("Kriseplanen er lagret.")
    fits_and_is_accessible(page, axe)
    logout(page)

    # The patient: one tap from their first page.
    login(page, case.logins["patient"])
    page.goto("/forlop/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hei,")
    page.get_by_role("link", name="Min kriseplan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min kriseplan")
    expect(page.get_by_text("Jeg sover dårlig og trekker meg unna.")).to_be_visible()
    call = page.get_by_role("link", name="Ring 412 34 567")
    expect(call).to_have_attribute("href", "tel:+4741234567")
    fits_and_is_accessible(page, axe)

    # A copy for use without internet, only when asked.
    assert page.evaluate("() => caches.keys()") == []
    page.get_by_role("button", name="Lagre for bruk uten nett").click()
    expect(page.get_by_role("status")).to_contain_text("Lagret på denne enheten")
    expect(page.get_by_role("button", name="Fjern kopien fra denne enheten")).to_be_visible()
    scope = page.evaluate("""() => navigator.serviceWorker.getRegistration(location.pathname)
                             .then(r => r && r.scope)""")
    assert scope is not None and scope.endswith(re.sub(r"^https?://[^/]+", "", page.url))
    fits_and_is_accessible(page, axe)
    plan_url = page.url

    page.context.set_offline(True)
    page.goto(plan_url)
    expect(page.get_by_text("Jeg sover dårlig og trekker meg unna.")).to_be_visible()
    page.context.set_offline(False)

    page.goto(plan_url)
    page.get_by_role("button", name="Fjern kopien fra denne enheten").click()
    expect(page.get_by_role("status")).to_contain_text("Kopien på denne enheten er fjernet")
    assert page.evaluate("() => caches.keys()") == []


def test_the_mapping_on_a_phone(new_page, scenario, axe):  # type: ignore[no-untyped-def]
    """The coordinator starts a mapping and rates; the patient gives the own assessment; the
    overview's chart and table fit a phone."""
    case = scenario("aftercare", logins=True)
    page = new_page(viewport=PHONE)
    login(page, case.logins["coordinator"])
    page.goto(case.url)
    page.get_by_role("link", name="Kartlegging").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kartlegging for")
    fits_and_is_accessible(page, axe)
    page.get_by_role("button", name="Start kartleggingen").click()
    expect(page.get_by_role("status")).to_contain_text("En ny kartlegging er startet.")
    bolig = page.get_by_role("group", name="Bolig")
    bolig.get_by_label("2 – Betydelige vansker").check()
    page.get_by_label("Kommentar til Bolig").fill("Bor midlertidig hos en venn.")
    fits_and_is_accessible(page, axe)
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("Kartleggingen er lagret.")
    logout(page)

    login(page, case.logins["patient"])
    page.goto("/forlop/")
    page.get_by_role("link", name="Se vurderingene mine over tid").click()
    page.get_by_role("link", name=re.compile("^Kartlegging ")).click()
    expect(page.get_by_role("heading", name="Min egenvurdering")).to_be_visible()
    page.get_by_role("group", name="Bolig").get_by_label("4 – Små vansker").check()
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("Kartleggingen er lagret.")
    fits_and_is_accessible(page, axe)
    page.get_by_role("link", name="Alle kartlegginger").click()
    expect(page.get_by_role("img", name=re.compile("Diagram over vurderingene"))).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Bolig")
    expect(row).to_contain_text("2")
    expect(row).to_contain_text("4")
    fits_and_is_accessible(page, axe)
