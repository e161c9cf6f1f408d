"""Messages and notifications on a phone: the coordinator writes to the team and to the
patient, the municipality sees the notification badge, opens the notification and answers in
the team's thread, and the patient reads and answers on their own page. Each page fits 390 px
and axe finds no violations."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, fits_and_is_accessible, login, logout


def test_the_team_and_the_patient_write_to_each_other(new_page, scenario, axe):  # type: ignore[no-untyped-def]
    case = scenario("residential", logins=True)
    page = new_page(viewport=PHONE)

    login(page, "koordinator")
    page.goto(case.url)
    page.get_by_role("link", name="Meldinger", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.patient.name)
    fits_and_is_accessible(page, axe)
    team = page.locator("section#team")
    team.get_by_label("Melding").fill("Samarbeidsmøte onsdag kl. 12?")
    team.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Meldingen er sendt.")).to_be_visible()
    expect(page.locator("section#team")).to_contain_text("Samarbeidsmøte onsdag kl. 12?")
    page.locator("section#patient").get_by_role("button", name="Send").click()
    expect(page.get_by_text("Skriv en melding før du sender.").first).to_be_visible()
    fits_and_is_accessible(page, axe)
    patient = page.locator("section#patient")
    patient.get_by_label("Melding").fill("Hei! Vi snakkes på onsdag.")
    patient.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Meldingen er sendt.")).to_be_visible()
    logout(page)

    # The municipality has a notification: the badge, the list, and the thread it links to.
    login(page, "kommune")
    expect(page.get_by_role("link", name=re.compile(r"^Varsler \d+"))).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Varsler")).click()
    notification = page.get_by_role("link", name=re.compile(
        f"Ny melding fra .* {re.escape(case.patient.name)}")).first
    expect(notification).to_be_visible()
    fits_and_is_accessible(page, axe)
    notification.click()
    expect(page.locator("section#team")).to_contain_text("Samarbeidsmøte onsdag kl. 12?")
    expect(page.locator("section#patient")).to_have_count(0)
    page.locator("section#team").get_by_label("Melding").fill("Onsdag passer for kommunen.")
    page.locator("section#team").get_by_role("button", name="Send").click()
    expect(page.get_by_text("Meldingen er sendt.")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Varsler")).click()
    page.get_by_role("link", name="Velg hva du også vil få på e-post").click()
    page.get_by_label("Ny melding").check()
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Valgene dine er lagret.")).to_be_visible()
    expect(page.get_by_label("Ny melding")).to_be_checked()
    fits_and_is_accessible(page, axe)
    logout(page)

    # The patient: a card on their page, and the thread with the clinic in plain words.
    login(page, case.logins["patient"])
    page.goto("/meg/")
    expect(page.get_by_text("Du har 1 ny melding.")).to_be_visible()
    page.get_by_role("link", name="Les og skriv meldinger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldinger med behandleren din")
    expect(page.get_by_text("Hei! Vi snakkes på onsdag.")).to_be_visible()
    expect(page.get_by_text("Samarbeidsmøte")).to_have_count(0)
    fits_and_is_accessible(page, axe)
    page.get_by_label("Melding").fill("Takk, det passer fint.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Meldingen er sendt.")).to_be_visible()
    expect(page.get_by_text("Takk, det passer fint.")).to_be_visible()
    fits_and_is_accessible(page, axe)
